#!/usr/bin/env bash
# Rebuilds ops/nuget-feed/patched.distributedlock.postgres.1.3.3.nupkg (see the csproj for why).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dotnet pack "$here/src/Patched.DistributedLock.Postgres.csproj" -c Release -o "$here/../nuget-feed" -p:NuGetAudit=false
