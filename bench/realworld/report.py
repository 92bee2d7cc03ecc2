"""Markdown for bench/results.md from realworld.py's JSON."""
import collections
import json
import os
import re

HEADING = "## Real-world corpus (bench/realworld)"


def pct(n, d):
    return "%d/%d (%.1f%%)" % (n, d, 100.0 * n / d) if d else "–"


def _counts(funcs):
    c = collections.Counter()
    for f in funcs:
        fn = f["function"]
        c[fn] += 1
        native = f["status"] == "native"
        c[fn + "_native"] += native
        if not f["uses_project"]:
            c[fn + "_free"] += 1
            c[fn + "_free_native"] += native
        if native and "sql_equal" in f:
            c["sql"] += 1
            c["sql_equal"] += f["sql_equal"]
        # Steps an online run keeps in Retort's own transaction: native, rendered by Alembic,
        # or run by Alembic on Retort's connection (bridged) where the online run said so.
        if f.get("route"):
            c["routed"] += 1
            c["in_transaction"] += f["route"] in ("native", "rendered") or bool(f.get("bridged_online"))
            c["rendered"] += f["route"] == "rendered"
            c["bridged"] += bool(f.get("bridged_online"))
        c["online_only"] += f.get("online_only") is True   # SQLite batch mode
        c["online_only_inspection"] += f.get("online_only") == "inspection"   # livecheck.py
        c["online_only_reflection"] += f.get("online_only") == "reflection"   # livecheck.py
        c["failed"] += f["status"] == "failed"
        c["blocked"] += f["status"] == "blocked"
    return c


def _full(full):
    if full.get("equal"):
        return "equal"
    if "equal" in full:
        return "**differs**"
    if full["retort_rc"] != 0 and full["alembic_rc"] != 0:
        return "both fail"
    if full["retort_rc"] != 0:
        return "needs-Python refusal" if "needs Python" in full.get("retort_error", "") \
            else "**retort fails**"
    return "alembic fails"


def _online(on):
    if not on:
        return "–", "–", "–"
    a, r = on.get("alembic", {}), on.get("retort", {})

    def t(x):
        s = "%.2f" % x.get("upgrade_seconds", 0)
        return s if x.get("upgrade_rc") == 0 else s + " (fails)"

    if "schema_equal_up" in on:
        up = "equal" if on["schema_equal_up"] else (
            "differs (both fail; Retort = Alembic's last good)" if on.get("retort_at_last_good_up") else "**differs**")
    else:
        up = "n/a"
    if "schema_equal_down" in on:
        up += " / " + ("equal" if on["schema_equal_down"] else "**differs**")
    elif a.get("upgrade_rc") == 0 and r.get("upgrade_rc") == 0:
        up += " / n/a"
    return t(a), t(r), up


def _strip(msg):
    """The message without Retort's location prefixes (kept in the JSON)."""
    msg = re.sub(r"^(FAILED: |ERROR \[[^\]]*\] )", "", msg)
    msg = re.sub(r"^Migration \S+ \([^)]*\) failed: ", "", msg)
    msg = re.sub(r"^\S+\.py:\d+: ", "", msg)
    return re.sub(r"^revision \S+ \([^)]*\): ", "", msg)


def _norm_msg(msg):
    msg = _strip(msg)
    msg = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", msg)
    msg = re.sub(r"\b[0-9a-f]{8,}\b", "<rev>", msg)
    return re.sub(r"\d+", "N", msg)[:160]


def problems(results):
    """(kind, message, project/dialect, file) for everything Retort got wrong."""
    out = []
    for name, p in results["projects"].items():
        for d, dr in p["dialects"].items():
            where = "%s/%s" % (name, d)
            for f in dr["functions"]:
                tag = "%s %s()" % (f["file"], f["function"])
                if f["status"] == "failed":
                    kind = "offline: retort fails" + (", alembic too" if f["alembic_rc"] else "")
                    out.append((kind, f["error"], where, tag))
                elif f.get("sql_equal") is False:
                    kind = "offline: SQL differs" + ("" if f["status"] == "native" else " (Alembic-rendered)")
                    out.append((kind, f["sql_diff"], where, tag))
            full = dr["upgrade_heads_sql"]
            if full.get("equal") is False:
                out.append(("`upgrade heads --sql` differs", "", where, ""))
            on = dr.get("online") or {}
            r, a = on.get("retort", {}), on.get("alembic", {})
            for ph in ("upgrade", "downgrade"):
                if r.get(ph + "_rc") not in (None, 0):
                    kind = "online %s: retort fails" % ph + (
                        ", alembic too" if a.get(ph + "_rc") not in (None, 0) else "")
                    out.append((kind, r.get(ph + "_error", ""), where, ""))
            for ph in ("up", "down"):
                if on.get("schema_equal_" + ph) is False:
                    kind = "online schema differs after %sgrade" % ph
                    if ph == "up" and on.get("retort_at_last_good_up"):
                        # Not wrong: Retort undid the failing migration whole, see at_last_good().
                        kind = ("online upgrade: both fail; Alembic keeps the failing migration's partial "
                                "DDL, Retort's schema = Alembic's at the last good revision")
                    out.append((kind, on["schema_diff_" + ph], where, ""))
    return out


def markdown(results):
    lines = [HEADING, ""]
    lines.append(
        "`bench/realworld/run.sh CORPUS` (corpus: bench/realworld/corpus.txt, fetched by "
        "bench/realworld/fetch.sh; stubs for the projects' own modules, identical for both tools). "
        "Retort: `%s`, %s. A function is *native* when Retort's per-revision `--sql` "
        "(`upgrade <down>:<rev>`, `downgrade <rev>:<down>`) names no `needs Python:` step for "
        "it and succeeds; *own-free* functions use no name imported from outside the standard "
        "library, SQLAlchemy and Alembic. SQL: native steps whose `--sql` equals Alembic's "
        "(normalised as in tests/conformance/normalise.py). Online: `upgrade heads` on fresh "
        "databases, wall time (s), then schema equality after `upgrade heads` / `downgrade base`."
        % (os.path.basename(results["retort"]), results["date"]))
    lines.append("")
    lines.append("| project | dialect | revs | upgrade native | downgrade native | own-free upgrade native "
                 "| own-free downgrade native | native SQL = Alembic | in Retort's transaction "
                 "| `upgrade heads --sql` | alembic (s) | retort (s) | schema up / down |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|")
    totals = collections.defaultdict(collections.Counter)
    for name, p in sorted(results["projects"].items()):
        for d, dr in sorted(p["dialects"].items()):
            c = _counts(dr["functions"])
            totals[d] += c
            totals["all"] += c
            revs = len({f["revision"] for f in dr["functions"]})
            a, r, s = _online(dr.get("online"))
            lines.append("| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                name, d, revs, pct(c["upgrade_native"], c["upgrade"]),
                pct(c["downgrade_native"], c["downgrade"]),
                pct(c["upgrade_free_native"], c["upgrade_free"]),
                pct(c["downgrade_free_native"], c["downgrade_free"]),
                pct(c["sql_equal"], c["sql"]), pct(c["in_transaction"], c["routed"]),
                _full(dr["upgrade_heads_sql"]), a, r, s))
        for d, why in sorted(p.get("skipped", {}).items()):
            lines.append("| %s | %s | | skipped: %s | | | | | | | | | |" % (name, d, why))
    for d in ("sqlite", "postgresql", "mysql", "all"):
        if d not in totals:
            continue
        c = totals[d]
        lines.append("| **total** | %s | | %s | %s | %s | %s | %s | %s | | | | |" % (
            d, pct(c["upgrade_native"], c["upgrade"]), pct(c["downgrade_native"], c["downgrade"]),
            pct(c["upgrade_free_native"], c["upgrade_free"]),
            pct(c["downgrade_free_native"], c["downgrade_free"]), pct(c["sql_equal"], c["sql"]),
            pct(c["in_transaction"], c["routed"])))
    c = totals["all"]
    lines += [""] + aims(c)
    lines.append("")
    lines.append("*In Retort's transaction*: of the functions classified (native or needs Python), "
                 "those an online run keeps in Retort's own connection and transaction — native, or "
                 "needs Python with SQL that Alembic's offline mode writes (`Rendering ... with "
                 "Alembic` without `online, Alembic runs it`), or run by Alembic on Retort's "
                 "connection where the online run's log says so (`Bridged: ...`); the rest "
                 "Alembic runs online on its own. Rendered by Alembic, all dialects: %d; "
                 "bridged: %d." % (c_all_rendered(results), totals["all"]["bridged"]))
    lines.append("")
    lines.append("Online times are compared only where both succeed; *(fails)* marks a run that "
                 "stopped with an error, the schema is then compared at the point each stopped.")
    lines.append("")
    lines.append("Totals count a function once per dialect it was run on. Own-free share of all "
                 "functions: upgrade %s, downgrade %s. Offline failures other than needs-Python "
                 "(Retort fails where no step needs Python): %d; blocked by a needs-Python "
                 "step elsewhere in the plan (merges, depends_on): %d." % (
                     pct(c["upgrade_free"], c["upgrade"]), pct(c["downgrade_free"], c["downgrade"]),
                     c["failed"], c["blocked"]))
    varies = ["%s/%s %s %s()" % (name, d, f["revision"], f["function"])
              for name, p in results["projects"].items() for d, dr in p["dialects"].items()
              for f in dr["functions"] if f.get("alembic_varies")]
    if varies:
        lines.append("")
        lines.append("Alembic's own `--sql` varies from run to run for %d function(s) (%s; for example the order "
                     "of a table's indexes, which SQLAlchemy keeps in a set); Retort's SQL counts equal there "
                     "because a fresh Alembic process wrote exactly it." % (len(varies), ", ".join(varies)))
    reasons = collections.Counter()
    for name, p in results["projects"].items():
        seen = set()
        for d, dr in p["dialects"].items():
            for f in dr["functions"]:
                if f["status"] == "python" and (f["file"], f["function"]) not in seen:
                    seen.add((f["file"], f["function"]))
                    reasons[_norm_msg(f["reason"])] += 1
    if reasons:
        lines += ["", "Why functions need Python (each function once, most frequent first):", ""]
        lines.append("| reason | functions |")
        lines.append("|---|---:|")
        for why, n in reasons.most_common(20):
            lines.append("| %s | %d |" % (why.replace("|", "\\|"), n))
    online = collections.Counter()
    for name, p in results["projects"].items():
        for d, dr in p["dialects"].items():
            for f in dr["functions"]:
                if f.get("route") in ("online", "bridged") and not f.get("bridged_online"):
                    online[_norm_msg(f.get("online_reason", "?"))[:90]] += 1
    if online:
        lines += ["", "Why Alembic runs the other needs-Python functions online (per dialect):", ""]
        lines.append("| reason | functions |")
        lines.append("|---|---:|")
        for why, n in online.most_common(12):
            lines.append("| %s | %d |" % (why.replace("|", "\\|"), n))
    probs = problems(results)
    if probs:
        groups = collections.OrderedDict()
        for kind, msg, where, tag in sorted(probs):
            groups.setdefault((kind, _norm_msg(msg)[:70]), []).append((where, tag, msg))
        lines += ["", "What Retort gets wrong, and where both tools fail (grouped by message; "
                  "every case with its revision in the JSON):", ""]
        lines.append("| kind | first line | cases | example |")
        lines.append("|---|---|---:|---|")
        for (kind, _), items in groups.items():
            where, tag, msg = items[0]
            lines.append("| %s | %s | %d | %s %s |" % (
                kind, _strip(msg)[:200].replace("|", "\\|"), len(items), where, tag))
    return "\n".join(lines) + "\n"


BASELINE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "baseline.json")


def aims(c):
    """Issue 11's aims, before (baseline.json: the totals of an earlier run) and now."""
    base = {}
    if os.path.exists(BASELINE):
        with open(BASELINE) as f:
            b = json.load(f)
        base, when = b["totals"], "commit %s, %s" % (b["commit"], b["date"])
    rows = [("own-free `upgrade()` native", "upgrade_free_native", "upgrade_free", "≥ 85%"),
            ("own-free `downgrade()` native", "downgrade_free_native", "downgrade_free", "≥ 85%"),
            ("all functions native", ("upgrade_native", "downgrade_native"),
             ("upgrade", "downgrade"), "≥ 65%"),
            ("native SQL = Alembic", "sql_equal", "sql", "100%"),
            ("in Retort's transaction (issue 10)", "in_transaction", "routed", "≥ 90%")]

    def get(t, k):
        return sum(t.get(x, 0) for x in k) if isinstance(k, tuple) else t.get(k, 0)

    out = ["Aims (all dialects; before: %s). Native includes %d SQLite batch-mode functions "
           "that read the live table: both tools refuse them with `--sql` (\"cannot proceed in "
           "--sql mode\"), and online Retort runs them natively (no SQL to compare, so not in "
           "the SQL share); and %d functions inspecting the live database (`sa.inspect(bind)`): "
           "Alembic's `--sql` cannot run them, Retort's hands them to Python, and each counts "
           "only after an online run (fresh database stamped at the parent, `upgrade <rev>` "
           "with both tools, bench/realworld/livecheck.py) showed Retort running it without "
           "Python and leaving Alembic's schema; and %d functions reflecting tables "
           "(`meta.reflect(bind)`, `Table(autoload_with=bind)`) and changing their rows, counted the "
           "same way after an online run from the parent built by Alembic (`upgrade <parent>` "
           "from base; a stamp on an empty database where Alembic cannot get there), schema and "
           "rows equal." % (when if base else "no baseline", c["online_only"],
                            c["online_only_inspection"], c["online_only_reflection"]), "",
           "| share | before | now | aim |", "|---|---:|---:|---:|"]
    for label, n, d, aim in rows:
        out.append("| %s | %s | %s | %s |" % (
            label, pct(get(base, n), get(base, d)) if base else "–", pct(get(c, n), get(c, d)), aim))
    return out


def c_all_rendered(results):
    return sum(_counts(dr["functions"])["rendered"]
               for p in results["projects"].values() for dr in p["dialects"].values())


def update_results_md(path, section):
    text = open(path).read() if os.path.exists(path) else ""
    text = re.sub(r"\n*" + re.escape(HEADING) + r"\n.*?(?=\n## |\Z)", "", text, flags=re.S)
    with open(path, "w") as f:
        f.write(text.rstrip("\n") + "\n\n" + section)
