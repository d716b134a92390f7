#!/usr/bin/env bash
# Draw benchmark: bash ops/bench/draw.sh [candidates=1000000] [inspectors=50] [runs=3]
# Ends with ROW| lines for the draw and the verification (ops/bench/lib.sh), read from DrawBench's own lines.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
out="$(mktemp)"; trap 'rm -f "$out"' EXIT
set +e
dotnet run --project "$REPO/ops/bench/DrawBench" -c Release -- "$@" | tee "$out"; rc=${PIPESTATUS[0]}
set -e
awk -v candidates="$(python3 -c "print(f'{int(${1:-1000000}):,}')")" '
  /^raw limit:/ {raw = $(NF-1)} /^draw \(/ {draw = $6} /^verify \(/ {verify = $7} /^peak working set/ {peak = $(NF-1)}
  END {
    if (raw == "") exit
    printf "ROW|draw 3 %% of %s candidates (key, rank, quota, teams)|%.2f s, peak working set %s MiB|%s HMAC-SHA256 on all cores %.2f s|%.1f x\n", candidates, draw / 1000, peak, candidates, raw / 1000, draw / raw
    printf "ROW|verify that draw (read, canonical checks, chain, replay)|%.2f s|the same HMAC floor %.2f s|%.1f x\n", verify / 1000, raw / 1000, verify / raw
  }' "$out"
exit "$rc"
