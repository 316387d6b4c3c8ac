#!/usr/bin/env bash
# The whole test suite: installs what it needs, then runs unit tests and the integration tests against
# a real Asterisk, SIPp and Chromium inside network namespaces made for the run (up to three side by side,
# each taking the next file as it frees up). JUnit XML goes to test-results/junit-<job>.xml, each job's output to
# test-results/log-<job>.log (and to the terminal as it ends). Extra arguments go to vitest (e.g. a file
# filter), run in one namespace, with its report in test-results/junit.xml.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $EUID -ne 0 ]] && command -v sudo >/dev/null; then exec sudo -E "$0" "$@"; fi

bash scripts/setup.sh
echo "[test] lint and type check"
npx biome check .
npx tsc -p tsconfig.json --noEmit
echo "[test] build (the integration tests run the service as built, as scripts/start.sh does)"
npm run --silent build
export CC_TEST_BUILT_SERVICE=1
echo "[test] unit and integration tests (real Asterisk $(bash scripts/build-asterisk-root.sh 2>&1 | sed -n 's/.*(Asterisk \(.*\))/\1/p'), SIPp, Chromium)"
mkdir -p test-results
rm -f test-results/junit*.xml test-results/integration-*.log test-results/log-*.log
# Every temporary file of the run (SIPp scenarios and logs, the services' data and recordings, Chromium's
# profiles) goes under one directory, removed when the run passes and kept for a look when it fails (before,
# every run left hundreds of directories in /tmp). The three newest kept ones stay; older ones go.
{ ls -dt /tmp/cc-test-run-* 2>/dev/null || true; } | tail -n +4 | xargs -r rm -rf
TEST_TMP="$(mktemp -d /tmp/cc-test-run-XXXXXX)"
export TMPDIR="$TEST_TMP"
set +e
if [[ $# -gt 0 ]]; then
  # A file filter: one namespace runs what it selects.
  bash scripts/in-netns.sh npx vitest run --outputFile.junit=test-results/junit.xml "$@"
  rc=$?
else
  # The unit tests (one vitest on one worker) run beside the integration files, which each start Asterisk
  # on their own namespace's loopback with the default ports and are handed out longest first to the
  # namespaces side by side, each taking the next as it frees up. Integration files spend much of their time
  # waiting on calls (rings, holds, restarts), so once the unit tests are done CC_TEST_SLOTS (3) of them run
  # at once; beside the unit tests only one does (with the CPUs saturated, the rings and restarts those files
  # time run late). A new file is never left out: the list below only orders the longest.
  SLOTS="${CC_TEST_SLOTS:-3}"
  [[ "${CC_TEST_ONE_NAMESPACE:-}" == 1 ]] && SLOTS=1
  LONGEST_FIRST=(
    test/integration/acd/seats-through-restart.test.ts
    test/integration/acd/callback.test.ts
    test/integration/web/supervisor-page.test.ts
    test/integration/ivr/ivr-through-restart.test.ts
    test/integration/acd/queues-and-agents.test.ts
    test/integration/acd/agent-announcement.test.ts
    test/integration/web/seat-advanced.test.ts
    test/integration/web/seat-agent-lost.test.ts
  )
  QUEUE="$TEST_TMP/test-jobs"
  mkdir -p "$QUEUE"
  { printf '%s\n' "${LONGEST_FIRST[@]}"
    find test/integration -name '*.test.ts' | sort | grep -vxF -f <(printf '%s\n' "${LONGEST_FIRST[@]}")
  } > "$QUEUE/list"
  echo 0 > "$QUEUE/taken"
  : > "$QUEUE/results"
  # The next job of the list, or nothing once every job is taken.
  next_job() {
    (
      flock 9
      local n job
      n=$(<"$QUEUE/taken")
      job=$(sed -n "$((n + 1))p" "$QUEUE/list")
      [[ -n $job ]] && echo $((n + 1)) > "$QUEUE/taken"
      echo "$job"
    ) 9>"$QUEUE/lock"
  }
  # One job (`unit`, or an integration file) in a namespace of its own; its output printed whole as it ends.
  run_job() {
    local job=$1 name started args rc
    name=${job#test/integration/}
    name=${name%.test.ts}
    name=${name//\//-}
    if [[ $job == unit ]]; then args=(--project unit --maxWorkers=1); else args=(--project integration "$job"); fi
    started=$SECONDS
    bash scripts/in-netns.sh npx vitest run "${args[@]}" --outputFile.junit="test-results/junit-$name.xml" \
      > "test-results/log-$name.log" 2>&1
    rc=$?
    echo "$rc $job" >> "$QUEUE/results"
    (
      flock 9
      cat "test-results/log-$name.log"
      echo "[test] $job: $([[ $rc -eq 0 ]] && echo passed || echo "FAILED (exit $rc)") in $((SECONDS - started)) s"
    ) 9>"$QUEUE/print-lock"
  }
  run_slot() {
    local job
    while job=$(next_job) && [[ -n $job ]]; do run_job "$job"; done
  }
  echo "[test] the unit tests beside $(wc -l < "$QUEUE/list") integration files, then $SLOTS files at a time"
  run_slot &
  {
    run_job unit
    for _ in $(seq 2 "$SLOTS"); do run_slot & done
    wait
  } &
  wait
  failed=$(awk '$1 != 0 { print "  " $2 }' "$QUEUE/results")
  rc=0
  if [[ -n $failed || $(wc -l < "$QUEUE/results") -ne $(($(wc -l < "$QUEUE/list") + 1)) ]]; then
    rc=1
    echo "[test] failed:"
    echo "$failed"
  fi
fi
set -e
if [[ $rc -eq 0 && "${CC_TEST_KEEP_TMP:-}" != 1 ]]; then rm -rf "$TEST_TMP"; else echo "[test] temporary files kept in $TEST_TMP"; fi
# One plain closing line any CI can read, counted from the JUnit reports vitest wrote; before it, each failed
# case by name with the start of its failure, so that a CI log's tail says what failed and why (a file's own
# output with the whole failure is further up, where a shortened log may not reach).
node -e '
  const fs = require("fs");
  const files = fs.readdirSync("test-results").filter((f) => /^junit.*\.xml$/.test(f)).map((f) => `test-results/${f}`);
  const cases = files.flatMap((f) => fs.readFileSync(f, "utf8").match(/<testcase\b[\s\S]*?(\/>|<\/testcase>)/g) ?? []);
  const failures = cases.filter((c) => /<(failure|error)\b/.test(c));
  const skipped = cases.filter((c) => /<skipped\b/.test(c)).length;
  const xml = (t) => t.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&quot;/g, "\"").replace(/&apos;/g, "\x27").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  const attr = (c, name) => xml(c.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1] ?? "");
  for (const c of failures) {
    const failure = c.match(/<(?:failure|error)\b([^>]*)>([\s\S]*?)<\/(?:failure|error)>/) ?? ["", "", ""];
    const body = xml(failure[2]).trim().split("\n");
    const why = (attr(failure[1], "message") || body[0] || "").split("\n").slice(0, 6).join("\n      ").slice(0, 1200);
    // Where in the test it failed: the first stack line naming a test file.
    const where = body.find((line) => /\.test\.ts:\d+/.test(line))?.trim() ?? "";
    console.log(`[test] failed case: ${attr(c, "classname")} > ${attr(c, "name")}\n      ${why}${where ? `\n      ${where}` : ""}`);
  }
  console.log(`${cases.length - failures.length - skipped} passed, ${failures.length} failed, ${skipped} skipped`);
'
exit $rc
