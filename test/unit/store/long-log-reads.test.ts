/**
 * Reads that must stay quick a year into a busy log: the reports' (page by page: the same records whatever
 * the page size, the event loop let go between pages) and the service's own at start-up, per call and per
 * retention sweep. Each is checked to be served by its index (the queries SQLite was asked, explained);
 * `npm run bench:reports` measures them on a seeded year.
 */
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { AgentEventLog } from '../../../src/store/agent-event-log.js';
import { CustomerDataLog } from '../../../src/store/customer-data-log.js';
import { migrateToLatest } from '../../../src/store/database.js';
import { InteractionLog } from '../../../src/store/interaction-log.js';
import type { Database } from '../../../src/store/schema.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const MIN = 60_000;

/** A log whose every query (SQL and parameters) is kept, to ask SQLite how it would run them. */
async function openLog() {
  const sqlite = new SQLite(':memory:');
  const queries: { sql: string; parameters: readonly unknown[] }[] = [];
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (event) => {
      if (event.level === 'query') queries.push({ sql: event.query.sql, parameters: event.query.parameters });
    },
  });
  await migrateToLatest(db);
  const log = new InteractionLog(db);
  const agentLog = new AgentEventLog(db, log.commit);
  /** How SQLite runs each query kept since `mark`: the plan's lines, joined. */
  const plans = (mark: number) =>
    queries
      .slice(mark)
      .map((q) =>
        (sqlite.prepare(`explain query plan ${q.sql}`).all(...q.parameters) as { detail: string }[])
          .map((r) => r.detail)
          .join(' | '),
      );
  return { db, log, agentLog, queries, plans };
}

/** Five calls in sales a minute apart; the third answered twice (its agent lost), the fourth abandoned. */
async function fiveCalls(log: InteractionLog): Promise<void> {
  for (let n = 0; n < 5; n++) {
    const at = T0 + n * MIN;
    const id = await log.open({ direction: 'inbound', startedAt: at });
    await log.queueEntered(id, 'sales', at);
    if (n === 3) {
      await log.queueLeft(id, at + 9000, 'abandoned');
      continue;
    }
    await log.queueLeft(id, at + 5000, 'answered');
    if (n === 2) {
      await log.queueEntered(id, 'sales', at + 30_000);
      await log.queueLeft(id, at + 32_000, 'answered');
    }
    await log.record(
      id,
      at + 50_000,
      {
        type: 'interaction.closed',
        payload: { disposition: 'handled', endedBy: 'caller', durationSeconds: 50 },
      },
      { state: 'closed', ended_at: at + 50_000, talk_seconds: 40 + n, wrap_seconds: 5 },
    );
  }
  await log.afterQueuedWrites();
}

describe('report reads', () => {
  it("give a queue's stays in the order they entered it, the same in pages of 2 as in one page, the handle time on the last answered stay", async () => {
    const { log } = await openLog();
    await fiveCalls(log);
    const pages: number[] = [];
    const paged = [];
    for await (const page of log.queueRecordPages('sales', T0, T0 + 10 * MIN, 2)) {
      pages.push(page.length);
      paged.push(...page);
    }
    expect(pages).toEqual([2, 2, 2]);
    const whole = await log.queueRecords('sales', T0, T0 + 10 * MIN);
    expect(paged).toEqual(whole);
    expect(whole.map((r) => [(r.enqueuedAt - T0) / 1000, r.talkSeconds, r.abandoned])).toEqual([
      [0, 40, false],
      [60, 41, false],
      [120, 0, false], // the third call's first stay: its handle time is on the second
      [150, 42, false],
      [180, 0, true],
      [240, 44, false],
    ]);
  });

  it('let other work run between pages (calls go first)', async () => {
    const { log } = await openLog();
    await fiveCalls(log);
    const seen: string[] = [];
    setImmediate(() => seen.push('other work'));
    for await (const page of log.queueRecordPages('sales', T0, T0 + 10 * MIN, 4)) {
      seen.push(`${page.length} stays`);
    }
    expect(seen).toEqual(['4 stays', 'other work', '2 stays']);
  });

  it("give an agent's changes in time order, in pages, from the range only", async () => {
    const { agentLog } = await openLog();
    const states = ['available', 'offered', 'talking', 'wrap_up', 'available', 'not_ready'];
    for (const [n, to] of states.entries()) {
      await agentLog.append({ agentId: 'ann', at: T0 + n * MIN, from: 'x', to });
    }
    await agentLog.append({ agentId: 'bob', at: T0 + 2 * MIN, from: 'x', to: 'available' });
    const pages: string[][] = [];
    for await (const page of agentLog.changePages('ann', T0 + MIN, T0 + 5 * MIN, 2)) {
      pages.push(page.map((c) => c.to));
    }
    expect(pages).toEqual([
      ['offered', 'talking'],
      ['wrap_up', 'available'],
    ]);
    expect((await agentLog.lastBefore('ann', T0 + 3 * MIN))?.to).toBe('talking');
  });

  it('are each served by an index: no page steps over the stays read before it', async () => {
    const { log, agentLog, queries, plans } = await openLog();
    await fiveCalls(log);
    await agentLog.append({ agentId: 'ann', at: T0, from: 'logged_out', to: 'available' });
    const mark = queries.length;
    for await (const _ of log.queueRecordPages('sales', T0, T0 + 10 * MIN, 2)) {
      // read every page
    }
    for await (const _ of agentLog.changePages('ann', T0, T0 + 10 * MIN, 1)) {
      // read every page
    }
    await agentLog.lastBefore('ann', T0 + MIN);
    await log.handledCalls('ann', T0, T0 + 10 * MIN, 1);
    const read = plans(mark);
    // The plan reads the same whichever lower bound SQLite seeks to, so the pages' SQL says which it has:
    // the first page starts at `since`, each later one only after the last stay read.
    const staySql = queries
      .slice(mark)
      .map((q) => q.sql)
      .filter((sql) => sql.includes('"queue_visits" as "v"'));
    expect(staySql).toHaveLength(4); // three full pages, then an empty one
    expect(staySql[0]).toContain('"v"."entered_at" >= ?');
    for (const sql of staySql.slice(1)) {
      expect(sql).toContain('("v"."entered_at", "v"."id") > (?, ?)');
      expect(sql).not.toContain('"v"."entered_at" >= ?');
    }
    const stays = read.filter((p) => / v\b/.test(p) && p.includes('queue_visits'));
    expect(stays.length).toBeGreaterThan(2);
    for (const plan of stays) {
      // The stays by queue and time; a later page seeks past the last one read (not from `since`)...
      expect(plan).toMatch(
        /^SEARCH v USING INDEX queue_visits_queue \(queue_id=\? AND entered_at>\? AND entered_at<\?\)/,
      );
      // ...and a call's later answered stay is looked up among its own stays.
      expect(plan).toContain('SEARCH w USING INDEX queue_visits_interaction (interaction_id=? AND id>?)');
      expect(plan).not.toContain('TEMP B-TREE');
    }
    const agent = read.filter((p) => p.includes('agent_events'));
    expect(agent.length).toBeGreaterThan(2);
    for (const plan of agent) {
      expect(plan).toMatch(/^SEARCH agent_events USING INDEX agent_events_by_agent \(agent_id=\? AND at[<>]/);
      expect(plan).not.toContain('TEMP B-TREE');
    }
    // The agent's own parts of queue calls, from their index alone...
    const own = read.filter((p) => p.includes('queue_visits_agent_answered'));
    expect(own.length).toBeGreaterThan(0);
    for (const plan of own) {
      expect(plan).toMatch(
        /^SEARCH queue_visits USING COVERING INDEX queue_visits_agent_answered \(agent_id=\? AND answered_at>\? AND answered_at<\?\)/,
      );
    }
    // ...and their other handled calls a page at a time in the index's own order (nothing sorted), each
    // page's calls' stays then looked up among those calls' own.
    const calls = read.filter((p) => p.includes('interactions_agent_handled'));
    expect(calls.length).toBeGreaterThan(0);
    for (const plan of calls) {
      expect(plan).toBe(
        'SEARCH i USING INDEX interactions_agent_handled (agent_id=? AND <expr>>? AND <expr><?)',
      );
    }
  });

  it("give an agent's handled calls the same in pages of 1 or 2 as in one page, calls answered the same instant too", async () => {
    const { log } = await openLog();
    // Ann's calls: three answered the same millisecond (the page boundary must not skip or repeat one).
    const answered = [0, 0, 0, MIN, 2 * MIN];
    for (const [n, offset] of answered.entries()) {
      const id = await log.open({ direction: 'outbound', startedAt: T0 + offset });
      await log.record(
        id,
        T0 + offset + 30_000,
        {
          type: 'interaction.closed',
          payload: { disposition: 'handled', endedBy: 'agent', durationSeconds: 30 },
        },
        {
          state: 'closed',
          disposition: 'handled',
          agent_id: 'ann',
          connected_at: T0 + offset,
          talk_seconds: 10 + n,
        },
      );
    }
    await log.afterQueuedWrites();
    const read = async (pageSize?: number) =>
      (await log.handledCalls('ann', T0, T0 + 10 * MIN, pageSize))
        .map((c) => `${c.answeredAt - T0}:${c.talkSeconds}`)
        .sort();
    const whole = await read();
    expect(whole).toEqual(['0:10', '0:11', '0:12', '120000:14', '60000:13']);
    expect(await read(1)).toEqual(whole);
    expect(await read(2)).toEqual(whole);
  });

  it("serve the service's start-up, screen-pop and retention reads from their indexes", async () => {
    const { log, agentLog, queries, plans } = await openLog();
    await fiveCalls(log);
    const mark = queries.length;
    await agentLog.lastChanges(['ann', 'bob']);
    await log.queueCallsConnectedSince(T0);
    await log.recentOfNumber('anonymous', 5);
    await log.recordingsToExpire(T0, 100);
    const [ann, bob, connected, recent, expired] = plans(mark);
    for (const plan of [ann, bob]) {
      // The last change by the log's order, straight from (agent_id, seq): not every change grouped.
      expect(plan).toBe('SEARCH agent_events USING INDEX agent_events_by_agent_seq (agent_id=?)');
    }
    // Today's connects from their own index, not every call by agent.
    expect(connected).toMatch(
      /^SEARCH interactions USING INDEX interactions_connected_at \(connected_at>\?\)/,
    );
    // A caller's latest calls in order from (caller_number, started_at): not all of a withheld number's sorted.
    expect(recent).toBe('SEARCH interactions USING INDEX interactions_caller_number (caller_number=?)');
    // The oldest recordings first, from the recordings' own index.
    expect(expired).toMatch(/^SEARCH interactions USING INDEX interactions_recordings \(started_at<\?\)/);
    expect(expired).not.toContain('TEMP B-TREE');
  });

  it('serve the interaction list filtered by disposition or by direction a page at a time from an index', async () => {
    const { log, queries, plans } = await openLog();
    await fiveCalls(log);
    const mark = queries.length;
    const abandoned = await log.list({ disposition: 'abandoned', limit: 2, offset: 0 });
    await log.list({ direction: 'voicemail', order: 'oldest', limit: 2, offset: 0 });
    const [page, count, voicemails, voicemailCount] = plans(mark);
    expect(abandoned.total).toBe(0); // (these calls were never closed as abandoned: only the plan matters)
    // Newest first straight from the index (only ties on the same instant sorted), not every call read.
    expect(page).toBe(
      'SEARCH interactions USING INDEX interactions_disposition (disposition=?) | USE TEMP B-TREE FOR LAST TERM OF ORDER BY',
    );
    // Counted up to the cap, from the index alone.
    expect(count).toBe(
      'CO-ROUTINE matches | SEARCH interactions USING COVERING INDEX interactions_disposition (disposition=?) | SCAN matches',
    );
    expect(voicemails).toBe(
      'SEARCH interactions USING INDEX interactions_direction (direction=?) | USE TEMP B-TREE FOR LAST TERM OF ORDER BY',
    );
    expect(voicemailCount).toBe(
      'CO-ROUTINE matches | SEARCH interactions USING COVERING INDEX interactions_direction (direction=?) | SCAN matches',
    );
  });

  it("find a customer's calls and campaign contacts by number from their indexes (a copy, an erasure)", async () => {
    const { db, log, queries, plans } = await openLog();
    await fiveCalls(log);
    const customers = new CustomerDataLog(db, log.commit);
    const mark = queries.length;
    await customers.inventory(['+15550100001', '15550100001']);
    const read = plans(mark);
    // Their calls in or out: both columns by their own index (SQLite's OR by index), not every call.
    const calls = read.find((plan) => plan.includes('interactions'));
    expect(calls).toContain('INDEX interactions_caller_number (caller_number=?)');
    expect(calls).toContain('INDEX interactions_dialed_number (dialed_number=?)');
    expect(calls).not.toMatch(/SCAN interactions(?! USING)/);
    expect(read.find((plan) => plan.includes('campaign_contacts'))).toMatch(
      /^SEARCH campaign_contacts USING (COVERING )?INDEX campaign_contacts_by_number \(number=\?\)/,
    );
  });

  it('read the open voicemails (every softphone load) by state: the few open ones, not every voicemail ever', async () => {
    const { log, queries, plans } = await openLog();
    const mark = queries.length;
    await log.list({ direction: 'voicemail', state: 'open', order: 'oldest', limit: 100, offset: 0 });
    const [page, count] = plans(mark);
    expect(page).toMatch(/^SEARCH interactions USING INDEX interactions_state \(state=\?\)/);
    expect(count).toMatch(
      /^CO-ROUTINE matches \| SEARCH interactions USING INDEX interactions_state \(state=\?\)/,
    );
  });
});
