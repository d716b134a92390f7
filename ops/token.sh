#!/usr/bin/env bash
# Prints a development bearer token signed with the local key in .data/ (created on first use).
#
#   bash ops/token.sh <userId> <role[,role...]> [departmentId|-] [display name]
#
# Roles: system-admin, directory-keeper, planner, approver, inspector, reviewer, follow-up-handler,
#        discipline-inspector, auditor.
# Example: curl -H "Authorization: Bearer $(bash ops/token.sh admin1 system-admin)" http://127.0.0.1:5080/api/departments
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"
exec dotnet run --project src/Supervision.Api -c Release --no-launch-profile -- token "$@"
