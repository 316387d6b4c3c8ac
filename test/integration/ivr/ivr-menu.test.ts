/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process running the shipped IVR flows
 * (a temp copy: open all hours, CRM on 127.0.0.1), SIPp callers pressing RFC 2833 keys from SIPp's own
 * pcaps, a SIPp UAS as the transfer target on the carrier trunk, and a tiny CRM HTTP server for the data dip.
 * Every main-menu path, timeouts and invalid keys, VIP priority from the dip, voicemail (the .wav in the
 * instance's spool), callback, transfer, survey, an unknown entry flow, and the timeline of each.
 *
 * All calls run at once (each its own SIPp process); each test checks one of them.
 * Debugging: IVR_ONLY=sales,vip places only those calls; IVR_DEBUG=1 prints each closed call's timeline.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import {
  eventually,
  getJson,
  newDataDir,
  type ServiceProcess,
  serviceEnv,
  spawnService,
  TEST_SECRET,
  waitHealthy,
  writeConfigFile,
} from '../harness/service.js';
import { type SippAgent, startSippAgent } from '../harness/sipp.js';
import {
  type CallerAction,
  type Interaction,
  type IvrCallerRun,
  interactionsOf,
  prepareFlowsDir,
  runIvrCaller,
  type SippOutcome,
  startCrm,
  stepOf,
  steps,
} from './ivr-harness.js';

const queue = (id: string) => ({ id, name: id, strategy: 'ring_all' });
const SETTINGS = {
  supervisorToken: TEST_SECRET,
  // The shipped main flow routes on it first.
  switches: [{ id: 'emergency-closure', name: 'Emergency closure' }],
  queues: [
    queue('sales'),
    queue('support'),
    queue('billing'),
    // Nobody answers it: after 2 s the caller is sent to leave a message, greeted with the queue's own
    // greeting and kept to 5 s.
    {
      ...queue('overflow'),
      maxWaitSeconds: 2,
      overflowTarget: { type: 'voicemail', mailbox: 'overflow-msgs', greeting: ['vm-intro'], maxSeconds: 5 },
    },
  ],
  routes: [
    { dialed: '100', flow: 'main' },
    { dialed: '500', flow: 'after-hours' },
    { dialed: '600', flow: 'transfer-out' },
    { dialed: '700', flow: 'csat-survey' },
    { dialed: '800', flow: 'no-such-flow' },
    { dialed: '900', queue: 'overflow' },
  ],
};

const TRANSFER_FLOW = `import { defineFlow, play, transfer } from '../src/ivr/index.js';

export default defineFlow({
  id: 'transfer-out',
  entry: 'hi',
  steps: {
    hi: play('hello', { next: 'out' }),
    out: transfer('5551234'),
  },
});
`;

const p = (ms: number): CallerAction => ({ pause: ms });
const k = (key: string): CallerAction => ({ key });

/** One SIPp caller per test, all placed at once in beforeAll. Times are from the answer. */
const CALLS = {
  // hello 0.8 s → language menu (interruptible) → key at 2 s → main menu → key at 4 s → queue
  sales: { caller: '+15550100001', dialed: '100', actions: [p(2000), k('1'), p(1700), k('1'), p(5000)] },
  vip: { caller: '+15550109999', dialed: '100', actions: [p(2000), k('2'), p(1700), k('2'), p(5000)] },
  // 9 is not an option: "invalid option" (3.2 s, not interruptible), the menu again, then 3
  invalid: {
    caller: '+15550100003',
    dialed: '100',
    actions: [p(2000), k('1'), p(1700), k('9'), p(4700), k('3'), p(5000)],
  },
  // CRM too slow (dip gives up at 1.5 s); no key at the language menu twice → English; then 2
  timeout: { caller: '+15550100004', dialed: '100', actions: [p(19_500), k('2'), p(4000)] },
  hangsUp: { caller: '+15550100010', dialed: '100', actions: [p(3000)] },
  // after-hours: "press 1 to leave a message" → vm-intro + beep → 7 s of speech → # ends it
  voicemail: {
    caller: '+15550100005',
    dialed: '500',
    actions: [p(5500), k('1'), p(6700), { speak: true }, p(8000), k('#')],
    waitsForBye: true,
  },
  // after-hours: 2 = callback; the number is read back; 1 = correct
  callback: {
    caller: '+15550100006',
    dialed: '500',
    actions: [p(5500), k('2'), p(2700), k('1')],
    waitsForBye: true,
  },
  // a queue nobody answers: max wait 2 s → vm-intro + beep → 5 s of speech and silence, cut at the queue's 5 s → #
  queueVoicemail: {
    caller: '+15550100011',
    dialed: '900',
    actions: [p(9000), { speak: true }, p(6000), k('#')],
    waitsForBye: true,
  },
  transfer: { caller: '+15550100007', dialed: '600', actions: [p(6000)] },
  survey: { caller: '+15550100008', dialed: '700', actions: [p(2000), k('4')], waitsForBye: true },
  noFlow: { caller: '+15550100009', dialed: '800', actions: [], waitsForBye: true },
} satisfies Record<
  string,
  { caller: string; dialed: string; actions: CallerAction[]; waitsForBye?: boolean }
>;
type CallName = keyof typeof CALLS;

let asterisk: AsteriskSandbox;
let service: ServiceProcess;
let crm: Awaited<ReturnType<typeof startCrm>>;
let transferTarget: SippAgent;
const runs = new Map<CallName, Promise<SippOutcome>>();

beforeAll(async () => {
  crm = await startCrm((caller) => {
    if (caller === CALLS.vip.caller)
      return { status: 200, body: { vip: true, name: 'Ada Lovelace', accountId: 'A-1' } };
    if (caller === CALLS.timeout.caller) return { status: 200, body: { vip: true }, delayMs: 3000 };
    return { status: 404 };
  });
  const flowsDir = prepareFlowsDir(crm.base);
  writeFileSync(join(flowsDir, 'transfer-out.ts'), TRANSFER_FLOW);
  const dataDir = newDataDir();
  // Asterisk's recording spool is this folder, so the service serves the voicemails it records.
  const recordingsDir = join(dataDir, 'recordings');
  asterisk = await startAsterisk(testConfig(), 'ivr-menu', { recordingsDir });
  // The carrier trunk's contact is 127.0.0.1:5070: a transfer to any number rings this UAS.
  transferTarget = startSippAgent({ port: 5070, scenario: 'agent-answers' });
  service = spawnService(
    serviceEnv(dataDir, {
      CC_CONFIG: writeConfigFile(dataDir, SETTINGS),
      CC_FLOWS_DIR: flowsDir,
      CC_RECORDINGS_DIR: recordingsDir,
    }),
  );
  await waitHealthy(service.baseUrl);
  const flows = await getJson<{ files: { flowId?: string; ok: boolean; errors: string[] }[] }>(
    `${service.baseUrl}/api/flows`,
  );
  expect(flows.body.files.filter((f) => !f.ok)).toEqual([]);
  const only = process.env.IVR_ONLY?.split(',');
  for (const [name, c] of Object.entries(CALLS) as [CallName, (typeof CALLS)[CallName]][]) {
    if (only && !only.includes(name)) continue;
    const run: IvrCallerRun = {
      scenario: 'waitsForBye' in c && c.waitsForBye ? 'ivr-caller' : 'ivr-caller-hangs-up',
      caller: c.caller,
      dialed: c.dialed,
      actions: c.actions,
    };
    runs.set(name, runIvrCaller(run));
  }
});

afterAll(async () => {
  await Promise.allSettled(runs.values());
  await transferTarget?.stop();
  await service?.stop();
  await asterisk?.stop();
  await crm?.close();
});

/** Waits for the caller's SIPp to finish and their interaction to close; returns it with its timeline. */
async function finished(name: CallName): Promise<Interaction> {
  const outcome = await runs.get(name)!;
  expect(outcome, outcome.stderr).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
  return eventually(
    async () => {
      const [row] = await interactionsOf(service.baseUrl, CALLS[name].caller);
      if (row?.state === 'closed' && process.env.IVR_DEBUG)
        console.log(name, JSON.stringify(row.timeline.map((e) => [e.at.slice(17), e.type, e.payload])));
      return row?.state === 'closed' ? row : undefined;
    },
    `the ${name} call to close`,
    30_000,
  );
}

const payloadOf = (i: Interaction, type: string) => i.timeline.find((e) => e.type === type)?.payload;
const MAIN_PATH = ['emergency', 'hours', 'identify', 'vipLookup', 'welcome', 'language'];

describe('IVR flows on a real Asterisk with SIPp callers', () => {
  it('1 for English, 1 for sales: the sales queue at normal priority, with the caller data and the path', async () => {
    const call = await finished('sales');
    expect(call.ivrPath).toEqual([...MAIN_PATH, 'english', 'mainMenu', 'sales']);
    expect(call.queueId).toBe('sales');
    expect(payloadOf(call, 'acd.enqueued')).toMatchObject({ queueId: 'sales', priority: 0 });
    expect(call.callerData).toMatchObject({ language: 'en', menuChoice: '1' });
    expect(stepOf(call, 'vipLookup')?.payload).toMatchObject({ outcome: 'fallback' });
    expect(stepOf(call, 'language')?.payload).toMatchObject({ outcome: 'option', detail: { key: '1' } });
    expect(stepOf(call, 'mainMenu')?.payload).toMatchObject({ outcome: 'option', next: 'sales' });
    // Every step is on the timeline, in order, with the flow version; the path ends the IVR part.
    expect(steps(call).map((e) => e.payload.stepId)).toEqual(call.ivrPath);
    expect(new Set(steps(call).map((e) => e.payload.flowVersion)).size).toBe(1);
    expect(payloadOf(call, 'ivr.end')).toMatchObject({
      flowId: 'main',
      action: { type: 'queue', queueId: 'sales' },
    });
    const types = call.timeline.map((e) => e.type);
    expect(types.indexOf('ivr.end')).toBeLessThan(types.indexOf('acd.enqueued'));
    expect(call).toMatchObject({ disposition: 'abandoned', endedBy: 'caller' });
    expect(crm.asked).toContain(CALLS.sales.caller);
  });

  it('a VIP from the CRM (Spanish, support) waits in support at priority 10, with the CRM data for the screen pop', async () => {
    const call = await finished('vip');
    expect(call.ivrPath).toEqual([...MAIN_PATH, 'spanish', 'mainMenu', 'support']);
    expect(payloadOf(call, 'acd.enqueued')).toMatchObject({ queueId: 'support', priority: 10 });
    expect(call.callerData).toMatchObject({
      vip: true,
      customerName: 'Ada Lovelace',
      accountId: 'A-1',
      language: 'es',
      menuChoice: '2',
    });
    expect(stepOf(call, 'vipLookup')?.payload).toMatchObject({ outcome: 'ok', detail: { status: 200 } });
    // From the language step on, Asterisk speaks Spanish to them (ivr/ivr-language has what it played).
    expect(stepOf(call, 'spanish')?.payload).toMatchObject({ kind: 'language', detail: { language: 'es' } });
  });

  it('an invalid key plays "invalid option" and the menu again; the next key counts', async () => {
    const call = await finished('invalid');
    expect(call.ivrPath).toEqual([...MAIN_PATH, 'english', 'mainMenu', 'billing']);
    expect(stepOf(call, 'mainMenu')?.payload).toMatchObject({
      outcome: 'option',
      detail: { key: '3', attempts: 2, failed: ['invalid:9'] },
    });
    const prompts = call.timeline.filter((e) => e.type === 'ivr.prompt.started').map((e) => e.payload.media);
    expect(prompts).toContainEqual(['sound:pm-invalid-option']);
    expect(payloadOf(call, 'acd.enqueued')).toMatchObject({ queueId: 'billing', priority: 0 });
  });

  it('a slow CRM and no key at the language menu: the dip gives up, English after two timeouts', async () => {
    const call = await finished('timeout');
    expect(stepOf(call, 'vipLookup')?.payload).toMatchObject({
      outcome: 'fallback',
      detail: { reason: 'timeout after 1500 ms' },
    });
    expect(stepOf(call, 'language')?.payload).toMatchObject({
      outcome: 'failed',
      next: 'english',
      detail: { failed: ['timeout', 'timeout'] },
    });
    expect(call.ivrPath).toEqual([...MAIN_PATH, 'english', 'mainMenu', 'support']);
    expect(call.callerData).toMatchObject({ language: 'en', menuChoice: '2' });
    expect(call.callerData.vip).toBeUndefined();
    expect(payloadOf(call, 'acd.enqueued')).toMatchObject({ queueId: 'support', priority: 0 });
  });

  it('a caller who hangs up in the language menu: the step says so, nothing is queued', async () => {
    const call = await finished('hangsUp');
    expect(call.ivrPath).toEqual(MAIN_PATH);
    expect(stepOf(call, 'language')?.payload).toMatchObject({ outcome: 'caller-hung-up' });
    expect(payloadOf(call, 'ivr.end')).toMatchObject({
      action: { type: 'caller-hung-up', atStep: 'language' },
    });
    expect(payloadOf(call, 'acd.enqueued')).toBeUndefined();
    expect(call).toMatchObject({ disposition: 'caller-hangup', endedBy: 'caller' });
  });

  it('after hours, 1: the message is recorded, stored as a .wav and opened as a voicemail interaction', async () => {
    const call = await finished('voicemail');
    expect(call.ivrPath).toEqual(['closedMessage', 'withCallerId', 'choice', 'message']);
    expect(stepOf(call, 'message')?.payload).toMatchObject({
      outcome: 'recorded',
      detail: { endedBy: 'terminator' },
    });
    const left = payloadOf(call, 'voicemail.recorded')!;
    expect(left).toMatchObject({ mailbox: 'after-hours' });
    expect(call.recording).toBe(left.path);
    expect(call).toMatchObject({ endedBy: 'system' });
    // The recording: 7 s of speech plus a little silence, 8 kHz 16-bit.
    const file = asterisk.hostPath('spool', 'recording', call.recording!);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).size).toBeGreaterThan(50_000);
    expect(left.durationMs as number).toBeGreaterThan(5000);
    // The message to work later: its own interaction, open, linked both ways.
    const [vm] = await interactionsOf(service.baseUrl, CALLS.voicemail.caller, 'voicemail');
    expect(vm).toMatchObject({
      id: left.voicemailInteractionId,
      direction: 'voicemail',
      state: 'open',
      disposition: 'voicemail',
      recording: call.recording,
      dialedNumber: '500',
      ivrPath: call.ivrPath,
    });
    expect(payloadOf(vm!, 'voicemail.recorded')).toMatchObject({ callInteractionId: call.id });
    const open = await getJson<{ items: { id: string }[] }>(
      `${service.baseUrl}/api/interactions?direction=voicemail&state=open`,
    );
    expect(open.body.items.map((i) => i.id)).toContain(vm!.id);
    // Playable through the API: the same bytes, as audio.
    const played = await fetch(`${service.baseUrl}/api/interactions/${vm!.id}/recording`, {
      headers: { authorization: `Bearer ${TEST_SECRET}` },
    });
    expect(played.status).toBe(200);
    expect(played.headers.get('content-type')).toBe('audio/wav');
    const bytes = Buffer.from(await played.arrayBuffer());
    expect(bytes.length).toBe(statSync(file).size);
    // Worked later: a call is refused, the voicemail closes once with the code and notes.
    const close = (id: string, body: unknown) =>
      fetch(`${service.baseUrl}/api/interactions/${id}/close`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_SECRET}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    expect(await close(call.id, { code: 'resolved' })).toMatchObject({
      status: 409,
      body: { code: 'NOT_A_VOICEMAIL' },
    });
    expect(await close(vm!.id, { code: 'resolved', notes: 'Called back, sorted' })).toMatchObject({
      status: 200,
    });
    expect(await close(vm!.id, { code: 'resolved' })).toMatchObject({
      status: 409,
      body: { code: 'ALREADY_CLOSED' },
    });
    const [worked] = await interactionsOf(service.baseUrl, CALLS.voicemail.caller, 'voicemail');
    expect(worked).toMatchObject({ state: 'closed', wrapUpCode: 'resolved', notes: 'Called back, sorted' });
    expect(payloadOf(worked!, 'voicemail.worked')).toMatchObject({ code: 'resolved' });
  });

  it('a queue whose max wait sends callers to voicemail: the caller leaves a message, kept as a voicemail', async () => {
    const call = await finished('queueVoicemail');
    expect(payloadOf(call, 'acd.overflowed')).toMatchObject({
      fromQueueId: 'overflow',
      target: { type: 'voicemail', mailbox: 'overflow-msgs', greeting: ['vm-intro'], maxSeconds: 5 },
      reason: 'max_wait',
    });
    // The flow built from the queue's settings, named so a restart would rebuild the same.
    expect(payloadOf(call, 'ivr.started')).toEqual({
      flowId: 'queue-voicemail',
      flowVersion: 'builtin?mailbox=overflow-msgs&greeting=vm-intro&maxSeconds=5',
    });
    const left = payloadOf(call, 'voicemail.recorded')!;
    expect(left).toMatchObject({ mailbox: 'overflow-msgs' });
    // The caller kept on ~7 s until '#': the queue's longest message cut it at 5 s.
    expect(left.durationMs as number).toBeGreaterThan(3000);
    expect(left.durationMs as number).toBeLessThan(5600);
    expect(payloadOf(call, 'ivr.step')).toMatchObject({ kind: 'voicemail', detail: { endedBy: 'max' } });
    expect(call.recording).toBe(left.path);
    expect(statSync(asterisk.hostPath('spool', 'recording', call.recording!)).size).toBeGreaterThan(30_000);
    const [vm] = await interactionsOf(service.baseUrl, CALLS.queueVoicemail.caller, 'voicemail');
    expect(vm).toMatchObject({
      id: left.voicemailInteractionId,
      direction: 'voicemail',
      state: 'open',
      recording: call.recording,
      dialedNumber: '900',
    });
  });

  it('after hours, 2 then 1: the caller is kept in the support queue as a callback and hung up', async () => {
    const call = await finished('callback');
    expect(call.ivrPath).toEqual(['closedMessage', 'withCallerId', 'choice', 'callMeBack']);
    expect(payloadOf(call, 'ivr.end')).toMatchObject({
      action: { type: 'callback', number: '15550100006', queueId: 'support' },
    });
    expect(call.callerData).toMatchObject({ callbackNumber: '15550100006' });
    expect(payloadOf(call, 'acd.enqueued')).toMatchObject({ queueId: 'support' });
    expect(call.endedBy).toBe('system');
    const stats = await getJson<{ callbacksWaiting: number }>(`${service.baseUrl}/api/queues/support/stats`);
    expect(stats.body.callbacksWaiting).toBeGreaterThanOrEqual(1);
  });

  it('a transfer dials the number on the carrier trunk and bridges the caller to it', async () => {
    const call = await finished('transfer');
    const transfer = call.timeline.filter((e) => e.type === 'ivr.transfer').map((e) => e.payload);
    expect(transfer.map((t) => t.step)).toEqual(['dialing', 'connected', 'ended']);
    expect(transfer[0]).toMatchObject({ number: '5551234' });
    expect(transfer[2]).toMatchObject({ reason: 'caller hung up' });
    expect(call).toMatchObject({ endedBy: 'caller' });
  });

  it('the survey stores the score as csat', async () => {
    const call = await finished('survey');
    expect(call.csat).toBe(4);
    expect(payloadOf(call, 'survey.result')).toMatchObject({ flowId: 'csat-survey', score: 4 });
    expect(call.callerData).toMatchObject({ csat: 4 });
    expect(call.endedBy).toBe('system');
  });

  it('a route to a flow that is not loaded: apology, call.error, hang-up — never silence', async () => {
    const call = await finished('noFlow');
    expect(payloadOf(call, 'call.error')).toMatchObject({ operation: 'ivr', code: 'FLOW_NOT_LOADED' });
    const played = call.timeline.find((e) => e.type === 'ivr.prompt.finished')?.payload;
    expect(played).toMatchObject({
      media: ['sound:im-sorry', 'sound:please-try-call-later', 'sound:goodbye'],
      outcome: 'done',
    });
    expect(call).toMatchObject({ endedBy: 'system', disposition: 'completed' });
  });

  it('a supervisor turns the emergency closure on: the next caller to main gets the after-hours choices, told why', async () => {
    await Promise.allSettled(runs.values()); // the other callers came in with it off
    const set = (on: boolean) =>
      fetch(`${service.baseUrl}/api/switches/emergency-closure`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TEST_SECRET}`, 'content-type': 'application/json' },
        body: JSON.stringify({ on }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { on: boolean } }));
    expect(await set(true)).toMatchObject({ status: 200, body: { on: true } });
    const caller = '+15550100012';
    const outcome = await runIvrCaller({
      scenario: 'ivr-caller-hangs-up',
      caller,
      dialed: '100',
      actions: [p(3000)],
    });
    expect(outcome, outcome.stderr).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const call = await eventually(
      async () => {
        const [row] = await interactionsOf(service.baseUrl, caller);
        return row?.state === 'closed' ? row : undefined;
      },
      'the call during the closure to close',
      30_000,
    );
    expect(call.ivrPath.slice(0, 4)).toEqual([
      'emergency',
      'emergencyClosed',
      'afterHours',
      'after-hours:closedMessage',
    ]);
    expect(call.ivrPath).not.toContain('hours');
    expect(stepOf(call, 'emergency')?.payload).toMatchObject({
      outcome: 'on',
      detail: { switch: 'emergency-closure' },
    });
    expect(call.callerData).toMatchObject({ closedReason: 'emergency' });
    expect(payloadOf(call, 'acd.enqueued')).toBeUndefined();
    expect(await set(false)).toMatchObject({ status: 200, body: { on: false } });
  });
});
