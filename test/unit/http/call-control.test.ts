/** Call-control verbs over the API on an agent's live call (the real app and seat calls, fake Asterisk). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
const CALL = 'call-x';
beforeEach(async () => {
  api = await buildApi();
  // agent1 on a live call, bridged with the caller
  api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'login', endpoint: 'PJSIP/agent1' } });
  api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'outboundStart', interactionId: CALL } });
  api.acd.calls.set(CALL, {
    isLive: true,
    interactionId: CALL,
    routingId: CALL,
    channelId: 'caller',
    callerNumber: '+15550001',
    record: async () => 0,
    onEnd() {},
  } as never);
  api.acd.legs.add({
    channelId: 'agent-leg',
    interactionId: CALL,
    agentId: 'agent1',
    queueId: 'sales',
    state: 'connected',
    hangupRequested: false,
    offeredAt: 0,
  });
  api.acd.bridges.set(CALL, 'bridge-x');
});
afterEach(async () => {
  await api.app.close();
});

describe('call control on the live call', () => {
  it('refuses a second hold sent while the first is still under way (409), instead of failing inside Asterisk', async () => {
    const inBridge = new Set(['agent-leg']);
    // Asterisk-like: a round trip, and removing a channel not in the bridge fails.
    (api.acd.options as { telephony: unknown }).telephony = {
      ari: {
        removeFromBridge: async (_bridge: string, channel: string) => {
          await new Promise((r) => setTimeout(r, 20));
          if (!inBridge.delete(channel)) throw new Error('Channel not in this bridge');
        },
        addToBridge: async (_bridge: string, channel: string) => {
          inBridge.add(channel);
        },
        startBridgeMoh: async () => undefined,
        stopBridgeMoh: async () => undefined,
      },
    };
    const headers = api.as(api.tokenOf('agent1'));
    const [first, second] = await Promise.all([
      api.app.inject({ method: 'POST', url: `/api/calls/${CALL}/hold`, headers }),
      api.app.inject({ method: 'POST', url: `/api/calls/${CALL}/hold`, headers }),
    ]);
    expect(first.statusCode, first.body).toBe(200);
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'CALL_CONTROL_IN_PROGRESS' });
    expect(api.acd.router.seat('agent1')?.state.type).toBe('on_hold');
    // once it is done, the next action goes through
    const resumed = await api.app.inject({ method: 'POST', url: `/api/calls/${CALL}/resume`, headers });
    expect(resumed.statusCode).toBe(200);
  });

  it('takes a transfer number written as people write it, as click-to-dial does', async () => {
    const headers = api.as(api.tokenOf('agent1'));
    const r = await api.app.inject({
      method: 'POST',
      url: `/api/calls/${CALL}/transfer`,
      headers,
      payload: { type: 'number', number: '+1 (555) 123-0000' },
    });
    expect(r.json().code).not.toBe('DESTINATION_NOT_ALLOWED');
  });
});

describe("a transfer's note for whoever takes the call next", () => {
  it('is on the screen pop with who passed the call on; a call never transferred has none', async () => {
    await api.log.open({
      id: CALL,
      direction: 'inbound',
      channelId: 'caller',
      callerNumber: '+15550001',
      startedAt: Date.now(),
    });
    const pop = async () =>
      (await api.app.inject({ url: `/api/calls/${CALL}/screen-pop`, headers: api.as(SUPERVISOR) })).json();
    expect((await pop()).handoff).toBeNull();
    const transferred = (agentId: string, note?: string) =>
      api.log.record(CALL, Date.now(), {
        type: 'call.transferred',
        payload: {
          agentId,
          kind: 'blind',
          target: { type: 'queue', id: 'sales' },
          step: 'requested',
          ...(note ? { note } : {}),
        },
      });
    await transferred('agent1', 'wants a refund for order 123');
    expect((await pop()).handoff).toMatchObject({
      agentId: 'agent1',
      agentName: 'agent1',
      kind: 'blind',
      note: 'wants a refund for order 123',
      at: expect.any(String),
    });
    // Passed on again without a note: the last transfer's is the one shown.
    await transferred('agent2');
    const last = (await pop()).handoff;
    expect(last).toMatchObject({ agentId: 'agent2', kind: 'blind' });
    expect(last).not.toHaveProperty('note');
  });

  it('refuses a note past 500 characters (400), naming it', async () => {
    const r = await api.app.inject({
      method: 'POST',
      url: `/api/calls/${CALL}/transfer`,
      headers: api.as(api.tokenOf('agent1')),
      payload: { type: 'queue', queueId: 'sales', note: 'x'.repeat(501) },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/note/);
  });
});

describe('contacts for the screen pop', () => {
  const putContact = (number: string, body: object) =>
    api.app.inject({
      method: 'PUT',
      url: `/api/contacts/${encodeURIComponent(number)}`,
      headers: api.as(api.tokenOf('agent1')),
      payload: body,
    });

  it('keeps a number written as people write it as it is dialled, so a call from it finds the contact', async () => {
    const saved = await putContact('+1 (555) 000-1', { name: 'Grace Hopper', notes: 'VIP' });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ number: '+15550001', name: 'Grace Hopper', notes: 'VIP' });
    // The live call's caller is +15550001: its screen pop names the contact.
    await api.log.open({
      id: CALL,
      direction: 'outbound',
      channelId: 'caller',
      callerNumber: '+15550001',
      startedAt: Date.now(),
    });
    const pop = await api.app.inject({
      url: `/api/calls/${CALL}/screen-pop`,
      headers: api.as(api.tokenOf('agent1')),
    });
    expect(pop.statusCode).toBe(200);
    expect(pop.json().contact).toMatchObject({ name: 'Grace Hopper' });
  });

  it('refuses what is not a phone number, and notes past 4,000 characters (400)', async () => {
    const bad = await putContact('call me maybe', { name: 'X' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_NUMBER' });
    expect((await putContact('+15550002', { name: 'Y', notes: 'n'.repeat(4001) })).statusCode).toBe(400);
  });
});

describe('a supervisor acting on a call two agents are on', () => {
  it('acts as the agent whose leg carries the call, not a colleague listed first whose seat shows it too', async () => {
    // agent2, listed first, was called in on agent1's call: their seat shows the same call.
    api.acd.input({ type: 'agent', agentId: 'agent2', input: { type: 'login', endpoint: 'PJSIP/agent2' } });
    api.acd.input({
      type: 'agent',
      agentId: 'agent2',
      input: { type: 'outboundStart', interactionId: CALL },
    });
    api.agents.sort((a, b) => (a.id === 'agent2' ? -1 : b.id === 'agent2' ? 1 : 0));
    expect(api.agents[0]?.id).toBe('agent2');
    const held: string[] = [];
    (api.acd.options as { telephony: unknown }).telephony = {
      ari: {
        removeFromBridge: async (_bridge: string, channel: string) => {
          held.push(channel);
        },
        addToBridge: async () => undefined,
        startBridgeMoh: async () => undefined,
        stopBridgeMoh: async () => undefined,
      },
    };
    const r = await api.app.inject({
      method: 'POST',
      url: `/api/calls/${CALL}/hold`,
      headers: api.as(SUPERVISOR),
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(held).toEqual(['agent-leg']); // agent1's leg went on hold
    expect(api.acd.router.seat('agent1')?.state.type).toBe('on_hold');
    expect(api.acd.router.seat('agent2')?.state.type).toBe('talking');
  });
});
