/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process watching a temp flows directory
 * (CC_FLOWS_DIR), SIPp callers. Hot reload on the running service: a flow edited while a call is inside
 * it (that call finishes on its version, new calls get the new one), a broken file refused with
 * `file:line: message` in GET /api/flows while calls keep working, a fixed file picked up, and the
 * supervisor-only POST /api/flows/reload. Then the service is restarted on the same database with the file
 * broken: the last good version (from the flow archive) keeps serving, and its source can be read back.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { ApiClient } from '../harness/api.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import {
  eventually,
  newDataDir,
  type ServiceProcess,
  serviceEnv,
  spawnService,
  waitHealthy,
  writeConfigFile,
} from '../harness/service.js';
import { type Interaction, interactionsOf, prepareFlowsDir, runIvrCaller, stepOf } from './ivr-harness.js';

const SUPERVISOR = 'supervisor-token-for-ivr-tests';
const SETTINGS = {
  supervisorToken: SUPERVISOR,
  queues: ['sales', 'support', 'billing'].map((id) => ({ id, name: id, strategy: 'ring_all' })),
  routes: [{ dialed: '900', flow: 'reload' }],
  // The shipped main flow (copied with the others) routes on it.
  switches: [{ id: 'emergency-closure', name: 'Emergency closure' }],
};

/** vm-intro is 5.7 s and cannot be interrupted: time enough to edit the file under a call. */
const flow = (
  queueId: string,
  extraStep = '',
) => `import { defineFlow, play, queue } from '../src/ivr/index.js';

export default defineFlow({
  id: 'reload',
  entry: 'intro',
  steps: {
    intro: play('vm-intro', { next: 'route' }),
    route: queue('${queueId}'),${extraStep}
  },
});
`;
const BROKEN = flow('support', "\n    extra: play('hello', { next: 'nowhere' }),");

interface FlowFile {
  file: string;
  ok: boolean;
  flowId?: string;
  version?: string;
  loadedAt?: string;
  fromArchive?: boolean;
  errors: string[];
}

let asterisk: AsteriskSandbox;
let service: ServiceProcess;
let api: ApiClient;
let flowsDir: string;
let file: string;

async function reloadStatus(): Promise<FlowFile> {
  const { body } = await api.request<{ files: FlowFile[] }>('GET', '/api/flows', { token: SUPERVISOR });
  const f = body.files.find((x) => x.file.endsWith('reload.ts'));
  if (!f) throw new Error(`reload.ts not in ${JSON.stringify(body)}`);
  return f;
}

/** One caller on the reload flow who hangs up `ms` after the answer (after they were queued). */
function call(caller: string, ms = 7500) {
  return runIvrCaller({ scenario: 'ivr-caller-hangs-up', caller, dialed: '900', actions: [{ pause: ms }] });
}

async function closed(caller: string): Promise<Interaction> {
  return eventually(
    async () => {
      const [row] = await interactionsOf(service.baseUrl, caller, 'inbound', SUPERVISOR);
      return row?.state === 'closed' ? row : undefined;
    },
    `the call of ${caller} to close`,
    30_000,
  );
}

const routed = (i: Interaction) => ({
  queue: i.timeline.find((e) => e.type === 'acd.enqueued')?.payload.queueId,
  version: stepOf(i, 'route')?.payload.flowVersion,
});

const dataDir = newDataDir();

async function startTheService(): Promise<void> {
  service = spawnService(
    serviceEnv(dataDir, { CC_CONFIG: writeConfigFile(dataDir, SETTINGS), CC_FLOWS_DIR: flowsDir }),
  );
  await waitHealthy(service.baseUrl);
  api = new ApiClient(service.baseUrl);
}

beforeAll(async () => {
  flowsDir = prepareFlowsDir('http://127.0.0.1:9');
  file = join(flowsDir, 'reload.ts');
  writeFileSync(file, flow('sales'));
  asterisk = await startAsterisk(testConfig(), 'ivr-hot-reload');
  await startTheService();
});

afterAll(async () => {
  await service?.stop();
  await asterisk?.stop();
});

describe('IVR flows hot reload on the running service', () => {
  let v1: string;
  let v2: string;

  it('an edit while a call is inside the flow: that call finishes on its version, the next call gets the new one', async () => {
    const first = await reloadStatus();
    expect(first).toMatchObject({ ok: true, flowId: 'reload', errors: [] });
    v1 = first.version!;

    const inside = call('+15550200001', 9000);
    // The caller is listening to the intro (5.7 s from the answer) when the file changes.
    await eventually(async () => {
      const [row] = await interactionsOf(service.baseUrl, '+15550200001', 'inbound', SUPERVISOR);
      return row?.timeline.some((e) => e.type === 'ivr.prompt.started') ? true : undefined;
    }, 'the first call to be in the intro');
    writeFileSync(file, flow('support'));
    const loaded = await eventually(async () => {
      const s = await reloadStatus();
      return s.version !== v1 && s.ok ? s : undefined;
    }, 'the edited flow to load');
    v2 = loaded.version!;
    expect(Date.parse(loaded.loadedAt!)).toBeGreaterThan(0);

    const next = await call('+15550200002');
    expect((await inside).successful).toBe(1);
    expect(next.successful).toBe(1);
    const a = await closed('+15550200001');
    const b = await closed('+15550200002');
    // The first call was already in the intro when v2 went live, and still went to sales on v1.
    expect(stepOf(a, 'intro')?.payload.flowVersion).toBe(v1);
    expect(routed(a)).toEqual({ queue: 'sales', version: v1 });
    expect(routed(b)).toEqual({ queue: 'support', version: v2 });
  });

  it('a broken file is refused with file:line: message while calls keep using the last good version', async () => {
    writeFileSync(file, BROKEN);
    const line = BROKEN.split('\n').findIndex((l) => l.includes("'nowhere'")) + 1;
    const refused = await eventually(async () => {
      const s = await reloadStatus();
      return !s.ok ? s : undefined;
    }, 'the broken file to be refused');
    expect(refused.version).toBe(v2);
    expect(refused.errors.length).toBeGreaterThan(0);
    expect(refused.errors[0]).toMatch(new RegExp(`reload\\.ts:${line}: .*nowhere`));
    expect(refused.errors[0]!.startsWith(`${file}:${line}: `)).toBe(true);

    expect((await call('+15550200003')).successful).toBe(1);
    expect(routed(await closed('+15550200003'))).toEqual({ queue: 'support', version: v2 });
  });

  it('the fixed file is picked up', async () => {
    writeFileSync(file, flow('billing'));
    const fixed = await eventually(async () => {
      const s = await reloadStatus();
      return s.ok && s.version !== v2 ? s : undefined;
    }, 'the fixed file to load');
    expect(fixed.errors).toEqual([]);
    // Checked off the event loop the calls run on, by the worker, not on the main thread after all.
    expect(service.output()).toContain('flow type checks go on in a worker thread');
    expect(service.output()).not.toContain('ran on the main thread');
    expect((await call('+15550200004')).successful).toBe(1);
    expect(routed(await closed('+15550200004'))).toEqual({ queue: 'billing', version: fixed.version });
  });

  it('POST /api/flows/reload is for supervisors and reports every file', async () => {
    expect((await api.request('POST', '/api/flows/reload')).status).toBe(401);
    expect((await api.request('GET', '/api/flows')).status).toBe(401); // file paths and errors: ops only
    expect((await api.request('POST', '/api/flows/reload', { token: 'wrong-token' })).status).toBe(401);
    const { status, body } = await api.request<{ dir: string; files: FlowFile[] }>(
      'POST',
      '/api/flows/reload',
      {
        token: SUPERVISOR,
      },
    );
    expect(status).toBe(200);
    expect(body.files.map((f) => f.flowId).sort()).toEqual(['after-hours', 'csat-survey', 'main', 'reload']);
    expect(body.files.every((f) => f.ok)).toBe(true);
    expect(body.dir).toBe(flowsDir);
  });

  it('a restart with the file broken keeps the last good version serving, and its source can be read back', async () => {
    const good = await reloadStatus();
    expect(good).toMatchObject({ ok: true });
    writeFileSync(file, BROKEN);
    await eventually(async () => ((await reloadStatus()).ok ? undefined : true), 'the broken file refused');
    await service.stop();
    await startTheService();

    const restarted = await reloadStatus();
    expect(restarted).toMatchObject({ ok: false, version: good.version, fromArchive: true });
    expect(restarted.errors[0]).toMatch(/reload\.ts:\d+: .*nowhere/);
    expect((await call('+15550200005')).successful).toBe(1);
    expect(routed(await closed('+15550200005'))).toEqual({ queue: 'billing', version: good.version });

    // What the caller ran, exactly, though the file holds something else now.
    const { status, body } = await api.request<{ source: string; flowId: string }>(
      'GET',
      `/api/flows/versions/${good.version}`,
      { token: SUPERVISOR },
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ flowId: 'reload', source: flow('billing') });
  });
});
