#!/usr/bin/env bash
# A bad import against a running service, measured: bash ops/bench/bad-import.sh [rows=500000]
# Starts the Release build on 127.0.0.1:5091 (its own schema), posts a CSV of <rows> rows that all break a rule, and reports
# the server's resident memory before, at its peak during, and after the request, the answer's size and time. The raw
# limit in the same run: the time to copy the same file to /dev/null through curl.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"
rows="${1:-500000}"
conn="$(bash ops/pg.sh start)"; conn="${conn##*$'\n'}"
dotnet build src/Supervision.Api -c Release -v q >/dev/null
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
schema="bench_import_$$"
ConnectionStrings__Supervision="$conn" Supervision__Schema="$schema" ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS=http://127.0.0.1:5091 \
  Supervision__SealIntervalMinutes=0 Supervision__ReportReminderIntervalMinutes=0 \
  dotnet src/Supervision.Api/bin/Release/net10.0/Supervision.Api.dll > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5091/health/ready >/dev/null && break; sleep 1; done
token() { dotnet src/Supervision.Api/bin/Release/net10.0/Supervision.Api.dll token "$@" 2>/dev/null | tail -1; }
admin="$(token bench-admin system-admin)"
curl -sf -X POST http://127.0.0.1:5091/api/regions -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' -d '{"code":"460000","name":"海南省"}' >/dev/null || true
dept="$(curl -sf -X POST http://127.0.0.1:5091/api/departments -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"code":"BENCH-IMP","name":"基准局","kind":"MarketRegulation","regionCode":"460000"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["value"]["id"])')"
keeper="$(token bench-keeper directory-keeper "$dept")"
python3 - "$rows" "$work/bad.csv" <<'PY'
import sys
rows, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", encoding="utf-8") as f:
    f.write("credit_code,name,kind,region_code,status\n")
    for n in range(rows):
        f.write(f"91460000MA{n:08d},,Enterprise,460000,Operating\n")   # a wrong check character and no name: every row breaks rules
PY
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status"; }
curl -sf http://127.0.0.1:5091/health/ready >/dev/null
before=$(rss); peak=$before
start=$(date +%s.%N)
curl -s -o "$work/answer.json" -w '%{http_code}' -X POST http://127.0.0.1:5091/api/targets/import -H "Authorization: Bearer $keeper" \
  -H 'Content-Type: text/csv' --data-binary @"$work/bad.csv" > "$work/status" &
cpid=$!
while kill -0 "$cpid" 2>/dev/null; do r=$(rss); (( r > peak )) && peak=$r; sleep 0.2; done
end=$(date +%s.%N)
after=$(rss)
raw_start=$(date +%s.%N); curl -s -o /dev/null file://"$work/bad.csv"; raw_end=$(date +%s.%N)
printf 'bad import of %d rows (%s MiB): status %s, answer %s bytes, %.1f s (raw copy of the file %.2f s)\n' "$rows" \
  "$(( $(stat -c %s "$work/bad.csv") / 1048576 ))" "$(cat "$work/status")" "$(stat -c %s "$work/answer.json")" "$(echo "$end - $start" | bc)" "$(echo "$raw_end - $raw_start" | bc)"
printf 'server RSS: before %d MiB, peak %d MiB (+%d), after %d MiB (+%d)\n' "$before" "$peak" $((peak - before)) "$after" $((after - before))
psql "host=127.0.0.1 port=${SUPERVISION_PG_PORT:-55432} user=postgres dbname=supervision" -qc "drop schema if exists $schema cascade" >/dev/null 2>&1 || true
