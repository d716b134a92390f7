#!/usr/bin/env bash
# Public search benchmark (issue 14): GET /api/public/results?creditCode= over N publications (default 18,000) beside the raw
# index lookup of the same database, measured in the same run; median of 3 of each, and the ratio.
# Changes nothing outside a throwaway database. Usage: bash ops/bench/public-search.sh [publications] [seconds per run]
# Needs wrk and pgbench (apt-get install -y wrk postgresql-contrib; pgbench ships with postgresql-15).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"
N="${1:-18000}"; SECONDS_PER_RUN="${2:-10}"; CONNECTIONS="${CONNECTIONS:-16}"
command -v wrk >/dev/null || { echo "public-search.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
command -v pgbench >/dev/null || PATH="$PATH:$(dirname "$(dpkg -L postgresql-15 2>/dev/null | grep '/bin/pgbench$' | head -1)")"
if [[ -n "${SUPERVISION_CONNECTION_STRING:-}" ]]; then base="$SUPERVISION_CONNECTION_STRING"; else base="$(bash ops/pg.sh start)"; base="${base##*$'\n'}"; fi
host="$(sed -E 's/.*Host=([^;]+).*/\1/' <<<"$base")"; port="$(sed -E 's/.*Port=([^;]+).*/\1/' <<<"$base")"
db="supervision_search_bench"
psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "drop database if exists $db with (force)" >/dev/null
psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "create database $db" >/dev/null
conn="$(sed -E "s/Database=[^;]+/Database=$db/" <<<"$base")"
work="$(mktemp -d)"; pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "drop database if exists $db with (force)" >/dev/null 2>&1 || true' EXIT

dotnet build src/Supervision.Api -c Release -v q -nologo >/dev/null
ConnectionStrings__Supervision="$conn" dotnet run --project ops/bench/SearchBench -c Release -- "$N"

# The service as deployed: Release, production mode (pre-generated code, no schema changes), no rate limit for the one load client.
url="http://127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Supervision="$conn" Auth__SigningKey="$(head -c 64 /dev/urandom | base64 -w0)" \
  Supervision__DrawSealKey="$(head -c 32 /dev/urandom | base64 -w0)" Supervision__PublicRequestsPerMinute=1000000000 \
  dotnet src/Supervision.Api/bin/Release/net10.0/Supervision.Api.dll --urls "$url" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; curl -fs -o /dev/null "$url/health/ready" && break; sleep 0.2; done
curl -fs -o /dev/null "$url/health/ready" || { echo "the service did not start:" >&2; tail -30 "$work/server.log" >&2; exit 1; }
hits="$(curl -fsS "$url/api/public/results?creditCode=91130500ma$(printf '%08d' 3)" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
[[ "$hits" == 1 ]] || { echo "public-search.sh: the search found $hits publications for one credit code, expected 1" >&2; exit 1; }

# Every request asks for a random publication's credit code (one in twenty is withheld: found nothing, as the public sees it).
cat >"$work/search.lua" <<LUA
math.randomseed(os.time())
request = function() return wrk.format("GET", string.format("/api/public/results?creditCode=91130500MA%08d", math.random(0, $N - 1))) end
LUA
# The raw limit: the same index lookup (same table, same expression, same row) straight from PostgreSQL, prepared.
cat >"$work/lookup.sql" <<SQL
\set n random(0, $N - 1)
select data from supervision.mt_doc_resultpublication where upper(data -> 'Current' ->> 'CreditCode') = '91130500MA' || lpad(:n::text, 8, '0');
SQL
wrk -t2 -c"$CONNECTIONS" -d3s -s "$work/search.lua" "$url" >/dev/null # warm-up (JIT, pools)

median() { sort -g | sed -n 2p; }
for run in 1 2 3; do
  pgbench -h "$host" -p "$port" -U postgres -n -M prepared -c "$CONNECTIONS" -j 2 -T "$SECONDS_PER_RUN" -f "$work/lookup.sql" "$db" 2>/dev/null \
    | awk '/^tps/ {print int($3)}' >>"$work/raw"
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s "$work/search.lua" "$url" >"$work/wrk$run"
  awk '/Requests\/sec/ {print int($2)}' "$work/wrk$run" >>"$work/rps"
  ms() { awk -v p="$1" '$1 == p {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' "$work/wrk$run"; }
  ms "50%" >>"$work/p50"; ms "99%" >>"$work/p99"
  errors="$(grep -E 'Non-2xx|Socket errors' "$work/wrk$run" || true)"; [[ -z "$errors" ]] || echo "run $run: $errors"
  echo "run $run: raw lookup $(tail -1 "$work/raw") tx/s, search $(tail -1 "$work/rps") req/s, p50 $(tail -1 "$work/p50") ms, p99 $(tail -1 "$work/p99") ms"
done
raw="$(median <"$work/raw")"; rps="$(median <"$work/rps")"
echo "public search, $N publications, $CONNECTIONS connections, median of 3 runs of ${SECONDS_PER_RUN} s ($(date -u +%F)):"
printf '  raw index lookup (pgbench, prepared)  %8d tx/s\n' "$raw"
printf '  GET /api/public/results?creditCode=   %8d req/s  p50 %s ms  p99 %s ms\n' "$rps" "$(median <"$work/p50")" "$(median <"$work/p99")"
printf '  ratio                                 %8.1f %%  (goal >= 10 %%, p99 <= 20 ms)\n' "$(python3 -c "print(100 * $rps / $raw)")"
