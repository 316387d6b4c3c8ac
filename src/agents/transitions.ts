import { MISSED_REASON } from './schema.js';
import { refuseGuard, refuseIllegal } from './refusals.js';
import type {
  ActiveCall,
  AfterWrapUp,
  AgentEffect,
  AgentInput,
  AgentInputType,
  AgentSeat,
  AgentSeatState,
  AgentStateType,
  TransitionResult,
} from './seat.js';

type StateOf<S extends AgentStateType> = Extract<AgentSeatState, { type: S }>;
type InputOf<I extends AgentInputType> = Extract<AgentInput, { type: I }>;
type Handler<S extends AgentStateType, I extends AgentInputType> = (
  seat: AgentSeat,
  state: StateOf<S>,
  input: InputOf<I>,
  now: number,
) => TransitionResult;
type TransitionTable = { [S in AgentStateType]: { [I in AgentInputType]?: Handler<S, I> } };

const ok = (seat: AgentSeat, effects: AgentEffect[] = []): TransitionResult => ({ ok: true, seat, effects });

/** Moves the seat into `next`; time-in-state restarts only when the state (or not-ready reason) really changes. */
function enter(
  seat: AgentSeat,
  next: AgentSeatState,
  now: number,
  patch: Partial<AgentSeat> = {},
): AgentSeat {
  const sameReason =
    seat.state.type === 'not_ready' && next.type === 'not_ready' && seat.state.reason === next.reason;
  const changed = seat.state.type !== next.type || (next.type === 'not_ready' && !sameReason);
  return {
    ...seat,
    // An agent keeps its idle position while merely ringing; any other non-available state forfeits it.
    availableSince:
      next.type === 'available'
        ? (seat.availableSince ?? now)
        : next.type === 'offered'
          ? seat.availableSince
          : null,
    ...patch,
    state: next,
    stateSince: changed ? now : seat.stateSince,
  };
}

function becomeAvailable(seat: AgentSeat, now: number, effects: AgentEffect[]): TransitionResult {
  // availableSince survives only from `offered` (withdrawn offer); every other path arrives with null.
  const next = enter(seat, { type: 'available' }, now);
  return ok(next, [...effects, { type: 'agentFreed', agentId: seat.agentId }]);
}

function finishWrapUp(
  seat: AgentSeat,
  after: AfterWrapUp,
  now: number,
  effects: AgentEffect[],
): TransitionResult {
  if (after.type === 'not_ready')
    return ok(enter(seat, { type: 'not_ready', reason: after.reason }, now), effects);
  return becomeAvailable(seat, now, effects);
}

function endCall(
  seat: AgentSeat,
  call: ActiveCall,
  heldAt: number | null,
  wrapUpSeconds: number,
  now: number,
) {
  if (!Number.isFinite(wrapUpSeconds) || wrapUpSeconds < 0) {
    return refuseGuard(
      seat.agentId,
      seat.state.type,
      'hangup',
      'INVALID_INPUT',
      'wrapUpSeconds must be >= 0',
    );
  }
  const holdMs = call.holdMs + (heldAt === null ? 0 : now - heldAt);
  const ended: AgentEffect = {
    type: 'callEnded',
    agentId: seat.agentId,
    interactionId: call.interactionId,
    queueId: call.queueId,
    direction: call.direction,
    talkMs: Math.max(0, now - call.answeredAt - holdMs),
    holdMs,
  };
  const counted: AgentSeat = {
    ...seat,
    lastCallEndedAt: now,
    callsHandledToday: seat.callsHandledToday + (call.direction === 'acd' ? 1 : 0),
  };
  if (wrapUpSeconds === 0) return finishWrapUp(counted, call.after, now, [ended]);
  const until = now + wrapUpSeconds * 1000;
  const wrap: AgentSeatState = {
    type: 'wrap_up',
    interactionId: call.interactionId,
    queueId: call.queueId,
    until,
    after: call.after,
  };
  return ok(enter(counted, wrap, now), [ended, { type: 'startWrapUpTimer', agentId: seat.agentId, until }]);
}

function wrongInteraction(seat: AgentSeat, input: AgentInputType, expected: string, got: string) {
  return refuseGuard(
    seat.agentId,
    seat.state.type,
    input,
    'INTERACTION_MISMATCH',
    `input is for interaction "${got}" but the seat holds "${expected}"`,
  );
}

function invalidReason(seat: AgentSeat, reason: string) {
  return reason.trim().length === 0
    ? refuseGuard(
        seat.agentId,
        seat.state.type,
        'notReady',
        'INVALID_INPUT',
        'a not-ready reason is required',
      )
    : null;
}

function logout(seat: AgentSeat, state: AgentSeatState, _input: AgentInput, now: number): TransitionResult {
  const effects: AgentEffect[] =
    state.type === 'wrap_up' ? [{ type: 'cancelWrapUpTimer', agentId: seat.agentId }] : [];
  return ok(enter(seat, { type: 'logged_out' }, now, { endpoint: null }), effects);
}

function outboundStart(
  seat: AgentSeat,
  state: AgentSeatState,
  input: InputOf<'outboundStart'>,
  now: number,
): TransitionResult {
  const after: AfterWrapUp =
    state.type === 'not_ready' ? { type: 'not_ready', reason: state.reason } : { type: 'available' };
  const call: ActiveCall = {
    interactionId: input.interactionId,
    queueId: null,
    direction: 'outbound',
    answeredAt: now,
    holdMs: 0,
    after,
  };
  return ok(enter(seat, { type: 'talking', call }, now));
}

/** "Not ready after this call": remembered on the call/wrap-up and applied when wrap-up ends. */
function pendingNotReady(
  seat: AgentSeat,
  state: StateOf<'talking'> | StateOf<'on_hold'> | StateOf<'wrap_up'>,
  input: InputOf<'notReady'>,
): TransitionResult {
  const bad = invalidReason(seat, input.reason);
  if (bad) return bad;
  const after: AfterWrapUp = { type: 'not_ready', reason: input.reason };
  if (state.type === 'wrap_up') return ok({ ...seat, state: { ...state, after } });
  return ok({ ...seat, state: { ...state, call: { ...state.call, after } } });
}

function resetDailyCounters(seat: AgentSeat): TransitionResult {
  return ok({ ...seat, callsHandledToday: 0 });
}

/**
 * The complete transition table. A (state, input) pair that is absent is illegal and is refused with a
 * code from refusals.ts; nothing is ever silently ignored.
 */
export const TRANSITIONS: TransitionTable = {
  logged_out: {
    login: (seat, _state, input, now) => {
      if (input.endpoint.trim().length === 0) {
        return refuseGuard(seat.agentId, 'logged_out', 'login', 'INVALID_INPUT', 'an endpoint is required');
      }
      return becomeAvailable({ ...seat, endpoint: input.endpoint }, now, []);
    },
    resetDailyCounters,
  },
  available: {
    logout,
    notReady: (seat, _state, input, now) =>
      invalidReason(seat, input.reason) ?? ok(enter(seat, { type: 'not_ready', reason: input.reason }, now)),
    offer: (seat, _state, input, now) => {
      const next = enter(
        seat,
        { type: 'offered', interactionId: input.interactionId, queueId: input.queueId, offeredAt: now },
        now,
      );
      const effects: AgentEffect[] = input.autoAnswer
        ? [{ type: 'autoAnswer', agentId: seat.agentId, interactionId: input.interactionId }]
        : [];
      return ok(next, effects);
    },
    outboundStart,
    resetDailyCounters,
  },
  not_ready: {
    logout,
    ready: (seat, _state, _input, now) => becomeAvailable(seat, now, []),
    notReady: (seat, _state, input, now) =>
      invalidReason(seat, input.reason) ?? ok(enter(seat, { type: 'not_ready', reason: input.reason }, now)),
    outboundStart,
    resetDailyCounters,
  },
  offered: {
    answer: (seat, state, input, now) => {
      if (input.interactionId !== state.interactionId) {
        return wrongInteraction(seat, 'answer', state.interactionId, input.interactionId);
      }
      const call: ActiveCall = {
        interactionId: state.interactionId,
        queueId: state.queueId,
        direction: 'acd',
        answeredAt: now,
        holdMs: 0,
        after: { type: 'available' },
      };
      const accepted: AgentEffect = {
        type: 'offerAccepted',
        agentId: seat.agentId,
        interactionId: state.interactionId,
        queueId: state.queueId,
      };
      return ok(enter(seat, { type: 'talking', call }, now), [accepted]);
    },
    reject: (seat, state, input, now) => {
      if (input.interactionId !== state.interactionId) {
        return wrongInteraction(seat, 'reject', state.interactionId, input.interactionId);
      }
      // Declining sends the agent to the back of the idle line (availableSince restarts).
      const { agentId } = seat;
      const declined: AgentEffect = {
        type: 'offerDeclined',
        agentId,
        interactionId: state.interactionId,
        queueId: state.queueId,
      };
      return becomeAvailable({ ...seat, availableSince: null }, now, [declined]);
    },
    ringTimeout: (seat, state, input, now) => {
      if (input.interactionId !== state.interactionId) {
        return wrongInteraction(seat, 'ringTimeout', state.interactionId, input.interactionId);
      }
      const { agentId } = seat;
      const missed: AgentEffect = {
        type: 'offerMissed',
        agentId,
        interactionId: state.interactionId,
        queueId: state.queueId,
      };
      return ok(enter(seat, { type: 'not_ready', reason: MISSED_REASON }, now), [missed]);
    },
    offerCancelled: (seat, state, input, now) => {
      if (input.interactionId !== state.interactionId) {
        return wrongInteraction(seat, 'offerCancelled', state.interactionId, input.interactionId);
      }
      // Not the agent's fault: it keeps its original idle position.
      const { agentId } = seat;
      const withdrawn: AgentEffect = {
        type: 'offerWithdrawn',
        agentId,
        interactionId: state.interactionId,
        queueId: state.queueId,
      };
      return becomeAvailable(seat, now, [withdrawn]);
    },
    resetDailyCounters,
  },
  talking: {
    hold: (seat, state, input, now) =>
      input.interactionId !== state.call.interactionId
        ? wrongInteraction(seat, 'hold', state.call.interactionId, input.interactionId)
        : ok(enter(seat, { type: 'on_hold', call: state.call, heldAt: now }, now)),
    hangup: (seat, state, input, now) =>
      input.interactionId !== state.call.interactionId
        ? wrongInteraction(seat, 'hangup', state.call.interactionId, input.interactionId)
        : endCall(seat, state.call, null, input.wrapUpSeconds, now),
    notReady: pendingNotReady,
    resetDailyCounters,
  },
  on_hold: {
    resume: (seat, state, input, now) => {
      if (input.interactionId !== state.call.interactionId) {
        return wrongInteraction(seat, 'resume', state.call.interactionId, input.interactionId);
      }
      const call: ActiveCall = { ...state.call, holdMs: state.call.holdMs + (now - state.heldAt) };
      return ok(enter(seat, { type: 'talking', call }, now));
    },
    hangup: (seat, state, input, now) =>
      input.interactionId !== state.call.interactionId
        ? wrongInteraction(seat, 'hangup', state.call.interactionId, input.interactionId)
        : endCall(seat, state.call, state.heldAt, input.wrapUpSeconds, now),
    notReady: pendingNotReady,
    resetDailyCounters,
  },
  wrap_up: {
    extendWrapUp: (seat, state, input, now) => {
      if (!Number.isFinite(input.seconds) || input.seconds <= 0) {
        return refuseGuard(seat.agentId, 'wrap_up', 'extendWrapUp', 'INVALID_INPUT', 'seconds must be > 0');
      }
      const until = Math.max(state.until, now) + input.seconds * 1000;
      return ok({ ...seat, state: { ...state, until } }, [
        { type: 'startWrapUpTimer', agentId: seat.agentId, until },
      ]);
    },
    wrapUpExpired: (seat, state, _input, now) => {
      // Guards against a stale timer that fired for a deadline that has since been extended.
      if (now < state.until) {
        return refuseGuard(
          seat.agentId,
          'wrap_up',
          'wrapUpExpired',
          'WRAP_UP_NOT_EXPIRED',
          `wrap-up runs until ${new Date(state.until).toISOString()}`,
        );
      }
      return finishWrapUp(seat, state.after, now, []);
    },
    wrapUpDone: (seat, state, _input, now) =>
      finishWrapUp(seat, state.after, now, [{ type: 'cancelWrapUpTimer', agentId: seat.agentId }]),
    notReady: pendingNotReady,
    logout,
    resetDailyCounters,
  },
};

/** Applies one input to a seat. Pure: the same seat, input and `now` always give the same result. */
export function transitionSeat(seat: AgentSeat, input: AgentInput, now: number): TransitionResult {
  const handler = TRANSITIONS[seat.state.type][input.type] as
    | Handler<AgentStateType, AgentInputType>
    | undefined;
  if (handler === undefined) return refuseIllegal(seat.agentId, seat.state.type, input.type);
  return handler(seat, seat.state as StateOf<AgentStateType>, input as InputOf<AgentInputType>, now);
}

/** Whether the table has an entry for this pair (guards may still refuse specific inputs). */
export function isLegalTransition(state: AgentStateType, input: AgentInputType): boolean {
  return TRANSITIONS[state][input] !== undefined;
}
