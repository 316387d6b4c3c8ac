import type { AgentDefinition } from '../agents/schema.js';
import type { AgentInput, AgentSeat } from '../agents/seat.js';
import { callbackTransition } from './callback.js';
import { isVip, sortEntries, type WaitingEntry } from './entries.js';
import { emptyRouterState, parseTimerKey, RouterCore, timerKey } from './router-core.js';
import { route } from './router-matching.js';
import { applySeat, policyOf, resolveWrapUpSeconds, withdrawOffers } from './router-seats.js';
import { placeEntry, registerCallback, sendToTarget } from './router-targets.js';
import type { Decision, RouterInput, RouterState } from './router-types.js';
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
    this.core = new RouterCore(options.queues, options.agents, options.rng, state);
  }

  handle(input: RouterInput, now: number): Decision[] {
    const core = this.core;
    core.now = now;
    core.out = [];
    this.dispatch(input);
    this.overflowOverdue();
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

  /** Entries in line order at `now`, optionally for one queue. */
  waiting(now: number, queueId?: string): WaitingEntry[] {
    const entries = this.core.state.entries.filter((e) => queueId === undefined || e.queueId === queueId);
    return structuredClone(sortEntries(entries, this.core.queueOf, now));
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
        this.requestCallback(input);
        break;
      case 'callbackResult':
        this.callbackResult(input);
        break;
      case 'cancelCallback':
        this.cancelCallback(input);
        break;
      case 'agent':
        this.agent(input);
        break;
      case 'timerFired':
        this.timerFired(input);
        break;
    }
  }

  private callerArrived(input: InputOf<'callerArrived'>): void {
    const core = this.core;
    const queue = core.queues.get(input.queueId);
    if (!queue) {
      core.refuse(input.type, 'UNKNOWN_QUEUE', `Queue "${input.queueId}" does not exist.`);
      return;
    }
    if (core.entry(input.interactionId)) {
      core.refuse(
        input.type,
        'DUPLICATE_INTERACTION',
        `Interaction "${input.interactionId}" is already queued.`,
      );
      return;
    }
    const entry: WaitingEntry = {
      interactionId: input.interactionId,
      queueId: queue.id,
      kind: 'caller',
      callerNumber: input.callerNumber,
      basePriority: input.priority ?? 0,
      vip: isVip(queue, input.callerNumber),
      requiredSkills: input.skills ?? {},
      enqueuedAt: core.now,
      queueEnteredAt: core.now,
      frontOfLine: false,
      ronaCount: 0,
      declinedBy: [],
      status: { type: 'waiting' },
      callback: null,
    };
    placeEntry(core, entry, 0);
  }

  /** A waiting caller entry, or a refusal naming why the input does not apply. */
  private callerEntry(input: RouterInput & { interactionId: string }): WaitingEntry | undefined {
    const entry = this.core.entry(input.interactionId);
    if (entry?.kind !== 'caller') {
      this.core.refuse(
        input.type,
        'NOT_WAITING',
        `Interaction "${input.interactionId}" is not a caller waiting in a queue.`,
      );
      return undefined;
    }
    return entry;
  }

  private callerLeft(input: InputOf<'callerLeft'>): void {
    const entry = this.callerEntry(input);
    if (!entry) return;
    const wasRinging = entry.status.type === 'offering';
    withdrawOffers(this.core, entry, 'caller_left');
    this.core.removeEntry(entry.interactionId);
    const waitedMs = this.core.now - entry.enqueuedAt;
    this.core.emit({
      type: 'abandoned',
      interactionId: entry.interactionId,
      queueId: entry.queueId,
      waitedMs,
      wasRinging,
    });
  }

  private dtmf(input: InputOf<'dtmf'>): void {
    const entry = this.callerEntry(input);
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
    withdrawOffers(this.core, entry, 'caller_left');
    this.core.removeEntry(entry.interactionId);
    const target = queue.exitTarget;
    this.core.emit({
      type: 'exit',
      interactionId: entry.interactionId,
      queueId: queue.id,
      digit: input.digit,
      target,
    });
    sendToTarget(this.core, entry, target, 0);
  }

  private requestCallback(input: InputOf<'requestCallback'>): void {
    const entry = this.callerEntry(input);
    if (!entry) return;
    withdrawOffers(this.core, entry, 'caller_left');
    registerCallback(this.core, entry);
  }

  private callbackEntry(input: RouterInput & { interactionId: string }): WaitingEntry | undefined {
    const entry = this.core.entry(input.interactionId);
    if (!entry?.callback) {
      this.core.refuse(
        input.type,
        'NOT_A_CALLBACK',
        `Interaction "${input.interactionId}" is not a queued callback.`,
      );
      return undefined;
    }
    return entry;
  }

  private closeCallback(entry: WaitingEntry): void {
    this.core.removeEntry(entry.interactionId);
    const { callback } = entry;
    if (!callback) return;
    this.core.emit({
      type: 'callbackClosed',
      interactionId: entry.interactionId,
      queueId: entry.queueId,
      reason: callback.closedReason ?? 'cancelled',
      attempts: callback.attempts,
    });
  }

  private callbackResult(input: InputOf<'callbackResult'>): void {
    const core = this.core;
    const entry = this.callbackEntry(input);
    if (!entry?.callback) return;
    const result = callbackTransition(
      entry.callback,
      { type: 'attemptResult', outcome: input.outcome },
      policyOf(core, entry),
      core.now,
    );
    if (!result.ok) {
      core.refuse(input.type, result.code, result.reason);
      return;
    }
    entry.callback = result.state;
    entry.status = { type: 'waiting' };
    if (result.state.status === 'closed') {
      this.closeCallback(entry);
      return;
    }
    for (const effect of result.effects) {
      if (effect.type !== 'scheduleRetry') continue;
      core.schedule(timerKey('cbretry', entry.interactionId), effect.at);
      const attempts = result.state.attempts;
      core.emit({
        type: 'callbackRetryScheduled',
        interactionId: entry.interactionId,
        queueId: entry.queueId,
        at: effect.at,
        attempts,
      });
    }
  }

  private cancelCallback(input: InputOf<'cancelCallback'>): void {
    const core = this.core;
    const entry = this.callbackEntry(input);
    if (!entry?.callback) return;
    const result = callbackTransition(entry.callback, { type: 'cancel' }, policyOf(core, entry), core.now);
    if (!result.ok) {
      core.refuse(input.type, result.code, result.reason);
      return;
    }
    withdrawOffers(core, entry, 'callback_cancelled');
    entry.callback = result.state;
    this.closeCallback(entry);
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
    const accepted = applySeat(core, input.agentId, command, input.type);
    if (accepted && command.type === 'logout') this.fallbackUnstaffedQueues(input.agentId);
  }

  /** When the last logged-in member leaves, callers still waiting go to the queue's no-agents fallback. */
  private fallbackUnstaffedQueues(agentId: string): void {
    const core = this.core;
    for (const membership of core.agents.get(agentId)?.queues ?? []) {
      const queue = core.queues.get(membership.queueId);
      if (!queue?.noAgentsFallback || core.staffedMembers(queue.id).length > 0) continue;
      for (const entry of core.line(queue.id)) {
        if (entry.kind !== 'caller' || entry.status.type !== 'waiting') continue;
        core.removeEntry(entry.interactionId);
        const target = queue.noAgentsFallback;
        core.emit({
          type: 'fallback',
          interactionId: entry.interactionId,
          queueId: queue.id,
          target,
          reason: 'no_agents_logged_in',
        });
        sendToTarget(core, entry, target, 1);
      }
    }
  }

  private timerFired(input: InputOf<'timerFired'>): void {
    const core = this.core;
    const due = core.state.timers[input.key];
    const parsed = parseTimerKey(input.key);
    if (due === undefined || !parsed) {
      core.refuse(
        input.type,
        'STALE_TIMER',
        `Timer "${input.key}" is not pending (cancelled, replaced or unknown).`,
      );
      return;
    }
    if (core.now < due) {
      core.refuse(
        input.type,
        'TIMER_NOT_DUE',
        `Timer "${input.key}" is due at ${new Date(due).toISOString()}.`,
      );
      return;
    }
    delete core.state.timers[input.key];
    const entry = core.entry(parsed.id);
    switch (parsed.kind) {
      case 'maxwait': // overflowOverdue() runs after every event and handles it
      case 'cbopen': // routing runs after every event; the hours are open now
        return;
      case 'announce': {
        if (entry?.kind !== 'caller') return;
        const announce = core.queueOf(entry).announce;
        const every = announce?.everySeconds ?? 0;
        if (every > 0) core.schedule(input.key, core.now + every * 1000);
        if (entry.status.type !== 'waiting') return; // ringing an agent: do not talk over it
        core.emit({
          type: 'announce',
          interactionId: entry.interactionId,
          queueId: entry.queueId,
          position: core.position(entry),
          estimatedWaitSeconds: core.estimate(entry),
          sayPosition: announce?.position ?? true,
          sayEstimatedWait: announce?.estimatedWait ?? false,
        });
        return;
      }
      case 'ring': {
        if (entry?.status.type !== 'offering') return;
        for (const agentId of entry.status.agentIds) {
          core.emit({
            type: 'cancelOffer',
            interactionId: entry.interactionId,
            agentId,
            reason: 'ring_timeout',
          });
          applySeat(core, agentId, { type: 'ringTimeout', interactionId: entry.interactionId }, input.type);
        }
        return;
      }
      case 'wrap':
        applySeat(core, parsed.id, { type: 'wrapUpExpired' }, input.type);
        return;
      case 'cbretry': {
        if (!entry?.callback) return;
        const result = callbackTransition(
          entry.callback,
          { type: 'retryDue' },
          policyOf(core, entry),
          core.now,
        );
        if (!result.ok) {
          core.refuse(input.type, result.code, result.reason);
          return;
        }
        entry.callback = result.state;
        return;
      }
    }
  }

  /**
   * Max wait: a waiting caller past its deadline overflows. A caller that is ringing an agent is not
   * pulled away; it overflows as soon as that offer fails (checked after every event).
   */
  private overflowOverdue(): void {
    const core = this.core;
    for (const entry of [...core.state.entries]) {
      const queue = core.queueOf(entry);
      if (entry.kind !== 'caller' || entry.status.type !== 'waiting') continue;
      if (queue.maxWaitSeconds === undefined || !queue.overflowTarget) continue;
      if (core.now < entry.queueEnteredAt + queue.maxWaitSeconds * 1000) continue;
      core.removeEntry(entry.interactionId);
      const target = queue.overflowTarget;
      core.emit({
        type: 'overflow',
        interactionId: entry.interactionId,
        fromQueueId: queue.id,
        target,
        reason: 'max_wait',
      });
      sendToTarget(core, entry, target, 1);
    }
  }
}
