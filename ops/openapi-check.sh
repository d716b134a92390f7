#!/usr/bin/env bash
# Checks the OpenAPI document as a consumer would (issue 15), without starting the service:
#   1. lints docs/openapi.json with Redocly CLI (tools/openapi-check/redocly.yaml; any error fails),
#   2. generates a typed client from it with openapi-typescript,
#   3. compiles a small program against that client (tools/openapi-check/client.ts) with tsc --noEmit.
# docs/openapi.json is written by the test OpenApiDocumentTests (which fails while the file differs from what the service serves).
# The npm packages are pinned in tools/openapi-check/package-lock.json and installed with `npm ci` when missing.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
TOOLS="$REPO/tools/openapi-check"
DOCUMENT="$REPO/docs/openapi.json"
cd "$TOOLS"

[[ -f "$DOCUMENT" ]] || { echo "openapi-check: $DOCUMENT is missing (run the OpenApiDocumentTests once)" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "openapi-check: error: Node.js 20+ and npm are needed" >&2; exit 1; }
if [[ ! -f node_modules/@redocly/cli/package.json || ! -f node_modules/openapi-typescript/package.json || ! -f node_modules/typescript/package.json \
      || ! -f node_modules/openapi-fetch/package.json ]]; then
  echo "openapi-check: installing the pinned packages (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi

# No telemetry and no update check: the check runs offline once the packages are installed.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

echo "openapi-check: 1/3 redocly lint docs/openapi.json" >&2
npx --no-install redocly lint "$DOCUMENT" --config redocly.yaml --format=stylish

echo "openapi-check: 2/3 openapi-typescript → tools/openapi-check/generated/api.d.ts" >&2
mkdir -p generated
npx --no-install openapi-typescript "$DOCUMENT" --output generated/api.d.ts

echo "openapi-check: 3/3 tsc --noEmit (client.ts against the generated client)" >&2
npx --no-install tsc --noEmit -p tsconfig.json
echo "openapi-check: the document lints, and a typed client compiles against it" >&2
