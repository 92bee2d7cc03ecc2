"""Applied scripts stay as applied (issue 14, item 4): Retort records a checksum of each
script's upgrade() in retort_script_checksums as it applies (or stamps) the revision,
removes it on downgrade, and `current --verbose` and `check` flag an applied revision whose
script changed since (or that was applied before Retort kept checksums). Alembic keeps
working on a database holding the side table. On a throwaway database of each kind:
SQLite always; PostgreSQL / MariaDB when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set.
"""
import os
import re
import unittest

import conformance as C


def body(*lines):
    return "\n".join("    " + l for l in lines).strip()


A, B, P = "c1000000000a", "c2000000000b", "c3000000000c"


def revisions():
    a = C.Rev(A, (), message="accounts")
    a.body_up = body("op.create_table('accounts', sa.Column('id', sa.Integer(), primary_key=True),",
                     "                sa.Column('name', sa.String(40)))")
    a.body_down = "op.drop_table('accounts')"
    b = C.Rev(B, (A,), message="seed")
    b.body_up = "op.execute(\"INSERT INTO accounts (id, name) VALUES (1, 'ada')\")"
    b.body_down = "op.execute('DELETE FROM accounts')"
    # Needs Python (op.get_bind()): Alembic runs it; Retort still records it.
    p = C.Rev(P, (B,), message="python step")
    p.body_up = body("bind = op.get_bind()",
                     "n = bind.execute(sa.text('SELECT count(*) FROM accounts')).scalar()",
                     "bind.execute(sa.text(\"UPDATE accounts SET name = 'ada lovelace' WHERE id = :n\"), {'n': n})")
    p.body_down = body("bind = op.get_bind()",
                       "n = bind.execute(sa.text('SELECT count(*) FROM accounts')).scalar()",
                       "bind.execute(sa.text(\"UPDATE accounts SET name = 'ada' WHERE id = :n\"), {'n': n})")
    return [a, b, p]


# The models `check` compares with: what the revisions build.
MODELS = '''import sqlalchemy as sa
target_metadata = sa.MetaData()
sa.Table("accounts", target_metadata, sa.Column("id", sa.Integer(), primary_key=True),
         sa.Column("name", sa.String(40)))
'''

# README, "Applied scripts stay as applied": what keeps Alembic's autogenerate off the table.
INCLUDE_NAME = '''

def include_name(name, type_, parent_names):
    return not (type_ == "table" and name.startswith("retort_"))
'''

CHANGED = re.compile(r"^WARNING \[retort\.checksum\] (\w+) \(.*\): script changed since applied$", re.M)
UNRECORDED = re.compile(r"^INFO  \[retort\.checksum\] (\w+) \(.*\): applied before Retort recorded checksums "
                        r"\(no checksum\)$", re.M)


class _Checksums(C.ConformanceCase):
    kind = None
    maxDiff = None

    def setUp(self):
        if self.kind != "sqlite" and not C.server_url(self.kind):
            self.skipTest("%s server URL not set" % self.kind)
        self.project = C.Project(revisions())
        self.db = C.Database(self.kind, C.server_url(self.kind))
        self.project.set_url(self.db.create(self.project.dir))
        env_py = os.path.join(self.project.dir, "migrations", "env.py")
        with open(env_py) as f:
            text = f.read()
        text = text.replace("target_metadata = None\n", MODELS)
        with open(env_py, "w") as f:
            f.write(text)
        self.env_py = env_py

    def tearDown(self):
        self.db.drop()
        self.project.cleanup()

    def retort(self, *args):
        # The needs-Python step and the models run in the reference Python (CI sets no
        # RETORT_PYTHON).
        return C._run([C.RETORT_BIN] + list(args), self.project.dir, {"RETORT_PYTHON": C.REF_PY})

    def alembic(self, *args):
        return C.run_alembic(list(args), self.project.dir)

    def ok(self, r):
        self.assertEqual(r.rc, 0, r)
        return r

    def bridge_off(self):
        """`retort_bridge = false`: steps Alembic must run online use its own connection."""
        ini = os.path.join(self.project.dir, "alembic.ini")
        with open(ini) as f:
            text = f.read()
        with open(ini, "w") as f:
            f.write(text.replace("[alembic]\n", "[alembic]\nretort_bridge = false\n", 1))

    def recorded(self):
        import sqlalchemy as sa
        eng = self.db.engine()
        try:
            with eng.connect() as c:
                if not sa.inspect(c).has_table("retort_script_checksums"):
                    return None
                return {r[0]: r[1] for r in c.exec_driver_sql(
                    "SELECT revision, checksum FROM retort_script_checksums WHERE version_table = 'alembic_version'")}
        finally:
            eng.dispose()

    def edit(self, rev, old, new):
        path = os.path.join(self.project.dir, "migrations", "versions", rev.filename)
        with open(path) as f:
            text = f.read()
        self.assertIn(old, text)
        with open(path, "w") as f:
            f.write(text.replace(old, new, 1))

    def flagged(self, r):
        return sorted(CHANGED.findall(r.stderr)), sorted(UNRECORDED.findall(r.stderr))

    def test_upgrade_records_edit_flags_downgrade_removes(self):
        revs = self.project.revs
        r = self.ok(self.retort("upgrade", "head"))
        self.assertIn("Bridged: upgrade %s -> %s" % (B, P), r.stderr)   # the step Alembic ran
        sums = self.recorded()
        self.assertEqual(sorted(sums), [A, B, P])
        for s in sums.values():
            self.assertRegex(s, r"^[0-9a-f]{64}$")
        self.assertEqual(len(set(sums.values())), 3)
        r = self.ok(self.retort("current", "--verbose"))
        self.assertEqual(self.flagged(r), ([], []), r.stderr)
        # Alembic's own output, unchanged: the report is extra [retort.checksum] lines.
        ref = self.ok(self.alembic("current", "--verbose"))
        self.assertEqual(r.stdout, ref.stdout)
        self.ok(self.retort("check"))

        # A comment and blank lines do not change upgrade(); code does.
        self.edit(revs[0], "    op.create_table(", "    # reviewed\n\n    op.create_table(")
        self.assertEqual(self.flagged(self.ok(self.retort("current", "--verbose"))), ([], []))
        self.edit(revs[0], "sa.String(40)))", "sa.String(40), nullable=False))")
        self.edit(revs[2], "'ada lovelace'", "'countess'")
        r = self.ok(self.retort("current", "--verbose"))
        self.assertEqual(self.flagged(r), ([A, P], []), r.stderr)
        self.assertEqual(r.stdout, self.ok(self.alembic("current", "--verbose")).stdout)
        # Without --verbose: Alembic's output only.
        self.assertNotIn("retort.checksum", self.ok(self.retort("current")).stderr)
        r = self.retort("check")
        self.assertEqual(r.rc, 1, r)
        self.assertIn("No new upgrade operations detected.", r.stdout)
        self.assertIn("2 applied migration script(s) changed since applied.", r.stdout)
        self.assertEqual(self.flagged(r), ([A, P], []), r.stderr)

        # Downgrade removes; upgrading again records the script as it is now.
        self.ok(self.retort("downgrade", B))
        self.assertEqual(sorted(self.recorded()), [A, B])
        self.ok(self.retort("upgrade", "head"))
        self.assertEqual(self.flagged(self.ok(self.retort("current", "--verbose"))), ([A], []))
        self.assertNotEqual(self.recorded()[P], sums[P])
        self.ok(self.retort("downgrade", "base"))
        self.assertEqual(self.recorded(), {})

    def test_failed_run_records_what_was_committed(self):
        # A failing needs-Python step after P: what the version table shows done is recorded,
        # nothing more (PostgreSQL: Alembic's one transaction, nothing; SQLite and MySQL:
        # P was committed before the failure).
        self.ok(self.retort("upgrade", B))
        with open(os.path.join(self.project.dir, "migrations", "versions", "c4000000000d_fails.py"), "w") as f:
            f.write(C.render_revision(self._failing()))
        r = self.retort("upgrade", "head")
        self.assertNotEqual(r.rc, 0, r)
        rows = self.db.version_rows()
        self.assertEqual(rows, [B] if self.kind == "postgresql" else [P])
        self.assertEqual(sorted(self.recorded()), [A, B] if rows == [B] else [A, B, P])

    @staticmethod
    def _failing():
        q = C.Rev("c4000000000d", (P,), message="fails")
        q.body_up = body("bind = op.get_bind()",
                         "n = bind.execute(sa.text('SELECT count(*) FROM no_such_table')).scalar()")
        q.body_down = "pass"
        return q

    def test_python_downgrade_without_the_table(self):
        # Applied by Alembic, downgraded by Retort through a step Alembic runs: nothing to
        # remove, no table created, the run succeeds.
        self.ok(self.alembic("upgrade", "head"))
        r = self.ok(self.retort("downgrade", B))
        self.assertIn("Bridged: downgrade %s -> %s" % (P, B), r.stderr)
        self.assertIsNone(self.recorded())
        self.assertEqual(self.db.version_rows(), [B])

    def test_python_downgrade_without_the_table_own_connection(self):
        self.bridge_off()
        self.ok(self.alembic("upgrade", "head"))
        r = self.ok(self.retort("downgrade", B))
        self.assertIn("Handing downgrade %s -> %s" % (P, B), r.stderr)
        self.assertIsNone(self.recorded())
        self.assertEqual(self.db.version_rows(), [B])

    def test_step_alembic_runs_on_its_own_connection_is_recorded(self):
        # The route without the bridge: Alembic's own connection, the checksum written in
        # Retort's next transaction (or on its own after the last step).
        self.bridge_off()
        r = self.ok(self.retort("upgrade", "head"))
        self.assertIn("Handing upgrade %s -> %s" % (B, P), r.stderr)
        self.assertEqual(sorted(self.recorded()), [A, B, P])
        self.ok(self.retort("downgrade", B))
        self.assertEqual(sorted(self.recorded()), [A, B])

    def test_stamp_updates_the_record(self):
        # Applied by Alembic: no checksums, and Retort says so.
        self.ok(self.alembic("upgrade", B))
        self.assertIsNone(self.recorded())
        r = self.ok(self.retort("current", "--verbose"))
        self.assertEqual(self.flagged(r), ([], [A, B]), r.stderr)
        # Stamping onto P records P only; A and B stay unknown.
        self.ok(self.retort("stamp", P))
        self.assertEqual(sorted(self.recorded()), [P])
        r = self.ok(self.retort("check"))   # not recorded is said, but is not a failure
        self.assertEqual(self.flagged(r), ([], [A, B]), r.stderr)
        self.assertEqual(self.flagged(self.ok(self.retort("current", "--verbose"))), ([], [A, B]))
        # Stamping back off P removes it.
        self.ok(self.retort("stamp", B))
        self.assertEqual(self.recorded(), {})
        # stamp --purge: the record starts over with the scripts as they are now.
        self.edit(self.project.revs[0], "sa.String(40)))", "sa.String(40), nullable=False))")
        self.ok(self.retort("stamp", "--purge", "head"))
        self.assertEqual(sorted(self.recorded()), [A, B, P])
        self.assertEqual(self.flagged(self.ok(self.retort("current", "--verbose"))), ([], []))

    def test_alembic_works_with_the_side_table(self):
        self.ok(self.retort("upgrade", "head"))
        self.assertIsNotNone(self.recorded())
        self.assertEqual(self.ok(self.alembic("current")).stdout.strip(), P + " (head)")
        self.ok(self.alembic("downgrade", "base"))
        self.assertEqual(self.db.version_rows(), [])
        self.ok(self.alembic("upgrade", "head"))
        self.ok(self.alembic("stamp", B))
        self.assertEqual(self.db.version_rows(), [B])
        self.ok(self.alembic("upgrade", "head"))
        self.ok(self.alembic("history", "--indicate-current"))
        # Alembic's steps change nothing in the record (it does not know the table).
        self.assertEqual(sorted(self.recorded()), [A, B, P])
        # Alembic's autogenerate sees every table it has no model for, Retort's side table
        # too; the include_name hook the README gives keeps it off, and Retort honours it.
        r = self.ok(self.alembic("revision", "--autogenerate", "-m", "unfiltered", "--rev-id", "d1"))
        self.assertIn("Detected removed table 'retort_script_checksums'", r.stderr)
        os.remove(os.path.join(self.project.dir, "migrations", "versions", "d1_unfiltered.py"))
        with open(self.env_py) as f:
            text = f.read()
        text = text.replace(MODELS, MODELS + INCLUDE_NAME).replace(
            "target_metadata=target_metadata", "target_metadata=target_metadata, include_name=include_name")
        with open(self.env_py, "w") as f:
            f.write(text)
        r = self.ok(self.alembic("revision", "--autogenerate", "-m", "filtered", "--rev-id", "d2"))
        self.assertNotIn("retort_script_checksums", r.stderr)
        with open(os.path.join(self.project.dir, "migrations", "versions", "d2_filtered.py")) as f:
            self.assertNotIn("retort_script_checksums", f.read())
        os.remove(os.path.join(self.project.dir, "migrations", "versions", "d2_filtered.py"))
        r = self.ok(self.retort("check"))
        self.assertIn("No new upgrade operations detected.", r.stdout)


class ChecksumsSQLite(_Checksums):
    kind = "sqlite"


class ChecksumsPostgreSQL(_Checksums):
    kind = "postgresql"


class ChecksumsMySQL(_Checksums):
    kind = "mysql"


if __name__ == "__main__":
    unittest.main()
