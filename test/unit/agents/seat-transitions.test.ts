import { describe, expect, it } from 'vitest';
import {
  AGENT_INPUT_TYPES,
  AGENT_STATE_TYPES,
  type AgentInput,
  type AgentInputType,
  type AgentStateType,
  createSeat,
  isLegalTransition,
  RESTART_REASON,
  transitionSeat,
  UNREACHABLE_REASON,
} from '../../../src/agents/index.js';
import { SAMPLE_INPUTS, T0, drive, seatIn } from './fixtures.js';

/** The specification, written independently of the implementation's table: state → input → next state. */
const LEGAL: Record<AgentStateType, Partial<Record<AgentInputType, AgentStateType>>> = {
  logged_out: { login: 'available', resetDailyCounters: 'logged_out' },
  available: {
    logout: 'logged_out',
    notReady: 'not_ready',
    offer: 'offered',
    outboundStart: 'talking',
    resetDailyCounters: 'available',
  },
  not_ready: {
    logout: 'logged_out',
    ready: 'available',
    notReady: 'not_ready',
    outboundStart: 'talking',
    resetDailyCounters: 'not_ready',
    resumeAfterRestart: 'talking', // only not ready for service_restarted (see the guard test)
    phoneReachable: 'available', // only not ready for phone_unreachable (see the guard test)
  },
  offered: {
    answer: 'talking',
    reject: 'available',
    ringTimeout: 'not_ready',
    unreachable: 'not_ready',
    offerCancelled: 'available',
    resetDailyCounters: 'offered',
  },
  talking: {
    hold: 'on_hold',
    hangup: 'wrap_up',
    notReady: 'talking',
    ready: 'talking',
    resetDailyCounters: 'talking',
  },
  on_hold: {
    resume: 'talking',
    hangup: 'wrap_up',
    notReady: 'on_hold',
    ready: 'on_hold',
    resetDailyCounters: 'on_hold',
  },
  wrap_up: {
    extendWrapUp: 'wrap_up',
    wrapUpExpired: 'available',
    wrapUpDone: 'available',
    ready: 'available',
    notReady: 'wrap_up',
    logout: 'logged_out',
    resetDailyCounters: 'wrap_up',
  },
};

/** Expected refusal code for specific illegal pairs; any other illegal pair must still carry a code. */
const EXPECTED_CODE: Array<[AgentStateType, AgentInputType, string]> = [
  ['logged_out', 'offer', 'AGENT_LOGGED_OUT'],
  ['logged_out', 'ready', 'AGENT_LOGGED_OUT'],
  ['available', 'login', 'AGENT_ALREADY_LOGGED_IN'],
  ['not_ready', 'offer', 'AGENT_NOT_AVAILABLE'],
  ['talking', 'offer', 'AGENT_NOT_AVAILABLE'],
  ['wrap_up', 'offer', 'AGENT_NOT_AVAILABLE'],
  ['available', 'answer', 'NO_OFFER_PENDING'],
  ['talking', 'ringTimeout', 'NO_OFFER_PENDING'],
  ['on_hold', 'hold', 'CALL_ALREADY_ON_HOLD'],
  ['talking', 'resume', 'CALL_NOT_ON_HOLD'],
  ['available', 'hangup', 'NO_ACTIVE_CALL'],
  ['talking', 'logout', 'AGENT_BUSY'],
  ['offered', 'logout', 'AGENT_BUSY'],
  ['available', 'ready', 'AGENT_ALREADY_AVAILABLE'],
  ['offered', 'ready', 'AGENT_BUSY'],
  ['available', 'wrapUpDone', 'NOT_IN_WRAP_UP'],
];

/** A seat not ready for `reason`, one the system set (the restart's, the phone's). */
const notReadyFor = (reason: string) => ({
  ...seatIn('not_ready'),
  state: { type: 'not_ready' as const, reason },
});

/**
 * The fixture seat for a pair; taking a call back after a restart needs the restart's own reason, being made
 * ready by a phone answering again the phone's.
 */
const seatFor = (state: AgentStateType, input: AgentInputType) =>
  state === 'not_ready' && input === 'resumeAfterRestart'
    ? notReadyFor(RESTART_REASON)
    : state === 'not_ready' && input === 'phoneReachable'
      ? notReadyFor(UNREACHABLE_REASON)
      : seatIn(state);

const pairs = AGENT_STATE_TYPES.flatMap((state) => AGENT_INPUT_TYPES.map((input) => [state, input] as const));

describe('agent seat transition table', () => {
  it('covers every state × input pair (7 × 20)', () => {
    expect(pairs).toHaveLength(7 * 20);
  });

  it.each(pairs.filter(([s, i]) => LEGAL[s][i] !== undefined))('%s + %s is legal', (state, input) => {
    expect(isLegalTransition(state, input)).toBe(true);
    const later = T0 + 3_600_000; // past any wrap-up deadline, so wrapUpExpired is not stale
    const result = transitionSeat(seatFor(state, input), SAMPLE_INPUTS[input], later);
    if (!result.ok) throw new Error(`${state}+${input} refused: ${result.code}`);
    expect(result.seat.state.type).toBe(LEGAL[state][input]);
  });

  it.each(pairs.filter(([s, i]) => LEGAL[s][i] === undefined))('%s + %s is refused', (state, input) => {
    expect(isLegalTransition(state, input)).toBe(false);
    const seat = seatIn(state);
    const result = transitionSeat(seat, SAMPLE_INPUTS[input], T0 + 1000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toMatch(/^[A-Z][A-Z_]+$/);
    expect(result.state).toBe(state);
    expect(result.input).toBe(input);
    expect(result.reason).toContain(`"${state}"`);
    expect(result.reason).toContain(`"${input}"`);
  });

  it.each(EXPECTED_CODE)('%s + %s is refused with %s', (state, input, code) => {
    const result = transitionSeat(seatIn(state), SAMPLE_INPUTS[input], T0 + 1000);
    expect(result.ok ? 'ok' : result.code).toBe(code);
  });
});

describe('agent seat guards and bookkeeping', () => {
  it('takes a call back after a restart only when the restart cut it, answered when it first was', () => {
    const cut = seatFor('not_ready', 'resumeAfterRestart');
    const result = transitionSeat(cut, SAMPLE_INPUTS.resumeAfterRestart, T0);
    expect(result.ok && result.seat.state).toEqual({
      type: 'talking',
      call: {
        interactionId: 'i3',
        queueId: 'q1',
        direction: 'acd',
        answeredAt: T0 - 5000,
        holdMs: 0,
        after: { type: 'available' },
      },
    });
    // An outbound call the agent placed: no queue, and not ready after it (whether the agent placed it
    // ready or not ready died with the previous run).
    const outbound = transitionSeat(
      cut,
      { ...SAMPLE_INPUTS.resumeAfterRestart, queueId: null, direction: 'outbound' } as AgentInput,
      T0,
    );
    expect(outbound.ok && outbound.seat.state).toMatchObject({
      type: 'talking',
      call: {
        queueId: null,
        direction: 'outbound',
        after: { type: 'not_ready', reason: 'service_restarted' },
      },
    });
    const held = transitionSeat(
      cut,
      { ...SAMPLE_INPUTS.resumeAfterRestart, holdMs: 4000, heldAt: T0 - 1000 } as AgentInput,
      T0,
    );
    expect(held.ok && held.seat.state).toMatchObject({
      type: 'on_hold',
      heldAt: T0 - 1000,
      call: { interactionId: 'i3', holdMs: 4000 },
    });
    const onBreak = transitionSeat(seatIn('not_ready'), SAMPLE_INPUTS.resumeAfterRestart, T0);
    expect(onBreak.ok ? 'ok' : onBreak.code).toBe('NOT_CUT_BY_RESTART');
    // What the agent had chosen for after the call, recorded before the restart, is kept.
    const chosen = transitionSeat(
      cut,
      { ...SAMPLE_INPUTS.resumeAfterRestart, after: { type: 'not_ready', reason: 'lunch' } } as AgentInput,
      T0,
    );
    expect(chosen.ok && chosen.seat.state).toMatchObject({
      call: { after: { type: 'not_ready', reason: 'lunch' } },
    });
  });

  it('makes a seat ready when its phone answers again only when the system set it aside for that phone', () => {
    const setAside = transitionSeat(notReadyFor(UNREACHABLE_REASON), { type: 'phoneReachable' }, T0 + 5000);
    expect(setAside.ok && setAside.seat).toMatchObject({
      state: { type: 'available' },
      availableSince: T0 + 5000,
    });
    // The agent's own break, or a missed call, is the agent's to end.
    for (const reason of ['lunch', 'missed', RESTART_REASON]) {
      const own = transitionSeat(notReadyFor(reason), { type: 'phoneReachable' }, T0 + 5000);
      expect(own.ok ? 'ok' : own.code).toBe('NOT_SET_ASIDE_FOR_PHONE');
      expect(own.ok ? '' : own.reason).toContain(`not ready for "${reason}"`);
    }
    // Busy or away: nothing to undo.
    const talking = transitionSeat(seatIn('talking'), { type: 'phoneReachable' }, T0);
    expect(talking.ok ? 'ok' : talking.code).toBe('NOT_SET_ASIDE_FOR_PHONE');
  });

  it('refuses inputs for a different interaction than the one in flight', () => {
    const result = transitionSeat(seatIn('offered'), { type: 'answer', interactionId: 'other' }, T0);
    expect(result.ok ? 'ok' : result.code).toBe('INTERACTION_MISMATCH');
    const late = transitionSeat(
      seatIn('talking'),
      { type: 'hangup', interactionId: 'x', wrapUpSeconds: 0 },
      T0,
    );
    expect(late.ok ? 'ok' : late.code).toBe('INTERACTION_MISMATCH');
  });

  it('refuses a wrap-up timer that fires before the (extended) deadline', () => {
    const wrap = seatIn('wrap_up'); // until T0 + 30s
    const extended = transitionSeat(wrap, { type: 'extendWrapUp', seconds: 60 }, T0 + 10_000);
    if (!extended.ok) throw new Error(extended.code);
    expect(extended.effects).toEqual([{ type: 'startWrapUpTimer', agentId: 'a1', until: T0 + 90_000 }]);
    const stale = transitionSeat(extended.seat, { type: 'wrapUpExpired' }, T0 + 30_000);
    expect(stale.ok ? 'ok' : stale.code).toBe('WRAP_UP_NOT_EXPIRED');
    const due = transitionSeat(extended.seat, { type: 'wrapUpExpired' }, T0 + 90_000);
    expect(due.ok && due.seat.state.type).toBe('available');
    expect(due.ok && due.effects).toEqual([{ type: 'agentFreed', agentId: 'a1' }]);
  });

  it('refuses blank reasons and negative wrap-up', () => {
    const blank = transitionSeat(seatIn('available'), { type: 'notReady', reason: ' ' }, T0);
    expect(blank.ok ? 'ok' : blank.code).toBe('INVALID_INPUT');
    const neg = transitionSeat(
      seatIn('talking'),
      { type: 'hangup', interactionId: 'i1', wrapUpSeconds: -1 },
      T0,
    );
    expect(neg.ok ? 'ok' : neg.code).toBe('INVALID_INPUT');
    const zero = transitionSeat(seatIn('wrap_up'), { type: 'extendWrapUp', seconds: 0 }, T0);
    expect(zero.ok ? 'ok' : zero.code).toBe('INVALID_INPUT');
  });

  it('RONA sends the seat to not_ready "missed" and reports the missed offer', () => {
    const result = transitionSeat(seatIn('offered'), SAMPLE_INPUTS.ringTimeout, T0 + 15_000);
    if (!result.ok) throw new Error(result.code);
    expect(result.seat.state).toEqual({ type: 'not_ready', reason: 'missed' });
    expect(result.effects).toEqual([
      { type: 'offerMissed', agentId: 'a1', interactionId: 'i1', queueId: 'q1' },
    ]);
    expect(result.seat.availableSince).toBeNull();
  });

  it('hangup with 0 wrap-up goes straight to available and frees the agent', () => {
    const talking = seatIn('talking');
    const result = transitionSeat(
      talking,
      { type: 'hangup', interactionId: 'i1', wrapUpSeconds: 0 },
      T0 + 60_000,
    );
    if (!result.ok) throw new Error(result.code);
    expect(result.seat.state.type).toBe('available');
    expect(result.seat.availableSince).toBe(T0 + 60_000);
    expect(result.seat.lastCallEndedAt).toBe(T0 + 60_000);
    expect(result.seat.callsHandledToday).toBe(1);
    expect(result.effects.map((e) => e.type)).toEqual(['callEnded', 'agentFreed']);
  });

  it('measures talk time net of hold time', () => {
    const seat = drive(createSeat('a1', T0), [
      { type: 'login', endpoint: 'PJSIP/a1' },
      { type: 'offer', interactionId: 'i1', queueId: 'q1' },
      { type: 'answer', interactionId: 'i1' },
    ]);
    const held = drive(seat, [{ type: 'hold', interactionId: 'i1' }], T0 + 10_000);
    const resumed = drive(held, [{ type: 'resume', interactionId: 'i1' }], T0 + 25_000);
    const result = transitionSeat(
      resumed,
      { type: 'hangup', interactionId: 'i1', wrapUpSeconds: 5 },
      T0 + 40_000,
    );
    if (!result.ok) throw new Error(result.code);
    expect(result.effects[0]).toMatchObject({ type: 'callEnded', talkMs: 25_000, holdMs: 15_000 });
    expect(result.effects[1]).toEqual({ type: 'startWrapUpTimer', agentId: 'a1', until: T0 + 45_000 });
  });

  it('honours "not ready after this call" when wrap-up ends', () => {
    const seat = drive(seatIn('talking'), [
      { type: 'notReady', reason: 'lunch' },
      { type: 'hangup', interactionId: 'i1', wrapUpSeconds: 10 },
    ]);
    expect(seat.state.type).toBe('wrap_up');
    const done = transitionSeat(seat, { type: 'wrapUpDone' }, T0 + 5000);
    if (!done.ok) throw new Error(done.code);
    expect(done.seat.state).toEqual({ type: 'not_ready', reason: 'lunch' });
    expect(done.effects).toEqual([{ type: 'cancelWrapUpTimer', agentId: 'a1' }]);
  });

  it('Ready in wrap-up makes the agent available even after "not ready after this call" (the latest word wins)', () => {
    const seat = drive(seatIn('talking'), [
      { type: 'notReady', reason: 'lunch' },
      { type: 'hangup', interactionId: 'i1', wrapUpSeconds: 10 },
    ]);
    const ready = transitionSeat(seat, { type: 'ready' }, T0 + 5000);
    if (!ready.ok) throw new Error(ready.code);
    expect(ready.seat.state).toEqual({ type: 'available' });
    expect(ready.effects).toEqual([
      { type: 'cancelWrapUpTimer', agentId: 'a1' },
      { type: 'agentFreed', agentId: 'a1' },
    ]);
  });

  it('Ready during the call drops a not ready chosen for after it', () => {
    const seat = drive(seatIn('talking'), [
      { type: 'notReady', reason: 'lunch' },
      { type: 'hold', interactionId: 'i1' },
      { type: 'ready' },
      { type: 'resume', interactionId: 'i1' },
      { type: 'hangup', interactionId: 'i1', wrapUpSeconds: 0 },
    ]);
    expect(seat.state).toEqual({ type: 'available' });
  });

  it('keeps idle position after a withdrawn offer but loses it after a reject', () => {
    const available = drive(createSeat('a1', T0), [{ type: 'login', endpoint: 'PJSIP/a1' }], T0);
    const offered = drive(available, [{ type: 'offer', interactionId: 'i1', queueId: 'q1' }], T0 + 5000);
    const withdrawn = drive(offered, [{ type: 'offerCancelled', interactionId: 'i1' }], T0 + 8000);
    expect(withdrawn.availableSince).toBe(T0);
    const rejected = drive(offered, [{ type: 'reject', interactionId: 'i1' }], T0 + 8000);
    expect(rejected.availableSince).toBe(T0 + 8000);
  });

  it('outbound calls do not count as ACD calls and return to the previous not-ready reason', () => {
    const seat = drive(seatIn('not_ready'), [
      { type: 'outboundStart', interactionId: 'o1' },
      { type: 'hangup', interactionId: 'o1', wrapUpSeconds: 0 },
    ]);
    expect(seat.state).toEqual({ type: 'not_ready', reason: 'break' });
    expect(seat.callsHandledToday).toBe(0);
  });

  it('auto-answer agents get an autoAnswer effect with the offer', () => {
    const result = transitionSeat(
      seatIn('available'),
      { type: 'offer', interactionId: 'i9', queueId: 'q1', autoAnswer: true },
      T0,
    );
    expect(result.ok && result.effects).toEqual([{ type: 'autoAnswer', agentId: 'a1', interactionId: 'i9' }]);
  });

  it('time in state restarts only when the state changes', () => {
    const nr = drive(seatIn('available'), [{ type: 'notReady', reason: 'break' }], T0 + 1000);
    expect(nr.stateSince).toBe(T0 + 1000);
    const same = drive(nr, [{ type: 'notReady', reason: 'break' }], T0 + 2000);
    expect(same.stateSince).toBe(T0 + 1000);
    const other = drive(same, [{ type: 'notReady', reason: 'lunch' }], T0 + 3000);
    expect(other.stateSince).toBe(T0 + 3000);
  });

  it('resets the daily counter in any state', () => {
    const seat = drive(seatIn('talking'), [{ type: 'hangup', interactionId: 'i1', wrapUpSeconds: 0 }]);
    expect(seat.callsHandledToday).toBe(1);
    expect(drive(seat, [{ type: 'resetDailyCounters' }]).callsHandledToday).toBe(0);
  });

  it('is JSON-serialisable and does not mutate its input', () => {
    const seat = seatIn('available');
    const frozen = JSON.parse(JSON.stringify(seat));
    transitionSeat(seat, { type: 'offer', interactionId: 'i1', queueId: 'q1' }, T0);
    expect(seat).toEqual(frozen);
  });
});
