#!/usr/bin/env bash
# Builds and lints the infrastructure offline with the pinned Bicep CLI (NuGet package
# Azure.Bicep.CommandLine.linux-x64, restored by infra/bicep-cli/bicep.proj). Fails on any error or
# warning from either command; the lint rules that matter are errors in infra/bicepconfig.json.
# Usage: infra/build.sh [output-dir]   (the compiled ARM JSON is written to <output-dir>/main.json)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

bicep_version="0.49.2"
dotnet restore infra/bicep-cli/bicep.proj --verbosity quiet

packages="${NUGET_PACKAGES:-}"
if [ -z "$packages" ]; then
  packages="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')"
fi
bicep="${packages%/}/azure.bicep.commandline.linux-x64/${bicep_version}/tools/bicep"
if [ ! -f "$bicep" ]; then
  echo "infra/build.sh: the Bicep CLI is not at $bicep after restoring infra/bicep-cli/bicep.proj" >&2
  exit 1
fi
[ -x "$bicep" ] || chmod u+x "$bicep"

out="${1:-}"
if [ -z "$out" ]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"

# Bicep prints diagnostics on stderr and exits 0 when there are only warnings: capture and judge them.
run() {
  local log
  log="$(mktemp)"
  local status=0
  "$bicep" "$@" 2>"$log" || status=$?
  cat "$log" >&2
  if [ "$status" -ne 0 ] || grep -qE ': (Error|Warning) ' "$log"; then
    rm -f "$log"
    echo "infra/build.sh: bicep $1 failed (exit $status, or diagnostics above)" >&2
    return 1
  fi
  rm -f "$log"
}

run build infra/main.bicep --outfile "$out/main.json"
run lint infra/main.bicep
echo "infra: bicep $bicep_version build and lint clean -> $out/main.json"
