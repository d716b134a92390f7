#!/usr/bin/env bash
# Runs the Supervision API locally (Release build) against PostgreSQL.
#
#   ops/run.sh [app args...]
#
# Environment:
#   SUPERVISION_CONNECTION_STRING  your own PostgreSQL; when unset, ops/pg.sh starts a local cluster.
#   SUPERVISION_URLS               listen URL(s), ';'-separated (default http://127.0.0.1:5080).
#   ASPNETCORE_ENVIRONMENT         default Development.
#   Supervision__TypeLoadMode      default Static: the pre-generated handler code (src/Supervision.Api/Internal/Generated),
#                                  so the first requests are answered at once; Dynamic compiles it at run time (>10 s).
# Extra arguments are passed to the application (after `--`).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"

if [[ -n "${SUPERVISION_CONNECTION_STRING:-}" ]]; then
  conn="$SUPERVISION_CONNECTION_STRING"
  echo "run.sh: using SUPERVISION_CONNECTION_STRING" >&2
else
  conn="$(bash "$REPO/ops/pg.sh" start)"
  conn="${conn##*$'\n'}"      # last line only
fi
[[ -n "$conn" ]] || { echo "run.sh: error: no connection string" >&2; exit 1; }

export ConnectionStrings__Supervision="$conn"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export Supervision__TypeLoadMode="${Supervision__TypeLoadMode:-Static}"
urls="${SUPERVISION_URLS:-http://127.0.0.1:5080}"

# Base URL for the hints: first URL, wildcard hosts shown as localhost.
base="${urls%%;*}"
base="${base%/}"
base="$(printf '%s' "$base" | sed -E 's#://(\*|\+|0\.0\.0\.0|\[::\])(:|$)#://localhost\2#')"

cat >&2 <<MSG
run.sh: starting Supervision.Api ($ASPNETCORE_ENVIRONMENT, $Supervision__TypeLoadMode code) on $urls
  API base          $base/
  OpenAPI document  $base/openapi/v1.json
  API reference     $base/scalar
  Readiness         $base/health/ready
  Database          $conn
  Token             bash ops/token.sh <user> <role> <departmentId>   (prints a bearer token)
  Stop PostgreSQL   bash ops/stop.sh   (Ctrl-C stops only the API)
MSG

# --no-launch-profile: launchSettings.json must not override the URLs/environment above.
exec dotnet run --project src/Supervision.Api -c Release --no-launch-profile -- --urls "$urls" "$@"
