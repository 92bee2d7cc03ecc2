#!/usr/bin/env bash
# Time the Python hand-off: `retort upgrade head`, `downgrade base` and `upgrade head --sql`
# against Alembic 1.8.1 on linear projects where 80% and 20% of the steps need Python
# (bench/gen_python_project.py), 200 and 1,000 revisions, SQLite and (when
# RETORT_TEST_PG_URL is set) PostgreSQL. Each tool has its own copy of the project and its
# own database, upgraded from empty, then downgraded to base. REPEAT=n (default 1): n
# rounds, the tools' runs interleaved within each, and each figure the best (lowest) of its
# n runs: on a shared machine, the run least disturbed by others.
#   bench/python_handoff_bench.sh                       # uses build/app/retort
#   NS="200" SHARES="80" DIALECTS=sqlite TIMEOUT=300 REPEAT=3 bench/python_handoff_bench.sh
# A command running longer than TIMEOUT seconds (default 600) is killed and shown as
# "> TIMEOUT", with how many steps it had done; the database is then brought to the head
# with Alembic so that the downgrade can still be timed.
# The hand-off's interpreter is RETORT_PYTHON (default /usr/bin/python3, the one with Alembic).
# Replaces the "## Python hand-off (bench/python_handoff_bench.sh)" section of
# bench/results.md (and prints it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RETORT_BIN=$(realpath -m "${RETORT_BIN:-$ROOT/build/app/retort}")
NS=${NS:-"200 1000"}
SHARES=${SHARES:-"80 20"}
TIMEOUT=${TIMEOUT:-600}
REPEAT=${REPEAT:-1}
OUT=${OUT:-$ROOT/bench/results.md}
PY=/usr/bin/python3
export RETORT_PYTHON=${RETORT_PYTHON:-$PY}
if [ -z "${DIALECTS:-}" ]; then
  DIALECTS=sqlite
  [ -n "${RETORT_TEST_PG_URL:-}" ] && DIALECTS="sqlite postgresql"
fi
HEADING="## Python hand-off (bench/python_handoff_bench.sh)"

[ -x "$RETORT_BIN" ] || { echo "python_handoff_bench.sh: $RETORT_BIN not found (build first, or set RETORT_BIN)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/retort-pybench.XXXXXX)
DROPS=()
cleanup() {
  for db in "${DROPS[@]}"; do pg_admin "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
  [ -n "${KEEP:-}" ] && echo "kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT

pg_admin() { # SQL run on the PostgreSQL server in autocommit
  $PY -c "import sqlalchemy as sa, sys; e = sa.create_engine(sys.argv[1], isolation_level='AUTOCOMMIT'); \
c = e.connect(); c.exec_driver_sql(sys.argv[2])" "$RETORT_TEST_PG_URL" "$1"
}

DBN=0
# new_url dialect project-dir: sets NEW_URL to a fresh database for it (a variable, not
# output: the list of databases to drop must survive).
new_url() {
  if [ "$1" = sqlite ]; then NEW_URL="sqlite:///$2/bench.db"; return; fi
  DBN=$((DBN + 1))
  local db=retort_pybench_$$_$DBN
  pg_admin "CREATE DATABASE $db"
  DROPS+=("$db")
  NEW_URL=$($PY -c "from sqlalchemy.engine import make_url; import sys; \
print(make_url(sys.argv[1]).set(database=sys.argv[2]).render_as_string(hide_password=False))" "$RETORT_TEST_PG_URL" "$db")
}

steps_done() { # url revisions.txt direction -> how many steps the version table shows done
  $PY - "$1" "$2" "$3" <<'PY'
import sqlalchemy as sa, sys
url, revs, direction = sys.argv[1], open(sys.argv[2]).read().split(), sys.argv[3]
e = sa.create_engine(url)
with e.connect() as c:
    rows = [r[0] for r in c.exec_driver_sql("SELECT version_num FROM alembic_version")] \
        if sa.inspect(c).has_table("alembic_version") else []
pos = revs.index(rows[0]) + 1 if rows else 0
print(pos if direction == "up" else len(revs) - pos)
PY
}

# timed DIR CMD...: runs CMD in DIR (output to $WORK/out, $WORK/err), capped at TIMEOUT;
# sets SECS (seconds, 3 decimals), RC and KILLED.
timed() {
  local dir=$1; shift
  local start end
  start=$(date +%s.%N)
  set +e
  (cd "$dir" && exec timeout -s KILL "$TIMEOUT" "$@") >"$WORK/out" 2>"$WORK/err"
  RC=$?
  set -e
  end=$(date +%s.%N)
  KILLED=; [ "$RC" = 137 ] && KILLED=1
  SECS=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
}

ratio() { awk -v a="$1" -v r="$2" 'BEGIN { if (r > 0) printf "%.2fx", a / r; else print "n/a" }'; }
least() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b + 0 < a + 0) print b; else print a }'; }

ROWS=$WORK/rows.md
: >"$ROWS"
row() { echo "| $1 | $2% | $3 | $4 | $5 | $6 | $7 |" | tee -a "$ROWS" >&2; }

for dialect in $DIALECTS; do
  for n in $NS; do
    for share in $SHARES; do
      base=$WORK/p_${dialect}_${n}_${share}
      $PY bench/gen_python_project.py "$n" "$base/a" --python-share "0.$share" 2>/dev/null
      cp -r "$base/a" "$base/r"
      revs=$base/a/revisions.txt
      declare -A URL=()
      for side in a r; do
        new_url "$dialect" "$base/$side"
        URL[$side]=$NEW_URL
        sed -i "s|^sqlalchemy.url = .*|sqlalchemy.url = ${URL[$side]//%/%%}|" "$base/$side/alembic.ini"
      done

      declare -A BEST=() SHOWN=()
      for round in $(seq "$REPEAT"); do
        for cmd in "upgrade head" "downgrade base"; do
          dir=up; [ "$cmd" = "downgrade base" ] && dir=down
          timed "$base/a" $PY -m alembic $cmd
          [ "$RC" = 0 ] || { echo "alembic $cmd failed: $(tail -3 "$WORK/err")" >&2; exit 1; }
          BEST[a$cmd]=$(least "${BEST[a$cmd]:-}" "$SECS")
          timed "$base/r" "$RETORT_BIN" $cmd
          if [ -n "$KILLED" ]; then
            done_=$(steps_done "${URL[r]}" "$revs" "$dir")
            SHOWN[r$cmd]="> $TIMEOUT ($done_ of $n steps)"
            # Finish where the command would have ended, so that the next one starts right.
            (cd "$base/r" && $PY -m alembic $cmd >/dev/null 2>&1)
          elif [ "$RC" != 0 ]; then
            echo "retort $cmd failed: $(tail -3 "$WORK/err")" >&2; exit 1
          else
            BEST[r$cmd]=$(least "${BEST[r$cmd]:-}" "$SECS")
          fi
        done

        # Offline: the whole script, from empty.
        timed "$base/a" $PY -m alembic upgrade head --sql
        [ "$RC" = 0 ] || { echo "alembic upgrade head --sql failed: $(tail -3 "$WORK/err")" >&2; exit 1; }
        BEST[asql]=$(least "${BEST[asql]:-}" "$SECS"); cp "$WORK/out" "$WORK/a.sql"
        timed "$base/a" "$RETORT_BIN" upgrade head --sql
        if [ "$RC" != 0 ]; then
          SHOWN[rsql]="refused (exit $RC)"
        else
          same=differs; cmp -s "$WORK/out" "$WORK/a.sql" && same="equal"
          [ "${SHOWN[rsql]:-equal}" = differs ] || SHOWN[rsql]=$same
          BEST[rsql]=$(least "${BEST[rsql]:-}" "$SECS")
        fi
      done
      for cmd in "upgrade head" "downgrade base"; do
        a=${BEST[a$cmd]}
        if [ -n "${SHOWN[r$cmd]:-}" ]; then
          r=${SHOWN[r$cmd]}; rr="< $(ratio "$a" "$TIMEOUT")"
        else
          r=${BEST[r$cmd]}; rr=$(ratio "$a" "$r")
        fi
        row "$n" "$share" "$dialect" "\`$cmd\`" "$a" "$r" "$rr"
      done
      a=${BEST[asql]}
      case "${SHOWN[rsql]:-}" in
        refused*) r=${SHOWN[rsql]}; rr="n/a" ;;
        *) r="${BEST[rsql]} (${SHOWN[rsql]})"; rr=$(ratio "$a" "${BEST[rsql]}") ;;
      esac
      row "$n" "$share" "$dialect" "\`upgrade head --sql\`" "$a" "$r" "$rr"
      unset BEST SHOWN
      unset URL
    done
  done
done

SECTION=$WORK/section.md
{
  echo "$HEADING"
  echo
  echo "Linear projects from bench/gen_python_project.py (80% / 20% of the steps need Python:"
  echo "a try whose handler re-raises the caught exception, \`while\` loops, op.get_bind() reads, sa.inspect();"
  echo "the first two rendered by Alembic into Retort's transaction, the reads bridged into it, sa.inspect() native),"
  echo "each tool on its own database from empty; $(nproc) CPU(s), $(date -u +%Y-%m-%d), load average"
  echo "$(cut -d' ' -f1-3 /proc/loadavg) at the end. Wall time, best of $REPEAT interleaved run(s) per figure; \"> $TIMEOUT\": killed"
  echo "after $TIMEOUT s, with the steps done by then. Speed-up: Alembic's time / Retort's."
  echo "Retort's hand-off interpreter: $RETORT_PYTHON; commit $(git -C "$ROOT" rev-parse --short HEAD)."
  echo
  echo "| revisions | need Python | database | command | alembic (s) | retort (s) | speed-up |"
  echo "|---:|---:|---|---|---:|---:|---:|"
  cat "$ROWS"
} >"$SECTION"
cat "$SECTION"
if [ -f "$OUT" ]; then
  $PY - "$OUT" "$SECTION" "$HEADING" <<'PY'
import re, sys
out, section, heading = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3]
text = open(out).read()
text = re.sub(r"\n*" + re.escape(heading) + r"\n.*?(?=\n## |\Z)", "", text, flags=re.S).rstrip("\n")
open(out, "w").write(text + "\n\n" + section)
PY
else
  cp "$SECTION" "$OUT"
fi
