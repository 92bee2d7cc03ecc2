#!/usr/bin/python3
"""Generate a linear N-revision Alembic project where a given share of the steps need Python.

usage: bench/gen_python_project.py N DIR [--python-share 0.8] [--seed S] [--url URL]

Every revision does real work valid on SQLite, PostgreSQL and MySQL: it creates its own
table t_<i> (and puts a row in it) or adds a column to the table before it. The steps
picked to need Python (exactly round(N * share) of them, spread by the seed) use, in turn,
constructs Retort's native engine leaves to Python (try/for/if on the dialect or offline
mode are native since issue 11):
  - try/except around op calls whose handler re-raises the caught exception by name (ImportError: Retort still renders it),
  - a `while` loop over op calls,
  - op.get_bind() reading a row count (online only, behind `if not
    context.is_offline_mode()`, so that `alembic upgrade --sql` still completes),
  - sa.inspect(op.get_bind()) asking for the tables (online only, likewise).
The others use only what Retort runs natively. Downgrades undo each step, in the same
way (a needs-Python step's downgrade needs Python too). alembic.ini,
env.py and script.py.mako from `alembic init`; the URL defaults to SQLite next to the ini
(bench.db). DIR/revisions.txt lists the revision ids in order (base first).
"""
import argparse
import os
import random
import re
import subprocess
import sys

KINDS = ("try", "while", "get_bind", "inspect")


def native(i, prev):
    t = "t_%d" % i
    if prev is None or i % 3 != 2:
        up = ["op.create_table(%r," % t,
              "    sa.Column('id', sa.Integer(), primary_key=True, autoincrement=False),",
              "    sa.Column('name', sa.String(40), nullable=True))",
              "op.execute(\"INSERT INTO %s (id, name) VALUES (1, 'rev %d')\")" % (t, i)]
        return up, ["op.drop_table(%r)" % t], t
    col = "c_%d" % i
    return (["op.add_column(%r, sa.Column(%r, sa.Integer(), nullable=True))" % (prev, col)],
            ["op.drop_column(%r, %r)" % (prev, col)], prev)


def python(i, prev, kind):
    t = "t_%d" % i
    create = ["op.create_table(%r," % t,
              "    sa.Column('id', sa.Integer(), primary_key=True, autoincrement=False),",
              "    sa.Column('name', sa.String(40), nullable=True))"]
    drop = ["op.drop_table(%r)" % t]
    if kind == "try":
        up = ["try:"] + ["    " + l for l in create] + ["except ImportError as exc:", "    raise exc"]
        return up, ["try:", "    " + drop[0], "except ImportError as exc:", "    raise exc"], t
    if kind == "while":
        up = create + ["n = 0", "while n < 3:", "    n += 1",
                       "    op.execute(\"INSERT INTO %s (id, name) VALUES (%%d, 'loop')\" %% n)" % t]
        return up, ["n = 0", "while n < 3:", "    n += 1",
                    "    op.execute('DELETE FROM %s WHERE id = %%d' %% n)" % t] + drop, t
    if kind == "get_bind":
        src = prev or t
        up = create + ["if not context.is_offline_mode():",
                       "    bind = op.get_bind()",
                       "    n = bind.execute(sa.text('SELECT count(*) FROM %s')).scalar()" % src,
                       "    bind.execute(sa.text(\"INSERT INTO %s (id, name) VALUES (1, :n)\"), {'n': str(n)})" % t]
        return up, ["if not context.is_offline_mode():",
                    "    op.get_bind().execute(sa.text('DELETE FROM %s'))" % t] + drop, t
    up = create + ["if not context.is_offline_mode():",
                   "    if %r in sa.inspect(op.get_bind()).get_table_names():" % t,
                   "        op.execute(\"INSERT INTO %s (id, name) VALUES (1, 'inspected')\")" % t]
    return up, ["if not context.is_offline_mode():",
                "    if %r in sa.inspect(op.get_bind()).get_table_names():" % t,
                "        op.execute('DELETE FROM %s')" % t] + drop, t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("dir")
    ap.add_argument("--python-share", type=float, default=0.8)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--url", default="sqlite:///%(here)s/bench.db")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.dir, exist_ok=True)
    if not os.path.exists(os.path.join(a.dir, "alembic.ini")):
        subprocess.run(["/usr/bin/python3", "-m", "alembic", "init", "migrations"], cwd=a.dir,
                       check=True, stdout=subprocess.DEVNULL)
    ini = os.path.join(a.dir, "alembic.ini")
    with open(ini) as f:
        text = f.read()
    text = re.sub(r"^sqlalchemy\.url = .*$", lambda m: "sqlalchemy.url = " + a.url.replace("\\", "\\\\"),
                  text, flags=re.M)
    with open(ini, "w") as f:
        f.write(text)
    vdir = os.path.join(a.dir, "migrations", "versions")
    for f in os.listdir(vdir):
        if f.endswith(".py"):
            os.unlink(os.path.join(vdir, f))

    needs = set(rng.sample(range(a.n), round(a.n * a.python_share)))
    ids, prev_table, down = [], None, None
    kinds = {k: 0 for k in KINDS}
    for i in range(a.n):
        rid = "%012x" % rng.getrandbits(48)
        while rid in ids:
            rid = "%012x" % rng.getrandbits(48)
        if i in needs:
            kind = KINDS[len([x for x in needs if x < i]) % len(KINDS)]
            kinds[kind] += 1
            up, dn, prev_table = python(i, prev_table, kind)
        else:
            up, dn, prev_table = native(i, prev_table)
        msg = "step %d %s" % (i, "python" if i in needs else "native")
        text = ('"""%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: 2026-01-01 00:00:00.000000\n\n"""\n'
                "from alembic import context, op\nimport sqlalchemy as sa\n\n\n"
                "revision = %r\ndown_revision = %r\nbranch_labels = None\ndepends_on = None\n\n\n"
                "def upgrade() -> None:\n    %s\n\n\ndef downgrade() -> None:\n    %s\n"
                % (msg, rid, down or "", rid, down, "\n    ".join(up), "\n    ".join(dn)))
        with open(os.path.join(vdir, "%s_%s.py" % (rid, msg.replace(" ", "_"))), "w") as f:
            f.write(text)
        ids.append(rid)
        down = rid
    with open(os.path.join(a.dir, "revisions.txt"), "w") as f:
        f.write("\n".join(ids) + "\n")
    print("generated %d revisions (%d need Python: %s) in %s"
          % (a.n, len(needs), ", ".join("%d %s" % (v, k) for k, v in kinds.items()), a.dir), file=sys.stderr)


if __name__ == "__main__":
    main()
