#!/usr/bin/env bash
# Counts what one POST /api/targets costs the database: statements, transactions and connection resets, read from
# PostgreSQL's own statement log (log_statement = all, set on a throwaway database only) over COMMANDS sequential commands.
# Usage: bash ops/bench/command-statements.sh
#   COMMANDS (20), BENCH_DB (supervision_statements_bench), BENCH_PORT (5094), PG_LOG (the cluster's log file; default: the one
#   ops/pg.sh writes), API_DLL (default: this checkout's Release build, built first), SUPERVISION_CONNECTION_STRING: which PostgreSQL.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"
COMMANDS="${COMMANDS:-20}"
base="$(bash ops/pg.sh start)"; base="${base##*$'\n'}"
host="$(sed -E 's/.*Host=([^;]+).*/\1/' <<<"$base")"; port="$(sed -E 's/.*Port=([^;]+).*/\1/' <<<"$base")"
db="${BENCH_DB:-supervision_statements_bench}"
log="${PG_LOG:-$(psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "show data_directory")/../pg.log}"
[[ -r "$log" ]] || { echo "cannot read the cluster's log at $log (set PG_LOG)" >&2; exit 1; }
q() { psql -h "$host" -p "$port" -U postgres -d "$1" -qtAc "$2"; }
q postgres "drop database if exists $db with (force)" >/dev/null
q postgres "create database $db" >/dev/null
q postgres "alter database $db set log_statement = 'all'" >/dev/null
conn="$(sed -E "s/Database=[^;]+/Database=$db/" <<<"$base")"
# A generous connect timeout: on a loaded shared machine the default (a few seconds) fails the service's start-up.
[[ "$conn" == *Timeout=* ]] || conn="$conn;Timeout=60"
work="$(mktemp -d)"; pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; q postgres "drop database if exists $db with (force)" >/dev/null' EXIT

if [[ -z "${API_DLL:-}" ]]; then dotnet build src/Supervision.Api -c Release -v q -nologo >/dev/null; API_DLL="src/Supervision.Api/bin/Release/net10.0/Supervision.Api.dll"; fi
url="http://127.0.0.1:${BENCH_PORT:-5094}"
export Auth__SigningKey="$(head -c 64 /dev/urandom | base64 -w0)"
ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__Supervision="$conn" Logging__LogLevel__Default=Warning \
  dotnet "$API_DLL" --urls "$url" >"$work/server.log" 2>&1 &
pid=$!
until curl -fs -o /dev/null "$url/health/ready"; do sleep 0.3; kill -0 "$pid" || { cat "$work/server.log"; exit 1; }; done
token() { dotnet "$API_DLL" token "$@"; }
admin="$(token bench-admin system-admin)"
post() { curl -fsS -X POST "$url$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3" >/dev/null; }
post /api/regions "$admin" '{"code":"130000","name":"河北省"}'
post /api/regions "$admin" '{"code":"130500","name":"邢台市"}'
post /api/departments "$admin" '{"code":"XT-SCJG","name":"邢台市市场监督管理局","kind":"MarketRegulation","regionCode":"130500"}'
dept="$(curl -fsS "$url/api/departments" -H "Authorization: Bearer $admin" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"
keeper="$(token bench-keeper directory-keeper "$dept")"
codes() { python3 -c '
import sys
A="0123456789ABCDEFGHJKLMNPQRTUWXY"; W=[pow(3,i,31) for i in range(17)]
for n in range(int(sys.argv[1]), int(sys.argv[2])):
    p = "911305009%08d" % n
    print(p + A[(31 - sum(A.index(c) * w for c, w in zip(p, W)) % 31) % 31])' "$1" "$2"; }
register() { post /api/targets "$keeper" "{\"kind\":\"Enterprise\",\"creditCode\":\"$1\",\"name\":\"计数企业$1\",\"industryCode\":\"C1311\",\"regionCode\":\"130502\",\"address\":\"邢台市某路\",\"registeredOn\":\"2020-01-01\",\"scale\":\"Small\",\"supervisingDepartmentIds\":[\"$dept\"]}"; }
# Warm up: every statement prepared (auto-prepare after two uses), every pooled connection open.
for code in $(codes 0 10); do register "$code"; done

stats() { q "$db" "select xact_commit + xact_rollback from pg_stat_database where datname = current_database()"; }
q "$db" "select pg_stat_force_next_flush()" >/dev/null 2>&1 || true
# The service also polls in the background (Wolverine's durability agent, node health) on the same pooled connections: those
# statements are listed too (wolverine_* tables, "select 1", resets); on a loaded machine they grow with the run's duration.
tx_before="$(stats)"; lines_before="$(wc -l < "$log")"; started=$(date +%s.%N)
for code in $(codes 1000 $((1000 + COMMANDS))); do register "$code"; done
elapsed="$(python3 -c "print($(date +%s.%N) - $started)")"
lines_end="$(wc -l < "$log")"
# The server's backends on this database (the pool keeps them open): only their lines count, not other databases' sessions.
pids="$(q "$db" "select string_agg(pid::text, '|') from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")"
sed -n "$((lines_before + 1)),${lines_end}p" "$log" | grep -E "\[($pids)\] LOG:  (statement|execute)" > "$work/commands.log" || true
python3 - "$work/commands.log" "$COMMANDS" "$elapsed" <<'PY'
import re, sys, collections
path, n, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
counter = collections.Counter()
for l in open(path, encoding="utf-8", errors="replace").read().splitlines():
    sql = re.sub(r".*LOG:  (statement|execute [^:]*): ", "", l).strip().lower()
    counter[" ".join(sql.split()[:6])[:90]] += 1
print(f"{n} sequential POST /api/targets in {seconds:.1f} s: {sum(counter.values()) / n:.1f} statements logged per command, background included")
for sql, count in counter.most_common():
    if count / n >= 0.2: print(f"  {count / n:5.2f}  {sql}")
PY
