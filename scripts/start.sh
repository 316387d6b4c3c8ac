#!/usr/bin/env bash
# Starts the whole system on this machine: installs what it needs on first run, builds the service,
# starts the local Asterisk sandbox with the rendered configs, then runs the service in the foreground.
# Ctrl-C stops both. Configuration: config.json or CC_* variables (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $EUID -ne 0 ]] && command -v sudo >/dev/null; then exec sudo -E "$0" "$@"; fi

bash scripts/setup.sh
npm run --silent build

# First try without a config of your own: the example (two WebRTC agents, three queues, the main IVR).
if [[ -z "${CC_CONFIG:-}" && ! -f config.json ]]; then export CC_CONFIG=config.example.json; fi

# Ctrl-C or a TERM stops the service, then Asterisk; nothing is left running.
svc=""
cleanup() {
  # A second Ctrl-C (or TERM) while stopping would cut this short and leave Asterisk running: wait it out.
  trap '' INT TERM
  if [[ -n "$svc" ]]; then kill "$svc" 2>/dev/null || true; wait "$svc" 2>/dev/null || true; fi
  npx tsx scripts/sandbox.ts stop || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
npx tsx scripts/sandbox.ts start
# Where the pages are, as the configuration says (https with http.tls).
base=$(node --input-type=module -e "const { loadConfig } = await import('./dist/src/config/load.js');
const { http } = loadConfig(); console.log((http.tls ? 'https' : 'http') + '://' + http.host + ':' + http.port)")
echo "[start] service on $base (health: /health, API docs: /api/openapi.json, softphone: /softphone/)"
node scripts/print-sign-ins.mjs "${CC_DATA_DIR:-.data}/secrets.json"
node dist/src/main.js &
svc=$!
wait "$svc"
