#!/usr/bin/env bash
# Measures the bulk import of N targets (default 100,000) through HTTP beside the raw limit of the same database in the same
# run (psql COPY of the same rows into a plain table), median of 3 (three files of N distinct targets each, imported one after
# the other into the same directory), with the server's memory growth; then filters over them (live and as-of).
# Prints figures, then machine-readable lines: ROW|import <n> targets|<median s>|<median COPY s>|<ratio> and
# ROW|import <n> targets: server memory growth (MiB)|<peak growth>|| . Changes nothing outside a throwaway database
# (SUPERVISION_BENCH_DB, default supervision_import_bench; on SUPERVISION_CONNECTION_STRING's cluster when set).
# Usage: bash ops/bench/import-targets.sh [rows]   or   ROWS=1000000 bash ops/bench/import-targets.sh
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"
ROWS="${ROWS:-${1:-100000}}"
if [[ -n "${SUPERVISION_CONNECTION_STRING:-}" ]]; then base="$SUPERVISION_CONNECTION_STRING"; else base="$(bash ops/pg.sh start)"; base="${base##*$'\n'}"; fi
host="$(sed -E 's/.*Host=([^;]+).*/\1/' <<<"$base")"; port="$(sed -E 's/.*Port=([^;]+).*/\1/' <<<"$base")"
db="${SUPERVISION_BENCH_DB:-supervision_import_bench}"
psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "drop database if exists $db with (force)" >/dev/null
psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "create database $db" >/dev/null
conn="${base/Database=supervision/Database=$db}"
work="$(mktemp -d)"; pid=""
trap '[[ -n "$pid" ]] && kill $pid 2>/dev/null; rm -rf "$work"; psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "drop database if exists $db with (force)" >/dev/null 2>&1 || true' EXIT

for run in 1 2 3; do
python3 - "$ROWS" "$work/targets$run.csv" "$run" <<'PY'
import sys
A = "0123456789ABCDEFGHJKLMNPQRTUWXY"; W = [pow(3, i, 31) for i in range(17)]
def code(n):
    p = f"91130500MA{n:07d}"
    return p + A[(31 - sum(A.index(c) * w for c, w in zip(p, W)) % 31) % 31]
rows, path, run = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
counties = ["130502", "130503", "130521", "130522", "130523"]
industries = ["C1311", "C1391", "F5211", "F5223", "H6210", "I6510"]
with open(path, "w", encoding="utf-8") as f:
    f.write("credit_code,name,kind,industry_code,region_code,address,registered_on,scale,status,credit_class,credit_class_set_on,supervising_departments,tags\n")
    for n in range((run - 1) * rows, run * rows):
        f.write(f"{code(n)},邢台基准测试企业{n}有限公司,Enterprise,{industries[n % 6]},{counties[n % 5]},邢台市某区某路{n}号,"
                f"20{10 + n % 15:02d}-{1 + n % 12:02d}-{1 + n % 28:02d},Small,Operating,{'ABCD'[n % 4]},2026-10-01,XT-SCJG,\n")
PY
done
cp "$work/targets1.csv" "$work/targets.csv"
echo "file: $ROWS rows, $(du -h "$work/targets.csv" | cut -f1)"

dotnet build src/Supervision.Api -c Release -v q -nologo >/dev/null
# A free port: on a shared machine another run may hold a fixed one (and answer our readiness probe).
url="http://127.0.0.1:${BENCH_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
export Auth__SigningKey="$(head -c 64 /dev/urandom | base64 -w0)"
ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__Supervision="$conn" \
  dotnet src/Supervision.Api/bin/Release/net10.0/Supervision.Api.dll --urls "$url" >"$work/server.log" 2>&1 &
pid=$!
until curl -fs -o /dev/null "$url/health/ready"; do
  kill -0 "$pid" 2>/dev/null || { echo "the server did not start:" >&2; tail -20 "$work/server.log" >&2; exit 1; }
  sleep 0.2
done
token() { dotnet src/Supervision.Api/bin/Release/net10.0/Supervision.Api.dll token "$@"; }
admin="$(token bench-admin system-admin)"
post() { curl -fsS -X POST "$url$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3" >/dev/null; }
post /api/regions "$admin" '{"code":"130000","name":"河北省"}'
post /api/regions "$admin" '{"code":"130500","name":"邢台市"}'
post /api/departments "$admin" '{"code":"XT-SCJG","name":"邢台市市场监督管理局","kind":"MarketRegulation","regionCode":"130500"}'
dept="$(curl -fsS "$url/api/departments" -H "Authorization: Bearer $admin" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"
keeper="$(token bench-keeper directory-keeper "$dept")"
rss() { awk '/VmRSS|VmHWM/ {printf "%s %d MiB  ", $1, $2/1024}' /proc/$pid/status; echo; }
echo "server before import: $(rss)"

kib() { awk "/$1/ {print \$2}" /proc/$pid/status; }
rss_before=$(kib VmRSS)
psql_db() { psql -h "$host" -p "$port" -U postgres -d "$db" -qtA "$@"; }
psql_db -c "create table raw_targets (credit_code text, name text, kind text, industry_code text, region_code text, address text, registered_on text, scale text, status text, credit_class text, credit_class_set_on text, supervising_departments text, tags text)"
ms() { echo $(( ($2 - $1) / 1000000 )); }
imports=(); raws=()
for run in 1 2 3; do
  start=$(date +%s%N)
  psql_db -c "\\copy raw_targets from '$work/targets$run.csv' with (format csv, header true)"
  end=$(date +%s%N); raws+=("$(ms $start $end)")
  start=$(date +%s%N)
  curl -fsS -X POST "$url/api/targets/import" -H "Authorization: Bearer $keeper" -H 'Content-Type: text/csv' \
    --data-binary @"$work/targets$run.csv" -o "$work/result.json" --max-time 1800
  end=$(date +%s%N); imports+=("$(ms $start $end)")
  echo "run $run: import ${imports[-1]} ms, raw COPY ${raws[-1]} ms  $(cat "$work/result.json")"
done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
mi=$(median "${imports[@]}"); mr=$(median "${raws[@]}")
ratio="$(awk "BEGIN {printf \"%.1f\", $mi / ($mr > 0 ? $mr : 1)}")"
growth=$(( ($(kib VmHWM) - rss_before) / 1024 ))
echo "import of $ROWS targets: median ${mi} ms; raw COPY of the same rows: median ${mr} ms; ratio ${ratio}x"
echo "server memory: RSS before $((rss_before / 1024)) MiB, after $(( $(kib VmRSS) / 1024 )) MiB, peak growth ${growth} MiB"
echo "where the time went (server log, per import):"; grep -o 'Target import [0-9a-f]*: .*errors' "$work/server.log" | sed 's/^/  /' || true

rowlines="$(secs() { awk "BEGIN {printf \"%.2f\", $1 / 1000}"; }
  echo "ROW|import $ROWS targets|$(secs "$mi")|$(secs "$mr")|$ratio"; echo "ROW|import $ROWS targets: server memory growth (MiB)|$growth||")"
# The filters below fold every event for as-of and take long on a big store: SKIP_QUERIES=1 leaves them out.
if [[ "${SKIP_QUERIES:-}" == 1 ]]; then echo "$rowlines"; exit 0; fi

start=$(date +%s%N)
curl -fsS -X POST "$url/api/targets/import" -H "Authorization: Bearer $keeper" -H 'Content-Type: text/csv' --data-binary @"$work/targets.csv" -o /dev/null
end=$(date +%s%N)
echo "same file again (no-op): $(( (end - start) / 1000000 )) ms"

q() { # label path
  local s e; s=$(date +%s%N)
  total="$(curl -fsS "$url$2" -H "Authorization: Bearer $keeper" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"], d["asOfSequence"])')"
  e=$(date +%s%N); printf '%-46s %6d ms  total=%s\n' "$1" $(( (e - s) / 1000000 )) "${total% *}"; seq="${total#* }"
}
q "live: region 130521, class C, page 1"        "/api/targets?regionCode=130521&creditClass=C"
q "live: industry C13, registered 2015-2020"    "/api/targets?industryCode=C13&registeredFrom=2015-01-01&registeredTo=2020-12-31"
q "live: whole city, page 200 of 500"           "/api/targets?regionCode=130500&page=200&pageSize=500"
q "as-of now: region 130521, class C"           "/api/targets/as-of?regionCode=130521&creditClass=C"
q "as-of seq: industry C13, 2015-2020"          "/api/targets/as-of?sequence=$seq&industryCode=C13&registeredFrom=2015-01-01&registeredTo=2020-12-31"
echo "server at the end: $(rss)"
psql -h "$host" -p "$port" -U postgres -d "$db" -qtAc "select 'database size: ' || pg_size_pretty(pg_database_size('$db'))"
echo "$rowlines"
