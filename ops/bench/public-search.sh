#!/usr/bin/env bash
# Public search benchmark (issue 14): GET /api/public/results?creditCode= over N publications (default 18,000) beside the raw
# index lookup of the same database, measured in the same run; median of 3 of each, and the ratio.
# Changes nothing outside a throwaway database. Usage: bash ops/bench/public-search.sh [publications] [seconds per run]
# API_DLL=path/to/Supervision.Api.dll measures that build instead of this checkout's (before/after comparisons on one data set).
# With PROVINCE_CONNECTION (a database of ops/bench/Province) it searches that database's publications instead of generating N
# (the credit codes asked for are those published there; N is ignored). Ends with a ROW| line (ops/bench/lib.sh).
# Needs wrk and pgbench (apt-get install -y wrk postgresql-contrib; pgbench ships with postgresql-15).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"
source ops/bench/lib.sh
N="${1:-18000}"; SECONDS_PER_RUN="${2:-10}"; CONNECTIONS="${CONNECTIONS:-16}"
bench_tools
command -v wrk >/dev/null || { echo "public-search.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
base="$(bench_base_connection)"
host="$(bench_field "$base" Host)"; port="$(bench_field "$base" Port)"
work="$(mktemp -d)"; pid=""
if [[ -n "${PROVINCE_CONNECTION:-}" ]]; then
  conn="$PROVINCE_CONNECTION"; db="$(bench_field "$conn" Database)"
  trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
else
  db="${BENCH_DB_PREFIX:-supervision_}search_bench"
  conn="$(bench_fresh_database "$base" "$db")"
  trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; bench_drop_database "$base" "$db"' EXIT
fi

# API_DLL: measure another build (e.g. a copy of the one before a change) instead of building this checkout.
if [[ -z "${API_DLL:-}" ]]; then dotnet build src/Supervision.Api -c Release -v q -nologo >/dev/null; API_DLL="src/Supervision.Api/bin/Release/net10.0/Supervision.Api.dll"; fi
if [[ -z "${PROVINCE_CONNECTION:-}" ]]; then
  ConnectionStrings__Supervision="$conn" dotnet run --project ops/bench/SearchBench -c Release -- "$N"
  for n in $(seq 0 $((N - 1))); do printf '91130500MA%08d\n' "$n"; done >"$work/codes.txt"
else
  # The credit codes published in the province, numbered so that wrk and pgbench both pick one at random.
  bench_psql "$conn" -c "drop table if exists public.bnch_search_codes" \
    -c "create table public.bnch_search_codes as select row_number() over (order by id)::int as n, upper(data -> 'Current' ->> 'CreditCode') as code
        from supervision.mt_doc_resultpublication where data -> 'Current' ->> 'CreditCode' is not null" \
    -c "alter table public.bnch_search_codes add primary key (n)" -c "analyze public.bnch_search_codes"
  bench_psql "$conn" -c "select code from public.bnch_search_codes order by n" >"$work/codes.txt"
  N="$(bench_psql "$conn" -c "select count(*) from supervision.mt_doc_resultpublication")"
fi

# The service as deployed: Release, production mode (pre-generated code, no schema changes), no rate limit for the one load client.
url="http://127.0.0.1:${BENCH_PORT:-$(bench_free_port)}"
ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Supervision="$conn" Auth__SigningKey="$(head -c 64 /dev/urandom | base64 -w0)" \
  Supervision__DrawSealKey="$(head -c 32 /dev/urandom | base64 -w0)" Supervision__PublicRequestsPerMinute=1000000000 Supervision__SealIntervalMinutes=0 Supervision__ReportReminderIntervalMinutes=0 \
  dotnet "$API_DLL" --urls "$url" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; curl -fs -o /dev/null "$url/health/ready" && break; sleep 0.2; done
curl -fs -o /dev/null "$url/health/ready" || { echo "the service did not start:" >&2; tail -30 "$work/server.log" >&2; exit 1; }
hits="$(curl -fsS "$url/api/public/results?creditCode=$(sed -n 4p "$work/codes.txt" | tr 'A-Z' 'a-z')" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
[[ "$hits" == 1 ]] || { echo "public-search.sh: the search found $hits publications for one credit code, expected 1" >&2; exit 1; }

# Every request asks for a random publication's credit code (one in twenty is withheld: found nothing, as the public sees it).
cat >"$work/search.lua" <<LUA
math.randomseed(os.time())
local codes = {}
for line in io.lines("$work/codes.txt") do codes[#codes + 1] = line end
request = function() return wrk.format("GET", "/api/public/results?creditCode=" .. codes[math.random(#codes)]) end
LUA
# The raw limit: the same index lookup (same table, same expression, same row) straight from PostgreSQL, prepared. Over the
# province the code is first read from its numbered list (a primary-key lookup more than the service does).
if [[ -z "${PROVINCE_CONNECTION:-}" ]]; then
  cat >"$work/lookup.sql" <<SQL
\\set n random(0, $N - 1)
select data from supervision.mt_doc_resultpublication where upper(data -> 'Current' ->> 'CreditCode') = '91130500MA' || lpad(:n::text, 8, '0');
SQL
else
  cat >"$work/lookup.sql" <<SQL
\\set n random(1, $(wc -l <"$work/codes.txt"))
select data from supervision.mt_doc_resultpublication where upper(data -> 'Current' ->> 'CreditCode') = (select code from public.bnch_search_codes where n = :n);
SQL
fi
wrk -t2 -c"$CONNECTIONS" -d3s -s "$work/search.lua" "$url" >/dev/null # warm-up (JIT, pools)

median() { sort -g | sed -n 2p; }
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }   # the service's CPU time so far, in clock ticks
for run in 1 2 3; do
  pgbench -h "$host" -p "$port" -U postgres -n -M prepared -c "$CONNECTIONS" -j 2 -T "$SECONDS_PER_RUN" -f "$work/lookup.sql" "$db" 2>/dev/null \
    | awk '/^tps/ {print int($3)}' >>"$work/raw"
  before="$(cpu)"
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s "$work/search.lua" "$url" >"$work/wrk$run"
  # Besides the rate, the service's own CPU per request: on a shared machine it is steadier than any rate.
  requests="$(sed -nE 's/^ *([0-9]+) requests in.*/\1/p' "$work/wrk$run")"
  python3 -c "print(f'{($(cpu) - $before) * 1000 / $(getconf CLK_TCK) / $requests:.3f}')" >>"$work/cpums"
  awk '/Requests\/sec/ {print int($2)}' "$work/wrk$run" >>"$work/rps"
  ms() { awk -v p="$1" '$1 == p {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' "$work/wrk$run"; }
  ms "50%" >>"$work/p50"; ms "99%" >>"$work/p99"
  errors="$(grep -E 'Non-2xx|Socket errors' "$work/wrk$run" || true)"; [[ -z "$errors" ]] || echo "run $run: $errors"
  echo "run $run: raw lookup $(tail -1 "$work/raw") tx/s, search $(tail -1 "$work/rps") req/s, p50 $(tail -1 "$work/p50") ms, p99 $(tail -1 "$work/p99") ms, API CPU $(tail -1 "$work/cpums") ms/request"
done
raw="$(median <"$work/raw")"; rps="$(median <"$work/rps")"
echo "public search, $N publications, $CONNECTIONS connections, median of 3 runs of ${SECONDS_PER_RUN} s ($(date -u +%F)):"
printf '  raw index lookup (pgbench, prepared)  %8d tx/s\n' "$raw"
printf '  GET /api/public/results?creditCode=   %8d req/s  p50 %s ms  p99 %s ms\n' "$rps" "$(median <"$work/p50")" "$(median <"$work/p99")"
printf '  API CPU per request                   %8s ms\n' "$(median <"$work/cpums")"
printf '  ratio                                 %8.1f %%  (goal >= 10 %%, p99 <= 20 ms)\n' "$(python3 -c "print(100 * $rps / $raw)")"
bench_row "public search GET /api/public/results?creditCode= ($(bench_thousands "$N") publications, $CONNECTIONS connections)" \
  "$rps req/s, p50 $(median <"$work/p50") ms, p99 $(median <"$work/p99") ms, API CPU $(median <"$work/cpums") ms/request" "index lookup $raw tx/s" "$(python3 -c "print(f'{100 * $rps / $raw:.1f} %')")"
