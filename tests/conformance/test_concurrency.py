"""Concurrent `retort upgrade head` runs on one database (issue 9, item 1).

A generated 30-revision project: the first revision creates a shared `counter` table,
every revision creates its own small table and inserts one row (its id) into `counter`.
In the "rows" variant the test creates `counter` beforehand and the revisions only insert
their row (no CREATE TABLE that would make a second application fail loudly): there a
broken lock shows as duplicate rows and two version rows rather than as an error.
Two (or three) runs are released at the same moment (they block on one pipe; closing its
write end wakes them together). After each race:
  * alembic_version holds exactly one row, the head;
  * `counter` holds exactly 30 rows, one per revision (each migration applied once),
    and all 30 tables exist;
  * every run exited 0, or 255 with a FAILED line about the migration lock (a loser that
    timed out waiting), and at least one run exited 0;
  * no run printed a raw database error (duplicate key, deadlock, "database is locked",
    driver noise, a traceback).
All races run, then the test fails with a per-race summary (the numbers say how often
the lock was broken). Plus: a run that has to wait says so (`INFO ... waiting for the
migration lock ...`), and `--lock-timeout 1` makes it give up with a FAILED line naming
the lock and exit 255 while the holder completes.

SQLite always; PostgreSQL (default env.py, and transaction_per_migration=True) and
MariaDB with RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL; a three-node Galera cluster
(tests/scripts/galera.sh) with RETORT_TEST_GALERA_URLS (runs on different nodes).
Env: RETORT_CONCURRENCY_RACES (races of two per variant, default 5),
RETORT_CONCURRENCY_RACES3 (races of three, default 2).
"""
import collections
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

import conformance as C

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEMO = os.path.join(ROOT, "resources", "demo")

RACES = int(os.environ.get("RETORT_CONCURRENCY_RACES", "5"))
RACES3 = int(os.environ.get("RETORT_CONCURRENCY_RACES3", "2"))
NREVS = 30
RUN_TIMEOUT = 180          # per race / per run, seconds (runs are killed after it)
HOLD_SECONDS = 6           # how long the first migration of the "slow" project takes
# Where the timeout option goes (added by another part of issue 9).
LOCK_TIMEOUT_ARGS = ["upgrade", "head", "--lock-timeout", "1"]

REVS = ["%012x" % (0xc0ffee000000 + i) for i in range(1, NREVS + 1)]
HEAD = REVS[-1]

# Text that must never reach the user from a concurrent run: what a database or a driver
# says when two runs collide, rather than a message about the lock.
RAW_ERROR = re.compile(
    r"duplicate|unique constraint|already exists|deadlock|database is locked|"
    r"could not serialize|violates|integrityerror|\b1062\b|\b1213\b|\b1050\b|"
    r"QSQLITE|QPSQL|QMYSQL|Traceback", re.I)
LOCK_FAILED = re.compile(r"^FAILED:.*migration lock", re.I | re.M)
WAITING = re.compile(r"^INFO\b.*waiting for the migration lock", re.I | re.M)

HEADER = '''"""step %(n)d

Revision ID: %(rev)s
Revises: %(down)s
"""
from alembic import op
import sqlalchemy as sa

revision = %(rev)r
down_revision = %(down_repr)s
branch_labels = None
depends_on = None


def upgrade() -> None:
%(up)s


def downgrade() -> None:
%(downbody)s
'''

TPM_OLD = "connection=connection, target_metadata=target_metadata\n"
TPM_NEW = "connection=connection, target_metadata=target_metadata,\n            transaction_per_migration=True\n"


def sqlite_hold_statement(seconds):
    """A recursive CTE that keeps SQLite busy for about `seconds` on this machine
    (calibrated with Python's sqlite3: SQLite has no sleep function)."""
    n = 200000
    c = sqlite3.connect(":memory:")
    t = time.monotonic()
    c.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %d) "
              "SELECT count(*) FROM c" % n).fetchall()
    per_row = max(time.monotonic() - t, 1e-3) / n
    c.close()
    rows = int(seconds / per_row)
    return ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %d) "
            "SELECT count(*) FROM c" % rows)


def hold_statement(kind, seconds):
    if kind == "sqlite":
        return sqlite_hold_statement(seconds)
    if kind == "postgresql":
        return "SELECT pg_sleep(%d)" % seconds
    return "SELECT SLEEP(%d)" % seconds


def write_project(d, url, tpm=False, hold=None, tables=True):
    """The 30-revision project in d; `hold`: a statement the first migration runs first;
    `tables`: the first revision creates `counter`, every revision its own table t01..t30
    (without: `counter` must exist already and the revisions only insert)."""
    versions = os.path.join(d, "migrations", "versions")
    os.makedirs(versions)
    shutil.copy(os.path.join(DEMO, "alembic.ini"), d)
    shutil.copy(os.path.join(DEMO, "migrations", "script.py.mako"), os.path.join(d, "migrations"))
    with open(os.path.join(DEMO, "migrations", "env.py")) as f:
        env = f.read()
    if tpm:
        assert TPM_OLD in env, "demo env.py changed: cannot add transaction_per_migration"
        env = env.replace(TPM_OLD, TPM_NEW)
    with open(os.path.join(d, "migrations", "env.py"), "w") as f:
        f.write(env)
    set_url(os.path.join(d, "alembic.ini"), url)
    for i, rev in enumerate(REVS):
        down = REVS[i - 1] if i else None
        up = []
        if i == 0 and hold:
            up.append("    op.execute(%r)" % hold)
        if i == 0 and tables:
            up.append("    op.create_table('counter', sa.Column('id', sa.Integer(), primary_key=True),\n"
                      "                    sa.Column('rev', sa.String(32), nullable=False))")
        if tables:
            up.append("    op.create_table('t%02d', sa.Column('id', sa.Integer(), primary_key=True))" % (i + 1))
        up.append("    op.execute(\"INSERT INTO counter (rev) VALUES ('%s')\")" % rev)
        downbody = ["    op.drop_table('t%02d')" % (i + 1)] if tables else ["    pass"]
        if i == 0 and tables:
            downbody.append("    op.drop_table('counter')")
        with open(os.path.join(versions, "%s_step_%02d.py" % (rev, i + 1)), "w") as f:
            f.write(HEADER % {"n": i + 1, "rev": rev, "down": down or "", "down_repr": repr(down),
                              "up": "\n".join(up), "downbody": "\n".join(downbody)})


def set_url(ini, url, out=None):
    with open(ini) as f:
        lines = [("sqlalchemy.url = " + url.replace("%", "%%")) if l.startswith("sqlalchemy.url") else l
                 for l in f.read().splitlines()]
    with open(out or ini, "w") as f:
        f.write("\n".join(lines) + "\n")


class Run:
    """One retort process with its output in files (no pipe can fill up and stall it)."""

    def __init__(self, argv, cwd, stdin=subprocess.DEVNULL, wrap=None):
        self.argv = argv
        self.out = tempfile.TemporaryFile()
        self.err = tempfile.TemporaryFile()
        env = dict(os.environ, LC_ALL="C.UTF-8")
        self.p = subprocess.Popen((wrap or []) + argv, cwd=cwd, stdin=stdin, stdout=self.out,
                                  stderr=self.err, env=env)
        self.rc = None
        self.text = ""

    def stderr_so_far(self):
        self.err.seek(0)
        return self.err.read().decode("utf-8", "replace")

    def wait(self, deadline):
        try:
            self.rc = self.p.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            self.rc = "TIMEOUT"
        for f in (self.out, self.err):
            f.seek(0)
        self.text = (self.out.read().decode("utf-8", "replace") + "\n"
                     + self.err.read().decode("utf-8", "replace"))
        self.out.close()
        self.err.close()
        return self.rc


def start_together(cmds):
    """cmds: [(argv, cwd)]. Every process first blocks reading one pipe; closing the only
    write end gives all of them end-of-file at the same moment, and each execs retort."""
    r, w = os.pipe()
    runs = []
    try:
        for argv, cwd in cmds:
            runs.append(Run(argv, cwd, stdin=r,
                            wrap=["/bin/sh", "-c", 'read _ || :; exec "$0" "$@" </dev/null']))
    finally:
        os.close(r)
        os.close(w)   # the release
    return runs


class _Concurrency(unittest.TestCase):
    kind = None
    label = None              # in the race report; default: kind
    env_var = None
    # Project variants raced: "tpm": env.py with transaction_per_migration=True; "rows":
    # `counter` made by the test, the revisions only insert their row (no table of their own).
    variants = ("default", "rows")

    @classmethod
    def setUpClass(cls):
        if not os.access(os.environ.get("RETORT_BIN", ""), os.X_OK):
            raise unittest.SkipTest("RETORT_BIN not set")
        if cls.kind != "sqlite" and not cls.server_urls():
            raise unittest.SkipTest("%s server URL not set (%s)" % (cls.kind, cls.env_var))

    # -- databases ------------------------------------------------------------------
    @classmethod
    def server_urls(cls):
        return [C.server_url(cls.kind)] if C.server_url(cls.kind) else []

    def node_urls(self, db):
        """URL each run connects through (one per node; one entry off a cluster)."""
        return [("sqlite:///" + db.path) if self.kind == "sqlite" else db.url]

    def new_database(self, d):
        db = C.Database(self.kind, (self.server_urls() or [None])[0])
        db.create(d)
        self.addCleanup(db.drop)
        return db

    def create_counter(self, db):
        import sqlalchemy as sa
        md = sa.MetaData()
        sa.Table("counter", md, sa.Column("id", sa.Integer(), primary_key=True),
                 sa.Column("rev", sa.String(32), nullable=False))
        eng = db.engine()
        try:
            with eng.begin() as c:
                md.create_all(c)
        finally:
            eng.dispose()

    def query(self, db, sql):
        eng = db.engine()
        try:
            with eng.connect() as c:
                return [tuple(r) for r in c.exec_driver_sql(sql)]
        finally:
            eng.dispose()

    # -- projects -------------------------------------------------------------------
    def project(self, variant="default", hold=None):
        """(project dir, database, [ini per node])"""
        tmp = tempfile.mkdtemp(prefix="retort-race-")
        self.addCleanup(shutil.rmtree, tmp, True)
        d = os.path.join(tmp, "p")
        os.makedirs(d)
        db = self.new_database(d)
        urls = self.node_urls(db)
        write_project(d, urls[0], tpm="tpm" in variant, hold=hold, tables="rows" not in variant)
        if "rows" in variant:
            self.create_counter(db)
        inis = ["alembic.ini"]
        for k, u in enumerate(urls[1:], start=2):
            name = "node%d.ini" % k
            set_url(os.path.join(d, "alembic.ini"), u, os.path.join(d, name))
            inis.append(name)
        return d, db, inis

    def argv(self, ini, args):
        return [os.environ["RETORT_BIN"], "-c", ini] + list(args)

    # -- checks ---------------------------------------------------------------------
    def state(self, db):
        rows = db.version_rows()
        tables = set(db.tables())
        counter = (self.query(db, "SELECT rev, COUNT(*) FROM counter GROUP BY rev")
                   if "counter" in tables else [])
        return rows, tables, dict(counter)

    def problems(self, db, runs, want_tables=True):
        """What went wrong in one race (empty: nothing), and a short summary of it."""
        rows, tables, counter = self.state(db)
        total = sum(counter.values())
        out = []
        if rows != [HEAD]:
            out.append("version rows %r" % (rows,))
        if total != NREVS or set(counter) != set(REVS):
            twice = sorted(r for r, n in counter.items() if n > 1)
            out.append("counter has %d rows (%d revisions applied more than once%s, %d missing)"
                       % (total, len(twice), (": " + twice[0] + "...") if twice else "",
                          len(set(REVS) - set(counter))))
        missing = ["t%02d" % i for i in range(1, NREVS + 1) if "t%02d" % i not in tables] if want_tables else []
        if missing:
            out.append("tables missing: %s" % ", ".join(missing))
        if not any(r.rc == 0 for r in runs):
            out.append("no run exited 0")
        for k, r in enumerate(runs):
            raw = RAW_ERROR.search(r.text)
            ok_exit = r.rc == 0 or (r.rc == 255 and LOCK_FAILED.search(r.text))
            if raw or not ok_exit:
                failed = [l for l in r.text.splitlines() if l.startswith("FAILED") or RAW_ERROR.search(l)]
                failed = list(dict.fromkeys(failed))[:2]   # the FAILED line and the raw error once
                out.append("run %d exit %s%s: %s" % (k + 1, r.rc, " (raw database error)" if raw else "",
                                                      " | ".join(failed) or r.text[-300:].strip()))
        summary = "version rows %d, counter rows %d, exits %s" % (
            len(rows or []), total, "/".join(str(r.rc) for r in runs))
        self.tally["two version rows"] += len(rows or []) > 1
        self.tally["duplicate counter rows"] += total > NREVS
        self.tally["raw database error"] += any(RAW_ERROR.search(r.text) for r in runs)
        return out, summary

    def race(self, variant, nodes):
        d, db, inis = self.project(variant)
        runs = start_together([(self.argv(inis[n % len(inis)], ["upgrade", "head"]), d) for n in nodes])
        deadline = time.monotonic() + RUN_TIMEOUT
        for r in runs:
            r.wait(deadline)
        return self.problems(db, runs, want_tables="rows" not in variant)

    def races(self, count, nprocs):
        report, bad = [], 0
        self.tally = collections.Counter()
        for variant in self.variants:
            for i in range(count):
                # Galera: the runs of a race go through different nodes, a different
                # pair each race (node = index mod cluster size).
                probs, summary = self.race(variant, [i + k for k in range(nprocs)])
                line = "%s %s race %d of %d (%d runs): %s" % (self.label or self.kind, variant, i + 1, count, nprocs, summary)
                if probs:
                    bad += 1
                    line += "\n    " + "\n    ".join(probs)
                report.append(line)
                print(line, file=sys.stderr)
        total = count * len(self.variants)
        tally = ", ".join("%s in %d" % kv for kv in sorted(self.tally.items()))
        print("%s: %d of %d races of %d runs failed (%s)" % (self.label or self.kind, bad, total, nprocs, tally),
              file=sys.stderr)
        self.assertEqual(bad, 0, "%d of %d races of %d runs broke the lock (%s):\n%s"
                         % (bad, total, nprocs, tally, "\n".join(report)))

    def test_races_of_two(self):
        self.races(RACES, 2)

    def test_races_of_three(self):
        self.races(RACES3, 3)

    # -- waiting and the timeout --------------------------------------------------------
    def start_holder(self):
        """A run whose first migration takes HOLD_SECONDS, seen to be inside it; then
        a second run through another node (on a cluster)."""
        d, db, inis = self.project(hold=hold_statement(self.kind, HOLD_SECONDS))
        deadline = time.monotonic() + RUN_TIMEOUT
        first = Run(self.argv(inis[0], ["upgrade", "head"]), d)
        while time.monotonic() < deadline and first.p.poll() is None:
            if ("-> %s" % REVS[0]) in first.stderr_so_far():
                break
            time.sleep(0.05)
        self.assertIn("-> %s" % REVS[0], first.stderr_so_far(),
                      "the first run never started its first migration")
        return d, db, inis[1 % len(inis)], first, deadline

    def setUp(self):
        self.tally = collections.Counter()

    def test_waiting_run_says_so(self):
        d, db, ini2, first, deadline = self.start_holder()
        second = Run(self.argv(ini2, ["upgrade", "head"]), d)
        first.wait(deadline)
        second.wait(deadline)
        self.assertRegex(second.text, WAITING, "the waiting run did not say it waits for the lock")
        probs, summary = self.problems(db, [first, second])
        self.assertEqual(probs, [], summary)
        self.assertEqual((first.rc, second.rc), (0, 0), second.text)

    def test_lock_timeout_gives_up(self):
        d, db, ini2, first, deadline = self.start_holder()
        t0 = time.monotonic()
        second = Run(self.argv(ini2, LOCK_TIMEOUT_ARGS), d)
        second.wait(deadline)
        waited = time.monotonic() - t0
        first_still_running = first.p.poll() is None
        first.wait(deadline)
        self.assertEqual(second.rc, 255, second.text)
        failed = [l for l in second.text.splitlines() if l.startswith("FAILED")]
        self.assertEqual(len(failed), 1, second.text)
        self.assertRegex(failed[0], re.compile("migration lock", re.I))
        self.assertIsNone(RAW_ERROR.search(second.text), second.text)
        # It gave up on its own, not because the holder finished first.
        self.assertTrue(first_still_running,
                        "the holder finished before the waiter gave up (waited %.1fs)" % waited)
        self.assertEqual(first.rc, 0, first.text)
        rows, tables, counter = self.state(db)
        self.assertEqual(rows, [HEAD])
        self.assertEqual(sorted(counter.items()), [(r, 1) for r in REVS])


class ConcurrencySQLite(_Concurrency):
    kind = "sqlite"


class ConcurrencyPostgreSQL(_Concurrency):
    kind = "postgresql"
    env_var = "RETORT_TEST_PG_URL"
    variants = ("default", "tpm", "rows", "rows-tpm")


class ConcurrencyMySQL(_Concurrency):
    kind = "mysql"
    env_var = "RETORT_TEST_MYSQL_URL"


class GaleraDatabase(C.Database):
    """A database created through node 1; reads wait until the node has applied every
    write the cluster committed before them (wsrep_sync_wait), so a check after a race
    sees the other nodes' commits."""

    def engine(self):
        import sqlalchemy as sa
        return sa.create_engine(self.url, poolclass=sa.pool.NullPool,
                                connect_args={"init_command": "SET SESSION wsrep_sync_wait=1"})


class ConcurrencyGalera(_Concurrency):
    """Runs through different nodes of the three-node cluster: run k uses node k.
    Note: even runs serialised outside retort (flock) fail here when a run reads the
    version table without causal reads: a node may apply a replicated DDL statement
    (total order) before the preceding version-row commit, so the next run sees an old
    version and re-runs a migration ("Table 't27' already exists"). With
    wsrep_sync_wait=1 the same serialised races all pass."""
    kind = "mysql"
    label = "galera"
    env_var = "RETORT_TEST_GALERA_URLS"

    @classmethod
    def server_urls(cls):
        return os.environ.get("RETORT_TEST_GALERA_URLS", "").split()

    def new_database(self, d):
        db = GaleraDatabase("mysql", self.server_urls()[0])
        db.create(d)
        self.addCleanup(db.drop)
        # CREATE DATABASE replicates in total order; wait (bounded) until every node has it.
        import sqlalchemy as sa
        for u in self.node_urls(db)[1:]:
            eng = sa.create_engine(u, poolclass=sa.pool.NullPool)
            deadline = time.monotonic() + 30
            while True:
                try:
                    with eng.connect():
                        break
                except sa.exc.OperationalError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            eng.dispose()
        return db

    def create_counter(self, db):
        super().create_counter(db)
        # The runs on the other nodes insert into it at once: wait until every node has it.
        import sqlalchemy as sa
        for u in self.node_urls(db)[1:]:
            eng = sa.create_engine(u, poolclass=sa.pool.NullPool,
                                   connect_args={"init_command": "SET SESSION wsrep_sync_wait=1"})
            try:
                with eng.connect() as c:
                    c.exec_driver_sql("SELECT COUNT(*) FROM counter").fetchall()
            finally:
                eng.dispose()

    def node_urls(self, db):
        from sqlalchemy.engine import make_url
        return [make_url(u).set(database=db.name).render_as_string(hide_password=False)
                for u in self.server_urls()]


if __name__ == "__main__":
    unittest.main()
