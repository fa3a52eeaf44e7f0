#!/usr/bin/env bash
# Build and lint every .bicep file under infra/ with the Bicep CLI from NuGet (offline, no az CLI needed).
#   infra/build.sh            build into a temp folder + lint; fails on any error, warning or info diagnostic
#   infra/build.sh OUTDIR     also keep the compiled ARM JSON (main.json, modules/*.json) in OUTDIR
# The CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64 (PackageDownload in
# tests/Connector.Infra.Tests, which also runs these checks and the template's security tests).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 BICEP_TELEMETRY_ENABLED=false

package=azure.bicep.commandline.linux-x64
version=0.49.2
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
bicep="$packages/$package/$version/tools/bicep"

if [ ! -f "$bicep" ]; then
  echo "==> restoring the Bicep CLI $version from NuGet"
  dotnet restore tests/Connector.Infra.Tests/Connector.Infra.Tests.csproj --nologo -v quiet
fi
[ -f "$bicep" ] || { echo "Bicep CLI not found at $bicep after restore" >&2; exit 1; }
chmod +x "$bicep"

out="${1:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -n "$out" ] || out="$tmp/arm"

log="$tmp/bicep.log"
status=0
echo "==> bicep build infra/**/*.bicep -> $out"
"$bicep" build --pattern 'infra/**/*.bicep' --outdir "$out" >"$log" 2>&1 || status=$?
echo "==> bicep lint infra/**/*.bicep"
"$bicep" lint --pattern 'infra/**/*.bicep' >>"$log" 2>&1 || status=$?

if [ -s "$log" ]; then
  cat "$log"
fi
if [ "$status" -ne 0 ] || grep -Eq '\)\s*:\s*(Error|Warning|Info) ' "$log"; then
  echo "FAILED: bicep reported diagnostics (zero warnings required)" >&2
  exit 1
fi
count=$(find infra -name '*.bicep' | wc -l)
echo "==> $count Bicep files build and lint clean ($("$bicep" --version))"
