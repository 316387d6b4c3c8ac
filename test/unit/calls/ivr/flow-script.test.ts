/**
 * The IVR call script with fakes: a real CallSession and InteractionLog (SQLite in memory) over a fake
 * telephony that finishes prompts, reports keys and recordings and ends the channel on hang-up; a fake
 * ACD. Flows are built in code (version `dev`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CallSession } from '../../../../src/calls/call-session.js';
import {
  type FlowResume,
  type IvrDeps,
  keepMessageLeftWhileAway,
  resumeFlowScript,
  runFlowScript,
  withBuiltInFlows,
  queueVoicemailFlow,
  queueVoicemailSettingsOf,
} from '../../../../src/calls/ivr/flow-script.js';
import { NumberPlan } from '../../../../src/calls/number-plan.js';
import { wavDurationMs } from '../../../../src/calls/wav-duration.js';
import { pcmWav } from '../../../integration/harness/wav.js';
import {
  callback,
  defineFlow,
  QUEUE_VOICEMAIL_FLOW_ID,
  type Flow,
  hangup,
  menu,
  play,
  queue,
  setData,
  survey,
  transfer,
  voicemail,
  withVersion,
} from '../../../../src/ivr/index.js';
import { migrateToLatest, openDatabase } from '../../../../src/store/database.js';
import { InteractionLog } from '../../../../src/store/interaction-log.js';
import { AriRequestError } from '../../../../src/telephony/ari/rest.js';
import type { Telephony, TelephonyEvent } from '../../../../src/telephony/telephony.js';

const CALLER = '+15551234567';

class FakeTelephony extends EventEmitter {
  session!: CallSession;
  played: string[][] = [];
  hungUp = 0;
  /** Keys the "caller" presses when the next prompt starts. */
  keysOnNextPrompt: string[] = [];
  recordingSeconds = 4;
  liveRecordings = new Map<string, number>();
  stoppedRecordings: string[] = [];
  recordCalls = 0;
  private deliver(e: TelephonyEvent) {
    setImmediate(() => {
      this.session.onTelephonyEvent(e);
      this.emit('event', e);
    });
  }
  ari = {
    answer: async () => undefined,
    play: async (_id: string, media: string[], playbackId: string) => {
      this.played.push(media);
      const key = this.keysOnNextPrompt.shift();
      // Several characters: keyed one after another (a number typed in).
      if (key !== undefined)
        for (const digit of key) this.deliver({ type: 'dtmf', at: Date.now(), channelId: 'chan-1', digit });
      else this.deliver({ type: 'playback.finished', at: Date.now(), playbackId, failed: false });
      return { id: playbackId };
    },
    stopPlayback: async (playbackId: string) => {
      this.deliver({ type: 'playback.finished', at: Date.now(), playbackId, failed: false });
    },
    hangup: async () => {
      this.hungUp++;
      this.deliver({
        type: 'channel.ended',
        at: Date.now(),
        channelId: 'chan-1',
        cause: 16,
        causeText: 'Normal',
      });
    },
    recordChannel: async (_id: string, opts: { name: string }) => {
      this.recordCalls++;
      this.deliver({
        type: 'recording.finished',
        at: Date.now(),
        name: opts.name,
        failed: false,
        durationSeconds: this.recordingSeconds,
      });
      return {};
    },
    stopLiveRecording: async (name: string) => {
      this.stoppedRecordings.push(name);
    },
    /** A recording Asterisk is still making: it finishes right after being asked about. */
    getLiveRecording: async (name: string) => {
      const seconds = this.liveRecordings.get(name);
      if (seconds === undefined)
        throw new AriRequestError('GET', `/recordings/live/${name}`, 404, 'not found');
      this.deliver({
        type: 'recording.finished',
        at: Date.now(),
        name,
        failed: false,
        durationSeconds: seconds + 5,
      });
      return { duration: seconds };
    },
    startMoh: async () => undefined,
    stopMoh: async () => undefined,
  };
}

let log: InteractionLog;
let telephony: FakeTelephony;
let session: CallSession;
let acd: {
  hub: { publish: ReturnType<typeof vi.fn> };
  enqueueArriving: ReturnType<typeof vi.fn>;
  input: ReturnType<typeof vi.fn>;
  digit: ReturnType<typeof vi.fn>;
  numbers: NumberPlan;
};

beforeEach(async () => {
  const { db } = openDatabase(':memory:');
  await migrateToLatest(db);
  log = new InteractionLog(db);
  telephony = new FakeTelephony();
  const logger = pino({ level: 'silent' });
  session = new CallSession(
    'chan-1',
    'int-1',
    Date.now(),
    { telephony: telephony as unknown as Telephony, log, logger, now: Date.now },
    CALLER,
  );
  telephony.session = session;
  await log.open({
    id: 'int-1',
    direction: 'inbound',
    channelId: 'chan-1',
    callerNumber: CALLER,
    startedAt: Date.now(),
  });
  acd = {
    enqueueArriving: vi.fn(() => []),
    input: vi.fn(() => []),
    digit: vi.fn(),
    hub: { publish: vi.fn() },
    numbers: new NumberPlan({
      countryCode: '44',
      internationalPrefix: '00',
      trunkPrefix: '0',
      nationalNumberLengths: [9, 10],
    }),
  };
});

function deps(flows: Flow[]): IvrDeps {
  return {
    flows: { getFlow: (id) => flows.find((f) => f.id === id) },
    acd: acd as unknown as IvrDeps['acd'],
    telephony: telephony as unknown as Telephony,
    log,
    logger: pino({ level: 'silent' }),
    queueIds: () => new Set(['sales', 'support']),
  };
}

async function run(flows: Flow[], flowId: string) {
  await runFlowScript(session, deps(flows), { flowId, caller: CALLER, dialed: '100', trunk: 'carrier' });
  await session.enqueueWrite('flush', async () => undefined);
  const row = (await log.get('int-1'))!;
  const timeline = (await log.timeline('int-1')).map((e) => ({
    type: e.type,
    payload: JSON.parse(e.payload),
  }));
  return { row, timeline, types: timeline.map((e) => e.type) };
}

const MENU = defineFlow({
  id: 'm',
  entry: 'hi',
  steps: {
    hi: play('hello', { next: 'pick' }),
    pick: menu({ prompt: 'basic-pbx-ivr-main', options: { '1': 'tag' }, onFail: 'bye' }),
    tag: setData({ customer: 'Ada' }, { skills: { sales: 2 }, next: 'q' }),
    q: queue('sales', { priority: (ctx) => (ctx.data.customer === 'Ada' ? 7 : 0) }),
    bye: hangup('goodbye'),
  },
});

describe('runFlowScript', () => {
  it('answers, writes every step and the path, sets caller data, then enqueues with priority and skills', async () => {
    telephony.keysOnNextPrompt = [undefined as unknown as string, '1'];
    const { row, timeline, types } = await run([MENU], 'm');
    expect(timeline.find((e) => e.type === 'ivr.started')?.payload).toEqual({
      flowId: 'm',
      flowVersion: 'dev',
    });
    // data and skills are written as they grow (what a takeover after a restart carries on with)
    expect(timeline.find((e) => e.payload.stepId === 'tag')?.payload.skills).toEqual({ sales: 2 });
    expect(timeline.find((e) => e.payload.stepId === 'pick')?.payload.skills).toBeUndefined();
    expect(JSON.parse(row.ivr_path)).toEqual(['hi', 'pick', 'tag', 'q']);
    expect(JSON.parse(row.caller_data)).toEqual({ customer: 'Ada' });
    expect(timeline.filter((e) => e.type === 'ivr.step').map((e) => e.payload.stepId)).toEqual([
      'hi',
      'pick',
      'tag',
      'q',
    ]);
    expect(types.indexOf('call.answered')).toBeLessThan(types.indexOf('ivr.step'));
    expect(timeline.find((e) => e.type === 'ivr.end')?.payload).toMatchObject({
      flowId: 'm',
      flowVersion: 'dev',
      action: { type: 'queue', queueId: 'sales', priority: 7 },
      path: ['hi', 'pick', 'tag', 'q'],
    });
    expect(acd.enqueueArriving).toHaveBeenCalledWith(session, 'sales', { priority: 7, skills: { sales: 2 } });
    expect(telephony.hungUp).toBe(0);
  });

  it('a flow id that is not loaded: apology, call.error, hang-up', async () => {
    const { timeline } = await run([], 'nope');
    expect(timeline.find((e) => e.type === 'call.error')?.payload).toMatchObject({ code: 'FLOW_NOT_LOADED' });
    expect(telephony.played).toEqual([['sound:im-sorry', 'sound:please-try-call-later', 'sound:goodbye']]);
    expect(telephony.hungUp).toBe(1);
  });

  it('an unknown queue takes the default error path: apology, call.error, hang-up; nothing is enqueued', async () => {
    const flow = defineFlow({ id: 'x', entry: 'q', steps: { q: queue('nowhere') } });
    const { timeline } = await run([flow], 'x');
    expect(timeline.find((e) => e.type === 'call.error')?.payload).toMatchObject({
      code: 'IVR_FLOW_ERROR',
      message: "unknown queue 'nowhere'",
    });
    expect(telephony.played.at(-1)).toEqual([
      'sound:im-sorry',
      'sound:please-try-call-later',
      'sound:goodbye',
    ]);
    expect(acd.enqueueArriving).not.toHaveBeenCalled();
    expect(telephony.hungUp).toBe(1);
  });

  it('an ACD refusal: apology and call.error with its code', async () => {
    acd.enqueueArriving.mockReturnValue([{ code: 'QUEUE_UNKNOWN', reason: 'no such queue' }]);
    const flow = defineFlow({ id: 'x', entry: 'q', steps: { q: queue('sales') } });
    const { timeline } = await run([flow], 'x');
    expect(timeline.find((e) => e.type === 'call.error')?.payload).toMatchObject({
      operation: 'enqueue',
      code: 'QUEUE_UNKNOWN',
    });
    expect(telephony.hungUp).toBe(1);
  });

  it('voicemail: the recording is linked to the call and opened as an open voicemail interaction', async () => {
    const flow = defineFlow({
      id: 'vm',
      entry: 'rec',
      steps: { rec: voicemail({ mailbox: 'sales', thanks: 'vm-goodbye' }) },
    });
    const { row, timeline } = await run([flow], 'vm');
    const left = timeline.find((e) => e.type === 'voicemail.recorded')!.payload;
    expect(left).toMatchObject({ durationMs: 4000, mailbox: 'sales' });
    expect(row.recording_path).toBe(left.path);
    expect(left.path).toMatch(/^vm-int-1-.*\.wav$/);
    const vm = (await log.get(left.voicemailInteractionId))!;
    expect(vm).toMatchObject({
      direction: 'voicemail',
      state: 'open',
      disposition: 'voicemail',
      recording_path: left.path,
      caller_number: CALLER,
    });
    expect(JSON.parse(vm.ivr_path)).toEqual(['rec']);
    expect(telephony.hungUp).toBe(1);
    expect(timeline.map((e) => e.type)).not.toContain('call.error');
    expect(acd.hub.publish).toHaveBeenCalledWith('voicemail.left', {
      interactionId: vm.id,
      callerNumber: CALLER,
      durationMs: 4000,
    });
    // Named on the call before it started, so a restart of the service finds it.
    const named = timeline.find((e) => e.type === 'ivr.recording.started')!.payload;
    expect(`${named.recordingName}.${named.format}`).toBe(left.path);
    expect(timeline.findIndex((e) => e.type === 'ivr.recording.started')).toBeLessThan(
      timeline.findIndex((e) => e.type === 'ivr.step'),
    );
  });

  it('callback: the number a withheld caller keyed in and confirmed is the one the queue calls back (in E.164, by the numbering plan)', async () => {
    const flow = defineFlow({
      id: 'cb',
      entry: 'ask',
      steps: { ask: callback({ queueId: 'sales', onFail: 'bye' }), bye: hangup('goodbye') },
    });
    telephony.keysOnNextPrompt = ['0201234567#', '1'];
    await runFlowScript(session, deps([flow]), {
      flowId: 'cb',
      caller: 'anonymous',
      dialed: '100',
      trunk: 'carrier',
    });
    expect(acd.enqueueArriving).toHaveBeenCalledWith(session, 'sales', { priority: 0, skills: {} });
    expect(acd.input).toHaveBeenCalledWith({
      type: 'requestCallback',
      interactionId: 'int-1',
      number: '+44201234567', // keyed in as 020 123 4567
    });
    expect(telephony.hungUp).toBe(1);
  });

  it('transfer: a number the outbound rules bar is not dialled; the flow’s error path runs instead', async () => {
    const flow = defineFlow({ id: 'x', entry: 't', steps: { t: transfer('19005550100') } });
    const dialled: unknown[] = [];
    (telephony as unknown as { originate: (o: unknown) => Promise<void> }).originate = async (o) => {
      dialled.push(o);
    };
    await runFlowScript(
      session,
      { ...deps([flow]), numberRefusal: (n) => (n.startsWith('1900') ? 'premium rate' : null) },
      { flowId: 'x', caller: CALLER, dialed: '100', trunk: 'carrier' },
    );
    await session.enqueueWrite('flush', async () => undefined);
    const timeline = (await log.timeline('int-1')).map((e) => ({
      type: e.type,
      payload: JSON.parse(e.payload),
    }));
    expect(JSON.stringify(timeline.find((e) => e.type === 'ivr.step')?.payload)).toContain('premium rate');
    expect(dialled).toEqual([]);
    expect(telephony.hungUp).toBe(1);
  });

  it('survey: the score is stored as csat', async () => {
    telephony.keysOnNextPrompt = ['5'];
    const flow = defineFlow({ id: 's', entry: 'rate', steps: { rate: survey({ prompt: 'vm-press' }) } });
    const { row, timeline } = await run([flow], 's');
    expect(row.csat).toBe(5);
    expect(timeline.find((e) => e.type === 'survey.result')?.payload).toEqual({ flowId: 's', score: 5 });
    expect(telephony.hungUp).toBe(1);
  });

  it('the call keeps the flow object it started on', async () => {
    let current = MENU;
    const swapping: IvrDeps = {
      ...deps([]),
      flows: {
        getFlow: () => {
          const f = current;
          current = defineFlow({ id: 'm', entry: 'bye', steps: { bye: hangup('goodbye') } });
          return f;
        },
      },
    };
    telephony.keysOnNextPrompt = [undefined as unknown as string, '1'];
    await runFlowScript(session, swapping, { flowId: 'm', caller: CALLER, dialed: '100' });
    expect(acd.enqueueArriving).toHaveBeenCalledWith(session, 'sales', { priority: 7, skills: { sales: 2 } });
  });
});

describe('resumeFlowScript (a caller a previous run left in the IVR)', () => {
  async function resume(flows: Flow[], flowId: string, at: FlowResume) {
    await resumeFlowScript(session, deps(flows), { flowId, caller: CALLER, dialed: '100' }, at);
    await session.enqueueWrite('flush', async () => undefined);
    const row = (await log.get('int-1'))!;
    const timeline = (await log.timeline('int-1')).map((e) => ({
      type: e.type,
      payload: JSON.parse(e.payload),
    }));
    return { row, timeline, adopted: timeline.find((e) => e.type === 'call.adopted') };
  }
  const answerSpy = () => vi.spyOn(telephony.ari, 'answer');

  it('does not answer again, stops what was left playing, carries on at the step with the data so far', async () => {
    const answered = answerSpy();
    const order: string[] = [];
    const stopped = vi.spyOn(telephony.ari, 'stopPlayback').mockImplementation(async (id) => {
      order.push(`stop ${id}`);
    });
    const play = telephony.ari.play;
    vi.spyOn(telephony.ari, 'play').mockImplementation((...args) => {
      order.push('play');
      return play(...args);
    });
    telephony.keysOnNextPrompt = ['1'];
    const { row, adopted } = await resume([MENU], 'm', {
      at: { flowId: 'm', stepId: 'pick' },
      data: { before: 'restart' },
      skills: { es: 1 },
      path: ['hi'],
      promptsPlaying: ['old-prompt'],
    });
    expect(answered).not.toHaveBeenCalled();
    expect(stopped).toHaveBeenCalledWith('old-prompt');
    expect(order.slice(0, 2)).toEqual(['stop old-prompt', 'play']);
    expect(telephony.played[0]).toEqual(['sound:basic-pbx-ivr-main']);
    expect(adopted).toEqual({
      type: 'call.adopted',
      payload: {
        reason: 'the service restarted while the caller was in the IVR',
        flowId: 'm',
        flowVersion: 'dev',
        stepId: 'pick',
      },
    });
    expect(JSON.parse(row.ivr_path)).toEqual(['hi', 'pick', 'tag', 'q']);
    expect(JSON.parse(row.caller_data)).toEqual({ before: 'restart', customer: 'Ada' });
    expect(acd.enqueueArriving).toHaveBeenCalledWith(session, 'sales', {
      priority: 7,
      skills: { es: 1, sales: 2 },
    });
  });

  it('goes on with the message the caller was leaving: no greeting again, the same recording, then stored', async () => {
    const flow = defineFlow({
      id: 'vm',
      entry: 'rec',
      steps: { rec: voicemail({ prompt: 'vm-intro', mailbox: 'sales', thanks: 'vm-goodbye' }) },
    });
    telephony.liveRecordings.set('vm-earlier', 12);
    // The voicemail step is the entry: no step had ended when the service stopped, so none is named.
    const { row, timeline, adopted } = await resume([flow], 'vm', {
      at: { flowId: 'vm' },
      data: {},
      skills: {},
      path: [],
      promptsPlaying: [],
      recordingUnderWay: 'vm-earlier',
    });
    expect(adopted?.payload).toMatchObject({ stepId: 'rec', recordingUnderWay: 'vm-earlier' });
    expect(timeline.map((e) => e.type)).not.toContain('call.error');
    expect(telephony.recordCalls).toBe(0);
    expect(telephony.played).toEqual([['sound:vm-goodbye']]); // the thanks only
    const left = timeline.find((e) => e.type === 'voicemail.recorded')!.payload;
    expect(left).toMatchObject({
      recordingId: 'vm-earlier',
      path: 'vm-earlier.wav',
      durationMs: 17_000,
      mailbox: 'sales',
    });
    expect(row.recording_path).toBe('vm-earlier.wav');
    expect((await log.get(left.voicemailInteractionId))?.state).toBe('open');
  });

  it('a message in a step edited away since is stopped, and the caller starts the flow again', async () => {
    const flow = defineFlow({ id: 'vm', entry: 'bye', steps: { bye: hangup('goodbye') } });
    const { adopted } = await resume([flow], 'vm', {
      at: { flowId: 'vm', stepId: 'rec' },
      data: {},
      skills: {},
      path: [],
      promptsPlaying: [],
      recordingUnderWay: 'vm-earlier',
    });
    expect(telephony.stoppedRecordings).toEqual(['vm-earlier']);
    expect(adopted?.payload).toMatchObject({ stepId: 'bye', stepGone: 'rec' });
    expect(adopted?.payload.recordingUnderWay).toBeUndefined();
  });

  /** A caller in v1's menu at the restart presses 1; `current` is the version serving now. */
  async function pressOneInV1Menu(current: Flow, flowAt: NonNullable<IvrDeps['flows']>['flowAt']) {
    telephony.keysOnNextPrompt = ['1'];
    await resumeFlowScript(
      session,
      { ...deps([current]), flows: { getFlow: () => current, ...(flowAt ? { flowAt } : {}) } },
      { flowId: 'm', caller: CALLER, dialed: '100' },
      {
        entryFlowVersion: 'v1',
        at: { flowId: 'm', stepId: 'pick', flowVersion: 'v1' },
        data: {},
        skills: {},
        path: ['hi'],
        promptsPlaying: [],
      },
    );
    await session.enqueueWrite('flush', async () => undefined);
    const adopted = (await log.timeline('int-1')).find((e) => e.type === 'call.adopted')!;
    return JSON.parse(adopted.payload) as Record<string, unknown>;
  }

  it('carries on in the version the caller was in, not the one the file holds now', async () => {
    const current = withVersion(MENU, 'v2');
    // v1, which the caller was in: its option 1 went to the queue through `tag`; v2 sends it to support.
    const v1 = withVersion(
      defineFlow({ ...MENU, steps: { ...MENU.steps, q: queue('support') } } as Parameters<
        typeof defineFlow
      >[0]),
      'v1',
    );
    const flowAt = vi.fn(async (id: string, version: string) =>
      id === 'm' && version === 'v1' ? v1 : undefined,
    );
    const adopted = await pressOneInV1Menu(current, flowAt);
    expect(flowAt).toHaveBeenCalledWith('m', 'v1');
    expect(acd.enqueueArriving).toHaveBeenCalledWith(session, 'support', expect.anything());
    expect(adopted).toMatchObject({ flowVersion: 'v1', stepId: 'pick' });
  });

  it('carries on in the current version when the one the caller was in cannot be had, and says so', async () => {
    const adopted = await pressOneInV1Menu(withVersion(MENU, 'v2'), async () => undefined);
    expect(acd.enqueueArriving).toHaveBeenCalledWith(session, 'sales', expect.anything());
    expect(adopted).toMatchObject({ flowVersion: 'v2', versionGone: 'v1' });
  });

  it('a step edited out of the flow since: the caller starts that flow again, and the timeline says why', async () => {
    telephony.keysOnNextPrompt = [undefined as unknown as string, '1'];
    const { adopted } = await resume([MENU], 'm', {
      at: { flowId: 'm', stepId: 'gone' },
      data: {},
      skills: {},
      path: ['hi'],
      promptsPlaying: [],
    });
    expect(adopted?.payload).toMatchObject({ stepId: 'hi', stepGone: 'gone' });
    expect(acd.enqueueArriving).toHaveBeenCalled();
  });

  it('a step that had failed goes on in the flow’s error step; without one, the apology and a hang-up', async () => {
    const withError = defineFlow({
      id: 'e',
      entry: 'hi',
      onError: 'sorry',
      steps: { hi: play('hello', { next: 'sorry' }), sorry: hangup('im-sorry') },
    });
    const { timeline, row, adopted } = await resume([withError], 'e', {
      at: { flowId: 'e', failed: 'CRM down' },
      data: { ivrError: 'CRM down' },
      skills: {},
      path: ['hi'],
      promptsPlaying: [],
    });
    expect(adopted?.payload).toMatchObject({ flowId: 'e', stepId: 'sorry' });
    expect(telephony.played).toEqual([['sound:im-sorry']]);
    expect(timeline.find((e) => e.type === 'call.error')?.payload).toMatchObject({ message: 'CRM down' });
    expect(JSON.parse(row.ivr_path)).toEqual(['hi', 'sorry']);
    expect(telephony.hungUp).toBe(1);
  });

  it('a failed step in a flow with no error step: apology, call.error, hang-up', async () => {
    const { timeline } = await resume([MENU], 'm', {
      at: { flowId: 'm', failed: 'boom' },
      data: {},
      skills: {},
      path: [],
      promptsPlaying: [],
    });
    expect(timeline.find((e) => e.type === 'call.error')?.payload).toMatchObject({
      code: 'IVR_FLOW_ERROR',
      message: 'boom',
    });
    expect(telephony.played).toEqual([['sound:im-sorry', 'sound:please-try-call-later', 'sound:goodbye']]);
    expect(telephony.hungUp).toBe(1);
  });

  it('a flow no longer loaded: apology, call.error naming it, hang-up', async () => {
    const { timeline } = await resume([MENU], 'm', {
      at: { flowId: 'other', stepId: 'x' },
      data: {},
      skills: {},
      path: [],
      promptsPlaying: [],
    });
    expect(timeline.find((e) => e.type === 'call.error')?.payload).toMatchObject({
      code: 'FLOW_NOT_LOADED',
      message: "flow 'other' is not loaded (see GET /api/flows)",
    });
    expect(telephony.hungUp).toBe(1);
  });
});

describe('keepMessageLeftWhileAway (the caller hung up mid-message while the service was away)', () => {
  const flow = defineFlow({ id: 'vm', entry: 'rec', steps: { rec: voicemail({ mailbox: 'sales' }) } });
  const left = {
    recordingName: 'vm-earlier',
    format: 'wav',
    at: { flowId: 'vm', stepId: 'rec' },
    data: { account: '42' },
    path: ['hi'],
  };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cc-vm-'));
  });

  it('keeps it as the voicemail step would have, its length read from the file', async () => {
    writeFileSync(join(dir, 'vm-earlier.wav'), wav(8000, 2500)); // 2.5 s of 8 kHz 16-bit audio
    const published: unknown[] = [];
    const hub = { publish: (type: string, data: unknown) => published.push({ type, data }) };
    const row = (await log.get('int-1'))!;
    const kept = await keepMessageLeftWhileAway(
      { ...deps([flow]), recordingsDir: dir, acd: { hub } as never },
      row,
      left,
      5000,
    );
    expect(kept).toBe(true);
    const call = (await log.timeline('int-1')).find((e) => e.type === 'voicemail.recorded')!;
    const onCall = JSON.parse(call.payload);
    expect(onCall).toMatchObject({
      recordingId: 'vm-earlier',
      path: 'vm-earlier.wav',
      durationMs: 2500,
      endedBy: 'unobserved',
      mailbox: 'sales',
    });
    const vm = (await log.get(onCall.voicemailInteractionId))!;
    expect(vm).toMatchObject({
      direction: 'voicemail',
      state: 'open',
      recording_path: 'vm-earlier.wav',
      caller_number: CALLER,
    });
    expect(JSON.parse(vm.caller_data)).toEqual({ account: '42' });
    expect((await log.get('int-1'))?.recording_path).toBe('vm-earlier.wav');
    expect(published).toEqual([
      { type: 'voicemail.left', data: { interactionId: vm.id, callerNumber: CALLER, durationMs: 2500 } },
    ]);
  });

  it('keeps nothing when Asterisk wrote no file (the recording never started)', async () => {
    const row = (await log.get('int-1'))!;
    const hub = { publish: vi.fn() };
    const kept = await keepMessageLeftWhileAway(
      { ...deps([flow]), recordingsDir: dir, acd: { hub } as never },
      row,
      left,
      5000,
    );
    expect(kept).toBe(false);
    expect((await log.timeline('int-1')).map((e) => e.type)).not.toContain('voicemail.recorded');
    expect(hub.publish).not.toHaveBeenCalled();
  });
});

describe('withBuiltInFlows (what a restart carries IVR callers on in)', () => {
  it('rebuilds the queue voicemail with the mailbox its version names, and reads files for the rest', async () => {
    const files = { getFlow: (id: string) => (id === 'm' ? MENU : undefined) };
    const flows = withBuiltInFlows(() => files);
    const vm = await flows.flowAt!(QUEUE_VOICEMAIL_FLOW_ID, 'builtin:sales-msgs');
    expect(vm).toMatchObject({ id: 'queue-voicemail', version: 'builtin:sales-msgs' });
    expect(vm?.steps.message).toMatchObject({ kind: 'voicemail', mailbox: 'sales-msgs' });
    expect((await flows.flowAt!(QUEUE_VOICEMAIL_FLOW_ID, 'builtin'))?.steps.message).not.toHaveProperty(
      'mailbox',
    );
    expect(flows.getFlow('m')).toBe(MENU);
    expect(flows.getFlow('nope')).toBeUndefined();
  });

  it('rebuilds a queue voicemail with its own greeting and longest message from its version', async () => {
    const settings = { mailbox: 'sales & co', greeting: ['custom/all-busy', 'vm-intro'], maxSeconds: 45 };
    const built = queueVoicemailFlow(settings);
    expect(built.version).toBe(
      'builtin?mailbox=sales+%26+co&greeting=custom%2Fall-busy&greeting=vm-intro&maxSeconds=45',
    );
    expect(built.steps.message).toMatchObject({
      kind: 'voicemail',
      mailbox: 'sales & co',
      prompts: ['custom/all-busy', 'vm-intro'],
      maxMs: 45_000,
    });
    const flows = withBuiltInFlows(() => undefined);
    expect(await flows.flowAt!(QUEUE_VOICEMAIL_FLOW_ID, built.version)).toEqual(built);
    // Only the mailbox set: the version as before (a restart of an older run's caller reads it the same).
    expect(queueVoicemailFlow({ mailbox: 'sales-msgs' }).version).toBe('builtin:sales-msgs');
    expect(queueVoicemailFlow().steps.message).toMatchObject({ prompts: ['vm-intro'], maxMs: 120_000 });
    expect(queueVoicemailSettingsOf('builtin?maxSeconds=30')).toEqual({ maxSeconds: 30 });
    expect(await flows.flowAt!(QUEUE_VOICEMAIL_FLOW_ID, 'v3')).toBeUndefined();
  });
});

describe('wavDurationMs', () => {
  it('reads the rate from the header and the data from the file size (a header Asterisk never closed says 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-wav-'));
    writeFileSync(join(dir, 'a.wav'), wav(8000, 1000));
    const unclosed = wav(16000, 500);
    unclosed.writeUInt32LE(0, 40); // data size
    writeFileSync(join(dir, 'b.wav'), unclosed);
    writeFileSync(join(dir, 'c.wav'), 'not a wav file at all');
    expect(await wavDurationMs(join(dir, 'a.wav'))).toBe(1000);
    expect(await wavDurationMs(join(dir, 'b.wav'))).toBe(500);
    expect(await wavDurationMs(join(dir, 'c.wav'))).toBeUndefined();
    expect(await wavDurationMs(join(dir, 'missing.wav'))).toBeUndefined();
  });
});

/** A mono 16-bit PCM WAV of `ms` of silence at `rate` Hz. */
function wav(rate: number, ms: number): Buffer {
  return pcmWav(Buffer.alloc((rate * 2 * ms) / 1000), rate);
}
