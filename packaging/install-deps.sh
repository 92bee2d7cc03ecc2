#!/usr/bin/env bash
# Install everything Retort needs to build, test and run its demo on Debian 12.
# Idempotent: when every package is already installed, apt is not touched at all.
set -euo pipefail

PACKAGES=(
  qt6-base-dev libqt6sql6-sqlite libqt6sql6-psql libqt6sql6-mysql
  libqscintilla2-qt6-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
  qtkeychain-qt6-dev libgl-dev
  cmake g++ make
  googletest libgtest-dev libbenchmark-dev
  python3-alembic python3-sqlalchemy python3-mako python3-psycopg2 python3-pymysql python3-venv
  python3-flask-migrate
  postgresql mariadb-server galera-4 rsync
  xvfb
  libqt6svg6 librsvg2-bin
  desktop-file-utils appstream man-db bash-completion dpkg-dev lintian
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing: ${missing[*]}"

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive

# Keep the postgresql/mariadb packages from starting system-wide services during
# installation (the tests run their own throwaway servers on free ports).
# Only install our policy-rc.d when none exists, and remove it afterwards.
POLICY=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
  "${SUDO[@]}" chmod 755 "$POLICY"
  own_policy=1
fi
cleanup() {
  if [ "$own_policy" = 1 ]; then "${SUDO[@]}" rm -f "$POLICY"; fi
}
trap cleanup EXIT

"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"

# If services were started anyway (e.g. systemd ignoring policy-rc.d), stop them.
for svc in postgresql mariadb; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    "${SUDO[@]}" systemctl stop "$svc" || true
    "${SUDO[@]}" systemctl disable "$svc" >/dev/null 2>&1 || true
  elif command -v service >/dev/null 2>&1; then
    "${SUDO[@]}" service "$svc" stop >/dev/null 2>&1 || true
  fi
done

echo "install-deps: done"
