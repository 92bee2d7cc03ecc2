"""Live inspection counted truthfully (issue 11): a function inspecting the database
(`sa.inspect(op.get_bind())...`) has no `--sql` form in Alembic (its inspector fails on
the mock connection), so Retort's `--sql` hands it to Python and the offline pass calls it
needs-Python. Online Retort answers the inspection natively. Such a function counts native
("online only", like SQLite batch mode) only when an online run shows it: on a fresh
database stamped at the revision's parent, each tool runs `upgrade <revision>`; Retort must
run the revision without handing it to Python, both must succeed, and the schemas must be
equal. The check is recorded on the function either way (`online_check`).

Reflection (`meta.reflect(op.get_bind())`, `sa.Table(..., autoload_with=bind)`) followed by
statements on the reflected tables is checked the same way; as those scripts need the
tables they reflect, each tool's fresh database is first brought to the parent by Alembic
(`upgrade <parent>` from base, the reference tool building the state both start from),
falling back to a stamp on an empty database when Alembic cannot get there; the rows of
every table must then be equal too."""
import os
import re

import dbutil
import project

INSPECTION = re.compile(r"call to (sa|sqlalchemy)\.inspect\(\)|call to \S*Inspector\.from_engine\(\)")
REFLECTION = re.compile(r"passes op\.get_bind\(\) or op\.get_context\(\) to (\S*\.reflect|sa\.Table)\(\)")


def is_reflection(rec):
    return rec.get("status") == "python" and bool(REFLECTION.search(rec.get("reason", "")))


def data_snapshot(url):
    """Every table's rows (Retort's own tables aside), as sorted strings."""
    import sqlalchemy as sa
    eng = sa.create_engine(url)
    try:
        with eng.connect() as c:
            out = {}
            for t in sorted(sa.inspect(c).get_table_names()):
                if t.startswith("retort_"):
                    continue
                rows = c.execute(sa.text("SELECT * FROM %s" % eng.dialect.identifier_preparer.quote(t)))
                out[t] = sorted(repr(tuple(r)) for r in rows)
            return out
    finally:
        eng.dispose()


class _Ok:
    rc = 0


def _build_parent(proj, name, dialect, base_url, down, env, run, timeout, sqlite_dir):
    """A database Alembic brought to the parent from base, or None when it cannot."""
    dbname = re.sub(r"\W", "_", "rw_live_%s_parent" % name).lower()
    url = dbutil.fresh_database(dialect, base_url, dbname, sqlite_dir)
    project.set_url(proj, dialect, url)
    built = run(project.ALEMBIC + ["-c", "alembic-%s.ini" % dialect, "upgrade"] + down,
                proj, timeout, env)
    if built.rc == 0:
        return url
    dbutil.drop_database(dialect, base_url, url)
    return None


def is_inspection(rec):
    return rec.get("status") == "python" and bool(INSPECTION.search(rec.get("reason", "")))


def check(proj, name, dialect, base_url, scripts, funcs, retort, env, run, needs_python, timeout):
    """Updates the inspection functions of funcs (upgrade only) after online runs."""
    downs = {s.revision: list(s.down) for s in scripts if s.revision}
    ini = "alembic-%s.ini" % dialect
    sqlite_dir = os.path.join(proj, "db")
    os.makedirs(sqlite_dir, exist_ok=True)
    for rec in funcs:
        reflection = is_reflection(rec)
        if rec["function"] != "upgrade" or not (is_inspection(rec) or reflection):
            continue
        rev = rec["revision"]
        down = downs.get(rev) or []
        res, snaps = {}, {}
        parent = _build_parent(proj, name, dialect, base_url, down, env, run, timeout, sqlite_dir) \
            if reflection and down else None
        for tool, cmd in (("alembic", project.ALEMBIC), ("retort", [retort])):
            dbname = re.sub(r"\W", "_", "rw_live_%s_%s" % (name, tool)).lower()
            built = None
            url = parent and dbutil.copy_database(dialect, base_url, parent, dbname, sqlite_dir)
            if url:
                # Both start from the very same parent (its random keys and all).
                project.set_url(proj, dialect, url)
                built = _Ok()
            else:
                url = dbutil.fresh_database(dialect, base_url, dbname, sqlite_dir)
                project.set_url(proj, dialect, url)
            if parent and built is None:  # no copy here (MySQL): each builds its own
                built = run(project.ALEMBIC + ["-c", ini, "upgrade"] + down, proj, timeout, env)
                if built.rc != 0:
                    dbutil.drop_database(dialect, base_url, url)
                    url = dbutil.fresh_database(dialect, base_url, dbname, sqlite_dir)
                    project.set_url(proj, dialect, url)
            if built is None or built.rc != 0:
                built = run(cmd + ["-c", ini, "stamp"] + (down or ["base"]), proj, timeout, env)
            up = run(cmd + ["-c", ini, "upgrade", rev], proj, timeout, env) if built.rc == 0 else built
            res[tool] = up
            try:
                snaps[tool] = dbutil.schema_snapshot(url)
                if reflection:
                    snaps[tool]["rows"] = data_snapshot(url)
            except Exception as e:  # noqa: BLE001 - a broken database is a result
                snaps[tool] = {"error": str(e)}
            dbutil.drop_database(dialect, base_url, url)
        if parent:
            dbutil.drop_database(dialect, base_url, parent)
        a, r = res["alembic"], res["retort"]
        handed = rev in needs_python(r.stderr + r.stdout)
        diff = None if "error" in snaps["alembic"] or "error" in snaps["retort"] else \
            dbutil.first_difference(snaps["alembic"], snaps["retort"])
        if a.rc == 0 and r.rc == 0 and not handed and diff is None and "error" not in snaps["retort"]:
            rec["offline_reason"] = rec.pop("reason")
            rec["status"], rec["route"] = "native", "native"
            rec["online_only"] = "reflection" if reflection else "inspection"
            rec["online_check"] = "ran natively online, schema equal to Alembic's"
        else:
            rec["online_check"] = ("handed to Python" if handed else
                                   "alembic rc %d, retort rc %d" % (a.rc, r.rc) if a.rc or r.rc else
                                   "schema differs: %s" % (diff or "unreadable")[:200])
