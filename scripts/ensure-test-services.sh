#!/usr/bin/env bash
# What `pnpm test` needs outside node_modules, made ready before the first test runs. `pnpm test`
# (and so `.ci/run`) calls this first; on a ready machine it only checks and prints one line.
#   - promtool (Debian package `prometheus`): the bot's metrics test lints /metrics with it.
#   - /usr/bin/chromium (Debian package `chromium`): the bot's browser test clicks through the local
#     Slack web view with it (playwright-core drives it; no browser is downloaded).
#   - PostgreSQL server binaries in /usr/lib/postgresql/<version>/bin (Debian package `postgresql`):
#     the fault suite starts and stops its own throwaway clusters with initdb/pg_ctl.
#   - a PostgreSQL server at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) that
#     lets user postgres in without a password, with a database `test`. When nothing answers on
#     127.0.0.1:5432, a private cluster (trust auth, data in $LICENSEWATCH_TEST_PGDATA) is started;
#     the machine's own clusters and their pg_hba.conf are never changed.
# Missing packages are installed with apt-get when this runs as root (or with password-less sudo);
# otherwise it fails with one line naming what to install.
set -euo pipefail

DEFAULT_URL=postgres://postgres@127.0.0.1:5432/test
TEST_DATABASE_URL="${TEST_DATABASE_URL:-$DEFAULT_URL}"
PGDATA_PRIVATE="${LICENSEWATCH_TEST_PGDATA:-${TMPDIR:-/tmp}/licensewatch-test-postgres}"

fail() {
  echo "pnpm test: $*" >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}

server_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

# Installs the Debian packages that provide what is missing, or names them in one line.
install_missing() {
  local packages=()
  command -v promtool >/dev/null 2>&1 || packages+=(prometheus)
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  { server_bin >/dev/null && command -v psql >/dev/null 2>&1; } || packages+=(postgresql)
  [ "${#packages[@]}" -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1 || ! as_root true; then
    fail "missing ${packages[*]}: install them (Debian/Ubuntu: sudo apt-get install -y --no-install-recommends ${packages[*]}), then run pnpm test again"
  fi
  echo "pnpm test: installing ${packages[*]} (apt-get)"
  as_root apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null \
    || fail "apt-get install ${packages[*]} failed: install them by hand, then run pnpm test again"
}

# Starts (once, then reuses) a private trust-auth cluster on 127.0.0.1:5432.
start_private_cluster() {
  local bin owner=()
  bin=$(server_bin)
  # initdb and postgres refuse to run as root: run them as the `postgres` user the package created.
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || fail "no postgres user to run a test cluster as: install the Debian package postgresql"
    owner=(runuser -u postgres --)
  fi
  if [ ! -f "$PGDATA_PRIVATE/PG_VERSION" ]; then
    echo "pnpm test: starting a private PostgreSQL for the tests in $PGDATA_PRIVATE"
    mkdir -p "$PGDATA_PRIVATE"
    [ "${#owner[@]}" -eq 0 ] || chown postgres "$PGDATA_PRIVATE"
    "${owner[@]}" "$bin/initdb" -D "$PGDATA_PRIVATE" -A trust -U postgres -E UTF8 --no-sync >/dev/null
  fi
  "${owner[@]}" "$bin/pg_ctl" -D "$PGDATA_PRIVATE" -l "$PGDATA_PRIVATE/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=5432 -c unix_socket_directories=$PGDATA_PRIVATE" start >/dev/null \
    || fail "could not start PostgreSQL on 127.0.0.1:5432 (log: $PGDATA_PRIVATE/server.log)"
}

ensure_database() {
  local admin_url="${TEST_DATABASE_URL%/*}/postgres" name="${TEST_DATABASE_URL##*/}"
  if ! psql "$admin_url" -tAc 'SELECT 1' >/dev/null 2>&1; then
    fail "PostgreSQL at ${TEST_DATABASE_URL%/*} does not let the tests in ($(psql "$admin_url" -tAc 'SELECT 1' 2>&1 | head -1)): allow trust auth for it, or set TEST_DATABASE_URL to a database you may create schemas in"
  fi
  if [ "$(psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" != 1 ]; then
    psql "$admin_url" -qc "CREATE DATABASE \"$name\"" >/dev/null
  fi
}

install_missing
if [ "$TEST_DATABASE_URL" = "$DEFAULT_URL" ] && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  start_private_cluster
fi
ensure_database
echo "pnpm test: $(promtool --version 2>&1 | head -1 | cut -d' ' -f1-3), $(/usr/bin/chromium --version 2>/dev/null | cut -d' ' -f1-2), PostgreSQL server binaries in $(server_bin), database ${TEST_DATABASE_URL##*@}"
