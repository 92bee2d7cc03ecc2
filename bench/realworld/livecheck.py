"""Live inspection counted truthfully (issue 11): a function inspecting the database
(`sa.inspect(op.get_bind())...`) has no `--sql` form in Alembic (its inspector fails on
the mock connection), so Retort's `--sql` hands it to Python and the offline pass calls it
needs-Python. Online Retort answers the inspection natively. Such a function counts native
("online only", like SQLite batch mode) only when an online run shows it: on a fresh
database stamped at the revision's parent, each tool runs `upgrade <revision>`; Retort must
run the revision without handing it to Python, both must succeed, and the schemas must be
equal. The check is recorded on the function either way (`online_check`)."""
import os
import re

import dbutil
import project

INSPECTION = re.compile(r"call to (sa|sqlalchemy)\.inspect\(\)|call to \S*Inspector\.from_engine\(\)")


def is_inspection(rec):
    return rec.get("status") == "python" and bool(INSPECTION.search(rec.get("reason", "")))


def check(proj, name, dialect, base_url, scripts, funcs, retort, env, run, needs_python, timeout):
    """Updates the inspection functions of funcs (upgrade only) after online runs."""
    downs = {s.revision: list(s.down) for s in scripts if s.revision}
    ini = "alembic-%s.ini" % dialect
    sqlite_dir = os.path.join(proj, "db")
    os.makedirs(sqlite_dir, exist_ok=True)
    for rec in funcs:
        if rec["function"] != "upgrade" or not is_inspection(rec):
            continue
        rev = rec["revision"]
        down = downs.get(rev) or []
        res, snaps = {}, {}
        for tool, cmd in (("alembic", project.ALEMBIC), ("retort", [retort])):
            dbname = re.sub(r"\W", "_", "rw_live_%s_%s" % (name, tool)).lower()
            url = dbutil.fresh_database(dialect, base_url, dbname, sqlite_dir)
            project.set_url(proj, dialect, url)
            stamp = run(cmd + ["-c", ini, "stamp"] + (down or ["base"]), proj, timeout, env)
            up = run(cmd + ["-c", ini, "upgrade", rev], proj, timeout, env) if stamp.rc == 0 else stamp
            res[tool] = up
            try:
                snaps[tool] = dbutil.schema_snapshot(url)
            except Exception as e:  # noqa: BLE001 - a broken database is a result
                snaps[tool] = {"error": str(e)}
            dbutil.drop_database(dialect, base_url, url)
        a, r = res["alembic"], res["retort"]
        handed = rev in needs_python(r.stderr + r.stdout)
        diff = None if "error" in snaps["alembic"] or "error" in snaps["retort"] else \
            dbutil.first_difference(snaps["alembic"], snaps["retort"])
        if a.rc == 0 and r.rc == 0 and not handed and diff is None and "error" not in snaps["retort"]:
            rec["offline_reason"] = rec.pop("reason")
            rec["status"], rec["route"], rec["online_only"] = "native", "native", "inspection"
            rec["online_check"] = "ran natively online, schema equal to Alembic's"
        else:
            rec["online_check"] = ("handed to Python" if handed else
                                   "alembic rc %d, retort rc %d" % (a.rc, r.rc) if a.rc or r.rc else
                                   "schema differs: %s" % (diff or "unreadable")[:200])
