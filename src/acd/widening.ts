import type { SkillMap } from '../agents/schema.js';
import type { QueueDefinition, WideningStep } from './schema.js';

/**
 * The widening in force for a caller: the queue's steps up to the one whose wait has passed, folded into one
 * (a later step's field replaces an earlier one's; skills dropped add up).
 */
export interface Widening {
  /** The step in force: its place in the queue's `widening` (0-based) and the wait it starts after. */
  step: number;
  afterSeconds: number;
  maxPenalty?: number;
  lowerSkillsBy?: number;
  dropSkills?: string[];
}

/** The widening in force after waiting `waitedMs` in `queue`, or undefined before its first step (or none). */
export function wideningAt(queue: QueueDefinition, waitedMs: number): Widening | undefined {
  const steps = queue.widening;
  if (!steps) return undefined;
  let widening: Widening | undefined;
  steps.forEach((s, step) => {
    if (s.afterSeconds * 1000 > waitedMs) return;
    const dropped = [...(widening?.dropSkills ?? []), ...(s.dropSkills ?? [])];
    const maxPenalty = s.maxPenalty ?? widening?.maxPenalty;
    const lowerSkillsBy = s.lowerSkillsBy ?? widening?.lowerSkillsBy;
    widening = {
      step,
      afterSeconds: s.afterSeconds,
      ...(maxPenalty !== undefined ? { maxPenalty } : {}),
      ...(lowerSkillsBy !== undefined ? { lowerSkillsBy } : {}),
      ...(dropped.length > 0 ? { dropSkills: [...new Set(dropped)] } : {}),
    };
  });
  return widening;
}

/** When (epoch ms) the next step after `waitedMs` comes into force for a caller who entered at `enteredAt`. */
export function nextWideningAt(
  queue: QueueDefinition,
  enteredAt: number,
  waitedMs: number,
): number | undefined {
  const next = queue.widening?.find((s) => s.afterSeconds * 1000 > waitedMs);
  return next && enteredAt + next.afterSeconds * 1000;
}

/** The skills a call needs once widened: dropped ones gone, the others lowered (never below level 1). */
export function widenSkills(required: SkillMap, widening: Widening | undefined): SkillMap {
  if (!widening) return required;
  const dropped = new Set(widening.dropSkills ?? []);
  const by = widening.lowerSkillsBy ?? 0;
  const widened: SkillMap = {};
  for (const [skill, level] of Object.entries(required)) {
    if (!dropped.has(skill)) widened[skill] = Math.max(1, level - by);
  }
  return widened;
}

/** Why a member may not take the caller yet for their penalty, or undefined. */
export function penaltyBar(penalty: number, widening: Widening | undefined): string | undefined {
  const max = widening?.maxPenalty;
  if (max === undefined || penalty <= max) return undefined;
  return `penalty ${penalty} above the ${max} allowed after ${widening!.afterSeconds} s of waiting`;
}

/**
 * A queue's widening steps that make no sense: out of order, widening nothing, or narrowing what an earlier
 * step widened (a later step may only let more agents in). Each as [path, code, message].
 */
export function wideningIssues(
  steps: readonly WideningStep[],
): [path: string, code: string, message: string][] {
  const issues: [string, string, string][] = [];
  let penalty: number | undefined;
  let lowered: number | undefined;
  steps.forEach((s, i) => {
    const at = `widening[${i}]`;
    const before = steps[i - 1];
    if (before && s.afterSeconds <= before.afterSeconds)
      issues.push([
        `${at}.afterSeconds`,
        'WIDENING_ORDER',
        `${s.afterSeconds} must be after the step before it (${before.afterSeconds})`,
      ]);
    if (s.maxPenalty === undefined && s.lowerSkillsBy === undefined && s.dropSkills === undefined)
      issues.push([at, 'WIDENING_EMPTY', 'widens nothing: give maxPenalty, lowerSkillsBy or dropSkills']);
    if (s.maxPenalty !== undefined && penalty !== undefined && s.maxPenalty < penalty)
      issues.push([
        `${at}.maxPenalty`,
        'WIDENING_NARROWS',
        `${s.maxPenalty} is below the ${penalty} an earlier step allows: a later step may only let more agents in`,
      ]);
    if (s.lowerSkillsBy !== undefined && lowered !== undefined && s.lowerSkillsBy < lowered)
      issues.push([
        `${at}.lowerSkillsBy`,
        'WIDENING_NARROWS',
        `${s.lowerSkillsBy} is below the ${lowered} an earlier step lowers by: a later step may only let more agents in`,
      ]);
    penalty = s.maxPenalty ?? penalty;
    lowered = s.lowerSkillsBy ?? lowered;
  });
  return issues;
}
