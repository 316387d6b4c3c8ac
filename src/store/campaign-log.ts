import { setImmediate } from 'node:timers/promises';
import { type JoinBuilder, type Kysely, type Selectable, sql } from 'kysely';
import {
  type CampaignStatus,
  type CampaignStepOnRecord,
  type CheckedContact,
  type ContactCounts,
  type ContactState,
  noContacts,
} from '../acd/campaigns.js';
import type { SupervisorRef } from '../acd/router-types.js';
import type { AnsweringMachineAction } from '../acd/machine-detection.js';
import { recordedSupervisor } from '../supervision/recorded-supervisor.js';
import type { CampaignContactsTable, CampaignsTable, Database } from './schema.js';

export interface CampaignRecord {
  id: string;
  name: string;
  queueId: string;
  status: CampaignStatus;
  createdAt: number;
  createdBy: SupervisorRef | undefined;
  changedAt: number;
  finishedAt: number | null;
  /** What its agents say on each of its calls; null: none. */
  script: string | null;
  /** What it does when an answering machine answers, and the message it leaves. */
  answeringMachine: AnsweringMachine;
  counts: ContactCounts;
}

/** A campaign's answering-machine setting: the action, and for 'leave_message' its sounds. */
export interface AnsweringMachine {
  action: AnsweringMachineAction;
  /** Sound names played to the machine after its greeting ('leave_message' only). */
  message?: string[];
}

/** One contact as listed: with the conversation of its callback request when one was reached. */
export interface ContactRecord {
  seq: number;
  number: string;
  name: string | null;
  note: string | null;
  state: ContactState;
  reason: string | null;
  interactionId: string | null;
  bookedAt: number | null;
  closedAt: number | null;
  /** The conversation (a 'callback' interaction linked to the request) and its agent's wrap-up. */
  conversation: { interactionId: string; agentId: string | null; wrapUpCode: string | null } | null;
}

/** A share of a campaign's conversations: how many, and their talk time. */
export interface ConversationShare {
  conversations: number;
  talkSeconds: number;
}

/** What a campaign's calls came to: its conversations in all, by wrap-up code and by agent. */
export interface CampaignFigures extends ConversationShare {
  byWrapUpCode: (ConversationShare & { code: string | null })[];
  byAgent: (ConversationShare & { agentId: string | null })[];
}

export interface BookedContact {
  campaignId: string;
  seq: number;
  interactionId: string;
}

/** Outbound campaigns on record: each with its contacts in calling order and their states. */
export class CampaignLog {
  constructor(
    private readonly db: Kysely<Database>,
    /** A supervisor's name by id (the record keeps ids). */
    private readonly supervisor: (id: string) => SupervisorRef | undefined,
  ) {}

  /** A new campaign with its first contacts, all together or none. */
  async create(
    campaign: {
      id: string;
      name: string;
      queueId: string;
      script?: string | undefined;
      answeringMachine?: AnsweringMachine | undefined;
      at: number;
      by: SupervisorRef | undefined;
    },
    contacts: readonly CheckedContact[],
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('campaigns')
        .values({
          id: campaign.id,
          name: campaign.name,
          queue_id: campaign.queueId,
          status: 'running',
          created_at: campaign.at,
          created_by: campaign.by?.id ?? null,
          changed_at: campaign.at,
          finished_at: null,
          script: campaign.script ?? null,
          ...machineColumns(campaign.answeringMachine ?? { action: 'connect' }),
        })
        .execute();
      await insertContacts(trx, campaign.id, contacts, campaign.at);
    });
  }

  /** More contacts for a campaign, after those it has; a finished campaign is open again. */
  async addContacts(campaignId: string, contacts: readonly CheckedContact[], at: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await insertContacts(trx, campaignId, contacts, at);
      if (contacts.some((c) => c.state === 'pending')) {
        await trx.updateTable('campaigns').set({ finished_at: null }).where('id', '=', campaignId).execute();
      }
    });
  }

  /** The numbers a campaign has and its last place, to check a list added to it. */
  async existing(campaignId: string): Promise<{ numbers: Set<string>; lastSeq: number }> {
    const rows = await this.db
      .selectFrom('campaign_contacts')
      .select(['number', 'seq'])
      .where('campaign_id', '=', campaignId)
      .execute();
    // Not Math.max(...seqs): spreading a long campaign's places as arguments overflows the stack.
    const lastSeq = rows.reduce((last, r) => Math.max(last, r.seq), 0);
    return { numbers: new Set(rows.map((r) => r.number)), lastSeq };
  }

  async get(id: string): Promise<CampaignRecord | undefined> {
    const row = await this.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return this.record(row, await this.counts([id]));
  }

  /** Every campaign, the newest first, with its contacts counted by state. */
  async list(): Promise<CampaignRecord[]> {
    const rows = await this.db.selectFrom('campaigns').selectAll().orderBy('created_at', 'desc').execute();
    const counts = await this.counts(rows.map((r) => r.id));
    return rows.map((row) => this.record(row, counts));
  }

  /** The campaigns that may book calls, the oldest first (they share their queue's free agents so). */
  async running(): Promise<CampaignRecord[]> {
    return (await this.list()).filter((c) => c.status === 'running').reverse();
  }

  async contacts(
    campaignId: string,
    filter: { state?: ContactState | undefined; limit: number; offset: number },
  ): Promise<{ items: ContactRecord[]; total: number }> {
    const query = this.contactsOf(campaignId, filter.state);
    const [rows, total] = await Promise.all([
      this.withConversation(query).limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { total: Number(total.n), items: rows.map(contactWithConversation) };
  }

  /**
   * Every contact of a campaign (in one state if given) in calling order, a page at a time (each a seek
   * past the last one read, not an offset): for an export of a list of any length.
   */
  async *allContacts(campaignId: string, state?: ContactState): AsyncGenerator<ContactRecord[]> {
    for (let after = 0; ; ) {
      const rows = await this.withConversation(this.contactsOf(campaignId, state))
        .where('campaign_contacts.seq', '>', after)
        .limit(CONTACT_PAGE_ROWS)
        .execute();
      if (rows.length === 0) return;
      yield rows.map(contactWithConversation);
      after = rows[rows.length - 1]!.seq;
      if (rows.length < CONTACT_PAGE_ROWS) return;
    }
  }

  /**
   * The conversations the campaign's calls led to (a customer who answered), counted by the agent's wrap-up
   * code and by agent, with their talk time (a conversation still going counts no talk yet).
   */
  async figures(campaignId: string): Promise<CampaignFigures> {
    const conversations = this.db
      .selectFrom('campaign_contacts')
      .innerJoin('interactions as conversation', conversationOfRequest)
      .where('campaign_contacts.campaign_id', '=', campaignId);
    const share = sql<number>`coalesce(sum(conversation.talk_seconds), 0)`.as('talk');
    const [byCode, byAgent] = await Promise.all([
      conversations
        .select(['conversation.wrap_up_code as code', (eb) => eb.fn.countAll<number>().as('n'), share])
        .groupBy('conversation.wrap_up_code')
        .orderBy('n', 'desc')
        .orderBy('code')
        .execute(),
      conversations
        .select(['conversation.agent_id as agentId', (eb) => eb.fn.countAll<number>().as('n'), share])
        .groupBy('conversation.agent_id')
        .orderBy('n', 'desc')
        .orderBy('agentId')
        .execute(),
    ]);
    const counted = (r: { n: number; talk: number }) => ({
      conversations: Number(r.n),
      talkSeconds: Math.round(Number(r.talk)),
    });
    return {
      conversations: byCode.reduce((sum, r) => sum + Number(r.n), 0),
      talkSeconds: Math.round(byCode.reduce((sum, r) => sum + Number(r.talk), 0)),
      byWrapUpCode: byCode.map((r) => ({ code: r.code ?? null, ...counted(r) })),
      byAgent: byAgent.map((r) => ({ agentId: r.agentId ?? null, ...counted(r) })),
    };
  }

  /**
   * What a campaign's day figures are made of (src/acd/campaigns.ts `campaignDays`): its requests' callback
   * and answering-machine steps, and its conversations' starts and talk time.
   */
  async dayRecords(campaignId: string): Promise<{
    steps: CampaignStepOnRecord[];
    conversations: { at: number; talkSeconds: number | null }[];
  }> {
    const [steps, conversations] = await Promise.all([
      this.db
        .selectFrom('campaign_contacts')
        .innerJoin('interaction_events as e', 'e.interaction_id', 'campaign_contacts.interaction_id')
        .where('campaign_contacts.campaign_id', '=', campaignId)
        .where('e.type', 'in', ['acd.callback', 'acd.answering-machine'])
        .select([
          'e.at as at',
          'e.type as type',
          sql<string | null>`json_extract(e.payload, '$.step')`.as('step'),
          sql<string | null>`json_extract(e.payload, '$.reason')`.as('reason'),
          sql<string | null>`json_extract(e.payload, '$.verdict')`.as('verdict'),
          sql<string | null>`json_extract(e.payload, '$.outcome')`.as('outcome'),
        ])
        .execute(),
      this.db
        .selectFrom('campaign_contacts')
        .innerJoin('interactions as conversation', conversationOfRequest)
        .where('campaign_contacts.campaign_id', '=', campaignId)
        .select(['conversation.started_at as at', 'conversation.talk_seconds as talkSeconds'])
        .execute(),
    ]);
    return { steps, conversations };
  }

  private contactsOf(campaignId: string, state: ContactState | undefined) {
    // Named by table: the joined interactions have a state too.
    const query = this.db
      .selectFrom('campaign_contacts')
      .where('campaign_contacts.campaign_id', '=', campaignId);
    return state ? query.where('campaign_contacts.state', '=', state) : query;
  }

  /** Contacts with the conversation their callback led to, if any (its agent and wrap-up), in calling order. */
  private withConversation(query: ReturnType<CampaignLog['contactsOf']>) {
    return query
      .leftJoin('interactions as conversation', conversationOfRequest)
      .selectAll('campaign_contacts')
      .select([
        'conversation.id as conversation_id',
        'conversation.agent_id as conversation_agent',
        'conversation.wrap_up_code as conversation_code',
      ])
      .orderBy('campaign_contacts.seq');
  }

  /** The next contacts to call, in the list's order. */
  async nextPending(campaignId: string, n: number): Promise<ContactRecord[]> {
    const rows = await this.db
      .selectFrom('campaign_contacts')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('state', '=', 'pending')
      .orderBy('seq')
      .limit(n)
      .execute();
    return rows.map((r) => ({ ...contactOf(r), conversation: null }));
  }

  /** Contacts whose callback request is in line (or was, when the service stopped). */
  async booked(): Promise<BookedContact[]> {
    const rows = await this.db
      .selectFrom('campaign_contacts')
      .select(['campaign_id', 'seq', 'interaction_id'])
      .where('state', '=', 'booked')
      .execute();
    return rows.flatMap((r) =>
      r.interaction_id ? [{ campaignId: r.campaign_id, seq: r.seq, interactionId: r.interaction_id }] : [],
    );
  }

  async markBooked(campaignId: string, seq: number, interactionId: string, at: number): Promise<void> {
    await this.db
      .updateTable('campaign_contacts')
      .set({ state: 'booked', interaction_id: interactionId, booked_at: at })
      .where('campaign_id', '=', campaignId)
      .where('seq', '=', seq)
      .execute();
  }

  /** A contact booked whose request never reached the line (a restart in between): to be called again. */
  async unbook(campaignId: string, seq: number): Promise<void> {
    await this.db
      .updateTable('campaign_contacts')
      .set({ state: 'pending', interaction_id: null, booked_at: null })
      .where('campaign_id', '=', campaignId)
      .where('seq', '=', seq)
      .execute();
  }

  /** A contact accounted for: its outcome, or skipped before it was booked. */
  async markClosed(
    campaignId: string,
    seq: number,
    outcome: { state: ContactState; reason: string | null },
    at: number,
  ): Promise<void> {
    await this.db
      .updateTable('campaign_contacts')
      .set({ state: outcome.state, reason: outcome.reason, closed_at: at })
      .where('campaign_id', '=', campaignId)
      .where('seq', '=', seq)
      .execute();
  }

  /** Paused, running again or stopped; a stop cancels every contact not yet called, saying why. */
  async setStatus(campaignId: string, status: CampaignStatus, at: number, reason?: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('campaigns')
        .set({ status, changed_at: at, ...(status === 'stopped' ? { finished_at: at } : {}) })
        .where('id', '=', campaignId)
        .execute();
      if (status !== 'stopped') return;
      await trx
        .updateTable('campaign_contacts')
        .set({ state: 'cancelled', reason: reason ?? 'the campaign was stopped', closed_at: at })
        .where('campaign_id', '=', campaignId)
        .where('state', '=', 'pending')
        .execute();
    });
  }

  /** A new script for a campaign's calls (null: none), for the calls that ring from now on. */
  async setScript(campaignId: string, script: string | null, at: number): Promise<void> {
    await this.db
      .updateTable('campaigns')
      .set({ script, changed_at: at })
      .where('id', '=', campaignId)
      .execute();
  }

  /** What a campaign does about answering machines from its next answered call on. */
  async setAnsweringMachine(campaignId: string, setting: AnsweringMachine, at: number): Promise<void> {
    await this.db
      .updateTable('campaigns')
      .set({ ...machineColumns(setting), changed_at: at })
      .where('id', '=', campaignId)
      .execute();
  }

  /** A campaign's answering-machine setting as it is now (undefined: no such campaign). */
  async answeringMachineOf(campaignId: string): Promise<AnsweringMachine | undefined> {
    const row = await this.db
      .selectFrom('campaigns')
      .select(['answering_machine', 'machine_message'])
      .where('id', '=', campaignId)
      .executeTakeFirst();
    return row && answeringMachineOf(row);
  }

  /** A campaign's script (null: none, or no such campaign), for the agent's caller card. */
  async scriptOf(campaignId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('campaigns')
      .select('script')
      .where('id', '=', campaignId)
      .executeTakeFirst();
    return row?.script ?? null;
  }

  async setFinished(campaignId: string, at: number): Promise<void> {
    await this.db
      .updateTable('campaigns')
      .set({ finished_at: at })
      .where('id', '=', campaignId)
      .where('finished_at', 'is', null)
      .execute();
  }

  private async counts(ids: readonly string[]): Promise<Map<string, ContactCounts>> {
    const result = new Map<string, ContactCounts>();
    if (ids.length === 0) return result;
    const rows = await this.db
      .selectFrom('campaign_contacts')
      .select(['campaign_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('campaign_id', 'in', ids)
      .groupBy(['campaign_id', 'state'])
      .execute();
    for (const row of rows) {
      const counts = result.get(row.campaign_id) ?? noContacts();
      counts[row.state] = Number(row.n);
      result.set(row.campaign_id, counts);
    }
    return result;
  }

  private record(row: Selectable<CampaignsTable>, counts: Map<string, ContactCounts>): CampaignRecord {
    return {
      id: row.id,
      name: row.name,
      queueId: row.queue_id,
      status: row.status,
      createdAt: row.created_at,
      createdBy: recordedSupervisor(this.supervisor, row.created_by),
      changedAt: row.changed_at,
      finishedAt: row.finished_at,
      script: row.script,
      answeringMachine: answeringMachineOf(row),
      counts: counts.get(row.id) ?? noContacts(),
    };
  }
}

function machineColumns(setting: AnsweringMachine) {
  return {
    answering_machine: setting.action,
    machine_message:
      setting.action === 'leave_message' && setting.message ? JSON.stringify(setting.message) : null,
  };
}

function answeringMachineOf(
  row: Pick<Selectable<CampaignsTable>, 'answering_machine' | 'machine_message'>,
): AnsweringMachine {
  const action = row.answering_machine;
  if (action !== 'leave_message' || !row.machine_message) return { action };
  return { action, message: JSON.parse(row.machine_message) as string[] };
}

async function insertContacts(
  db: Kysely<Database>,
  campaignId: string,
  contacts: readonly CheckedContact[],
  at: number,
): Promise<void> {
  // SQLite takes at most 32,766 bound values a statement: 500 rows of 9 columns stay well inside. A long
  // list lets the event loop go between statements, so calls are routed while it is written.
  for (let i = 0; i < contacts.length; i += 500) {
    if (i > 0) await setImmediate();
    await db
      .insertInto('campaign_contacts')
      .values(
        contacts.slice(i, i + 500).map((c) => ({
          campaign_id: campaignId,
          seq: c.seq,
          number: c.number,
          name: c.name,
          note: c.note,
          state: c.state,
          reason: c.reason,
          interaction_id: null,
          booked_at: null,
          closed_at: c.state === 'skipped' ? at : null,
        })),
      )
      .execute();
  }
}

function contactOf(r: Selectable<CampaignContactsTable>): Omit<ContactRecord, 'conversation'> {
  return {
    seq: r.seq,
    number: r.number,
    name: r.name,
    note: r.note,
    state: r.state,
    reason: r.reason,
    interactionId: r.interaction_id,
    bookedAt: r.booked_at,
    closedAt: r.closed_at,
  };
}

/** A contact's callback request to the conversation it led to (the call in which the customer answered). */
function conversationOfRequest(
  join: JoinBuilder<
    Database & { conversation: Database['interactions'] },
    'campaign_contacts' | 'conversation'
  >,
) {
  return join
    .onRef('conversation.parent_id', '=', 'campaign_contacts.interaction_id')
    .on('conversation.direction', '=', 'callback');
}

/** Contacts an export reads at a time. */
const CONTACT_PAGE_ROWS = 1000;

function contactWithConversation(
  r: Selectable<CampaignContactsTable> & {
    conversation_id: string | null;
    conversation_agent: string | null;
    conversation_code?: string | null | undefined;
  },
): ContactRecord {
  return {
    ...contactOf(r),
    conversation: r.conversation_id
      ? {
          interactionId: r.conversation_id,
          agentId: r.conversation_agent ?? null,
          wrapUpCode: r.conversation_code ?? null,
        }
      : null,
  };
}
