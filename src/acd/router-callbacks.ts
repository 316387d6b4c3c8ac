import { callbackTransition } from './callback.js';
import { type WaitingEntry, waitingEntry } from './entries.js';
import { type RouterCore, timerKey } from './router-core.js';
import { policyOf, withdrawOffers } from './router-seats.js';
import { registerCallback } from './router-targets.js';
import type { RouterInput } from './router-types.js';

type InputOf<T extends RouterInput['type']> = Extract<RouterInput, { type: T }>;

/** Router handlers for callback requests: registering, dial results (retry policy) and cancelling. */

export function requestCallback(core: RouterCore, input: InputOf<'requestCallback'>): void {
  const entry = core.callerEntry(input);
  if (!entry) return;
  const number = input.number ?? entry.callerNumber;
  const blocked = core.callbackBlocker(number);
  if (blocked) {
    core.refuse(
      input.type,
      blocked === 'no_number' ? 'NO_CALLBACK_NUMBER' : 'CALLBACK_NUMBER_NOT_ALLOWED',
      blocked === 'no_number'
        ? `"${number}" is not a number that can be called back; the caller keeps their place in line.`
        : `"${number}" may not be called back: ${core.numberRefusal(number)}; the caller keeps their place in line.`,
    );
    return;
  }
  withdrawOffers(core, entry, 'caller_left');
  registerCallback(core, entry, number);
}

function callbackEntry(
  core: RouterCore,
  input: RouterInput & { interactionId: string },
): WaitingEntry | undefined {
  const entry = core.entry(input.interactionId);
  if (!entry?.callback) {
    core.refuse(
      input.type,
      'NOT_A_CALLBACK',
      `Interaction "${input.interactionId}" is not a queued callback.`,
    );
    return undefined;
  }
  return entry;
}

function closeCallback(core: RouterCore, entry: WaitingEntry): void {
  core.removeEntry(entry.interactionId);
  const { callback } = entry;
  if (!callback) return;
  core.emit({
    type: 'callbackClosed',
    interactionId: entry.interactionId,
    queueId: entry.queueId,
    reason: callback.closedReason ?? 'cancelled',
    attempts: callback.attempts,
  });
}

export function callbackResult(core: RouterCore, input: InputOf<'callbackResult'>): void {
  const entry = callbackEntry(core, input);
  if (!entry?.callback) return;
  const result = callbackTransition(
    entry.callback,
    { type: 'attemptResult', outcome: input.outcome },
    policyOf(core, entry),
    core.now,
  );
  if (!result.ok) {
    core.refuse(input.type, result.code, result.reason);
    return;
  }
  entry.callback = result.state;
  entry.status = { type: 'waiting' };
  if (result.state.status === 'closed') {
    closeCallback(core, entry);
    return;
  }
  for (const effect of result.effects) {
    if (effect.type !== 'scheduleRetry') continue;
    core.schedule(timerKey('cbretry', entry.interactionId), effect.at);
    const attempts = result.state.attempts;
    core.emit({
      type: 'callbackRetryScheduled',
      interactionId: entry.interactionId,
      queueId: entry.queueId,
      at: effect.at,
      attempts,
    });
  }
}

export function cancelCallback(core: RouterCore, input: InputOf<'cancelCallback'>): void {
  const entry = callbackEntry(core, input);
  if (!entry?.callback) return;
  const result = callbackTransition(entry.callback, { type: 'cancel' }, policyOf(core, entry), core.now);
  if (!result.ok) {
    core.refuse(input.type, result.code, result.reason);
    return;
  }
  withdrawOffers(core, entry, 'callback_cancelled');
  entry.callback = result.state;
  closeCallback(core, entry);
}

/**
 * A callback request from before a restart, back in its queue: its first arrival keeps its place in line,
 * its attempts count against the policy, and a pending retry waits for its time again.
 */
export function restoreCallback(core: RouterCore, input: InputOf<'restoreCallback'>): void {
  const queue = core.queueToJoin(input);
  if (!queue) return;
  const { callback } = input;
  if (callback.status !== 'pending' && callback.status !== 'retry_wait') {
    core.refuse(
      input.type,
      'CALLBACK_NOT_WAITING',
      `A callback can be restored only pending or waiting to retry, not "${callback.status}".`,
    );
    return;
  }
  const entry = waitingEntry(queue, {
    interactionId: input.interactionId,
    kind: 'callback',
    callerNumber: input.callerNumber,
    basePriority: input.priority,
    requiredSkills: input.skills,
    enqueuedAt: input.enqueuedAt,
    queueEnteredAt: input.enqueuedAt,
    callback: { ...callback },
    ...(input.lastAgent ? { lastAgent: input.lastAgent } : {}),
  });
  core.state.entries.push(entry);
  if (callback.status === 'retry_wait' && callback.notBefore !== null) {
    core.schedule(timerKey('cbretry', entry.interactionId), callback.notBefore);
  }
  core.emit({
    type: 'callbackRestored',
    interactionId: entry.interactionId,
    queueId: entry.queueId,
    position: core.position(entry),
    attempts: callback.attempts,
    notBefore: callback.status === 'retry_wait' ? callback.notBefore : null,
  });
}
