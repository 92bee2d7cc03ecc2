#!/usr/bin/python3
"""Reflect a database with SQLAlchemy's Inspector and write Retort's schema JSON
(docs/schema-json.md). The expected side of tst_schemaintrospector: run with the
Debian interpreter (/usr/bin/python3, SQLAlchemy 1.4).

  inspect_to_json.py URL [--schema NAME ...] [--skip-table alembic_version] [--out FILE]

With no --schema, only the default schema (written with name null) is reflected.
"""
import argparse
import json
import sys

import sqlalchemy as sa
from sqlalchemy import types as sqltypes


def type_info(t, dialect):
    info = {
        "class": type(t).__name__,
        "affinity": t._type_affinity.__name__,
    }

    def put(key, value):
        if value is not None and value != "" and value != []:
            info[key] = value

    if isinstance(t, (sqltypes.String, sqltypes._Binary)) and not isinstance(t, sqltypes.Enum):
        put("length", getattr(t, "length", None))
    if isinstance(t, sqltypes.Numeric):
        put("precision", t.precision)
        put("scale", getattr(t, "scale", None))
    if isinstance(t, (sqltypes.DateTime, sqltypes.Time)):
        put("timezone", bool(t.timezone))
    unsigned = getattr(t, "unsigned", None)
    if unsigned is not None:
        put("unsigned", bool(unsigned))
    if getattr(t, "zerofill", False):
        put("zerofill", True)
    put("display_width", getattr(t, "display_width", None))
    put("fsp", getattr(t, "fsp", None))
    if type(t).__name__ == "BIT" and dialect.name in ("mysql", "postgresql"):
        put("length", t.length)
    if dialect.name == "postgresql" and type(t).__name__ in ("TIMESTAMP", "TIME", "INTERVAL"):
        put("precision", getattr(t, "precision", None))
    if isinstance(t, sqltypes.Enum):
        put("enum_values", list(t.enums))
        if dialect.name == "postgresql":
            put("enum_name", t.name)
            put("enum_schema", t.schema)
    elif type(t).__name__ == "SET":
        put("enum_values", list(t.values))
    put("collation", getattr(t, "collation", None))
    put("charset", getattr(t, "charset", None))
    if isinstance(t, sqltypes.ARRAY):
        put("item_type", t.item_type.compile(dialect=dialect))
        put("dimensions", t.dimensions)
    return info


def compile_type(t, dialect):
    # NullType (an unknown type) has no DDL; the format writes "NULL" for it.
    if isinstance(t, sqltypes.NullType):
        return "NULL"
    return t.compile(dialect=dialect)


def text(value):
    if value is None:
        return None
    return str(value)


def options_json(opts):
    out = {}
    for key, value in sorted(opts.items()):
        if isinstance(value, (list, tuple)):
            out[key] = [text(v) for v in value]
        elif isinstance(value, dict):
            out[key] = {k: v for k, v in value.items()}
        elif isinstance(value, (bool, int)) or value is None:
            out[key] = value
        else:
            out[key] = text(value)
    return out


def reflect_table(insp, dialect, schema, name):
    columns = []
    for c in insp.get_columns(name, schema=schema):
        ai = c.get("autoincrement", "auto")
        identity = c.get("identity")
        computed = c.get("computed")
        columns.append({
            "name": c["name"],
            "type": compile_type(c["type"], dialect),
            "type_info": type_info(c["type"], dialect),
            "nullable": bool(c["nullable"]),
            "default": text(c.get("default")),
            "autoincrement": ai if ai == "auto" else bool(ai),
            "identity": None if not identity else {
                "always": bool(identity.get("always")),
                "start": identity.get("start"),
                "increment": identity.get("increment"),
                "minvalue": identity.get("minvalue"),
                "maxvalue": identity.get("maxvalue"),
                "cycle": identity.get("cycle"),
                "cache": identity.get("cache"),
            },
            "computed": None if not computed else {
                "sqltext": text(computed.get("sqltext")),
                "persisted": computed.get("persisted"),
            },
            "comment": c.get("comment"),
            "dialect_options": {},
        })
    pk = insp.get_pk_constraint(name, schema=schema)
    fks = []
    for fk in insp.get_foreign_keys(name, schema=schema):
        o = fk.get("options", {})
        fks.append({
            "name": fk.get("name"),
            "columns": fk["constrained_columns"],
            "referred_schema": fk.get("referred_schema"),
            "referred_table": fk["referred_table"],
            "referred_columns": fk["referred_columns"],
            "ondelete": o.get("ondelete"),
            "onupdate": o.get("onupdate"),
            "deferrable": o.get("deferrable"),
            "initially": o.get("initially"),
            "match": o.get("match"),
        })
    try:
        uqs = insp.get_unique_constraints(name, schema=schema)
    except NotImplementedError:
        uqs = []
    # MySQL reports every unique index as a constraint too (duplicates_index); the
    # model records that on the index side, as PostgreSQL does.
    dup_by_index = {u["duplicates_index"]: u["name"] for u in uqs if u.get("duplicates_index")}
    indexes = []
    for ix in insp.get_indexes(name, schema=schema):
        opts = dict(ix.get("dialect_options", {}))
        where = opts.pop("postgresql_where", None) or opts.pop("sqlite_where", None)
        indexes.append({
            "name": ix["name"],
            "unique": bool(ix["unique"]),
            "columns": list(ix["column_names"]),
            "expressions": [False] * len(ix["column_names"]),
            "where": text(where),
            "dialect_options": options_json(opts),
            "duplicates_constraint": ix.get("duplicates_constraint")
            or dup_by_index.get(ix["name"]),
        })
    try:
        checks = insp.get_check_constraints(name, schema=schema)
    except NotImplementedError:
        checks = []
    try:
        comment = insp.get_table_comment(name, schema=schema).get("text")
    except NotImplementedError:
        comment = None
    return {
        "name": name,
        "comment": comment,
        # MySQL: what SHOW CREATE TABLE's last line gives (mysql_engine, "mysql_default charset").
        "dialect_options": insp.get_table_options(name, schema=schema)
        if dialect.name == "mysql" else {},
        "columns": columns,
        "primary_key": {"name": pk.get("name"), "columns": pk.get("constrained_columns", [])},
        "foreign_keys": fks,
        "indexes": indexes,
        "unique_constraints": [
            {"name": u.get("name"), "columns": u["column_names"], "dialect_options": {}}
            for u in uqs
        ],
        "check_constraints": [
            {"name": c.get("name"), "sqltext": c["sqltext"]} for c in checks
        ],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--schema", action="append", default=[])
    ap.add_argument("--skip-table", action="append", default=[])
    ap.add_argument("--out")
    args = ap.parse_args()

    engine = sa.create_engine(args.url)
    with engine.connect() as conn:
        insp = sa.inspect(conn)
        dialect = engine.dialect
        doc = {
            "format": "retort-schema",
            "format_version": 1,
            "dialect": dialect.name,
            "default_schema": insp.default_schema_name,
            "server_version": "",
            "schemas": [],
        }
        for schema in [None] + args.schema:
            ns = {"name": schema, "enums": [], "views": sorted(insp.get_view_names(schema=schema)),
                  "tables": []}
            if dialect.name == "postgresql":
                for e in insp.get_enums(schema=schema or "public"):
                    ns["enums"].append({
                        "name": e["name"],
                        "schema": None if e["schema"] == insp.default_schema_name and not schema
                        else e["schema"],
                        "labels": e["labels"],
                    })
            for name in sorted(insp.get_table_names(schema=schema)):
                if name in args.skip_table:
                    continue
                ns["tables"].append(reflect_table(insp, dialect, schema, name))
            doc["schemas"].append(ns)
    out = json.dumps(doc, indent=4, sort_keys=True) + "\n"
    if args.out:
        with open(args.out, "w") as f:
            f.write(out)
    else:
        sys.stdout.write(out)


if __name__ == "__main__":
    main()
