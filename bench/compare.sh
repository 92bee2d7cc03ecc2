#!/usr/bin/env bash
# Time retort against the reference Alembic on a generated 2,000-revision project.
#   bench/compare.sh                 # uses build/app/retort
#   RETORT_BIN=/path/to/retort N=5000 RUNS=10 bench/compare.sh
# Writes a Markdown table to bench/results.md (and prints it); autogenerate timings are
# bench/autogenerate_bench.sh's (a section of the same file, kept here). Uses hyperfine when
# installed, otherwise a simple loop (mean wall time of RUNS runs after one warm-up).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RETORT_BIN=$(realpath -m "${RETORT_BIN:-$ROOT/build/app/retort}")
N=${N:-2000}
RUNS=${RUNS:-5}
OUT=${OUT:-$ROOT/bench/results.md}
ALEMBIC="/usr/bin/python3 -m alembic"

[ -x "$RETORT_BIN" ] || { echo "compare.sh: $RETORT_BIN not found (build first, or set RETORT_BIN)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/retort-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# bench/autogenerate_bench.sh keeps its "## Autogenerate" section in the same file.
AUTOGEN_SECTION=$( [ -f "$OUT" ] && sed -n '/^## Autogenerate/,$p' "$OUT" || true)
/usr/bin/python3 bench/gen_project.py "$N" "$WORK/project"
cd "$WORK/project"
$ALEMBIC stamp heads >/dev/null 2>&1   # so that `current` has something to show

time_cmd() { # prints mean seconds
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$WORK/h.json" "$*" >/dev/null 2>&1
    /usr/bin/python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["mean"])' "$WORK/h.json"
  else
    "$@" >/dev/null 2>&1 || true
    local start end
    start=$(date +%s%N)
    for _ in $(seq "$RUNS"); do "$@" >/dev/null 2>&1 || true; done
    end=$(date +%s%N)
    awk -v a="$start" -v b="$end" -v n="$RUNS" 'BEGIN { printf "%.4f\n", (b - a) / n / 1e9 }'
  fi
}

{
  echo "# Retort vs Alembic 1.8.1"
  echo
  echo "Project: $N revisions (bench/gen_project.py), $(nproc) CPU(s), $(date -u +%Y-%m-%d)."
  echo "Mean wall time of $RUNS runs$(command -v hyperfine >/dev/null && echo ' (hyperfine)')."
  echo
  echo "| command | alembic (s) | retort (s) | speed-up |"
  echo "|---|---:|---:|---:|"
  for cmd in heads history current "upgrade heads --sql"; do
    # A failing command would look fast: both must succeed and agree first.
    $ALEMBIC $cmd >"$WORK/a.out" 2>/dev/null || { echo "alembic $cmd failed" >&2; exit 1; }
    "$RETORT_BIN" $cmd >"$WORK/r.out" 2>/dev/null || { echo "retort $cmd failed" >&2; exit 1; }
    cmp -s "$WORK/a.out" "$WORK/r.out" || echo "warning: outputs of \`$cmd\` differ" >&2
    a=$(time_cmd $ALEMBIC $cmd)
    r=$(time_cmd "$RETORT_BIN" $cmd)
    ratio=$(awk -v a="$a" -v r="$r" 'BEGIN { if (r > 0) printf "%.1fx", a / r; else print "n/a" }')
    echo "| \`$cmd\` | $a | $r | $ratio |"
  done
  # Online: a fresh SQLite database upgraded to the heads each run.
  a=$(time_cmd sh -c "rm -f bench.db && $ALEMBIC upgrade heads")
  r=$(time_cmd sh -c "rm -f bench.db && '$RETORT_BIN' upgrade heads")
  ratio=$(awk -v a="$a" -v r="$r" 'BEGIN { if (r > 0) printf "%.1fx", a / r; else print "n/a" }')
  echo "| \`upgrade heads\` (online, SQLite, from empty) | $a | $r | $ratio |"
} | tee "$OUT"
if [ -n "$AUTOGEN_SECTION" ]; then printf '\n%s\n' "$AUTOGEN_SECTION" >>"$OUT"; fi
# Autogenerate on a 1,000-table PostgreSQL schema: bench/autogenerate_bench.sh (needs
# the PostgreSQL server binaries for tests/scripts/dbservers.sh, or RETORT_TEST_PG_URL).
