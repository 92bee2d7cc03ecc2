"""Fresh databases and schema snapshots for the real-world harness (SQLAlchemy from
/usr/bin/python3, the same one Alembic uses)."""
import os
import shutil
import warnings

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
import sqlalchemy as sa  # noqa: E402

warnings.filterwarnings("ignore")


def _with_db(url, name):
    return sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)


def fresh_database(dialect, base_url, name, sqlite_dir):
    """A URL to an empty database called name (dropped first if it exists)."""
    if dialect == "sqlite":
        path = os.path.join(sqlite_dir, name + ".db")
        if os.path.exists(path):
            os.remove(path)
        return "sqlite:///" + path
    admin = _with_db(base_url, "postgres" if dialect == "postgresql" else "mysql")
    eng = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        if dialect == "postgresql":
            c.execute(sa.text('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name))
            c.execute(sa.text('CREATE DATABASE "%s"' % name))
        else:
            c.execute(sa.text("DROP DATABASE IF EXISTS `%s`" % name))
            c.execute(sa.text("CREATE DATABASE `%s`" % name))
    eng.dispose()
    return _with_db(base_url, name)


def copy_database(dialect, base_url, src_url, name, sqlite_dir):
    """A URL to a new database called name holding what src_url holds (SQLite: the file;
    PostgreSQL: a template copy), or None where there is no such copy (MySQL)."""
    if dialect == "sqlite":
        path = os.path.join(sqlite_dir, name + ".db")
        shutil.copyfile(src_url[len("sqlite:///"):], path)
        return "sqlite:///" + path
    if dialect != "postgresql":
        return None
    admin = _with_db(base_url, "postgres")
    eng = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(sa.text('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name))
        c.execute(sa.text('CREATE DATABASE "%s" TEMPLATE "%s"' % (
            name, sa.engine.make_url(src_url).database)))
    eng.dispose()
    return _with_db(base_url, name)


def drop_database(dialect, base_url, url):
    if dialect == "sqlite":
        path = url[len("sqlite:///"):]
        if os.path.exists(path):
            os.remove(path)
        return
    name = sa.engine.make_url(url).database
    admin = _with_db(base_url, "postgres" if dialect == "postgresql" else "mysql")
    eng = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        q = '"%s" WITH (FORCE)' if dialect == "postgresql" else "`%s`"
        c.execute(sa.text("DROP DATABASE IF EXISTS " + q % name))
    eng.dispose()


def _norm_default(d):
    return None if d is None else str(d)


def schema_snapshot(url):
    """Tables (columns, keys, indexes, constraints), PostgreSQL enum types and the version
    table's rows, as plain data: two databases built the same way compare equal."""
    eng = sa.create_engine(url)
    snap = {"tables": {}, "enums": [], "versions": []}
    try:
        insp = sa.inspect(eng)
        tables = insp.get_table_names()
        # Retort's own journal of non-transactional steps (MySQL) is reported, not compared.
        snap["retort_tables"] = sorted(t for t in tables if t.startswith("retort_"))
        for t in sorted(t for t in tables if not t.startswith("retort_")):
            cols = [[c["name"], str(c["type"]), bool(c["nullable"]), _norm_default(c.get("default")),
                     bool(c.get("autoincrement")) if eng.dialect.name == "mysql" else None]
                    for c in insp.get_columns(t)]
            pk = insp.get_pk_constraint(t) or {}
            fks = sorted([sorted(fk["constrained_columns"]), fk["referred_table"],
                          sorted(fk["referred_columns"]), fk.get("name"),
                          sorted((fk.get("options") or {}).items())]
                         for fk in insp.get_foreign_keys(t))
            idx = sorted([i["name"], list(i["column_names"] or []), bool(i.get("unique"))]
                         for i in insp.get_indexes(t))
            uqs = sorted([u["name"], sorted(u["column_names"])]
                         for u in insp.get_unique_constraints(t))
            try:
                cks = sorted([c.get("name"), c.get("sqltext")]
                             for c in insp.get_check_constraints(t))
            except NotImplementedError:
                cks = []
            snap["tables"][t] = {"columns": cols, "pk": [pk.get("name"), pk.get("constrained_columns")],
                                 "fks": fks, "indexes": idx, "uniques": uqs, "checks": cks}
        if eng.dialect.name == "postgresql":
            snap["enums"] = sorted([e["name"], list(e["labels"])] for e in insp.get_enums())
        if "alembic_version" in snap["tables"]:
            with eng.connect() as c:
                snap["versions"] = sorted(r[0] for r in c.execute(
                    sa.text("SELECT version_num FROM alembic_version")))
    finally:
        eng.dispose()
    return snap


def first_difference(a, b):
    """A one-line description of where two snapshots differ, or None."""
    a = {k: v for k, v in a.items() if k != "retort_tables"}
    b = {k: v for k, v in b.items() if k != "retort_tables"}
    if a == b:
        return None
    if a["versions"] != b["versions"]:
        return "version table: alembic %s, retort %s" % (a["versions"], b["versions"])
    ta, tb = set(a["tables"]), set(b["tables"])
    if ta != tb:
        return "tables only in alembic's: %s; only in retort's: %s" % (
            sorted(ta - tb)[:5], sorted(tb - ta)[:5])
    for t in sorted(ta):
        for k in a["tables"][t]:
            va, vb = a["tables"][t][k], b["tables"][t][k]
            if va != vb:
                if k == "columns":
                    na, nb = [c[0] for c in va], [c[0] for c in vb]
                    if na != nb:
                        return "%s columns only in alembic's: %s; only in retort's: %s" % (
                            t, sorted(set(na) - set(nb)), sorted(set(nb) - set(na)))
                    for ca, cb in zip(va, vb):
                        if ca != cb:
                            return "%s column: alembic %s, retort %s" % (t, ca, cb)
                return "%s %s: alembic %s, retort %s" % (t, k, va, vb)
    if a["enums"] != b["enums"]:
        return "enum types: alembic %s, retort %s" % (a["enums"], b["enums"])
    ra, rb = a.get("rows") or {}, b.get("rows") or {}
    for t in sorted(set(ra) | set(rb)):
        if ra.get(t) != rb.get(t):
            return "%s rows: alembic %s, retort %s" % (t, (ra.get(t) or [])[:3], (rb.get(t) or [])[:3])
    return "differs"
