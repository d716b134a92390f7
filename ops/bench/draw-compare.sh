#!/usr/bin/env bash
# Two builds of the draw side by side on one targets file, interleaved, CPU seconds (user + system) of each whole process:
#   bash ops/bench/draw-compare.sh OLD_BIN NEW_BIN TARGETS_DIR [RUNS, default 3]
# OLD_BIN and NEW_BIN each hold bench/DrawBench.dll and verifier/Supervision.DrawVerifier.dll (as ops/bench/draw.sh builds them
# into $DRAW_BENCH_DIR/bin: build the old commit there first, e.g. from a `git archive` of it); TARGETS_DIR holds targets.txt and
# targets.sha256 (`DrawBench freeze N DIR`). On a machine loaded by other work wall times stretch with the load and CPU seconds
# barely do, so this compares builds fairly; the HMAC floor process is measured in the same runs. Also checks that both builds
# write byte-identical records. Prints "run <n> <step> <wall s> <user s> <system s> <max RSS KiB>" lines.
set -euo pipefail
OLD="$1"; NEW="$2"; TARGETS="$3"; RUNS="${4:-3}"
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
for side in old new; do mkdir -p "$WORK/$side"; cp "$TARGETS/targets.txt" "$TARGETS/targets.sha256" "$WORK/$side/"; done
t() { /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1; }
for run in $(seq "$RUNS"); do
  echo "run $run hmac $(t dotnet "$NEW/bench/DrawBench.dll" hmac "$WORK/new")"
  echo "run $run keys $(t dotnet "$NEW/bench/DrawBench.dll" keys "$WORK/new")"
  echo "run $run draw-old $(t dotnet "$OLD/bench/DrawBench.dll" draw "$WORK/old" 50)"
  echo "run $run draw-new $(t dotnet "$NEW/bench/DrawBench.dll" draw "$WORK/new" 50)"
  read -r C R < "$WORK/new/expect.txt" || true
  echo "run $run verify-old $(t dotnet "$OLD/verifier/Supervision.DrawVerifier.dll" "$WORK/old/record.json" --expect-commitment "$C" --expect-record "$R")"
  echo "run $run verify-new $(t dotnet "$NEW/verifier/Supervision.DrawVerifier.dll" "$WORK/new/record.json" --expect-commitment "$C" --expect-record "$R")"
  cmp -s "$WORK/old/record.json" "$WORK/new/record.json" && echo "run $run records identical" || echo "run $run RECORDS DIFFER"
done
