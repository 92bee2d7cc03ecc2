#!/usr/bin/env bash
# Throwaway PostgreSQL 15 and MariaDB 10.11 servers for the test suite.
#
#   tests/scripts/dbservers.sh start   # start both (no-op if already running)
#   tests/scripts/dbservers.sh env     # print `export RETORT_TEST_*_URL=...` lines
#   tests/scripts/dbservers.sh stop    # stop both and delete their data dirs
#   tests/scripts/dbservers.sh status
#
# Servers listen on 127.0.0.1 on free ports, keep all data in temp dirs, and never
# touch the system clusters. State lives in $RETORT_DB_STATE (default
# /tmp/retort-dbservers)/state so that `stop`/`env` work from any shell.
# Both servers grant full rights, so each test may create its own database.
set -euo pipefail

STATE_DIR=${RETORT_DB_STATE:-/tmp/retort-dbservers}
STATE_FILE=$STATE_DIR/state
PG_BIN=${RETORT_PG_BIN:-/usr/lib/postgresql/15/bin}
MYSQL_USER=retort
MYSQL_PASSWORD=retort-pw
DB_NAME=retort_test
START_TIMEOUT=${RETORT_DB_TIMEOUT:-60}

SERVERLIB_NAME=dbservers
# shellcheck source=serverlib.sh
. "$(dirname "${BASH_SOURCE[0]}")/serverlib.sh"

# Run a command as the postgres user when we are root (postgres refuses root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_pid() { [ -f "$PG_DATA/postmaster.pid" ] && head -n1 "$PG_DATA/postmaster.pid" || true; }
my_pid() { [ -f "$MY_DIR/mariadbd.pid" ] && cat "$MY_DIR/mariadbd.pid" || true; }

wait_for() { # description, log file, command...
  local what=$1 logf=$2; shift 2
  local deadline=$((SECONDS + START_TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      log "$what did not accept connections within ${START_TIMEOUT}s"
      tail_log "$logf"
      return 1
    fi
    sleep 0.3
  done
}

start_pg() {
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15 not found in $PG_BIN (run packaging/install-deps.sh)"
  PG_DIR=$(mktemp -d /tmp/retort-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  PG_DATA=$PG_DIR/data
  PG_PORT=$(free_port)
  write_state  # from here on, `stop` can clean up after a failure
  mkdir -p "$PG_DATA" "$PG_DIR/sock"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DATA" "$PG_DIR/sock"; fi
  chmod 700 "$PG_DATA"
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$PG_DIR/initdb.log" 2>&1 || { tail_log "$PG_DIR/initdb.log"; die "initdb failed"; }
  touch "$PG_DIR/server.log"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DIR/server.log"; fi
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/server.log" -w -t "$START_TIMEOUT" \
      -o "-p $PG_PORT -h 127.0.0.1 -k $PG_DIR/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >"$PG_DIR/pg_ctl.log" 2>&1 || { tail_log "$PG_DIR/server.log"; die "PostgreSQL failed to start"; }
  wait_for PostgreSQL "$PG_DIR/server.log" \
      "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -U postgres || die "PostgreSQL not ready"
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
      -c "CREATE DATABASE $DB_NAME" >/dev/null || die "cannot create PostgreSQL database $DB_NAME"
  # A second schema for the tests of version_table_schema / include_schemas.
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$DB_NAME" -v ON_ERROR_STOP=1 -q \
      -c "CREATE SCHEMA audit" >/dev/null || die "cannot create schema audit"
  local pgdata
  pgdata=$("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -At -c "SHOW data_directory" 2>/dev/null || true)
  [ "$pgdata" = "$PG_DATA" ] || die "port $PG_PORT answers from ${pgdata:-?}, not $PG_DATA (another server took it)"
  log "PostgreSQL 15 on 127.0.0.1:$PG_PORT (data $PG_DATA)"
}

start_mysql() {
  command -v mariadb-install-db >/dev/null || die "mariadb-install-db not found (run packaging/install-deps.sh)"
  local mariadbd=/usr/sbin/mariadbd
  [ -x "$mariadbd" ] || die "$mariadbd not found"
  MY_DIR=$(mktemp -d /tmp/retort-my.XXXXXX)
  MY_PORT=$(free_port)
  MY_SOCK=$MY_DIR/mariadbd.sock
  write_state
  local userarg=()
  if [ "$(id -u)" -eq 0 ]; then userarg=(--user=root); fi
  mariadb-install-db --no-defaults --datadir="$MY_DIR/data" "${userarg[@]}" \
      --auth-root-authentication-method=normal --skip-test-db \
      >"$MY_DIR/install.log" 2>&1 || { tail_log "$MY_DIR/install.log"; die "mariadb-install-db failed"; }
  # setsid: the server must outlive this script and not get the caller's signals.
  setsid "$mariadbd" --no-defaults --datadir="$MY_DIR/data" "${userarg[@]}" \
      --bind-address=127.0.0.1 --port="$MY_PORT" --socket="$MY_SOCK" \
      --pid-file="$MY_DIR/mariadbd.pid" --log-error="$MY_DIR/server.log" \
      --skip-name-resolve --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
      --max-connections=300 --character-set-server=utf8mb4 \
      </dev/null >/dev/null 2>&1 &
  wait_for MariaDB "$MY_DIR/server.log" \
      mariadb-admin --no-defaults --protocol=socket -S "$MY_SOCK" -u root ping || die "MariaDB not ready"
  mariadb --no-defaults --protocol=socket -S "$MY_SOCK" -u root -e "
      CREATE DATABASE IF NOT EXISTS $DB_NAME;
      CREATE DATABASE IF NOT EXISTS audit;
      CREATE USER IF NOT EXISTS '$MYSQL_USER'@'127.0.0.1' IDENTIFIED BY '$MYSQL_PASSWORD';
      CREATE USER IF NOT EXISTS '$MYSQL_USER'@'localhost' IDENTIFIED BY '$MYSQL_PASSWORD';
      GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_USER'@'127.0.0.1' WITH GRANT OPTION;
      GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_USER'@'localhost' WITH GRANT OPTION;
      FLUSH PRIVILEGES;" || { tail_log "$MY_DIR/server.log"; die "cannot set up MariaDB database/user"; }
  wait_for "MariaDB TCP" "$MY_DIR/server.log" \
      mariadb-admin --no-defaults --protocol=tcp -h 127.0.0.1 -P "$MY_PORT" \
      -u "$MYSQL_USER" -p"$MYSQL_PASSWORD" ping || die "MariaDB not reachable over TCP"
  # Two starts at once can draw the same free port; the server answering must be ours.
  local datadir
  datadir=$(mariadb --no-defaults --protocol=tcp -h 127.0.0.1 -P "$MY_PORT" -u "$MYSQL_USER" \
      -p"$MYSQL_PASSWORD" -N -B -e "SELECT @@datadir" 2>/dev/null || true)
  [ "${datadir%/}" = "$MY_DIR/data" ] || die "port $MY_PORT answers from ${datadir:-?}, not $MY_DIR/data (another server took it)"
  log "MariaDB on 127.0.0.1:$MY_PORT (data $MY_DIR/data)"
}

write_state() {
  mkdir -p "$STATE_DIR"
  cat >"$STATE_FILE.tmp" <<STATE
PG_DIR=$PG_DIR
PG_DATA=$PG_DATA
PG_PORT=$PG_PORT
MY_DIR=$MY_DIR
MY_PORT=$MY_PORT
MY_SOCK=$MY_SOCK
STATE
  mv "$STATE_FILE.tmp" "$STATE_FILE"
}

running() {
  load_state || return 1
  pid_alive "$(pg_pid)" && pid_alive "$(my_pid)"
}

cmd_stop() {
  if ! load_state; then
    log "nothing to stop"
    return 0
  fi
  if [ -n "${PG_DATA:-}" ] && [ -d "$PG_DATA" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
    local p; p=$(pg_pid)
    if pid_alive "$p"; then kill -9 "$p" 2>/dev/null || true; fi
  fi
  if [ -n "${MY_DIR:-}" ] && [ -d "$MY_DIR" ]; then
    local p; p=$(my_pid)
    if pid_alive "$p"; then
      kill "$p" 2>/dev/null || true
      for _ in $(seq 1 100); do pid_alive "$p" || break; sleep 0.1; done
      if pid_alive "$p"; then kill -9 "$p" 2>/dev/null || true; fi
    fi
  fi
  [ -n "${PG_DIR:-}" ] && case $PG_DIR in /tmp/retort-pg.*) rm -rf "$PG_DIR";; esac
  [ -n "${MY_DIR:-}" ] && case $MY_DIR in /tmp/retort-my.*) rm -rf "$MY_DIR";; esac
  rm -f "$STATE_FILE"
  log "stopped"
}

cmd_start() {
  if running; then
    log "already running (PostgreSQL :$PG_PORT, MariaDB :$MY_PORT)"
    return 0
  fi
  # A stale/half state: clean it up first.
  if [ -f "$STATE_FILE" ]; then cmd_stop; fi
  PG_DIR='' PG_DATA='' PG_PORT='' MY_DIR='' MY_PORT='' MY_SOCK=''
  # Each start_* records its dirs in the state file first, so after a failure
  # `stop` still finds and removes everything.
  start_pg
  start_mysql
  write_state
}

cmd_env() {
  load_state || die "not running (use: $0 start)"
  echo "export RETORT_TEST_PG_URL=postgresql://postgres@127.0.0.1:$PG_PORT/$DB_NAME"
  echo "export RETORT_TEST_MYSQL_URL=mysql+pymysql://$MYSQL_USER:$MYSQL_PASSWORD@127.0.0.1:$MY_PORT/$DB_NAME"
}

cmd_status() {
  if running; then
    echo "running: PostgreSQL 127.0.0.1:$PG_PORT pid $(pg_pid); MariaDB 127.0.0.1:$MY_PORT pid $(my_pid)"
  else
    echo "not running"
    return 1
  fi
}

case ${1:-} in
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  env)    cmd_env ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|env|status" >&2; exit 2 ;;
esac
