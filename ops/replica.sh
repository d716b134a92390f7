#!/usr/bin/env bash
# Hot-standby read replica of the local primary (PostgreSQL streaming replication), for the read routing of the
# public pages, the public API, dashboards and reports (README, "Read replica").
#
#   ops/replica.sh [start]   copy the primary (pg_basebackup -R) when needed, start the standby, print its connection string
#   ops/replica.sh stop      stop the standby (the primary is never touched)
#   ops/replica.sh status    running? streaming? how far behind? (exit 0 running, 3 not running)
#   ops/replica.sh url       print the connection string (does not start anything)
#
# `start` and `url` print the Npgsql connection string as the LAST line of stdout, everything else goes to stderr:
#   Host=127.0.0.1;Port=55433;Username=postgres;Database=supervision
#
# Environment:
#   SUPERVISION_REPLICA_CONNECTION_STRING  if non-empty, a replica of your own: nothing is managed, `start`/`url` print it.
#   SUPERVISION_REPLICA_PORT               TCP port of the standby (default 55433).
#   SUPERVISION_PG_PORT                    port of the primary on 127.0.0.1 that is copied (default 55432), as for ops/pg.sh.
#   SUPERVISION_PG_BIN, SUPERVISION_PG_TIMEOUT, SUPERVISION_PG_FAST   as for ops/pg.sh.
#
# The standby reports to the primary as `supervision_replica` (its cluster_name) and, while it runs, the primary names it in
# synchronous_standby_names with synchronous_commit at most `local`: ordinary commits never wait for it (a stopped or
# killed standby cannot stall the primary), but a transaction that asks for `synchronous_commit = remote_apply` returns only
# once the standby has applied it. The replica tests wait for replay with such a barrier, not by asking the standby in a loop
# (tests/Supervision.Api.Tests/ReadReplica/ReplicaHarness.cs). `stop` resets both settings on the primary.
#
# The primary needs nothing special: PostgreSQL 15's defaults (wal_level=replica, max_wal_senders=10) and initdb's
# trust line for replication from 127.0.0.1 (what ops/pg.sh creates) allow it. No replication slot is made, so a
# stopped standby never makes the primary keep WAL; a standby that can no longer catch up is copied again on start.
#
# Data lives in <repo>/.data/pg-replica (log: .data/pg-replica.log), beside the primary's and under the same rules
# (root runs it as the `postgres` OS user, with the same fallback area): this script sources ops/pg.sh's functions.
set -euo pipefail

# shellcheck source=ops/pg.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/pg.sh"

log() { printf 'replica.sh: %s\n' "$*" >&2; }
die() { printf 'replica.sh: error: %s\n' "$*" >&2; exit 1; }

PRIMARY_PORT=$PORT
REPLICA_PORT="${SUPERVISION_REPLICA_PORT:-55433}"
[[ "$REPLICA_PORT" =~ ^[0-9]+$ ]] && (( REPLICA_PORT >= 1 && REPLICA_PORT <= 65535 )) \
  || die "SUPERVISION_REPLICA_PORT must be a TCP port number, got '$REPLICA_PORT'"
[[ "$REPLICA_PORT" != "$PRIMARY_PORT" ]] || die "the replica port ($REPLICA_PORT) is the primary's; set SUPERVISION_REPLICA_PORT"
# How long a started standby may take to connect to the primary and stream before it is copied afresh.
STREAM_TIMEOUT=$((TIMEOUT > 15 ? TIMEOUT : 15))
# The name the standby reports to the primary (pg_stat_replication.application_name) and is made synchronous under.
STANDBY_NAME=supervision_replica

# pg.sh's functions act on DATA, SOCK, LOGFILE and PORT: point them at the standby's (DATA_AREA stays the primary's).
use_replica_area() {
  DATA="$DATA_AREA/pg-replica"
  SOCK="$DATA_AREA/pg-replica-sock"
  LOGFILE="$DATA_AREA/pg-replica.log"
  PORT=$REPLICA_PORT
}

# Like pg.sh's resolve_paths create, but makes the standby's directory instead of an (empty) primary one.
prepare_area() {
  resolve_paths
  use_replica_area
  if is_root; then ensure_postgres_os_user; fi
  if [[ ! -d "$DATA_AREA" ]]; then
    mkdir -p "$DATA_AREA" || die "cannot create $DATA_AREA"
    # The fallback area outside the repo is private to the cluster's user (as ops/pg.sh makes it).
    if [[ $FALLBACK == 1 ]]; then chmod 700 "$DATA_AREA"; chown "$PG_OS_USER": "$DATA_AREA"; fi
  fi
  mkdir -p "$DATA"
  if is_root && { [[ "$(stat -c %U "$DATA")" != "$PG_OS_USER" ]] || [[ -n "$(find "$DATA" ! -user "$PG_OS_USER" -print -quit 2>/dev/null)" ]]; }; then
    chown -R "$PG_OS_USER": "$DATA"
  fi
  chmod 700 "$DATA"
}

take_replica_lock() {
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>>"$DATA_AREA/pg-replica.lock"
  flock -w 120 9 || die "another ops/replica.sh is busy with $DATA (lock $DATA_AREA/pg-replica.lock)"
}

psql_at() { local port=$1; shift; "$PSQL" -X -q -h "$HOST" -p "$port" -U "$DB_USER" -d postgres -tA "$@"; }

primary_system_id() { psql_at "$PRIMARY_PORT" -c 'select system_identifier from pg_control_system()'; }

# The cluster identifier recorded in the standby's copy (empty when there is no usable copy).
replica_system_id() {
  [[ -s "$DATA/PG_VERSION" && -x "$PG_BIN/pg_controldata" ]] || return 0
  LC_ALL=C "$PG_BIN/pg_controldata" "$DATA" 2>/dev/null | sed -n 's/^Database system identifier: *//p'
}

is_standby_copy() { [[ -s "$DATA/PG_VERSION" && -e "$DATA/standby.signal" ]]; }

# 0 once the standby's WAL receiver streams from the primary; 1 after STREAM_TIMEOUT seconds.
wait_streaming() {
  local deadline=$((SECONDS + STREAM_TIMEOUT)) status
  while :; do
    status="$(psql_at "$REPLICA_PORT" -c 'select status from pg_stat_wal_receiver' 2>/dev/null || true)"
    [[ "$status" == streaming ]] && return 0
    (( SECONDS >= deadline )) && return 1
    sleep 0.5
  done
}

stop_replica() {
  local pid
  pid="$(running_pid)" || return 0
  log "stopping the standby (pid $pid, data $DATA)"
  as_pg "$PG_BIN/pg_ctl" stop -D "$DATA" -m fast -w -t 60 >&2 || die "pg_ctl stop failed"
}

# After a kill -9 the old postmaster's children and a stale postmaster.pid can block a new start (as in ops/pg.sh).
clear_leftovers() {
  local deadline=$((SECONDS + 20)) left pid
  while left="$(data_dir_processes)"; [[ -n "$left" ]]; do
    (( SECONDS >= deadline )) && die "processes of a previous standby still use $DATA (pids: $(echo $left)); stop them and retry"
    sleep 0.5
  done
  if pid="$(pidfile_pid)" && ! is_postgres_process "$pid"; then rm -f "$DATA/postmaster.pid"; fi
}

# A fresh copy of the primary, configured as a hot standby (-R writes standby.signal and primary_conninfo).
copy_primary() {
  [[ -x "$PG_BIN/pg_basebackup" ]] || die "pg_basebackup not found in $PG_BIN"
  find "$DATA" -mindepth 1 -delete
  log "copying the primary on $HOST:$PRIMARY_PORT into $DATA (pg_basebackup -R)"
  as_pg "$PG_BIN/pg_basebackup" -h "$HOST" -p "$PRIMARY_PORT" -U "$DB_USER" -D "$DATA" -R -X stream -c fast --no-password >&2 \
    || die "pg_basebackup failed (does the primary allow replication connections from $HOST? see pg_hba.conf)"
  # The copy carries the primary's supervision.conf (its port and sockets) and a log of its own must not exist.
  rm -f "$DATA/postmaster.opts" "$DATA/postmaster.pid"
}

start_replica() {
  local attempt
  write_config                       # pg.sh's: port, sockets, durability for PORT/SOCK/DATA, i.e. the standby's
  [[ -e "$LOGFILE" ]] || : > "$LOGFILE"
  if [[ "$(stat -c %s "$LOGFILE")" -gt $((50 * 1024 * 1024)) ]]; then mv -f "$LOGFILE" "$LOGFILE.1"; : > "$LOGFILE"; fi
  is_root && chown "$PG_OS_USER": "$LOGFILE"
  port_in_use "$REPLICA_PORT" && die "port $REPLICA_PORT on $HOST is already in use by another program; set SUPERVISION_REPLICA_PORT to a free port"
  log "starting the standby on $HOST:$REPLICA_PORT, data $DATA, log $LOGFILE"
  for attempt in 1 2 3; do
    as_pg env LC_ALL=C "$PG_BIN/pg_ctl" start -D "$DATA" -l "$LOGFILE" -w -t $((TIMEOUT * 2)) -o "-c cluster_name=$STANDBY_NAME" >&2 && return 0
    running_pid >/dev/null && return 0
    log "pg_ctl start failed (attempt $attempt/3)"
    sleep 1
  done
  log "last log lines ($LOGFILE):"; tail -n 30 "$LOGFILE" >&2 2>/dev/null || true
  return 1
}

cmd_start() {
  if [[ -n "${SUPERVISION_REPLICA_CONNECTION_STRING:-}" ]]; then
    log "SUPERVISION_REPLICA_CONNECTION_STRING is set; using your replica, not starting a local one"
    printf '%s\n' "$SUPERVISION_REPLICA_CONNECTION_STRING"
    return 0
  fi
  need_pg_bin
  prepare_area
  take_replica_lock
  pg_ready "$PRIMARY_PORT" || die "no primary accepts connections on $HOST:$PRIMARY_PORT; start it first (bash ops/pg.sh start)"
  local primary_id; primary_id="$(primary_system_id)" || die "cannot query the primary on $HOST:$PRIMARY_PORT"

  if running_pid >/dev/null; then
    if [[ "$(running_port)" == "$REPLICA_PORT" ]] && wait_ready "$REPLICA_PORT" && [[ "$(psql_at "$REPLICA_PORT" -c 'select pg_is_in_recovery()')" == t ]] \
       && [[ "$(primary_system_id_of_replica)" == "$primary_id" ]]; then
      if [[ "$(psql_at "$REPLICA_PORT" -c 'show cluster_name')" == "$STANDBY_NAME" ]]; then
        log "already running (data $DATA)"
        make_synchronous
        conn_string "$REPLICA_PORT"; return 0
      fi
      log "the running standby does not report as $STANDBY_NAME (started by an older ops/replica.sh); restarting it"
    else
      log "the running server in $DATA is not a standby of the primary on $HOST:$PRIMARY_PORT; copying again"
    fi
    stop_replica
  fi
  clear_leftovers

  # A copy of this very primary is restarted (it catches up by streaming); anything else is copied afresh.
  if is_standby_copy && [[ "$(replica_system_id)" == "$primary_id" ]]; then
    if start_replica && wait_ready "$REPLICA_PORT" && wait_streaming; then
      make_synchronous
      log "ready (streaming from $HOST:$PRIMARY_PORT, synchronous as $STANDBY_NAME)"
      conn_string "$REPLICA_PORT"; return 0
    fi
    log "the existing standby does not stream from the primary (e.g. the WAL it needs is gone); copying again"
    stop_replica
    clear_leftovers
  fi
  copy_primary
  start_replica || die "could not start the standby"
  wait_ready "$REPLICA_PORT" || die "the standby did not become ready"
  wait_streaming || die "the standby does not stream from $HOST:$PRIMARY_PORT after ${STREAM_TIMEOUT}s (log: $LOGFILE)"
  make_synchronous
  log "ready (streaming from $HOST:$PRIMARY_PORT, synchronous as $STANDBY_NAME)"
  conn_string "$REPLICA_PORT"
}

# Names the standby in the primary's synchronous_standby_names without making ordinary commits wait for it: a primary whose
# synchronous_commit is on gets `local` (the same local durability, no wait for the standby); `off` (SUPERVISION_PG_FAST) stays.
# Only a transaction that sets synchronous_commit = remote_apply itself waits for the standby's apply.
make_synchronous() {
  local commit deadline
  commit="$(psql_at "$PRIMARY_PORT" -c 'show synchronous_commit')" || die "cannot read the primary's synchronous_commit"
  if [[ "$commit" != off && "$commit" != local ]]; then
    psql_at "$PRIMARY_PORT" -c "alter system set synchronous_commit = 'local'" >/dev/null || die "cannot set the primary's synchronous_commit"
  fi
  psql_at "$PRIMARY_PORT" -c "alter system set synchronous_standby_names = '$STANDBY_NAME'" >/dev/null \
    || die "cannot set the primary's synchronous_standby_names"
  psql_at "$PRIMARY_PORT" -c 'select pg_reload_conf()' >/dev/null || die "cannot reload the primary's configuration"
  deadline=$((SECONDS + STREAM_TIMEOUT))
  until [[ "$(psql_at "$PRIMARY_PORT" -c "select sync_state from pg_stat_replication where application_name = '$STANDBY_NAME'" 2>/dev/null)" == sync ]]; do
    (( SECONDS >= deadline )) && die "the primary does not list the standby $STANDBY_NAME as synchronous after ${STREAM_TIMEOUT}s"
    sleep 0.2
  done
}

# Undoes make_synchronous on the primary (when it runs): nothing on it names the standby any more.
release_synchronous() {
  pg_ready "$PRIMARY_PORT" || return 0
  psql_at "$PRIMARY_PORT" -c 'alter system reset synchronous_standby_names' >/dev/null 2>&1 || return 0
  psql_at "$PRIMARY_PORT" -c 'alter system reset synchronous_commit' >/dev/null 2>&1 || true
  psql_at "$PRIMARY_PORT" -c 'select pg_reload_conf()' >/dev/null 2>&1 || true
}

# The running standby's cluster identifier (the primary's, for a real standby of it).
primary_system_id_of_replica() { psql_at "$REPLICA_PORT" -c 'select system_identifier from pg_control_system()' 2>/dev/null || true; }

cmd_stop() {
  if [[ -n "${SUPERVISION_REPLICA_CONNECTION_STRING:-}" ]]; then
    log "SUPERVISION_REPLICA_CONNECTION_STRING is set (your own replica); nothing to stop"
    return 0
  fi
  resolve_paths
  use_replica_area
  if find_pg_bin; then
    if [[ -x "$PG_BIN/psql" ]]; then PSQL="$PG_BIN/psql"; else PSQL="$(command -v psql || true)"; fi
    if [[ -x "$PG_BIN/pg_isready" ]]; then PG_ISREADY="$PG_BIN/pg_isready"; fi
    [[ -n "$PSQL" ]] && release_synchronous
  fi
  if ! running_pid >/dev/null; then log "not running (data $DATA); nothing to stop"; return 0; fi
  find_pg_bin || die "cannot find pg_ctl to stop the standby (pid $(running_pid))"
  take_replica_lock
  stop_replica
}

cmd_status() {
  if [[ -n "${SUPERVISION_REPLICA_CONNECTION_STRING:-}" ]]; then
    echo "external replica (SUPERVISION_REPLICA_CONNECTION_STRING); no local standby is managed"
    return 0
  fi
  resolve_paths
  use_replica_area
  local pid
  if ! pid="$(running_pid)"; then
    if is_standby_copy; then echo "not running (data $DATA)"; else echo "not running (no standby yet; 'ops/replica.sh start' makes one)"; fi
    return 3
  fi
  need_pg_bin >/dev/null 2>&1 || true
  echo "running: pid $pid, $HOST:$REPLICA_PORT, data $DATA (OS user $PG_OS_USER), log $LOGFILE"
  if [[ -n "$PSQL" ]]; then
    echo "receiver: $(psql_at "$REPLICA_PORT" -c "select coalesce((select status || ' from ' || sender_host || ':' || sender_port from pg_stat_wal_receiver), 'not streaming')" 2>/dev/null || echo unknown)"
    local replayed current
    replayed="$(psql_at "$REPLICA_PORT" -c 'select pg_last_wal_replay_lsn()' 2>/dev/null || true)"
    current="$(psql_at "$PRIMARY_PORT" -c 'select pg_current_wal_lsn()' 2>/dev/null || true)"
    if [[ -n "$replayed" && -n "$current" ]]; then
      echo "replayed $replayed of the primary's $current ($(psql_at "$PRIMARY_PORT" -c "select pg_wal_lsn_diff('$current', '$replayed')") bytes behind)"
    fi
  fi
  conn_string "$REPLICA_PORT"
}

cmd_url() {
  if [[ -n "${SUPERVISION_REPLICA_CONNECTION_STRING:-}" ]]; then printf '%s\n' "$SUPERVISION_REPLICA_CONNECTION_STRING"; return 0; fi
  conn_string "$REPLICA_PORT"
}

case "${1:-start}" in
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  url)    cmd_url ;;
  -h|--help|help) sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown subcommand '$1' (expected start, stop, status or url)" ;;
esac
