"""Group commit on SQLite: Retort runs the migrations of a run in one transaction, a
SAVEPOINT per migration, and commits about once a second (README, "Differences worth
knowing"). What this must not change, side by side with Alembic 1.8.1: a failing migration
leaves the ones before it applied and recorded, and itself absent; a killed run leaves the
version table naming exactly the migrations whose changes are in the database. What it does
change, and what transaction_per_migration=True turns off: another connection sees a
migration's commit only when its group commits.
"""
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
import unittest

import conformance as C
from test_failures import DEMO, point_at, write_rev

REF_PY = "/usr/bin/python3"
PER_MIGRATION = "connection=connection, target_metadata=target_metadata"
# About a second of SQLite work: a migration a kill can land in.
SLOW = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %d) "
        "SELECT count(*) FROM c")


def rev_id(i):
    return "%012x" % (0xa00000000000 + i)


def table_step(i):
    return ("    op.create_table('t%d', sa.Column('id', sa.Integer(), primary_key=True))" % i,
            "    op.drop_table('t%d')" % i)


class GroupCommitSQLite(unittest.TestCase):
    maxDiff = None

    def _project(self, bodies, per_migration=False):
        """A linear project: bodies[i] = (upgrade body, downgrade body) of revision i + 1."""
        tmp = tempfile.mkdtemp(prefix="retort-group-")
        self.addCleanup(shutil.rmtree, tmp, True)
        d = os.path.join(tmp, "p")
        os.makedirs(os.path.join(d, "migrations", "versions"))
        shutil.copy(os.path.join(DEMO, "alembic.ini"), d)
        for f in ("env.py", "script.py.mako"):
            shutil.copy(os.path.join(DEMO, "migrations", f), os.path.join(d, "migrations"))
        if per_migration:
            env = os.path.join(d, "migrations", "env.py")
            with open(env) as f:
                text = f.read()
            self.assertIn(PER_MIGRATION, text)
            with open(env, "w") as f:
                f.write(text.replace(PER_MIGRATION, PER_MIGRATION + ", transaction_per_migration=True"))
        versions = os.path.join(d, "migrations", "versions")
        down = None
        for i, (up, dn) in enumerate(bodies):
            write_rev(versions, rev_id(i + 1), down, up, dn, "step %d" % (i + 1))
            down = rev_id(i + 1)
        db = C.Database("sqlite")
        db.create(d)
        point_at(d, "sqlite:///" + db.path)
        return d, db

    def _env(self, **extra):
        env = dict(os.environ)
        env.setdefault("RETORT_PYTHON", REF_PY)
        env.update(extra)
        return env

    def _assert_consistent(self, db, n):
        """The version row names migration k, and exactly t1..tk exist."""
        rows = db.version_rows() or []
        self.assertLessEqual(len(rows), 1, rows)
        k = int(rows[0], 16) - 0xa00000000000 if rows else 0
        self.assertEqual(sorted(t for t in db.tables() if t != "alembic_version"),
                         sorted("t%d" % i for i in range(1, min(k, n) + 1)),
                         "version row %r" % rows)
        return k

    def test_failing_step_after_a_group(self):
        """Steps 1..4 share a group; step 5 fails at its first statement: both tools leave
        1..4 applied and recorded, 5 absent."""
        bodies = [table_step(i) for i in range(1, 5)]
        bodies.append(("    op.execute('INSERT INTO no_such_table VALUES (1)')\n" + table_step(5)[0],
                       table_step(5)[1]))
        bodies += [table_step(i) for i in range(6, 8)]
        results = {}
        for tool in ("retort", "alembic"):
            d, db = self._project(bodies)
            if tool == "retort":
                r = subprocess.run([os.environ["RETORT_BIN"], "upgrade", "head"], cwd=d, capture_output=True,
                                   text=True, env=self._env())
                self.assertEqual(r.returncode, 255, r.stdout + r.stderr)
                failed = [l for l in r.stdout.splitlines() if l.startswith("FAILED:")]
                self.assertEqual(len(failed), 1, r.stdout)
                self.assertIn(rev_id(5), failed[0])
                self.assertNotIn("rolled back too", failed[0])
            else:
                a = C.run_alembic(["upgrade", "head"], d)
                self.assertEqual(a.rc, 1, a.stderr[-2000:])
            results[tool] = (db.version_rows(), db.tables())
        self.assertEqual(results["retort"], results["alembic"])
        self.assertEqual(results["retort"][0], [rev_id(4)])

    def test_killed_mid_run_is_consistent(self):
        """Killed (SIGKILL) inside a slow migration after many fast ones, and again later:
        the version row always matches the schema, and a re-run completes."""
        bodies = []
        for i in range(1, 41):
            up, dn = table_step(i)
            if i in (12, 30):
                up += "\n    op.execute(%r)" % (SLOW % 10000000)
            bodies.append((up, dn))
        d, db = self._project(bodies)
        for slow in (12, 30):
            p = subprocess.Popen([os.environ["RETORT_BIN"], "upgrade", "head"], cwd=d, env=self._env(),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            deadline = time.time() + 120
            seen = ""
            while time.time() < deadline:
                line = p.stderr.readline()
                seen += line
                if "-> %s" % rev_id(slow) in line or not line:
                    break
            time.sleep(0.3)
            p.send_signal(signal.SIGKILL)
            p.wait()
            p.stderr.close()
            self.assertIn("-> %s" % rev_id(slow), seen)
            k = self._assert_consistent(db, 40)
            self.assertLess(k, slow)
        r = subprocess.run([os.environ["RETORT_BIN"], "upgrade", "head"], cwd=d, capture_output=True, text=True,
                           env=self._env())
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(self._assert_consistent(db, 40), 40)

    def _seen_during_step_two(self, tool, per_migration):
        """What another connection sees in the version table while migration 2 (a Python
        step on Retort's connection, through the bridge) sleeps, migration 1 being done."""
        mark = os.path.join(tempfile.mkdtemp(prefix="retort-mark-"), "mark")
        self.addCleanup(shutil.rmtree, os.path.dirname(mark), True)
        sleeper = ("    op.get_bind().execute(sa.text('SELECT count(*) FROM t1')).scalar()\n"
                   "    import os, time\n"
                   "    open(os.environ['RETORT_TEST_MARK'], 'w').close()\n"
                   "    time.sleep(4)\n" + table_step(2)[0])
        d, db = self._project([table_step(1), (sleeper, table_step(2)[1]), table_step(3)], per_migration)
        argv = [os.environ["RETORT_BIN"]] if tool == "retort" else [REF_PY, "-m", "alembic"]
        p = subprocess.Popen(argv + ["upgrade", "head"], cwd=d, env=self._env(RETORT_TEST_MARK=mark),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 120
        while not os.path.exists(mark) and p.poll() is None and time.time() < deadline:
            time.sleep(0.05)
        self.assertTrue(os.path.exists(mark), "migration 2 never started")
        c = sqlite3.connect(db.path, timeout=10)
        try:
            seen = [r[0] for r in c.execute("SELECT version_num FROM alembic_version")]
        finally:
            c.close()
        out = p.communicate(timeout=120)[0]
        self.assertEqual(p.returncode, 0, out)
        self.assertEqual(db.version_rows(), [rev_id(3)])
        return seen, out

    def test_transaction_per_migration_commits_each_step(self):
        """transaction_per_migration=True: migration 1 is committed before migration 2 ends,
        under Retort as under Alembic."""
        for tool in ("retort", "alembic"):
            seen, out = self._seen_during_step_two(tool, True)
            self.assertEqual(seen, [rev_id(1)], "%s:\n%s" % (tool, out))

    def test_group_commits_later(self):
        """Without it, Retort's migration 1 waits for its group: another connection still
        sees the version table empty while migration 2 runs (Alembic has committed it)."""
        seen, out = self._seen_during_step_two("retort", False)
        self.assertIn("Bridged: upgrade %s -> %s" % (rev_id(1), rev_id(2)), out)
        self.assertEqual(seen, [], out)
        seen, out = self._seen_during_step_two("alembic", False)
        self.assertEqual(seen, [rev_id(1)], out)


if __name__ == "__main__":
    unittest.main()
