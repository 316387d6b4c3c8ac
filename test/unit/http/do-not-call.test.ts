/**
 * The do-not-call list over the API (the real app, ACD, seat calls, list and SQLite log; fake Asterisk): the
 * agent on a call notes the customer asked not to be called; from then on the agent's call out to the number
 * (any form of it) is refused, and so is a callback to it; supervisors list, add and remove entries, each in
 * the change log and on their stream; the call's timeline keeps it; a restart keeps the list; a failed write
 * takes it back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { DoNotCallNumbers } from '../../../src/calls/do-not-call-numbers.js';
import type { StreamEvent } from '../../../src/events/event-hub.js';
import { mayReceive } from '../../../src/http/plugins/events/index.js';
import { DoNotCallLog } from '../../../src/store/do-not-call-log.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
let told: StreamEvent[];
const UK = { countryCode: '44', internationalPrefix: '00', trunkPrefix: '0', nationalNumberLengths: [9, 10] };

beforeEach(async () => {
  api = await buildApi({ numbering: UK });
  told = [];
  api.hub.subscribe((event) => {
    if (event.type.startsWith('number.')) told.push(event);
  });
});
afterEach(async () => {
  await api.app.close();
});

const post = (url: string, token: string, payload: object = {}) =>
  api.app.inject({ method: 'POST', url, headers: api.as(token), payload });
const listed = async () =>
  (await api.app.inject({ url: '/api/do-not-call', headers: api.as(SUPERVISOR) })).json().items as {
    id: string;
    number: string;
  }[];
const dial = async (token: string, number: string) => {
  expect((await post('/api/agents/agent1/login', token)).statusCode).toBe(200);
  const reply = await post('/api/calls/outbound', token, { number });
  await post('/api/agents/agent1/logout', token);
  return reply;
};

describe('the do-not-call list', () => {
  it("the agent notes it on the customer's call: their calls out to the number, and callbacks to it, are refused, saying why", async () => {
    const call = await api.callHandledBy('agent1', { callerNumber: '+447700900123' });
    const anna = api.tokenOf('agent1');
    const noted = await post(`/api/interactions/${call}/do-not-call`, anna, { note: '  asked twice  ' });
    expect(noted.statusCode, noted.body).toBe(201);
    const entry = noted.json() as { id: string; addedAt: string };
    expect(entry).toMatchObject({
      number: '+447700900123',
      note: 'asked twice',
      by: { type: 'agent', agentId: 'agent1' },
      interactionId: call,
    });
    // On the call's record, and on the supervisors' stream (not agents').
    await api.log.afterQueuedWrites();
    const timeline = (await api.log.timeline(call)).filter((e) => e.type === 'customer.do_not_call');
    expect(timeline.map((e) => JSON.parse(e.payload))).toEqual([
      { entryId: entry.id, step: 'added', agentId: 'agent1', note: 'asked twice' },
    ]);
    expect(told.map((e) => [e.type, (e.data as { entry: { id: string } }).entry.id])).toEqual([
      ['number.do-not-call', entry.id],
    ]);
    expect(mayReceive({ role: 'agent', agentId: 'agent1' }, told[0]!)).toBe(false);

    // agent1 dials it typed with spaces: refused, with who noted it and why.
    const day = entry.addedAt.slice(0, 10);
    // The caller card says so (this call's, and the customer's next call's).
    const pop = await api.app.inject({ url: `/api/calls/${call}/screen-pop`, headers: api.as(anna) });
    expect(pop.statusCode, pop.body).toBe(200);
    expect(pop.json().doNotCall).toMatchObject({ id: entry.id, text: `noted by agent1 on ${day}` });
    const next = await api.callHandledBy('agent2', { callerNumber: '00447700900123' });
    const nextPop = await api.app.inject({
      url: `/api/calls/${next}/screen-pop`,
      headers: api.as(api.tokenOf('agent2')),
    });
    expect(nextPop.json().doNotCall).toMatchObject({ id: entry.id, number: '+447700900123' });
    const refused = await dial(anna, '+44 7700 900123');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({
      code: 'NUMBER_DO_NOT_CALL',
      message: `the customer asked not to be called: +447700900123 is on the do-not-call list, noted by agent1 on ${day} ("asked twice")`,
    });
    // Another number is dialled as before.
    expect((await dial(anna, '+447700900999')).statusCode).toBe(200);

    // A callback to it is not booked, once the call is over.
    await api.log.record(
      call,
      Date.now(),
      { type: 'call.hangup', payload: { channelId: 'caller', by: 'caller' } },
      { state: 'closed' } as never,
    );
    const booked = await post(`/api/interactions/${call}/callback`, anna, {
      at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(booked.statusCode).toBe(400);
    expect(booked.json()).toMatchObject({ code: 'CALLBACK_NUMBER_NOT_ALLOWED' });
    expect(booked.json().message).toContain('the customer asked not to be called');

    // Noted twice: refused, naming the first.
    const again = await post(`/api/interactions/${call}/do-not-call`, anna);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({
      code: 'NUMBER_ALREADY_DO_NOT_CALL',
      message: `+447700900123 is on the do-not-call list already, noted by agent1 on ${day}`,
    });
  });

  it('is noted only on a call the agent took part in, and not for a withheld number', async () => {
    const call = await api.callHandledBy('agent1', { callerNumber: '+447700900123' });
    const byColleague = await post(`/api/interactions/${call}/do-not-call`, api.tokenOf('agent2'));
    expect(byColleague.statusCode).toBe(403);
    const withheld = await api.callHandledBy('agent1', { callerNumber: null });
    const none = await post(`/api/interactions/${withheld}/do-not-call`, api.tokenOf('agent1'));
    expect(none.statusCode).toBe(400);
    expect(none.json().code).toBe('NUMBER_NOT_CALLABLE');
    expect(await listed()).toEqual([]);
  });

  it("supervisors add a number and remove it when the customer asks to be called again: change log, stream, the call's record", async () => {
    const sam = api.supervisorTokenOf('sam');
    const added = await post('/api/do-not-call', sam, { number: '020 7946 0018', note: 'letter of 1 Dec' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({
      number: '+442079460018',
      by: { type: 'supervisor', supervisor: { id: 'sam', name: 'Sam Super' } },
      interactionId: null,
    });
    const bad = await post('/api/do-not-call', sam, { number: 'anonymous' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('NUMBER_NOT_CALLABLE');
    const byAgent = await post('/api/do-not-call', api.tokenOf('agent1'), { number: '+447700900555' });
    expect(byAgent.statusCode).toBe(403);

    // One noted on a call too; the list is the newest first.
    const call = await api.callHandledBy('agent1', { callerNumber: '+447700900123' });
    const noted = (await post(`/api/interactions/${call}/do-not-call`, api.tokenOf('agent1'))).json() as {
      id: string;
    };
    expect((await listed()).map((e) => e.number)).toEqual(['+447700900123', '+442079460018']);

    const removed = await api.app.inject({
      method: 'DELETE',
      url: `/api/do-not-call/${noted.id}`,
      headers: api.as(sam),
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ id: noted.id, removedBy: { id: 'sam' } });
    expect((await listed()).map((e) => e.number)).toEqual(['+442079460018']);
    const gone = await api.app.inject({
      method: 'DELETE',
      url: `/api/do-not-call/${noted.id}`,
      headers: api.as(sam),
    });
    expect(gone.statusCode).toBe(404);
    await api.log.afterQueuedWrites();
    expect(
      (await api.log.timeline(call))
        .filter((e) => e.type === 'customer.do_not_call')
        .map((e) => JSON.parse(e.payload).step),
    ).toEqual(['added', 'removed']);
    const changes = (await api.app.inject({ url: '/api/changes', headers: api.as(sam) })).json().changes as {
      action: string;
      subject: string;
    }[];
    expect(changes.slice(0, 2).map((c) => [c.action, c.subject])).toEqual([
      ['number.do-not-call.removed', '+447700900123'],
      ['number.do-not-call', '+442079460018'],
    ]);
    expect(told.map((e) => e.type)).toEqual(['number.do-not-call', 'number.do-not-call', 'number.callable']);
    // Callable again: agent1 dials it.
    expect((await dial(api.tokenOf('agent1'), '+447700900123')).statusCode).toBe(200);
  });

  it("takes a file of numbers: all or none, by line; the ones listed already left as they were; agents' calls to them refused", async () => {
    const sam = api.supervisorTokenOf('sam');
    expect(
      (await post('/api/do-not-call', sam, { number: '+447700900111', note: 'by phone' })).statusCode,
    ).toBe(201);
    const file = (csv: string, token = sam) => post('/api/do-not-call/file', token, { csv });
    // Refused whole, by line: a number no one could call, a column the list does not have.
    const bad = await file('Phone;Reason\r\n07700 900222;opted out online\r\nanonymous;\r\n');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({
      code: 'INVALID_DO_NOT_CALL_FILE',
      message: 'nothing was added: line 3: "anonymous" is not a number the contact center could call',
    });
    const column = await file('number,name\n07700900222,Ann\n');
    expect(column.json().message).toBe(
      'nothing was added: line 1: the column "name" is not one a do-not-call file has: number (required), note (leave it out, or name it note to keep it with the number)',
    );
    expect((await file('number\n07700900222\n', api.tokenOf('agent1'))).statusCode).toBe(403);
    expect((await listed()).map((e) => e.number)).toEqual(['+447700900111']);

    // A CRM's opt-outs: national forms read through the numbering plan; one listed already, one twice.
    const taken = await file(
      'Phone;Reason\r\n07700 900222;opted out online\r\n07700900111;\r\n+44 7700 900333;\r\n07700900222;again\r\n',
    );
    expect(taken.statusCode, taken.body).toBe(201);
    expect(taken.json()).toEqual({ added: 2, alreadyListed: 2 });
    const standing = (await api.app.inject({ url: '/api/do-not-call', headers: api.as(sam) })).json()
      .items as {
      number: string;
      note: string | null;
      by: unknown;
    }[];
    expect(standing.map((e) => [e.number, e.note]).sort()).toEqual([
      ['+447700900111', 'by phone'],
      ['+447700900222', 'opted out online'],
      ['+447700900333', null],
    ]);
    expect(standing.find((e) => e.number === '+447700900222')?.by).toEqual({
      type: 'supervisor',
      supervisor: { id: 'sam', name: 'Sam Super' },
    });
    // As the body itself, too.
    const raw = await api.app.inject({
      method: 'POST',
      url: '/api/do-not-call/file',
      headers: { ...api.as(sam), 'content-type': 'text/csv' },
      payload: 'number\n07700900444\n',
    });
    expect(raw.json()).toEqual({ added: 1, alreadyListed: 0 });
    expect(told.filter((e) => e.type === 'number.do-not-call.file').map((e) => e.data)).toEqual([
      { added: 2, alreadyListed: 2 },
      { added: 1, alreadyListed: 0 },
    ]);
    const changes = (await api.app.inject({ url: '/api/changes', headers: api.as(sam) })).json().changes as {
      action: string;
      subject: string;
    }[];
    expect(changes.slice(0, 2).map((c) => [c.action, c.subject])).toEqual([
      ['number.do-not-call.file', '1 number'],
      ['number.do-not-call.file', '2 numbers'],
    ]);
    // They count at once: agent1's call out to one is refused, saying why.
    const refused = await dial(api.tokenOf('agent1'), '+44 7700 900333');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      code: 'NUMBER_DO_NOT_CALL',
      message: expect.stringMatching(/\+447700900333 is on the do-not-call list, added by Sam Super on /),
    });

    // The list as a file, which reads back in: another site (a fresh service) takes it whole.
    const exported = await api.app.inject({ url: '/api/do-not-call?format=csv', headers: api.as(sam) });
    expect(exported.headers['content-disposition']).toBe('attachment; filename="do-not-call.csv"');
    const [header, ...rows] = exported.body.trimEnd().split('\r\n');
    expect(header).toBe('number,note,addedAt,addedBy,interactionId,id');
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.startsWith('+447700900222,'))).toMatch(
      /^\+447700900222,opted out online,\d{4}-.+Z,Sam Super,,[\w-]+$/,
    );
    const elsewhere = await buildApi({ numbering: UK });
    try {
      const read = await elsewhere.app.inject({
        method: 'POST',
        url: '/api/do-not-call/file',
        headers: { ...elsewhere.as(SUPERVISOR), 'content-type': 'text/csv' },
        payload: exported.body,
      });
      expect(read.json()).toEqual({ added: 4, alreadyListed: 0 });
      const there = (
        await elsewhere.app.inject({ url: '/api/do-not-call', headers: elsewhere.as(SUPERVISOR) })
      ).json().items as { number: string; note: string | null }[];
      expect(there.map((e) => [e.number, e.note]).sort()).toEqual([
        ['+447700900111', 'by phone'],
        ['+447700900222', 'opted out online'],
        ['+447700900333', null],
        ['+447700900444', null],
      ]);
    } finally {
      await elsewhere.app.close();
    }
  });

  it('is kept through a restart, and an entry whose write fails is taken back', async () => {
    const sam = api.supervisorTokenOf('sam');
    await post('/api/do-not-call', sam, { number: '+447700900777' });
    const logger = pino({ level: 'silent' });
    const store = new DoNotCallLog(api.db, () => undefined);
    const again = new DoNotCallNumbers({
      store,
      log: api.log,
      canonical: (n) => n,
      agentName: (id) => id,
      now: Date.now,
      logger,
    });
    await again.load();
    expect(again.refusal('+447700900777')).toMatch(/^the customer asked not to be called/);
    expect(again.refusal('+447700900778')).toBeNull();

    const failing = new DoNotCallNumbers({
      store: {
        ...store,
        standing: async () => [],
        added: async () => Promise.reject(new Error('disk full')),
        addedMany: async () => Promise.reject(new Error('disk full')),
      } as never,
      log: api.log,
      canonical: (n) => n,
      agentName: (id) => id,
      now: Date.now,
      logger,
    });
    await expect(
      failing.add({ number: '+447700900888', note: null, interactionId: null }, { type: 'supervisor' }),
    ).rejects.toThrow('disk full');
    expect(failing.refusal('+447700900888')).toBeNull();
    expect(failing.standing()).toEqual([]);
    // A file's numbers too: none stands when their write fails.
    await expect(
      failing.addMany(
        [
          { number: '+447700900888', note: null },
          { number: '+447700900889', note: 'x' },
        ],
        { type: 'supervisor' },
        (i) => `line ${i + 2}`,
      ),
    ).rejects.toThrow('disk full');
    expect(failing.standing()).toEqual([]);
  });
});
