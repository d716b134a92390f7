#!/usr/bin/env bash
# Draw benchmark at province size: bash ops/bench/draw.sh [candidate counts, default "1000000 10000000"]
# For each count N: the targets file of N generated candidates is frozen (from PostgreSQL when a connection is given: the
# rows are loaded by COPY into a throwaway database drw_bench, dropped at the end, then streamed out in canonical order),
# then three times each, every step in its own process under /usr/bin/time: the raw limit (one HMAC-SHA256 per candidate
# label, all cores), the draw of 3 % (key, rank, select, teams; the record then written as a stream), and the reference
# verifier (src/Supervision.DrawVerifier, as an auditor runs it, against the published hashes). Medians are reported.
# Environment: SUPERVISION_CONNECTION_STRING (optional: freeze from PostgreSQL), DRAW_BENCH_DIR (default /tmp/drw-bench),
# DRAW_BENCH_RUNS (default 3), DRAW_BENCH_INSPECTORS (default 50), DRAW_BENCH_DATABASE (the throwaway database, default drw_bench).
# Each draw prints a PHASES line (rank, select, teams, batches, output files; allocated MiB, GC counts, peak working set), and after
# the runs one in-process verification prints the same for the verifier (verify-steps).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
COUNTS="${*:-1000000 10000000}"
RUNS="${DRAW_BENCH_RUNS:-3}"
INSPECTORS="${DRAW_BENCH_INSPECTORS:-50}"
ROOT="${DRAW_BENCH_DIR:-/tmp/drw-bench}"
mkdir -p "$ROOT"
dotnet build "$REPO/ops/bench/DrawBench" -c Release -o "$ROOT/bin/bench" -v q -nologo >/dev/null
dotnet build "$REPO/src/Supervision.DrawVerifier" -c Release -o "$ROOT/bin/verifier" -v q -nologo >/dev/null
BENCH="$ROOT/bin/bench/DrawBench.dll"
VERIFIER="$ROOT/bin/verifier/Supervision.DrawVerifier.dll"

CONNECTION=""
if [[ -n "${SUPERVISION_CONNECTION_STRING:-}" ]]; then
  ADMIN="$SUPERVISION_CONNECTION_STRING"
  DATABASE="${DRAW_BENCH_DATABASE:-drw_bench}"
  CONNECTION="$(echo "$ADMIN" | sed -E "s/Database=[^;]*/Database=$DATABASE/")"
  HOST=$(echo "$ADMIN" | sed -nE 's/.*Host=([^;]*).*/\1/p'); PORT=$(echo "$ADMIN" | sed -nE 's/.*Port=([^;]*).*/\1/p'); USER=$(echo "$ADMIN" | sed -nE 's/.*Username=([^;]*).*/\1/p')
  psql -h "$HOST" -p "${PORT:-5432}" -U "$USER" -d postgres -qc "DROP DATABASE IF EXISTS $DATABASE" -c "CREATE DATABASE $DATABASE"
  trap 'psql -h "$HOST" -p "${PORT:-5432}" -U "$USER" -d postgres -qc "DROP DATABASE IF EXISTS $DATABASE" || true' EXIT
fi

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Runs a command under /usr/bin/time; prints "<seconds reported by the step or wall> <max RSS MiB> <CPU seconds, user + system,
# of the whole process>". On a machine shared with other work the wall times stretch with the load; the CPU seconds barely do.
measure() {
  local out; out=$(mktemp)
  /usr/bin/time -f 'TIME|%e|%M|%U|%S' "$@" >"$out" 2>"$out.err" || { cat "$out" "$out.err" >&2; return 1; }
  local seconds rss cpu
  seconds=$(sed -nE 's/^SECONDS\|(.*)/\1/p' "$out"); [[ -z "$seconds" ]] && seconds=$(sed -nE 's/^TIME\|([^|]*)\|.*/\1/p' "$out.err")
  rss=$(sed -nE 's/^TIME\|[^|]*\|([^|]*)\|.*/\1/p' "$out.err")
  cpu=$(sed -nE 's/^TIME\|[^|]*\|[^|]*\|([^|]*)\|(.*)/\1 \2/p' "$out.err" | awk '{printf "%.2f", $1 + $2}')
  grep -v '^TIME|' "$out.err" >&2 || true
  echo "$seconds $((rss / 1024)) $cpu"
  rm -f "$out" "$out.err"
}

echo "draw benchmark, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), median of $RUNS runs"
ROWS=()
for N in $COUNTS; do
  DIR="$ROOT/$N"; mkdir -p "$DIR"
  read -r FREEZE FREEZE_RSS _ < <(measure dotnet "$BENCH" freeze "$N" "$DIR" $CONNECTION)
  echo "N=$N freeze ${CONNECTION:+(from PostgreSQL) }$FREEZE s, $FREEZE_RSS MiB, targets file $(( $(stat -c %s "$DIR/targets.txt") / 1048576 )) MiB"
  HMAC=(); DRAW=(); DRAW_RSS=(); VERIFY=(); VERIFY_RSS=(); HMAC_CPU=(); KEYS_CPU=(); DRAW_CPU=(); VERIFY_CPU=()
  for run in $(seq "$RUNS"); do
    read -r s _ c < <(measure dotnet "$BENCH" hmac "$DIR"); HMAC+=("$s"); HMAC_CPU+=("$c")
    read -r _ _ c < <(measure dotnet "$BENCH" keys "$DIR"); KEYS_CPU+=("$c")
    read -r s m c < <(measure dotnet "$BENCH" draw "$DIR" "$INSPECTORS"); DRAW+=("$s"); DRAW_RSS+=("$m"); DRAW_CPU+=("$c")
    read -r COMMITMENT RECORD < "$DIR/expect.txt" || true  # one line without a final LF
    read -r s m c < <(measure dotnet "$VERIFIER" "$DIR/record.json" --expect-commitment "$COMMITMENT" --expect-record "$RECORD"); VERIFY+=("$s"); VERIFY_RSS+=("$m"); VERIFY_CPU+=("$c")
    echo "  run $run: hmac ${HMAC[-1]} s, draw ${DRAW[-1]} s (${DRAW_RSS[-1]} MiB), verify ${VERIFY[-1]} s (${VERIFY_RSS[-1]} MiB); CPU s of the whole processes: hmac ${HMAC_CPU[-1]}, keys ${KEYS_CPU[-1]}, draw ${DRAW_CPU[-1]}, verify ${VERIFY_CPU[-1]}"
  done
  dotnet "$BENCH" verify-steps "$DIR" 2>&1 | sed 's/^/  in process: /' || true
  H=$(echo "${HMAC[*]}" | median); D=$(echo "${DRAW[*]}" | median); V=$(echo "${VERIFY[*]}" | median)
  DM=$(echo "${DRAW_RSS[*]}" | median); VM=$(echo "${VERIFY_RSS[*]}" | median)
  ROWS+=("ROW|draw 3% of $N|$D|$H|$(awk "BEGIN {printf \"%.1f\", $D / $H}")")
  ROWS+=("ROW|verify 3% of $N|$V|$H|$(awk "BEGIN {printf \"%.1f\", $V / $H}")")
  ROWS+=("ROW|draw memory $N|$DM|max RSS MiB of the draw process|")
  ROWS+=("ROW|verify memory $N|$VM|max RSS MiB of the verifier process|")
  ROWS+=("ROW|freeze $N|$FREEZE|${CONNECTION:+from PostgreSQL, }one run|")
  HC=$(echo "${HMAC_CPU[*]}" | median); KC=$(echo "${KEYS_CPU[*]}" | median); DC=$(echo "${DRAW_CPU[*]}" | median); VC=$(echo "${VERIFY_CPU[*]}" | median)
  ROWS+=("ROW|draw 3% of $N, CPU s of the whole process (start, read, draw, record written)|$DC|hmac process $HC (keys process $KC)|$(awk "BEGIN {printf \"%.1f\", $DC / $HC}")")
  ROWS+=("ROW|verify 3% of $N, CPU s of the verifier process|$VC|hmac process $HC|$(awk "BEGIN {printf \"%.1f\", $VC / $HC}")")
done
printf '%s\n' "${ROWS[@]}"
