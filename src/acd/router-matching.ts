import type { AgentStateType } from '../agents/seat.js';
import type { SkillMap } from '../agents/schema.js';
import {
  type LastAgent,
  lastAgentWaitUntil,
  type Reservation,
  reservationAt,
  sortEntries,
  type WaitingEntry,
} from './entries.js';
import { isWithinWeeklyHours, nextOpening } from './hours.js';
import { type RouterCore, timerKey } from './router-core.js';
import { applySeat } from './router-seats.js';
import { closeIfBarred } from './router-callbacks.js';
import type { ConsideredAgent, OfferTarget, OfferWhy } from './router-types.js';
import type { QueueDefinition } from './schema.js';
import { meetsSkills, rankCandidates, type StrategyCandidate } from './strategies.js';
import { penaltyBar, type Widening, wideningAt, widenSkills } from './widening.js';

const DAY_MS = 86_400_000;

/** States an agent leaves by themselves soon (the call ends, the wrap-up runs out): worth a short wait. */
export const BUSY_WITH_A_CALL: ReadonlySet<AgentStateType> = new Set([
  'offered',
  'talking',
  'on_hold',
  'wrap_up',
]);

/** Queue minimums merged with the caller's own needs; the stricter level wins. */
export function requiredSkillsFor(queue: QueueDefinition, entry: WaitingEntry): SkillMap {
  const merged: SkillMap = { ...(queue.requiredSkills ?? {}) };
  for (const [skill, level] of Object.entries(entry.requiredSkills))
    merged[skill] = Math.max(merged[skill] ?? 0, level);
  return merged;
}

/**
 * The widening in force for a waiting caller (see widening.ts). A callback request, with nobody on hold, is
 * never widened: it stays as narrow as a call starts (a first step at 0 s).
 */
export function wideningOf(core: RouterCore, entry: WaitingEntry): Widening | undefined {
  const waited = entry.kind === 'caller' ? core.now - entry.queueEnteredAt : 0;
  return wideningAt(core.queueOf(entry), waited);
}

/** Who was weighed for one offer: every member with why not, those who may take it, and the widening then. */
interface Pool {
  considered: ConsideredAgent[];
  candidates: StrategyCandidate[];
  widening: Widening | undefined;
}

/** Every member of the entry's queue, marked eligible or with the reason it was passed over. */
export function considerAgents(core: RouterCore, entry: WaitingEntry): Pool {
  const queue = core.queueOf(entry);
  const widening = wideningOf(core, entry);
  const full = requiredSkillsFor(queue, entry);
  const required = widenSkills(full, widening);
  const considered: ConsideredAgent[] = [];
  const candidates: StrategyCandidate[] = [];
  for (const member of core.members.get(queue.id) ?? []) {
    const seat = core.state.seats[member.agentId];
    const agent = core.agents.get(member.agentId);
    if (!seat || !agent) continue;
    const state = seat.state;
    const row: ConsideredAgent = { agentId: member.agentId, state: state.type, eligible: false };
    if (state.type === 'not_ready') row.reason = state.reason;
    const skills = agent.skills ?? {};
    const missing = Object.entries(required).find(([skill, min]) => (skills[skill] ?? 0) < min);
    const barred = penaltyBar(member.penalty, widening);
    if (state.type !== 'available')
      row.excludedBecause = `not available (${state.type}${row.reason ? `: ${row.reason}` : ''})`;
    else if (entry.declinedBy.includes(member.agentId)) row.excludedBecause = 'declined this call';
    else if (barred) row.excludedBecause = barred;
    else if (missing) {
      const [skill, min] = missing;
      const lowered =
        full[skill] !== min ? ` (${full[skill]} lowered after ${widening?.afterSeconds} s of waiting)` : '';
      row.excludedBecause = `skill ${skill} ${skills[skill] ?? 0} < required ${min}${lowered}`;
    } else {
      row.eligible = true;
      candidates.push({
        agentId: member.agentId,
        availableSince: seat.availableSince,
        lastCallEndedAt: seat.lastCallEndedAt,
        callsHandledToday: seat.callsHandledToday,
        skills,
        penalty: member.penalty,
        order: member.order,
      });
    }
    considered.push(row);
  }
  return { considered, candidates, widening };
}

/**
 * Callbacks are only routable while pending and, if the queue has callback hours, while they are open. The
 * queue's own callback for a caller who gave up waiting, and an outbound campaign's call, wait while the
 * customer is in a queue as a caller: reaching an agent cancels them, giving up leaves them to be carried out
 * (dialled now, it would find them busy).
 */
function isRoutable(core: RouterCore, entry: WaitingEntry): boolean {
  if (entry.status.type !== 'waiting') return false;
  if (entry.kind === 'caller') return true;
  if (entry.callback?.status !== 'pending') return false;
  if (
    (entry.recovery || entry.campaign) &&
    core.state.entries.some((e) => e.kind === 'caller' && e.callerNumber === entry.callerNumber)
  )
    return false;
  const hours = core.queueOf(entry).callbackHours;
  return hours === undefined || isWithinWeeklyHours(hours, core.now);
}

/** Wake the router when callback hours open, since nothing else would trigger routing for that callback. */
function scheduleHoursOpening(core: RouterCore, entry: WaitingEntry): void {
  const queue = core.queueOf(entry);
  const key = timerKey('cbopen', queue.id);
  if (entry.kind !== 'callback' || entry.callback?.status !== 'pending' || !queue.callbackHours) return;
  if (key in core.state.timers) return;
  const at = nextOpening(queue.callbackHours, core.now);
  if (at !== null && at > core.now) core.schedule(key, at);
}

/** The caller's last agent, when its queue routes callers back to theirs and that conversation is recent. */
function lastAgentFor(core: RouterCore, entry: WaitingEntry): LastAgent | undefined {
  const setting = core.queueOf(entry).lastAgent;
  const last = entry.lastAgent;
  if (!setting || !last || core.now - last.servedAt > setting.withinDays * DAY_MS) return undefined;
  return last;
}

/**
 * Whether the caller is held back for its last agent, who cannot take it right now: only while that agent is
 * busy with a call (or its wrap-up), still a member skilled for it and not declining it, and only until the
 * queue's `lastAgent.waitSeconds` have passed since the caller entered it. Said once per queue; a timer
 * wakes routing at the deadline.
 */
function awaitsLastAgent(core: RouterCore, entry: WaitingEntry, last: LastAgent): boolean {
  const queue = core.queueOf(entry);
  const until = lastAgentWaitUntil(entry, queue);
  if (core.now >= until || entry.declinedBy.includes(last.agentId)) return false;
  const seat = core.state.seats[last.agentId];
  const agent = core.agents.get(last.agentId);
  const member = core.members.get(queue.id)?.some((m) => m.agentId === last.agentId);
  if (!seat || !agent || !member || !BUSY_WITH_A_CALL.has(seat.state.type)) return false;
  const required = widenSkills(requiredSkillsFor(queue, entry), wideningOf(core, entry));
  if (!meetsSkills(agent.skills ?? {}, required)) return false;
  const key = timerKey('lastagent', entry.interactionId);
  if (core.state.timers[key] !== until) core.schedule(key, until);
  if (entry.lastAgentAwaitedIn !== queue.id) {
    entry.lastAgentAwaitedIn = queue.id;
    core.emit({
      type: 'lastAgentAwaited',
      interactionId: entry.interactionId,
      queueId: queue.id,
      agentId: last.agentId,
      servedAt: last.servedAt,
      until,
    });
  }
  return true;
}

/** One agent picked ahead of the strategy, with the rule that says why. */
function pickedAhead(agentId: string, rule: string) {
  return { ring: [agentId], ranked: [{ agentId, score: 0, rule }] };
}

/** Who picked the agent ahead of the strategy: the caller's last agent, or the agent a callback is kept for. */
type Preferred = { lastAgent: LastAgent } | { reservedFor: Reservation };

function offerEntry(core: RouterCore, entry: WaitingEntry, pool: Pool, preferred?: Preferred) {
  const { considered, candidates, widening } = pool;
  const queue = core.queueOf(entry);
  const lastAgent = preferred && 'lastAgent' in preferred ? preferred.lastAgent : undefined;
  const reservedFor = preferred && 'reservedFor' in preferred ? preferred.reservedFor : undefined;
  const result = lastAgent
    ? pickedAhead(
        lastAgent.agentId,
        `last_agent: talked with this caller ${new Date(lastAgent.servedAt).toISOString()}`,
      )
    : reservedFor
      ? pickedAhead(
          reservedFor.agentId,
          `${entry.kind === 'callback' ? 'personal_callback' : 'direct_line'}: kept for this agent until ${new Date(reservedFor.until).toISOString()}`,
        )
      : rankCandidates(queue.strategy, candidates, {
          now: core.now,
          // The full requirement, widened or not: the best skilled of those who may take it come first.
          requiredSkills: requiredSkillsFor(queue, entry),
          rng: core.rng,
          lastOffered: core.state.roundRobin[queue.id] ?? null,
        });
  const scores = new Map(result.ranked.map((r) => [r.agentId, r]));
  // The rows were made for this offer alone (considerAgents), so they take their scores in place: a copy
  // per row ({ ...row, score, rule }) of 200 differently shaped rows was a slow, megamorphic spread.
  for (const row of considered) {
    const ranked = scores.get(row.agentId);
    if (!ranked) continue;
    row.score = ranked.score;
    row.rule = ranked.rule;
  }
  const why: OfferWhy = {
    strategy: queue.strategy,
    rule: result.ranked[0]?.rule ?? '',
    considered,
    ...(lastAgent ? { lastAgent } : {}),
    ...(reservedFor ? { reservedFor } : {}),
    ...(widening ? { widening } : {}),
  };
  const targets: OfferTarget[] = [];
  for (const agentId of result.ring) {
    const agent = core.agents.get(agentId)!;
    const autoAnswer = agent.autoAnswer ?? false;
    const offered = applySeat(
      core,
      agentId,
      { type: 'offer', interactionId: entry.interactionId, queueId: queue.id, autoAnswer },
      'agent',
    );
    if (offered)
      targets.push({ agentId, endpoint: core.state.seats[agentId]?.endpoint ?? agent.endpoint, autoAnswer });
  }
  if (targets.length === 0) return;
  core.cancel(timerKey('lastagent', entry.interactionId)); // offered: no longer held back for anyone
  // The preference is worth one offer: should that agent let it ring out or decline, the strategy decides.
  if (lastAgent) entry.lastAgent = undefined;
  const winner = candidates.find((c) => c.agentId === targets[0]!.agentId);
  // The strategy did not pick this agent: round-robin's memory stays where it was.
  if (queue.strategy === 'round_robin' && winner && !preferred)
    core.state.roundRobin[queue.id] = { agentId: winner.agentId, order: winner.order };
  const ringUntil = core.now + queue.ringTimeoutSeconds * 1000;
  entry.status = {
    type: 'offering',
    agentIds: targets.map((t) => t.agentId),
    offeredAt: core.now,
    ringUntil,
  };
  core.schedule(timerKey('ring', entry.interactionId), ringUntil);
  const base = {
    interactionId: entry.interactionId,
    queueId: queue.id,
    targets,
    ringTimeoutSeconds: queue.ringTimeoutSeconds,
    why,
  };
  if (entry.kind === 'callback') {
    core.emit({
      type: 'callbackDue',
      ...base,
      callerNumber: entry.callerNumber,
      attempt: (entry.callback?.attempts ?? 0) + 1,
    });
  } else {
    core.emit({ type: 'offer', ...base });
  }
}

/**
 * Matches waiting entries with free agents, immediately, on every event (no polling).
 *
 * Entries are visited in one global line order (RONA'd first, then effective priority, then first arrival;
 * see entries.ts). Each entry is offered to the agent its queue's strategy picks among its eligible free
 * agents; an entry nobody can take is skipped without blocking those behind it. Consequence for an agent
 * in several queues: when it frees up it gets the highest-priority, then longest-waiting, entry across
 * all of its queues that it is eligible for.
 */
export function route(core: RouterCore): void {
  if (core.state.entries.length === 0 || !anyFree(core)) return;
  for (const entry of sortEntries(core.state.entries, core.queueOf, core.now)) {
    if (!isRoutable(core, entry)) {
      if (entry.status.type === 'waiting') scheduleHoursOpening(core, entry);
      continue;
    }
    // Checked when its turn comes, not only when booked: the number may have been blocked since.
    if (entry.kind === 'callback' && closeIfBarred(core, entry)) continue;
    const pool = considerAgents(core, entry);
    const { candidates } = pool;
    if (candidates.length === 0) continue;
    const reserved = reservationAt(entry, core.now);
    if (reserved) {
      // A personal callback goes to its agent alone until its reservation is over; a timer wakes routing
      // then, should other agents be free and nothing else happen.
      if (candidates.some((c) => c.agentId === reserved.agentId)) {
        offerEntry(core, entry, pool, { reservedFor: reserved });
        if (!anyFree(core)) break;
      } else {
        const key = timerKey('reserved', entry.interactionId);
        if (core.state.timers[key] !== reserved.until) core.schedule(key, reserved.until);
      }
      continue;
    }
    // Held back for its last agent only while someone else could take it now (else it just waits).
    const last = lastAgentFor(core, entry);
    const lastFree = last && candidates.some((c) => c.agentId === last.agentId) ? last : undefined;
    if (!lastFree && last && awaitsLastAgent(core, entry, last)) continue;
    offerEntry(core, entry, pool, lastFree ? { lastAgent: lastFree } : undefined);
    // Only an offer takes a free agent, so this is the one place the answer can change.
    if (!anyFree(core)) break;
  }
}

function anyFree(core: RouterCore): boolean {
  const seats = core.state.seats;
  for (const agentId in seats) if (seats[agentId]!.state.type === 'available') return true;
  return false;
}
