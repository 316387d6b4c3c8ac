/** A queue's line as a supervisor sees it (src/acd/line-view.ts), over the real router with a manual clock. */
import { describe, expect, it } from 'vitest';
import { lineView } from '../../../src/acd/line-view.js';
import { Sim, T0, agentDef, queueDef } from './helpers.js';

describe("a queue's line for a supervisor", () => {
  const queue = queueDef({
    id: 'support',
    vipNumbers: ['+15559990000'],
    vipPriorityBonus: 10,
    ringTimeoutSeconds: 15,
  });
  const line = (sim: Sim) => lineView(sim.router.waiting(sim.now, 'support'), queue, sim.now);

  it('lists callers in the order they are served, with waits, priority, VIP and who is being rung', () => {
    const sim = new Sim([queue], [agentDef('anna', ['support'])]);
    sim.arrive('first', 'support', { callerNumber: '+15550000001' });
    sim.advance(5_000);
    sim.arrive('second', 'support', { callerNumber: '+15550000002', priority: 3 });
    sim.advance(5_000);
    sim.arrive('vip', 'support', { callerNumber: '+15559990000' });
    sim.advance(2_000);
    expect(line(sim).map((p) => [p.position, p.interactionId, p.priority, p.vip, p.state])).toEqual([
      [1, 'vip', 10, true, 'waiting'],
      [2, 'second', 3, false, 'waiting'],
      [3, 'first', 0, false, 'waiting'],
    ]);
    expect(line(sim).map((p) => p.waitSeconds)).toEqual([2, 7, 12]);

    // Anna logs in: the VIP rings her; the others wait on.
    sim.login('anna');
    const [vip, second] = line(sim);
    expect(vip).toMatchObject({
      interactionId: 'vip',
      state: 'ringing',
      agentIds: ['anna'],
      missedOffers: 0,
    });
    expect(second).toMatchObject({ state: 'waiting', agentIds: [] });
  });

  it('puts a caller whose ring went unanswered back at the front, counting the missed offer', () => {
    const sim = new Sim([queue], [agentDef('anna', ['support']), agentDef('boris', ['support'])]);
    sim.arrive('first', 'support', { callerNumber: '+15550000001' });
    sim.advance(1_000);
    sim.arrive('second', 'support', { callerNumber: '' });
    sim.login('anna');
    sim.runUntil(T0 + 1_000 + 15_000); // Anna's ring times out: she is set not ready (missed)
    const [front, next] = line(sim);
    expect(front).toMatchObject({ interactionId: 'first', front: true, missedOffers: 1, state: 'waiting' });
    expect(next).toMatchObject({ interactionId: 'second', callerNumber: '', front: false });
    expect(front?.inQueueSeconds).toBe(16);
  });

  it('says who a caller is kept for (its last agent, busy) and for how much longer, and not once the wait is over', () => {
    const kept = queueDef({
      id: 'support',
      strategy: 'linear',
      lastAgent: { withinDays: 30, waitSeconds: 20 },
    });
    const sim = new Sim(
      [kept],
      [
        agentDef('anna', [{ queueId: 'support', order: 1 }]),
        agentDef('bob', [{ queueId: 'support', order: 2 }]),
      ],
    );
    const keptLine = () => lineView(sim.router.waiting(sim.now, 'support'), kept, sim.now);
    sim.login('anna', 'bob');
    sim.agent('anna', { type: 'notReady', reason: 'break' });
    sim.arrive('before', 'support', { callerNumber: '+15550000009' });
    sim.agent('bob', { type: 'answer', interactionId: 'before' });
    sim.agent('anna', { type: 'ready' });
    sim.arrive('back', 'support', { lastAgent: { agentId: 'bob', servedAt: T0 - 1000 } });
    sim.advance(5_000);
    expect(keptLine().map((p) => [p.interactionId, p.state, p.keptFor])).toEqual([
      ['back', 'waiting', { agentId: 'bob', seconds: 15 }],
    ]);
    // Told bob is no longer on a call (gone not ready, say), the line holds the caller for nobody.
    const bobNotBusy = lineView(sim.router.waiting(sim.now, 'support'), kept, sim.now, (id) => id !== 'bob');
    expect(bobNotBusy.map((p) => p.keptFor)).toEqual([undefined]);
    sim.fire('lastagent:back'); // 20 s: anna is rung, kept for nobody
    expect(keptLine().map((p) => [p.state, p.agentIds, p.keptFor])).toEqual([
      ['ringing', ['anna'], undefined],
    ]);
  });
});
