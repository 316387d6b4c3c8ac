/** Queue definitions edited over the API (the real app, an in-memory database). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
beforeEach(async () => {
  api = await buildApi();
});
afterEach(async () => {
  await api.app.close();
});

const put = (id: string, body: object = {}) =>
  api.app.inject({
    method: 'PUT',
    url: `/api/queues/${id}`,
    headers: api.as(SUPERVISOR),
    payload: { id, name: id, strategy: 'longest_idle', ...body },
  });
const del = (id: string) =>
  api.app.inject({ method: 'DELETE', url: `/api/queues/${id}`, headers: api.as(SUPERVISOR) });
const ids = async () =>
  (await api.app.inject({ url: '/api/queues', headers: api.as(SUPERVISOR) }))
    .json()
    .map((q: { id: string }) => q.id);

describe('queue edits', () => {
  it('applies edits sent at the same time one after the other: none is lost', async () => {
    // A file database's write takes a while (fsync): both edits are in flight together.
    type Store = { replace: (...args: unknown[]) => Promise<void> };
    const store = (api.queueAdmin as unknown as { store: Store }).store;
    const replace = store.replace.bind(store);
    store.replace = async (...args) => {
      await new Promise((r) => setTimeout(r, 20));
      return replace(...args);
    };
    const [a, b] = await Promise.all([put('support'), put('billing')]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect((await ids()).sort()).toEqual(['billing', 'sales', 'support']);
    expect(api.acd.router.queueIds().sort()).toEqual(['billing', 'sales', 'support']);
  });

  it('refuses to delete a queue something still routes to (409 naming it), and deletes one nothing uses', async () => {
    const members = await del('sales');
    expect(members.statusCode).toBe(409);
    expect(members.json()).toMatchObject({ code: 'QUEUE_IN_USE' });
    expect(members.json().message).toContain('agent agent1');

    await put('billing');
    expect(
      (await put('support', { maxWaitSeconds: 60, overflowTarget: { type: 'queue', queueId: 'billing' } }))
        .statusCode,
    ).toBe(200);
    const target = await del('billing');
    expect(target.statusCode).toBe(409);
    expect(target.json().message).toContain('queue support');

    api.queueAdmin.usedElsewhere = (id) => (id === 'support' ? ['the route for 600'] : []);
    const routed = await del('support');
    expect(routed.statusCode).toBe(409);
    expect(routed.json().message).toContain('the route for 600');

    api.queueAdmin.usedElsewhere = () => [];
    expect((await del('support')).statusCode).toBe(204);
    expect((await del('billing')).statusCode).toBe(204);
    expect(await ids()).toEqual(['sales']);
  });
});
