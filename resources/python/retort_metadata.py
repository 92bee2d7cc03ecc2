#!/usr/bin/env python3
"""Retort's bridge to a project's SQLAlchemy models.

Loads the project's env.py the way `alembic revision --autogenerate` does (Config for
the ini and section, ScriptDirectory.from_config, which applies prepend_sys_path, then
env.py under an EnvironmentContext), but stops at context.configure(): the
`target_metadata` it receives is printed as JSON and nothing connects to a database.

Usage: retort_metadata.py --config alembic.ini [--name alembic] [--dialect sqlite]
                          [-x key=value ...] [--database-on-stdin]

Output (stdout, one JSON document):
  {"ok": true, "format": 1, "dialect": ..., "schema": {...}, "discovery": {...}}
  (discovery.dependencies: the files the answer came from, for Retort's model cache)
  {"ok": false, "error": {"kind", "message", "diagnosis", "traceback", "file", "line"}}
With --database-on-stdin the document is one line with "filters_pending"; when true the
helper reads a retort-schema snapshot path from stdin (empty line: stop) and answers a
second line, {"ok": true, "filters": {...}} (retort_filters.py) or an error document.
The exit code is 0 in both cases; anything else means the helper itself broke.
"""

import argparse
import json
import os
import re
import sys
import traceback


class _Captured(BaseException):
    """Raised from configure() to stop env.py once target_metadata is known.

    A BaseException so that an env.py `except Exception:` does not swallow it."""


def _where(exc, skip=("/alembic/",), own=__file__):
    """(file, line) of the innermost frame of exc inside the project: not in a folder
    named in `skip`, not "<frozen ...>", not the helper `own`; a SyntaxError's own place."""
    file, line = "", 0
    for fr in reversed(traceback.extract_tb(exc.__traceback__)):
        if any(s in fr.filename for s in skip) or fr.filename.startswith("<"):
            continue
        if os.path.abspath(fr.filename) == os.path.abspath(own):
            continue
        file, line = fr.filename, fr.lineno or 0
        break
    if isinstance(exc, SyntaxError) and exc.filename:
        file, line = exc.filename, exc.lineno or 0
    return file, line


def _fail(kind, message, diagnosis, exc=None):
    err = {"kind": kind, "message": message, "diagnosis": diagnosis,
           "traceback": "", "file": "", "line": 0}
    if exc is not None:
        err["traceback"] = "".join(
            traceback.format_exception(type(exc), exc, exc.__traceback__))
        err["file"], err["line"] = _where(exc)
    return {"ok": False, "error": err}


# --------------------------------------------------------------------------------------
# Rendering helpers: the Python text Alembic's autogenerate writes for a model object.
# Computed here because only the live SQLAlchemy objects know their repr().

def _sa_prefix_type(type_, imports, dialect_name=""):
    """Alembic's rendering of a type (render._repr_type): sa.X(...), <dialect>.X(...) or
    <module>.X(...), with PostgresqlImpl.render_type's sub-type forms on PostgreSQL."""
    mod = type(type_).__module__
    if mod.startswith("sqlalchemy.dialects"):
        dname = re.match(r"sqlalchemy\.dialects\.(\w+)", mod).group(1)
        imports.add("from sqlalchemy.dialects import %s" % dname)
        if dialect_name == "postgresql" and dname == "postgresql":
            sub = {"HSTORE": ("text_type", r"(.+?\(.*text_type=)"),
                   "ARRAY": ("item_type", r"(.+?\()"),
                   "JSON": ("astext_type", r"(.+?\(.*astext_type=)"),
                   "JSONB": ("astext_type", r"(.+?\(.*astext_type=)")}.get(type_.__visit_name__)
            if sub:
                rendered = _with_subtype(type_, imports, dialect_name, sub[0], sub[1])
                if rendered:
                    return rendered
        return "%s.%r" % (dname, type_)
    if mod.startswith("sqlalchemy."):
        variants = getattr(type_, "mapping", None) if type(type_).__name__ == "Variant" else None
        if variants:
            text = _sa_prefix_type(type_.impl, imports, dialect_name)
            for dname in sorted(variants):
                text += ".with_variant(%s, %r)" % (
                    _sa_prefix_type(variants[dname], imports, dialect_name), dname)
            return text
        if type_.__visit_name__ == "ARRAY":
            rendered = _with_subtype(type_, imports, dialect_name, "item_type", r"(.+?\()")
            if rendered:
                return rendered
        return "sa.%r" % (type_,)
    # Alembic writes user types with their module prefix and no import (the user adds it).
    return "%s.%r" % (mod, type_)


def _with_subtype(type_, imports, dialect_name, attr, regexp):
    """render._render_type_w_subtype: the inner type rendered with its own prefix."""
    inner = getattr(type_, attr, None)
    if inner is None:
        return None
    inner_repr = re.sub(r"([\(\)])", r"\\\1", repr(inner))
    sub = _sa_prefix_type(inner, imports, dialect_name)
    outer = re.sub(regexp + inner_repr, lambda m: m.group(1) + sub, repr(type_))
    mod = type(type_).__module__
    if mod.startswith("sqlalchemy.dialects"):
        return "%s.%s" % (re.match(r"sqlalchemy\.dialects\.(\w+)", mod).group(1), outer)
    if mod.startswith("sqlalchemy"):
        return "sa." + outer
    return None


def _compile(expr, dialect):
    return str(expr.compile(dialect=dialect,
                            compile_kwargs={"literal_binds": True, "include_table": False}))


def _render_expr(value, dialect, wrap_in_text=True):
    from sqlalchemy import sql
    if isinstance(value, sql.ClauseElement):
        text = repr(_compile(value, dialect))
        return "sa.text(%s)" % text if wrap_in_text else text
    return repr(value)


def _name_info(obj, dialect):
    """name as written, whether it is a naming-convention conv() (rendered op.f()),
    and the final SQL name (what autogenerate matches database names against)."""
    from sqlalchemy.sql.elements import conv
    name = obj.name
    if name is None:
        return {"name": None, "conv": False, "finalName": None}
    final = None
    try:
        final = dialect.identifier_preparer.format_constraint(obj, _alembic_quote=False)
    except Exception:
        final = str(name)
    return {"name": str(name), "conv": isinstance(name, conv), "finalName": final}


def _sqlite_needs_parens(expr):
    """SQLite takes expression defaults only in parentheses; constants stay bare."""
    return bool(expr) and not (re.match(r"^[0-9\.]$", expr) or re.match(r"^'.+'$", expr)
                               or re.match(r"^\(.+\)$", expr))


def _server_default(col, dialect):
    """Both of autogenerate's renderings: for create/add (render.py) and for compare."""
    from sqlalchemy import schema as sa_schema
    from sqlalchemy import types as sqltypes
    d = col.server_default
    if d is None:
        return None
    cls = type(d).__name__
    out = {"kind": "text", "python": None, "compare": None, "sql": None}
    if cls == "Computed":
        out["kind"] = "computed"
        out["sql"] = _compile(d.sqltext, dialect)
        kw = "" if d.persisted is None else "persisted=%r" % d.persisted
        out["python"] = "sa.Computed(%s, %s)" % (_render_expr(d.sqltext, dialect, False), kw)
        return out
    if cls == "Identity":
        out["kind"] = "identity"
        parts = ["always=%r" % d.always]
        if getattr(d, "on_null", None) is not None:
            parts.append("on_null=%r" % d.on_null)
        for attr in ("start", "increment", "minvalue", "maxvalue", "nominvalue",
                     "nomaxvalue", "cycle", "cache", "order"):
            v = getattr(d, attr, None)
            if v is not None:
                parts.append("%s=%r" % (attr, v))
        out["python"] = "sa.Identity(%s)" % ", ".join(parts)
        return out
    if not isinstance(d, sa_schema.DefaultClause):
        out["kind"] = "fetched"     # FetchedValue: nothing rendered
        return out
    if isinstance(d.arg, str):
        out["kind"] = "string"
        out["sql"] = d.arg
        out["python"] = repr(re.sub(r"^'|'$", "", d.arg))
        compare = d.arg
    else:
        out["sql"] = _compile(d.arg, dialect)
        rendered = out["sql"]
        if dialect.name == "sqlite" and _sqlite_needs_parens(rendered):
            rendered = "(%s)" % rendered
        out["python"] = "sa.text(%r)" % rendered
        compare = out["sql"]
    if col.type._type_affinity is sqltypes.String:
        compare = repr(re.sub(r"^'|'$", "", compare))
    out["compare"] = compare
    return out


# Per dump_metadata() call: (type class, attributes) -> (compiled SQL, Python repr). A
# thousand tables have a handful of distinct types, and repr()/compile() are slow.
_TYPE_CACHE = {}


def _type_texts(type_, dialect, imports):
    try:
        key = (type(type_), tuple(sorted(vars(type_).items())))
        hash(key)
    except TypeError:   # unhashable attributes (a Variant's mapping...): no reuse
        key = None
    if key is not None and key in _TYPE_CACHE:
        return _TYPE_CACHE[key]
    try:
        sql_type = type_.compile(dialect=dialect)
    except Exception:
        sql_type = None
    texts = (sql_type, _sa_prefix_type(type_, imports, dialect.name))
    if key is not None:
        _TYPE_CACHE[key] = texts   # its imports are in `imports` already
    return texts


def _column(col, table, dialect, imports):
    sql_type, python_type = _type_texts(col.type, dialect, imports)
    ai = col.autoincrement
    kwargs = []
    # dialect_options is memoized on first use: absent, no dialect kwargs were ever given
    # (iterating dialect_kwargs costs more than the rest of the column).
    if "dialect_options" in vars(col):
        for key, val in col.dialect_kwargs.items():
            kwargs.append([key, _render_expr(val, dialect)])
    enum = None
    if hasattr(col.type, "enums"):
        enum = {"name": getattr(col.type, "name", None), "values": list(col.type.enums),
                "schema": getattr(col.type, "schema", None)}
    return {
        "name": col.name,
        "type": sql_type,
        "pythonType": python_type,
        "typeClass": type(col.type).__name__,
        "typeAffinity": col.type._type_affinity.__name__ if col.type._type_affinity else None,
        "length": getattr(col.type, "length", None),
        "precision": getattr(col.type, "precision", None),
        "scale": getattr(col.type, "scale", None),
        "timezone": getattr(col.type, "timezone", None),
        "enum": enum,
        "nullable": bool(col.nullable),
        "primaryKey": bool(col.primary_key),
        "autoincrement": ai if isinstance(ai, bool) else "auto",
        "isAutoincrementColumn": table._autoincrement_column is col,
        "serverDefault": _server_default(col, dialect),
        "comment": col.comment,
        "system": bool(col.system),
        "dialectKwargs": kwargs,
    }


def _fk_colspec(fk, md_schema, metadata):
    tokens = fk._get_colspec().split(".")
    tname, colname = tokens[-2:]
    if md_schema is not None and len(tokens) == 2:
        full = "%s.%s" % (md_schema, tname)
    else:
        full = ".".join(tokens[0:-1])
    if not fk.link_to_name and fk.parent is not None and fk.parent.table is not None:
        if full in metadata.tables:
            col = metadata.tables[full].c.get(colname)
            if col is not None:
                colname = str(col.name)
    return "%s.%s" % (full, colname)


def _table(table, metadata, dialect, imports, module):
    from sqlalchemy import schema as sa_schema
    from sqlalchemy import types as sqltypes
    t = {"name": table.name, "schema": table.schema, "comment": table.comment,
         "module": module, "columns": [], "primaryKey": None, "foreignKeys": [],
         "indexes": [], "uniqueConstraints": [], "checkConstraints": [],
         "kwargs": [[k.replace(" ", "_"), repr(v)] for k, v in sorted(table.kwargs.items())],
         "prefixes": list(table._prefixes or [])}
    for col in table.columns:
        t["columns"].append(_column(col, table, dialect, imports))
    for cons in table.constraints:
        info = _name_info(cons, dialect)
        info["deferrable"] = cons.deferrable
        info["initially"] = cons.initially
        if isinstance(cons, sa_schema.PrimaryKeyConstraint):
            if cons.columns:
                info["columns"] = [c.name for c in cons.columns]
                t["primaryKey"] = info
        elif isinstance(cons, sa_schema.ForeignKeyConstraint):
            els = cons.elements
            info["columns"] = [e.parent.name for e in els]
            specs = [_fk_colspec(e, metadata.schema, metadata) for e in els]
            info["colspecs"] = specs
            info["referredSchema"] = ".".join(specs[0].split(".")[:-2]) or None
            info["referredTable"] = specs[0].split(".")[-2]
            info["referredColumns"] = [s.split(".")[-1] for s in specs]
            info["onupdate"] = cons.onupdate
            info["ondelete"] = cons.ondelete
            info["useAlter"] = bool(cons.use_alter)
            t["foreignKeys"].append(info)
        elif isinstance(cons, sa_schema.UniqueConstraint):
            info["columns"] = [c.name for c in cons.columns]
            info["named"] = info["finalName"] is not None
            t["uniqueConstraints"].append(info)
        elif isinstance(cons, sa_schema.CheckConstraint):
            rule = getattr(cons, "_create_rule", None)
            if rule is not None and isinstance(getattr(rule, "target", None), sqltypes.TypeEngine):
                continue   # generated by a type (Enum, Boolean): part of the column
            info["sqltext"] = _compile(cons.sqltext, dialect)
            info["python"] = _render_expr(cons.sqltext, dialect, wrap_in_text=False)
            t["checkConstraints"].append(info)
    for ix in table.indexes:
        info = _name_info(ix, dialect)
        info["unique"] = bool(ix.unique)
        cols, exprs = [], []
        for e in ix.expressions:
            if isinstance(e, sa_schema.Column):
                cols.append(e.name)
                exprs.append(repr(str(e.name)))
            else:
                cols.append(None)
                exprs.append(_render_expr(e, dialect))
        info["columns"] = cols
        info["expressions"] = exprs
        info["kwargs"] = [[k, _render_expr(v, dialect)] for k, v in ix.kwargs.items()]
        t["indexes"].append(info)
    t["indexes"].sort(key=lambda i: i["name"] or "")
    return t


def _table_modules(metadatas):
    """Where each Table comes from: its mapped class's module, else a module that holds it."""
    found = {}
    try:
        from sqlalchemy.orm import mapperlib
        for reg in list(getattr(mapperlib, "_mapper_registries", {})):
            for m in list(reg.mappers):
                for tbl in getattr(m, "tables", [m.local_table]):
                    if tbl is not None:
                        found.setdefault(id(tbl), m.class_.__module__)
    except Exception:
        pass
    wanted = {id(t) for md in metadatas for t in md.tables.values()} - set(found)
    if wanted:
        for modname, mod in list(sys.modules.items()):
            if not wanted:
                break
            try:
                values = list(vars(mod).values())
            except TypeError:
                continue
            for v in values:
                if id(v) in wanted:
                    found[id(v)] = modname
                    wanted.discard(id(v))
    return found


def _default_sql(sd):
    """The server default as SQL text; a plain string default becomes a quoted literal."""
    if not sd or sd["kind"] not in ("string", "text"):
        return None
    if sd["kind"] == "string" and not re.match(r"^'.*'$", sd["sql"]):
        return "'%s'" % sd["sql"].replace("'", "''")
    return sd["sql"]


def _schema_column(c):
    """One column in the retort-schema JSON shape (docs/schema-json.md)."""
    sd = c["serverDefault"]
    e = c["enum"] or {}
    return {
        "name": c["name"], "type": c["type"], "nullable": c["nullable"],
        "type_info": {"class": c["typeClass"], "affinity": c["typeAffinity"],
                      "length": c["length"], "precision": c["precision"], "scale": c["scale"],
                      "timezone": c["timezone"], "enum_values": e.get("values", []),
                      "enum_name": e.get("name"), "enum_schema": e.get("schema")},
        "default": _default_sql(sd),
        "autoincrement": c["autoincrement"],
        "identity": None,
        "computed": {"sqltext": sd["sql"], "persisted": None} if sd and sd["kind"] == "computed" else None,
        "comment": c["comment"],
    }


def dump_metadata(metadatas, dialect):
    """(retort-schema JSON, render hints, discovery). The hints carry what only the live
    objects know and autogenerate's output needs: Python reprs, conv() names, table order."""
    imports = set()
    _TYPE_CACHE.clear()
    modules = _table_modules(metadatas)
    namespaces, hints, enums, per_module = {}, [], {}, {}
    for md in metadatas:
        for table in md.sorted_tables:
            module = modules.get(id(table))
            t = _table(table, md, dialect, imports, module)
            per_module.setdefault(module or "<unknown>", []).append(table.name)
            ns = namespaces.setdefault(table.schema, {"name": table.schema, "tables": [],
                                                      "enums": [], "views": []})
            ns["tables"].append({
                "name": t["name"], "comment": t["comment"],
                "columns": [_schema_column(c) for c in t["columns"]],
                "primary_key": {"name": (t["primaryKey"] or {}).get("finalName"),
                                "columns": (t["primaryKey"] or {}).get("columns", [])},
                "foreign_keys": [{"name": f["finalName"], "columns": f["columns"],
                                  "referred_schema": f["referredSchema"],
                                  "referred_table": f["referredTable"],
                                  "referred_columns": f["referredColumns"],
                                  "ondelete": f["ondelete"], "onupdate": f["onupdate"],
                                  "deferrable": f["deferrable"], "initially": f["initially"]}
                                 for f in t["foreignKeys"]],
                "indexes": [{"name": i["finalName"], "unique": i["unique"],
                             "columns": [c if c is not None else x
                                         for c, x in zip(i["columns"], i["expressions"])],
                             "expressions": [c is None for c in i["columns"]]}
                            for i in t["indexes"]],
                "unique_constraints": [{"name": u["finalName"], "columns": u["columns"]}
                                       for u in t["uniqueConstraints"]],
                "check_constraints": [{"name": k["finalName"], "sqltext": k["sqltext"]}
                                      for k in t["checkConstraints"]],
                "dialect_options": {k: v for k, v in table.kwargs.items()
                                    if isinstance(v, (str, int, bool))},
            })
            for c in t["columns"]:
                e = c["enum"]
                if e and e["name"]:
                    enums[(e["schema"] or "", e["name"])] = e
            hints.append({
                "schema": t["schema"], "name": t["name"], "module": module,
                "kwargs": t["kwargs"], "prefixes": t["prefixes"],
                "columns": [{"name": c["name"], "python_type": c["pythonType"],
                             "server_default": c["serverDefault"],
                             "autoincrement": c["autoincrement"],
                             "autoincrement_column": c["isAutoincrementColumn"],
                             "system": c["system"], "kwargs": c["dialectKwargs"]}
                            for c in t["columns"]],
                "primary_key": t["primaryKey"],
                "foreign_keys": [{k: f[k] for k in ("name", "conv", "finalName", "columns",
                                                    "colspecs", "useAlter", "deferrable",
                                                    "initially", "onupdate", "ondelete")}
                                 for f in t["foreignKeys"]],
                "unique_constraints": [{k: u[k] for k in ("name", "conv", "finalName", "named",
                                                          "columns", "deferrable", "initially")}
                                       for u in t["uniqueConstraints"]],
                "check_constraints": [{k: ck[k] for k in ("name", "conv", "finalName", "python")}
                                      for ck in t["checkConstraints"]],
                "indexes": [{k: i[k] for k in ("name", "conv", "finalName", "expressions", "kwargs")}
                            for i in t["indexes"]],
            })
    for (sch, name), e in enums.items():
        if dialect.name == "postgresql":
            namespaces.setdefault(e["schema"], {"name": e["schema"], "tables": [], "enums": [],
                                                "views": []})["enums"].append(
                {"name": name, "schema": e["schema"], "labels": e["values"]})
    schema = {"format": "retort-schema", "format_version": 1, "dialect": dialect.name,
              "default_schema": getattr(dialect, "default_schema_name", None) or "",
              "server_version": "",
              "schemas": [namespaces[k] for k in sorted(namespaces, key=lambda n: (n is not None, n or ""))]}
    render = {"tables": hints, "imports": sorted(imports),
              "metadata_schemas": [md.schema for md in metadatas]}
    count = len(hints)
    discovery = {"table_count": count,
                 "modules": [{"module": m, "tables": ts} for m, ts in sorted(per_module.items())]}
    return schema, render, discovery


# --------------------------------------------------------------------------------------
# Loading env.py

def _project_frame(exc):
    """The innermost traceback file that is not the stdlib's, Alembic's or ours."""
    for fr in reversed(traceback.extract_tb(exc.__traceback__)):
        f = fr.filename
        if f.startswith("<") or "/alembic/" in f or "/importlib/" in f or f == os.path.abspath(__file__):
            continue
        if f.startswith(sys.prefix) or f.startswith(getattr(sys, "base_prefix", sys.prefix)):
            continue
        return f
    return ""


def _diagnose(exc, project_dir, sys_path_before):
    """A plain-language reason and fix for a failure while running env.py."""
    msg = str(exc)
    if isinstance(exc, ImportError) and "attempted relative import with no known parent package" in msg:
        frames = traceback.extract_tb(exc.__traceback__)
        where = os.path.normpath(frames[-1].filename) if frames else ""
        pkg_dir = os.path.dirname(os.path.abspath(where))
        pkg = os.path.basename(pkg_dir)
        parent = os.path.dirname(pkg_dir)
        return ("relative-import",
                "%s uses a relative import (`from .x import ...`) but was loaded as a top-level "
                "module, not as part of the package '%s'. Import the package by its name "
                "(e.g. `from %s import Base`) with its parent directory "
                "%s on sys.path (`prepend_sys_path = .` in alembic.ini when that is the "
                "project directory), instead of adding '%s' itself to sys.path."
                % (where, pkg, pkg, parent, pkg_dir))
    if isinstance(exc, ModuleNotFoundError):
        name = (exc.name or "").split(".")[0]
        importer = _project_frame(exc)
        pkg_dir = os.path.dirname(importer) if importer else ""
        if (pkg_dir and os.path.isfile(os.path.join(pkg_dir, "__init__.py"))
                and (os.path.isfile(os.path.join(pkg_dir, name + ".py"))
                     or os.path.isdir(os.path.join(pkg_dir, name)))):
            pkg = os.path.basename(pkg_dir)
            return ("relative-import",
                    "%s imports '%s' as a top-level module, but %s is a module of the package "
                    "'%s' it sits in. Inside a package, import it relatively: `from .%s import ...` "
                    "(or absolutely: `from %s.%s import ...`)."
                    % (importer, name, name, pkg, name, pkg, name))
        candidates = [d for d in {project_dir, os.getcwd()}
                      if os.path.isdir(os.path.join(d, name))
                      or os.path.isfile(os.path.join(d, name + ".py"))]
        if candidates:
            return ("module-not-on-path",
                    "Python cannot import '%s': it is in %s, which is not on sys.path. "
                    "Add `prepend_sys_path = .` to the [alembic] section of alembic.ini "
                    "(Alembic puts that directory, relative to where you run it, on sys.path "
                    "before env.py runs)." % (name, candidates[0]))
        return ("module-not-found",
                "Python cannot import '%s'. If it is part of your project, add its parent "
                "directory to `prepend_sys_path` in alembic.ini; if it is a library, install it "
                "into the interpreter Retort uses (%s)." % (exc.name, sys.executable))
    if isinstance(exc, SyntaxError):
        return ("syntax-error", "A Python file imported by env.py has a syntax error.")
    return ("env-error", "env.py raised %s before calling context.configure()." % type(exc).__name__)


def _dependencies(extra):
    """[path, mtime in ms, size] of every file the answer came from: the imported modules'
    files, their directories and sys.path's (a module added there changes their mtime),
    plus `extra`. Retort reuses a cached answer while all of them are unchanged."""
    paths = set(os.path.abspath(p) for p in extra)
    for mod in list(sys.modules.values()):
        f = getattr(mod, "__file__", None)
        if isinstance(f, str) and f:
            f = os.path.abspath(f)
            while f and not os.path.exists(f) and os.path.dirname(f) != f:
                f = os.path.dirname(f)   # a module inside a zip: the archive
            paths.update((f, os.path.dirname(f)))
    paths.update(os.path.abspath(p or ".") for p in sys.path)
    # Not the helpers' own temporary directory (a new one every run) nor their files.
    here = os.path.dirname(os.path.abspath(__file__))
    ours = lambda q: q == here or (os.path.dirname(q) == here
                                   and os.path.basename(q).startswith("retort_"))
    out = []
    for p in sorted(q for q in paths if not ours(q)):
        try:
            st = os.stat(p)
        except OSError:
            continue
        out.append([p, st.st_mtime_ns // 1000000, -1 if os.path.isdir(p) else st.st_size])
    return out


# What the filter phase needs from load(): the live MetaData, dialect and configure() kw.
_LIVE = {}


def load(args):
    try:
        from alembic.config import Config
        from alembic.runtime.environment import EnvironmentContext
        from alembic.script import ScriptDirectory
        from sqlalchemy.engine import url as sa_url
    except Exception as exc:   # noqa
        return _fail("no-alembic", str(exc),
                     "Alembic/SQLAlchemy cannot be imported by %s; point Retort at the project's "
                     "interpreter (the one where `python -m alembic` works)." % sys.executable, exc)

    ini = os.path.abspath(args.config)
    if not os.path.exists(ini):
        return _fail("no-config", "No config file %r found" % args.config,
                     "The alembic.ini file does not exist.")
    project_dir = os.path.dirname(ini)
    cfg = Config(ini, ini_section=args.name, cmd_opts=argparse.Namespace(x=args.x or None))
    sys_path_before = list(sys.path)
    try:
        script = ScriptDirectory.from_config(cfg)
    except Exception as exc:
        return _fail("no-script-location", str(exc),
                     "The script directory named by script_location could not be opened.", exc)
    env_py = os.path.abspath(os.path.join(script.dir, "env.py"))
    if not os.path.exists(env_py):
        return _fail("no-env-py", "Can't find Python file %s" % env_py,
                     "env.py was not found in the script directory %s; run `retort init` or "
                     "check script_location in alembic.ini." % script.dir)

    captured = {}

    def capture_configure(*a, **kw):
        captured["called"] = True
        captured["metadata"] = kw.get("target_metadata")
        captured["opts"] = {k: v for k, v in kw.items()
                            if isinstance(v, (bool, int, str, type(None)))}
        # Hooks Retort cannot run from C++ (include_object, render_item, a compare_type
        # callable...): reported by name so the caller can say they are not applied.
        captured["callables"] = sorted(k for k, v in kw.items() if callable(v))
        captured["kw"] = kw
        raise _Captured()

    # Offline mode, so env.py takes its run_migrations_offline() path and never connects.
    # configure() is replaced on the instance: the alembic.context proxy functions call
    # the installed instance's attribute (a subclass would not get the proxy installed).
    ctx = EnvironmentContext(cfg, script, as_sql=True, fn=lambda rev, context: [])
    ctx.configure = capture_configure
    try:
        with ctx:
            script.run_env()
    except _Captured:
        pass
    except BaseException as exc:   # env.py's own errors, including SystemExit
        kind, diagnosis = _diagnose(exc, project_dir, sys_path_before)
        return _fail(kind, "%s: %s" % (type(exc).__name__, exc), diagnosis, exc)

    if not captured.get("called"):
        return _fail("no-configure", "env.py did not call context.configure()",
                     "env.py finished without calling context.configure() in offline mode, "
                     "so its target_metadata could not be read.")
    md = captured["metadata"]
    if md is None:
        return _fail("metadata-none",
                     "Can't proceed with --autogenerate option; environment script %s does not "
                     "provide a MetaData object or sequence of objects to the context." % env_py,
                     "env.py passes target_metadata=None to context.configure(); autogenerate "
                     "needs your models' MetaData, e.g. `from myapp.models import Base` and "
                     "`target_metadata = Base.metadata`.")
    mds = list(md) if isinstance(md, (list, tuple)) else [md]

    dname = args.dialect
    if not dname:
        url = cfg.get_main_option("sqlalchemy.url")
        dname = sa_url.make_url(url).get_backend_name() if url else "sqlite"
    try:
        dialect = sa_url.URL.create(dname).get_dialect()()
    except Exception as exc:
        return _fail("bad-dialect", str(exc), "Unknown SQLAlchemy dialect %r." % dname, exc)

    schema, render, discovery = dump_metadata(mds, dialect)
    discovery["sys_path_added"] = [p for p in sys.path if p not in sys_path_before]
    discovery["dependencies"] = _dependencies([ini, env_py, sys.executable])
    if discovery["table_count"] == 0:
        return _fail("no-tables", "target_metadata has no tables",
                     "target_metadata contains 0 tables: the model modules were never imported, "
                     "so no Table/model class registered itself. Import every model module "
                     "(e.g. in the models package's __init__.py: `from . import user, order`) "
                     "before env.py reads Base.metadata.")
    _LIVE.update(metadatas=mds, dialect=dialect, env_py=env_py, opts=captured.get("kw", {}))
    return {"ok": True, "format": 1, "dialect": dialect.name, "schema": schema,
            "render": render, "discovery": discovery,
            "configure_options": captured.get("opts", {}),
            "configure_callables": captured.get("callables", [])}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("-c", "--config", default="alembic.ini")
    p.add_argument("-n", "--name", default="alembic")
    p.add_argument("-x", action="append")
    p.add_argument("--dialect", default="")
    # After the first document, read a retort-schema snapshot path from stdin and answer
    # with what env.py's include_name / include_object exclude (an empty line: nothing).
    p.add_argument("--database-on-stdin", action="store_true")
    args = p.parse_args()
    real_stdout = sys.stdout
    sys.stdout = sys.stderr   # env.py's prints must not corrupt the JSON
    try:
        result = load(args)
    except BaseException as exc:   # a bug in this helper: still answer in JSON
        result = _fail("internal", "%s: %s" % (type(exc).__name__, exc),
                       "Retort's metadata helper failed unexpectedly.", exc)
    hooks = [k for k in FILTER_HOOKS if callable(_LIVE.get("opts", {}).get(k))]
    if args.database_on_stdin:
        result["filters_pending"] = bool(result.get("ok") and hooks)
        _answer(real_stdout, result)
        if not result["filters_pending"]:
            return
        path = sys.stdin.readline().strip()
        if not path:
            return
        _answer(real_stdout, _filters(path))
    else:
        _answer(real_stdout, result)


FILTER_HOOKS = ("include_name", "include_object")


def _answer(out, doc):
    """One JSON document on one line (the stdin protocol reads it by lines)."""
    # dumps() without indent is the only path that uses the C encoder (json.dump and
    # indent both fall back to pure Python: seconds on 1,000 tables).
    out.write(json.dumps(doc, default=str, separators=(",", ":")))
    out.write("\n")
    out.flush()


def _filters(snapshot_path):
    """include_name / include_object over the database snapshot (retort_filters.py)."""
    try:   # by path: env.py's sys.path could shadow a plain import
        import importlib.util
        spec = importlib.util.spec_from_file_location(
            "retort_filters", os.path.join(os.path.dirname(os.path.abspath(__file__)), "retort_filters.py"))
        retort_filters = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(retort_filters)
    except BaseException as exc:
        return _fail("internal", "%s: %s" % (type(exc).__name__, exc),
                     "Retort's filter helper (retort_filters.py) cannot be imported.", exc)
    return retort_filters.answer(snapshot_path, _LIVE, _fail)


if __name__ == "__main__":
    main()
