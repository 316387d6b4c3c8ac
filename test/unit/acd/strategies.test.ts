import { describe, expect, it } from 'vitest';
import {
  type StrategyCandidate,
  type StrategyContext,
  type StrategyName,
  rankCandidates,
} from '../../../src/acd/index.js';
import { T0, seededRng } from './helpers.js';

function cand(agentId: string, extra: Partial<StrategyCandidate> = {}): StrategyCandidate {
  return {
    agentId,
    availableSince: T0,
    lastCallEndedAt: null,
    callsHandledToday: 0,
    skills: {},
    penalty: 0,
    order: 0,
    ...extra,
  };
}

const ctx = (extra: Partial<StrategyContext> = {}): StrategyContext => ({
  now: T0 + 600_000,
  requiredSkills: {},
  rng: seededRng(42),
  lastOffered: null,
  ...extra,
});

interface Row {
  name: string;
  strategy: StrategyName;
  candidates: StrategyCandidate[];
  context?: Partial<StrategyContext>;
  ring: string[];
  order?: string[];
}

const TABLE: Row[] = [
  {
    name: 'longest idle wins',
    strategy: 'longest_idle',
    candidates: [
      cand('a', { availableSince: T0 + 60_000 }),
      cand('b', { availableSince: T0 }),
      cand('c', { availableSince: T0 + 1 }),
    ],
    ring: ['b'],
    order: ['b', 'c', 'a'],
  },
  {
    name: 'longest idle tie → earlier last call, then id',
    strategy: 'longest_idle',
    candidates: [
      cand('z', { lastCallEndedAt: T0 - 5 }),
      cand('y', { lastCallEndedAt: T0 - 10 }),
      cand('x', { lastCallEndedAt: T0 - 5 }),
    ],
    ring: ['y'],
    order: ['y', 'x', 'z'],
  },
  {
    name: 'fewest calls wins, idle breaks ties',
    strategy: 'fewest_calls',
    candidates: [
      cand('a', { callsHandledToday: 3 }),
      cand('b', { callsHandledToday: 1, availableSince: T0 + 10 }),
      cand('c', { callsHandledToday: 1, availableSince: T0 }),
    ],
    ring: ['c'],
    order: ['c', 'b', 'a'],
  },
  {
    name: 'round robin starts at the first member without memory',
    strategy: 'round_robin',
    candidates: [cand('c', { order: 3 }), cand('a', { order: 1 }), cand('b', { order: 2 })],
    ring: ['a'],
    order: ['a', 'b', 'c'],
  },
  {
    name: 'round robin resumes after the last agent offered',
    strategy: 'round_robin',
    candidates: [cand('c', { order: 3 }), cand('a', { order: 1 }), cand('b', { order: 2 })],
    context: { lastOffered: { agentId: 'b', order: 2 } },
    ring: ['c'],
    order: ['c', 'a', 'b'],
  },
  {
    name: 'round robin skips the busy last agent and wraps around',
    strategy: 'round_robin',
    candidates: [cand('a', { order: 1 }), cand('b', { order: 2 })],
    context: { lastOffered: { agentId: 'c', order: 3 } },
    ring: ['a'],
  },
  {
    name: 'linear always prefers the lowest member order',
    strategy: 'linear',
    candidates: [
      cand('a', { order: 5 }),
      cand('b', { order: 1, availableSince: T0 + 500_000 }),
      cand('c', { order: 2 }),
    ],
    ring: ['b'],
    order: ['b', 'c', 'a'],
  },
  {
    name: 'ring all rings every free agent',
    strategy: 'ring_all',
    candidates: [cand('b'), cand('a'), cand('c')],
    ring: ['a', 'b', 'c'],
  },
  {
    name: 'ring all rings only the lowest penalty tier',
    strategy: 'ring_all',
    candidates: [cand('b', { penalty: 1 }), cand('a'), cand('c')],
    ring: ['a', 'c'],
  },
  {
    name: 'skills based prefers the higher level, then longest idle',
    strategy: 'skills_based',
    candidates: [
      cand('a', { skills: { spanish: 5 }, availableSince: T0 }),
      cand('b', { skills: { spanish: 9 }, availableSince: T0 + 100 }),
      cand('c', { skills: { spanish: 9 }, availableSince: T0 + 50 }),
    ],
    context: { requiredSkills: { spanish: 3 } },
    ring: ['c'],
    order: ['c', 'b', 'a'],
  },
  {
    name: 'skills based sums levels over all required skills',
    strategy: 'skills_based',
    candidates: [
      cand('a', { skills: { spanish: 10, billing: 2 } }),
      cand('b', { skills: { spanish: 6, billing: 7 } }),
    ],
    context: { requiredSkills: { spanish: 1, billing: 1 } },
    ring: ['b'],
  },
  {
    name: 'penalty tier beats strategy score',
    strategy: 'longest_idle',
    candidates: [
      cand('a', { penalty: 2, availableSince: T0 - 1_000_000 }),
      cand('b', { penalty: 0, availableSince: T0 + 1 }),
    ],
    ring: ['b'],
    order: ['b', 'a'],
  },
];

describe('strategies (table-driven)', () => {
  it.each(TABLE)('$strategy: $name', (row) => {
    const result = rankCandidates(row.strategy, row.candidates, ctx(row.context));
    expect(result.ring).toEqual(row.ring);
    if (row.order) expect(result.ranked.map((r) => r.agentId)).toEqual(row.order);
    expect(result.ranked).toHaveLength(row.candidates.length);
    for (const r of result.ranked) expect(r.rule).toMatch(new RegExp(row.strategy));
  });

  it('random is reproducible with the same seed and ranks by the draw', () => {
    const candidates = ['a', 'b', 'c', 'd'].map((id) => cand(id));
    const first = rankCandidates('random', candidates, ctx({ rng: seededRng(7) }));
    const second = rankCandidates('random', [...candidates].reverse(), ctx({ rng: seededRng(7) }));
    expect(second.ring).toEqual(first.ring);
    const scores = first.ranked.map((r) => r.score);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
  });

  it('returns nothing to ring when there are no candidates', () => {
    expect(rankCandidates('longest_idle', [], ctx()).ring).toEqual([]);
    expect(rankCandidates('ring_all', [], ctx()).ring).toEqual([]);
  });
});
