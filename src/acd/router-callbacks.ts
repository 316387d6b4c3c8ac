import { callbackTransition, newCallback } from './callback.js';
import { isVip, type WaitingEntry, waitingEntry } from './entries.js';
import { type RouterCore, timerKey } from './router-core.js';
import { policyOf, withdrawOffers } from './router-seats.js';
import { registerCallback } from './router-targets.js';
import type { RouterInput } from './router-types.js';
import type { QueueDefinition } from './schema.js';

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

function closeCallback(
  core: RouterCore,
  entry: WaitingEntry,
  cancelledBy?: InputOf<'cancelCallback'>['cancelledBy'],
  detail?: string,
): void {
  core.removeEntry(entry.interactionId);
  const { callback } = entry;
  if (!callback) return;
  core.emit({
    type: 'callbackClosed',
    interactionId: entry.interactionId,
    queueId: entry.queueId,
    reason: callback.closedReason ?? 'cancelled',
    attempts: callback.attempts,
    ...(cancelledBy ? { cancelledBy } : {}),
    ...(detail ? { detail } : {}),
  });
}

/**
 * A callback whose turn came while its number may no longer be called (a supervisor blocked it since it was
 * booked, or the outbound rules changed): closed as `not_allowed`, with why, never dialled. True when it was.
 */
export function closeIfBarred(core: RouterCore, entry: WaitingEntry): boolean {
  if (!entry.callback || core.callbackBlocker(entry.callerNumber) !== 'not_allowed') return false;
  const result = callbackTransition(entry.callback, { type: 'barred' }, policyOf(core, entry), core.now);
  if (!result.ok) return false;
  entry.callback = result.state;
  closeCallback(
    core,
    entry,
    undefined,
    `"${entry.callerNumber}" may not be called back: ${core.numberRefusal(entry.callerNumber)}`,
  );
  return true;
}

/** The longest ahead a callback may be scheduled: further out, it is a note in a CRM, not a queue's work. */
export const MAX_SCHEDULE_AHEAD_MS = 180 * 24 * 3600_000;

/**
 * A callback for a later time joins the line now, waiting for `at` as a retry waits for its time; then it
 * is due as any callback request (callback hours, the free agent rung first, the retry policy).
 */
export function scheduleCallback(core: RouterCore, input: InputOf<'scheduleCallback'>): void {
  if (!(input.at > core.now && input.at <= core.now + MAX_SCHEDULE_AHEAD_MS)) {
    core.refuse(
      input.type,
      'INVALID_TIME',
      `A callback is scheduled for a time after now and at most 180 days ahead, not ${new Date(input.at).toISOString()}.`,
    );
    return;
  }
  const queue = core.queueToJoin(input);
  if (!queue) return;
  const blocked = core.callbackBlocker(input.callerNumber);
  if (blocked) {
    core.refuse(
      input.type,
      blocked === 'no_number' ? 'NO_CALLBACK_NUMBER' : 'CALLBACK_NUMBER_NOT_ALLOWED',
      blocked === 'no_number'
        ? `"${input.callerNumber}" is not a number that can be called back.`
        : `"${input.callerNumber}" may not be called back: ${core.numberRefusal(input.callerNumber)}.`,
    );
    return;
  }
  const reserved = input.reservedFor;
  if (reserved && !core.members.get(queue.id)?.some((m) => m.agentId === reserved.agentId)) {
    core.refuse(
      input.type,
      'NOT_A_MEMBER',
      `Agent "${reserved.agentId}" is not a member of queue "${queue.id}", so a callback there cannot be kept for them.`,
    );
    return;
  }
  if (reserved && reserved.until <= input.at) {
    core.refuse(input.type, 'INVALID_TIME', 'A callback is kept for its agent until a time after it is due.');
    return;
  }
  bookForLater(core, queue, input);
}

/** A callback for later, its request checked: in line now, waiting for its time as a retry waits. */
function bookForLater(
  core: RouterCore,
  queue: QueueDefinition,
  input: InputOf<'scheduleCallback'>,
  recovery = false,
): void {
  const reserved = input.reservedFor;
  const entry = waitingEntry(queue, {
    interactionId: input.interactionId,
    kind: 'callback',
    callerNumber: input.callerNumber,
    basePriority: input.priority ?? 0,
    requiredSkills: input.skills ?? {},
    // Its place in line is that of a caller arriving when it is due: not ahead of those already waiting then.
    enqueuedAt: input.at,
    queueEnteredAt: input.at,
    callback: { ...newCallback(core.now), status: 'retry_wait', notBefore: input.at },
    ...(reserved ? { reservedFor: { ...reserved } } : {}),
    ...(recovery ? { recovery: true as const } : {}),
    ...('campaign' in input.requestedBy ? { campaign: true as const } : {}),
  });
  core.state.entries.push(entry);
  core.schedule(timerKey('cbretry', entry.interactionId), input.at);
  core.emit({
    type: 'callbackScheduled',
    interactionId: entry.interactionId,
    queueId: queue.id,
    callerNumber: entry.callerNumber,
    at: input.at,
    priority: entry.basePriority,
    skills: { ...entry.requiredSkills },
    ...(reserved ? { reservedFor: { ...reserved } } : {}),
    requestedBy: input.requestedBy,
    ...(input.note ? { note: input.note } : {}),
  });
}

/**
 * Whether a caller who just gave up waiting is to be called back by their queue (`abandonedCallback`):
 * `book` when they waited long enough and may be; a reason when they waited long enough but may not;
 * nothing when the queue does not call back, or they hung up too soon to have been waiting for anyone.
 */
export function abandonedCallbackFor(
  core: RouterCore,
  entry: WaitingEntry,
  waitedMs: number,
): 'book' | 'no_number' | 'not_allowed' | 'callback_open' | undefined {
  const recovery = core.queueOf(entry).abandonedCallback;
  if (!recovery || entry.kind !== 'caller' || waitedMs < (recovery.minWaitSeconds ?? 10) * 1000)
    return undefined;
  const blocked = core.callbackBlocker(entry.callerNumber);
  if (blocked) return blocked;
  // One callback per customer: a request open for the number (any queue) will reach them.
  const open = core.state.entries.some((e) => e.callback && e.callerNumber === entry.callerNumber);
  return open ? 'callback_open' : 'book';
}

/** Books the queue's callback for a caller who gave up waiting (see abandonedCallbackFor). */
export function bookAbandonedCallback(core: RouterCore, entry: WaitingEntry, waitedMs: number): void {
  const queue = core.queueOf(entry);
  const delaySeconds = queue.abandonedCallback?.delaySeconds ?? 60;
  bookForLater(
    core,
    queue,
    {
      type: 'scheduleCallback',
      interactionId: entry.interactionId,
      queueId: queue.id,
      callerNumber: entry.callerNumber,
      at: core.now + Math.max(1, delaySeconds) * 1000,
      priority: entry.basePriority,
      skills: entry.requiredSkills,
      requestedBy: { abandoned: { waitedSeconds: Math.round(waitedMs / 100) / 10 } },
    },
    true,
  );
}

/**
 * A customer the queue was to call back after they gave up waiting, or an outbound campaign was to call,
 * called (again) and reached an agent: that call is no longer needed (not while it is dialling them: that
 * attempt ends as it ends). A callback a person booked stays: it may be about something else.
 */
export function cancelAbandonedCallbacks(
  core: RouterCore,
  callerNumber: string,
  reached: { interactionId: string; agentId: string },
): void {
  // On every connected call: only the (rare) queue's or campaign's own callbacks for this number are copied out.
  const recoveries = core.state.entries.filter(
    (e) =>
      (e.recovery || e.campaign) &&
      e.callback &&
      e.callerNumber === callerNumber &&
      e.status.type !== 'dialing',
  );
  for (const entry of recoveries) {
    if (!entry.callback) continue;
    const result = callbackTransition(entry.callback, { type: 'cancel' }, policyOf(core, entry), core.now);
    if (!result.ok) continue;
    withdrawOffers(core, entry, 'callback_cancelled');
    entry.callback = result.state;
    closeCallback(
      core,
      entry,
      undefined,
      entry.campaign
        ? `they called in and reached ${reached.agentId} (call ${reached.interactionId}): no need to call them`
        : `they called again and reached ${reached.agentId} (call ${reached.interactionId}): no need to call back`,
    );
  }
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
  if (entry.status.type === 'dialing') {
    // The customer's phone is ringing for an agent who is waiting on it: that attempt ends as it ends.
    core.refuse(
      input.type,
      'CALLBACK_DIALING',
      `Callback "${entry.interactionId}" is dialling the customer now; it cannot be cancelled mid-attempt.`,
    );
    return;
  }
  const result = callbackTransition(entry.callback, { type: 'cancel' }, policyOf(core, entry), core.now);
  if (!result.ok) {
    core.refuse(input.type, result.code, result.reason);
    return;
  }
  withdrawOffers(core, entry, 'callback_cancelled');
  entry.callback = result.state;
  closeCallback(core, entry, input.cancelledBy);
}

/**
 * A supervisor sends a callback request to another queue (booked in the wrong one, or that queue's agents
 * are better placed): not while an agent is being offered it or is dialling the customer, nor a campaign's
 * call (its campaign's queue calls it). It keeps its first arrival (its place), its time and attempts; the
 * new queue's callback hours and policy apply from now. Kept for an agent who is not in the new queue, it is
 * the new queue's to take.
 */
export function moveCallback(core: RouterCore, input: InputOf<'moveCallback'>): void {
  const entry = callbackEntry(core, input);
  if (!entry?.callback) return;
  if (entry.status.type !== 'waiting') {
    core.refuse(
      input.type,
      'CALLBACK_DIALING',
      `Callback "${entry.interactionId}" is with an agent now (offered, or dialling the customer); move it once that attempt is over.`,
    );
    return;
  }
  if (entry.campaign) {
    core.refuse(
      input.type,
      'CAMPAIGN_CALL',
      `Callback "${entry.interactionId}" is a call of an outbound campaign: its campaign's queue calls it.`,
    );
    return;
  }
  const to = core.queues.get(input.toQueueId);
  if (!to) {
    core.refuse(input.type, 'UNKNOWN_QUEUE', `Queue "${input.toQueueId}" does not exist.`);
    return;
  }
  const fromQueueId = entry.queueId;
  if (to.id === fromQueueId) {
    core.refuse(input.type, 'SAME_QUEUE', `The callback waits in queue "${to.id}" already.`);
    return;
  }
  const kept = entry.reservedFor?.agentId;
  const releasedFrom =
    kept !== undefined && !core.members.get(to.id)?.some((m) => m.agentId === kept) ? kept : undefined;
  if (releasedFrom !== undefined) delete entry.reservedFor;
  // Not first there: a supervisor's "first" was for the queue it left; VIP is the new queue's list.
  delete entry.putFirst;
  entry.queueId = to.id;
  entry.vip = isVip(to, entry.callerNumber);
  const { callback } = entry;
  core.emit({
    type: 'callbackMoved',
    interactionId: entry.interactionId,
    fromQueueId,
    toQueueId: to.id,
    position: core.position(entry),
    attempts: callback.attempts,
    notBefore: callback.status === 'retry_wait' ? callback.notBefore : null,
    ...(releasedFrom !== undefined ? { releasedFrom } : {}),
    ...(input.supervisor ? { supervisor: input.supervisor } : {}),
  });
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
    ...(input.recovery ? { recovery: true as const } : {}),
    ...(input.campaign ? { campaign: true as const } : {}),
    requiredSkills: input.skills,
    enqueuedAt: input.enqueuedAt,
    queueEnteredAt: input.enqueuedAt,
    callback: { ...callback },
    ...(input.lastAgent ? { lastAgent: input.lastAgent } : {}),
    ...(input.reservedFor ? { reservedFor: { ...input.reservedFor } } : {}),
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
