/**
 * The container's entrypoint (scripts/docker-entrypoint.sh) with a stand-in `node` on PATH that logs what
 * it is asked to run: on `docker stop` (TERM) the service is stopped first and Asterisk after it, and a
 * service that exits on its own also stops Asterisk, the container exiting with the service's code.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ENTRYPOINT = join(process.cwd(), 'scripts', 'docker-entrypoint.sh');

/** A fake `node`: logs each run; the service (dist/src/main.js) runs until TERM, or exits with SERVICE_EXIT. */
function fakeNode(dir: string): void {
  mkdirSync(join(dir, 'bin'));
  writeFileSync(
    join(dir, 'bin', 'node'),
    `#!/bin/sh
echo "$*" >> "${dir}/runs.log"
case "$1" in
  dist/src/main.js)
    if [ -n "\${SERVICE_EXIT:-}" ]; then exit "$SERVICE_EXIT"; fi
    trap 'echo "service got TERM" >> "${dir}/runs.log"; exit 0' TERM
    while :; do sleep 0.05; done ;;
esac
`,
  );
  chmodSync(join(dir, 'bin', 'node'), 0o755);
}

function run(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'entrypoint-'));
  fakeNode(dir);
  const child = spawn('sh', [ENTRYPOINT], {
    cwd: dir,
    env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, CC_DATA_DIR: dir, ...env },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const runs = () => {
    try {
      return readFileSync(join(dir, 'runs.log'), 'utf8').trim().split('\n');
    } catch {
      return [];
    }
  };
  return { child, exited, runs };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the container entrypoint', () => {
  it('on TERM stops the service first, then Asterisk, and exits 0', async () => {
    const { child, exited, runs } = run();
    await until(() => runs().includes('dist/src/main.js'), 'the service to start');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(runs()).toEqual([
      'dist/scripts/sandbox.js start',
      expect.stringMatching(/^print-sign-ins\.mjs /),
      'dist/src/main.js',
      'service got TERM',
      'dist/scripts/sandbox.js stop',
    ]);
  });

  it('stops Asterisk when the service exits on its own, and exits with its code', async () => {
    const { exited, runs } = run({ SERVICE_EXIT: '3' });
    expect(await exited).toBe(3);
    expect(runs().slice(-2)).toEqual(['dist/src/main.js', 'dist/scripts/sandbox.js stop']);
  });
});
