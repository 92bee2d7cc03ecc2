"""Stand-ins for the modules revision scripts import from their own project.

Both tools import the very same files (the harness puts the folder on prepend_sys_path), so
whatever a stub makes a script do, it does under Alembic and under Retort alike. Every
module named by an import becomes a package whose missing attributes are made up from the
name: CamelCase names are column types (TypeDecorator subclasses whose impl is guessed from
the name: JSON, UUID/GUID, time, bool, int, text, else String(255)), names ending in
Error/Exception are exception classes, ALL_CAPS names are constants (255 for sizes, 0 for
versions, else the lower-cased name), other names are permissive callables that return falsy
objects (ordered like 0, unpacked into as many made-up values as the targets, bound to a query as
their name). A made-up JSON type is JSONB on PostgreSQL (projects index theirs with GIN).
A made-up CamelCase class used as a model (`session.query(Keys)`, `User.id`) stands for the
table named after it in snake_case, reflected from the migration's bind, when there is one.
"""
import os

RUNTIME = r'''"""Written by bench/realworld/stubs.py: made-up attributes for stub modules."""
import dis
import sys

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

_TYPES = {}


class _TypeMeta(type(TypeDecorator)):
    """Class attributes of a made-up type (Model.query, Config.get_current()) are made up too."""

    def __getattr__(cls, name):
        # Used as a model (a query's entity, its columns): the table named after it, if any.
        if name == "__clause_element__" or not name.startswith("_"):
            table = _model_table(cls.__name__)
            if table is not None:
                if name == "__clause_element__":
                    return lambda: table
                if name in table.c:
                    return table.c[name]
        return lookup(cls.__name__, name)


_MODEL_TABLES = {}


def _snake(name):
    return "".join("_" + c.lower() if c.isupper() and i else c.lower()
                   for i, c in enumerate(name))


def _model_table(name):
    """The table a made-up model stands for: named after it in snake_case (as Flask-SQLAlchemy
    names a model's), reflected from the running migration's bind; None outside a migration
    or when there is no such table."""
    try:
        from alembic import op
        bind = op.get_bind()
        insp = sa.inspect(bind)
        table_name = _snake(name)
        if not insp.has_table(table_name):
            return None
        # One Table per model while its columns stay the same: a query names it once.
        names = [c["name"] for c in insp.get_columns(table_name)]
        key = (id(bind), table_name)
        table = _MODEL_TABLES.get(key)
        if table is None or [c.name for c in table.c] != names:
            table = sa.Table(table_name, sa.MetaData(), autoload_with=bind)
            _MODEL_TABLES[key] = table
        return table
    except Exception:
        return None


def _impl(name):
    n = name.lower()
    if "json" in n or "dict" in n or "pydantic" in n:
        return sa.JSON()
    if "uuid" in n or "guid" in n:
        return sa.CHAR(36)
    if "time" in n or "date" in n or "arrow" in n:
        return sa.DateTime(timezone=True)
    if "bool" in n:
        return sa.Boolean()
    if "int" in n:
        return sa.Integer()
    if "text" in n:
        return sa.Text()
    return sa.String(255)


def _json_dialect_impl(self, dialect):
    # A project's JSON type is JSONB on PostgreSQL (its scripts put GIN indexes on it, which
    # PostgreSQL's json has no operator class for).
    if dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql
        return dialect.type_descriptor(postgresql.JSONB())
    return dialect.type_descriptor(self.impl)


def _type(name):
    if name not in _TYPES:
        def __init__(self, *args, **kwargs):
            TypeDecorator.__init__(self)
        attrs = {"impl": _impl(name), "cache_ok": True, "__init__": __init__}
        if isinstance(attrs["impl"], sa.JSON):
            attrs["load_dialect_impl"] = _json_dialect_impl
        _TYPES[name] = _TypeMeta(name, (TypeDecorator,), attrs)
    return _TYPES[name]


_EXC = {}


def lookup(path, name):
    if name.startswith("__") and name not in ("__table__", "__tablename__"):  # models' own
        raise AttributeError(name)
    if name.endswith(("Error", "Exception")):
        return _EXC.setdefault(name, type(name, (Exception,), {}))
    n = name.lower()
    if name.isupper() and not ("_" not in name and any(
            k in n for k in ("json", "uuid", "guid", "text", "int", "bool", "time", "date"))):
        if any(k in n for k in ("size", "len", "max", "width")):
            return 255
        if n.endswith("version"):  # a schema or settings version: a number
            return 0
        return n
    if name[:1].isupper():
        return _type(name)
    return Anything(path + "." + name)


def _unpack_count(frame):
    """The n of the UNPACK_SEQUENCE the caller's frame is executing, else 0."""
    for ins in dis.get_instructions(frame.f_code):
        if ins.offset == frame.f_lasti:
            return ins.arg if ins.opname == "UNPACK_SEQUENCE" else 0
    return 0


class Anything:
    def __init__(self, path):
        self.__dict__["_path"] = path

    def __getattr__(self, name):
        return lookup(self._path, name)

    def __setattr__(self, name, value):
        pass

    def __call__(self, *args, **kwargs):
        return Anything(self._path + "()")

    def __getitem__(self, key):
        return Anything(self._path + "[]")

    def __setitem__(self, key, value):
        pass

    def __iter__(self):
        # Unpacked (`a, b = helper()`): as many made-up values as the target names; else empty.
        n = _unpack_count(sys._getframe(1))
        return iter([Anything("%s[%d]" % (self._path, i)) for i in range(n)])

    def __len__(self):
        return 0

    def __bool__(self):
        return False

    # Ordered like 0, as it is falsy and empty (`if version < 2:` on a made-up version).
    def __lt__(self, other):
        return 0 < other

    def __le__(self, other):
        return 0 <= other

    def __gt__(self, other):
        return 0 > other

    def __ge__(self, other):
        return 0 >= other

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __mro_entries__(self, bases):
        return (object,)

    def __conform__(self, protocol):
        # Bound as a query parameter (a made-up e-mail or password inserted): its name, as text.
        import sqlite3
        if protocol is sqlite3.PrepareProtocol:
            return str(self)
        from psycopg2.extensions import QuotedString
        return QuotedString(str(self))

    def __str__(self):
        return self._path.rsplit(".", 1)[-1]

    __repr__ = __str__
'''

MODULE = '''"""Stub of the project module {name} (bench/realworld/stubs.py)."""
import _rw_stub


def __getattr__(name):
    return _rw_stub.lookup(__name__, name)
'''


def write_stubs(stub_dir, modules):
    """One package per dotted module path (parents included)."""
    os.makedirs(stub_dir, exist_ok=True)
    with open(os.path.join(stub_dir, "_rw_stub.py"), "w") as f:
        f.write(RUNTIME)
    for mod in sorted(modules):
        d = os.path.join(stub_dir, *mod.split("."))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "__init__.py"), "w") as f:
            f.write(MODULE.format(name=mod))
