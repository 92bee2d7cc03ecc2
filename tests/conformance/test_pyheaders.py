"""Revision headers that only Python can read, side by side with Alembic (issue 11, perf).

The fixture tests/fixtures/projects/pyheaders takes branch_labels, down_revision and
depends_on from its own package `myapp` (as OpenStack neutron writes
`branch_labels = (cli.CONTRACT_BRANCH,)`). Retort reads those values by importing the
scripts with the project's interpreter, caches them, and must then agree with Alembic on
heads / history / upgrade --sql. A second run reads the cache (no Python); without a usable
Python, or when the import fails, the error names the script and line.
"""
import os
import shutil
import tempfile
import unittest

import conformance as C

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "projects", "pyheaders")
INFO = "[retort.python] reading revision headers of"

COMMANDS = [
    ["heads"],
    ["history"],
    ["history", "--verbose"],
    ["branches"],
    ["show", "contract@head"],
    ["upgrade", "heads", "--sql"],
    ["upgrade", "expand@head", "--sql"],
    ["downgrade", "d3c1:b1c0", "--sql"],
]


@unittest.skipUnless(C.RETORT_BIN, "RETORT_BIN not set")
class PyHeaders(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="retort-pyheaders-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.project = os.path.join(self.tmp, "project")
        shutil.copytree(FIXTURE, self.project)
        self.cache = os.path.join(self.tmp, "cache")

    def retort(self, args, **env):
        extra = {"XDG_CACHE_HOME": self.cache, "RETORT_PYTHON": C.REF_PY}
        extra.update(env)
        return C._run([C.RETORT_BIN] + list(args), self.project, extra)

    def test_same_output_as_alembic(self):
        for args in COMMANDS:
            with self.subTest(args=args):
                a = C.run_alembic(args, self.project)
                r = self.retort(args)
                self.assertEqual(a.rc, 0, a.stderr)
                self.assertEqual(r.rc, 0, r.stderr)
                self.assertEqual(r.stdout, a.stdout)

    def test_python_runs_once_then_cache(self):
        # The interpreter, wrapped so that the test sees every start.
        starts = os.path.join(self.tmp, "starts.log")
        wrapper = os.path.join(self.tmp, "python3")
        with open(wrapper, "w") as f:
            f.write('#!/bin/sh\necho started >> "%s"\nexec "%s" "$@"\n' % (starts, C.REF_PY))
        os.chmod(wrapper, 0o755)

        def count():
            if not os.path.exists(starts):
                return 0
            with open(starts) as f:
                return f.read().count("started")

        first = self.retort(["heads"], RETORT_PYTHON=wrapper)
        self.assertEqual(first.rc, 0, first.stderr)
        self.assertIn(INFO + " 4 scripts with Python", first.stderr)
        self.assertEqual(first.stderr.count(INFO), 1)
        self.assertEqual(count(), 1)
        # The second run answers from the cache, without starting Python.
        second = self.retort(["heads"], RETORT_PYTHON=wrapper)
        self.assertEqual(second.rc, 0, second.stderr)
        self.assertNotIn(INFO, second.stderr)
        self.assertEqual(second.stdout, first.stdout)
        self.assertEqual(count(), 1)
        # RETORT_NO_MODEL_CACHE=1 turns the cache off, as for the models.
        uncached = self.retort(["heads"], RETORT_PYTHON=wrapper, RETORT_NO_MODEL_CACHE="1")
        self.assertEqual(uncached.rc, 0, uncached.stderr)
        self.assertIn(INFO, uncached.stderr)
        self.assertEqual(count(), 2)
        # A changed project module invalidates the cached values.
        branches = os.path.join(self.project, "myapp", "branches.py")
        with open(branches, "a") as f:
            f.write('CONTRACT_BRANCH = "contract2"\n')
        third = self.retort(["heads"], RETORT_PYTHON=wrapper)
        self.assertEqual(third.rc, 0, third.stderr)
        self.assertIn(INFO, third.stderr)
        self.assertIn("(contract2)", third.stdout)
        self.assertEqual(count(), 3)
        # Only the edited script is read again.
        script = os.path.join(self.project, "migrations", "versions", "d3c1_drop_name.py")
        with open(script, "a") as f:
            f.write("\n# edited\n")
        fourth = self.retort(["heads"], RETORT_PYTHON=wrapper)
        self.assertIn(INFO + " 1 script with Python", fourth.stderr)
        self.assertEqual(count(), 4)

    def test_no_usable_python_names_the_line(self):
        r = self.retort(["heads"], RETORT_PYTHON="/nonexistent/python3")
        self.assertNotEqual(r.rc, 0)
        out = r.stdout + r.stderr   # FAILED: goes to stdout, as Alembic's CommandError
        self.assertRegex(out, r"versions/\w+\.py:1[5-7]: \w+ cannot be read statically")
        self.assertIn("no usable Python", out)
        self.assertIn("/nonexistent/python3", out)

    def test_import_error_names_the_script(self):
        with open(os.path.join(self.project, "myapp", "branches.py"), "w") as f:
            f.write("raise RuntimeError('branches unavailable')\n")
        a = C.run_alembic(["heads"], self.project)
        self.assertNotEqual(a.rc, 0)
        r = self.retort(["heads"])
        self.assertNotEqual(r.rc, 0)
        self.assertIn("RuntimeError: branches unavailable", r.stdout)
        self.assertRegex(r.stdout, r"versions/\w+\.py:1[5-7]: ")


if __name__ == "__main__":
    unittest.main()
