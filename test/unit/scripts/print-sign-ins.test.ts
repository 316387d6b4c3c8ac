import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = join(process.cwd(), 'scripts', 'print-sign-ins.mjs');

function secretsFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'signins-')), 'secrets.json');
  writeFileSync(
    file,
    JSON.stringify({
      ariPassword: 'ari-x',
      'agent:agent1': 'pw-agent1-xyz',
      'supervisor:super1': 'pw-super1-xyz',
      supervisorToken: 'sup-token-xyz',
    }),
  );
  return file;
}

describe('scripts/print-sign-ins.mjs', () => {
  it('prints the sign-ins on a terminal', () => {
    const file = secretsFile();
    // `script` runs the command on a pseudo-terminal, as a person starting scripts/start.sh sees it.
    const out = execFileSync('script', ['-qec', `node ${SCRIPT} ${file} '[start]'`, '/dev/null']).toString();
    expect(out).toContain('[start] softphone sign-in agent1 / pw-agent1-xyz');
    expect(out).toContain('[start] supervisor sign-in super1 / pw-super1-xyz');
    expect(out).toContain('[start] supervisor token: sup-token-xyz');
  });

  it('names the file instead of printing secrets into a log (output not a terminal)', () => {
    const file = secretsFile();
    const out = execFileSync('node', [SCRIPT, file, '[container]']).toString();
    expect(out).toBe(
      `[container] softphone and supervisor sign-ins and the supervisor token are in ${file} (not printed: the output is not a terminal)\n`,
    );
  });
});
