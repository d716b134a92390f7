#!/usr/bin/env bash
# Fault drill (issue 17): a durable PostgreSQL cluster of its own, N service nodes in Production mode, load with
# Idempotency-Key retries, every fault kind injected, then every acknowledged command and every scheduled message
# checked from the database. An ops tool, not part of CI (minutes to tens of minutes).
#
#   bash ops/chaos/drill.sh [quick|full]      quick: 1 injection per fault kind; full: 5 each
#
# Duration: the drill waits for a killed node's messages to run on another node (up to 240 s per node kill). With that
# under 10 s, quick takes about 5 min and full about 15-20; on 2026-12-01 (a minute or more, a loaded 2-core machine)
# quick took 10 min and full 40, plus building and setting up.
#
# Environment:
#   DRILL_NODES         service nodes (default 2)
#   DRILL_RATE          commands started per second, all kinds together (default 20)
#   DRILL_INJECTIONS    injections per fault kind (default 1 quick, 5 full)
#   DRILL_CALM          seconds of load between faults (default 8 quick, 12 full)
#   DRILL_BASE_PORT     first node's HTTP port (default 5471; node i listens on base+i)
#   DRILL_POLLING_MS    Supervision:ScheduledJobPollingMilliseconds for the nodes (default 1000)
#   DRILL_OUT           where the table goes (default ops/chaos/last-drill.md)
#   SUPERVISION_PG_PORT the drill cluster's port (default 55472; never the shared 55432)
#   DRILL_KEEP=1        leave the drill cluster running at the end (it is always wiped at the next start)
#
# The cluster lives in <repo>/.data/chaos (ops/pg.sh with SUPERVISION_PG_DATA); the nodes run the Release build
# published to <repo>/.data/chaos/app. Only processes this script started are stopped, frozen or killed: the
# postmaster is read from the drill cluster's own postmaster.pid.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"
MODE="${1:-quick}"
[[ "$MODE" == quick || "$MODE" == full ]] || { echo "usage: drill.sh [quick|full]" >&2; exit 2; }

export SUPERVISION_PG_PORT="${SUPERVISION_PG_PORT:-55472}"
[[ "$SUPERVISION_PG_PORT" != 55432 ]] || { echo "drill.sh: refusing the shared port 55432; the drill kills its cluster" >&2; exit 2; }
AREA="$REPO/.data/chaos"
export SUPERVISION_PG_DATA="$AREA"
unset SUPERVISION_CONNECTION_STRING SUPERVISION_PG_FAST
mkdir -p "$AREA"

log() { printf 'drill.sh: %s\n' "$*" >&2; }

# A fresh, durable cluster every run (fsync and synchronous_commit on: what a crash must not lose).
bash ops/pg.sh stop >/dev/null 2>&1 || true
rm -rf "$AREA/pg" "$AREA/pg.log" "$AREA"/node*.log
conn="$(bash ops/pg.sh start)"; conn="${conn##*$'\n'}"
log "drill cluster: $conn"

log "publishing the API (Release) to $AREA/app"
dotnet publish src/Supervision.Api -c Release -o "$AREA/app" -v q -nologo >&2

log "applying eventstore-migrations/ (ops/db.sh apply)"
SUPERVISION_CONNECTION_STRING="$conn" bash ops/db.sh apply >&2

exec python3 "$REPO/ops/chaos/drill.py" --mode "$MODE" --repo "$REPO" --area "$AREA" --conn "$conn" \
  --nodes "${DRILL_NODES:-2}" --base-port "${DRILL_BASE_PORT:-5471}" --rate "${DRILL_RATE:-20}" \
  ${DRILL_INJECTIONS:+--injections "$DRILL_INJECTIONS"} ${DRILL_CALM:+--calm "$DRILL_CALM"} \
  --polling-ms "${DRILL_POLLING_MS:-1000}" --out "${DRILL_OUT:-$REPO/ops/chaos/last-drill.md}" \
  ${DRILL_KEEP:+--keep}
