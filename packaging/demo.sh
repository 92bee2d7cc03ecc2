#!/usr/bin/env bash
# Build Retort and run it on the demo project (resources/demo, an Alembic project on
# SQLite with a fork, a merge and a branch label). Works on a copy in build/demo, so the
# repository stays clean. Fresh Debian 12: run as root or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"

RETORT=$PWD/build/app/retort
rm -rf build/demo
cp -r resources/demo build/demo
cd build/demo

run() { echo; echo "\$ retort $*"; "$RETORT" "$@"; }
run history
run upgrade head
run current

# ---- retort-studio: the desktop studio on the same demo project ----
# Needs a display (an offscreen platform would wait forever with no window to close).
if [ -x ../app/retort-studio ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo; echo "\$ retort-studio alembic.ini"
  ../app/retort-studio alembic.ini
else
  echo; echo "(retort-studio not opened: no display; run build/app/retort-studio build/demo/alembic.ini on a desktop)"
fi
