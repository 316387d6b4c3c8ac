/**
 * AcdRuntime between an agent answering and the bridge being made, and a caller put back in line: the real
 * runtime and router over fake telephony and call sessions (no Asterisk).
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AcdRuntime } from '../../../../src/calls/acd/acd-runtime.js';
import { waitMedia } from '../../../../src/calls/acd/decision-handlers.js';
import { AcdCallbackRunner } from '../../../../src/calls/acd/callback-runner.js';
import type { CallSession } from '../../../../src/calls/call-session.js';
import type { Telephony } from '../../../../src/telephony/telephony.js';
import { agentDef, queueDef } from '../../acd/helpers.js';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

function rig(agents = [agentDef('a1', ['q'])], queues = [queueDef({ id: 'q', wrapUpSeconds: 0 })]) {
  const originated: string[] = [];
  const hungUp: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  const failing = new Set<string>();
  /** What reached Asterisk between the answer and the bridge, in order. */
  const steps: string[] = [];
  let playFails = false;
  const playbackIds: string[] = [];
  const telephony = {
    originate: async (o: { channelId: string }) => {
      originated.push(o.channelId);
    },
    ari: {
      createBridge: async () => {
        steps.push('bridge');
        await gate;
      },
      play: async (channelId: string, media: string[], playbackId: string) => {
        steps.push(`play ${media.join(',')} on ${channelId}`);
        playbackIds.push(playbackId);
        if (playFails) throw Object.assign(new Error('no such sound'), { status: 500 });
        return { id: playbackId };
      },
      stopPlayback: async (playbackId: string) => {
        steps.push(`stop ${playbackId}`);
      },
      addToBridge: async (_bridge: string, channels: string | string[]) => {
        const gone = [channels].flat().find((c) => failing.has(c));
        if (gone) throw Object.assign(new Error(`Channel ${gone} not found`), { status: 404 });
      },
      destroyBridge: async () => undefined,
      hangup: async (channelId: string) => {
        hungUp.push(channelId);
      },
      startBridgeMoh: async () => undefined,
      stopBridgeMoh: async () => undefined,
    },
  };
  const records: { id: string; type: string; payload: Record<string, unknown> }[] = [];
  const clock = { t: Date.parse('2026-12-01T10:00:00Z') };
  const acd = new AcdRuntime({
    telephony: telephony as unknown as Telephony,
    hub: { publish() {} } as never,
    logger: pino({ level: 'silent' }),
    queues,
    agents,
    now: () => clock.t,
  });
  const played: { id: string; media: string[] }[] = [];
  const session = (id: string, callerNumber = '+15550001') => {
    const ends: (() => void)[] = [];
    const s = {
      routingId: id,
      interactionId: id,
      channelId: `ch-${id}`,
      callerNumber,
      state: 'answered',
      queue: undefined,
      logger: pino({ level: 'silent' }),
      get isLive() {
        return s.state !== 'ended';
      },
      move(input: string) {
        if (input === 'enqueue') s.state = 'queued';
        if (input === 'connect') s.state = 'connected';
        return true;
      },
      record: async (e: { type: string; payload: Record<string, unknown> }) => {
        records.push({ id, ...e });
      },
      stopPrompts: async () => undefined,
      stopMusicOnHold: async () => {
        steps.push(`music off ${id}`);
      },
      startMusicOnHold: async () => undefined,
      play: async (media: string[]) => {
        played.push({ id, media });
        return 'finished';
      },
      hangup: async () => s.end(),
      releaseFromAgent() {
        if (s.state === 'connected') s.state = 'answered';
      },
      onEnd(listener: () => void) {
        ends.push(listener);
      },
      end() {
        if (s.state === 'ended') return;
        s.state = 'ended';
        for (const l of ends) l();
      },
    };
    return s;
  };
  const holdBridging = () => {
    let open!: () => void;
    gate = new Promise<void>((r) => {
      open = r;
    });
    return () => open();
  };
  const failPlays = () => {
    playFails = true;
  };
  return {
    acd,
    originated,
    hungUp,
    failing,
    records,
    played,
    clock,
    session,
    holdBridging,
    steps,
    failPlays,
    playbackIds,
  };
}

let current: ReturnType<typeof rig> | undefined;
afterEach(() => current?.acd.stop());

const login = (r: ReturnType<typeof rig>, id: string) =>
  r.acd.input({ type: 'agent', agentId: id, input: { type: 'login', endpoint: `PJSIP/${id}` } });

describe('between the agent answering and the bridge', () => {
  it('the caller hanging up does not leave the seat talking: the agent is free for the next caller', async () => {
    const r = rig();
    current = r;
    login(r, 'a1');
    const c1 = r.session('c1');
    r.acd.enqueue(c1 as unknown as CallSession, 'q');
    await tick();
    const open = r.holdBridging();
    r.acd.legAnswered(r.originated[0]!);
    expect(r.acd.router.seat('a1')?.state.type).toBe('talking');
    c1.end(); // the caller hangs up while the bridge is being made
    r.failing.add('ch-c1');
    open();
    await tick(20);
    expect(r.acd.router.seat('a1')?.state.type).toBe('available');
    expect(r.hungUp).toContain(r.originated[0]);
    r.acd.enqueue(r.session('c2') as unknown as CallSession, 'q');
    await tick();
    expect(r.originated).toHaveLength(2); // the next caller rings a1
  });

  it("the agent's leg ending puts the caller back at the front, and the seat is free again", async () => {
    const r = rig([agentDef('a1', ['q']), agentDef('a2', ['q'])]);
    current = r;
    login(r, 'a1');
    const c1 = r.session('c1');
    r.acd.enqueue(c1 as unknown as CallSession, 'q', { priority: 3, skills: {} });
    await tick();
    const open = r.holdBridging();
    const leg = r.originated[0]!;
    r.acd.legAnswered(leg);
    r.failing.add(leg); // the agent's phone hangs up before it is bridged
    open();
    await tick(20);
    expect(c1.isLive).toBe(true);
    expect(r.acd.router.seat('a1')?.state.type).not.toBe('talking');
    const [entry] = r.acd.router.waiting(r.clock.t);
    expect(entry).toMatchObject({ interactionId: 'c1', frontOfLine: true, basePriority: 3 });
    login(r, 'a2');
    await tick();
    expect(r.originated).toHaveLength(2); // offered again, to the agent now free
  });
});

describe("the queue's announcement to the agent who answered", () => {
  const sales = () => [
    queueDef({ id: 'q', wrapUpSeconds: 0, agentAnnouncement: ['custom/queue-sales', 'beep'] }),
  ];
  const answered = async (r: ReturnType<typeof rig>) => {
    login(r, 'a1');
    const c1 = r.session('c1');
    r.acd.enqueue(c1 as unknown as CallSession, 'q', { priority: 3, skills: {} });
    await tick();
    const leg = r.originated[0]!;
    r.acd.legAnswered(leg);
    await tick();
    return { c1, leg, playbackId: r.playbackIds[0] };
  };
  const finished = (r: ReturnType<typeof rig>, playbackId: string, failed = false) =>
    r.acd.onLegEvent({ type: 'playback.finished', at: r.clock.t, playbackId, failed });
  const ended = (r: ReturnType<typeof rig>, channelId: string) =>
    r.acd.onLegEvent({
      type: 'channel.ended',
      at: r.clock.t,
      channelId,
      cause: 16,
      causeText: 'Normal Clearing',
    });

  it("plays it on the agent's leg while the caller stays on hold music, and bridges them once it ends", async () => {
    const r = rig(undefined, sales());
    current = r;
    const { c1, leg, playbackId } = await answered(r);
    expect(r.steps).toEqual([`play sound:custom/queue-sales,sound:beep on ${leg}`]); // no bridge, music on
    expect(r.acd.router.seat('a1')?.state.type).toBe('talking');
    expect(c1.state).toBe('queued');
    expect(finished(r, playbackId!)).toBe(true);
    await tick(20);
    expect(r.steps.slice(1)).toEqual(['music off c1', 'bridge']);
    expect(c1.state).toBe('connected');
    const types = r.records.map((e) => e.type);
    expect(types.indexOf('acd.agent.announced')).toBeLessThan(types.indexOf('acd.connected'));
    expect(r.records.find((e) => e.type === 'acd.agent.announced')?.payload).toEqual({
      queueId: 'q',
      agentId: 'a1',
      sounds: ['custom/queue-sales', 'beep'],
      outcome: 'played',
    });
  });

  it('bridges them all the same when Asterisk cannot play it, and says so', async () => {
    const r = rig(undefined, sales());
    current = r;
    r.failPlays();
    const { c1 } = await answered(r);
    await tick(20);
    expect(c1.state).toBe('connected');
    expect(r.records.find((e) => e.type === 'acd.agent.announced')?.payload).toMatchObject({
      outcome: 'failed',
    });
  });

  it('the agent hanging up during it puts the caller back at the front, never bridged', async () => {
    const r = rig(undefined, sales());
    current = r;
    const { c1, leg } = await answered(r);
    ended(r, leg);
    await tick(20);
    expect(r.steps).not.toContain('bridge');
    expect(c1.isLive).toBe(true);
    expect(r.acd.router.seat('a1')?.state.type).not.toBe('talking');
    expect(r.acd.router.waiting(r.clock.t)[0]).toMatchObject({
      interactionId: 'c1',
      frontOfLine: true,
      basePriority: 3,
    });
    expect(r.records.map((e) => e.type)).not.toContain('acd.agent.announced');
    expect(r.records.find((e) => e.type === 'acd.requeued')?.payload).toEqual({
      queueId: 'q',
      position: 1,
      agentId: 'a1',
      reason: 'the agent hung up during the announcement',
    });
  });

  it('the caller hanging up during it frees the agent, whose leg is hung up', async () => {
    const r = rig(undefined, sales());
    current = r;
    const { c1, leg } = await answered(r);
    c1.end();
    await tick(20);
    expect(r.steps).not.toContain('bridge');
    expect(r.hungUp).toContain(leg);
    expect(r.acd.router.seat('a1')?.state.type).toBe('available');
  });

  it("adds the caller's wait when the queue tells it, and records it", async () => {
    const r = rig(undefined, [queueDef({ id: 'q', wrapUpSeconds: 0, agentAnnouncementWait: true })]);
    current = r;
    login(r, 'a1');
    r.acd.enqueue(r.session('c1') as unknown as CallSession, 'q');
    r.clock.t += 125_000; // the caller's wait runs until a1 answers
    await tick();
    r.acd.legAnswered(r.originated[0]!);
    await tick();
    expect(r.steps[0]).toBe(
      `play sound:queue-reporthold,number:2,sound:queue-minutes,number:5,sound:queue-seconds on ${r.originated[0]}`,
    );
    finished(r, r.playbackIds[0]!);
    await tick(20);
    expect(r.records.find((e) => e.type === 'acd.agent.announced')?.payload).toEqual({
      queueId: 'q',
      agentId: 'a1',
      sounds: [],
      waitSeconds: 125,
      outcome: 'played',
    });
  });

  it('a queue without one bridges at once', async () => {
    const r = rig();
    current = r;
    const { c1 } = await answered(r);
    await tick(20);
    expect(r.steps).toEqual(['music off c1', 'bridge']);
    expect(c1.state).toBe('connected');
  });
});

describe('a caller put back in line when its agent is lost', () => {
  it('keeps the priority and skills it was queued with', async () => {
    const r = rig([
      agentDef('es', ['q'], { skills: { spanish: 8 } }),
      agentDef('en', ['q'], { skills: { english: 8 } }),
    ]);
    current = r;
    login(r, 'es');
    const c1 = r.session('c1');
    r.acd.enqueue(c1 as unknown as CallSession, 'q', { priority: 5, skills: { spanish: 5 } });
    await tick();
    r.acd.legAnswered(r.originated[0]!);
    await tick(20);
    login(r, 'en');
    r.clock.t += 60_000;
    r.acd.agentLost('es', 'c1', c1 as unknown as CallSession, 'q');
    await tick(20);
    const enqueued = r.records.filter((e) => e.type === 'acd.enqueued').map((e) => e.payload);
    expect(enqueued).toHaveLength(2);
    expect(enqueued[1]).toMatchObject({ basePriority: 5, skills: { spanish: 5 } });
    expect(r.acd.router.seat('en')?.state.type).toBe('available'); // not offered to the English-only agent
  });
});

/** A caller c1 who asked for a callback while agent a1 was free: a1's phone rings with its preview. */
async function callbackRinging() {
  const r = rig();
  current = r;
  const callbacks = new AcdCallbackRunner(r.acd, { record: async () => 1 } as never, 'carrier');
  r.acd.callbacks = callbacks;
  login(r, 'a1');
  const c1 = r.session('c1');
  r.acd.enqueue(c1 as unknown as CallSession, 'q');
  r.acd.input({ type: 'requestCallback', interactionId: 'c1' });
  await tick();
  const preview = r.originated.find((id) => r.acd.legs.get(id)?.callback);
  return { r, c1, preview, callbacks };
}

describe('a callback asked for while an agent is free', () => {
  it("rings the agent on even though the caller hangs up after asking (the caller's end is not the callback's)", async () => {
    const { r, c1, preview } = await callbackRinging();
    expect(preview).toBeDefined();
    c1.end(); // the caller hangs up, as the flow's callback step does after confirming the number
    await tick();
    expect(r.hungUp).not.toContain(preview);
    expect(r.acd.router.seat('a1')?.state.type).toBe('offered');
  });
});

describe("a callback's agent who hangs up while the customer's phone rings", () => {
  it("stops the customer's phone, ends the attempt and frees the agent (was: left talking until it rang out)", async () => {
    const { r, c1, preview: rang, callbacks } = await callbackRinging();
    const preview = rang!;
    c1.end();
    r.acd.legAnswered(preview);
    await tick(20);
    const customer = callbacks.channels()[0];
    expect(customer).toBeDefined();
    expect(r.acd.router.seat('a1')?.state.type).toBe('talking');
    r.acd.onLegEvent({
      type: 'channel.ended',
      at: r.clock.t,
      channelId: preview,
      cause: 16,
      causeText: 'Normal Clearing',
    });
    expect(r.hungUp).toContain(customer);
    r.acd.onLegEvent({
      type: 'channel.ended',
      at: r.clock.t,
      channelId: customer!,
      cause: 16,
      causeText: 'Normal Clearing',
    });
    await tick();
    expect(r.acd.router.seat('a1')?.state.type).not.toBe('talking');
    expect(callbacks.channels()).toEqual([]);
  });
});

describe('a callback way out for a caller whose number is withheld', () => {
  const apology = ['sound:im-sorry', 'sound:unidentified-no-callback'];
  const unavailable = (r: ReturnType<typeof rig>, id: string) =>
    r.records.filter((e) => e.id === id && e.type === 'acd.callback.unavailable').map((e) => e.payload);

  it('the exit key: the caller hears why and keeps waiting in line', async () => {
    const r = rig([], [queueDef({ id: 'q', exitKey: '1', exitTarget: { type: 'callback' } })]);
    current = r;
    const c1 = r.session('c1', 'anonymous');
    r.acd.enqueue(c1 as unknown as CallSession, 'q');
    r.acd.digit(c1 as unknown as CallSession, '1');
    await tick();
    expect(unavailable(r, 'c1')).toEqual([{ queueId: 'q', reason: 'no_number', keepsWaiting: true }]);
    expect(r.played).toEqual([{ id: 'c1', media: apology }]);
    expect(c1.state).toBe('queued');
    expect(r.acd.router.waiting(r.clock.t).map((e) => [e.interactionId, e.kind])).toEqual([['c1', 'caller']]);
  });

  it('a full queue: the caller hears why and is let go, with no callback request left behind', async () => {
    const r = rig([], [queueDef({ id: 'q', maxLength: 1, queueFullTarget: { type: 'callback' } })]);
    current = r;
    r.acd.enqueue(r.session('c1') as unknown as CallSession, 'q');
    const c2 = r.session('c2', '');
    r.acd.enqueue(c2 as unknown as CallSession, 'q');
    await tick();
    expect(unavailable(r, 'c2')).toEqual([{ queueId: 'q', reason: 'no_number', keepsWaiting: false }]);
    expect(r.played.filter((p) => p.id === 'c2').map((p) => p.media)[0]).toEqual(apology);
    expect(c2.state).toBe('ended');
    expect(r.acd.router.waiting(r.clock.t).map((e) => e.interactionId)).toEqual(['c1']);
  });
});

describe("the caller's wait as the agent hears it", () => {
  it('says minutes and seconds, a single minute as one, and seconds alone under a minute', () => {
    expect(waitMedia(0)).toEqual(['sound:queue-reporthold', 'number:0', 'sound:queue-seconds']);
    expect(waitMedia(42)).toEqual(['sound:queue-reporthold', 'number:42', 'sound:queue-seconds']);
    expect(waitMedia(60)).toEqual(['sound:queue-reporthold', 'number:1', 'sound:queue-minute']);
    expect(waitMedia(125)).toEqual([
      'sound:queue-reporthold',
      'number:2',
      'sound:queue-minutes',
      'number:5',
      'sound:queue-seconds',
    ]);
  });
});
