#!/usr/bin/env bash
# Build kehu, create data/kehu.db with an admin and demo data on first run, and serve
# the API on http://127.0.0.1:8080. The admin password is printed once, on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEHU_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"
export KEHU_DB=${KEHU_DB:-data/kehu.db}
# first run only (also for a postgresql:// KEHU_DB): no users yet means not set up
if ! build/kehu user list >/dev/null 2>&1; then
  build/kehu init
  build/kehu demo --customers "${KEHU_DEMO_CUSTOMERS:-2000}"
fi
exec build/kehu serve --listen "${KEHU_LISTEN:-127.0.0.1:8080}"
