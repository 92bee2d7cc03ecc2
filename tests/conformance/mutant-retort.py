#!/usr/bin/python3
"""A wrong retort, to prove the harness notices order (mutation_check.sh).

Runs $RETORT_REAL_BIN and then, per $RETORT_MUTANT:
  reverse-log         online: the "Running upgrade/downgrade" log lines of a run that
                      migrates several revisions come out in reverse order
  reverse-sql-blocks  --sql: the migration blocks (`-- Running ...` and its statements)
                      come out in reverse order
Everything else is passed through unchanged.
"""
import os
import subprocess
import sys

p = subprocess.run([os.environ["RETORT_REAL_BIN"]] + sys.argv[1:], capture_output=True, text=True)
out, err = p.stdout, p.stderr
mutant = os.environ.get("RETORT_MUTANT")
if mutant == "reverse-log" and "--sql" not in sys.argv:
    lines = err.splitlines(keepends=True)
    idx = [i for i, l in enumerate(lines) if "] Running " in l]
    for i, line in zip(idx, [lines[i] for i in reversed(idx)]):
        lines[i] = line
    err = "".join(lines)
elif mutant == "reverse-sql-blocks" and "--sql" in sys.argv:
    head, *blocks = out.split("-- Running ")
    if len(blocks) >= 2:
        tail = blocks[-1]
        # the text after the last block's statements (e.g. COMMIT;) stays last
        cut = tail.find("\n\nCOMMIT;")
        end = tail[cut:] if cut >= 0 else ""
        blocks[-1] = tail[:cut] if cut >= 0 else tail
        blocks = [b if b.endswith("\n\n") else b.rstrip("\n") + "\n\n" for b in blocks]
        out = head + "".join("-- Running " + b for b in reversed(blocks)).rstrip("\n") + end
        if not end:
            out += "\n\n"
sys.stdout.write(out)
sys.stderr.write(err)
sys.exit(p.returncode)
