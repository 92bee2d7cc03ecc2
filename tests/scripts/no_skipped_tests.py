#!/usr/bin/python3
"""Fail when a ctest run skipped or did not run a test.

usage: no_skipped_tests.py JUNIT.xml   (written by `ctest --output-junit`)

ctest counts a test marked skipped (SKIP_REGULAR_EXPRESSION, SKIP_RETURN_CODE), a
disabled test and a test it did not run as "not failed": in CI every one of them means
part of the suite proved nothing. Exit 1 listing them, 0 when every test ran.
"""
import sys
import xml.etree.ElementTree as ET


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root = ET.parse(sys.argv[1]).getroot()
    cases = list(root.iter("testcase"))
    bad = []
    for case in cases:
        status = case.get("status", "")
        skipped = case.find("skipped")
        if skipped is not None or status in ("notrun", "disabled"):
            why = skipped.get("message", "") if skipped is not None else status
            bad.append("%s (%s)" % (case.get("name"), why or status))
    if not cases:
        print("no_skipped_tests.py: %s lists no tests" % sys.argv[1], file=sys.stderr)
        return 1
    if bad:
        print("FAILED: %d of %d tests were skipped or not run (not allowed here):\n  %s"
              % (len(bad), len(cases), "\n  ".join(bad)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
