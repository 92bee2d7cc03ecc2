"""`retort squash --until REV` (issue 14, item 5) side by side with Alembic 1.8.1, on a
throwaway database of each kind.

A fixture chain of five revisions (tables, a unique index, a foreign key, server defaults,
an enum, a batch operation, data inserted by bulk_insert / op.execute) is squashed up to
the third. Checked, with both `retort` and `/usr/bin/python3 -m alembic`:
(a) a fresh database upgraded through the baseline ends with the schema of one upgraded
    through the old chain before squashing (structure dumped with SQLAlchemy's inspector,
    and Alembic's own autogenerate compare_metadata() finding no difference);
(b) a database at rev4 before the squash keeps working: current, upgrade head, downgrade to
    rev3 and back;
(c) the old scripts are in the archive folder, out of the versions folder;
(d) refusals: a merge below REV, a database below REV (and with --force, that database is
    indeed lost to Alembic, as the refusal said).
SQLite always; PostgreSQL / MariaDB when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set.
"""
import os
import re

import conformance as C

R1, R2, R3, R4, R5 = ("a10000000001", "a20000000002", "a30000000003", "a40000000004", "a50000000005")


def body(*lines):
    return "\n".join("    " + l for l in lines).strip()


def revisions():
    r1 = C.Rev(R1, (), message="accounts")
    r1.body_up = body(
        "op.create_table('accounts', sa.Column('id', sa.Integer(), primary_key=True),",
        "                sa.Column('name', sa.String(40), nullable=False),",
        "                sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))",
        "op.create_index('ix_accounts_name', 'accounts', ['name'], unique=True)",
        "op.bulk_insert(sa.table('accounts', sa.column('id', sa.Integer()), sa.column('name', sa.String())),",
        "               [{'id': 1, 'name': 'ada'}, {'id': 2, 'name': 'bob'}])")
    r1.body_down = body("op.drop_index('ix_accounts_name', table_name='accounts')", "op.drop_table('accounts')")
    r2 = C.Rev(R2, (R1,), message="orders")
    r2.body_up = body(
        "op.create_table('orders', sa.Column('id', sa.Integer(), primary_key=True),",
        "                sa.Column('account_id', sa.Integer(), sa.ForeignKey('accounts.id'), nullable=False),",
        "                sa.Column('total', sa.Numeric(10, 2), server_default='0', nullable=False),",
        "                sa.Column('status', sa.Enum('new', 'paid', name='order_status'), nullable=False),",
        "                sa.Column('note', sa.Text()))")
    r2.body_down = body("op.drop_table('orders')",
                        "if op.get_bind().dialect.name == 'postgresql':",
                        "    op.execute('DROP TYPE order_status')")
    r3 = C.Rev(R3, (R2,), message="account email")
    r3.body_up = body(
        "with op.batch_alter_table('accounts') as batch_op:",
        "    batch_op.add_column(sa.Column('email', sa.String(100)))",
        "    batch_op.create_unique_constraint('uq_accounts_email', ['email'])",
        "op.execute(\"UPDATE accounts SET email = 'ada@example.org' WHERE id = 1\")")
    r3.body_down = body(
        "with op.batch_alter_table('accounts') as batch_op:",
        "    batch_op.drop_constraint('uq_accounts_email', type_='unique')",
        "    batch_op.drop_column('email')")
    r4 = C.Rev(R4, (R3,), message="tags")
    r4.body_up = body(
        "op.create_table('tags', sa.Column('id', sa.Integer(), primary_key=True),",
        "                sa.Column('label', sa.String(20), nullable=False),",
        "                sa.Column('account_id', sa.Integer(), sa.ForeignKey('accounts.id')))")
    r4.body_down = body("op.drop_table('tags')")
    r5 = C.Rev(R5, (R4,), message="orders index")
    r5.body_up = body("op.create_index('ix_orders_status', 'orders', ['status', 'total'])")
    r5.body_down = body("op.drop_index('ix_orders_status', table_name='orders')")
    return [r1, r2, r3, r4, r5]


def structure(url):
    """The schema without its rows: columns (type, nullability, default), keys, indexes,
    unique constraints and (PostgreSQL) enum types, as SQLAlchemy reflects them."""
    import sqlalchemy as sa
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with eng.connect() as c:
            insp = sa.inspect(c)
            out = {}
            for t in sorted(insp.get_table_names()):
                if t == "alembic_version" or t.startswith("retort_"):   # Retort's side tables
                    continue
                out[t] = {
                    "columns": [(col["name"], str(col["type"]), col["nullable"], col.get("default"))
                                for col in insp.get_columns(t)],
                    "pk": insp.get_pk_constraint(t)["constrained_columns"],
                    "fks": sorted((tuple(fk["constrained_columns"]), fk["referred_table"],
                                   tuple(fk["referred_columns"])) for fk in insp.get_foreign_keys(t)),
                    "indexes": sorted((ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                                      for ix in insp.get_indexes(t)),
                    "uniques": sorted((u["name"], tuple(u["column_names"]))
                                      for u in insp.get_unique_constraints(t)),
                }
            if eng.dialect.name == "postgresql":
                out["<enums>"] = sorted((e["name"], tuple(e["labels"])) for e in insp.get_enums())
            return out
    finally:
        eng.dispose()


def autogenerate_diff(reference_url, url):
    """Alembic's own autogenerate: the reference database reflected as the models, compared
    with `url` (types and server defaults too). [] when they match."""
    import sqlalchemy as sa
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    ref = sa.create_engine(reference_url, poolclass=sa.pool.NullPool)
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        meta = sa.MetaData()
        with ref.connect() as c:
            meta.reflect(c)
        meta.remove(meta.tables["alembic_version"])
        for name in [n for n in meta.tables if n.startswith("retort_")]:   # Retort's side tables
            meta.remove(meta.tables[name])

        def include_name(name, type_, parent_names):
            return not (type_ == "table" and name.startswith("retort_"))

        with eng.connect() as c:
            ctx = MigrationContext.configure(c, opts={"compare_type": True, "compare_server_default": True,
                                                      "include_name": include_name})
            return [repr(d) for d in compare_metadata(ctx, meta)]
    finally:
        ref.dispose()
        eng.dispose()


class _Squash(C.ConformanceCase):
    kind = None

    def setUp(self):
        if self.kind != "sqlite" and not C.server_url(self.kind):
            self.skipTest("%s server URL not set" % self.kind)
        self.projects, self.dbs = [], []

    def tearDown(self):
        for db in self.dbs:
            db.drop()
        for p in self.projects:
            p.cleanup()

    def project(self, revs=None, source=None):
        """A project (new, or a copy of `source`) with a database of its own."""
        p = source.copy() if source else C.Project(revs or revisions())
        db = C.Database(self.kind, C.server_url(self.kind))
        p.set_url(db.create(p.dir))
        self.projects.append(p)
        self.dbs.append(db)
        return p, db

    def ok(self, result):
        self.assertEqual(result.rc, 0, result)
        return result

    def alembic(self, p, *args):
        return self.ok(C.run_alembic(list(args), p.dir))

    def retort(self, p, *args):
        return self.ok(C.run_retort(list(args), p.dir))

    def server_databases(self):
        import sqlalchemy as sa
        eng = sa.create_engine(C.server_url(self.kind), poolclass=sa.pool.NullPool)
        try:
            with eng.connect() as c:
                sql = ("SELECT datname FROM pg_database" if self.kind == "postgresql" else "SHOW DATABASES")
                return [row[0] for row in c.exec_driver_sql(sql)]
        finally:
            eng.dispose()

    def versions(self, p):
        return sorted(f for f in os.listdir(os.path.join(p.dir, "migrations", "versions")) if f.endswith(".py"))

    def test_squash_side_by_side(self):
        # The old chain, run by Alembic before anything is squashed: the reference.
        ref, ref_db = self.project()
        self.alembic(ref, "upgrade", "head")
        reference = structure(ref_db.url_for_state())
        self.assertIn("email", [c[0] for c in reference["accounts"]["columns"]])

        p, db = self.project()
        self.alembic(p, "upgrade", R4)
        before = structure(db.url_for_state())
        r = self.retort(p, "squash", "--until", R3)
        self.assertIn("Baseline %s (down_revision None) written to" % R3, r.stdout)
        # Retort's own check: the baseline, run on another scratch database, gives the same schema.
        self.assertRegex(r.stdout, r"Checked: the baseline, run on .*, recreates the schema the old scripts "
                                   r"built at %s" % R3)
        self.assertIn("The project's database is at %s, not below %s: it keeps working." % (R4, R3), r.stdout)
        self.assertIn("a database at a squashed revision (%s, %s) can no longer be located" % (R1, R2), r.stdout)
        self.assertIn("WARNING [retort.squash] not carried into the baseline (data migrations and SQL text are "
                      "not schema): %s (%s_accounts.py): bulk_insert" % (R1, R1), r.stderr)
        self.assertIn("%s (%s_account_email.py): op.execute" % (R3, R3), r.stderr)
        if self.kind != "sqlite":
            scratch = re.search(r"on the temporary %s database (retort_scratch_[0-9a-f]{12})"
                                % ("postgresql" if self.kind == "postgresql" else "m(?:ysql|ariadb)"), r.stdout)
            self.assertIsNotNone(scratch, r.stdout)
            self.assertEqual([d for d in self.server_databases() if d.startswith("retort_scratch_")], [])  # dropped

        # (c) The archive holds the old scripts; the versions folder the baseline and above.
        archive = os.path.join(p.dir, "migrations", "archive", "squashed_" + R3)
        self.assertEqual(sorted(os.listdir(archive)),
                         sorted(["SQUASHED.txt"] + ["%s_%s.py" % (r.id, C.slug(r.message)) for r in p.revs[:3]]))
        self.assertEqual(self.versions(p), ["%s_baseline_account_email.py" % R3,
                                            "%s_tags.py" % R4, "%s_orders_index.py" % R5])
        with open(os.path.join(p.dir, "migrations", "versions", "%s_baseline_account_email.py" % R3)) as f:
            baseline = f.read()
        self.assertIn("revision = '%s'\ndown_revision = None\n" % R3, baseline)
        self.assertIn("# ### commands auto generated by Alembic - please adjust! ###", baseline)
        self.assertNotIn("nextval", baseline)   # a SERIAL's own sequence is not a default
        if self.kind == "postgresql":
            self.assertIn("    op.drop_table('accounts')\n    op.execute('DROP TYPE IF EXISTS order_status')\n", baseline)
        for tool in (C.run_alembic, C.run_retort):
            h = tool(["history"], p.dir)
            self.assertEqual(h.rc, 0, h)
            self.assertEqual(h.stdout.splitlines(), [
                "%s -> %s (head), orders index" % (R4, R5), "%s -> %s, tags" % (R3, R4),
                "<base> -> %s, baseline: account email" % R3])

        # (b) The database at rev4 keeps working with both tools.
        self.assertEqual(self.alembic(p, "current").stdout.split(), [R4])
        self.assertEqual(self.retort(p, "current").stdout.split(), [R4])
        self.assertEqual(structure(db.url_for_state()), before)
        self.retort(p, "upgrade", "head")
        self.assertEqual(db.version_rows(), [R5])
        self.assertEqual(structure(db.url_for_state()), reference)
        self.alembic(p, "downgrade", R3)
        self.assertEqual(db.version_rows(), [R3])
        self.alembic(p, "upgrade", "head")
        self.retort(p, "downgrade", R3)
        self.assertEqual(db.version_rows(), [R3])
        self.retort(p, "upgrade", "head")
        self.assertEqual(db.version_rows(), [R5])
        self.assertEqual(structure(db.url_for_state()), reference)

        # (a) Fresh databases through the baseline, with either tool: the old chain's schema.
        for tool in ("alembic", "retort"):
            fresh, fresh_db = self.project(source=p)
            getattr(self, tool)(fresh, "upgrade", "head")
            self.assertEqual(fresh_db.version_rows(), [R5], tool)
            self.assertEqual(structure(fresh_db.url_for_state()), reference, tool)
            self.assertEqual(autogenerate_diff(ref_db.url_for_state(), fresh_db.url_for_state()), [], tool)
            # The rows the old chain inserted are not schema: not carried, as said.
            self.assertEqual(fresh_db.schema_state()["accounts"][2], 0)
            # The baseline's downgrade drops what it created (enum types too: upgrading again works).
            getattr(self, tool)(fresh, "downgrade", "base")
            self.assertEqual(fresh_db.tables(), ["alembic_version"], tool)
            getattr(self, tool)(fresh, "upgrade", "head")
            self.assertEqual(structure(fresh_db.url_for_state()), reference, tool)

    def test_dry_run_writes_nothing(self):
        p, db = self.project()
        self.alembic(p, "upgrade", R4)
        before = self.versions(p)
        scratches = [["--scratch", "sqlite"]] + ([[]] if self.kind != "sqlite" else [])
        for scratch in scratches:
            r = self.retort(p, "squash", "--until", R3, "--dry-run", *scratch)
            where = "a temporary SQLite file" if scratch or self.kind == "sqlite" else "the temporary "
            self.assertIn("(3 revisions) on %s" % where, r.stdout)
            self.assertIn("Dry run: nothing written. The baseline would be:", r.stdout)
            self.assertIn("revision = '%s'\ndown_revision = None\n" % R3, r.stdout)
            self.assertEqual(self.versions(p), before)
            self.assertFalse(os.path.exists(os.path.join(p.dir, "migrations", "archive")))
        self.assertEqual(self.alembic(p, "current").stdout.split(), [R4])
        if self.kind == "postgresql":
            # Tables in another schema are said to be left out, not silently lost.
            revs = revisions()
            revs[1].body_up += "\n    " + body("op.execute('CREATE SCHEMA extra')",
                                               "op.create_table('audit', sa.Column('id', sa.Integer(), "
                                               "primary_key=True), schema='extra')")
            other, _ = self.project(revs)
            r = self.retort(other, "squash", "--until", R3, "--dry-run")
            self.assertIn("WARNING [retort.squash] schema extra exists at %s and is not in the baseline" % R3,
                          r.stderr)
            self.assertNotIn("audit", r.stdout)
            self.assertIn("op.create_table('orders'", r.stdout)

    def test_refuses_database_below_rev(self):
        p, db = self.project()
        self.alembic(p, "upgrade", R2)
        before = self.versions(p)
        r = C.run_retort(["squash", "--until", R3], p.dir)
        self.assertEqual(r.rc, 255, r)
        self.assertIn("FAILED: The project's database is at %s, below %s: once squashed, that revision no longer "
                      "exists" % (R2, R3), r.stdout)
        self.assertIn("pass --force", r.stdout)
        self.assertEqual(self.versions(p), before)
        self.assertFalse(os.path.exists(os.path.join(p.dir, "migrations", "archive")))
        if self.kind != "sqlite":
            # A server that cannot be reached cannot be checked: refused as well.
            r = C.run_retort(["squash", "--until", R3, "--url", re.sub(r"@[^/]*/", "@127.0.0.1:1/", db.url)], p.dir)
            self.assertEqual(r.rc, 255, r)
            self.assertIn("FAILED: Cannot check the project's database: cannot connect to", r.stdout)
            self.assertEqual(self.versions(p), before)
        # --force squashes anyway and warns: that database is then lost to Alembic too.
        r = self.retort(p, "squash", "--until", R3, "--force")
        self.assertIn("WARNING [retort.squash] The project's database is at %s, below %s" % (R2, R3), r.stderr)
        a = C.run_alembic(["current"], p.dir)
        self.assertNotEqual(a.rc, 0, a)
        self.assertIn("Can't locate revision identified by '%s'" % R2, a.stderr)

    def test_refuses_merge_below_rev(self):
        revs = revisions()[:2]
        side = C.Rev("b20000000002", (R1,), message="side")
        side.body_up = body("op.create_table('side', sa.Column('id', sa.Integer(), primary_key=True))")
        side.body_down = body("op.drop_table('side')")
        merge = C.Rev("c30000000003", (R2, side.id), message="merge")
        top = C.Rev("d40000000004", (merge.id,), message="top")
        p, db = self.project(revs + [side, merge, top])
        before = self.versions(p)
        r = C.run_retort(["squash", "--until", top.id], p.dir)
        self.assertEqual(r.rc, 255, r)
        self.assertIn("FAILED: Cannot squash: %s is a merge point (of %s, %s)" % (merge.id, R2, side.id), r.stdout)
        self.assertEqual(self.versions(p), before)
        self.assertFalse(os.path.exists(os.path.join(p.dir, "migrations", "archive")))
        # A branch leaving the chain below REV: refused as well.
        r = C.run_retort(["squash", "--until", R2], p.dir)
        self.assertEqual(r.rc, 255, r)
        self.assertIn("FAILED: Cannot squash: %s (below %s) is a branch point: %s also builds on it"
                      % (R1, R2, side.id), r.stdout)
        self.assertEqual(db.version_rows(), None)   # never created by the check


class SquashSQLite(_Squash):
    kind = "sqlite"


class SquashPostgreSQL(_Squash):
    kind = "postgresql"


class SquashMySQL(_Squash):
    kind = "mysql"
