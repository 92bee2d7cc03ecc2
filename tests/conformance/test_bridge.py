"""The bridge (issue 10): a needs-Python step that reads the database -- Alembic cannot
render it offline -- runs its function in Alembic, with every statement executed by Retort
on Retort's own connection, in the transaction Retort holds for the step.

Side by side with `/usr/bin/python3 -m alembic` on a database each (SQLite, PostgreSQL,
MariaDB): exit codes, schema, data and version table equal Alembic's. Each bridged step
also uses a TEMPORARY table a native step made earlier in the run: it exists only in the
session that made it, as under Alembic (one connection for the run), so a step run on
another connection (the hand-off's old route: Alembic's own connection after Retort
committed) fails. On PostgreSQL, where the stock env.py runs everything in one
transaction and the old route then had Alembic run the whole plan, the projects set
transaction_per_migration so that the old route would split the run across connections;
the one-transaction case is checked by its state and by the run's "Bridged:" line.
"""
import os
import re
import unittest

import conformance as C
import test_handoff as H
from test_handoff import body

MARK = ("e1000000000a", body(
    "op.create_table('items', sa.Column('id', sa.Integer(), primary_key=True, autoincrement=False),",
    "                sa.Column('name', sa.String(40)), sa.Column('qty', sa.Integer()))",
    "op.create_table('marks', sa.Column('id', sa.Integer(), primary_key=True, autoincrement=False),",
    "                sa.Column('what', sa.String(400)))",
    "op.execute(\"INSERT INTO items (id, name, qty) VALUES (1, 'apple', 3)\")",
    "op.execute(\"INSERT INTO items (id, name, qty) VALUES (2, 'pear', 5)\")",
    # This session's own table: only a step on the same connection sees it.
    "op.execute('CREATE TEMPORARY TABLE session_marker (v INTEGER)')"),
    body("op.drop_table('marks')", "op.drop_table('items')"), "native mark")

# Inserts into the session's temporary table (fails on another connection).
SAME_SESSION = "bind.execute(sa.text('INSERT INTO session_marker (v) VALUES (1)'))"

READ_WRITE = ("e2000000000b", body(
    "bind = op.get_bind()",
    SAME_SESSION,
    "rows = bind.execute(sa.text('SELECT id, name FROM items ORDER BY id')).fetchall()",
    "for item_id, name in rows:",
    "    bind.execute(sa.text('UPDATE items SET qty = :q WHERE id = :i'), {'q': len(name) * 100 + item_id, 'i': item_id})",
    "total = bind.execute(sa.text('SELECT SUM(qty) FROM items')).scalar()",
    r'''bind.execute(sa.text("INSERT INTO marks (id, what) VALUES (1, :w)"), {'w': "total %d, it's \"%s\"" % (total, 'x%y')})'''),
    body("bind = op.get_bind()",
         "bind.execute(sa.text('DELETE FROM marks WHERE id = 1'))",
         "bind.execute(sa.text('UPDATE items SET qty = id'))"), "bridged reads then writes")

INSPECT = ("e3000000000c", body(
    "bind = op.get_bind()",
    SAME_SESSION,
    "insp = sa.inspect(bind)",
    "cols = [c['name'] for c in insp.get_columns('items')]",
    "if 'extra' not in cols:",
    "    op.add_column('items', sa.Column('extra', sa.Integer(), nullable=True))",
    "if not insp.has_table('audit'):",
    "    op.create_table('audit', sa.Column('id', sa.Integer(), primary_key=True))",
    "if not insp.has_table('items'):",
    "    op.create_table('never', sa.Column('id', sa.Integer(), primary_key=True))",
    "bind.execute(sa.text(\"INSERT INTO marks (id, what) VALUES (2, :w)\"),",
    "             {'w': '%s %s' % (bind.dialect.name, ','.join(sorted(t for t in insp.get_table_names()",
    "                                                              if not t.startswith('retort_'))))})",
    # Reflection, and values as the driver gives them (PostgreSQL arrays: lists).
    "meta = sa.MetaData()",
    "meta.reflect(bind, only=['items', 'marks'])",
    "row = bind.execute(sa.text(\"SELECT ARRAY[1, 2], ARRAY['a b', NULL], 2.0, 1.5\" if bind.dialect.name == 'postgresql'",
    "                           else \"SELECT 1, 'x', 2.0, 1.5\")).first()",
    "bind.execute(sa.text(\"INSERT INTO marks (id, what) VALUES (4, :w)\"),",
    "             {'w': repr((sorted(meta.tables), [c.name for c in meta.tables['items'].c], tuple(row)))})"),
    body("op.drop_table('audit')", "op.drop_column('items', 'extra')",
         "op.execute('DELETE FROM marks WHERE id IN (2, 4)')"), "bridged inspects")

# A statement fails inside try/except: the handler records the driver's exception class.
# On PostgreSQL the transaction is then aborted: the next statement fails, as under Alembic.
TRY_EXCEPT = ("e4000000000d", body(
    "bind = op.get_bind()",
    SAME_SESSION,
    "try:",
    "    bind.execute(sa.text('INSERT INTO no_such_table (id) VALUES (1)'))",
    "except sa.exc.DBAPIError as e:",
    "    caught = '%s.%s' % (type(e.orig).__module__, type(e.orig).__name__)",
    "bind.execute(sa.text(\"INSERT INTO marks (id, what) VALUES (3, :w)\"), {'w': caught})"),
    body("op.execute('DELETE FROM marks WHERE id = 3')"), "bridged try except")

RENDERED = ("e5000000000e", body(   # needs Python, rendered offline: a while loop
    "i = 0",
    "while i < 2:",
    "    op.execute(\"INSERT INTO items (id, name, qty) VALUES (%d, 'loop', 0)\" % (10 + i))",
    "    i += 1"),
    body("op.execute('DELETE FROM items WHERE id >= 10')"), "rendered loop")

NATIVE = ("e6000000000f", body(
    "op.create_table('after', sa.Column('id', sa.Integer(), primary_key=True))"),
    body("op.drop_table('after')"), "native after")

BATCH = ("e7000000001a", body(   # batch mode reflects the live table (SQLite: move and copy)
    "bind = op.get_bind()",
    SAME_SESSION,
    "n = bind.execute(sa.text('SELECT COUNT(*) FROM items')).scalar()",
    "with op.batch_alter_table('items') as batch:",
    "    batch.add_column(sa.Column('batched', sa.Integer(), nullable=True))",
    "bind.execute(sa.text('UPDATE items SET batched = :n'), {'n': n})"),
    body("with op.batch_alter_table('items') as batch:",
         "    batch.drop_column('batched')"), "bridged batch")

FAILS = ("e8000000001b", body(   # (no temporary table: a re-run is a new session)
    "bind = op.get_bind()",
    "n = bind.execute(sa.text('SELECT COUNT(*) FROM items')).scalar()",
    "bind.execute(sa.text(\"INSERT INTO marks (id, what) VALUES (8, 'before the failure')\"))",
    "op.add_column('items', sa.Column('failed', sa.Integer(), nullable=True))",
    "raise RuntimeError('boom after %d rows' % n)"),
    body("op.drop_column('items', 'failed')"), "bridged fails")

# An autocommit block: what ran before it is committed, the block runs outside a
# transaction (PostgreSQL's CREATE INDEX CONCURRENTLY fails inside one), then a new one.
AUTOCOMMIT = ("e9000000001c", body(
    "bind = op.get_bind()",
    SAME_SESSION,
    "n = bind.execute(sa.text('SELECT COUNT(*) FROM items')).scalar()",
    "op.execute(\"INSERT INTO marks (id, what) VALUES (6, 'before')\")",
    "with op.get_context().autocommit_block():",
    "    if bind.dialect.name == 'postgresql':",
    "        op.execute('CREATE INDEX CONCURRENTLY ix_items_qty ON items (qty)')",
    "    else:",
    "        op.create_index('ix_items_qty', 'items', ['qty'])",
    "    op.execute(\"INSERT INTO marks (id, what) VALUES (7, 'inside %d')\" % n)",
    "op.execute(\"INSERT INTO marks (id, what) VALUES (8, 'after')\")"),
    body("op.drop_index('ix_items_qty', table_name='items')", "op.execute('DELETE FROM marks WHERE id >= 6')"),
    "bridged autocommit")

# A parameter that adapts itself (__conform__, asked by sqlite3 and psycopg2) and answers
# any attribute (as a project's stand-in would, so "getquoted" is no sign of an adapter).
CONFORM = ("ea000000001d", body(
    "bind = op.get_bind()",
    "n = bind.execute(sa.text('SELECT COUNT(*) FROM items')).scalar()",
    "class Tag:",
    "    def __getattr__(self, name):",
    "        return lambda *a, **k: self",
    "    def __conform__(self, protocol):",
    "        import sqlite3",
    "        if protocol is sqlite3.PrepareProtocol:",
    "            return \"tag's %d\" % n",
    "        from psycopg2.extensions import QuotedString",
    "        return QuotedString(\"tag's %d\" % n)",
    "bind.execute(sa.text('INSERT INTO marks (id, what) VALUES (9, :w)'), {'w': Tag()})"),
    body("op.execute('DELETE FROM marks WHERE id = 9')"), "bridged conform")

DATA = ("items", "marks")


# Bridged steps that record what env.py configured and how often it ran online so far
# (env.py counts its runs in the process's environment): Alembic runs env.py once per
# command, and so does Retort's worker for every bridged step of a run.
def _envpy_probe(rev, mark_id, msg):
    return (rev, body(
        "import os",
        "bind = op.get_bind()",
        "n = bind.execute(sa.text('SELECT COUNT(*) FROM items')).scalar()",
        "bind.execute(sa.text('INSERT INTO marks (id, what) VALUES (:i, :w)'),",
        "             {'i': %d, 'w': '%%s runs=%%s rows=%%d' %% (op.get_context().opts.get('compare_server_default'),"
        % mark_id,
        "                                                   os.environ.get('ENVPY_RUNS'), n)})"),
        body("op.execute('DELETE FROM marks WHERE id = %d')" % mark_id), msg)


PROBE_1 = _envpy_probe("ea000000002a", 21, "bridged probe one")
PROBE_2 = _envpy_probe("eb000000002b", 22, "bridged probe two")
PROBE_3 = _envpy_probe("ec000000002c", 23, "bridged probe three")

ENVPY_COUNTS = (
    "import os\n"
    "if not context.is_offline_mode():\n"
    "    os.environ['ENVPY_RUNS'] = str(int(os.environ.get('ENVPY_RUNS', '0')) + 1)\n")
ENVPY_DONE = (
    "if context.is_offline_mode():\n"
    "    run_migrations_offline()\n"
    "else:\n"
    "    run_migrations_online()\n"
    "    print('env.py finished online run %s' % os.environ['ENVPY_RUNS'])\n")



class _Bridge(unittest.TestCase):
    kind = None
    maxDiff = None
    # PostgreSQL: one transaction per migration (see the module's doc).
    PER_MIGRATION = False

    @classmethod
    def setUpClass(cls):
        if not os.environ.get("RETORT_BIN"):
            raise unittest.SkipTest("RETORT_BIN not set")
        if cls.kind != "sqlite" and not C.server_url(cls.kind):
            raise unittest.SkipTest("%s server URL not set" % cls.kind)

    def sides(self, revs, per_migration=None):
        per_migration = self.PER_MIGRATION if per_migration is None else per_migration
        out = []
        for side in (H._Handoff._side(self, revs, "retort"), H._Handoff._side(self, revs, "alembic")):
            if per_migration:
                env = os.path.join(side[0], "migrations", "env.py")
                with open(env) as f:
                    text = f.read()
                text = text.replace("connection=connection, target_metadata=target_metadata",
                                    "connection=connection, target_metadata=target_metadata, "
                                    "transaction_per_migration=True")
                with open(env, "w") as f:
                    f.write(text)
            out.append(side)
        return out

    def both(self, mine, ref, *args):
        return H.retort(mine[0], *args, env={"RETORT_PYTHON": H.REF_PY}), H.alembic(ref[0], *args)

    def state(self, side):
        return H.snapshot(side[1], DATA)

    def assertLikeAlembic(self, mine, ref, args, rc=0, bridged=()):
        r, a = self.both(mine, ref, *args)
        what = "%s\nretort: %s\nalembic: %s" % (" ".join(args), r.stdout + r.stderr, a.stderr[-3000:])
        self.assertEqual(a.returncode, rc, what)
        self.assertEqual(r.returncode, 0 if rc == 0 else 255, what)
        self.assertEqual(self.state(mine), self.state(ref), what)
        for rev in bridged:   # said to run through the bridge, not by Alembic on its own
            self.assertRegex(r.stderr, r"Bridged: .*\brevision %s\b.*on Retort's connection" % rev, what)
        self.assertNotIn("runs in Alembic's own transaction", r.stderr, what)
        return r, a

    def marks(self, side):
        return dict(self.state(side).get("data marks") or [])

    def test_reads_then_writes(self):
        mine, ref = self.sides([MARK, READ_WRITE])
        self.assertLikeAlembic(mine, ref, ["upgrade", "head"], bridged=["e2000000000b"])
        self.assertEqual(self.marks(mine)[1], 'total 903, it\'s "x%y"')
        self.assertLikeAlembic(mine, ref, ["downgrade", "base"])

    def test_conform_parameter(self):
        if self.kind == "mysql":   # PyMySQL has no adaptation protocol
            return
        mine, ref = self.sides([MARK, CONFORM])
        self.assertLikeAlembic(mine, ref, ["upgrade", "head"], bridged=["ea000000001d"])
        self.assertEqual(self.marks(mine)[9], "tag's 2")

    def test_inspect_then_ddl(self):
        mine, ref = self.sides([MARK, INSPECT])
        self.assertLikeAlembic(mine, ref, ["upgrade", "head"], bridged=["e3000000000c"])
        self.assertIn("audit", mine[1].tables())
        self.assertNotIn("never", mine[1].tables())
        self.assertTrue(self.marks(mine)[2].startswith(self.kind if self.kind != "mysql" else "mysql"))
        self.assertIn("['id', 'name', 'qty', 'extra']", self.marks(mine)[4])
        if self.kind == "postgresql":
            self.assertTrue(self.marks(mine)[4].endswith("([1, 2], ['a b', None], Decimal('2.0'), Decimal('1.5')))"),
                            self.marks(mine)[4])

    def test_failing_statement_caught(self):
        """The handler sees the real driver's class; on PostgreSQL the transaction is
        aborted and the step's next statement fails, as under Alembic."""
        mine, ref = self.sides([MARK, TRY_EXCEPT])
        aborts = self.kind == "postgresql"
        r, _ = self.assertLikeAlembic(mine, ref, ["upgrade", "head"], rc=1 if aborts else 0)
        if aborts:
            self.assertIn("InFailedSqlTransaction", H.failed_line(r), r.stderr)
            self.assertEqual(mine[1].version_rows(), ["e1000000000a"])
        else:
            expected = {"sqlite": "sqlite3.OperationalError", "mysql": "pymysql.err.ProgrammingError"}[self.kind]
            self.assertEqual(self.marks(mine)[3], expected)

    def test_failing_step(self):
        """A bridged step that raises leaves what Alembic leaves, and the version table
        names exactly the steps whose changes are there; a re-run fails the same way."""
        mine, ref = self.sides([MARK, READ_WRITE, FAILS, NATIVE])
        for attempt in range(2):
            r, _ = self.assertLikeAlembic(mine, ref, ["upgrade", "head"], rc=1)
            self.assertIn("e8000000001b", H.failed_line(r), r.stderr)
            self.assertEqual(mine[1].version_rows(), ["e2000000000b"])
            self.assertNotIn("after", mine[1].tables())
            if self.kind == "mysql":   # ADD COLUMN committed the row before it, as under Alembic
                continue
            self.assertIn("boom after 2 rows", H.failed_line(r), r.stderr)
            self.assertNotIn(8, self.marks(mine))

    def test_autocommit_block(self):
        mine, ref = self.sides([MARK, AUTOCOMMIT])
        self.assertLikeAlembic(mine, ref, ["upgrade", "head"], bridged=["e9000000001c"])
        self.assertEqual(self.marks(mine), {6: "before", 7: "inside 2", 8: "after"})
        self.assertLikeAlembic(mine, ref, ["downgrade", "base"])

    def test_autocommit_block_then_failure(self):
        """What ran before and inside the block stays, what followed it does not."""
        failing = (AUTOCOMMIT[0], AUTOCOMMIT[1] + "\n    raise RuntimeError('after the block')",
                   AUTOCOMMIT[2], AUTOCOMMIT[3])
        mine, ref = self.sides([MARK, failing])
        r, _ = self.assertLikeAlembic(mine, ref, ["upgrade", "head"], rc=1)
        self.assertIn("after the block", H.failed_line(r), r.stderr)
        self.assertEqual(self.marks(mine), {6: "before", 7: "inside 2"})

    def test_mixed_run(self):
        """Native, rendered and bridged steps (batch mode among them) in one run, up and
        down and up again: the same schema, data and version table as Alembic's."""
        revs = [MARK, READ_WRITE, RENDERED, INSPECT, NATIVE, BATCH]
        mine, ref = self.sides(revs)
        self.assertLikeAlembic(mine, ref, ["upgrade", "head"], bridged=["e2000000000b", "e3000000000c", "e7000000001a"])
        self.assertLikeAlembic(mine, ref, ["downgrade", "base"])
        self.assertLikeAlembic(mine, ref, ["upgrade", "head"])
        self.assertEqual(mine[1].version_rows(), ["e7000000001a"])

    def counting_sides(self, revs):
        """Projects whose env.py counts its online runs, says when one finishes, and sets
        an option of its own (compare_server_default) for every step to see."""
        sides = self.sides(revs)
        for side in sides:
            env = os.path.join(side[0], "migrations", "env.py")
            with open(env) as f:
                text = f.read()
            text = text.replace("config = context.config\n", "config = context.config\n" + ENVPY_COUNTS, 1)
            text = text.replace("connection=connection, target_metadata=target_metadata",
                                "connection=connection, target_metadata=target_metadata, "
                                "compare_server_default=True", 1)
            text = text.replace("if context.is_offline_mode():\n    run_migrations_offline()\n"
                                "else:\n    run_migrations_online()\n", ENVPY_DONE, 1)
            self.assertIn("ENVPY_RUNS", text)
            self.assertIn("compare_server_default", text)
            self.assertIn("env.py finished", text)
            with open(env, "w") as f:
                f.write(text)
        return sides

    def test_envpy_runs_once_for_the_bridged_steps(self):
        """Several bridged steps, a native one between them: env.py runs online once (as
        under Alembic), each step sees what it configured, and its code after
        run_migrations() runs once, after the last step."""
        revs = [MARK, PROBE_1, PROBE_2, NATIVE, PROBE_3]
        mine, ref = self.counting_sides(revs)
        r, a = self.assertLikeAlembic(mine, ref, ["upgrade", "head"],
                                      bridged=[PROBE_1[0], PROBE_2[0], PROBE_3[0]])
        marks = self.marks(mine)
        self.assertEqual({k: marks[k] for k in (21, 22, 23)},
                         {21: "True runs=1 rows=2", 22: "True runs=1 rows=2", 23: "True runs=1 rows=2"},
                         r.stderr)
        finished = re.findall(r"env\.py finished online run \d+", r.stdout + r.stderr)
        self.assertEqual(finished, re.findall(r"env\.py finished online run \d+", a.stdout + a.stderr), r.stderr)
        self.assertEqual(finished, ["env.py finished online run 1"], r.stderr)
        self.assertLikeAlembic(mine, ref, ["downgrade", "base"])

    def test_failing_step_between_bridged_steps(self):
        """A bridged step that raises while env.py waits for more: Alembic's error, and
        the database as Alembic leaves it (the steps before it, not it nor what follows)."""
        mine, ref = self.counting_sides([MARK, PROBE_1, FAILS, PROBE_2])
        r, _ = self.assertLikeAlembic(mine, ref, ["upgrade", "head"], rc=1)
        self.assertIn("e8000000001b", H.failed_line(r), r.stderr)
        self.assertEqual(mine[1].version_rows(), [PROBE_1[0]])
        self.assertEqual(self.marks(mine).get(21), "True runs=1 rows=2")
        self.assertNotIn(22, self.marks(mine))
        if self.kind != "mysql":   # (MySQL: ADD COLUMN committed the row before it, as under Alembic)
            self.assertIn("boom after 2 rows", H.failed_line(r), r.stderr)
            self.assertNotIn(8, self.marks(mine))


class BridgeSQLite(_Bridge):
    kind = "sqlite"


class BridgePostgreSQL(_Bridge):
    kind = "postgresql"
    PER_MIGRATION = True

    def test_one_transaction_failure(self):
        """The stock env.py's one transaction: a bridged step failing late leaves nothing,
        as Alembic's rolled-back run does, and the steps before it ran in Retort's
        transaction (bridged), not in Alembic's."""
        mine, ref = self.sides([MARK, READ_WRITE, INSPECT, FAILS], per_migration=False)
        r, _ = self.assertLikeAlembic(mine, ref, ["upgrade", "head"], rc=1, bridged=["e2000000000b", "e3000000000c"])
        self.assertIn("boom after 2 rows", H.failed_line(r), r.stderr)
        self.assertIn(mine[1].version_rows(), (None, []))
        self.assertNotIn("items", mine[1].tables())


class BridgeMySQL(_Bridge):
    kind = "mysql"


if __name__ == "__main__":
    unittest.main()
