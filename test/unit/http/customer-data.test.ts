/**
 * A customer's requests about their data over the API. A copy: everything on record about them, in any form
 * of their number, and nothing of anyone else's. Erased (the real app, SQLite log, recordings folder; fake
 * Asterisk): every call of theirs, in any form of their number, loses their number, name, data, notes and
 * recording, its timeline says [erased] where they were and why it was done; their directory entry goes and
 * their campaign contacts still to be called are cancelled; nobody else's calls change; refused while they
 * are on a call, for what is no customer's number, and for agents; in the change log without the number.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Receiver } from '../webhooks/receiver.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

const UK = { countryCode: '44', internationalPrefix: '00', trunkPrefix: '0', nationalNumberLengths: [9, 10] };
const ADA = '+447700900123';
const OTHER = '+447700900999';

let api: Awaited<ReturnType<typeof buildApi>>;
let recordings: string;

beforeEach(async () => {
  recordings = mkdtempSync(join(tmpdir(), 'erasure-'));
  api = await buildApi({ numbering: UK, recordingsDir: recordings });
});
afterEach(async () => {
  await api.app.close();
  rmSync(recordings, { recursive: true, force: true });
});

const erase = (body: object, token = SUPERVISOR) =>
  api.app.inject({ method: 'POST', url: '/api/customers/erasures', headers: api.as(token), payload: body });

/** A closed call from `number` with everything a call can hold about its caller, and its recording file. */
async function fullCall(number: string, name: string): Promise<string> {
  const id = await api.callHandledBy('agent1', { callerNumber: number, ended: true });
  const file = `${id}.wav`;
  writeFileSync(join(recordings, file), 'RIFF');
  await api.log.record(
    id,
    Date.now() - 50_000,
    {
      type: 'wrapup.saved',
      payload: { agentId: 'agent1', code: 'handled', notes: `${name} wants a refund` },
    },
    {
      recording_path: file,
      caller_name: name,
      notes: `${name} wants a refund`,
      caller_data: '{"account":"991"}',
    },
  );
  await api.log.record(id, Date.now() - 40_000, {
    type: 'acd.callback',
    payload: { queueId: 'sales', step: 'requested', callerNumber: number, note: `call ${name} after 5` },
  });
  return id;
}

const interaction = async (id: string) =>
  (await api.app.inject({ url: `/api/interactions/${id}`, headers: api.as(SUPERVISOR) })).json() as Record<
    string,
    unknown
  > & { timeline: { type: string; payload: Record<string, unknown> }[] };

describe("a copy of a customer's data at their request", () => {
  it('gives every call of theirs with its timeline, their directory entry, campaign contacts and lists', async () => {
    const call = await fullCall(ADA, 'Ada Lovelace');
    const older = await api.log.open({
      direction: 'inbound',
      callerNumber: '07700900123',
      startedAt: Date.now() - 9e6,
    });
    await fullCall(OTHER, 'Grace Hopper');
    await api.db
      .insertInto('contacts')
      .values({ number: ADA, name: 'Ada Lovelace', notes: 'VIP', updated_at: Date.UTC(2026, 11, 1) })
      .execute();
    await api.db
      .insertInto('campaign_contacts')
      .values({
        campaign_id: 'spring',
        seq: 1,
        number: ADA,
        name: 'Ada',
        note: 'renewal',
        state: 'pending',
      } as never)
      .execute();
    await api.doNotCall.add({ number: ADA, note: null, interactionId: null }, { type: 'supervisor' });
    const reply = await api.app.inject({
      method: 'POST',
      url: '/api/customers/exports',
      headers: api.as(api.supervisorTokenOf('sam')),
      payload: { number: '+44 7700 900123', reason: 'request 2026-119' },
    });
    expect(reply.statusCode, reply.body).toBe(200);
    const copy = reply.json();
    expect(copy).toMatchObject({
      number: ADA,
      directory: [{ name: 'Ada Lovelace', notes: 'VIP', updatedAt: '2026-12-01T00:00:00.000Z' }],
      campaignContacts: [
        { campaignId: 'spring', name: 'Ada', note: 'renewal', state: 'pending', closedAt: null },
      ],
      listed: { doNotCall: true, blocked: false },
    });
    // Oldest first, the one recorded in the national form too; each whole, as GET /api/interactions/:id has it.
    expect(copy.interactions.map((i: { id: string }) => i.id)).toEqual([older, call]);
    const full = (
      await api.app.inject({ url: `/api/interactions/${call}`, headers: api.as(SUPERVISOR) })
    ).json();
    expect(copy.interactions[1]).toEqual(full);
    expect(JSON.stringify(copy)).not.toMatch(/Grace|900999/);
    const changes = (await api.app.inject({ url: '/api/changes', headers: api.as(SUPERVISOR) })).json();
    expect(changes.changes[0]).toMatchObject({
      action: 'customer.exported',
      subject: '+447•••••••23',
      after: { reason: 'request 2026-119', interactions: 2 },
      by: { supervisor: { id: 'sam' } },
    });
    // The same refusals as an erasure's; an open call is no reason to refuse a copy.
    const ask = (payload: object, token = SUPERVISOR) =>
      api.app.inject({ method: 'POST', url: '/api/customers/exports', headers: api.as(token), payload });
    expect((await ask({ number: '2001', reason: 'r' })).json()).toMatchObject({
      code: 'NOT_A_CUSTOMER_NUMBER',
    });
    expect((await ask({ number: ADA, reason: 'for +447700900123' })).json()).toMatchObject({
      code: 'REASON_HOLDS_NUMBER',
    });
    expect((await ask({ number: ADA, reason: 'r' }, api.tokenOf('agent1'))).statusCode).toBe(403);
    await api.callHandledBy('agent1', { callerNumber: ADA });
    expect((await ask({ number: ADA, reason: 'r' })).json().interactions).toHaveLength(3);
  });
});

describe('erasing a customer at their request', () => {
  it('erases their number, name, data, notes and recording from every call of theirs, and says so', async () => {
    const call = await fullCall(ADA, 'Ada Lovelace');
    // Recorded before the numbering plan, in the national form: the same customer.
    const older = await api.log.open({
      direction: 'inbound',
      callerNumber: '07700900123',
      startedAt: Date.now() - 9e6,
    });
    await api.log.closeIfOpen(older, Date.now() - 8e6, {
      type: 'call.hangup',
      payload: { channelId: 'c', by: 'caller' },
    });
    const other = await fullCall(OTHER, 'Grace Hopper');
    await api.db
      .insertInto('contacts')
      .values({ number: ADA, name: 'Ada Lovelace', notes: 'VIP', updated_at: 1 })
      .execute();

    // Asked first: what would go; nothing does.
    const asked = await erase({ number: '07700 900123', reason: 'request 2026-118', dryRun: true });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json()).toEqual({
      number: ADA,
      dryRun: true,
      interactions: 2,
      recordings: 1,
      contacts: 1,
      campaignContacts: 0,
      campaignContactsCancelled: 0,
      kept: { doNotCall: false, blocked: false },
    });
    expect(existsSync(join(recordings, `${call}.wav`))).toBe(true);

    const sam = api.supervisorTokenOf('sam');
    const done = await erase({ number: '07700 900123', reason: '  request 2026-118 ' }, sam);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      number: ADA,
      dryRun: false,
      interactions: 2,
      recordings: 1,
      contacts: 1,
    });
    expect(done.json().timelineEntries).toBeGreaterThanOrEqual(3);
    expect(existsSync(join(recordings, `${call}.wav`))).toBe(false);

    const erased = await interaction(call);
    expect(erased).toMatchObject({ callerNumber: null, callerName: null });
    expect(JSON.stringify(erased)).not.toMatch(/7700900123|Ada|refund|991/);
    const wrap = erased.timeline.find((e) => e.type === 'wrapup.saved');
    expect(wrap?.payload).toEqual({ agentId: 'agent1', code: 'handled', notes: '[erased]' });
    expect(erased.timeline.find((e) => e.type === 'acd.callback')?.payload).toMatchObject({
      queueId: 'sales',
      step: 'requested',
      callerNumber: '[erased]',
      note: '[erased]',
    });
    // What the call was stays: its queue, agent and outcome.
    expect(erased).toMatchObject({ queueId: 'sales', agentId: 'agent1' });
    expect(erased.timeline.at(-1)).toMatchObject({
      type: 'interaction.erased',
      payload: { reason: 'request 2026-118', supervisor: { id: 'sam' } },
    });
    expect(erased.timeline.find((e) => e.type === 'recording.deleted')?.payload).toEqual({
      path: `${call}.wav`,
      reason: 'erasure',
    });
    const playback = await api.app.inject({
      url: `/api/interactions/${call}/recording`,
      headers: api.as(SUPERVISOR),
    });
    expect(playback.statusCode).toBe(410);
    expect(playback.json().message).toMatch(/erased at their request/);
    expect((await interaction(older)).callerNumber).toBeNull();
    expect(await api.db.selectFrom('contacts').selectAll().execute()).toEqual([]);

    // Nobody else's call changed.
    const kept = await interaction(other);
    expect(kept).toMatchObject({ callerNumber: OTHER, callerName: 'Grace Hopper' });
    expect(existsSync(join(recordings, `${other}.wav`))).toBe(true);
    expect(kept.timeline.some((e) => e.type === 'interaction.erased')).toBe(false);

    // The change log names the request, not the number.
    const changes = (await api.app.inject({ url: '/api/changes', headers: api.as(SUPERVISOR) })).json() as {
      changes: { action: string; subject: string; after: unknown; by: unknown }[];
    };
    const change = changes.changes.find((c) => c.action === 'customer.erased');
    expect(change).toMatchObject({
      by: { supervisor: { id: 'sam' } },
      subject: '+447•••••••23',
      after: { reason: 'request 2026-118', erased: { interactions: 2, recordings: 1 } },
    });
    expect(JSON.stringify(change)).not.toContain('7700900123');

    // Erased again: nothing left of them.
    const again = await erase({ number: ADA, reason: 'request 2026-118' });
    expect(again.json()).toMatchObject({ interactions: 0, recordings: 0, contacts: 0 });
  });

  it("cancels their campaign contacts still to be called and keeps the do-not-call list's entry", async () => {
    await api.db
      .insertInto('campaign_contacts')
      .values([
        { campaign_id: 'spring', seq: 1, number: ADA, name: 'Ada', note: 'renewal', state: 'pending' },
        { campaign_id: 'winter', seq: 4, number: ADA, name: 'Ada', note: null, state: 'not_reached' },
        { campaign_id: 'spring', seq: 2, number: OTHER, name: 'Grace', note: null, state: 'pending' },
      ] as never)
      .execute();
    await api.doNotCall.add({ number: ADA, note: null, interactionId: null }, { type: 'supervisor' });
    const done = await erase({ number: ADA, reason: 'request 7' });
    expect(done.json()).toMatchObject({
      campaignContacts: 2,
      campaignContactsCancelled: 1,
      kept: { doNotCall: true, blocked: false },
    });
    const rows = await api.db.selectFrom('campaign_contacts').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => [r.campaign_id, r.number, r.name, r.note, r.state])).toEqual([
      ['spring', '[erased]', null, null, 'cancelled'],
      ['spring', OTHER, 'Grace', null, 'pending'],
      ['winter', '[erased]', null, null, 'not_reached'],
    ]);
    expect(rows[0]?.reason).toMatch(/erased at their request/);
    expect(api.doNotCall.on(ADA)).toBeDefined();
  });

  it('tells a webhook subscribed to erasures of each erased call, by id, without the number', async () => {
    await api.app.close();
    const crm = await new Receiver().listen();
    try {
      api = await buildApi({
        numbering: UK,
        recordingsDir: recordings,
        webhooks: [
          {
            id: 'crm',
            url: crm.url,
            events: ['wrapup.saved', 'interaction.erased'],
            timeoutSeconds: 5,
            maxAttempts: 1,
            retryBaseSeconds: 1,
            concurrency: 4,
          },
        ],
      });
      const call = await fullCall(ADA, 'Ada Lovelace');
      // Its wrap-up was delivered with the caller's number and the notes, and that delivery is kept on record.
      await crm.until(1);
      expect(crm.received[0]?.body).toContain('+447700900123');
      expect(crm.received[0]?.body).toContain('wants a refund');
      const done = await erase({ number: ADA, reason: 'request 12' });
      expect(done.json()).toMatchObject({ webhookDeliveries: 1 });
      await crm.until(2);
      expect(crm.received[1]?.json).toMatchObject({
        type: 'interaction.erased',
        interactionId: call,
        event: { reason: 'request 12' },
      });
      expect(crm.received[1]?.body).not.toMatch(/7700900123|Ada/);
      const kept = await api.db
        .selectFrom('webhook_deliveries')
        .select(['type', 'payload', 'interaction'])
        .execute();
      expect(kept.map((d) => d.type).sort()).toEqual(['interaction.erased', 'wrapup.saved']);
      expect(JSON.stringify(kept)).not.toMatch(/7700900123|Ada|refund/);
    } finally {
      await crm.close();
    }
  });

  it('refuses while they are on a call, for no customer number, for a reason holding it, and for agents', async () => {
    const open = await api.callHandledBy('agent1', { callerNumber: ADA });
    const busy = await erase({ number: ADA, reason: 'request 9' });
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ code: 'CUSTOMER_IN_CONTACT' });
    expect(busy.json().message).toContain(open);
    expect((await interaction(open)).callerNumber).toBe(ADA);

    const short = await erase({ number: '2001', reason: 'request 9' });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: 'NOT_A_CUSTOMER_NUMBER' });
    const named = await erase({ number: OTHER, reason: 'she called from 07700900999' });
    expect(named.statusCode).toBe(400);
    expect(named.json()).toMatchObject({ code: 'REASON_HOLDS_NUMBER' });
    expect((await erase({ number: OTHER, reason: '   ' })).json()).toMatchObject({ code: 'REASON_REQUIRED' });
    expect((await erase({ number: OTHER })).statusCode).toBe(400);
    expect((await erase({ number: OTHER, reason: 'r' }, api.tokenOf('agent1'))).statusCode).toBe(403);
  });
});
