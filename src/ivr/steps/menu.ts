/** The `menu` step: one key picks an option; timeouts and wrong keys are retried, then `onFail`. */
import type { Dtmf, MenuStep } from '../types.js';
import { oneKey } from './collect.js';
import type { StepOutcome, StepScope } from './handler.js';
import { playPrompts } from './prompts.js';

/** Caps the repeat key so a caller leaning on it cannot hold the call in the menu forever. */
const MAX_REPEATS = 10;

export async function runMenu(step: MenuStep, scope: StepScope): Promise<StepOutcome> {
  let failures = 0;
  let repeats = 0;
  const reasons: string[] = [];
  for (;;) {
    const key = await oneKey(scope, step.prompts, step.timeoutMs);
    if (key !== '' && key === step.repeatKey && repeats < MAX_REPEATS) {
      repeats++;
      continue;
    }
    const target = key === '' ? undefined : step.options[key as Dtmf];
    if (target !== undefined) {
      if (step.into) scope.data = { ...scope.data, [step.into]: key };
      return { next: target, outcome: 'option', detail: { key, attempts: failures + 1, failed: reasons } };
    }
    reasons.push(key === '' ? 'timeout' : `invalid:${key}`);
    failures++;
    if (failures > step.retries) return { next: step.onFail, outcome: 'failed', detail: { failed: reasons } };
    await playPrompts(scope, key === '' ? step.timeoutPrompts : step.invalidPrompts, false);
  }
}
