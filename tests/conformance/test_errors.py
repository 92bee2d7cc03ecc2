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


if __name__ == "__main__":
    unittest.main(verbosity=2)
