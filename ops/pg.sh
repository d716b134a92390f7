#!/usr/bin/env bash
# Throwaway local PostgreSQL cluster for development and tests.
#
#   ops/pg.sh [start]   start (initialising on first use) and print the connection string
#   ops/pg.sh stop      stop the cluster (pg_ctl stop -m fast)
#   ops/pg.sh status    show whether the cluster is running (exit 0 running, 3 not running)
#   ops/pg.sh url       print the connection string (does not start anything)
#
# `start` and `url` print the Npgsql connection string as the LAST line of stdout;
# every other message goes to stderr, so `conn=$(ops/pg.sh start)` captures just it:
#   Host=127.0.0.1;Port=<port>;Username=postgres;Database=supervision
#
# Environment:
#   SUPERVISION_CONNECTION_STRING  if non-empty, use your own PostgreSQL: nothing is managed,
#                                  `start`/`url` just print this value.
#   SUPERVISION_PG_PORT            TCP port of the throwaway cluster (default 55432).
#   SUPERVISION_PG_FAST=1          non-durable tuning (fsync/synchronous_commit/full_page_writes
#                                  off) for test runs; default keeps durability on.
#   SUPERVISION_PG_BIN             directory holding initdb/pg_ctl/postgres (default: searched).
#   SUPERVISION_PG_TIMEOUT         seconds to wait for readiness (default 30).
#   SUPERVISION_PG_DATA            data area of a separate cluster (holds pg/, pg-sock/, pg.log); default as below.
#                                  Use it with another SUPERVISION_PG_PORT for a second cluster (e.g. ops/chaos/drill.sh).
#
# Data lives in <repo>/.data/pg (log: <repo>/.data/pg.log, sockets: <repo>/.data/pg-sock).
# As root the server runs as the `postgres` OS user; if that user cannot reach the repo
# (e.g. a repo under /root), the data area moves to /var/tmp/supervision-pg-<hash>.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
DB_NAME=supervision
DB_USER=postgres
HOST=127.0.0.1

log() { printf 'pg.sh: %s\n' "$*" >&2; }
die() { printf 'pg.sh: error: %s\n' "$*" >&2; exit 1; }

is_root() { [[ "$(id -u)" -eq 0 ]]; }

PORT="${SUPERVISION_PG_PORT:-55432}"
[[ "$PORT" =~ ^[0-9]+$ ]] && (( PORT >= 1 && PORT <= 65535 )) \
  || die "SUPERVISION_PG_PORT must be a TCP port number, got '$PORT'"
TIMEOUT="${SUPERVISION_PG_TIMEOUT:-30}"
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] || die "SUPERVISION_PG_TIMEOUT must be a number of seconds, got '$TIMEOUT'"

conn_string() { printf 'Host=%s;Port=%s;Username=%s;Database=%s\n' "$HOST" "$1" "$DB_USER" "$DB_NAME"; }

# ---------------------------------------------------------------------------------------------
# Running commands as the OS user that owns the cluster
# ---------------------------------------------------------------------------------------------
PG_OS_USER=""   # set by resolve_paths

# as_user USER CMD...: run CMD as USER when we are root (cwd /, lock fd closed), else directly.
as_user() {
  local user=$1; shift
  if is_root && [[ "$user" != root ]]; then
    if command -v runuser >/dev/null 2>&1; then
      (cd / && exec runuser -u "$user" -- "$@") 9>&-
    else
      (cd / && exec su "$user" -s /bin/bash -c "$(printf '%q ' "$@")") 9>&-
    fi
  else
    (cd / && exec "$@") 9>&-
  fi
}
as_pg() { as_user "$PG_OS_USER" "$@"; }

# ---------------------------------------------------------------------------------------------
# Locating the data area
# ---------------------------------------------------------------------------------------------
DATA_AREA="" DATA="" SOCK="" LOGFILE="" FALLBACK=0

set_area() {
  DATA_AREA=$1
  DATA="$DATA_AREA/pg"
  SOCK="$DATA_AREA/pg-sock"
  LOGFILE="$DATA_AREA/pg.log"
}

# Can OS user $1 search (traverse) directory $2, including every parent?
user_can_reach() {
  id -u "$1" >/dev/null 2>&1 || return 1
  as_user "$1" test -x "$2" 2>/dev/null
}

fallback_area() { printf '/var/tmp/supervision-pg-%s' "$(printf '%s' "$REPO" | sha256sum | cut -c1-10)"; }

# resolve_paths [create]: decide DATA_AREA and PG_OS_USER; with "create", make the directories.
resolve_paths() {
  local create=${1:-}
  if [[ -n "${SUPERVISION_PG_DATA:-}" ]]; then
    set_area "$(realpath -m "$SUPERVISION_PG_DATA")"
    if is_root; then
      PG_OS_USER=postgres
      if [[ -n "$create" ]]; then
        ensure_postgres_os_user
        mkdir -p "$DATA"
        chown postgres: "$DATA_AREA"
        [[ "$(stat -c %U "$DATA")" == postgres ]] || chown -R postgres: "$DATA"
        user_can_reach postgres "$DATA" || die "the 'postgres' OS user cannot reach SUPERVISION_PG_DATA=$DATA_AREA (a parent directory is not traversable)"
      fi
    else
      PG_OS_USER="$(id -un)"
      [[ -n "$create" ]] && mkdir -p "$DATA"
    fi
    [[ -n "$create" ]] && chmod 700 "$DATA"
    return 0
  fi
  if ! is_root; then
    PG_OS_USER="$(id -un)"
    set_area "$REPO/.data"
    if [[ -n "$create" ]]; then
      mkdir -p "$DATA_AREA" || die "cannot create $DATA_AREA"
    fi
    if [[ -e "$DATA" && ! -O "$DATA" ]]; then
      die "$DATA belongs to '$(stat -c %U "$DATA")', not to you ($PG_OS_USER). Run ops/pg.sh as that user or as root, or use another checkout."
    fi
    return 0
  fi

  # Root. An in-repo cluster created earlier by a normal user keeps running as that user.
  local area="$REPO/.data" owner=""
  if [[ -e "$area/pg" ]]; then
    owner="$(stat -c %U "$area/pg" 2>/dev/null || true)"
    if [[ -n "$owner" && "$owner" != root && "$owner" != UNKNOWN ]] && user_can_reach "$owner" "$area/pg"; then
      PG_OS_USER=$owner
      set_area "$area"
      return 0
    fi
  fi

  PG_OS_USER=postgres
  if [[ -n "$create" ]]; then
    ensure_postgres_os_user
    if user_can_reach postgres "$REPO"; then
      mkdir -p "$area"
    fi
  fi
  if user_can_reach postgres "$REPO" && { [[ ! -e "$area" ]] || user_can_reach postgres "$area"; }; then
    set_area "$area"
  else
    FALLBACK=1
    set_area "$(fallback_area)"
    if [[ -n "$create" ]]; then
      log "the 'postgres' OS user cannot reach $REPO/.data (a parent directory is not traversable);"
      log "using $DATA_AREA for the throwaway cluster instead"
    fi
  fi

  if [[ -n "$create" ]]; then
    if [[ $FALLBACK == 1 ]]; then
      if [[ -e "$DATA_AREA" ]]; then
        local o; o="$(stat -c %U "$DATA_AREA")"
        [[ "$o" == postgres || "$o" == root ]] || die "$DATA_AREA exists but belongs to '$o'; remove it and retry"
        [[ -d "$DATA_AREA" && ! -L "$DATA_AREA" ]] || die "$DATA_AREA is not a directory; remove it and retry"
      else
        mkdir -m 700 "$DATA_AREA"
      fi
      chown postgres: "$DATA_AREA"
    fi
    mkdir -p "$DATA"
    # chown the cluster directory itself (and its content if root ever wrote into it).
    if [[ "$(stat -c %U "$DATA")" != postgres ]] || [[ -n "$(find "$DATA" ! -user postgres -print -quit 2>/dev/null)" ]]; then
      chown -R postgres: "$DATA"
    fi
    chmod 700 "$DATA"
  fi
}

ensure_postgres_os_user() {
  id -u postgres >/dev/null 2>&1 && return 0
  log "creating system user 'postgres' to run the cluster (initdb refuses to run as root)"
  local group=(--user-group)
  getent group postgres >/dev/null 2>&1 && group=(-g postgres)
  useradd --system "${group[@]}" --home-dir /var/lib/postgresql --shell /bin/bash postgres \
    || die "could not create the 'postgres' OS user"
}

# ---------------------------------------------------------------------------------------------
# Finding (or installing) the server binaries
# ---------------------------------------------------------------------------------------------
PG_BIN="" PSQL="" PG_ISREADY=""

has_server_bins() { [[ -x "$1/initdb" && -x "$1/pg_ctl" && -x "$1/postgres" ]]; }

find_pg_bin() {
  local d cand=() want=""
  if [[ -n "${SUPERVISION_PG_BIN:-}" ]]; then
    has_server_bins "$SUPERVISION_PG_BIN" || die "SUPERVISION_PG_BIN=$SUPERVISION_PG_BIN does not contain initdb, pg_ctl and postgres"
    PG_BIN=$SUPERVISION_PG_BIN
    return 0
  fi
  # An existing cluster needs binaries of its own major version.
  [[ -n "$DATA" && -r "$DATA/PG_VERSION" ]] && want="$(cat "$DATA/PG_VERSION" 2>/dev/null || true)"
  if [[ -n "$want" ]] && has_server_bins "/usr/lib/postgresql/$want/bin"; then
    PG_BIN="/usr/lib/postgresql/$want/bin"; return 0
  fi
  # Debian/Ubuntu layout, newest major first.
  while IFS= read -r d; do cand+=("$d"); done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -V -r)
  # Whatever is on PATH (symlinks resolved), pg_config's idea, and other common layouts.
  if command -v pg_ctl >/dev/null 2>&1; then cand+=("$(dirname "$(readlink -f "$(command -v pg_ctl)")")"); fi
  if command -v pg_config >/dev/null 2>&1; then cand+=("$(pg_config --bindir 2>/dev/null || true)"); fi
  while IFS= read -r d; do cand+=("$d"); done < <(ls -d /usr/pgsql-*/bin /usr/local/pgsql/bin 2>/dev/null | sort -V -r)
  for d in "${cand[@]}"; do
    if [[ -n "$d" ]] && has_server_bins "$d"; then PG_BIN=$d; return 0; fi
  done
  return 1
}

install_postgres() {
  command -v apt-get >/dev/null 2>&1 \
    || die "PostgreSQL server binaries not found and apt-get is unavailable; install PostgreSQL (initdb, pg_ctl, postgres) or set SUPERVISION_CONNECTION_STRING"
  log "PostgreSQL server binaries not found; installing the Debian 'postgresql' package (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2 || die "apt-get update failed"
  # We never use the package's own service/cluster: ask postgresql-common not to create one.
  if apt-get install -y --no-install-recommends postgresql-common >&2 \
     && [[ -f /etc/postgresql-common/createcluster.conf ]]; then
    sed -i -E 's/^[#[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' \
      /etc/postgresql-common/createcluster.conf || true
  fi
  apt-get install -y --no-install-recommends postgresql >&2 || die "apt-get install postgresql failed"
}

need_pg_bin() {
  if ! find_pg_bin; then
    if is_root; then
      install_postgres
      find_pg_bin || die "installed the 'postgresql' package but still cannot find initdb/pg_ctl/postgres under /usr/lib/postgresql/*/bin"
    else
      die "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found.
  Install them, e.g. on Debian/Ubuntu:  sudo apt-get install postgresql   (or run this script as root),
  point SUPERVISION_PG_BIN at their directory, or set SUPERVISION_CONNECTION_STRING to use your own server."
    fi
  fi
  if [[ -x "$PG_BIN/psql" ]]; then PSQL="$PG_BIN/psql"
  elif command -v psql >/dev/null 2>&1; then PSQL="$(command -v psql)"
  else die "psql not found (install the PostgreSQL client, e.g. apt-get install postgresql-client)"; fi
  if [[ -x "$PG_BIN/pg_isready" ]]; then PG_ISREADY="$PG_BIN/pg_isready"
  elif command -v pg_isready >/dev/null 2>&1; then PG_ISREADY="$(command -v pg_isready)"; fi
}

# ---------------------------------------------------------------------------------------------
# Cluster state
# ---------------------------------------------------------------------------------------------
pidfile_pid() { [[ -r "$DATA/postmaster.pid" ]] && sed -n 1p "$DATA/postmaster.pid" 2>/dev/null | grep -E '^[0-9]+$'; }

# Live (not zombie) postgres process? A postmaster killed with -9 stays a zombie when nobody
# reaps it (e.g. containers whose PID 1 does not), and kill -0 still succeeds on zombies.
is_postgres_process() {
  local pid=$1 comm state
  kill -0 "$pid" 2>/dev/null || return 1
  [[ -r "/proc/$pid/stat" ]] || return 0          # no /proc: trust kill -0
  state="$(sed -n 's/^.*) \(.\).*$/\1/p' "/proc/$pid/stat" 2>/dev/null || true)"
  [[ "$state" != Z && "$state" != X ]] || return 1
  comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
  [[ "$comm" == postgres* || "$comm" == postmaster* ]]
}

# Prints the postmaster PID when our cluster is running.
running_pid() {
  local pid
  pid="$(pidfile_pid)" || return 1
  is_postgres_process "$pid" || return 1
  printf '%s\n' "$pid"
}

# Port the running cluster actually listens on (line 4 of postmaster.pid).
running_port() {
  local p
  p="$(sed -n 4p "$DATA/postmaster.pid" 2>/dev/null || true)"
  if [[ "$p" =~ ^[0-9]+$ ]]; then printf '%s\n' "$p"; else printf '%s\n' "$PORT"; fi
}

# PIDs of processes whose working directory is the data dir (orphaned backends after kill -9).
data_dir_processes() {
  local real p
  real="$(readlink -f "$DATA")" || return 0
  for p in /proc/[0-9]*; do
    [[ "$(readlink "$p/cwd" 2>/dev/null || true)" == "$real" ]] && printf '%s\n' "${p#/proc/}"
  done
  return 0
}

pg_ready() {
  local port=$1
  if [[ -n "$PG_ISREADY" ]]; then
    "$PG_ISREADY" -q -h "$HOST" -p "$port" -U "$DB_USER" -d postgres -t 2 >/dev/null 2>&1
  else
    "$PSQL" -X -q -h "$HOST" -p "$port" -U "$DB_USER" -d postgres -tAc 'select 1' >/dev/null 2>&1
  fi
}

# wait_ready PORT [PID]: 0 when accepting connections, 2 if PID died meanwhile, 1 on timeout.
wait_ready() {
  local port=$1 pid=${2:-} deadline=$((SECONDS + TIMEOUT))
  until pg_ready "$port"; do
    if [[ -n "$pid" ]] && ! is_postgres_process "$pid"; then
      return 2
    fi
    if (( SECONDS >= deadline )); then
      log "PostgreSQL on $HOST:$port is not accepting connections after ${TIMEOUT}s; last log lines ($LOGFILE):"
      tail -n 30 "$LOGFILE" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.5
  done
}

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

ensure_database() {
  local port=$1 exists
  exists="$("$PSQL" -X -q -h "$HOST" -p "$port" -U "$DB_USER" -d postgres -tAc \
    "select 1 from pg_database where datname = '$DB_NAME'")" \
    || die "cannot query databases on $HOST:$port as $DB_USER"
  if [[ "$exists" != 1 ]]; then
    log "creating database '$DB_NAME'"
    if ! "$PSQL" -X -q -h "$HOST" -p "$port" -U "$DB_USER" -d postgres -v ON_ERROR_STOP=1 \
         -c "create database \"$DB_NAME\"" >&2; then
      # A concurrent start may have created it in the meantime.
      exists="$("$PSQL" -X -q -h "$HOST" -p "$port" -U "$DB_USER" -d postgres -tAc \
        "select 1 from pg_database where datname = '$DB_NAME'" || true)"
      [[ "$exists" == 1 ]] || die "could not create database '$DB_NAME'"
    fi
  fi
}

take_lock() {
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>>"$DATA_AREA/pg.lock"
  flock -w 120 9 || die "another ops/pg.sh is busy with $DATA_AREA (lock $DATA_AREA/pg.lock)"
}

sql_quote() { printf "'%s'" "${1//\'/\'\'}"; }

write_config() {
  local sockdirs fast=off conf="$DATA/supervision.conf"
  # Unix socket paths are limited to ~107 bytes; we connect over TCP anyway.
  if (( ${#SOCK} + 20 <= 107 )); then
    mkdir -p "$SOCK"
    is_root && chown "$PG_OS_USER": "$SOCK"
    chmod 700 "$SOCK"
    rm -f "$SOCK"/.s.PGSQL.* 2>/dev/null || true   # stale sockets/lock files of a killed server
    sockdirs="$(sql_quote "$SOCK")"
  else
    sockdirs="''"
    log "path of $SOCK is too long for a Unix socket; TCP only"
  fi
  [[ "${SUPERVISION_PG_FAST:-}" == 1 ]] && fast=on
  {
    echo "# Written by ops/pg.sh on every start; edit the script, not this file."
    echo "listen_addresses = '$HOST'"
    echo "port = $PORT"
    echo "unix_socket_directories = $sockdirs"
    echo "max_connections = 300"
    if [[ $fast == on ]]; then
      echo "# SUPERVISION_PG_FAST=1: throwaway test cluster, durability off"
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    else
      echo "fsync = on"
      echo "synchronous_commit = on"
      echo "full_page_writes = on"
    fi
  } > "$conf.tmp"
  mv -f "$conf.tmp" "$conf"
  is_root && chown "$PG_OS_USER": "$conf"
  chmod 600 "$conf"
  if ! grep -q "^include_if_exists = 'supervision.conf'" "$DATA/postgresql.conf"; then
    printf "\n# ops/pg.sh settings (listen address, port, sockets, tuning)\ninclude_if_exists = 'supervision.conf'\n" >> "$DATA/postgresql.conf"
  fi
  if [[ $fast == on ]]; then log "SUPERVISION_PG_FAST=1: fsync, synchronous_commit and full_page_writes are off"; fi
}

init_cluster() {
  if [[ -n "$(ls -A "$DATA" 2>/dev/null)" ]]; then
    log "$DATA has no PG_VERSION (interrupted initdb?); wiping it and initialising again"
    find "$DATA" -mindepth 1 -delete
  fi
  log "initialising a new cluster in $DATA (superuser '$DB_USER', trust auth for local connections)"
  local extra=()
  "$PG_BIN/initdb" --help 2>/dev/null | grep -q -- --no-instructions && extra+=(--no-instructions)
  as_pg env LC_ALL=C "$PG_BIN/initdb" -D "$DATA" -U "$DB_USER" --auth=trust -E UTF8 --locale=C "${extra[@]}" >&2 \
    || die "initdb failed"
}

# ---------------------------------------------------------------------------------------------
# Subcommands
# ---------------------------------------------------------------------------------------------
cmd_start() {
  if [[ -n "${SUPERVISION_CONNECTION_STRING:-}" ]]; then
    log "SUPERVISION_CONNECTION_STRING is set; using your PostgreSQL, not starting a local cluster"
    printf '%s\n' "$SUPERVISION_CONNECTION_STRING"
    return 0
  fi
  need_pg_bin                    # installs the Debian package first if needed (root)
  resolve_paths create
  find_pg_bin                    # again: prefer the major version of an existing cluster
  take_lock

  local pid port rc
  if pid="$(running_pid)"; then
    port="$(running_port)"
    log "already running (pid $pid, port $port, data $DATA)"
    [[ "$port" == "$PORT" ]] || log "warning: the running cluster listens on port $port, not SUPERVISION_PG_PORT=$PORT (run 'ops/pg.sh stop' first to change it)"
    rc=0; wait_ready "$port" "$pid" || rc=$?
    case $rc in
      0) ensure_database "$port"; conn_string "$port"; return 0 ;;
      2) log "the server (pid $pid) just exited; starting it again" ;;
      *) die "the cluster is running but not ready" ;;
    esac
  fi

  [[ -s "$DATA/PG_VERSION" ]] || init_cluster

  # After a kill -9 of the postmaster its children exit on their own; wait for them so the
  # new postmaster does not find the old shared memory still in use.
  local deadline=$((SECONDS + 20)) left
  while left="$(data_dir_processes)"; [[ -n "$left" ]]; do
    if (( SECONDS >= deadline )); then
      die "processes of a previous server still use $DATA (pids: $(echo $left)); stop them (kill <pid>) and retry"
    fi
    sleep 0.5
  done
  # postmaster.pid naming a process that still "exists" but is not a live postgres (a zombie
  # left by kill -9, or a reused PID): postgres would refuse to start, so drop the stale file.
  if pid="$(pidfile_pid)" && ! is_postgres_process "$pid" && kill -0 "$pid" 2>/dev/null; then
    log "removing stale postmaster.pid (pid $pid is not a live postgres process)"
    rm -f "$DATA/postmaster.pid"
  fi

  port_in_use "$PORT" && die "port $PORT on $HOST is already in use by another program; set SUPERVISION_PG_PORT to a free port"

  write_config
  if [[ ! -e "$LOGFILE" ]]; then : > "$LOGFILE"; fi
  if [[ "$(stat -c %s "$LOGFILE")" -gt $((50 * 1024 * 1024)) ]]; then mv -f "$LOGFILE" "$LOGFILE.1"; : > "$LOGFILE"; fi
  is_root && chown "$PG_OS_USER": "$LOGFILE"

  log "starting $("$PG_BIN/postgres" --version 2>/dev/null || echo PostgreSQL) on $HOST:$PORT, data $DATA, log $LOGFILE"
  local attempt ok=0
  for attempt in 1 2 3; do
    if as_pg env LC_ALL=C "$PG_BIN/pg_ctl" start -D "$DATA" -l "$LOGFILE" -w -t $((TIMEOUT * 2)) >&2; then
      ok=1; break
    fi
    running_pid >/dev/null && { ok=1; break; }     # e.g. still in crash recovery after -t
    log "pg_ctl start failed (attempt $attempt/3)"
    sleep 2
  done
  if [[ $ok != 1 ]]; then
    log "last log lines ($LOGFILE):"
    tail -n 30 "$LOGFILE" >&2 2>/dev/null || true
    die "could not start PostgreSQL"
  fi
  wait_ready "$PORT" || die "PostgreSQL did not become ready"
  ensure_database "$PORT"
  log "ready"
  conn_string "$PORT"
}

cmd_stop() {
  if [[ -n "${SUPERVISION_CONNECTION_STRING:-}" ]]; then
    log "SUPERVISION_CONNECTION_STRING is set (your own PostgreSQL); nothing to stop"
    return 0
  fi
  resolve_paths
  if [[ ! -s "$DATA/PG_VERSION" ]]; then
    log "no cluster in $DATA; nothing to stop"
    return 0
  fi
  local pid
  if ! pid="$(running_pid)"; then
    log "not running (data $DATA); nothing to stop"
    return 0
  fi
  find_pg_bin || die "cannot find pg_ctl to stop the cluster (pid $pid); stop it with: kill -INT $pid"
  take_lock
  log "stopping PostgreSQL (pid $pid, data $DATA)"
  as_pg "$PG_BIN/pg_ctl" stop -D "$DATA" -m fast -w -t 60 >&2 || die "pg_ctl stop failed"
}

cmd_status() {
  if [[ -n "${SUPERVISION_CONNECTION_STRING:-}" ]]; then
    echo "external PostgreSQL (SUPERVISION_CONNECTION_STRING); no local cluster is managed"
    return 0
  fi
  resolve_paths
  local pid port
  if pid="$(running_pid)"; then
    port="$(running_port)"
    find_pg_bin >/dev/null 2>&1 || true
    [[ -x "${PG_BIN:-}/pg_isready" ]] && PG_ISREADY="$PG_BIN/pg_isready"
    [[ -z "$PG_ISREADY" ]] && PG_ISREADY="$(command -v pg_isready || true)"
    PSQL="${PSQL:-$(command -v psql || true)}"
    local state="accepting connections"
    if [[ -n "$PG_ISREADY$PSQL" ]] && ! pg_ready "$port"; then state="not accepting connections (yet)"; fi
    echo "running: pid $pid, $HOST:$port, $state"
    echo "data: $DATA (OS user $PG_OS_USER), log: $LOGFILE"
    conn_string "$port"
    return 0
  fi
  if [[ -s "$DATA/PG_VERSION" ]]; then
    echo "not running (data $DATA)"
  else
    echo "not running (no cluster yet; 'ops/pg.sh start' creates $DATA)"
  fi
  return 3
}

cmd_url() {
  if [[ -n "${SUPERVISION_CONNECTION_STRING:-}" ]]; then
    printf '%s\n' "$SUPERVISION_CONNECTION_STRING"
    return 0
  fi
  resolve_paths
  if running_pid >/dev/null; then conn_string "$(running_port)"; else conn_string "$PORT"; fi
}

usage() { sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# Sourced (e.g. by ops/replica.sh, which reuses the functions above): define everything, run nothing.
[[ "${BASH_SOURCE[0]}" != "$0" ]] && return 0

case "${1:-start}" in
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  url)    cmd_url ;;
  -h|--help|help) usage ;;
  *) usage >&2; die "unknown subcommand '$1' (expected start, stop, status or url)" ;;
esac
