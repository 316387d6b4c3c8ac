/**
 * Ops edit the shipped main flow by hand and save it half done: a line deleted, a line doubled, the file cut
 * off mid-way, a quote or a bracket lost. Whatever the slip, the file is either taken (still a flow) or
 * refused with each error as `file:line: what`, while the last good version keeps serving; the registry
 * never fails otherwise, and the good file saved again serves again.
 */
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowLogger, FlowRegistry } from '../../../src/flow-loader/index.js';

const quiet: FlowLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
let dir: string;
let reg: FlowRegistry;
let original: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cc-edited-flows-'));
  // The three shipped flows side by side, as they go to each other.
  for (const file of await readdir('ivr-flows')) {
    if (file.endsWith('.ts')) await copyFile(path.join('ivr-flows', file), path.join(dir, file));
  }
  original = await readFile(path.join(dir, 'main.ts'), 'utf8');
  reg = new FlowRegistry({
    dir,
    // Every prompt name is one Asterisk has: the slips are the point here, not the sounds.
    catalogue: { queues: new Set(['sales', 'support', 'billing']), prompts: { has: () => true } as never },
    logger: quiet,
    displayBase: dir,
    debounceMs: 50,
  });
  await reg.reloadAll();
});

afterAll(async () => {
  await reg?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The slips, each on its own from the original: deterministic, spread over the whole file. */
function slips(text: string): { what: string; text: string }[] {
  const lines = text.split('\n');
  const out: { what: string; text: string }[] = [];
  for (let i = 2; i < lines.length; i += 6) {
    out.push({ what: `line ${i + 1} deleted`, text: lines.filter((_, j) => j !== i).join('\n') });
  }
  for (let i = 5; i < lines.length; i += 17) {
    out.push({
      what: `line ${i + 1} doubled`,
      text: [...lines.slice(0, i + 1), ...lines.slice(i)].join('\n'),
    });
  }
  for (const share of [0.2, 0.5, 0.8, 0.97]) {
    out.push({ what: `cut off at ${share * 100}%`, text: text.slice(0, Math.floor(text.length * share)) });
  }
  for (const mark of ["'", '(', '}', ',']) {
    const at = text.indexOf(mark, Math.floor(text.length / 2));
    out.push({ what: `a ${mark} lost halfway`, text: text.slice(0, at) + text.slice(at + 1) });
  }
  return out;
}

describe('the main flow edited by hand with a slip', { timeout: 120_000 }, () => {
  it('is refused with file:line errors and the last good version serving, or taken; never failing otherwise', async () => {
    const good = reg.getFlow('main');
    expect(good).toBeDefined();
    const cases = slips(original);
    expect(cases.length).toBeGreaterThan(20);
    const failures: string[] = [];
    let refused = 0;
    for (const slip of cases) {
      // Each slip from the good file serving (a slip taken as a flow would serve in its place).
      await writeFile(path.join(dir, 'main.ts'), original);
      expect(await reg.reloadFile('main.ts')).toMatchObject({ ok: true, version: good?.version });
      await writeFile(path.join(dir, 'main.ts'), slip.text);
      const status = await reg.reloadFile('main.ts').catch((error: unknown) => {
        failures.push(`${slip.what}: the registry threw ${String(error)}`);
        return undefined;
      });
      if (!status) continue;
      if (status.ok) continue; // still a flow (a blank or a comment line deleted)
      refused++;
      if (status.errors.length === 0) failures.push(`${slip.what}: refused without a word`);
      for (const error of status.errors) {
        if (!/^main\.ts:\d+: \S/.test(error)) failures.push(`${slip.what}: "${error}" names no line`);
      }
      if (reg.getFlow('main')?.version !== good?.version || status.version !== good?.version)
        failures.push(`${slip.what}: the last good version stopped serving`);
    }
    expect(failures).toEqual([]);
    expect(refused).toBeGreaterThan(cases.length / 2); // most slips break the flow

    // Saved again as it was, it serves again.
    await writeFile(path.join(dir, 'main.ts'), original);
    const back = await reg.reloadFile('main.ts');
    expect(back).toMatchObject({ ok: true, errors: [], version: good?.version });
  });
});
