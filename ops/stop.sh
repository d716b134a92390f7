#!/usr/bin/env bash
# Stops the local PostgreSQL cluster started by ops/pg.sh (ops/run.sh, ops/test.sh).
set -euo pipefail
exec bash "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/pg.sh" stop
