#!/usr/bin/env bash
# Build Retort and run the whole test suite (unit + conformance on SQLite, PostgreSQL 15
# and MariaDB 10.11). Fresh Debian 12: run as root or with sudo available.
#   tests/run.sh                 # everything
#   tests/run.sh -R conformance  # extra arguments go to ctest
# Env: RETORT_BUILD_DIR (default build), RETORT_CTEST_JOBS (default 2), CI (set: -Werror,
#      and any skipped test fails the run; RETORT_FORBID_SKIPS=1 does the same outside CI),
#      RETORT_FUZZ=0 (skip the ASan/UBSan build and fuzz test; default: run it unless a
#      ctest subset is given), RETORT_FUZZ_BUILD_DIR (default build-asan).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${RETORT_BUILD_DIR:-build}

packaging/install-deps.sh

# In CI (CI=true) the servers are started and Alembic is installed, so a skipped test only
# means that part of the suite proved nothing: every skip fails the run there
# (tests/cmake/SkipPolicy.cmake; RETORT_FORBID_SKIPS=1 does the same outside CI).
[ "${CI:-}" = true ] && export RETORT_FORBID_SKIPS=1
FORBID_SKIPS=OFF
[ "${RETORT_FORBID_SKIPS:-}" = 1 ] && FORBID_SKIPS=ON
case "${CI:-}" in ""|0|false|no) WERROR=OFF ;; *) WERROR=ON ;; esac   # warnings are errors in CI
# ccache, when installed, makes rebuilds in another checkout cheap (paths relative to it).
LAUNCHER=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR=$ROOT
  LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DRETORT_FORBID_SKIPS=$FORBID_SKIPS \
  -DRETORT_WERROR=$WERROR "${LAUNCHER[@]}"
cmake --build "$BUILD" -j"$(nproc)"

# Our own throwaway servers (own state dir, so a developer's running set is untouched).
export RETORT_DB_STATE=${RETORT_DB_STATE:-$(mktemp -d /tmp/retort-dbstate.XXXXXX)}
cleanup() {
  "$ROOT/tests/scripts/galera.sh" stop || true
  "$ROOT/tests/scripts/dbservers.sh" stop || true
  rmdir "$RETORT_DB_STATE" 2>/dev/null || true
}
trap cleanup EXIT
tests/scripts/dbservers.sh start
eval "$(tests/scripts/dbservers.sh env)"
export RETORT_TEST_PG_URL RETORT_TEST_MYSQL_URL
# Three-node Galera cluster for the concurrency tests (its state file sits in the same dir).
galera_t0=$SECONDS
tests/scripts/galera.sh start
echo "run.sh: Galera cluster started in $((SECONDS - galera_t0))s"
eval "$(tests/scripts/galera.sh env)"
export RETORT_TEST_GALERA_URLS

JUNIT=$(cd "$BUILD" && pwd)/ctest-junit.xml
ctest --test-dir "$BUILD" --output-on-failure -j"${RETORT_CTEST_JOBS:-2}" --output-junit "$JUNIT" "$@"
# ctest exits 0 for tests it marked skipped or did not run: catch those too.
if [ "$FORBID_SKIPS" = ON ]; then
  /usr/bin/python3 tests/scripts/no_skipped_tests.py "$JUNIT"
fi

# The fuzz test (ctest fuzz.mutation) on an ASan/UBSan build of the two programs it runs.
if [ "${RETORT_FUZZ:-$([ $# -eq 0 ] && echo 1 || echo 0)}" != 0 ]; then
  FUZZ_BUILD=${RETORT_FUZZ_BUILD_DIR:-build-asan}
  cmake -S . -B "$FUZZ_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DRETORT_SANITIZE=ON -DRETORT_BUILD_STUDIO=OFF -DRETORT_BUILD_BENCH=OFF -DRETORT_WERROR=$WERROR \
    -DRETORT_FORBID_SKIPS=$FORBID_SKIPS "${LAUNCHER[@]}"
  cmake --build "$FUZZ_BUILD" -j"$(nproc)" --target retort retort_fuzz
  ctest --test-dir "$FUZZ_BUILD" --output-on-failure -L fuzz -V   # -V: the fuzzer says how many cases it ran
fi
