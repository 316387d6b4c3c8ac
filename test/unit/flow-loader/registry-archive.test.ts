/**
 * FlowRegistry with its archive (the service's SQLite FlowVersionStore, in memory): what was serving is
 * not lost by a restart. Each "restart" is a new registry over the same directory and database.
 */
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlowArchive } from '../../../src/flow-loader/archive.js';
import { type FlowLogger, FlowRegistry } from '../../../src/flow-loader/index.js';
import { simulate } from '../../../src/ivr/index.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { FlowVersionStore } from '../../../src/store/flow-archive.js';
import { flowSource } from './flow-sources.js';

const ENTRY = `import { defineFlow, gotoFlow } from '../src/ivr/index.js';
export default defineFlow({ id: 'entry', entry: 'go', steps: { go: gotoFlow('main') } });
`;
/** A flow that does not type-check (line 7: the step's next is not a string). */
const TYPE_ERROR = flowSource('main').replace("{ next: 'q' }", '{ next: 7 }');

let dir: string;
let archive: FlowVersionStore;
let queues: Set<string>;
const registries: FlowRegistry[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cc-flow-archive-test-'));
  const { db } = openDatabase(':memory:');
  await migrateToLatest(db);
  archive = new FlowVersionStore(db);
  queues = new Set(['sales', 'support']);
});

afterEach(async () => {
  for (const r of registries.splice(0)) await r.close();
  await rm(dir, { recursive: true, force: true });
});

/** A (re)started registry: new memory, the same files and archive. */
async function start(withArchive: FlowArchive | null = archive, now = () => Date.now()) {
  const lines: string[] = [];
  const logger: FlowLogger = {
    info: (_o, m) => lines.push(`info ${m}`),
    warn: (_o, m) => lines.push(`warn ${m}`),
    error: (_o, m) => lines.push(`error ${m}`),
  };
  const reg = new FlowRegistry({
    dir,
    catalogue: () => ({ queues, prompts: new Set(['hello-world']) }),
    logger,
    displayBase: dir,
    now,
    ...(withArchive ? { archive: withArchive } : {}),
  });
  registries.push(reg);
  await reg.reloadAll();
  return { reg, lines };
}

const statusOf = (reg: FlowRegistry, file: string) => reg.status().find((s) => s.file === file);

describe('FlowRegistry with an archive', { timeout: 30_000 }, () => {
  it('keeps every version that goes live, and a revert makes the older one the last good again', async () => {
    const file = path.join(dir, 'main.ts');
    await writeFile(file, flowSource('main', 'sales'));
    let clock = Date.parse('2026-12-02T09:00:00Z');
    const { reg } = await start(archive, () => clock);
    const v1 = reg.getFlow('main')!.version;
    clock += 60_000;
    await writeFile(file, flowSource('main', 'support'));
    await reg.reloadFile('main.ts');
    const v2 = reg.getFlow('main')!.version;
    expect(v2).not.toBe(v1);
    expect(await archive.lastGood('main.ts')).toMatchObject({ version: v2, flowId: 'main' });
    clock += 60_000;
    await writeFile(file, flowSource('main', 'sales'));
    await reg.reloadFile('main.ts');
    expect(reg.getFlow('main')!.version).toBe(v1);
    expect(await archive.lastGood('main.ts')).toMatchObject({
      version: v1,
      firstLoadedAt: Date.parse('2026-12-02T09:00:00Z'),
      lastLoadedAt: Date.parse('2026-12-02T09:02:00Z'),
    });
    expect((await archive.version(v2))?.source).toBe(flowSource('main', 'support'));
  });

  it('serves the last good version of a file refused at start-up, and the file once fixed', async () => {
    const file = path.join(dir, 'main.ts');
    await writeFile(file, flowSource('main', 'support'));
    const first = await start();
    const good = first.reg.getFlow('main')!.version;
    await first.reg.close();

    await writeFile(file, TYPE_ERROR); // edited while the service was down
    const { reg, lines } = await start();
    expect(statusOf(reg, 'main.ts')).toMatchObject({
      ok: false,
      flowId: 'main',
      version: good,
      fromArchive: true,
      errors: expect.arrayContaining([expect.stringMatching(/^main\.ts:7: /)]),
    });
    const served = reg.getFlow('main')!;
    expect(served.version).toBe(good);
    expect((await simulate(served)).action).toMatchObject({ type: 'queue', queueId: 'support' });
    expect(lines.join('\n')).toMatch(
      new RegExp(
        `main\\.ts refused \\(version ${good}, the last good one before the restart, keeps serving\\)`,
      ),
    );

    await writeFile(file, flowSource('main', 'sales'));
    expect(await reg.reloadFile('main.ts')).toMatchObject({ ok: true, errors: [] });
    expect(statusOf(reg, 'main.ts')?.fromArchive).toBeUndefined();
    expect((await simulate(reg.getFlow('main')!)).action).toMatchObject({ queueId: 'sales' });
  });

  it('without the archive the same restart serves nothing for that file (what the archive changes)', async () => {
    const file = path.join(dir, 'main.ts');
    await writeFile(file, flowSource('main'));
    await (await start(null)).reg.close();
    await writeFile(file, TYPE_ERROR);
    const { reg } = await start(null);
    expect(reg.getFlow('main')).toBeUndefined();
    expect(statusOf(reg, 'main.ts')).toMatchObject({ ok: false });
    expect(statusOf(reg, 'main.ts')?.version).toBeUndefined();
  });

  it('a file that compiles but fails the checks is stood in for too; a last good one that fails them now is not', async () => {
    const file = path.join(dir, 'main.ts');
    await writeFile(file, flowSource('main', 'support'));
    const first = await start();
    const good = first.reg.getFlow('main')!.version;
    await first.reg.close();

    await writeFile(file, flowSource('main', 'billing')); // no such queue
    const restarted = await start();
    expect(statusOf(restarted.reg, 'main.ts')).toMatchObject({
      ok: false,
      version: good,
      fromArchive: true,
      errors: [expect.stringContaining("unknown queue 'billing'")],
    });
    await restarted.reg.close();

    queues.delete('support'); // the last good version's queue is gone as well
    const { reg, lines } = await start();
    expect(reg.getFlow('main')).toBeUndefined();
    expect(statusOf(reg, 'main.ts')?.version).toBeUndefined();
    expect(lines.join('\n')).toMatch(
      new RegExp(
        `archived version ${good} of flow 'main' \\(main\\.ts\\) cannot stand in: .*unknown queue 'support'`,
      ),
    );
  });

  it('brings back a deleted flow that other flows still go to, as the running service kept it', async () => {
    await writeFile(path.join(dir, 'entry.ts'), ENTRY);
    await writeFile(path.join(dir, 'main.ts'), flowSource('main', 'support'));
    const first = await start();
    const mainVersion = first.reg.getFlow('main')!.version;
    await first.reg.close();

    await unlink(path.join(dir, 'main.ts'));
    const { reg, lines } = await start();
    // Callers of `entry` still reach `main`...
    expect(reg.getFlow('main')?.version).toBe(mainVersion);
    expect(reg.getFlow('entry')?.steps.go).toMatchObject({ kind: 'goto-flow', flowId: 'main' });
    expect(lines.join('\n')).toMatch(
      /flow 'main' has no file \(main\.ts was deleted\), but flow 'entry' still goes to it/,
    );
    // ...and `entry` is flagged for it, as the running service flags it when the file goes.
    expect(statusOf(reg, 'entry.ts')).toMatchObject({
      ok: false,
      fromArchive: true,
      errors: ["entry.ts:2: unknown flow 'main'"],
    });
    expect(reg.status().map((s) => s.file)).toEqual(['entry.ts']);

    // A new file with that id takes over from the archived one.
    await writeFile(path.join(dir, 'main-v2.ts'), flowSource('main', 'sales'));
    await reg.reloadAll();
    expect((await simulate(reg.getFlow('main')!)).action).toMatchObject({ queueId: 'sales' });
    expect(statusOf(reg, 'entry.ts')).toMatchObject({ ok: true, errors: [] });
    expect(statusOf(reg, 'entry.ts')?.fromArchive).toBeUndefined();
  });

  it('gives a version that went live before, from the archive, to a caller who was in it', async () => {
    const file = path.join(dir, 'main.ts');
    await writeFile(file, flowSource('main', 'sales'));
    await writeFile(path.join(dir, 'other.ts'), flowSource('other', 'sales'));
    const { reg } = await start();
    const old = reg.getFlow('main')!.version;
    const other = reg.getFlow('other')!.version;
    await writeFile(file, flowSource('main', 'support'));
    await reg.reloadFile('main.ts');
    const current = reg.getFlow('main')!;

    expect(await reg.flowAt('main', current.version)).toBe(current);
    const past = await reg.flowAt('main', old);
    expect(past?.version).toBe(old);
    expect((await simulate(past!)).action).toMatchObject({ queueId: 'sales' });
    expect(await reg.flowAt('main', old)).toBe(past); // compiled once
    expect(await reg.flowAt('main', other)).toBeUndefined(); // another flow's version
    expect(await reg.flowAt('main', 'ffffffffffff')).toBeUndefined();
  });

  it('does not give a past version that cannot run any more (its queue is gone)', async () => {
    const file = path.join(dir, 'main.ts');
    await writeFile(file, flowSource('main', 'support'));
    const { reg, lines } = await start();
    const old = reg.getFlow('main')!.version;
    await writeFile(file, flowSource('main', 'sales'));
    await reg.reloadFile('main.ts');
    queues.delete('support');
    expect(await reg.flowAt('main', old)).toBeUndefined();
    expect(lines.join('\n')).toMatch(
      new RegExp(`flow 'main' version ${old} cannot run any more: .*unknown queue 'support'`),
    );
  });

  it('loads the files when the archive cannot be read or written, and says so', async () => {
    await writeFile(path.join(dir, 'main.ts'), flowSource('main'));
    const broken: FlowArchive = {
      keep: async () => {
        throw new Error('disk I/O error');
      },
      lastGood: async () => {
        throw new Error('disk I/O error');
      },
      lastGoodOfFlow: async () => undefined,
      version: async () => undefined,
    };
    const { reg, lines } = await start(broken);
    expect(statusOf(reg, 'main.ts')).toMatchObject({ ok: true });
    expect(reg.getFlow('main')).toBeDefined();
    const log = lines.join('\n');
    expect(log).toMatch(/error reading the flow archive failed: Error: disk I\/O error/);
    expect(log).toMatch(/error flow version [0-9a-f]{12} of main\.ts not archived: Error: disk I\/O error/);
  });
});
