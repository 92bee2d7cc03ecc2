#!/usr/bin/env python3
"""Retort's evaluation of env.py as a program, never connecting.

Runs the project's env.py the way `alembic upgrade` does (Config for the ini, section and
-x, ScriptDirectory.from_config, env.py under an EnvironmentContext in online mode), with
engines that never connect: Engine.connect()/begin() hand out a stand-in connection and
the pool refuses to open one. context.configure() is recorded instead of run, as are
run_migrations() and begin_transaction(). What env.py configured is printed as JSON:
the URL it used (configure(url=...) or the engine of the connection it passed), every
configure() call's plain keyword values, the engines it created, the environment
variables and files it read (for Retort's cache).

Flask-Migrate: when env.py uses flask's current_app, the app named by --app / FLASK_APP
(else wsgi.py / app.py, as the `flask` command looks for them) is loaded and env.py runs
inside its app context, after Flask-Migrate's configure callbacks, as `flask db upgrade`.

Usage: retort_envpy.py --config alembic.ini [--name alembic] [-x key=value ...] [--app IMPORT]
Output (stdout, one line of JSON): {"ok": true, "format": 1, ...} or
  {"ok": false, "error": {"kind", "message", "diagnosis", "traceback", "file", "line"}}
"""

import argparse
import builtins
import hashlib
import importlib.util
import io
import json
import os
import sys


class _Stop(BaseException):
    """env.py went on to use its database connection: everything Retort needs is known.
    A BaseException so that an env.py `except Exception:` does not swallow it."""


def _sibling(name):
    """A helper module next to this file, by path (env.py's sys.path could shadow it)."""
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(name, os.path.join(here, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_meta = _sibling("retort_metadata")   # _fail, _diagnose, _dependencies
_fail = _meta._fail

# What the run read: environment variables (by name; the value of the *starting*
# environment, hashed) and files opened for reading.
_ORIGINAL_ENV = dict(os.environ)
_ENV_READ = set()
_FILES_READ = set()


def _watch_reads():
    environ_cls = type(os.environ)
    real_getitem = environ_cls.__getitem__

    def getitem(self, key):   # get(), getenv() and `in` all come through here
        _ENV_READ.add(key)
        return real_getitem(self, key)
    environ_cls.__getitem__ = getitem

    real_open = builtins.open

    def watched_open(file, mode="r", *a, **kw):
        if isinstance(file, (str, bytes, os.PathLike)) and not any(c in mode for c in "wax+"):
            try:
                _FILES_READ.add(os.path.abspath(os.fsdecode(file)))
            except Exception:   # noqa: an odd path is not worth failing for
                pass
        return real_open(file, mode, *a, **kw)
    builtins.open = io.open = watched_open


def _url_text(url):
    if url is None:
        return None
    try:
        return url.render_as_string(hide_password=False)
    except AttributeError:
        return str(url)


# --------------------------------------------------------------------------------------
# Engines that never connect

_ENGINES = []   # URLs of the engines env.py created, in order


class _StubTransaction:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def commit(self):
        pass
    rollback = close = prepare = commit

    @property
    def is_active(self):
        return True


class _StubConnection:
    """What Engine.connect() returns: enough for `with engine.connect() as c:` and
    configure(connection=c); any real use stops the run (_Stop)."""

    def __init__(self, engine):
        self.engine = engine
        self.dialect = getattr(engine, "dialect", None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def begin(self, *a, **kw):
        return _StubTransaction()
    begin_twophase = begin_nested = begin

    def close(self):
        pass
    commit = rollback = invalidate = detach = close

    def execution_options(self, **kw):
        return self

    def in_transaction(self):
        return False

    def __getattr__(self, name):
        raise _Stop("env.py used its database connection (%s)" % name)


class _StubEngine:
    """Stands for an engine whose DBAPI driver is not installed in this interpreter:
    Retort connects with its own drivers, the URL is all it needs."""

    def __init__(self, url):
        from sqlalchemy.engine import make_url
        self.url = make_url(url)
        self.dialect = None

    def connect(self, *a, **kw):
        return _StubConnection(self)

    def begin(self, *a, **kw):
        return _StubConnection(self)

    def dispose(self, *a, **kw):
        pass

    def __getattr__(self, name):
        raise _Stop("env.py used its engine (%s)" % name)


def _guard_engines():
    import sqlalchemy
    import sqlalchemy.engine
    from sqlalchemy import exc as sa_exc
    from sqlalchemy import pool as sa_pool
    from sqlalchemy.engine import base, create

    real_create = create.create_engine

    def create_engine(url, *a, **kw):
        try:
            engine = real_create(url, *a, **kw)
        except (ImportError, sa_exc.NoSuchModuleError):
            engine = _StubEngine(url)
        _ENGINES.append(_url_text(engine.url))
        return engine
    for mod in (create, sqlalchemy.engine, sqlalchemy):
        mod.create_engine = create_engine

    def refuse(*a, **kw):
        raise _Stop("env.py opened a DBAPI connection")
    base.Engine.connect = lambda self, *a, **kw: _StubConnection(self)
    base.Engine.begin = lambda self, *a, **kw: _StubConnection(self)
    base.Engine.raw_connection = refuse
    sa_pool.Pool.connect = refuse   # whatever path reaches the pool: nothing connects


# --------------------------------------------------------------------------------------
# Flask-Migrate

def _default_script_location(cfg, config_file):
    """Flask-Migrate's alembic.ini has no script_location: an ini beside an env.py is
    its own script directory."""
    ini = os.path.abspath(config_file)
    if not cfg.get_main_option("script_location") and \
            os.path.exists(os.path.join(os.path.dirname(ini), "env.py")):
        cfg.set_main_option("script_location", os.path.dirname(config_file) or ".")


def _flask_app(args, env_py, ini):
    """The app `flask db ...` would load, or None when env.py does not need one."""
    try:
        with open(env_py, encoding="utf-8", errors="replace") as f:
            wants = "current_app" in f.read()
    except OSError:
        wants = False
    if not (wants or args.app):
        return None
    from flask.cli import NoAppException, ScriptInfo, load_dotenv
    load_dotenv()   # .flaskenv / .env, as the flask command (when python-dotenv is installed)
    for name in (".env", ".flaskenv"):
        _FILES_READ.add(os.path.abspath(name))
    app_path = args.app or os.environ.get("FLASK_APP") or None
    try:
        return ScriptInfo(app_import_path=app_path).load_app()
    except NoAppException:
        # Flask-Migrate keeps alembic.ini in <project>/migrations/: when run from elsewhere
        # (the studio), look for the app in the project directory.
        project = os.path.dirname(os.path.dirname(ini))
        if app_path or os.path.abspath(project) == os.getcwd():
            raise
        here = os.getcwd()
        os.chdir(project)
        try:
            return ScriptInfo(app_import_path=None).load_app()
        finally:
            os.chdir(here)


# --------------------------------------------------------------------------------------

def _env_py_line(env_py):
    f = sys._getframe(2)
    while f is not None:
        if os.path.abspath(f.f_code.co_filename) == env_py:
            return f.f_lineno
        f = f.f_back
    return 0


def _where(exc, env_py, kind):
    """file, line to name: the innermost frame in the project's own code (not the
    interpreter's libraries, Alembic or ours); env.py's current_app line for a missing
    Flask app."""
    import traceback
    if isinstance(exc, SyntaxError) and exc.filename:
        return exc.filename, exc.lineno or 0
    if kind == "no-flask-app":
        try:
            with open(env_py, encoding="utf-8", errors="replace") as f:
                for n, line in enumerate(f, 1):
                    if "current_app" in line:
                        return env_py, n
        except OSError:
            pass
        return env_py, 0
    stdlib = os.path.join(getattr(sys, "base_prefix", sys.prefix), "lib", "python")
    here = os.path.dirname(os.path.abspath(__file__))
    for fr in reversed(traceback.extract_tb(exc.__traceback__)):
        f = os.path.abspath(fr.filename)
        if (fr.filename.startswith("<") or f.startswith(stdlib) or os.path.dirname(f) == here
                or "/site-packages/" in f or "/dist-packages/" in f):
            continue
        return f, fr.lineno or 0
    return env_py, 0


def _plain(v):
    return isinstance(v, (bool, int, float, str, type(None)))


def evaluate(args):
    try:
        from alembic.config import Config
        from alembic.runtime.environment import EnvironmentContext
        from alembic.script import ScriptDirectory
    except Exception as exc:   # noqa
        return _fail("no-alembic", str(exc),
                     "Alembic/SQLAlchemy cannot be imported by %s; point Retort at the project's "
                     "interpreter (the one where `python -m alembic` works)." % sys.executable, exc)
    ini = os.path.abspath(args.config)
    if not os.path.exists(ini):
        return _fail("no-config", "No config file %r found" % args.config,
                     "The alembic.ini file does not exist.")
    cfg = Config(args.config, ini_section=args.name, cmd_opts=argparse.Namespace(x=args.x or None))
    _default_script_location(cfg, args.config)
    _guard_engines()
    _watch_reads()
    sys_path_before = list(sys.path)
    try:
        script = ScriptDirectory.from_config(cfg)
    except Exception as exc:
        return _fail("no-script-location", str(exc),
                     "The script directory named by script_location could not be opened.", exc)
    env_py = os.path.abspath(os.path.join(script.dir, "env.py"))
    project_dir = os.path.dirname(ini)

    calls, runs, notes = [], [], []

    def configure(*a, **kw):
        rec = {"line": _env_py_line(env_py),
               "options": {k: v for k, v in kw.items() if _plain(v)},
               "callables": sorted(k for k, v in kw.items() if callable(v))}
        if kw.get("url") is not None:
            rec["url"], rec["url_from"] = _url_text(kw["url"]), "url"
        elif kw.get("connection") is not None:
            rec["url"] = _url_text(getattr(getattr(kw["connection"], "engine", None), "url", None))
            rec["url_from"] = "connection"
        if kw.get("dialect_name"):
            rec["dialect_name"] = kw["dialect_name"]
        calls.append(rec)

    def run_migrations(**kw):
        runs.append({k: v for k, v in kw.items() if _plain(v)})
        if calls and isinstance(kw.get("engine_name"), str):   # multidb: which engine it was
            calls[-1]["engine_name"] = kw["engine_name"]

    def begin_transaction():
        return _StubTransaction()

    def stop(*a, **kw):
        raise _Stop("env.py asked for its migration context")

    ctx = EnvironmentContext(cfg, script, as_sql=False, fn=lambda rev, context: [])
    # Replaced on the instance: alembic.context's proxy functions call these attributes.
    ctx.configure = configure
    ctx.run_migrations = run_migrations
    ctx.begin_transaction = begin_transaction
    ctx.get_context = ctx.get_bind = ctx.execute = stop
    flask_app = None
    try:
        app = _flask_app(args, env_py, ini)
        if app is not None:
            flask_app = app.import_name
            with app.app_context():
                migrate = app.extensions.get("migrate")
                if migrate is not None:   # `flask db` runs these on its Config
                    cfg = migrate.migrate.call_configure_callbacks(cfg)
                with ctx:
                    script.run_env()
        else:
            with ctx:
                script.run_env()
    except _Stop as stop_exc:
        notes.append(str(stop_exc))
    except BaseException as exc:   # env.py's own errors, including SystemExit
        if not calls:
            kind, diagnosis = _meta._diagnose(exc, project_dir, sys_path_before)
            if type(exc).__name__ == "NoAppException":
                kind, diagnosis = "no-flask-app", (
                    "env.py takes the database from the Flask app (current_app), which Retort "
                    "could not load. Name it as for `flask db upgrade`: set FLASK_APP or pass "
                    "--app (e.g. --app myproject:create_app).")
            elif kind == "env-error":
                diagnosis = "env.py raised %s before calling context.configure()." % type(exc).__name__
            out = _fail(kind, "%s: %s" % (type(exc).__name__, exc), diagnosis, exc)
            out["error"]["file"], out["error"]["line"] = _where(exc, env_py, kind)
            return out
        notes.append("env.py raised %s after context.configure(): %s" % (type(exc).__name__, exc))
    if not calls:
        return _fail("no-configure", "env.py did not call context.configure()",
                     "env.py finished without calling context.configure() in online mode, so "
                     "the database it uses is not known.")
    files = [p for p in _FILES_READ if os.path.exists(p)]
    deps = _meta._dependencies([ini, env_py, sys.executable] + files)
    environ = {k: (hashlib.sha256(_ORIGINAL_ENV[k].encode("utf-8", "surrogateescape")).hexdigest()
                   if k in _ORIGINAL_ENV else None) for k in sorted(_ENV_READ)}
    return {"ok": True, "format": 1, "env_py": env_py, "configure": calls,
            "run_migrations": runs, "engines": _ENGINES,
            "main_url": cfg.get_main_option("sqlalchemy.url"), "flask_app": flask_app,
            "notes": notes, "environ": environ, "dependencies": deps}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("-c", "--config", default="alembic.ini")
    p.add_argument("-n", "--name", default="alembic")
    p.add_argument("-x", action="append")
    p.add_argument("--app", default="")
    args = p.parse_args()
    real_stdout = sys.stdout
    sys.stdout = sys.stderr   # env.py's prints must not corrupt the JSON
    try:
        result = evaluate(args)
    except BaseException as exc:   # a bug in this helper: still answer in JSON
        result = _fail("internal", "%s: %s" % (type(exc).__name__, exc),
                       "Retort's env.py helper failed unexpectedly.", exc)
    real_stdout.write(json.dumps(result, default=str, separators=(",", ":")))
    real_stdout.write("\n")
    real_stdout.flush()


if __name__ == "__main__":
    main()
