/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process with its SQLite log, SIPp UAS desk
 * phones as the agents' devices and SIPp callers on the carrier trunk. An agent's direct line (a route with
 * `agent`): the caller rings that agent, ahead of the queue's strategy; while the agent is not ready the
 * caller waits for them a while, then the team takes the call; an agent logged out sends it to the team at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TEST_SECRET } from '../harness/service.js';
import type { Interaction } from '../ivr/ivr-harness.js';
import { callUntilAgentHangsUp, type DeskRig, deskAgent, startDeskRig } from './desk-rig.js';

/** Linear: `first` whenever it is free, so only the direct line sends a caller to `second` meanwhile. */
const TEAM = { id: 'team', name: 'Team', strategy: 'linear' };
const SETTINGS = {
  supervisorToken: TEST_SECRET,
  queues: [TEAM],
  agents: [deskAgent('first', 5381, 'team', 1), deskAgent('second', 5382, 'team', 2)],
  routes: [
    { dialed: '650', queue: 'team' },
    { dialed: '652', queue: 'team', agent: 'second', agentWaitSeconds: 4 },
  ],
};

let rig: DeskRig;

beforeAll(async () => {
  rig = await startDeskRig('direct-line', SETTINGS, { first: 2000, second: 2000 });
  for (const id of ['first', 'second']) await rig.api.seat(id, rig.tokens[id]!, 'login');
});

afterAll(async () => {
  await rig?.stop();
});

const call = (caller: string) => callUntilAgentHangsUp(rig.service, caller, '652');
const payloadsOf = (c: Interaction, type: string) =>
  c.timeline.filter((e) => e.type === type).map((e) => e.payload as Record<string, unknown>);
const connectedAgent = (c: Interaction) => payloadsOf(c, 'acd.connected')[0]?.agentId;
const offeredAfterMs = (c: Interaction) =>
  Date.parse(c.timeline.find((e) => e.type === 'acd.offered')!.at) -
  Date.parse(String(payloadsOf(c, 'acd.enqueued')[0]?.queueEnteredAt));

async function seatIs(id: string, want: string): Promise<void> {
  await eventually(async () => {
    const seat = await rig.api.request<{ state: { type: string } }>('GET', `/api/agents/${id}`, {
      token: rig.tokens[id],
    });
    return seat.body.state.type === want ? true : undefined;
  }, `${id} to be ${want}`);
}

describe("an agent's direct line (real Asterisk, SIPp phones and callers)", () => {
  it('rings that agent ahead of the strategy, saying why', async () => {
    await seatIs('first', 'available');
    await seatIs('second', 'available');
    const c = await call('+15550165001');
    expect(connectedAgent(c)).toBe('second');
    const [offer] = payloadsOf(c, 'acd.offered');
    const why = offer?.why as { rule: string; reservedFor: { agentId: string; until: string } };
    expect(why.rule).toMatch(/^direct_line: kept for this agent until /);
    expect(why.reservedFor.agentId).toBe('second');
    // Kept for four seconds from entering the queue.
    const entered = Date.parse(String(payloadsOf(c, 'acd.enqueued')[0]?.queueEnteredAt));
    expect(Date.parse(why.reservedFor.until) - entered).toBeGreaterThanOrEqual(3900);
    expect(Date.parse(why.reservedFor.until) - entered).toBeLessThanOrEqual(4100);
  });

  it('waits for the agent while not ready, the line saying so, then the team takes it', async () => {
    await seatIs('second', 'available');
    await rig.api.seat('second', rig.tokens.second!, 'not-ready', { reason: 'break' });
    await seatIs('first', 'available');
    const ended = call('+15550165002');
    const place = await eventually(async () => {
      const line = await rig.api.request<{ places: Record<string, unknown>[] }>(
        'GET',
        '/api/queues/team/line',
        {
          token: TEST_SECRET,
        },
      );
      return line.body.places.find((p) => p.callerNumber === '+15550165002');
    }, 'the caller in the line');
    expect(place.directLine).toMatchObject({ agentId: 'second' });
    const c = await ended;
    expect(connectedAgent(c)).toBe('first');
    expect(payloadsOf(c, 'acd.offered').map((o) => o.agentIds)).toEqual([['first']]);
    expect(offeredAfterMs(c)).toBeGreaterThanOrEqual(4000);
    expect(offeredAfterMs(c)).toBeLessThan(5500);
    await rig.api.seat('second', rig.tokens.second!, 'ready');
  });

  it('goes to the team at once while the agent is logged out', async () => {
    await seatIs('second', 'available');
    await rig.api.seat('second', rig.tokens.second!, 'logout');
    await seatIs('first', 'available');
    const c = await call('+15550165003');
    expect(connectedAgent(c)).toBe('first');
    const [offer] = payloadsOf(c, 'acd.offered');
    expect(offer?.agentIds).toEqual(['first']);
    expect(offer?.why).not.toHaveProperty('reservedFor');
    expect(offeredAfterMs(c)).toBeLessThan(2000);
    await rig.api.seat('second', rig.tokens.second!, 'login');
  });
});
