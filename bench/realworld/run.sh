#!/usr/bin/env bash
# Retort against Alembic on the real-world corpus (issue 10 item 7): one command.
#   bench/realworld/run.sh /work/corpus [realworld.py options: --projects a,b --dialects sqlite --no-online]
# Uses RETORT_BIN (default build/app/retort, built when missing). PostgreSQL and MySQL come
# from RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL, or are started with tests/scripts/dbservers.sh
# (state in build/realworld-db) and stopped afterwards. Updates the "Real-world corpus" section
# of bench/results.md; the JSON is build/realworld/results.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CORPUS=$(realpath "${1:?usage: run.sh CORPUS [options]}"); shift
export RETORT_BIN=$(realpath -m "${RETORT_BIN:-$ROOT/build/app/retort}")
if [ ! -x "$RETORT_BIN" ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j2 --target retort >build/realworld-build.log 2>&1
fi
started=
if [ -z "${RETORT_TEST_PG_URL:-}" ] || [ -z "${RETORT_TEST_MYSQL_URL:-}" ]; then
  export RETORT_DB_STATE=${RETORT_DB_STATE:-$ROOT/build/realworld-db}
  mkdir -p "$RETORT_DB_STATE"
  if tests/scripts/dbservers.sh start >&2; then
    started=1
    eval "$(tests/scripts/dbservers.sh env)"
    export RETORT_TEST_PG_URL RETORT_TEST_MYSQL_URL
  fi
fi
rc=0
/usr/bin/python3 bench/realworld/realworld.py "$CORPUS" "$@" || rc=$?
[ -n "$started" ] && tests/scripts/dbservers.sh stop >&2
exit $rc
