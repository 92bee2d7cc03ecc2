"""The hand-off to Python, end to end through the CLI (issue 10, item 6).

HandoffLadder: which interpreter runs a needs-Python step -- every rung of the ladder
($RETORT_PYTHON, retort_python in the ini, $VIRTUAL_ENV, $UV_PROJECT_ENVIRONMENT, a
.venv/venv/env beside alembic.ini or in a parent, Poetry's cache layout, python3), with
real virtualenvs (`python3 -m venv --system-site-packages`, so that they import Debian's
Alembic) and ones without Alembic (passed over). The step writes its interpreter's
sys.prefix into the database, so the test sees which one ran it whatever the log says.

Handoff<Dialect>: projects mixing native and needs-Python steps, run side by side with
`/usr/bin/python3 -m alembic` on a database each: schema, data and version table equal
Alembic's after upgrade, downgrade and a re-run; a Python step that raises; a Python step
that leaves the version table somewhere else than the plan expects. Written against exit
codes and database state, not log text, so that they hold across rewrites of the hand-off.
SQLite always; PostgreSQL / MariaDB when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set.
"""
import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import conformance as C

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEMO = os.path.join(ROOT, "resources", "demo")
REF_PY = C.REF_PY

# Retort says which interpreter it used: `INFO  [retort.python] using <path> (alembic <version>)`
# when Python is first used in a run; the ladder tests check that line besides the
# interpreter recorded in the database (RETORT_EXPECT_USING_LINE=0 checks the latter only).
EXPECT_USING_LINE = os.environ.get("RETORT_EXPECT_USING_LINE", "1") == "1"

HEADER = '''"""%(msg)s

Revision ID: %(rev)s
Revises: %(down)s
"""
import sys

from alembic import context, op
import sqlalchemy as sa

revision = %(rev)r
down_revision = %(down_repr)s
branch_labels = None
depends_on = None

'''


def write_rev(versions, rev, down, up, downgrade, msg):
    text = HEADER % {"msg": msg, "rev": rev, "down": down or "", "down_repr": repr(down)}
    text += "\ndef upgrade():\n%s\n\n\ndef downgrade():\n%s\n" % (up, downgrade)
    with open(os.path.join(versions, "%s_%s.py" % (rev, msg.replace(" ", "_"))), "w") as f:
        f.write(text)


def make_project(d, revs, ini_dir=None):
    """The demo's alembic.ini and stock env.py in d (alembic.ini in d/ini_dir when given,
    pointing at d/migrations), revisions [(rev, up, down, msg)] in a line."""
    versions = os.path.join(d, "migrations", "versions")
    os.makedirs(versions)
    for f in ("env.py", "script.py.mako"):
        shutil.copy(os.path.join(DEMO, "migrations", f), os.path.join(d, "migrations"))
    ini_home = os.path.join(d, ini_dir) if ini_dir else d
    os.makedirs(ini_home, exist_ok=True)
    with open(os.path.join(DEMO, "alembic.ini")) as f:
        text = f.read()
    text = re.sub(r"^script_location = .*$", "script_location = %s" % os.path.join(d, "migrations"),
                  text, flags=re.M)
    with open(os.path.join(ini_home, "alembic.ini"), "w") as f:
        f.write(text)
    down = None
    for rev, up, downgrade, msg in revs:
        write_rev(versions, rev, down, up, downgrade, msg)
        down = rev
    return os.path.join(ini_home, "alembic.ini")


def set_ini(ini, key, value):
    """Sets `key = value` in the [alembic] section (replacing it when present)."""
    with open(ini) as f:
        text = f.read()
    line = "%s = %s" % (key, value.replace("%", "%%"))
    if re.search(r"^%s = " % re.escape(key), text, flags=re.M):
        text = re.sub(r"^%s = .*$" % re.escape(key), lambda m: line, text, flags=re.M)
    else:
        text = text.replace("[alembic]\n", "[alembic]\n" + line + "\n", 1)
    with open(ini, "w") as f:
        f.write(text)


def run(argv, cwd, env=None, unset=()):
    e = dict(os.environ)
    for k in unset:
        e.pop(k, None)
    e.update(env or {})
    e["LC_ALL"] = "C.UTF-8"
    e["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(argv, cwd=cwd, env=e, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=600)


def retort(cwd, *args, **kw):
    return run([os.environ["RETORT_BIN"]] + list(args), cwd, **kw)


def alembic(cwd, *args, **kw):
    return run([REF_PY, "-m", "alembic"] + list(args), cwd, **kw)


def make_venv(path, alembic_too=True):
    """A real virtualenv; with the system site-packages (Debian's Alembic) or without."""
    args = [REF_PY, "-m", "venv", "--without-pip"]
    if alembic_too:
        args.append("--system-site-packages")
    subprocess.run(args + [path], check=True, capture_output=True)
    return os.path.join(path, "bin", "python")


def poetry_env_name(name, project_dir):
    """Poetry's EnvManager.generate_env_name() for a project (its package name canonical)."""
    name = re.sub(r"[-_.]+", "-", name).lower()
    sanitized = re.sub(r'[ $`!*@"\\\r\n\t]', "_", name)[:42]
    digest = hashlib.sha256(os.path.normcase(os.path.realpath(project_dir)).encode()).digest()
    return "%s-%s" % (sanitized, base64.urlsafe_b64encode(digest).decode()[:8])


# --------------------------------------------------------------------------------------
# database state
# --------------------------------------------------------------------------------------

def snapshot(db, data_tables=()):
    """Schema (information_schema / sqlite_master), version rows (None: no version table)
    and the rows of data_tables that exist. Retort's own side tables (retort_*) left out."""
    import sqlalchemy as sa
    eng = db.engine()
    try:
        with eng.connect() as c:
            q = lambda sql: [tuple(r) for r in c.exec_driver_sql(sql)]  # noqa: E731
            tables = set(sa.inspect(c).get_table_names())
            if db.kind == "sqlite":
                snap = {"objects": sorted(q("SELECT type, name, tbl_name, sql FROM sqlite_master "
                                            "WHERE name NOT LIKE 'sqlite_%' AND tbl_name NOT LIKE 'retort_%'"))}
            elif db.kind == "mysql":
                # (%% for the drivers' pyformat)
                where = "WHERE table_schema = DATABASE() AND table_name NOT LIKE 'retort\\_%%'"
                snap = {
                    "tables": q("SELECT table_name, engine FROM information_schema.tables %s "
                                "ORDER BY table_name" % where),
                    "columns": q("SELECT table_name, column_name, ordinal_position, column_type, is_nullable, "
                                 "column_default, column_key, extra FROM information_schema.columns %s "
                                 "ORDER BY table_name, ordinal_position" % where),
                    "indexes": q("SELECT table_name, index_name, seq_in_index, column_name, non_unique "
                                 "FROM information_schema.statistics %s "
                                 "ORDER BY table_name, index_name, seq_in_index" % where),
                }
            else:
                where = "WHERE table_schema = 'public' AND table_name NOT LIKE 'retort\\_%%'"
                snap = {
                    "tables": q("SELECT table_name FROM information_schema.tables %s ORDER BY table_name" % where),
                    "columns": q("SELECT table_name, column_name, ordinal_position, data_type, is_nullable, "
                                 "column_default FROM information_schema.columns %s "
                                 "ORDER BY table_name, ordinal_position" % where),
                    "indexes": q("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = "
                                 "'public' AND tablename NOT LIKE 'retort\\_%%' ORDER BY tablename, indexname"),
                }
            snap["versions"] = (q("SELECT version_num FROM alembic_version ORDER BY version_num")
                                if "alembic_version" in tables else None)
            for t in data_tables:
                if t in tables:
                    snap["data " + t] = q("SELECT * FROM %s ORDER BY 1" % t)
            return snap
    finally:
        eng.dispose()


# --------------------------------------------------------------------------------------
# projects
# --------------------------------------------------------------------------------------

def body(*lines):
    return "\n".join("    " + l for l in lines)


# A line of native and needs-Python steps (ids fixed: hex, so that Alembic accepts them).
MIXED = [
    ("a1000000000a", body(
        "op.create_table('items', sa.Column('id', sa.Integer(), primary_key=True, autoincrement=False),",
        "                sa.Column('name', sa.String(40)), sa.Column('qty', sa.Integer()))",
        "op.execute(\"INSERT INTO items (id, name, qty) VALUES (1, 'apple', 3)\")",
        "op.execute(\"INSERT INTO items (id, name, qty) VALUES (2, 'pear', 5)\")"),
     body("op.drop_table('items')"), "native items"),
    ("a2000000000b", body(   # Python: while loops over op calls (for loops are native)
        "i = 0",
        "while i < 3:",
        "    op.execute(\"INSERT INTO items (id, name, qty) VALUES (%d, 'loop%d', %d)\" % (10 + i, i, i))",
        "    i += 1",
        "cols = ['c1', 'c2']",
        "while cols:",
        "    op.add_column('items', sa.Column(cols.pop(0), sa.Integer(), nullable=True))"),
     body("cols = ['c2', 'c1']",
          "while cols:",
          "    op.drop_column('items', cols.pop(0))",
          "op.execute('DELETE FROM items WHERE id >= 10')"), "python loops"),
    ("a3000000000c", body(
        "op.create_table('tags', sa.Column('id', sa.Integer(), primary_key=True, autoincrement=False),",
        "                sa.Column('item_id', sa.Integer()), sa.Column('label', sa.String(20)))",
        "op.create_index('ix_tags_item', 'tags', ['item_id'])"),
     body("op.drop_index('ix_tags_item', table_name='tags')", "op.drop_table('tags')"), "native tags"),
    ("a4000000000d", body(   # Python: a try statement whose handler uses the exception
        "try:",
        "    op.create_index('ix_items_name', 'items', ['name'])",
        "except ImportError as e:",
        "    print(e)"),
     body("try:",
          "    op.drop_index('ix_items_name', table_name='items')",
          "except ImportError as e:",
          "    print(e)"), "python try"),
    ("a5000000000e", body(   # Python: op.get_bind() reads rows and writes from them
        "bind = op.get_bind()",
        "rows = bind.execute(sa.text('SELECT id, name FROM items ORDER BY id')).fetchall()",
        "for item_id, name in rows:",
        "    bind.execute(sa.text('UPDATE items SET qty = :q WHERE id = :i'), {'q': len(name) * 100 + item_id, 'i': item_id})",
        "    bind.execute(sa.text('INSERT INTO tags (id, item_id, label) VALUES (:i, :i, :l)'), {'i': item_id, 'l': name[:3]})"),
     body("bind = op.get_bind()",
          "bind.execute(sa.text('DELETE FROM tags'))",
          "bind.execute(sa.text('UPDATE items SET qty = 0'))"), "python get_bind"),
    ("a6000000000f", body(
        "op.add_column('tags', sa.Column('note', sa.String(10), nullable=True))",
        "op.execute(\"UPDATE tags SET note = 'n'\")"),
     body("op.drop_column('tags', 'note')"), "native note"),
    ("a7000000001a", body(   # Python, online: inspects the database (is_offline_mode() is native;
        # get_view_names() is not answered natively, get_table_names() is: test_inspect.py)
        "if 'items' not in sa.inspect(op.get_bind()).get_view_names():",
        "    op.execute(\"UPDATE items SET name = 'online' WHERE id = 1\")"),
     body("op.execute(\"UPDATE items SET name = 'apple' WHERE id = 1\")"), "python mode"),
]
DATA = ("items", "tags")


def python_revisions(revs):
    """Ids of the revisions whose bodies need Python (by construction: a statement the
    native subset lacks)."""
    return [r[0] for r in revs if re.search(r"^    (while|try|bind)\b", r[1], flags=re.M)
            or "get_bind" in r[1] or "raise" in r[1]]


def failed_line(result):
    lines = [l for l in result.stdout.splitlines() + result.stderr.splitlines() if l.startswith("FAILED:")]
    return lines[0] if lines else ""


class _Handoff(unittest.TestCase):
    """Retort and Alembic side by side, each on its own copy of the project and database."""
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
        tmp = tempfile.mkdtemp(prefix="retort-handoff-%s-" % name)
        if not C.KEEP:
            self.addCleanup(shutil.rmtree, tmp, True)
        d = os.path.join(tmp, "p")
        ini = make_project(d, revs)
        db = C.Database(self.kind, C.server_url(self.kind))
        db.create(d)
        self.addCleanup(db.drop)
        set_ini(ini, "sqlalchemy.url", ("sqlite:///" + db.path) if self.kind == "sqlite" else db.url)
        return d, db

    def sides(self, revs):
        """(retort dir, retort db), (alembic dir, alembic db)"""
        return self._side(revs, "retort"), self._side(revs, "alembic")

    def both(self, mine, ref, *args):
        return retort(mine[0], *args, env=self.PYTHON), alembic(ref[0], *args)

    # The hand-off's interpreter: the reference one (HandoffLadder tests how it is found).
    PYTHON = {"RETORT_PYTHON": REF_PY}

    def assertSameState(self, mine, ref, what):
        self.assertEqual(snapshot(mine[1], DATA), snapshot(ref[1], DATA), what)

    def assertAnnounced(self, r, revs, python):
        """Each needs-Python step the run reached is announced (a line with `needs Python:`
        naming `revision <id>`); native steps never are."""
        lines = [l for l in r.stderr.splitlines() if "needs Python:" in l]
        for rev, *_ in revs:
            announced = any(re.search(r"\brevision %s\b" % rev, l) for l in lines)
            if rev in python:
                self.assertTrue(announced, "%s not announced as needing Python:\n%s" % (rev, r.stderr))
            else:
                self.assertFalse(announced, "native %s announced as needing Python:\n%s" % (rev, r.stderr))

    def test_mixed_steps(self):
        mine, ref = self.sides(MIXED)
        python = python_revisions(MIXED)
        self.assertEqual(len(python), 4)
        for i, args in enumerate([["upgrade", "head"], ["downgrade", "a3000000000c"], ["upgrade", "head"],
                                  ["downgrade", "base"], ["upgrade", "a5000000000e"], ["upgrade", "head"],
                                  ["downgrade", "-3"], ["upgrade", "+2"]]):
            r, a = self.both(mine, ref, *args)
            what = "%d: %s\nretort: %s\nalembic: %s" % (i, " ".join(args), r.stdout + r.stderr, a.stderr[-3000:])
            self.assertEqual(a.returncode, 0, what)
            self.assertEqual(r.returncode, 0, what)
            self.assertSameState(mine, ref, what)
            if i == 0:
                self.assertAnnounced(r, MIXED, python)
        # Where it ended: one below the head, with the Python-written data in place.
        self.assertEqual(mine[1].version_rows(), ["a6000000000f"])

    FAILING = ("b1000000000b", body(
        "for i in range(2):",
        "    op.execute(\"INSERT INTO items (id, name, qty) VALUES (%d, 'fail%d', 0)\" % (20 + i, i))",
        "op.add_column('items', sa.Column('flag', sa.Integer(), nullable=True))",
        "raise RuntimeError('boom in b1')"),
        body("op.drop_column('items', 'flag')", "op.execute('DELETE FROM items WHERE id >= 20')"), "python fails")
    AFTER = ("b2000000000c", body("op.create_table('after', sa.Column('id', sa.Integer(), primary_key=True))"),
             body("op.drop_table('after')"), "native after")

    def _fail_twice(self, mine, ref, rev, alembic_rc, check):
        """`upgrade head` on both sides, twice: each run fails naming rev, and check(what)
        holds after each (the re-run must not apply anything twice)."""
        for attempt in range(2):
            r, a = self.both(mine, ref, "upgrade", "head")
            what = "attempt %d\nretort: %s\nalembic: %s" % (attempt, r.stdout + r.stderr, a.stderr[-3000:])
            self.assertEqual(a.returncode, alembic_rc, what)
            self.assertEqual(r.returncode, 255, what)
            self.assertIn(rev, failed_line(r), what)
            self.assertNotIn("after", mine[1].tables(), what)
            check(what)

    def _consistent_after_failure(self, mine, what):
        """The version table names exactly the steps whose changes are there: a1 and a2
        (each committed), or nothing (rolled back with the run, as Alembic on PostgreSQL);
        b1's rows only where its ADD COLUMN committed them (MySQL), and never twice."""
        state = snapshot(mine[1], DATA)
        if state["versions"]:
            self.assertEqual(state["versions"], [("a2000000000b",)], what)
            ids = [row[0] for row in state["data items"]]
            self.assertEqual(ids, [1, 2, 10, 11, 12] + ([20, 21] if self.kind == "mysql" else []), what)
        else:
            self.assertNotIn("items", mine[1].tables(), what)

    def test_failing_python_step(self):
        """A Python step that raises: exit 255 naming it, a consistent database, the same
        failure on a re-run, and once fixed the run ends where Alembic's does."""
        mine, ref = self.sides(MIXED[:2] + [self.FAILING, self.AFTER])
        self._fail_twice(mine, ref, "b1000000000b", 1, lambda what: self._consistent_after_failure(mine, what))
        self._fix_and_finish(mine, ref)

    def test_failing_python_step_like_alembic(self):
        """... and what the failure leaves applied is what Alembic leaves, per dialect:
        SQLite and MySQL commit each migration (MySQL also b1's statements before its ADD
        COLUMN); on PostgreSQL the stock env.py's one transaction rolls the whole run back."""
        mine, ref = self.sides(MIXED[:2] + [self.FAILING, self.AFTER])
        self._fail_twice(mine, ref, "b1000000000b", 1, lambda what: self.assertSameState(mine, ref, what))

    def _fix_and_finish(self, mine, ref):
        for d, db in (mine, ref):
            path = [os.path.join(dp, f) for dp, _, fs in os.walk(d) for f in fs if f.startswith("b1000000000b")][0]
            with open(path) as f:
                text = f.read()
            with open(path, "w") as f:
                f.write(text.replace("    raise RuntimeError('boom in b1')\n", ""))
            if self.kind == "mysql":   # the documented manual fix: undo what b1 committed
                eng = db.engine()
                with eng.begin() as c:
                    c.exec_driver_sql("ALTER TABLE items DROP COLUMN flag")
                    c.exec_driver_sql("DELETE FROM items WHERE id >= 20")
                eng.dispose()
        r, a = self.both(mine, ref, "upgrade", "head")
        self.assertEqual((r.returncode, a.returncode), (0, 0), r.stdout + r.stderr + a.stderr)
        self.assertSameState(mine, ref, "after the fix")
        self.assertEqual(mine[1].version_rows(), ["b2000000000c"])

    def _moved(self, statement):
        revs = MIXED[:1] + [
            ("c1000000000c", body(
                "i = 0",
                "while i < 2:",
                "    op.execute(\"INSERT INTO items (id, name, qty) VALUES (%d, 'moved', 0)\" % (30 + i))",
                "    i += 1",
                statement), body("op.execute('DELETE FROM items WHERE id >= 30')"), "python moves version"),
            ("c2000000000d", body("op.create_table('after', sa.Column('id', sa.Integer(), primary_key=True))"),
             body("op.drop_table('after')"), "native after")]
        return self.sides(revs)

    # The stock env.py runs the whole upgrade in one transaction here (PostgreSQL's
    # transactional DDL): a run that stops rolls back everything it did.
    ONE_TRANSACTION = False

    def test_python_adds_a_version_row(self):
        """Alembic runs on (it only updates the row it expects); Retort must notice that the
        table holds more than the plan says, and stop there (in one transaction, before it
        commits: nothing is left)."""
        mine, ref = self._moved("op.execute(\"INSERT INTO alembic_version (version_num) VALUES ('ffffffffffff')\")")
        a = alembic(ref[0], "upgrade", "head")
        self.assertEqual(a.returncode, 0, a.stderr)
        self.assertEqual(ref[1].version_rows(), ["c2000000000d", "ffffffffffff"])
        for attempt in range(2):
            r = retort(mine[0], "upgrade", "head", env=self.PYTHON)
            what = "attempt %d: %s" % (attempt, r.stdout + r.stderr)
            self.assertEqual(r.returncode, 255, what)
            again = attempt == 0 or self.ONE_TRANSACTION
            self.assertIn("c1000000000c" if again else "ffffffffffff", failed_line(r), what)
            if again:
                self.assertRegex(failed_line(r), r"(?i)version table|alembic_version", what)
            self.assertNotIn("after", mine[1].tables(), what)
            if self.ONE_TRANSACTION:
                self.assertNotIn("items", mine[1].tables(), what)
                self.assertIn(mine[1].version_rows(), (None, []), what)
                continue
            self.assertEqual(mine[1].version_rows(), ["c1000000000c", "ffffffffffff"], what)
            rows = snapshot(mine[1], DATA)["data items"]
            self.assertEqual([row[0] for row in rows], [1, 2, 30, 31], what)   # c1 ran once

    def test_python_deletes_the_version_row(self):
        """Alembic itself fails (its UPDATE of the version row finds none): so must Retort,
        without running the steps after it or c1 twice."""
        mine, ref = self._moved("op.execute('DELETE FROM alembic_version')")

        def check(what):
            state = snapshot(mine[1], DATA)
            if "data items" in state:   # c1's rows at most once, with no version row claiming them
                ids = [row[0] for row in state["data items"]]
                self.assertIn(ids, ([1, 2], [1, 2, 30, 31]), what)
                self.assertIn(state["versions"], ([("a1000000000a",)], [], None), what)
                if ids == [1, 2, 30, 31]:
                    self.assertEqual(state["versions"], [], what)
        self._fail_twice(mine, ref, "c1000000000c", 255, check)

    def test_python_deletes_the_version_row_like_alembic(self):
        mine, ref = self._moved("op.execute('DELETE FROM alembic_version')")
        self._fail_twice(mine, ref, "c1000000000c", 255, lambda what: self.assertSameState(mine, ref, what))


# --------------------------------------------------------------------------------------
# the interpreter ladder
# --------------------------------------------------------------------------------------

LADDER_REVS = [
    ("d1000000000a", body("op.create_table('used', sa.Column('id', sa.Integer(), primary_key=True),",
                          "                sa.Column('prefix', sa.String(400)))"),
     body("op.drop_table('used')"), "native used"),
    ("d2000000000b", body("bind = op.get_bind()",   # needs Python: records who ran it
                          "for i, prefix in enumerate([sys.prefix]):",
                          "    bind.execute(sa.text('INSERT INTO used (id, prefix) VALUES (:i, :p)'),",
                          "                 {'i': i + 1, 'p': prefix})"),
     body("op.execute('DELETE FROM used')"), "python records interpreter"),
]


class HandoffLadder(unittest.TestCase):
    """Each rung decides which interpreter runs the needs-Python step d2; the step writes
    its sys.prefix into the database. PATH holds no python3 but /usr/bin's (Debian's, with
    Alembic), so that the last rung is deterministic."""
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        if not os.environ.get("RETORT_BIN"):
            raise unittest.SkipTest("RETORT_BIN not set")

    def setUp(self):
        self.tmp = os.path.realpath(tempfile.mkdtemp(prefix="retort-ladder-"))
        if not C.KEEP:
            self.addCleanup(shutil.rmtree, self.tmp, True)
        self.proj = os.path.join(self.tmp, "proj")

    def project(self, ini_dir=None, repo_root=True):
        ini = make_project(self.proj, LADDER_REVS, ini_dir)
        self.db = os.path.join(self.proj, "ladder.db")
        set_ini(ini, "sqlalchemy.url", "sqlite:///" + self.db)
        if repo_root:
            os.makedirs(os.path.join(self.proj, ".git"))
        return ini

    def upgrade(self, ini, env=None, path="/usr/bin:/bin"):
        """`retort -c ini upgrade head` from the project folder with a controlled
        environment (none of the ladder's variables unless given)."""
        e = {"PATH": path, "HOME": os.path.join(self.tmp, "home"),
             "XDG_CACHE_HOME": os.path.join(self.tmp, "cache")}
        e.update(env or {})
        return retort(self.proj, "-c", ini, "upgrade", "head", env=e,
                      unset=("RETORT_PYTHON", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "POETRY_VIRTUALENVS_PATH",
                             "POETRY_CACHE_DIR", "PYTHONHOME", "PYTHONPATH"))

    def assertRanWith(self, r, python, prefix):
        """The run succeeded and d2 ran in the interpreter whose sys.prefix is prefix;
        with the lead's `using` line, that it names python (relative when under the
        project folder, the run's current directory)."""
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        import sqlite3
        con = sqlite3.connect(self.db)
        try:
            rows = con.execute("SELECT prefix FROM used").fetchall()
            versions = con.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            con.close()
        self.assertEqual(versions, [("d2000000000b",)])
        self.assertEqual([os.path.realpath(p) for (p,) in rows], [os.path.realpath(prefix)], r.stderr)
        if EXPECT_USING_LINE:
            shown = os.path.relpath(python, self.proj) if python.startswith(self.proj + os.sep) else python
            self.assertRegex(r.stderr, r"INFO  \[retort\.python\] using %s \(alembic 1\.8\.1\)\n"
                             % re.escape(shown))

    def venv(self, rel, alembic_too=True):
        path = os.path.join(self.tmp, rel)
        return make_venv(path, alembic_too), path

    def test_retort_python(self):
        ini = self.project()
        chosen, prefix = self.venv("chosen")
        self.venv("proj/.venv")
        self.assertRanWith(self.upgrade(ini, {"RETORT_PYTHON": chosen}), chosen, prefix)

    def test_retort_python_in_ini(self):
        ini = self.project()
        chosen, prefix = self.venv("chosen")
        _, active = self.venv("active")
        set_ini(ini, "retort_python", chosen)
        self.assertRanWith(self.upgrade(ini, {"VIRTUAL_ENV": active}), chosen, prefix)

    def test_virtual_env(self):
        ini = self.project()
        python, active = self.venv("active")
        self.venv("proj/.venv")
        self.assertRanWith(self.upgrade(ini, {"VIRTUAL_ENV": active}), python, active)

    def test_uv_project_environment(self):
        ini = self.project()
        with open(os.path.join(self.proj, "pyproject.toml"), "w") as f:
            f.write('[project]\nname = "ladder"\nversion = "0.1"\n')
        python, prefix = self.venv("proj/build/uvenv")
        self.venv("proj/.venv")
        self.assertRanWith(self.upgrade(ini, {"UV_PROJECT_ENVIRONMENT": "build/uvenv"}), python, prefix)

    def test_venv_beside_the_ini(self):
        ini = self.project()
        python, prefix = self.venv("proj/.venv")
        self.assertRanWith(self.upgrade(ini), python, prefix)

    def test_venv_without_alembic_is_passed_over(self):
        """alembic.ini in proj/db: proj/db/.venv cannot import alembic, proj/venv can."""
        ini = self.project("db")
        self.venv("proj/db/.venv", alembic_too=False)
        python, prefix = self.venv("proj/venv")
        self.assertRanWith(self.upgrade(ini), python, prefix)

    def test_search_stops_at_the_repository_root(self):
        ini = self.project("db")
        self.venv(".venv")   # beside the repository: not the project's
        self.assertRanWith(self.upgrade(ini), "/usr/bin/python3", "/usr")

    def test_poetry_cache(self):
        ini = self.project("db")
        with open(os.path.join(self.proj, "pyproject.toml"), "w") as f:
            f.write('[tool.poetry]\nname = "Ladder_Demo"\nversion = "0.1.0"\n')
        venvs = os.path.join(self.tmp, "cache", "pypoetry", "virtualenvs")
        name = poetry_env_name("Ladder_Demo", self.proj)
        python, prefix = self.venv(os.path.join(venvs, name + "-py3.11"))
        self.venv(os.path.join(venvs, "ladder-demo-AAAAAAAA-py3.12"))   # another project's
        self.assertRanWith(self.upgrade(ini), python, prefix)

    def test_poetry_command(self):
        """With poetry on PATH, its `poetry env info -p` names the environment (a stand-in
        poetry here, answering from the project folder only)."""
        ini = self.project("db")
        with open(os.path.join(self.proj, "pyproject.toml"), "w") as f:
            f.write('[tool.poetry]\nname = "ladder"\nversion = "0.1.0"\n')
        python, prefix = self.venv("elsewhere/ladder-env")
        fake = os.path.join(self.tmp, "fakebin")
        os.makedirs(fake)
        with open(os.path.join(fake, "poetry"), "w") as f:
            f.write('#!/bin/sh\n[ "$*" = "env info -p" ] && [ -f pyproject.toml ] || exit 3\necho %s\n' % prefix)
        os.chmod(os.path.join(fake, "poetry"), 0o755)
        self.assertRanWith(self.upgrade(ini, path=fake + ":/usr/bin:/bin"), python, prefix)

    def test_python3_on_path(self):
        ini = self.project()
        self.venv("proj/env", alembic_too=False)
        self.assertRanWith(self.upgrade(ini), "/usr/bin/python3", "/usr")

    def test_no_python_with_alembic(self):
        """python3 on PATH without Alembic, and no virtualenv that has it: FAILED naming the
        step before anything runs."""
        ini = self.project()
        self.venv("proj/.venv", alembic_too=False)
        _, bare = self.venv("bare", alembic_too=False)
        r = self.upgrade(ini, path=os.path.join(bare, "bin") + ":/bin")
        self.assertEqual(r.returncode, 255, r.stdout + r.stderr)
        self.assertIn("d2000000000b", failed_line(r))
        self.assertIn("alembic", failed_line(r))
        # The virtualenv found without Alembic is named: that is where to install it.
        self.assertIn("found without alembic: %s" % os.path.join(self.tmp, "proj", ".venv", "bin", "python"),
                      failed_line(r))
        import sqlite3
        con = sqlite3.connect(self.db)
        try:
            tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        finally:
            con.close()
        self.assertNotIn("used", tables)   # d1 (native) did not run either


class _ScriptLoading:
    """Which scripts Python imports. Retort hands Python its revision graph, so the worker
    imports only the scripts of the steps it serves, all of them before anything runs;
    Alembic imports every script of the project (and fails on any that cannot be)."""
    BROKEN = "import retort_no_such_module_xyz\n"

    def _break(self, d, rev):
        versions = os.path.join(d, "migrations", "versions")
        [name] = [f for f in os.listdir(versions) if f.startswith(rev)]
        path = os.path.join(versions, name)
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace("import sqlalchemy as sa\n", "import sqlalchemy as sa\n" + self.BROKEN, 1))
        return name

    def test_unserved_broken_script_is_not_imported(self):
        """A script that cannot be imported, of a revision this run does not reach: Alembic
        refuses the whole project; Retort (natively, and now in its hand-off too) runs the
        plan, and ends where Alembic ends on the project without that script."""
        later = ("c1000000000c", body("op.create_table('later', sa.Column('id', sa.Integer(), primary_key=True))"),
                 body("op.drop_table('later')"), "native later")
        mine, ref = self.sides(MIXED + [later])
        for side in (mine, ref):
            self._break(side[0], "c1000000000c")
        a = alembic(ref[0], "upgrade", "a7000000001a")
        self.assertEqual(a.returncode, 1, a.stderr[-2000:])
        self.assertIn("retort_no_such_module_xyz", a.stderr)
        os.unlink(os.path.join(ref[0], "migrations", "versions", self._break(ref[0], "c1000000000c")))
        for args in (["upgrade", "a7000000001a"], ["downgrade", "a1000000000a"], ["upgrade", "a7000000001a"]):
            r, a = self.both(mine, ref, *args)
            what = "%s\nretort: %s\nalembic: %s" % (" ".join(args), r.stdout + r.stderr, a.stderr[-3000:])
            self.assertEqual(a.returncode, 0, what)
            self.assertEqual(r.returncode, 0, what)
            self.assertSameState(mine, ref, what)

    def test_served_broken_script_fails_before_anything_runs(self):
        """A needs-Python step whose script cannot be imported: the run stops before its
        first step, naming the script, as Alembic's loading does (Alembic: exit 1)."""
        mine, ref = self.sides(MIXED[:4])
        for side in (mine, ref):
            name = self._break(side[0], "a4000000000d")
        r, a = self.both(mine, ref, "upgrade", "head")
        what = "retort: %s\nalembic: %s" % (r.stdout + r.stderr, a.stderr[-3000:])
        self.assertEqual(a.returncode, 1, what)
        self.assertEqual(r.returncode, 255, what)
        self.assertIn("retort_no_such_module_xyz", failed_line(r), what)
        self.assertIn(name, failed_line(r), what)
        self.assertIn("Nothing was run", failed_line(r), what)
        # Nothing ran (Alembic, which runs env.py before loading the scripts, has created
        # its empty version table by then; Retort has not).
        self.assertNotIn("items", mine[1].tables(), what)
        self.assertNotIn("items", ref[1].tables(), what)


class HandoffSQLite(_ScriptLoading, _Handoff):
    kind = "sqlite"

    def test_downgrade_steps_are_rendered(self):
        """A needs-Python downgrade that Alembic's offline mode can write (a `while` loop) is
        rendered by Alembic and run in Retort's transaction, as upgrades are (offline,
        Alembic's head bookkeeping once failed every downgrade rendering, sending them all
        online); the database ends where Alembic's does."""
        mine, ref = self.sides(MIXED)
        for args in (["upgrade", "head"], ["downgrade", "base"]):
            r, a = self.both(mine, ref, *args)
            what = "%s\nretort: %s\nalembic: %s" % (" ".join(args), r.stdout + r.stderr, a.stderr[-3000:])
            self.assertEqual(a.returncode, 0, what)
            self.assertEqual(r.returncode, 0, what)
            self.assertSameState(mine, ref, what)
        self.assertRegex(r.stderr, r"Rendered by Alembic: downgrade a2000000000b -> a1000000000a", r.stderr)
        self.assertNotRegex(r.stderr, r"could not be rendered offline", r.stderr)


class HandoffPostgreSQL(_ScriptLoading, _Handoff):
    kind = "postgresql"
    # A plan with steps Alembic must run against the database runs entirely in Alembic's
    # one transaction (Retort's SQL for the others), so a failure anywhere leaves what
    # Alembic leaves: nothing (the *_like_alembic tests).
    ONE_TRANSACTION = True


class HandoffMySQL(_ScriptLoading, _Handoff):
    kind = "mysql"


if __name__ == "__main__":
    unittest.main()
