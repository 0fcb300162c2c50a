# A throwaway PostgreSQL cluster for the tests: sourced by .ci/run, and by
# developers (see README, "Development"). Debian's packages; PostgreSQL
# refuses to run as root, so initdb and pg_ctl run as the `postgres` user
# when this runs as root. The data lives in a temporary folder; the server
# listens on a free port on 127.0.0.1 only.
#
#   source .ci/postgres.sh
#   postgres_start      # exports FEEDFOLD_TEST_POSTGRES_URL and FEEDFOLD_TEST_POSTGRES_BIN
#   postgres_stop       # stops the server and removes its data

postgres_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] || return 1
  echo "$bin"
}

postgres_install() {
  postgres_bin >/dev/null && return 0
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

# Runs a command as the postgres user when we are root, else as ourselves.
postgres_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

postgres_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

postgres_start() {
  local bin port
  bin=$(postgres_bin) || { echo "PostgreSQL is not installed (apt-get install postgresql)"; return 1; }
  POSTGRES_DATA=$(mktemp -d /tmp/feedfold-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres: "$POSTGRES_DATA"
  postgres_as_owner "$bin/initdb" -D "$POSTGRES_DATA/data" -A trust -U postgres >"$POSTGRES_DATA/initdb.log" 2>&1 \
    || { cat "$POSTGRES_DATA/initdb.log"; return 1; }
  port=$(postgres_free_port)
  postgres_as_owner "$bin/pg_ctl" -D "$POSTGRES_DATA/data" -l "$POSTGRES_DATA/server.log" \
    -o "-p $port -k $POSTGRES_DATA -c listen_addresses=127.0.0.1 -c max_connections=200" -w start >/dev/null \
    || { cat "$POSTGRES_DATA/server.log"; return 1; }
  export POSTGRES_DATA
  export FEEDFOLD_TEST_POSTGRES_BIN="$bin"
  export FEEDFOLD_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $POSTGRES_DATA"
}

postgres_stop() {
  [ -n "${POSTGRES_DATA:-}" ] || return 0
  postgres_as_owner "$FEEDFOLD_TEST_POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DATA/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$POSTGRES_DATA"
  unset POSTGRES_DATA
}
