"""Static reading of a versions folder for the real-world harness (stdlib only).

For every revision script: its revision ids (from the module-level assignments, as Alembic
reads them after importing), whether upgrade()/downgrade() exist, and whether each "uses its
own project": refers, directly or through module-level helpers/constants of the same script,
to a name bound by an import of a module outside the standard library, SQLAlchemy and
Alembic (issue 11's "uses nothing from its own project"; third-party packages the project
depends on count as the project's, since neither tool has them here).
Also the set of such modules, for which stubs.py writes stand-ins.
"""
import ast
import os
import sys

NATIVE_TOPS = {"sqlalchemy", "alembic", "__future__"}


def is_project_module(top):
    return top not in NATIVE_TOPS and top not in sys.stdlib_module_names


def _literal(node):
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return None


def _as_list(v):
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    if isinstance(v, (list, tuple)):
        return [x for x in v if isinstance(x, str)]
    return []


def _loads(node):
    """Names a node reads (Name ids and the root of attribute chains)."""
    out = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
            out.add(n.id)
    return out


class ScriptInfo:
    def __init__(self, path):
        self.path = path
        self.revision = None
        self.down = []
        self.depends_on = []
        self.functions = {}          # name -> bool: uses its own project
        self.project_modules = set()  # dotted module paths to stub
        self.error = None


def analyse_script(path):
    info = ScriptInfo(path)
    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), filename=path)
    except (SyntaxError, UnicodeDecodeError) as e:
        info.error = "%s: %s" % (type(e).__name__, e)
        return info
    project_names = set()
    defs = {}  # module-level name -> node defining it (function, class or assignment value)
    for node in ast.walk(tree):
        # imports anywhere (inside functions too) bind names the functions may use
        if isinstance(node, ast.Import):
            for a in node.names:
                top = a.name.split(".")[0]
                if is_project_module(top):
                    parts = a.name.split(".")
                    for i in range(1, len(parts) + 1):
                        info.project_modules.add(".".join(parts[:i]))
                    project_names.add(a.asname or top)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            top = node.module.split(".")[0]
            if is_project_module(top):
                parts = node.module.split(".")
                for i in range(1, len(parts) + 1):
                    info.project_modules.add(".".join(parts[:i]))
                for a in node.names:
                    project_names.add(a.asname or a.name)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defs[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Name) and node.value is not None:
                    defs[t.id] = node.value
                    v = _literal(node.value)
                    if t.id == "revision" and isinstance(v, str):
                        info.revision = v
                    elif t.id == "down_revision":
                        info.down = _as_list(v)
                    elif t.id == "depends_on":
                        info.depends_on = _as_list(v)

    def uses_project(name):
        seen, todo = set(), [name]
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            if n in project_names:
                return True
            if n in defs:
                todo.extend(_loads(defs[n]))
        return False

    for fn in ("upgrade", "downgrade"):
        if isinstance(defs.get(fn), (ast.FunctionDef, ast.AsyncFunctionDef)):
            info.functions[fn] = uses_project(fn)
    return info


def version_dirs(root):
    """Folders under root holding revision scripts (nested ones: OpenStack's
    expand/contract layout), root first."""
    out = []
    for d, subdirs, files in os.walk(root):
        subdirs[:] = sorted(s for s in subdirs if s != "__pycache__")
        if any(f.endswith(".py") and f != "__init__.py" for f in files):
            out.append(d)
    return out


def analyse_versions(root):
    scripts = []
    for d in version_dirs(root):
        for f in sorted(os.listdir(d)):
            if f.endswith(".py") and f != "__init__.py":
                scripts.append(analyse_script(os.path.join(d, f)))
    return scripts
