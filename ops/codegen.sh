#!/usr/bin/env bash
# Regenerates Wolverine's handler and endpoint code into src/Supervision.Api/Internal/Generated, which production
# loads in TypeLoadMode.Static. Run it after adding or changing an endpoint or handler; the test
# GeneratedCodeTests fails until you do.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO/src/Supervision.Api"
rm -rf Internal/Generated
ASPNETCORE_ENVIRONMENT=Development Supervision__TypeLoadMode=Dynamic dotnet run -c Release --no-launch-profile -- codegen write
