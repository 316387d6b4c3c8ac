import type { CallbackPolicy } from './schema.js';

/**
 * A callback request's life: pending (waiting for its turn) → attempting (agent is dialing the customer)
 * → closed, or → retry_wait → pending again, until the policy's attempts are used up.
 */
export type CallbackStatus = 'pending' | 'attempting' | 'retry_wait' | 'closed';
/**
 * How a dial attempt ended. `machine`: an answering machine answered and was hung up on (not reached, tried
 * again as no answer is); `message_left`: one answered and was left the campaign's message (src/acd/machine-detection.ts).
 */
export type CallbackOutcome = 'connected' | 'no_answer' | 'busy' | 'failed' | 'machine' | 'message_left';
/**
 * `not_allowed`: its turn came and the number may not be called any more (blocked, or barred by the rules);
 * `message_left`: an answering machine was left the message, so it is not called again.
 */
export type CallbackClosedReason =
  | 'completed'
  | 'max_attempts'
  | 'cancelled'
  | 'not_allowed'
  | 'message_left';

export interface CallbackState {
  status: CallbackStatus;
  /** Dial attempts started so far. */
  attempts: number;
  requestedAt: number;
  /** In retry_wait: the earliest time of the next attempt. */
  notBefore: number | null;
  lastOutcome: CallbackOutcome | null;
  closedReason: CallbackClosedReason | null;
}

export type CallbackEvent =
  | { type: 'attemptStarted' }
  | { type: 'attemptResult'; outcome: CallbackOutcome }
  | { type: 'retryDue' }
  | { type: 'cancel' }
  /** Its turn came and the number may not be called any more. */
  | { type: 'barred' };

export type CallbackEffect =
  | { type: 'scheduleRetry'; at: number }
  | { type: 'closed'; reason: CallbackClosedReason };

export type CallbackTransition =
  | { ok: true; state: CallbackState; effects: CallbackEffect[] }
  | { ok: false; code: string; reason: string };

export const DEFAULT_CALLBACK_POLICY: CallbackPolicy = { maxAttempts: 3, retryIntervalSeconds: 600 };

/**
 * Whether a number can be dialled back: digits (an optional leading +, the separators people write), at
 * least 3 of them. A withheld caller ("anonymous", empty) cannot be called back.
 */
export function canCallBack(number: string): boolean {
  return /^\+?\d{3,}$/.test(withoutSeparators(number));
}

/** A phone number without the separators people write in it (spaces, dots, dashes, brackets). */
export function withoutSeparators(number: string): string {
  return number.trim().replace(/[\s().-]/g, '');
}

export function newCallback(now: number): CallbackState {
  return {
    status: 'pending',
    attempts: 0,
    requestedAt: now,
    notBefore: null,
    lastOutcome: null,
    closedReason: null,
  };
}

function refuse(
  state: CallbackState,
  event: CallbackEvent,
  code: string,
  detail: string,
): CallbackTransition {
  return {
    ok: false,
    code,
    reason: `Callback cannot accept "${event.type}" while "${state.status}": ${detail}.`,
  };
}

function close(state: CallbackState, reason: CallbackClosedReason, patch: Partial<CallbackState> = {}) {
  const next: CallbackState = { ...state, ...patch, status: 'closed', notBefore: null, closedReason: reason };
  return { ok: true as const, state: next, effects: [{ type: 'closed' as const, reason }] };
}

/** Pure transition of a callback request under a retry policy. */
export function callbackTransition(
  state: CallbackState,
  event: CallbackEvent,
  policy: CallbackPolicy,
  now: number,
): CallbackTransition {
  if (state.status === 'closed') return refuse(state, event, 'CALLBACK_CLOSED', 'it is already closed');
  switch (event.type) {
    case 'cancel':
      return close(state, 'cancelled');
    case 'barred':
      // A dial under way ends as it ends; the next turn is refused.
      if (state.status === 'attempting')
        return refuse(state, event, 'ATTEMPT_IN_PROGRESS', 'a dial attempt is running');
      return close(state, 'not_allowed');
    case 'attemptStarted':
      if (state.status !== 'pending')
        return refuse(state, event, 'CALLBACK_NOT_PENDING', 'it is not waiting to be dialed');
      return {
        ok: true,
        state: { ...state, status: 'attempting', attempts: state.attempts + 1 },
        effects: [],
      };
    case 'attemptResult': {
      if (state.status !== 'attempting')
        return refuse(state, event, 'NO_ATTEMPT_IN_PROGRESS', 'no dial attempt is running');
      if (event.outcome === 'connected') return close(state, 'completed', { lastOutcome: 'connected' });
      if (event.outcome === 'message_left')
        return close(state, 'message_left', { lastOutcome: 'message_left' });
      if (state.attempts >= policy.maxAttempts)
        return close(state, 'max_attempts', { lastOutcome: event.outcome });
      const at = now + policy.retryIntervalSeconds * 1000;
      const next: CallbackState = {
        ...state,
        status: 'retry_wait',
        notBefore: at,
        lastOutcome: event.outcome,
      };
      return { ok: true, state: next, effects: [{ type: 'scheduleRetry', at }] };
    }
    case 'retryDue':
      if (state.status !== 'retry_wait')
        return refuse(state, event, 'NOT_WAITING_TO_RETRY', 'no retry is scheduled');
      if (state.notBefore !== null && now < state.notBefore) {
        return refuse(
          state,
          event,
          'RETRY_NOT_DUE',
          `the retry is due at ${new Date(state.notBefore).toISOString()}`,
        );
      }
      return { ok: true, state: { ...state, status: 'pending', notBefore: null }, effects: [] };
  }
}
