/** Digit collection through the port, one-key answers, and the `collect` step. */
import type { CollectResult, CollectStep, Dtmf, PromptSpec } from '../types.js';
import { errorMessage, HANGUP, hook, type StepOutcome, type StepScope, StepFailure } from './handler.js';
import { playPrompts } from './prompts.js';

export interface DigitLimits {
  readonly max: number;
  readonly terminator: Dtmf | null;
  readonly firstMs: number;
  readonly interMs: number;
}

/**
 * Collects digits after `prefix` (the key that interrupted a prompt, or ''). The prefix counts
 * towards `max`, and once there is one the caller is mid-entry, so the first wait is `interMs`.
 */
export async function collectDigits(
  scope: StepScope,
  prefix: string,
  o: DigitLimits,
): Promise<CollectResult> {
  if (o.terminator !== null && prefix === o.terminator) return { digits: '', reason: 'terminator' };
  if (prefix.length >= o.max) return { digits: prefix, reason: 'max' };
  let r: CollectResult;
  try {
    r = await scope.port.collectDigits({
      max: o.max - prefix.length,
      terminator: o.terminator,
      firstDigitTimeoutMs: prefix ? o.interMs : o.firstMs,
      interDigitTimeoutMs: o.interMs,
    });
  } catch (e) {
    throw new StepFailure(`digit collection failed: ${errorMessage(e)}`);
  }
  if (r.reason === 'hangup') throw HANGUP;
  return { digits: prefix + r.digits, reason: r.reason };
}

/** Plays an interruptible prompt and waits for one key; '' on timeout. */
export async function oneKey(
  scope: StepScope,
  prompts: readonly PromptSpec[],
  timeoutMs: number,
): Promise<string> {
  const first = await playPrompts(scope, prompts, true);
  if (first !== undefined) return first;
  const r = await collectDigits(scope, '', {
    max: 1,
    terminator: null,
    firstMs: timeoutMs,
    interMs: timeoutMs,
  });
  return r.digits.slice(0, 1);
}

export async function runCollect(step: CollectStep, scope: StepScope): Promise<StepOutcome> {
  let failures = 0;
  const reasons: string[] = [];
  for (;;) {
    const first = await playPrompts(scope, step.prompts, true);
    const r = await collectDigits(scope, first ?? '', {
      max: step.max,
      terminator: step.terminator,
      firstMs: step.timeoutMs,
      interMs: step.interDigitTimeoutMs,
    });
    const d = r.digits;
    let ok = false;
    if (d === '') reasons.push('timeout');
    else if (d.length < step.min || d.length > step.max) reasons.push(`invalid:${d}`);
    else if (step.validate && !hook('validate', () => step.validate?.(d, scope.ctx())))
      reasons.push(`invalid:${d}`);
    else ok = true;
    if (ok) {
      scope.data = { ...scope.data, [step.into]: d };
      return {
        next: step.next,
        outcome: 'collected',
        detail: { digits: d, attempts: failures + 1, failed: reasons },
      };
    }
    failures++;
    if (failures > step.retries) return { next: step.onFail, outcome: 'failed', detail: { failed: reasons } };
    await playPrompts(scope, d === '' ? step.timeoutPrompts : step.invalidPrompts, false);
  }
}
