/** The service's flow registry checked against the sounds of an Asterisk root (a temporary one here). */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFlowRegistry } from '../../../../src/calls/ivr/flows.js';
import type { FlowRegistry } from '../../../../src/flow-loader/index.js';
import { flowSource } from '../../flow-loader/flow-sources.js';

let work: string;
let reg: FlowRegistry | undefined;
beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'cc-flows-sounds-'));
});
afterEach(async () => {
  await reg?.close();
  reg = undefined;
  await rm(work, { recursive: true, force: true });
});

const sound = async (name: string) => {
  const file = path.join(work, 'root/usr/share/asterisk/sounds/en', `${name}.gsm`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '');
};

describe("flows checked against the Asterisk root's sounds", { timeout: 30_000 }, () => {
  it('finds a sound added after start-up when the flow playing it is loaded again', async () => {
    await sound('hello-world');
    const flows = path.join(work, 'flows');
    await mkdir(flows);
    await writeFile(
      path.join(flows, 'main.ts'),
      flowSource('main').replace("'hello-world'", "'custom/holidays'"),
    );
    reg = await startFlowRegistry({
      dir: flows,
      queueIds: () => ['sales'],
      logger: pino({ level: 'silent' }),
      asteriskRoot: path.join(work, 'root'),
    });
    expect(reg?.status()[0]).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/main\.ts:7: unknown prompt 'custom\/holidays'$/)],
    });
    expect(reg?.getFlow('main')).toBeUndefined();

    await sound('custom/holidays');
    const [again] = (await reg?.reloadAll()) ?? [];
    expect(again).toMatchObject({ ok: true, errors: [] });
    expect(reg?.getFlow('main')?.steps.hi).toMatchObject({ kind: 'play' });
  });
});
