#!/usr/bin/env bash
# Installs the Debian packages migsim needs, only those missing (apt-get; sudo when not root).
# --optional also installs what only some tests and commands use: prometheus (prometheus and
# promtool: the observability tests and `migsim alerts`; those tests skip without it).
set -euo pipefail
optional=0
[ "${1:-}" = "--optional" ] && optional=1
packages=(build-essential cmake pkg-config ccache libsimgrid-dev libboost-dev libboost-system-dev
          nlohmann-json3-dev libspdlog-dev catch2 libcli11-dev libssl-dev python3
          chromium chromium-driver)  # headless Chromium + chromedriver: the HTML report's browser test
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The mock-endpoint tests drive migsim with boto3 (preinstalled with Python 3.11 on the project's
# machines); elsewhere Debian's python3-boto3 is the fallback (older models: some DMS calls may lack).
if ! python3 -c "import boto3" >/dev/null 2>&1; then
  missing+=(python3-boto3)
fi
# The sweep test checks the emitted Kubernetes manifest with PyYAML.
if ! python3 -c "import yaml" >/dev/null 2>&1; then
  missing+=(python3-yaml)
fi
if [ "$optional" -eq 1 ] && ! command -v promtool >/dev/null 2>&1; then
  missing+=(prometheus)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "migsim: installing missing packages: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
