#!/usr/bin/env bash
# Throwaway three-node MariaDB Galera cluster (galera-4, MariaDB 10.11) for the
# concurrency tests: three mariadbd on 127.0.0.1, each with its own SQL, gcomm
# (group communication), IST and SST port.
#
#   tests/scripts/galera.sh start    # start the cluster (no-op if already running)
#   tests/scripts/galera.sh env      # print `export RETORT_TEST_GALERA_URLS="u1 u2 u3"`
#   tests/scripts/galera.sh stop     # stop all nodes and delete their data dirs
#   tests/scripts/galera.sh status
#
# Node 1 is bootstrapped (--wsrep-new-cluster) with a fresh data dir; nodes 2 and 3
# join one after the other and receive node 1's data by rsync SST (a donor serves one
# joiner at a time). State lives in $RETORT_GALERA_STATE (default: $RETORT_DB_STATE,
# else /tmp/retort-dbservers)/galera.state, next to dbservers.sh's own state file, so
# `stop`/`env` work from any shell. Same user, password and database as dbservers.sh.
set -euo pipefail

STATE_DIR=${RETORT_GALERA_STATE:-${RETORT_DB_STATE:-/tmp/retort-dbservers}}
STATE_FILE=$STATE_DIR/galera.state
PROVIDER=${RETORT_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
MARIADBD=/usr/sbin/mariadbd
MYSQL_USER=retort
MYSQL_PASSWORD=retort-pw
DB_NAME=retort_test
# Per node: a joiner's SST copies the whole data dir, so allow for a slow machine.
START_TIMEOUT=${RETORT_GALERA_TIMEOUT:-${RETORT_DB_TIMEOUT:-120}}
NODES=(1 2 3)

SERVERLIB_NAME=galera
# shellcheck source=serverlib.sh
. "$(dirname "${BASH_SOURCE[0]}")/serverlib.sh"

node_var() { local v="$1_$2"; echo "${!v:-}"; }   # node_var SQL_PORT 2 -> $SQL_PORT_2
node_dir() { echo "$GL_DIR/node$1"; }
node_sock() { echo "$GL_DIR/node$1/mariadbd.sock"; }
node_pid() { local f; f="$(node_dir "$1")/mariadbd.pid"; [ -f "$f" ] && cat "$f" || true; }

# Root over the node's own socket (root has no password; TCP is for the test user).
sql() { # node, statement
  mariadb --no-defaults --protocol=socket -S "$(node_sock "$1")" -u root -N -B -e "$2"
}

status_var() { # node, variable -> value (empty when the node does not answer)
  sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | awk '{print $2}'
}

# Wait until a node is a synced member of a primary component of the expected size.
wait_synced() { # node, expected cluster size
  local n=$1 size=$2 deadline=$((SECONDS + START_TIMEOUT)) state=''
  local logf; logf="$(node_dir "$n")/server.log"
  while :; do
    if ! pid_alive "$(cat "$(node_dir "$n")/launched.pid" 2>/dev/null)"; then
      tail_log "$logf" 40
      die "node $n exited during start"
    fi
    state=$(status_var "$n" wsrep_local_state_comment || true)
    if [ "$state" = Synced ] \
        && [ "$(status_var "$n" wsrep_ready || true)" = ON ] \
        && [ "$(status_var "$n" wsrep_cluster_status || true)" = Primary ] \
        && [ "$(status_var "$n" wsrep_cluster_size || true)" = "$size" ]; then
      return 0
    fi
    if [ $SECONDS -ge $deadline ]; then
      log "node $n not synced in a cluster of $size within ${START_TIMEOUT}s (state: ${state:-no answer})"
      tail_log "$logf" 40
      return 1
    fi
    sleep 0.3
  done
}

# As root the servers run as the `mysql` account: the joiner's SST starts an rsync
# daemon, and an rsync daemon started by root writes as `nobody`, which cannot create
# the data dir's subdirectories.
os_user() {
  if [ "$(id -u)" -eq 0 ]; then
    id -u mysql >/dev/null 2>&1 || die "running as root needs the 'mysql' account (installed with mariadb-server)"
    echo mysql
  fi
}

write_cnf() { # node
  local n=$1 d; d=$(node_dir "$n")
  local user=''
  if [ -n "$(os_user)" ]; then user="user=$(os_user)"; fi
  # The SST scripts read this same file (mariadbd passes --defaults-file on), so every
  # option lives here rather than on the command line.
  cat >"$d/my.cnf" <<CNF
[mysqld]
$user
datadir=$d/data
socket=$(node_sock "$n")
pid-file=$d/mariadbd.pid
log-error=$d/server.log
bind-address=127.0.0.1
port=$(node_var SQL_PORT "$n")
skip-name-resolve
max-connections=300
character-set-server=utf8mb4
innodb-flush-log-at-trx-commit=0
innodb-doublewrite=0
innodb-buffer-pool-size=64M
innodb-log-file-size=16M
# Required by Galera: row-based replication, interleaved auto-increment locks.
binlog-format=ROW
default-storage-engine=InnoDB
innodb-autoinc-lock-mode=2

[galera]
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=$GL_CLUSTER
wsrep_cluster_address=gcomm://127.0.0.1:$GCOMM_PORT_1,127.0.0.1:$GCOMM_PORT_2,127.0.0.1:$GCOMM_PORT_3
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$(node_var GCOMM_PORT "$n")
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(node_var GCOMM_PORT "$n");ist.recv_addr=127.0.0.1:$(node_var IST_PORT "$n");gcache.size=32M"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$(node_var SST_PORT "$n")
CNF
}

start_node() { # node, extra mariadbd args...
  local n=$1; shift
  local d; d=$(node_dir "$n")
  # setsid: the server must outlive this script and not get the caller's signals.
  setsid "$MARIADBD" --defaults-file="$d/my.cnf" "$@" </dev/null >"$d/stdout.log" 2>&1 &
  echo $! >"$d/launched.pid"   # before mariadbd writes its own pid file
}

write_state() {
  mkdir -p "$STATE_DIR"
  {
    echo "GL_DIR=$GL_DIR"
    echo "GL_CLUSTER=$GL_CLUSTER"
    for n in "${NODES[@]}"; do
      echo "SQL_PORT_$n=$(node_var SQL_PORT "$n")"
      echo "GCOMM_PORT_$n=$(node_var GCOMM_PORT "$n")"
      echo "IST_PORT_$n=$(node_var IST_PORT "$n")"
      echo "SST_PORT_$n=$(node_var SST_PORT "$n")"
    done
  } >"$STATE_FILE.tmp"
  mv "$STATE_FILE.tmp" "$STATE_FILE"
}

running() {
  load_state || return 1
  local n
  for n in "${NODES[@]}"; do pid_alive "$(node_pid "$n")" || return 1; done
}

cmd_stop() {
  if ! load_state; then
    log "nothing to stop"
    return 0
  fi
  local n p
  # Joiners first, the bootstrap node last: each leaves a cluster that still has a
  # primary component, so no node hangs waiting for a quorum during shutdown.
  for n in 3 2 1; do
    [ -n "${GL_DIR:-}" ] && [ -d "$(node_dir "$n")" ] || continue
    p=$(node_pid "$n")
    if pid_alive "$p"; then
      kill "$p" 2>/dev/null || true
      for _ in $(seq 1 150); do pid_alive "$p" || break; sleep 0.1; done
      if pid_alive "$p"; then kill -9 "$p" 2>/dev/null || true; fi
    fi
  done
  [ -n "${GL_DIR:-}" ] && case $GL_DIR in /tmp/retort-galera.*) rm -rf "$GL_DIR";; esac
  rm -f "$STATE_FILE"
  log "stopped"
}

cmd_start() {
  if running; then
    log "already running (SQL ports $SQL_PORT_1 $SQL_PORT_2 $SQL_PORT_3)"
    return 0
  fi
  if [ -f "$STATE_FILE" ]; then cmd_stop; fi   # a stale/half state: clean it up first
  [ -x "$MARIADBD" ] || die "$MARIADBD not found (run packaging/install-deps.sh)"
  [ -f "$PROVIDER" ] || die "Galera provider $PROVIDER not found (install galera-4: packaging/install-deps.sh)"
  command -v rsync >/dev/null || die "rsync not found (needed for SST; run packaging/install-deps.sh)"
  command -v mariadb-install-db >/dev/null || die "mariadb-install-db not found (run packaging/install-deps.sh)"
  local t0=$SECONDS n
  GL_DIR=$(mktemp -d /tmp/retort-galera.XXXXXX)
  GL_CLUSTER=retort_$(basename "$GL_DIR" | tr -c 'A-Za-z0-9\n' _)
  for n in "${NODES[@]}"; do
    printf -v "SQL_PORT_$n" %s "$(free_port)"
    printf -v "GCOMM_PORT_$n" %s "$(free_port)"
    printf -v "IST_PORT_$n" %s "$(free_port)"
    printf -v "SST_PORT_$n" %s "$(free_port)"
  done
  write_state   # from here on, `stop` can clean up after a failure
  for n in "${NODES[@]}"; do
    mkdir -p "$(node_dir "$n")/data"
    write_cnf "$n"
  done
  local userarg=() osu; osu=$(os_user)
  if [ -n "$osu" ]; then
    chmod 755 "$GL_DIR"
    chown -R "$osu": "$GL_DIR"/node*
    userarg=(--user="$osu")
  fi
  local d1; d1=$(node_dir 1)
  mariadb-install-db --no-defaults --datadir="$d1/data" "${userarg[@]}" \
      --auth-root-authentication-method=normal --skip-test-db \
      >"$d1/install.log" 2>&1 || { tail_log "$d1/install.log" 40; die "mariadb-install-db failed"; }

  start_node 1 --wsrep-new-cluster
  wait_synced 1 1 || die "bootstrap node 1 did not start"
  # Users and databases before the joins: the SST copies them to nodes 2 and 3.
  sql 1 "
      CREATE DATABASE IF NOT EXISTS $DB_NAME;
      CREATE DATABASE IF NOT EXISTS audit;
      CREATE USER IF NOT EXISTS '$MYSQL_USER'@'127.0.0.1' IDENTIFIED BY '$MYSQL_PASSWORD';
      CREATE USER IF NOT EXISTS '$MYSQL_USER'@'localhost' IDENTIFIED BY '$MYSQL_PASSWORD';
      GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_USER'@'127.0.0.1' WITH GRANT OPTION;
      GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_USER'@'localhost' WITH GRANT OPTION;
      FLUSH PRIVILEGES;" || { tail_log "$d1/server.log" 40; die "cannot set up database/user on node 1"; }

  # One joiner at a time: rsync SST makes the donor serve a single joiner.
  start_node 2
  wait_synced 2 2 || die "node 2 did not join"
  start_node 3
  wait_synced 3 3 || die "node 3 did not join"

  # Prove replication end to end: a row written on node 1 is read back on node 3
  # (wsrep_sync_wait makes the read wait until node 3 has applied everything).
  local probe="p$$_$RANDOM"
  sql 1 "CREATE TABLE IF NOT EXISTS $DB_NAME.galera_probe (id VARCHAR(40) PRIMARY KEY);
         INSERT INTO $DB_NAME.galera_probe VALUES ('$probe')" || die "cannot write on node 1"
  local seen
  seen=$(sql 3 "SET SESSION wsrep_sync_wait=1; SELECT id FROM $DB_NAME.galera_probe WHERE id='$probe'") \
      || die "cannot read on node 3"
  [ "$seen" = "$probe" ] || die "a row written on node 1 is not visible on node 3"
  sql 1 "DROP TABLE $DB_NAME.galera_probe" || die "cannot drop the probe table"
  for n in "${NODES[@]}"; do
    mariadb-admin --no-defaults --protocol=tcp -h 127.0.0.1 -P "$(node_var SQL_PORT "$n")" \
        -u "$MYSQL_USER" -p"$MYSQL_PASSWORD" ping >/dev/null 2>&1 \
        || die "node $n not reachable over TCP as $MYSQL_USER"
  done
  log "3-node cluster on 127.0.0.1:$SQL_PORT_1,$SQL_PORT_2,$SQL_PORT_3 (wsrep_cluster_size=3, $((SECONDS - t0))s; data $GL_DIR)"
}

cmd_env() {
  load_state || die "not running (use: $0 start)"
  local urls=() n
  for n in "${NODES[@]}"; do
    urls+=("mysql+pymysql://$MYSQL_USER:$MYSQL_PASSWORD@127.0.0.1:$(node_var SQL_PORT "$n")/$DB_NAME")
  done
  echo "export RETORT_TEST_GALERA_URLS=\"${urls[*]}\""
}

cmd_status() {
  if running; then
    local n line="running:"
    for n in "${NODES[@]}"; do
      line+=" node$n 127.0.0.1:$(node_var SQL_PORT "$n") pid $(node_pid "$n") $(status_var "$n" wsrep_local_state_comment || true);"
    done
    echo "$line cluster size $(status_var 1 wsrep_cluster_size || echo '?')"
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
