"""Self-test of the corpus harness's stand-ins (bench/realworld/stubs.py): ctest realworld.stubs.

Each case is something a project's revision script does with a stubbed helper that made the
reference tool fail before the parent of a checked revision could be built from base."""
import os
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stubs  # noqa: E402


def main():
    d = tempfile.mkdtemp()
    stubs.write_stubs(d, ["proj.setup", "proj.model", "proj.types"])
    sys.path.insert(0, d)
    from proj.model import current_app, Server  # noqa: E402
    from proj.setup import user_info, get_version  # noqa: E402
    from proj.types import JSON  # noqa: E402

    # pgadmin4 fdc58d9bd449: `email, password = user_info()`.
    email, password = user_info()
    assert str(email) == "user_info()[0]", str(email)
    assert list(user_info()) == [], "a plain loop over a made-up result stays empty"
    # ... then current_app.config[...] = ..., and the made-up values bound as parameters.
    current_app.config["KEY"] = "x"
    c = sqlite3.connect(":memory:")
    c.execute("CREATE TABLE u (email TEXT)")
    c.execute("INSERT INTO u VALUES (?)", (email,))
    assert c.execute("SELECT email FROM u").fetchone() == ("user_info()[0]",)
    from psycopg2.extensions import adapt
    assert adapt(email).getquoted() == b"'user_info()[0]'"
    # pgadmin4 09d53fca90c7: `if version < 2:` on a made-up version (ordered like 0, as falsy);
    # Server.__table__ of a made-up model.
    v = get_version()
    assert v < 2 and v <= 0 and not v > 0 and v >= 0
    assert Server.__table__ is not None
    # prefect 29ad9bef6147: a GIN index on the project's JSON type: JSONB on PostgreSQL.
    from sqlalchemy.dialects import postgresql, sqlite
    assert JSON().compile(dialect=postgresql.dialect()) == "JSONB"
    assert JSON().compile(dialect=sqlite.dialect()) == "JSON"
    # pgadmin4 09d53fca90c7 writes config.SETTINGS_SCHEMA_VERSION into an integer column.
    import proj.setup
    assert proj.setup.SETTINGS_SCHEMA_VERSION == 0
    models()
    print("realworld stubs: ok")


def models():
    """pgadmin4 f195f9a4923d: `Session(bind=op.get_bind()).query(Keys).filter_by(...)` and
    `query(User).with_entities(User.id, ...)` on made-up models: the tables named after them."""
    import sqlalchemy as sa
    from sqlalchemy.orm import Session
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from proj.model import Keys, User, SharedServer
    assert str(Keys.query) == "query", "outside a migration a model's attributes are made up"
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE keys (name TEXT PRIMARY KEY, value TEXT)")
        conn.exec_driver_sql("INSERT INTO keys VALUES ('SALT', 's1')")
        conn.exec_driver_sql("CREATE TABLE user (id INTEGER PRIMARY KEY, email TEXT)")
        conn.exec_driver_sql("INSERT INTO user VALUES (1, 'a@b'), (2, 'c@d')")
        conn.exec_driver_sql("CREATE TABLE shared_server (id INTEGER PRIMARY KEY)")
        with Operations.context(MigrationContext.configure(conn)):
            session = Session(bind=conn)
            assert session.query(Keys).filter_by(name="SALT").first().value == "s1"
            rows = session.query(User).with_entities(User.id, User.email).all()
            assert [tuple(r) for r in rows] == [(1, "a@b"), (2, "c@d")], rows
            assert SharedServer.__clause_element__().name == "shared_server"
            assert str(User.query) == "query", "not a column: made up"
            # A column added later in the same run is seen.
            conn.exec_driver_sql("ALTER TABLE keys ADD COLUMN extra TEXT")
            assert session.query(Keys.extra).first() == (None,)


if __name__ == "__main__":
    main()
