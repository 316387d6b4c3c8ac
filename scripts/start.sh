#!/usr/bin/env bash
# Starts the whole system on this machine: installs what it needs on first run, builds the service,
# starts the local Asterisk sandbox with the rendered configs, then runs the service in the foreground.
# Ctrl-C stops both. Configuration: config.json or CC_* variables (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $EUID -ne 0 ]] && command -v sudo >/dev/null; then exec sudo -E "$0" "$@"; fi

bash scripts/setup.sh
npm run --silent build

stop_asterisk() { npx tsx scripts/sandbox.ts stop || true; }
trap stop_asterisk EXIT
npx tsx scripts/sandbox.ts start
echo "[start] service on http://${CC_HTTP_HOST:-127.0.0.1}:${CC_HTTP_PORT:-3000} (health: /health, API docs: /api/openapi.json)"
node dist/src/main.js
