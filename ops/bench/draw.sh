#!/usr/bin/env bash
# Draw benchmark: bash ops/bench/draw.sh [candidates=1000000] [inspectors=50]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
dotnet run --project "$REPO/ops/bench/DrawBench" -c Release -- "$@"
