"""Migration environment for an async database driver.

Online migrations run through SQLAlchemy's asyncio extension: the connection is
async, the migration scripts themselves stay ordinary synchronous code.
Works unchanged with `alembic`; with --sql it works with `retort` too.
"""
import asyncio
from logging.config import fileConfig

from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config

from alembic import context

# The Config of the running command: the values of the .ini file.
config = context.config

# Set up Python logging from the [loggers], [handlers] and [formatters] sections.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# For 'autogenerate', point this at the MetaData of your models, e.g.
#   from myapp.models import Base
#   target_metadata = Base.metadata
target_metadata = None

# Further settings of your own can be read from the ini file:
#   my_option = config.get_main_option("my_option")


def run_migrations_offline() -> None:
    """Write the migrations out as SQL text (--sql) instead of running them.

    Only the URL is needed, to choose the SQL dialect: no connection is made
    and no database driver has to be installed.
    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )

    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    """The synchronous part, run inside the async connection's greenlet."""
    context.configure(connection=connection, target_metadata=target_metadata)

    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    """Open an async connection and run the migrations through it."""
    connectable = async_engine_from_config(
        config.get_section(config.config_ini_section),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    async with connectable.connect() as connection:
        await connection.run_sync(do_run_migrations)

    await connectable.dispose()


def run_migrations_online() -> None:
    """Connect to the database and run the migrations."""
    asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
