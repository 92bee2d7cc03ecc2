#!/usr/bin/python3
"""Run many Alembic CLI invocations in one interpreter (the reference side).

usage: alembic_batch.py JOBS.json OUT.json   (stdin must not be a tty, like the subprocess runs)
JOBS.json: [{"cwd": dir, "args": [...], ["rows_url": url]}, ...]; writes a JSON list of
{"stdout", "stderr", "rc"} to OUT.json (plus "rows" and "schema", the database's
version rows and schema_state() after the command, when rows_url is given). Equivalent to `python3 -m alembic ARGS` run in cwd
(exit code of sys.exit(-1) is reported as 255, an uncaught exception as 1 with its
traceback on stderr). Starting Python + SQLAlchemy costs ~0.5 s, so batching keeps the
conformance suite fast; the self-test (RETORT_BIN=alembic-wrapper.sh) proves that the
batch output equals the real subprocess output.
"""
import contextlib
import io
import json
import logging
import os
import sys
import traceback

from alembic.config import CommandLine, Config


def run_one(cwd, args):
    os.chdir(cwd)
    out, err = io.StringIO(), io.StringIO()
    rc = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            # alembic.config.main(), except that Config's stdout (a default argument
            # bound at import time) must be this call's buffer
            cl = CommandLine(prog="alembic")
            options = cl.parser.parse_args(args)
            if not hasattr(options, "cmd"):
                cl.parser.error("too few arguments")
            cfg = Config(file_=options.config, ini_section=options.name,
                         cmd_opts=options, stdout=out)
            cl.run_cmd(cfg, options)
        except SystemExit as e:
            code = e.code
            if code is None:
                rc = 0
            elif isinstance(code, int):
                rc = code & 0xFF
            else:
                print(code, file=sys.stderr)
                rc = 1
        except BaseException:
            traceback.print_exc()
            rc = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
    reset_logging()
    return {"stdout": out.getvalue(), "stderr": err.getvalue(), "rc": rc}


_LOGGING_SNAPSHOT = None


def snapshot_logging():
    """Record the logging state right after importing alembic (it installs a
    NullHandler, so errors are not echoed to stderr by logging.lastResort)."""
    global _LOGGING_SNAPSHOT
    snap = {}
    for name, lg in logging.root.manager.loggerDict.items():
        if isinstance(lg, logging.Logger):
            snap[name] = (list(lg.handlers), lg.level, lg.disabled, lg.propagate)
    snap[None] = (list(logging.root.handlers), logging.root.level, False, True)
    _LOGGING_SNAPSHOT = snap


def reset_logging():
    """Back to the fresh-interpreter logging state (env.py's fileConfig() bound
    handlers to this call's StringIO and disabled loggers it did not name)."""
    for name, lg in list(logging.root.manager.loggerDict.items()):
        if isinstance(lg, logging.Logger):
            handlers, level, disabled, propagate = _LOGGING_SNAPSHOT.get(
                name, ([], logging.NOTSET, False, True))
            lg.handlers = list(handlers)
            lg.level = level
            lg.disabled = disabled
            lg.propagate = propagate
    handlers, level, _, _ = _LOGGING_SNAPSHOT[None]
    logging.root.handlers = list(handlers)
    logging.root.level = level
    logging.root.manager._clear_cache()


def version_rows(url):
    import sqlalchemy as sa
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with eng.connect() as c:
            if not sa.inspect(c).has_table("alembic_version"):
                return None
            return sorted(r[0] for r in c.exec_driver_sql("SELECT version_num FROM alembic_version"))
    finally:
        eng.dispose()


def schema_state(url):
    """What the migrations built, besides the version table and Retort's side tables
    (retort_script_checksums): {table: [sorted column names, sorted index names, row
    count]} (JSON-able; the same for both sides)."""
    import sqlalchemy as sa
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with eng.connect() as c:
            insp = sa.inspect(c)
            out = {}
            for t in insp.get_table_names():
                if t in ("alembic_version", "retort_script_checksums"):
                    continue
                cols = sorted(col["name"] for col in insp.get_columns(t))
                ixs = sorted(ix["name"] for ix in insp.get_indexes(t))
                n = c.exec_driver_sql("SELECT count(*) FROM %s" % t).scalar()
                out[t] = [cols, ixs, n]
            return out
    finally:
        eng.dispose()


def main_():
    import alembic.command  # noqa: F401  (import everything `main` would, then snapshot)
    import alembic.script  # noqa: F401
    snapshot_logging()
    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    results = []
    for j in jobs:
        r = run_one(j["cwd"], j["args"])
        if j.get("rows_url"):
            r["rows"] = version_rows(j["rows_url"])
            r["schema"] = schema_state(j["rows_url"])
        results.append(r)
    with open(sys.argv[2], "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main_()
