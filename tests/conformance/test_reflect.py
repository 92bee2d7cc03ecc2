"""SQLAlchemy reflection in revision scripts (`MetaData().reflect(op.get_bind(), only=...)`,
`sa.Table(name, meta)` after it, `sa.Table(name, sa.MetaData(), autoload_with=bind)`,
`meta.tables[name]`) followed by DML on the reflected tables (op.execute() or the bind's
execute() of update/insert/delete with where/values), run by Retort and by Alembic side
by side, ONLINE on fresh databases holding the same rows: schema, data, version rows,
stdout and exit status must end as under Alembic, and Retort must run the steps natively
(no hand-off to Python): the reflected columns and types are read from the run's
transaction when the step reaches them. `--sql`: Alembic's reflection fails on its mock
connection; Retort hands the step to Python, so the error is Alembic's. A plain
`bind.execute(<table statement>)` (no reflection) is native in `--sql` too, Alembic's SQL
byte for byte. SQLite always; PostgreSQL / MariaDB when RETORT_TEST_PG_URL /
RETORT_TEST_MYSQL_URL are set.
"""
import os
import shutil
import subprocess
import tempfile
import unittest

import conformance as C
from test_failures import DEMO, point_at, schema_snapshot
from test_inspect import write_rev

BASE = '''def upgrade():
    acct = op.create_table(
        "acct", sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(40)), sa.Column("status", sa.String(20)),
        sa.Column("score", sa.Integer()), sa.Column("active", sa.Boolean()))
    note = op.create_table(
        "note", sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("acct_id", sa.Integer(), sa.ForeignKey("acct.id")), sa.Column("body", sa.String(60)))
    op.bulk_insert(acct, [
        {"id": 1, "name": "alpha", "status": "old", "score": 5, "active": True},
        {"id": 2, "name": "beta", "status": "new", "score": 12, "active": True},
        {"id": 3, "name": "gamma", "status": "old", "score": 20, "active": False},
        {"id": 4, "name": "o'hara", "status": None, "score": None, "active": None},
    ])
    op.bulk_insert(note, [
        {"id": 1, "acct_id": 1, "body": "keep"},
        {"id": 2, "acct_id": 2, "body": "obsolete"},
        {"id": 3, "acct_id": 3, "body": "obsolete"},
    ])


def downgrade():
    op.drop_table("note")
    op.drop_table("acct")
'''

SCENARIOS = {
    # reflect(only=...) after a column added in the same migration, then Table(name, meta)
    # and updates with a constant, a column of the table and a where clause.
    "only": '''
    op.add_column("acct", sa.Column("tier", sa.Integer(), nullable=True))
    meta = sa.MetaData()
    meta.reflect(op.get_bind(), only=("acct", "note"), resolve_fks=False)
    acct = sa.Table("acct", meta)
    op.execute(acct.update().values(tier=3))
    op.execute(acct.update().where(acct.c.status == "old").values(tier=acct.c.score, status="archived"))
    note = sa.Table("note", meta)
    op.execute(note.delete().where(note.c.body == "obsolete"))
''',
    # reflect() of everything on a connection local, tables by meta.tables[], the bind's
    # execute() of sa.update/sa.delete/sa.insert in loops over module-style constants.
    "all_tables": '''
    connection = op.get_bind()
    meta = sa.MetaData()
    meta.reflect(connection)
    acct = meta.tables["acct"]
    note = meta.tables["note"]
    for old, new in (("alpha", "Alpha"), ("o'hara", "O'Hara")):
        connection.execute(sa.update(acct).where(acct.c.name == old).values(name=new))
    for body in ["obsolete", "never there"]:
        connection.execute(sa.delete(note).where(note.c.body == body))
    # An INSERT into a table with a primary key stays Python's on PostgreSQL (SQLAlchemy
    # may add RETURNING there): not in this scenario.
    if connection.dialect.name != "postgresql":
        connection.execute(sa.insert(note).values(id=10, acct_id=2, body="added"))
    connection.execute("UPDATE acct SET status = 'seen' WHERE status IS NULL")
''',
    # Table(autoload_with=bind): a Boolean column's literal as each dialect reflects it
    # (BOOLEAN, MySQL's TINYINT(1)), comparisons, and the primary key.
    "autoload": '''
    acct = sa.Table("acct", sa.MetaData(), autoload_with=op.get_bind())
    op.execute(acct.update().where(acct.c.score > 10).values(active=False, status="busy"))
    op.execute(acct.update().where(acct.c.score.is_(None)).values(score=0, active=True))
    if op.get_bind().dialect.name != "postgresql":
        op.execute(acct.insert().values(id=7, name="delta", active=True))
''',
    # case() with Python's `and` of two comparisons (SQLAlchemy's bool() of `!=` is true:
    # the second one is the condition), after a column added in the same migration.
    "case": '''
    op.add_column("acct", sa.Column("flagged", sa.Integer(), server_default="0"))
    meta = sa.MetaData()
    meta.reflect(op.get_bind(), only=("acct",))
    acct = sa.Table("acct", meta)
    op.execute(acct.update().values(
        flagged=sa.case((acct.c.status != "gone" and acct.c.status != "new", 1), else_=0)))
    op.execute(acct.update().where(acct.c.id == 1 or acct.c.name == "gamma").values(score=acct.c.score + 100))
''',
}

# The bind's execute() of a lightweight table's statement, no reflection: native in --sql.
BIND_EXECUTE_SQL = '''
    conn = op.get_bind()
    t = sa.table("acct", sa.column("name", sa.String()), sa.column("score", sa.Integer()))
    conn.execute(t.update().where(t.c.name == "alpha").values(score=t.c.score + 1))
    conn.execute(sa.delete(t).where(t.c.score < 0))
    conn.execute(t.insert().values(name="x", score=2))
    # A plain string (no bind, no %): the driver's SQL online, op.execute()'s offline.
    conn.execute("UPDATE acct SET status = 'plain' WHERE name = 'beta'")
'''

# SchemaType.create(bind): CREATE TYPE on PostgreSQL (checkfirst ignored offline), nothing
# on SQLite; native in --sql and online (checkfirst=False).
ENUM_CREATE = '''
    from sqlalchemy.dialects import postgresql
    state = sa.Enum("on", "off", "o''k", name="acct_state")
    state.create(op.get_bind())
    kind = postgresql.ENUM("a", "b", name="Acct_Kind")
    kind.create(bind=op.get_bind(), checkfirst=False)
    op.add_column("acct", sa.Column("state", state, nullable=True))
    op.add_column("acct", sa.Column("kind", kind, nullable=True))
'''
ENUM_CREATE_CHECKFIRST = ENUM_CREATE.replace("checkfirst=False", "checkfirst=True")


class _Reflect(unittest.TestCase):
    kind = None
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        if not C.RETORT_BIN:
            raise unittest.SkipTest("RETORT_BIN not set")
        if cls.kind != "sqlite" and not C.server_url(cls.kind):
            raise unittest.SkipTest("%s server URL not set (RETORT_TEST_%s_URL)" % (
                cls.kind, "PG" if cls.kind == "postgresql" else "MYSQL"))

    def _project(self, body):
        tmp = tempfile.mkdtemp(prefix="retort-reflect-")
        self.addCleanup(shutil.rmtree, tmp, True)
        d = os.path.join(tmp, "p")
        os.makedirs(os.path.join(d, "migrations", "versions"))
        shutil.copy(os.path.join(DEMO, "alembic.ini"), d)
        for f in ("env.py", "script.py.mako"):
            shutil.copy(os.path.join(DEMO, "migrations", f), os.path.join(d, "migrations"))
        versions = os.path.join(d, "migrations", "versions")
        write_rev(versions, "a1000000000a", None, BASE, "base")
        write_rev(versions, "b2000000000b", "a1000000000a",
                  "def upgrade():" + body + "\n\ndef downgrade():\n    pass\n", "reflected")
        db = C.Database(self.kind, C.server_url(self.kind))
        db.create(d)
        self.addCleanup(db.drop)
        point_at(d, ("sqlite:///" + db.path) if self.kind == "sqlite" else db.url)
        return d, db

    def _run(self, d, argv):
        env = dict(os.environ, RETORT_PYTHON=C.REF_PY, LC_ALL="C.UTF-8")
        return subprocess.run(argv, cwd=d, capture_output=True, text=True, timeout=300, env=env)

    def _side(self, body, argv_prefix, one_run):
        d, db = self._project(body)
        if not one_run:
            first = self._run(d, argv_prefix + ["upgrade", "a1000000000a"])
            self.assertEqual(first.returncode, 0, first.stdout + first.stderr)
        r = self._run(d, argv_prefix + ["upgrade", "head"])
        snap = {k: [row for row in v if "retort_step_journal" not in row]
                for k, v in schema_snapshot(db, ["acct", "note"]).items()}
        return r, snap

    def _compare(self, name, one_run=False, body=None):
        body = body or SCENARIOS[name]
        ret, ret_schema = self._side(body, [C.RETORT_BIN], one_run)
        ref, ref_schema = self._side(body, [C.REF_PY, "-m", "alembic"], one_run)
        what = "%s on %s\n--- retort:\n%s%s\n--- alembic:\n%s%s" % (
            name, self.kind, ret.stdout, ret.stderr, ref.stdout, ref.stderr)
        self.assertEqual(ref.returncode, 0, what)
        self.assertEqual(ret.returncode, 0, what)
        self.assertEqual(ret.stdout, ref.stdout, what)
        self.assertEqual(ret_schema, ref_schema, what)
        self.assertNotIn("needs Python", ret.stderr, what)
        self.assertNotIn("Alembic runs", ret.stderr, what)
        self.assertNotIn("Bridged", ret.stderr, what)

    def test_only(self):
        self._compare("only")

    def test_all_tables(self):
        self._compare("all_tables")

    def test_autoload(self):
        self._compare("autoload")

    def test_case(self):
        self._compare("case")

    def test_same_run(self):
        # Base and reflecting revision in one `upgrade head`: the tables and rows the base
        # made in this run's transaction are reflected and updated.
        for name in SCENARIOS:
            with self.subTest(name):
                self._compare(name, one_run=True)

    def test_sql_is_alembics_error(self):
        d, _ = self._project(SCENARIOS["only"])
        argv = ["upgrade", "a1000000000a:b2000000000b", "--sql"]
        ret, ref = self._run(d, [C.RETORT_BIN] + argv), self._run(d, [C.REF_PY, "-m", "alembic"] + argv)
        what = "--sql on %s\n--- retort:\n%s%s\n--- alembic:\n%s%s" % (
            self.kind, ret.stdout, ret.stderr, ref.stdout, ref.stderr)
        self.assertNotEqual(ref.returncode, 0, what)
        self.assertNotEqual(ret.returncode, 0, what)
        self.assertIn("needs Python", ret.stderr, what)

    def test_bind_execute_sql(self):
        d, _ = self._project(BIND_EXECUTE_SQL)
        argv = ["upgrade", "a1000000000a:b2000000000b", "--sql"]
        ret, ref = self._run(d, [C.RETORT_BIN] + argv), self._run(d, [C.REF_PY, "-m", "alembic"] + argv)
        what = "--sql on %s\n--- retort:\n%s%s\n--- alembic:\n%s%s" % (
            self.kind, ret.stdout, ret.stderr, ref.stdout, ref.stderr)
        self.assertEqual((ret.returncode, ref.returncode), (0, 0), what)
        self.assertEqual(ret.stdout, ref.stdout, what)
        self.assertNotIn("needs Python", ret.stderr, what)

    def test_enum_create(self):
        if self.kind == "mysql":   # MySQL's native enums: Python (postgresql.ENUM fails there)
            return
        self._compare("enum_create", body=ENUM_CREATE)
        for body in (ENUM_CREATE, ENUM_CREATE_CHECKFIRST):
            d, _ = self._project(body)
            argv = ["upgrade", "a1000000000a:b2000000000b", "--sql"]
            ret, ref = self._run(d, [C.RETORT_BIN] + argv), self._run(d, [C.REF_PY, "-m", "alembic"] + argv)
            what = "--sql on %s\n--- retort:\n%s%s\n--- alembic:\n%s%s" % (
                self.kind, ret.stdout, ret.stderr, ref.stdout, ref.stderr)
            self.assertEqual((ret.returncode, ref.returncode), (0, 0), what)
            self.assertEqual(ret.stdout, ref.stdout, what)
            self.assertNotIn("needs Python", ret.stderr, what)
            if self.kind == "postgresql":
                self.assertIn('CREATE TYPE "Acct_Kind" AS ENUM', ret.stdout, what)


class ReflectSQLite(_Reflect):
    kind = "sqlite"


class ReflectPostgreSQL(_Reflect):
    kind = "postgresql"


class ReflectMySQL(_Reflect):
    kind = "mysql"


if __name__ == "__main__":
    unittest.main()
