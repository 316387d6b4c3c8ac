#!/bin/sh
# Container entry: render the Asterisk configs and start Asterisk, then run the service in the foreground.
set -eu
touch /.contact-center-root
node dist/scripts/sandbox.js start
exec node dist/src/main.js
