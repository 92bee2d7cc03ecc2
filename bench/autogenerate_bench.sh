#!/usr/bin/env bash
# Time autogenerate on a 1,000-table PostgreSQL schema: `retort check` and
# `retort revision --autogenerate` against Alembic 1.8.1's `revision --autogenerate`
# (bench/gen_autogen_project.py builds the models and the database; they differ in a
# few columns, an index and a table).
#   bench/autogenerate_bench.sh                  # uses build/app/retort
#   RETORT_BIN=/path/to/retort N=1000 RUNS=3 bench/autogenerate_bench.sh
# Uses RETORT_TEST_PG_URL when set, else starts throwaway servers (tests/scripts/dbservers.sh).
# Retort is timed cold (RETORT_NO_MODEL_CACHE=1: Python loads the models every run) and
# warm (the model cache, in a fresh XDG_CACHE_HOME, filled by the first run).
# Replaces the "## Autogenerate" section of bench/results.md (and prints it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RETORT_BIN=$(realpath -m "${RETORT_BIN:-$ROOT/build/app/retort}")
N=${N:-1000}
RUNS=${RUNS:-3}
OUT=${OUT:-$ROOT/bench/results.md}
ALEMBIC="/usr/bin/python3 -m alembic"

[ -x "$RETORT_BIN" ] || { echo "autogenerate_bench.sh: $RETORT_BIN not found (build first, or set RETORT_BIN)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/retort-agbench.XXXXXX)
STARTED=
cleanup() {
  [ -n "${DB_DROP:-}" ] && /usr/bin/python3 -c "$DB_DROP" >/dev/null 2>&1 || true
  [ -n "$STARTED" ] && RETORT_DB_STATE=$WORK/dbs tests/scripts/dbservers.sh stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export XDG_CACHE_HOME=$WORK/cache
if [ -z "${RETORT_TEST_PG_URL:-}" ]; then
  export RETORT_DB_STATE=$WORK/dbs
  tests/scripts/dbservers.sh start >/dev/null
  STARTED=1
  eval "$(tests/scripts/dbservers.sh env)"
fi

# A database of its own on the server, dropped on exit.
DB=retort_agbench_$$
ADMIN="import sqlalchemy as sa, sys; e = sa.create_engine('$RETORT_TEST_PG_URL', isolation_level='AUTOCOMMIT'); c = e.connect()"
/usr/bin/python3 -c "$ADMIN; c.exec_driver_sql('CREATE DATABASE $DB')"
DB_DROP="$ADMIN; c.exec_driver_sql('DROP DATABASE IF EXISTS $DB')"
URL=$(/usr/bin/python3 -c "from sqlalchemy.engine import make_url; print(make_url('$RETORT_TEST_PG_URL').set(database='$DB').render_as_string(hide_password=False))")
/usr/bin/python3 bench/gen_autogen_project.py "$N" "$WORK/project" "$URL"
cd "$WORK/project"
VERSIONS=migrations/versions

time_cmd() { # prints mean seconds; the versions directory is emptied before every run
  "$@" >/dev/null 2>&1 || true
  local start end total=0
  for _ in $(seq "$RUNS"); do
    rm -f "$VERSIONS"/*.py
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    total=$((total + end - start))
  done
  awk -v t="$total" -v n="$RUNS" 'BEGIN { printf "%.3f\n", t / n / 1e9 }'
}

body() { # the upgrade / downgrade bodies of the one script in versions/
  sed -n '/^def upgrade/,$p' "$VERSIONS"/*.py
}

# Both must succeed and write the same operations before their times mean anything.
rm -f "$VERSIONS"/*.py
$ALEMBIC revision --autogenerate -m bench --rev-id ag1 >/dev/null 2>"$WORK/a.err" || { cat "$WORK/a.err" >&2; exit 1; }
body >"$WORK/a.py"
rm -f "$VERSIONS"/*.py
"$RETORT_BIN" revision --autogenerate -m bench --rev-id ag1 >/dev/null 2>"$WORK/r.err" || { cat "$WORK/r.err" >&2; exit 1; }
body >"$WORK/r.py"
# A timing of two different scripts means nothing: stop here (results.md is untouched).
if ! cmp -s "$WORK/a.py" "$WORK/r.py"; then
  echo "autogenerate_bench.sh: FAILED: alembic and retort wrote different scripts (diff alembic retort):" >&2
  diff "$WORK/a.py" "$WORK/r.py" >&2 || true
  exit 1
fi
rm -f "$VERSIONS"/*.py   # again, from the model cache the first run filled
"$RETORT_BIN" revision --autogenerate -m bench --rev-id ag1 >/dev/null 2>"$WORK/r.err" || { cat "$WORK/r.err" >&2; exit 1; }
grep -q "models from cache" "$WORK/r.err" || { echo "the second retort run did not use the model cache" >&2; exit 1; }
body >"$WORK/r2.py"
cmp -s "$WORK/r.py" "$WORK/r2.py" || { echo "the cached run wrote another script:" >&2; diff "$WORK/r.py" "$WORK/r2.py" >&2; exit 1; }
rm -f "$VERSIONS"/*.py
if "$RETORT_BIN" check >"$WORK/check.out" 2>&1; then echo "retort check found no changes" >&2; exit 1; fi

load_before=$(cut -d' ' -f1 /proc/loadavg)
a=$(time_cmd $ALEMBIC revision --autogenerate -m bench)
r=$(time_cmd env RETORT_NO_MODEL_CACHE=1 "$RETORT_BIN" revision --autogenerate -m bench)
c=$(time_cmd env RETORT_NO_MODEL_CACHE=1 "$RETORT_BIN" check)
rw=$(time_cmd "$RETORT_BIN" revision --autogenerate -m bench)
cw=$(time_cmd "$RETORT_BIN" check)
# What neither can avoid: Python importing the models (Retort's helper imports them too).
m=$(time_cmd /usr/bin/python3 -c "import sys; sys.path.insert(0, '.'); import models")
load_after=$(cut -d' ' -f1 /proc/loadavg)
ratio() { awk -v a="$1" -v r="$2" 'BEGIN { if (r > 0) printf "%.1fx", a / r; else print "n/a" }'; }

SECTION=$WORK/section.md
{
  echo "## Autogenerate"
  echo
  echo "$N PostgreSQL tables with foreign keys, indexes and uniques (bench/autogenerate_bench.sh),"
  echo "models equal to the database but for 5 changes; $(nproc) CPU(s), $(date -u +%Y-%m-%d),"
  echo "load average $load_before before the timed runs, $load_after after (other jobs share the CPUs)."
  echo "Mean wall time of $RUNS runs; both write the same script. Retort cold: the model"
  echo "cache off (\`RETORT_NO_MODEL_CACHE=1\`), Python loads the models every run; warm: the"
  echo "models unchanged since the last run, read from the model cache (Python does not start)."
  echo
  echo "| command | alembic (s) | retort cold (s) | speed-up | retort warm (s) | speed-up |"
  echo "|---|---:|---:|---:|---:|---:|"
  echo "| \`revision --autogenerate\` | $a | $r | $(ratio "$a" "$r") | $rw | $(ratio "$a" "$rw") |"
  echo "| \`check\` (Retort) vs \`revision --autogenerate\` (Alembic) | $a | $c | $(ratio "$a" "$c") | $cw | $(ratio "$a" "$cw") |"
  echo
  echo "Importing the models package alone takes $m s (\`python3 -c 'import models'\`): a cold"
  echo "Retort run does the same import in its model helper, which bounds it from below."
} >"$SECTION"
cat "$SECTION"
# Keep the rest of results.md (compare.sh's table) and replace only this section.
if [ -f "$OUT" ]; then
  /usr/bin/python3 - "$OUT" "$SECTION" <<'PY'
import re, sys
out, section = sys.argv[1], open(sys.argv[2]).read()
text = open(out).read()
text = re.sub(r"\n*## Autogenerate\n.*?(?=\n## |\Z)", "", text, flags=re.S).rstrip("\n")
open(out, "w").write(text + "\n\n" + section)
PY
else
  cp "$SECTION" "$OUT"
fi
