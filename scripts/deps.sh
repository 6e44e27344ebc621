#!/usr/bin/env bash
# Install the Debian packages kehu builds, tests and benchmarks with, if any is missing.
# Usage: scripts/deps.sh [build|test|bench]   (each level includes the ones before)
set -euo pipefail
level=${1:-build}

pkgs=(build-essential cmake pkg-config gettext
      libsqlite3-dev libpq-dev libmicrohttpd-dev libjansson-dev libsodium-dev
      libcsv-dev libxlsxwriter-dev libminizip-dev libexpat1-dev)
if [[ $level == test || $level == bench ]]; then
  # clang and its runtime libraries (libFuzzer, sanitizers: only recommended by clang)
  pkgs+=(libcmocka-dev python3 curl sqlite3 postgresql postgresql-contrib clang libclang-rt-dev)
fi
if [[ $level == bench ]]; then
  pkgs+=(wrk nginx-light procps)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
