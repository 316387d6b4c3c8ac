/**
 * FlowRegistry with a check memo (the service's SQLite FlowVersionStore, in memory): a restart does not run
 * the TypeScript compiler again on flow sources that passed it against the same flow API. Each "restart"
 * is a new registry over the same directory and database.
 */
import { cp, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FlowCheckMemo } from '../../../src/flow-loader/archive.js';
import { FlowRegistry, FlowTypeChecker, locateFlowApi } from '../../../src/flow-loader/index.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { FlowVersionStore } from '../../../src/store/flow-archive.js';
import { flowSource } from './flow-sources.js';

const API_DIR = fileURLToPath(new URL('../../../src/ivr/', import.meta.url));

let dir: string;
let store: FlowVersionStore;
let db: ReturnType<typeof openDatabase>['db'];
const registries: FlowRegistry[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cc-flow-memo-test-'));
  ({ db } = openDatabase(':memory:'));
  await migrateToLatest(db);
  store = new FlowVersionStore(db);
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const r of registries.splice(0)) await r.close();
  await rm(dir, { recursive: true, force: true });
});

/** A (re)started registry over `dir` with `memo`; which files it ran the type check on. */
async function start(memo: FlowCheckMemo | null = store) {
  const checked: string[] = [];
  const real = FlowTypeChecker.prototype.checkAgainstApi;
  vi.spyOn(FlowTypeChecker.prototype, 'checkAgainstApi').mockImplementation(function (
    this: FlowTypeChecker,
    fileName,
    text,
  ) {
    checked.push(path.basename(fileName));
    return real.call(this, fileName, text);
  });
  const warnings: string[] = [];
  const reg = new FlowRegistry({
    dir,
    catalogue: () => ({ queues: new Set(['sales', 'support']), prompts: new Set(['hello-world']) }),
    logger: { info: () => undefined, warn: (_o, m) => warnings.push(m), error: () => undefined },
    displayBase: dir,
    ...(memo ? { checkMemo: memo } : {}),
  });
  registries.push(reg);
  await reg.reloadAll();
  vi.restoreAllMocks();
  return { reg, checked: checked.sort(), warnings };
}

const remembered = async () =>
  (await sql<{ n: number }>`select count(*) as n from flow_type_checks`.execute(db)).rows[0]!.n;

describe('FlowRegistry with a check memo', { timeout: 30_000 }, () => {
  it('checks each source once: a restart over unchanged files serves them without the compiler', async () => {
    await writeFile(path.join(dir, 'main.ts'), flowSource('main', 'sales'));
    await writeFile(path.join(dir, 'other.ts'), flowSource('other', 'support'));
    const first = await start();
    expect(first.checked).toEqual(['main.ts', 'other.ts']);
    expect(await remembered()).toBe(2);
    const v = first.reg.getFlow('main')!.version;

    const again = await start();
    expect(again.checked).toEqual([]);
    expect(again.reg.getFlow('main')?.version).toBe(v);
    expect(again.reg.getFlow('other')).toBeDefined();
    expect(again.reg.status().every((s) => s.ok)).toBe(true);
  });

  it('checks an edited file again, and only that one', async () => {
    await writeFile(path.join(dir, 'main.ts'), flowSource('main', 'sales'));
    await writeFile(path.join(dir, 'other.ts'), flowSource('other', 'support'));
    await start();
    await writeFile(path.join(dir, 'main.ts'), flowSource('main', 'support'));
    const again = await start();
    expect(again.checked).toEqual(['main.ts']);
    expect(await remembered()).toBe(3);
  });

  it('never remembers a source that fails: it is checked and refused with its message at every start', async () => {
    await writeFile(path.join(dir, 'main.ts'), flowSource('main').replace("{ next: 'q' }", '{ next: 7 }'));
    for (let run = 0; run < 2; run++) {
      const { reg, checked } = await start();
      expect(checked).toEqual(['main.ts']);
      expect(reg.getFlow('main')).toBeUndefined();
      expect(reg.status()[0]?.errors.join('\n')).toMatch(/main\.ts:\d+: .*not assignable to type 'string'/);
    }
    expect(await remembered()).toBe(0);
  });

  it('checks again what passed against another flow API (the compiler, its options or the API sources changed)', async () => {
    await writeFile(path.join(dir, 'main.ts'), flowSource('main'));
    await start();
    vi.spyOn(FlowTypeChecker.prototype, 'apiFingerprint').mockReturnValue('another-api');
    const again = await start();
    expect(again.checked).toEqual(['main.ts']);
    expect(again.reg.getFlow('main')).toBeDefined();
    expect(await remembered()).toBe(2); // the same source, now also under the other fingerprint
  });

  it('does not remember a check that read a file beside the flow API (a triple-slash reference)', async () => {
    await writeFile(path.join(dir, 'shared.d.ts'), 'declare const OPENING_HOUR: number;\n');
    await writeFile(
      path.join(dir, 'main.ts'),
      `/// <reference path="./shared.d.ts" />\n${flowSource('main')}`,
    );
    const first = await start();
    expect(first.reg.getFlow('main')).toBeDefined(); // it passes, but rests on shared.d.ts too
    expect(await remembered()).toBe(0);
    const again = await start();
    expect(again.checked).toEqual(['main.ts']);
  });

  it('still loads when the memo cannot be read or written, checking every time and saying so', async () => {
    await writeFile(path.join(dir, 'main.ts'), flowSource('main'));
    const broken: FlowCheckMemo = {
      passedBefore: () => Promise.reject(new Error('database is locked')),
      passed: () => Promise.reject(new Error('disk I/O error')),
    };
    for (let run = 0; run < 2; run++) {
      const { reg, checked, warnings } = await start(broken);
      expect(checked).toEqual(['main.ts']);
      expect(reg.getFlow('main')).toBeDefined();
      expect(warnings.join('\n')).toMatch(/not remembered: Error: disk I\/O error/);
    }
  });

  it('serves an archived version a caller was taken over in without checking it again', async () => {
    await writeFile(path.join(dir, 'main.ts'), flowSource('main', 'sales'));
    const withArchive = () => {
      const reg = new FlowRegistry({
        dir,
        catalogue: () => ({ queues: new Set(['sales', 'support']), prompts: new Set(['hello-world']) }),
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
        archive: store,
        checkMemo: store,
      });
      registries.push(reg);
      return reg;
    };
    const before = withArchive();
    await before.reloadAll();
    const old = before.getFlow('main')!.version;
    // Edited, then the service restarts with a caller still in the old version.
    await writeFile(path.join(dir, 'main.ts'), flowSource('main', 'support'));
    const after = withArchive();
    await after.reloadAll();
    expect(after.getFlow('main')?.version).not.toBe(old);
    const check = vi.spyOn(FlowTypeChecker.prototype, 'checkAgainstApi');
    expect((await after.flowAt('main', old))?.version).toBe(old);
    expect(check).not.toHaveBeenCalled();
  });
});

describe('FlowTypeChecker.apiFingerprint', () => {
  let api: string;
  beforeEach(async () => {
    api = await mkdtemp(path.join(os.tmpdir(), 'cc-flow-api-'));
    await cp(API_DIR, api, { recursive: true });
  });
  afterEach(() => rm(api, { recursive: true, force: true }));

  const checker = () =>
    new FlowTypeChecker({ typesFile: path.join(api, 'index.ts'), runtimeUrl: locateFlowApi().runtimeUrl });

  it('stays for a file touched without a change, and changes with an API source, a new one, or a removed one', async () => {
    const c = checker();
    const first = c.apiFingerprint();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(checker().apiFingerprint()).toBe(first); // the same sources elsewhere… same folder layout
    const steps = path.join(api, 'steps', 'menu.ts');
    const text = await readFile(steps, 'utf8');
    const later = new Date(Date.now() + 5000);
    await utimes(steps, later, later);
    expect(c.apiFingerprint()).toBe(first);
    await writeFile(steps, `${text}\n// a comment is a change too\n`);
    const edited = c.apiFingerprint();
    expect(edited).not.toBe(first);
    await writeFile(steps, text);
    expect(c.apiFingerprint()).toBe(first);
    await writeFile(path.join(api, 'steps', 'extra.ts'), 'export const x = 1;\n');
    expect(c.apiFingerprint()).not.toBe(first);
    await rm(path.join(api, 'steps', 'extra.ts'));
    await rm(path.join(api, 'hours.ts'));
    expect(c.apiFingerprint()).not.toBe(first);
  });

  it('is the same for the repository’s API wherever the checker is made', () => {
    expect(new FlowTypeChecker().apiFingerprint()).toBe(new FlowTypeChecker().apiFingerprint());
  });
});
