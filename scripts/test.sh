#!/usr/bin/env bash
# Runs every test of WelfareAudit on a fresh clone: installs the pinned Azurite from the lockfile when
# missing, runs `dotnet test` over the solution (the tests start their own Azurite on free loopback
# ports), and ends with one line "N passed, N failed" read from the test results.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ ! -x node_modules/.bin/azurite-table ]; then
  echo "Installing Azurite from package-lock.json (npm ci)..."
  npm ci --no-audit --no-fund
fi

results="$root/.test-results"
rm -rf "$results"
mkdir -p "$results"

set +e
dotnet test WelfareAudit.sln -c Release --logger "trx" --results-directory "$results" "$@"
status=$?
set -e

passed=0
failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed before results were written: count it as a failure.
  failed=1
fi
echo "${passed} passed, ${failed} failed"
exit "$status"
