#!/usr/bin/env bash
# A private PostgreSQL server on 127.0.0.1 for tests and benchmarks (Debian's postgresql package).
#   scripts/pg-local.sh start   -> starts it (initialising on first use) and prints the SQLAlchemy URL
#   scripts/pg-local.sh stop    -> stops it
#   scripts/pg-local.sh url     -> prints the URL
# NETRAL_PG_DIR (default /tmp/netral-pg) and NETRAL_PG_PORT (default 54329) move it.
set -euo pipefail
DIR=${NETRAL_PG_DIR:-/tmp/netral-pg}
PORT=${NETRAL_PG_PORT:-54329}
URL="postgresql+psycopg://postgres@127.0.0.1:${PORT}/postgres"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$PGBIN" ]; then
  echo "PostgreSQL server binaries not found (install Debian's 'postgresql' package)" >&2
  exit 1
fi
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-start}" in
  start)
    # parallel test workers may start it at the same moment: one at a time
    mkdir -p "$(dirname "$DIR")"
    exec 9>"$DIR.lock"
    if ! flock -w 120 9; then
      echo "another 'pg-local.sh start' has held $DIR.lock for 120 s" >&2
      exit 1
    fi
    if [ ! -s "$DIR/PG_VERSION" ]; then
      mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      as_pg "$PGBIN/initdb" -D "$DIR" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$PGBIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      # 9>&-: the server must not inherit the lock, or every later `start` waits on it forever
      as_pg "$PGBIN/pg_ctl" -D "$DIR" -w -l "$DIR/server.log" \
        -o "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null 9>&-
    fi
    echo "$URL"
    ;;
  stop)
    as_pg "$PGBIN/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true
    ;;
  url)
    echo "$URL"
    ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
