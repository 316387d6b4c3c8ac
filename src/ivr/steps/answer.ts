/** The `answer` step: picks up the call. */
import type { AnswerStep, IvrPort } from '../types.js';
import { errorMessage, HANGUP, type StepOutcome, type StepScope, StepFailure } from './handler.js';

export async function runAnswer(step: AnswerStep, scope: StepScope): Promise<StepOutcome> {
  let r: Awaited<ReturnType<IvrPort['answer']>>;
  try {
    r = await scope.port.answer();
  } catch (e) {
    throw new StepFailure(`answer failed: ${errorMessage(e)}`);
  }
  if (r.hungUp) throw HANGUP;
  return { next: step.next, outcome: 'answered' };
}
