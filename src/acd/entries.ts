import type { SkillMap } from '../agents/schema.js';
import type { CallbackState } from './callback.js';
import type { QueueDefinition } from './schema.js';
import type { SupervisorRef } from './router-types.js';

export type EntryStatus =
  | { type: 'waiting' }
  /** Ringing one agent (or several for ring-all) until `ringUntil`. */
  | { type: 'offering'; agentIds: string[]; offeredAt: number; ringUntil: number }
  /** An agent accepted a callback and is dialing the customer; the entry keeps its place meanwhile. */
  | { type: 'dialing'; agentId: string };

/** The agent a caller last talked with (any queue, any direction) and when that conversation began. */
export interface LastAgent {
  agentId: string;
  /** Epoch ms. */
  servedAt: number;
}

/**
 * A waiting caller or a callback request. Both kinds share one ordered line per queue so a callback
 * keeps the caller's place.
 */
export interface WaitingEntry {
  interactionId: string;
  queueId: string;
  kind: 'caller' | 'callback';
  callerNumber: string;
  basePriority: number;
  vip: boolean;
  /** Extra skills this caller needs (e.g. chosen language), on top of the queue's requiredSkills. */
  requiredSkills: SkillMap;
  /** First arrival in any queue; kept through overflow, RONA and conversion to callback. */
  enqueuedAt: number;
  /** Arrival in the current queue; max wait is measured from here. */
  queueEnteredAt: number;
  /**
   * Time already spent talking to an agent since `enqueuedAt` (a caller put back in line after losing its
   * agent): not waiting, so left out of the wait it is reported with.
   */
  talkedMs: number;
  /** Set after a ring-no-answer: the entry goes back to the front of the line. */
  frontOfLine: boolean;
  /**
   * A supervisor put it first, at `at` (`by` absent on the supervisor token): ahead of every other entry,
   * the one put first last ahead of those before.
   */
  putFirst?: { at: number; by?: SupervisorRef };
  ronaCount: number;
  /** Agents who declined this entry; they are not offered it again. */
  declinedBy: string[];
  status: EntryStatus;
  callback: CallbackState | null;
  /** Its max wait passed with a callback overflow it has no number for: it waits on (said once). */
  callbackUnavailable?: boolean;
  /** Who the caller last talked with, for queues with `lastAgent` routing; kept through overflow. */
  lastAgent?: LastAgent;
  /** The queue it waits in has held it back for that agent (said once per queue). */
  lastAgentAwaitedIn?: string;
  /** The widening step last seen in force for it in this queue (-1: none yet), so each new one is said once. */
  widenedIn?: { queueId: string; step: number };
  /** A personal callback (scheduled by or for an agent): only that agent is offered it until `until`. */
  reservedFor?: Reservation;
  /**
   * A callback the queue booked itself for a caller who gave up waiting (`abandonedCallback`): cancelled
   * when they call again and reach an agent.
   */
  recovery?: true;
  /**
   * A call of an outbound campaign (booked by the campaign dialer only while the queue's agents are free):
   * it ranks after every caller and callback request of any queue, so inbound work always goes first.
   */
  campaign?: true;
}

/** A callback kept for one agent until a time (epoch ms); anyone in the queue may take it after that. */
export interface Reservation {
  agentId: string;
  until: number;
}

/** A new entry of `queue`, waiting, never offered yet. */
export function waitingEntry(
  queue: QueueDefinition,
  fields: Pick<
    WaitingEntry,
    'interactionId' | 'kind' | 'callerNumber' | 'enqueuedAt' | 'queueEnteredAt' | 'callback'
  > &
    Partial<
      Pick<
        WaitingEntry,
        'basePriority' | 'requiredSkills' | 'frontOfLine' | 'talkedMs' | 'lastAgent' | 'reservedFor'
      >
    >,
): WaitingEntry {
  return {
    queueId: queue.id,
    basePriority: 0,
    requiredSkills: {},
    frontOfLine: false,
    talkedMs: 0,
    ...fields,
    vip: isVip(queue, fields.callerNumber),
    ronaCount: 0,
    declinedBy: [],
    status: { type: 'waiting' },
  };
}

/** Until when a queue with last-agent routing keeps the entry for its busy last agent (from entering it). */
export function lastAgentWaitUntil(entry: WaitingEntry, queue: QueueDefinition): number {
  return entry.queueEnteredAt + (queue.lastAgent?.waitSeconds ?? 0) * 1000;
}

/**
 * A callback scheduled for a later time that has not come yet: never attempted, waiting for its time (a
 * retry's wait comes after an attempt). Not yet due, it is no work waiting for the queue's agents.
 */
export function scheduledForLater(entry: WaitingEntry): boolean {
  return entry.callback?.status === 'retry_wait' && entry.callback.attempts === 0;
}

/** The agent a personal callback is kept for now, or undefined once its reservation is over (or none). */
export function reservationAt(entry: WaitingEntry, now: number): Reservation | undefined {
  return entry.reservedFor && now < entry.reservedFor.until ? entry.reservedFor : undefined;
}

/** How long the entry's caller has waited in line so far: since it first queued, less any conversation. */
export function waitedSoFar(entry: WaitingEntry, now: number): number {
  return now - entry.enqueuedAt - entry.talkedMs;
}

/** Bonus from waiting: +step for every `everySeconds` since first arrival, capped at maxBonus. */
export function ageingBonus(entry: WaitingEntry, queue: QueueDefinition, now: number): number {
  const ageing = queue.priorityAgeing;
  if (!ageing) return 0;
  const steps = Math.floor(Math.max(0, now - entry.enqueuedAt) / (ageing.everySeconds * 1000));
  const bonus = steps * (ageing.step ?? 1);
  return ageing.maxBonus === undefined ? bonus : Math.min(bonus, ageing.maxBonus);
}

/** Effective priority = base priority + VIP bonus + ageing bonus (higher is served first). */
export function effectivePriority(entry: WaitingEntry, queue: QueueDefinition, now: number): number {
  return entry.basePriority + (entry.vip ? queue.vipPriorityBonus : 0) + ageingBonus(entry, queue, now);
}

export function isVip(queue: QueueDefinition, callerNumber: string): boolean {
  return (queue.vipNumbers ?? []).includes(callerNumber);
}

/**
 * Line order, the same within a queue and across queues (priorities share one global scale):
 * those a supervisor put first (the latest first), then any but outbound campaign calls, then RONA'd entries, then effective priority (desc), then
 * first arrival (asc), then id for determinism.
 */
export function compareEntries(
  a: WaitingEntry,
  b: WaitingEntry,
  queueOf: (entry: WaitingEntry) => QueueDefinition,
  now: number,
): number {
  if (a.putFirst || b.putFirst) {
    if (!b.putFirst) return -1;
    if (!a.putFirst) return 1;
    if (a.putFirst.at !== b.putFirst.at) return b.putFirst.at - a.putFirst.at;
  }
  // Outbound campaign calls fill agents' idle time: inbound work goes first, even one that rang out.
  if (a.campaign !== b.campaign) return a.campaign ? 1 : -1;
  if (a.frontOfLine !== b.frontOfLine) return a.frontOfLine ? -1 : 1;
  const byPriority = effectivePriority(b, queueOf(b), now) - effectivePriority(a, queueOf(a), now);
  if (byPriority !== 0) return byPriority;
  if (a.enqueuedAt !== b.enqueuedAt) return a.enqueuedAt - b.enqueuedAt;
  return a.interactionId < b.interactionId ? -1 : a.interactionId > b.interactionId ? 1 : 0;
}

export function sortEntries(
  entries: readonly WaitingEntry[],
  queueOf: (entry: WaitingEntry) => QueueDefinition,
  now: number,
): WaitingEntry[] {
  return [...entries].sort((a, b) => compareEntries(a, b, queueOf, now));
}

/** 1-based position of an entry within its own queue's line. */
export function positionInQueue(
  entries: readonly WaitingEntry[],
  interactionId: string,
  queueOf: (entry: WaitingEntry) => QueueDefinition,
  now: number,
): number {
  const target = entries.find((e) => e.interactionId === interactionId);
  if (!target) return 0;
  const line = sortEntries(
    entries.filter((e) => e.queueId === target.queueId),
    queueOf,
    now,
  );
  return line.findIndex((e) => e.interactionId === interactionId) + 1;
}
