/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process (stopped and started again on
 * the same database), and a SIPp caller on the carrier trunk pressing an RFC 2833 key. A caller who is in
 * an IVR menu when the service restarts is not cut off: the new run carries the call on at the menu
 * (heard again), in the version of the flow it was in though the file was edited meanwhile (from the flow
 * archive), with the caller data gathered before the restart, and the key pressed afterwards takes the
 * caller on through the flow to its end.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import {
  eventually,
  getJson,
  newDataDir,
  type ServiceProcess,
  startService,
  TEST_SECRET,
} from '../harness/service.js';
import { interactionsOf, runIvrCaller, type SippOutcome } from './ivr-harness.js';

const FLOW = `import { defineFlow, hangup, menu, play, setData } from '../src/ivr/index.js';

export default defineFlow({
  id: 'restart-demo',
  entry: 'tag',
  steps: {
    tag: setData({ account: '42' }, { next: 'hello' }),
    hello: play('hello', { next: 'pick' }),
    pick: menu({
      prompt: 'basic-pbx-ivr-main',
      options: { '1': 'bye' },
      timeoutMs: 30000,
      retries: 0,
      onFail: 'timedOut',
    }),
    bye: hangup('goodbye'),
    timedOut: hangup('vm-goodbye'),
  },
});
`;

/** The file as edited while the service was down: key 1 leads elsewhere now. */
const FLOW_EDITED = FLOW.replace(
  "options: { '1': 'bye' }",
  "options: { '1': 'elsewhere', '2': 'bye' }",
).replace("    bye: hangup('goodbye'),", "    bye: hangup('goodbye'),\n    elsewhere: hangup('vm-goodbye'),");

const SETTINGS = {
  supervisorToken: TEST_SECRET,
  queues: [{ id: 'sales', name: 'Sales', strategy: 'ring_all' }],
  routes: [{ dialed: '100', flow: 'restart-demo' }],
};
const CALLER = '+15550177001';

let asterisk: AsteriskSandbox;
let service: ServiceProcess;
const dataDir = newDataDir();
const flowsDir = mkdtempSync(join(tmpdir(), 'cc-flows-restart-'));
const env = { CC_FLOWS_DIR: flowsDir };

beforeAll(async () => {
  writeFileSync(join(flowsDir, 'restart-demo.ts'), FLOW);
  asterisk = await startAsterisk(testConfig(), 'ivr-restart');
  service = await startService(SETTINGS, env, dataDir);
});

afterAll(async () => {
  await service?.stop();
  await asterisk?.stop();
});

describe('a caller in the IVR through a restart of the service', () => {
  it('carries the caller on at the menu with the data so far, and the key pressed after takes them on', async () => {
    // The key comes 15 s after the answer: after the restart below, well inside the menu's 30 s timeout.
    const caller: Promise<SippOutcome> = runIvrCaller({
      scenario: 'ivr-caller',
      caller: CALLER,
      dialed: '100',
      actions: [{ pause: 15_000 }, { key: '1' }],
      timeoutSeconds: 60,
    });
    // In the menu: the step before it has led there.
    await eventually(async () => {
      const [call] = await interactionsOf(service.baseUrl, CALLER);
      return call?.timeline.some((e) => e.type === 'ivr.step' && e.payload.next === 'pick')
        ? true
        : undefined;
    }, 'the caller to reach the menu');
    await service.stop();
    // Edited while the service was down: the caller carries on in the version it was in all the same.
    expect(FLOW_EDITED).not.toBe(FLOW);
    writeFileSync(join(flowsDir, 'restart-demo.ts'), FLOW_EDITED);
    service = await startService(SETTINGS, env, dataDir);
    const { body: flows } = await getJson<{ files: { flowId?: string; ok: boolean; version?: string }[] }>(
      `${service.baseUrl}/api/flows`,
      TEST_SECRET,
    );
    const edited = flows.files.find((f) => f.flowId === 'restart-demo');
    expect(edited).toMatchObject({ ok: true }); // the edited version serves new callers

    const outcome = await caller;
    expect(outcome.successful, `SIPp: ${outcome.stderr}`).toBe(1); // the service's BYE at the flow's end
    const calls = await interactionsOf(service.baseUrl, CALLER);
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    const types = call.timeline.map((e) => e.type);
    expect(call).toMatchObject({ state: 'closed', disposition: 'completed', endedBy: 'system' });
    expect(call.ivrPath).toEqual(['tag', 'hello', 'pick', 'bye']);
    expect(call.callerData).toEqual({ account: '42' }); // set before the restart
    expect(types.filter((t) => t === 'call.answered')).toHaveLength(1); // not answered again
    expect(types).not.toContain('interaction.lost');
    const adopted = types.indexOf('call.adopted');
    const startedOn = call.timeline.find((e) => e.type === 'ivr.started')?.payload.flowVersion;
    expect(call.timeline[adopted]?.payload).toMatchObject({
      flowId: 'restart-demo',
      flowVersion: startedOn,
      stepId: 'pick',
    });
    expect(call.timeline[adopted]?.payload.versionGone).toBeUndefined();
    expect(edited?.version).not.toBe(startedOn);
    const stepsAfter = call.timeline.slice(adopted).filter((e) => e.type === 'ivr.step');
    expect(stepsAfter.map((e) => [e.payload.stepId, e.payload.outcome])).toEqual([
      ['pick', 'option'],
      ['bye', 'hung-up'],
    ]);
    expect(stepsAfter[0]?.payload.detail).toMatchObject({ key: '1' });
    // The menu prompt is 25 s long, and Asterisk queues a channel's playbacks: unless the new run stops
    // the one the old run left playing, "goodbye" (under 1 s) waits behind the rest of it (~10 s here).
    expect(stepsAfter[1]?.payload.durationMs).toBeLessThan(5000);
    const stepsBefore = call.timeline.slice(0, adopted).filter((e) => e.type === 'ivr.step');
    expect(stepsBefore.map((e) => e.payload.stepId)).toEqual(['tag', 'hello']);
  });
});
