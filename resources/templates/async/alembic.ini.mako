# Single-database configuration for an async driver (e.g. sqlite+aiosqlite,
# postgresql+asyncpg), read by both `retort` and `alembic`.

[alembic]
# where the migration environment (env.py, script.py.mako, versions/) lives
script_location = ${script_location}

# name of new revision files; the default is %%(rev)s_%%(slug)s.
# Uncomment to start file names with the creation date and time; the tokens are
# rev, slug, epoch, year, month, day, hour, minute and second.
# file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s

# entries put in front of sys.path (defaults to the current directory)
prepend_sys_path = .

# time zone for the date in new revision files and their names, e.g. UTC or
# Europe/Paris; leave unset for local time. Alembic needs python-dateutil for it.
# timezone =

# maximum length of the "slug" part of file names
# truncate_slug_length = 40

# 'true' runs env.py for the revision command even without --autogenerate
# revision_environment = false

# 'true' also picks up .pyc/.pyo revision files that have no .py source
# sourceless = false

# directories holding revision files, separated by version_path_separator;
# defaults to ${script_location}/versions. With several directories, a new
# branch needs --version-path.
# version_locations = %(here)s/bar:%(here)s/bat:${script_location}/versions

# how version_locations is split: ':', ';', 'space' or 'os' (os.pathsep).
# Without this key, the list is split on spaces and/or commas (legacy behaviour).
version_path_separator = os

# encoding of the revision files written from script.py.mako
# output_encoding = utf-8

sqlalchemy.url = driver://user:pass@localhost/dbname


[post_write_hooks]
# programs run on each newly written revision file, for example a formatter:
# hooks = black
# black.type = console_scripts
# black.entrypoint = black
# black.options = -l 79 REVISION_SCRIPT_FILENAME

# Logging
[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
