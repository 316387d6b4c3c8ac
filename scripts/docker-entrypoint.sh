#!/bin/sh
# Container entry: render the Asterisk configs and start Asterisk, then run the service. On `docker stop`
# (TERM, passed on by tini) the service stops first, then Asterisk stops cleanly: callers still on the line
# get a hang-up (a BYE) instead of silence when the container is killed. The same happens when the service
# exits on its own; the container then exits with the service's code.
set -eu
# Without a configuration of its own (CC_CONFIG or a mounted /app/config.json) the container runs the example,
# as scripts/start.sh does on a host: two WebRTC agents, three queues and the main IVR.
if [ -z "${CC_CONFIG:-}" ] && [ ! -f config.json ]; then
  echo "no config.json: running config.example.json (mount your own at /app/config.json or set CC_CONFIG)"
  export CC_CONFIG=config.example.json
fi
node dist/scripts/sandbox.js start
echo "[container] service on port ${CC_HTTP_PORT:-3000} (health: /health, softphone: /softphone/)"
node print-sign-ins.mjs "${CC_DATA_DIR:-.data}/secrets.json" '[container]'

node dist/src/main.js &
svc=$!
stopping=""
stop() {
  stopping=1
  kill -TERM "$svc" 2>/dev/null || true
}
trap stop TERM INT
# `wait` returns early when a trapped signal arrives: wait again until the service has really exited.
code=0
wait "$svc" || code=$?
while kill -0 "$svc" 2>/dev/null; do wait "$svc" || code=$?; done
node dist/scripts/sandbox.js stop || true
if [ -n "$stopping" ]; then exit 0; fi
exit "$code"
