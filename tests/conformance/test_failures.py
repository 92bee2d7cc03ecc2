"""Failures during a run leave the database consistent: a `retort upgrade head` killed
(SIGKILL) in the middle of a migration, and a statement that fails mid-migration, leave
the version table naming exactly the migrations whose changes are in the database, and a
re-run of `upgrade head` ends with the schema an uninterrupted run gives. On MariaDB, where
DDL is not transactional, the re-run resumes the killed step after its last completed
statement (Retort's statement journal), also when killed at random points.
SQLite always; PostgreSQL / MariaDB when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set.
"""
import os
import random
import re
import shutil
import signal
import subprocess
import sys
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
    # Resumed (re-run) after the kill, so not longer than needed to be killed inside it.
    "mysql": "SELECT SLEEP(6)",
}
# Where a killed step rolls back (no journal), the re-run may use a fast stand-in.
FAST = "SELECT 1"

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


def point_at(d, url):
    ini = os.path.join(d, "alembic.ini")
    with open(ini) as f:
        lines = [("sqlalchemy.url = " + url.replace("%", "%%")) if l.startswith("sqlalchemy.url") else l
                 for l in f.read().splitlines()]
    with open(ini, "w") as f:
        f.write("\n".join(lines) + "\n")


def schema_snapshot(db, data_tables=()):
    """The database's schema as comparable rows: information_schema columns and indexes on
    the servers, sqlite_master on SQLite; plus the version rows and the rows of data_tables.
    Retort's record of applied scripts (retort_script_checksums) is not schema: left out."""
    eng = db.engine()
    try:
        with eng.connect() as c:
            q = lambda sql: [tuple(r) for r in c.exec_driver_sql(sql)]
            if db.kind == "sqlite":
                snap = {"objects": sorted(q("SELECT type, name, tbl_name, sql FROM sqlite_master "
                                            "WHERE name NOT LIKE 'sqlite_%' AND tbl_name != 'retort_script_checksums'"))}
            elif db.kind == "mysql":
                snap = {
                    "tables": q("SELECT table_name, engine FROM information_schema.tables "
                                "WHERE table_schema = DATABASE() AND table_name != 'retort_script_checksums' ORDER BY table_name"),
                    "columns": q("SELECT table_name, column_name, ordinal_position, column_type, is_nullable, "
                                 "column_default, column_key, extra FROM information_schema.columns "
                                 "WHERE table_schema = DATABASE() AND table_name != 'retort_script_checksums' ORDER BY table_name, ordinal_position"),
                    "indexes": q("SELECT table_name, index_name, seq_in_index, column_name, non_unique "
                                 "FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name != 'retort_script_checksums' "
                                 "ORDER BY table_name, index_name, seq_in_index"),
                    "constraints": q("SELECT table_name, constraint_name, constraint_type "
                                     "FROM information_schema.table_constraints WHERE table_schema = DATABASE() AND table_name != 'retort_script_checksums' "
                                     "ORDER BY table_name, constraint_name"),
                }
            else:
                snap = {
                    "tables": q("SELECT table_name FROM information_schema.tables "
                                "WHERE table_schema = 'public' AND table_name != 'retort_script_checksums' ORDER BY table_name"),
                    "columns": q("SELECT table_name, column_name, ordinal_position, data_type, is_nullable, "
                                 "column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name != 'retort_script_checksums' "
                                 "ORDER BY table_name, ordinal_position"),
                    "indexes": q("SELECT tablename, indexname, indexdef FROM pg_indexes "
                                 "WHERE schemaname = 'public' AND tablename != 'retort_script_checksums' ORDER BY tablename, indexname"),
                }
            snap["versions"] = q("SELECT version_num FROM alembic_version ORDER BY version_num")
            for t in data_tables:
                snap["data " + t] = q("SELECT * FROM %s ORDER BY 1" % t)
            return snap
    finally:
        eng.dispose()


class _Failures(unittest.TestCase):
    kind = None
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        if cls.kind != "sqlite" and not C.server_url(cls.kind):
            raise unittest.SkipTest("%s server URL not set (RETORT_TEST_%s_URL)" % (
                cls.kind, "PG" if cls.kind == "postgresql" else "MYSQL"))

    def _project(self, second_body, more=()):
        """first -> second(second_body) -> each (rev, body_up, body_down) of `more`."""
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
        down = "f2000000000b"
        for i, (rev, body_up, body_down) in enumerate(more):
            write_rev(versions, rev, down, body_up, body_down, "more %d" % i)
            down = rev
        db = self._database(d)
        return d, db

    def _database(self, d):
        db = C.Database(self.kind, C.server_url(self.kind))
        db.create(d)
        self.addCleanup(db.drop)
        point_at(d, ("sqlite:///" + db.path) if self.kind == "sqlite" else db.url)
        return db

    def _retort(self, d, *args):
        return subprocess.run([os.environ["RETORT_BIN"]] + list(args), cwd=d, capture_output=True, text=True,
                              timeout=300)

    def _reference_schema(self, d, data_tables=()):
        """Schema after an uninterrupted `upgrade head` of project d on a fresh database."""
        tmp = tempfile.mkdtemp(prefix="retort-ref-")
        self.addCleanup(shutil.rmtree, tmp, True)
        ref = os.path.join(tmp, "p")
        shutil.copytree(d, ref, ignore=shutil.ignore_patterns("*.db", "__pycache__"))
        db = self._database(ref)
        r = self._retort(ref, "upgrade", "head")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return schema_snapshot(db, data_tables)

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
        r = self._retort(d, "current")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        if rows:
            self.assertIn("f1000000000a", r.stdout)
        if self.kind == "mysql":
            # The kill cut the first statement (the sleep) short: the journal says so, and
            # the re-run resumes the step there, with the same script.
            self.assertRegex(r.stderr, r"WARNING \[retort\.journal\] migration f2000000000b \(\S+second\.py\) "
                                       r"was interrupted during statement 1 of 2, which may have completed\n")
        else:
            self.assertNotIn("retort.journal", r.stderr)
            # The killed step rolled back; its slow statement need not be waited for again.
            script = os.path.join(d, "migrations", "versions", "f2000000000b_second.py")
            with open(script) as f:
                text = f.read()
            with open(script, "w") as f:
                f.write(text.replace(SLOW[self.kind], FAST))
        r = self._retort(d, "upgrade", "head")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        if self.kind == "mysql":
            self.assertIn("INFO  [retort.journal] Resuming upgrade f1000000000a -> f2000000000b at statement 1 "
                          "of 2, which was running when an earlier run was interrupted", r.stderr)
        self.assertEqual(db.version_rows(), ["f2000000000b"])
        self.assertEqual(schema_snapshot(db), self._reference_schema(d))

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
            # names the last completed migration, and the journal where to resume.
            self.assertEqual(rows, ["f1000000000a"])
            self.assertIn("Statement 1 of 2 completed and is recorded in retort_step_journal: a new run "
                          "resumes at statement 2", r.stdout)
        elif self.kind == "postgresql":
            # The stock env.py runs the whole upgrade in one transaction (Alembic's
            # begin_transaction()): the failure rolls back the first migration too.
            self.assertEqual(rows, [])
            self.assertNotIn("first", tables)
            self.assertNotIn("second", tables)
        else:
            # SQLite: one transaction per migration; the first one stays applied.
            self.assertEqual(rows, ["f1000000000a"])
            self.assertIn("first", tables)
            self.assertNotIn("second", tables)
        if self.kind != "mysql":
            self._assert_consistent(db)

    def test_failing_statement_per_migration(self):
        """transaction_per_migration=True: the completed migration stays, on every dialect."""
        body = ("    op.create_table('second', sa.Column('id', sa.Integer(), primary_key=True))\n"
                "    op.execute('INSERT INTO no_such_table VALUES (1)')")
        d, db = self._project(body)
        env = os.path.join(d, "migrations", "env.py")
        with open(env) as f:
            text = f.read()
        patched = text.replace("connection=connection, target_metadata=target_metadata",
                               "connection=connection, target_metadata=target_metadata, "
                               "transaction_per_migration=True")
        self.assertNotEqual(patched, text, "env.py has no configure(target_metadata=...) to patch")
        with open(env, "w") as f:
            f.write(patched)
        r = subprocess.run([os.environ["RETORT_BIN"], "upgrade", "head"], cwd=d,
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 255, r.stdout + r.stderr)
        self.assertEqual(db.version_rows(), ["f1000000000a"])
        self.assertIn("first", set(db.tables()))
        if self.kind != "mysql":   # MySQL: the CREATE TABLE before the failure stays
            self.assertNotIn("second", set(db.tables()))
            self._assert_consistent(db)


class FailuresSQLite(_Failures):
    kind = "sqlite"


class FailuresPostgreSQL(_Failures):
    kind = "postgresql"


class FailuresMySQL(_Failures):
    kind = "mysql"

    # Two multi-statement steps, mostly waiting (so that most kills land between or inside
    # statements that commit with their journal rows), and for each DDL statement how to
    # undo it by hand: the documented fix when the resumed run reports that the statement
    # was running at the kill and may have completed (see StatementJournal).
    STEP2 = "\n".join([
        "    op.create_table('second', sa.Column('id', sa.Integer(), primary_key=True),",
        "                    sa.Column('name', sa.String(20)))",
        "    op.execute(\"INSERT INTO second (id, name) VALUES (1, 'a')\")",
        "    op.execute('SELECT SLEEP(0.5)')",
        "    op.add_column('second', sa.Column('qty', sa.Integer(), nullable=True))",
        "    op.create_index('ix_second_name', 'second', ['name'])",
        "    op.execute('SELECT SLEEP(0.5)')",
        "    op.add_column('first', sa.Column('flag', sa.Boolean(), nullable=True))",
        "    op.execute('UPDATE second SET qty = 3 WHERE id = 1')",
    ])
    STEP3 = ("f3000000000c", "\n".join([
        "    op.create_table('third', sa.Column('id', sa.Integer(), primary_key=True),",
        "                    sa.Column('second_id', sa.Integer(), sa.ForeignKey('second.id')))",
        "    op.execute('SELECT SLEEP(0.4)')",
        "    op.execute('INSERT INTO third (id, second_id) VALUES (1, 1)')",
        "    op.add_column('third', sa.Column('note', sa.String(10), nullable=True))",
    ]), "    op.drop_table('third')")
    UNDO = {
        ("f2000000000b", 1): ("second", None, "DROP TABLE second"),
        ("f2000000000b", 4): ("second", "qty", "ALTER TABLE second DROP COLUMN qty"),
        ("f2000000000b", 5): ("second", "name", "DROP INDEX ix_second_name ON second"),
        ("f2000000000b", 7): ("first", "flag", "ALTER TABLE first DROP COLUMN flag"),
        ("f3000000000c", 1): ("third", None, "DROP TABLE third"),
        ("f3000000000c", 4): ("third", "note", "ALTER TABLE third DROP COLUMN note"),
    }
    ITERATIONS = 8
    SEED = 20261206

    def _journal(self, db):
        import sqlalchemy as sa
        eng = db.engine()
        try:
            with eng.connect() as c:
                if not sa.inspect(c).has_table("retort_step_journal"):
                    return []
                return [tuple(r) for r in c.exec_driver_sql(
                    "SELECT revision, statement_index, statement_count, state FROM retort_step_journal "
                    "ORDER BY statement_index")]
        finally:
            eng.dispose()

    def _undo(self, db, rev, index):
        """The documented manual fix, after checking the statement's change really is there."""
        import sqlalchemy as sa
        self.assertIn((rev, index), self.UNDO, "hint for a statement that cannot have half-completed")
        table, column, sql = self.UNDO[(rev, index)]
        eng = db.engine()
        try:
            with eng.begin() as c:
                if column is None:
                    present = sa.inspect(c).has_table(table)
                elif index == 5:
                    present = any(i["name"] == "ix_second_name" for i in sa.inspect(c).get_indexes(table))
                else:
                    present = column in [col["name"] for col in sa.inspect(c).get_columns(table)]
                self.assertTrue(present, "statement %d of %s reported as maybe completed, but its change "
                                         "is not there" % (index, rev))
                c.exec_driver_sql(sql)
        finally:
            eng.dispose()

    def test_killed_at_random_points(self):
        d, first_db = self._project(self.STEP2, [self.STEP3])
        reference = self._reference_schema(d, ["second", "third"])
        point_at(d, first_db.url)
        rng = random.Random(self.SEED)
        resumed = fixed = 0
        outcomes = []
        for iteration in range(self.ITERATIONS):
            delay = rng.uniform(0.0, 1.6)
            with self.subTest(iteration=iteration, delay=round(delay, 3)):
                db = first_db if iteration == 0 else self._database(d)
                p = subprocess.Popen([os.environ["RETORT_BIN"], "upgrade", "head"], cwd=d,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                deadline = time.time() + 60
                while time.time() < deadline:
                    line = p.stderr.readline()
                    if "Running upgrade f1000000000a -> f2000000000b" in line or not line:
                        break
                time.sleep(delay)
                p.send_signal(signal.SIGKILL)   # a no-op when the run has already ended
                p.wait()
                p.stdout.close()
                p.stderr.close()

                journal = self._journal(db)
                r = self._retort(d, "current")
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                if journal:
                    rev, count = journal[0][0], journal[0][2]
                    done = [row[1] for row in journal if row[3] == "done"]
                    running = [row[1] for row in journal if row[3] == "running"]
                    self.assertEqual(done + running, list(range(1, len(journal) + 1)), journal)
                    if done:
                        expected = "was interrupted after statement %d of %d" % (done[-1], count)
                    else:
                        expected = "was interrupted during statement 1 of %d" % count
                    self.assertRegex(r.stderr, r"WARNING \[retort\.journal\] migration %s \(\S+\.py\) %s"
                                     % (rev, re.escape(expected)))
                else:
                    self.assertNotIn("retort.journal", r.stderr)

                r = self._retort(d, "upgrade", "head")
                if journal:
                    resumed += 1
                    self.assertIn("INFO  [retort.journal] Resuming upgrade", r.stderr)
                if r.returncode != 0:
                    hint = re.search(r"FAILED: Migration (\w+) .*?Statement (\d+) of \d+ was running when an "
                                     r"earlier run of this step was interrupted", r.stdout, re.S)
                    self.assertTrue(hint, r.stdout + r.stderr)
                    self.assertIn("--restart-step", r.stdout)
                    self._undo(db, hint.group(1), int(hint.group(2)))
                    fixed += 1
                    r = self._retort(d, "upgrade", "head")
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                self.assertEqual(schema_snapshot(db, ["second", "third"]), reference)
                outcomes.append("%.2fs: %s" % (delay, " ".join("%s:%d:%s" % (row[0][:2], row[1], row[3])
                                                                for row in journal) or "no journal"))
        print("\nkilled at random points: %d resumed mid-step, %d of them after the manual fix of a "
              "statement that completed at the kill\n  %s" % (resumed, fixed, "\n  ".join(outcomes)),
              file=sys.stderr)
        # The kills must have hit the middle of a step at least once, or nothing was shown.
        self.assertGreater(resumed, 0)


if __name__ == "__main__":
    unittest.main()
