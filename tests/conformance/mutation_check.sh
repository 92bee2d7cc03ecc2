#!/usr/bin/env bash
# Proves that the harness compares order: a retort that logs its online migrations in
# reverse order, or writes its --sql migration blocks in reverse order (mutant-retort.py;
# both keep every line, so a line-multiset comparison would accept them) must FAIL the
# online and offline slices; and the migration-block order check of hash-order --sql
# cases must reject reversed blocks. Run by ctest as conformance.harness.mutants.
#   RETORT_REAL_BIN=build/app/retort tests/conformance/mutation_check.sh
set -uo pipefail
cd "$(dirname "$0")"
: "${RETORT_REAL_BIN:?set RETORT_REAL_BIN to the retort binary}"
export RETORT_BIN=$PWD/mutant-retort.py RETORT_REAL_BIN PYTHONDONTWRITEBYTECODE=1
unset RETORT_FORBID_SKIPS   # a failure is the expected outcome here, not a skip
failures=0

expect_failure() { # mutant, expected text in the output, unittest args...
  local mutant=$1 expect=$2
  shift 2
  local out
  out=$(RETORT_MUTANT=$mutant /usr/bin/python3 -m unittest "$@" 2>&1)
  local rc=$?
  if [ "$rc" -eq 0 ]; then
    echo "FAIL: mutant $mutant passed $*"
    failures=$((failures + 1))
  elif ! grep -q -- "$expect" <<<"$out"; then
    echo "FAIL: mutant $mutant failed $* for another reason than \"$expect\":"
    tail -30 <<<"$out"
    failures=$((failures + 1))
  else
    echo "ok: mutant $mutant is caught by $* ($(grep -c '^FAIL:' <<<"$out") failing cases)"
  fi
}

expect_failure reverse-log "did not match" test_online.OnlineSQLite.test_seed_67
expect_failure reverse-sql-blocks "did not match" test_offline.Offline_sqlite_11

# block_order_ok(), which guards the hash-order --sql cases: Alembic's own outputs under
# every hash seed pass it; the same outputs with their blocks reversed do not.
if /usr/bin/python3 - <<'PY'
import sys
import conformance as C
revs = C.generate_graph(11)
g = C.Graph(revs)
p = C.Project(revs)
bad = 0
try:
    for args in (["upgrade", "heads", "--sql"], ["downgrade", "%s:base" % g.heads[0], "--sql"]):
        jobs = [{"cwd": p.dir, "args": args}]
        for hs in C.HASH_SEEDS:
            out = C.run_reference_batch(jobs, hs)[0].stdout
            head, *blocks = out.split("-- Running ")
            rev = head + "".join("-- Running " + b for b in reversed(blocks))
            if C.block_order_ok(out, revs) is not None or C.block_order_ok(rev, revs) is None:
                print("block_order_ok wrong for %s, hash seed %d" % (" ".join(args), hs))
                bad += 1
finally:
    p.cleanup()
sys.exit(1 if bad else 0)
PY
then
  echo "ok: block_order_ok accepts Alembic's orders and rejects them reversed"
else
  failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] || exit 1
