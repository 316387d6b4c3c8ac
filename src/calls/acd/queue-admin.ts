import { definitionVersion } from '../../acd/definition-version.js';
import type { QueueDefinition } from '../../acd/schema.js';
import {
  afterCallFlowIssues,
  soundIssues,
  holdMusicIssues,
  validateQueueSet,
} from '../../acd/validate-queues.js';
import { validateAgentDefinitions } from '../../agents/schema.js';
import type { AgentDefinition, QueueMembership, SkillMap } from '../../agents/schema.js';
import type { ValidationIssue } from '../../agents/validation.js';
import type { MembershipStore, QueueStore } from '../../store/queue-store.js';
import { ConfigError } from '../../config/load.js';
import type { AcdRuntime } from './acd-runtime.js';

export class QueueDefinitionRejected extends Error {
  readonly code = 'QUEUE_DEFINITION_INVALID';
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((i) => i.message).join('; '));
  }
}

/** A queue or agent the request names does not exist. */
export class NotFound extends Error {
  constructor(
    readonly code: 'QUEUE_NOT_FOUND' | 'AGENT_NOT_FOUND' | 'NOT_A_MEMBER',
    message: string,
  ) {
    super(message);
  }
}

/** A queue that cannot be deleted while something routes callers to it or callers wait in it. */
export class QueueInUse extends Error {
  readonly code = 'QUEUE_IN_USE';
}

/**
 * A queue, an agent's skills or their place in a queue changed (or went) since the version a change was
 * based on: making it would overwrite that unseen.
 */
export class ChangedMeanwhile extends Error {
  constructor(
    readonly code: 'QUEUE_CHANGED' | 'SKILLS_CHANGED' | 'MEMBER_CHANGED' | 'QUEUE_EXISTS' | 'MEMBER_EXISTS',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The versions a change is based on (HTTP If-Match: `definitionVersion`s, or `*` for "as long as it exists");
 * absent: the change applies to whatever is there (last save wins).
 */
export type BasedOn = readonly string[] | undefined;
/** A change that makes something, or one based on a version of it: `absent` (HTTP If-None-Match `*`) only makes. */
export type MadeOrBasedOn = BasedOn | 'absent';

/** Refuses a change based on a version that is no longer the one in force (called in turn with the others). */
function checkBasedOn(
  current: unknown,
  basedOn: BasedOn,
  refusal: (version: string | undefined) => ChangedMeanwhile,
): void {
  if (basedOn === undefined) return;
  if (current === undefined) throw refusal(undefined);
  const version = definitionVersion(current);
  if (basedOn.includes('*') || basedOn.includes(version)) return;
  throw refusal(version);
}

/** An agent's place in a queue, with its version: a change based on it is refused once it changed. */
export interface QueueMember {
  agentId: string;
  penalty: number;
  order: number;
  version: string;
}

/** What a membership sets, defaults filled in: a penalty or order left out is 0, and the same version. */
const memberPlace = (m: QueueMembership) => ({ penalty: m.penalty ?? 0, order: m.order ?? 0 });

function queueMember(agentId: string, m: QueueMembership): QueueMember {
  const place = memberPlace(m);
  return { agentId, ...place, version: definitionVersion(place) };
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
  /** Each agent's skills as the config file has them, before any set through the API. */
  private readonly skillsFromFileOf = new Map<string, SkillMap>();
  /** Each agent's memberships as the config file has them, before any set through the API. */
  private readonly fromFile = new Map<string, QueueMembership[]>();
  /** Changes run one at a time: each starts from the set the previous one left (none is lost). */
  private changes: Promise<unknown> = Promise.resolve();
  /** What else routes callers to a queue (dialed-number routes, IVR flows), named for a refusal. */
  usedElsewhere: (queueId: string) => string[] = () => [];
  /**
   * The sound names Asterisk has, read when asked (a sound added since is found), or undefined when they
   * cannot be known (Asterisk's sounds are not on this machine): then the sounds queues name are not checked.
   */
  knownSounds: () => Promise<ReadonlySet<string> | undefined> = async () => undefined;
  /** The IVR flows loaded now (an after-call flow must be one), or undefined when not known. */
  knownFlows: () => ReadonlySet<string> | undefined = () => undefined;
  /** The hold music classes Asterisk defines (a queue's must be one), or undefined when not known. */
  knownHoldMusicClasses: () => ReadonlySet<string> | undefined = () => undefined;

  /**
   * @param agents the live agent definitions: membership changes replace an agent in this very array, so
   *   everyone holding it sees them.
   */
  constructor(
    private readonly store: QueueStore,
    private readonly agents: () => AgentDefinition[],
    private readonly now: () => number = Date.now,
    private readonly memberships?: MembershipStore,
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

  /**
   * Applies the memberships changed through the API over the config file's (each agent's whole list).
   * Memberships of queues that are gone are dropped; an agent no longer configured is ignored.
   */
  async loadMemberships(): Promise<void> {
    const agents = this.agents();
    for (const agent of agents) this.fromFile.set(agent.id, agent.queues ?? []);
    for (const agent of agents) this.skillsFromFileOf.set(agent.id, agent.skills ?? {});
    if (!this.memberships) return;
    const queueIds = new Set(this.queues.map((q) => q.id));
    for (const [agentId, queues] of await this.memberships.all()) {
      const i = agents.findIndex((a) => a.id === agentId);
      if (i < 0) continue;
      agents[i] = { ...agents[i]!, queues: queues.filter((m) => queueIds.has(m.queueId)) };
    }
    // Skills set through the API, each agent's whole map over the config file's.
    for (const [agentId, skills] of await this.memberships.allSkills()) {
      const i = agents.findIndex((a) => a.id === agentId);
      if (i >= 0) agents[i] = { ...agents[i]!, skills };
    }
    this.validate(this.queues);
  }

  /** An agent's skills now (undefined: no such agent). */
  hasAgent(agentId: string): boolean {
    return this.agents().some((a) => a.id === agentId);
  }

  skillsOf(agentId: string): SkillMap | undefined {
    return this.agents().find((a) => a.id === agentId)?.skills;
  }

  /** Sets an agent's skills (their whole map); routing follows at once, kept over the config file's. */
  setSkills(agentId: string, skills: SkillMap, acd: AcdRuntime, basedOn?: BasedOn): Promise<SkillMap> {
    return this.serially(async () => {
      const agent = this.agentOrThrow(agentId);
      this.checkSkillsBasedOn(agent, basedOn);
      await this.changeAgent({ ...agent, skills }, acd, () =>
        this.memberships?.putSkills(agentId, skills, this.now()),
      );
      return skills;
    });
  }

  /** Drops the skills set for the agent through the API: the config file's again. Returns them. */
  skillsFromFile(agentId: string, acd: AcdRuntime, basedOn?: BasedOn): Promise<SkillMap> {
    return this.serially(async () => {
      const agent = this.agentOrThrow(agentId);
      this.checkSkillsBasedOn(agent, basedOn);
      const skills = this.skillsFromFileOf.get(agentId) ?? {};
      await this.changeAgent({ ...agent, skills }, acd, () => this.memberships?.removeSkills(agentId));
      return skills;
    });
  }

  /** The members of a queue: agent, penalty, order, and the version of that place (for a change based on it). */
  members(queueId: string): QueueMember[] {
    this.queueOrThrow(queueId);
    return this.agents().flatMap((a) =>
      (a.queues ?? []).filter((m) => m.queueId === queueId).map((m) => queueMember(a.id, m)),
    );
  }

  /**
   * Adds an agent to a queue, or changes its penalty and order there; routing follows at once. Based on a
   * version of their place there (`QueueMember.version`), refused if it changed or went since.
   */
  setMember(
    queueId: string,
    agentId: string,
    how: { penalty?: number; order?: number },
    acd: AcdRuntime,
    basedOn?: MadeOrBasedOn,
  ): Promise<QueueMember> {
    return this.serially(async () => {
      this.queueOrThrow(queueId);
      const agent = this.agentOrThrow(agentId);
      if (basedOn !== 'absent') this.checkMemberBasedOn(queueId, agent, basedOn);
      else if (agent.queues?.some((m) => m.queueId === queueId))
        throw new ChangedMeanwhile(
          'MEMBER_EXISTS',
          `${agentId} was added to queue ${queueId} since you looked: read their place and change that`,
        );
      const membership: QueueMembership = { queueId, ...how };
      const others = (agent.queues ?? []).filter((m) => m.queueId !== queueId);
      await this.changeMemberships(agent, [...others, membership], acd);
      return queueMember(agentId, membership);
    });
  }

  /**
   * Takes an agent out of a queue; an offer ringing them for it goes on, no new one comes. Based on a version
   * of their place there, refused if it changed since.
   */
  removeMember(queueId: string, agentId: string, acd: AcdRuntime, basedOn?: BasedOn): Promise<void> {
    return this.serially(async () => {
      this.queueOrThrow(queueId);
      const agent = this.agentOrThrow(agentId);
      const queues = agent.queues ?? [];
      if (!queues.some((m) => m.queueId === queueId)) {
        throw new NotFound('NOT_A_MEMBER', `agent ${agentId} is not a member of queue ${queueId}`);
      }
      this.checkMemberBasedOn(queueId, agent, basedOn);
      await this.changeMemberships(
        agent,
        queues.filter((m) => m.queueId !== queueId),
        acd,
      );
    });
  }

  /**
   * Drops the memberships set through the API for the agent: their queues are the config file's again
   * (those of its queues that still exist). Returns them.
   */
  membershipsFromFile(agentId: string, acd: AcdRuntime): Promise<QueueMembership[]> {
    return this.serially(async () => {
      const agent = this.agentOrThrow(agentId);
      const queueIds = new Set(this.queues.map((q) => q.id));
      const queues = (this.fromFile.get(agentId) ?? []).filter((m) => queueIds.has(m.queueId));
      await this.changeMemberships(agent, queues, acd, 'from file');
      return queues;
    });
  }

  private changeMemberships(
    agent: AgentDefinition,
    queues: QueueMembership[],
    acd: AcdRuntime,
    source: 'api' | 'from file' = 'api',
  ): Promise<void> {
    return this.changeAgent({ ...agent, queues }, acd, () =>
      source === 'api'
        ? this.memberships?.put(agent.id, queues, this.now())
        : this.memberships?.remove(agent.id),
    );
  }

  /** Validates the roster with `updated` in it, keeps it (`persist`), then swaps it in: routing follows. */
  private async changeAgent(
    updated: AgentDefinition,
    acd: AcdRuntime,
    persist: () => Promise<void> | undefined,
  ): Promise<void> {
    const all = this.agents();
    const next = all.map((a) => (a.id === updated.id ? updated : a));
    const valid = validateAgentDefinitions(next, new Set(this.queues.map((q) => q.id)));
    if (!valid.ok) throw new QueueDefinitionRejected(valid.issues);
    await persist();
    all[all.findIndex((a) => a.id === updated.id)] = updated;
    acd.reconfigure(this.queues, all);
  }

  private queueOrThrow(queueId: string): QueueDefinition {
    const queue = this.get(queueId);
    if (!queue) throw new NotFound('QUEUE_NOT_FOUND', `no queue with id ${queueId}`);
    return queue;
  }

  private agentOrThrow(agentId: string): AgentDefinition {
    const agent = this.agents().find((a) => a.id === agentId);
    if (!agent) throw new NotFound('AGENT_NOT_FOUND', `no agent with id ${agentId}`);
    return agent;
  }

  put(definition: unknown, id: string, acd: AcdRuntime, basedOn?: MadeOrBasedOn): Promise<QueueDefinition> {
    return this.serially(() => {
      if (basedOn !== 'absent') this.checkQueueBasedOn(id, basedOn);
      else if (this.get(id))
        throw new ChangedMeanwhile(
          'QUEUE_EXISTS',
          `a queue ${id} was made since you looked: read it and change that`,
        );
      return this.putNow(definition, id, acd);
    });
  }

  remove(id: string, acd: AcdRuntime, basedOn?: BasedOn): Promise<void> {
    return this.serially(() => {
      this.checkQueueBasedOn(id, basedOn);
      return this.removeNow(id, acd);
    });
  }

  private checkQueueBasedOn(id: string, basedOn: BasedOn): void {
    checkBasedOn(this.get(id), basedOn, (version) =>
      version === undefined
        ? new ChangedMeanwhile('QUEUE_CHANGED', `queue ${id} was deleted since you read it`)
        : new ChangedMeanwhile(
            'QUEUE_CHANGED',
            `queue ${id} was changed since you read it: read it again (version ${version}) and make your change on that`,
          ),
    );
  }

  private checkSkillsBasedOn(agent: AgentDefinition, basedOn: BasedOn): void {
    checkBasedOn(
      agent.skills ?? {},
      basedOn,
      (version) =>
        new ChangedMeanwhile(
          'SKILLS_CHANGED',
          `${agent.id}'s skills were changed since you read them: read them again (version ${version}) and make your change on those`,
        ),
    );
  }

  private checkMemberBasedOn(queueId: string, agent: AgentDefinition, basedOn: BasedOn): void {
    const place = agent.queues?.find((m) => m.queueId === queueId);
    checkBasedOn(place && memberPlace(place), basedOn, (version) =>
      version === undefined
        ? new ChangedMeanwhile(
            'MEMBER_CHANGED',
            `${agent.id} was taken out of queue ${queueId} since you read it`,
          )
        : new ChangedMeanwhile(
            'MEMBER_CHANGED',
            `${agent.id}'s penalty or order in queue ${queueId} was changed since you read it: read it again (version ${version}) and make your change on that`,
          ),
    );
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
    // Only the queue being changed: another queue's sound or flow gone since does not block this change.
    const missing = await this.missingReferences([saved]);
    if (missing.length > 0) throw new QueueDefinitionRejected(missing);
    await this.store.replace([saved], [], 'api', this.now());
    this.queues = valid;
    acd.reconfigure(valid, this.agents());
    return saved;
  }

  /**
   * What the queues name that is not there: a sound Asterisk lacks (a voicemail greeting, an announcement to
   * callers or to the agent), an after-call flow not loaded, a hold music class Asterisk does not define
   * (nothing where these cannot be known). Every queue by default: at start-up the queues are kept as they
   * are and the problems only told.
   */
  async missingReferences(queues: readonly QueueDefinition[] = this.queues): Promise<ValidationIssue[]> {
    const sounds = await this.knownSounds();
    const flows = this.knownFlows();
    const classes = this.knownHoldMusicClasses();
    return queues.flatMap((q) => [
      ...(sounds ? soundIssues(q, sounds) : []),
      ...(flows ? afterCallFlowIssues(q, flows) : []),
      ...(classes ? holdMusicIssues(q, classes) : []),
    ]);
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

/**
 * The queues, and agents' places in queues and skills, kept from changes made through the API, with the
 * config file's over them. What a newer version no longer takes (migrations bring known cases within its
 * bounds) stops the start with each problem and what to do, not a stack trace: nothing kept is dropped.
 */
export async function loadKeptQueues(
  queueAdmin: QueueAdmin,
  fromConfig: QueueDefinition[],
  databasePath: string,
): Promise<QueueDefinition[]> {
  try {
    const queues = await queueAdmin.load(fromConfig);
    // Supervisors' membership changes (through the API) are kept over the config file's.
    await queueAdmin.loadMemberships();
    return queues;
  } catch (error) {
    if (!(error instanceof QueueDefinitionRejected)) throw error;
    const about = (prefix: string) => error.issues.some((i) => i.path.startsWith(prefix));
    throw new ConfigError([
      ...error.issues.map((i) => i.message),
      ...(about('queues[')
        ? [
            "queues kept from changes made through the API fail this version's checks: a queue with the same id in the config file's queues takes the place of the kept one (put it there as it should be and start again)",
          ]
        : []),
      ...(about('agents[')
        ? [
            `agents' places in queues or skills kept from changes made through the API fail this version's checks: correct them in the config file, then put the agent back on the config file's with sqlite3 ${databasePath} "delete from agent_memberships where agent_id = '<agent>'" (skills: agent_skills)`,
          ]
        : []),
    ]);
  }
}
