#!/usr/bin/env bash
# Measures start-up to ready (/health/ready answers 200) of a Release build, from process start.
#   cold: a fresh database (development mode creates the schema; production applies the migration files first)
#   warm: the same database again, schema already in place
# Usage: bash ops/bench/startup.sh   (prints one line per run; uses a throwaway database on the local cluster)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"
base="$(bash ops/pg.sh start)"; base="${base##*$'\n'}"
host="$(sed -E 's/.*Host=([^;]+).*/\1/' <<<"$base")"; port="$(sed -E 's/.*Port=([^;]+).*/\1/' <<<"$base")"
dotnet build src/Supervision.Api -c Release -v q -nologo >/dev/null
dll="src/Supervision.Api/bin/Release/net10.0/Supervision.Api.dll"
url="http://127.0.0.1:5089"
export Auth__SigningKey="$(head -c 64 /dev/urandom | base64 -w0)"   # production refuses to start without a key or an authority
export Supervision__DrawSealKey="$(head -c 32 /dev/urandom | base64 -w0)"   # and without the draw seal key

run_once() { # env label
  local env="$1" label="$2" start end pid
  start=$(date +%s%N)
  ASPNETCORE_ENVIRONMENT="$env" ConnectionStrings__Supervision="$conn" dotnet "$dll" --urls "$url" >/tmp/startup-bench.log 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "$url/health/ready"; do
    kill -0 $pid 2>/dev/null || { echo "startup failed, see /tmp/startup-bench.log" >&2; exit 1; }
    sleep 0.05
  done
  end=$(date +%s%N)
  kill $pid; wait $pid 2>/dev/null || true
  printf '%-12s %-6s %6d ms\n' "$env" "$label" $(( (end - start) / 1000000 ))
}

for env in Development Production; do
  db="supervision_startup_bench"
  psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "drop database if exists $db with (force)" >/dev/null
  psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "create database $db" >/dev/null
  conn="${base/Database=supervision/Database=$db}"
  if [[ $env == Production ]]; then ConnectionStrings__Supervision="$conn" dotnet "$dll" schema-apply eventstore-migrations >/dev/null 2>&1; fi
  run_once "$env" cold
  run_once "$env" warm
  run_once "$env" warm
done
psql -h "$host" -p "$port" -U postgres -d postgres -qtAc "drop database if exists supervision_startup_bench with (force)" >/dev/null
