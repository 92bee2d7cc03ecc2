"""The multidb template (`alembic init -t multidb`) side by side: `databases = engine1,
engine2, engine3` in [alembic], one section per engine, revisions whose upgrade(engine_name)
dispatches to upgrade_<engine>().

Each side has its own copy of the project and its own databases; both run the same
command sequence (online upgrade / downgrade / stamp / current / history -i / show
current / ensure_version, errors, and --sql, which writes <engine>.sql into the current
directory). After every command: exit code, stdout and stderr (project directory ->
<PROJECT>, database names -> <DBn>; `current` entries sorted), the <engine>.sql files
written, and after changing commands every engine's version rows and schema must equal
Alembic's.

Atomicity: Alembic's multidb env.py begins a transaction on every engine before the first
is migrated and commits them together; a failure in the last engine rolls back the
others. Checked two ways: a planning error in engine3 (both tools print FAILED; output
compared), and a failing statement in engine3 (Alembic dies with a traceback, Retort with
FAILED: only the exit codes' non-zero-ness and the databases are compared).

Slices: MultidbSQLite (three SQLite files), MultidbPostgreSQL (engine1 SQLite, engine2
and engine3 two PostgreSQL databases; needs RETORT_TEST_PG_URL).
"""
import os
import re
import shutil
import tempfile
import unittest

import conformance as C

ENGINES = ("engine1", "engine2", "engine3")
# Four revisions a -> b -> c -> d. Each engine builds its own tables; engine3's step in
# `c` only inserts rows, so that a rolled-back SQLite run leaves nothing in Alembic too
# (pysqlite commits DDL that runs before the first DML of a transaction).
REVS = ("a1a1a1a1a1a1", "b2b2b2b2b2b2", "c3c3c3c3c3c3", "d4d4d4d4d4d4")


def bodies(rev, i, engine):
    t = "t_%s_%s" % (engine, rev[:2])
    if i == 0 or engine == "engine1":
        return ('op.create_table("%s", sa.Column("id", sa.Integer(), primary_key=True), '
                'sa.Column("name", sa.String(40)))' % t, 'op.drop_table("%s")' % t)
    base = "t_%s_%s" % (engine, REVS[0][:2])
    if engine == "engine2":
        c = "c_" + rev[:2]
        return ('op.add_column("%s", sa.Column("%s", sa.Integer(), nullable=True))' % (base, c),
                'op.drop_column("%s", "%s")' % (base, c))
    return ("op.execute(\"INSERT INTO %s (id, name) VALUES (%d, 'r%s')\")" % (base, i + 1, rev[:2]),
            'op.execute("DELETE FROM %s WHERE id = %d")' % (base, i + 1))


def render(i, extra_up3=""):
    rev = REVS[i]
    down = repr(REVS[i - 1]) if i else "None"
    text = ('"""rev %d\n\nRevision ID: %s\nRevises: %s\nCreate Date: 2026-01-01 00:00:00.000000\n\n"""\n'
            "from alembic import op\nimport sqlalchemy as sa\n\n\n"
            "# revision identifiers, used by Alembic.\n"
            "revision = %r\ndown_revision = %s\nbranch_labels = None\ndepends_on = None\n\n\n"
            "def upgrade(engine_name: str) -> None:\n    globals()[\"upgrade_%%s\" %% engine_name]()\n\n\n"
            "def downgrade(engine_name: str) -> None:\n    globals()[\"downgrade_%%s\" %% engine_name]()\n\n"
            % (i, rev, REVS[i - 1] if i else "", rev, down))
    for e in ENGINES:
        up, dn = bodies(rev, i, e)
        if e == "engine3" and extra_up3:
            up += "\n    " + extra_up3
        text += "\ndef upgrade_%s() -> None:\n    %s\n\n\ndef downgrade_%s() -> None:\n    %s\n\n" % (e, up, e, dn)
    return text


def read_text(path):
    with open(path) as f:
        return f.read()


_template = {}


def multidb_template():
    if "dir" not in _template:
        d = tempfile.mkdtemp(prefix="retort-conf-multidb-")
        r = C.run_alembic(["init", "-t", "multidb", "migrations"], d)
        if r.rc != 0:
            raise RuntimeError("alembic init -t multidb failed: %r" % (r,))
        _template["dir"] = d
    return _template["dir"]


class Side:
    """One tool's copy of the project and its three databases."""

    def __init__(self, kinds):
        self.dir = tempfile.mkdtemp(prefix="retort-conf-multidb-")
        shutil.copytree(multidb_template(), self.dir, dirs_exist_ok=True)
        self.dbs = []
        sections = []
        for e, kind in zip(ENGINES, kinds):
            db = C.Database(kind, C.server_url(kind))
            if kind == "sqlite":
                db.path = os.path.join(self.dir, e + ".db")
                db.url = "sqlite:///%%(here)s/%s.db" % e
                url = db.url
            else:
                url = db.create(self.dir)
            self.dbs.append(db)
            sections.append("[%s]\nsqlalchemy.url = %s\n" % (e, url))
        ini = os.path.join(self.dir, "alembic.ini")
        with open(ini) as f:
            text = f.read()
        text = re.sub(r"^databases = .*$", "databases = " + ", ".join(ENGINES), text, flags=re.M)
        text = re.sub(r"^\[engine1\]\n.*?\n\n\[engine2\]\n.*?\n\n", lambda m: "\n".join(sections) + "\n",
                      text, flags=re.S | re.M)
        with open(ini, "w") as f:
            f.write(text)
        self.write_revisions()

    def write_revisions(self, extra_up3=""):
        vdir = os.path.join(self.dir, "migrations", "versions")
        for i, rev in enumerate(REVS):
            with open(os.path.join(vdir, "%s_rev_%d.py" % (rev, i)), "w") as f:
                f.write(render(i, extra_up3 if i == len(REVS) - 1 else ""))

    def state(self):
        out = []
        for db in self.dbs:
            url = ("sqlite:///" + db.path) if db.kind == "sqlite" else db.url
            if db.kind == "sqlite" and not os.path.exists(db.path):
                out.append((None, {}))
                continue
            from alembic_batch import schema_state
            out.append((db.version_rows(), schema_state(url)))
        return out

    def sql_files(self):
        return {e: read_text(os.path.join(self.dir, e + ".sql"))
                for e in ENGINES if os.path.exists(os.path.join(self.dir, e + ".sql"))}

    def set_version(self, index, rows):
        """Moves one engine's version table behind the tool's back (both sides alike)."""
        import sqlalchemy as sa
        eng = self.dbs[index].engine()
        try:
            with eng.begin() as c:
                c.exec_driver_sql("DELETE FROM alembic_version")
                for r in rows:
                    c.execute(sa.text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": r})
        finally:
            eng.dispose()

    def normalise(self, res):
        n = C.normalise(res, self.dir)
        rc, out, err = n
        for i, db in enumerate(self.dbs):
            if db.kind != "sqlite":
                out, err = out.replace(db.name, "<DB%d>" % (i + 1)), err.replace(db.name, "<DB%d>" % (i + 1))
        return (rc, out, err)

    def cleanup(self):
        for db in self.dbs:
            db.drop()
        if C.KEEP:
            print("kept project:", self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


A, B, C3, D = REVS
# (label, args, changes the databases)
SEQUENCE = [
    ("current-empty", ["current"], False),
    ("current-v-empty", ["current", "--verbose"], False),
    ("upgrade-b", ["upgrade", B], True),
    ("current", ["current"], False),
    ("upgrade-head", ["upgrade", "head"], True),
    ("current-v", ["current", "-v"], False),
    ("history-i", ["history", "--indicate-current"], False),
    ("show-current", ["show", "current"], False),
    ("upgrade-head-noop", ["upgrade", "head"], True),
    ("downgrade-1", ["downgrade", "-1"], True),
    ("downgrade-a", ["downgrade", A], True),
    ("stamp-b", ["stamp", B], True),
    ("stamp-a", ["stamp", A], True),
    ("stamp-purge", ["stamp", "--purge", A], True),
    ("upgrade-unknown", ["upgrade", "ffffffffffff"], True),
    ("downgrade-too-far", ["downgrade", "-5"], True),
    ("upgrade-relative", ["upgrade", "+1"], True),
    ("downgrade-base", ["downgrade", "base"], True),
    ("ensure-version", ["ensure_version"], True),
    ("current-end", ["current"], False),
    # --sql: nothing on stdout, one file per engine
    ("sql-upgrade", ["upgrade", "head", "--sql"], False),
    ("sql-upgrade-range", ["upgrade", "%s:%s" % (A, C3), "--sql"], False),
    ("sql-downgrade", ["downgrade", "%s:base" % D, "--sql"], False),
    ("sql-stamp", ["stamp", C3, "--sql"], False),
    ("sql-stamp-purge", ["stamp", "--purge", C3, "--sql"], False),
    ("sql-downgrade-norange", ["downgrade", "base", "--sql"], False),
    ("sql-upgrade-unknown", ["upgrade", "ffffffffffff", "--sql"], False),
    ("sql-ensure-version", ["ensure_version", "--sql"], False),
    ("upgrade-head-again", ["upgrade", "head"], True),
]


class _MultidbBase(C.ConformanceCase):
    kinds = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "postgresql" in cls.kinds and not C.server_url("postgresql"):
            raise unittest.SkipTest("postgresql server URL not set (RETORT_TEST_PG_URL)")
        # Steps that need Python use the reference interpreter (python3 on PATH may lack Alembic).
        os.environ["RETORT_PYTHON"] = C.REF_PY

    def setUp(self):
        self.sides = {"alembic": Side(self.kinds), "retort": Side(self.kinds)}

    def tearDown(self):
        for s in self.sides.values():
            s.cleanup()

    def run_both(self, args):
        a, r = self.sides["alembic"], self.sides["retort"]
        for s in (a, r):
            for e in ENGINES:
                p = os.path.join(s.dir, e + ".sql")
                if os.path.exists(p):
                    os.unlink(p)
        ra = C.run_alembic(args, a.dir, hashseed=0)
        rr = C.run_retort(args, r.dir)
        return ra, rr

    def compare(self, label, args, changes, engines=(0, 1, 2)):
        """Output, <engine>.sql files and (changes) the state of `engines` must equal
        Alembic's. The graph is linear: `current` has one entry per engine, in order."""
        a, r = self.sides["alembic"], self.sides["retort"]
        ra, rr = self.run_both(args)
        want, got = a.normalise(ra), r.normalise(rr)
        pick = lambda st: [st[i] for i in engines]  # noqa: E731
        ok = want == got and a.sql_files() == r.sql_files()
        if ok and changes:
            ok = pick(a.state()) == pick(r.state())
        self.count("in order" if ok else None, label)
        with self.subTest(step=label):
            self.assertEqual(want, got, C.describe_diff(label, want, got))
            self.assertEqual(a.sql_files(), r.sql_files(), label + ": <engine>.sql files differ")
            if changes:
                self.assertEqual(pick(a.state()), pick(r.state()), label + ": databases differ after the step")
        return ra, rr

    def server_engines(self):
        """Where Alembic's rollback is complete: pysqlite commits the DDL a migration runs
        before its first DML statement, so a rolled-back SQLite engine keeps it in Alembic
        (Retort rolls it back too; README, multiple databases)."""
        return tuple(i for i, k in enumerate(self.kinds) if k != "sqlite")

    def test_sequence(self):
        for label, args, changes in SEQUENCE:
            self.compare(label, args, changes)
        # --sql wrote nothing on stdout, and a file per engine
        ra, rr = self.run_both(["upgrade", "head", "--sql"])
        self.assertEqual(rr.stdout, "")
        self.assertEqual(sorted(self.sides["retort"].sql_files()), list(ENGINES))

    def test_atomic_planning_error(self):
        """engine3 behind: `downgrade -1` runs engine1 and engine2, then fails planning
        engine3; every engine is rolled back (Alembic prints FAILED too)."""
        self.compare("upgrade-head", ["upgrade", "head"], True)
        for s in self.sides.values():
            s.set_version(2, [])
        before = self.sides["retort"].state()
        self.compare("downgrade-1 with engine3 empty", ["downgrade", "-1"], True, self.server_engines())
        self.assertEqual(self.sides["retort"].state(), before, "retort: an engine was not rolled back")
        for s in self.sides.values():
            s.set_version(2, [D])
        self.compare("current after", ["current"], False)

    def test_atomic_failing_statement(self):
        """A statement of engine3's last step fails: Alembic dies with a traceback (exit 1),
        Retort with FAILED (255); both roll every engine back to where it was."""
        self.compare("upgrade-c", ["upgrade", C3], True)
        for s in self.sides.values():
            s.write_revisions(extra_up3='op.execute("SELECT * FROM no_such_table_here")')
        before = self.sides["retort"].state()
        ra, rr = self.run_both(["upgrade", "head"])
        self.assertNotEqual(ra.rc, 0, ra)
        self.assertIn("no_such_table_here", ra.stderr)
        self.assertEqual(rr.rc, 255, rr)
        self.assertIn("FAILED: Migration %s (upgrade %s -> %s) failed" % (D, C3, D), rr.stdout)
        self.assertEqual(rr.stderr.count("Running upgrade %s -> %s" % (C3, D)), 3, rr.stderr)
        after_a, after_r = self.sides["alembic"].state(), self.sides["retort"].state()
        for i in self.server_engines():
            self.assertEqual(after_a[i], after_r[i], "engine%d differs from Alembic's" % (i + 1))
        self.assertEqual(after_r, before, "retort: an engine was not rolled back")
        self.assertEqual([rows for rows, _ in after_r], [[C3]] * 3)
        self.count("in order", "failing statement: databases after")


class MultidbSQLite(_MultidbBase):
    kinds = ("sqlite", "sqlite", "sqlite")

    def edit_ini(self, side, pattern, repl):
        ini = os.path.join(side.dir, "alembic.ini")
        with open(ini) as f:
            text = f.read()
        with open(ini, "w") as f:
            f.write(re.sub(pattern, repl, text, flags=re.M))

    def test_missing_engine_section(self):
        """An engine named in `databases` without its section: Alembic's --sql error,
        side by side; online (Alembic: a TypeError traceback) Retort names the section."""
        for s in self.sides.values():
            self.edit_ini(s, r"^databases = .*$", "databases = engine1, engine2, engine4")
        self.compare("sql, no [engine4]", ["upgrade", "head", "--sql"], False)
        r = C.run_retort(["upgrade", "head"], self.sides["retort"].dir)
        self.assertEqual((r.rc, r.stdout), (255, "FAILED: No config file 'alembic.ini' found, "
                                                 "or file has no '[engine4]' section\n"), r)
        self.assertEqual(self.sides["retort"].state()[0], (None, {}), "engine1 was touched")

    def _edit_engine2(self, side, body, down_body=""):
        path = os.path.join(side.dir, "migrations", "versions", "%s_rev_2.py" % C3)
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace("def upgrade_engine2() -> None:\n", "def upgrade_engine2() -> None:\n" + body)
                    .replace("def downgrade_engine2() -> None:\n", "def downgrade_engine2() -> None:\n" + down_body))
        return path, text

    def test_python_step_in_one_engine(self):
        """A step of one engine that needs Python but that Alembic's offline mode renders (a
        while loop): Alembic writes its SQL for that engine alone and Retort runs it in that
        engine's held transaction; the databases and the <engine>.sql files equal Alembic's."""
        loop = ("    names = ['loop_a', 'loop_b']\n    while names:\n"
                "        op.create_table(names.pop(0), sa.Column('id', sa.Integer(), primary_key=True))\n")
        unloop = "    names = ['loop_a', 'loop_b']\n    while names:\n        op.drop_table(names.pop(0))\n"
        for side in self.sides.values():
            self._edit_engine2(side, loop, unloop)
        for args, changes in ((["upgrade", "head", "--sql"], False), (["upgrade", "head"], True),
                              (["downgrade", "base"], True), (["upgrade", "head"], True)):
            ra, rr = self.run_both(args)
            self.assertEqual(rr.rc, ra.rc, "%s\nretort: %s\nalembic: %s" % (args, rr.stdout + rr.stderr, ra.stderr))
            self.assertEqual(self.sides["retort"].sql_files(), self.sides["alembic"].sql_files(), args)
            if changes:
                self.assertEqual(self.sides["retort"].state(), self.sides["alembic"].state(), args)
        self.assertIn("Rendered by Alembic: upgrade", rr.stderr)
        self.assertIn("loop_b", repr(self.sides["retort"].state()[1]))

    def test_retort_refusals(self):
        """Retort alone: a step that Alembic must run against one engine's database (the
        multidb env.py would migrate every engine), --url, two engines on one database.
        Each fails before anything runs."""
        side = self.sides["retort"]
        path, text = self._edit_engine2(side, "    if op.get_bind().dialect.server_version_info:\n        pass\n")
        r = C.run_retort(["upgrade", "head"], side.dir)
        self.assertEqual(r.rc, 255, r)
        self.assertRegex(r.stdout, r"FAILED: revision %s \(\S+%s_rev_2.py:\d+\) needs Python for engine "
                                   r"engine2 \(upgrade_engine2\(\)\): .*, and must run in Alembic.*server's "
                                   r"version.*Nothing was run" % (C3, C3))
        self.assertEqual(side.state(), [(None, {})] * 3, "something ran")
        with open(path, "w") as f:
            f.write(text)

        r = C.run_retort(["--url", "sqlite:///x.db", "upgrade", "head"], side.dir)
        self.assertEqual(r.rc, 255, r)
        self.assertIn("--url / RETORT_DATABASE_URL name one database, but alembic.ini migrates several "
                      "(databases = engine1, engine2, engine3", r.stdout)

        self.edit_ini(side, r"^sqlalchemy.url = sqlite:///%\(here\)s/engine3.db$",
                      "sqlalchemy.url = sqlite:///%(here)s/engine1.db")
        r = C.run_retort(["upgrade", "head"], side.dir)
        self.assertEqual(r.rc, 255, r)
        self.assertIn("Engines engine1 and engine3 name the same database and version table", r.stdout)
        self.assertEqual(side.state()[0], (None, {}), "engine1 was touched")


class MultidbPostgreSQL(_MultidbBase):
    kinds = ("sqlite", "postgresql", "postgresql")


del _MultidbBase

if __name__ == "__main__":
    unittest.main(verbosity=2)
