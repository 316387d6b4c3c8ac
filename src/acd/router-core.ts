import { canCallBack } from './callback.js';
import type { AgentDefinition, SkillMap } from '../agents/schema.js';
import { createSeat } from '../agents/seat.js';
import { sortEntries, type WaitingEntry } from './entries.js';
import { averageHandleSeconds, estimateWaitSeconds } from './estimate.js';
import type { Decision, RouterInputType, RouterState } from './router-types.js';
import type { QueueDefinition } from './schema.js';
import { meetsSkills } from './strategies.js';
import { penaltyBar, wideningAt, widenSkills } from './widening.js';

export const TIMER_KINDS = [
  'maxwait',
  'announce',
  'ring',
  'wrap',
  'cbretry',
  'cbopen',
  'declined',
  'lastagent',
  'reserved',
  'widen',
] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** The timers keyed by a line entry (not by an agent, `wrap`, or a queue, `cbopen`): they go with it. */
const ENTRY_TIMER_KINDS = TIMER_KINDS.filter((kind) => kind !== 'wrap' && kind !== 'cbopen');

/** Timer keys are "kind:id" (id = interaction, agent or queue id), so the orchestrator can treat them as opaque. */
export const timerKey = (kind: TimerKind, id: string): string => `${kind}:${id}`;

export function parseTimerKey(key: string): { kind: TimerKind; id: string } | null {
  const colon = key.indexOf(':');
  if (colon < 0) return null;
  const kind = key.slice(0, colon) as TimerKind;
  return TIMER_KINDS.includes(kind) ? { kind, id: key.slice(colon + 1) } : null;
}

export interface MemberInfo {
  agentId: string;
  penalty: number;
  order: number;
}

export function emptyRouterState(): RouterState {
  return { seats: {}, entries: [], roundRobin: {}, timers: {}, handleSamples: {} };
}

/**
 * Configuration plus mutable state for one `handle` call, with the small helpers every handler needs.
 * Decisions are collected in `out` in the order they should be carried out.
 */
export class RouterCore {
  readonly queues: Map<string, QueueDefinition>;
  readonly agents: Map<string, AgentDefinition>;
  readonly members = new Map<string, MemberInfo[]>();
  out: Decision[] = [];
  now = 0;

  constructor(
    queues: readonly QueueDefinition[],
    agents: readonly AgentDefinition[],
    readonly rng: () => number,
    public state: RouterState,
    seatsSince = 0,
  ) {
    this.queues = new Map(queues.map((q) => [q.id, q]));
    this.agents = new Map(agents.map((a) => [a.id, a]));
    for (const q of queues) this.members.set(q.id, []);
    for (const agent of agents) {
      state.seats[agent.id] ??= createSeat(agent.id, seatsSince);
      for (const m of agent.queues ?? []) {
        this.members
          .get(m.queueId)
          ?.push({ agentId: agent.id, penalty: m.penalty ?? 0, order: m.order ?? 0 });
      }
    }
  }

  /** Why a number may not be dialled on the trunk (the outbound rules), or null; injected by the owner. */
  numberRefusal: (number: string) => string | null = () => null;

  /** Why a callback to `number` cannot be made: withheld, or barred by the outbound rules. */
  callbackBlocker(number: string): 'no_number' | 'not_allowed' | undefined {
    if (!canCallBack(number)) return 'no_number';
    return this.numberRefusal(number) === null ? undefined : 'not_allowed';
  }

  readonly queueOf = (entry: WaitingEntry): QueueDefinition => {
    const queue = this.queues.get(entry.queueId);
    if (!queue) throw new Error(`entry ${entry.interactionId} refers to unknown queue ${entry.queueId}`);
    return queue;
  };

  emit(decision: Decision): void {
    this.out.push(decision);
  }

  refuse(input: RouterInputType, code: string, reason: string): void {
    this.emit({ type: 'refused', input, code, reason });
  }

  entry(interactionId: string): WaitingEntry | undefined {
    return this.state.entries.find((e) => e.interactionId === interactionId);
  }

  /**
   * The queue a new entry joins, or a refusal: the queue does not exist, or the interaction is in line
   * already.
   */
  queueToJoin(input: {
    type: RouterInputType;
    interactionId: string;
    queueId: string;
  }): QueueDefinition | undefined {
    const queue = this.queues.get(input.queueId);
    if (!queue) {
      this.refuse(input.type, 'UNKNOWN_QUEUE', `Queue "${input.queueId}" does not exist.`);
      return undefined;
    }
    if (this.entry(input.interactionId)) {
      this.refuse(
        input.type,
        'DUPLICATE_INTERACTION',
        `Interaction "${input.interactionId}" is already queued.`,
      );
      return undefined;
    }
    return queue;
  }

  /** A caller entry (not a callback), or a refusal naming why the input does not apply. */
  callerEntry(input: { type: RouterInputType; interactionId: string }): WaitingEntry | undefined {
    const entry = this.entry(input.interactionId);
    if (entry?.kind !== 'caller') {
      this.refuse(
        input.type,
        'NOT_WAITING',
        `Interaction "${input.interactionId}" is not a caller waiting in a queue.`,
      );
      return undefined;
    }
    return entry;
  }

  /** Removes an entry and cancels every timer that belongs to it. */
  removeEntry(interactionId: string): void {
    this.state.entries = this.state.entries.filter((e) => e.interactionId !== interactionId);
    for (const kind of ENTRY_TIMER_KINDS) this.cancel(timerKey(kind, interactionId));
  }

  schedule(key: string, at: number): void {
    this.state.timers[key] = at;
    this.emit({ type: 'scheduleTimer', key, at });
  }

  cancel(key: string): void {
    if (!(key in this.state.timers)) return;
    delete this.state.timers[key];
    this.emit({ type: 'cancelTimer', key });
  }

  line(queueId: string): WaitingEntry[] {
    return sortEntries(
      this.state.entries.filter((e) => e.queueId === queueId),
      this.queueOf,
      this.now,
    );
  }

  position(entry: WaitingEntry): number {
    return this.line(entry.queueId).findIndex((e) => e.interactionId === entry.interactionId) + 1;
  }

  /**
   * Members who are logged in, hold the skills the queue's callers need once widened as far as its
   * `widening` goes and whose penalty it allows by then: the queue can be served at all, if not at once (a
   * caller it will let a back-up agent take after a minute waits for that, not the no-agents fallback; one
   * whose only agent on has a penalty it never allows goes there).
   */
  staffedMembers(queueId: string, callerSkills: SkillMap = {}): MemberInfo[] {
    const queue = this.queues.get(queueId);
    if (!queue) return [];
    const widest = wideningAt(queue, Number.POSITIVE_INFINITY);
    const needed = widenSkills({ ...queue.requiredSkills, ...callerSkills }, widest);
    return (this.members.get(queueId) ?? []).filter((m) => {
      // A member whose penalty the widening never allows could never be offered a caller.
      if (penaltyBar(m.penalty, widest) !== undefined) return false;
      const seat = this.state.seats[m.agentId];
      const agent = this.agents.get(m.agentId);
      return seat && agent && seat.state.type !== 'logged_out' && meetsSkills(agent.skills ?? {}, needed);
    });
  }

  estimate(entry: WaitingEntry): number | null {
    return this.estimateAt(this.queueOf(entry), this.position(entry));
  }

  /** The wait at `position` in the line of `queue`, for callers needing `callerSkills` there. */
  estimateAt(queue: QueueDefinition, position: number, callerSkills: SkillMap = {}): number | null {
    const serving = this.staffedMembers(queue.id, callerSkills).filter(
      (m) => this.state.seats[m.agentId]?.state.type !== 'not_ready',
    ).length;
    const aht = averageHandleSeconds(this.state.handleSamples[queue.id] ?? [], queue.defaultHandleSeconds);
    return estimateWaitSeconds(position, aht, serving);
  }
}
