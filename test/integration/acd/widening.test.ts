/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process with its SQLite log, SIPp UAS desk
 * phones as the agents' devices and SIPp callers on the carrier trunk. A queue that widens as its caller
 * waits: first-choice agents only at first, a skill level less after 3 s, the back-up agents after 6 s;
 * each step comes into force on its own timer, so the free agent it lets in rings that moment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TEST_SECRET } from '../harness/service.js';
import type { Interaction } from '../ivr/ivr-harness.js';
import { callUntilAgentHangsUp, type DeskRig, deskAgent, startDeskRig } from './desk-rig.js';

const WIDENING = [
  { afterSeconds: 0, maxPenalty: 0 },
  { afterSeconds: 3, lowerSkillsBy: 1 },
  { afterSeconds: 6, maxPenalty: 5 },
];
const BILLING = {
  id: 'billing',
  name: 'Billing',
  strategy: 'skills_based',
  requiredSkills: { billing: 3 },
  widening: WIDENING,
};
const agent = (id: string, port: number, level: number, penalty: number) => ({
  ...deskAgent(id, port, 'billing', 1),
  skills: { billing: level },
  queues: [{ queueId: 'billing', order: 1, penalty }],
});
const SETTINGS = {
  supervisorToken: TEST_SECRET,
  queues: [BILLING],
  agents: [agent('senior', 5371, 3, 0), agent('junior', 5372, 2, 0), agent('backup', 5373, 3, 5)],
  routes: [{ dialed: '630', queue: 'billing' }],
};

let rig: DeskRig;

beforeAll(async () => {
  // Each phone answers and hangs up 2 s later (the agent ends the conversation).
  rig = await startDeskRig('widening', SETTINGS, { senior: 2000, junior: 2000, backup: 2000 });
  for (const id of ['senior', 'junior', 'backup']) await rig.api.seat(id, rig.tokens[id]!, 'login');
});

afterAll(async () => {
  await rig?.stop();
});

const call = (caller: string) => callUntilAgentHangsUp(rig.service, caller, '630');
const payloadsOf = (c: Interaction, type: string) =>
  c.timeline.filter((e) => e.type === type).map((e) => e.payload as Record<string, unknown>);
const connectedAgent = (c: Interaction) => payloadsOf(c, 'acd.connected')[0]?.agentId;
/** The widening the first offer was made under (its `why.widening`). */
const offerWidening = (c: Interaction) =>
  (payloadsOf(c, 'acd.offered')[0]?.why as { widening?: unknown } | undefined)?.widening;
/** From entering the queue (the router's own time) to the offer. */
const offeredAfterMs = (c: Interaction) =>
  Date.parse(c.timeline.find((e) => e.type === 'acd.offered')!.at) -
  Date.parse(String(payloadsOf(c, 'acd.enqueued')[0]?.queueEnteredAt));

async function onlyAvailable(...ready: string[]): Promise<void> {
  for (const id of ['senior', 'junior', 'backup']) {
    const want = ready.includes(id) ? 'available' : 'not_ready';
    await eventually(async () => {
      const now = (await rig.api.agentState(id, rig.tokens[id]!)).type;
      if (now === want) return true;
      if (now === 'available' && want === 'not_ready')
        await rig.api.seat(id, rig.tokens[id]!, 'not-ready', { reason: 'break' });
      if (now === 'not_ready' && want === 'available') await rig.api.seat(id, rig.tokens[id]!, 'ready');
      return undefined;
    }, `${id} to be ${want}`);
  }
}

describe('a queue that widens as the caller waits (real Asterisk, SIPp phones and callers)', () => {
  it('offers a first-choice agent at once and says why the others were passed over', async () => {
    await onlyAvailable('senior', 'junior', 'backup');
    const c = await call('+15550163001');
    expect(connectedAgent(c)).toBe('senior');
    const [offer] = payloadsOf(c, 'acd.offered');
    const why = offer?.why as { considered: Record<string, unknown>[] };
    expect(offerWidening(c)).toEqual({ step: 0, afterSeconds: 0, maxPenalty: 0 });
    expect(why.considered).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          agentId: 'junior',
          eligible: false,
          excludedBecause: 'skill billing 2 < required 3',
        }),
        expect.objectContaining({
          agentId: 'backup',
          eligible: false,
          excludedBecause: 'penalty 5 above the 0 allowed after 0 s of waiting',
        }),
      ]),
    );
    expect(payloadsOf(c, 'acd.widened')).toEqual([]);
    expect(offeredAfterMs(c)).toBeLessThan(3000);
  });

  it('lets a level less in after 3 s, the moment the step comes into force, with the line saying so', async () => {
    await onlyAvailable('junior', 'backup');
    const ended = call('+15550163002');
    // Waiting while two agents are free: the line shows the start's limit and the time to the next step.
    const place = await eventually(async () => {
      const line = await rig.api.request<{ places: Record<string, unknown>[] }>(
        'GET',
        '/api/queues/billing/line',
        {
          token: TEST_SECRET,
        },
      );
      return line.body.places.find((p) => p.callerNumber === '+15550163002');
    }, 'the caller in the line');
    expect(place.widening).toEqual({ step: 0, afterSeconds: 0, maxPenalty: 0 });
    expect(place.widensInSeconds).toBeGreaterThan(0);
    expect(place.widensInSeconds).toBeLessThanOrEqual(3);
    const c = await ended;
    expect(connectedAgent(c)).toBe('junior');
    expect(payloadsOf(c, 'acd.widened')).toEqual([
      { queueId: 'billing', step: 1, afterSeconds: 3, maxPenalty: 0, lowerSkillsBy: 1 },
    ]);
    const types = c.timeline.map((e) => e.type);
    expect(types.indexOf('acd.widened')).toBeLessThan(types.indexOf('acd.offered'));
    const [offer] = payloadsOf(c, 'acd.offered');
    expect(offer?.agentIds).toEqual(['junior']);
    expect(offerWidening(c)).toEqual({
      step: 1,
      afterSeconds: 3,
      maxPenalty: 0,
      lowerSkillsBy: 1,
    });
    // Rung on the step's own timer, not at some later event.
    expect(offeredAfterMs(c)).toBeGreaterThanOrEqual(3000);
    expect(offeredAfterMs(c)).toBeLessThan(4500);
  });

  it('lets the back-up agent in after 6 s when nobody else is free', async () => {
    await onlyAvailable('backup');
    const c = await call('+15550163003');
    expect(connectedAgent(c)).toBe('backup');
    expect(payloadsOf(c, 'acd.widened').map((p) => p.step)).toEqual([1, 2]);
    expect(offerWidening(c)).toEqual({
      step: 2,
      afterSeconds: 6,
      maxPenalty: 5,
      lowerSkillsBy: 1,
    });
    expect(offeredAfterMs(c)).toBeGreaterThanOrEqual(6000);
    expect(offeredAfterMs(c)).toBeLessThan(7500);
  });

  it('refuses a widening that narrows, by its place, and keeps the queue as it was', async () => {
    const bad = await rig.api.request<{ code: string; issues?: { code: string; path: string }[] }>(
      'PUT',
      '/api/queues/billing',
      {
        token: TEST_SECRET,
        body: { ...BILLING, widening: [...WIDENING, { afterSeconds: 9, maxPenalty: 1 }] },
      },
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('WIDENING_NARROWS');
    expect(JSON.stringify(bad.body)).toContain('widening[3].maxPenalty');
    const kept = await rig.api.request<{ widening: unknown }>('GET', '/api/queues/billing', {
      token: TEST_SECRET,
    });
    expect(kept.body.widening).toEqual(WIDENING);
  });
});
