#!/usr/bin/env bash
# Runs WelfareAudit locally: Azurite (installed from the lockfile when missing) on its default table
# port 10002 with data kept under .local/azurite, and the local host (phone page, API, timer
# schedules) on http://127.0.0.1:7071 with a development sign-in for loopback callers.
# Pass --urls to move the host; set WelfareAudit__LocalHost__DevIdentity=supervisor to act as a supervisor.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ ! -x node_modules/.bin/azurite-table ]; then
  echo "Installing Azurite from package-lock.json (npm ci)..."
  npm ci --no-audit --no-fund
fi

mkdir -p .local/azurite
if ! (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then
  node_modules/.bin/azurite-table --tableHost 127.0.0.1 --tablePort 10002 --location .local/azurite \
    --skipApiVersionCheck --disableTelemetry --silent &
  azurite=$!
  trap 'kill $azurite 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do
    (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null && break
    sleep 0.1
  done
  echo "Azurite table service on http://127.0.0.1:10002"
fi

export WelfareAudit__LocalHost__DevIdentity="${WelfareAudit__LocalHost__DevIdentity:-therapist}"
dotnet run --project functions/WelfareAudit.LocalHost -c Release -- "$@"
