import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { InteractionRecord } from '../acd/stats.js';
import { GroupCommit } from './group-commit.js';
import { keysetPages, REPORT_PAGE_ROWS } from './pages.js';
import { type PlannedStatement, planUpdate } from './raw-sqlite.js';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { type Disposition, type InteractionEvent, InteractionEventSchema } from '../interactions/events.js';
import type {
  ContactsTable,
  Database,
  InteractionEventRow,
  InteractionPatch,
  InteractionRow,
} from './schema.js';

export type ContactRow = ContactsTable;

/** One stay in a queue as its figures read it (see queueRecords). */
export type QueueRecord = InteractionRecord;

export interface NewInteraction {
  /** Chosen by the caller of open() when it must know the id before the row exists. */
  id?: string;
  parentId?: string;
  direction: InteractionRow['direction'];
  channelId?: string;
  trunk?: string;
  callerNumber?: string;
  /** The caller's number as the carrier sent it, when the numbering plan read it into another form. */
  callerNumberAsDelivered?: string;
  callerName?: string;
  dialedNumber?: string;
  startedAt: number;
}

type MonitorStepPayload = Extract<InteractionEvent, { type: 'supervisor.monitor' }>['payload'];
type CallbackStepPayload = Extract<InteractionEvent, { type: 'acd.callback' }>['payload'];

/** A callback request not closed yet: its interaction's figures and its steps so far. */
export interface OpenCallback {
  interactionId: string;
  callerNumber: string | null;
  /** The caller's first arrival in a queue (or, for older rows without it, when the call began). */
  enqueuedAt: number;
  steps: (CallbackStepPayload & { at: number })[];
}

export interface InteractionFilter {
  state?: 'open' | 'closed';
  direction?: InteractionRow['direction'];
  callerNumber?: string;
  queueId?: string;
  agentId?: string;
  disposition?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** By start time; newest first unless asked. */
  order?: 'newest' | 'oldest';
  limit: number;
  offset: number;
  /** Matches counted up to this many (default LIST_COUNT_CAP); more than that is said, not counted. */
  countUpTo?: number;
}

/**
 * A list's total is counted up to this many matches. Counting is a synchronous read on the thread that
 * routes calls: a year of one queue (~290,000 calls) took 20–120 ms, which every call arriving meanwhile
 * waited for; 10,000 are counted in a few ms, and a supervisor reads "10,000+" as well.
 */
export const LIST_COUNT_CAP = 10_000;

/** One timeline entry as a planned statement; its rowid is the entry's sequence number. */
function insertEvent(id: string, at: number, event: InteractionEvent): PlannedStatement {
  return {
    sql: 'insert into "interaction_events" ("interaction_id", "at", "type", "payload") values (?, ?, ?, ?)',
    params: [id, at, event.type, JSON.stringify(event.payload)],
    returnsRowid: true,
  };
}

/** The first entry of every timeline: what was known of the contact when it began. */
function openedEvent(input: NewInteraction): InteractionEvent {
  return {
    type: 'interaction.opened',
    payload: {
      direction: input.direction,
      channelId: input.channelId,
      trunk: input.trunk,
      callerNumber: input.callerNumber,
      ...(input.callerNumberAsDelivered ? { callerNumberAsDelivered: input.callerNumberAsDelivered } : {}),
      callerName: input.callerName,
      dialedNumber: input.dialedNumber,
    },
  };
}

export class InteractionNotFound extends Error {
  readonly code = 'INTERACTION_NOT_FOUND';
  constructor(readonly id: string) {
    super(`no interaction ${id}`);
  }
}

let eventCheck: ReturnType<typeof TypeCompiler.Compile<typeof InteractionEventSchema>> | undefined;

/** What is wrong with an event against its schema, or undefined when it matches. */
function schemaProblem(event: InteractionEvent): string | undefined {
  eventCheck ??= TypeCompiler.Compile(InteractionEventSchema);
  if (eventCheck.Check(event)) return undefined;
  const { type, payload } = event as { type: string; payload: unknown };
  const first = [...eventCheck.Errors(event)].find((e) => e.path.startsWith('/payload'));
  return `timeline event ${type} does not match its schema: ${first ? `${first.path} ${first.message}` : ''} in ${JSON.stringify(payload)}`;
}

/**
 * The interaction log: one row per contact (its current figures) and the append-only timeline behind it.
 * Every change is one transaction holding the event and the row update together, so the row never says
 * something the timeline does not explain.
 */
/**
 * The recordings an open interaction still needs (a caller's voicemail not worked yet, linked from their
 * call): no retention or erasure of a closed call may delete one of these files.
 */
export function recordingsStillNeeded(db: Kysely<Database>) {
  return db
    .selectFrom('interactions as open')
    .select('open.recording_path')
    .where('open.state', '=', 'open')
    .where('open.recording_path', 'is not', null);
}

export class InteractionLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly newId: () => string = randomUUID,
    /** Shared with the other writers so one fsync covers everything written in the same tick. */
    readonly commit: GroupCommit = new GroupCommit(db),
  ) {}

  /** Promises of writes this log has already put in the commit queue (see handedOver). */
  private readonly queued = new WeakSet<Promise<unknown>>();

  /**
   * True when `write` is a promise open() or record() returned: such a write is in the commit queue from
   * the moment the call returns, behind every write queued before it and ahead of every later one, so a
   * caller that orders writes (a call's timeline) need not wait for it to commit before queuing the next.
   */
  handedOver(write: Promise<unknown>): boolean {
    return this.queued.has(write);
  }

  open(input: NewInteraction): Promise<string> {
    const write = this.openNow(input);
    this.queued.add(write);
    return write;
  }

  /**
   * Set by the unit tests: an event recorded that does not match its schema throws. A payload built with
   * spreads escapes the compiler's excess-property check, and the API serves such an entry only as
   * undocumented. The service instead reports it (see reportSchemaMismatch) and writes it: a caller's record
   * is kept whatever it holds.
   */
  static strict = false;

  /** Told of every event recorded that does not match its schema (the service logs it; tests look for it). */
  reportSchemaMismatch: ((problem: string) => void) | undefined;

  /**
   * Set by the service: the timeline event types webhooks subscribe to, and what to tell once one is
   * committed (a trigger wrote its deliveries in the same transaction; the dispatcher reads them).
   */
  webhookEvents: { types: ReadonlySet<string>; written: (type: string) => void } | undefined;

  private committed(type: string): void {
    if (this.webhookEvents?.types.has(type)) this.webhookEvents.written(type);
  }

  /** Events of `type` were written by another store (an erasure's entries): webhooks subscribed are told. */
  writtenElsewhere(type: string): void {
    this.committed(type);
  }

  /** Appends one event and applies the row changes it implies, atomically. Returns the event's sequence. */
  record(id: string, at: number, event: InteractionEvent, patch: InteractionPatch = {}): Promise<number> {
    if (InteractionLog.strict || this.reportSchemaMismatch) {
      const problem = schemaProblem(event);
      if (problem && InteractionLog.strict) throw new Error(problem);
      if (problem) this.reportSchemaMismatch?.(problem);
    }
    const write = this.recordNow(id, at, event, patch);
    this.queued.add(write);
    return write;
  }

  // Both queue their write before their first await (handedOver relies on it).
  private async openNow(input: NewInteraction): Promise<string> {
    const id = input.id ?? this.newId();
    const opened = openedEvent(input);
    // The hot path: two inserts, as prepared statements.
    await this.commit.runPlan({
      statements: [
        {
          sql:
            'insert into "interactions" ("id", "direction", "state", "channel_id", "trunk", "caller_number", ' +
            '"caller_name", "dialed_number", "started_at", "parent_id") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          params: [
            id,
            input.direction,
            'open',
            input.channelId ?? null,
            input.trunk ?? null,
            input.callerNumber ?? null,
            input.callerName ?? null,
            input.dialedNumber ?? null,
            input.startedAt,
            input.parentId ?? null,
          ],
        },
        insertEvent(id, input.startedAt, opened),
      ],
    });
    this.committed(opened.type);
    return id;
  }

  private async recordNow(
    id: string,
    at: number,
    event: InteractionEvent,
    patch: InteractionPatch,
  ): Promise<number> {
    // The hot path (every timeline entry): prepared statements.
    const update = Object.keys(patch).length > 0 ? planUpdate('interactions', 'id', id, patch) : undefined;
    const seq = await this.commit.runPlan({
      statements: update ? [update, insertEvent(id, at, event)] : [insertEvent(id, at, event)],
      noChange: () => new InteractionNotFound(id),
    });
    this.committed(event.type);
    return seq!;
  }

  /**
   * Resolves once every write queued before this call is committed. Writes are group-committed (on a worker
   * thread for a file database), so a read on this thread's connection could run before a write queued
   * earlier is visible: a screen pop asked for as the phone rings, a supervisor reading a call a moment after
   * an event. An empty write at the back of the queue is that barrier.
   */
  afterQueuedWrites(): Promise<void> {
    return this.commit.run(async () => undefined);
  }

  /**
   * Closes an interaction that is still open, with the event that says why, atomically. False when it was
   * already closed (someone else got there first): nothing is written then.
   */
  async closeIfOpen(
    id: string,
    at: number,
    event: InteractionEvent,
    patch: InteractionPatch = {},
  ): Promise<boolean> {
    const close = planUpdate(
      'interactions',
      'id',
      id,
      { ...patch, state: 'closed', ended_at: at },
      `"state" = 'open'`,
    )!;
    try {
      await this.commit.runPlan({
        statements: [close, insertEvent(id, at, event)],
        noChange: () => new NotOpen(id),
      });
      this.committed(event.type);
      return true;
    } catch (error) {
      if (error instanceof NotOpen) return false;
      throw error;
    }
  }

  async get(id: string): Promise<InteractionRow | undefined> {
    return this.db.selectFrom('interactions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The names on record of those of `ids` that have one. */
  async callerNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('interactions')
      .select(['id', 'caller_name'])
      .where('id', 'in', ids)
      .where('caller_name', 'is not', null)
      .execute();
    return new Map(rows.map((r) => [r.id, r.caller_name ?? '']));
  }

  async timeline(id: string): Promise<InteractionEventRow[]> {
    return this.db
      .selectFrom('interaction_events')
      .selectAll()
      .where('interaction_id', '=', id)
      .orderBy('seq')
      .execute();
  }

  /** The `supervisor.monitor` steps of every open interaction, in order: monitors a previous run may have left. */
  async monitorStepsOfOpenCalls(): Promise<{ interactionId: string; steps: MonitorStepPayload[] }[]> {
    const rows = await this.db
      .selectFrom('interaction_events as e')
      .innerJoin('interactions as i', 'i.id', 'e.interaction_id')
      .select(['e.interaction_id', 'e.payload'])
      .where('i.state', '=', 'open')
      .where('e.type', '=', 'supervisor.monitor')
      .orderBy('e.seq')
      .execute();
    const byCall = new Map<string, MonitorStepPayload[]>();
    for (const row of rows) {
      // Validated against the event's schema when it was written.
      const steps = byCall.get(row.interaction_id) ?? [];
      steps.push(JSON.parse(row.payload) as MonitorStepPayload);
      byCall.set(row.interaction_id, steps);
    }
    return [...byCall].map(([interactionId, steps]) => ({ interactionId, steps }));
  }

  /**
   * The conversation of a callback: routed (and known to the seat) as the request that asked for it, talked
   * as an interaction of its own (direction callback, parent the request). The latest one, the agent's when
   * named; undefined for any other interaction.
   */
  async callbackConversation(requestId: string, agentId?: string): Promise<string | undefined> {
    let query = this.db
      .selectFrom('interactions')
      .select('id')
      .where('parent_id', '=', requestId)
      .where('direction', '=', 'callback')
      .where('connected_at', 'is not', null);
    if (agentId) query = query.where('agent_id', '=', agentId);
    const row = await query.orderBy('started_at', 'desc').limit(1).executeTakeFirst();
    return row?.id;
  }

  /**
   * Closed interactions that began before `before` and still have a recording, oldest first, skipping a
   * file an open interaction still needs (a caller's voicemail, linked from their call, not worked yet).
   */
  async recordingsToExpire(before: number, limit: number): Promise<{ id: string; path: string }[]> {
    const rows = await this.db
      .selectFrom('interactions')
      .select(['id', 'recording_path'])
      // `+state`: the oldest recordings come straight from interactions_recordings, not by sorting every
      // closed call (which the state index would have SQLite do).
      .where(sql`+${sql.ref('state')}`, '=', 'closed')
      .where('started_at', '<', before)
      .where('recording_path', 'is not', null)
      .where('recording_path', 'not in', recordingsStillNeeded(this.db))
      .orderBy('started_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, path: r.recording_path ?? '' }));
  }

  /** Whether the agent took part in the interaction: named anywhere on its timeline, or its last agent. */
  /** Every agent who took part in the interaction (offered, talked, transferred, conferenced in). */
  async agentsOf(interactionId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('interaction_agents')
      .select('agent_id')
      .where('interaction_id', '=', interactionId)
      .execute();
    return rows.map((row) => row.agent_id);
  }

  async agentTookPart(interactionId: string, agentId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('interaction_agents')
      .select('agent_id')
      .where('interaction_id', '=', interactionId)
      .where('agent_id', '=', agentId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async list(
    filter: InteractionFilter,
  ): Promise<{ items: InteractionRow[]; total: number; totalIsExact: boolean }> {
    let query = this.db.selectFrom('interactions');
    // Open interactions are few (calls under way, voicemails not worked yet): asked for, they drive the read
    // and the other filters only sift them. `+` keeps SQLite from choosing, say, every voicemail ever by
    // direction instead (the softphone asks for the open voicemails on every load).
    const sift = (column: 'direction' | 'caller_number' | 'queue_id' | 'disposition') =>
      filter.state === 'open' ? sql<string>`+${sql.ref(column)}` : sql<string>`${sql.ref(column)}`;
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.direction) query = query.where(sift('direction'), '=', filter.direction);
    if (filter.callerNumber) query = query.where(sift('caller_number'), '=', filter.callerNumber);
    if (filter.queueId) query = query.where(sift('queue_id'), '=', filter.queueId);
    if (filter.agentId) {
      const agentId = filter.agentId;
      // Every call the agent took part in (offered, talked, transferred, conferenced), not only as last agent.
      query = query.where('id', 'in', (eb) =>
        eb.selectFrom('interaction_agents').select('interaction_id').where('agent_id', '=', agentId),
      );
    }
    if (filter.disposition) query = query.where(sift('disposition'), '=', filter.disposition);
    if (filter.from !== undefined) query = query.where('started_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('started_at', '<', filter.to);
    const cap = filter.countUpTo ?? LIST_COUNT_CAP;
    const [items, count] = await Promise.all([
      query
        .selectAll()
        .orderBy('started_at', filter.order === 'oldest' ? 'asc' : 'desc')
        .orderBy('id')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute(),
      this.db
        .selectFrom(
          query
            .select(sql<number>`1`.as('one'))
            .limit(cap + 1)
            .as('matches'),
        )
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow(),
    ]);
    const total = Number(count.total);
    return { items, total: Math.min(total, cap), totalIsExact: total <= cap };
  }

  /**
   * A caller entered a queue: a new stay there. A stay still open in another queue (the one it overflowed
   * from) ends as flowed out; one still open in this queue goes on (a caller put back in the same line, or
   * taken over by a new run of the service, never left it).
   */
  async queueEntered(interactionId: string, queueId: string, at: number): Promise<void> {
    await this.commit.runPlan({
      statements: [
        {
          sql: `${FLOW_OUT_OPEN_STAYS} and not exists (${OPEN_STAY_IN})`,
          params: [at, interactionId, interactionId, queueId],
        },
        {
          sql:
            'insert into "queue_visits" ("interaction_id", "queue_id", "entered_at") ' +
            `select ?, ?, ? where not exists (${OPEN_STAY_IN})`,
          params: [interactionId, queueId, at, interactionId, queueId],
        },
      ],
    });
  }

  /**
   * The caller was sent on from `queueId` (full, or nobody logged in): on that queue's figures as offered and
   * flowed out. Its stay there ends now; a caller turned away at the door gets a stay that begins and ends
   * now. One write, so a stay the caller opens next (in the queue it is sent on to) is never closed by it.
   */
  async queueFlowedOut(interactionId: string, queueId: string, at: number): Promise<void> {
    await this.commit.runPlan({
      statements: [
        // Turned away at the door (no stay open there): a stay that begins and ends now, closed already.
        {
          sql:
            'insert into "queue_visits" ("interaction_id", "queue_id", "entered_at", "left_at", "outcome") ' +
            `select ?, ?, ?, ?, 'flowed_out' where not exists (${OPEN_STAY_IN})`,
          params: [interactionId, queueId, at, at, interactionId, queueId],
        },
        { sql: FLOW_OUT_OPEN_STAYS, params: [at, interactionId] },
      ],
    });
  }

  /**
   * The caller's stay in its queue ended: answered by an agent (`agentId`, whose part of the call the stay
   * then keeps), abandoned, or sent on elsewhere.
   */
  async queueLeft(
    interactionId: string,
    at: number,
    outcome: 'answered' | 'abandoned' | 'flowed_out' | 'callback',
    agentId?: string,
  ): Promise<void> {
    const answered = outcome === 'answered';
    const byAgent = answered && agentId !== undefined;
    await this.commit.runPlan({
      statements: [
        {
          sql:
            'update "queue_visits" set "left_at" = ?, "outcome" = ?' +
            (answered ? ', "answered_at" = ?' : '') +
            (byAgent ? ', "agent_id" = ?' : '') +
            ' where "interaction_id" = ? and "left_at" is null',
          params: [at, outcome, ...(answered ? [at] : []), ...(byAgent ? [agentId] : []), interactionId],
        },
      ],
    });
  }

  /**
   * An agent's part of a queue call ended (they hung up, sent the caller on to another queue or a colleague,
   * or their phone was lost): the stay they answered keeps its talk, from its answer to `at`, and the hold
   * within it. Once: a stay whose talk is written is left as it is.
   */
  async agentLeftCall(
    interactionId: string,
    agentId: string,
    at: number,
    holdSeconds: number,
  ): Promise<void> {
    await this.commit.runPlan({
      statements: [
        {
          sql:
            'update "queue_visits" set "talk_seconds" = max(0, (? - "answered_at") / 1000.0), "hold_seconds" = ? ' +
            'where "interaction_id" = ? and "agent_id" = ? and "answered_at" is not null and "talk_seconds" is null',
          params: [at, holdSeconds, interactionId, agentId],
        },
      ],
    });
  }

  /**
   * An agent handed the call straight to a colleague (a transfer to an agent, leaving a conference): unless a
   * queue stay of theirs keeps their part (agentLeftCall, which runs after this), it is kept on its own, so
   * an agent in the middle of a chain of hand-overs is credited too. It runs from `answeredAt` (when their
   * seat took the call), or from when the agent before them let go if that was later (a consultation's
   * overlap counts once), or from the call's connect if later still (a callback's agent answers before the
   * customer is rung: the conversation starts when the customer answers), to `at`. Written before the
   * seat's own leave, so the stay check sees it open.
   */
  async agentHandedOver(
    interactionId: string,
    agentId: string,
    answeredAt: number,
    at: number,
    holdSeconds: number,
  ): Promise<void> {
    // The end of the part before: a queue stay's answer plus its talk, or an earlier part's end; or the
    // call's connect.
    const previousEnd =
      'max(?, coalesce((select max("answered_at" + "talk_seconds" * 1000) from "queue_visits" ' +
      'where "interaction_id" = ? and "talk_seconds" is not null), 0), ' +
      'coalesce((select max("left_at") from "agent_call_parts" where "interaction_id" = ?), 0), ' +
      'coalesce((select "connected_at" from "interactions" where "id" = ?), 0))';
    await this.commit.runPlan({
      statements: [
        {
          sql:
            'insert into "agent_call_parts" ("interaction_id", "agent_id", "answered_at", "left_at", "talk_seconds", "hold_seconds") ' +
            `select ?, ?, "start", ?, max(0, (? - "start") / 1000.0), ? from (select min(?, ${previousEnd}) as "start") ` +
            'where not exists (select 1 from "queue_visits" where "interaction_id" = ? and "agent_id" = ? ' +
            'and "answered_at" is not null and "talk_seconds" is null)',
          params: [
            interactionId,
            agentId,
            at,
            at,
            holdSeconds,
            at,
            answeredAt,
            interactionId,
            interactionId,
            interactionId,
            interactionId,
            agentId,
          ],
        },
      ],
    });
  }

  /** An agent's wrap-up of a queue call ended: added to the last stay of it they answered, if any. */
  async agentWrappedUp(interactionId: string, agentId: string, wrapSeconds: number): Promise<void> {
    await this.commit.runPlan({
      statements: [
        {
          sql:
            'update "queue_visits" set "wrap_seconds" = coalesce("wrap_seconds", 0) + ? where "id" = ' +
            '(select max("id") from "queue_visits" where "interaction_id" = ? and "agent_id" = ? and "answered_at" is not null)',
          params: [wrapSeconds, interactionId, agentId],
        },
      ],
    });
  }

  /**
   * Queue figures of the stays in `queueId` that began since `since` (live queue statistics): each timed
   * from entering this queue, with the handle time of the calls answered here.
   */
  /** A queue's stays since an instant once the writes already queued are in: live figures agree with the line. */
  async queueRecordsNow(queueId: string, since: number): Promise<QueueRecord[]> {
    await this.afterQueuedWrites();
    return this.queueRecords(queueId, since);
  }

  async queueRecords(queueId: string, since: number, until?: number): Promise<QueueRecord[]> {
    const records: QueueRecord[] = [];
    for await (const page of this.queueRecordPages(queueId, since, until ?? Number.MAX_SAFE_INTEGER)) {
      records.push(...page);
    }
    return records;
  }

  /**
   * The same stays page by page in the order they entered the queue, the event loop let go between pages:
   * a report over a year of a busy queue (a million stays) would otherwise hold every call's events up for
   * seconds and every stay in memory at once.
   */
  async *queueRecordPages(
    queueId: string,
    since: number,
    until: number,
    pageSize = REPORT_PAGE_ROWS,
  ): AsyncGenerator<QueueRecord[]> {
    const pages = keysetPages(
      (after: { enteredAt: number; id: number } | undefined) =>
        this.db
          .selectFrom('queue_visits as v')
          .innerJoin('interactions as i', 'i.id', 'v.interaction_id')
          .select([
            'v.id',
            'v.entered_at',
            'v.answered_at',
            'v.left_at',
            'v.outcome',
            'v.talk_seconds as own_talk',
            'v.wrap_seconds as own_wrap',
            'i.ended_at',
            'i.talk_seconds',
            'i.wrap_seconds',
          ])
          // A call answered here twice (put back after its agent was lost) has one talk and wrap time: the
          // last stay that was answered carries it, so handle time is not counted twice. The unary `+` keeps
          // SQLite from looking the later stay up by queue and time (every stay in the range, per row)
          // instead of by the call's own few stays.
          .select((eb) =>
            eb
              .not(
                eb.exists(
                  eb
                    .selectFrom('queue_visits as w')
                    .select('w.id')
                    .whereRef('w.interaction_id', '=', 'v.interaction_id')
                    .whereRef('w.id', '>', 'v.id')
                    .where(sql`+${sql.ref('w.queue_id')}`, '=', queueId)
                    .where('w.answered_at', 'is not', null)
                    .where(sql`+${sql.ref('w.entered_at')}`, '>=', since)
                    .where(sql`+${sql.ref('w.entered_at')}`, '<', until),
                ),
              )
              .as('last_answered'),
          )
          .where('v.queue_id', '=', queueId)
          .where('v.entered_at', '<', until)
          // A later page only after the last stay read (see keysetPages).
          .where((eb) =>
            after === undefined
              ? eb('v.entered_at', '>=', since)
              : eb(eb.refTuple('v.entered_at', 'v.id'), '>', eb.tuple(after.enteredAt, after.id)),
          )
          .orderBy('v.entered_at')
          .orderBy('v.id')
          .limit(pageSize)
          .execute(),
      (last) => ({ enteredAt: last.entered_at, id: last.id }),
      pageSize,
    );
    for await (const rows of pages) {
      yield rows.map((r): QueueRecord => {
        if (r.answered_at !== null && r.own_talk !== null) {
          // The stay's own agent's part: its talk ends where they left the call, and only their wrap-up
          // counts (a caller sent on to another queue is that queue's next stay, with its own).
          return {
            queueId,
            enqueuedAt: r.entered_at,
            answeredAt: r.answered_at,
            endedAt: r.answered_at + r.own_talk * 1000,
            abandoned: false,
            flowedOut: false,
            talkSeconds: r.own_talk,
            wrapSeconds: r.own_wrap ?? 0,
          };
        }
        // Stays from before 2026-12-03 (and answered stays whose agent is still on the call): the call's
        // figures, carried by its last answered stay in this queue.
        const carriesHandleTime = r.answered_at !== null && Boolean(r.last_answered);
        return {
          queueId,
          enqueuedAt: r.entered_at,
          answeredAt: r.answered_at ?? undefined,
          // (An earlier answered stay has no end of its own here: it stays out of the handle-time average.)
          endedAt:
            (r.outcome === 'abandoned'
              ? r.left_at
              : r.answered_at !== null && !carriesHandleTime
                ? null
                : r.ended_at) ?? undefined,
          abandoned: r.outcome === 'abandoned',
          flowedOut: r.outcome === 'flowed_out',
          talkSeconds: carriesHandleTime ? (r.talk_seconds ?? 0) : 0,
          wrapSeconds: carriesHandleTime ? (r.wrap_seconds ?? 0) : 0,
        };
      });
    }
  }

  /**
   * One agent's own parts of calls answered in [from, to), a page at a time in (answered_at, id) order: the
   * queue stays they answered whose talk is written, or the parts they handed straight on. Both tables keep
   * a part the same way (its answer, talk and hold).
   */
  private agentPartPages(
    table: 'queue_visits' | 'agent_call_parts',
    agentId: string,
    from: number,
    to: number,
    pageSize: number,
  ) {
    return keysetPages(
      (after: { at: number; id: number } | undefined) =>
        this.db
          .selectFrom(table)
          .select(['id', 'talk_seconds', 'hold_seconds', 'answered_at'])
          .where('agent_id', '=', agentId)
          .where('answered_at', '<', to)
          .where('talk_seconds', 'is not', null)
          // A later page only after the last row read (see keysetPages).
          .where((eb) =>
            after === undefined
              ? eb('answered_at', '>=', from)
              : eb(eb.refTuple('answered_at', 'id'), '>', eb.tuple(after.at, after.id)),
          )
          .orderBy('answered_at')
          .orderBy('id')
          .limit(pageSize)
          .$narrowType<{ answered_at: number }>()
          .execute(),
      (last) => ({ at: last.answered_at, id: last.id }),
      pageSize,
    );
  }

  /** The calls an agent answered and handled in [from, to), by when they answered (reports). */
  async handledCalls(
    agentId: string,
    from: number,
    to: number,
    pageSize = REPORT_PAGE_ROWS,
  ): Promise<{ answeredAt: number; talkSeconds: number; holdSeconds: number }[]> {
    // A year of an agent's calls is tens of thousands of rows, each checked against its stays: read a page
    // at a time with the event loop let go in between (keysetPages), as the other report reads are.
    const out: { answered_at: number; talk_seconds: number | null; hold_seconds: number | null }[] = [];
    // This agent's queue stays read, by id: a call they got back later (A → B → A) adds its last part there.
    const ownStays = new Map<number, (typeof out)[number]>();
    // The same expression as the index interactions_agent_handled, so the range is read from it.
    const answeredAt = sql<number>`coalesce("connected_at", "answered_at", "started_at")`;
    // The queue calls whose stay keeps this agent's own part (since 2026-12-03): a call they sent on to
    // another queue counts for them with their talk, and the next agent's with theirs; then the parts of
    // calls they handed straight to a colleague, which no queue stay keeps (agentHandedOver).
    for (const table of ['queue_visits', 'agent_call_parts'] as const) {
      for await (const page of this.agentPartPages(table, agentId, from, to, pageSize)) {
        out.push(...page);
        if (table === 'queue_visits') for (const stay of page) ownStays.set(stay.id, stay);
      }
    }
    // Every other call the agent handled last (outbound, reached by a transfer, older queue calls): the
    // call's talk and hold less the parts other agents' stays keep (the colleague who answered it in a
    // queue and then handed it over directly) and the hand-over parts, so each second of a call counts for
    // one agent only. A page is a bounded stretch of the index (most of these calls are the agent's own
    // queue calls, counted above: filtering them out in SQL would scan the whole range for one page), then
    // its calls' stays and parts.
    const calls = keysetPages(
      (after: { at: number; id: string } | undefined) =>
        this.db
          .selectFrom('interactions as i')
          .select(['i.id', 'i.talk_seconds', 'i.hold_seconds', answeredAt.as('answered_at')])
          .where('i.agent_id', '=', agentId)
          .where(answeredAt, '<', to)
          // A later page only after the last call read (see keysetPages), in the index's order: spelled
          // out, as SQLite seeks an expression index by a plain range, not by a row value.
          .where((eb) =>
            after === undefined
              ? eb(answeredAt, '>=', from)
              : eb.and([
                  eb(answeredAt, '>=', after.at),
                  eb.or([eb(answeredAt, '>', after.at), eb('i.id', '>', after.id)]),
                ]),
          )
          // A literal, so the planner may take the index of handled calls (interactions_agent_handled).
          .where('i.disposition', '=', sql.lit('handled'))
          .orderBy(answeredAt)
          .orderBy('i.id')
          .limit(pageSize)
          .execute(),
      (last) => ({ at: last.answered_at, id: last.id }),
      pageSize,
    );
    for await (const page of calls) {
      const stays = await this.db
        .selectFrom('queue_visits')
        .select(['id', 'interaction_id', 'agent_id', 'talk_seconds', 'hold_seconds'])
        .where(
          'interaction_id',
          'in',
          page.map((call) => call.id),
        )
        .where('talk_seconds', 'is not', null)
        .execute();
      const parts = await this.db
        .selectFrom('agent_call_parts')
        .select(['interaction_id', 'agent_id', 'talk_seconds', 'hold_seconds'])
        .where(
          'interaction_id',
          'in',
          page.map((call) => call.id),
        )
        .execute();
      const staysOf = byInteraction(stays);
      const partsOf = byInteraction(parts);
      for (const call of page) {
        // What every stay and hand-over part keeps (their own earlier ones included); the rest is the last
        // agent's, this one's.
        const kept = [...(staysOf.get(call.id) ?? []), ...(partsOf.get(call.id) ?? [])];
        const less = (column: 'talk_seconds' | 'hold_seconds') =>
          Math.max(0, (call[column] ?? 0) - kept.reduce((sum, stay) => sum + (stay[column] ?? 0), 0));
        const own = (staysOf.get(call.id) ?? []).filter((stay) => stay.agent_id === agentId);
        if (own.length > 0) {
          // Its own stay counted the call; a part after it (the call came back to them directly) adds to
          // their last stay, when that is in the range read.
          const stay = ownStays.get(Math.max(...own.map((s) => s.id)));
          if (stay) {
            stay.talk_seconds = (stay.talk_seconds ?? 0) + less('talk_seconds');
            stay.hold_seconds = (stay.hold_seconds ?? 0) + less('hold_seconds');
          }
          continue;
        }
        out.push({
          answered_at: call.answered_at,
          talk_seconds: less('talk_seconds'),
          hold_seconds: less('hold_seconds'),
        });
      }
    }
    return out.map((r) => ({
      answeredAt: r.answered_at,
      talkSeconds: r.talk_seconds ?? 0,
      holdSeconds: r.hold_seconds ?? 0,
    }));
  }

  /**
   * Puts the numbers already on record in the numbering plan's form (`canonical`), for a site that turns
   * `numbering` on with calls and contacts recorded before it: interactions' caller numbers, and contacts.
   * Two contacts that turn out to be one number keep the one updated last. The timelines keep each
   * number as it was recorded then. One transaction; returns what changed.
   */
  async rewriteNumbers(
    canonical: (number: string) => string,
  ): Promise<{ interactions: number; numbers: number; contacts: number; contactsMerged: number }> {
    return this.commit.run(async (trx) => {
      const found = await trx
        .selectFrom('interactions')
        .select('caller_number')
        .distinct()
        .where('caller_number', 'is not', null)
        .execute();
      let interactions = 0;
      let numbers = 0;
      for (const { caller_number: number } of found) {
        const one = canonical(number!);
        if (one === number) continue;
        const result = await trx
          .updateTable('interactions')
          .set({ caller_number: one })
          .where('caller_number', '=', number)
          .executeTakeFirst();
        interactions += Number(result.numUpdatedRows);
        numbers++;
      }
      let contacts = 0;
      let contactsMerged = 0;
      // Oldest first: a later contact of the same number overwrites an earlier one.
      const all = await trx.selectFrom('contacts').selectAll().orderBy('updated_at').execute();
      for (const contact of all) {
        const one = canonical(contact.number);
        if (one === contact.number) continue;
        const there = await trx
          .selectFrom('contacts')
          .selectAll()
          .where('number', '=', one)
          .executeTakeFirst();
        await trx.deleteFrom('contacts').where('number', '=', contact.number).execute();
        if (there && there.updated_at > contact.updated_at) {
          contactsMerged++;
          continue;
        }
        if (there) contactsMerged++;
        await trx
          .insertInto('contacts')
          .values({ ...contact, number: one })
          .onConflict((oc) =>
            oc.column('number').doUpdateSet({
              name: contact.name,
              notes: contact.notes,
              updated_at: contact.updated_at,
            }),
          )
          .execute();
        contacts++;
      }
      return { interactions, numbers, contacts, contactsMerged };
    });
  }

  // ---- the agent seat: contacts for the screen pop, a caller's recent history

  async contact(number: string): Promise<ContactRow | undefined> {
    return this.db.selectFrom('contacts').selectAll().where('number', '=', number).executeTakeFirst();
  }

  async saveContact(contact: { number: string; name: string; notes?: string | null }, at: number) {
    await this.commit.run((trx) =>
      trx
        .insertInto('contacts')
        .values({ number: contact.number, name: contact.name, notes: contact.notes ?? null, updated_at: at })
        .onConflict((oc) =>
          oc
            .column('number')
            .doUpdateSet({ name: contact.name, notes: contact.notes ?? null, updated_at: at }),
        )
        .execute(),
    );
  }

  /** Queue calls each agent was connected to since `since` (epoch ms): the fewest-calls strategy's counts. */
  async queueCallsConnectedSince(since: number): Promise<Map<string, number>> {
    // Grouped by `+agent_id`: by the column itself, SQLite walked the agent index (every call ever, to save a
    // sort of today's) instead of reading today's connects from interactions_connected_at.
    const rows = await this.db
      .selectFrom('interactions')
      .select(['agent_id', (eb) => eb.fn.countAll<number>().as('calls')])
      .where('connected_at', '>=', since)
      .where('queue_id', 'is not', null)
      .where('agent_id', 'is not', null)
      .groupBy(sql`+${sql.ref('agent_id')}`)
      .execute();
    return new Map(rows.map((r) => [r.agent_id!, Number(r.calls)]));
  }

  /**
   * The agent who last talked with this number (the last agent on its latest answered interaction begun
   * since `since`, any direction), and when that conversation began; `exceptId` (the call asking) left out.
   */
  async lastAgentOf(
    number: string,
    since: number,
    exceptId: string,
  ): Promise<{ agentId: string; servedAt: number } | undefined> {
    const row = await this.db
      .selectFrom('interactions')
      .select(['agent_id', 'connected_at'])
      .where('caller_number', '=', number)
      .where('started_at', '>=', since)
      .where('id', '!=', exceptId)
      .where('agent_id', 'is not', null)
      .where('connected_at', 'is not', null)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.agent_id && row.connected_at !== null
      ? { agentId: row.agent_id, servedAt: row.connected_at }
      : undefined;
  }

  /** The latest interactions of one caller number, newest first, except `exceptId`. */
  async recentOfNumber(number: string, limit: number, exceptId?: string): Promise<InteractionRow[]> {
    let query = this.db.selectFrom('interactions').selectAll().where('caller_number', '=', number);
    if (exceptId) query = query.where('id', '!=', exceptId);
    return query.orderBy('started_at', 'desc').limit(limit).execute();
  }

  /**
   * Puts on record callbacks asked for outside any call (a web form, a CRM, a list): each an interaction of
   * direction `callback` with no parent (a conversation's parent is the call that asked), closed at once as
   * `callback-requested` (as a caller who asked and hung up), which the request's steps then follow on its
   * timeline. All in one transaction; their ids in the same order.
   */
  async recordCallbackRequests(
    requests: readonly { callerNumber: string; callerName?: string }[],
    at: number,
  ): Promise<string[]> {
    const ids = requests.map(() => this.newId());
    await this.commit.run(async (trx) => {
      for (const [i, request] of requests.entries()) {
        const id = ids[i]!;
        await trx
          .insertInto('interactions')
          .values({
            id,
            direction: 'callback',
            state: 'closed',
            caller_number: request.callerNumber,
            caller_name: request.callerName ?? null,
            started_at: at,
            ended_at: at,
            disposition: 'callback-requested',
            ended_by: 'system',
          })
          .execute();
        const opened = openedEvent({
          direction: 'callback',
          callerNumber: request.callerNumber,
          ...(request.callerName ? { callerName: request.callerName } : {}),
          startedAt: at,
        });
        const closed: InteractionEvent = {
          type: 'interaction.closed',
          payload: { disposition: 'callback-requested', endedBy: 'system', durationSeconds: 0 },
        };
        await trx
          .insertInto('interaction_events')
          .values(
            [opened, closed].map((event) => ({
              interaction_id: id,
              at,
              type: event.type,
              payload: JSON.stringify(event.payload),
            })),
          )
          .execute();
      }
    });
    for (const type of ['interaction.opened', 'interaction.closed']) this.committed(type);
    return ids;
  }

  /**
   * Puts on record, already closed, a call that was turned away without the service seeing it (Asterisk's
   * note of a call that came while the service was not connected): opened, why, closed, in one transaction.
   * Once per channel: undefined when that channel is already on record (an import cut short after the
   * write and before Asterisk's note was deleted), and nothing is written then.
   */
  async recordTurnedAway(
    input: NewInteraction & { channelId: string },
    why: Extract<InteractionEvent, { type: 'call.unserved' }>,
    close: { disposition: Disposition; hangupCause: string },
  ): Promise<string | undefined> {
    const id = input.id ?? this.newId();
    const at = input.startedAt;
    const written = await this.commit.run(async (trx) => {
      const known = await trx
        .selectFrom('interactions')
        .select('id')
        .where('channel_id', '=', input.channelId)
        .executeTakeFirst();
      if (known) return undefined;
      await trx
        .insertInto('interactions')
        .values({
          id,
          direction: input.direction,
          state: 'closed',
          channel_id: input.channelId,
          trunk: input.trunk ?? null,
          caller_number: input.callerNumber ?? null,
          caller_name: input.callerName ?? null,
          dialed_number: input.dialedNumber ?? null,
          started_at: at,
          ended_at: at,
          disposition: close.disposition,
          ended_by: 'system',
          hangup_cause: close.hangupCause,
        })
        .execute();
      const events: InteractionEvent[] = [
        openedEvent(input),
        why,
        {
          type: 'interaction.closed',
          payload: { disposition: close.disposition, endedBy: 'system', durationSeconds: 0 },
        },
      ];
      await trx
        .insertInto('interaction_events')
        .values(
          events.map((event) => ({
            interaction_id: id,
            at,
            type: event.type,
            payload: JSON.stringify(event.payload),
          })),
        )
        .execute();
      return id;
    });
    if (written !== undefined)
      for (const type of ['interaction.opened', why.type, 'interaction.closed']) this.committed(type);
    return written;
  }

  /**
   * Every callback request not closed yet, with its `acd.callback` steps in order: to put them back in
   * line when the service starts (the requests' state is in memory while it runs).
   */
  async openCallbacks(): Promise<OpenCallback[]> {
    // The literal type (not a parameter) lets SQLite use the partial index on these steps.
    const rows = await this.db
      .selectFrom('interaction_events as e')
      .innerJoin('interactions as i', 'i.id', 'e.interaction_id')
      .select(['e.interaction_id', 'e.at', 'e.payload', 'i.caller_number', 'i.enqueued_at', 'i.started_at'])
      .where('e.type', '=', sql.lit('acd.callback'))
      // Open: no step closed it since its latest request (a call may have had one closed before).
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('interaction_events as c')
              .select('c.seq')
              .whereRef('c.interaction_id', '=', 'e.interaction_id')
              .where('c.type', '=', sql.lit('acd.callback'))
              .where(sql`json_extract(c.payload, '$.step')`, '=', sql.lit('closed'))
              .where('c.seq', '>', (eb) =>
                eb
                  .selectFrom('interaction_events as r')
                  .select((r) => r.fn.max('r.seq').as('seq'))
                  .whereRef('r.interaction_id', '=', 'e.interaction_id')
                  .where('r.type', '=', sql.lit('acd.callback'))
                  .where(sql`json_extract(r.payload, '$.step')`, '=', sql.lit('requested')),
              ),
          ),
        ),
      )
      .orderBy('e.interaction_id') // the partial index's order: SQLite then reads it instead of the table
      .orderBy('e.seq')
      .execute();
    const byId = new Map<string, OpenCallback>();
    for (const row of rows) {
      let open = byId.get(row.interaction_id);
      if (!open) {
        open = {
          interactionId: row.interaction_id,
          callerNumber: row.caller_number,
          enqueuedAt: row.enqueued_at ?? row.started_at,
          steps: [],
        };
        byId.set(row.interaction_id, open);
      }
      open.steps.push({ at: row.at, ...(JSON.parse(row.payload) as CallbackStepPayload) });
    }
    return [...byId.values()].sort((a, b) => (a.steps[0]?.at ?? 0) - (b.steps[0]?.at ?? 0));
  }

  /**
   * A queue's callback requests made (`requested`) and ended (`closed`, with why) in a time range, in time
   * order: what the queue report counts per hour or day.
   */
  async callbackMilestones(
    queueId: string,
    since: number,
    until: number,
  ): Promise<{ at: number; step: 'requested' | 'closed'; reason: string | null }[]> {
    const rows = await this.db
      .selectFrom('interaction_events')
      .select([
        'at',
        sql<string>`json_extract(payload, '$.step')`.as('step'),
        sql<string | null>`json_extract(payload, '$.reason')`.as('reason'),
      ])
      // The literal type lets SQLite use the partial index on these steps by time.
      .where('type', '=', sql.lit('acd.callback'))
      .where('at', '>=', since)
      .where('at', '<', until)
      .where(sql`json_extract(payload, '$.queueId')`, '=', queueId)
      .where(sql`json_extract(payload, '$.step')`, 'in', [sql.lit('requested'), sql.lit('closed')])
      .orderBy('at')
      .execute();
    return rows.map((r) => ({
      at: r.at,
      step: r.step === 'closed' ? 'closed' : 'requested',
      reason: r.reason,
    }));
  }

  /** Interactions still open, e.g. to reconcile with Asterisk's channels after a restart. */
  async listOpen(): Promise<InteractionRow[]> {
    return this.db
      .selectFrom('interactions')
      .selectAll()
      .where('state', '=', 'open')
      .orderBy('started_at')
      .execute();
  }
}

/** A caller's stays still open (`?`: the interaction) end now (`?`) as flowed out: sent on elsewhere. */
const FLOW_OUT_OPEN_STAYS =
  'update "queue_visits" set "left_at" = ?, "outcome" = \'flowed_out\' where "interaction_id" = ? and "left_at" is null';

/** Whether the caller (`?`) has a stay open in the queue (`?`). */
const OPEN_STAY_IN =
  'select 1 from "queue_visits" where "interaction_id" = ? and "queue_id" = ? and "left_at" is null';

/** closeIfOpen's update found the interaction closed already (or not there). */
class NotOpen extends Error {
  constructor(id: string) {
    super(`interaction ${id} is not open`);
  }
}

/** Rows grouped by the interaction they belong to. */
function byInteraction<T extends { interaction_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.interaction_id);
    if (group) group.push(row);
    else groups.set(row.interaction_id, [row]);
  }
  return groups;
}
