"""Normalisation and comparison of one command's result, (rc, stdout, stderr), for the
conformance harness (conformance.py re-exports these). README.md, "Conformance harness:
what is normalised", describes each one; keep the two in step."""

import difflib
import os
import re


def _sort_labels(text, labels):
    """Branch-label lists and "Branches into:" are printed in Python set order."""

    def paren(m):
        items = m.group(1).split(", ")
        if labels and all(i in labels for i in items):
            return "(" + ", ".join(sorted(items)) + ")"
        return m.group(0)

    text = re.sub(r"\(([^()\n]*)\)", paren, text)
    text = re.sub(r"^(Branches into: )(.*)$",
                  lambda m: m.group(1) + ", ".join(sorted(m.group(2).split(", "))),
                  text, flags=re.M)
    text = re.sub(r"^(Branch names: )(.*)$",
                  lambda m: m.group(1) + ", ".join(sorted(m.group(2).split(", "))),
                  text, flags=re.M)
    return text


def _prog_norm(text):
    """argparse prints argv[0]'s name and indents usage continuation lines to its
    length: map `retort` to `alembic` and collapse leading indentation."""
    text = re.sub(r"^usage: retort\b", "usage: alembic", text, flags=re.M)
    text = re.sub(r"^retort( \w+)?: error:", r"alembic\1: error:", text, flags=re.M)
    return re.sub(r"^ +", " ", text, flags=re.M)


_PY_WARNING = re.compile(r"^/\S+\.py:\d+: (\w*Warning): (.*)\n  \S.*$", re.M)


def _warning_norm(text):
    """Python's warnings module prefixes the location in Alembic's own source
    (`/usr/lib/python3/dist-packages/alembic/...py:1163: UserWarning: msg` plus the
    source line): keep `UserWarning: msg` only."""
    return _PY_WARNING.sub(r"\1: \2", text)


def _without_review(text):
    """Retort's plan review (`WARNING [retort.review] ...` before a run that drops data)
    and its checksum report (`[retort.checksum] ...` lines of `current --verbose`) have no
    Alembic counterpart: compared without those lines."""
    if "retort.review" not in text and "retort.checksum" not in text:
        return text
    return "".join(l for l in text.splitlines(keepends=True)
                   if "[retort.review]" not in l and "[retort.checksum]" not in l)


def normalise(res, project_dir=None, labels=(), prog=False, db_name=None):
    out, err = res.stdout, res.stderr
    if db_name:
        out, err = out.replace(db_name, "<DB>"), err.replace(db_name, "<DB>")
    if project_dir:
        for p in sorted({project_dir, os.path.realpath(project_dir)}, key=len, reverse=True):
            out = out.replace(p, "<PROJECT>")
            err = err.replace(p, "<PROJECT>")
    if prog:
        out, err = _prog_norm(out), _prog_norm(err)
    out, err = _warning_norm(out), _warning_norm(err)
    out, err = _without_review(out), _without_review(err)
    out, err = _sort_labels(out, labels), _sort_labels(err, labels)
    return (res.rc, out, err)


def sort_current(n):
    """`current` prints the revisions of a set of Script objects, which hash by identity
    (memory address): their order varies from one process to the next even under the
    same PYTHONHASHSEED (explore_hashseed.py --current). Sort the entries -- lines, or
    with --verbose the blocks starting at `Rev: ` -- keeping the header line first."""
    rc, out, err = n
    lines = out.splitlines(keepends=True)
    starts = [i for i, l in enumerate(lines) if l.startswith("Rev: ")]
    if not starts:
        return (rc, "".join(sorted(lines)), err)
    bounds = starts + [len(lines)]
    entries = ["".join(lines[a:b]) for a, b in zip(bounds, bounds[1:])]
    return (rc, "".join(lines[:starts[0]] + sorted(entries)), err)


def multiset(n):
    rc, out, err = n
    return (rc, "\n".join(sorted(out.splitlines())), "\n".join(sorted(err.splitlines())))


_VT_INSERT = re.compile(r"^INSERT INTO alembic_version \(version_num\) VALUES \('(\w+)'\)"
                        r"(?: RETURNING alembic_version.version_num)?;$")
_VT_UPDATE = re.compile(r"^UPDATE alembic_version SET version_num='(\w+)' "
                        r"WHERE alembic_version.version_num = '(\w+)';$")
_VT_DELETE = re.compile(r"^DELETE FROM alembic_version WHERE alembic_version.version_num = '(\w+)';$")


_RUNNING = re.compile(r"^-- Running (upgrade|downgrade) (.*) -> (.*)$")


def sql_blocks(n):
    """--sql output whose step order is hash dependent (shown by the hash-seed runs):
    the migrations may come in another order, and which of two merged heads gets the
    UPDATE and which the DELETE (or INSERT on downgrade) of the version table is set
    order too. Compared: the text before the first migration; each migration's block
    (its `-- Running` line and its other statements, in order) as a multiset; the number
    of version-table statements; the version table's final content; stderr as a line
    multiset. block_order_ok() checks the order of the blocks separately."""
    rc, out, err = n
    prefix, blocks, table, dml = [], [], set(), 0
    for line in out.splitlines():
        m_i, m_u, m_d = _VT_INSERT.match(line), _VT_UPDATE.match(line), _VT_DELETE.match(line)
        if m_i:
            table.add(m_i.group(1))
        elif m_u:
            table.discard(m_u.group(2))
            table.add(m_u.group(1))
        elif m_d:
            table.discard(m_d.group(1))
        elif _RUNNING.match(line):
            blocks.append([line])
            continue
        else:
            (blocks[-1] if blocks else prefix).append(line)
            continue
        dml += 1
    return (rc, tuple(prefix), tuple(sorted(tuple(b) for b in blocks)), dml, frozenset(table),
            tuple(sorted(err.splitlines())))


def block_order_ok(out, revs):
    """The migrations of --sql output come in an order Alembic could take: on upgrade,
    each revision after those it revises and depends on; on downgrade, before them.
    Returns None, or the first offending pair as text."""
    needs = {r.id: set(r.down) | set(r.depends) for r in revs}
    labels = {l: r.id for r in revs for l in r.labels}
    seen = []  # (kind, revision migrated, what it needs)
    for line in out.splitlines():
        m = _RUNNING.match(line)
        if m:
            kind, a, b = m.groups()
            rid = (b if kind == "upgrade" else a).strip()
            seen.append((kind, rid, {labels.get(x, x) for x in needs.get(rid, ())}))
    ids = [rid for _, rid, _ in seen]
    for i, (kind, rid, before) in enumerate(seen):
        # upgrade: nothing rid needs may come later; downgrade: nor earlier
        bad = before & set(ids[i + 1:] if kind == "upgrade" else ids[:i])
        if bad:
            return "%s %s runs %s %s, which it needs" % (
                kind, rid, "before" if kind == "upgrade" else "after", ", ".join(sorted(bad)))
    return None


def describe_diff(label, a, b):
    rc_a, out_a, err_a = a
    rc_b, out_b, err_b = b
    lines = ["%s:" % label]
    if rc_a != rc_b:
        lines.append("  exit code: alembic=%s retort=%s" % (rc_a, rc_b))
    for name, x, y in (("stdout", out_a, out_b), ("stderr", err_a, err_b)):
        if x != y:
            diff = difflib.unified_diff(x.splitlines(), y.splitlines(), "alembic." + name,
                                        "retort." + name, lineterm="", n=2)
            d = list(diff)
            if len(d) > 60:
                d = d[:60] + ["  ... (%d more diff lines)" % (len(d) - 60)]
            lines.extend("  " + l for l in d)
    return "\n".join(lines)
