#!/usr/bin/python3
"""Generate an autogenerate benchmark: a models package of N tables and a database that
matches it except for a few changes.

usage: bench/gen_autogen_project.py N DIR URL

Each table has a primary key, NOT NULL and nullable columns, a unique column, a foreign
key to table i // 2 (indexed; a tree, as a chain of 1,000 foreign keys is deeper than
SQLAlchemy's recursive reflection goes) and a numeric column; ten modules of N/10 tables.
The database at URL (empty) gets the tables through SQLAlchemy's create_all(); then the
models change: a column added (t0010.note), one dropped (t0020.amount), one renamed
(t0030.name -> title, a possible rename), an index added (t0040.created_at) and a table
added (extra). alembic.ini / env.py come from `alembic init`, pointed at the models.
"""
import os
import re
import subprocess
import sys

MODULES = 10


def table_source(i, changed):
    name = "t%04d" % i
    cols = ["    id = sa.Column(sa.Integer, primary_key=True)"]
    title = "title" if changed and i == 30 else "name"
    cols.append("    %s = sa.Column(sa.String(80), nullable=False)" % title)
    cols.append("    code = sa.Column(sa.String(20), nullable=False, unique=True)")
    if i > 1:
        cols.append('    parent_id = sa.Column(sa.Integer, sa.ForeignKey("t%04d.id", ondelete="CASCADE"), '
                    "index=True)" % (i // 2))
    if not (changed and i == 20):
        cols.append("    amount = sa.Column(sa.Numeric(10, 2), server_default=sa.text(\"0\"))")
    cols.append("    created_at = sa.Column(sa.DateTime, index=%s)" % (changed and i == 40))
    if changed and i == 10:
        cols.append("    note = sa.Column(sa.Text)")
    return "class T%04d(Base):\n    __tablename__ = %r\n%s\n" % (i, name, "\n".join(cols))


def write_models(root, n, changed):
    pkg = os.path.join(root, "models")
    os.makedirs(pkg, exist_ok=True)
    per = (n + MODULES - 1) // MODULES
    names = []
    for m in range(MODULES):
        lo, hi = m * per + 1, min(n, (m + 1) * per)
        if lo > hi:
            break
        body = "\n\n".join(table_source(i, changed) for i in range(lo, hi + 1))
        if changed and m == 0:
            body += ("\n\nclass Extra(Base):\n    __tablename__ = \"extra\"\n"
                     "    id = sa.Column(sa.Integer, primary_key=True)\n"
                     "    label = sa.Column(sa.String(40), nullable=False)\n")
        with open(os.path.join(pkg, "m%02d.py" % m), "w") as f:
            f.write("import sqlalchemy as sa\n\nfrom .base import Base\n\n\n" + body)
        names.append("m%02d" % m)
    with open(os.path.join(pkg, "base.py"), "w") as f:
        f.write("from sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n")
    with open(os.path.join(pkg, "__init__.py"), "w") as f:
        f.write("from .base import Base\nfrom . import %s  # noqa: F401\n" % ", ".join(names))


def main():
    n, root, url = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    os.makedirs(root, exist_ok=True)
    subprocess.run(["/usr/bin/python3", "-m", "alembic", "init", "migrations"], cwd=root, check=True,
                   stdout=subprocess.DEVNULL)
    ini = os.path.join(root, "alembic.ini")
    with open(ini) as f:
        text = f.read()
    text = re.sub(r"^sqlalchemy\.url = .*$", lambda _: "sqlalchemy.url = " + url.replace("%", "%%"),
                  text, flags=re.M)
    with open(ini, "w") as f:
        f.write(text)
    env = os.path.join(root, "migrations", "env.py")
    with open(env) as f:
        text = f.read()
    text = text.replace("target_metadata = None", "from models import Base\ntarget_metadata = Base.metadata")
    with open(env, "w") as f:
        f.write(text)

    write_models(root, n, changed=False)
    import sqlalchemy as sa
    sys.path.insert(0, root)
    from models import Base
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    Base.metadata.create_all(engine)
    engine.dispose()
    write_models(root, n, changed=True)


if __name__ == "__main__":
    main()
