#!/usr/bin/env bash
# Read-model rebuild benchmark: bash ops/bench/rebuild.sh [cases=20000] [targets=100000]
# Generates a city's year of events in schema bench_rebuild (dropped first) of the local cluster (or SUPERVISION_CONNECTION_STRING),
# rebuilds every read model, and times a city dashboard from the stored facts and replayed "as of".
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
if [[ -z "${SUPERVISION_CONNECTION_STRING:-}" ]]; then c="$(bash "$REPO/ops/pg.sh" start)"; export SUPERVISION_CONNECTION_STRING="${c##*$'\n'}"; fi
dotnet run --project "$REPO/ops/bench/RebuildBench" -c Release -- "$@"
