import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AgentSeatState } from '../../../../src/agents/seat.js';
import { CallMonitors, MonitorRefused } from '../../../../src/calls/supervise/call-monitors.js';
import { DEFAULT_OUTBOUND_POLICY, OutboundPolicy } from '../../../../src/calls/seat/outbound-policy.js';
import { NumberPlan } from '../../../../src/calls/number-plan.js';
import { EventHub } from '../../../../src/events/event-hub.js';
import type { InteractionEvent } from '../../../../src/interactions/events.js';
import { AriRequestError } from '../../../../src/telephony/ari/rest.js';
import type { Telephony, TelephonyEvent } from '../../../../src/telephony/telephony.js';

/** Telephony that records what it is asked and lets the test play Asterisk's events. */
function rig(
  opts: {
    originateFails?: unknown;
    seats?: Record<string, AgentSeatState['type']>;
    policy?: OutboundPolicy;
  } = {},
) {
  /** Whether ann, the agent on i1, has the caller on hold (or is consulting). */
  const call = { onHold: false };
  const asked: string[] = [];
  const snoops: { channelId: string; snoopId: string; whisper: string; appArgs: string }[] = [];
  const emitter = new EventEmitter();
  const ari = {
    hangup: async (id: string) => void asked.push(`hangup ${id}`),
    createBridge: async (o: { bridgeId: string }) => void asked.push(`bridge ${o.bridgeId}`),
    addToBridge: async (b: string, c: string) => void asked.push(`add ${c} to ${b}`),
    removeFromBridge: async (b: string, c: string) => void asked.push(`remove ${c} from ${b}`),
    destroyBridge: async (b: string) => void asked.push(`destroy ${b}`),
  };
  /** What the conference audio check finds (nothing to put back unless a test says otherwise). */
  const audio = { outcome: { rejoined: [] as string[], stillSilent: [] as string[] } };
  const telephony = {
    ari,
    restoreConferenceMedia: async (bridgeId: string) => {
      asked.push(`check the audio of ${bridgeId}`);
      return audio.outcome;
    },
    on: emitter.on.bind(emitter),
    off: emitter.off.bind(emitter),
    originate: async (req: { endpoint: string; channelId: string; appArgs: string }) => {
      asked.push(`originate ${req.endpoint} ${req.channelId} ${req.appArgs}`);
      if (opts.originateFails) throw opts.originateFails;
      return {};
    },
    snoop: async (channelId: string, o: { snoopId: string; whisper: string; appArgs: string }) => {
      snoops.push({ channelId, snoopId: o.snoopId, whisper: o.whisper, appArgs: o.appArgs });
      return {};
    },
  };
  const recorded: InteractionEvent[] = [];
  const hub = new EventHub(() => 0, 10_000, 'throw');
  const published: unknown[] = [];
  hub.subscribe((e) => published.push(e.data));
  const seats: Record<string, AgentSeatState['type']> = { sue: 'not_ready', ...opts.seats };
  let now = 1000;
  const monitors = new CallMonitors({
    telephony: telephony as unknown as Telephony,
    hub,
    logger: pino({ level: 'silent' }),
    now: () => now,
    agentInConversation: (id) =>
      id === 'i1' ? { agentId: 'ann', channelId: 'ann-leg', onHold: call.onHold } : undefined,
    callBridge: (id) => (id === 'i1' ? 'call-bridge-1' : undefined),
    seatState: (id) => {
      const type = seats[id];
      if (!type) return undefined;
      return (type === 'not_ready' ? { type, reason: 'coaching' } : { type }) as AgentSeatState;
    },
    endpointOf: (id) => `PJSIP/${id}`,
    record: async (_id, event) => void recorded.push(event),
    conferenceMemberOf: (_id, channelId) =>
      channelId === 'caller-1'
        ? { who: 'customer', channelId }
        : channelId === 'ann-leg'
          ? { who: 'agent', id: 'ann', channelId }
          : { who: 'other', channelId },
    policy: opts.policy ?? new OutboundPolicy(),
    trunk: 'carrier',
    switchTimeoutMs: 200,
  });
  monitors.start();
  const emit = (event: TelephonyEvent) => emitter.emit('event', event);
  const arrive = (kind: string, channelId: string, id: string) =>
    emit({
      type: 'call.arrived',
      at: now,
      channelId,
      channelName: channelId,
      kind,
      args: [id],
      callerNumber: '',
      callerName: '',
      exten: '',
    });
  const settle = () => new Promise((r) => setTimeout(r, 5));
  /** The supervisor answers; the snoop Asterisk was asked for arrives. */
  const answer = async (id: string) => {
    now += 500;
    arrive('monitor-leg', `monitor-${id}`, id);
    await settle();
    arrive('monitor-snoop', snoops.at(-1)!.snoopId, id);
    await settle();
  };
  const steps = () =>
    recorded.flatMap((e) => (e.type === 'supervisor.monitor' ? [`${e.payload.step} ${e.payload.mode}`] : []));
  return { monitors, asked, snoops, recorded, published, emit, arrive, settle, answer, steps, call, audio };
}

describe('CallMonitors (fake telephony)', () => {
  it("rings the supervisor's seat, then bridges it with a listen-only snoop on the agent's leg", async () => {
    const r = rig();
    const m = await r.monitors.monitor('i1', 'listen', { type: 'agent', agentId: 'sue' });
    expect(m).toMatchObject({ interactionId: 'i1', agentId: 'ann', state: 'ringing', mode: 'listen' });
    expect(r.asked).toEqual([`originate PJSIP/sue monitor-${m.id} monitor-leg,${m.id}`]);
    await r.answer(m.id);
    expect(r.snoops).toEqual([
      expect.objectContaining({ channelId: 'ann-leg', whisper: 'none', appArgs: `monitor-snoop,${m.id}` }),
    ]);
    expect(r.asked.slice(1)).toEqual([
      `bridge monitor-${m.id}`,
      `add monitor-${m.id} to monitor-${m.id}`,
      `add ${r.snoops[0]!.snoopId} to monitor-${m.id}`,
    ]);
    expect(r.monitors.get(m.id)).toMatchObject({ state: 'active', answeredAt: 1500 });
    expect(r.steps()).toEqual(['ringing listen', 'active listen']);
    expect(r.published.at(-1)).toMatchObject({ interactionId: 'i1', monitor: { state: 'active' } });
  });

  it('names the supervisor who signed in as themselves: on the monitor, every step on record and the stream', async () => {
    const r = rig();
    const sam = { id: 'sam', name: 'Sam Super' };
    const m = await r.monitors.monitor('i1', 'listen', { type: 'agent', agentId: 'sue' }, sam);
    expect(m.supervisor).toEqual(sam);
    await r.answer(m.id);
    await r.monitors.stopMonitor(m.id);
    const payloads = r.recorded.flatMap((e) => (e.type === 'supervisor.monitor' ? [e.payload] : []));
    expect(payloads.map((p) => [p.step, p.supervisor])).toEqual([
      ['ringing', sam],
      ['active', sam],
      ['ended', sam],
    ]);
    expect(r.published.at(-1)).toMatchObject({ monitor: { state: 'ended', supervisor: sam } });
    // On the supervisor token: nobody in particular, no name on record.
    const anonymous = await r.monitors.monitor('i1', 'listen', { type: 'agent', agentId: 'sue' });
    expect(anonymous).not.toHaveProperty('supervisor');
    expect(r.recorded.at(-1)).toMatchObject({ payload: { step: 'ringing' } });
    expect((r.recorded.at(-1) as { payload: object }).payload).not.toHaveProperty('supervisor');
  });

  it("puts on the call's timeline whom Asterisk stopped sending audio to once the supervisor barged in", async () => {
    const r = rig();
    const sam = { id: 'sam', name: 'Sam Super' };
    const m = await r.monitors.monitor('i1', 'listen', { type: 'agent', agentId: 'sue' }, sam);
    await r.answer(m.id);
    const phone = `monitor-${m.id}`;
    // The customer and the agent were put back and heard again; the supervisor's phone, put back twice,
    // still got nothing.
    r.audio.outcome = { rejoined: ['caller-1', 'ann-leg', phone, phone], stillSilent: [phone] };
    await r.monitors.setMode(m.id, 'barge');
    await r.settle();
    const repair = {
      during: 'barge',
      agentId: 'ann',
      restored: [
        { who: 'customer', channelId: 'caller-1' },
        { who: 'agent', id: 'ann', channelId: 'ann-leg' },
      ],
      stillSilent: [{ who: 'supervisor', id: 'sam', channelId: phone }],
    };
    expect(r.recorded.filter((e) => e.type === 'call.audio-restored')).toEqual([
      { type: 'call.audio-restored', payload: repair },
    ]);
    // The live stream says the same (a wallboard following the call reads it again).
    expect(r.published).toContainEqual({ interactionId: 'i1', ...repair });
  });

  it('switches live: the new way in is in place before the old one goes', async () => {
    const r = rig();
    const m = await r.monitors.monitor('i1', 'listen', { type: 'agent', agentId: 'sue' });
    await r.answer(m.id);
    const first = r.snoops[0]!.snoopId;
    const switching = r.monitors.setMode(m.id, 'whisper');
    await r.settle();
    expect(r.snoops[1]).toMatchObject({ channelId: 'ann-leg', whisper: 'out' });
    // A second change while the first is under way is refused, not interleaved.
    await expect(r.monitors.setMode(m.id, 'barge')).rejects.toMatchObject({ code: 'MONITOR_SWITCHING' });
    r.arrive('monitor-snoop', r.snoops[1]!.snoopId, m.id);
    await expect(switching).resolves.toMatchObject({ mode: 'whisper', state: 'active' });
    const add = r.asked.indexOf(`add ${r.snoops[1]!.snoopId} to monitor-${m.id}`);
    expect(add).toBeGreaterThan(-1);
    expect(r.asked.indexOf(`hangup ${first}`)).toBeGreaterThan(add);
    // Barge: the supervisor's leg moves into the call's own bridge (now a conference, whose audio is
    // checked), then the whisper snoop goes.
    const second = r.snoops[1]!.snoopId;
    await expect(r.monitors.setMode(m.id, 'barge')).resolves.toMatchObject({ mode: 'barge' });
    expect(r.snoops).toHaveLength(2);
    const moved = r.asked.indexOf(`add monitor-${m.id} to call-bridge-1`);
    expect(r.asked.slice(moved - 1, moved + 3)).toEqual([
      `remove monitor-${m.id} from monitor-${m.id}`,
      `add monitor-${m.id} to call-bridge-1`,
      'check the audio of call-bridge-1',
      `hangup ${second}`,
    ]);
    // Every member heard: nothing on the call's timeline about it.
    expect(r.recorded.filter((e) => e.type === 'call.audio-restored')).toEqual([]);
    // Back to listening: out of the call, into the private bridge with a new listen-only snoop.
    const back = r.monitors.setMode(m.id, 'listen');
    await r.settle();
    expect(r.asked.slice(-2)).toEqual([
      `remove monitor-${m.id} from call-bridge-1`,
      `add monitor-${m.id} to monitor-${m.id}`,
    ]);
    expect(r.snoops[2]).toMatchObject({ channelId: 'ann-leg', whisper: 'none' });
    r.arrive('monitor-snoop', r.snoops[2]!.snoopId, m.id);
    await back;
    expect(r.steps()).toEqual([
      'ringing listen',
      'active listen',
      'mode whisper',
      'mode barge',
      'mode listen',
    ]);
    // The old snoops' ends are expected, not the agent leaving.
    r.emit({ type: 'channel.ended', at: 0, channelId: first, cause: 16, causeText: 'Normal Clearing' });
    r.emit({ type: 'channel.ended', at: 0, channelId: second, cause: 16, causeText: 'Normal Clearing' });
    expect(r.monitors.get(m.id)?.state).toBe('active');
  });

  it("dials a supervisor's number the way the numbering plan sends numbers to the carrier (dialAs)", async () => {
    const plan = new NumberPlan({
      countryCode: '44',
      internationalPrefix: '00',
      trunkPrefix: '0',
      nationalNumberLengths: [9, 10],
      dialAs: 'national',
    });
    const r = rig({ policy: new OutboundPolicy(DEFAULT_OUTBOUND_POLICY, plan) });
    const m = await r.monitors.monitor('i1', 'listen', { type: 'number', number: '+44 7700 900123' });
    expect(r.asked[0]).toBe(`originate PJSIP/07700900123@carrier monitor-${m.id} monitor-leg,${m.id}`);
  });

  it('a mode chosen while ringing applies at the answer', async () => {
    const r = rig();
    const m = await r.monitors.monitor('i1', 'listen', { type: 'number', number: '+1 (555) 010-0200' });
    expect(r.asked[0]).toBe(`originate PJSIP/+15550100200@carrier monitor-${m.id} monitor-leg,${m.id}`);
    await r.monitors.setMode(m.id, 'barge');
    r.arrive('monitor-leg', `monitor-${m.id}`, m.id);
    await r.settle();
    expect(r.snoops).toEqual([]);
    expect(r.asked).toContain(`add monitor-${m.id} to call-bridge-1`);
    expect(r.monitors.get(m.id)).toMatchObject({ state: 'active', mode: 'barge' });
    expect(r.steps()).toEqual(['ringing listen', 'mode barge', 'active barge']);
  });

  it('refuses to barge while the agent has the caller on hold, to start or by a switch; listening is fine', async () => {
    const r = rig();
    r.call.onHold = true;
    await expect(r.monitors.monitor('i1', 'barge', { type: 'agent', agentId: 'sue' })).rejects.toMatchObject({
      status: 409,
      code: 'CALL_ON_HOLD',
    });
    expect(r.asked).toEqual([]); // nobody was rung
    const m = await r.monitors.monitor('i1', 'listen', { type: 'agent', agentId: 'sue' });
    await r.answer(m.id);
    await expect(r.monitors.setMode(m.id, 'barge')).rejects.toMatchObject({ code: 'CALL_ON_HOLD' });
    expect(r.monitors.get(m.id)?.mode).toBe('listen');
    r.call.onHold = false; // the agent is back with the caller
    await expect(r.monitors.setMode(m.id, 'barge')).resolves.toMatchObject({ mode: 'barge' });
  });

  it('a snoop Asterisk never starts fails the switch and keeps the old mode', async () => {
    const r = rig();
    const m = await r.monitors.monitor('i1', 'listen', { type: 'agent', agentId: 'sue' });
    await r.answer(m.id);
    await expect(r.monitors.setMode(m.id, 'whisper')).rejects.toMatchObject({
      status: 409,
      code: 'MONITOR_SWITCH_FAILED',
    });
    expect(r.monitors.get(m.id)).toMatchObject({ mode: 'listen', state: 'active' });
    expect(r.asked).toContain(`hangup ${r.snoops[1]!.snoopId}`);
  });

  it("ends when the agent's leg goes: the supervisor's phone is hung up and the bridge taken down", async () => {
    const r = rig();
    const m = await r.monitors.monitor('i1', 'whisper', { type: 'agent', agentId: 'sue' });
    await r.answer(m.id);
    r.emit({ type: 'channel.ended', at: 0, channelId: 'ann-leg', cause: 16, causeText: 'Normal Clearing' });
    await r.settle();
    expect(r.monitors.list()).toEqual([]);
    expect(r.asked).toEqual(expect.arrayContaining([`hangup monitor-${m.id}`, `destroy monitor-${m.id}`]));
    expect(r.recorded.at(-1)).toMatchObject({
      type: 'supervisor.monitor',
      payload: { step: 'ended', reason: 'the agent left the call' },
    });
  });

  it('a supervisor who never answers, or whose phone is unreachable, ends it with that reason', async () => {
    const r = rig();
    const a = await r.monitors.monitor('i1', 'listen', { type: 'agent', agentId: 'sue' });
    r.emit({ type: 'channel.ended', at: 0, channelId: `monitor-${a.id}`, cause: 19, causeText: 'No answer' });
    await r.settle();
    expect(r.recorded.at(-1)).toMatchObject({
      payload: { step: 'ended', reason: 'the supervisor did not answer' },
    });
    const b = await r.monitors.monitor('i1', 'listen', { type: 'agent', agentId: 'sue' });
    r.emit({ type: 'channel.ended', at: 0, channelId: `monitor-${b.id}`, cause: 3, causeText: 'No route' });
    await r.settle();
    expect(r.recorded.at(-1)).toMatchObject({ payload: { step: 'ended', reason: 'No route (cause 3)' } });
  });

  it('the supervisor hanging up or stopping ends it; a stopped monitor is gone', async () => {
    const r = rig();
    const a = await r.monitors.monitor('i1', 'listen', { type: 'agent', agentId: 'sue' });
    await r.answer(a.id);
    r.emit({ type: 'channel.ended', at: 0, channelId: `monitor-${a.id}`, cause: 16, causeText: '' });
    await r.settle();
    expect(r.recorded.at(-1)).toMatchObject({ payload: { step: 'ended', reason: 'the supervisor hung up' } });
    const b = await r.monitors.monitor('i1', 'listen', { type: 'agent', agentId: 'sue' });
    await r.monitors.stopMonitor(b.id);
    expect(r.recorded.at(-1)).toMatchObject({
      payload: { step: 'ended', reason: 'stopped by the supervisor' },
    });
    await expect(r.monitors.stopMonitor(b.id)).rejects.toMatchObject({
      status: 404,
      code: 'MONITOR_NOT_FOUND',
    });
    await expect(r.monitors.setMode(b.id, 'barge')).rejects.toMatchObject({ code: 'MONITOR_NOT_FOUND' });
  });

  it('refuses with a reason: a number the rules bar, a phone that cannot be rung, a call with no agent', async () => {
    const r = rig();
    await expect(
      r.monitors.monitor('i1', 'listen', { type: 'number', number: '1900555' }),
    ).rejects.toMatchObject({
      status: 403,
      code: 'DESTINATION_NOT_ALLOWED',
    });
    await expect(r.monitors.monitor('i2', 'listen', { type: 'agent', agentId: 'sue' })).rejects.toMatchObject(
      {
        code: 'NO_AGENT_ON_CALL',
      },
    );
    const down = rig({ originateFails: new AriRequestError('POST', '/channels', 500, 'Allocation failed') });
    const refusal = down.monitors.monitor('i1', 'listen', { type: 'agent', agentId: 'sue' });
    await expect(refusal).rejects.toBeInstanceOf(MonitorRefused);
    await expect(refusal).rejects.toMatchObject({ code: 'SUPERVISOR_PHONE_UNREACHABLE' });
    expect(down.monitors.list()).toEqual([]);
    // The same phone cannot take two monitors at once.
    await r.monitors.monitor('i1', 'listen', { type: 'agent', agentId: 'sue' });
    await expect(r.monitors.monitor('i1', 'barge', { type: 'agent', agentId: 'sue' })).rejects.toMatchObject({
      code: 'SUPERVISOR_PHONE_BUSY',
    });
  });

  it('a reconnect whose listing lacks the supervisor leg ends the monitor', async () => {
    const r = rig();
    const m = await r.monitors.monitor('i1', 'listen', { type: 'agent', agentId: 'sue' });
    await r.answer(m.id);
    r.emit({ type: 'resync', at: 0, channels: [{ id: 'ann-leg', name: 'x', createdAt: 0 }], bridges: [] });
    await r.settle();
    expect(r.recorded.at(-1)).toMatchObject({
      payload: { step: 'ended', reason: 'gone while the link to Asterisk was down' },
    });
  });

  it('puts on record the end of monitors a previous run left, once, and leaves ended ones alone', async () => {
    const r = rig();
    const step = (
      monitorId: string,
      s: 'ringing' | 'active' | 'mode' | 'ended',
      mode = 'listen' as const,
    ) => ({
      monitorId,
      agentId: 'ann',
      phone: { type: 'agent', id: 'sue' },
      mode,
      step: s,
    });
    const sam = { id: 'sam', name: 'Sam Super' };
    const ended = await r.monitors.endLeftOver([
      {
        interactionId: 'i7',
        steps: [step('m1', 'ringing'), step('m1', 'active'), { ...step('m2', 'ringing'), supervisor: sam }],
      },
      { interactionId: 'i8', steps: [step('m3', 'ringing'), step('m3', 'ended')] },
    ]);
    expect(ended).toBe(2);
    expect(r.recorded).toEqual([
      {
        type: 'supervisor.monitor',
        payload: { ...step('m1', 'ended'), reason: 'the service restarted' },
      },
      {
        type: 'supervisor.monitor',
        payload: { ...step('m2', 'ended'), supervisor: sam, reason: 'the service restarted' },
      },
    ]);
    expect(r.asked).toEqual([]); // its legs are the first sync's leftovers to hang up, not this
  });
});
