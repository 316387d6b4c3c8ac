/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process (stopped and started again on
 * the same database), and a SIPp caller on the carrier trunk pressing an RFC 2833 key. A caller who is in
 * an IVR menu when the service restarts is not cut off: the new run carries the call on at the menu
 * (heard again), in the version of the flow it was in though the file was edited meanwhile (from the flow
 * archive), with the caller data gathered before the restart, and the key pressed afterwards takes the
 * caller on through the flow to its end. A caller leaving a message when the service restarts goes on
 * being recorded into the same file (not greeted again), and the message is stored; one who hangs up while
 * the service is away has their message kept all the same; and a caller the IVR transferred out to a number
 * talks on with the far end through a restart, or, the far end still ringing at the restart, is connected
 * when it answers.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
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
import { type SippAgent, startSippAgent } from '../harness/sipp.js';

const ARI_AUTH = `Basic ${Buffer.from(`contact-center:${TEST_SECRET}`).toString('base64')}`;

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

/** A message left through a restart; a long silence limit, as SIPp's caller sends no audio between its words. */
const MESSAGE_FLOW = `import { defineFlow, voicemail } from '../src/ivr/index.js';

export default defineFlow({
  id: 'message-demo',
  entry: 'message',
  steps: {
    message: voicemail({ mailbox: 'sales', silenceSeconds: 60, maxSeconds: 90, thanks: 'vm-goodbye' }),
  },
});
`;

/** Transferred out to a number on the carrier trunk (a SIPp UAS on the carrier's address answers). */
const TRANSFER_FLOW = `import { defineFlow, transfer } from '../src/ivr/index.js';

export default defineFlow({ id: 'transfer-demo', entry: 'out', steps: { out: transfer('5551234') } });
`;

const SETTINGS = {
  supervisorToken: TEST_SECRET,
  queues: [
    { id: 'sales', name: 'Sales', strategy: 'ring_all' },
    // Nobody answers it: after 1 s the caller is sent to leave a message.
    {
      id: 'overflow',
      name: 'Overflow',
      strategy: 'ring_all',
      maxWaitSeconds: 1,
      overflowTarget: { type: 'voicemail', mailbox: 'overflow-msgs' },
    },
  ],
  routes: [
    { dialed: '100', flow: 'restart-demo' },
    { dialed: '200', flow: 'message-demo' },
    { dialed: '300', flow: 'transfer-demo' },
    { dialed: '400', queue: 'overflow' },
  ],
};
const CALLER = '+15550177001';

let asterisk: AsteriskSandbox;
let service: ServiceProcess;
const dataDir = newDataDir();
const flowsDir = mkdtempSync(join(tmpdir(), 'cc-flows-restart-'));
// Asterisk's recording spool is this folder, as in a deployment: the service measures messages there.
const recordingsDir = join(dataDir, 'recordings');
const env = { CC_FLOWS_DIR: flowsDir, CC_RECORDINGS_DIR: recordingsDir };

beforeAll(async () => {
  writeFileSync(join(flowsDir, 'restart-demo.ts'), FLOW);
  writeFileSync(join(flowsDir, 'message-demo.ts'), MESSAGE_FLOW);
  writeFileSync(join(flowsDir, 'transfer-demo.ts'), TRANSFER_FLOW);
  asterisk = await startAsterisk(testConfig(), 'ivr-restart', { recordingsDir });
  service = await startService(SETTINGS, env, dataDir);
});

afterAll(async () => {
  await service?.stop();
  await asterisk?.stop();
});

/**
 * A caller the IVR transferred out, taken over by the new run for `reason`, hung up themselves: the transfer
 * went dialing → connected → ended with nothing lost, and the far end was let go with the new run's BYE.
 */
async function transferEndedByCaller(
  caller: string,
  run: Promise<SippOutcome>,
  farEnd: SippAgent,
  reason: string,
  /** The transfer's steps on the record; and the calls the far end took (one dialled again: two). */
  expected: { steps: string[]; farEndCalls: number } = {
    steps: ['dialing', 'connected', 'ended'],
    farEndCalls: 1,
  },
): Promise<void> {
  const outcome = await run;
  expect(outcome.successful, `SIPp: ${outcome.stderr}`).toBe(1);
  const call = await eventually(async () => {
    const [c] = await interactionsOf(service.baseUrl, caller);
    return c?.state === 'closed' ? c : undefined;
  }, 'the call to close');
  const types = call.timeline.map((e) => e.type);
  expect(types).not.toContain('interaction.lost');
  expect(types).not.toContain('call.error');
  expect(call.timeline.find((e) => e.type === 'call.adopted')?.payload).toEqual({ reason });
  const steps = call.timeline.filter((e) => e.type === 'ivr.transfer').map((e) => e.payload);
  expect(steps.map((t) => t.step)).toEqual(expected.steps);
  expect(steps.at(-1)).toMatchObject({ reason: 'caller hung up' });
  expect(call).toMatchObject({ endedBy: 'caller' });
  await eventually(
    async () =>
      (await asterisk.cli('core show channels count')).includes('0 active channels') ? true : undefined,
    'no channel left',
  );
  expect(await farEnd.stop()).toMatchObject({ successful: expected.farEndCalls, failed: 0 });
}

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

  /** The call's timeline once the caller's message has been named (the voicemail step is recording). */
  async function recordingStarted(caller: string): Promise<string> {
    return eventually(async () => {
      const [call] = await interactionsOf(service.baseUrl, caller);
      const named = call?.timeline.find((e) => e.type === 'ivr.recording.started');
      return named ? String(named.payload.recordingName) : undefined;
    }, 'the message to start recording');
  }

  /**
   * A caller who speaks after the greeting and beep (the pause first), across a restart of the service
   * started once the message is recording, then presses #: the message's name and the closed call.
   */
  async function messageThroughRestart(caller: string, dialed: string, pauseMs: number, thenMs: number) {
    const run = runIvrCaller({
      scenario: 'ivr-caller',
      caller,
      dialed,
      actions: [{ pause: pauseMs }, { speak: true }, { pause: thenMs }, { key: '#' }],
      timeoutSeconds: 60,
    });
    const name = await recordingStarted(caller);
    await service.stop();
    service = await startService(SETTINGS, env, dataDir);
    const outcome = await run;
    expect(outcome.successful, `SIPp: ${outcome.stderr}`).toBe(1); // the service's BYE after the thanks
    const [call] = await interactionsOf(service.baseUrl, caller);
    return { name, call: call!, types: call!.timeline.map((e) => e.type) };
  }

  it('goes on recording the message a caller is leaving: one recording, no second greeting, then stored', async () => {
    const caller = '+15550177002';
    // ~7 s of speech from 6 s after the answer (after the greeting and beep), across the restart; # at 24 s.
    const { name, call, types } = await messageThroughRestart(caller, '200', 6000, 18_000);
    expect(call).toMatchObject({ state: 'closed', disposition: 'completed', recording: `${name}.wav` });
    expect(types.filter((t) => t === 'ivr.recording.started')).toHaveLength(1); // not started again
    expect(types).not.toContain('interaction.lost');
    const adopted = call.timeline.find((e) => e.type === 'call.adopted');
    expect(adopted?.payload).toMatchObject({ stepId: 'message', recordingUnderWay: name });
    const step = call.timeline.find((e) => e.type === 'ivr.step');
    expect(step?.payload).toMatchObject({
      stepId: 'message',
      outcome: 'recorded',
      detail: { recordingId: name, endedBy: 'terminator', resumedAfterRestart: true },
    });
    // The greeting is not played again after the restart: the only prompt started is the thanks.
    const promptsAfter = call.timeline
      .slice(call.timeline.indexOf(adopted!))
      .filter((e) => e.type === 'ivr.prompt.started');
    expect(promptsAfter.map((e) => e.payload.media)).toEqual([['sound:vm-goodbye']]);
    // One file holds the whole message: the speech (~7 s of 8 kHz 16-bit audio) went on being recorded.
    const file = asterisk.hostPath('spool', 'recording', `${name}.wav`);
    expect(statSync(file).size).toBeGreaterThan(50_000);
    const left = call.timeline.find((e) => e.type === 'voicemail.recorded')?.payload;
    expect(left).toMatchObject({ recordingId: name, mailbox: 'sales' });
    const [message] = await interactionsOf(service.baseUrl, caller, 'voicemail');
    expect(message).toMatchObject({
      id: left?.voicemailInteractionId,
      state: 'open',
      recording: `${name}.wav`,
    });
  });

  it('goes on recording the message of a caller a queue sent to voicemail, in its mailbox', async () => {
    const caller = '+15550177005';
    // 1 s in the queue, the greeting and beep, ~7 s of speech across the restart, then #.
    const { name, call, types } = await messageThroughRestart(caller, '400', 7000, 8000);
    expect(call).toMatchObject({ state: 'closed', recording: `${name}.wav` });
    expect(types.filter((t) => t === 'ivr.recording.started')).toHaveLength(1);
    expect(types).not.toContain('interaction.lost');
    expect(types.filter((t) => t === 'acd.enqueued')).toHaveLength(1); // not put back in line
    expect(call.timeline.find((e) => e.type === 'call.adopted')?.payload).toMatchObject({
      recordingUnderWay: name,
    });
    const left = call.timeline.find((e) => e.type === 'voicemail.recorded')?.payload;
    expect(left).toMatchObject({ recordingId: name, mailbox: 'overflow-msgs' });
    const [message] = await interactionsOf(service.baseUrl, caller, 'voicemail');
    expect(message).toMatchObject({
      id: left?.voicemailInteractionId,
      state: 'open',
      recording: `${name}.wav`,
    });
  });

  it('keeps the message of a caller who hung up while the service was away', async () => {
    const caller = '+15550177003';
    const run = runIvrCaller({
      scenario: 'ivr-caller-hangs-up',
      caller,
      dialed: '200',
      // Speech from 9 s after the answer: the greeting and beep take 4-5 s, and up to 9 on a saturated machine
      // (the speech before the beep is not recorded, and the length is checked below).
      actions: [{ pause: 9000 }, { speak: true }, { pause: 8000 }],
      timeoutSeconds: 60,
    });
    const name = await recordingStarted(caller);
    await service.stop();
    const outcome = await run; // the caller spoke and hung up while no service ran
    expect(outcome.successful, `SIPp: ${outcome.stderr}`).toBe(1);
    service = await startService(SETTINGS, env, dataDir);
    const [call] = await eventually(async () => {
      const calls = await interactionsOf(service.baseUrl, caller);
      return calls[0]?.state === 'closed' ? calls : undefined;
    }, 'the call to be closed by the new run');
    expect(call).toMatchObject({ disposition: 'lost', recording: `${name}.wav` });
    const left = call!.timeline.find((e) => e.type === 'voicemail.recorded')?.payload;
    expect(left).toMatchObject({ recordingId: name, endedBy: 'unobserved', mailbox: 'sales' });
    // Its length from the file: the ~7 s of speech.
    expect(left?.durationMs).toBeGreaterThan(5000);
    expect(left?.durationMs).toBeLessThan(30_000);
    const [message] = await interactionsOf(service.baseUrl, caller, 'voicemail');
    expect(message).toMatchObject({
      id: left?.voicemailInteractionId,
      direction: 'voicemail',
      state: 'open',
      recording: `${name}.wav`,
    });
    expect(statSync(asterisk.hostPath('spool', 'recording', `${name}.wav`)).size).toBeGreaterThan(50_000);
  });

  it('carries on a caller the IVR transferred out: they talk on with the far end until one hangs up', async () => {
    const caller = '+15550177004';
    // The carrier's address: the far end answers and stays on until it gets a BYE.
    const farEnd = startSippAgent({ port: 5070, scenario: 'agent-answers' });
    try {
      const run = runIvrCaller({
        scenario: 'ivr-caller-hangs-up',
        caller,
        dialed: '300',
        actions: [{ pause: 15_000 }],
        timeoutSeconds: 60,
      });
      await eventually(async () => {
        const [call] = await interactionsOf(service.baseUrl, caller);
        return call?.timeline.some((e) => e.type === 'ivr.transfer' && e.payload.step === 'connected')
          ? true
          : undefined;
      }, 'the transfer to connect');
      await service.stop();
      service = await startService(SETTINGS, env, dataDir);
      // The caller hangs up itself 15 s in: no BYE from either run before that.
      await transferEndedByCaller(
        caller,
        run,
        farEnd,
        'the service restarted while the IVR had the caller transferred out',
      );
    } finally {
      await farEnd.stop();
    }
  });

  it('connects a caller the IVR was transferring out when the far end answers after the restart', async () => {
    const caller = '+15550177005';
    // The carrier's address: the far end rings 15 s (past the restart, which took 10 s in a loaded full
    // run), answers, and stays on until it gets a BYE.
    const farEnd = startSippAgent({ port: 5070, scenario: 'callee-rings-then-answers', pauseMs: 15_000 });
    try {
      const run = runIvrCaller({
        scenario: 'ivr-caller-hangs-up',
        caller,
        dialed: '300',
        actions: [{ pause: 25_000 }],
        timeoutSeconds: 60,
      });
      const dialling = await eventually(async () => {
        const [call] = await interactionsOf(service.baseUrl, caller);
        return call?.timeline.find((e) => e.type === 'ivr.transfer' && e.payload.step === 'dialing');
      }, 'the transfer to dial');
      expect(dialling.payload).toMatchObject({ number: '5551234', ringSeconds: 30 });
      await service.stop();
      service = await startService(SETTINGS, env, dataDir);
      // Still ringing when the new run took it over: the answer comes to the new run.
      const connected = await eventually(async () => {
        const [c] = await interactionsOf(service.baseUrl, caller);
        return c?.timeline.find((e) => e.type === 'ivr.transfer' && e.payload.step === 'connected');
      }, 'the transfer to connect after the restart');
      expect(connected.payload.channelId).toBe(dialling.payload.channelId);
      // The caller hangs up itself 25 s in.
      await transferEndedByCaller(
        caller,
        run,
        farEnd,
        'the service restarted while the IVR was transferring the caller out',
      );
    } finally {
      await farEnd.stop();
    }
  });

  it('dials the far end again when it answered while the service was down (Asterisk dropped that leg), rather than drop the caller', async () => {
    const caller = '+15550177006';
    // The far end rings 2 s and answers: while the service is down below, Asterisk has no application to
    // hand the answered leg to and hangs it up.
    const farEnd = startSippAgent({ port: 5070, scenario: 'callee-rings-then-answers', pauseMs: 2_000 });
    try {
      const run = runIvrCaller({
        scenario: 'ivr-caller-hangs-up',
        caller,
        dialed: '300',
        actions: [{ pause: 25_000 }],
        timeoutSeconds: 60,
      });
      const dialling = await eventually(async () => {
        const [call] = await interactionsOf(service.baseUrl, caller);
        return call?.timeline.find((e) => e.type === 'ivr.transfer' && e.payload.step === 'dialing');
      }, 'the transfer to dial');
      await service.stop();
      const legId = String(dialling.payload.channelId);
      await eventually(async () => {
        const leg = await fetch(`http://127.0.0.1:8088/ari/channels/${legId}`, {
          headers: { authorization: ARI_AUTH },
        });
        return leg.status === 404 ? true : undefined;
      }, 'Asterisk to drop the leg answered while the service was down');
      service = await startService(SETTINGS, env, dataDir);
      const connected = await eventually(async () => {
        const [c] = await interactionsOf(service.baseUrl, caller);
        return c?.timeline.find((e) => e.type === 'ivr.transfer' && e.payload.step === 'connected');
      }, 'the transfer dialled again to connect');
      expect(connected.payload.channelId).not.toBe(legId);
      await transferEndedByCaller(
        caller,
        run,
        farEnd,
        'the service restarted while the IVR was transferring the caller out, and the far end was lost meanwhile (it answered or gave up while no run could take it): dialled again',
        { steps: ['dialing', 'dialing', 'connected', 'ended'], farEndCalls: 2 },
      );
    } finally {
      await farEnd.stop();
    }
  });
});
