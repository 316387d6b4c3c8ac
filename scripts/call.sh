#!/usr/bin/env bash
# Places one test call into the local trunk with SIPp, as the carrier would, and stays on the line until
# the service hangs up. Usage: scripts/call.sh [DIALED_NUMBER] [CALLER_NUMBER]
set -euo pipefail
cd "$(dirname "$0")/.."
dialed="${1:-100}"
caller="${2:-+15550100001}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
printf 'SEQUENTIAL\n%s\n' "$caller" >"$tmp/callers.csv"
sipp "${CC_SIP_HOST:-127.0.0.1}:${CC_SIP_PORT:-5060}" -sf test/sipp/caller-waits.xml -inf "$tmp/callers.csv" \
  -s "$dialed" -m 1 -i "${CC_TRUNK_ADDRESS:-127.0.0.1}" -p 5091 -timeout 120s -nostdin -trace_err \
  -error_file "$tmp/errors.log" >/dev/null && echo "call to $dialed from $caller: completed" \
  || { echo "call failed:"; cat "$tmp/errors.log" 2>/dev/null; exit 1; }
