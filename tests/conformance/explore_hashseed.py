#!/usr/bin/python3
"""Find which Alembic outputs depend on Python's hash seed (set iteration order).

usage: explore_hashseed.py [N]   (PYTHONHASHSEED=0..N-1, default 6)

Runs every generated graph/error/offline case under each seed and lists the cases whose
output varies, (a) raw and (b) after conformance.normalise() sorted the set-ordered
branch-label lists and "Branches into:" lists. Cases still varying after (b) are the
ones compare_many() accepts as a line multiset. Findings with Alembic 1.8.1:
  * branch-label lists "(a, b)" / "Branch names: a, b" and "Branches into:" are set order;
  * `branches` child lines, `show heads`, `history -r base:X` / `--verbose` ordering of
    independent branches, and the order of independent steps in `upgrade/downgrade --sql`
    (and hence online logs) vary with the seed.
"""
import sys

import conformance as C

N = int(sys.argv[1]) if len(sys.argv) > 1 else 6


def main():
    raw = after = 0
    for seed in C.SEEDS:
        revs = C.generate_graph(seed)
        g = C.Graph(revs)
        p = C.Project(revs)
        cases = C.graph_cases(g) + C.error_cases(g) + C.offline_cases(g)
        jobs = [{"cwd": p.dir, "args": args} for _, args in cases]
        runs = [C.run_reference_batch(jobs, hs, 1) for hs in range(N)]
        for i, (label, args) in enumerate(cases):
            r = {(x[i].rc, x[i].stdout, x[i].stderr) for x in runs}
            n = {C.normalise(x[i], labels=set(g.labels)) for x in runs}
            if len(r) > 1:
                raw += 1
            if len(n) > 1:
                after += 1
                ms = len({C.multiset(v) for v in n}) == 1
                print("seed %-3d %-45s variants=%d multiset-equal=%s" % (seed, " ".join(args), len(n), ms))
        p.cleanup()
    print("%d cases vary raw; %d still vary after label/branch-list sorting" % (raw, after))


if __name__ == "__main__":
    main()
