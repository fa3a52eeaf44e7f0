#!/usr/bin/env bash
# Connector's one entry point for people and CI.
#   ./build.sh test      install what is missing, build, run every test (CI runs this)
#   ./build.sh run       package the app and run it locally with demo data (Azurite, simulators, host emulation)
#   ./build.sh package   write artifacts/functionapp/ and artifacts/functionapp.zip (design §6.3)
#   ./build.sh bench     print throughput and latency figures of the import path
#   ./build.sh setup     only install tools (npm packages; Debian chromium for the browser tests)
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

setup() {
  if [ ! -x node_modules/.bin/azurite-table ] || [ ! -x node_modules/.bin/tsc ]; then
    echo "==> npm packages (Azurite, TypeScript for the page's type check)"
    npm ci --no-audit --no-fund
  fi
  if ! command -v chromium >/dev/null 2>&1; then
    echo "==> Debian chromium (browser tests)"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
  fi
}

package() {
  local out="$root/artifacts/functionapp"
  echo "==> publishing the handler (self-contained linux-x64) into $out"
  rm -rf "$out" "$root/artifacts/functionapp.zip"
  mkdir -p "$out"
  dotnet publish functions/Connector.Handler/Connector.Handler.csproj -c Release -r linux-x64 --self-contained true \
    -p:PublishSingleFile=false -p:DebugType=none -o "$out" --nologo -v quiet
  cp host.json "$out/"
  for dir in functions/*/; do
    name=$(basename "$dir")
    if [ -f "$dir/function.json" ]; then mkdir -p "$out/$name" && cp "$dir/function.json" "$out/$name/"; fi
  done
  chmod +x "$out/Connector.Handler"
  (cd "$out" && python3 - <<'PY'
import os, stat, zipfile
# zip keeps the executable bit of the handler (reference §2.2: a lost +x is a known failure on Linux).
with zipfile.ZipFile("../functionapp.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for folder, _, files in os.walk("."):
        for f in sorted(files):
            path = os.path.join(folder, f)
            info = zipfile.ZipInfo.from_file(path, os.path.relpath(path, "."))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as src:
                z.writestr(info, src.read())
PY
  )
  echo "==> artifacts/functionapp/ and artifacts/functionapp.zip ($(du -sh "$root/artifacts/functionapp.zip" | cut -f1))"
}

case "${1:-test}" in
  setup) setup ;;
  test)
    setup
    echo "==> build"
    dotnet build Connector.sln -c Release --nologo -v quiet
    echo "==> type-check the order page (// @ts-check, JSDoc types)"
    node_modules/.bin/tsc -p functions/Connector.Handler/Web/App/jsconfig.json
    echo "==> tests"
    # One test project at a time: the integration and browser suites start real servers and share two cores.
    # Each project also writes a TRX file, so the end of the output can list every failed test with its message.
    results="$root/artifacts/test-results"
    rm -rf "$results" && mkdir -p "$results"
    failed=()
    for project in $(ls tests/*/*.csproj | grep -E '\.Tests(\.[A-Za-z]+)?/' | sort); do
      echo "==> $project"
      name=$(basename "$project" .csproj)
      # (the in-process servers' start/stop lines would drown the results)
      env 'Logging__LogLevel__Microsoft.Hosting.Lifetime=Warning' dotnet test "$project" -c Release --no-build --nologo --logger "console;verbosity=normal" \
        --logger "trx;LogFileName=$name.trx" --results-directory "$results" ${TEST_FILTER:+--filter "$TEST_FILTER"} \
        || failed+=("$project")
    done
    if [ ${#failed[@]} -gt 0 ]; then
      python3 .ci/failed-tests.py "$results"/*.trx >&2 || true
      echo "==> FAILED: ${failed[*]}" >&2
      exit 1
    fi
    echo "==> all test projects passed"
    ;;
  package) package ;;
  run)
    setup
    package
    dotnet run --project tests/Connector.Sandbox -c Release -- --app "$root/artifacts/functionapp" "${@:2}"
    ;;
  bench)
    setup
    dotnet run --project tests/Connector.Benchmarks -c Release -- "${@:2}"
    ;;
  *) echo "usage: ./build.sh [test|run|package|bench|setup]" >&2; exit 2 ;;
esac
