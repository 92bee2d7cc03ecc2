#!/usr/bin/env bash
# Build Retort and run the whole test suite (unit + conformance on SQLite, PostgreSQL 15
# and MariaDB 10.11). Fresh Debian 12: run as root or with sudo available.
#   tests/run.sh                 # everything
#   tests/run.sh -R conformance  # extra arguments go to ctest
# Env: RETORT_BUILD_DIR (default build), RETORT_CTEST_JOBS (default 2), CI (set: -Werror),
#      RETORT_FUZZ=0 (skip the ASan/UBSan build and fuzz test, RETORT_FUZZ_BUILD_DIR: build-asan).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${RETORT_BUILD_DIR:-build}

packaging/install-deps.sh

case "${CI:-}" in ""|0|false|no) WERROR=OFF ;; *) WERROR=ON ;; esac   # warnings are errors in CI
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DRETORT_WERROR=$WERROR
cmake --build "$BUILD" -j"$(nproc)"

# Our own throwaway servers (own state dir, so a developer's running set is untouched).
export RETORT_DB_STATE=${RETORT_DB_STATE:-$(mktemp -d /tmp/retort-dbstate.XXXXXX)}
cleanup() {
  "$ROOT/tests/scripts/dbservers.sh" stop || true
  rmdir "$RETORT_DB_STATE" 2>/dev/null || true
}
trap cleanup EXIT
tests/scripts/dbservers.sh start
eval "$(tests/scripts/dbservers.sh env)"
export RETORT_TEST_PG_URL RETORT_TEST_MYSQL_URL

ctest --test-dir "$BUILD" --output-on-failure -j"${RETORT_CTEST_JOBS:-2}" "$@"

# The fuzz test (ctest fuzz.mutation) on an ASan/UBSan build of the two programs it runs.
if [ "${RETORT_FUZZ:-1}" != 0 ]; then
  FUZZ_BUILD=${RETORT_FUZZ_BUILD_DIR:-build-asan}
  cmake -S . -B "$FUZZ_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DRETORT_SANITIZE=ON -DRETORT_BUILD_STUDIO=OFF -DRETORT_BUILD_BENCH=OFF -DRETORT_WERROR=$WERROR
  cmake --build "$FUZZ_BUILD" -j"$(nproc)" --target retort retort_fuzz
  ctest --test-dir "$FUZZ_BUILD" --output-on-failure -L fuzz
fi
