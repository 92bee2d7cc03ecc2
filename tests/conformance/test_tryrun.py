"""try/except/else/finally, print(), logging calls and autocommit blocks in revision
scripts, run natively by Retort and by Alembic side by side, ONLINE: a statement inside a
try suite fails on the database and the handler, else and finally suites, the statements
after them and the version table must end as under Alembic on that dialect (PostgreSQL
aborts the transaction, so a handler that swallows the error leaves later statements
failing; MariaDB and SQLite go on). Compared per scenario: exit status (0 or not), stdout
(print output), the scripts' log records on stderr, schema, version rows and table data.
Retort must run these steps natively (no hand-off to Python).
SQLite always; PostgreSQL / MariaDB when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set.
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import conformance as C
from test_failures import DEMO, point_at, schema_snapshot

HEADER = '''"""%(msg)s

Revision ID: %(rev)s
Revises: %(down)s
"""
import logging

from alembic import op
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

revision = "%(rev)s"
down_revision = %(down_repr)s
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

'''

BASE = '''def upgrade():
    op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("x", sa.Integer()))
    op.create_index("ix_t_x", "t", ["x"])
    op.execute("INSERT INTO t (id, x) VALUES (1, 1)")


def downgrade():
    op.drop_table("t")
'''

# Each scenario: the second revision's upgrade() body. The first statement in `try` fails
# on every dialect (the index does not exist).
SCENARIOS = {
    # The handler swallows the error and runs more statements; PostgreSQL fails there.
    "handled": '''
    op.execute("INSERT INTO t (id, x) VALUES (2, 2)")
    try:
        op.drop_index("ix_missing", table_name="t")
        op.execute("INSERT INTO t (id, x) VALUES (3, 3)")
    except Exception:
        print("drop failed")
        log.warning("could not drop %s", "ix_missing")
        op.execute("INSERT INTO t (id, x) VALUES (4, 4)")
    else:
        print("else ran")
    finally:
        print("finally ran")
    op.create_table("after_try", sa.Column("id", sa.Integer(), primary_key=True))
''',
    # Nothing runs after the handler in the migration itself; the version table update does.
    "handled_quiet": '''
    try:
        op.drop_index("ix_missing", table_name="t")
    except Exception as e:
        pass
    print("after")
''',
    # A typed clause that does not match, then one that does (per-dialect DBAPI classes).
    "typed": '''
    try:
        op.drop_index("ix_missing", table_name="t")
    except IntegrityError:
        print("integrity")
    except (OperationalError, ProgrammingError):
        print("operational or programming")
    except sa.exc.DBAPIError:
        print("dbapi")
''',
    # No clause matches: the error propagates after finally.
    "unmatched": '''
    try:
        op.drop_index("ix_missing", table_name="t")
    except IntegrityError:
        print("integrity")
    finally:
        print("finally ran")
    op.execute("INSERT INTO t (id, x) VALUES (5, 5)")
''',
    # The handler re-raises.
    "reraise": '''
    try:
        op.drop_index("ix_missing", table_name="t")
    except:
        print("re-raising")
        raise
''',
    # Nothing fails: else and finally run, with logging at several levels.
    "clean": '''
    try:
        op.execute("INSERT INTO t (id, x) VALUES (6, 6)")
    except sa.exc.SQLAlchemyError:
        print("never")
    else:
        logging.warning("else %d", 1)
        log.info("not shown at WARN")
    finally:
        print("finally", 2, None, sep="|")
''',
    # An autocommit block: the transaction is committed before it, begun again after.
    "autocommit": '''
    op.execute("INSERT INTO t (id, x) VALUES (7, 7)")
    with op.get_context().autocommit_block():
        op.create_index("ix_t_id_x", "t", ["id", "x"])
        print("in autocommit")
    op.execute("INSERT INTO t (id, x) VALUES (8, 8)")
''',
    # Needs Python (os.environ), rendered by Alembic: its print output still goes where
    # Alembic's does (stdout at that point; in --sql between the statements).
    "rendered_print": '''
    import os
    print("rendered", os.environ.get("RETORT_TRYRUN_UNSET", "default"))
    op.execute("INSERT INTO t (id, x) VALUES (9, 9)")
    print("after insert")
''',
    # PostgreSQL refuses CREATE INDEX CONCURRENTLY inside a transaction block.
    "concurrently": '''
    op.execute("INSERT INTO t (id, x) VALUES (7, 7)")
    with op.get_context().autocommit_block():
        op.execute("CREATE INDEX CONCURRENTLY ix_t_id_x ON t (id, x)")
    op.execute("INSERT INTO t (id, x) VALUES (8, 8)")
''',
}


def write_rev(versions, rev, down, body, msg):
    text = HEADER % {"msg": msg, "rev": rev, "down": down or "", "down_repr": repr(down)}
    with open(os.path.join(versions, "%s_%s.py" % (rev, msg)), "w") as f:
        f.write(text + body)


def script_log_lines(stderr):
    """The records of the scripts' own loggers (root and the module loggers)."""
    return [l for l in stderr.splitlines() if re.match(r"^(WARNI|INFO |ERROR) \[(root|[0-9a-f]{12}_\w+_py)\]", l)]


class _TryRun(unittest.TestCase):
    kind = None
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        if not C.RETORT_BIN:
            raise unittest.SkipTest("RETORT_BIN not set")
        if cls.kind != "sqlite" and not C.server_url(cls.kind):
            raise unittest.SkipTest("%s server URL not set (RETORT_TEST_%s_URL)" % (
                cls.kind, "PG" if cls.kind == "postgresql" else "MYSQL"))

    def _project(self, body):
        tmp = tempfile.mkdtemp(prefix="retort-tryrun-")
        self.addCleanup(shutil.rmtree, tmp, True)
        d = os.path.join(tmp, "p")
        os.makedirs(os.path.join(d, "migrations", "versions"))
        shutil.copy(os.path.join(DEMO, "alembic.ini"), d)
        for f in ("env.py", "script.py.mako"):
            shutil.copy(os.path.join(DEMO, "migrations", f), os.path.join(d, "migrations"))
        versions = os.path.join(d, "migrations", "versions")
        write_rev(versions, "a1000000000a", None, BASE, "base")
        write_rev(versions, "b2000000000b", "a1000000000a",
                  "def upgrade():" + body + "\n\ndef downgrade():\n    pass\n", "tried")
        db = C.Database(self.kind, C.server_url(self.kind))
        db.create(d)
        self.addCleanup(db.drop)
        point_at(d, ("sqlite:///" + db.path) if self.kind == "sqlite" else db.url)
        return d, db

    def _side(self, name, argv_prefix):
        d, db = self._project(SCENARIOS[name])
        env = dict(os.environ, RETORT_PYTHON=C.REF_PY, LC_ALL="C.UTF-8")
        run = lambda *a: subprocess.run(argv_prefix + list(a), cwd=d, capture_output=True, text=True,
                                        timeout=300, env=env)
        # The base revision first: a failing second step then leaves it committed on
        # every dialect (not only where each migration has its own transaction).
        first = run("upgrade", "a1000000000a")
        self.assertEqual(first.returncode, 0, first.stdout + first.stderr)
        r = run("upgrade", "head")
        # Retort's MySQL statement journal (README) stays after a failed run: not schema.
        snap = {k: [row for row in v if "retort_step_journal" not in row]
                for k, v in schema_snapshot(db, ["t"]).items()}
        return r, snap

    def _compare(self, name, native=True):
        ret, ret_schema = self._side(name, [C.RETORT_BIN])
        ref, ref_schema = self._side(name, [C.REF_PY, "-m", "alembic"])
        what = "%s on %s\n--- retort:\n%s%s\n--- alembic:\n%s%s" % (
            name, self.kind, ret.stdout, ret.stderr, ref.stdout, ref.stderr)
        self.assertEqual(ret.returncode == 0, ref.returncode == 0, what)
        # A statement failing on the database: Alembic ends with a traceback on stderr,
        # Retort with its "FAILED: ..." line on stdout (README, "Differences worth knowing").
        out = ret.stdout if ret.returncode == 0 else ret.stdout.split("FAILED: ")[0]
        self.assertEqual(out, ref.stdout, what)
        self.assertEqual(script_log_lines(ret.stderr), script_log_lines(ref.stderr), what)
        self.assertEqual(ret_schema, ref_schema, what)
        # Native: no hand-off to Python for the try step.
        if native:
            self.assertNotIn("Python", ret.stderr.replace("using /usr/bin/python3", ""), what)
        return ret, ref

    def _compare_sql(self, name):
        d, _ = self._project(SCENARIOS[name])
        env = dict(os.environ, RETORT_PYTHON=C.REF_PY, LC_ALL="C.UTF-8")
        run = lambda argv: subprocess.run(argv + ["upgrade", "head", "--sql"], cwd=d, capture_output=True,
                                          text=True, timeout=300, env=env)
        ret, ref = run([C.RETORT_BIN]), run([C.REF_PY, "-m", "alembic"])
        what = "%s --sql on %s\n--- retort:\n%s%s\n--- alembic:\n%s%s" % (
            name, self.kind, ret.stdout, ret.stderr, ref.stdout, ref.stderr)
        self.assertEqual(ret.returncode, ref.returncode, what)
        self.assertEqual(ret.stdout, ref.stdout, what)

    def test_handled(self):
        ret, _ = self._compare("handled")
        self.assertEqual(ret.returncode == 0, self.kind != "postgresql", ret.stderr)

    def test_handled_quiet(self):
        ret, _ = self._compare("handled_quiet")
        self.assertEqual(ret.returncode == 0, self.kind != "postgresql", ret.stderr)

    def test_typed(self):
        self._compare("typed")

    def test_unmatched(self):
        ret, _ = self._compare("unmatched")
        self.assertNotEqual(ret.returncode, 0)

    def test_reraise(self):
        ret, _ = self._compare("reraise")
        self.assertNotEqual(ret.returncode, 0)

    def test_clean(self):
        ret, _ = self._compare("clean")
        self.assertEqual(ret.returncode, 0, ret.stderr)

    def test_rendered_print(self):
        ret, _ = self._compare("rendered_print", native=False)
        self.assertEqual(ret.returncode, 0, ret.stderr)
        self.assertIn("needs Python", ret.stderr)

    def test_sql(self):
        for name in ("handled", "typed", "clean", "autocommit", "rendered_print"):
            with self.subTest(name):
                self._compare_sql(name)

    def test_fixture_sql(self):
        """tests/fixtures/ddl/tryrun (env.py without logging configuration): --sql output
        and the scripts' log records (Python's defaults: basicConfig / lastResort)."""
        ddl = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "ddl")
        url = {"sqlite": "sqlite://", "postgresql": "postgresql://u@h/db", "mysql": "mysql+pymysql://u@h/db"}[self.kind]
        env = dict(os.environ, RETORT_PYTHON=C.REF_PY, LC_ALL="C.UTF-8")
        for args in (["upgrade", "head", "--sql"], ["downgrade", "head:base", "--sql"]):
            argv = ["-c", "alembic.ini", "-n", "tryrun", "-x", "url=" + url, "-x", "log=/dev/null"] + args
            run = lambda tool: subprocess.run(tool + argv, cwd=ddl, capture_output=True, text=True,
                                              timeout=300, env=env)
            ret, ref = run([C.RETORT_BIN]), run([C.REF_PY, "-m", "alembic"])
            what = "%s\n--- retort:\n%s%s\n--- alembic:\n%s%s" % (args, ret.stdout, ret.stderr, ref.stdout, ref.stderr)
            self.assertEqual((ret.returncode, ret.stdout), (ref.returncode, ref.stdout), what)
            records = lambda err: [l for l in err.splitlines() if l.startswith(("WARNING:", "ERROR:"))]
            self.assertEqual(records(ret.stderr), records(ref.stderr), what)

    def test_autocommit(self):
        ret, _ = self._compare("autocommit")
        self.assertEqual(ret.returncode, 0, ret.stderr)


class TryRunSQLite(_TryRun):
    kind = "sqlite"


class TryRunPostgreSQL(_TryRun):
    kind = "postgresql"

    def test_concurrently(self):
        ret, _ = self._compare("concurrently")
        self.assertEqual(ret.returncode, 0, ret.stderr)


class TryRunMySQL(_TryRun):
    kind = "mysql"


if __name__ == "__main__":
    unittest.main()
