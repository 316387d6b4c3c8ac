import { describe, expect, it } from 'vitest';
import { computeQueueStats, computeRouterStats, type InteractionRecord } from '../../../src/acd/index.js';
import { Sim, T0, agentDef, queueDef } from './helpers.js';

const rec = (extra: Partial<InteractionRecord>): InteractionRecord => ({
  queueId: 'q',
  enqueuedAt: T0,
  abandoned: false,
  talkSeconds: 0,
  wrapSeconds: 0,
  ...extra,
});

describe('queue stats', () => {
  const records: InteractionRecord[] = [
    rec({ answeredAt: T0 + 10_000, endedAt: T0 + 130_000, talkSeconds: 120, wrapSeconds: 30 }), // within SL
    rec({ answeredAt: T0 + 20_000, endedAt: T0 + 80_000, talkSeconds: 60, wrapSeconds: 30 }), // exactly SL
    rec({ answeredAt: T0 + 40_000 }), // late, still talking (no AHT)
    rec({ abandoned: true, endedAt: T0 + 50_000 }),
    rec({ abandoned: true, endedAt: T0 + 2000 }), // short abandon
    rec({ queueId: 'other', answeredAt: T0 }),
    rec({ enqueuedAt: T0 - 86_400_000, answeredAt: T0 - 86_000_000 }), // yesterday
  ];

  it('computes SL%, ASA, AHT and abandon rate from records within the window', () => {
    const stats = computeQueueStats({
      queueId: 'q',
      serviceLevelSeconds: 20,
      records,
      entries: [],
      memberSeats: [],
      now: T0 + 200_000,
      since: T0 - 3_600_000,
    });
    expect(stats).toMatchObject({ offered: 5, answered: 3, abandoned: 2 });
    expect(stats.serviceLevelPercent).toBeCloseTo((2 / 5) * 100);
    expect(stats.asaSeconds).toBeCloseTo((10 + 20 + 40) / 3);
    expect(stats.ahtSeconds).toBeCloseTo((150 + 90) / 2);
    expect(stats.abandonRatePercent).toBeCloseTo(40);
    // What the wallboard measures them against: the threshold, and no target unless the queue sets one.
    expect(stats).toMatchObject({ serviceLevelSeconds: 20, serviceLevelTargetPercent: null });
    const targeted = computeQueueStats({
      queueId: 'q',
      serviceLevelSeconds: 30,
      serviceLevelTargetPercent: 80,
      records: [],
      entries: [],
      memberSeats: [],
      now: T0,
    });
    expect(targeted).toMatchObject({ serviceLevelSeconds: 30, serviceLevelTargetPercent: 80 });
  });

  it('ignores short abandons when asked', () => {
    const stats = computeQueueStats({
      queueId: 'q',
      serviceLevelSeconds: 20,
      records,
      entries: [],
      memberSeats: [],
      now: T0 + 200_000,
      since: T0 - 3_600_000,
      shortAbandonSeconds: 5,
    });
    expect(stats.abandoned).toBe(1);
    expect(stats.serviceLevelPercent).toBeCloseTo(50);
    expect(stats.abandonRatePercent).toBeCloseTo(25);
  });

  it('returns null ratios with no finished calls', () => {
    const stats = computeQueueStats({
      queueId: 'q',
      serviceLevelSeconds: 20,
      records: [],
      entries: [],
      memberSeats: [],
      now: T0,
    });
    expect(stats).toMatchObject({
      serviceLevelPercent: null,
      asaSeconds: null,
      ahtSeconds: null,
      abandonRatePercent: null,
    });
  });

  it('counts waiting callers, callbacks, longest wait and agents by state and reason from live router state', () => {
    const sim = new Sim(
      [queueDef({ id: 'q' })],
      ['a1', 'a2', 'a3', 'a4'].map((id) => agentDef(id, ['q'])),
    );
    sim.login('a1', 'a2', 'a3');
    sim.agent('a1', { type: 'notReady', reason: 'lunch' });
    sim.agent('a2', { type: 'notReady', reason: 'lunch' });
    sim.agent('a3', { type: 'notReady', reason: 'break' });
    sim.arrive('c1', 'q');
    sim.advance(30_000);
    sim.arrive('c2', 'q');
    sim.arrive('c3', 'q');
    sim.send({ type: 'requestCallback', interactionId: 'c3' });
    sim.advance(15_000);
    const snap = sim.router.snapshot();
    const stats = computeQueueStats({
      queueId: 'q',
      serviceLevelSeconds: 20,
      records: [],
      entries: snap.entries,
      memberSeats: Object.values(snap.seats),
      now: sim.now,
    });
    expect(stats).toMatchObject({ waiting: 2, callbacksWaiting: 1, longestWaitSeconds: 45 });
    expect(stats.agents.loggedIn).toBe(3);
    expect(stats.agents.byState).toMatchObject({ logged_out: 1, not_ready: 3, available: 0 });
    expect(stats.agents.notReadyByReason).toEqual({ lunch: 2, break: 1 });
  });

  it("computes per-queue stats for a whole router, counting only each queue's members", () => {
    const sim = new Sim(
      [queueDef({ id: 'q', serviceLevelSeconds: 15 }), queueDef({ id: 'r' })],
      [agentDef('a1', ['q']), agentDef('a2', ['r'])],
    );
    sim.login('a1');
    sim.arrive('c1', 'r');
    const [q, r] = computeRouterStats(sim.router, [rec({ answeredAt: T0 + 16_000 })], sim.now);
    expect(q).toMatchObject({ queueId: 'q', waiting: 0, serviceLevelPercent: 0, agents: { loggedIn: 1 } });
    expect(r).toMatchObject({ queueId: 'r', waiting: 1, agents: { loggedIn: 0 } });
  });
});
