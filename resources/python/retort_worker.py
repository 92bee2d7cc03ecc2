#!/usr/bin/env python3
"""Retort's Alembic worker: one process serves every needs-Python step of a run.

Started once per run with the project's own interpreter; loads the project's Config and
ScriptDirectory once, then answers requests, one JSON document per line on stdin, one
answer per line on stdout (the process's original stdout; anything env.py or a script
prints goes to stderr, which Retort shows as Python's output):

  {"cmd": "render", "steps": [{"rev": "ab12", "up": true}, ...], "literal_binds": true}
      env.py in offline (--sql) mode, running exactly these steps; each step's own SQL
      (what its upgrade()/downgrade() wrote, without the "-- Running" line and the
      version-table statements around it) is captured separately:
      {"ok": true, "steps": [{"ok": true, "statements": ["CREATE ...;", ...]} |
                             {"ok": false, "error": {...}}, ...]}
      literal_binds forces literal values (the SQL is run by Retort, not printed).
  {"cmd": "run", "steps": [...]}
      env.py online, running exactly these steps in Alembic's own transaction handling
      (the version table is updated by Alembic): {"ok": true} or {"ok": false, "error"};
      before each step starts, a line {"progress": <index of the step in the request>}.
      A step given with "statements": [...] runs those (Retort's SQL for it) on Alembic's
      connection instead of its upgrade()/downgrade(): one Alembic run, and so one
      transaction, for a whole plan that mixes native steps with steps Alembic must run.
      A step given with "expect_heads": [...] must leave the version table holding exactly
      those; otherwise the run stops there, before the next step (and before Alembic's
      transaction commits).
  {"cmd": "bridge", "url": URL}
      builds the bridge (retort_bridge.py) for Retort's connection: the dialect is set up
      through it, each statement answered by Retort ({"sql": ...} lines, see there):
      {"ok": true, "dialect": ..., "driver": ..., "server_version_info": [...]}.
  {"cmd": "exec", "rev": "ab12", "up": true, "url": URL}
      env.py online, with the connection it configures replaced by the bridge's: the one
      step's upgrade()/downgrade() runs in Alembic, its statements on Retort's connection
      and in Retort's transaction; Alembic neither updates the version table nor commits.
      With "keep": true (another bridged step of the run follows), env.py stays in its
      run_migrations() after answering, and the next "exec" on the same bridge runs there
      (env.py runs once for them all); any other request lets env.py finish first.
  {"cmd": "load", "revs": ["ab12", ...]}
      imports these scripts now (with --index, the others are never imported):
      {"ok": true} or {"ok": false, "error"}. Once a load failed, "render" answers that
      error without running env.py (Retort queues both before the greeting and stops at
      the failed load).
  {"cmd": "quit"}
Both step requests take "engine": for the multidb template, the steps run only in env.py's
run_migrations(engine_name=<engine>) call; other engines get none.

The first line written is {"ok": true, "alembic": "<version>", "python": "<path>"} or
{"ok": false, "error": {...}} when the project cannot be loaded.
Usage: retort_worker.py --config alembic.ini [--name alembic] [--url URL] [-x key=value ...]
                        [--index revisions.json]
"""

import argparse
import functools
import importlib.util
import io
import json
import logging
import os
import sys
import traceback


def _load_envpy():
    """retort_envpy.py beside this file, by path (env.py's sys.path could shadow it): its
    Flask-Migrate handling, and retort_metadata's error location, serve here too."""
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location("retort_envpy", os.path.join(here, "retort_envpy.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_envpy = _load_envpy()


def _load_bridge():
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location("retort_bridge", os.path.join(here, "retort_bridge.py"))
    mod = importlib.util.module_from_spec(spec)
    # Retort's helper, in Retort's own folder: its bytecode is kept there for the next run
    # (the launcher does the same for this module), PYTHONDONTWRITEBYTECODE or not.
    keep, sys.dont_write_bytecode = sys.dont_write_bytecode, False
    try:
        spec.loader.exec_module(mod)
    finally:
        sys.dont_write_bytecode = keep
    return mod


def _error(exc):
    err = {"type": type(exc).__name__, "message": str(exc),
           "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))}
    # The innermost frame outside Alembic, SQLAlchemy and this file: the script or env.py.
    err["file"], err["line"] = _envpy._meta._where(exc, ("/alembic/", "/sqlalchemy/"), __file__)
    return err


class _OfflineRead(RuntimeError):
    pass


class _VersionTableMoved(RuntimeError):
    pass


class _Unreadable:
    """The result of a statement executed while rendering offline: reading it raises."""

    def _fail(self, *a, **kw):
        raise _OfflineRead("a query result is read: the step reads the database")

    __getattr__ = __bool__ = __iter__ = __len__ = __getitem__ = __eq__ = __ne__ = _fail
    __lt__ = __le__ = __gt__ = __ge__ = __contains__ = __int__ = __str__ = _fail
    __hash__ = None


class Worker:
    def __init__(self, args, answer):
        self.answer = answer
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        xargs = list(args.x or [])
        cmd_opts = argparse.Namespace(config=args.config, name=args.name, x=xargs, sql=False,
                                      tag=None, autogenerate=False, raiseerr=False)
        ini = os.path.abspath(args.config)
        # Absolute: env.py's fileConfig(config.config_file_name) also works from the scratch
        # directory a multidb render runs in.
        self.config = Config(file_=ini, ini_section=args.name, cmd_opts=cmd_opts)
        _envpy._default_script_location(self.config, args.config)
        self._push_flask_app(args, ini, os.path.join(ScriptDirectory.from_config(self.config).dir, "env.py"))
        if args.url:
            # Retort's --url / the studio's connection: what env.py reads from the ini.
            self.config.set_main_option("sqlalchemy.url", args.url.replace("%", "%%"))
        self.url = args.url or self.config.get_main_option("sqlalchemy.url")
        self.script = ScriptDirectory.from_config(self.config)
        if args.index:
            self._use_index(args.index)
        self._install_configure_hook()
        self._configure_logging_once()
        self.render_opts = None   # set while a render request runs
        self.unloadable = None    # the error of a "load" that failed
        self.pending = None       # a request read while env.py waited for a bridged step

    def _use_index(self, index_path):
        """Retort read every script's revision, down_revision, branch_labels, depends_on and
        docstring already (its revision graph, in Alembic's map order): the revision map is
        built from that, and a script's module is imported only when something uses it (the
        steps this worker serves, through the "load" request). Alembic imports every
        script of the project; at 1,000 revisions that is most of the worker's start-up."""
        from alembic.script import revision
        from alembic.script.base import Script
        from alembic.util import CommandError, load_python_file, to_tuple

        with open(index_path, encoding="utf-8") as f:
            entries = json.load(f)
        # Script.path as Alembic writes it: the version location joined with the file name.
        locations = {}
        for vers in (self.script._version_locations if self.script.version_locations else [self.script.versions]):
            locations.setdefault(os.path.realpath(vers), vers)

        def one(values):
            values = list(values or [])
            return None if not values else values[0] if len(values) == 1 else tuple(values)

        class IndexedScript(Script):
            def __init__(self, entry):
                directory, name = os.path.split(entry["path"])
                self.path = os.path.join(locations.get(os.path.realpath(directory), directory), name)
                self._entry, self._module = entry, None
                revision.Revision.__init__(self, entry["rev"], one(entry.get("down")),
                                           branch_labels=to_tuple(one(entry.get("labels")), default=()),
                                           dependencies=to_tuple(one(entry.get("deps")), default=()))

            @property
            def module(self):
                if self._module is None:
                    module = load_python_file(*os.path.split(self.path))
                    down = to_tuple(getattr(module, "down_revision", None), default=())
                    if getattr(module, "revision", self.revision) != self.revision \
                            or set(down) != set(to_tuple(self.down_revision, default=())):
                        raise CommandError("%s changed since Retort read it (revision %s, down_revision %s)"
                                           % (self.path, getattr(module, "revision", None), down))
                    self._module = module
                return self._module

            @property
            def longdoc(self):
                # Retort's reading of the docstring (its own "Running" lines use it too):
                # Alembic's log line for a step does not import the script.
                doc = self._entry.get("doc")
                return doc.strip() if doc is not None else Script.longdoc.fget(self)

        def load_revisions():
            for entry in entries:
                yield IndexedScript(entry)

        self.script.revision_map = revision.RevisionMap(load_revisions)

    def load(self, req):
        """Imports the scripts of the steps this worker will serve, before anything runs:
        one that cannot be imported stops the run there, as Alembic's loading would."""
        for rev in req.get("revs") or []:
            sc = self.script.get_revision(rev)
            if sc is None:
                raise LookupError("No such revision %r" % rev)
            sc.module
        return {"ok": True}

    @staticmethod
    def _configure_logging_once():
        """env.py calls fileConfig(alembic.ini) on every run, and the worker runs it once per
        request: the same file configures the same loggers, so later calls are skipped."""
        import logging.config

        original = logging.config.fileConfig
        done = set()

        def file_config(fname, *a, **kw):
            try:
                key = (os.path.abspath(fname), os.path.getmtime(fname), repr(a), repr(sorted(kw.items())))
            except (TypeError, OSError):   # a file object or a missing file: as asked
                return original(fname, *a, **kw)
            if key in done:
                return None
            result = original(fname, *a, **kw)
            done.add(key)
            return result

        logging.config.fileConfig = file_config

    def _push_flask_app(self, args, ini, env_py):
        """Flask-Migrate: env.py reads current_app, so the app `flask db` would load stays
        pushed for the worker's life (retort_envpy.py finds it the same way)."""
        app = _envpy._flask_app(argparse.Namespace(app=os.environ.get("FLASK_APP")), env_py, ini)
        if app is None:
            return
        self._app_context = app.app_context()
        self._app_context.push()
        migrate = app.extensions.get("migrate")
        if migrate is not None:   # `flask db` runs these on its Config
            self.config = migrate.migrate.call_configure_callbacks(self.config)

    def _install_configure_hook(self):
        from alembic.runtime.environment import EnvironmentContext

        original = EnvironmentContext.configure
        worker = self

        def configure(ctx, *a, **kw):
            bridged = getattr(worker, "bridged", None)
            if bridged is not None:
                # A bridged step: whatever env.py connected to, the step runs on Retort's.
                kw["connection"] = bridged
            opts = worker.render_opts
            if opts is not None:
                # Offline rendering for Retort: our buffer, and a URL when env.py has none
                # to give (the dialect must be the database's).
                if kw.get("connection") is None and not kw.get("url") and not kw.get("dialect_name"):
                    kw["url"] = worker.url
                kw.pop("output_encoding", None)
                kw["output_buffer"] = opts["buffer"]
                opts["url"] = kw.get("url")
                if opts["literal_binds"]:
                    kw["literal_binds"] = True
            return original(ctx, *a, **kw)

        EnvironmentContext.configure = configure

    def _steps(self, specs):
        from alembic.runtime.migration import RevisionStep

        out = []
        for spec in specs:
            sc = self.script.get_revision(spec["rev"])
            if sc is None:
                raise LookupError("No such revision %r" % spec["rev"])
            if spec.get("statements") is None:
                out.append(RevisionStep(self.script.revision_map, sc, bool(spec["up"])))
                continue
            # Retort's SQL replaces the script's function: the script is not imported
            # (RevisionStep's constructor would import it for the function).
            step = RevisionStep.__new__(RevisionStep)
            step.revision_map, step.revision, step.is_upgrade = self.script.revision_map, sc, bool(spec["up"])
            step.migration_fn = self._replaying("upgrade" if spec["up"] else "downgrade", spec["statements"])
            out.append(step)
        return out

    def _env(self, steps, as_sql, announce=False, engine="", expect=None):
        from alembic.runtime.environment import EnvironmentContext

        running = {"engine": None}
        original_run = EnvironmentContext.run_migrations

        def run_migrations(ctx, **kw):
            running["engine"] = kw.get("engine_name")
            return original_run(ctx, **kw)

        def announced(context):
            # Alembic takes each step just before its "Running ..." line: say it first. The
            # generator resumes once Alembic updated the version table for the step before.
            for i, step in enumerate(steps):
                if i > 0:
                    self._check_heads(context, steps[i - 1], (expect or {}).get(i - 1))
                self.answer({"progress": i})
                yield step
            if steps:
                self._check_heads(context, steps[-1], (expect or {}).get(len(steps) - 1))

        def fn(rev, context):
            if engine and running["engine"] != engine:
                return []
            return announced(context) if announce else steps

        EnvironmentContext.run_migrations = run_migrations
        try:
            with EnvironmentContext(self.config, self.script, fn=fn, as_sql=as_sql,
                                    destination_rev=steps[-1].revision.revision if steps else None):
                self.script.run_env()
        finally:
            EnvironmentContext.run_migrations = original_run

    @staticmethod
    def _check_heads(context, step, expected):
        if expected is None:
            return
        heads = context.get_current_heads()
        if set(heads) != set(expected):
            raise _VersionTableMoved(
                "After Python ran %s the version table holds (%s), expected (%s); stopped here"
                % (step.short_log, ", ".join(sorted(heads)), ", ".join(expected)))

    def render(self, req):
        if self.unloadable is not None:
            # A render queued behind a load that failed: Retort stops there, and env.py
            # is not run for it.
            return {"ok": False, "error": self.unloadable}
        steps = self._steps(req["steps"])
        results = [None] * len(steps)
        for i, step in enumerate(steps):
            step.migration_fn = self._capturing(i, step.migration_fn, results, self)
        self.render_opts = {"buffer": io.StringIO(), "literal_binds": bool(req.get("literal_binds"))}
        # Alembic's "Running ..." lines are Retort's to write for these steps.
        logging.disable(logging.INFO)
        # The multidb template's offline env.py opens <engine>.sql in the current directory
        # (Retort writes those itself): render from a scratch directory, with the paths
        # that were relative to the project's made absolute for the time being.
        engine = req.get("engine") or ""
        here, path_before, dir_before = os.getcwd(), list(sys.path), self.script.dir
        scratch = None
        if engine:
            import tempfile
            scratch = tempfile.mkdtemp(prefix="retort-render-")
        if scratch:
            sys.path[:] = [os.path.abspath(p) if not os.path.isabs(p) else p for p in sys.path]
            self.script.dir = os.path.abspath(self.script.dir)
            os.chdir(scratch)
        # The version-table statements between the steps are not captured, and the steps
        # rendered together are not contiguous: offline, Alembic's head bookkeeping starts
        # from no heads, so a downgrade step (which removes its revision from them) would
        # raise KeyError there and fail the whole rendering. Not kept while rendering.
        from alembic.runtime.migration import HeadMaintainer
        update_to_step = HeadMaintainer.update_to_step
        HeadMaintainer.update_to_step = lambda maintainer, step: None
        try:
            self._env(steps, as_sql=True, engine=engine)
        except Exception as exc:   # env.py itself failed: every step not yet rendered fails
            err = _error(exc)
            results = [r if r is not None else {"ok": False, "error": err} for r in results]
        finally:
            HeadMaintainer.update_to_step = update_to_step
            if scratch:
                os.chdir(here)
                sys.path[:] = path_before
                self.script.dir = dir_before
                import shutil
                shutil.rmtree(scratch, ignore_errors=True)
            self.render_opts = None
            logging.disable(logging.NOTSET)
        missing = {"ok": False, "error": {"type": "RuntimeError", "message":
                   "env.py did not run the migrations in offline mode", "file": "", "line": 0,
                   "traceback": ""}}
        return {"ok": True, "steps": [r if r is not None else missing for r in results]}

    @staticmethod
    def _capturing(index, fn, results, worker):
        from alembic import context

        @functools.wraps(fn)
        def call(**kw):
            impl = context.get_context().impl
            Worker._offline_bind(context.get_context().connection, (worker.render_opts or {}).get("url"))
            captured = []
            original = impl.static_output

            def static_output(text):
                captured.append(text)
                original(text)

            class Printed:
                """print() output of the step, kept in order with its statements: Alembic's
                --sql writes both to stdout ({"print": text} entries)."""

                def write(self, text):
                    if captured and isinstance(captured[-1], dict):
                        captured[-1]["print"] += text
                    elif text:
                        captured.append({"print": text})
                    return len(text)

                def flush(self):
                    pass

            impl.static_output = static_output
            stdout = sys.stdout
            sys.stdout = Printed()
            try:
                fn(**kw)
                results[index] = {"ok": True, "statements": captured}
            except Exception as exc:
                # This step cannot be rendered offline; the others still can.
                results[index] = {"ok": False, "error": _error(exc)}
            finally:
                sys.stdout = stdout
                del impl.static_output

        return call

    @staticmethod
    def _replaying(name, statements):
        """Retort's statements for a step, run as written (no parameter processing, so a
        "%" stays one) on the connection and in the transaction Alembic runs the step in.
        name: the script function's ("upgrade"/"downgrade"), which Alembic's log shows."""
        from alembic import op

        def replay(**kw):
            bind = op.get_bind()
            for sql in statements:
                bind.exec_driver_sql(sql, execution_options={"no_parameters": True})

        replay.__name__ = replay.__qualname__ = name
        return replay

    @staticmethod
    def _offline_bind(conn, url):
        """Offline, op.get_bind() is SQLAlchemy's mock connection. Scripts that only ask it
        which database this is (`str(bind.engine.url).startswith("mysql")`) or close it
        render as they run online; anything that reads still fails, and the step then runs
        online in Alembic."""
        if conn is None or not url or hasattr(conn, "url"):
            return
        try:
            from sqlalchemy.engine import make_url
            conn.url = make_url(url)
        except Exception:   # an unusable URL: leave the mock as it is
            return
        if not hasattr(conn, "close"):
            conn.close = lambda: None
        # A statement run through the bind is written like op.execute()'s; its result
        # cannot be had offline, so any use of it fails the rendering (the step then runs
        # online) instead of taking a branch the database would not have taken.
        execute = conn.execute

        def execute_unreadable(statement, *multiparams, **params):
            # Offline, SQLAlchemy's mock drops bound parameters: those run online.
            if multiparams or params:
                raise _OfflineRead("a statement with parameters is executed through the bind")
            execute(statement)
            return _Unreadable()

        conn.execute = execute_unreadable

    def run(self, req):
        steps = self._steps(req["steps"])
        expect = {i: spec["expect_heads"] for i, spec in enumerate(req["steps"])
                  if spec.get("expect_heads") is not None}
        self._reuse_engines(True)
        try:
            self._env(steps, as_sql=False, announce=True, engine=req.get("engine") or "", expect=expect)
        except Exception as exc:
            return {"ok": False, "error": _error(exc)}
        finally:
            self._reuse_engines(False)
        return {"ok": True}

    def bridge_request(self, req):
        """"bridge" (set it up) and "exec" (one step on it): see the module's doc."""
        bridges = self.__dict__.setdefault("_bridges", {})
        url = req["url"]
        if url not in bridges:
            mod = _load_bridge()
            try:
                bridges[url] = mod.Bridge(url, mod.Channel(self.answer, sys.stdin.readline))
                with bridges[url].connect() as conn:   # the dialect initialises through it
                    dialect = conn.dialect
            except Exception as exc:
                bridges.pop(url, None)
                return {"ok": False, "error": _error(exc)}
        bridge = bridges[url]
        if req["cmd"] == "bridge":
            d = bridge.engine.dialect
            return {"ok": True, "dialect": d.name, "driver": d.driver,
                    "server_version_info": list(d.server_version_info or ())}
        return self._exec_bridged(req, bridge)

    def _exec_bridged(self, req, bridge):
        """env.py runs once for every bridged step of a run, as Alembic runs it once per
        command: its run_migrations() call serves this step and, while each step's request
        says "keep" (another bridged step follows in the run), waits there for the next
        "exec" on the same bridge, answering each step itself. Another request (or a step
        without "keep") lets env.py finish; the request is then served as usual. A step
        that raises goes out through env.py, as in Alembic, and is answered with its error.
        Returns the answer still owed, or None when every step's was sent."""
        from alembic.runtime.environment import EnvironmentContext

        engine = req.get("engine") or ""
        original_run = EnvironmentContext.run_migrations
        ran = {}
        state = {"req": req, "answered": False}

        def run_migrations(ctx, **kw):
            ran["kw"] = kw
            return original_run(ctx, **kw)

        def fn(rev, context):
            # Alembic's loop (its "Running" line, its version-table update) is Retort's:
            # only the steps' functions run, with run_migrations()'s arguments.
            if engine and ran["kw"].get("engine_name") != engine:
                return []
            while True:
                current = state["req"]
                step = self._steps([current])[0]
                ran["step"] = True
                step.migration_fn(**ran["kw"])
                if not current.get("keep"):
                    return []
                sys.stderr.flush()
                self.answer({"ok": True})
                state["answered"] = True
                following = self._read_request()
                if following is None or following.get("cmd") != "exec" or following.get("url") != req["url"] \
                        or (following.get("engine") or "") != engine:
                    # Not a step for this env.py run: it finishes first, with no statement
                    # left to answer (Retort waits on another request now).
                    self.pending = following
                    bridge.channel.closed = True
                    return []
                state["req"], state["answered"] = following, False

        EnvironmentContext.run_migrations = run_migrations
        self._reuse_engines(True)
        # "Context impl ..." once per run would repeat the run's own lines.
        context_log = logging.getLogger("alembic.runtime.migration")
        context_log.disabled, disabled = True, context_log.disabled
        bridge.channel.closed = False
        try:
            with bridge.connect() as conn:
                self.bridged = conn
                with EnvironmentContext(self.config, self.script, fn=fn, as_sql=False,
                                        destination_rev=self._steps([req])[0].revision.revision):
                    self.script.run_env()
        except Exception as exc:
            if state["answered"]:
                # env.py's own code after the last step failed, once Retort had gone on.
                traceback.print_exc(file=sys.stderr)
                return None
            return {"ok": False, "error": _error(exc), "entered": bool(ran.get("step"))}
        finally:
            self.bridged = None
            bridge.channel.closed = False
            context_log.disabled = disabled
            EnvironmentContext.run_migrations = original_run
            self._reuse_engines(False)
        if state["answered"]:
            return None
        if not ran.get("step"):
            return {"ok": False, "error": {"type": "RuntimeError", "message": "env.py did not run the migrations",
                                           "file": "", "line": 0, "traceback": ""}}
        return {"ok": True}

    def _read_request(self):
        """The next request (None: stdin closed); a quit ends the process here, with env.py
        left where it waits (nothing of it is open on Retort's side)."""
        for line in sys.stdin:
            if not line.strip():
                continue
            req = json.loads(line)
            if req.get("cmd") == "quit":
                _quit()
            return req
        return None

    def _reuse_engines(self, on):
        """env.py builds an engine (usually with NullPool) and connects on every run; the
        worker runs it once per request, so an engine made with the same arguments is
        reused and keeps its one connection (StaticPool) between requests."""
        import sqlalchemy
        import sqlalchemy.engine
        import sqlalchemy.engine.create as create
        from sqlalchemy import pool

        if not hasattr(self, "_engines"):
            self._engines = {}
            self._create_engine = create.create_engine
        original = self._create_engine
        engines = self._engines

        def create_engine(url, **kw):
            key = (str(url) if not hasattr(url, "render_as_string") else url.render_as_string(False),
                   repr(sorted(kw.items(), key=lambda kv: kv[0])))
            if key not in engines:
                options = dict(kw)
                if options.get("poolclass") in (None, pool.NullPool) and not str(key[0]).startswith("sqlite:///:memory:"):
                    options["poolclass"] = pool.StaticPool
                engines[key] = original(url, **options)
            return engines[key]

        fn = create_engine if on else original
        create.create_engine = fn
        sqlalchemy.create_engine = fn
        sqlalchemy.engine.create_engine = fn


def main():
    # RETORT_WORKER_PROFILE=<file>: cProfile statistics of the whole worker, written on quit
    # (bench/: where the hand-off's time goes).
    profile_to = os.environ.get("RETORT_WORKER_PROFILE")
    if profile_to:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            _main()
        except _Quit:
            pass
        finally:
            profiler.disable()
            profiler.dump_stats(profile_to)
        return
    _main()


def _import_alembic():
    """Alembic imports Mako, whose error pages highlight code with Pygments when that is
    installed: about 30 ms of the worker's start-up (a sixth of it), for HTML pages the
    worker never renders. Mako's own fallback (plain escaping) serves instead; the name is
    released once Alembic is imported, so that anything else can still import it."""
    name = "mako.ext.pygmentplugin"
    blocked = name not in sys.modules and "mako.exceptions" not in sys.modules
    if blocked:
        sys.modules[name] = None   # import fails with ImportError: Mako's fallback
    try:
        import alembic
    finally:
        if blocked and name in sys.modules and sys.modules[name] is None:
            del sys.modules[name]
    return alembic


def _main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--name", default="alembic")
    parser.add_argument("--url", default="")
    parser.add_argument("-x", action="append")
    # JSON: [{"rev", "down": [...], "labels": [...], "deps": [...], "path", "doc"}, ...] in
    # Alembic's map order; the scripts are then imported only when used.
    parser.add_argument("--index", default="")
    args = parser.parse_args()

    # Answers go to the original stdout; print() in env.py and scripts goes to stderr.
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def answer(doc):
        answers.write(json.dumps(doc) + "\n")
        answers.flush()

    try:
        alembic = _import_alembic()
        worker = Worker(args, answer)
    except Exception as exc:
        answer({"ok": False, "error": _error(exc)})
        return
    answer({"ok": True, "alembic": alembic.__version__, "python": sys.executable})
    while True:
        req, worker.pending = worker.pending, None
        if req is None:
            req = worker._read_request()
        if req is None:
            return
        cmd = req.get("cmd")
        try:
            if cmd == "load":
                doc = worker.load(req)
            elif cmd == "render":
                doc = worker.render(req)
            elif cmd == "run":
                doc = worker.run(req)
            elif cmd in ("bridge", "exec"):
                doc = worker.bridge_request(req)
            else:
                doc = {"ok": False, "error": {"type": "ValueError", "message": "unknown command %r" % cmd,
                                              "file": "", "line": 0, "traceback": ""}}
        except _Quit:
            raise
        except BaseException as exc:   # SystemExit from a script must not kill the run silently
            doc = {"ok": False, "error": _error(exc)}
        sys.stderr.flush()
        if cmd == "load" and doc is not None and not doc.get("ok"):
            worker.unloadable = doc.get("error")
        if doc is not None:
            answer(doc)


def _quit():
    # Everything is answered and committed: skip the interpreter's slow teardown.
    sys.stderr.flush()
    sys.stdout.flush()
    if os.environ.get("RETORT_WORKER_PROFILE"):
        raise _Quit()
    os._exit(0)


class _Quit(BaseException):
    """quit under RETORT_WORKER_PROFILE: back to main(), which writes the profile."""


if __name__ == "__main__":
    main()
