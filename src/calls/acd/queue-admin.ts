import type { QueueDefinition } from '../../acd/schema.js';
import { validateQueueSet } from '../../acd/validate-queues.js';
import { validateAgentDefinitions } from '../../agents/schema.js';
import type { AgentDefinition } from '../../agents/schema.js';
import type { ValidationIssue } from '../../agents/validation.js';
import type { QueueStore } from '../../store/queue-store.js';
import type { AcdRuntime } from './acd-runtime.js';

export class QueueDefinitionRejected extends Error {
  readonly code = 'QUEUE_DEFINITION_INVALID';
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((i) => i.message).join('; '));
  }
}

/** A queue that cannot be deleted while something routes callers to it or callers wait in it. */
export class QueueInUse extends Error {
  readonly code = 'QUEUE_IN_USE';
}

/** The queues a queue sends callers on to (overflow, fallback, queue full, exit key). */
function queueTargets(queue: QueueDefinition): string[] {
  return Object.values(queue).flatMap((value) =>
    value && typeof value === 'object' && (value as { type?: unknown }).type === 'queue'
      ? [String((value as { queueId?: unknown }).queueId)]
      : [],
  );
}

/**
 * Queue definitions: the config file's queues plus those created through the API, persisted in SQLite.
 * Every change is validated as a whole set (targets, cycles, agent memberships) before anything is
 * written; a rejected change leaves the stored queues and the running ACD exactly as they were.
 */
export class QueueAdmin {
  private queues: QueueDefinition[] = [];
  /** Changes run one at a time: each starts from the set the previous one left (none is lost). */
  private changes: Promise<unknown> = Promise.resolve();
  /** What else routes callers to a queue (dialed-number routes, IVR flows), named for a refusal. */
  usedElsewhere: (queueId: string) => string[] = () => [];

  constructor(
    private readonly store: QueueStore,
    private readonly agents: () => AgentDefinition[],
    private readonly now: () => number = Date.now,
  ) {}

  list(): QueueDefinition[] {
    return this.queues;
  }

  get(id: string): QueueDefinition | undefined {
    return this.queues.find((q) => q.id === id);
  }

  /** Loads the stored queues with the config file's queues applied over them. */
  async load(fromConfig: QueueDefinition[]): Promise<QueueDefinition[]> {
    const stored = await this.store.all();
    const merged = [...stored.filter((q) => !fromConfig.some((c) => c.id === q.id)), ...fromConfig];
    const valid = this.validate(merged);
    await this.store.replace(fromConfig, [], 'config', this.now());
    this.queues = valid;
    return valid;
  }

  put(definition: unknown, id: string, acd: AcdRuntime): Promise<QueueDefinition> {
    return this.serially(() => this.putNow(definition, id, acd));
  }

  remove(id: string, acd: AcdRuntime): Promise<void> {
    return this.serially(() => this.removeNow(id, acd));
  }

  private serially<T>(change: () => Promise<T>): Promise<T> {
    const done = this.changes.then(change, change);
    this.changes = done.catch(() => undefined);
    return done;
  }

  private async putNow(definition: unknown, id: string, acd: AcdRuntime): Promise<QueueDefinition> {
    if (typeof definition === 'object' && definition !== null && (definition as { id?: unknown }).id !== id) {
      throw new QueueDefinitionRejected([
        { code: 'ID_MISMATCH', path: 'id', message: `id: must be "${id}", as in the URL` },
      ]);
    }
    const next = [...this.queues.filter((q) => q.id !== id), definition as QueueDefinition];
    const valid = this.validate(next);
    const saved = valid.find((q) => q.id === id)!;
    await this.store.replace([saved], [], 'api', this.now());
    this.queues = valid;
    acd.reconfigure(valid, this.agents());
    return saved;
  }

  private async removeNow(id: string, acd: AcdRuntime): Promise<void> {
    const users = [
      ...this.agents()
        .filter((a) => (a.queues ?? []).some((m) => m.queueId === id))
        .map((a) => `agent ${a.id}`),
      ...this.queues.filter((q) => q.id !== id && queueTargets(q).includes(id)).map((q) => `queue ${q.id}`),
      ...this.usedElsewhere(id),
    ];
    if (users.length > 0) {
      throw new QueueInUse(`queue ${id} is still used by ${users.join(', ')}: change those first`);
    }
    if (acd.router.waiting(acd.now(), id).length > 0) {
      throw new QueueInUse(`queue ${id} has callers waiting`);
    }
    const next = this.queues.filter((q) => q.id !== id);
    const valid = this.validate(next);
    await this.store.replace([], [id], 'api', this.now());
    this.queues = valid;
    acd.reconfigure(valid, this.agents());
  }

  private validate(queues: unknown[]): QueueDefinition[] {
    const result = validateQueueSet(queues);
    if (!result.ok) throw new QueueDefinitionRejected(result.issues);
    const agents = validateAgentDefinitions(this.agents(), new Set(result.value.map((q) => q.id)));
    if (!agents.ok) throw new QueueDefinitionRejected(agents.issues);
    return result.value;
  }
}
