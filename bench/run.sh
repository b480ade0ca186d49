#!/usr/bin/env bash
# The benchmarks of issue 7, as one command:
#   bench/run.sh quick   a few minutes: latency 1,000 samples; throughput 3 s x 3 rounds per level;
#                        export of 1,000 and 10,000 events; Key Vault 1,000 POST+GET; list of 1,000 searches 9 rounds;
#                        micro-benchmarks ShortRun; jobs over every ledger at 10 and 100 therapists x 100 searches
#   bench/run.sh full    latency 5,000 samples; throughput 10 s x 5 rounds; export of 10,000 and 100,000
#                        events; Key Vault 1,000 POST+GET; list of 1,000 searches 21 rounds; micro-benchmarks with
#                        BenchmarkDotNet's default job; jobs over every ledger at 50 and 500 therapists x 100 searches
#                        (not 1,000: Azurite scans the whole table for every query, so a job over N ledgers costs
#                        O(N x rows) on the emulator)
# Builds Release, runs every scenario (each starts its own Azurite, and the local host where needed), writes
# JSON to bench/results/ (git-ignored; logs beside them) and regenerates docs/performance.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
mode=${1:-quick}
case "$mode" in
  quick) samples=1000; seconds=3; rounds=3; exports="1000 10000"; pairs=1000; listing_rounds=9; scale=(100 10 100) ;;
  full) samples=5000; seconds=10; rounds=5; exports="10000 100000"; pairs=1000; listing_rounds=21; scale=(100 50 500) ;;
  *) echo "usage: bench/run.sh quick|full" >&2; exit 2 ;;
esac
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ ! -x node_modules/.bin/azurite-table ]; then
  echo "== npm ci (Azurite from package-lock.json)"
  npm ci --no-audit --no-fund
fi

results=$root/bench/results
mkdir -p "$results"
rm -f "$results"/*.json "$results"/*.log "$results"/run-info.txt
info=$results/run-info.txt
{
  echo "mode=$mode"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "started=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "azurite=$(node -p "require('./node_modules/azurite/package.json').version" 2>/dev/null || echo unknown)"
} > "$info"
load() { echo "uptime $(printf '%-22s' "$1") $(uptime)" | tee -a "$info"; }

echo "== build (Release)"
for p in bench/WelfareAudit.Bench bench/WelfareAudit.Bench.Export bench/WelfareAudit.Bench.Micro; do
  dotnet build -c Release "$p" -v quiet -nologo > "$results/build.log" 2>&1 || { cat "$results/build.log"; exit 1; }
done
bin() { echo "$root/$1/bin/Release/net10.0/$(basename "$1").dll"; }
bench=$(bin bench/WelfareAudit.Bench)

step() {
  local name=$1; shift
  load "before $name"
  local t0=$SECONDS
  if ! "$@" > "$results/$name.log" 2>&1; then
    echo "!! $name failed; last lines of bench/results/$name.log:" >&2
    tail -30 "$results/$name.log" >&2
    exit 1
  fi
  echo "   $name: $((SECONDS - t0)) s"
}

step latency dotnet "$bench" latency "$samples"
step throughput dotnet "$bench" throughput "$seconds" "$rounds"
for n in $exports; do
  step "export-$n" dotnet "$(bin bench/WelfareAudit.Bench.Export)" "$n"
done
step keyvault dotnet "$bench" keyvault "$pairs"
step listing dotnet "$bench" listing 1000 "$listing_rounds"
step scale dotnet "$bench" scale "${scale[@]}" # searches per therapist, then the numbers of therapists
step micro dotnet "$(bin bench/WelfareAudit.Bench.Micro)" "$mode"
load "after all"
echo "finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$info"

dotnet "$bench" report "$mode"
echo "== results in bench/results/, table in docs/performance.md"
