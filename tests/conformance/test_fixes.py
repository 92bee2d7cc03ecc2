"""Wrong SQL and online bugs found on real projects (issue 11, items 4-6), side by side with
`/usr/bin/python3 -m alembic`, each tool on its own copy of the project and its own database.

- unnamed objects: op.create_index(None, ...) named by the default naming convention
  (ix_%(column_0_label)s), op.drop_constraint(None, ...) failing as Alembic does;
- autoincrement: an integer primary key that is also a table-level foreign key's column
  (INTEGER, not SERIAL / AUTO_INCREMENT); the target of a self-referencing one (SERIAL);
- a column listed twice in create_table; nullable=True kept on a primary-key column; a
  sa.MetaData() among create_table's items (ignored, as SQLAlchemy's Table() does);
- op.rename_table() then op.batch_alter_table() on the new name in the same migration
  (SQLite: move and copy, reflecting the renamed table; an unnamed batch_op.create_index());
- PostgreSQL: a failing first migration leaves nothing behind, not even alembic_version;
- exit codes when a statement fails on the database: Alembic 1 with a traceback, Retort
  255 with one FAILED: line (README, "Differences worth knowing").

--sql output is compared byte for byte; online runs by exit code and database state
(test_handoff.snapshot: schema, indexes, version rows).
SQLite always; PostgreSQL / MariaDB when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set.
"""
import os
import re
import shutil
import tempfile
import unittest

import conformance as C
import test_handoff as H

body = H.body

NAMING = ("e1000000000a", body(
    "op.create_table('sessions', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))",
    "op.create_table('tracks',",
    "    sa.Column('id', sa.Integer(), nullable=False),",
    "    sa.Column('default_session_id', sa.Integer(), nullable=True),",
    "    sa.Column('name', sa.String(40), nullable=True),",
    "    sa.Column('a', sa.Integer(), nullable=True),",
    "    sa.Column('b', sa.Integer(), nullable=True),",
    "    sa.ForeignKeyConstraint(['default_session_id'], ['sessions.id']),",
    "    sa.PrimaryKeyConstraint('id'))",
    "op.create_index(None, 'tracks', ['default_session_id'])",
    "op.create_index(None, 'tracks', ['a', 'b'])",
    "op.create_index(None, 'tracks', ['name'], unique=True)",
    "op.create_table('session_detail',",
    "    sa.Column('id', sa.Integer(), nullable=False),",
    "    sa.Column('note', sa.String(20), nullable=True),",
    "    sa.ForeignKeyConstraint(['id'], ['sessions.id'], ondelete='CASCADE'),",
    "    sa.PrimaryKeyConstraint('id'))",
    "op.create_table('node',",
    "    sa.Column('id', sa.Integer(), nullable=False),",
    "    sa.Column('parent_id', sa.Integer(), nullable=True),",
    "    sa.ForeignKeyConstraint(['parent_id'], ['node.id']),",
    "    sa.PrimaryKeyConstraint('id'))",
    "op.create_table('dup',",
    "    sa.Column('id', sa.Integer(), nullable=False),",
    "    sa.Column('x', sa.String(5), nullable=True),",
    "    sa.Column('y', sa.Integer(), nullable=True),",
    "    sa.Column('x', sa.Integer(), nullable=False),",
    "    sa.PrimaryKeyConstraint('id'))",
    "op.create_table('track_tag',",
    "    sa.Column('track_id', sa.Integer(), nullable=False),",
    "    sa.Column('tag_id', sa.Integer(), nullable=True),",
    "    sa.PrimaryKeyConstraint('track_id', 'tag_id'))",
    "op.create_table('block', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(20)))",
    "op.execute(\"INSERT INTO block (id, name) VALUES (1, 'first')\")",
    # A MetaData among the items (neutron): Table() gives it nothing to do.
    "op.create_table('rbac', sa.MetaData(),",
    "    sa.Column('project_id', sa.String(length=255), nullable=True, index=True),",
    "    sa.Column('id', sa.String(length=36), nullable=False, primary_key=True),",
    "    sa.Column('session_id', sa.Integer(), nullable=False),",
    "    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),",
    "    sa.UniqueConstraint('project_id', 'session_id', name='uniq_rbac0project0session'))"),
    body("op.drop_table('rbac')",
         "op.drop_table('block')",
         "op.drop_table('track_tag')",
         "op.drop_table('dup')",
         "op.drop_table('node')",
         "op.drop_table('session_detail')",
         "op.drop_index('ix_tracks_a', table_name='tracks')",
         "op.drop_table('tracks')",
         "op.drop_table('sessions')"), "unnamed indexes autoincrement")

# On SQLite, Alembic 1.8.1's move and copy silently leaves out a constraint that batch_op
# creates on a column it renames (its columns are matched by their old names): the unique
# constraint on title is in the copy on PostgreSQL and MariaDB (plain ALTERs), not on SQLite.
RENAME_BATCH = ("e2000000000b", body(
    "op.rename_table('block', 'block_document')",
    "with op.batch_alter_table('block_document') as batch_op:",
    "    batch_op.alter_column('name', new_column_name='title', existing_type=sa.String(20))",
    "    batch_op.add_column(sa.Column('slug', sa.String(20), nullable=True))",
    "    batch_op.create_unique_constraint('uq_block_document_slug', ['slug'])",
    "    batch_op.create_unique_constraint('uq_block_document_title', ['title'])",
    "    batch_op.create_index(None, ['slug'])"),
    body("op.rename_table('block_document', 'block')",
         "with op.batch_alter_table('block') as batch_op:",
         "    batch_op.drop_index('ix_block_document_slug')",
         "    batch_op.drop_constraint('uq_block_document_slug', type_='unique')",
         "    batch_op.drop_column('slug')",
         "    batch_op.alter_column('title', new_column_name='name', existing_type=sa.String(20))"),
    "rename then batch")

DROP_UNNAMED = ("e3000000000c", body(
    "op.add_column('tracks', sa.Column('note', sa.String(10), nullable=True))",
    "op.drop_constraint(None, 'tracks', type_='foreignkey')"),
    body("op.drop_column('tracks', 'note')"), "drop unnamed constraint")

FAILING_FIRST = ("e4000000000d", body(
    "op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True))",
    "op.execute('INSERT INTO missing_table VALUES (1)')"),
    body("op.drop_table('t')"), "fails on the database")

# One transaction (PostgreSQL, stock env.py) with a step Alembic must run (it inspects the
# database): Alembic runs the whole plan. A native step with an autocommit block must keep
# its meaning there -- Alembic commits what ran before the block -- so a later failure
# leaves that committed part, as under Alembic.
AUTOCOMMIT_THEN_FAIL = [
    ("e5000000000e", body("op.create_table('early', sa.Column('id', sa.Integer(), primary_key=True))"),
     body("op.drop_table('early')"), "before the autocommit block"),
    ("e6000000000f", body("with op.get_context().autocommit_block():",
                          "    op.create_table('in_autocommit', sa.Column('id', sa.Integer(), primary_key=True))"),
     body("op.drop_table('in_autocommit')"), "autocommit block"),
    # (get_view_names(): an inspection Retort does not answer natively, see test_inspect.py)
    ("e7000000000a", body("if 'early' not in sa.inspect(op.get_bind()).get_view_names():",
                          "    op.create_table('inspected', sa.Column('id', sa.Integer(), primary_key=True))"),
     body("op.drop_table('inspected')"), "inspects: Alembic runs it"),
    ("e8000000000b", body("op.execute('INSERT INTO missing_table VALUES (1)')"), body("pass"), "fails"),
]

DATA = ("block", "block_document")


class _Fixes(unittest.TestCase):
    kind = None
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        if not os.environ.get("RETORT_BIN"):
            raise unittest.SkipTest("RETORT_BIN not set")
        if cls.kind != "sqlite" and not C.server_url(cls.kind):
            raise unittest.SkipTest("%s server URL not set (RETORT_TEST_%s_URL)" % (
                cls.kind, "PG" if cls.kind == "postgresql" else "MYSQL"))

    def _side(self, revs, name):
        tmp = tempfile.mkdtemp(prefix="retort-fixes-%s-" % name)
        if not C.KEEP:
            self.addCleanup(shutil.rmtree, tmp, True)
        d = os.path.join(tmp, "p")
        ini = H.make_project(d, revs)
        db = C.Database(self.kind, C.server_url(self.kind))
        db.create(d)
        self.addCleanup(db.drop)
        H.set_ini(ini, "sqlalchemy.url", ("sqlite:///" + db.path) if self.kind == "sqlite" else db.url)
        return d, db

    def sides(self, revs):
        return self._side(revs, "retort"), self._side(revs, "alembic")

    def both(self, mine, ref, *args):
        # Steps Retort hands to Python use the reference interpreter (as in test_handoff).
        return H.retort(mine[0], *args, env={"RETORT_PYTHON": H.REF_PY}), H.alembic(ref[0], *args)

    def assertSameState(self, mine, ref, what):
        self.assertEqual(H.snapshot(mine[1], DATA), H.snapshot(ref[1], DATA), what)

    def test_sql(self):
        """--sql: the same script, byte for byte (SQLite's batch needs a live table: both
        tools refuse it offline, so only the first revision there)."""
        mine, ref = self.sides([NAMING, RENAME_BATCH])
        target = NAMING[0] if self.kind == "sqlite" else "head"
        for args in (["upgrade", target, "--sql"], ["downgrade", "%s:base" % target, "--sql"]):
            r, a = self.both(mine, ref, *args)
            what = " ".join(args) + "\nretort: " + r.stderr + "\nalembic: " + a.stderr[-2000:]
            self.assertEqual((r.returncode, a.returncode), (0, 0), what)
            self.assertEqual(r.stdout, a.stdout, what)
            self.assertNotIn("needs Python", r.stderr, what)   # every fix is native

    def test_online(self):
        mine, ref = self.sides([NAMING, RENAME_BATCH])
        for args in (["upgrade", "head"], ["downgrade", "base"], ["upgrade", "head"], ["downgrade", "-1"]):
            r, a = self.both(mine, ref, *args)
            what = " ".join(args) + "\nretort: " + r.stdout + r.stderr + "\nalembic: " + a.stderr[-2000:]
            self.assertEqual((r.returncode, a.returncode), (0, 0), what)
            self.assertSameState(mine, ref, what)
        self.assertEqual(mine[1].version_rows(), [NAMING[0]])

    def test_drop_unnamed_constraint(self):
        """Alembic cannot drop an unnamed constraint: neither can Retort, and it leaves the
        database as Alembic does (on MySQL the ADD COLUMN before it stays, in both), but on
        SQLite, where its step is one transaction, without the ADD COLUMN."""
        mine, ref = self.sides([NAMING, DROP_UNNAMED])
        r, a = self.both(mine, ref, "upgrade", NAMING[0])
        self.assertEqual((r.returncode, a.returncode), (0, 0), r.stderr + a.stderr)
        before = H.snapshot(ref[1], DATA)
        r, a = self.both(mine, ref, "upgrade", "head")
        what = "retort: " + r.stdout + r.stderr + "\nalembic: " + a.stderr[-2000:]
        self.assertEqual(a.returncode, 1, what)
        self.assertEqual(r.returncode, 255, what)
        self.assertIn(DROP_UNNAMED[0], H.failed_line(r), what)
        # Alembic's own words (the step goes to Alembic, whose rendering fails the same way),
        # object addresses aside.
        unaddressed = lambda text: re.sub(r" object at 0x[0-9a-f]+", "", text)  # noqa: E731
        self.assertIn(unaddressed(a.stderr.strip().splitlines()[-1].split(": ", 1)[1]),
                      unaddressed(H.failed_line(r)), what)
        if self.kind == "sqlite":
            # The step runs in Alembic through the bridge, in Retort's transaction for it:
            # nothing of it stays, where Alembic's pysqlite committed the ADD COLUMN (its
            # version row then behind its schema), as for a failing native step.
            self.assertEqual(H.snapshot(mine[1], DATA), before, what)
        else:
            self.assertSameState(mine, ref, what)

    def test_failing_statement(self):
        """A statement failing on the database: Alembic exits 1 with a traceback, Retort 255
        with one FAILED: line naming the migration; on PostgreSQL neither leaves anything
        behind (the version table is created in the run's transaction)."""
        mine, ref = self.sides([FAILING_FIRST])
        r, a = self.both(mine, ref, "upgrade", "head")
        what = "retort: " + r.stdout + r.stderr + "\nalembic: " + a.stderr[-2000:]
        self.assertEqual(a.returncode, 1, what)
        self.assertIn("Traceback (most recent call last)", a.stderr, what)
        self.assertEqual(r.returncode, 255, what)
        self.assertNotIn("Traceback", r.stderr, what)
        self.assertIn(FAILING_FIRST[0], H.failed_line(r), what)
        self.assertIn("missing_table", H.failed_line(r), what)
        if self.kind == "postgresql":
            self.assertEqual(mine[1].tables(), [], what)
            self.assertSameState(mine, ref, what)


class FixesSQLite(_Fixes):
    kind = "sqlite"


class FixesPostgreSQL(_Fixes):
    kind = "postgresql"

    def test_autocommit_block_in_one_transaction(self):
        """One transaction with transactional DDL (PostgreSQL's stock env.py): see
        AUTOCOMMIT_THEN_FAIL."""
        mine, ref = self.sides(AUTOCOMMIT_THEN_FAIL)
        r, a = self.both(mine, ref, "upgrade", "head")
        what = "retort: " + r.stdout + r.stderr + "\nalembic: " + a.stderr[-2000:]
        self.assertEqual((r.returncode, a.returncode), (255, 1), what)
        self.assertEqual(mine[1].tables(), ref[1].tables(), what)
        self.assertEqual(mine[1].version_rows(), ref[1].version_rows(), what)
        self.assertIn("in_autocommit", mine[1].tables(), what)


class FixesMySQL(_Fixes):
    kind = "mysql"


if __name__ == "__main__":
    unittest.main()
