"""`revision --autogenerate`, `check`, `schema dump` and `diff` end to end on SQLite,
PostgreSQL and MariaDB, against Alembic 1.8.1's autogenerate on the same project (tests/fixtures/autogenerate/shop:
a models package with tables, foreign keys, indexes and uniques).
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import conformance as C

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHOP = os.path.join(ROOT, "tests", "fixtures", "autogenerate", "shop")


def run(argv, cwd):
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL)


def retort(args, cwd):
    return run([os.environ["RETORT_BIN"]] + args, cwd)


def alembic(args, cwd):
    return run(["/usr/bin/python3", "-m", "alembic"] + args, cwd)


class _Autogenerate(unittest.TestCase):
    kind = None

    @classmethod
    def setUpClass(cls):
        if cls.kind != "sqlite" and not C.server_url(cls.kind):
            raise unittest.SkipTest("%s server URL not set (RETORT_TEST_%s_URL)" % (
                cls.kind, "PG" if cls.kind == "postgresql" else "MYSQL"))

    def _copy(self, name):
        tmp = tempfile.mkdtemp(prefix="retort-ag-")
        self.addCleanup(shutil.rmtree, tmp, True)
        d = os.path.join(tmp, name)
        shutil.copytree(SHOP, d, ignore=shutil.ignore_patterns("*.db", "__pycache__"))
        os.makedirs(os.path.join(d, "migrations", "versions"), exist_ok=True)
        if self.kind != "sqlite":
            db = C.Database(self.kind, C.server_url(self.kind))
            db.create(d)
            self.addCleanup(db.drop)
            ini = os.path.join(d, "alembic.ini")
            with open(ini) as f:
                lines = [("sqlalchemy.url = " + db.url.replace("%", "%%"))
                         if l.startswith("sqlalchemy.url") else l for l in f.read().splitlines()]
            with open(ini, "w") as f:
                f.write("\n".join(lines) + "\n")
        return d

    def _script(self, d, rev):
        versions = os.path.join(d, "migrations", "versions")
        [name] = [f for f in os.listdir(versions) if f.startswith(rev + "_")]
        with open(os.path.join(versions, name)) as f:
            return re.sub(r"Create Date: .*", "Create Date: <now>", f.read())

    def test_same_script_as_alembic(self):
        a, r = self._copy("a"), self._copy("r")
        ra = alembic(["revision", "--autogenerate", "-m", "initial schema", "--rev-id", "a1b2c3"], a)
        rr = retort(["revision", "--autogenerate", "-m", "initial schema", "--rev-id", "a1b2c3"], r)
        self.assertEqual(ra.returncode, 0, ra.stdout + ra.stderr)
        self.assertEqual(rr.returncode, 0, rr.stdout + rr.stderr)
        self.assertEqual(self._script(r, "a1b2c3"), self._script(a, "a1b2c3"))
        detected = lambda s: [l for l in s.splitlines() if "Detected" in l]
        self.assertEqual(detected(rr.stderr), detected(ra.stderr))
        self.assertIn("Discovered", rr.stderr)   # Retort says where the models came from

    def test_check_upgrade_check(self):
        d = self._copy("c")
        before = retort(["check"], d)
        self.assertEqual(before.returncode, 1, before.stdout + before.stderr)
        self.assertIn("New upgrade operations detected", before.stdout)
        made = retort(["revision", "--autogenerate", "-m", "init", "--rev-id", "c0ffee"], d)
        self.assertEqual(made.returncode, 0, made.stdout + made.stderr)
        up = retort(["upgrade", "head"], d)
        self.assertEqual(up.returncode, 0, up.stdout + up.stderr)
        after = retort(["check"], d)
        self.assertEqual(after.returncode, 0, after.stdout + after.stderr)
        self.assertIn("No new upgrade operations detected.", after.stdout)
        # The database Retort built is the one Alembic would accept as up to date.
        self.assertEqual(alembic(["current"], d).stdout.strip(), "c0ffee (head)")

    def test_schema_dump_and_diff(self):
        d = self._copy("s")
        self.assertEqual(retort(["revision", "--autogenerate", "-m", "init", "--rev-id", "d1"], d).returncode, 0)
        self.assertEqual(retort(["upgrade", "head"], d).returncode, 0)
        dump = retort(["schema", "dump"], d)
        self.assertEqual(dump.returncode, 0, dump.stdout + dump.stderr)
        doc = json.loads(dump.stdout)
        tables = {t["name"] for s in doc["schemas"] for t in s["tables"]}
        self.assertTrue({"users", "orders", "products"} <= tables, tables)
        snapshot = os.path.join(d, "snap.json")
        self.assertEqual(retort(["schema", "dump", "-o", snapshot], d).returncode, 0)
        empty = "sqlite:///" + os.path.join(d, "empty.db")
        if self.kind != "sqlite":
            return   # snapshot diffs are dialect-independent: covered on SQLite
        same = retort(["diff", snapshot, snapshot], d)
        self.assertEqual(same.returncode, 0, same.stdout + same.stderr)
        differ = retort(["diff", empty, snapshot], d)
        self.assertEqual(differ.returncode, 1, differ.stdout + differ.stderr)
        self.assertIn("add_table users", differ.stdout)

    def _engine(self, d):
        import sqlalchemy as sa
        with open(os.path.join(d, "alembic.ini")) as f:
            [url] = [l.split("=", 1)[1].strip() for l in f if l.startswith("sqlalchemy.url")]
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            url = "sqlite:///" + os.path.join(d, url[len("sqlite:///"):])
        return sa.create_engine(url.replace("%%", "%"), poolclass=sa.pool.NullPool)

    def test_review_and_rename(self):
        """Beyond Alembic: the review on stderr (destructive ops with live row counts,
        possible renames) and --rename-column turning drop + add into a rename."""
        d = self._copy("v")
        self.assertEqual(retort(["revision", "--autogenerate", "-m", "init", "--rev-id", "v1"], d).returncode, 0)
        self.assertEqual(retort(["upgrade", "head"], d).returncode, 0)
        eng = self._engine(d)
        with eng.begin() as c:
            c.exec_driver_sql("INSERT INTO users (id, email, name, bio) VALUES "
                              "(1, 'a@x', 'Ann', 'hi'), (2, 'b@x', 'Bob', NULL), (3, 'c@x', 'Cy', 'yo')")
        eng.dispose()
        catalog = os.path.join(d, "models", "catalog.py")
        with open(catalog) as f:
            text = f.read()
        text = text.replace("    name = sa.Column(sa.String(50), nullable=False)\n",
                            "    full_name = sa.Column(sa.String(50), nullable=False)\n")
        text = text.replace('    bio = sa.Column(sa.Text, comment="free text")\n', "")
        with open(catalog, "w") as f:
            f.write(text)

        check = retort(["check"], d)
        self.assertEqual(check.returncode, 1, check.stdout + check.stderr)
        self.assertIn("WARNING [retort.review] destructive: drops column users.bio: 2 rows have a value\n",
                      check.stderr)
        self.assertIn("INFO  [retort.review] possible rename: users.name -> users.full_name "
                      "(rerun with --rename-column users.name=full_name)\n", check.stderr)
        # Alembic's own stdout is untouched by the review.
        self.assertNotIn("retort.review", check.stdout)

        bad = retort(["check", "--rename-column", "users.nick=full_name"], d)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("cannot rename users.nick", bad.stderr)

        made = retort(["revision", "--autogenerate", "-m", "rename", "--rev-id", "v2",
                       "--rename-column", "users.name=full_name"], d)
        self.assertEqual(made.returncode, 0, made.stdout + made.stderr)
        self.assertNotIn("possible rename", made.stderr)
        self.assertIn("INFO  [retort.review] renames column users.name to full_name", made.stderr)
        script = self._script(d, "v2")
        self.assertIn("new_column_name='full_name'", script)
        self.assertIn("new_column_name='name'", script)   # the downgrade renames back
        self.assertNotIn("drop_column('users', 'name')", script)
        up = retort(["upgrade", "head"], d)
        self.assertEqual(up.returncode, 0, up.stdout + up.stderr)
        eng = self._engine(d)
        with eng.connect() as c:
            names = sorted(r[0] for r in c.exec_driver_sql("SELECT full_name FROM users"))
        eng.dispose()
        self.assertEqual(names, ["Ann", "Bob", "Cy"])   # renamed, not dropped and re-added
        after = retort(["check"], d)
        self.assertEqual(after.returncode, 0, after.stdout + after.stderr)


class AutogenerateSQLite(_Autogenerate):
    kind = "sqlite"


class AutogeneratePostgreSQL(_Autogenerate):
    kind = "postgresql"


class AutogenerateMySQL(_Autogenerate):
    kind = "mysql"


if __name__ == "__main__":
    unittest.main()
