#!/usr/bin/env bash
# Proves the skip policy (tests/cmake/SkipPolicy.cmake, conformance.py, no_skipped_tests.py)
# on probes that always skip, in a scratch ctest project built from the same CMake module:
#   * a Qt Test binary with a QSKIP (skip_policy_probe),
#   * a real conformance slice whose server URL is not set (test_online.OnlinePostgreSQL),
#   * a unittest method calling self.skipTest() in a module importing conformance.py.
# Without RETORT_FORBID_SKIPS every probe passes or is reported skipped (ctest exit 0) and
# no_skipped_tests.py flags the skipped slice; with it every probe fails (ctest exit != 0).
#   skip_policy_selftest.sh CMAKE CTEST PROBE_BINARY     (run by ctest: skip_policy.selftest)
set -euo pipefail
CMAKE=$1 CTEST=$2 PROBE=$3
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/retort-skippolicy.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# The outer run's policy must not leak into the probes: each case sets its own.
unset RETORT_FORBID_SKIPS RETORT_TEST_PG_URL

mkdir -p "$WORK/src"
cat >"$WORK/src/skip_probe.py" <<'PY'
import unittest

import conformance  # noqa: F401  (installs the skip policy, as in every test module)


class MethodSkip(unittest.TestCase):
    def test_passes(self):
        self.assertTrue(True)

    def test_skips(self):
        self.skipTest("probe: a resource this test needs is missing")
PY
cat >"$WORK/src/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.16)
project(skip_policy_probe NONE)
enable_testing()
include("$SRC/tests/cmake/SkipPolicy.cmake")
add_test(NAME qt_qskip COMMAND "$PROBE")
retort_qtest_skip_policy(qt_qskip)
add_test(NAME conformance_no_server COMMAND /usr/bin/python3 -m unittest -v test_online.OnlinePostgreSQL
         WORKING_DIRECTORY "$SRC/tests/conformance")
set_tests_properties(conformance_no_server PROPERTIES
  ENVIRONMENT "RETORT_BIN=/bin/true;PYTHONDONTWRITEBYTECODE=1")
retort_unittest_skip_policy(conformance_no_server)
add_test(NAME unittest_method_skip COMMAND /usr/bin/python3 -m unittest -v skip_probe
         WORKING_DIRECTORY "$WORK/src")
set_tests_properties(unittest_method_skip PROPERTIES
  ENVIRONMENT "PYTHONPATH=$SRC/tests/conformance;PYTHONDONTWRITEBYTECODE=1")
retort_unittest_skip_policy(unittest_method_skip)
CM

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run_case ON|OFF: configure + ctest; prints ctest's output, sets RC and JUNIT.
run_case() {
  local b=$WORK/build-$1
  "$CMAKE" -S "$WORK/src" -B "$b" -DRETORT_FORBID_SKIPS="$1" >/dev/null
  set +e
  "$CTEST" --test-dir "$b" --output-on-failure --output-junit "$b/junit.xml" >"$b/ctest.out" 2>&1
  RC=$?
  set -e
  JUNIT=$b/junit.xml
  sed 's/^/  | /' "$b/ctest.out"
}
status_of() { # test name, ctest output -> Passed / Failed / Skipped ...
  sed -n "s/^ *[0-9]*\/[0-9]* Test *#[0-9]*: $1 [ .*]*\([A-Za-z]*\).*/\1/p" "$2" | head -1
}

echo "== RETORT_FORBID_SKIPS=OFF: skips are tolerated by ctest"
run_case OFF
[ "$RC" -eq 0 ] || fail "OFF: ctest exit $RC, expected 0"
out=$WORK/build-OFF/ctest.out
[ "$(status_of qt_qskip "$out")" = Passed ] || fail "OFF: qt_qskip not Passed"
[ "$(status_of conformance_no_server "$out")" = Skipped ] || fail "OFF: conformance_no_server not Skipped"
[ "$(status_of unittest_method_skip "$out")" = Passed ] || fail "OFF: unittest_method_skip not Passed"
if /usr/bin/python3 "$SRC/tests/scripts/no_skipped_tests.py" "$JUNIT"; then
  fail "OFF: no_skipped_tests.py did not flag the skipped conformance slice"
else
  echo "  (no_skipped_tests.py flagged it, as run.sh does in CI)"
fi

echo "== RETORT_FORBID_SKIPS=ON: every skip fails"
run_case ON
[ "$RC" -ne 0 ] || fail "ON: ctest exit 0, expected failure"
out=$WORK/build-ON/ctest.out
for t in qt_qskip conformance_no_server unittest_method_skip; do
  [ "$(status_of $t "$out")" = Failed ] || fail "ON: $t not Failed"
done

if [ "$failures" -ne 0 ]; then
  echo "skip_policy_selftest: $failures check(s) failed"
  exit 1
fi
echo "skip_policy_selftest: OK"
