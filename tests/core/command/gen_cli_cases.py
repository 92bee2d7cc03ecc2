#!/usr/bin/python3
"""Regenerates tests/fixtures/cli/argparse_cases.json from real Alembic 1.8.1.

Each case is an argument list that never reaches a config file (help, usage and
argument errors), with Alembic's stdout, stderr and exit code, run with COLUMNS=80.
"""
import json
import os
import subprocess
import sys

CASES = [
    [], ["--help"], ["-h"], ["bogus"], ["--bogus"], ["-c"], ["-x"],
    ["upgrade"], ["downgrade"], ["stamp"], ["show"], ["init"], ["merge"], ["edit"],
    ["upgrade", "a", "b"], ["history", "-r"], ["history", "--rev-range"],
    ["history", "--verbos", "--bogus"], ["heads", "--sql"], ["heads", "--verbose=1"],
    ["current", "extra"], ["revision", "--rev"], ["stamp", "--purge"],
    ["upgrade", "--sql=x", "head"], ["-c", "a.ini", "heads", "-c", "b.ini"],
]
for name in ["branches", "current", "downgrade", "edit", "ensure_version", "heads",
             "history", "init", "list_templates", "merge", "revision", "show", "stamp",
             "upgrade"]:
    CASES.append([name, "--help"])


def main():
    env = dict(os.environ, COLUMNS="80")
    out = []
    for args in CASES:
        p = subprocess.run(["/usr/bin/python3", "-m", "alembic"] + args, env=env,
                           stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           cwd="/")
        out.append({"args": args, "stdout": p.stdout, "stderr": p.stderr,
                    "code": p.returncode})
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "../../fixtures/cli/argparse_cases.json")
    with open(target, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
