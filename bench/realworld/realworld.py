#!/usr/bin/python3
"""Retort against Alembic on real projects' versions folders (issue 10 item 7, issue 11).

usage: realworld.py CORPUS [--list corpus.txt] [--projects a,b] [--dialects sqlite,...]
                    [--work DIR] [--json OUT.json] [--md results.md] [--no-online]
CORPUS holds one folder per project, each with its versions folder as `versions/`
(bench/realworld/fetch.sh makes it from corpus.txt). For every project and dialect it
builds a minimal project (project.py), then
  offline: per revision `upgrade <down>:<rev> --sql` and `downgrade <rev>:<down> --sql`
    with both tools (Alembic batched in one interpreter: tests/conformance/alembic_batch.py);
    a function is "needs Python" when Retort names its revision on a `needs Python:` line,
    native otherwise when Retort succeeds; native SQL is compared with Alembic's after
    tests/conformance/normalise.py's normalisation; plus `upgrade heads --sql` whole;
  online: `upgrade heads` then `downgrade base` on fresh databases with each tool, timed,
    the schemas (dbutil.schema_snapshot) compared after each.
Environment: RETORT_BIN (default build/app/retort), RETORT_TEST_PG_URL,
RETORT_TEST_MYSQL_URL (a dialect without its URL is skipped, with the reason).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "conformance"))

import dbutil  # noqa: E402
import livecheck  # noqa: E402
import project  # noqa: E402
import report  # noqa: E402
from normalise import normalise  # noqa: E402

DIALECTS = ("sqlite", "postgresql", "mysql")
URL_ENV = {"postgresql": "RETORT_TEST_PG_URL", "mysql": "RETORT_TEST_MYSQL_URL"}
BATCH = os.path.join(ROOT, "tests", "conformance", "alembic_batch.py")
NEEDS_PY = re.compile(r"revision (\S+) \([^)]*\) needs Python: (.*)$")
STEP_TIMEOUT = 120


class Res:
    def __init__(self, rc, stdout, stderr, seconds=0.0):
        self.rc, self.stdout, self.stderr, self.seconds = rc, stdout, stderr, seconds


def run(cmd, cwd, timeout, env=None):
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=timeout, env=env)
        return Res(p.returncode, p.stdout, p.stderr, time.monotonic() - start)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        return Res(-1, out, err + "\nTIMEOUT after %d s" % timeout, time.monotonic() - start)


def alembic_also_writes(normalised, cwd, args, proj, tries=10):
    """Is Retort's SQL one Alembic itself writes? Alembic's output can vary from run to run
    (indexes of a table come from a set: neutron c8c222d42aa9), so a difference is checked
    against a few fresh Alembic processes before it is called Retort's: equal to one of
    them, or — where those runs differ among themselves — the same lines in another order."""
    seen = set()
    for _ in range(tries):
        a = run(project.ALEMBIC + args, cwd, STEP_TIMEOUT)
        if a.rc != 0:
            continue
        out = normalise(a, project_dir=proj)[1]
        if out == normalised:
            return True
        seen.add(out)
    mine = sorted(normalised.splitlines())
    return len(seen) > 1 and any(sorted(o.splitlines()) == mine for o in seen)


def alembic_batch(jobs, timeout):
    """[(cwd, args)] -> [Res], one interpreter for all."""
    if not jobs:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        jf, of = os.path.join(tmp, "jobs.json"), os.path.join(tmp, "out.json")
        with open(jf, "w") as f:
            json.dump([{"cwd": c, "args": a} for c, a in jobs], f)
        r = run(["/usr/bin/python3", BATCH, jf, of], tmp, timeout)
        if r.rc != 0 or not os.path.exists(of):
            return [Res(-1, "", "alembic batch failed: " + first_error(r))] * len(jobs)
        with open(of) as f:
            return [Res(x["rc"], x["stdout"], x["stderr"]) for x in json.load(f)]


def needs_python(text):
    """revision -> reason, from every `needs Python:` line."""
    out = {}
    for line in text.splitlines():
        m = NEEDS_PY.search(line)
        if m:
            reason = m.group(2)
            reason = reason.split("; retort cannot write its SQL")[0]
            if "(revision " in line and reason.endswith(")"):
                reason = reason[:-1]
            out.setdefault(m.group(1), reason.strip())
    return out


RENDERING = re.compile(r"Rendering \S+ \S+ -> \S+ with Alembic \(revision (\S+) ")


BRIDGED = re.compile(r"\[retort\.python\] Bridged: (upgrade|downgrade) .*?\(revision (\S+) ")


BRIDGE_UP = re.compile(r"\[retort\.python\] Bridge to Retort's connection: .*\(((?:upgrade|downgrade) [^)]*)\)$")


def bridged(stderr):
    """{(revision, "upgrade"|"downgrade")} an online run routed through the bridge (decided
    once the bridge is up, before anything runs; "Bridged:" as each one runs): in Alembic,
    on Retort's connection and in Retort's transaction."""
    out = {(m.group(2), m.group(1)) for m in map(BRIDGED.search, stderr.splitlines()) if m}
    for m in filter(None, map(BRIDGE_UP.search, stderr.splitlines())):
        out |= {tuple(reversed(x.strip().split(" ", 1))) for x in m.group(1).split(",")}
    return out


def route(stderr, revision):
    """Where an online run puts a needs-Python step: "rendered" (Alembic writes its SQL,
    Retort runs it in its own transaction), "bridged" (the --sql run says Alembic will run it
    on Retort's connection; only the online run's "Bridged:" line confirms it) or "online"
    (Alembic runs it: the script reads the database, or Alembic's offline mode cannot render
    it; the online run may still bridge it)."""
    for line in stderr.splitlines():
        m = RENDERING.search(line)
        if m and m.group(1) == revision:
            if "; online, Alembic runs it on Retort's connection: it " in line:
                return "bridged", line.split("; online, Alembic runs it on Retort's connection: it ", 1)[1].strip()
            if "; online, Alembic runs it: it " in line:
                return "online", line.split("; online, Alembic runs it: it ", 1)[1].strip()
            return "rendered", ""
    for line in stderr.splitlines():
        if "Alembic cannot write its SQL offline: " in line:
            return "online", "Alembic's offline mode fails: " + \
                line.split("Alembic cannot write its SQL offline: ", 1)[1].split(":")[0].strip()
    return "online", "not rendered"


EXC_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Failure|Warning)\b")


def first_error(res, proj=None):
    """Retort's FAILED line, or the exception line of Python's traceback."""
    text = res.stderr + "\n" + res.stdout
    if proj:
        text = text.replace(proj + "/", "").replace(proj, "<PROJECT>")
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for l in lines:
        if l.startswith(("FAILED", "TIMEOUT")):
            return l[:300]
    for l in lines:
        if l.startswith("ERROR ["):
            return l[:300]
    lines = [l.strip() for l in res.stderr.splitlines() if l.strip()] or lines
    for l in reversed(lines):
        if EXC_LINE.match(l):
            return l[:300]
    return lines[-1][:300] if lines else "exit %d" % res.rc


def first_diff(a, b):
    al, bl = a.splitlines(), b.splitlines()
    for i, (x, y) in enumerate(zip(al, bl)):
        if x != y:
            return "line %d: alembic %r, retort %r" % (i + 1, x[:160], y[:160])
    return "alembic %d lines, retort %d lines" % (len(al), len(bl))


def offline(proj, name, dialect, scripts, retort, env):
    ini = "alembic-%s.ini" % dialect
    jobs, meta = [], []
    for s in scripts:
        if not s.revision:
            continue
        down = s.down[0] if s.down else "base"
        for fn in ("upgrade", "downgrade"):
            if fn not in s.functions:
                continue
            rng = "%s:%s" % (down, s.revision) if fn == "upgrade" else "%s:%s" % (s.revision, down)
            jobs.append((proj, ["-c", ini, fn, rng, "--sql"]))
            meta.append((s, fn))
    ref = alembic_batch(jobs, 3600)
    funcs = []
    for (s, fn), (cwd, args), a in zip(meta, jobs, ref):
        r = run([retort] + args, cwd, STEP_TIMEOUT, env)
        np = needs_python(r.stderr + r.stdout)
        rec = {"revision": s.revision, "file": os.path.relpath(s.path, proj), "function": fn,
               "uses_project": s.functions[fn], "alembic_rc": a.rc, "retort_rc": r.rc,
               "merge": len(s.down) > 1}
        if s.revision in np:
            rec["status"], rec["reason"] = "python", np[s.revision]
            rec["route"], why = route(r.stderr + "\n" + r.stdout, s.revision)
            if why:
                rec["online_reason"] = why
        elif r.rc == 0:
            rec["status"], rec["route"] = "native", "native"
        elif np:
            rec["status"], rec["reason"] = "blocked", "an earlier step of the plan needs Python"
        else:
            rec["status"], rec["error"] = "failed", first_error(r, proj)
            if "cannot proceed in --sql mode" in rec["error"]:
                # SQLite batch mode that reflects the table: refused offline by both tools;
                # online Retort reads the live table and runs it natively (counted native,
                # and reported apart: no SQL to compare).
                rec["route"] = "native"
                if a.rc != 0 and "cannot proceed in --sql mode" in (a.stdout + a.stderr):
                    rec["status"], rec["online_only"] = "native", True
        if a.rc != 0:
            rec["alembic_error"] = first_error(a, proj)
        if a.rc == 0 and r.rc == 0:
            na = normalise(a, project_dir=proj)[1]
            nr = normalise(r, project_dir=proj)[1]
            if na != nr and alembic_also_writes(nr, cwd, args, proj):
                rec["alembic_varies"] = True
                na = nr
            rec["sql_equal"] = na == nr
            if na != nr:
                rec["sql_diff"] = first_diff(na, nr)
        funcs.append(rec)
    # The whole history as one script.
    whole = ["-c", ini, "upgrade", "heads", "--sql"]
    a = alembic_batch([(proj, whole)], 3600)[0]
    r = run([retort] + whole, proj, 600, env)
    full = {"alembic_rc": a.rc, "retort_rc": r.rc, "retort_seconds": round(r.seconds, 3)}
    if a.rc == 0 and r.rc == 0:
        full["equal"] = normalise(a, project_dir=proj)[1] == normalise(r, project_dir=proj)[1]
    if r.rc != 0:
        full["retort_error"] = first_error(r, proj)
    if a.rc != 0:
        full["alembic_error"] = first_error(a, proj)
    return funcs, full


def online(proj, name, dialect, base_url, retort, env, timeout):
    out = {}
    snaps = {}
    sqlite_dir = os.path.join(proj, "db")
    os.makedirs(sqlite_dir, exist_ok=True)
    tools = {"alembic": project.ALEMBIC, "retort": [retort]}
    ini = "alembic-%s.ini" % dialect
    for tool, cmd in tools.items():
        dbname = re.sub(r"\W", "_", "rw_%s_%s" % (name, tool)).lower()
        url = dbutil.fresh_database(dialect, base_url, dbname, sqlite_dir)
        project.set_url(proj, dialect, url)
        rec = {}
        up = run(cmd + ["-c", ini, "upgrade", "heads"], proj, timeout, env)
        rec["upgrade_rc"], rec["upgrade_seconds"] = up.rc, round(up.seconds, 3)
        if up.rc != 0:
            rec["upgrade_error"] = first_error(up, proj)
        if tool == "retort":
            rec["python_steps"] = len(needs_python(up.stderr + up.stdout))
            rec["bridged"] = sorted(bridged(up.stderr + "\n" + up.stdout))
        try:
            snaps[tool, "up"] = dbutil.schema_snapshot(url)
            rec["versions_after_upgrade"] = snaps[tool, "up"]["versions"]
        except Exception as e:  # noqa: BLE001 - a broken database is a result
            snaps[tool, "up"] = {"error": str(e)}
        if up.rc == 0:
            down = run(cmd + ["-c", ini, "downgrade", "base"], proj, timeout, env)
            rec["downgrade_rc"], rec["downgrade_seconds"] = down.rc, round(down.seconds, 3)
            if down.rc != 0:
                rec["downgrade_error"] = first_error(down, proj)
            if tool == "retort":
                rec["bridged"] = sorted(set(map(tuple, rec["bridged"])) | bridged(down.stderr + "\n" + down.stdout))
            try:
                snaps[tool, "down"] = dbutil.schema_snapshot(url)
                if snaps[tool, "down"]["retort_tables"]:
                    rec["left_after_downgrade"] = snaps[tool, "down"]["retort_tables"]
            except Exception as e:  # noqa: BLE001
                snaps[tool, "down"] = {"error": str(e)}
        dbutil.drop_database(dialect, base_url, url)
        out[tool] = rec
    for phase in ("up", "down"):
        a, r = snaps.get(("alembic", phase)), snaps.get(("retort", phase))
        if a is None or r is None or "error" in a or "error" in r:
            continue
        diff = dbutil.first_difference(a, r)
        out["schema_equal_" + phase] = diff is None
        if diff:
            out["schema_diff_" + phase] = diff[:400]
    if out.get("schema_equal_up") is False:
        out["retort_at_last_good_up"] = at_last_good(proj, name, dialect, base_url, env, timeout, out, snaps)
    return out


def at_last_good(proj, name, dialect, base_url, env, timeout, out, snaps):
    """Both tools failed at the same migration and left different schemas: is Retort's the
    schema Alembic builds up to the last migration that succeeded? (Alembic on SQLite keeps
    what the failing migration did before its error, DDL not being transactional there;
    Retort rolls the failing migration back whole.)"""
    a, r = out.get("alembic", {}), out.get("retort", {})
    if a.get("upgrade_rc") in (None, 0) or r.get("upgrade_rc") in (None, 0):
        return False
    if a.get("versions_after_upgrade") != r.get("versions_after_upgrade"):
        return False
    dbname = re.sub(r"\W", "_", "rw_%s_lastgood" % name).lower()
    url = dbutil.fresh_database(dialect, base_url, dbname, os.path.join(proj, "db"))
    project.set_url(proj, dialect, url)
    try:
        for rev in a["versions_after_upgrade"]:
            if run(project.ALEMBIC + ["-c", "alembic-%s.ini" % dialect, "upgrade", rev], proj, timeout, env).rc:
                return False
        reference = dbutil.schema_snapshot(url)
    except Exception:  # noqa: BLE001 - no reference, no claim
        return False
    finally:
        dbutil.drop_database(dialect, base_url, url)
    mine = snaps["retort", "up"]
    if not a["versions_after_upgrade"]:
        # Nothing succeeded: an empty version table (Alembic on SQLite leaves one too) is no difference.
        def without_version_table(snap):
            return dict(snap, tables={t: v for t, v in snap["tables"].items() if t != "alembic_version"})
        reference, mine = without_version_table(reference), without_version_table(mine)
    return dbutil.first_difference(reference, mine) is None


def confirm_bridged(funcs, on):
    """Marks the needs-Python functions the online run really ran through the bridge."""
    ran = set(map(tuple, (on.get("retort") or {}).get("bridged") or []))
    for f in funcs:
        if f.get("status") == "python" and (f["revision"], f["function"]) in ran:
            f["bridged_online"] = True


def read_list(path):
    """corpus.txt: name repo commit versions-path dialects [note]."""
    projects = {}
    if not os.path.exists(path):
        return projects
    with open(path) as f:
        for line in f:
            parts = line.split("#", 1)[0].split()
            if len(parts) >= 5:
                projects[parts[0]] = {"repo": parts[1], "commit": parts[2], "path": parts[3],
                                      "dialects": parts[4].split(",")}
    return projects


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--list", default=os.path.join(HERE, "corpus.txt"))
    ap.add_argument("--projects")
    ap.add_argument("--dialects", default=",".join(DIALECTS))
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "realworld"))
    ap.add_argument("--json")
    ap.add_argument("--md", default=os.path.join(ROOT, "bench", "results.md"))
    ap.add_argument("--no-online", action="store_true")
    ap.add_argument("--timeout", type=int, default=900, help="per online command (s)")
    o = ap.parse_args()
    retort = os.path.realpath(os.environ.get("RETORT_BIN", os.path.join(ROOT, "build", "app", "retort")))
    env = dict(os.environ, RETORT_PYTHON=os.environ.get("RETORT_PYTHON", "/usr/bin/python3"),
               SQLALCHEMY_SILENCE_UBER_WARNING="1")
    listed = read_list(o.list)
    names = o.projects.split(",") if o.projects else sorted(
        d for d in os.listdir(o.corpus) if os.path.isdir(os.path.join(o.corpus, d, "versions")))
    wanted = o.dialects.split(",")
    os.makedirs(o.work, exist_ok=True)
    jpath = o.json or os.path.join(o.work, "results.json")
    results = {"retort": retort, "date": time.strftime("%Y-%m-%d"), "projects": {}}
    for name in names:
        src = os.path.join(o.corpus, name, "versions")
        meta = listed.get(name, {"dialects": list(DIALECTS)})
        urls, skipped = {}, {}
        for d in DIALECTS:
            if d not in meta["dialects"]:
                continue
            if d not in wanted:
                skipped[d] = "not requested"
            elif d == "sqlite":
                urls[d] = "sqlite:///db/rw.db"
            elif os.environ.get(URL_ENV[d]):
                urls[d] = os.environ[URL_ENV[d]]
            else:
                skipped[d] = "no server ($%s unset)" % URL_ENV[d]
        proj = os.path.join(o.work, name)
        scripts = project.build(src, proj, urls)
        pres = {"meta": {k: v for k, v in meta.items()}, "scripts": len(scripts),
                "parse_errors": [os.path.relpath(s.path, proj) + ": " + s.error
                                 for s in scripts if s.error],
                "skipped": skipped, "dialects": {}}
        for d, url in urls.items():
            t0 = time.monotonic()
            print("realworld: %s %s offline ..." % (name, d), file=sys.stderr, flush=True)
            funcs, full = offline(proj, name, d, scripts, retort, env)
            dres = {"functions": funcs, "upgrade_heads_sql": full}
            if not o.no_online:
                print("realworld: %s %s online ..." % (name, d), file=sys.stderr, flush=True)
                dres["online"] = online(proj, name, d, url, retort, env, o.timeout)
                confirm_bridged(funcs, dres["online"])
                livecheck.check(proj, name, d, url, scripts, funcs, retort, env, run, needs_python,
                                o.timeout)
            dres["harness_seconds"] = round(time.monotonic() - t0, 1)
            pres["dialects"][d] = dres
            results["projects"][name] = pres
            with open(jpath, "w") as f:
                json.dump(results, f, indent=1)
        results["projects"][name] = pres
    with open(jpath, "w") as f:
        json.dump(results, f, indent=1)
    md = report.markdown(results)
    print(md)
    if o.md:
        report.update_results_md(o.md, md)
    print("realworld: JSON in %s" % jpath, file=sys.stderr)


if __name__ == "__main__":
    main()
