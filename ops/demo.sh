#!/usr/bin/env bash
# Loads the demo county (issue 15) through the public HTTP API and prints the pages to look at.
#
#   bash ops/demo.sh
#
# A city (石家庄市) and a county (鹿泉区) with their market regulation and partner departments, matters with legal bases,
# 3,000 generated targets, inspectors with certificates and one conflict of interest, an approved and published plan with a
# joint task, a witnessed draw, a recusal, inspections with results, a follow-up hand-over, publications with one correction.
# Every request is made as the role that does it, with tokens signed by the local development key (as ops/token.sh does).
# Idempotent: a second run finds everything by its natural keys and writes nothing.
#
# Environment:
#   SUPERVISION_URL   the service (default http://127.0.0.1:5080). When nothing answers there, the service is started with
#                     ops/run.sh on that URL in the background (log in .data/demo-service.log) and left running.
#   Everything ops/run.sh reads (SUPERVISION_CONNECTION_STRING, ...) when it starts the service.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"
url="${SUPERVISION_URL:-http://127.0.0.1:5080}"
url="${url%/}"

ready() { curl -fsS -o /dev/null --max-time 5 "$url/health/ready" 2>/dev/null; }

echo "demo.sh: building the demo loader (Release)" >&2
dotnet build ops/demo/DemoCounty -c Release -v q -nologo >&2

if ! ready; then
  mkdir -p .data
  echo "demo.sh: no service answers at $url; starting one with ops/run.sh (log: .data/demo-service.log)" >&2
  SUPERVISION_URLS="$url" nohup bash ops/run.sh >.data/demo-service.log 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    ready && break
    kill -0 "$pid" 2>/dev/null || { echo "demo.sh: error: the service stopped; see .data/demo-service.log" >&2; tail -20 .data/demo-service.log >&2; exit 1; }
    sleep 1
  done
  ready || { echo "demo.sh: error: the service did not become ready within 240 s; see .data/demo-service.log" >&2; exit 1; }
  echo "demo.sh: service ready at $url (pid $pid; stop it with: kill $pid)" >&2
fi

# From the service's project folder, as ops/run.sh and ops/token.sh run (`dotnet run --project` works there): the local
# signing key is read from its .data/ folder, so the demo's tokens are the ones the service trusts.
cd src/Supervision.Api
exec dotnet "$REPO/ops/demo/DemoCounty/bin/Release/net10.0/DemoCounty.dll" --url "$url"
