#!/usr/bin/env bash
# The tamper-evident event chain, from the command line (the service also seals every Supervision:SealIntervalMinutes).
#
#   bash ops/integrity.sh seal                     link every committed event into the chain; prints the checkpoint
#   bash ops/integrity.sh verify [sequence hash]   recompute the chain from the stored events; with a checkpoint kept from
#                                                  GET /api/public/integrity/checkpoints, also against it. Exit 3 when broken.
# The database is SUPERVISION_CONNECTION_STRING, else the local cluster of ops/pg.sh; the schema Supervision__Schema.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"
if [[ -n "${SUPERVISION_CONNECTION_STRING:-}" ]]; then conn="$SUPERVISION_CONNECTION_STRING"; else
  c="$(bash "$REPO/ops/pg.sh" start)"; conn="${c##*$'\n'}"; fi
case "${1:-}" in
  seal) cmd=(integrity-seal) ;;
  verify) cmd=(integrity-verify "${@:2}") ;;
  *) echo "usage: bash ops/integrity.sh seal | verify [sequence hash]" >&2; exit 2 ;;
esac
ConnectionStrings__Supervision="$conn" dotnet run --project src/Supervision.Api -c Release --no-launch-profile -- "${cmd[@]}"
