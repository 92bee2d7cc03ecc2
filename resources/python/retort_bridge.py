"""Retort's bridge: a step Alembic must run online (it reads the database) runs its
upgrade()/downgrade() here, in Alembic, on a SQLAlchemy engine whose DBAPI connection is a
proxy: each statement the script (or SQLAlchemy, or Alembic) executes is sent to Retort,
which executes it on its own connection, inside its own transaction for the step, and
answers with the rows, or with the database's error, raised here as the real driver's
exception class (so a script's `except` behaves as under Alembic).

The protocol, on the worker's answer channel (stdout) and request channel (stdin), while a
request runs:  {"sql": "<statement, parameters rendered as literals>"}  ->
  {"ok": true, "columns": [name, ...] | null, "rows": [[value, ...], ...], "rowcount": n,
   "lastrowid": x}   or   {"ok": false, "code": "<driver code>", "class": "ProgrammingError",
  "message": "<the driver's text>"}.
Values other than JSON's own come as {"t": "bytes"|"datetime"|"date"|"time"|"decimal"|
"uuid"|"int"|"float"|"pgarray", "v": "<text>"} (a PostgreSQL array: "e", its
element kind).

Commit and rollback on the proxy do nothing: the transaction is Retort's. Autocommit (an
autocommit block) is passed on: {"sql": null, "autocommit": true|false} -> {"ok": ...}. The dialect is the real one (real driver module for exceptions and constants),
initialised through the proxy, so dialect name, driver and server_version_info are the
database's.
"""

import base64
import datetime
import decimal
import importlib
import json
import math
import os
import sys
import types
import uuid


class BridgeClosed(RuntimeError):
    pass


class Channel:
    """One statement out, one answer in."""

    def __init__(self, send, receive):
        self.send = send          # writes one JSON line to Retort
        self.receive = receive    # reads one line from Retort
        # While env.py finishes with Retort serving another request: no statement can be
        # answered then.
        self.closed = False

    def control(self, doc):
        """A transaction switch: {"sql": null, "autocommit": bool}."""
        return self._ask(dict({"sql": None}, **doc), doc)

    def execute(self, sql):
        return self._ask({"sql": sql}, sql)

    def _ask(self, request, shown):
        if self.closed:
            raise BridgeClosed("Retort's connection is not open to this step (env.py runs on after its steps)")
        self.send(request)
        line = self.receive()
        if os.environ.get("RETORT_BRIDGE_TRACE"):
            print("bridge: %s -> %s" % (shown, line.strip()[:200]), file=sys.stderr)
        if not line:
            raise BridgeClosed("Retort closed the bridge")
        return json.loads(line)


def _pg_array(text, kind):
    """A PostgreSQL array's text ("{1,2}", '{"a b",NULL}', nested) as psycopg2's list."""
    def conv(tok):
        if kind == "int":
            return int(tok)
        if kind == "float":
            return float(tok)
        if kind == "decimal":
            return decimal.Decimal(tok)
        if kind == "bool":
            return tok == "t"
        return tok

    if text.startswith("["):   # explicit bounds: "[0:1]={...}"
        text = text[text.index("=") + 1:]
    pos = 0

    def parse():
        nonlocal pos
        pos += 1   # "{"
        out = []
        if text[pos] == "}":
            pos += 1
            return out
        while True:
            c = text[pos]
            if c == "{":
                out.append(parse())
            elif c == '"':
                pos += 1
                buf = []
                while text[pos] != '"':
                    if text[pos] == "\\":
                        pos += 1
                    buf.append(text[pos])
                    pos += 1
                pos += 1
                out.append(conv("".join(buf)))
            else:
                j = pos
                while text[j] not in ",}":
                    j += 1
                tok = text[pos:j]
                pos = j
                out.append(None if tok == "NULL" else conv(tok))
            if text[pos] == ",":
                pos += 1
                continue
            pos += 1   # "}"
            return out

    return parse() if text.startswith("{") else text


def _value(v, dialect):
    if not isinstance(v, dict):
        return v
    t, text = v.get("t"), v.get("v")
    if t == "bytes":
        data = base64.b64decode(text)
        return memoryview(data) if dialect == "postgresql" else data
    if t == "datetime":
        if text.endswith("Z"):
            return datetime.datetime.fromisoformat(text[:-1]).replace(tzinfo=datetime.timezone.utc)
        return datetime.datetime.fromisoformat(text)
    if t == "date":
        return datetime.date.fromisoformat(text)
    if t == "time":
        return datetime.time.fromisoformat(text)
    if t == "decimal":
        return decimal.Decimal(text)
    if t == "uuid":
        return uuid.UUID(text)
    if t == "int":
        return int(text)
    if t == "float":
        return float(text)
    if t == "pgarray":
        return _pg_array(text, v.get("e"))
    return text


class Literals:
    """Parameters written into the statement as the database reads literals."""

    def __init__(self, dialect):
        self.dialect = dialect

    def string(self, s):
        if self.dialect == "postgresql":
            if "\\" in s:
                return "E'" + s.replace("\\", "\\\\").replace("'", "''") + "'"
            return "'" + s.replace("'", "''") + "'"
        if self.dialect == "mysql":
            out = s.replace("\\", "\\\\").replace("\0", "\\0").replace("\n", "\\n").replace("\r", "\\r")
            return "'" + out.replace("\032", "\\Z").replace("'", "\\'").replace('"', '\\"') + "'"
        return "'" + s.replace("'", "''") + "'"

    def conform(self, v):
        """The driver's adaptation protocol (PEP 246 __conform__), as sqlite3 and psycopg2 ask."""
        conform = getattr(type(v), "__conform__", None)
        if conform is None or isinstance(v, (str, bytes, int, float)):
            return None
        if self.dialect == "sqlite":
            import sqlite3
            return conform(v, sqlite3.PrepareProtocol)
        if self.dialect == "postgresql":
            from psycopg2.extensions import ISQLQuote
            return conform(v, ISQLQuote)
        return None

    def render(self, v):
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            if self.dialect == "postgresql":
                return "true" if v else "false"
            return "1" if v else "0"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, float):
            if math.isfinite(v):
                return repr(v)
            text = "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
            return "'%s'::float8" % text if self.dialect == "postgresql" else self.string(text)
        if isinstance(v, decimal.Decimal):
            return str(v) if v.is_finite() or self.dialect != "postgresql" else "'%s'::numeric" % v
        if isinstance(v, (bytes, bytearray, memoryview)):
            data = bytes(v)
            if self.dialect == "postgresql":
                return "'\\x%s'::bytea" % data.hex()
            return "X'%s'" % data.hex()
        if isinstance(v, datetime.datetime):
            if self.dialect == "mysql":   # as PyMySQL writes it: no time zone
                v = v.replace(tzinfo=None)
            return self.string(v.isoformat(sep=" "))
        if isinstance(v, (datetime.date, datetime.time)):
            return self.string(v.isoformat())
        if isinstance(v, datetime.timedelta) and self.dialect == "postgresql":
            return "'%d days %d seconds %d microseconds'::interval" % (v.days, v.seconds, v.microseconds)
        if isinstance(v, list) and self.dialect == "postgresql":
            return "ARRAY[%s]" % ", ".join(self.render(x) for x in v)
        if isinstance(v, (list, tuple)):
            return "(%s)" % ", ".join(self.render(x) for x in v)
        adapted = self.conform(v)
        if adapted is not None and adapted is not v:   # psycopg2's adapters answer themselves
            return self.render(adapted)
        if hasattr(v, "getquoted"):   # psycopg2 adapters (Json ...)
            quoted = v.getquoted()
            return quoted.decode("utf-8") if isinstance(quoted, bytes) else quoted
        if isinstance(v, dict):
            return self.string(json.dumps(v))
        return self.string(str(v))


class _Rendered:
    """A parameter for "%" formatting: psycopg2 and PyMySQL interpolate exactly so."""

    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text

    __repr__ = __str__


def _qmark(sql, params, render):
    """sqlite3's binding of ? (or :name for a mapping) outside literals and comments."""
    out, i, n, k = [], 0, len(sql), 0
    while i < n:
        c = sql[i]
        if c in "'\"`[":
            end = {"[": "]"}.get(c, c)
            j = sql.find(end, i + 1)
            j = n - 1 if j < 0 else j
            out.append(sql[i:j + 1])
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(sql[i:j])
            i = j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(sql[i:j])
            i = j
        elif c == "?" and not isinstance(params, dict):
            j = i + 1
            while j < n and sql[j].isdigit():
                j += 1
            index = int(sql[i + 1:j]) - 1 if j > i + 1 else k
            k += 1
            out.append(render(params[index]))
            i = j
        elif c in ":@$" and isinstance(params, dict) and i + 1 < n and (sql[i + 1].isalpha() or sql[i + 1] == "_"):
            j = i + 1
            while j < n and (sql[j].isalnum() or sql[j] == "_"):
                j += 1
            out.append(render(params[sql[i + 1:j]]))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


class Cursor:
    arraysize = 1

    def __init__(self, connection):
        self.connection = connection
        self.description = None
        self.rowcount = -1
        self.lastrowid = None
        self._rows = []
        self._pos = 0
        self.closed = False

    def mogrify(self, sql, params=None):
        text = self.connection._interpolate(sql.decode() if isinstance(sql, bytes) else sql, params)
        return text.encode("utf-8")

    def execute(self, sql, params=None):
        if isinstance(sql, bytes):
            sql = sql.decode("utf-8")
        if params is None and sql.strip().upper() == "COMMIT":
            # SQLAlchemy's MySQL dialect commits after setting an isolation level (when
            # autocommit ends, and when the pool resets the connection -- after a failure
            # too): the transaction is Retort's, which ends it with the step. (A script's
            # own COMMIT statement keeps the step off the bridge.)
            self.description, self.rowcount, self._rows = None, 0, []
            return 0 if self.connection._dialect == "mysql" else None
        answer = self.connection._execute(self.connection._interpolate(sql, params))
        columns = answer.get("columns")
        self.description = None if columns is None else [(c, None, None, None, None, None, None) for c in columns]
        dialect = self.connection._dialect
        self._rows = [tuple(_value(v, dialect) for v in row) for row in answer.get("rows") or []]
        self._pos = 0
        self.rowcount = answer.get("rowcount", -1)
        self.lastrowid = answer.get("lastrowid")
        return self.rowcount if dialect == "mysql" else None

    def executemany(self, sql, seq):
        total = 0
        for params in seq:
            self.execute(sql, params)
            total += max(self.rowcount, 0)
        self.rowcount = total
        self.description = None

    def fetchone(self):
        if self._pos >= len(self._rows):
            return None
        row = self._rows[self._pos]
        self._pos += 1
        return row

    def fetchmany(self, size=None):
        size = self.arraysize if size is None else size
        rows = self._rows[self._pos:self._pos + size]
        self._pos += len(rows)
        return rows

    def fetchall(self):
        rows = self._rows[self._pos:]
        self._pos = len(self._rows)
        return rows

    def __iter__(self):
        while True:
            row = self.fetchone()
            if row is None:
                return
            yield row

    def nextset(self):
        return None

    def setinputsizes(self, *a):
        pass

    def setoutputsize(self, *a):
        pass

    def close(self):
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Connection:
    """The DBAPI connection the dialect and the script see; statements go to Retort.

    Autocommit (Alembic's autocommit_block(), isolation_level="AUTOCOMMIT") is the one
    transaction control passed on: Retort commits its transaction, runs what follows
    outside one, and begins again when autocommit is switched off (as the driver would)."""

    def __init__(self, bridge):
        self._bridge = bridge
        self._dialect = bridge.dialect
        self._literals = Literals(bridge.dialect)
        self._autocommit = False
        self.closed = 0
        self.notices = []
        self.encoding = "UTF8"
        self.charset = "utf8mb4"
        info = bridge.info
        self.server_version = info.get("server_version")
        self.info = types.SimpleNamespace(server_version=info.get("server_version"),
                                          transaction_status=2, parameter_status=lambda name: None)
        self.status = 2   # psycopg2's STATUS_IN_TRANSACTION: the transaction is Retort's

    def _control(self, doc):
        answer = self._bridge.channel.control(doc)
        if not answer.get("ok"):
            raise self._bridge.exception(answer)

    def _switch(self, on):
        on = bool(on)
        if on == self._autocommit:
            return
        self._control({"autocommit": on})
        self._autocommit = on

    def set_session(self, *a, **kw):   # psycopg2
        if kw.get("autocommit") is not None:
            self._switch(kw["autocommit"])

    def set_isolation_level(self, level):   # psycopg2: 0 is ISOLATION_LEVEL_AUTOCOMMIT
        self._switch(level == 0)

    # Commit and rollback are Retort's.
    def commit(self):
        pass

    def rollback(self):
        pass

    def close(self):
        pass

    def cursor(self, *a, **kw):
        return Cursor(self)

    def character_set_name(self):
        return self.charset

    def get_transaction_status(self):
        return 2

    def set_client_encoding(self, encoding):
        pass

    def create_function(self, *a, **kw):
        pass

    def ping(self, *a, **kw):
        return True

    def _interpolate(self, sql, params):
        if params is None:
            return sql
        render = self._literals.render
        if self._bridge.paramstyle in ("pyformat", "format"):
            if isinstance(params, dict):
                return sql % {k: _Rendered(render(v)) for k, v in params.items()}
            return sql % tuple(_Rendered(render(v)) for v in params)
        return _qmark(sql, params, render)

    def _execute(self, sql):
        answer = self._bridge.channel.execute(sql)
        if not answer.get("ok"):
            raise self._bridge.exception(answer)
        return answer


class PostgresConnection(Connection):
    autocommit = property(lambda self: self._autocommit, lambda self, on: self._switch(on))


class MySQLConnection(Connection):
    def autocommit(self, on):   # PyMySQL and mysqlclient: a method
        self._switch(on)

    def get_autocommit(self):
        return self._autocommit


class SQLiteConnection(Connection):
    # sqlite3: isolation_level None is autocommit.
    isolation_level = property(lambda self: None if self._autocommit else "",
                               lambda self, level: self._switch(level is None))
    in_transaction = property(lambda self: not self._autocommit)


class Bridge:
    """The proxy DBAPI module and an engine on it, for the dialect Retort runs on."""

    DRIVERS = {"pysqlite": "sqlite3", "psycopg2": "psycopg2", "pymysql": "pymysql", "mysqldb": "MySQLdb"}

    def __init__(self, url, channel):
        import sqlalchemy
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import StaticPool

        self.url = make_url(url)
        self.channel = channel
        dialect_cls = self.url.get_dialect()
        driver = getattr(dialect_cls, "driver", "")
        if driver not in self.DRIVERS:
            raise RuntimeError("the bridge does not know the %s driver" % driver)
        self.dialect = dialect_cls.name if dialect_cls.name != "mariadb" else "mysql"
        self.real = importlib.import_module(self.DRIVERS[driver])
        self.paramstyle = getattr(dialect_cls, "default_paramstyle", None) or self.real.paramstyle
        self.info = self._handshake()
        self.module = self._module()
        self.connection = {"postgresql": PostgresConnection, "mysql": MySQLConnection,
                           "sqlite": SQLiteConnection}.get(self.dialect, Connection)(self)
        self.engine = sqlalchemy.create_engine(
            self.url, module=self.module, creator=lambda: self.connection, poolclass=StaticPool,
            # The connection is Retort's, set up already: nothing to configure on it.
            _wrap_do_on_connect=lambda fn: (lambda conn: None))

    def _handshake(self):
        """What the driver knows about the server without a query of the dialect's."""
        if self.dialect == "postgresql":
            a = self.channel.execute("SHOW server_version_num")
            return {"server_version": int(a["rows"][0][0])} if a.get("ok") else {}
        if self.dialect == "sqlite":
            a = self.channel.execute("select sqlite_version()")
            if a.get("ok"):
                text = a["rows"][0][0]
                return {"sqlite_version": text,
                        "sqlite_version_info": tuple(int(x) for x in text.split(".")[:3])}
        return {}

    def _module(self):
        real = self.real
        mod = types.ModuleType(real.__name__)
        for name in dir(real):
            if not name.startswith("__") or name == "__version__":
                setattr(mod, name, getattr(real, name))
        for key in ("sqlite_version", "sqlite_version_info"):
            if key in self.info:
                setattr(mod, key, self.info[key])
        mod.connect = lambda *a, **kw: self.connection
        return mod

    def exception(self, answer):
        """The real driver's exception for Retort's error."""
        real, code, message = self.real, answer.get("code") or "", answer.get("message") or ""
        cls = getattr(real, answer.get("class") or "DatabaseError", None) or real.DatabaseError
        if self.dialect == "postgresql":
            try:
                from psycopg2 import errors
                cls = errors.lookup(code)
            except Exception:
                pass
            return cls(message)
        if self.dialect == "mysql":
            try:
                return cls(int(code), message)
            except ValueError:
                return cls(message)
        return cls(message)

    def connect(self):
        return self.engine.connect()
