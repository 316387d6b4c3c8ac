#!/usr/bin/env bash
# The whole test suite: installs what it needs, then runs unit tests and the integration tests against
# a real Asterisk, SIPp and Chromium inside a network namespace made for the run. JUnit XML goes to
# test-results/junit.xml. Extra arguments go to vitest (e.g. a file filter).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $EUID -ne 0 ]] && command -v sudo >/dev/null; then exec sudo -E "$0" "$@"; fi

bash scripts/setup.sh
echo "[test] lint and type check"
npx biome check .
npx tsc -p tsconfig.json --noEmit
echo "[test] unit and integration tests (real Asterisk $(bash scripts/build-asterisk-root.sh 2>&1 | sed -n 's/.*(Asterisk \(.*\))/\1/p'), SIPp, Chromium)"
rm -f test-results/junit.xml
set +e
bash scripts/in-netns.sh npx vitest run "$@"
rc=$?
set -e
# One plain closing line any CI can read, counted from the JUnit report vitest wrote.
if [[ -f test-results/junit.xml ]]; then
  node -e '
    const xml = require("fs").readFileSync("test-results/junit.xml", "utf8");
    const cases = xml.match(/<testcase\b[\s\S]*?(\/>|<\/testcase>)/g) ?? [];
    const failed = cases.filter((c) => /<(failure|error)\b/.test(c)).length;
    const skipped = cases.filter((c) => /<skipped\b/.test(c)).length;
    console.log(`${cases.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
  '
fi
exit $rc
