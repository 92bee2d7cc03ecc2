"""Self-test of the corpus harness's "both fail" check (realworld.at_last_good) and of its
recheck of SQL differences against fresh Alembic runs (realworld.alembic_also_writes): ctest
realworld.lastgood.

On SQLite Alembic keeps what a failing migration did before its error (DDL is not
transactional there); Retort rolls the failing migration back whole. The harness must call
that "Retort's schema = Alembic's at the last good revision" only when it is so."""
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import dbutil  # noqa: E402
import project  # noqa: E402
import realworld  # noqa: E402

FIRST = '''revision = "a1"
down_revision = None
from alembic import op
import sqlalchemy as sa
def upgrade():
    op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True))
def downgrade():
    op.drop_table("t")
'''
SECOND = '''revision = "b2"
down_revision = "a1"
from alembic import op
import sqlalchemy as sa
def upgrade():
    op.add_column("t", sa.Column("extra", sa.Integer()))
    op.drop_constraint("no_such", "t")  # SQLite: NotImplementedError, after the column is added
def downgrade():
    pass
'''


def main():
    d = tempfile.mkdtemp()
    try:
        versions = os.path.join(d, "versions")
        os.makedirs(versions)
        for name, text in (("a1_first.py", FIRST), ("b2_second.py", SECOND)):
            with open(os.path.join(versions, name), "w") as f:
                f.write(text)
        proj = os.path.join(d, "proj")
        project.build(versions, proj, {"sqlite": "sqlite:///" + os.path.join(proj, "db", "x.db")})
        os.makedirs(os.path.join(proj, "db"))
        ini = "alembic-sqlite.ini"

        def upgraded(name, target):
            url = dbutil.fresh_database("sqlite", None, name, os.path.join(proj, "db"))
            project.set_url(proj, "sqlite", url)
            rc = realworld.run(project.ALEMBIC + ["-c", ini, "upgrade", target], proj, 120).rc
            return rc, dbutil.schema_snapshot(url)

        rc, partial = upgraded("partial", "heads")
        assert rc != 0 and partial["versions"] == ["a1"], (rc, partial["versions"])
        assert "extra" in str(partial["tables"]["t"]), "Alembic keeps the failing migration's column"
        _, whole = upgraded("whole", "a1")
        out = {"alembic": {"upgrade_rc": 1, "versions_after_upgrade": ["a1"]},
               "retort": {"upgrade_rc": 255, "versions_after_upgrade": ["a1"]}}
        yes = realworld.at_last_good(proj, "t", "sqlite", None, None, 120, out, {("retort", "up"): whole})
        assert yes is True, "a schema rolled back to a1 is Alembic's at the last good revision"
        no = realworld.at_last_good(proj, "t", "sqlite", None, None, 120, out, {("retort", "up"): partial})
        assert no is False, "a schema with the failing migration's column is not"
        out["retort"]["versions_after_upgrade"] = []
        assert realworld.at_last_good(proj, "t", "sqlite", None, None, 120, out,
                                      {("retort", "up"): whole}) is False, "different versions: no claim"
        # A difference in --sql is Retort's only if no fresh Alembic process writes Retort's SQL.
        args = ["-c", ini, "upgrade", "a1", "--sql"]
        written = realworld.normalise(realworld.run(project.ALEMBIC + args, proj, 120), project_dir=proj)[1]
        assert realworld.alembic_also_writes(written, proj, args, proj, tries=1) is True
        assert realworld.alembic_also_writes(written + "CREATE INDEX other ON t (id);\n", proj, args, proj,
                                             tries=2) is False
        # Lines in another order count only where Alembic's own runs differ among themselves.
        real_run = realworld.run
        try:
            for outputs, expected in ((["A;\nB;\nC;\n", "B;\nA;\nC;\n"], True), (["A;\nB;\nC;\n"], False)):
                calls = []

                def fake(cmd, cwd, timeout, env=None, outputs=outputs, calls=calls):
                    calls.append(cmd)
                    return realworld.Res(0, outputs[len(calls) % len(outputs)], "", 0.0)
                realworld.run = fake
                got = realworld.alembic_also_writes("C;\nA;\nB;\n", proj, args, proj, tries=4)
                assert got is expected, (outputs, got)
        finally:
            realworld.run = real_run
        print("realworld lastgood: ok")
    finally:
        shutil.rmtree(d)


if __name__ == "__main__":
    main()
