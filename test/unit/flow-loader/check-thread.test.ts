/**
 * The flow type check in a worker thread: the same answers as inline, while the event loop goes on turning
 * (a cold check is over a second of compiler work); and a checker thread that fails is not a refused flow.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlowCheckThread } from '../../../src/flow-loader/check-thread.js';
import { FlowRegistry, locateFlowApi } from '../../../src/flow-loader/index.js';
import { flowSource } from './flow-sources.js';

let dir: string;
const registries: FlowRegistry[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cc-flow-thread-test-'));
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const r of registries.splice(0)) await r.close();
  await rm(dir, { recursive: true, force: true });
});

function registry(typeCheckInThread: boolean) {
  const warnings: string[] = [];
  const reg = new FlowRegistry({
    dir,
    catalogue: () => ({ queues: new Set(['sales']), prompts: new Set(['hello-world']) }),
    logger: { info: () => undefined, warn: (_o, m) => warnings.push(m), error: () => undefined },
    displayBase: dir,
    typeCheckInThread,
  });
  registries.push(reg);
  return { reg, warnings };
}

/** The longest the event loop was held while `work` ran (ms): the widest gap between 1 ms timers. */
async function longestHoldDuring(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(longest, performance.now() - last);
}

describe('the flow type check in a worker thread', { timeout: 60_000 }, () => {
  it('refuses a file with the same file:line messages as inline, holding the event loop only for the parse', async () => {
    await writeFile(path.join(dir, 'main.ts'), flowSource('main').replace("{ next: 'q' }", '{ next: 7 }'));
    const threaded = registry(true).reg;
    const held = await longestHoldDuring(() => threaded.reloadAll());
    const inline = registry(false).reg;
    const heldInline = await longestHoldDuring(() => inline.reloadAll());
    const errors = threaded.status()[0]?.errors;
    expect(errors?.join('\n')).toMatch(/main\.ts:\d+: .*not assignable to type 'string'/);
    expect(errors).toEqual(inline.status()[0]?.errors);
    // A cold check is hundreds of milliseconds of compiler work in one piece: inline it holds the event loop
    // all that time; on the thread the loop is held only by the file's parse.
    expect(held * 4).toBeLessThan(heldInline);
  });

  it('loads a good file, and a later edit is checked by the same worker', async () => {
    const file = path.join(dir, 'main.ts');
    await writeFile(file, flowSource('main'));
    const { reg, warnings } = registry(true);
    await reg.reloadAll();
    const v1 = reg.getFlow('main')?.version;
    expect(v1).toBeDefined();
    await writeFile(file, flowSource('main').replace('hello-world', 'hello-wrld'));
    await reg.reloadFile('main.ts');
    expect(reg.getFlow('main')?.version).toBe(v1); // refused (unknown prompt), v1 keeps serving
    await writeFile(file, `${flowSource('main')}// edited\n`);
    await reg.reloadFile('main.ts');
    expect(reg.getFlow('main')?.version).not.toBe(v1);
    expect(warnings.filter((w) => w.includes('main thread'))).toEqual([]);
  });

  it('checks inline at start-up (nothing else runs yet), then on the worker for every edit', async () => {
    const file = path.join(dir, 'main.ts');
    await writeFile(file, flowSource('main'));
    const onThread = vi.spyOn(FlowCheckThread.prototype, 'checkAgainstApi');
    const reg = await FlowRegistry.start({
      dir,
      catalogue: () => ({ queues: new Set(['sales']), prompts: new Set(['hello-world']) }),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      typeCheckInThread: true,
      debounceMs: 60_000, // the test reloads by hand
    });
    registries.push(reg);
    expect(reg.getFlow('main')).toBeDefined();
    expect(onThread).not.toHaveBeenCalled();
    await writeFile(file, `${flowSource('main')}// edited\n`);
    await reg.reloadFile('main.ts');
    expect(onThread).toHaveBeenCalledTimes(1);
    expect(reg.status()[0]).toMatchObject({ ok: true, version: reg.getFlow('main')?.version });
  });

  it('checks on the main thread, and says so, when the worker fails: a broken checker refuses no flow', async () => {
    vi.spyOn(FlowCheckThread.prototype, 'checkAgainstApi').mockRejectedValue(
      new Error('the flow type checker stopped (exit code 1)'),
    );
    await writeFile(path.join(dir, 'main.ts'), flowSource('main'));
    const { reg, warnings } = registry(true);
    await reg.reloadAll();
    expect(reg.getFlow('main')).toBeDefined();
    expect(warnings).toEqual([
      expect.stringMatching(/type check of main\.ts ran on the main thread: .*exit code 1/),
    ]);
  });

  it('fails a check still out when it is closed, and starts a new worker for the next one', async () => {
    const thread = new FlowCheckThread(locateFlowApi());
    const text = flowSource('main');
    const out = thread.checkAgainstApi(path.join(dir, 'main.ts'), text);
    await thread.close();
    await expect(out).rejects.toThrow(/closed|stopped/);
    const again = await thread.checkAgainstApi(path.join(dir, 'main.ts'), text);
    expect(again).toEqual({ problems: [], apiOnly: true });
    await thread.close();
  });
});
