"""Online round trips of real migrations: Alembic and Retort each run
`upgrade head`, `downgrade base`, `upgrade head` on their own copy of a project and their
own database, and after every command the schemas (reflected by SQLAlchemy's Inspector,
tests/core/schema/inspect_to_json.py) and the alembic_version rows must be equal.

Projects: resources/demo (tables, columns, indexes, foreign keys, a fork, a merge, a
branch label), the DDL corpus project tests/fixtures/ddl/roundtrip (a wider set of
operations and types that run on all three dialects), and the schema constructs of
tests/fixtures/ddl/schemaonline (CHECK/ForeignKey/Computed/Sequence column arguments,
index options and expressions, server defaults: all three dialects) and
schemaonline_pg (deferrable constraints, Identity, sequences, functional indexes:
PostgreSQL); Retort must run those natively (no step handed to Python); and test_types: the
versions of tests/fixtures/ddl/types (data operations: the rows are compared too).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import conformance as C

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
INSPECT = os.path.join(ROOT, "tests", "core", "schema", "inspect_to_json.py")
PROJECTS = {
    "demo": os.path.join(ROOT, "resources", "demo"),
    "roundtrip": os.path.join(ROOT, "tests", "fixtures", "ddl", "roundtrip"),
    "schemaonline": os.path.join(ROOT, "tests", "fixtures", "ddl", "schemaonline"),
    "schemaonline_pg": os.path.join(ROOT, "tests", "fixtures", "ddl", "schemaonline_pg"),
}
TYPES_VERSIONS = os.path.join(ROOT, "tests", "fixtures", "ddl", "types", "versions")
SEQUENCE = (["upgrade", "head"], ["downgrade", "base"], ["upgrade", "head"],
            ["downgrade", "-1"], ["upgrade", "heads"])


def set_url(project_dir, url):
    ini = os.path.join(project_dir, "alembic.ini")
    with open(ini) as f:
        lines = f.read().splitlines()
    out = []
    for line in lines:
        if line.startswith("sqlalchemy.url"):
            line = "sqlalchemy.url = " + url.replace("%", "%%")
        out.append(line)
    with open(ini, "w") as f:
        f.write("\n".join(out) + "\n")


def schema_of(url):
    p = subprocess.run([C.REFERENCE_PYTHON if hasattr(C, "REFERENCE_PYTHON") else "/usr/bin/python3",
                        INSPECT, url, "--skip-table", "alembic_version",
                        "--skip-table", "retort_script_checksums"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise AssertionError("inspect_to_json failed: " + p.stderr[-2000:])
    doc = json.loads(p.stdout)
    # The database names differ per side by construction.
    for key in ("database", "url", "default_schema", "server_version"):
        doc.pop(key, None)
    return doc


def rows_of(db):
    """Every table's rows (but alembic_version), sorted, as text."""
    import warnings
    import sqlalchemy as sa
    warnings.filterwarnings("ignore", message=".*Decimal objects natively.*")
    eng = db.engine()
    try:
        with eng.connect() as c:
            out = {}
            for t in sorted(sa.inspect(c).get_table_names()):
                if t in ("alembic_version", "retort_script_checksums"):
                    continue
                table = sa.Table(t, sa.MetaData(), autoload_with=c)
                out[t] = sorted(repr(tuple(r)) for r in c.execute(table.select()))
            return out
    finally:
        eng.dispose()


class _RoundTrip(unittest.TestCase):
    kind = None

    @classmethod
    def setUpClass(cls):
        if cls.kind != "sqlite" and not C.server_url(cls.kind):
            raise unittest.SkipTest("%s server URL not set (RETORT_TEST_%s_URL)" % (
                cls.kind, "PG" if cls.kind == "postgresql" else "MYSQL"))

    def _run(self, tool, args, cwd):
        if tool == "alembic":
            argv = ["/usr/bin/python3", "-m", "alembic"] + args
        else:
            argv = [os.environ["RETORT_BIN"]] + args
        # The reference interpreter runs the steps Retort hands to Python (test_types:
        # the date literals PostgreSQL/MySQL cannot render offline run in Alembic online).
        env = dict(os.environ, RETORT_PYTHON="/usr/bin/python3")
        return subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, env=env)

    def _project(self, name):
        tmp = tempfile.mkdtemp(prefix="retort-rt-")
        self.addCleanup(shutil.rmtree, tmp, True)
        sides = {}
        for tool in ("alembic", "retort"):
            d = os.path.join(tmp, tool)
            shutil.copytree(PROJECTS[name], d)
            db = C.Database(self.kind, C.server_url(self.kind))
            db.create(d)
            self.addCleanup(db.drop)
            url = ("sqlite:///" + db.path) if self.kind == "sqlite" else db.url
            set_url(d, url)
            sides[tool] = (d, db, url)
        return sides

    def _roundtrip(self, name, native=False):
        self.assertTrue(os.path.isdir(PROJECTS[name]), "missing project " + PROJECTS[name])
        sides = self._project(name)
        if native:
            # --sql first (on the empty databases): the same script text and exit code.
            args = ["upgrade", "head", "--sql"]
            results = {t: self._run(t, args, sides[t][0]) for t in sides}
            a, r = results["alembic"], results["retort"]
            label = "%s on %s: %s" % (name, self.kind, " ".join(args))
            self.assertEqual(r.returncode, 0 if a.returncode == 0 else 255, label + "\n" + a.stderr + r.stderr)
            if a.returncode == 0:
                self.assertEqual(r.stdout, a.stdout, label)
            else:
                # Alembic writes the failing migration's statements up to the failing op;
                # Retort stops at its header (never an empty step and exit 0). Both end
                # with a FAILED: line of their own wording.
                ra, rr = (''.join(line for line in t.splitlines(True) if not line.startswith("FAILED:"))
                          for t in (a.stdout, r.stdout))
                self.assertTrue(ra.startswith(rr), label + "\n" + r.stdout)
                self.assertIn("-- Running", rr.rstrip().splitlines()[-1], label + "\n" + r.stdout)
            self.assertNotIn("[retort.python]", r.stderr, label + ": a step was handed to Python")
        for args in SEQUENCE:
            results = {t: self._run(t, args, sides[t][0]) for t in sides}
            a, r = results["alembic"], results["retort"]
            label = "%s on %s: %s" % (name, self.kind, " ".join(args))
            self.assertEqual(a.returncode, 0, label + ": alembic failed\n" + a.stdout + a.stderr)
            self.assertEqual(r.returncode, 0, label + ": retort failed\n" + r.stdout + r.stderr)
            if native:
                self.assertNotIn("[retort.python]", r.stderr, label + ": a step was handed to Python")
            self.assertEqual(sides["retort"][1].version_rows(), sides["alembic"][1].version_rows(), label)
            self.assertEqual(schema_of(sides["retort"][2]), schema_of(sides["alembic"][2]), label)

    def test_demo(self):
        self._roundtrip("demo")

    def _types_project(self):
        """tests/fixtures/ddl/types (dialect types, variants, enums, sa.table DML, text
        binds, bulk_insert literals, batch insert_before/after) in the roundtrip layout."""
        tmp = tempfile.mkdtemp(prefix="retort-types-")
        self.addCleanup(shutil.rmtree, tmp, True)
        shutil.copytree(PROJECTS["roundtrip"], tmp, dirs_exist_ok=True)
        versions = os.path.join(tmp, "migrations", "versions")
        shutil.rmtree(versions)
        shutil.copytree(TYPES_VERSIONS, versions, ignore=shutil.ignore_patterns("__pycache__"))
        return tmp

    def test_types(self):
        """Upgrade, then downgrade: schema, every table's rows and the version table equal.
        (PostgreSQL enum types stay after the downgrade, in both tools, so no second upgrade.)"""
        PROJECTS["types"] = self._types_project()
        sides = self._project("types")
        for args in (["upgrade", "head"], ["downgrade", "base"]):
            results = {t: self._run(t, args, sides[t][0]) for t in sides}
            a, r = results["alembic"], results["retort"]
            label = "types on %s: %s" % (self.kind, " ".join(args))
            self.assertEqual(a.returncode, 0, label + ": alembic failed\n" + a.stdout + a.stderr)
            self.assertEqual(r.returncode, 0, label + ": retort failed\n" + r.stdout + r.stderr)
            self.assertEqual(sides["retort"][1].version_rows(), sides["alembic"][1].version_rows(), label)
            self.assertEqual(schema_of(sides["retort"][2]), schema_of(sides["alembic"][2]), label)
            self.assertEqual(rows_of(sides["retort"][1]), rows_of(sides["alembic"][1]), label)

    def test_ddl_corpus(self):
        self._roundtrip("roundtrip")

    def test_schema_constructs(self):
        self._roundtrip("schemaonline", native=True)


class RoundTripSQLite(_RoundTrip):
    kind = "sqlite"


class RoundTripPostgreSQL(_RoundTrip):
    kind = "postgresql"

    def test_schema_constructs_pg(self):
        self._roundtrip("schemaonline_pg", native=True)


class RoundTripMySQL(_RoundTrip):
    kind = "mysql"


if __name__ == "__main__":
    unittest.main()
