import type { AgentDefinition, SkillMap } from '../agents/schema.js';
import type { QueueOutlook } from '../ivr/types.js';
import type { AgentInput, AgentSeat } from '../agents/seat.js';
import { sortEntries, type WaitingEntry, waitedSoFar, waitingEntry } from './entries.js';
import { emptyRouterState, RouterCore } from './router-core.js';
import { route } from './router-matching.js';
import { applySeat, resolveWrapUpSeconds, withdrawOffers } from './router-seats.js';
import {
  abandonedCallbackFor,
  bookAbandonedCallback,
  cancelCallback,
  moveCallback,
  callbackResult,
  requestCallback,
  restoreCallback,
  scheduleCallback,
} from './router-callbacks.js';
import {
  callbackUnavailable,
  fallbackUnstaffedQueues,
  overflowOverdue,
  placeEntry,
  sendToTarget,
} from './router-targets.js';
import { moveCaller, serveFirst } from './router-supervisor.js';
import { queuesChanged, timerFired } from './router-timers.js';
import { widenWaiting } from './router-widening.js';
import type { Decision, RouterInput, RouterState, SeatChanger } from './router-types.js';
import type { QueueDefinition } from './schema.js';

type InputOf<T extends RouterInput['type']> = Extract<RouterInput, { type: T }>;

export interface QueueRouterOptions {
  /** Validated definitions (see validateQueueSet / validateAgentDefinitions). */
  queues: readonly QueueDefinition[];
  agents: readonly AgentDefinition[];
  /** Randomness for the `random` strategy; inject a seeded generator in tests. */
  rng: () => number;
  /** State to resume from (e.g. a persisted snapshot). Seats missing from it start logged out. */
  state?: RouterState;
  /** When those new seats became logged out (the caller's clock: the router has none). Default 0. */
  seatsSince?: number;
  /**
   * Why a number may not be dialled on the trunk (the outbound rules agents dial by), or null: a callback
   * to such a number is not taken. Default: every number may.
   */
  numberRefusal?: (number: string) => string | null;
}

/**
 * Pure ACD router: inputs in, decisions out, no I/O and no clock. Every `handle` call processes one
 * event and then routes immediately, so calls are offered on the triggering event, never by polling.
 * Timers are requested as `scheduleTimer` decisions and come back as `timerFired` inputs.
 */
export class QueueRouter {
  private readonly core: RouterCore;

  constructor(options: QueueRouterOptions) {
    const state = options.state ? structuredClone(options.state) : emptyRouterState();
    this.core = new RouterCore(options.queues, options.agents, options.rng, state, options.seatsSince);
    if (options.numberRefusal) this.core.numberRefusal = options.numberRefusal;
  }

  handle(input: RouterInput, now: number): Decision[] {
    const core = this.core;
    core.now = now;
    core.out = [];
    this.dispatch(input);
    overflowOverdue(core);
    widenWaiting(core);
    route(core);
    return core.out;
  }

  /** A deep copy of the state, for persistence or inspection. */
  snapshot(): RouterState {
    return structuredClone(this.core.state);
  }

  seat(agentId: string): AgentSeat | undefined {
    const seat = this.core.state.seats[agentId];
    return seat ? structuredClone(seat) : undefined;
  }

  /** The agent's ACD calls today (0 for an unknown agent): one number, without copying the seat. */
  callsHandledToday(agentId: string): number {
    return this.core.state.seats[agentId]?.callsHandledToday ?? 0;
  }

  /** The queue whose line holds the call (or callback), ringing an agent included; undefined once it left. */
  lineOf(interactionId: string): string | undefined {
    return this.core.entry(interactionId)?.queueId;
  }

  /** Whether the call is a caller (not a callback request) in a queue's line, ringing an agent included. */
  callerInLine(interactionId: string): boolean {
    return this.core.entry(interactionId)?.kind === 'caller';
  }

  /** Whether the call has a callback request in a queue's line (due, being attempted, or for later). */
  callbackInLine(interactionId: string): boolean {
    return this.core.entry(interactionId)?.kind === 'callback';
  }

  /**
   * Why a number cannot be called back (undefined: it can): the check every callback request is refused by,
   * for a caller asking before any request exists (a web form's, a list's).
   */
  callbackNumberRefusal(
    number: string,
  ): { code: 'NO_CALLBACK_NUMBER' | 'CALLBACK_NUMBER_NOT_ALLOWED'; reason: string } | undefined {
    const blocked = this.core.callbackBlocker(number);
    if (!blocked) return undefined;
    return blocked === 'no_number'
      ? { code: 'NO_CALLBACK_NUMBER', reason: `"${number}" is not a number that can be called back` }
      : {
          code: 'CALLBACK_NUMBER_NOT_ALLOWED',
          reason: `"${number}" may not be called back: ${this.core.numberRefusal(number)}`,
        };
  }

  /** Why the outbound rules (blocked, do not call, barred destinations) bar calling a number, if they do. */
  whyNotCallable(number: string): string | undefined {
    return this.core.numberRefusal(number) ?? undefined;
  }

  /** The callback requests in a queue's line (due, being attempted, or for later) for this number. */
  callbacksFor(queueId: string, number: string): string[] {
    return this.core.state.entries
      .filter((e) => e.kind === 'callback' && e.queueId === queueId && e.callerNumber === number)
      .map((e) => e.interactionId);
  }

  /** The number a call's callback request in line is to call, if it has one. */
  callbackNumber(interactionId: string): string | undefined {
    const entry = this.core.entry(interactionId);
    return entry?.kind === 'callback' ? entry.callerNumber : undefined;
  }

  /** Entries in line order at `now`, optionally for one queue. */
  waiting(now: number, queueId?: string): WaitingEntry[] {
    const entries = this.core.state.entries.filter((e) => queueId === undefined || e.queueId === queueId);
    return structuredClone(sortEntries(entries, this.core.queueOf, now));
  }

  /**
   * Callers (not callback requests) waiting per queue, counted without copying or sorting the line,
   * cheap enough to ask after every input.
   */
  callersWaiting(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const entry of this.core.state.entries) {
      if (entry.kind === 'caller') counts.set(entry.queueId, (counts.get(entry.queueId) ?? 0) + 1);
    }
    return counts;
  }

  /** A queue's callers on the line (not callback requests): how many, and the first arrival among them. */
  callerLine(queueId: string): { waiting: number; oldestEnqueuedAt: number | null } {
    let waiting = 0;
    let oldest: number | null = null;
    for (const entry of this.core.state.entries) {
      if (entry.kind !== 'caller' || entry.queueId !== queueId) continue;
      waiting++;
      if (oldest === null || entry.enqueuedAt < oldest) oldest = entry.enqueuedAt;
    }
    return { waiting, oldestEnqueuedAt: oldest };
  }

  /**
   * What an outbound campaign on the queue may add now: its members free for a call, and the work already in
   * its line to take them (callers, due callback requests, and those booked to be due within `soonMs`, e.g.
   * campaign calls just booked). Counted without copying the line.
   */
  spareAgents(queueId: string, now: number, soonMs = 5_000): { free: number; waiting: number } {
    let free = 0;
    for (const member of this.core.members.get(queueId) ?? []) {
      if (this.core.state.seats[member.agentId]?.state.type === 'available') free++;
    }
    let waiting = 0;
    for (const entry of this.core.state.entries) {
      if (entry.queueId !== queueId || entry.status.type !== 'waiting') continue;
      const cb = entry.callback;
      if (cb?.status === 'retry_wait' && (cb.notBefore ?? 0) > now + soonMs) continue;
      waiting++;
    }
    return { free, waiting };
  }

  /**
   * A queue as a caller about to join it would find it (an IVR flow's `whenQueue`): who is in line, the
   * members on who could take a caller with `skills` and how many of them are free, and the wait a
   * newcomer would be told. Undefined for a queue there is not.
   */
  outlook(queueId: string, skills: SkillMap = {}): QueueOutlook | undefined {
    const queue = this.core.queues.get(queueId);
    if (!queue) return undefined;
    const waiting = this.core.state.entries.filter((e) => e.queueId === queueId).length;
    const on = this.core.staffedMembers(queueId, skills);
    const agentsFree = on.filter((m) => this.core.state.seats[m.agentId]?.state.type === 'available').length;
    return {
      waiting,
      agentsOn: on.length,
      agentsFree,
      estimatedWaitSeconds: this.core.estimateAt(queue, waiting + 1, skills),
    };
  }

  /** Agent ids that are members of the queue (any state). */
  memberIds(queueId: string): string[] {
    return (this.core.members.get(queueId) ?? []).map((m) => m.agentId);
  }

  queueIds(): string[] {
    return [...this.core.queues.keys()];
  }

  queue(queueId: string): QueueDefinition | undefined {
    return this.core.queues.get(queueId);
  }

  private dispatch(input: RouterInput): void {
    switch (input.type) {
      case 'callerArrived':
        this.callerArrived(input);
        break;
      case 'callerLeft':
        this.callerLeft(input);
        break;
      case 'dtmf':
        this.dtmf(input);
        break;
      case 'requestCallback':
        requestCallback(this.core, input);
        break;
      case 'scheduleCallback':
        scheduleCallback(this.core, input);
        break;
      case 'callbackResult':
        callbackResult(this.core, input);
        break;
      case 'cancelCallback':
        cancelCallback(this.core, input);
        break;
      case 'restoreCallback':
        restoreCallback(this.core, input);
        break;
      case 'agent':
        this.agent(input);
        break;
      case 'timerFired':
        timerFired(this.core, input);
        break;
      case 'queuesChanged':
        queuesChanged(this.core);
        break;
      case 'moveCaller':
        moveCaller(this.core, input);
        break;
      case 'serveFirst':
        serveFirst(this.core, input);
        break;
      case 'moveCallback':
        moveCallback(this.core, input);
        break;
    }
  }

  private callerArrived(input: InputOf<'callerArrived'>): void {
    const core = this.core;
    const queue = core.queueToJoin(input);
    if (!queue) return;
    const entry = waitingEntry(queue, {
      interactionId: input.interactionId,
      kind: 'caller',
      callerNumber: input.callerNumber,
      basePriority: input.priority ?? 0,
      requiredSkills: input.skills ?? {},
      enqueuedAt: input.requeued?.enqueuedAt ?? core.now,
      queueEnteredAt: input.requeued?.queueEnteredAt ?? core.now,
      frontOfLine: input.requeued !== undefined && input.requeued.front !== false,
      talkedMs: input.requeued?.talkedMs ?? 0,
      callback: null,
      ...(input.lastAgent ? { lastAgent: input.lastAgent } : {}),
      ...(input.reservedFor ? { reservedFor: { ...input.reservedFor } } : {}),
    });
    placeEntry(core, entry, 0);
  }

  private callerLeft(input: InputOf<'callerLeft'>): void {
    const entry = this.core.callerEntry(input);
    if (!entry) return;
    const wasRinging = entry.status.type === 'offering';
    withdrawOffers(this.core, entry, 'caller_left');
    this.core.removeEntry(entry.interactionId);
    const waitedMs = waitedSoFar(entry, this.core.now);
    const callBack = abandonedCallbackFor(this.core, entry, waitedMs);
    this.core.emit({
      type: 'abandoned',
      interactionId: entry.interactionId,
      queueId: entry.queueId,
      waitedMs,
      wasRinging,
      ...(callBack && callBack !== 'book' ? { noCallback: callBack } : {}),
    });
    if (callBack === 'book') bookAbandonedCallback(this.core, entry, waitedMs);
  }

  private dtmf(input: InputOf<'dtmf'>): void {
    const entry = this.core.callerEntry(input);
    if (!entry) return;
    const queue = this.core.queueOf(entry);
    if (queue.exitKey !== input.digit || !queue.exitTarget) {
      this.core.refuse(
        input.type,
        'NOT_AN_EXIT_KEY',
        `Digit "${input.digit}" is not the exit key of queue "${queue.id}".`,
      );
      return;
    }
    const target = queue.exitTarget;
    const blocked = target.type === 'callback' ? this.core.callbackBlocker(entry.callerNumber) : undefined;
    if (blocked) {
      callbackUnavailable(this.core, entry, queue.id, blocked, true);
      return;
    }
    withdrawOffers(this.core, entry, 'caller_left');
    this.core.removeEntry(entry.interactionId);
    this.core.emit({
      type: 'exit',
      interactionId: entry.interactionId,
      queueId: queue.id,
      digit: input.digit,
      target,
    });
    sendToTarget(this.core, entry, target, 0);
  }

  private agent(input: InputOf<'agent'>): void {
    const core = this.core;
    const seat = core.state.seats[input.agentId];
    if (!seat) {
      core.refuse(input.type, 'UNKNOWN_AGENT', `Agent "${input.agentId}" is not configured.`);
      return;
    }
    let command: AgentInput;
    if (input.input.type === 'hangup') {
      const state = seat.state;
      const queueId = state.type === 'talking' || state.type === 'on_hold' ? state.call.queueId : null;
      const wrapUpSeconds = input.input.wrapUpSeconds ?? resolveWrapUpSeconds(core, input.agentId, queueId);
      command = { type: 'hangup', interactionId: input.input.interactionId, wrapUpSeconds };
    } else {
      command = input.input;
    }
    const changer: SeatChanger | undefined = input.by
      ? { by: input.by, ...(input.supervisor ? { supervisor: input.supervisor } : {}) }
      : undefined;
    const accepted = applySeat(core, input.agentId, command, input.type, changer);
    if (accepted && command.type === 'logout') fallbackUnstaffedQueues(this.core, input.agentId);
  }
}
