/**
 * Routing steps: `hours` (businessHours), `switch` (whenSwitch), `queue-check` (whenQueue), `branch` and
 * `goto-flow` (gotoFlow). None touches the caller.
 */
import type { BranchStep, GotoFlowStep, HoursStep, QueueCheckStep, SwitchStep } from '../types.js';
import { stepSkills } from './data.js';
import { evaluateSchedule } from '../hours.js';
import { errorMessage, hook, type StepOutcome, type StepScope, StepFailure } from './handler.js';

export async function runBusinessHours(step: HoursStep, scope: StepScope): Promise<StepOutcome> {
  let s: ReturnType<typeof evaluateSchedule>;
  try {
    s = evaluateSchedule(step.schedule, scope.now());
  } catch (e) {
    throw new StepFailure(`business hours: ${errorMessage(e)}`);
  }
  const next =
    s.state === 'open' ? step.open : s.state === 'holiday' ? (step.holiday ?? step.closed) : step.closed;
  return {
    next,
    outcome: s.state,
    detail: {
      local: `${s.local.date} ${s.local.time}`,
      weekday: s.local.weekday,
      ...(s.holiday ? { holiday: s.holiday } : {}),
    },
  };
}

export async function runSwitch(step: SwitchStep, scope: StepScope): Promise<StepOutcome> {
  const on = scope.options.switchOn?.(step.switchId);
  if (on === undefined) throw new StepFailure(`unknown switch '${step.switchId}'`);
  return { next: on ? step.on : step.off, outcome: on ? 'on' : 'off', detail: { switch: step.switchId } };
}

export async function runQueueCheck(step: QueueCheckStep, scope: StepScope): Promise<StepOutcome> {
  const skills = stepSkills(scope, 'whenQueue skills', step.skills);
  const outlook = scope.options.queueOutlook?.(step.queueId, skills);
  if (!outlook) throw new StepFailure(`unknown queue '${step.queueId}'`);
  const holds = hook('whenQueue', () => step.when({ ...outlook }, scope.ctx()));
  if (typeof holds !== 'boolean')
    throw new StepFailure(`whenQueue's test returned ${String(holds)}, not true or false`);
  if (step.into) scope.data = { ...scope.data, [step.into]: outlook.estimatedWaitSeconds };
  return {
    next: holds ? step.yes : step.no,
    outcome: holds ? 'yes' : 'no',
    detail: { queue: step.queueId, ...outlook },
  };
}

export async function runBranch(step: BranchStep, scope: StepScope): Promise<StepOutcome> {
  const target = hook('branch', () => step.choose(scope.ctx()));
  if (typeof target !== 'string' || !step.targets.includes(target)) {
    throw new StepFailure(
      `branch chose '${String(target)}', which is not one of its targets [${step.targets.join(', ')}]`,
    );
  }
  return { next: target, outcome: 'chose' };
}

export async function runGotoFlow(step: GotoFlowStep, scope: StepScope): Promise<StepOutcome> {
  const other = scope.options.resolveFlow?.(step.flowId);
  if (!other) throw new StepFailure(`unknown flow '${step.flowId}'`);
  return { gotoFlow: other, outcome: 'goto', detail: { flow: other.id, version: other.version } };
}
