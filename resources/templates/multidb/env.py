"""Migration environment for several databases.

Each migration runs once per database named in the "databases" option; each
name is an ini section with its own sqlalchemy.url.
Works unchanged with both `retort` and `alembic`.
"""
import logging
from logging.config import fileConfig
import re

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic import context

# Set to True to commit with two-phase transactions (prepare on all, then commit).
USE_TWOPHASE = False

# The Config of the running command: the values of the .ini file.
config = context.config

# Set up Python logging from the [loggers], [handlers] and [formatters] sections.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)
logger = logging.getLogger("alembic.env")

# The database names, e.g. "engine1, engine2".
db_names = config.get_main_option("databases")

# For 'autogenerate', map each database name to the MetaData of its tables, e.g.
#   from myapp import models
#   target_metadata = {"engine1": models.metadata1, "engine2": models.metadata2}
target_metadata = {}


def database_names():
    return re.split(r",\s*", db_names)


def run_migrations_offline() -> None:
    """Write each database's SQL to <name>.sql (--sql) instead of running it.

    Only the URLs are needed, to choose the SQL dialects: no connection is
    made and no database driver has to be installed.
    """
    urls = {}
    for name in database_names():
        urls[name] = context.config.get_section_option(name, "sqlalchemy.url")

    for name, url in urls.items():
        logger.info("Migrating database %s" % name)
        file_ = "%s.sql" % name
        logger.info("Writing output to %s" % file_)
        with open(file_, "w") as buffer:
            context.configure(
                url=url,
                output_buffer=buffer,
                target_metadata=target_metadata.get(name),
                literal_binds=True,
                dialect_opts={"paramstyle": "named"},
            )
            with context.begin_transaction():
                context.run_migrations(engine_name=name)


def run_migrations_online() -> None:
    """Run the migrations on every database, all in one go.

    A transaction is opened on each database first; they are committed
    together at the end, or all rolled back if anything fails.
    """
    dbs = {}
    for name in database_names():
        engine = engine_from_config(
            context.config.get_section(name),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        connection = engine.connect()
        if USE_TWOPHASE:
            transaction = connection.begin_twophase()
        else:
            transaction = connection.begin()
        dbs[name] = (connection, transaction)

    try:
        for name, (connection, _) in dbs.items():
            logger.info("Migrating database %s" % name)
            context.configure(
                connection=connection,
                upgrade_token="%s_upgrades" % name,
                downgrade_token="%s_downgrades" % name,
                target_metadata=target_metadata.get(name),
            )
            context.run_migrations(engine_name=name)

        if USE_TWOPHASE:
            for _, transaction in dbs.values():
                transaction.prepare()

        for _, transaction in dbs.values():
            transaction.commit()
    except:  # noqa: E722 -- roll back on anything, then re-raise
        for _, transaction in dbs.values():
            transaction.rollback()
        raise
    finally:
        for connection, _ in dbs.values():
            connection.close()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
