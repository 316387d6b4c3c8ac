/**
 * Switches supervisors turn on and off, which IVR flows route on (GET/PUT /api/switches): on record as
 * theirs, on the live stream, kept through a restart. The real app, auth and an in-memory database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Switches } from '../../../src/calls/ivr/switches.js';
import { EventHub } from '../../../src/events/event-hub.js';
import type { StreamEvent } from '../../../src/events/event-hub.js';
import { SwitchStore } from '../../../src/store/switch-store.js';
import { buildApi, SUPERVISOR, SWITCHES } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
beforeEach(async () => {
  api = await buildApi();
});
afterEach(async () => {
  await api.app.close();
});

const put = (id: string, token: string, payload: object) =>
  api.app.inject({ method: 'PUT', url: `/api/switches/${id}`, headers: api.as(token), payload });
const list = async () => (await api.app.inject({ url: '/api/switches', headers: api.as(SUPERVISOR) })).json();

describe('switches over the API', () => {
  it('turns one on as a named supervisor: its state, the live stream and the change log say who', async () => {
    expect(await list()).toEqual([
      {
        id: 'storm-closure',
        name: 'Storm closure',
        description: 'Callers hear the closure message',
        on: false,
      },
    ]);
    const seen: StreamEvent[] = [];
    api.acd.hub.subscribe((e) => seen.push(e));
    const sam = api.supervisorTokenOf('sam');
    const on = await put('storm-closure', sam, { on: true });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json()).toMatchObject({
      id: 'storm-closure',
      on: true,
      changedBy: { id: 'sam', name: 'Sam Super' },
    });
    expect(Number.isNaN(Date.parse(on.json().changedAt))).toBe(false);
    expect(api.switches.isOn('storm-closure')).toBe(true);
    // Already on: nothing new on record or on the stream.
    expect((await put('storm-closure', sam, { on: true })).statusCode).toBe(200);
    const off = await put('storm-closure', SUPERVISOR, { on: false });
    expect(off.json()).toMatchObject({ on: false });
    expect(off.json()).not.toHaveProperty('changedBy'); // the token: nobody in particular
    expect(seen.filter((e) => e.type === 'switch.changed').map((e) => e.data)).toEqual([
      { switchId: 'storm-closure', on: true, by: { supervisor: { id: 'sam', name: 'Sam Super' } } },
      { switchId: 'storm-closure', on: false, by: {} },
    ]);
    const changes = (await api.app.inject({ url: '/api/changes', headers: api.as(SUPERVISOR) })).json()
      .changes;
    expect(
      changes.map((c: { action: string; by: object; before: object; after: object }) => [
        c.action,
        c.by,
        c.before,
        c.after,
      ]),
    ).toEqual([
      ['switch.set', {}, { on: true }, { on: false }],
      ['switch.set', { supervisor: { id: 'sam', name: 'Sam Super' } }, { on: false }, { on: true }],
    ]);
  });

  it('refuses an unknown switch (404), a body that is not on/off (400), an agent turning one (403)', async () => {
    const unknown = await put('fire-drill', SUPERVISOR, { on: true });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      code: 'SWITCH_NOT_FOUND',
      message: 'no switch fire-drill is configured (config switches)',
    });
    expect((await put('storm-closure', SUPERVISOR, { on: 'yes' })).statusCode).toBe(400);
    expect((await put('storm-closure', SUPERVISOR, {})).statusCode).toBe(400);
    expect((await put('storm-closure', api.tokenOf('agent1'), { on: true })).statusCode).toBe(403);
    // An agent may read them (the softphone shows the ones on), not turn them.
    const read = await api.app.inject({ url: '/api/switches', headers: api.as(api.tokenOf('agent1')) });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject([{ id: 'storm-closure', on: false }]);
    expect(api.switches.isOn('storm-closure')).toBe(false);
  });
});

describe('Switches (the runtime flows read)', () => {
  const hub = () => new EventHub(Date.now, 100, 'throw');
  const names = () => undefined;

  it('keeps a switch on through a restart; one not defined is unknown to flows', async () => {
    const store = new SwitchStore(api.db);
    const first = new Switches(SWITCHES, store, hub(), names);
    await first.load();
    await first.set('storm-closure', true);
    const second = new Switches(SWITCHES, store, hub(), names);
    expect(second.isOn('storm-closure')).toBe(false); // before it has read the store
    await second.load();
    expect(second.isOn('storm-closure')).toBe(true);
    expect(second.isOn('fire-drill')).toBeUndefined();
    expect([...second.ids()]).toEqual(['storm-closure']);
  });

  it('applies changes asked together one after the other: the last asked is what stands, stored and live', async () => {
    const store = new SwitchStore(api.db);
    const switches = new Switches(SWITCHES, store, hub(), names);
    await switches.load();
    // A slow disk: each write takes a while, so both are in flight together.
    const put = store.put.bind(store);
    store.put = async (...args) => {
      await new Promise((r) => setTimeout(r, 10));
      return put(...args);
    };
    await Promise.all([switches.set('storm-closure', true), switches.set('storm-closure', false)]);
    expect(switches.isOn('storm-closure')).toBe(false);
    expect((await store.all()).get('storm-closure')?.on).toBe(false);
  });

  it('a write that fails changes nothing and says so to whoever asked', async () => {
    const store = new SwitchStore(api.db);
    const switches = new Switches(SWITCHES, store, hub(), names);
    store.put = async () => {
      throw new Error('disk full');
    };
    await expect(switches.set('storm-closure', true)).rejects.toThrow('disk full');
    expect(switches.isOn('storm-closure')).toBe(false);
  });
});
