#!/usr/bin/python3
"""Generates migrationplanner_cases.inc for tst_migrationplanner.cpp from real Alembic.

Run with the Debian interpreter (it has Alembic 1.8.1):
    /usr/bin/python3 gen_migrationplanner_cases.py > migrationplanner_cases.inc

For every graph below it writes an Alembic project into a temp dir, then for every case
runs `alembic upgrade|downgrade|stamp` in-process (online on sqlite from a given set of
rows in alembic_version, or offline with --sql start:end) and records the "Running ..."
lines and the INSERT/UPDATE/DELETE statements on alembic_version, or the FAILED text.
Some merge/unmerge steps pick rows from a Python set, so Alembic's output can depend
on the string hash seed: each case is run under several PYTHONHASHSEED values (one
child process per seed) and every distinct outcome is recorded as an accepted variant.
"""
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

PY = "/usr/bin/python3"

# Graphs: (id, down_revisions, branch_labels, depends_on), in file-discovery order as
# far as the generator can control it (the real order is read back from Alembic).
GRAPHS = {
    # single base, fork with labelled branches, merge, then linear
    "fork": [
        ("r100", [], [], []),
        ("r200", ["r100"], [], []),
        ("r3aa", ["r200"], ["left"], []),
        ("r3bb", ["r200"], ["right"], []),
        ("r4aa", ["r3aa"], [], []),
        ("r500", ["r4aa", "r3bb"], [], []),
        ("r600", ["r500"], [], []),
    ],
    # three bases, labels, fork + merge on alpha, depends_on across branches
    "forest": [
        ("a001", [], ["alpha"], []),
        ("a002", ["a001"], [], []),
        ("a003", ["a002"], [], []),
        ("a004", ["a003"], [], []),
        ("a005", ["a003"], [], []),
        ("a006", ["a004", "a005"], [], []),
        ("b001", [], ["beta"], []),
        ("b002", ["b001"], [], []),
        ("b003", ["b002"], [], ["a002"]),
        ("b004", ["b003"], [], []),
        ("c001", [], ["gamma"], ["beta"]),
        ("c002", ["c001"], [], ["b003"]),
    ],
    # two bases merged, second base depends on the first branch
    "crossdep": [
        ("d001", [], ["dl"], []),
        ("d002", ["d001"], [], []),
        ("e001", [], ["el"], ["d002"]),
        ("e002", ["e001"], [], []),
        ("f001", ["d002", "e002"], [], []),
        ("f002", ["f001"], [], []),
    ],
    # several dependencies, one already implied by an ancestor's dependency
    "deps": [
        ("p001", [], ["pl"], []),
        ("p002", ["p001"], [], []),
        ("q001", [], ["ql"], []),
        ("q002", ["q001"], [], ["p001"]),
        ("q003", ["q002"], [], ["p002", "p001"]),
        ("s001", [], ["sl"], ["p002", "q002"]),
        ("s002", ["s001"], [], []),
        ("t001", ["p002", "q003"], [], []),
    ],
}

# (command, start rows or "sql:<start>", target(s))
CASES = {
    "fork": [
        ("upgrade", [], "head"), ("upgrade", [], "heads"), ("upgrade", [], "r200"),
        ("upgrade", [], "+1"), ("upgrade", [], "+2"), ("upgrade", [], "+3"),
        ("upgrade", [], "left@head"), ("upgrade", [], "right@+3"), ("upgrade", [], "left@+3"),
        ("upgrade", [], "r3aa"), ("upgrade", ["r200"], "r500"), ("upgrade", ["r3aa"], "head"),
        ("upgrade", ["r3aa"], "r3bb"), ("upgrade", ["r3aa", "r3bb"], "head"),
        ("upgrade", ["r4aa", "r3bb"], "+1"), ("upgrade", ["r3aa", "r3bb"], "+1"),
        ("upgrade", ["r200"], "+1"), ("upgrade", ["r200"], "left@+1"),
        ("upgrade", ["r200"], "right@+2"), ("upgrade", ["r3aa"], "r200"),
        ("upgrade", ["r500"], "r3bb"), ("upgrade", ["r600"], "head"),
        ("upgrade", ["r600"], "+1"), ("upgrade", ["r100"], "r200+2"),
        ("upgrade", ["r100"], "r200-1"), ("upgrade", ["r100"], "-1"),
        ("upgrade", ["r100"], "nope"), ("upgrade", ["r100"], "r3"),
        ("upgrade", ["r100"], "r3a"), ("upgrade", ["r100"], "r3aa"),
        ("upgrade", ["zzzz"], "head"), ("upgrade", ["r100"], "left@r3bb"),
        ("upgrade", ["r100"], "base"), ("upgrade", [], "r100+5"),
        ("upgrade", ["r100"], "r200+1"), ("upgrade", ["r100"], "left@r200+1"),
        ("downgrade", ["r600"], "base"), ("downgrade", ["r600"], "-1"),
        ("downgrade", ["r600"], "-2"), ("downgrade", ["r600"], "-3"),
        ("downgrade", ["r600"], "r200"), ("downgrade", ["r600"], "r3aa"),
        ("downgrade", ["r600"], "r4aa"), ("downgrade", ["r500"], "r3bb"),
        ("downgrade", ["r4aa", "r3bb"], "r200"), ("downgrade", ["r4aa", "r3bb"], "r3aa"),
        ("downgrade", ["r4aa", "r3bb"], "left@-1"), ("downgrade", ["r4aa", "r3bb"], "right@-1"),
        ("downgrade", ["r4aa", "r3bb"], "-1"), ("downgrade", ["r4aa", "r3bb"], "base"),
        ("downgrade", ["r200"], "r3aa"), ("downgrade", ["r200"], "+1"),
        ("downgrade", ["r200"], "-5"), ("downgrade", [], "-1"), ("downgrade", [], "base"),
        ("downgrade", ["r600"], "r200+1"), ("downgrade", ["r600"], "left@base"),
        ("downgrade", ["r600"], "heads"), ("downgrade", ["r600"], "head"),
        ("downgrade", ["r200"], "r200"), ("downgrade", ["r600"], "r500-2"),
        ("stamp", [], ["head"]), ("stamp", [], ["heads"]), ("stamp", ["r200"], ["r500"]),
        ("stamp", ["r500"], ["r200"]), ("stamp", ["r600"], ["base"]),
        ("stamp", ["r3aa", "r3bb"], ["r500"]), ("stamp", ["r500"], ["r3aa", "r3bb"]),
        ("stamp", ["r4aa", "r3bb"], ["r3aa"]), ("stamp", ["r3aa"], ["r3bb"]),
        ("stamp", ["r200"], ["r200"]), ("stamp", [], ["base"]),
        ("stamp", ["r4aa", "r3bb"], ["base"]), ("stamp", ["r500"], ["zzzz"]),
        ("purge", ["r3aa", "r3bb"], ["r200"]), ("purge", ["zzzz"], ["head"]),
        ("upgrade", "sql:base", "head"), ("upgrade", "sql:r200", "r500"),
        ("upgrade", "sql:r3aa", "r3bb"), ("upgrade", "sql:left@head", "head"),
        ("downgrade", "sql:head", "base"), ("downgrade", "sql:r600", "r3aa"),
        ("downgrade", "sql:r600", "-2"), ("upgrade", "sql:r2", "head"),
        ("upgrade", "sql:heads", "head"), ("stamp", "sql:r200", ["r500"]),
        ("upgrade", ["r600"], "r600+1"), ("downgrade", ["r600"], "r600+1"),
        ("downgrade", ["r600"], "r100-1"), ("downgrade", ["r600"], "r100-2"),
        ("downgrade", ["r600"], "r200@-1"), ("downgrade", ["r4aa", "r3bb"], "nope@-1"),
        ("downgrade", ["r4aa", "r3bb"], "left@r3aa"), ("downgrade", ["r4aa", "r3bb"], "right@r200"),
        ("downgrade", ["r4aa", "r3bb"], "right@base"), ("downgrade", ["r4aa", "r3bb"], "left@r100"),
        ("downgrade", ["r600"], "r3"), ("downgrade", ["r600"], "+0"), ("upgrade", ["r100"], "-0"),
        ("upgrade", ["r100"], "r3aa-1"), ("upgrade", ["r100"], "left@r4aa-2"),
        ("upgrade", ["r100", "r200"], "head"), ("upgrade", ["r200", "r3aa"], "head"),
        ("upgrade", ["r100", "r3bb"], "r4aa"), ("downgrade", ["r100", "r3aa"], "base"),
        ("downgrade", ["r200", "r4aa"], "r100"), ("downgrade", ["r500", "r200"], "r3bb"),
        ("stamp", ["r100", "r200"], ["r3aa"]), ("stamp", ["r3aa"], ["r3bb", "r600"]),
        ("stamp", ["r3aa", "r3bb"], ["r100"]), ("stamp", ["r200"], ["left@head"]),
        ("stamp", ["r200"], ["nope@head"]), ("stamp", ["r3aa"], ["right@base"]),
        ("upgrade", ["r100"], "left@"), ("upgrade", ["r100"], "r100@head"),
        ("upgrade", ["r100"], "r3aa@head"), ("downgrade", ["r600"], "r3aa@-1"),
        ("downgrade", ["r3aa", "r3bb"], "-1"), ("downgrade", ["r3bb", "r3aa"], "-1"),
        ("downgrade", ["r3aa", "r3bb"], "left@-1"), ("downgrade", ["r3aa", "r3bb"], "r200"),
        ("downgrade", ["r3aa", "r3bb"], "right@r200"), ("downgrade", ["r3aa", "r3bb"], "r3aa@r200"),
        ("upgrade", ["r3aa", "r3bb"], "left@+1"), ("upgrade", ["r3bb"], "left@+1"),
        ("upgrade", ["r3bb"], "left@+2"), ("upgrade", ["r500"], "left@+1"),
        ("stamp", "sql:base", ["head"]), ("upgrade", "sql:head", "heads"),
    ],
    "forest": [
        ("upgrade", [], "heads"), ("upgrade", [], "head"), ("upgrade", [], "alpha@head"),
        ("upgrade", [], "beta@head"), ("upgrade", [], "gamma@head"), ("upgrade", [], "c002"),
        ("upgrade", [], "b003"), ("upgrade", [], "alpha@+2"), ("upgrade", [], "beta@+3"),
        ("upgrade", [], "+1"), ("upgrade", ["a003"], "heads"), ("upgrade", ["a003"], "a006"),
        ("upgrade", ["a004", "a005"], "alpha@head"), ("upgrade", ["a004"], "a005"),
        ("upgrade", ["a002"], "b004"), ("upgrade", ["a002", "b002"], "heads"),
        ("upgrade", ["a006", "b004"], "gamma@+1"), ("upgrade", ["a002", "b004"], "c002"),
        ("upgrade", ["a001"], "alpha@+1"), ("upgrade", ["a001"], "beta@+1"),
        ("upgrade", ["a003"], "alpha@+1"), ("upgrade", ["a002", "b002"], "beta@+1"),
        ("upgrade", ["a002", "b002"], "+1"), ("upgrade", ["b003"], "a002"),
        ("upgrade", ["b003"], "alpha@a004"), ("upgrade", ["b003"], "beta@a004"),
        ("upgrade", ["a006", "c002"], "heads"), ("upgrade", ["a002"], "gamma@base"),
        ("upgrade", ["a002"], "alpha@heads"), ("upgrade", ["a002"], "a00"),
        ("upgrade", ["a002"], "a003+2"), ("upgrade", ["a002"], "alpha@a003+1"),
        ("upgrade", ["a006", "b004"], "b002"), ("upgrade", ["a004", "b002"], "heads"),
        ("downgrade", ["a006", "b004", "c002"], "base"), ("downgrade", ["a006", "b004", "c002"], "a002"),
        ("downgrade", ["a006", "b004", "c002"], "b002"), ("downgrade", ["a006", "b004", "c002"], "beta@base"),
        ("downgrade", ["a006", "b004", "c002"], "gamma@base"), ("downgrade", ["a006", "b004", "c002"], "alpha@base"),
        ("downgrade", ["a006", "b004", "c002"], "-1"), ("downgrade", ["a006", "b004", "c002"], "gamma@-1"),
        ("downgrade", ["a006", "b004", "c002"], "beta@-1"), ("downgrade", ["a006", "b004", "c002"], "alpha@-1"),
        ("downgrade", ["a006", "b004", "c002"], "alpha@-2"), ("downgrade", ["a006", "b004"], "a003"),
        ("downgrade", ["a006"], "a004"), ("downgrade", ["a006"], "a003"),
        ("downgrade", ["a004", "a005"], "a003"), ("downgrade", ["a004", "a005"], "a004"),
        ("downgrade", ["a004", "b003"], "a001"), ("downgrade", ["a002", "b004"], "a001"),
        ("downgrade", ["b004", "c001"], "b001"), ("downgrade", ["c002"], "base"),
        ("downgrade", ["c002"], "c001"), ("downgrade", ["a003"], "b001"),
        ("downgrade", ["a006", "b004", "c002"], "gamma@c001"), ("downgrade", ["a006", "b004", "c002"], "a006-2"),
        ("downgrade", ["a006", "b004", "c002"], "alpha@a003"),
        ("stamp", [], ["heads"]), ("stamp", [], ["head"]), ("stamp", ["a003"], ["heads"]),
        ("stamp", ["a003", "b002"], ["b004"]), ("stamp", ["a003", "b002"], ["a001"]),
        ("stamp", ["a003", "b002"], ["c002"]), ("stamp", ["a006", "b004", "c002"], ["base"]),
        ("stamp", ["a006", "b004", "c002"], ["b002"]), ("stamp", ["a004", "a005"], ["a006"]),
        ("stamp", ["a006"], ["a004", "a005"]), ("stamp", ["a004"], ["a005"]),
        ("stamp", ["a002"], ["beta@head", "a004"]), ("stamp", ["a002"], ["alpha@base"]),
        ("stamp", ["a002", "b002"], ["beta@base"]), ("stamp", ["a002"], ["a00"]),
        ("purge", ["a006", "b004", "c002"], ["a002"]), ("purge", [], ["heads"]),
        ("upgrade", "sql:base", "heads"), ("upgrade", "sql:a002", "b004"),
        ("upgrade", "sql:b002", "gamma@head"), ("downgrade", "sql:c002", "base"),
        ("downgrade", "sql:a006", "alpha@base"), ("downgrade", "sql:b004", "b001"),
        ("upgrade", "sql:heads", "heads"), ("stamp", "sql:a002", ["a006"]),
    ],
    "crossdep": [
        ("upgrade", [], "head"), ("upgrade", [], "e002"), ("upgrade", [], "el@head"),
        ("upgrade", [], "dl@+2"), ("upgrade", [], "el@+1"), ("upgrade", ["d002"], "el@+1"),
        ("upgrade", ["d001"], "e001"), ("upgrade", ["e002"], "+1"), ("upgrade", ["d002", "e002"], "+1"),
        ("upgrade", ["e001"], "f001"), ("upgrade", ["d002"], "f002"),
        ("downgrade", ["f002"], "base"), ("downgrade", ["f002"], "-1"), ("downgrade", ["f002"], "-2"),
        ("downgrade", ["f001"], "d002"), ("downgrade", ["f001"], "e002"), ("downgrade", ["f001"], "e001"),
        ("downgrade", ["f001"], "d001"), ("downgrade", ["f001"], "el@base"), ("downgrade", ["f001"], "dl@base"),
        ("downgrade", ["e002"], "d001"), ("downgrade", ["e002"], "el@-1"), ("downgrade", ["e002"], "dl@-1"),
        ("downgrade", ["f002"], "el@-1"),
        ("stamp", ["f002"], ["d002"]), ("stamp", ["f002"], ["e001"]), ("stamp", ["d002"], ["e002"]),
        ("stamp", ["e001"], ["d001", "e002"]), ("stamp", ["f001"], ["base"]),
        ("upgrade", "sql:d001", "f002"), ("downgrade", "sql:f002", "d002"),
        ("upgrade", ["d001", "d002"], "head"), ("upgrade", ["d002", "e001"], "head"),
        ("downgrade", ["d002", "e002"], "d001"), ("downgrade", ["d001", "f001"], "e001"),
        ("stamp", ["d002", "e002"], ["f001"]), ("stamp", ["d001", "d002"], ["f002"]),
    ],
    "deps": [
        ("upgrade", [], "heads"), ("upgrade", [], "s002"), ("upgrade", [], "t001"),
        ("upgrade", ["p002"], "s001"), ("upgrade", ["p002", "q002"], "s001"),
        ("upgrade", ["p002", "q002"], "heads"), ("upgrade", ["q003"], "heads"),
        ("upgrade", ["q001"], "sl@head"), ("upgrade", ["p001"], "ql@+2"),
        ("upgrade", ["p001"], "sl@+1"), ("upgrade", ["s001"], "+1"),
        ("upgrade", ["p002", "q001"], "q003"), ("upgrade", ["q002"], "t001"),
        ("downgrade", ["s002", "t001"], "base"), ("downgrade", ["s002", "t001"], "q001"),
        ("downgrade", ["s002", "t001"], "p001"), ("downgrade", ["s002", "t001"], "sl@base"),
        ("downgrade", ["s002", "t001"], "ql@base"), ("downgrade", ["s002", "t001"], "pl@-1"),
        ("downgrade", ["s002", "t001"], "sl@-1"), ("downgrade", ["s001"], "base"),
        ("downgrade", ["s001"], "p002"), ("downgrade", ["s001", "q003"], "q002"),
        ("downgrade", ["t001"], "q002"), ("downgrade", ["t001"], "p001"),
        ("downgrade", ["t001"], "-1"), ("downgrade", ["s002"], "-3"),
        ("stamp", ["s002", "t001"], ["q002"]), ("stamp", ["s001"], ["q003"]),
        ("stamp", ["p002"], ["s002"]), ("stamp", [], ["sl@head"]),
        ("stamp", ["s002", "t001"], ["base"]), ("stamp", ["q003"], ["pl@base"]),
        ("stamp", ["q001"], ["p002", "s001"]), ("purge", ["p001"], ["t001", "s002"]),
        ("upgrade", "sql:base", "heads"), ("downgrade", "sql:t001", "base"),
    ],
}

REV_TEMPLATE = '''revision = {rev!r}
down_revision = {down}
branch_labels = {labels}
depends_on = {deps}


def upgrade():
    pass


def downgrade():
    pass
'''


def tup(xs):
    if not xs:
        return "None"
    if len(xs) == 1:
        return repr(xs[0])
    return repr(tuple(xs))


def make_project(root, graph):
    subprocess.run([PY, "-m", "alembic", "init", "proj"], cwd=root, check=True,
                   stdout=subprocess.DEVNULL)
    proj = os.path.join(root, "proj")
    ini = os.path.join(root, "alembic.ini")
    text = open(ini).read()
    text = text.replace("[logger_sqlalchemy]\nlevel = WARN", "[logger_sqlalchemy]\nlevel = INFO")
    text = text.replace("sqlalchemy.url = driver://user:pass@localhost/dbname",
                        "sqlalchemy.url = sqlite:///%s/db.sqlite" % root)
    text = text.replace("script_location = proj", "script_location = %s" % proj)
    open(ini, "w").write(text)
    for rev, down, labels, deps in graph:
        with open(os.path.join(proj, "versions", "%s_m.py" % rev), "w") as f:
            f.write(REV_TEMPLATE.format(rev=rev, down=tup(down), labels=tup(labels), deps=tup(deps)))
    return ini


VERSION_RE = re.compile(r"(INSERT INTO alembic_version|UPDATE alembic_version|DELETE FROM alembic_version)(.*)")


def parse(out):
    """Reduces alembic's output to RUN/INSERT/UPDATE/DELETE/PURGE lines."""
    lines = []
    for line in out.splitlines():
        line = line.rstrip().rstrip(";")
        m = re.search(r"\bRunning (.*)$", line)
        if m and ("[alembic.runtime.migration]" in line or line.startswith("-- Running ")):
            lines.append("RUN " + m.group(1))
            continue
        m = VERSION_RE.search(line)
        if not m:
            continue
        stmt = m.group(0)
        vals = re.findall(r"'([^']*)'", stmt)
        if stmt.startswith("INSERT"):
            lines.append("INSERT " + vals[0])
        elif stmt.startswith("UPDATE"):
            lines.append("UPDATE %s %s" % (vals[1], vals[0]))
        elif vals:
            lines.append("DELETE " + vals[0])
        else:
            lines.append("PURGE")
    return lines


def run_case(root, ini, cmd, start, target):
    from alembic.config import CommandLine
    db = os.path.join(root, "db.sqlite")
    if os.path.exists(db):
        os.remove(db)
    argv = ["-c", ini]
    sql = isinstance(start, str)
    targets = target if isinstance(target, list) else [target]
    if sql:
        s = start[4:]
        if cmd == "stamp":
            argv += ["stamp", "--sql"] + ["%s:%s" % (s, t) for t in targets]
        else:
            argv += [cmd, "--sql", "%s:%s" % (s, targets[0])]
    else:
        if start:
            con = sqlite3.connect(db)
            con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                        "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
            for h in start:
                con.execute("INSERT INTO alembic_version VALUES (?)", (h,))
            con.commit()
            con.close()
        if cmd == "purge":
            argv += ["stamp", "--purge"] + targets
        else:
            argv += [cmd] + targets
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        CommandLine(prog="alembic").main(argv=argv)
    except SystemExit:
        pass
    except Exception as e:  # assertion/key errors: alembic would print a traceback
        print("EXCEPTION %s" % type(e).__name__, file=out)
    finally:
        sys.stdout, sys.stderr = old
    # offline: "-- Running" comments and SQL on stdout; online: the log on stderr
    text = out.getvalue() if sql else err.getvalue()
    failed = [l for l in out.getvalue().splitlines() if l.startswith("FAILED: ")]
    exc = [l for l in out.getvalue().splitlines() if l.startswith("EXCEPTION ")]
    if failed:
        return {"error": failed[0][len("FAILED: "):]}
    if exc:
        return {"error": exc[0]}
    return {"lines": parse(text)}


def child():
    """Runs every case once under this process's hash seed; prints JSON."""
    import logging
    logging.raiseExceptions = False
    results = {}
    orders = {}
    for name, graph in GRAPHS.items():
        root = tempfile.mkdtemp(prefix="retort_plan_%s_" % name)
        ini = make_project(root, graph)
        from alembic.config import Config
        from alembic.script import ScriptDirectory
        sd = ScriptDirectory.from_config(Config(ini))
        ids = {g[0] for g in graph}
        orders[name] = [k for k in sd.revision_map._revision_map if k in ids]
        results[name] = [run_case(root, ini, *case) for case in CASES[name]]
    json.dump({"results": results, "orders": orders}, sys.stdout)


def cstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def clist(xs):
    return "QStringList{" + ", ".join(cstr(x) for x in xs) + "}"


def main():
    runs = []
    for seed in ("0", "1", "2", "3", "4", "5", "6", "7"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        p = subprocess.run([PY, __file__, "--child"], env=env, check=True,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        runs.append(json.loads(p.stdout))
    orders = runs[0]["orders"]
    print("// Generated by gen_migrationplanner_cases.py from Alembic 1.8.1; do not edit.")
    print("// GRAPH(name, revisions in Alembic's discovery order)")
    for name, graph in GRAPHS.items():
        byid = {g[0]: g for g in graph}
        print("RETORT_PLAN_GRAPH(%s, {" % cstr(name))
        for rid in orders[name]:
            rev, down, labels, deps = byid[rid]
            print("    {%s, %s, %s, %s}," % (cstr(rev), clist(down), clist(labels), clist(deps)))
        print("})")
    print("// CASE(graph, command, offline, start rows | {<start>} when offline, targets,"
          " variants: each {isError, error text | lines})")
    for name in GRAPHS:
        for i, case in enumerate(CASES[name]):
            cmd, start, target = case
            variants = []
            for r in runs:
                v = r["results"][name][i]
                if v not in variants:
                    variants.append(v)
            vtext = []
            for v in variants:
                if "error" in v:
                    vtext.append("{true, %s}" % clist(["FAILED: " + v["error"]]))
                else:
                    vtext.append("{false, %s}" % clist(v["lines"]))
            sql = isinstance(start, str)
            startText = "%s, %s" % ("true" if sql else "false",
                                    clist([start[4:]] if sql else start))
            targets = target if isinstance(target, list) else [target]
            print("RETORT_PLAN_CASE(%s, %s, %s, %s, {%s})" % (
                cstr(name), cstr(cmd), startText, clist(targets), ", ".join(vtext)))


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        main()
