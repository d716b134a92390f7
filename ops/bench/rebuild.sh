#!/usr/bin/env bash
# Read-model rebuild benchmark: bash ops/bench/rebuild.sh [cases=20000] [targets=100000]
# Generates a city's year of events in schema bench_rebuild (dropped first) of the local cluster (or SUPERVISION_CONNECTION_STRING),
# rebuilds every read model, and times a city dashboard from the stored facts and replayed "as of".
# With PROVINCE_CONNECTION (a database of ops/bench/Province) it generates nothing: it rebuilds that database's read models
# beside the raw scan of its events (REBUILD_RUNS times, default 3, interleaved) and ends with a ROW| line (ops/bench/lib.sh).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
if [[ -n "${PROVINCE_CONNECTION:-}" ]]; then
  dotnet build "$REPO/ops/bench/Province" -c Release -v q -nologo >/dev/null
  SUPERVISION_CONNECTION_STRING="$PROVINCE_CONNECTION" exec dotnet "$REPO/ops/bench/Province/bin/Release/net10.0/Province.dll" rebuild "${REBUILD_RUNS:-3}"
fi
if [[ -z "${SUPERVISION_CONNECTION_STRING:-}" ]]; then c="$(bash "$REPO/ops/pg.sh" start)"; export SUPERVISION_CONNECTION_STRING="${c##*$'\n'}"; fi
dotnet run --project "$REPO/ops/bench/RebuildBench" -c Release -- "$@"
