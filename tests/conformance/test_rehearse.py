"""Retort's rehearsal (issue 14, item 2): `upgrade/downgrade REV --rehearse` and
`--rehearse-only` run the plan on a scratch copy of the database first, report time per
step, statements, rows changed, expected locks and the schema diff, drop the copy, and only
then run for real; a failed rehearsal exits 255 with FAILED: and touches nothing.

Alembic has no rehearsal: its side of the comparison is the state `alembic upgrade` leaves,
which the real run after a rehearsal must equal (and a rehearsal-only run must not change).
SQLite always; PostgreSQL / MariaDB when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set.
"""
import re
import shutil
import tempfile
import unittest

import conformance as C


def body(*lines):
    return "\n".join("    " + l for l in lines)


def revisions():
    a = C.Rev("c1000000000a", (), message="accounts")
    a.body_up = body("op.create_table('accounts', sa.Column('id', sa.Integer(), primary_key=True),",
                     "                sa.Column('name', sa.String(40)))",
                     "op.execute(\"INSERT INTO accounts (id, name) VALUES (1, 'ada'), (2, 'bob'), (3, 'cy')\")").strip()
    a.body_down = "op.drop_table('accounts')"
    b = C.Rev("c2000000000b", ("c1000000000a",), message="email")
    b.body_up = body("op.add_column('accounts', sa.Column('email', sa.String(80)))",
                     "op.execute(\"UPDATE accounts SET email = 'x' WHERE id > 1\")",
                     "op.create_index('ix_accounts_email', 'accounts', ['email'])").strip()
    b.body_down = body("op.drop_index('ix_accounts_email', 'accounts')",
                       "op.drop_column('accounts', 'email')").strip()
    c = C.Rev("c3000000000c", ("c2000000000b",), message="broken")
    c.body_up = "op.execute('INSERT INTO no_such_table (id) VALUES (1)')"
    c.body_down = "pass"
    return [a, b, c]


COPIED = re.compile(r"^INFO  \[retort\.rehearse\] Rehearsal: copied the database to (\S+) \((.+)\) in \d+ ms$", re.M)
LOCKS = {"sqlite": "database write lock (whole file)",
         "postgresql": "ACCESS EXCLUSIVE on accounts",
         "mysql": "exclusive metadata lock on accounts"}


class _Base(C.ConformanceCase):
    kind = None
    revisions = staticmethod(revisions)

    def setUp(self):
        if self.kind != "sqlite" and not C.server_url(self.kind):
            self.skipTest("%s server URL not set" % self.kind)
        self.project = C.Project(self.revisions())
        self.db = C.Database(self.kind, C.server_url(self.kind))
        self.project.set_url(self.db.create(self.project.dir))

    def tearDown(self):
        self.db.drop()
        self.project.cleanup()

    def retort(self, *args):
        return C.run_retort(list(args), self.project.dir)

    def state(self):
        eng = self.db.engine()
        try:
            with eng.connect() as c:
                rows = [tuple(r) for r in c.exec_driver_sql("SELECT * FROM accounts ORDER BY id")]
        finally:
            eng.dispose()
        return self.db.schema_state(), self.db.version_rows(), rows

    def assertCopyGone(self, stderr):
        m = COPIED.search(stderr)
        self.assertIsNotNone(m, stderr)
        self.assertIn("Rehearsal: dropped the copy %s" % m.group(1), stderr)
        self.assertTrue(m.group(1).startswith("retort_rehearse_"), m.group(1))
        if self.kind == "sqlite":
            return m
        import sqlalchemy as sa
        eng = sa.create_engine(C.server_url(self.kind), poolclass=sa.pool.NullPool)
        try:
            with eng.connect() as c:
                sql = ("SELECT datname FROM pg_database WHERE datname = '%s'" if self.kind == "postgresql"
                       else "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '%s'")
                self.assertEqual(list(c.exec_driver_sql(sql % m.group(1))), [])
        finally:
            eng.dispose()
        return m


class _Rehearse(_Base):
    def test_rehearse_only_reports_and_touches_nothing(self):
        self.assertEqual(self.retort("upgrade", "c1000000000a").rc, 0)
        before = self.state()
        r = self.retort("upgrade", "c2000000000b", "--rehearse-only")
        self.assertEqual(r.rc, 0, r)
        m = self.assertCopyGone(r.stderr)
        expected_method = {"sqlite": "VACUUM INTO", "mysql": "mysqldump | mysql"}.get(self.kind)
        if expected_method:
            self.assertEqual(m.group(2), expected_method)
        else:   # retort itself is connected to the source: TEMPLATE is refused
            self.assertEqual(m.group(2), "pg_dump | psql")
        self.assertRegex(r.stderr, r"INFO  \[retort\.rehearse\] Rehearsal step 1/1 upgrade c1000000000a -> "
                                   r"c2000000000b: \d+ ms, 3 statements, 2 rows changed\n")
        self.assertIn("expected locks (from the statement kinds, not observed): " + LOCKS[self.kind], r.stderr)
        held = re.search(r"locks held \(pg_locks, this session\): (.*)$", r.stderr, re.M)
        if self.kind == "postgresql":   # what the server said while the step's transaction was open
            self.assertIsNotNone(held, r.stderr)
            for lock in ("AccessExclusiveLock on accounts", "ShareLock on accounts", "RowExclusiveLock on accounts"):
                self.assertIn(lock, held.group(1).split("; "))
        else:
            self.assertIsNone(held, r.stderr)
        self.assertIn("Rehearsal schema diff (copy before -> after):", r.stderr)
        self.assertRegex(r.stderr, r"\[retort\.rehearse\]   \+     email VARCHAR\(80\)")
        self.assertRegex(r.stderr, r"\[retort\.rehearse\]   \+     INDEX ix_accounts_email \(email\)")
        self.assertIn("[rehearsal] Running upgrade c1000000000a -> c2000000000b", r.stderr)
        self.assertNotIn("] Running upgrade c1000000000a", r.stderr.replace("[rehearsal] Running", ""))
        self.assertEqual(self.state(), before)

    def test_rehearse_then_real_run_matches_alembic(self):
        self.assertEqual(self.retort("upgrade", "c1000000000a").rc, 0)
        r = self.retort("upgrade", "c2000000000b", "--rehearse")
        self.assertEqual(r.rc, 0, r)
        self.assertCopyGone(r.stderr)
        done = r.stderr.index("Rehearsal done; running on")
        self.assertLess(r.stderr.index("Rehearsal succeeded"), done)
        self.assertGreater(r.stderr.index("INFO  [alembic.runtime.migration] Running upgrade c1000000000a"), done)
        # Alembic's side: the same upgrade on its own database leaves the same state.
        ref_project = self.project.copy()
        ref_db = C.Database(self.kind, C.server_url(self.kind))
        try:
            ref_project.set_url(ref_db.create(ref_project.dir))
            a = C.run_alembic(["upgrade", "c2000000000b"], ref_project.dir)
            self.assertEqual(a.rc, 0, a)
            self.assertEqual(self.db.schema_state(), ref_db.schema_state())
            self.assertEqual(self.db.version_rows(), ref_db.version_rows())
        finally:
            ref_db.drop()
            ref_project.cleanup()

    def test_failed_rehearsal_exits_255_and_touches_nothing(self):
        self.assertEqual(self.retort("upgrade", "c1000000000a").rc, 0)
        before = self.state()
        r = self.retort("upgrade", "head", "--rehearse")
        self.assertEqual(r.rc, 255, r)
        self.assertIn("FAILED: Rehearsal on a copy failed, the database was not touched: ", r.stdout + r.stderr)
        self.assertIn("no_such_table", r.stderr)
        self.assertRegex(r.stderr, r"Rehearsal step 2/2 upgrade c2000000000b -> c3000000000c: "
                                   r"FAILED after \d+ ms")
        self.assertCopyGone(r.stderr)
        self.assertEqual(self.state(), before)

    def test_downgrade_rehearse_only(self):
        self.assertEqual(self.retort("upgrade", "c2000000000b").rc, 0)
        before = self.state()
        r = self.retort("downgrade", "c1000000000a", "--rehearse-only")
        self.assertEqual(r.rc, 0, r)
        self.assertCopyGone(r.stderr)
        self.assertRegex(r.stderr, r"\[retort\.rehearse\]   -     email VARCHAR\(80\)")
        self.assertEqual(self.state(), before)

    def test_backup_after_the_rehearsal(self):
        self.assertEqual(self.retort("upgrade", "c1000000000a").rc, 0)
        backups = tempfile.mkdtemp(prefix="retort-backups-")
        try:
            r = self.retort("upgrade", "c2000000000b", "--rehearse", "--backup", "--backup-dir", backups)
            self.assertEqual(r.rc, 0, r)
            # Only a rehearsal that succeeded leads to the backup, then the real run.
            self.assertLess(r.stderr.index("Rehearsal done; running on"), r.stderr.index("[retort.backup] Backup of"))
            self.assertLess(r.stderr.index("[retort.backup] Backup of"),
                            r.stderr.index("INFO  [alembic.runtime.migration] Running upgrade c1000000000a"))
            r = self.retort("upgrade", "head", "--rehearse", "--backup", "--backup-dir", backups)
            self.assertEqual(r.rc, 255, r)
            self.assertNotIn("[retort.backup]", r.stderr)
        finally:
            shutil.rmtree(backups, ignore_errors=True)

    def test_nothing_to_run(self):
        self.assertEqual(self.retort("upgrade", "c2000000000b").rc, 0)
        r = self.retort("upgrade", "c2000000000b", "--rehearse-only")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("INFO  [retort.rehearse] Rehearsal: nothing to run", r.stderr)
        self.assertIsNone(COPIED.search(r.stderr), r.stderr)

    def test_refused_with_sql(self):
        r = self.retort("upgrade", "head", "--rehearse", "--sql")
        self.assertEqual(r.rc, 255, r)
        self.assertIn("FAILED: --rehearse needs a database: it cannot be used with --sql", r.stdout + r.stderr)


def python_revisions():
    """c1, c2, then a step only Python's Alembic runs (it reads the database)."""
    a, b = revisions()[:2]
    d = C.Rev("c4000000000d", ("c2000000000b",), message="reads")
    d.body_up = body("n = op.get_bind().execute(sa.text('SELECT COUNT(*) FROM accounts')).scalar()",
                     "op.execute(\"UPDATE accounts SET name = 'n%d'\" % n)").strip()
    d.body_down = "pass"
    return [a, b, d]


class _RehearsePython(_Base):
    """Steps handed to Python's Alembic: they follow the copy's URL, or the rehearsal refuses."""
    revisions = staticmethod(python_revisions)

    def retort(self, *args, env=None):
        # CI sets no RETORT_PYTHON: the reference interpreter has Alembic.
        return C._run([C.RETORT_BIN] + list(args), self.project.dir, dict(env or {}, RETORT_PYTHON=C.REF_PY))

    def test_python_step_runs_on_the_copy(self):
        self.assertEqual(self.retort("upgrade", "c2000000000b").rc, 0)
        before = self.state()
        r = self.retort("upgrade", "head", "--rehearse-only")
        self.assertEqual(r.rc, 0, r)
        # Bridged: Alembic runs it on the rehearsal's connection, so it has figures too.
        self.assertIn("Bridged: upgrade c2000000000b -> c4000000000d", r.stderr)
        self.assertRegex(r.stderr, r"Rehearsal step 1/1 upgrade c2000000000b -> c4000000000d: \d+ ms, "
                                   r"\d+ statements, [1-9]\d* rows? changed")
        self.assertCopyGone(r.stderr)
        self.assertEqual(self.state(), before)

    def test_refused_when_envpy_picks_its_own_url(self):
        env_py = self.project.dir + "/migrations/env.py"
        with open(env_py) as f:
            text = f.read()
        text = text.replace("config = context.config\n",
                            "config = context.config\nimport os\n"
                            "config.set_main_option('sqlalchemy.url', os.environ['APP_DB_URL'])\n", 1)
        with open(env_py, "w") as f:
            f.write(text)
        url = self.db.url_for_state()
        run = lambda *a: self.retort(*a, env={"APP_DB_URL": url})
        self.assertEqual(run("upgrade", "c2000000000b").rc, 0)
        before = self.state()
        r = run("upgrade", "head", "--rehearse")
        self.assertEqual(r.rc, 255, r)
        self.assertIn("a rehearsal cannot guarantee it runs on the copy", r.stdout + r.stderr)
        self.assertIn("from $APP_DB_URL", r.stdout + r.stderr)
        self.assertEqual(self.state(), before)


class RehearseSQLite(_Rehearse):
    kind = "sqlite"


class RehearsePostgreSQL(_Rehearse):
    kind = "postgresql"


class RehearseMySQL(_Rehearse):
    kind = "mysql"


class RehearsePythonSQLite(_RehearsePython):
    kind = "sqlite"


class RehearsePythonPostgreSQL(_RehearsePython):
    kind = "postgresql"


class RehearsePythonMySQL(_RehearsePython):
    kind = "mysql"


if __name__ == "__main__":
    unittest.main()
