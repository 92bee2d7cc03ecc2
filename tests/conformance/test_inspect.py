"""Live inspection in revision scripts (`sa.inspect(op.get_bind())` and its
get_table_names()/has_table()/get_columns()/get_indexes()/get_foreign_keys()/
get_unique_constraints()/get_pk_constraint()), run by Retort and by Alembic side by side,
ONLINE: the answers decide which ops run, so the schema, version rows, stdout and exit
status must end as under Alembic. Retort must run these steps natively (no hand-off to
Python): the function is interpreted again as the step runs, inspection answered from the
run's transaction after the statements before it ran (the earlier statements of the same
function and the earlier migrations of the same run). `--sql`: Alembic's inspector fails
on its mock connection; Retort hands the step to Python, so the error is Alembic's.
SQLite always; PostgreSQL / MariaDB when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set.
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import conformance as C
from test_failures import DEMO, point_at, schema_snapshot

HEADER = '''"""%(msg)s

Revision ID: %(rev)s
Revises: %(down)s
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.engine import reflection

revision = "%(rev)s"
down_revision = %(down_repr)s
branch_labels = None
depends_on = None

'''

BASE = '''def upgrade():
    op.create_table("p", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("x", sa.Integer()),
                    sa.Column("y", sa.String(20)), sa.Column("p_id", sa.Integer()),
                    sa.ForeignKeyConstraint(["p_id"], ["p.id"], name="fk_t_p"),
                    sa.UniqueConstraint("y", name="uq_t_y"))
    op.create_index("ix_t_x", "t", ["x"])
    op.create_index("ix_t_xy", "t", ["x", "y"])


def downgrade():
    op.drop_table("t")
    op.drop_table("p")
'''

SCENARIOS = {
    # has_table / get_table_names guards, one true and one false.
    "tables": '''
    insp = sa.inspect(op.get_bind())
    tables = insp.get_table_names()
    if "t" in tables:
        op.add_column("t", sa.Column("z", sa.Integer()))
    if "missing" not in tables:
        print("no table missing")
    if not insp.has_table("missing"):
        op.create_table("missing", sa.Column("id", sa.Integer(), primary_key=True))
    if insp.has_table("p"):
        print("p is there")
''',
    # Column names read in a loop (comprehensions and list.append() need Python).
    "columns": '''
    inspector = sa.inspect(op.get_bind())
    has_z = False
    for c in inspector.get_columns("t"):
        if c["name"] == "z":
            has_z = True
        if c["name"] == "y" and c["nullable"]:
            print("y is nullable")
    if not has_z:
        op.add_column("t", sa.Column("z", sa.Integer()))
''',
    # A loop over the indexes dropping the single-column ones.
    "indexes": '''
    inspector = sa.inspect(op.get_bind())
    for index in inspector.get_indexes("t"):
        if index["column_names"] == ["x"]:
            op.drop_index(index["name"], table_name="t")
        if index["unique"] is False and len(index["column_names"]) == 2:
            print("two columns:", index["name"])
''',
    # The foreign key to p found by its target, dropped by its name; the primary key and
    # the unique constraint read too.
    "foreign_keys": '''
    inspector = reflection.Inspector.from_engine(op.get_bind())
    for fk in inspector.get_foreign_keys("t"):
        if fk["referred_table"] == "p":
            op.create_table("made_here", sa.Column("id", sa.Integer(), primary_key=True))
    if inspector.get_pk_constraint("t")["constrained_columns"] == ["id"]:
        op.create_table("seen_too", sa.Column("id", sa.Integer(), primary_key=True))
    for uq in inspector.get_unique_constraints("t"):
        if uq["column_names"] == ["y"]:
            op.create_table("missing", sa.Column("id", sa.Integer(), primary_key=True))
''',
    # Inspection sees the statements of the same function that ran before it.
    "same_migration": '''
    op.create_table("made_here", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_index("ix_t_yx", "t", ["y", "x"])
    insp = sa.inspect(op.get_bind())
    if insp.has_table("made_here"):
        op.add_column("made_here", sa.Column("seen", sa.Integer()))
    for index in insp.get_indexes("t"):
        if index["column_names"] == ["y", "x"]:
            op.drop_index(index["name"], table_name="t")
    if "made_here" in insp.get_table_names():
        op.create_table("seen_too", sa.Column("id", sa.Integer(), primary_key=True))
''',
    # SQLAlchemy's inspector caches what it read (not has_table()): asking the same one
    # again gives the old answer; a new inspector reads again.
    "cached": '''
    insp = sa.inspect(op.get_bind())
    before = insp.get_table_names()
    op.create_table("made_here", sa.Column("id", sa.Integer(), primary_key=True))
    if "made_here" in insp.get_table_names():
        op.create_table("seen_too", sa.Column("id", sa.Integer(), primary_key=True))
    if "made_here" in sa.inspect(op.get_bind()).get_table_names():
        op.create_table("missing", sa.Column("id", sa.Integer(), primary_key=True))
    if insp.has_table("made_here"):
        print("has_table is not cached")
''',
    # An engine's inspector reads through a new connection: on PostgreSQL it sees only
    # what is committed (not the tables this run made), on SQLite what pysqlite committed.
    "engine": '''
    engine = op.get_bind().engine
    tables = sa.inspect(engine).get_table_names()
    if "t" in tables:
        op.add_column("t", sa.Column("z", sa.Integer()))
    else:
        print("t not seen")
''',
    # The engine's URL (issue 11 item 2): known to Retort, online and in --sql.
    "engine_url": '''
    bind = op.get_bind()
    url = str(bind.engine.url)
    if url.startswith("mysql"):
        op.create_table("made_here", sa.Column("id", sa.Integer(), primary_key=True))
    elif url.startswith("postgres") and bind.engine.url.drivername == "postgresql":
        op.create_table("seen_too", sa.Column("id", sa.Integer(), primary_key=True))
    elif "sqlite" in url:
        op.create_table("missing", sa.Column("id", sa.Integer(), primary_key=True))
''',
    # List and set comprehensions over the answers (neutron's and pgadmin's pattern).
    "comprehension": '''
    insp = sa.inspect(op.get_bind())
    if "z" not in [c["name"] for c in insp.get_columns("t")]:
        op.add_column("t", sa.Column("z", sa.Integer()))
    existing = {c["name"] for c in insp.get_columns("p")}
    if "id" in existing and "other" not in existing:
        op.create_table("made_here", sa.Column("id", sa.Integer(), primary_key=True))
''',
    # Comprehensions without inspection: native in --sql too, Alembic's SQL byte for byte.
    "comprehension_sql": '''
    t = sa.table("p", sa.column("id", sa.Integer()))
    op.bulk_insert(t, [{"id": i} for i in range(1, 5) if i != 2 if i != 3])
    for name in [n.upper() for n, _ in (("a", 1), ("b", 2))]:
        op.execute("UPDATE p SET id = id WHERE '%s' = 'A'" % name)
    # sa.sql.False_() / True_() (jupyterhub): the same constants as sa.false() / sa.true()
    op.add_column("p", sa.Column("f", sa.Boolean(), server_default=sa.sql.False_(), nullable=False))
    op.add_column("p", sa.Column("g", sa.Boolean(), server_default=sa.sql.expression.True_(), nullable=False))
''',
}


def write_rev(versions, rev, down, body, msg):
    text = HEADER % {"msg": msg, "rev": rev, "down": down or "", "down_repr": repr(down)}
    with open(os.path.join(versions, "%s_%s.py" % (rev, msg)), "w") as f:
        f.write(text + body)


class _Inspect(unittest.TestCase):
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
        tmp = tempfile.mkdtemp(prefix="retort-inspect-")
        self.addCleanup(shutil.rmtree, tmp, True)
        d = os.path.join(tmp, "p")
        os.makedirs(os.path.join(d, "migrations", "versions"))
        shutil.copy(os.path.join(DEMO, "alembic.ini"), d)
        for f in ("env.py", "script.py.mako"):
            shutil.copy(os.path.join(DEMO, "migrations", f), os.path.join(d, "migrations"))
        versions = os.path.join(d, "migrations", "versions")
        write_rev(versions, "a1000000000a", None, BASE, "base")
        write_rev(versions, "b2000000000b", "a1000000000a",
                  "def upgrade():" + body + "\n\ndef downgrade():\n    pass\n", "inspected")
        db = C.Database(self.kind, C.server_url(self.kind))
        db.create(d)
        self.addCleanup(db.drop)
        point_at(d, ("sqlite:///" + db.path) if self.kind == "sqlite" else db.url)
        return d, db

    def _side(self, name, argv_prefix, one_run):
        d, db = self._project(SCENARIOS[name])
        env = dict(os.environ, RETORT_PYTHON=C.REF_PY, LC_ALL="C.UTF-8")
        run = lambda *a: subprocess.run(argv_prefix + list(a), cwd=d, capture_output=True, text=True,
                                        timeout=300, env=env)
        if not one_run:
            first = run("upgrade", "a1000000000a")
            self.assertEqual(first.returncode, 0, first.stdout + first.stderr)
        r = run("upgrade", "head")
        snap = {k: [row for row in v if "retort_step_journal" not in row]
                for k, v in schema_snapshot(db, ["t", "p"]).items()}
        return r, snap

    def _compare(self, name, one_run=False, native=True):
        ret, ret_schema = self._side(name, [C.RETORT_BIN], one_run)
        ref, ref_schema = self._side(name, [C.REF_PY, "-m", "alembic"], one_run)
        what = "%s on %s\n--- retort:\n%s%s\n--- alembic:\n%s%s" % (
            name, self.kind, ret.stdout, ret.stderr, ref.stdout, ref.stderr)
        self.assertEqual(ref.returncode, 0, what)
        self.assertEqual(ret.returncode, 0, what)
        self.assertEqual(ret.stdout, ref.stdout, what)
        self.assertEqual(ret_schema, ref_schema, what)
        if native:   # no hand-off to Python
            self.assertNotIn("needs Python", ret.stderr, what)
            self.assertNotIn("Alembic runs", ret.stderr, what)
        return ret, ref

    def test_tables(self):
        self._compare("tables")

    def test_columns(self):
        self._compare("columns")

    def test_indexes(self):
        self._compare("indexes")

    def test_foreign_keys(self):
        self._compare("foreign_keys")

    def test_engine(self):
        self._compare("engine")
        self._compare("engine", one_run=True)

    def test_cached(self):
        self._compare("cached")

    def test_same_migration(self):
        self._compare("same_migration")

    def test_earlier_migration_same_run(self):
        # Base and inspecting revision in one `upgrade head`: the tables the base made in
        # this run's transaction are seen.
        for name in ("tables", "indexes", "same_migration"):
            with self.subTest(name):
                self._compare(name, one_run=True)

    def test_comprehension(self):
        self._compare("comprehension")

    def test_comprehension_sql(self):
        d, _ = self._project(SCENARIOS["comprehension_sql"])
        env = dict(os.environ, RETORT_PYTHON=C.REF_PY, LC_ALL="C.UTF-8")
        run = lambda argv: subprocess.run(argv + ["upgrade", "a1000000000a:b2000000000b", "--sql"], cwd=d,
                                          capture_output=True, text=True, timeout=300, env=env)
        ret, ref = run([C.RETORT_BIN]), run([C.REF_PY, "-m", "alembic"])
        what = "--sql on %s\n--- retort:\n%s%s\n--- alembic:\n%s%s" % (
            self.kind, ret.stdout, ret.stderr, ref.stdout, ref.stderr)
        self.assertEqual((ret.returncode, ref.returncode), (0, 0), what)
        self.assertEqual(ret.stdout, ref.stdout, what)
        self.assertNotIn("needs Python", ret.stderr, what)
        self._compare("comprehension_sql")

    def test_engine_url(self):
        self._compare("engine_url")

    def test_engine_url_sql(self):
        # Alembic's own --sql fails (its mock connection has no url); Retort renders what
        # its Alembic worker renders (the worker gives the mock connection the URL).
        d, _ = self._project(SCENARIOS["engine_url"])
        env = dict(os.environ, RETORT_PYTHON=C.REF_PY, LC_ALL="C.UTF-8")
        r = subprocess.run([C.RETORT_BIN, "upgrade", "a1000000000a:b2000000000b", "--sql"], cwd=d,
                           capture_output=True, text=True, timeout=300, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("needs Python", r.stderr)
        made = {"sqlite": "missing", "postgresql": "seen_too", "mysql": "made_here"}[self.kind]
        self.assertRegex(r.stdout, r"CREATE TABLE [`\"]?%s" % made)
        self.assertEqual(len(re.findall(r"CREATE TABLE", r.stdout)), 1, r.stdout)

    def test_sql_is_alembics_error(self):
        d, _ = self._project(SCENARIOS["tables"])
        env = dict(os.environ, RETORT_PYTHON=C.REF_PY, LC_ALL="C.UTF-8")
        run = lambda argv: subprocess.run(argv + ["upgrade", "head", "--sql"], cwd=d, capture_output=True,
                                          text=True, timeout=300, env=env)
        ret, ref = run([C.RETORT_BIN]), run([C.REF_PY, "-m", "alembic"])
        what = "--sql on %s\n--- retort:\n%s%s\n--- alembic:\n%s%s" % (
            self.kind, ret.stdout, ret.stderr, ref.stdout, ref.stderr)
        self.assertNotEqual(ref.returncode, 0, what)
        self.assertNotEqual(ret.returncode, 0, what)
        self.assertIn("needs Python", ret.stderr, what)


class InspectSQLite(_Inspect):
    kind = "sqlite"


class InspectPostgreSQL(_Inspect):
    kind = "postgresql"


class InspectMySQL(_Inspect):
    kind = "mysql"


if __name__ == "__main__":
    unittest.main()
