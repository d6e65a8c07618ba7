#!/bin/sh
# The production compose variant's PostgreSQL entrypoint: starts the server as the image does
# (docker-entrypoint.sh), then sets the postgres role's password to POSTGRES_PASSWORD over the
# local socket, on every start. The official image sets it only when it creates the data
# directory, so a password changed later would never reach an existing volume; this applies it
# each time (and gives the password to images that do not read POSTGRES_PASSWORD at all). It
# refuses to go on when the cluster still trusts TCP connections (a volume made by the
# development settings, say): a password is no protection beside a trust rule.
set -eu
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
case "$POSTGRES_PASSWORD" in
  *[!A-Za-z0-9._~-]*) echo "postgres-entrypoint: POSTGRES_PASSWORD must be URL-safe (letters, digits, . _ ~ -): it goes into DATABASE_URL as it is" >&2; exit 1 ;;
esac

docker-entrypoint.sh "$@" &
server=$!
# Fast shutdown (SIGINT, the image's STOPSIGNAL) whichever signal the engine sends: a smart
# shutdown would wait for the apps' pooled connections to close until the engine kills it.
trap 'kill -INT "$server" 2>/dev/null' TERM INT

local_psql() {
  psql -q -v ON_ERROR_STOP=1 -At -h /var/run/postgresql -p 5432 -U postgres -d postgres "$@"
}

# The image's first start runs a socket-only server for its init scripts, then the real one:
# setting the password on either is the same, and it is retried until a server takes it. The
# password travels on standard input (\getenv), never on a command line another process can read.
until printf '%s\n' '\getenv password POSTGRES_PASSWORD' "ALTER ROLE postgres PASSWORD :'password';" | local_psql >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { wait "$server"; exit 1; }
  sleep 0.5
done
trusted="$(local_psql -c "SELECT count(*) FROM pg_hba_file_rules WHERE type LIKE 'host%' AND auth_method = 'trust'")"
if [ "$trusted" != "0" ]; then
  echo "postgres-entrypoint: pg_hba.conf trusts TCP connections ($trusted rule(s)); refusing to serve with a password beside them. Use a fresh volume." >&2
  kill -INT "$server"
  wait "$server" || true
  exit 1
fi
echo "postgres-entrypoint: the postgres role's password is set from POSTGRES_PASSWORD; no TCP connection is trusted"

# A trapped signal cuts a wait short while the server shuts down: wait until it has exited.
status=0
while kill -0 "$server" 2>/dev/null; do
  if wait "$server"; then status=0; else status=$?; fi
done
exit "$status"
