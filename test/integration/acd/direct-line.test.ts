/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process with its SQLite log, SIPp UAS desk
 * phones as the agents' devices and SIPp callers on the carrier trunk. An agent's direct line (a route with
 * `agent`): the caller rings that agent, ahead of the queue's strategy; while the agent is not ready the
 * caller waits for them a while, then the team takes the call; an agent logged out sends it to the team at once.
 * An IVR flow (the service's flow loader, a flow file in a temporary directory) chooses the direct line too.
 * A Spanish line (a route with `language` and `skills`) goes to the Spanish speaker, whatever the order.
 * A flow that checks the queue first (`whenQueue`) queues the caller while an agent is free, and says
 * goodbye when none is on.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TEST_SECRET } from '../harness/service.js';
import type { Interaction } from '../ivr/ivr-harness.js';
import { runIvrCaller } from '../ivr/ivr-harness.js';
import { callUntilAgentHangsUp, closedCallOf, type DeskRig, deskAgent, startDeskRig } from './desk-rig.js';

/** Linear: `first` whenever it is free, so only the direct line sends a caller to `second` meanwhile. */
const TEAM = { id: 'team', name: 'Team', strategy: 'linear' };
const SETTINGS = {
  supervisorToken: TEST_SECRET,
  queues: [TEAM],
  agents: [
    deskAgent('first', 5381, 'team', 1),
    { ...deskAgent('second', 5382, 'team', 2), skills: { spanish: 3 } },
  ],
  routes: [
    { dialed: '650', queue: 'team' },
    { dialed: '652', queue: 'team', agent: 'second', agentWaitSeconds: 4 },
    { dialed: '654', flow: 'account-manager' },
    { dialed: '656', queue: 'team', language: 'es', skills: { spanish: 1 } },
    { dialed: '658', flow: 'team-or-goodbye' },
  ],
};
/** An IVR flow that sends the customers `second` manages to their direct line, everyone else to the team. */
const ACCOUNT_MANAGER_FLOW = `import { defineFlow, queue } from '../src/ivr/index.js';

export default defineFlow({
  id: 'account-manager',
  entry: 'q',
  steps: {
    q: queue('team', { agent: (ctx) => (ctx.caller === '+15550165004' ? 'second' : ''), agentWaitSeconds: 4 }),
  },
});
`;
/** The team's queue while one of its agents is free; goodbye (in Asterisk's words) while none is. */
const TEAM_OR_GOODBYE_FLOW = `import { defineFlow, hangup, queue, whenQueue } from '../src/ivr/index.js';

export default defineFlow({
  id: 'team-or-goodbye',
  entry: 'check',
  steps: {
    check: whenQueue('team', { when: (q) => q.agentsFree === 0, yes: 'goodbye', no: 'q', into: 'wait' }),
    goodbye: hangup('vm-goodbye'),
    q: queue('team'),
  },
});
`;
const flowsDir = mkdtempSync(join(tmpdir(), 'cc-direct-line-flows-'));
writeFileSync(join(flowsDir, 'account-manager.ts'), ACCOUNT_MANAGER_FLOW);
writeFileSync(join(flowsDir, 'team-or-goodbye.ts'), TEAM_OR_GOODBYE_FLOW);

let rig: DeskRig;

beforeAll(async () => {
  rig = await startDeskRig(
    'direct-line',
    SETTINGS,
    { first: 2000, second: 2000 },
    { env: { CC_FLOWS_DIR: flowsDir } },
  );
  for (const id of ['first', 'second']) await rig.api.seat(id, rig.tokens[id]!, 'login');
});

afterAll(async () => {
  await rig?.stop();
  rmSync(flowsDir, { recursive: true, force: true });
});

const call = (caller: string, dialed = '652') => callUntilAgentHangsUp(rig.service, caller, dialed);
const payloadsOf = (c: Interaction, type: string) =>
  c.timeline.filter((e) => e.type === type).map((e) => e.payload as Record<string, unknown>);
const connectedAgent = (c: Interaction) => payloadsOf(c, 'acd.connected')[0]?.agentId;
const offeredAfterMs = (c: Interaction) =>
  Date.parse(c.timeline.find((e) => e.type === 'acd.offered')!.at) -
  Date.parse(String(payloadsOf(c, 'acd.enqueued')[0]?.queueEnteredAt));

async function seatIs(id: string, want: string): Promise<void> {
  await eventually(async () => {
    return (await rig.api.agentState(id, rig.tokens[id]!)).type === want ? true : undefined;
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

  it("sends an IVR flow's caller to the direct line the flow chose, and others to the team", async () => {
    await seatIs('first', 'available');
    await seatIs('second', 'available');
    const managed = await call('+15550165004', '654');
    expect(connectedAgent(managed)).toBe('second');
    const [offer] = payloadsOf(managed, 'acd.offered');
    expect(offer?.why).toMatchObject({ rule: expect.stringMatching(/^direct_line: /) });
    const step = managed.timeline.find((e) => e.type === 'ivr.step');
    expect(step?.payload).toMatchObject({ stepId: 'q', detail: { queue: 'team', agent: 'second' } });
    await seatIs('first', 'available');
    await seatIs('second', 'available');
    const other = await call('+15550165005', '654');
    expect(connectedAgent(other)).toBe('first');
  });

  it("sends a Spanish line's caller to the Spanish speaker (the route's skills), in Spanish", async () => {
    await seatIs('first', 'available');
    await seatIs('second', 'available');
    const c = await call('+15550165006', '656');
    // Linear would take `first`; only `second` has the skill the line's callers need.
    expect(connectedAgent(c)).toBe('second');
    expect(payloadsOf(c, 'acd.enqueued')[0]).toMatchObject({ queueId: 'team', skills: { spanish: 1 } });
    expect(payloadsOf(c, 'acd.offered')[0]?.agentIds).toEqual(['second']);
    expect(payloadsOf(c, 'call.language')).toEqual([{ language: 'es', by: 'route' }]);
    expect(c.callerData).toMatchObject({ language: 'es' });
  });

  it('checks the queue first in a flow (whenQueue): queued while an agent is free, goodbye while none is on', async () => {
    await seatIs('first', 'available');
    await seatIs('second', 'available');
    const served = await call('+15550165007', '658');
    expect(connectedAgent(served)).toBe('first');
    const check = (c: Interaction) =>
      c.timeline.find((e) => e.type === 'ivr.step' && e.payload.stepId === 'check')?.payload;
    expect(check(served)).toMatchObject({
      outcome: 'no',
      next: 'q',
      detail: { queue: 'team', waiting: 0, agentsOn: 2, agentsFree: 2 },
    });
    for (const id of ['first', 'second']) await rig.api.seat(id, rig.tokens[id]!, 'logout');
    try {
      const run = await runIvrCaller({
        scenario: 'ivr-caller',
        caller: '+15550165008',
        dialed: '658',
        actions: [],
      });
      expect(run.successful, `SIPp: ${run.stderr}`).toBe(1); // the service said goodbye and hung up
      const turned = await closedCallOf(rig.service, '+15550165008');
      expect(check(turned)).toMatchObject({
        outcome: 'yes',
        next: 'goodbye',
        detail: { agentsOn: 0, agentsFree: 0, estimatedWaitSeconds: null },
      });
      expect(turned.timeline.map((e) => e.type)).not.toContain('acd.enqueued');
      expect(turned.callerData).toMatchObject({ wait: null });
    } finally {
      for (const id of ['first', 'second']) await rig.api.seat(id, rig.tokens[id]!, 'login');
    }
  });
});
