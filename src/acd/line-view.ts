import type { CallbackStatus } from './callback.js';
import {
  effectivePriority,
  lastAgentWaitUntil,
  type Reservation,
  reservationAt,
  type WaitingEntry,
} from './entries.js';
import { nextOpening } from './hours.js';
import type { SupervisorRef } from './router-types.js';
import type { QueueDefinition } from './schema.js';
import { nextWideningAt, type Widening, wideningAt } from './widening.js';

/** One place in a queue's line as a supervisor sees it. */
export interface LinePlace {
  /** 1-based, in the order the router serves the line. */
  position: number;
  interactionId: string;
  kind: 'caller' | 'callback';
  /** Empty when withheld. */
  callerNumber: string;
  vip: boolean;
  /** Effective priority (base + VIP bonus + ageing), the number the line is ordered by after the front. */
  priority: number;
  /** Back at the front of the line after an offer failed (ring-no-answer, unreachable phone). */
  front: boolean;
  /** A supervisor put it first: when (epoch ms), and who (absent on the supervisor token). */
  putFirst?: { at: number; by?: SupervisorRef };
  /** Since first arrival in any queue, talk with an agent who was lost left out. */
  waitSeconds: number;
  /** Since it entered this queue (an overflow starts this again, not the wait). */
  inQueueSeconds: number;
  /** waiting; ringing agents; a callback being dialled by an agent. */
  state: 'waiting' | 'ringing' | 'dialing';
  /** Ringing: the agents rung; dialing: the agent. */
  agentIds: string[];
  /** Skills this caller needs on top of the queue's. */
  requiredSkills: Record<string, number>;
  /** Offers that rang out unanswered. */
  missedOffers: number;
  /**
   * A callback request's step (absent for a caller): waiting to retry, or scheduled for later, until
   * `notBefore` (epoch ms); a personal callback kept for `reservedFor.agentId` until `reservedFor.until`.
   */
  callback?: {
    status: CallbackStatus;
    attempts: number;
    notBefore?: number;
    reservedFor?: Reservation;
    /** Due (or due at `notBefore`) outside its queue's callback hours: the first moment it may be called. */
    callableFrom?: number;
    /** The queue's own, for a caller who gave up waiting (`abandonedCallback`). */
    abandoned?: true;
    /** A call of an outbound campaign: after all other work. */
    campaign?: true;
  };
  /**
   * Kept for the agent it last talked with, busy on a call (last-agent routing), for `seconds` more at most:
   * why it waits while other agents may be free.
   */
  keptFor?: { agentId: string; seconds: number };
  /** A caller who dialled an agent's direct line: offered to that agent alone until `until` (epoch ms). */
  directLine?: Reservation;
  /** A caller's queue widening in force (see widening.ts). */
  widening?: Widening;
  /** Until the next step of the caller's queue widening comes into force. */
  widensInSeconds?: number;
}

/**
 * The agent a waiting entry is kept for and how much longer, or undefined (see awaitsLastAgent): only while
 * that agent is still busy with a call, as the router holds it (one gone not ready meanwhile holds nobody).
 */
function keptFor(
  entry: WaitingEntry,
  queue: QueueDefinition,
  now: number,
  busy: (agentId: string) => boolean,
): LinePlace['keptFor'] {
  const until = lastAgentWaitUntil(entry, queue);
  if (entry.status.type !== 'waiting' || !entry.lastAgent || entry.lastAgentAwaitedIn !== queue.id) return;
  if (now >= until || !busy(entry.lastAgent.agentId)) return;
  return { agentId: entry.lastAgent.agentId, seconds: (until - now) / 1000 };
}

/**
 * A queue's line for a supervisor, in the router's order: who waits, how long, at what priority, and what
 * is happening to them. `entries` are the queue's own, already sorted (`QueueRouter.waiting`).
 */
export function lineView(
  entries: readonly WaitingEntry[],
  queue: QueueDefinition,
  now: number,
  /** Whether an agent is busy with a call now (offered, talking, holding, wrapping up). */
  busy: (agentId: string) => boolean = () => true,
): LinePlace[] {
  return entries.map((entry, i) => {
    const status = entry.status;
    const place: LinePlace = {
      position: i + 1,
      interactionId: entry.interactionId,
      kind: entry.kind,
      callerNumber: entry.callerNumber,
      vip: entry.vip,
      priority: effectivePriority(entry, queue, now),
      front: entry.frontOfLine,
      ...(entry.putFirst ? { putFirst: { ...entry.putFirst } } : {}),
      waitSeconds: Math.max(0, (now - entry.enqueuedAt - entry.talkedMs) / 1000),
      inQueueSeconds: Math.max(0, (now - entry.queueEnteredAt) / 1000),
      state: status.type === 'offering' ? 'ringing' : status.type,
      agentIds:
        status.type === 'offering' ? [...status.agentIds] : status.type === 'dialing' ? [status.agentId] : [],
      requiredSkills: { ...entry.requiredSkills },
      missedOffers: entry.ronaCount,
    };
    if (entry.callback) {
      const reserved = reservationAt(entry, now);
      place.callback = {
        status: entry.callback.status,
        attempts: entry.callback.attempts,
        ...(entry.callback.notBefore !== null ? { notBefore: entry.callback.notBefore } : {}),
        ...(reserved ? { reservedFor: { ...reserved } } : {}),
        ...(entry.recovery ? { abandoned: true as const } : {}),
        ...(entry.campaign ? { campaign: true as const } : {}),
      };
      const from = entry.callback.notBefore ?? now;
      const opens = queue.callbackHours ? nextOpening(queue.callbackHours, from) : null;
      if (opens !== null && opens > from) place.callback.callableFrom = opens;
    }
    const kept = keptFor(entry, queue, now, busy);
    if (kept) place.keptFor = kept;
    if (entry.kind === 'caller') {
      const direct = reservationAt(entry, now);
      if (direct) place.directLine = { ...direct };
      const waited = now - entry.queueEnteredAt;
      const widening = wideningAt(queue, waited);
      const next = nextWideningAt(queue, entry.queueEnteredAt, waited);
      if (widening) place.widening = widening;
      if (next !== undefined) place.widensInSeconds = (next - now) / 1000;
    }
    return place;
  });
}
