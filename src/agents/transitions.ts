import { MISSED_REASON, RESTART_REASON, UNREACHABLE_REASON } from './schema.js';
import { refuseGuard, refuseIllegal } from './refusals.js';
import type {
  ActiveCall,
  AgentEffect,
  AgentInput,
  AgentInputType,
  AgentSeat,
  AgentStateType,
  TransitionResult,
} from './seat.js';
import {
  becomeAvailable,
  endCall,
  enter,
  finishWrapUp,
  type Handler,
  type InputOf,
  invalidReason,
  logout,
  ok,
  outboundStart,
  pendingNotReady,
  readyAfterCall,
  resetDailyCounters,
  type StateOf,
  type TransitionTable,
  wrongInteraction,
} from './transition-steps.js';

/**
 * The offer ended without the agent choosing: it rang out (RONA, `missed`) or the phone could not be rung
 * (`phone_unreachable`). Either way the seat goes not ready with that reason and reports the ended offer.
 */
function offerEndsNotReady(
  input: 'ringTimeout' | 'unreachable',
  reason: string,
  effect: 'offerMissed' | 'offerFailed',
) {
  return (seat: AgentSeat, state: StateOf<'offered'>, given: { interactionId: string }, now: number) => {
    if (given.interactionId !== state.interactionId) {
      return wrongInteraction(seat, input, state.interactionId, given.interactionId);
    }
    const ended: AgentEffect = {
      type: effect,
      agentId: seat.agentId,
      interactionId: state.interactionId,
      queueId: state.queueId,
    };
    return ok(enter(seat, { type: 'not_ready', reason }, now), [ended]);
  };
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
    phoneReachable: (seat, state, _input, now) =>
      state.reason === UNREACHABLE_REASON
        ? becomeAvailable(seat, now, [])
        : refuseGuard(
            seat.agentId,
            'not_ready',
            'phoneReachable',
            'NOT_SET_ASIDE_FOR_PHONE',
            `only a seat the system set not ready because its phone could not be reached (${UNREACHABLE_REASON}) is made ready when the phone answers again; this one is not ready for "${state.reason}"`,
          ),
    notReady: (seat, _state, input, now) =>
      invalidReason(seat, input.reason) ?? ok(enter(seat, { type: 'not_ready', reason: input.reason }, now)),
    outboundStart,
    resetDailyCounters,
    resumeAfterRestart: (seat, state, input, now) => {
      if (state.reason !== RESTART_REASON) {
        return refuseGuard(
          seat.agentId,
          'not_ready',
          'resumeAfterRestart',
          'NOT_CUT_BY_RESTART',
          `only a seat whose call a restart cut (not ready, ${RESTART_REASON}) can take it back; this one is not ready for "${state.reason}"`,
        );
      }
      const outbound = input.direction === 'outbound';
      const call: ActiveCall = {
        interactionId: input.interactionId,
        queueId: outbound ? null : input.queueId,
        direction: outbound ? 'outbound' : 'acd',
        answeredAt: input.answeredAt,
        holdMs: input.holdMs ?? 0,
        // What the agent chose for after it, as recorded; unrecorded, not ready after an outbound call, so
        // no queue call surprises an agent who was making calls.
        after:
          input.after ?? (outbound ? { type: 'not_ready', reason: RESTART_REASON } : { type: 'available' }),
      };
      const next =
        input.heldAt === undefined
          ? { type: 'talking' as const, call }
          : { type: 'on_hold' as const, call, heldAt: input.heldAt };
      return ok(enter(seat, next, now));
    },
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
    ringTimeout: offerEndsNotReady('ringTimeout', MISSED_REASON, 'offerMissed'),
    unreachable: offerEndsNotReady('unreachable', UNREACHABLE_REASON, 'offerFailed'),
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
    ready: readyAfterCall,
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
    ready: readyAfterCall,
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
    // Ready now, whatever was chosen for after the call: the agent's latest word wins.
    ready: (seat, _state, _input, now) =>
      finishWrapUp(seat, { type: 'available' }, now, [{ type: 'cancelWrapUpTimer', agentId: seat.agentId }]),
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
