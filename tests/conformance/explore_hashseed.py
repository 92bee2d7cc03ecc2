#!/usr/bin/python3
"""Find which Alembic outputs depend on Python's hash seed (set iteration order).

usage: explore_hashseed.py [N]            graph/error/offline cases, PYTHONHASHSEED=0..N-1
       explore_hashseed.py --online [N]   the online sequences of test_online (SQLite)
       explore_hashseed.py --current [N]  `current` with 4 heads, N processes per mode
(N defaults to 6.)

Runs every case under each seed and lists the cases whose output varies, (a) raw and
(b) after conformance.normalise() sorted the set-ordered branch-label lists and
"Branches into:" lists. Cases still varying after (b) are the ones the harness may
compare as a line multiset, or for --sql as migration blocks (compare_many(),
test_online); everything else must match in order. Findings with Alembic 1.8.1:
  * branch-label lists "(a, b)" / "Branch names: a, b" and "Branches into:" are set order;
  * `branches` child lines, `show heads`, `history -r base:X` / `--verbose` ordering of
    independent branches, and the order of independent steps in `upgrade/downgrade --sql`
    vary with the seed;
  * online: the "Running upgrade/downgrade" log of a step that runs independent branches
    (e.g. `upgrade heads`, `downgrade base`) varies with the seed, and so can the path
    Alembic takes; each step's version rows and schema then still agree between seeds
    for the sequences used (see --online);
  * `current` prints a set of Script objects hashed by identity (memory address): with
    several heads its order changes between processes even under one PYTHONHASHSEED
    (--current), so its entries are compared sorted.
"""
import sys

import conformance as C


def offline(n):
    raw = after = 0
    for seed in C.SEEDS:
        revs = C.generate_graph(seed)
        g = C.Graph(revs)
        p = C.Project(revs)
        cases = C.graph_cases(g) + C.error_cases(g) + C.offline_cases(g)
        jobs = [{"cwd": p.dir, "args": args} for _, args in cases]
        runs = [C.run_reference_batch(jobs, hs, 1) for hs in range(n)]
        for i, (label, args) in enumerate(cases):
            r = {(x[i].rc, x[i].stdout, x[i].stderr) for x in runs}
            v = {C.normalise(x[i], labels=set(g.labels)) for x in runs}
            if len(r) > 1:
                raw += 1
            if len(v) > 1:
                after += 1
                if "--sql" in args:  # compare_many() accepts these as migration blocks
                    same = "blocks-equal=%s" % (len({C.sql_blocks(x) for x in v}) == 1)
                else:
                    same = "multiset-equal=%s" % (len({C.multiset(x) for x in v}) == 1)
                print("seed %-3d %-45s variants=%d %s" % (seed, " ".join(args), len(v), same))
        p.cleanup()
    print("%d cases vary raw; %d still vary after label/branch-list sorting" % (raw, after))


def online(n):
    import test_online
    total = varying = 0
    for seed in test_online.ONLINE_SEEDS:
        revs = C.generate_graph(seed)
        g = C.Graph(revs)
        seq = C.online_sequence(g)
        runs, projects = [], []
        for hs in range(n):
            p = C.Project(revs)
            projects.append(p)
            jobs = [{"cwd": p.dir, "args": a, "rows_url": "sqlite:///%s/test.db" % p.dir} for a in seq]
            runs.append(C.run_reference_batch(jobs, hs, 1))
        for i, args in enumerate(seq):
            total += 1
            outs = {C.normalise(runs[hs][i], projects[hs].dir, set(g.labels)) for hs in range(n)}
            states = {repr((runs[hs][i].rows, runs[hs][i].schema)) for hs in range(n)}
            crashed = any("Traceback" in runs[hs][i].stderr for hs in range(n))
            if len(outs) > 1 or len(states) > 1 or crashed:
                varying += 1
                print("seed %-3d #%-2d %-30s output variants=%d multiset-equal=%s state variants=%d%s"
                      % (seed, i, " ".join(args), len(outs), len({C.multiset(o) for o in outs}) == 1,
                         len(states), " ALEMBIC CRASHED" if crashed else ""))
        for p in projects:
            p.cleanup()
    print("%d of %d online steps vary with the hash seed" % (varying, total))


def current(n):
    revs = C.generate_graph(67)
    g = C.Graph(revs)
    p = C.Project(revs)
    r = C.run_alembic(["stamp"] + g.heads, p.dir)
    assert r.rc == 0, r
    for label, seeds in (("PYTHONHASHSEED=0 each time", [0] * n),
                         ("PYTHONHASHSEED=0..%d" % (n - 1), range(n))):
        outs = {C.run_alembic(["current"], p.dir, hashseed=hs).stdout for hs in seeds}
        print("current with %d heads, %d processes, %s: %d different orders"
              % (len(g.heads), n, label, len(outs)))
    p.cleanup()


def main():
    args = sys.argv[1:]
    if args and args[0] == "--online":
        online(int(args[1]) if len(args) > 1 else 6)
    elif args and args[0] == "--current":
        current(int(args[1]) if len(args) > 1 else 6)
    else:
        offline(int(args[0]) if args else 6)


if __name__ == "__main__":
    main()
