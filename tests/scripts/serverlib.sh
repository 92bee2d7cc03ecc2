# Helpers shared by dbservers.sh and galera.sh (sourced; SERVERLIB_NAME prefixes messages,
# STATE_FILE is the caller's state file).

die() { echo "${SERVERLIB_NAME}: $*" >&2; exit 1; }
log() { echo "${SERVERLIB_NAME}: $*" >&2; }

# A port nobody listens on right now (the kernel picks it).
free_port() {
  /usr/bin/python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

load_state() {
  [ -f "$STATE_FILE" ] || return 1
  # shellcheck disable=SC1090
  . "$STATE_FILE"
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

tail_log() { # file [lines]
  echo "----- last lines of $1 -----" >&2
  tail -n "${2:-30}" "$1" >&2 2>/dev/null || true
  echo "-----" >&2
}
