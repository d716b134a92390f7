#!/usr/bin/env bash
# Read-model rebuild benchmark: bash ops/bench/rebuild.sh [cases=20000] [targets=100000]
# Generates a city's year of events in schema bench_rebuild (or $REBUILD_BENCH_SCHEMA; dropped first) of the local cluster (or
# SUPERVISION_CONNECTION_STRING), then three times, interleaved: the raw limit (one streamed scan of the log, every event
# deserialised to its type) and the one-pass rebuild of every read model (ReadModelRebuild.RunAsync, scope all, swapped in).
# Prints each run, the medians, a city dashboard from the stored facts and replayed "as of", and last a machine-readable line
#   ROW|rebuild all read models (<n> events)|<rebuild events/s>|<raw events/s>|<ratio>
# With PROVINCE_CONNECTION (a database of ops/bench/Province) it generates nothing: it rebuilds that database's read models
# beside the raw scan of its events (REBUILD_RUNS times, default 3, interleaved) and ends with the same ROW| line.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
if [[ -n "${PROVINCE_CONNECTION:-}" ]]; then
  dotnet build "$REPO/ops/bench/Province" -c Release -v q -nologo >/dev/null
  SUPERVISION_CONNECTION_STRING="$PROVINCE_CONNECTION" exec dotnet "$REPO/ops/bench/Province/bin/Release/net10.0/Province.dll" rebuild "${REBUILD_RUNS:-3}"
fi
if [[ -z "${SUPERVISION_CONNECTION_STRING:-}" ]]; then c="$(bash "$REPO/ops/pg.sh" start)"; export SUPERVISION_CONNECTION_STRING="${c##*$'\n'}"; fi
dotnet run --project "$REPO/ops/bench/RebuildBench" -c Release -- "$@"
