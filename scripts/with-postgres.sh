#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 server and removes the server afterwards.
#
#   scripts/with-postgres.sh build/tests/unit/storage_test
#
# The server listens only on a Unix socket in a fresh temporary directory, holds the empty
# database "interkommunal", and the command sees
#   IK_TEST_POSTGRES_URL="host=<dir> port=<port> user=postgres dbname=interkommunal".
# Exits with the command's status. Works as root (the server runs as user postgres, since
# initdb refuses root) and as an ordinary user.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 command [arguments...]" >&2
  exit 2
fi

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PGBIN/initdb" ]; then
  echo "with-postgres: $PGBIN/initdb not found (apt-get install postgresql-15, or set PGBIN)" >&2
  exit 2
fi

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A port is taken if something listens on it over TCP or a socket file for it exists in /tmp.
port_is_free() {
  ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && [ ! -e "/tmp/.s.PGSQL.$1" ]
}

dir=$(mktemp -d /tmp/ik-postgres.XXXXXX)
server_started=0

cleanup() {
  if [ "$server_started" -eq 1 ]; then
    as_server_user "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# postgres must own the directory and everyone must be able to traverse it to the socket.
chmod 755 "$dir"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi

if ! as_server_user "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2
  exit 1
fi

port=55432
while ! port_is_free "$port"; do
  port=$((port + 1))
  if [ "$port" -gt 55532 ]; then
    echo "with-postgres: no free port in 55432-55532" >&2
    exit 1
  fi
done

if ! as_server_user "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-k $dir -p $port -c listen_addresses=''" start >/dev/null; then
  cat "$dir/server.log" >&2
  exit 1
fi
server_started=1

as_server_user "$PGBIN/createdb" -h "$dir" -p "$port" -U postgres interkommunal

export IK_TEST_POSTGRES_URL="host=$dir port=$port user=postgres dbname=interkommunal"
set +e
"$@"
status=$?
set -e
exit "$status"
