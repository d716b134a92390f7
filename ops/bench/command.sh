#!/usr/bin/env bash
# Measures the command path: POST /api/targets (register an enterprise) with 16 concurrent connections (wrk, each request a
# new valid credit code), beside the raw limit of the same database in the same run: pgbench with a one-row-insert
# transaction, 16 clients. Runs are interleaved (raw, command, raw, command …) and the median of RUNS is printed with the ratio.
# Changes nothing outside a throwaway database. Usage: bash ops/bench/command.sh
#   CONNECTIONS (16), SECONDS_PER_RUN (15), RUNS (3), WARMUP_SECONDS (10), SUPERVISION_CONNECTION_STRING / SUPERVISION_PG_PORT: which PostgreSQL,
#   BENCH_DB (supervision_command_bench) and BENCH_PORT (5093): so that two people can measure on one cluster at once
#   (BENCH_DB_PREFIX, used by ops/bench/all.sh, also names it). Ends with a ROW| line, see ops/bench/lib.sh.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"
CONNECTIONS="${CONNECTIONS:-16}"; SECONDS_PER_RUN="${SECONDS_PER_RUN:-15}"; RUNS="${RUNS:-3}"
command -v wrk >/dev/null || { echo "installing wrk" >&2; apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; }
command -v pgbench >/dev/null || { echo "pgbench (postgresql-contrib / postgresql-client) is needed" >&2; exit 1; }

base="$(bash ops/pg.sh start)"; base="${base##*$'\n'}"
host="$(sed -E 's/.*Host=([^;]+).*/\1/' <<<"$base")"; port="$(sed -E 's/.*Port=([^;]+).*/\1/' <<<"$base")"
db="${BENCH_DB:-${BENCH_DB_PREFIX:-supervision_}command_bench}"
psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "drop database if exists $db with (force)" >/dev/null
psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "create database $db" >/dev/null
conn="$(sed -E "s/Database=[^;]+/Database=$db/" <<<"$base")"
# A generous connect timeout: on a loaded shared machine the default (a few seconds) fails the service's start-up.
[[ "$conn" == *Timeout=* ]] || conn="$conn;Timeout=60"
work="$(mktemp -d)"; pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# API_DLL: measure another build (e.g. a copy of the one before a change) instead of building this checkout.
if [[ -z "${API_DLL:-}" ]]; then dotnet build src/Supervision.Api -c Release -v q -nologo >/dev/null; API_DLL="src/Supervision.Api/bin/Release/net10.0/Supervision.Api.dll"; fi
url="http://127.0.0.1:${BENCH_PORT:-5093}"
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

# Each request registers a new enterprise: credit code 911305 + 0 + run letter + thread letter + 8-digit counter + the
# GB 32100 check character, so no two requests of any run collide.
cat > "$work/targets.lua" <<LUA
local alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
local weights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
local function check(code17)
  local sum = 0
  for i = 1, 17 do sum = sum + (alphabet:find(code17:sub(i, i), 1, true) - 1) * weights[i] end
  local c = (31 - sum % 31) % 31
  return alphabet:sub(c + 1, c + 1)
end
local threads, counter = 0, 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function init(args) prefix = "9113050" .. args[1] .. alphabet:sub(id + 1, id + 1) end
function request()
  counter = counter + 1
  local code17 = prefix .. string.format("%08d", counter)
  local code = code17 .. check(code17)
  local body = '{"kind":"Enterprise","creditCode":"' .. code .. '","name":"基准测试企业' .. code .. '","industryCode":"C1311",'
    .. '"regionCode":"130502","address":"邢台市某路","registeredOn":"2020-01-01","scale":"Small","supervisingDepartmentIds":["$dept"]}'
  return wrk.format("POST", "/api/targets", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $keeper"}, body)
end
function done(summary, latency, requests)
  io.write(string.format("non-2xx/3xx: %d, errors: %d\n", summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
# The check digit the Lua computes must be the one the domain checks (weights 3^i mod 31): prove it on one request first.
curl -fsS -o /dev/null -X POST "$url/api/targets" -H "Authorization: Bearer $keeper" -H 'Content-Type: application/json' \
  -d "{\"kind\":\"Enterprise\",\"creditCode\":\"$(python3 -c '
A="0123456789ABCDEFGHJKLMNPQRTUWXY"; W=[pow(3,i,31) for i in range(17)]; p="91130500W00000001"
print(p + A[(31 - sum(A.index(c) * w for c, w in zip(p, W)) % 31) % 31])')\",\"name\":\"预热企业\",\"regionCode\":\"130502\",\"supervisingDepartmentIds\":[\"$dept\"]}"

psql -h "$host" -p "$port" -U postgres -d "$db" -qtAc "create table raw_insert (id bigint generated always as identity primary key, payload text not null)" >/dev/null
printf '%s\n' '\set n random(1, 1000000000)' "insert into raw_insert (payload) values ('row ' || :n);" > "$work/raw.sql"
raw() { pgbench -h "$host" -p "$port" -U postgres -n -c "$CONNECTIONS" -j 2 -T "$SECONDS_PER_RUN" -f "$work/raw.sql" "$db" 2>/dev/null \
  | sed -nE 's/^tps = ([0-9.]+).*/\1/p' | head -1; }
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }   # the service's CPU time so far, in clock ticks
# The CPU time of the database's server processes for this database (the service's pooled connections), per process: "pid ticks".
# Readable when PostgreSQL runs on this machine and /proc shows its processes (as root); otherwise the column says n/a.
pgcpu() {
  local p
  for p in $(psql -h "$host" -p "$port" -U postgres -d "$db" -qtAc "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"); do
    [[ -r "/proc/$p/stat" ]] && echo "$p $(awk '{print $14 + $15}' "/proc/$p/stat")"
  done
}
cmd() { # run letter
  local before; before="$(cpu)"; pgcpu > "$work/pg-before-$1.txt"
  wrk -t 2 -c "$CONNECTIONS" -d "${SECONDS_PER_RUN}s" --latency -s "$work/targets.lua" "$url" -- "$1" > "$work/wrk-$1.txt"
  pgcpu > "$work/pg-after-$1.txt"
  grep -q "non-2xx/3xx: 0, errors: 0" "$work/wrk-$1.txt" || { echo "run $1 had failed requests:" >&2; cat "$work/wrk-$1.txt" >&2; tail -20 "$work/server.log" >&2; }
  local requests; requests="$(sed -nE 's/^ *([0-9]+) requests in.*/\1/p' "$work/wrk-$1.txt")"
  echo "$(( ($(cpu) - before) * 1000 / $(getconf CLK_TCK) )) $requests" > "$work/cpu-$1.txt"
  # Processes present at the end: their ticks since the start (a process opened during the run: all of its ticks).
  awk -v hz="$(getconf CLK_TCK)" 'NR == FNR { before[$1] = $2; next } { total += $2 - ($1 in before ? before[$1] : 0); seen = 1 }
    END { print (seen ? total * 1000 / hz : "n/a") }' "$work/pg-before-$1.txt" "$work/pg-after-$1.txt" > "$work/pgcpu-$1.txt"
  sed -nE 's/^Requests\/sec: *([0-9.]+).*/\1/p' "$work/wrk-$1.txt"
}

# Warm up the service (JIT, pools, prepared statements) and the table.
wrk -t 2 -c "$CONNECTIONS" -d "${WARMUP_SECONDS:-10}s" -s "$work/targets.lua" "$url" -- W >/dev/null
# Besides throughput, the service's own CPU per command, and that of its PostgreSQL server processes: on a shared machine they
# are steadier than any rate.
printf '%-4s %12s %12s %8s %10s %14s %14s\n' run "command/s" "raw tx/s" ratio "p50" "API CPU ms/cmd" "PG CPU ms/cmd"
results=()
for i in $(seq 1 "$RUNS"); do
  r="$(raw)"; letter="$(cut -c"$i" <<<"ABCDEFGHJK")"; c="$(cmd "$letter")"
  p50="$(awk '$1=="50%" {print $2}' "$work/wrk-$letter.txt")"
  ratio="$(python3 -c "print(f'{100*$c/$r:.1f} %')")"
  read -r ms requests < "$work/cpu-$letter.txt"
  per="$(python3 -c "print(f'{$ms/$requests:.2f}')")"
  pgms="$(cat "$work/pgcpu-$letter.txt")"; pgper="$( [[ "$pgms" == n/a ]] && echo nan || python3 -c "print(f'{$pgms/$requests:.2f}')")"
  printf '%-4s %12.0f %12.0f %8s %10s %14s %14s\n' "$i" "$c" "$r" "$ratio" "$p50" "$per" "$pgper"
  results+=("$c $r $per $pgper")
done
printf '%s\n' "${results[@]}" | python3 -c '
import sys, statistics
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
c = statistics.median(r[0] for r in rows); r = statistics.median(r[1] for r in rows)
ratios = statistics.median(100 * x / y for x, y, *_ in rows)
cpu = statistics.median(r[2] for r in rows)
pg = statistics.median(r[3] for r in rows)
print(f"median: command {c:.0f}/s, raw one-row-insert tx {r:.0f}/s, ratio {ratios:.1f} % (median of the per-run ratios), API CPU {cpu:.2f} ms per command, PostgreSQL CPU {pg:.2f} ms per command")
print(f"ROW|command POST /api/targets, {sys.argv[1]} connections|{c:.0f} commands/s, API CPU {cpu:.2f} ms per command|one-row insert tx {r:.0f}/s|{ratios:.1f} %")' "$CONNECTIONS"
echo "targets registered: $(psql -h "$host" -p "$port" -U postgres -d "$db" -qtAc "select count(*) from supervision.mt_doc_target")"
[[ -n "${KEEP_BENCH_DB:-}" ]] || psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "drop database if exists $db with (force)" >/dev/null
