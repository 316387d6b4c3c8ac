import { type AgentDefinition, validateAgentDefinition } from '../../../src/agents/index.js';
import {
  type Decision,
  type DecisionType,
  type QueueDefinition,
  QueueRouter,
  type QueueRouterOptions,
  type RouterInput,
  validateQueueDefinition,
} from '../../../src/acd/index.js';

export const T0 = Date.UTC(2024, 0, 8, 9, 0, 0); // Monday 09:00 UTC

/** Mulberry32: small, seeded, good enough for fairness tests. */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function queueDef(partial: Partial<QueueDefinition> & { id: string }): QueueDefinition {
  const result = validateQueueDefinition({ name: partial.id, strategy: 'longest_idle', ...partial });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

export function agentDef(
  id: string,
  queues: Array<string | { queueId: string; penalty?: number; order?: number }>,
  extra: Partial<AgentDefinition> = {},
): AgentDefinition {
  const result = validateAgentDefinition({
    id,
    name: id,
    endpoint: `PJSIP/${id}`,
    queues: queues.map((q) => (typeof q === 'string' ? { queueId: q } : q)),
    ...extra,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

/** Drives a QueueRouter with a manual clock and keeps every decision and pending timer for assertions. */
export class Sim {
  readonly router: QueueRouter;
  now = T0;
  readonly log: Decision[] = [];
  readonly timers = new Map<string, number>();

  constructor(
    queues: QueueDefinition[],
    agents: AgentDefinition[],
    rng: () => number = seededRng(1),
    more: Pick<QueueRouterOptions, 'numberRefusal'> = {},
  ) {
    this.router = new QueueRouter({ queues, agents, rng, ...more });
  }

  send(input: RouterInput): Decision[] {
    const out = this.router.handle(input, this.now);
    for (const d of out) {
      if (d.type === 'scheduleTimer') this.timers.set(d.key, d.at);
      if (d.type === 'cancelTimer') this.timers.delete(d.key);
    }
    this.log.push(...out);
    return out;
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /** Moves the clock to the timer's due time and fires it. */
  fire(key: string): Decision[] {
    const at = this.timers.get(key);
    if (at === undefined)
      throw new Error(`no pending timer ${key}; pending: ${[...this.timers.keys()].join(', ')}`);
    this.now = Math.max(this.now, at);
    this.timers.delete(key);
    return this.send({ type: 'timerFired', key });
  }

  /** Fires every timer due up to `until` in time order (like a real scheduler would). */
  runUntil(until: number): void {
    for (;;) {
      const next = [...this.timers.entries()].filter(([, at]) => at <= until).sort((a, b) => a[1] - b[1])[0];
      if (!next) break;
      this.fire(next[0]);
    }
    this.now = Math.max(this.now, until);
  }

  agent(agentId: string, input: Extract<RouterInput, { type: 'agent' }>['input']): Decision[] {
    return this.send({ type: 'agent', agentId, input });
  }

  login(...agentIds: string[]): void {
    for (const id of agentIds) this.agent(id, { type: 'login', endpoint: `PJSIP/${id}` });
  }

  arrive(
    interactionId: string,
    queueId: string,
    extra: Partial<Extract<RouterInput, { type: 'callerArrived' }>> = {},
  ) {
    return this.send({ type: 'callerArrived', interactionId, queueId, callerNumber: '+15550001', ...extra });
  }
}

export function ofType<T extends DecisionType>(
  decisions: Decision[],
  type: T,
): Array<Extract<Decision, { type: T }>> {
  return decisions.filter((d): d is Extract<Decision, { type: T }> => d.type === type);
}

export function only<T extends DecisionType>(decisions: Decision[], type: T): Extract<Decision, { type: T }> {
  const found = ofType(decisions, type);
  if (found.length !== 1) {
    throw new Error(
      `expected exactly one ${type}, got ${found.length}: ${JSON.stringify(decisions.map((d) => d.type))}`,
    );
  }
  return found[0]!;
}

/** Agents offered in the decisions (offer or callbackDue). */
export function offeredAgents(decisions: Decision[]): string[] {
  return decisions.flatMap((d) =>
    d.type === 'offer' || d.type === 'callbackDue' ? d.targets.map((t) => t.agentId) : [],
  );
}

/** The instants a zone's UTC offset changes in 2026 (a clock change), found every `stepMs`. */
export function clockChanges(timeZone: string, stepMs = 3_600_000): number[] {
  const format = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' });
  const offset = (t: number) => format.format(t).split(' ').at(-1);
  const found: number[] = [];
  for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += stepMs) {
    if (offset(t) !== offset(t + stepMs)) found.push(t);
  }
  return found;
}
