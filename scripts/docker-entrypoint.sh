#!/bin/sh
# Container entry: render the Asterisk configs and start Asterisk, then run the service in the foreground.
set -eu
# Without a configuration of its own (CC_CONFIG or a mounted /app/config.json) the container runs the example,
# as scripts/start.sh does on a host: two WebRTC agents, three queues and the main IVR.
if [ -z "${CC_CONFIG:-}" ] && [ ! -f config.json ]; then
  echo "no config.json: running config.example.json (mount your own at /app/config.json or set CC_CONFIG)"
  export CC_CONFIG=config.example.json
fi
touch /.contact-center-root
node dist/scripts/sandbox.js start
echo "[container] service on port ${CC_HTTP_PORT:-3000} (health: /health, softphone: /softphone/)"
node print-sign-ins.mjs "${CC_DATA_DIR:-.data}/secrets.json" '[container]'
exec node dist/src/main.js
