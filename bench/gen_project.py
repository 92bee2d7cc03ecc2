#!/usr/bin/python3
"""Generate an N-revision Alembic project for benchmarks.

usage: bench/gen_project.py N DIR [--seed S]

Realistic shape: mostly linear history, with a short-lived feature branch forked every
~40 revisions and merged back a few revisions later, a branch label every ~250
revisions; `pass` bodies; alembic.ini / env.py / script.py.mako from `alembic init`;
SQLite database next to the ini. Ends with a single head.
"""
import argparse
import os
import random
import re
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("dir")
    ap.add_argument("--seed", type=int, default=2024)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.dir, exist_ok=True)
    if not os.path.exists(os.path.join(a.dir, "alembic.ini")):
        subprocess.run(["/usr/bin/python3", "-m", "alembic", "init", "migrations"], cwd=a.dir,
                       check=True, stdout=subprocess.DEVNULL)
    ini = os.path.join(a.dir, "alembic.ini")
    text = open(ini).read()
    text = re.sub(r"^sqlalchemy\.url = .*$", "sqlalchemy.url = sqlite:///%(here)s/bench.db",
                  text, flags=re.M)
    open(ini, "w").write(text)
    vdir = os.path.join(a.dir, "migrations", "versions")
    for f in os.listdir(vdir):
        if f.endswith(".py"):
            os.unlink(os.path.join(vdir, f))

    words = "add drop alter index users orders invoices audit table column email status".split()
    ids = set()

    def new_id():
        while True:
            r = "%012x" % rng.getrandbits(48)
            if r not in ids:
                ids.add(r)
                return r

    revs = []  # (id, down tuple, labels)
    main_head = None
    feature = None  # (head id, merge at index)
    label_no = 0
    for i in range(a.n):
        rid = new_id()
        labels = ()
        if i > 0 and i % 250 == 0:
            label_no += 1
            labels = ("release_%d" % label_no,)
        if main_head is None:
            down = ()
        elif feature and i >= feature[1]:
            down = (main_head, feature[0])
            feature = None
        elif feature and rng.random() < 0.4:
            down = (feature[0],)
            feature = (rid, feature[1])
            revs.append((rid, down, labels))
            continue
        elif feature is None and i % 40 == 20 and i + 6 < a.n:
            down = (main_head,)
            feature = (rid, i + rng.randint(3, 6))
            revs.append((rid, down, labels))
            continue
        else:
            down = (main_head,)
        main_head = rid
        revs.append((rid, down, labels))

    for n, (rid, down, labels) in enumerate(revs):
        msg = " ".join(rng.sample(words, 3))
        dr = "None" if not down else (repr(down[0]) if len(down) == 1 else repr(down))
        body = ('"""%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: 2026-01-01 00:00:00.000000\n\n"""\n'
                "from alembic import op\nimport sqlalchemy as sa\n\n\n"
                "# revision identifiers, used by Alembic.\n"
                "revision = %r\ndown_revision = %s\nbranch_labels = %s\ndepends_on = None\n\n\n"
                "def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n"
                % (msg, rid, ", ".join(down), rid, dr, repr(labels) if labels else "None"))
        with open(os.path.join(vdir, "%s_%s.py" % (rid, msg.replace(" ", "_"))), "w") as f:
            f.write(body)
    print("generated %d revisions in %s" % (len(revs), a.dir), file=sys.stderr)


if __name__ == "__main__":
    main()
