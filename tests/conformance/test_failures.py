"""Failures during a run leave the database consistent: a `retort upgrade head` killed
(SIGKILL) in the middle of a migration, and a statement that fails mid-migration, leave
the version table naming exactly the migrations whose changes are in the database.
SQLite always; PostgreSQL / MariaDB when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set.
"""
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import conformance as C

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEMO = os.path.join(ROOT, "resources", "demo")

SLOW = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400000000) "
              "SELECT count(*) FROM c",
    "postgresql": "SELECT pg_sleep(30)",
    "mysql": "SELECT SLEEP(30)",
}

HEADER = '''"""%(msg)s

Revision ID: %(rev)s
Revises: %(down)s
"""
from alembic import op
import sqlalchemy as sa

revision = "%(rev)s"
down_revision = %(down_repr)s
branch_labels = None
depends_on = None

'''


def write_rev(versions, rev, down, body_up, body_down, msg):
    text = HEADER % {"msg": msg, "rev": rev, "down": down or "",
                     "down_repr": repr(down)}
    text += "\ndef upgrade() -> None:\n" + body_up + "\n\ndef downgrade() -> None:\n" + body_down + "\n"
    with open(os.path.join(versions, "%s_%s.py" % (rev, msg.replace(" ", "_"))), "w") as f:
        f.write(text)


class _Failures(unittest.TestCase):
    kind = None

    @classmethod
    def setUpClass(cls):
        if cls.kind != "sqlite" and not C.server_url(cls.kind):
            raise unittest.SkipTest("%s server URL not set (RETORT_TEST_%s_URL)" % (
                cls.kind, "PG" if cls.kind == "postgresql" else "MYSQL"))

    def _project(self, second_body):
        tmp = tempfile.mkdtemp(prefix="retort-fail-")
        self.addCleanup(shutil.rmtree, tmp, True)
        d = os.path.join(tmp, "p")
        os.makedirs(os.path.join(d, "migrations", "versions"))
        shutil.copy(os.path.join(DEMO, "alembic.ini"), d)
        for f in ("env.py", "script.py.mako"):
            shutil.copy(os.path.join(DEMO, "migrations", f), os.path.join(d, "migrations"))
        versions = os.path.join(d, "migrations", "versions")
        write_rev(versions, "f1000000000a", None,
                  "    op.create_table('first', sa.Column('id', sa.Integer(), primary_key=True))",
                  "    op.drop_table('first')", "first")
        write_rev(versions, "f2000000000b", "f1000000000a", second_body,
                  "    op.drop_table('second')", "second")
        db = C.Database(self.kind, C.server_url(self.kind))
        db.create(d)
        self.addCleanup(db.drop)
        url = ("sqlite:///" + db.path) if self.kind == "sqlite" else db.url
        ini = os.path.join(d, "alembic.ini")
        with open(ini) as f:
            lines = [("sqlalchemy.url = " + url.replace("%", "%%")) if l.startswith("sqlalchemy.url") else l
                     for l in f.read().splitlines()]
        with open(ini, "w") as f:
            f.write("\n".join(lines) + "\n")
        return d, db

    def _assert_consistent(self, db):
        rows = db.version_rows() or []
        tables = set(db.tables())
        if rows == ["f1000000000a"]:
            self.assertIn("first", tables)
            self.assertNotIn("second", tables)
        elif rows == []:
            self.assertNotIn("first", tables)
            self.assertNotIn("second", tables)
        else:
            self.fail("unexpected version rows %r (tables %r)" % (rows, sorted(tables)))
        return rows

    def test_killed_mid_migration(self):
        create = "    op.create_table('second', sa.Column('id', sa.Integer(), primary_key=True))"
        slow = "    op.execute(%r)" % SLOW[self.kind]
        # Where DDL is transactional the table is created before the kill, so only a
        # rolled-back transaction keeps the database consistent; MySQL commits each DDL
        # statement, so there the kill comes first.
        body = "\n".join([slow, create] if self.kind == "mysql" else [create, slow])
        d, db = self._project(body)
        p = subprocess.Popen([os.environ["RETORT_BIN"], "upgrade", "head"], cwd=d,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Wait until the second migration has started, then kill the process outright.
        deadline = time.time() + 60
        seen = ""
        while time.time() < deadline:
            line = p.stderr.readline()
            seen += line
            if "f2000000000b" in line or not line:
                break
        time.sleep(1.0)
        p.send_signal(signal.SIGKILL)
        p.wait()
        p.stdout.close()
        p.stderr.close()
        self.assertIn("Running upgrade f1000000000a -> f2000000000b", seen)
        if self.kind != "sqlite":
            time.sleep(1.0)   # let the server notice the dropped connection
        rows = self._assert_consistent(db)
        # The database still works, and the run can be repeated from where it stopped.
        r = subprocess.run([os.environ["RETORT_BIN"], "current"], cwd=d, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        if rows:
            self.assertIn("f1000000000a", r.stdout)

    def test_failing_statement(self):
        body = ("    op.create_table('second', sa.Column('id', sa.Integer(), primary_key=True))\n"
                "    op.execute('INSERT INTO no_such_table VALUES (1)')")
        d, db = self._project(body)
        r = subprocess.run([os.environ["RETORT_BIN"], "upgrade", "head"], cwd=d,
                           capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        failed = [l for l in r.stdout.splitlines() if l.startswith("FAILED:")]
        self.assertEqual(len(failed), 1, r.stdout)
        self.assertIn("f2000000000b", failed[0])
        self.assertIn("no_such_table", failed[0])
        rows = db.version_rows() or []
        tables = set(db.tables())
        if self.kind == "mysql":
            # No transactional DDL: the CREATE TABLE stays, but the version table still
            # names the last completed migration.
            self.assertEqual(rows, ["f1000000000a"])
        else:
            self._assert_consistent(db)


class FailuresSQLite(_Failures):
    kind = "sqlite"


class FailuresPostgreSQL(_Failures):
    kind = "postgresql"


class FailuresMySQL(_Failures):
    kind = "mysql"


if __name__ == "__main__":
    unittest.main()
