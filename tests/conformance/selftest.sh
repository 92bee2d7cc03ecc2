#!/usr/bin/env bash
# Prove the conformance harness: run the whole suite with the reference Alembic standing
# in for retort (alembic-wrapper.sh). Every comparison must pass; the bad-input checks
# (which Alembic itself does not meet) are skipped. Starts/stops its own DB servers
# unless RETORT_TEST_PG_URL / RETORT_TEST_MYSQL_URL are already set.
#   tests/conformance/selftest.sh [unittest args, default: all modules]
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${RETORT_TEST_PG_URL:-}" ] || [ -z "${RETORT_TEST_MYSQL_URL:-}" ]; then
  RETORT_DB_STATE=$(mktemp -d /tmp/retort-dbstate.XXXXXX)
  export RETORT_DB_STATE
  trap '../scripts/dbservers.sh stop; rmdir "$RETORT_DB_STATE" 2>/dev/null || true' EXIT
  ../scripts/dbservers.sh start
  eval "$(../scripts/dbservers.sh env)"
fi
export RETORT_BIN=$PWD/alembic-wrapper.sh RETORT_SELFTEST=1 PYTHONDONTWRITEBYTECODE=1
if [ $# -eq 0 ]; then set -- test_graph test_offline test_errors test_online; fi
/usr/bin/python3 -m unittest -v "$@"
