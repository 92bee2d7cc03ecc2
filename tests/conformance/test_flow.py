"""Control flow in revision scripts (tests/fixtures/ddl/flow: dialect branches, loops over
module constants, helpers and nested defs, f-strings, %/.format(), augmented assignment,
del, context.is_offline_mode(), conn.execute(sa.text(...))), side by side with Alembic:

- --sql on SQLite, PostgreSQL and MySQL (no server needed): the whole output is equal and
  Retort ran every step natively (nothing handed to Python);
- online on each database: upgrade head / downgrade base / upgrade head ... leave the
  same schema and version rows (test_roundtrip's sequence), again all native.
"""
import os
import shutil
import subprocess
import tempfile
import unittest

import conformance as C
import test_roundtrip as RT

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FLOW = os.path.join(ROOT, "tests", "fixtures", "ddl", "flow", "versions")
OFFLINE_URLS = {
    "sqlite": "sqlite:///%(here)s/offline.db",
    "postgresql": "postgresql://retort@127.0.0.1:9/offline",
    "mysql": "mysql+pymysql://retort:pw@127.0.0.1:9/offline",
}


def flow_project(into):
    """The stock roundtrip project (generic env.py) with the flow fixture's scripts."""
    shutil.copytree(RT.PROJECTS["roundtrip"], into)
    versions = os.path.join(into, "migrations", "versions")
    shutil.rmtree(versions)
    shutil.copytree(FLOW, versions, ignore=shutil.ignore_patterns("__pycache__"))


class _Flow(RT._RoundTrip):
    # test_roundtrip's own projects are its slices, not these.
    test_demo = None
    test_ddl_corpus = None
    test_types = None
    test_schema_constructs = None
    test_schema_constructs_pg = None

    def _run(self, tool, args, cwd):
        p = super()._run(tool, args, cwd)
        if tool == "retort":
            # Every step is native: nothing went to Python.
            self.assertNotIn("retort.python", p.stderr, " ".join(args) + ": " + p.stderr)
        return p

    def test_online(self):
        tmp = tempfile.mkdtemp(prefix="retort-flow-src-")
        self.addCleanup(shutil.rmtree, tmp, True)
        flow_project(os.path.join(tmp, "flow"))
        # test_roundtrip copies PROJECTS[name] for each side.
        RT.PROJECTS["flow"] = os.path.join(tmp, "flow")
        try:
            self._roundtrip("flow")
        finally:
            del RT.PROJECTS["flow"]

    def test_offline(self):
        tmp = tempfile.mkdtemp(prefix="retort-flow-")
        self.addCleanup(shutil.rmtree, tmp, True)
        d = os.path.join(tmp, "p")
        flow_project(d)
        RT.set_url(d, OFFLINE_URLS[self.kind])
        for args in (["upgrade", "head", "--sql"], ["downgrade", "head:base", "--sql"],
                     ["upgrade", "f1000000dial:head", "--sql"]):
            a = RT._RoundTrip._run(self, "alembic", args, d)
            r = self._run("retort", args, d)
            label = "flow on %s: %s" % (self.kind, " ".join(args))
            self.assertEqual(a.returncode, 0, label + ": alembic failed\n" + a.stderr)
            self.assertEqual(r.returncode, 0, label + ": retort failed\n" + r.stderr)
            self.assertEqual(r.stdout, a.stdout, label)


class FlowSQLite(_Flow):
    kind = "sqlite"


class FlowPostgreSQL(_Flow):
    kind = "postgresql"


class FlowMySQL(_Flow):
    kind = "mysql"


del _Flow  # only the concrete subclasses are tests

if __name__ == "__main__":
    unittest.main()
