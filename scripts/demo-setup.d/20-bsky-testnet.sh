#!/usr/bin/env bash
# The demo starts the same local AT Protocol network the tests use: install it once (idempotent).
exec bash "$(dirname "$0")/../test-setup.d/20-bsky-testnet.sh"
