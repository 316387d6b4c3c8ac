#!/usr/bin/env bash
# The whole test suite: installs what it needs, then runs unit tests and the integration tests against
# a real Asterisk, SIPp and Chromium inside network namespaces made for the run (two, side by side). JUnit
# XML goes to test-results/junit.xml and junit-long.xml. Extra arguments go to vitest (e.g. a file filter).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $EUID -ne 0 ]] && command -v sudo >/dev/null; then exec sudo -E "$0" "$@"; fi

bash scripts/setup.sh
echo "[test] lint and type check"
npx biome check .
npx tsc -p tsconfig.json --noEmit
echo "[test] unit and integration tests (real Asterisk $(bash scripts/build-asterisk-root.sh 2>&1 | sed -n 's/.*(Asterisk \(.*\))/\1/p'), SIPp, Chromium)"
mkdir -p test-results
rm -f test-results/junit*.xml test-results/integration-*.log
# Every temporary file of the run (SIPp scenarios and logs, the services' data and recordings, Chromium's
# profiles) goes under one directory, removed when the run passes and kept for a look when it fails (before,
# every run left hundreds of directories in /tmp). The three newest kept ones stay; older ones go.
{ ls -dt /tmp/cc-test-run-* 2>/dev/null || true; } | tail -n +4 | xargs -r rm -rf
TEST_TMP="$(mktemp -d /tmp/cc-test-run-XXXXXX)"
export TMPDIR="$TEST_TMP"
# Integration files run one at a time inside a namespace (each starts Asterisk on its loopback with the default
# ports); two namespaces run side by side, so the suite takes about half as long. The unit tests and the four
# longest files go to the first, every other integration file to the second: a new file is never left out.
# With arguments (a file filter), one namespace runs what they select.
LONG=(
  test/integration/acd/seats-through-restart.test.ts
  test/integration/ivr/ivr-through-restart.test.ts
  test/integration/acd/callback.test.ts
  test/integration/acd/queues-and-agents.test.ts
)
set +e
if [[ $# -gt 0 || "${CC_TEST_ONE_NAMESPACE:-}" == 1 ]]; then
  bash scripts/in-netns.sh npx vitest run --outputFile.junit=test-results/junit.xml "$@"
  rc=$?
else
  mapfile -t REST < <(find test/integration -name '*.test.ts' | sort | grep -vxF -f <(printf '%s\n' "${LONG[@]}"))
  bash scripts/in-netns.sh npx vitest run --outputFile.junit=test-results/junit-long.xml \
    test/unit "${LONG[@]}" > test-results/integration-long.log 2>&1 &
  long=$!
  bash scripts/in-netns.sh npx vitest run --project integration --outputFile.junit=test-results/junit.xml \
    "${REST[@]}"
  rc=$?
  wait $long
  long_rc=$?
  echo "[test] the unit tests and the longest integration files, run beside the rest:"
  cat test-results/integration-long.log
  [[ $rc -eq 0 ]] && rc=$long_rc
fi
set -e
if [[ $rc -eq 0 && "${CC_TEST_KEEP_TMP:-}" != 1 ]]; then rm -rf "$TEST_TMP"; else echo "[test] temporary files kept in $TEST_TMP"; fi
# One plain closing line any CI can read, counted from the JUnit reports vitest wrote.
node -e '
  const fs = require("fs");
  const files = ["test-results/junit.xml", "test-results/junit-long.xml"].filter((f) => fs.existsSync(f));
  const cases = files.flatMap((f) => fs.readFileSync(f, "utf8").match(/<testcase\b[\s\S]*?(\/>|<\/testcase>)/g) ?? []);
  const failed = cases.filter((c) => /<(failure|error)\b/.test(c)).length;
  const skipped = cases.filter((c) => /<skipped\b/.test(c)).length;
  console.log(`${cases.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
'
exit $rc
