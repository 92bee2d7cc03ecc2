#!/usr/bin/env bash
# Time `retort verify` (the stairway: upgrade, downgrade, upgrade each revision on a scratch
# database, reading the schema twice per revision) against the same upgrade/downgrade/upgrade
# steps run by Alembic 1.8.1 in one Python process (alembic.command, no schema reads) on a
# database of its own. N linear revisions with real DDL (bench/gen_stairway_project.py),
# SQLite and (when RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are set) PostgreSQL / MariaDB.
#   bench/verify_bench.sh                  # N=200, uses build/app/retort
#   N=50 DIALECTS=sqlite bench/verify_bench.sh
# Prints a Markdown table (paste into bench/results.md, "## Verify (bench/verify_bench.sh)").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RETORT_BIN=$(realpath -m "${RETORT_BIN:-$ROOT/build/app/retort}")
N=${N:-200}
PY=/usr/bin/python3
if [ -z "${DIALECTS:-}" ]; then
  DIALECTS=sqlite
  [ -n "${RETORT_TEST_PG_URL:-}" ] && DIALECTS="$DIALECTS postgresql"
  [ -n "${RETORT_TEST_MYSQL_URL:-}" ] && DIALECTS="$DIALECTS mysql"
fi
WORK=$(mktemp -d /tmp/retort-verifybench.XXXXXX)
DROPS=()
admin() { # dialect sql: run on the server in autocommit
  local url=$RETORT_TEST_PG_URL; [ "$1" = mysql ] && url=$RETORT_TEST_MYSQL_URL
  $PY -c "import sqlalchemy as sa, sys; e = sa.create_engine(sys.argv[1], isolation_level='AUTOCOMMIT'); \
c = e.connect(); c.exec_driver_sql(sys.argv[2])" "$url" "$2"
}
cleanup() {
  for d in "${DROPS[@]}"; do admin "${d%%:*}" "DROP DATABASE IF EXISTS ${d#*:}" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

new_url() { # dialect dir -> NEW_URL
  if [ "$1" = sqlite ]; then NEW_URL="sqlite:///$2/bench.db"; return; fi
  local db=retort_verifybench_$$_$RANDOM url=$RETORT_TEST_PG_URL
  [ "$1" = mysql ] && url=$RETORT_TEST_MYSQL_URL
  admin "$1" "CREATE DATABASE $db"
  DROPS+=("$1:$db")
  NEW_URL=$($PY -c "from sqlalchemy.engine import make_url; import sys; \
print(make_url(sys.argv[1]).set(database=sys.argv[2]).render_as_string(hide_password=False))" "$url" "$db")
}

echo "| dialect | revisions | alembic steps (s) | retort verify (s) | ratio | findings |"
echo "|---|---:|---:|---:|---:|---|"
for dialect in $DIALECTS; do
  dir=$WORK/$dialect; mkdir -p "$dir"
  new_url "$dialect" "$dir"
  $PY bench/gen_stairway_project.py "$N" "$dir" "$NEW_URL"
  # Alembic: the same three steps per revision, in one process.
  a=$( cd "$dir" && $PY - <<'PY'
import time
from alembic.config import Config
from alembic import command
from alembic.script import ScriptDirectory
cfg = Config("alembic.ini")
revs = [r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()][::-1]
t = time.perf_counter()
for r in revs:
    command.upgrade(cfg, r)
    command.downgrade(cfg, "-1")
    command.upgrade(cfg, r)
print("%.2f" % (time.perf_counter() - t))
PY
  )
  t0=$($PY -c 'import time; print(time.perf_counter())')
  set +e
  out=$(cd "$dir" && "$RETORT_BIN" verify 2>/dev/null)
  rc=$?
  set -e
  t1=$($PY -c 'import time; print(time.perf_counter())')
  r=$($PY -c "print('%.2f' % ($t1 - $t0))")
  findings=$(echo "$out" | tail -1)
  [ $rc -eq 0 ] || findings="$findings (exit $rc)"
  ratio=$($PY -c "print('%.1fx' % ($a / $r))")
  echo "| $dialect | $N | $a | $r | $ratio | $findings |"
done
