#!/usr/bin/env python3
"""Retort's reading of revision headers that are not literals.

A revision script may bind `branch_labels = (cli.CONTRACT_BRANCH,)` with `cli` imported from
the project: Retort cannot read that statically, Alembic imports the script. This helper
imports just the scripts it is given, the way Alembic's Script._from_filename loads them
(util.load_python_file: a module named re.sub(r"\\W", "_", filename), not put in
sys.modules), after prepending the ini's prepend_sys_path to sys.path as
ScriptDirectory.from_config does, and prints the four header names' values.

Input (stdin, JSON): {"prepend": [path, ...], "files": [absolute script path, ...]}
Output (stdout, one line of JSON):
  {"ok": true, "scripts": {path: {"values": {name: value}} | {"error": {...}}},
   "files": [[path, mtime_ms, size], ...]}   # module files the imports read (for the cache)
A value is null, a string, a list of strings, or {"repr": text} for anything else; a name
the module does not bind is left out.
"""

import importlib.util
import json
import os
import re
import sys
import traceback

_NAMES = ("revision", "down_revision", "branch_labels", "depends_on")


def _plain(value):
    if value is None or isinstance(value, str):
        return value
    # util.to_tuple takes any iterable; a str inside is what Alembic can use.
    if isinstance(value, (tuple, list, set, frozenset)) and all(isinstance(v, str) for v in value):
        return list(value)
    return {"repr": repr(value)}


def _error(path, exc):
    # The innermost frame in the script itself names the line to look at.
    line = 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.abspath(frame.filename) == path:
            line = frame.lineno
    if isinstance(exc, SyntaxError) and exc.filename and os.path.abspath(exc.filename) == path:
        line = exc.lineno or line
    return {"type": type(exc).__name__, "message": str(exc), "line": line,
            "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))}


def _read(path):
    module_id = re.sub(r"\W", "_", os.path.basename(path))
    try:
        spec = importlib.util.spec_from_file_location(module_id, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except BaseException as exc:   # SystemExit too: one script must not end the others
        return {"error": _error(path, exc)}
    return {"values": {n: _plain(getattr(module, n)) for n in _NAMES if hasattr(module, n)}}


def _files(before):
    out = []
    for name, module in list(sys.modules.items()):
        if name in before:
            continue
        path = getattr(module, "__file__", None)
        if not path:
            continue
        try:
            st = os.stat(path)
        except OSError:
            continue
        out.append([os.path.abspath(path), st.st_mtime_ns // 1000000, st.st_size])
    return out


def main():
    request = json.load(sys.stdin)
    sys.path[:0] = request.get("prepend", [])
    before = set(sys.modules)
    stdout = sys.stdout
    sys.stdout = sys.stderr   # what the scripts print must not mix with the answer
    try:
        scripts = {path: _read(path) for path in request["files"]}
    finally:
        sys.stdout = stdout
    json.dump({"ok": True, "scripts": scripts, "files": _files(before)}, stdout)
    stdout.write("\n")


if __name__ == "__main__":
    main()
