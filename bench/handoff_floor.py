#!/usr/bin/python3
"""Lower bounds for the hand-off bench: can *any* design that serves needs-Python steps with
the project's own Python reach 3x Alembic's time?

usage: bench/handoff_floor.py [--ns 200,1000] [--share 0.2] [--repeat 3] [--pg URL] [--out FILE]

For each project size and dialect (SQLite always; PostgreSQL when --pg or $RETORT_TEST_PG_URL
names a server), on a project from bench/gen_python_project.py:
  alembic   best wall time of `python3 -m alembic` for the command (online, own database);
  budget    that time / 3: what Retort may take to be 3x faster;
  import    best time of a bare `python3 -c "import alembic.context, sqlalchemy"` — what a run
            pays before its first needs-Python step can be rendered or run, however the worker
            is organised (a fresh process per run, as Alembic);
  server    the database's own work: Alembic's offline SQL for the command (`--sql`), sent in
            ONE round trip inside one transaction on a fresh database (no client work at all;
            an underestimate: the online-only reads of the bridged steps are not in it);
  floor     max(import, server share before the first needs-Python step) + the server share
            from that step on (steps taken as equally costly).
A run cannot be faster than its floor; where floor > budget, 3x is out of reach for a design
that starts Python per run. Nothing here measures Retort; bench/python_handoff_bench.sh does.
"""
import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time

PY = "/usr/bin/python3"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        times.append(fn())
    return min(times)


def timed_run(args, cwd):
    t = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


class Db:
    """A fresh database per use: a SQLite file, or a PostgreSQL database on the given server."""

    def __init__(self, pg, workdir):
        self.pg, self.workdir, self.n = pg, workdir, 0
        self.made = []

    def fresh(self):
        self.n += 1
        if not self.pg:
            path = os.path.join(self.workdir, "floor_%d.db" % self.n)
            if os.path.exists(path):
                os.unlink(path)
            return "sqlite:///" + path
        import sqlalchemy as sa
        name = "retort_floor_%d_%d" % (os.getpid(), self.n)
        e = sa.create_engine(self.pg, isolation_level="AUTOCOMMIT")
        with e.connect() as c:
            c.exec_driver_sql("DROP DATABASE IF EXISTS " + name)
            c.exec_driver_sql("CREATE DATABASE " + name)
        e.dispose()
        self.made.append(name)
        from sqlalchemy.engine import make_url
        return make_url(self.pg).set(database=name).render_as_string(hide_password=False)

    def drop_all(self):
        if not self.pg:
            return
        import sqlalchemy as sa
        e = sa.create_engine(self.pg, isolation_level="AUTOCOMMIT")
        with e.connect() as c:
            for name in self.made:
                c.exec_driver_sql("DROP DATABASE IF EXISTS " + name)
        e.dispose()


def set_url(project, url):
    ini = os.path.join(project, "alembic.ini")
    with open(ini) as f:
        text = f.read()
    with open(ini, "w") as f:
        f.write(re.sub(r"^sqlalchemy\.url = .*$", lambda m: "sqlalchemy.url = " + url, text, flags=re.M))


def alembic(project, *args):
    return timed_run([PY, "-m", "alembic"] + list(args), project)


def offline_sql(project, *args):
    out = subprocess.run([PY, "-m", "alembic"] + list(args) + ["--sql"], cwd=project, check=True,
                         capture_output=True, text=True).stdout
    # One transaction of our own around everything (Alembic's BEGIN/COMMIT lines dropped).
    body = "\n".join(l for l in out.splitlines() if l.strip() not in ("BEGIN;", "COMMIT;"))
    return "BEGIN;\n" + body + "\nCOMMIT;\n"


def server_time(url, sql):
    if url.startswith("sqlite"):
        con = sqlite3.connect(url[len("sqlite:///"):], isolation_level=None)
        t = time.perf_counter()
        con.executescript(sql)
        took = time.perf_counter() - t
        con.close()
        return took
    import psycopg2
    con = psycopg2.connect(url)
    con.autocommit = True
    t = time.perf_counter()
    con.cursor().execute(sql)
    took = time.perf_counter() - t
    con.close()
    return took


def first_python_step(project):
    revs = open(os.path.join(project, "revisions.txt")).read().split()
    vdir = os.path.join(project, "migrations", "versions")
    names = {f.split("_", 1)[0]: f for f in os.listdir(vdir) if f.endswith(".py")}
    for i, r in enumerate(revs):
        if names[r].endswith("_python.py"):
            return i, len(revs)
    return len(revs), len(revs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ns", default="200,1000")
    ap.add_argument("--share", type=float, default=0.2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pg", default=os.environ.get("RETORT_TEST_PG_URL", ""))
    ap.add_argument("--out", default="")
    a = ap.parse_args()

    imp = best(lambda: timed_run([PY, "-c", "import alembic.context, sqlalchemy"], "/"), max(5, a.repeat))
    rows = []
    with tempfile.TemporaryDirectory(prefix="retort-floor.") as work:
        for dialect in ["sqlite"] + (["postgresql"] if a.pg else []):
            db = Db(a.pg if dialect == "postgresql" else "", work)
            try:
                for n in [int(x) for x in a.ns.split(",")]:
                    project = os.path.join(work, "%s_%d" % (dialect, n))
                    subprocess.run([PY, os.path.join(ROOT, "bench", "gen_python_project.py"), str(n), project,
                                    "--python-share", str(a.share)], check=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    first, total = first_python_step(project)
                    for command in ("upgrade", "downgrade"):
                        def run_alembic():
                            set_url(project, db.fresh())
                            if command == "upgrade":
                                return alembic(project, "upgrade", "head")
                            alembic(project, "upgrade", "head")
                            return alembic(project, "downgrade", "base")
                        al = best(run_alembic, a.repeat)
                        set_url(project, db.fresh())
                        if command == "upgrade":
                            sql = offline_sql(project, "upgrade", "head")
                            url = db.fresh()
                        else:
                            sql = offline_sql(project, "downgrade", "head:base")
                            url = db.fresh()
                            set_url(project, url)
                            alembic(project, "upgrade", "head")
                        srv = server_time(url, sql)
                        # Downgrades run from the head: the first needs-Python step met is the last one.
                        before = first / total if command == "upgrade" else 0.0
                        floor = max(imp, srv * before) + srv * (1 - before)
                        rows.append((n, dialect, command, al, al / 3, imp, srv, floor))
                        print("%d %s %s: alembic %.3f budget %.3f import %.3f server %.3f floor %.3f"
                              % rows[-1], file=sys.stderr)
                    sql_al = best(lambda: alembic(project, "upgrade", "head", "--sql"), a.repeat)
                    rows.append((n, dialect, "upgrade --sql", sql_al, sql_al / 3, imp, 0.0, imp))
            finally:
                db.drop_all()

    lines = ["| revisions | database | command | alembic (s) | 3x budget (s) | import (s) | server (s) "
             "| floor (s) | 3x reachable |", "|---:|---|---|---:|---:|---:|---:|---:|---|"]
    for n, dialect, command, al, budget, imp_, srv, floor in rows:
        lines.append("| %d | %s | `%s` | %.3f | %.3f | %.3f | %.3f | %.3f | %s |"
                     % (n, dialect, command, al, budget, imp_, srv, floor, "yes" if floor <= budget else "no"))
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
