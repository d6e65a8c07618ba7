#!/bin/sh
# The production compose variant's Redis command: redis-server as the image runs it (through its
# docker-entrypoint.sh, which drops to the redis user), with `requirepass` from REDIS_PASSWORD.
# The password reaches Redis as configuration on standard input (`-` as the last argument),
# never on a command line that `ps` shows to every user of the host. Arguments are redis-server's.
set -eu
: "${REDIS_PASSWORD:?REDIS_PASSWORD is required}"
case "$REDIS_PASSWORD" in
  *[!A-Za-z0-9._~-]*) echo "redis-server-with-password: REDIS_PASSWORD must be URL-safe (letters, digits, . _ ~ -): it goes into REDIS_URL as it is" >&2; exit 1 ;;
esac
exec docker-entrypoint.sh redis-server "$@" - <<CONF
requirepass $REDIS_PASSWORD
CONF
