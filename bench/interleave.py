#!/usr/bin/env python3
"""Best-of-N wall times of Alembic and one or more Retort builds, runs interleaved.

On a machine shared with other jobs the load changes from minute to minute; running the
tools one after the other inside every round exposes them to the same load, so their
best (and median) times compare where compare.sh's back-to-back loops may not.

  bench/gen_project.py 2000 /tmp/p && (cd /tmp/p && python3 -m alembic stamp heads)
  cd /tmp/p && python3 /path/to/bench/interleave.py --runs 8 \\
      before=/path/to/old/retort after=/path/to/build/app/retort

Commands: heads, history, current, `upgrade heads --sql`, and `upgrade heads` online on a
fresh SQLite database (bench.db, removed before every run). Prints a Markdown row per
command: best / median seconds per tool, the speed-up best/best against Alembic, and the
1-minute load average seen during the rounds.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

COMMANDS = ["heads", "history", "current", "upgrade heads --sql", "online"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--commands", default=",".join(COMMANDS))
    ap.add_argument("--alembic", default="/usr/bin/python3 -m alembic")
    ap.add_argument("retorts", nargs="+", help="label=path of a retort binary")
    o = ap.parse_args()
    tools = [("alembic", o.alembic)] + [tuple(r.split("=", 1)) for r in o.retorts]
    labels = [t[0] for t in tools]
    print("| command | " + " | ".join("%s best / median (s)" % l for l in labels)
          + " | " + " | ".join("%s speed-up" % l for l in labels[1:]) + " | load |")
    print("|---|" + "---:|" * (2 * len(labels) - 1) + "---|")
    for cmd in o.commands.split(","):
        online = cmd == "online"
        times = {l: [] for l in labels}
        loads = []
        for _ in range(o.runs):
            for label, tool in tools:
                line = ("rm -f bench.db && %s upgrade heads" % tool) if online else "%s %s" % (tool, cmd)
                start = time.perf_counter()
                # A failing command would look fast.
                subprocess.run(line, shell=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, check=True)
                times[label].append(time.perf_counter() - start)
            loads.append(os.getloadavg()[0])
        best = {l: min(v) for l, v in times.items()}
        name = "`upgrade heads` (online, SQLite, from empty)" if online else "`%s`" % cmd
        print("| %s | %s | %s | %.1f-%.1f |" % (
            name,
            " | ".join("%.4f / %.4f" % (best[l], statistics.median(times[l])) for l in labels),
            " | ".join("%.1fx" % (best["alembic"] / best[l]) for l in labels[1:]),
            min(loads), max(loads)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
