import { describe, expect, it } from 'vitest';
import type { StrategyName } from '../../../src/acd/index.js';
import { Sim, agentDef, offeredAgents, queueDef, seededRng } from './helpers.js';

const AGENTS = ['a1', 'a2', 'a3', 'a4'];

/**
 * 1,000 calls through the real router: each call is answered by the agent offered, and `concurrent`
 * calls stay up at once (the oldest hangs up before the next arrival once that many are active).
 */
function distribute(strategy: StrategyName, concurrent: number, seed = 1): Record<string, number> {
  const sim = new Sim(
    [queueDef({ id: 'q', strategy })],
    AGENTS.map((id) => agentDef(id, [{ queueId: 'q', order: Number(id.slice(1)) }])),
    seededRng(seed),
  );
  sim.login(...AGENTS);
  const counts: Record<string, number> = Object.fromEntries(AGENTS.map((a) => [a, 0]));
  const active: Array<{ agentId: string; interactionId: string }> = [];
  for (let i = 0; i < 1000; i++) {
    sim.advance(1000);
    const interactionId = `c${i}`;
    const winners = offeredAgents(sim.arrive(interactionId, 'q'));
    expect(winners).toHaveLength(1);
    const agentId = winners[0]!;
    counts[agentId] = (counts[agentId] ?? 0) + 1;
    sim.agent(agentId, { type: 'answer', interactionId });
    active.push({ agentId, interactionId });
    if (active.length >= concurrent) {
      const done = active.shift()!;
      sim.advance(500);
      sim.agent(done.agentId, { type: 'hangup', interactionId: done.interactionId });
    }
  }
  return counts;
}

describe('fairness over 1,000 offers among equal agents', () => {
  it.each([1, 3])('round robin gives each agent 250 ± 1 (concurrency %i)', (concurrent) => {
    for (const n of Object.values(distribute('round_robin', concurrent)))
      expect(Math.abs(n - 250)).toBeLessThanOrEqual(1);
  });

  it.each([1, 3])('longest idle gives each agent 250 ± 1 (concurrency %i)', (concurrent) => {
    for (const n of Object.values(distribute('longest_idle', concurrent)))
      expect(Math.abs(n - 250)).toBeLessThanOrEqual(1);
  });

  it('fewest calls gives each agent 250 ± 1', () => {
    for (const n of Object.values(distribute('fewest_calls', 2)))
      expect(Math.abs(n - 250)).toBeLessThanOrEqual(1);
  });

  it('linear is deliberately unfair: the first member takes every call when free', () => {
    expect(distribute('linear', 1)).toEqual({ a1: 1000, a2: 0, a3: 0, a4: 0 });
  });

  it.each([1, 2, 3])(
    'random with seeded rng is roughly uniform (seed %i, χ² < 16.27, p=0.001 for 3 dof)',
    (seed) => {
      const counts = Object.values(distribute('random', 1, seed));
      const chi2 = counts.reduce((sum, n) => sum + (n - 250) ** 2 / 250, 0);
      expect(chi2).toBeLessThan(16.27);
      for (const n of counts) expect(n).toBeGreaterThan(180);
    },
  );

  it('random is reproducible for a given seed', () => {
    expect(distribute('random', 1, 9)).toEqual(distribute('random', 1, 9));
  });
});
