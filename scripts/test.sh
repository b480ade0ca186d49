#!/usr/bin/env bash
# Runs every test of WelfareAudit on a fresh clone: installs what the tests need when missing (the
# pinned Azurite from the lockfile, smtp4dev as a local dotnet tool, Debian Chromium, LibreOffice Calc), runs `dotnet test` over the solution (the tests start their own Azurite on free loopback
# ports), and ends with one line "N passed, N failed" read from the test results.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ ! -x node_modules/.bin/azurite-table ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "Installing Azurite and axe-core from package-lock.json (npm ci)..."
  npm ci --no-audit --no-fund
fi

if [ ! -x .tools/smtp4dev ]; then
  echo "Installing smtp4dev (a real SMTP server for the email tests) into .tools/..."
  dotnet tool install --tool-path .tools Rnwood.Smtp4dev --version 3.15.0
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "Debian Chromium is missing (the phone page and report tests drive it headless)."
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && apt-get install -y -qq chromium
  else
    echo "Install it with: sudo apt-get install -y chromium" >&2
  fi
fi

if ! command -v soffice >/dev/null; then
  echo "LibreOffice Calc is missing (the CSV export tests open the export in it, headless)."
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && apt-get install -y -qq libreoffice-calc
  else
    echo "Install it with: sudo apt-get install -y libreoffice-calc" >&2
  fi
fi

results="$root/.test-results"
rm -rf "$results"
mkdir -p "$results"

set +e
dotnet test WelfareAudit.sln -c Release --logger "trx" --results-directory "$results" "$@" 2>&1 | tee "$results/output.log"
status=${PIPESTATUS[0]}
set -e

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:    92, Skipped: ..." (or "Failed!").
passed=0
failed=0
while read -r f p; do
  passed=$((passed + p))
  failed=$((failed + f))
done < <(sed -n 's/^\(Passed\|Failed\)! *- Failed: *\([0-9]*\), Passed: *\([0-9]*\),.*/\2 \3/p' "$results/output.log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed before results were written: count it as a failure.
  failed=1
fi
echo "${passed} passed, ${failed} failed"
exit "$status"
