#!/usr/bin/env bash
# Places one test call into the local trunk with SIPp, as the carrier would, and stays on the line until
# the service hangs up. Usage: scripts/call.sh [DIALED_NUMBER] [CALLER_NUMBER]
# The call goes where the configuration has carriers send theirs: the SIP edge (sipEdge) when there is one,
# else Asterisk itself. CC_CALL_TARGET=host:port sends it elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
dialed="${1:-100}"
caller="${2:-+15550100001}"
if [[ -z "${CC_CALL_TARGET:-}" && -z "${CC_CONFIG:-}" && ! -f config.json ]]; then
  export CC_CONFIG=config.example.json
fi
target="${CC_CALL_TARGET:-$(npx --no-install tsx -e "
import('./src/config/load.ts').then(({ loadConfig }) => {
  const c = loadConfig();
  console.log(c.sipEdge ? c.sipEdge.host + ':' + c.sipEdge.port : c.asterisk.sipHost.replace('0.0.0.0', '127.0.0.1') + ':' + c.asterisk.sipPort);
});")}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
printf 'SEQUENTIAL\n%s\n' "$caller" >"$tmp/callers.csv"
# The caller's line sends audio (quiet, as a caller on hold is) and waits up to 10 minutes for the service to
# hang up, as a real line does: a line that sends nothing is taken for gone after the trunk's media timeout.
npx --no-install tsx -e "import('./test/integration/harness/wav.ts').then(({ muLawToneWav }) =>
  process.stdout.write(muLawToneWav(30, 440, 0)))" >"$tmp/line.wav"
sed "s|<recv request=\"BYE\" timeout=\"60000\"/>|<nop><action><exec rtp_stream=\"$tmp/line.wav,-1,0\"/></action></nop>\n  <recv request=\"BYE\" timeout=\"600000\"/>|" \
  test/sipp/caller-waits.xml >"$tmp/caller.xml"
grep -q rtp_stream "$tmp/caller.xml" || { echo "call.sh: test/sipp/caller-waits.xml changed: no BYE wait to add audio before" >&2; exit 1; }
# Stopped by hand (Ctrl-C, a TERM to this script), SIPp is stopped too and the call is not called completed.
stopped=''
sipp "$target" -sf "$tmp/caller.xml" -inf "$tmp/callers.csv" \
  -s "$dialed" -m 1 -i "${CC_TRUNK_ADDRESS:-127.0.0.1}" -timeout 660s -nostdin -trace_err \
  -error_file "$tmp/errors.log" >/dev/null &
sipp_pid=$!
trap 'stopped=1; kill -INT "$sipp_pid" 2>/dev/null || true' INT TERM
status=0
wait "$sipp_pid" || status=$?
if [[ -n "$stopped" ]]; then
  wait "$sipp_pid" 2>/dev/null || true # the trap cut the first wait short
  echo "call to $dialed from $caller: stopped by hand before the service hung up (via $target); SIPp sent no BYE:"
  echo "Asterisk ends the call once its line has sent no audio for asterisk.trunkMediaTimeoutSeconds (60 s by default)"
  exit 130
fi
if [[ "$status" -ne 0 ]]; then
  echo "call failed (via $target):"
  cat "$tmp/errors.log" 2>/dev/null
  exit 1
fi
echo "call to $dialed from $caller: completed (via $target)"
