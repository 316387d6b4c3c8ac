import type { AfterWrapUp, AgentEffect, AgentInput, AgentSeatState } from '../agents/seat.js';
import { transitionSeat } from '../agents/transitions.js';
import { callbackTransition, DEFAULT_CALLBACK_POLICY } from './callback.js';
import { type WaitingEntry, waitedSoFar } from './entries.js';
import { addHandleSample } from './estimate.js';
import { cancelAbandonedCallbacks } from './router-callbacks.js';
import { type RouterCore, timerKey } from './router-core.js';
import type { CancelReason, RouterInputType, SeatChanger } from './router-types.js';

/** Wrap-up time for a call: the agent's override, else the queue's setting, else none (outbound). */
export function resolveWrapUpSeconds(core: RouterCore, agentId: string, queueId: string | null): number {
  const override = core.agents.get(agentId)?.wrapUpSeconds;
  if (override !== undefined) return override;
  return queueId === null ? 0 : (core.queues.get(queueId)?.wrapUpSeconds ?? 0);
}

function sameState(a: AgentSeatState, b: AgentSeatState): boolean {
  return a.type === b.type && (a.type !== 'not_ready' || (b.type === 'not_ready' && a.reason === b.reason));
}

/** What follows a call, and which call: the seat's "after this call" while on it or wrapping it up. */
function afterOf(state: AgentSeatState): { interactionId: string; after: AfterWrapUp } | undefined {
  if (state.type === 'talking' || state.type === 'on_hold') {
    return { interactionId: state.call.interactionId, after: state.call.after };
  }
  if (state.type === 'wrap_up') return { interactionId: state.interactionId, after: state.after };
  return undefined;
}

/** A call's "after this call" that the agent changed (talking, on hold, in wrap-up): what, and on which call. */
function afterCallChoice(
  a: AgentSeatState,
  b: AgentSeatState,
): { interactionId: string; after: AfterWrapUp } | undefined {
  const before = afterOf(a);
  const chosen = afterOf(b);
  if (!before || !chosen || before.interactionId !== chosen.interactionId) return undefined;
  const [was, now] = [before.after, chosen.after];
  const same =
    was.type === now.type &&
    (was.type !== 'not_ready' || (now.type === 'not_ready' && was.reason === now.reason));
  return same ? undefined : chosen;
}

/**
 * Runs one input through an agent's seat machine and carries out the seat's effects on the router's
 * waiting entries. A refused transition becomes a `refused` decision. Returns whether it was accepted.
 * `changer`: a supervisor asked for it, which the state change carries.
 */
export function applySeat(
  core: RouterCore,
  agentId: string,
  input: AgentInput,
  source: RouterInputType,
  changer?: SeatChanger,
): boolean {
  const seat = core.state.seats[agentId];
  if (!seat) {
    core.refuse(source, 'UNKNOWN_AGENT', `Agent "${agentId}" is not configured.`);
    return false;
  }
  const result = transitionSeat(seat, input, core.now);
  if (!result.ok) {
    core.refuse(source, result.code, result.reason);
    return false;
  }
  core.state.seats[agentId] = result.seat;
  if (!sameState(seat.state, result.seat.state)) {
    core.emit({
      type: 'agentStateChanged',
      agentId,
      from: seat.state,
      to: result.seat.state,
      at: core.now,
      ...changer,
    });
  } else {
    const chosen = afterCallChoice(seat.state, result.seat.state);
    if (chosen) core.emit({ type: 'afterCallChosen', agentId, ...chosen });
  }
  for (const effect of result.effects) carryOut(core, effect);
  return true;
}

function carryOut(core: RouterCore, effect: AgentEffect): void {
  switch (effect.type) {
    case 'startWrapUpTimer': {
      core.schedule(timerKey('wrap', effect.agentId), effect.until);
      return;
    }
    case 'cancelWrapUpTimer': {
      core.cancel(timerKey('wrap', effect.agentId));
      return;
    }
    case 'offerAccepted': {
      onOfferAccepted(core, effect.agentId, effect.interactionId);
      return;
    }
    case 'offerDeclined': {
      onOfferEnded(core, effect.agentId, effect.interactionId, 'rejected');
      return;
    }
    case 'offerMissed': {
      onOfferEnded(core, effect.agentId, effect.interactionId, 'rona');
      return;
    }
    case 'offerFailed': {
      onOfferEnded(core, effect.agentId, effect.interactionId, 'unreachable');
      return;
    }
    case 'callEnded':
      if (effect.direction === 'acd' && effect.queueId !== null) {
        const seconds = effect.talkMs / 1000 + resolveWrapUpSeconds(core, effect.agentId, effect.queueId);
        core.state.handleSamples[effect.queueId] = addHandleSample(
          core.state.handleSamples[effect.queueId] ?? [],
          seconds,
        );
      }
      return;
    // agentFreed: routing runs after every event anyway. autoAnswer: carried in the offer's targets.
    // offerWithdrawn: the router withdrew it itself.
    case 'agentFreed':
    case 'autoAnswer':
    case 'offerWithdrawn':
      return;
  }
}

/** Stops ringing every agent still offered this entry (caller left, exit key, someone else answered). */
export function withdrawOffers(
  core: RouterCore,
  entry: WaitingEntry,
  reason: CancelReason,
  except?: string,
): void {
  if (entry.status.type !== 'offering') return;
  const agentIds = entry.status.agentIds.filter((id) => id !== except);
  entry.status = { type: 'waiting' };
  core.cancel(timerKey('ring', entry.interactionId));
  for (const agentId of agentIds) {
    core.emit({ type: 'cancelOffer', interactionId: entry.interactionId, agentId, reason });
    applySeat(core, agentId, { type: 'offerCancelled', interactionId: entry.interactionId }, 'agent');
  }
}

function onOfferAccepted(core: RouterCore, agentId: string, interactionId: string): void {
  const entry = core.entry(interactionId);
  if (!entry) return;
  withdrawOffers(core, entry, 'answered_elsewhere', agentId);
  if (entry.kind === 'caller') {
    core.removeEntry(interactionId);
    const waitedMs = waitedSoFar(entry, core.now);
    core.emit({ type: 'connect', interactionId, queueId: entry.queueId, agentId, waitedMs });
    cancelAbandonedCallbacks(core, entry.callerNumber, { interactionId, agentId });
    return;
  }
  const started = entry.callback
    ? callbackTransition(entry.callback, { type: 'attemptStarted' }, policyOf(core, entry), core.now)
    : null;
  if (!started?.ok) return;
  entry.callback = started.state;
  entry.status = { type: 'dialing', agentId };
  core.emit({
    type: 'dialCallback',
    interactionId,
    queueId: entry.queueId,
    agentId,
    callerNumber: entry.callerNumber,
    attempt: started.state.attempts,
  });
}

export function policyOf(core: RouterCore, entry: WaitingEntry) {
  return core.queueOf(entry).callbackPolicy ?? DEFAULT_CALLBACK_POLICY;
}

/**
 * One agent stopped ringing without answering (rejected, RONA, or its phone could not be rung). Once
 * nobody is ringing any more the entry goes back to the FRONT of the line, keeping its original arrival time.
 * An unreachable phone is not the agent declining: once it is fixed, the agent may be offered this caller.
 */
/** How long an agent who declined a caller is passed over for that caller (app_queue's `retry`). */
export const DECLINE_BARS_MS = 5_000;

function onOfferEnded(
  core: RouterCore,
  agentId: string,
  interactionId: string,
  why: 'rejected' | 'rona' | 'unreachable',
): void {
  const entry = core.entry(interactionId);
  if (entry?.status.type !== 'offering') return;
  if (why === 'rona') {
    const ringMs = core.now - entry.status.offeredAt;
    core.emit({ type: 'rona', interactionId, queueId: entry.queueId, agentId, ringMs });
  } else if (why === 'rejected') {
    // Not for good: in a small team the one agent who declined may be the only one who can take the call.
    entry.declinedBy = [...entry.declinedBy, agentId];
    // A personal callback its agent declines is theirs no longer: the queue's agents may take it now,
    // rather than it ringing them again every few seconds until the reservation runs out.
    if (entry.reservedFor?.agentId === agentId) {
      entry.reservedFor = undefined;
      core.emit({ type: 'callbackReservationReleased', interactionId, queueId: entry.queueId, agentId });
    }
    core.schedule(timerKey('declined', interactionId), core.now + DECLINE_BARS_MS);
  }
  // A caller who dialled this agent's direct line goes to the team at once when the agent lets it ring out
  // or declines it, not after more rings for nobody.
  if (entry.kind === 'caller' && entry.reservedFor?.agentId === agentId) {
    entry.reservedFor = undefined;
    core.cancel(timerKey('reserved', interactionId));
  }
  const stillRinging = entry.status.agentIds.filter((id) => id !== agentId);
  if (stillRinging.length > 0) {
    entry.status = { ...entry.status, agentIds: stillRinging };
    return;
  }
  core.cancel(timerKey('ring', interactionId));
  entry.status = { type: 'waiting' };
  entry.frontOfLine = true;
  const position = core.position(entry);
  if (why === 'rona') {
    entry.ronaCount += 1;
    core.emit({ type: 'requeuedAfterRona', interactionId, queueId: entry.queueId, position });
  } else {
    core.emit({
      type: 'requeuedAfterReject',
      interactionId,
      queueId: entry.queueId,
      position,
      agentId,
      reason: why,
    });
  }
}
