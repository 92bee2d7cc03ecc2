#!/usr/bin/python3
"""Generates revisiongraph_cases.inc for tst_revisiongraph.cpp / tst_revisionformatter.cpp
from real Alembic 1.8.1 (RevisionMap built from Script objects, in the given order).

    /usr/bin/python3 gen_revisiongraph_cases.py > revisiongraph_cases.inc

Graph spec: revisions separated by ';', each "id:down1,down2:dep1,dep2:label1,label2"
(empty fields allowed), in discovery order. Every query runs under several
PYTHONHASHSEED values; when Alembic's answer depends on set iteration order, all the
variants are recorded and the test accepts any of them.
"""
import json
import os
import subprocess
import sys
import types
import warnings

GRAPHS = {
    "linear": "a1b2:::;c3d4:a1b2::;e5f6:c3d4::",
    "fork": "r100:::;r200:r100::;r3aa:r200::left;r3bb:r200::right;r4aa:r3aa::;"
            "r500:r4aa,r3bb::;r600:r500::",
    "twoheads": "base1:::;mid1:base1::;tipa:mid1::;tipb:mid1::",
    "forest": "a001:::alpha;a002:a001::;a003:a002::;a004:a003::;a005:a003::;"
              "a006:a004,a005::;b001:::beta;b002:b001::;b003:b002:a002:;b004:b003::;"
              "c001::beta:gamma;c002:c001:b003:",
    "crossdep": "d001:::dl;d002:d001::;e001::d002:el;e002:e001::;f001:d002,e002::;"
                "f002:f001::",
    "partial": "abcd1111:::;abcd2222:abcd1111::;abce3333:abcd2222::;1234:abce3333::;"
               "abcdzz:1234::abcdlabel",
    "labelchain": "root:::;s100:root::sl;s200:s100::;t100:root::tl;t200:t100::tl2",
    "deponly": "p001:::;p002:p001::;q001::p002:;q002:q001:p001:",
    "dupe": "a1:::;b1:a1::;b1:a1::",
    "empty": "",
    "labeltip": "k100:::;k200:k100::;k300:k200::kl",
    "labelmerge": "m100:::;m200:m100::ml;m300:m100::;m400:m200,m300::;m500:m400::",
    "multilabel": "n100:::one,two;n200:n100::;n300:n200::three",
    "dupecycle": "a100:::;b100:a100::;a100:b100::",
    # failures
    "duplabel": "a1:::x;b1:a1::x",
    "labelisrev": "a1:::;b1:a1::a1",
    "cycle": "a1:c1::;b1:a1::;c1:b1::",
    "cycle2": "r1:::;a1:c1,r1::;b1:a1::;c1:b1::;d1:r1::",
    "depcycle": "a1:::;b1:a1:c1:;c1:a1:b1:",
    "selfloop": "a1:::;b1:b1::",
    "depselfloop": "a1:::;b1:a1:b1:",
    "badchar": "a1:::;b-1:a1::",
    "missingdown": "a1:::;b1:zz::",
    "missingdep": "a1:::;b1:a1:zz:",
}


def random_graph(seed, size, dep_rate=0.15, max_deps=1):
    """A DAG with forks, merges, several bases, labels and depends_on, listed in a
    shuffled discovery order (so map order differs from topological order)."""
    import random
    rnd = random.Random(seed)
    ids, specs, labels = [], [], []
    for i in range(size):
        rid = "%04x%s" % (rnd.randrange(0x10000), "abcdefghijklmnopqrstuvwxyz"[i % 26])
        downs = []
        if ids and rnd.random() > 0.12:
            downs = [rnd.choice(ids[-6:])]
            if len(ids) > 3 and rnd.random() < 0.2:
                other = rnd.choice(ids)
                if other not in downs:
                    downs.append(other)
        deps = []
        for _ in range(max_deps):
            if len(ids) > 4 and rnd.random() < dep_rate:
                dep = rnd.choice(ids[:-2] + labels)
                if dep not in downs and dep not in deps:
                    deps.append(dep)
        lab = []
        if rnd.random() < 0.1:
            lab = ["lb%d_%d" % (seed, i)]
            labels.extend(lab)
        ids.append(rid)
        specs.append("%s:%s:%s:%s" % (rid, ",".join(downs), ",".join(deps), ",".join(lab)))
    rnd.shuffle(specs)
    return ";".join(specs), ids


RANDOM_WALKS = {}
for _seed in range(12):
    _spec, _ids = random_graph(_seed, 14 + 2 * _seed)
    GRAPHS["random%d" % _seed] = _spec
    RANDOM_WALKS["random%d" % _seed] = [("base", "heads")] + [
        (a, b) for a, b in [(_ids[1], "heads"), ("base", _ids[len(_ids) // 2]),
                            (_ids[3], _ids[-1]), (_ids[len(_ids) // 3], "heads")]]

for _seed in range(100, 104):
    _spec, _ids = random_graph(_seed, 24, dep_rate=0.4, max_deps=3)
    GRAPHS["random%d" % _seed] = _spec
    RANDOM_WALKS["random%d" % _seed] = [("base", "heads"), (_ids[2], "heads"),
                                        ("base", _ids[-1]), ("base", _ids[len(_ids) // 2])]

RESOLVE = {
    "linear": ["head", "heads", "base", "a1b2", "c3d4", "e5f", "e5f6x", "c3", "-1", "-2",
               "-3", "-4", "+1", "a1b2+1", "e5f6-1", "@head", "heads@head", "a1b2@head", "@-1", "@heads", "a1b2@",
               " -1", "-1_0", "+0", "c3d4@c3d4", "e5f6@-1"],
    "fork": ["head", "heads", "left@head", "right@head", "left", "right", "left@base",
             "left@r3bb", "left@r4aa", "left@r4", "r3", "r3aa", "left@-1", "right@-1",
             "left@heads", "nolabel@head", "r600@head", "r5", "r50", "-1", "-5",
             "r3aa@head", "left@r100"],
    "twoheads": ["head", "heads", "tipa", "base1@head", "mid1@head", "tipa@head",
                 "tipa@heads", "-1", "tip", "tipb@-1", "mid1@tipa"],
    "forest": ["heads", "head", "alpha@head", "beta@head", "gamma@head", "alpha@heads",
               "beta@heads", "gamma@heads", "alpha", "beta", "gamma", "a00", "a006",
               "beta@a002", "gamma@b003", "alpha@b004", "gamma@-1", "beta@-2", "alpha@base",
               "b003@head", "c001@heads", "a003@heads"],
    "crossdep": ["heads", "head", "dl@head", "el@head", "el@heads", "dl@heads", "el@-1",
                 "dl", "el", "e001@head"],
    "partial": ["abcd", "abc", "abce", "abcd1", "abcdl", "abcdlabel", "1234", "123",
                "abcdlabel@head", "abcdlabel@abce", "abcdz", "abcdlabel@-1"],
    "labelchain": ["sl@head", "tl@head", "tl2@head", "sl", "tl", "tl2", "sl@root",
                   "tl@root", "sl@t100", "heads", "root@head", "tl@-2", "tl2@base"],
    "deponly": ["heads", "head", "q002", "p001@head", "q001@heads", "-1"],
    "dupe": ["heads", "head", "b1", "a1@heads"],
    "empty": ["head", "heads", "base", "abcd"],
    "labeltip": ["kl", "kl@head", "kl@base", "kl@k100", "kl@-1", "kl@-3", "kl@-4"],
    "labelmerge": ["ml", "ml@head", "ml@m300", "ml@m100", "ml@-2", "ml@m500"],
    "multilabel": ["one", "two@head", "three@n100", "three@base", "three@heads"],
}

WALKS = {
    "linear": [("base", "heads"), ("base", "head"), ("a1b2", "e5f6"), ("c3d4", "heads"),
               ("e5f6", "a1b2"), ("base", "c3d4"), ("-1", "heads"), ("base", "-1"),
               ("a1b2", "+1"), ("zzzz", "heads"), ("base", "c3d4+1")],
    "fork": [("base", "heads"), ("r3aa", "heads"), ("r3bb", "r4aa"), ("base", "left@head"),
             ("left@base", "heads"), ("base", "r3bb"), ("r200", "r500"), ("base", "head")],
    "twoheads": [("base", "heads"), ("base", "head"), ("base", "tipa"), ("mid1", "heads"),
                 ("tipa", "tipb"), ("base1", "tipb@head")],
    "forest": [("base", "heads"), ("alpha@base", "alpha@head"), ("base", "beta@head"),
               ("base", "gamma@head"), ("a003", "heads"), ("b002", "heads"),
               ("base", "c002"), ("a002", "b004"), ("base", "a006")],
    "crossdep": [("base", "heads"), ("base", "el@head"), ("d002", "heads"), ("base", "e002")],
    "partial": [("base", "heads"), ("abcd2", "abcdl")],
    "labelchain": [("base", "heads"), ("base", "sl@head"), ("tl@base", "tl@head")],
    "deponly": [("base", "heads"), ("p002", "heads"), ("base", "q002")],
    "dupe": [("base", "heads")],
    "labeltip": [("base", "heads"), ("base", "kl@head"), ("kl@base", "heads")],
    "labelmerge": [("base", "heads"), ("ml@base", "ml@head"), ("base", "ml@head")],
    "multilabel": [("base", "heads"), ("one@base", "three@head")],
    "empty": [("base", "heads")],
}

# history -r X:current passes the database heads as a tuple.
WALKS_TUPLE = {
    "fork": [("r3bb", ["r4aa"]), ("base", ["r4aa", "r3bb"]), ("r200", ["r600"]),
             ("r3aa", ["r3bb", "r4aa"])],
    "forest": [("base", ["a006", "b004", "c002"]), ("b002", ["a004"])],
}

CURRENT = {
    "fork": [["r600"], ["r4aa", "r3bb"], ["r200"], ["r3aa", "r3bb"], ["r100", "r4aa"]],
    "forest": [["a006", "b004", "c002"], ["a004", "a005"], ["c002"], ["b003", "a002"],
               ["a001", "a006"]],
    "crossdep": [["f002"], ["e002"], ["d002", "e001"]],
    "deponly": [["q002"], ["q001"]],
}

LINEAGE = {
    "forest": ["alpha", "beta", "gamma", "a003", "b002", "c001", "heads", "alpha@head"],
    "fork": ["left", "right", "r100", "r3aa"],
    "crossdep": ["dl", "el", "d001", "e002"],
    "deponly": ["p001", "q001", "p002"],
}


def parse(spec):
    revs = []
    for item in filter(None, spec.split(";")):
        rid, down, deps, labels = item.split(":")
        revs.append((rid, [d for d in down.split(",") if d], [d for d in deps.split(",") if d],
                     [lb for lb in labels.split(",") if lb]))
    return revs


def scripts(spec):
    from alembic.script.base import Script
    out = []
    for i, (rid, down, deps, labels) in enumerate(parse(spec)):
        mod = types.ModuleType("m%d" % i)
        mod.__doc__ = "Revision %s\n\nLong text for %s.\nSecond line." % (rid, rid)
        mod.revision = rid
        mod.down_revision = None if not down else down[0] if len(down) == 1 else tuple(down)
        mod.depends_on = None if not deps else deps[0] if len(deps) == 1 else tuple(deps)
        mod.branch_labels = None if not labels else tuple(labels)
        out.append(Script(mod, rid, "/proj/versions/%s_rev.py" % rid))
    return out


class FakeScriptDir:
    """The parts of ScriptDirectory the walks need (real _catch_revision_errors)."""
    def __init__(self, rmap):
        from alembic.script.base import ScriptDirectory
        self.revision_map = rmap
        self._catch_revision_errors = ScriptDirectory._catch_revision_errors.__get__(self)
        self.walk_revisions = ScriptDirectory.walk_revisions.__get__(self)


def cmd_text(fn):
    from alembic.script.base import ScriptDirectory
    from alembic.util import CommandError
    try:
        with ScriptDirectory._catch_revision_errors(None):
            return fn()
    except CommandError as e:
        raise


def err(e):
    return "!" + type(e).__name__ + ": " + str(e)


def show(v):
    if v is None:
        return "None"
    if isinstance(v, str):
        return v
    return v.revision


def guarded(fn):
    """(raw result or error, command-level text or error)."""
    from alembic.script.base import ScriptDirectory
    from alembic.util import CommandError
    try:
        res = fn()
        return res, res
    except Exception as e:
        raw = err(e)
        try:
            with ScriptDirectory._catch_revision_errors(None):
                raise e
        except CommandError as ce:
            return raw, "!" + str(ce)
        except Exception as other:
            return raw, err(other)


def compute():
    from alembic.script.revision import RevisionMap
    from alembic.util import CommandError
    out = {}
    for name, spec in GRAPHS.items():
        g = out[name] = {}
        try:
            revs = scripts(spec) if spec else []
        except Exception as e:
            g["error"] = err(e)
            continue
        rmap = RevisionMap(lambda revs=revs: revs)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                rmap.heads
            except Exception as e:
                g["error"] = err(e)
                continue
        g["warnings"] = [str(x.message) for x in w]
        g["heads"] = list(rmap.heads)
        g["bases"] = list(rmap.bases)
        g["real_heads"] = list(rmap._real_heads)
        g["real_bases"] = list(rmap._real_bases)
        nodes = []
        for key, r in rmap._revision_map.items():
            if not isinstance(key, str) or key != getattr(r, "revision", None):
                continue
            flags = "".join(c for c, f in [
                ("H", r.is_head), ("h", r._is_real_head), ("B", r.is_base),
                ("b", r._is_real_base), ("P", r.is_branch_point),
                ("p", r._is_real_branch_point), ("M", r.is_merge_point)] if f)
            nodes.append("|".join([
                r.revision, ",".join(sorted(r.nextrev)), ",".join(sorted(r._all_nextrev)),
                ",".join(sorted(r.branch_labels)), ",".join(r._resolved_dependencies),
                ",".join(sorted(r._normalized_resolved_dependencies)), flags]))
        g["nodes"] = nodes
        g["resolve"] = {}
        for spec_ in RESOLVE.get(name, []):
            def many(s=spec_):
                return " ".join(show(x) for x in rmap.get_revisions(s))
            def one(s=spec_):
                return show(rmap.get_revision(s))
            g["resolve"][spec_] = [list(guarded(many)), list(guarded(one))]
        g["head"] = {}
        labels = sorted({lb for r in revs for lb in r._orig_branch_labels})
        for lb in [""] + labels + ["nosuch"]:
            g["head"][lb] = guarded(lambda lb=lb: show(rmap.get_current_head(lb or None)))[0]
        g["walks"] = {}
        sd = FakeScriptDir(rmap)
        for base, head in WALKS.get(name, []) + RANDOM_WALKS.get(name, []):
            try:
                g["walks"]["%s:%s" % (base, head)] = " ".join(
                    s.revision for s in sd.walk_revisions(base, head))
            except CommandError as e:
                g["walks"]["%s:%s" % (base, head)] = "!" + str(e)
            except Exception as e:  # Alembic crashes: the test only wants an error
                g["walks"]["%s:%s" % (base, head)] = err(e)
        g["walks_tuple"] = {}
        for base, heads in WALKS_TUPLE.get(name, []):
            key = "%s:%s" % (base, " ".join(heads))
            try:
                g["walks_tuple"][key] = " ".join(
                    s.revision for s in sd.walk_revisions(base, tuple(heads)))
            except CommandError as e:
                g["walks_tuple"][key] = "!" + str(e)
            except Exception as e:
                g["walks_tuple"][key] = err(e)
        g["current"] = {}
        for cur in CURRENT.get(name, []):
            g["current"][" ".join(cur)] = " ".join(sorted(
                r.revision for r in rmap._get_all_current(tuple(cur))))
        g["lineage"] = {}
        for chk in LINEAGE.get(name, []):
            g["lineage"][chk] = guarded(
                lambda c=chk: " ".join(rmap.filter_for_lineage(rmap.heads, c)))[0]
        g["lineage_deps"] = {}
        for chk in LINEAGE.get(name, []):
            g["lineage_deps"][chk] = guarded(lambda c=chk: " ".join(
                r.revision for r in rmap.filter_for_lineage(
                    [rmap.get_revision(x) for x in rmap._real_heads + rmap.bases], c,
                    include_dependencies=True)))[0]
        g["format"] = {}
        for r in revs:
            if rmap._revision_map.get(r.revision) is not r:
                continue
            r._db_current_indicator = None
            f = g["format"][r.revision] = {
                "log": r.log_entry,
                "history": r.cmd_format(False, include_branches=True, include_doc=True,
                                        include_parents=True),
                "heads": r.cmd_format(False, include_branches=True, tree_indicators=False),
                "branch": r.cmd_format(False, include_branches=True),
                "plain": r.cmd_format(False),
                "str": str(r),
            }
            if name.startswith("random"):  # keep the table small: two forms suffice
                for k in ("heads", "branch", "plain", "str"):
                    del f[k]
                continue
            r._db_current_indicator = True
            f["history_current"] = r.cmd_format(False, include_branches=True,
                                                include_doc=True, include_parents=True)
            f["log_current"] = r.log_entry
    return out


def merge(runs):
    """Turn per-seed results into {path: [variants]}."""
    flat = {}

    def walk(prefix, v):
        if isinstance(v, dict):
            for k, x in v.items():
                walk(prefix + (k,), x)
        else:
            flat.setdefault(prefix, [])
            enc = json.dumps(v)
            if enc not in flat[prefix]:
                flat[prefix].append(enc)
    for r in runs:
        walk((), r)
    return flat


def c(s):
    return json.dumps(s, ensure_ascii=False)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(compute()))
        return
    runs = []
    for seed in range(8):
        env = dict(os.environ, PYTHONHASHSEED=str(seed))
        runs.append(json.loads(subprocess.check_output(
            [sys.executable, __file__, "--child"], env=env)))
    flat = merge(runs)
    print("// Generated by gen_revisiongraph_cases.py from Alembic 1.8.1; do not edit.")
    for (path), variants in sorted(flat.items(), key=lambda kv: list(map(str, kv[0]))):
        vals = [json.loads(v) for v in variants]
        if len(vals) > 1:
            print("// %s varies with PYTHONHASHSEED" % "/".join(path), file=sys.stderr)
        name, kind = path[0], path[1]
        if kind in ("heads", "bases", "real_heads", "real_bases", "nodes", "warnings"):
            assert len(vals) == 1, path
            print("RETORT_GRAPH_LIST(%s, %s, QStringList{%s})" % (
                c(name), c(kind), ", ".join(c(x) for x in vals[0])))
        elif kind == "error":
            print("RETORT_GRAPH_ERROR(%s, %s)" % (c(name), c(vals[0])))
        elif kind == "resolve":
            for v in vals:
                print("RETORT_RESOLVE(%s, %s, %s, %s, %s, %s)" % (
                    c(name), c(path[2]), c(v[0][0]), c(v[0][1]), c(v[1][0]), c(v[1][1])))
        elif kind == "format":
            for v in vals:
                print("RETORT_FORMAT(%s, %s, %s, %s)" % (c(name), c(path[2]), c(path[3]), c(v)))
        else:
            print("RETORT_QUERY(%s, %s, %s, QStringList{%s})" % (
                c(name), c(kind), c(path[2]), ", ".join(c(v) for v in vals)))
    for name, spec in GRAPHS.items():
        print("RETORT_GRAPH_SPEC(%s, %s)" % (c(name), c(spec)))


if __name__ == "__main__":
    main()
