"""The plan review's warnings before an online downgrade (README, "Destructive runs say so
first"), on each database: the counts of rows and values a downgrade drops, exactly, with a
table that does not exist when the review counts (made by an earlier step's SQL text) "not
counted" and the others still counted. On the servers the counts are asked together
(LiveRowCounter::prefetch(): batches split down to the failing count); the lines must be
what asking each alone gives. The run itself ends as Alembic's does. SQLite always;
PostgreSQL / MariaDB when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set.
"""
import os
import unittest

import conformance as C


def body(*lines):
    return "\n".join("    " + l for l in lines).strip()


A, B, C3 = "e1000000000a", "e2000000000b", "e3000000000c"
TABLES = 7


def revisions():
    a = C.Rev(A, (), message="tables")
    up, down = [], []
    for i in range(TABLES):
        up += ["op.create_table('t%d', sa.Column('id', sa.Integer(), primary_key=True)," % i,
               "                sa.Column('note', sa.String(20)))"]
        up += ["op.execute(\"INSERT INTO t%d (id, note) VALUES (%d, %s)\")"
               % (i, r + 1, "'x'" if r % 2 else "NULL") for r in range(i)]
        down += ["op.drop_column('t%d', 'note')" % i, "op.drop_table('t%d')" % i]
    a.body_up = body(*up)
    a.body_down = body(*down)
    b = C.Rev(B, (A,), message="scratch")
    b.body_up = "pass"
    # The table exists only once C's downgrade ran: the review finds none to count.
    b.body_down = "op.drop_table('scratch')"
    c = C.Rev(C3, (B,), message="makes scratch")
    c.body_up = "pass"
    c.body_down = "op.execute('CREATE TABLE scratch (id INTEGER)')"
    return [a, b, c]


def expected():
    # The SQL text's finding is information only: not among the lines.
    lines = ["This downgrade drops %d columns holding %d values; drops %d tables holding at least %d rows; "
             "runs 1 SQL text not reviewed"
             % (TABLES, sum(i // 2 for i in range(TABLES)), TABLES + 1, sum(range(TABLES))),
             "downgrade %s -> %s: drops table scratch and its rows (not counted)" % (B, A)]
    for i in range(TABLES):
        if i // 2:
            lines.append("downgrade %s -> : drops column t%d.note: %s"
                         % (A, i, "1 row has a value" if i // 2 == 1 else "%d rows have a value" % (i // 2)))
        if i:
            lines.append("downgrade %s -> : drops table t%d: %s" % (A, i, "1 row" if i == 1 else "%d rows" % i))
    return lines


class _Review(C.ConformanceCase):
    kind = None
    maxDiff = None

    def setUp(self):
        if self.kind != "sqlite" and not C.server_url(self.kind):
            self.skipTest("%s server URL not set" % self.kind)
        self.dbs, self.projects = [], []

    def sides(self, revs):
        """Retort's project and Alembic's, each on its own database, upgraded by Alembic."""
        mine = C.Project(revs)
        ref = mine.copy()
        for project in (mine, ref):
            db = C.Database(self.kind, C.server_url(self.kind))
            project.set_url(db.create(project.dir))
            self.dbs.append(db)
            self.projects.append(project)
            r = C.run_alembic(["upgrade", "head"], project.dir)
            self.assertEqual(r.rc, 0, r)
        return mine, ref

    def tearDown(self):
        for db in self.dbs:
            db.drop()
        for project in self.projects:
            project.cleanup()

    def downgrade_both(self, mine, ref):
        r = C.run_retort(["downgrade", "base"], mine.dir)
        a = C.run_alembic(["downgrade", "base"], ref.dir)
        self.assertEqual((r.rc, a.rc), (0, 0), (r, a))
        self.assertEqual(self.dbs[0].version_rows(), self.dbs[1].version_rows())
        self.assertEqual(self.dbs[0].tables(), self.dbs[1].tables())
        lines = [l for l in r.stderr.splitlines() if "[retort.review]" in l]
        self.assertTrue(all(l.startswith("WARNI [retort.review] ") for l in lines), r.stderr)
        return [l.split("] ", 1)[1] for l in lines], r

    def test_downgrade_warnings_count_each_table(self):
        mine, ref = self.sides(revisions())
        warned, r = self.downgrade_both(mine, ref)
        self.assertEqual(warned, expected(), r.stderr)
        self.assertEqual(self.dbs[0].tables(), ["alembic_version"])

    def test_step_reading_the_engine_url_is_reviewed(self):
        """A condition on op.get_bind().engine.url is decided natively for the run (the
        URL is known): the review reads the script the same way and counts, where it
        used to say "not reviewed: needs Python"."""
        u = C.Rev("e4000000000d", (), message="by url")
        u.body_up = body("op.create_table('u', sa.Column('id', sa.Integer(), primary_key=True))",
                         "op.execute('INSERT INTO u (id) VALUES (1), (2), (3)')")
        u.body_down = body("if op.get_bind().engine.url.drivername:",
                           "    op.drop_table('u')")
        mine, ref = self.sides([u])
        warned, r = self.downgrade_both(mine, ref)
        self.assertEqual(warned, ["This downgrade drops 1 table holding 3 rows",
                                  "downgrade e4000000000d -> : drops table u: 3 rows"], r.stderr)
        self.assertNotIn("retort.python", r.stderr)   # and it ran natively


class ReviewSQLite(_Review):
    kind = "sqlite"


class ReviewPostgreSQL(_Review):
    kind = "postgresql"


class ReviewMySQL(_Review):
    kind = "mysql"


if __name__ == "__main__":
    unittest.main()
