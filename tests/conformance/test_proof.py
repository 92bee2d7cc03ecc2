"""Retort's proof commands (issue 14, items 1 and 3): `retort verify [RANGE]` (the stairway on a
scratch database), `retort schema dump --at REV` and `retort diff REV1 REV2`, on each dialect.

The fixture has two correct revisions and one whose downgrade forgets an index. Alembic's side:
the same upgrade/downgrade steps run by `alembic` on its own database show the same thing
(the broken downgrade leaves a schema different from the one before its upgrade; the correct
ones give it back), and `alembic upgrade REV` gives the tables `schema dump --at REV` lists.
The user's database is never touched (no version table appears in it) and the scratch
database Retort names in its log is gone afterwards.
SQLite always; PostgreSQL / MariaDB when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set.
"""
import json
import re
import unittest

import conformance as C


def body(*lines):
    return "\n".join("    " + l for l in lines).strip()


def revisions():
    a = C.Rev("c1000000000a", (), message="users")
    a.body_up = body("op.create_table('users', sa.Column('id', sa.Integer(), primary_key=True),",
                     "                sa.Column('email', sa.String(80), nullable=False))")
    a.body_down = "op.drop_table('users')"
    b = C.Rev("c2000000000b", ("c1000000000a",), message="posts")
    b.body_up = body("op.create_table('posts', sa.Column('id', sa.Integer(), primary_key=True),",
                     "                sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id')))")
    b.body_down = "op.drop_table('posts')"
    c = C.Rev("c3000000000c", ("c2000000000b",), message="tags and email index")
    c.body_up = body("op.create_table('tags', sa.Column('id', sa.Integer(), primary_key=True))",
                     "op.create_index('ix_users_email', 'users', ['email'])")
    # Broken on purpose: the index stays behind.
    c.body_down = "op.drop_table('tags')"
    return [a, b, c]


SCRATCH = re.compile(r"\[retort\.proof\] Scratch database (\S+)")


class _Proof(C.ConformanceCase):
    kind = None

    def setUp(self):
        if self.kind != "sqlite" and not C.server_url(self.kind):
            self.skipTest("%s server URL not set" % self.kind)
        self.project = C.Project(revisions())
        self.db = C.Database(self.kind, C.server_url(self.kind))
        self.project.set_url(self.db.create(self.project.dir))

    def tearDown(self):
        self.db.drop()
        self.project.cleanup()

    def retort(self, *args):
        return C.run_retort(list(args), self.project.dir)

    def assert_scratch_gone(self, result):
        names = SCRATCH.findall(result.stderr)
        self.assertTrue(names, result.stderr)
        for name in names:
            self.assertIn("[retort.proof] Dropped scratch database %s" % name, result.stderr)
            if self.kind == "sqlite":
                import os
                self.assertFalse(os.path.exists(name), name)
                continue
            import sqlalchemy as sa
            eng = self.db.engine()
            try:
                with eng.connect() as c:
                    sql = ("SELECT datname FROM pg_database" if self.kind == "postgresql"
                           else "SELECT schema_name FROM information_schema.schemata")
                    self.assertNotIn(name, [r[0] for r in c.exec_driver_sql(sql)])
            finally:
                eng.dispose()
        # The user's database: untouched.
        self.assertIsNone(self.db.version_rows(), "verify wrote to the user's database")
        self.assertEqual(self.db.tables(), [])

    def alembic_stair(self, rev):
        """Alembic's own steps on a database of its own: schema before `rev`, after its downgrade."""
        project = self.project.copy()
        db = C.Database(self.kind, C.server_url(self.kind))
        try:
            project.set_url(db.create(project.dir))
            down = [r for r in self.project.revs if r.id == rev][0].down
            target = down[0] if down else "base"
            self.assertEqual(C.run_alembic(["upgrade", target], project.dir).rc, 0)
            before = db.schema_state()
            self.assertEqual(C.run_alembic(["upgrade", rev], project.dir).rc, 0)
            self.assertEqual(C.run_alembic(["downgrade", "-1"], project.dir).rc, 0)
            return before, db.schema_state()
        finally:
            db.drop()
            project.cleanup()

    def test_verify_reports_the_broken_downgrade(self):
        r = self.retort("verify")
        self.assertEqual(r.rc, 1, r)
        self.assertIn("c1000000000a ok\n", r.stdout)
        self.assertIn("c2000000000b ok\n", r.stdout)
        self.assertIn("c3000000000c FAILED: downgrade does not restore the schema", r.stdout)
        self.assertIn("\n    +     INDEX ix_users_email (email)\n", r.stdout)
        self.assertIn("upgrade after the downgrade failed", r.stdout)
        self.assertIn("Verified 3 revision(s): 1 finding(s)", r.stdout)
        self.assertIn("Running downgrade c3000000000c -> c2000000000b", r.stderr)
        self.assert_scratch_gone(r)
        # Alembic agrees: c2's downgrade restores, c3's does not.
        before, after = self.alembic_stair("c2000000000b")
        self.assertEqual(before, after)
        before, after = self.alembic_stair("c3000000000c")
        self.assertNotEqual(before, after)

    def test_verify_range_without_findings(self):
        r = self.retort("verify", "c2000000000b:c2000000000b")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, "c2000000000b ok\nVerified 1 revision(s): 0 finding(s)\n")
        self.assert_scratch_gone(r)
        r = self.retort("verify", ":c2000000000b")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("Verified 2 revision(s): 0 finding(s)", r.stdout)

    def test_verify_bad_range_fails(self):
        r = self.retort("verify", "nosuchrev:")
        self.assertEqual(r.rc, 255, r)
        self.assertIn("FAILED: Can't locate revision identified by 'nosuchrev'", r.stdout + r.stderr)

    def test_schema_dump_at(self):
        r = self.retort("schema", "dump", "--at", "c2000000000b")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("TABLE posts\n", r.stdout)
        self.assertIn("TABLE users\n", r.stdout)
        self.assertNotIn("tags", r.stdout)
        self.assertNotIn("alembic_version", r.stdout)
        self.assert_scratch_gone(r)
        j = self.retort("schema", "dump", "--at", "c3000000000c", "--format", "json")
        self.assertEqual(j.rc, 0, j)
        tables = sorted(t["name"] for s in json.loads(j.stdout)["schemas"] for t in s["tables"])
        # Alembic's side: the tables `alembic upgrade c3` leaves.
        project = self.project.copy()
        db = C.Database(self.kind, C.server_url(self.kind))
        try:
            project.set_url(db.create(project.dir))
            self.assertEqual(C.run_alembic(["upgrade", "c3000000000c"], project.dir).rc, 0)
            self.assertEqual(tables, [t for t in db.tables() if t != "alembic_version"])
        finally:
            db.drop()
            project.cleanup()

    def test_schema_dump_at_sqlite_when_asked(self):
        r = self.retort("schema", "dump", "--at", "c1000000000a", "--sqlite")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("(sqlite)", r.stderr)
        self.assertIn("TABLE users", r.stdout)

    def test_diff_between_revisions(self):
        r = self.retort("diff", "c1000000000a", "c3000000000c")
        self.assertEqual(r.rc, 1, r)
        self.assertIn("From c1000000000a to c3000000000c: 2 added, 0 removed, 1 changed", r.stdout)
        self.assertIn("+ TABLE posts\n", r.stdout)
        self.assertIn("+ TABLE tags\n", r.stdout)
        self.assertIn("  TABLE users\n", r.stdout)
        self.assertIn("+     INDEX ix_users_email (email)\n", r.stdout)
        self.assert_scratch_gone(r)
        # The other way round: what it loses.
        r = self.retort("diff", "c3000000000c", "c1000000000a")
        self.assertEqual(r.rc, 1, r)
        self.assertIn("0 added, 2 removed, 1 changed", r.stdout)
        self.assertIn("- TABLE posts\n", r.stdout)
        r = self.retort("diff", "c2000000000b", "c2000000000b")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("No schema changes between c2000000000b and c2000000000b", r.stdout)


class ProofSQLite(_Proof):
    kind = "sqlite"


class ProofPostgreSQL(_Proof):
    kind = "postgresql"


class ProofMySQL(_Proof):
    kind = "mysql"


if __name__ == "__main__":
    unittest.main()
