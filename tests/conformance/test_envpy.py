"""env.py as a program (issue 10, item 4): where Retort's static reading of env.py cannot
settle the database URL, Retort runs env.py with the project's Python (never connecting)
and uses what it configured.

- Flask-Migrate (tests/fixtures/projects/flaskapp, written by `flask db init/migrate`):
  `flask db upgrade` and `retort -c migrations/alembic.ini upgrade` build the same
  database (version rows, tables, columns, indexes); heads / history / current print the
  same; `--app` and $FLASK_APP name the app; an app that cannot be loaded is an error
  naming env.py's line. On SQLite and, with RETORT_TEST_PG_URL, PostgreSQL.
- URLs computed by env.py (from an environment variable, a settings module, -x), each
  side by side with `python -m alembic`, and the precedence ladder end to end: --url, then
  $RETORT_DATABASE_URL, then what env.py sets, then the ini's sqlalchemy.url.
- The cache: a second run reuses the answer; changing the settings module or a variable
  env.py read runs env.py again.
"""
import os
import shutil
import sqlite3
import tempfile
import unittest

import conformance as C

FLASK_FIXTURE = os.path.join(C.HERE, "..", "fixtures", "projects", "flaskapp")
INI = os.path.join("migrations", "alembic.ini")


def _env(extra=None):
    env = {"RETORT_PYTHON": C.REF_PY}
    env.update(extra or {})
    return env


def _retort(args, cwd, env=None):
    return C._run([C.RETORT_BIN] + list(args), cwd, _env(env))


def _python(args, cwd, env=None):
    return C._run([C.REF_PY] + list(args), cwd, _env(env))


def _cache_dir(case):
    """An XDG_CACHE_HOME of its own, outside the project (a directory created in the project
    would change the project directory's mtime, one of the cached answer's dependencies)."""
    d = tempfile.mkdtemp(prefix="retort-envpy-cache-")
    case.addCleanup(shutil.rmtree, d, True)
    return d


def _sqlite_versions(path):
    """version_num rows of a SQLite file; None when it or the table does not exist."""
    if not os.path.exists(path):
        return None
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()
    return sorted(r[0] for r in rows)


class _FlaskBase(C.ConformanceCase):
    kind = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.kind != "sqlite" and not C.server_url(cls.kind):
            raise unittest.SkipTest("%s server URL not set (RETORT_TEST_PG_URL)" % cls.kind)
        r = _python(["-c", "import flask_migrate"], C.HERE)
        if r.rc != 0:
            raise unittest.SkipTest("Flask-Migrate missing (python3-flask-migrate): %s" % r.stderr)

    def setUp(self):
        self.dirs, self.dbs = [], []

    def tearDown(self):
        for db in self.dbs:
            db.drop()
        for d in self.dirs:
            if not C.KEEP:
                shutil.rmtree(d, ignore_errors=True)

    def _copy(self):
        d = tempfile.mkdtemp(prefix="retort-envpy-")
        shutil.copytree(FLASK_FIXTURE, d, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("instance", "__pycache__"))
        self.dirs.append(d)
        db = C.Database(self.kind, C.server_url(self.kind))
        self.dbs.append(db)
        db.create(d)
        # The app's own URL (not the ini's): env.py takes it from the app.
        url = "sqlite:///" + db.path if self.kind == "sqlite" else db.url
        return d, db, {"FLASKAPP_DATABASE_URL": url, "FLASK_APP": "app:create_app",
                       "XDG_CACHE_HOME": _cache_dir(self)}

    def _flask(self, args, d, env):
        return _python(["-m", "flask", "db"] + args, d, env)

    def _same_output(self, flask_args, retort_args, fd, fenv, rd, renv):
        f = self._flask(flask_args, fd, fenv)
        r = _retort(["-c", INI] + retort_args, rd, renv)
        self.assertEqual((r.rc, r.stdout.replace(rd, "<P>")), (f.rc, f.stdout.replace(fd, "<P>")),
                         "retort %s\nflask stderr: %s\nretort stderr: %s" % (retort_args, f.stderr, r.stderr))
        return f, r

    def test_flask_db_and_retort_build_the_same_database(self):
        (fd, fdb, fenv), (rd, rdb, renv) = self._copy(), self._copy()
        for flask_args, retort_args in ((["heads"], ["heads"]), (["history"], ["history"]),
                                        (["history", "--verbose"], ["history", "--verbose"]),
                                        (["current"], ["current"])):
            self._same_output(flask_args, retort_args, fd, fenv, rd, renv)
        for flask_args, args in ((["upgrade", "e2aac2dc91af"], ["upgrade", "e2aac2dc91af"]),
                                 (["upgrade"], ["upgrade", "head"]),
                                 (["downgrade"], ["downgrade", "-1"]),
                                 (["downgrade", "base"], ["downgrade", "base"]),
                                 (["upgrade", "head"], ["upgrade", "head"])):
            f, r = self._same_output(flask_args, args, fd, fenv, rd, renv)
            self.assertEqual(f.rc, 0, f.stderr)
            self.assertEqual(rdb.version_rows(), fdb.version_rows(), args)
            self.assertEqual(rdb.schema_state(), fdb.schema_state(), args)
            self._same_output(["current"], ["current"], fd, fenv, rd, renv)
        self.assertEqual(rdb.version_rows(), ["d3fe4c675314"])
        # Nothing Retort did touched the ini's placeholder URL: the app's database it is.
        self.assertIn("Ran env.py", _retort(["-c", INI, "current"], rd, dict(renv, XDG_CACHE_HOME=_cache_dir(self))).stderr)

    def test_steps_that_need_python_run_in_the_apps_context(self):
        """A Flask-Migrate step the native engine cannot run: Retort's worker loads the
        same app (script directory = the ini's, app context pushed) and renders one step
        (a while loop) and runs the other (op.get_bind()) like flask db."""
        (fd, fdb, fenv), (rd, rdb, renv) = self._copy(), self._copy()
        for d in (fd, rd):
            for name, text in (("ff00_python.py", PYTHON_STEPS), ("ff01_bind.py", BIND_STEP)):
                with open(os.path.join(d, "migrations", "versions", name), "w") as f:
                    f.write(text)
        for flask_args, args in ((["upgrade"], ["upgrade", "head"]),
                                 (["downgrade", "d3fe4c675314"], ["downgrade", "d3fe4c675314"]),
                                 (["upgrade"], ["upgrade", "head"])):
            f = self._flask(flask_args, fd, fenv)
            r = _retort(["-c", INI] + args, rd, dict(renv, RETORT_PYTHON=C.REF_PY))
            self.assertEqual((r.rc, f.rc), (0, 0), "retort: %s\nflask: %s" % (r.stderr, f.stderr))
            self.assertEqual(rdb.version_rows(), fdb.version_rows(), args)
            self.assertEqual(rdb.schema_state(), fdb.schema_state(), args)
        self.assertIn("Rendered by Alembic: upgrade d3fe4c675314 -> ff00", r.stderr)
        # ... through the bridge: Alembic runs it on Retort's connection, in its transaction.
        self.assertIn("Bridged: upgrade ff00 -> ff01", r.stderr)
        self.assertEqual(rdb.version_rows(), ["ff01"])
        f = self._flask(["upgrade", "d3fe4c675314:ff00", "--sql"], fd, fenv)
        r = _retort(["-c", INI, "upgrade", "d3fe4c675314:ff00", "--sql"], rd,
                    dict(renv, RETORT_PYTHON=C.REF_PY))
        self.assertEqual(r.rc, 0, r.stderr)
        self.assertIn("Rendering upgrade d3fe4c675314 -> ff00 with Alembic", r.stderr)
        self.assertEqual(r.stdout, f.stdout)

    def test_app_option_and_missing_app(self):
        d, db, env = self._copy()
        env.pop("FLASK_APP")
        os.rename(os.path.join(d, "app.py"), os.path.join(d, "bookshop.py"))
        r = _retort(["-c", INI, "current"], d, env)
        self.assertEqual(r.rc, 255, r)   # Alembic's exit code for FAILED
        self.assertIn("migrations/env.py:4", r.stderr)   # `from flask import current_app`
        self.assertIn("FLASK_APP", r.stderr)
        r = _retort(["-c", INI, "--app", "bookshop:create_app", "upgrade", "head"], d, env)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(db.version_rows(), ["d3fe4c675314"])
        r = _retort(["-c", INI, "current"], d, dict(env, FLASK_APP="bookshop:create_app"))
        self.assertEqual((r.rc, r.stdout), (0, "d3fe4c675314 (head)\n"), r)

    def test_started_elsewhere_finds_the_app_beside_migrations(self):
        """The studio is started anywhere: without FLASK_APP, app.py is looked for in the
        directory above migrations/ when the current one has none."""
        d, db, env = self._copy()
        env.pop("FLASK_APP")
        elsewhere = tempfile.mkdtemp(prefix="retort-envpy-cwd-")
        self.addCleanup(shutil.rmtree, elsewhere, True)
        r = _retort(["-c", os.path.join(d, INI), "upgrade", "head"], elsewhere, env)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(db.version_rows(), ["d3fe4c675314"])


PYTHON_STEPS = '''"""python steps

Revision ID: ff00
Revises: d3fe4c675314
"""
from alembic import op
import sqlalchemy as sa

revision = "ff00"
down_revision = "d3fe4c675314"
branch_labels = None
depends_on = None


def upgrade():
    names = ["tag", "shelf"]
    while names:
        op.create_table(names.pop(0), sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    names = ["tag", "shelf"]
    while names:
        op.drop_table(names.pop(0))
'''

BIND_STEP = '''"""bind

Revision ID: ff01
Revises: ff00
"""
from alembic import op
import sqlalchemy as sa

revision = "ff01"
down_revision = "ff00"
branch_labels = None
depends_on = None


def upgrade():
    n = op.get_bind().execute(sa.text("SELECT count(*) FROM tag")).scalar()
    op.execute("INSERT INTO tag (id) VALUES (%d)" % (n + 1))


def downgrade():
    op.get_bind().execute(sa.text("DELETE FROM tag"))
'''


class EnvPyFlaskSQLite(_FlaskBase):
    kind = "sqlite"


class EnvPyFlaskPostgreSQL(_FlaskBase):
    kind = "postgresql"


del _FlaskBase


# --------------------------------------------------------------------------------------
# URLs computed by env.py

REVISION = '''"""t

Revision ID: a1
Revises:
Create Date: 2026-01-01 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "a1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("t")
'''

# What replaces `config = context.config` in the stock env.py, per case.
VARIANTS = {
    "environ": 'config = context.config\n'
               'config.set_main_option("sqlalchemy.url", "sqlite:///" + os.path.join(os.environ["APP_DB_DIR"], "environ.db"))\n',
    "settings": 'config = context.config\n'
                'from settings import DATABASE_URL\n'
                'config.set_main_option("sqlalchemy.url", DATABASE_URL)\n',
    "xarg": 'config = context.config\n'
            'config.set_main_option("sqlalchemy.url", context.get_x_argument(as_dictionary=True).get(\n'
            '    "db_url", config.get_main_option("sqlalchemy.url")))\n',
}
SETTINGS = 'DATABASE_URL = "sqlite:///settings.db"\n'


class EnvPyUrlSQLite(C.ConformanceCase):
    """env.py computing its URL, against `python -m alembic`, and the URL's precedence."""

    def _project(self, variant):
        p = C.Project([], url="sqlite:///ini.db")
        self.addCleanup(p.cleanup)
        env_py = os.path.join(p.dir, "migrations", "env.py")
        with open(env_py) as f:
            text = f.read()
        text = text.replace("config = context.config\n", VARIANTS[variant], 1)
        text = "import os\n" + text
        with open(env_py, "w") as f:
            f.write(text)
        with open(os.path.join(p.dir, "settings.py"), "w") as f:
            f.write(SETTINGS)
        with open(os.path.join(p.dir, "migrations", "versions", "a1_t.py"), "w") as f:
            f.write(REVISION)
        return p

    def _side_by_side(self, variant, extra_args, env, db_file):
        a, r = self._project(variant), self._project(variant)
        env = dict(env, XDG_CACHE_HOME=_cache_dir(self))
        ra = _python(["-m", "alembic"] + extra_args + ["upgrade", "head"], a.dir, env)
        rr = _retort(extra_args + ["upgrade", "head"], r.dir, env)
        self.assertEqual(ra.rc, 0, ra)
        self.assertEqual(rr.rc, 0, rr)
        self.assertEqual(rr.stdout, ra.stdout)
        self.assertEqual(_sqlite_versions(os.path.join(a.dir, db_file)), ["a1"])
        self.assertEqual(_sqlite_versions(os.path.join(r.dir, db_file)), ["a1"], rr.stderr)
        self.assertIsNone(_sqlite_versions(os.path.join(r.dir, "ini.db")))
        self.assertIn("Ran env.py", rr.stderr)
        return r, env

    def test_environment_variable(self):
        self._side_by_side("environ", [], {"APP_DB_DIR": "."}, "environ.db")

    def test_settings_module(self):
        self._side_by_side("settings", [], {}, "settings.db")

    def test_x_argument(self):
        self._side_by_side("xarg", ["-x", "db_url=sqlite:///x.db"], {}, "x.db")

    def test_precedence_ladder(self):
        """--url, then $RETORT_DATABASE_URL, then env.py, then the ini; each rung upgrades
        its own SQLite file."""
        p = self._project("xarg")
        cache = {"XDG_CACHE_HOME": _cache_dir(self)}
        rungs = [
            ("ini", [], {}, "ini.db"),
            ("env.py", ["-x", "db_url=sqlite:///x.db"], {}, "x.db"),
            ("$RETORT_DATABASE_URL", ["-x", "db_url=sqlite:///x.db"],
             {"RETORT_DATABASE_URL": "sqlite:///envvar.db"}, "envvar.db"),
            ("--url", ["-x", "db_url=sqlite:///x.db", "--url", "sqlite:///cli.db"],
             {"RETORT_DATABASE_URL": "sqlite:///envvar.db"}, "cli.db"),
        ]
        for name, args, env, db_file in rungs:
            before = {f: _sqlite_versions(os.path.join(p.dir, f)) for f in ("ini.db", "x.db", "envvar.db", "cli.db")}
            self.assertIsNone(before[db_file], name)
            r = _retort(args + ["upgrade", "head"], p.dir, dict(env, **cache))
            self.assertEqual(r.rc, 0, "%s: %r" % (name, r))
            after = {f: _sqlite_versions(os.path.join(p.dir, f)) for f in before}
            self.assertEqual(after[db_file], ["a1"], name)
            self.assertEqual({f: v for f, v in after.items() if f != db_file},
                             {f: v for f, v in before.items() if f != db_file}, name)

    def test_cache_follows_settings_and_environment(self):
        p = self._project("settings")
        env = {"XDG_CACHE_HOME": _cache_dir(self)}
        r = _retort(["upgrade", "head"], p.dir, env)
        self.assertIn("Ran env.py", r.stderr)
        # The upgrade created settings.db in the project directory, which is on sys.path
        # (prepend_sys_path): a new file there could be a new module, so env.py runs once more.
        self.assertIn("Ran env.py", _retort(["current"], p.dir, env).stderr)
        r = _retort(["current"], p.dir, env)
        self.assertIn("Reused the result of running env.py", r.stderr)
        with open(os.path.join(p.dir, "settings.py"), "w") as f:
            f.write('DATABASE_URL = "sqlite:///moved.db"\n# a longer file\n')
        r = _retort(["upgrade", "head"], p.dir, env)
        self.assertIn("Ran env.py", r.stderr)
        self.assertEqual(_sqlite_versions(os.path.join(p.dir, "moved.db")), ["a1"], r)
        # A variable env.py read (APP_DB_DIR) is part of the answer's identity.
        q = self._project("environ")
        env = {"XDG_CACHE_HOME": _cache_dir(self), "APP_DB_DIR": "."}
        os.mkdir(os.path.join(q.dir, "sub"))
        for _ in range(2):   # the second run: environ.db is new in the project directory
            self.assertIn("Ran env.py", _retort(["current"], q.dir, env).stderr)
        self.assertIn("Reused", _retort(["current"], q.dir, env).stderr)
        r = _retort(["upgrade", "head"], q.dir, dict(env, APP_DB_DIR="sub"))
        self.assertIn("Ran env.py", r.stderr)
        self.assertEqual(_sqlite_versions(os.path.join(q.dir, "sub", "environ.db")), ["a1"], r)

    def test_failure_names_the_file_and_line(self):
        p = self._project("settings")
        with open(os.path.join(p.dir, "settings.py"), "w") as f:
            f.write('import os\n\nDATABASE_URL = os.environ["NO_SUCH_SETTING"]\n')
        r = _retort(["upgrade", "head"], p.dir, {"XDG_CACHE_HOME": _cache_dir(self)})
        self.assertEqual(r.rc, 255, r)
        self.assertIn("settings.py:3: env.py could not be run", r.stderr)
        self.assertIn("KeyError: 'NO_SUCH_SETTING'", r.stderr)
        self.assertIn("migrations/env.py:", r.stderr)   # what needed Python
        self.assertIsNone(_sqlite_versions(os.path.join(p.dir, "ini.db")))


if __name__ == "__main__":
    unittest.main(verbosity=2)
