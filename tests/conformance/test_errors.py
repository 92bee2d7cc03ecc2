"""Error contract.

1. Handled errors compared with Alembic (stdout, stderr, exit code): `FAILED: <message>`
   and exit 255 for unknown revisions, ambiguous partial ids, too-short partial ids,
   multiple heads for `upgrade head`, bad ranges; exit 2 for argument errors.
2. Bad input where Alembic may crash with a traceback (cycle, missing parent, duplicate
   branch label, revision script with a syntax error, broken ini, unreachable database):
   Retort must exit non-zero with exactly one clear `FAILED:` line (stdout or stderr)
   whose message (that line and any continuation lines) names the culprit, no
   traceback, and leave the database untouched.
"""
import os
import sqlite3
import unittest

import conformance as C


class ErrorContract(C.ConformanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.revs = C.generate_graph(C.SEEDS[0])
        cls.g = C.Graph(cls.revs)
        cls.project = C.Project(cls.revs)

    @classmethod
    def tearDownClass(cls):
        cls.project.cleanup()
        super().tearDownClass()

    def test_handled_errors(self):
        ref, mine = self.compare_many(self.project, C.error_cases(self.g),
                                      labels=set(self.g.labels), prog=True)
        # the contract itself, checked on the reference so the cases stay meaningful
        for (label, args), a in zip(C.error_cases(self.g), ref):
            if label == "show-too-short":
                continue  # a unique 3-char prefix still resolves in `show`; compared only
            if label.startswith("arg-"):
                self.assertEqual(a.rc, 2, label)
            else:
                self.assertEqual(a.rc, 255, label)
                self.assertTrue(a.stdout.startswith("FAILED: "), label)


def _linear(n=4, seed=5):
    import random
    rng = random.Random(seed)
    revs = []
    for i in range(n):
        r = C.Rev(C._hexid(rng), (revs[-1].id,) if revs else ())
        r.message = "step %d" % i
        revs.append(r)
    return revs


def _sentinel_db(path, version):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    con.execute("INSERT INTO alembic_version VALUES (?)", (version,))
    con.execute("CREATE TABLE sentinel (x INTEGER)")
    con.execute("INSERT INTO sentinel VALUES (42)")
    con.commit()
    con.close()


def _dump(path):
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


class BadInput(C.ConformanceCase):
    """Retort only (Alembic's behaviour here is a traceback or a warning)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if os.environ.get("RETORT_SELFTEST"):
            raise unittest.SkipTest("self-test with the reference Alembic: it does not "
                                    "meet the bad-input contract (Retort must)")

    def check_clean_failure(self, project, args, culprits, db=True):
        dbpath = os.path.join(project.dir, "test.db")
        if db:
            _sentinel_db(dbpath, project.revs[0].id)
            before = _dump(dbpath)
        r = C.run_retort(args, project.dir)
        both = r.stdout + r.stderr
        failed = [l for l in both.splitlines() if l.startswith("FAILED:")]
        msg = "retort %s\nrc=%s\nstdout:\n%s\nstderr:\n%s" % (" ".join(args), r.rc, r.stdout, r.stderr)
        self.assertNotEqual(r.rc, 0, msg)
        self.assertNotIn("Traceback", both, msg)
        self.assertEqual(len(failed), 1, "expected exactly one FAILED: line\n" + msg)
        # the message may continue on following lines (ConfigParser's multi-line text)
        message = both[both.index(failed[0]):]
        self.assertTrue(any(c in message for c in culprits),
                        "FAILED message should name one of %r\n%s" % (culprits, msg))
        if db:
            self.assertEqual(before, _dump(dbpath), "database was modified\n" + msg)

    def _project(self, mutate):
        revs = _linear()
        mutate(revs)
        p = C.Project(revs)
        self.addCleanup(p.cleanup)
        return p, revs

    def _both(self, p, culprits):
        for args in (["upgrade", "heads"], ["heads"]):
            with self.subTest(args=args):
                self.check_clean_failure(p, args, culprits, db=(args[0] == "upgrade"))

    def test_cycle(self):
        def m(revs):
            revs[0].down = (revs[-1].id,)
        p, revs = self._project(m)
        self._both(p, [r.id for r in revs] + [r.filename for r in revs])

    def test_missing_parent(self):
        def m(revs):
            revs[2].down = ("deadbeefcafe",)
        p, revs = self._project(m)
        self._both(p, ["deadbeefcafe", revs[2].id, revs[2].filename])

    def test_duplicate_branch_label(self):
        def m(revs):
            revs[1].labels = ("dup",)
            revs[3].labels = ("dup",)
        p, revs = self._project(m)
        self._both(p, ["dup"])

    def test_syntax_error(self):
        revs = _linear()
        p = C.Project(revs)
        self.addCleanup(p.cleanup)
        bad = revs[2]
        path = os.path.join(p.dir, "migrations", "versions", bad.filename)
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace("def upgrade() -> None:", "def upgrade( -> None:"))
        self._both(p, [bad.filename])

    def test_broken_ini(self):
        revs = _linear()
        p = C.Project(revs)
        self.addCleanup(p.cleanup)
        with open(p.ini, "w") as f:
            f.write("[alembic\nscript_location = migrations\nthis is not ini\n")
        self._both(p, ["alembic.ini"])

    def test_unreachable_database(self):
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()  # nothing listens there now
        revs = _linear()
        p = C.Project(revs, url="postgresql://nobody@127.0.0.1:%d/nodb" % port)
        self.addCleanup(p.cleanup)
        for args in (["upgrade", "heads"], ["current"]):
            with self.subTest(args=args):
                self.check_clean_failure(p, args, [str(port), "127.0.0.1", "nodb"], db=False)

    # ---- issue 9: hostile ids, unreadable files, URL options, masked passwords ----------

    HOSTILE = "r1'); DROP TABLE x; SELECT ('"

    def _hostile_project(self, url=None):
        revs = _linear(3)
        revs[1].id = self.HOSTILE
        revs[1].filename = "hostile_rev.py"
        revs[2].down = (self.HOSTILE,)
        p = C.Project(revs, url=url)
        self.addCleanup(p.cleanup)
        return p, revs

    def _check_hostile_run(self, p, revs, db):
        """`upgrade head` stores the hostile id as data; table x survives."""
        import sqlalchemy as sa
        eng = db.engine()
        try:
            with eng.begin() as c:
                c.exec_driver_sql("CREATE TABLE x (y INTEGER)")
        finally:
            eng.dispose()
        for target in (revs[1].id, "head"):
            r = C.run_retort(["upgrade", target], p.dir)
            msg = "rc=%s\nstdout:\n%s\nstderr:\n%s" % (r.rc, r.stdout, r.stderr)
            self.assertEqual(r.rc, 0, msg)
            # reading such an id warns, naming the file
            self.assertIn(revs[1].filename, r.stderr, msg)
            self.assertIn("contains a quote", r.stderr, msg)
            self.assertIn("x", db.tables(), msg)
            self.assertEqual(db.version_rows(), [self.HOSTILE if target != "head" else revs[2].id], msg)
        r = C.run_retort(["downgrade", "-1"], p.dir)
        self.assertEqual(r.rc, 0, r.stdout + r.stderr)
        self.assertEqual(db.version_rows(), [self.HOSTILE])
        self.assertIn("x", db.tables())

    def test_hostile_revision_id_sqlite(self):
        p, revs = self._hostile_project()
        db = C.Database("sqlite")
        db.create(p.dir)
        self._check_hostile_run(p, revs, db)

    def test_hostile_revision_id_postgresql(self):
        server = C.server_url("postgresql")
        if not server:
            self.skipTest("server URL not set: RETORT_TEST_PG_URL")
        db = C.Database("postgresql", server)
        url = db.create(None)
        self.addCleanup(db.drop)
        p, revs = self._hostile_project(url)
        self._check_hostile_run(p, revs, db)

    def test_rev_id_refused(self):
        p, revs = self._project(lambda revs: None)
        vdir = os.path.join(p.dir, "migrations", "versions")
        before = sorted(os.listdir(vdir))
        for rev_id in (self.HOSTILE, "a b", "a;b", "a\\b", 'a"b'):
            with self.subTest(rev_id=rev_id):
                r = C.run_retort(["revision", "-m", "x", "--rev-id", rev_id], p.dir)
                msg = "rc=%s\nstdout:\n%s\nstderr:\n%s" % (r.rc, r.stdout, r.stderr)
                self.assertEqual(r.rc, 255, msg)
                failed = [l for l in r.stdout.splitlines() if l.startswith("FAILED:")]
                self.assertEqual(len(failed), 1, msg)
                self.assertIn("Retort refuses quotes, whitespace, semicolons and backslashes", failed[0])
                self.assertEqual(sorted(os.listdir(vdir)), before, msg)

    def _as_nobody(self, args, cwd):
        """Runs retort where a chmod 000 really denies access: as nobody when root."""
        if os.geteuid() != 0:
            return C.run_retort(args, cwd)
        import shutil
        setpriv = shutil.which("setpriv")
        if not setpriv:
            self.skipTest("running as root without setpriv: chmod 000 cannot deny access")
        return C._run([setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                       C.RETORT_BIN] + list(args), cwd)

    def _nobody_project(self):
        p, revs = self._project(lambda revs: None)
        # mkdtemp's 0700 would hide everything from nobody; writable so that the SQLite
        # database can be created and the failure is the one under test
        os.chmod(p.dir, 0o777)
        return p, revs

    def check_nobody_failure(self, p, args, culprit):
        r = self._as_nobody(args, p.dir)
        both = r.stdout + r.stderr
        msg = "retort %s\nrc=%s\nstdout:\n%s\nstderr:\n%s" % (" ".join(args), r.rc, r.stdout, r.stderr)
        failed = [l for l in both.splitlines() if l.startswith("FAILED:")]
        self.assertEqual(r.rc, 255, msg)
        self.assertEqual(len(failed), 1, msg)
        self.assertIn(culprit, failed[0], msg)
        self.assertIn("Permission denied", failed[0], msg)

    def test_unreadable_versions_dir(self):
        p, revs = self._nobody_project()
        vdir = os.path.join(p.dir, "migrations", "versions")
        os.chmod(vdir, 0)
        self.addCleanup(os.chmod, vdir, 0o755)
        for args in (["heads"], ["history"], ["upgrade", "head"], ["upgrade", "head", "--sql"]):
            with self.subTest(args=args):
                self.check_nobody_failure(p, args, vdir)
        # the run stopped before the version table (it used to create an empty one)
        dbpath = os.path.join(p.dir, "test.db")
        if os.path.exists(dbpath):
            con = sqlite3.connect(dbpath)
            try:
                tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master")]
            finally:
                con.close()
            self.assertNotIn("alembic_version", tables)

    def test_unreadable_script_and_env_py(self):
        p, revs = self._nobody_project()
        script = os.path.join(p.dir, "migrations", "versions", revs[2].filename)
        os.chmod(script, 0)
        self.check_nobody_failure(p, ["heads"], script)
        os.chmod(script, 0o644)
        env_py = os.path.join(p.dir, "migrations", "env.py")
        os.chmod(env_py, 0)
        self.check_nobody_failure(p, ["upgrade", "head", "--sql"], env_py)

    def test_url_before_and_after_command(self):
        p, revs = self._project(lambda revs: None)
        for where in ("before", "after"):
            with self.subTest(where=where):
                other = os.path.join(p.dir, "other-%s.db" % where)
                url = "sqlite:///" + other
                args = (["--url", url, "upgrade", "head"] if where == "before"
                        else ["upgrade", "head", "--url", url])
                r = C.run_retort(args, p.dir)
                self.assertEqual(r.rc, 0, r.stdout + r.stderr)
                con = sqlite3.connect(other)
                try:
                    rows = [row[0] for row in con.execute("SELECT version_num FROM alembic_version")]
                finally:
                    con.close()
                self.assertEqual(rows, [revs[-1].id])
        self.assertFalse(os.path.exists(os.path.join(p.dir, "test.db")), "the ini's database was used")
        r = C.run_retort(["--help"], p.dir)
        self.assertIn("\nRetort options:\n  --url URL", r.stdout)
        self.assertIn("--lock-timeout SECONDS", r.stdout)

    def test_unknown_driver_like_alembic(self):
        p, revs = self._project(lambda revs: None)
        p.set_url("postgresql+nosuch://u@127.0.0.1/db")
        expected = "Can't load plugin: sqlalchemy.dialects:postgresql.nosuch"
        ref = C.run_alembic(["upgrade", "head"], p.dir)
        # Alembic's own text, so that the case stays meaningful
        self.assertTrue(ref.stderr.rstrip().endswith("NoSuchModuleError: " + expected), ref.stderr)
        for args in (["upgrade", "head"], ["upgrade", "head", "--sql"], ["current"]):
            with self.subTest(args=args):
                self.check_clean_failure(p, args, [expected], db=False)
                r = C.run_retort(args, p.dir)
                self.assertIn("FAILED: " + expected, r.stdout)

    def test_query_password_masked(self):
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()  # nothing listens there now
        p, revs = self._project(lambda revs: None)
        for url in ("postgresql://nobody@127.0.0.1:%d/nodb?password=s3cretQ" % port,
                    "postgresql://nobody@127.0.0.1:%d/nodb?sslmode=disable&password=s3cretQ" % port,
                    "mysql://nobody@127.0.0.1:%d/nodb?password=s3cretQ" % port):
            for args in (["upgrade", "head"], ["current", "--verbose"]):
                with self.subTest(url=url, args=args):
                    for r in (C.run_retort(["--url", url] + args, p.dir),
                              C.run_retort(args + ["--url", url], p.dir)):
                        both = r.stdout + r.stderr
                        self.assertEqual(r.rc, 255, both)
                        self.assertNotIn("s3cretQ", both)
                        self.assertIn("password=***", both)

    def test_dead_connection_has_no_driver_noise_postgresql(self):
        """The server ends the session mid-migration: one FAILED: line, no Qt driver lines."""
        import subprocess
        import time
        import sqlalchemy as sa
        server = C.server_url("postgresql")
        if not server:
            self.skipTest("server URL not set: RETORT_TEST_PG_URL")
        db = C.Database("postgresql", server)
        url = db.create(None)
        self.addCleanup(db.drop)
        revs = _linear(2)
        revs[1].body_up = 'op.execute("SELECT pg_sleep(60)")'
        p = C.Project(revs, url=url)
        self.addCleanup(p.cleanup)
        proc = subprocess.Popen([C.RETORT_BIN, "upgrade", "head"], cwd=p.dir,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        try:
            killed = 0
            deadline = time.monotonic() + 60
            while not killed and time.monotonic() < deadline and proc.poll() is None:
                with admin.connect() as c:
                    killed = c.execute(sa.text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = :d AND query LIKE :q"),
                        {"d": db.name, "q": "SELECT pg_sleep%"}).scalar()
                time.sleep(0.1)
        finally:
            admin.dispose()
        out, err = proc.communicate(timeout=60)
        out, err = out.decode(), err.decode()
        msg = "killed=%s rc=%s\nstdout:\n%s\nstderr:\n%s" % (killed, proc.returncode, out, err)
        self.assertEqual(killed, 1, msg)
        self.assertEqual(proc.returncode, 255, msg)
        self.assertEqual(len([l for l in out.splitlines() if l.startswith("FAILED:")]), 1, msg)
        self.assertIn("terminating connection", out, msg)
        for noise in ("QPSQL", "QSqlQuery", "Database not open"):
            self.assertNotIn(noise, err, msg)


if __name__ == "__main__":
    unittest.main(verbosity=2)
