import type { SkillMap } from '../agents/schema.js';
import type { StrategyName } from './schema.js';

/** A free agent that passed eligibility (member, available, has the skills). */
export interface StrategyCandidate {
  agentId: string;
  availableSince: number | null;
  lastCallEndedAt: number | null;
  callsHandledToday: number;
  skills: SkillMap;
  /** Queue membership penalty; lower tiers are always tried first. */
  penalty: number;
  /** Queue membership order for linear and round-robin. */
  order: number;
}

export interface RankedCandidate {
  agentId: string;
  /** Higher is better within a penalty tier; meaning depends on the strategy (see `rule`). */
  score: number;
  /** Human explanation of the score, e.g. "longest_idle: idle 42s". */
  rule: string;
}

export interface StrategyContext {
  now: number;
  /** Union of queue and caller requirements (skill → minimum level). */
  requiredSkills: SkillMap;
  rng: () => number;
  /** Round-robin memory for this queue: the last agent offered and its order. */
  lastOffered: { agentId: string; order: number } | null;
}

export interface StrategyResult {
  strategy: StrategyName;
  /** All candidates, best first (lowest penalty tier first, then the strategy's ranking). */
  ranked: RankedCandidate[];
  /** Agents to ring now: the winner, or the whole best tier for ring_all. */
  ring: string[];
}

type Ranker = (candidates: StrategyCandidate[], ctx: StrategyContext) => RankedCandidate[];

const byId = (a: { agentId: string }, b: { agentId: string }) =>
  a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0;

const idleMs = (c: StrategyCandidate, now: number) => Math.max(0, now - (c.availableSince ?? now));

/** Longest idle first; ties: the earlier last call, then agent id (deterministic). */
function compareIdle(a: StrategyCandidate, b: StrategyCandidate, now: number): number {
  const idle = idleMs(b, now) - idleMs(a, now);
  if (idle !== 0) return idle;
  const lastA = a.lastCallEndedAt ?? Number.NEGATIVE_INFINITY;
  const lastB = b.lastCallEndedAt ?? Number.NEGATIVE_INFINITY;
  if (lastA !== lastB) return lastA < lastB ? -1 : 1;
  return byId(a, b);
}

const byOrder = (a: StrategyCandidate, b: StrategyCandidate) => a.order - b.order || byId(a, b);

/** True when `skills` meets every minimum in `required`. */
export function meetsSkills(skills: SkillMap, required: SkillMap): boolean {
  return Object.entries(required).every(([skill, min]) => (skills[skill] ?? 0) >= min);
}

export function skillSum(skills: SkillMap, required: SkillMap): number {
  return Object.keys(required).reduce((sum, skill) => sum + (skills[skill] ?? 0), 0);
}

const RANKERS: Record<StrategyName, Ranker> = {
  ring_all: (cs) =>
    [...cs]
      .sort(byId)
      .map((c) => ({ agentId: c.agentId, score: 0, rule: 'ring_all: rings every free agent' })),

  longest_idle: (cs, { now }) =>
    [...cs]
      .sort((a, b) => compareIdle(a, b, now))
      .map((c) => ({
        agentId: c.agentId,
        score: idleMs(c, now) / 1000,
        rule: `longest_idle: idle ${idleMs(c, now) / 1000}s`,
      })),

  fewest_calls: (cs, { now }) =>
    [...cs]
      .sort((a, b) => a.callsHandledToday - b.callsHandledToday || compareIdle(a, b, now))
      .map((c) => ({
        agentId: c.agentId,
        score: -c.callsHandledToday,
        rule: `fewest_calls: ${c.callsHandledToday} calls today, then longest idle`,
      })),

  // Rotation over (order, id); starts just after the last agent offered, wrapping around.
  round_robin: (cs, { lastOffered }) => {
    const rotation = [...cs].sort(byOrder);
    const after = (c: StrategyCandidate) =>
      lastOffered !== null &&
      (c.order > lastOffered.order || (c.order === lastOffered.order && c.agentId > lastOffered.agentId));
    const start = rotation.findIndex(after);
    const ordered = start <= 0 ? rotation : [...rotation.slice(start), ...rotation.slice(0, start)];
    const last = lastOffered ? `after ${lastOffered.agentId}` : 'from the start';
    return ordered.map((c, i) => ({
      agentId: c.agentId,
      score: ordered.length - i,
      rule: `round_robin: #${i + 1} ${last}`,
    }));
  },

  linear: (cs) =>
    [...cs]
      .sort(byOrder)
      .map((c) => ({ agentId: c.agentId, score: -c.order, rule: `linear: member order ${c.order}` })),

  // Draw in a fixed (id) order so a seeded rng gives reproducible choices.
  random: (cs, { rng }) =>
    [...cs]
      .sort(byId)
      .map((c) => ({ agentId: c.agentId, score: rng(), rule: 'random: highest draw wins' }))
      .sort((a, b) => b.score - a.score || byId(a, b)),

  skills_based: (cs, { now, requiredSkills }) =>
    [...cs]
      .sort(
        (a, b) =>
          skillSum(b.skills, requiredSkills) - skillSum(a.skills, requiredSkills) || compareIdle(a, b, now),
      )
      .map((c) => ({
        agentId: c.agentId,
        score: skillSum(c.skills, requiredSkills),
        rule: `skills_based: skill level sum ${skillSum(c.skills, requiredSkills)}, then longest idle`,
      })),
};

/**
 * Ranks eligible free agents for one queue. Penalty tiers come first (Asterisk semantics: a higher
 * penalty is only used when no lower-penalty agent is free); the strategy ranks within each tier.
 */
export function rankCandidates(
  strategy: StrategyName,
  candidates: readonly StrategyCandidate[],
  ctx: StrategyContext,
): StrategyResult {
  const tiers = [...new Set(candidates.map((c) => c.penalty))].sort((a, b) => a - b);
  const ranked = tiers.flatMap((penalty) =>
    RANKERS[strategy](
      candidates.filter((c) => c.penalty === penalty),
      ctx,
    ).map((r) => (tiers.length > 1 ? { ...r, rule: `penalty ${penalty}; ${r.rule}` } : r)),
  );
  const bestTier = tiers[0];
  const ring =
    strategy === 'ring_all'
      ? candidates
          .filter((c) => c.penalty === bestTier)
          .sort(byId)
          .map((c) => c.agentId)
      : ranked.slice(0, 1).map((r) => r.agentId);
  return { strategy, ranked, ring };
}
