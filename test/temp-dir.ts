/**
 * Vitest's global setup: a run's temporary files (SIPp scenarios, services' data, certificates, Chromium
 * profiles) go under one directory of its own, removed when the run ends, so a run of a file or of the unit
 * tests leaves nothing in /tmp. `scripts/test.sh` gives its whole run such a directory (kept when the run
 * fails, for a look), which is then used as it is. CC_TEST_KEEP_TMP=1 keeps this one too (its path is printed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): (() => void) | undefined {
  if (tmpdir().includes('cc-test-run-')) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'cc-vitest-'));
  // Read by os.tmpdir() in every worker, which vitest starts after this.
  process.env.TMPDIR = dir;
  return () => {
    if (process.env.CC_TEST_KEEP_TMP === '1') console.log(`[test] temporary files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
}
