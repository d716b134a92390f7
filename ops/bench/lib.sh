# Shared pieces of the benchmark scripts (source it: `source "$REPO/ops/bench/lib.sh"`). Nothing here runs by itself.
#
# The interface every per-path script keeps, so that ops/bench/all.sh can run it and collect its figures:
#   - it ends with one or more machine-readable lines   ROW|<path>|<value>|<raw limit, same run>|<ratio>
#     (bench_row prints one; the fields are for people: units inside them, no '|')
#   - PROVINCE_CONNECTION, when set, is the connection string of a province database built by ops/bench/Province
#     (search, dashboards, rebuild): the script measures that database instead of generating data of its own
#   - BENCH_DB_PREFIX (default supervision_) prefixes every throwaway database it creates, BENCH_PORT (default: the
#     script's own) is where it starts the service, so that two people benchmarking on one cluster do not collide
#   - it changes nothing outside its throwaway databases (and, with PROVINCE_CONNECTION, nothing but read models and
#     bench-owned tables public.bnch_* in that database)

# The PostgreSQL to use: SUPERVISION_CONNECTION_STRING, else the local cluster of ops/pg.sh (started if needed).
bench_base_connection() {
  if [[ -n "${SUPERVISION_CONNECTION_STRING:-}" ]]; then echo "$SUPERVISION_CONNECTION_STRING"
  else local c; c="$(bash "$REPO/ops/pg.sh" start)"; echo "${c##*$'\n'}"; fi
}

# bench_field <connection string> <Host|Port|Database|Username>
bench_field() { sed -nE "s/.*(^|;)$2=([^;]+).*/\\2/p" <<<"$1"; }

# bench_with_database <connection string> <database>: the same server, another database.
bench_with_database() {
  if grep -q 'Database=' <<<"$1"; then sed -E "s/Database=[^;]+/Database=$2/" <<<"$1"; else echo "$1;Database=$2"; fi
}

# bench_psql <connection string> [psql args…]: psql against that connection's database, quiet, unaligned.
bench_psql() {
  local c="$1"; shift
  psql -h "$(bench_field "$c" Host)" -p "$(bench_field "$c" Port)" -U "$(bench_field "$c" Username || true)" -d "$(bench_field "$c" Database)" -qtAX "$@"
}

# bench_fresh_database <base connection> <name>: drops and creates the database, prints its connection string.
bench_fresh_database() {
  local admin; admin="$(bench_with_database "$1" postgres)"
  bench_psql "$admin" -c "set client_min_messages = warning" -c "drop database if exists $2 with (force)" >/dev/null
  bench_psql "$admin" -c "create database $2" >/dev/null
  bench_with_database "$1" "$2"
}

# bench_drop_database <base connection> <name>
bench_drop_database() { bench_psql "$(bench_with_database "$1" postgres)" -c "drop database if exists $2 with (force)" >/dev/null 2>&1 || true; }

# A free TCP port on 127.0.0.1.
bench_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# bench_median: the median of the numbers on stdin, one a line (the lower middle of an even count).
bench_median() { sort -g | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]}'; }

# bench_thousands 1234567 → 1,234,567
bench_thousands() { python3 -c "print(f'{int($1):,}')"; }

# bench_row <path> <value> <raw> <ratio>: the line ops/bench/all.sh collects.
bench_row() { printf 'ROW|%s|%s|%s|%s\n' "${1//|//}" "${2//|//}" "${3//|//}" "${4//|//}"; }

# bench_start_service <connection> <Development|Production> <log file>: starts the Release build on a free port (or BENCH_PORT),
# waits for /health/ready, and sets BENCH_URL and BENCH_SERVICE_PID. The caller kills BENCH_SERVICE_PID (bench_stop_service).
bench_start_service() {
  local port="${BENCH_PORT:-$(bench_free_port)}"
  BENCH_URL="http://127.0.0.1:$port"
  BENCH_SIGNING_KEY="${BENCH_SIGNING_KEY:-$(head -c 64 /dev/urandom | base64 -w0)}"
  ASPNETCORE_ENVIRONMENT="$2" ConnectionStrings__Supervision="$1" Auth__SigningKey="$BENCH_SIGNING_KEY" \
    Supervision__DrawSealKey="${Supervision__DrawSealKey:-$(head -c 32 /dev/urandom | base64 -w0)}" \
    Supervision__SealIntervalMinutes=0 Supervision__ReportReminderIntervalMinutes=0 Logging__LogLevel__Default=Warning \
    dotnet "$REPO/src/Supervision.Api/bin/Release/net10.0/Supervision.Api.dll" --urls "$BENCH_URL" >"$3" 2>&1 &
  BENCH_SERVICE_PID=$!
  for _ in $(seq 1 600); do
    kill -0 "$BENCH_SERVICE_PID" 2>/dev/null || break
    curl -fs -o /dev/null "$BENCH_URL/health/ready" && return 0
    sleep 0.2
  done
  echo "the service did not start:" >&2; tail -30 "$3" >&2; return 1
}

bench_stop_service() { [[ -n "${BENCH_SERVICE_PID:-}" ]] && { kill "$BENCH_SERVICE_PID" 2>/dev/null; wait "$BENCH_SERVICE_PID" 2>/dev/null; } || true; }

# bench_token <user> <role> [departmentId]: a token the service started by bench_start_service accepts.
bench_token() { Auth__SigningKey="$BENCH_SIGNING_KEY" dotnet "$REPO/src/Supervision.Api/bin/Release/net10.0/Supervision.Api.dll" token "$@" 2>/dev/null | tail -1; }

# pgbench and wrk, from Debian's packages when missing.
bench_tools() {
  command -v pgbench >/dev/null || PATH="$PATH:$(dirname "$(dpkg -L postgresql-15 2>/dev/null | grep '/bin/pgbench$' | head -1)")"
  command -v wrk >/dev/null || { echo "installing wrk" >&2; apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; }
  export PATH
}
