/**
 * Blocked numbers over the API (the real app, block list and record on in-memory SQLite): supervisors block
 * and lift, each on record as theirs and on the live stream (supervisors only); a new run knows them again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BlockedCallers } from '../../../src/calls/blocked-callers.js';
import type { StreamEvent } from '../../../src/events/event-hub.js';
import { mayReceive } from '../../../src/http/plugins/events/index.js';
import { BlockedNumberLog } from '../../../src/store/blocked-number-log.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
afterEach(async () => {
  await api.app.close();
});

const UK = { countryCode: '44', internationalPrefix: '00', trunkPrefix: '0', nationalNumberLengths: [9, 10] };

describe('blocking a number', () => {
  it('blocks a number typed any way in its one form, lists it, and turns its callers away until lifted', async () => {
    api = await buildApi({ numbering: UK });
    const seen: StreamEvent[] = [];
    api.hub.subscribe((e) => seen.push(e));
    const sam = api.as(api.supervisorTokenOf('sam'));
    const added = await api.app.inject({
      method: 'POST',
      url: '/api/blocked-numbers',
      headers: sam,
      payload: { number: '07700 900123', reason: 'abusive to agents', hours: 24 },
    });
    expect(added.statusCode).toBe(201);
    const block = added.json() as { id: string; until: string; blockedAt: string };
    expect(block).toMatchObject({
      number: '+447700900123',
      reason: 'abusive to agents',
      by: { id: 'sam', name: 'Sam Super' },
      turnedAway: 0,
      lastTurnedAwayAt: null,
    });
    expect(Date.parse(block.until) - Date.parse(block.blockedAt)).toBe(24 * 3_600_000);

    // A call from it, in whatever form the carrier sends it, is turned away and counted.
    const context = { callId: 'c1', interactionId: 'i1' };
    expect(api.blocked.turnsAway(api.acd.numbers.read('00447700900123').number, context)?.id).toBe(block.id);
    expect(api.blocked.turnsAway('+447700900999', context)).toBeUndefined();
    const listed = await api.app.inject({ method: 'GET', url: '/api/blocked-numbers', headers: sam });
    expect(listed.json()).toEqual({ items: [expect.objectContaining({ id: block.id, turnedAway: 1 })] });

    const twice = await api.app.inject({
      method: 'POST',
      url: '/api/blocked-numbers',
      headers: api.as(SUPERVISOR),
      payload: { number: '+447700900123', reason: 'spam' },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({
      code: 'NUMBER_ALREADY_BLOCKED',
      message: '+447700900123 is blocked already by Sam Super ("abusive to agents")',
    });

    const lifted = await api.app.inject({
      method: 'DELETE',
      url: `/api/blocked-numbers/${block.id}`,
      headers: api.as(SUPERVISOR),
    });
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json()).toMatchObject({ liftedAt: expect.any(String) });
    expect(lifted.json()).not.toHaveProperty('liftedBy'); // the shared token is nobody in particular
    expect(api.blocked.turnsAway('+447700900123', context)).toBeUndefined();
    const gone = await api.app.inject({
      method: 'DELETE',
      url: `/api/blocked-numbers/${block.id}`,
      headers: sam,
    });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ code: 'BLOCK_NOT_FOUND' });

    // On the stream (for supervisors only) and in the change log as who did it.
    const news = seen.filter((e) => e.type.startsWith('number.'));
    expect(news.map((e) => e.type)).toEqual(['number.blocked', 'number.unblocked']);
    const agent = { role: 'agent', agentId: 'agent1' } as const;
    expect(news.map((e) => mayReceive(agent as never, e))).toEqual([false, false]);
    const changes = await api.app.inject({ method: 'GET', url: '/api/changes', headers: sam });
    const body = changes.json() as {
      changes: { action: string; subject: string; by: { supervisor?: { id: string } } }[];
    };
    expect(body.changes.map((c) => `${c.action} ${c.subject} ${c.by.supervisor?.id ?? '-'}`)).toEqual(
      expect.arrayContaining(['number.blocked +447700900123 sam', 'number.unblocked +447700900123 -']),
    );
  });

  it('blocks a prefix typed with spaces in its one form: every number starting with it is turned away and not called back', async () => {
    api = await buildApi();
    const post = (number: string) =>
      api.app.inject({
        method: 'POST',
        url: '/api/blocked-numbers',
        headers: api.as(SUPERVISOR),
        payload: { number, reason: 'robocall campaign' },
      });
    const added = await post(' +1 900* ');
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ number: '+1900*', reason: 'robocall campaign' });
    const context = { callId: 'c1', interactionId: 'i1' };
    expect(api.blocked.turnsAway('+19005551234', context)?.id).toBe(added.json().id);
    expect(api.blocked.turnsAway('+18005551234', context)).toBeUndefined();
    // Nor called back: a callback booked to one of them is refused, saying why.
    const booked = await api.app.inject({
      method: 'POST',
      url: '/api/callbacks',
      headers: api.as(SUPERVISOR),
      payload: { queueId: 'sales', items: [{ number: '+19005550000', name: 'A robot' }] },
    });
    expect(booked.statusCode, booked.body).toBe(400);
    expect(booked.json().code).toBe('CALLBACK_NUMBER_NOT_ALLOWED');
    expect(booked.json().message).toContain('the number is blocked ("robocall campaign")');
    const short = await post('+1*');
    expect([short.statusCode, short.json().code]).toEqual([400, 'NUMBER_NOT_BLOCKABLE']);
    const national = await post('0900*');
    expect(national.json().message).toContain('international form');
  });

  it('refuses agents, a reason that says nothing, no number, and a block past a year', async () => {
    api = await buildApi();
    const post = (headers: Record<string, string>, payload: unknown) =>
      api.app.inject({ method: 'POST', url: '/api/blocked-numbers', headers, payload: payload as object });
    const agent = await post(api.as(api.tokenOf('agent1')), { number: '+15550001111', reason: 'rude' });
    expect(agent.statusCode).toBe(403);
    const blank = await post(api.as(SUPERVISOR), { number: '+15550001111', reason: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({ code: 'BLOCK_REASON_EMPTY' });
    const none = await post(api.as(SUPERVISOR), { number: '', reason: 'rude' });
    expect(none.statusCode).toBe(400);
    // A name typed for the number would be kept and never turn anyone away: refused, saying what to give.
    const name = await post(api.as(SUPERVISOR), { number: 'John Smith', reason: 'rude' });
    expect(name.statusCode).toBe(400);
    expect(name.json()).toMatchObject({
      code: 'NUMBER_NOT_BLOCKABLE',
      message: expect.stringContaining('"JohnSmith" is not a caller\'s number'),
    });
    const long = await post(api.as(SUPERVISOR), { number: '+15550001111', reason: 'rude', hours: 24 * 366 });
    expect(long.statusCode).toBe(400);
    expect(
      (
        await api.app.inject({ method: 'GET', url: '/api/blocked-numbers', headers: api.as(SUPERVISOR) })
      ).json(),
    ).toEqual({ items: [] });
  });

  it('blocks withheld callers as anonymous, however it is typed', async () => {
    api = await buildApi();
    const reply = await api.app.inject({
      method: 'POST',
      url: '/api/blocked-numbers',
      headers: api.as(SUPERVISOR),
      payload: { number: 'Anonymous', reason: 'prank calls' },
    });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({ number: 'anonymous' }); // as their calls carry it
  });

  it('knows the blocks standing again after a restart, not those lifted or run out, with their counts', async () => {
    api = await buildApi();
    const post = (number: string, hours?: number) =>
      api.app.inject({
        method: 'POST',
        url: '/api/blocked-numbers',
        headers: api.as(SUPERVISOR),
        payload: { number, reason: 'robocalls', ...(hours ? { hours } : {}) },
      });
    const kept = (await post('+15550001111')).json() as { id: string };
    const lifted = (await post('+15550002222')).json() as { id: string };
    await post('+15550003333', 1);
    api.blocked.turnsAway('+15550001111', { callId: 'c', interactionId: 'i' });
    await api.app.inject({
      method: 'DELETE',
      url: `/api/blocked-numbers/${lifted.id}`,
      headers: api.as(SUPERVISOR),
    });
    await new Promise((done) => setTimeout(done, 20)); // the count's write
    // A new run two hours later, over the same database.
    const later = new BlockedCallers({
      store: new BlockedNumberLog(api.db, () => undefined),
      canonical: (n) => n,
      now: () => Date.now() + 2 * 3_600_000,
      logger: api.acd.logger,
    });
    await later.load();
    expect(later.standing().map((b) => [b.id, b.number, b.turnedAway])).toEqual([
      [kept.id, '+15550001111', 1],
    ]);
    expect(later.turnsAway('+15550003333', { callId: 'c', interactionId: 'i' })).toBeUndefined();
  });

  it('takes a block, or its lifting, back when it cannot be put on record: a restart would not know it', async () => {
    api = await buildApi();
    const store = new BlockedNumberLog(api.db, () => undefined);
    let failing: 'added' | 'lifted' | undefined;
    const flaky = {
      standing: (now: number) => store.standing(now),
      turnedAway: (block: Parameters<typeof store.turnedAway>[0]) => store.turnedAway(block),
      added: async (block: Parameters<typeof store.added>[0]) => {
        if (failing === 'added') throw new Error('disk full');
        await store.added(block);
      },
      lifted: async (block: Parameters<typeof store.lifted>[0]) => {
        if (failing === 'lifted') throw new Error('disk full');
        await store.lifted(block);
      },
    };
    const callers = new BlockedCallers({
      store: flaky,
      canonical: (n) => n,
      now: Date.now,
      logger: api.acd.logger,
    });
    failing = 'added';
    await expect(callers.block({ number: '+15550001111', reason: 'abusive' })).rejects.toThrow('disk full');
    expect(callers.standing()).toEqual([]);
    expect(callers.refusal('+15550001111')).toBeNull();
    // Blocked once the record takes it; lifting it then fails: it still stands, as on record.
    failing = undefined;
    const added = await callers.block({ number: '+15550001111', reason: 'abusive' });
    if (!('block' in added)) throw new Error(`refused: ${added.refused.reason}`);
    failing = 'lifted';
    await expect(callers.lift(added.block.id)).rejects.toThrow('disk full');
    expect(callers.standing().map((b) => [b.id, b.number])).toEqual([[added.block.id, '+15550001111']]);
    expect(callers.standing()[0]).not.toHaveProperty('liftedAt');
    expect(callers.refusal('+15550001111')).toContain('the number is blocked');
    expect((await store.standing(Date.now())).map((b) => b.id)).toEqual([added.block.id]);
    failing = undefined;
    expect(await callers.lift(added.block.id)).toMatchObject({ block: { id: added.block.id } });
    expect(callers.refusal('+15550001111')).toBeNull();
  });
});
