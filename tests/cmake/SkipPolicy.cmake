# Skip policy: with RETORT_FORBID_SKIPS=ON (tests/run.sh sets it when CI=true, where the
# servers are started and Alembic is installed) a skipped test is a failed test, because
# every skip in this suite means "something the test needs is missing".
# Included by tests/CMakeLists.txt and by tests/scripts/skip_policy_selftest.sh, which
# proves these properties on a probe that always skips.
if(NOT DEFINED RETORT_FORBID_SKIPS AND "$ENV{RETORT_FORBID_SKIPS}" STREQUAL "1")
  set(_retort_forbid_default ON)
else()
  set(_retort_forbid_default OFF)
endif()
option(RETORT_FORBID_SKIPS "Fail tests that skip (QSKIP, unittest SkipTest)" ${_retort_forbid_default})

# A Qt Test binary: QSKIP prints "SKIP   : Class::function() reason" and exits 0, so
# ctest counts it as passed; the totals line counts skips too (QSKIP in initTestCase).
function(retort_qtest_skip_policy test)
  if(RETORT_FORBID_SKIPS)
    set_tests_properties(${test} PROPERTIES FAIL_REGULAR_EXPRESSION
      "(^|\n)SKIP   : ;(^|\n)Totals: [^\n]*, [1-9][0-9]* skipped")
  endif()
endfunction()

# A unittest slice of the conformance harness: SkipTest is turned into a failure by
# conformance.py when RETORT_FORBID_SKIPS=1; without it, a slice whose server URL is not
# set is reported by ctest as skipped instead of passed.
function(retort_unittest_skip_policy test)
  if(RETORT_FORBID_SKIPS)
    set_property(TEST ${test} APPEND PROPERTY ENVIRONMENT "RETORT_FORBID_SKIPS=1")
  else()
    set_tests_properties(${test} PROPERTIES SKIP_REGULAR_EXPRESSION "skipped '[a-z]+ server URL not set")
  endif()
endfunction()
