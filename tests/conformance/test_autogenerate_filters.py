"""env.py's include_name / include_object in `revision --autogenerate` and `check`: Retort
runs them over the database it introspected and must generate the same operations as
Alembic 1.8.1 (tests/fixtures/autogenerate/filters: the database has tables, columns,
indexes and a foreign key the filters hide; the models have a table, a column, a type
change, a unique constraint and a foreign key they hide).
"""
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

import conformance as C

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "autogenerate", "filters")


def run(argv, cwd):
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL)


def retort(args, cwd):
    return run([os.environ["RETORT_BIN"]] + args, cwd)


def alembic(args, cwd):
    return run(["/usr/bin/python3", "-m", "alembic"] + args, cwd)


class _Filters(unittest.TestCase):
    kind = None

    def setUp(self):
        self._databases = {}

    @classmethod
    def setUpClass(cls):
        if cls.kind != "sqlite" and not C.server_url(cls.kind):
            raise unittest.SkipTest("%s server URL not set (RETORT_TEST_%s_URL)" % (
                cls.kind, "PG" if cls.kind == "postgresql" else "MYSQL"))

    def _project(self, name):
        """A copy of the fixture with its starting database created."""
        tmp = tempfile.mkdtemp(prefix="retort-agf-")
        self.addCleanup(shutil.rmtree, tmp, True)
        d = os.path.join(tmp, name)
        shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns("*.db", "__pycache__"))
        with open(os.path.join(FIXTURE, "database.sql")) as f:
            statements = [s.strip() for s in re.sub(r"--[^\n]*", "", f.read()).split(";") if s.strip()]
        if self.kind == "sqlite":
            with sqlite3.connect(os.path.join(d, "filters.db")) as c:
                for s in statements:
                    c.execute(s)
            return d
        db = C.Database(self.kind, C.server_url(self.kind))
        db.create(d)
        self.addCleanup(db.drop)
        self._databases[d] = db
        self._execute(d, statements)
        ini = os.path.join(d, "alembic.ini")
        with open(ini) as f:
            lines = [("sqlalchemy.url = " + db.url.replace("%", "%%"))
                     if l.startswith("sqlalchemy.url") else l for l in f.read().splitlines()]
        with open(ini, "w") as f:
            f.write("\n".join(lines) + "\n")
        return d

    def _execute(self, d, statements):
        eng = self._databases[d].engine()
        with eng.begin() as c:
            for s in statements:
                c.exec_driver_sql(s)
        eng.dispose()

    def _script(self, d, rev):
        versions = os.path.join(d, "migrations", "versions")
        [name] = [f for f in os.listdir(versions) if f.startswith(rev + "_")]
        with open(os.path.join(versions, name)) as f:
            return re.sub(r"Create Date: .*", "Create Date: <now>", f.read())

    def test_same_operations_as_alembic(self):
        a, r = self._project("a"), self._project("r")
        args = ["revision", "--autogenerate", "-m", "filtered", "--rev-id", "f1f2f3"]
        ra, rr = alembic(args, a), retort(args, r)
        self.assertEqual(ra.returncode, 0, ra.stdout + ra.stderr)
        self.assertEqual(rr.returncode, 0, rr.stdout + rr.stderr)
        # The whole script: on MariaDB downgrade() re-creates old_stuff as reflected,
        # mysql.INTEGER(display_width=11) and the mysql_* table options included.
        self.assertEqual(self._script(r, "f1f2f3"), self._script(a, "f1f2f3"))
        detected = lambda s: [l for l in s.splitlines() if "Detected" in l]
        self.assertEqual(detected(rr.stderr), detected(ra.stderr))
        self.assertNotIn("Retort cannot run it", rr.stderr)
        # The filters did hide something (the script is not the unfiltered one).
        script = self._script(r, "f1f2f3")
        for hidden in ("legacy_audit", "external_report", "'notes'", "keep_orders_ref",
                       "ix_manual_customers_status", "uq_orders_ref", "fk_orders_customer"):
            self.assertNotIn(hidden, script)

    def _check_include_schemas(self):
        """Schemas other than the default one: PostgreSQL only (FiltersPostgreSQL)."""
        a, r = self._project("a"), self._project("r")
        for d in (a, r):
            self._execute(d, ["CREATE SCHEMA archive", "CREATE TABLE archive.old (id INTEGER PRIMARY KEY)",
                              "CREATE SCHEMA reporting",
                              "CREATE TABLE reporting.legacy_daily (id INTEGER PRIMARY KEY)",
                              "CREATE TABLE reporting.daily (id INTEGER PRIMARY KEY, "
                              "legacy_total NUMERIC(10, 2), fax VARCHAR(20))"])
        args = ["-x", "schemas=1", "revision", "--autogenerate", "-m", "schemas", "--rev-id", "5c5c"]
        ra, rr = alembic(args, a), retort(args, r)
        self.assertEqual(ra.returncode, 0, ra.stdout + ra.stderr)
        self.assertEqual(rr.returncode, 0, rr.stdout + rr.stderr)
        # Alembic drops removed tables in set order (hash seed dependent): compare the
        # statements of the script, not their order.
        self.assertEqual(sorted(self._script(r, "5c5c").splitlines()),
                         sorted(self._script(a, "5c5c").splitlines()))
        detected = lambda s: sorted(l for l in s.splitlines() if "Detected" in l)
        self.assertEqual(detected(rr.stderr), detected(ra.stderr))
        self.assertIn("reporting.daily", ra.stderr)   # the other schema was compared
        self.assertNotIn("archive", self._script(a, "5c5c"))

    def test_check_lists_alembics_operations(self):
        # Alembic 1.8.1 has no `check`: its autogenerated upgrade() is the reference.
        a, r = self._project("a"), self._project("r")
        ra = alembic(["revision", "--autogenerate", "-m", "ref", "--rev-id", "c1"], a)
        self.assertEqual(ra.returncode, 0, ra.stdout + ra.stderr)
        upgrade = self._script(a, "c1").split("def upgrade()")[1].split("def downgrade()")[0]
        ops = re.findall(r"^    op\.(\w+)\(", upgrade, re.M)
        cr = retort(["check"], r)
        self.assertEqual(cr.returncode, 1, cr.stdout + cr.stderr)
        listed = cr.stdout.strip().splitlines()[1:]
        self.assertEqual(len(listed), len(ops), cr.stdout + "\n" + upgrade)
        self.assertNotIn("external_report", cr.stdout)
        self.assertNotIn("legacy_audit", cr.stdout)

    def test_callable_error_points_at_env_py(self):
        r = self._project("r")
        res = retort(["-x", "filter_error=1", "revision", "--autogenerate", "-m", "x"], r)
        self.assertNotEqual(res.returncode, 0, res.stdout + res.stderr)
        self.assertRegex(res.stderr, r"migrations/env\.py:\d+: include_object raised ValueError")
        self.assertIn("cannot decide about", res.stderr)
        self.assertEqual(os.listdir(os.path.join(r, "migrations", "versions")), [".gitkeep"])


class FiltersSQLite(_Filters):
    kind = "sqlite"


class FiltersPostgreSQL(_Filters):
    kind = "postgresql"

    def test_include_schemas(self):
        self._check_include_schemas()


class FiltersMySQL(_Filters):
    kind = "mysql"


if __name__ == "__main__":
    unittest.main()
