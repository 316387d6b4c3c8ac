/**
 * The real AcdRuntime, SeatCalls, CallSession and InteractionLog (in-memory SQLite) over a fake telephony
 * that acts like Asterisk: a hung-up channel leaves its bridge and its end is reported as Asterisk does.
 */
import pino from 'pino';
import { AcdRuntime } from '../../../../src/calls/acd/acd-runtime.js';
import { SeatCalls } from '../../../../src/calls/seat/seat-calls.js';
import { CallSession } from '../../../../src/calls/call-session.js';
import { migrateToLatest, openDatabase } from '../../../../src/store/database.js';
import { InteractionLog } from '../../../../src/store/interaction-log.js';
import { EventHub } from '../../../../src/events/event-hub.js';
import { agentDef, queueDef } from '../../acd/helpers.js';
import type { TelephonyEvent } from '../../../../src/telephony/telephony.js';
import { OutboundPolicy } from '../../../../src/calls/seat/outbound-policy.js';
import { AriRequestError } from '../../../../src/telephony/ari/rest.js';
import type { QueueDefinition } from '../../../../src/acd/schema.js';

export const tick = (ms = 10) => new Promise((r) => setTimeout(r, ms));

export async function rig(
  opts: {
    agents?: string[];
    wrapUpSeconds?: number;
    autoEnd?: boolean;
    /** The sales queue's settings over the rig's own (limits, overflow, fallback). */
    sales?: Partial<QueueDefinition>;
    /**
     * A new run of the service after a restart: the previous rig's database, clock and "Asterisk" (its
     * channels and bridges) carry on; everything the previous run kept in memory is gone.
     */
    restartOf?: KeptThroughRestart;
    /** Where the service's log lines go (none by default). */
    logger?: pino.Logger;
  } = {},
) {
  const logger = opts.logger ?? pino({ level: 'silent' });
  const prev = opts.restartOf;
  let n = 0;
  const run = prev ? 'r2-' : '';
  let log: InteractionLog;
  if (prev) log = prev.log;
  else {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    log = new InteractionLog(db, () => `i-${++n}`);
  }
  const hub = new EventHub(Date.now, 10_000, 'throw'); // every published event checked against its schema
  const ops: string[] = [];
  const bridges = prev?.bridges ?? new Map<string, Set<string>>();
  const live = prev?.live ?? new Set<string>(); // channels that exist
  const clock = prev?.clock ?? { t: Date.parse('2026-12-01T10:00:00Z') };
  /** Channels that answered (ARI's state 'Up'); the others in `live` ring. */
  const up = prev?.up ?? new Set<string>();
  const sessions = new Map<string, CallSession>();
  const autoEnd = opts.autoEnd ?? true;
  // Asterisk-like: a hung up channel leaves its bridge and its end is reported.
  const deliver = (event: TelephonyEvent) => {
    if (acd.onLegEvent(event)) return;
    if ('channelId' in event) sessions.get(event.channelId)?.onTelephonyEvent(event);
  };
  const endChannel = (channelId: string, cause = 16, causeText = 'Normal Clearing') => {
    live.delete(channelId);
    for (const b of bridges.values()) b.delete(channelId);
    deliver({ type: 'channel.ended', at: clock.t, channelId, cause, causeText });
  };
  const ari = {
    answer: async (c: string) => {
      ops.push(`answer ${c}`);
    },
    hangup: async (c: string) => {
      ops.push(`hangup ${c}`);
      if (autoEnd && live.has(c)) setTimeout(() => endChannel(c), 1);
    },
    createBridge: async (o: { bridgeId: string }) => {
      ops.push(`createBridge ${o.bridgeId}`);
      bridges.set(o.bridgeId, new Set());
    },
    destroyBridge: async (b: string) => {
      ops.push(`destroyBridge ${b}`);
      bridges.delete(b);
    },
    addToBridge: async (b: string, c: string | string[]) => {
      ops.push(`addToBridge ${b} ${c}`);
      const br = bridges.get(b);
      if (!br) throw Object.assign(new Error(`Bridge ${b} not found`), { status: 404 });
      for (const ch of [c].flat()) {
        for (const other of bridges.values()) other.delete(ch);
        br.add(ch);
      }
    },
    removeFromBridge: async (b: string, c: string) => {
      ops.push(`removeFromBridge ${b} ${c}`);
      bridges.get(b)?.delete(c);
    },
    startBridgeMoh: async (b: string) => {
      ops.push(`startBridgeMoh ${b}`);
    },
    stopBridgeMoh: async (b: string) => {
      ops.push(`stopBridgeMoh ${b}`);
    },
    startMoh: async (c: string, mohClass?: string) => {
      ops.push(`startMoh ${c}${mohClass ? ` ${mohClass}` : ''}`);
    },
    stopMoh: async (c: string) => {
      ops.push(`stopMoh ${c}`);
    },
    stopPlayback: async (id: string) => {
      ops.push(`stopPlayback ${id}`);
    },
    getChannel: async (c: string) => {
      if (!live.has(c)) throw new AriRequestError('GET', `/channels/${c}`, 404, 'Channel not found');
      return { id: c, state: up.has(c) ? 'Up' : 'Ringing' };
    },
    play: async (_channelId: string, _media: string[], _playbackId: string): Promise<void> => undefined,
    request: async (_m: string, path: string) => {
      ops.push(`request ${path}`);
    },
  };
  const originated: { channelId: string; endpoint: string; appArgs: string; callerId: string }[] = [];
  const audio = { outcome: { rejoined: [] as string[], stillSilent: [] as string[] } };
  const telephony = {
    ari,
    originate: async (o: { channelId: string; endpoint: string; appArgs: string; callerId: string }) => {
      ops.push(`originate ${o.endpoint} ${o.channelId}`);
      originated.push(o);
      live.add(o.channelId);
    },
    recordCall: async (c: string) => {
      ops.push(`recordCall ${c}`);
    },
    muteRecording: async (c: string, muted: boolean) => {
      ops.push(`${muted ? 'muteRecording' : 'unmuteRecording'} ${c}`);
    },
    // What the conference audio check finds: every member heard, nothing to put back, unless a test says.
    restoreConferenceMedia: async (b: string) => {
      ops.push(`restoreConferenceMedia ${b}`);
      return audio.outcome;
    },
  };
  const agentIds = opts.agents ?? ['agent1', 'agent2', 'agent3'];
  const agents = agentIds.map((id) => agentDef(id, ['sales']));
  const acd = new AcdRuntime({
    telephony: telephony as never,
    hub,
    logger,
    queues: [
      queueDef({
        id: 'sales',
        wrapUpSeconds: opts.wrapUpSeconds ?? 15,
        ringTimeoutSeconds: 20,
        ...opts.sales,
      }),
      queueDef({ id: 'support', wrapUpSeconds: 10 }),
    ],
    agents,
    log,
    now: () => clock.t,
    recordingFormat: 'wav',
  });
  const seat = new SeatCalls({
    acd,
    log,
    logger,
    agents: () => agents,
    trunk: 'carrier',
    policy: new OutboundPolicy({
      callerId: { mode: 'fixed', number: '+15550000' },
      allowedDestinations: ['^\\+?[1-9][0-9]{2,14}$'],
      deniedDestinations: [],
      ringSeconds: 30,
    }),
  });
  const login = (id: string) =>
    acd.input({ type: 'agent', agentId: id, input: { type: 'login', endpoint: `PJSIP/${id}` } });
  const state = (id: string) => {
    const s = acd.router.seat(id)!.state;
    return (
      s.type +
      ('interactionId' in s
        ? `(${s.interactionId})`
        : 'call' in s
          ? `(${s.call.interactionId})`
          : 'reason' in s
            ? `(${s.reason})`
            : '')
    );
  };
  /** An inbound caller answered and queued. */
  async function caller(queueId = 'sales', number = '+15551112222', name = '') {
    const channelId = `${run}caller-${++n}`;
    live.add(channelId);
    const session = new CallSession(
      channelId,
      `${run}int-${n}`,
      clock.t,
      { telephony: telephony as never, log, logger, now: () => clock.t },
      number,
      name,
    );
    sessions.set(channelId, session);
    await session.enqueueWrite('open', () =>
      log.open({
        id: session.interactionId,
        direction: 'inbound',
        channelId,
        callerNumber: number,
        dialedNumber: '100',
        startedAt: clock.t,
      }),
    );
    const answered = session.answer();
    acd.enqueue(session, queueId);
    await answered;
    await tick();
    return session;
  }
  /** The last originated channel to this endpoint (agent id or number substring). */
  const lastTo = (needle: string) =>
    [...originated].reverse().find((o) => o.endpoint.includes(needle))!.channelId;
  const answer = (channelId: string) => {
    up.add(channelId);
    acd.legAnswered(channelId);
  };
  const row = async (id: string) => {
    await log.afterQueuedWrites();
    await tick(20);
    return log.get(id);
  };
  const brief = async (id: string) => {
    const r = (await row(id))!;
    return {
      state: r.state,
      agent_id: r.agent_id,
      disposition: r.disposition,
      ended_by: r.ended_by,
      talk_seconds: r.talk_seconds,
      hold_seconds: r.hold_seconds,
      wrap_seconds: r.wrap_seconds,
    };
  };
  const timeline = async (id: string) => (await log.timeline(id)).map((e) => `${e.type} ${e.payload}`);
  return {
    acd,
    seat,
    log,
    ops,
    bridges,
    live,
    clock,
    sessions,
    deliver,
    endChannel,
    originated,
    login,
    state,
    caller,
    lastTo,
    answer,
    row,
    brief,
    timeline,
    ari,
    telephony,
    up,
    audio,
  };
}

/** What outlives a restart of the service: its database, and Asterisk's channels and bridges. */
export interface KeptThroughRestart {
  log: InteractionLog;
  bridges: Map<string, Set<string>>;
  live: Set<string>;
  clock: { t: number };
  up: Set<string>;
}

/** agent1 talking to a caller from the sales queue; agent2 logged in (available). */
export async function talkingToAgent1() {
  const r = await rig();
  r.login('agent1');
  const c = await r.caller();
  r.answer(r.lastTo('agent1'));
  await tick();
  r.login('agent2');
  return { r, c };
}

/**
 * `from` hands the call straight to `to`: blind (their phone rings 5 s, they answer) or consulted (rings 5 s,
 * the two talk 20 s with the caller on hold, then `from` completes it).
 */
export async function handOver(
  r: Awaited<ReturnType<typeof rig>>,
  interactionId: string,
  from: string,
  to: string,
  how: 'blind' | 'consult',
) {
  if (how === 'blind') {
    await r.seat.transfer(from, interactionId, { type: 'agent', agentId: to });
    await tick(20);
    r.clock.t += 5_000; // the colleague's phone rings
    r.answer(r.lastTo(to));
    await tick(20);
  } else {
    await r.seat.consult(from, interactionId, { type: 'agent', agentId: to });
    r.clock.t += 5_000;
    r.answer(r.lastTo(to));
    await tick(20);
    r.clock.t += 20_000; // the two agents talk; the caller waits on hold
    await r.seat.completeConsult(from, interactionId);
    await tick(20);
  }
}
