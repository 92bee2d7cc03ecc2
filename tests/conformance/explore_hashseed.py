#!/usr/bin/python3
"""Find which Alembic outputs depend on Python's hash seed (set iteration order).

Runs every generated case under PYTHONHASHSEED=0..N-1 and lists the ones whose
stdout/stderr/exit code vary. The result is what conformance.HASH_ORDER_SENSITIVE encodes.
"""
import sys
import conformance as C

N = int(sys.argv[1]) if len(sys.argv) > 1 else 6


def main():
    varying = []
    for seed in C.SEEDS:
        revs = C.generate_graph(seed)
        g = C.Graph(revs)
        p = C.Project(revs)
        cases = C.graph_cases(g) + C.error_cases(g) + C.offline_cases(g)
        jobs = [(label, args, hs) for label, args in cases for hs in range(N)]
        res = C.parallel(lambda j: C.run_alembic(j[1], p.dir, j[2]), jobs)
        for i, (label, args) in enumerate(cases):
            outs = {(r.rc, r.stdout, r.stderr) for r in res[i * N:(i + 1) * N]}
            if len(outs) > 1:
                same_ms = len({(rc, "\n".join(sorted(o.splitlines())), "\n".join(sorted(e.splitlines())))
                               for rc, o, e in outs}) == 1
                varying.append((seed, label, " ".join(args), len(outs), same_ms))
        p.cleanup()
    for v in varying:
        print("seed %s  %-40s %-40s variants=%d multiset-equal=%s" % v)
    print("%d varying cases" % len(varying))


if __name__ == "__main__":
    main()
