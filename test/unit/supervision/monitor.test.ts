import { describe, expect, it } from 'vitest';
import type { AgentSeatState } from '../../../src/agents/seat.js';
import {
  applyMonitorInput,
  type Monitor,
  monitorRefusal,
  monitorMedia,
  seatAvailabilityRefusal,
} from '../../../src/supervision/monitor.js';

const ringing: Monitor = {
  id: 'm1',
  interactionId: 'i1',
  agentId: 'ann',
  mode: 'listen',
  phone: { type: 'agent', agentId: 'sue' },
  state: 'ringing',
  startedAt: 1000,
};

describe('monitor state machine', () => {
  it('goes ringing → active on the answer, then refuses a second answer with a reason', () => {
    const answered = applyMonitorInput(ringing, { type: 'answered', at: 2000 });
    expect(answered).toMatchObject({
      ok: true,
      changed: true,
      monitor: { state: 'active', answeredAt: 2000 },
    });
    if (!answered.ok) throw new Error('unreachable');
    const again = applyMonitorInput(answered.monitor, { type: 'answered', at: 3000 });
    expect(again).toEqual({
      ok: false,
      refusal: { status: 409, code: 'MONITOR_ALREADY_ACTIVE', reason: 'monitor m1 is already active' },
    });
  });

  it('changes mode while ringing or active; the same mode is no change', () => {
    expect(applyMonitorInput(ringing, { type: 'mode', mode: 'barge' })).toMatchObject({
      ok: true,
      changed: true,
      monitor: { mode: 'barge', state: 'ringing' },
    });
    expect(applyMonitorInput(ringing, { type: 'mode', mode: 'listen' })).toEqual({
      ok: true,
      changed: false,
      monitor: ringing,
    });
  });

  it('ends from ringing with its reason, and an ended monitor refuses every input', () => {
    const ended = applyMonitorInput(ringing, { type: 'end', at: 5000, reason: 'no answer' });
    expect(ended).toMatchObject({
      ok: true,
      monitor: { state: 'ended', endedAt: 5000, endedReason: 'no answer' },
    });
    if (!ended.ok) throw new Error('unreachable');
    for (const input of [
      { type: 'answered', at: 6000 },
      { type: 'mode', mode: 'whisper' },
      { type: 'end', at: 6000, reason: 'again' },
    ] as const) {
      expect(applyMonitorInput(ended.monitor, input)).toMatchObject({
        ok: false,
        refusal: { status: 409, code: 'MONITOR_ENDED' },
      });
    }
  });
});

describe('how the supervisor is connected per mode', () => {
  it('listens and whispers through a snoop (to nobody, to the agent); barges into the call itself', () => {
    expect(monitorMedia('listen')).toEqual({ via: 'snoop', spy: 'both', whisper: 'none' });
    expect(monitorMedia('whisper')).toEqual({ via: 'snoop', spy: 'both', whisper: 'out' });
    expect(monitorMedia('barge')).toEqual({ via: 'call-bridge' });
  });
});

describe('who may monitor a call from which phone', () => {
  const call = { agentId: 'ann', channelId: 'agent-leg-1' };
  const seat = (type: AgentSeatState['type']): AgentSeatState =>
    type === 'not_ready' ? { type, reason: 'coaching' } : ({ type } as AgentSeatState);
  const base = { interactionId: 'i1', call, phone: ringing.phone, phoneSeat: seat('not_ready'), live: [] };

  it('lets a not-ready or logged-out supervisor seat, or a number, monitor a call with an agent on it', () => {
    expect(monitorRefusal(base)).toBeUndefined();
    expect(monitorRefusal({ ...base, phoneSeat: seat('logged_out') })).toBeUndefined();
    const wrapUp = { type: 'wrap_up', interactionId: 'i0', queueId: 'q', until: 5 } as const;
    expect(
      monitorRefusal({ ...base, phoneSeat: { ...wrapUp, after: { type: 'not_ready', reason: 'coaching' } } }),
    ).toBeUndefined();
    expect(
      monitorRefusal({ ...base, phone: { type: 'number', number: '+15550100' }, phoneSeat: undefined }),
    ).toBeUndefined();
  });

  it('refuses a call with no agent in conversation', () => {
    expect(monitorRefusal({ ...base, call: undefined })).toMatchObject({
      status: 409,
      code: 'NO_AGENT_ON_CALL',
    });
  });

  it('refuses an unknown seat, the monitored agent themself, an available seat and a busy one', () => {
    expect(monitorRefusal({ ...base, phoneSeat: undefined })).toMatchObject({
      status: 404,
      code: 'AGENT_NOT_FOUND',
    });
    expect(monitorRefusal({ ...base, phone: { type: 'agent', agentId: 'ann' } })).toMatchObject({
      status: 400,
      code: 'CANNOT_MONITOR_SELF',
    });
    expect(monitorRefusal({ ...base, phoneSeat: seat('available') })).toMatchObject({
      status: 409,
      code: 'SUPERVISOR_SEAT_AVAILABLE',
    });
    // A wrap-up that ends in available would make the seat available during the monitoring.
    expect(
      monitorRefusal({
        ...base,
        phoneSeat: {
          type: 'wrap_up',
          interactionId: 'i0',
          queueId: 'q',
          until: 5,
          after: { type: 'available' },
        },
      }),
    ).toMatchObject({
      status: 409,
      code: 'SUPERVISOR_SEAT_AVAILABLE',
      reason: expect.stringContaining('wrap-up'),
    });
    for (const busy of ['offered', 'talking', 'on_hold'] as const) {
      expect(monitorRefusal({ ...base, phoneSeat: seat(busy) })).toMatchObject({
        status: 409,
        code: 'SUPERVISOR_PHONE_BUSY',
      });
    }
  });

  it('refuses a phone already in a live monitor, not one whose monitor ended', () => {
    const other = { ...ringing, id: 'm0', interactionId: 'i0', state: 'active' as const };
    expect(monitorRefusal({ ...base, live: [other] })).toMatchObject({
      code: 'SUPERVISOR_PHONE_BUSY',
      reason: expect.stringContaining('m0'),
    });
    expect(monitorRefusal({ ...base, live: [{ ...other, state: 'ended' }] })).toBeUndefined();
  });
});

describe('a seat whose phone is in a monitor', () => {
  it('may not become available while the monitor rings or runs, and may once it ended', () => {
    const active = { ...ringing, state: 'active' as const };
    expect(seatAvailabilityRefusal('sue', [ringing])).toEqual({
      code: 'PHONE_IN_MONITOR',
      reason: `sue's phone is ringing for monitor ${ringing.id} of interaction ${ringing.interactionId}: stop the monitor before taking calls`,
    });
    expect(seatAvailabilityRefusal('sue', [active])?.reason).toContain(`is in monitor ${ringing.id}`);
    expect(seatAvailabilityRefusal('sue', [{ ...ringing, state: 'ended' }])).toBeUndefined();
    expect(seatAvailabilityRefusal('bob', [active])).toBeUndefined();
    expect(
      seatAvailabilityRefusal('sue', [{ ...active, phone: { type: 'number', number: 'sue' } }]),
    ).toBeUndefined();
  });
});
