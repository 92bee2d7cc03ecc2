"""env.py's include_name / include_object, run the way Alembic 1.8.1's autogenerate runs
them (alembic/autogenerate/compare.py, api.py), over the database Retort introspected.

Retort compares natively; only these callables need Python. They are called for the
objects, with the arguments, Alembic would call them with, and the objects they reject
are reported. The reflected side is rebuilt as SQLAlchemy objects from Retort's
retort-schema snapshot (docs/schema-json.md), in one MetaData like Alembic's reflection:
enough for filters that look at names, types, `.info`, `.table`, `.columns`.

Each decision is reported by what the C++ comparator knows an object by:
{"type", "schema" (None = default), "table", "name" (the SQL name), "columns", "reflected"}.
"""

import json
import os
import sys
import traceback

import sqlalchemy as sa
from sqlalchemy import schema as sa_schema


class FilterError(Exception):
    """A filter callable raised: carries the original exception for the traceback."""

    def __init__(self, hook, exc):
        super().__init__("%s raised %s: %s" % (hook, type(exc).__name__, exc))
        self.hook = hook
        self.original = exc


# --------------------------------------------------------------------------------------
# The reflected side as SQLAlchemy objects

def _type_class(info, dialect):
    import importlib
    cls_name = info.get("class") or ""
    for modname in ("sqlalchemy.dialects.%s" % dialect.name, "sqlalchemy.types"):
        try:
            cls = getattr(importlib.import_module(modname), cls_name, None)
        except ImportError:
            cls = None
        if isinstance(cls, type) and issubclass(cls, sa.types.TypeEngine):
            return cls
    return dialect.ischema_names.get(cls_name) or sa.types.NullType


def _make_type(col, dialect):
    """The reflected column's type, close to what the Inspector would have built."""
    info = col.get("type_info") or {}
    cls = _type_class(info, dialect)
    if info.get("enum_values") and issubclass(cls, sa.Enum):
        try:
            return cls(*info["enum_values"], name=info.get("enum_name"))
        except TypeError:
            pass
    attempts = []
    if info.get("length") is not None:
        attempts.append({"length": info["length"]})
    if info.get("precision") is not None:
        attempts.append({k: info[k] for k in ("precision", "scale") if info.get(k) is not None})
    if info.get("timezone") is not None:
        attempts.append({"timezone": info["timezone"]})
    for kw in attempts + [{}]:
        try:
            return cls(**kw)
        except TypeError:
            continue
    return sa.types.NullType()


def _make_column(col, dialect):
    kw = {"nullable": bool(col.get("nullable", True)), "comment": col.get("comment")}
    if col.get("default") is not None:
        kw["server_default"] = sa.text(col["default"])
    ai = col.get("autoincrement", "auto")
    kw["autoincrement"] = ai if isinstance(ai, bool) else "auto"
    return sa.Column(col["name"], _make_type(col, dialect), **kw)


def reflected_metadata(snapshot, dialect):
    """{(schema, table): Table} for every table of the snapshot, in one MetaData."""
    md = sa.MetaData()
    tables = {}
    for ns in snapshot.get("schemas", []):
        for t in ns.get("tables", []):
            cols = [_make_column(c, dialect) for c in t.get("columns", [])]
            table = sa.Table(t["name"], md, *cols, schema=ns.get("name"),
                             comment=t.get("comment"))
            pk = t.get("primary_key") or {}
            if pk.get("columns"):
                table.append_constraint(sa.PrimaryKeyConstraint(
                    *[table.c[c] for c in pk["columns"] if c in table.c], name=pk.get("name")))
            tables[(ns.get("name"), t["name"])] = (table, t)
    return tables


def _reflected_index(ix, table):
    cols = [c for c, expr in zip(ix.get("columns", []), ix.get("expressions") or [])
            if not expr] if ix.get("expressions") else list(ix.get("columns", []))
    if len(cols) != len(ix.get("columns", [])) or any(c not in table.c for c in cols):
        return None   # expression indexes: SQLAlchemy 1.4's Inspector skips them too
    obj = sa_schema.Index(ix.get("name"), *[table.c[c] for c in cols],
                          unique=bool(ix.get("unique")), _table=table)
    if ix.get("duplicates_constraint"):
        obj.info["duplicates_constraint"] = ix["duplicates_constraint"]
    return obj


def _reflected_unique(uq, table):
    if any(c not in table.c for c in uq.get("columns", [])):
        return None
    return sa_schema.UniqueConstraint(*[table.c[c] for c in uq["columns"]], name=uq.get("name"))


def _reflected_fk(fk, table):
    target = fk["referred_table"]
    if fk.get("referred_schema"):
        target = "%s.%s" % (fk["referred_schema"], target)
    if any(c not in table.c for c in fk.get("columns", [])):
        return None
    const = sa_schema.ForeignKeyConstraint(
        [table.c[c] for c in fk["columns"]],
        ["%s.%s" % (target, c) for c in fk.get("referred_columns", [])],
        onupdate=fk.get("onupdate"), ondelete=fk.get("ondelete"),
        deferrable=fk.get("deferrable"), initially=fk.get("initially"), name=fk.get("name"))
    table.append_constraint(const)
    return const


# --------------------------------------------------------------------------------------
# Running the hooks

class _Runner:
    """Calls the hooks and records what they reject."""

    def __init__(self, include_name, include_object, dialect):
        self.include_name = include_name
        self.include_object = include_object
        self.dialect = dialect
        self.excluded_names = []
        self.excluded_objects = []
        self.calls = {"include_name": 0, "include_object": 0}

    @staticmethod
    def _entry(type_, schema, table, name, columns, reflected):
        return {"type": type_, "schema": schema or None, "table": table, "name": name,
                "columns": [str(c) for c in columns], "reflected": reflected}

    def name_ok(self, name, type_, schema, table, columns=()):
        """run_name_filters: parent_names as Alembic builds them."""
        if not self.include_name:
            return True
        if type_ == "schema":
            parents = {}
        elif type_ == "table":
            parents = {"schema_name": schema}
        else:
            parents = {"table_name": table, "schema_name": schema}
        if "schema_name" in parents:
            tname = name if type_ == "table" else parents.get("table_name")
            if tname:
                parents["schema_qualified_table_name"] = (
                    "%s.%s" % (schema, tname) if schema else tname)
        self.calls["include_name"] += 1
        try:
            ok = self.include_name(name, type_, parents)
        except Exception as exc:
            raise FilterError("include_name", exc)
        if not ok:
            self.excluded_names.append(self._entry(type_, schema, table, name, columns, True))
        return bool(ok)

    def object_ok(self, obj, name, type_, reflected, compare_to, key):
        """run_object_filters; key = (schema, table, sql name, columns) for the report."""
        if not self.include_object:
            return True
        self.calls["include_object"] += 1
        try:
            ok = self.include_object(obj, name, type_, reflected, compare_to)
        except Exception as exc:
            raise FilterError("include_object", exc)
        if not ok:
            self.excluded_objects.append(self._entry(type_, key[0], key[1], key[2], key[3], reflected))
        return bool(ok)


def _final_name(obj, dialect):
    """sqla_compat._get_constraint_final_name: the name autogenerate matches on."""
    if obj.name is None:
        return None
    try:
        return dialect.identifier_preparer.format_constraint(obj, _alembic_quote=False)
    except Exception:
        return str(obj.name)


def _model_parts(table):
    uniques = [c for c in table.constraints if isinstance(c, sa_schema.UniqueConstraint)]
    fks = [c for c in table.constraints if isinstance(c, sa_schema.ForeignKeyConstraint)]
    return list(table.indexes), uniques, fks


def _cols(obj):
    try:
        return [c.name for c in obj.columns]
    except Exception:
        return []


def run_filters(metadatas, snapshot, dialect, include_name, include_object,
                version_table="alembic_version", version_table_schema=None):
    r = _Runner(include_name, include_object, dialect)
    default_schema = snapshot.get("default_schema") or None
    reflected = reflected_metadata(snapshot, dialect)
    # Alembic always asks about the default schema (None), with or without tables.
    db_schemas = [None] + [ns.get("name") for ns in snapshot.get("schemas", [])
                           if ns.get("name") not in (None, "information_schema")]

    # _produce_net_changes: schemas (None included), then _autogen_for_tables: tables.
    schemas = [s for s in db_schemas if r.name_ok(s, "schema", s, None)]
    conn = {}
    for (s, tname), (table, raw) in sorted(reflected.items(), key=lambda k: (k[0][0] or "", k[0][1])):
        if s not in schemas or (s == version_table_schema and tname == version_table):
            continue
        if r.name_ok(tname, "table", s, tname):
            conn[(s, tname)] = (table, raw)

    model = {}
    for md in metadatas:
        for t in md.sorted_tables:
            s = None if t.schema == default_schema else t.schema
            if (s, t.name) != (version_table_schema, version_table):
                model.setdefault((s, t.name), t)

    for key, mt in model.items():
        ct = conn.get(key)
        r.object_ok(mt, mt.name, "table", False, ct[0] if ct else None, (key[0], key[1], key[1], []))
        _compare_table_parts(r, key, ct, mt)
    for key, (ct, raw) in conn.items():
        if key not in model:
            r.object_ok(ct, key[1], "table", True, None, (key[0], key[1], key[1], []))
            _compare_table_parts(r, key, (ct, raw), None)
    return {"excluded_names": r.excluded_names, "excluded_objects": r.excluded_objects,
            "calls": r.calls}


def _compare_table_parts(r, key, conn, mt):
    s, tname = key
    ct, raw = conn if conn else (None, None)
    if ct is not None and mt is not None:
        _columns(r, key, ct, mt)
    _indexes_and_uniques(r, key, ct, raw, mt)
    if ct is not None and mt is not None:
        _foreign_keys(r, key, ct, raw, mt)


def _columns(r, key, ct, mt):
    s, tname = key
    conn_cols = {c.name: c for c in ct.c if r.name_ok(c.name, "column", s, tname)}
    meta_cols = [c for c in mt.c if not c.system]
    for c in meta_cols:
        r.object_ok(c, c.name, "column", False, conn_cols.get(c.name), (s, tname, c.name, []))
    names = {c.name for c in meta_cols}
    for name, c in conn_cols.items():
        if name not in names:
            r.object_ok(c, name, "column", True, None, (s, tname, name, []))


def _indexes_and_uniques(r, key, ct, raw, mt):
    s, tname = key
    d = r.dialect
    conn_ix, conn_uq = {}, {}
    if ct is not None:
        for uq in raw.get("unique_constraints", []):
            if r.name_ok(uq.get("name"), "unique_constraint", s, tname, uq.get("columns", [])):
                obj = _reflected_unique(uq, ct) if mt is not None else None
                if obj is not None:
                    conn_uq.setdefault(uq.get("name"), []).append(obj)
        for ix in raw.get("indexes", []):
            if r.name_ok(ix.get("name"), "index", s, tname, ix.get("columns", [])):
                obj = _reflected_index(ix, ct)
                # correct_for_autogen_constraints: indexes backing a constraint are left out
                if obj is not None and not (d.name != "sqlite" and ix.get("duplicates_constraint")):
                    conn_ix.setdefault(ix.get("name"), []).append(obj)
    meta_names = set()
    if mt is not None:
        indexes, uniques, _ = _model_parts(mt)
        for ix in indexes:
            name = _final_name(ix, d)
            meta_names.add(("index", name))
            other = (conn_ix.get(name) or [None])[0]
            r.object_ok(ix, ix.name, "index", False, other, (s, tname, name, _cols(ix)))
        if ct is not None:   # unique constraints of a created table are inline
            for uq in uniques:
                name = _final_name(uq, d)
                meta_names.add(("unique_constraint", name))
                other = (conn_uq.get(name) or [None])[0] if name else None
                r.object_ok(uq, uq.name, "unique_constraint", False, other, (s, tname, name, _cols(uq)))
    for name, objs in conn_ix.items():
        for obj in objs:
            r.object_ok(obj, obj.name, "index", True, None, (s, tname, name, _cols(obj)))
    if mt is not None:
        for name, objs in conn_uq.items():
            for obj in objs:
                r.object_ok(obj, obj.name, "unique_constraint", True, None, (s, tname, name, _cols(obj)))


def _foreign_keys(r, key, ct, raw, mt):
    s, tname = key
    d = r.dialect
    conn_fks = []
    for fk in raw.get("foreign_keys", []):
        if r.name_ok(fk.get("name"), "foreign_key_constraint", s, tname, fk.get("columns", [])):
            obj = _reflected_fk(fk, ct)
            if obj is not None:
                conn_fks.append(obj)
    meta_fks = _model_parts(mt)[2]
    meta_by_name = {_final_name(f, d): f for f in meta_fks if f.name is not None}
    conn_by_name = {f.name: f for f in conn_fks if f.name is not None}
    for f in conn_fks:
        r.object_ok(f, f.name, "foreign_key_constraint", True, meta_by_name.get(f.name),
                    (s, tname, f.name, _cols(f)))
    for f in meta_fks:
        name = _final_name(f, d)
        r.object_ok(f, f.name, "foreign_key_constraint", False, conn_by_name.get(name),
                    (s, tname, name, [e.parent.name for e in f.elements]))


# --------------------------------------------------------------------------------------
# The helper's second answer

def answer(snapshot_path, live, fail):
    """{"ok": true, "filters": {...}} or fail()'s error document. live: what the metadata
    helper kept from env.py (metadatas, dialect, env_py, configure() keywords)."""
    try:
        with open(snapshot_path) as f:
            snapshot = json.load(f)
        opts = live["opts"]
        hook = lambda k: opts.get(k) if callable(opts.get(k)) else None
        found = run_filters(live["metadatas"], snapshot, live["dialect"],
                            hook("include_name"), hook("include_object"),
                            version_table=opts.get("version_table") or "alembic_version",
                            version_table_schema=opts.get("version_table_schema"))
        return {"ok": True, "filters": found}
    except FilterError as exc:
        _drop_helper_frames(exc.original)
        failed = fail("filter-error", str(exc),
                      "env.py's %s callable raised while Retort ran it the way Alembic's "
                      "autogenerate does; fix the callable (the traceback shows where)." % exc.hook,
                      exc.original)
        failed["error"]["file"], failed["error"]["line"] = _hook_frame(exc.original, live.get("env_py", ""))
        return failed
    except BaseException as exc:
        return fail("internal", "%s: %s" % (type(exc).__name__, exc),
                    "Retort's filter helper failed unexpectedly.", exc)


def _drop_helper_frames(exc):
    """The traceback from the callable down, as Alembic would show it (no frames of ours)."""
    here = os.path.dirname(os.path.abspath(__file__))
    tb = exc.__traceback__
    while tb is not None and os.path.dirname(os.path.abspath(tb.tb_frame.f_code.co_filename)) == here:
        tb = tb.tb_next
    exc.__traceback__ = tb


def _hook_frame(exc, env_py):
    """The env.py (else project file) line the failing callable was at."""
    frames = traceback.extract_tb(exc.__traceback__)
    for fr in reversed(frames):
        if os.path.abspath(fr.filename) == env_py:
            return fr.filename, fr.lineno or 0
    here = os.path.dirname(os.path.abspath(__file__))
    for fr in reversed(frames):
        f = fr.filename
        if f.startswith("<") or os.path.dirname(os.path.abspath(f)) == here:
            continue
        if f.startswith(sys.prefix) or f.startswith(getattr(sys, "base_prefix", sys.prefix)):
            continue
        return f, fr.lineno or 0
    return "", 0
