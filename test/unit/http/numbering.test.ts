/**
 * Config `numbering` over the API (the real app, ACD and log; fake Asterisk): a customer's number written in
 * any local form is the same customer for contacts, the screen pop, searches, callbacks and VIP lists.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
const UK = { countryCode: '44', internationalPrefix: '00', trunkPrefix: '0', nationalNumberLengths: [9, 10] };
const CUSTOMER = '+447700900123';

beforeEach(async () => {
  // Sales' VIP list holds a number as an agent would type it, nationally.
  api = await buildApi({ numbering: UK, vipNumbers: ['07700900999'] });
});
afterEach(async () => {
  await api.app.close();
});

const get = (url: string, token = SUPERVISOR) => api.app.inject({ url, headers: api.as(token) });

describe('one customer, one number (config numbering)', () => {
  it('keeps a contact under its E.164 form, so a pop finds it however the number was typed or delivered', async () => {
    const headers = api.as(api.tokenOf('agent1'));
    const put = (number: string, name: string) =>
      api.app.inject({
        method: 'PUT',
        url: `/api/contacts/${encodeURIComponent(number)}`,
        headers,
        payload: { name },
      });
    const saved = await put('07700 900123', 'Ada Lovelace');
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ number: CUSTOMER });
    // The same contact, written internationally: updated, not a second one.
    expect((await put('0044 7700 900-123', 'Ada King')).json()).toMatchObject({ number: CUSTOMER });
    expect(await api.db.selectFrom('contacts').select('number').execute()).toEqual([{ number: CUSTOMER }]);

    // A call on record from before the plan, its number as the carrier sent it: its pop finds the contact too.
    const id = await api.log.open({
      direction: 'inbound',
      callerNumber: '07700900123',
      startedAt: Date.now(),
    });
    const pop = await get(`/api/calls/${id}/screen-pop`);
    expect(pop.statusCode).toBe(200);
    expect(pop.json().contact).toMatchObject({ number: CUSTOMER, name: 'Ada King' });
  });

  it("finds a caller's calls by their number in any form it is written in", async () => {
    const id = await api.log.open({ direction: 'inbound', callerNumber: CUSTOMER, startedAt: Date.now() });
    await api.log.open({ direction: 'inbound', callerNumber: '+447700900124', startedAt: Date.now() });
    for (const typed of ['07700900123', '07700 900 123', '0044 7700 900123', '447700900123', CUSTOMER]) {
      const list = await get(`/api/interactions?callerNumber=${encodeURIComponent(typed)}`);
      expect(list.statusCode).toBe(200);
      expect(
        list.json().items.map((i: { id: string }) => i.id),
        typed,
      ).toEqual([id]);
    }
    // The + typed into a query string as it is (decoded as a space) still reads as the +.
    const plus = await get('/api/interactions?callerNumber=+447700900123');
    expect(plus.json().items.map((i: { id: string }) => i.id)).toEqual([id]);
  });

  it('books a callback to a number typed nationally in its E.164 form, the form the pop matches', async () => {
    const id = await api.log.open({ direction: 'inbound', callerNumber: CUSTOMER, startedAt: Date.now() });
    await api.log.record(
      id,
      Date.now(),
      { type: 'call.hangup', payload: { channelId: 'caller', by: 'caller' } },
      { state: 'closed', agent_id: 'agent1', queue_id: 'sales' } as never,
    );
    const booked = await api.app.inject({
      method: 'POST',
      url: `/api/interactions/${id}/callback`,
      headers: api.as(SUPERVISOR),
      payload: { at: new Date(Date.now() + 3_600_000).toISOString(), number: '07700 900555' },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const listed = (await get('/api/callbacks')).json().items;
    expect(listed).toMatchObject([{ interactionId: id, number: '+447700900555' }]);
  });

  it('takes a caller as a VIP when the list holds their number in another form', async () => {
    api.acd.input({
      type: 'callerArrived',
      interactionId: 'vip-call',
      queueId: 'sales',
      callerNumber: '+447700900999',
    });
    api.acd.input({
      type: 'callerArrived',
      interactionId: 'other-call',
      queueId: 'sales',
      callerNumber: CUSTOMER,
    });
    const { places } = (await get('/api/queues/sales/line')).json() as {
      places: { interactionId: string; vip: boolean }[];
    };
    expect(places.map((p) => [p.interactionId, p.vip])).toEqual([
      ['vip-call', true],
      ['other-call', false],
    ]);
    // The definition as ops wrote it is what the queue API shows.
    const defined = (await get('/api/queues/sales')).json();
    expect(defined.vipNumbers).toEqual(['07700900999']);
  });
});
