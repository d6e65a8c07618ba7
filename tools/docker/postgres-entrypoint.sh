#!/bin/sh
# The production compose variant's PostgreSQL entrypoint: starts the server as the image does
# (docker-entrypoint.sh), then sets the postgres role's password to POSTGRES_PASSWORD over the
# local socket, on every start. The official image sets it only when it creates the data
# directory, so a password changed later would never reach an existing volume; this applies it
# each time (and gives the password to images that do not read POSTGRES_PASSWORD at all).
set -eu
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"

docker-entrypoint.sh "$@" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null' TERM INT

# The image's first start runs a socket-only server for its init scripts, then the real one:
# setting the password on either is the same, and it is retried until a server takes it.
until printf '%s\n' "ALTER ROLE postgres PASSWORD :'password';" |
  psql -q -v ON_ERROR_STOP=1 -v password="$POSTGRES_PASSWORD" -h /var/run/postgresql -p 5432 -U postgres -d postgres >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { wait "$server"; exit 1; }
  sleep 0.5
done
echo "postgres-entrypoint: the postgres role's password is set from POSTGRES_PASSWORD"

# A trapped signal cuts a wait short while the server shuts down: wait until it has exited.
status=0
while kill -0 "$server" 2>/dev/null; do
  if wait "$server"; then status=0; else status=$?; fi
done
exit "$status"
