#!/bin/sh
# Installs the Debian 12 packages cofin needs to build, run and test, when missing.
# Does nothing (and touches no network) when everything is present. Run as root.
# Tests use: python3-openpyxl (an independent workbook reader), LibreOffice (formula recalculation),
# poppler-utils (sheet rendering), clang + its runtime (fuzz corpus replay under sanitizers),
# strace (proof that XML input touches no file or network).
set -eu
packages="g++ cmake make pkg-config git
libboost-dev libboost-program-options-dev
libxerces-c-dev libxlsxwriter-dev libspdlog-dev libfmt-dev catch2
libsqlite3-dev libssl-dev zlib1g-dev
python3 python3-openpyxl
libreoffice-calc-nogui poppler-utils
clang libclang-rt-14-dev llvm strace"
missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
if [ -z "$missing" ]; then
  echo "install-deps: all packages present"
  exit 0
fi
echo "install-deps: installing$missing"
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: must run as root to install:$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
