"""Retort's backup commands (issue 12, item 3): `retort backup`, `retort backups [--prune N]`,
`retort restore FILE` and `upgrade/downgrade --backup`, on a throwaway database of each kind.

A restore is exact: a table created after the backup is gone afterwards and the schema and
version rows equal the state at backup time (no clean-up by hand); the state before the
restore is backed up first. Alembic has no such commands: its side of the comparison is the
database state it leaves when it runs the same upgrade (`alembic upgrade`), which a
`retort restore` of a backup taken at that revision must give back.
SQLite always; PostgreSQL / MariaDB when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set.
"""
import os
import re
import shutil
import tempfile
import unittest

import conformance as C


def body(*lines):
    return "\n".join("    " + l for l in lines)


def revisions():
    a = C.Rev("b1000000000a", (), message="accounts")
    a.body_up = body("op.create_table('accounts', sa.Column('id', sa.Integer(), primary_key=True),",
                     "                sa.Column('name', sa.String(40)))",
                     "op.execute(\"INSERT INTO accounts (id, name) VALUES (1, 'ada')\")").strip()
    a.body_down = "op.drop_table('accounts')"
    b = C.Rev("b2000000000b", ("b1000000000a",), message="orders")
    b.body_up = body("op.create_table('orders', sa.Column('id', sa.Integer(), primary_key=True),",
                     "                sa.Column('account_id', sa.Integer(), sa.ForeignKey('accounts.id')))").strip()
    b.body_down = "op.drop_table('orders')"
    return [a, b]


INFO_BACKUP = re.compile(r"^INFO  \[retort\.backup\] Backup of (\S+) at revision (\S+) written to (\S+) \(", re.M)


class _Backups(C.ConformanceCase):
    kind = None

    def setUp(self):
        if self.kind != "sqlite" and not C.server_url(self.kind):
            self.skipTest("%s server URL not set" % self.kind)
        self.revs = revisions()
        self.project = C.Project(self.revs)
        self.db = C.Database(self.kind, C.server_url(self.kind))
        self.project.set_url(self.db.create(self.project.dir))
        self.backups = tempfile.mkdtemp(prefix="retort-backups-")

    def tearDown(self):
        self.db.drop()
        self.project.cleanup()
        shutil.rmtree(self.backups, ignore_errors=True)

    def retort(self, *args):
        return C.run_retort(list(args) + ["--backup-dir", self.backups], self.project.dir)

    def execute(self, sql):
        eng = self.db.engine()
        try:
            with eng.begin() as c:
                c.exec_driver_sql(sql)
        finally:
            eng.dispose()

    def test_upgrade_backup_then_restore_is_exact(self):
        r = self.retort("upgrade", "b1000000000a", "--backup")
        self.assertEqual(r.rc, 0, r)
        first = INFO_BACKUP.search(r.stderr)
        self.assertIsNotNone(first, r.stderr)
        self.assertEqual(first.group(2), "(none)")
        self.assertLess(r.stderr.index("[retort.backup]"), r.stderr.index("Running upgrade"), r.stderr)
        self.assertTrue(os.path.isfile(first.group(3)))

        r = self.retort("backup")
        self.assertEqual(r.rc, 0, r)
        taken = INFO_BACKUP.search(r.stderr)
        self.assertEqual(taken.group(2), "b1000000000a", r.stderr)
        at_backup = (self.db.schema_state(), self.db.version_rows())

        # Alembic's side: the same upgrade on its own database gives the same state.
        ref_project = self.project.copy()
        ref_db = C.Database(self.kind, C.server_url(self.kind))
        try:
            ref_project.set_url(ref_db.create(ref_project.dir))
            a = C.run_alembic(["upgrade", "b1000000000a"], ref_project.dir)
            self.assertEqual(a.rc, 0, a)
            self.assertEqual(ref_db.schema_state(), at_backup[0])
        finally:
            ref_db.drop()
            ref_project.cleanup()

        # After the backup: a migration, a table of one's own, changed data.
        self.assertEqual(self.retort("upgrade", "head").rc, 0)
        self.execute("CREATE TABLE scratch (id INTEGER)")
        self.execute("UPDATE accounts SET name = 'changed'")
        self.assertIn("scratch", self.db.tables())

        r = self.retort("restore", taken.group(3))
        self.assertEqual(r.rc, 0, r)
        self.assertIn("INFO  [retort.backup] Restored", r.stderr)
        self.assertNotIn("scratch", self.db.tables())
        self.assertEqual((self.db.schema_state(), self.db.version_rows()), at_backup)
        eng = self.db.engine()
        try:
            with eng.connect() as c:
                self.assertEqual([tuple(x) for x in c.exec_driver_sql("SELECT id, name FROM accounts")], [(1, "ada")])
        finally:
            eng.dispose()

        # The state before the restore was backed up: restoring it brings scratch back.
        safety = re.search(r"The state before the restore is in (\S+)", r.stderr)
        self.assertIsNotNone(safety, r.stderr)
        self.assertEqual(self.retort("restore", safety.group(1)).rc, 0)
        self.assertIn("scratch", self.db.tables())
        self.assertEqual(self.db.version_rows(), ["b2000000000b"])

    def test_downgrade_backup(self):
        self.assertEqual(self.retort("upgrade", "head").rc, 0)
        r = self.retort("downgrade", "-1", "--backup")
        self.assertEqual(r.rc, 0, r)
        taken = INFO_BACKUP.search(r.stderr)
        self.assertIsNotNone(taken, r.stderr)
        self.assertEqual(taken.group(2), "b2000000000b")
        self.assertNotIn("orders", self.db.tables())
        # Nothing to do: no backup.
        r = self.retort("downgrade", "b1000000000a", "--backup")
        self.assertEqual(r.rc, 0, r)
        self.assertIsNone(INFO_BACKUP.search(r.stderr), r.stderr)
        self.assertEqual(self.retort("restore", taken.group(3)).rc, 0)
        self.assertIn("orders", self.db.tables())
        self.assertEqual(self.db.version_rows(), ["b2000000000b"])

    def test_backups_lists_and_prunes(self):
        self.assertEqual(self.retort("upgrade", "b1000000000a").rc, 0)
        for _ in range(3):
            self.assertEqual(self.retort("backup").rc, 0)
        r = self.retort("backups")
        self.assertEqual(r.rc, 0, r)
        lines = r.stdout.strip().splitlines()
        self.assertEqual(len(lines), 3, r.stdout)
        for line in lines:
            self.assertRegex(line, r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +[\d.]+ \w+  b1000000000a  \S+  /\S+$")
            self.assertNotIn("retort-pw", line)   # the MariaDB test password is masked
        paths = [l.split()[-1] for l in lines]
        r = self.retort("backups", "--prune", "1")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stderr.count("Deleted backup"), 2, r.stderr)
        self.assertEqual(r.stdout.strip().splitlines(), lines[:1])
        self.assertTrue(os.path.exists(paths[0]))
        self.assertFalse(any(os.path.exists(p) or os.path.exists(p + ".json") for p in paths[1:]))

    def test_errors(self):
        r = self.retort("restore", os.path.join(self.backups, "nothing.sql"))
        self.assertEqual(r.rc, 255, r)
        self.assertIn("FAILED: Backup file not found", r.stdout + r.stderr)
        r = self.retort("upgrade", "head", "--backup", "--sql")
        self.assertEqual(r.rc, 255, r)
        self.assertIn("FAILED: --backup needs a database", r.stdout + r.stderr)
        r = self.retort("backups", "--prune", "0")
        self.assertEqual(r.rc, 255, r)
        wrong = os.path.join(self.backups, "x." + ("dump" if self.kind != "postgresql" else "sqlite"))
        open(wrong, "w").close()
        r = self.retort("restore", wrong)
        self.assertEqual(r.rc, 255, r)
        self.assertIn("is not a", r.stdout + r.stderr)


class _ServerRoutines:
    """The servers' stored routines (SQLite has none)."""

    def test_restore_brings_back_routines(self):
        """Routines are part of the schema: one of backup time comes back, one made since goes."""
        self.assertEqual(self.retort("upgrade", "head").rc, 0)
        if self.kind == "mysql":
            make = "CREATE FUNCTION {0}() RETURNS INTEGER DETERMINISTIC RETURN 1"
            listed = "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()"
        else:
            make = "CREATE FUNCTION {0}() RETURNS integer LANGUAGE sql AS 'SELECT 1'"
            listed = "SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
        self.execute(make.format("kept_fn"))
        r = self.retort("backup")
        self.assertEqual(r.rc, 0, r)
        taken = INFO_BACKUP.search(r.stderr).group(3)
        self.execute(make.format("later_fn"))
        self.execute("DROP FUNCTION kept_fn")
        r = self.retort("restore", taken)
        self.assertEqual(r.rc, 0, r)
        eng = self.db.engine()
        try:
            with eng.connect() as c:
                names = sorted(x[0] for x in c.exec_driver_sql(listed))
        finally:
            eng.dispose()
        self.assertEqual(names, ["kept_fn"])


class BackupsSQLite(_Backups):
    kind = "sqlite"


class BackupsPostgreSQL(_Backups, _ServerRoutines):
    kind = "postgresql"


class BackupsMySQL(_Backups, _ServerRoutines):
    kind = "mysql"

    def test_restore_brings_back_events(self):
        """Events are schema too: one of backup time comes back, one made since goes."""
        self.assertEqual(self.retort("upgrade", "head").rc, 0)
        make = "CREATE EVENT {0} ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM t WHERE 1 = 0"
        self.execute("CREATE TABLE t (id INTEGER)")
        self.execute(make.format("kept_ev"))
        r = self.retort("backup")
        self.assertEqual(r.rc, 0, r)
        taken = INFO_BACKUP.search(r.stderr).group(3)
        self.execute(make.format("later_ev"))
        self.execute("DROP EVENT kept_ev")
        r = self.retort("restore", taken)
        self.assertEqual(r.rc, 0, r)
        eng = self.db.engine()
        try:
            with eng.connect() as c:
                names = sorted(x[0] for x in c.exec_driver_sql(
                    "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()"))
        finally:
            eng.dispose()
        self.assertEqual(names, ["kept_ev"])


if __name__ == "__main__":
    unittest.main()
