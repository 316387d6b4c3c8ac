import { type CallbackOutcome, type CallbackState, callbackTransition } from './callback.js';
import type { Reservation } from './entries.js';
import type { CallbackPolicy } from './schema.js';

/** One `acd.callback` step of a request's timeline, as written while it was carried out. */
export interface CallbackStep {
  at: number;
  step: string;
  attempt?: number;
  reason?: string;
  retryAt?: number;
}

/**
 * The steps of the latest request on a call's timeline: a call may have had one callback closed (called
 * back, cancelled) before another was scheduled on it. Empty when it never had one.
 */
export function currentRequest<T extends { step: string }>(steps: readonly T[]): readonly T[] {
  const from = steps.findLastIndex((s) => s.step === 'requested');
  return from < 0 ? [] : steps.slice(from);
}

/** The agent a request is still kept for after a restart: as requested, unless that agent declined it since. */
export function reservationAfterRestart(
  steps: readonly (CallbackStep & { reservedFor?: Reservation })[],
): Reservation | undefined {
  const request = currentRequest(steps);
  if (request.some((s) => s.step === 'released')) return undefined;
  return request[0]?.reservedFor;
}

export type CallbackAfterRestart =
  /** Put it back in line with this state (pending, or waiting to retry). */
  | { type: 'restore'; state: CallbackState }
  /** It is over by its own steps, but its end was never written: write it with this reason. */
  | { type: 'close'; reason: 'completed' | 'max_attempts' | 'message_left'; attempts: number }
  /** Nothing to do: never requested, or closed already. */
  | { type: 'none' };

const OUTCOMES: readonly string[] = [
  'connected',
  'no_answer',
  'busy',
  'failed',
  'machine',
  'message_left',
] satisfies CallbackOutcome[];

/**
 * What became of a callback request when the service stopped, read from its timeline steps in order. The
 * request's state was in memory only, so it is rebuilt here: attempts are the dial attempts started; an
 * attempt cut short by the stop (dialing, no result) counts as failed, under the policy like any other, as
 * does a result the stop kept from its retry decision; a scheduled retry keeps its time; a conversation
 * that began (connected) completes the request.
 */
export function callbackAfterRestart(
  allSteps: readonly CallbackStep[],
  policy: CallbackPolicy,
  now: number,
): CallbackAfterRestart {
  // A reservation given up is no step of the request's own course.
  const steps = currentRequest(allSteps).filter((s) => s.step !== 'released');
  const requested = steps[0];
  if (!requested || steps.some((s) => s.step === 'closed')) return { type: 'none' };
  const attempts = Math.max(0, ...steps.filter((s) => s.step === 'dialing').map((s) => s.attempt ?? 0));
  if (steps.some((s) => s.step === 'connected')) return { type: 'close', reason: 'completed', attempts };
  const waiting: CallbackState = {
    status: 'pending',
    attempts,
    requestedAt: requested.at,
    notBefore: null,
    lastOutcome: null,
    closedReason: null,
  };
  const last = steps[steps.length - 1]!;
  // A retry waits for its time, also when an earlier restart already put the request back (restored) or a
  // supervisor moved it (moved); so does a callback scheduled for later, not yet due (requested with its time).
  const waitsForItsTime = last.step === 'restored' || last.step === 'requested' || last.step === 'moved';
  if (last.step === 'retry-scheduled' || (waitsForItsTime && last.retryAt !== undefined)) {
    const notBefore = last.retryAt ?? now;
    return {
      type: 'restore',
      state: notBefore > now ? { ...waiting, status: 'retry_wait', notBefore } : waiting,
    };
  }
  if (last.step !== 'dialing') return { type: 'restore', state: waiting }; // requested, due, restored
  // The last attempt's result, if the stop let it be written, or a failure: it never reached the customer.
  const outcome = OUTCOMES.includes(last.reason ?? '') ? (last.reason as CallbackOutcome) : 'failed';
  const result = callbackTransition(
    { ...waiting, status: 'attempting' },
    { type: 'attemptResult', outcome },
    policy,
    now,
  );
  if (!result.ok) return { type: 'restore', state: waiting };
  const state = result.state;
  if (state.status === 'closed') {
    return {
      type: 'close',
      reason:
        state.closedReason === 'completed' || state.closedReason === 'message_left'
          ? state.closedReason
          : 'max_attempts',
      attempts,
    };
  }
  return { type: 'restore', state };
}
