#!/usr/bin/python3
"""Generate an N-revision linear Alembic project with real DDL for the stairway bench.

usage: bench/gen_stairway_project.py N DIR URL

Revisions cycle through: create a table (id, name), add a column to the newest table,
create an index on it — each with the downgrade that undoes it. alembic.ini / env.py /
script.py.mako from `alembic init`; sqlalchemy.url = URL.
"""
import os
import re
import subprocess
import sys


def main():
    n, d, url = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    os.makedirs(d, exist_ok=True)
    if not os.path.exists(os.path.join(d, "alembic.ini")):
        subprocess.run(["/usr/bin/python3", "-m", "alembic", "init", "migrations"], cwd=d,
                       check=True, stdout=subprocess.DEVNULL)
    ini = os.path.join(d, "alembic.ini")
    text = re.sub(r"^sqlalchemy\.url = .*$", lambda m: "sqlalchemy.url = " + url.replace("%", "%%"),
                  open(ini).read(), flags=re.M)
    open(ini, "w").write(text)
    vdir = os.path.join(d, "migrations", "versions")
    down = None
    table = None
    for i in range(n):
        rid = "s%011d" % i
        kind = i % 3
        if kind == 0:
            table = "t%04d" % i
            up = ("    op.create_table(%r, sa.Column('id', sa.Integer(), primary_key=True),\n"
                  "                    sa.Column('name', sa.String(40), nullable=False))" % table)
            dn = "    op.drop_table(%r)" % table
        elif kind == 1:
            up = "    op.add_column(%r, sa.Column('extra', sa.Integer(), nullable=True))" % table
            dn = "    op.drop_column(%r, 'extra')" % table
        else:
            up = "    op.create_index('ix_%s_name', %r, ['name'])" % (table, table)
            dn = "    op.drop_index('ix_%s_name', table_name=%r)" % (table, table)
        with open(os.path.join(vdir, "%s_step.py" % rid), "w") as f:
            f.write('"""step %d\n\nRevision ID: %s\nRevises: %s\n"""\n'
                    "from alembic import op\nimport sqlalchemy as sa\n\n"
                    "revision = %r\ndown_revision = %r\nbranch_labels = None\ndepends_on = None\n\n\n"
                    "def upgrade():\n%s\n\n\ndef downgrade():\n%s\n"
                    % (i, rid, down, rid, down, up, dn))
        down = rid


if __name__ == "__main__":
    main()
