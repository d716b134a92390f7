#!/usr/bin/env bash
# One benchmark command (issue 14): builds the province data set once (ops/bench/Province, reused while its version stamp
# matches), runs every path of the issue's table through its own script, each beside its raw limit measured in the same run,
# median of 3, and prints one markdown table with the date and the machine.
#
#   bash ops/bench/all.sh                 # full scale: 1,000,000 targets, 200,000 cases and their publications
#   SCALE=0.05 bash ops/bench/all.sh      # the same data set at 5 % (50,000 targets, 10,000 cases); import and draw sizes too
#   FULL=1 bash ops/bench/all.sh          # also import 1,000,000 targets and draw from 10,000,000 candidates
#   ONLY=search,rebuild bash ops/bench/all.sh    # some rows only (search18k search-province command import rebuild draw dashboard)
#
# Settings: SCALE (1), SEED (20261201), FULL (0), ONLY (all rows), PROVINCE_DB (bnch_province; kept for the next run, drop it with
# DROP_PROVINCE=1), BENCH_DB_PREFIX (bnch_: prefix of the per-path scripts' throwaway databases), BENCH_LOG_DIR (a new folder
# under /tmp), SUPERVISION_CONNECTION_STRING (the PostgreSQL; else the local cluster of ops/pg.sh).
# Each row is the ROW| line(s) of its script (see ops/bench/lib.sh); a script that fails or prints none gives a row saying so.
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"
source ops/bench/lib.sh
SCALE="${SCALE:-1}"; SEED="${SEED:-20261201}"; FULL="${FULL:-0}"; ONLY="${ONLY:-}"
PROVINCE_DB="${PROVINCE_DB:-bnch_province}"
export BENCH_DB_PREFIX="${BENCH_DB_PREFIX:-bnch_}"
LOG="${BENCH_LOG_DIR:-$(mktemp -d /tmp/bench-all.XXXXXX)}"; mkdir -p "$LOG"
scaled() { python3 -c "print(max(1000, round($1 * $SCALE)))"; }
wanted() { [[ -z "$ONLY" || ",$ONLY," == *",$1,"* ]]; }
say() { echo "[$(date -u +%T)] $*" >&2; }

bench_tools
base="$(bench_base_connection)"
province="$(bench_with_database "$base" "$PROVINCE_DB")"
started="$(date -u '+%F %H:%M UTC')"

say "building the service and the province generator (Release)"
dotnet build src/Supervision.Api -c Release -v q -nologo >"$LOG/build.log" 2>&1 || { cat "$LOG/build.log"; exit 1; }
dotnet build ops/bench/Province -c Release -v q -nologo >>"$LOG/build.log" 2>&1 || { cat "$LOG/build.log"; exit 1; }
generator=(dotnet ops/bench/Province/bin/Release/net10.0/Province.dll)

# The province data set: reused when its stamp says this generator version, scale and seed; else built from scratch.
if wanted search-province || wanted rebuild || wanted dashboard; then
  exists="$(bench_psql "$(bench_with_database "$base" postgres)" -c "select 1 from pg_database where datname = '$PROVINCE_DB'")"
  if [[ "$exists" == 1 ]] && SUPERVISION_CONNECTION_STRING="$province" "${generator[@]}" check "$SCALE" "$SEED" >"$LOG/province.log" 2>&1; then
    say "province data set: $(cat "$LOG/province.log")"
  else
    say "province data set: building $PROVINCE_DB at scale $SCALE, seed $SEED (log: $LOG/province.log)"
    bench_fresh_database "$base" "$PROVINCE_DB" >/dev/null
    SUPERVISION_CONNECTION_STRING="$province" "${generator[@]}" build "$SCALE" "$SEED" >"$LOG/province.log" 2>&1 \
      || { tail -30 "$LOG/province.log" >&2; say "the province data set could not be built"; exit 1; }
    # Sealed once, as the hourly sealer would have: later seals (and the service) only add to the chain.
    ConnectionStrings__Supervision="$province" dotnet src/Supervision.Api/bin/Release/net10.0/Supervision.Api.dll integrity-seal >>"$LOG/province.log" 2>&1 || true
    tail -8 "$LOG/province.log" >&2
  fi
  facts="$(bench_psql "$province" -c "select format('%s targets, %s cases, %s publications, %s events in %s streams (generator %s, seed %s; built in %s s)',
      to_char(targets, 'FM999,999,999'), to_char(cases, 'FM999,999,999'), to_char(publications, 'FM999,999,999'), to_char(events, 'FM999,999,999'),
      to_char(streams, 'FM999,999,999'), generator_version, seed, round(build_seconds::numeric)) from public.bnch_province_stamp")"
  size="$(bench_psql "$province" -c "select pg_size_pretty(pg_database_size(current_database()))")"
fi

rows="$LOG/rows"; : >"$rows"
# run <name> <label if it fails> <command…>: the script's output goes to $LOG/<name>.log, its ROW| lines to the table.
run() {
  local name="$1" label="$2"; shift 2
  wanted "$name" || return 0
  say "$name: $* (log: $LOG/$name.log)"
  local clock=$SECONDS
  "$@" >"$LOG/$name.log" 2>&1; local rc=$?
  if grep -q '^ROW|' "$LOG/$name.log"; then grep '^ROW|' "$LOG/$name.log" >>"$rows"
  else bench_row "$label" "no figure: the script $( ((rc)) && echo "failed (exit $rc)" || echo "printed no ROW line"), see $LOG/$name.log" "" "" >>"$rows"; fi
  say "$name: done in $((SECONDS - clock)) s"; grep '^ROW|' "$LOG/$name.log" | tail -3 >&2
}

run search18k "public search, 18,000 publications" bash ops/bench/public-search.sh 18000
run search-province "public search, province publications" env PROVINCE_CONNECTION="$province" bash ops/bench/public-search.sh
run command "command POST /api/targets, 16 connections" env CONNECTIONS=16 bash ops/bench/command.sh
run import "import of $(scaled 100000) targets" env SUPERVISION_BENCH_DB="${BENCH_DB_PREFIX}import_bench" bash ops/bench/import-targets.sh "$(scaled 100000)"
[[ "$FULL" == 1 ]] && run import "import of $(scaled 1000000) targets" env SUPERVISION_BENCH_DB="${BENCH_DB_PREFIX}import_bench" bash ops/bench/import-targets.sh "$(scaled 1000000)"
run rebuild "rebuild of all read models" env PROVINCE_CONNECTION="$province" bash ops/bench/rebuild.sh
run draw "draw 3 % of $(scaled 1000000)" env DRAW_BENCH_RUNS=3 DRAW_BENCH_INSPECTORS=50 bash ops/bench/draw.sh "$(scaled 1000000)"
[[ "$FULL" == 1 ]] && run draw "draw 3 % of $(scaled 10000000)" env DRAW_BENCH_RUNS=3 DRAW_BENCH_INSPECTORS=50 bash ops/bench/draw.sh "$(scaled 10000000)"
if [[ -f ops/bench/dashboard.sh ]]; then
  run dashboard "dashboards, province year" env PROVINCE_CONNECTION="$province" bash ops/bench/dashboard.sh
elif wanted dashboard; then
  bench_row "dashboards, province year" "no figure: ops/bench/dashboard.sh is not on this branch" "" "" >>"$rows"
fi
# The per-path scripts' throwaway databases that outlive them.
for db in command_bench import_bench; do bench_drop_database "$base" "${BENCH_DB_PREFIX}$db"; done
[[ "${DROP_PROVINCE:-0}" == 1 ]] && bench_drop_database "$base" "$PROVINCE_DB"

pg="$(bench_psql "$(bench_with_database "$base" postgres)" -c "show server_version")"
{
  echo "### Benchmarks, $started (\`SCALE=$SCALE FULL=$FULL bash ops/bench/all.sh\`)"
  echo
  echo "Machine: $(nproc) cores ($(lscpu 2>/dev/null | sed -nE 's/^Model name: *//p' | head -1)), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, PostgreSQL $pg," \
       "load average at the end $(cut -d' ' -f1-3 /proc/loadavg). Release builds; every figure the median of 3 runs interleaved with its raw limit."
  [[ -n "${facts:-}" ]] && echo "Province data set (\`$PROVINCE_DB\`, $size): $facts."
  echo
  echo "| path | measured | raw limit, same run | ratio |"
  echo "| --- | --- | --- | --- |"
  awk -F'|' '/^ROW\|/ {printf "| %s | %s | %s | %s |\n", $2, $3, $4, $5}' "$rows"
  echo
  echo "Logs: $LOG"
} | tee "$LOG/table.md"
