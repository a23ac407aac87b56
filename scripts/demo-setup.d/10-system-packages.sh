#!/usr/bin/env bash
# The demo's local Bluesky network needs a PostgreSQL server and redis-server (Debian packages). As root,
# install them when missing; otherwise say what to install (the demo then runs without Bluesky).
set -u
need=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "demo set-up: installing ${need[*]} (Debian packages) for the local Bluesky network"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "demo set-up: install ${need[*]} to include Bluesky in the demo (it runs without it otherwise)" >&2
fi
exit 0
