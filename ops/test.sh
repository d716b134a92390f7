#!/usr/bin/env bash
# Runs all tests (Release) against PostgreSQL.
#
#   ops/test.sh [dotnet test args...]      e.g. ops/test.sh --filter FullyQualifiedName~Domain
#
# When SUPERVISION_CONNECTION_STRING is unset, a local throwaway cluster is started with
# ops/pg.sh (SUPERVISION_PG_FAST=1: durability off). The tests get the connection string in
# SUPERVISION_TEST_CONNECTION_STRING. A hot standby of it is started with ops/replica.sh for the read-replica tests
# (SUPERVISION_TEST_REPLICA_CONNECTION_STRING). The exit code is that of `dotnet test`.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"

started=$SECONDS
report_time() {
  local rc=$? t=$((SECONDS - started))
  printf 'test.sh: finished with exit code %d; total wall time %dm%02ds\n' "$rc" $((t / 60)) $((t % 60)) >&2
}
trap report_time EXIT

if [[ -n "${SUPERVISION_CONNECTION_STRING:-}" ]]; then
  conn="$SUPERVISION_CONNECTION_STRING"
  echo "test.sh: using SUPERVISION_CONNECTION_STRING" >&2
else
  conn="$(SUPERVISION_PG_FAST=1 bash "$REPO/ops/pg.sh" start)"
  conn="${conn##*$'\n'}"      # last line only
fi
[[ -n "$conn" ]] || { echo "test.sh: error: no connection string" >&2; exit 1; }
export SUPERVISION_TEST_CONNECTION_STRING="$conn"
echo "test.sh: SUPERVISION_TEST_CONNECTION_STRING=$conn" >&2

# The read-replica tests need a hot standby of that primary: ops/replica.sh copies the local cluster and starts one
# (or passes SUPERVISION_REPLICA_CONNECTION_STRING through). Without it those tests fail in CI and are skipped elsewhere.
if [[ -n "${SUPERVISION_TEST_REPLICA_CONNECTION_STRING:-}" ]]; then
  echo "test.sh: using SUPERVISION_TEST_REPLICA_CONNECTION_STRING" >&2
elif [[ -n "${SUPERVISION_CONNECTION_STRING:-}" && -z "${SUPERVISION_REPLICA_CONNECTION_STRING:-}" ]]; then
  echo "test.sh: warning: your own PostgreSQL and no SUPERVISION_REPLICA_CONNECTION_STRING; the read-replica tests will not find a replica" >&2
elif replica="$(SUPERVISION_PG_FAST=1 bash "$REPO/ops/replica.sh" start)"; then
  export SUPERVISION_TEST_REPLICA_CONNECTION_STRING="${replica##*$'\n'}"
  echo "test.sh: SUPERVISION_TEST_REPLICA_CONNECTION_STRING=$SUPERVISION_TEST_REPLICA_CONNECTION_STRING" >&2
else
  echo "test.sh: warning: could not start the read replica (ops/replica.sh); the read-replica tests will fail in CI" >&2
fi

# The public pages are tested in a real headless browser (Debian's chromium); install it when missing and root.
if ! command -v chromium >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "test.sh: installing Debian's chromium for the browser test" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
    || echo "test.sh: warning: could not install chromium; the browser test will fail in CI" >&2
fi

# The screenshot tests of the public pages (tests/Supervision.Api.Tests/Public) need a CJK font, or Chromium draws every Chinese
# character as a box (and the test says so); install Debian's WenQuanYi Micro Hei when no Chinese font is present and root.
if ! { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family | grep -q .; } && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "test.sh: installing fonts-wqy-microhei for the public page screenshot tests" >&2
  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei; }) >/dev/null 2>&1 \
    || echo "test.sh: warning: could not install fonts-wqy-microhei; the public page screenshot test will fail" >&2
fi

# The OIDC tests run a real OpenID Provider (tests/oidc-provider: the npm package oidc-provider on Node.js 20+). Its
# packages come from the committed lock file; without Node.js those tests fail with a message saying so, never skip.
if [[ ! -f tests/oidc-provider/node_modules/oidc-provider/package.json ]]; then
  if command -v npm >/dev/null 2>&1; then
    echo "test.sh: installing the OIDC test provider's packages (npm ci)" >&2
    (cd tests/oidc-provider && npm ci --no-audit --no-fund) >&2 \
      || { echo "test.sh: error: npm ci in tests/oidc-provider failed" >&2; exit 1; }
  else
    echo "test.sh: warning: Node.js 20+ and npm are not installed; the OIDC tests will fail" >&2
  fi
fi

# The OpenAPI document as a consumer uses it (issue 15): docs/openapi.json linted with Redocly CLI and a typed client compiled
# against it (ops/openapi-check.sh; pinned npm packages in tools/openapi-check). OpenApiDocumentTests keeps the file equal to what
# the service serves. A failure here fails the run after the tests.
set +e
bash "$REPO/ops/openapi-check.sh"
openapi_rc=$?
set -e
[[ $openapi_rc -eq 0 ]] || echo "test.sh: error: ops/openapi-check.sh failed (exit $openapi_rc)" >&2

log="$(mktemp)"
set +e
dotnet test Supervision.EventSourced.sln -c Release "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
[[ $rc -ne 0 || $openapi_rc -eq 0 ]] || rc=$openapi_rc
# One plain closing line over all test projects, e.g. "tests: 57 passed, 0 failed, 0 skipped".
awk -F'[:,]' '/(Passed|Failed)! +- +Failed:/ { f += $2; p += $4; s += $6 } END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$rc"
