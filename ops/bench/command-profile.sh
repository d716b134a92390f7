#!/usr/bin/env bash
# Where the service's CPU goes on the command path: the same load as ops/bench/command.sh (POST /api/targets, 16 connections,
# each request a new enterprise), sampled with Linux perf while it runs (the runtime writes /tmp/perf-<pid>.map so JIT-compiled
# .NET methods have names; ReadyToRun and tiering are off so all code is JIT-compiled once, fully optimised, and named;
# W^X is off so perf finds the map). Prints the hottest methods (self time) and the share of samples per area (ASP.NET Core, JSON,
# Npgsql, Marten, Wolverine, OpenTelemetry, JWT, GC …). Changes nothing outside a throwaway database.
# Usage: bash ops/bench/command-profile.sh
#   CONNECTIONS (16), SECONDS_PER_RUN (20: the sampled run), WARMUP_SECONDS (10), BENCH_DB (supervision_command_profile),
#   BENCH_PORT (5095), API_DLL (default: this checkout's Release build), PERF_OUT (keep perf.data there), extra server
#   settings as environment variables (e.g. Supervision__Telemetry=off to compare).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"
CONNECTIONS="${CONNECTIONS:-16}"; SECONDS_PER_RUN="${SECONDS_PER_RUN:-15}"; RUNS="${RUNS:-3}"
command -v wrk >/dev/null || { echo "installing wrk" >&2; apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; }
command -v perf >/dev/null || { echo "installing perf" >&2; apt-get install -y linux-perf >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y linux-perf >/dev/null; }; }

base="$(bash ops/pg.sh start)"; base="${base##*$'\n'}"
host="$(sed -E 's/.*Host=([^;]+).*/\1/' <<<"$base")"; port="$(sed -E 's/.*Port=([^;]+).*/\1/' <<<"$base")"
db="${BENCH_DB:-${BENCH_DB_PREFIX:-supervision_}command_profile}"
psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "drop database if exists $db with (force)" >/dev/null
psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "create database $db" >/dev/null
conn="$(sed -E "s/Database=[^;]+/Database=$db/" <<<"$base")"
# A generous connect timeout: on a loaded shared machine the default (a few seconds) fails the service's start-up.
[[ "$conn" == *Timeout=* ]] || conn="$conn;Timeout=60"
work="$(mktemp -d)"; pid=""
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work" "/tmp/perf-$pid.map"; psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "drop database if exists $db with (force)" >/dev/null' EXIT

# API_DLL: measure another build (e.g. a copy of the one before a change) instead of building this checkout.
if [[ -z "${API_DLL:-}" ]]; then dotnet build src/Supervision.Api -c Release -v q -nologo >/dev/null; API_DLL="src/Supervision.Api/bin/Release/net10.0/Supervision.Api.dll"; fi
url="http://127.0.0.1:${BENCH_PORT:-5095}"
export Auth__SigningKey="$(head -c 64 /dev/urandom | base64 -w0)"
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0 DOTNET_TieredCompilation=0 ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__Supervision="$conn" Logging__LogLevel__Default=Warning \
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


wrk -t 2 -c "$CONNECTIONS" -d "${WARMUP_SECONDS:-10}s" -s "$work/targets.lua" "$url" -- W >/dev/null
before="$(awk '{print $14 + $15}' "/proc/$pid/stat")"
perf record -F 997 -g -p "$pid" -o "$work/perf.data" -- sleep "${SECONDS_PER_RUN:-20}" >/dev/null 2>&1 &
perfpid=$!
wrk -t 2 -c "$CONNECTIONS" -d "${SECONDS_PER_RUN:-20}s" --latency -s "$work/targets.lua" "$url" -- A > "$work/wrk.txt"
wait "$perfpid" || true
requests="$(sed -nE 's/^ *([0-9]+) requests in.*/\1/p' "$work/wrk.txt")"
ms=$(( ($(awk '{print $14 + $15}' "/proc/$pid/stat") - before) * 1000 / $(getconf CLK_TCK) ))
echo "sampled run: $(sed -nE 's/^Requests\/sec: *([0-9.]+).*/\1/p' "$work/wrk.txt") commands/s, API CPU $(python3 -c "print(f'{$ms/$requests:.2f}')") ms per command, $(grep -E 'non-2xx' "$work/wrk.txt")"
perf report -i "$work/perf.data" --no-children --sort symbol -g none --stdio 2>/dev/null | grep -E '^ +[0-9]' > "$work/self.txt" || true
echo "hottest methods (self time, % of the service's samples):"; head -40 "$work/self.txt"
python3 - "$work/self.txt" <<'PY'
import re, sys, collections
areas = [("OpenTelemetry / Activity / metrics", r"OpenTelemetry|System\.Diagnostics\.(Activity|Metrics)|DiagnosticListener|ActivityListener|Instrument"),
         ("JSON (System.Text.Json)", r"System\.Text\.Json"), ("Npgsql", r"Npgsql"), ("Marten / Weasel / JasperFx", r"Marten|Weasel|JasperFx"),
         ("Wolverine", r"Wolverine"), ("JWT / identity / claims", r"IdentityModel|Jwt|Claims|Cryptography|HMAC|Sha"),
         ("Kestrel / ASP.NET Core", r"AspNetCore|Kestrel"), ("Logging", r"Logging|Logger"), ("Regex", r"RegularExpressions|Regex"),
         ("GC / allocation", r"gc_heap|GC|Alloc|memset|memmove|JIT_New|WKS::|SVR::"), ("kernel", r"\[k\]"),
         ("Supervision (our code)", r"Supervision\.")]
share = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r"\s*([0-9.]+)%\s+(.*)", line)
    if not m: continue
    pct, sym = float(m.group(1)), m.group(2)
    for name, pattern in areas:
        if re.search(pattern, sym): share[name] += pct; break
    else: share["other (runtime, libc, unresolved)"] += pct
print("share of samples by area:")
for name, pct in share.most_common(): print(f"  {pct:6.1f} %  {name}")
PY
# Inclusive time: the share of samples whose stack holds a method (what it and everything it calls cost).
perf script -i "$work/perf.data" 2>/dev/null > "$work/stacks.txt" || true
echo "inclusive (method and what it calls), % of the service's samples:"
python3 - "$work/stacks.txt" <<'PY'
import re, sys, collections
samples, inclusive, current = 0, collections.Counter(), set()
def short(sym):
    sym = re.sub(r"\[[^\]]*\]", "", sym); sym = re.sub(r"\(.*", "", sym)
    return sym.split()[-1] if sym.split() else sym
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if not line.strip():
        if current: samples += 1; inclusive.update(current); current = set()
        continue
    m = re.match(r"\s+[0-9a-f]+ (.+) \((.+)\)$", line)
    if m and "[unknown]" not in m.group(1): current.add(short(m.group(1)))
if current: samples += 1; inclusive.update(current)
keep = re.compile(r"Supervision|Marten|Wolverine|Npgsql|JasperFx|Weasel|OpenTelemetry|Activity|Jwt|Authentication|Authorization|Json|Kestrel|Http|Polly|Logging|Hosting|Routing")
for sym, n in inclusive.most_common(400):
    if keep.search(sym) and 100 * n / max(samples, 1) >= 1.0: print(f"  {100 * n / samples:5.1f} %  {sym[:160]}")
PY
[[ -z "${PERF_OUT:-}" ]] || cp "$work/perf.data" "$PERF_OUT"
