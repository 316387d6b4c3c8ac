import { type ExpressionBuilder, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { ERASED, scrubPayload } from '../interactions/erasure.js';
import type { InteractionEvent } from '../interactions/events.js';
import type { GroupCommit } from './group-commit.js';
import { recordingsStillNeeded } from './interaction-log.js';
import type {
  CampaignContactsTable,
  ContactsTable,
  Database,
  InteractionEventRow,
  InteractionRow,
} from './schema.js';

/** What the record holds of one customer (by every form of their number), before it is erased. */
export interface ErasureInventory {
  /** Their calls, callbacks, voicemails and campaign calls. */
  interactions: { id: string; state: 'open' | 'closed'; recordingPath: string | null }[];
  /** Their entry in the caller directory (the screen pop's name and notes). */
  contacts: number;
  /** Their rows on campaigns' contact lists, and of those the ones still to be called. */
  campaignContacts: number;
  campaignContactsPending: number;
}

/** Everything on record about one customer (by every form of their number), as stored. */
export interface CustomerRecords {
  interactions: { row: InteractionRow; timeline: InteractionEventRow[] }[];
  /** Their entries in the caller directory. */
  directory: Selectable<ContactsTable>[];
  campaignContacts: Selectable<CampaignContactsTable>[];
}

export interface ErasureDone {
  interactions: number;
  timelineEntries: number;
  /** Deliveries to webhooks kept on record that held their data, cleaned. */
  webhookDeliveries: number;
  recordings: number;
  contacts: number;
  campaignContacts: number;
  campaignContactsCancelled: number;
}

/** A recording's file deleted with the rest of its caller's data. */
const recordingDeleted = (
  path: string,
  why: { reason: 'erasure' } | { reason: 'retention'; retentionDays: number },
): InteractionEvent => ({ type: 'recording.deleted', payload: { path, ...why } });

/** A closed call past the personal-data retention, and where its customer's number is. */
export interface ExpiringCall {
  id: string;
  recordingPath: string | null;
  /** The customer's number: the number dialled for an agent's call out, else the caller's. */
  customerNumber: string | null;
  customerColumn: 'caller_number' | 'dialed_number';
}

/** A call's row with its customer's name, data, notes and recording gone (their number is per call). */
const PERSONAL_COLUMNS_ERASED = { caller_name: null, caller_data: '{}', notes: null, recording_path: null };

/** Digits a number needs to be a customer's (an extension calling in is nobody's personal data). */
const CUSTOMER_DIGITS = 6;

const CANCELLED_REASON = "the customer's data was erased at their request: not to be called";

/** A customer's calls: those from their number, and agents' calls out to it (any of its `forms`). */
const byCustomer = (forms: readonly string[]) => (eb: ExpressionBuilder<Database, 'interactions'>) =>
  eb.or([eb('caller_number', 'in', forms), eb('dialed_number', 'in', forms)]);

/**
 * What the record holds about one customer, found by every form of their number: a copy of it (the right
 * of access), or erased (the right to erasure, or once past `retention.personalDataDays`), all or nothing, in
 * the commit queue behind every write already queued: their number, name, the data they gave and the notes
 * on their calls, every timeline entry of those calls cleaned (src/interactions/erasure.ts) with
 * `interaction.erased` added, their directory entry, and their campaign contacts (those still to be called
 * cancelled). What the calls were (queues, agents, times, outcomes) stays, so the figures do. The
 * do-not-call list, blocks and flags on the number are kept: they exist to protect people, and keeping them
 * is what honours them.
 */
export class CustomerDataLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly commit: GroupCommit,
  ) {}

  /** A copy of it all (the right of access), their calls oldest first, each with its whole timeline. */
  async records(forms: readonly string[]): Promise<CustomerRecords> {
    const rows = await this.db
      .selectFrom('interactions')
      .selectAll()
      .where(byCustomer(forms))
      .orderBy('started_at')
      .execute();
    const events =
      rows.length === 0
        ? []
        : await this.db
            .selectFrom('interaction_events')
            .selectAll()
            .where(
              'interaction_id',
              'in',
              rows.map((r) => r.id),
            )
            .orderBy('seq')
            .execute();
    const timelines = new Map<string, InteractionEventRow[]>(rows.map((r) => [r.id, []]));
    for (const event of events) timelines.get(event.interaction_id)?.push(event);
    return {
      interactions: rows.map((row) => ({ row, timeline: timelines.get(row.id) ?? [] })),
      directory: await this.db.selectFrom('contacts').selectAll().where('number', 'in', forms).execute(),
      campaignContacts: await this.db
        .selectFrom('campaign_contacts')
        .selectAll()
        .where('number', 'in', forms)
        .orderBy('campaign_id')
        .orderBy('seq')
        .execute(),
    };
  }

  async inventory(forms: readonly string[]): Promise<ErasureInventory> {
    const interactions = await this.interactionsOf(this.db, forms);
    const contacts = await this.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('number', 'in', forms)
      .executeTakeFirstOrThrow();
    const campaign = await this.db
      .selectFrom('campaign_contacts')
      .select(['state'])
      .where('number', 'in', forms)
      .execute();
    return {
      interactions,
      contacts: Number(contacts.n),
      campaignContacts: campaign.length,
      campaignContactsPending: campaign.filter((c) => c.state === 'pending').length,
    };
  }

  /**
   * Erases it all as of `at`. The recordings' files must be gone first (the caller deletes them): a row is
   * never left without its file's deletion on record, nor a file without a row. `erased` is the entry added
   * to each of their calls' timelines. Nothing is erased when a call of theirs is open by then (one came in
   * since the inventory): those calls are named instead.
   */
  erase(
    forms: readonly string[],
    at: number,
    erased: Extract<InteractionEvent, { type: 'interaction.erased' }>,
  ): Promise<ErasureDone | { open: string[] }> {
    return this.commit.run(async (trx) => {
      const interactions = await this.interactionsOf(trx, forms);
      const open = interactions.filter((i) => i.state === 'open').map((i) => i.id);
      if (open.length > 0) return { open };
      const ids = interactions.map((i) => i.id);
      const recordings = interactions.filter((i) => i.recordingPath).length;
      const { timelineEntries, webhookDeliveries } = await this.eraseCalls(
        trx,
        interactions,
        forms,
        at,
        (i) => [
          ...(i.recordingPath ? [recordingDeleted(i.recordingPath, { reason: 'erasure' })] : []),
          erased,
        ],
        () => this.eraseRows(trx, ids, forms),
      );
      const contacts = await trx.deleteFrom('contacts').where('number', 'in', forms).executeTakeFirst();
      const cancelled = await trx
        .updateTable('campaign_contacts')
        .set({ state: 'cancelled', reason: CANCELLED_REASON, closed_at: at })
        .where('number', 'in', forms)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      const campaignContacts = await trx
        .updateTable('campaign_contacts')
        .set({ number: ERASED, name: null, note: null })
        .where('number', 'in', forms)
        .executeTakeFirst();
      return {
        interactions: ids.length,
        timelineEntries,
        webhookDeliveries,
        recordings,
        contacts: Number(contacts.numDeletedRows),
        campaignContacts: Number(campaignContacts.numUpdatedRows),
        campaignContactsCancelled: Number(cancelled.numUpdatedRows),
      };
    });
  }

  /**
   * Closed calls begun before `before` whose rows still hold personal data, oldest first, skipping one whose
   * recording an open interaction still needs (a voicemail not worked yet, linked from the caller's call).
   */
  async personalDataToExpire(before: number, limit: number): Promise<ExpiringCall[]> {
    const rows = await this.db
      .selectFrom('interactions')
      .select(['id', 'direction', 'caller_number', 'dialed_number', 'recording_path'])
      .where(sql`+${sql.ref('state')}`, '=', 'closed')
      .where('started_at', '<', before)
      .where((eb) =>
        eb.or([
          eb.and([
            eb('direction', '=', 'outbound'),
            eb(sql`length(replace(${sql.ref('dialed_number')}, '+', ''))`, '>=', CUSTOMER_DIGITS),
          ]),
          eb.and([
            eb('direction', '!=', 'outbound'),
            eb(sql`length(replace(${sql.ref('caller_number')}, '+', ''))`, '>=', CUSTOMER_DIGITS),
          ]),
          eb('caller_name', 'is not', null),
          eb('notes', 'is not', null),
          eb('caller_data', '!=', '{}'),
          eb('recording_path', 'is not', null),
        ]),
      )
      .where((eb) =>
        eb.or([
          eb('recording_path', 'is', null),
          eb('recording_path', 'not in', recordingsStillNeeded(this.db)),
        ]),
      )
      .orderBy('started_at')
      .limit(limit)
      .execute();
    return rows.map((r) => {
      const customerColumn = r.direction === 'outbound' ? 'dialed_number' : 'caller_number';
      return { id: r.id, recordingPath: r.recording_path, customerNumber: r[customerColumn], customerColumn };
    });
  }

  /**
   * One call's personal data erased as an erasure does (its customer's number in `forms`), with a
   * `recording.deleted` for its recording (its file deleted first by the caller) and `erased` added; false
   * when it is no longer a closed call on record.
   */
  anonymize(
    call: ExpiringCall,
    forms: readonly string[],
    at: number,
    retentionDays: number,
    erased: Extract<InteractionEvent, { type: 'interaction.erased' }>,
  ): Promise<boolean> {
    return this.commit.run(async (trx) => {
      const row = await trx
        .selectFrom('interactions')
        .select('state')
        .where('id', '=', call.id)
        .executeTakeFirst();
      if (row?.state !== 'closed') return false;
      await this.eraseCalls(
        trx,
        [call],
        forms,
        at,
        (i) => [
          ...(i.recordingPath
            ? [recordingDeleted(i.recordingPath, { reason: 'retention', retentionDays })]
            : []),
          erased,
        ],
        async () => {
          await trx
            .updateTable('interactions')
            .set({ ...PERSONAL_COLUMNS_ERASED, [call.customerColumn]: null })
            .where('id', '=', call.id)
            .execute();
        },
      );
      return true;
    });
  }

  /**
   * Erases calls' personal data: their timelines cleaned, their rows (`eraseRows`), then `entries(call)` added
   * to each (after the rows, so a webhook's delivery of them is written from the erased row), then the
   * deliveries to webhooks kept on record cleaned. How many entries and deliveries held any.
   */
  private async eraseCalls<C extends { id: string; recordingPath: string | null }>(
    trx: Transaction<Database>,
    calls: readonly C[],
    forms: readonly string[],
    at: number,
    entries: (call: C) => InteractionEvent[],
    eraseRows: () => Promise<void>,
  ): Promise<{ timelineEntries: number; webhookDeliveries: number }> {
    if (calls.length === 0) return { timelineEntries: 0, webhookDeliveries: 0 };
    const ids = calls.map((c) => c.id);
    const timelineEntries = await this.scrub(trx, 'interaction_events', ids, forms);
    await eraseRows();
    await trx
      .insertInto('interaction_events')
      .values(
        calls.flatMap((c) =>
          entries(c).map((e) => ({
            interaction_id: c.id,
            at,
            type: e.type,
            payload: JSON.stringify(e.payload),
          })),
        ),
      )
      .execute();
    const webhookDeliveries = await this.scrub(trx, 'webhook_deliveries', ids, forms);
    return { timelineEntries, webhookDeliveries };
  }

  /** Their number, name, data, notes and recording gone from their calls' rows. */
  private async eraseRows(
    trx: Transaction<Database>,
    ids: string[],
    forms: readonly string[],
  ): Promise<void> {
    await trx.updateTable('interactions').set(PERSONAL_COLUMNS_ERASED).where('id', 'in', ids).execute();
    await trx
      .updateTable('interactions')
      .set({ caller_number: null })
      .where('id', 'in', ids)
      .where('caller_number', 'in', forms)
      .execute();
    await trx
      .updateTable('interactions')
      .set({ dialed_number: null })
      .where('id', 'in', ids)
      .where('dialed_number', 'in', forms)
      .execute();
  }

  /**
   * Cleans what their calls' timeline entries hold, or the deliveries to webhooks kept on record (sent or
   * waiting, kept retention.webhookDeliveriesDays, each with the call's row as it stood): how many held any.
   */
  private async scrub(
    trx: Transaction<Database>,
    table: 'interaction_events' | 'webhook_deliveries',
    ids: string[],
    forms: readonly string[],
  ): Promise<number> {
    const clean = (json: string | null) =>
      json === null ? { value: null, changed: false } : scrubPayload(JSON.parse(json) as unknown, forms);
    let changed = 0;
    if (table === 'interaction_events') {
      const rows = await trx
        .selectFrom('interaction_events')
        .select(['seq', 'payload'])
        .where('interaction_id', 'in', ids)
        .execute();
      for (const row of rows) {
        const payload = clean(row.payload);
        if (!payload.changed) continue;
        await trx
          .updateTable('interaction_events')
          .set({ payload: JSON.stringify(payload.value) })
          .where('seq', '=', row.seq)
          .execute();
        changed++;
      }
      return changed;
    }
    const rows = await trx
      .selectFrom('webhook_deliveries')
      .select(['id', 'payload', 'interaction'])
      .where('interaction_id', 'in', ids)
      .execute();
    for (const row of rows) {
      const payload = clean(row.payload);
      const interaction = clean(row.interaction);
      if (!payload.changed && !interaction.changed) continue;
      await trx
        .updateTable('webhook_deliveries')
        .set({
          payload: JSON.stringify(payload.value),
          ...(interaction.changed ? { interaction: JSON.stringify(interaction.value) } : {}),
        })
        .where('id', '=', row.id)
        .execute();
      changed++;
    }
    return changed;
  }

  private async interactionsOf(
    db: Kysely<Database> | Transaction<Database>,
    forms: readonly string[],
  ): Promise<ErasureInventory['interactions']> {
    const rows = await db
      .selectFrom('interactions')
      .select(['id', 'state', 'recording_path'])
      .where(byCustomer(forms))
      .orderBy('started_at')
      .execute();
    return rows.map((r) => ({ id: r.id, state: r.state, recordingPath: r.recording_path }));
  }
}
