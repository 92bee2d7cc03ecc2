"""Self-test of the corpus harness's online check (bench/realworld/livecheck.py, dbutil.py):
ctest realworld.livecheck.

A reflecting revision is checked from a parent Alembic built once and copied for both tools,
so rows the parent's history made at random (pgadmin4's os.urandom keys) are the same in
both, and a real difference in rows is named."""
import os
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dbutil  # noqa: E402
import livecheck  # noqa: E402


def main():
    d = tempfile.mkdtemp()
    parent = "sqlite:///" + os.path.join(d, "parent.db")
    c = sqlite3.connect(os.path.join(d, "parent.db"))
    c.execute("CREATE TABLE keys (name TEXT PRIMARY KEY, value TEXT)")
    c.execute("INSERT INTO keys VALUES ('CSRF', ?)", (os.urandom(8).hex(),))
    c.commit()
    c.close()
    a = dbutil.copy_database("sqlite", None, parent, "a", d)
    b = dbutil.copy_database("sqlite", None, parent, "b", d)
    assert dbutil.copy_database("mysql", None, parent, "m", d) is None
    snaps = []
    for url in (a, b):
        s = dbutil.schema_snapshot(url)
        s["rows"] = livecheck.data_snapshot(url)
        snaps.append(s)
    assert snaps[0]["rows"]["keys"], "the copy holds the parent's rows"
    assert dbutil.first_difference(*snaps) is None, dbutil.first_difference(*snaps)
    c = sqlite3.connect(b[len("sqlite:///"):])
    c.execute("UPDATE keys SET value = 'other'")
    c.commit()
    c.close()
    s = dbutil.schema_snapshot(b)
    s["rows"] = livecheck.data_snapshot(b)
    diff = dbutil.first_difference(snaps[0], s)
    assert diff and diff.startswith("keys rows:"), diff
    print("realworld livecheck: ok")


if __name__ == "__main__":
    main()
