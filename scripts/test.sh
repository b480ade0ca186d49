#!/usr/bin/env bash
# Runs every test of WelfareAudit on a fresh clone: installs what the tests need when missing (the
# pinned Azurite from the lockfile, smtp4dev as a local dotnet tool, Debian Chromium, LibreOffice Calc), builds the solution once and runs every test assembly at the same time
# (each test process starts its own Azurite on free loopback ports), and ends with one line "N passed, N failed" read from the test results.
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

# Build once (warnings are errors, analyzers on), then run every test assembly at the same time, so the two
# cores stay busy to the end. Each test process starts one Azurite pair and at most one Chromium of its own
# on free ports, shared by its tests, so assemblies share nothing. `dotnet test` over the solution ran only two
# at a time (one per core), queueing the phone page and CLI tests behind the others. The slowest start first.
# Where the CPU goes: docs/architecture.md ("How the suite runs").
# The test processes (and the hosts, CLI runs and child processes they start) run on a machine whose
# cores are all busy: no spinning of idle thread-pool threads, and no tier-1 profiling of code that runs
# once. Alternated runs of the Infrastructure tests used 7-10 % less CPU with both; the product's settings
# are unchanged (these apply to this script's processes only).
export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_TieredPGO=0

set +e
dotnet build WelfareAudit.sln -c Release -nologo 2>&1 | tee "$results/build.log"
status=${PIPESTATUS[0]}
set -e

slowest_first=(LocalHost PhonePage Cli Infrastructure Deployment)
projects=()
for name in "${slowest_first[@]}"; do
  [ -f "tests/WelfareAudit.$name.Tests/WelfareAudit.$name.Tests.csproj" ] && projects+=("WelfareAudit.$name.Tests")
done
for csproj in tests/*/*.csproj; do
  project="$(basename "$csproj" .csproj)"
  if grep -qE '<IsTestProject>true<|"Microsoft.NET.Test.Sdk"' "$csproj" && [[ ! " ${projects[*]} " =~ " $project " ]]; then
    projects+=("$project")
  fi
done

if [ "$status" -eq 0 ]; then
  for project in "${projects[@]}"; do
    (
      set +e
      dotnet test "tests/$project/bin/Release/net10.0/$project.dll" --logger "trx;LogFileName=$project.trx" \
        --results-directory "$results" "$@" >"$results/$project.log" 2>&1
      echo $? >"$results/$project.rc"
      grep -E '^(Passed|Failed)!' "$results/$project.log" || echo "$project: no test result (see $results/$project.log)"
    ) &
  done
  wait
  for project in "${projects[@]}"; do
    cat "$results/$project.log" >>"$results/output.log"
    rc="$(cat "$results/$project.rc" 2>/dev/null || echo 1)"
    [ "$rc" -eq 0 ] || status="$rc"
  done
fi

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:    92, Skipped: ..." (or "Failed!").
passed=0
failed=0
while read -r f p; do
  passed=$((passed + p))
  failed=$((failed + f))
done < <(sed -n 's/^\(Passed\|Failed\)! *- Failed: *\([0-9]*\), Passed: *\([0-9]*\),.*/\2 \3/p' "$results/output.log" 2>/dev/null)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed before results were written: count it as a failure.
  failed=1
fi
echo "${passed} passed, ${failed} failed"
exit "$status"
