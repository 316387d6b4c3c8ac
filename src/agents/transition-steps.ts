import { refuseGuard } from './refusals.js';
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

export type StateOf<S extends AgentStateType> = Extract<AgentSeatState, { type: S }>;
export type InputOf<I extends AgentInputType> = Extract<AgentInput, { type: I }>;
export type Handler<S extends AgentStateType, I extends AgentInputType> = (
  seat: AgentSeat,
  state: StateOf<S>,
  input: InputOf<I>,
  now: number,
) => TransitionResult;
export type TransitionTable = { [S in AgentStateType]: { [I in AgentInputType]?: Handler<S, I> } };

export const ok = (seat: AgentSeat, effects: AgentEffect[] = []): TransitionResult => ({
  ok: true,
  seat,
  effects,
});

/** Moves the seat into `next`; time-in-state restarts only when the state (or not-ready reason) really changes. */
export function enter(
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

export function becomeAvailable(seat: AgentSeat, now: number, effects: AgentEffect[]): TransitionResult {
  // availableSince survives only from `offered` (withdrawn offer); every other path arrives with null.
  const next = enter(seat, { type: 'available' }, now);
  return ok(next, [...effects, { type: 'agentFreed', agentId: seat.agentId }]);
}

export function finishWrapUp(
  seat: AgentSeat,
  after: AfterWrapUp,
  now: number,
  effects: AgentEffect[],
): TransitionResult {
  if (after.type === 'not_ready')
    return ok(enter(seat, { type: 'not_ready', reason: after.reason }, now), effects);
  return becomeAvailable(seat, now, effects);
}

export function endCall(
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

export function wrongInteraction(seat: AgentSeat, input: AgentInputType, expected: string, got: string) {
  return refuseGuard(
    seat.agentId,
    seat.state.type,
    input,
    'INTERACTION_MISMATCH',
    `input is for interaction "${got}" but the seat holds "${expected}"`,
  );
}

export function invalidReason(seat: AgentSeat, reason: string) {
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

export function logout(
  seat: AgentSeat,
  state: AgentSeatState,
  _input: AgentInput,
  now: number,
): TransitionResult {
  const effects: AgentEffect[] =
    state.type === 'wrap_up' ? [{ type: 'cancelWrapUpTimer', agentId: seat.agentId }] : [];
  return ok(enter(seat, { type: 'logged_out' }, now, { endpoint: null }), effects);
}

export function outboundStart(
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
export function pendingNotReady(
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

/** "Ready after this call" (the agent changed their mind): a not ready chosen during the call is dropped. */
export function readyAfterCall(
  seat: AgentSeat,
  state: StateOf<'talking'> | StateOf<'on_hold'>,
): TransitionResult {
  return ok({ ...seat, state: { ...state, call: { ...state.call, after: { type: 'available' } } } });
}

export function resetDailyCounters(seat: AgentSeat): TransitionResult {
  return ok({ ...seat, callsHandledToday: 0 });
}
