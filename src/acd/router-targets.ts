import { newCallback } from './callback.js';
import { effectivePriority, isVip, type WaitingEntry } from './entries.js';
import { type RouterCore, timerKey } from './router-core.js';
import { DEFAULT_MUSIC_ON_HOLD_CLASS, type QueueTarget } from './schema.js';

const HANGUP: QueueTarget = { type: 'hangup' };

/**
 * Puts an entry (not yet in the line) into its queue, unless the queue has nobody logged in and a
 * fallback (→ fallback immediately, no endless wait) or is full (→ queue-full target).
 */
export function placeEntry(core: RouterCore, entry: WaitingEntry, depth: number): void {
  const queue = core.queueOf(entry);
  const { interactionId } = entry;
  if (entry.kind === 'caller' && queue.noAgentsFallback && core.staffedMembers(queue.id).length === 0) {
    const target = queue.noAgentsFallback;
    core.emit({ type: 'fallback', interactionId, queueId: queue.id, target, reason: 'no_agents_logged_in' });
    sendToTarget(core, entry, target, depth + 1);
    return;
  }
  const callersWaiting = core.state.entries.filter(
    (e) => e.queueId === queue.id && e.kind === 'caller',
  ).length;
  // A caller put back at the front (its offer or its agent failed) had its place already: not "full".
  const { maxLength } = queue;
  if (
    entry.kind === 'caller' &&
    maxLength !== undefined &&
    callersWaiting >= maxLength &&
    !entry.frontOfLine
  ) {
    const target = queue.queueFullTarget ?? queue.overflowTarget ?? HANGUP;
    core.emit({
      type: 'rejectedQueueFull',
      interactionId,
      queueId: queue.id,
      maxLength,
      target,
    });
    sendToTarget(core, entry, target, depth + 1);
    return;
  }
  core.state.entries.push(entry);
  core.emit({
    type: 'enqueued',
    interactionId,
    queueId: queue.id,
    position: core.position(entry),
    priority: effectivePriority(entry, queue, core.now),
    basePriority: entry.basePriority,
    skills: entry.requiredSkills,
    estimatedWaitSeconds: core.estimate(entry),
    musicOnHoldClass: queue.announce?.musicOnHoldClass ?? DEFAULT_MUSIC_ON_HOLD_CLASS,
    queueEnteredAt: entry.queueEnteredAt,
    front: entry.frontOfLine ?? false,
    ...(entry.kind === 'caller' && entry.reservedFor ? { reservedFor: { ...entry.reservedFor } } : {}),
  });
  if (entry.kind !== 'caller') return;
  if (queue.maxWaitSeconds !== undefined) {
    core.schedule(timerKey('maxwait', interactionId), entry.queueEnteredAt + queue.maxWaitSeconds * 1000);
  }
  const every = queue.announce?.everySeconds ?? 0;
  if (every > 0) core.schedule(timerKey('announce', interactionId), core.now + every * 1000);
}

/**
 * Turns a caller entry into a callback request at the same place in line (original arrival time kept), to
 * be called back on `number` (the caller's own unless they gave another).
 */
export function registerCallback(
  core: RouterCore,
  entry: WaitingEntry,
  number: string = entry.callerNumber,
): void {
  const callback: WaitingEntry = {
    ...entry,
    callerNumber: number,
    kind: 'callback',
    status: { type: 'waiting' },
    callback: entry.callback ?? newCallback(core.now),
  };
  core.removeEntry(entry.interactionId);
  core.state.entries.push(callback);
  core.emit({
    type: 'callbackRegistered',
    interactionId: entry.interactionId,
    queueId: entry.queueId,
    position: core.position(callback),
    callerNumber: number,
    priority: entry.basePriority,
    skills: entry.requiredSkills,
    enqueuedAt: entry.enqueuedAt,
  });
}

/** A callback way out the caller's number rules out (withheld, barred): they wait on, or leave. */
export function callbackUnavailable(
  core: RouterCore,
  entry: WaitingEntry,
  queueId: string,
  reason: 'no_number' | 'not_allowed',
  keepsWaiting: boolean,
): void {
  core.emit({
    type: 'callbackUnavailable',
    interactionId: entry.interactionId,
    queueId,
    reason,
    keepsWaiting,
    musicOnHoldClass: core.queues.get(queueId)?.announce?.musicOnHoldClass ?? DEFAULT_MUSIC_ON_HOLD_CLASS,
  });
}

/**
 * Carries out a target for an entry that has left its line (the decision naming the target has already
 * been emitted): another queue, a callback in the current queue, or nothing more (voicemail, hangup).
 */
export function sendToTarget(
  core: RouterCore,
  entry: WaitingEntry,
  target: QueueTarget,
  depth: number,
): void {
  // Validation forbids cycles; this guard keeps a bad runtime config from recursing forever.
  if (depth > core.queues.size + 1) {
    core.refuse(
      'callerArrived',
      'TARGET_LOOP',
      `Interaction "${entry.interactionId}" looped between queues; hanging up.`,
    );
    return;
  }
  switch (target.type) {
    case 'queue':
      if (!core.queues.has(target.queueId)) {
        core.refuse('callerArrived', 'UNKNOWN_QUEUE', `Target queue "${target.queueId}" does not exist.`);
        return;
      }
      placeEntry(
        core,
        {
          ...entry,
          queueId: target.queueId,
          // VIP is per queue: the caller is one if the queue it moves to lists the number.
          vip: isVip(core.queues.get(target.queueId)!, entry.callerNumber),
          queueEnteredAt: core.now,
          frontOfLine: false,
          declinedBy: [],
          status: { type: 'waiting' },
        },
        depth,
      );
      return;
    case 'callback': {
      const blocked = core.callbackBlocker(entry.callerNumber);
      if (blocked) {
        // Not in line (queue full, no agents): nothing to keep waiting in; the runtime apologises.
        callbackUnavailable(core, entry, entry.queueId, blocked, false);
        return;
      }
      registerCallback(core, entry);
      return;
    }
    case 'voicemail':
    case 'hangup':
      return;
  }
}

/** When the last logged-in member leaves, callers still waiting go to the queue's no-agents fallback. */
export function fallbackUnstaffedQueues(core: RouterCore, agentId: string): void {
  for (const membership of core.agents.get(agentId)?.queues ?? []) {
    const queue = core.queues.get(membership.queueId);
    if (!queue?.noAgentsFallback || core.staffedMembers(queue.id).length > 0) continue;
    for (const entry of core.line(queue.id)) {
      if (entry.kind !== 'caller' || entry.status.type !== 'waiting') continue;
      core.removeEntry(entry.interactionId);
      const target = queue.noAgentsFallback;
      core.emit({
        type: 'fallback',
        interactionId: entry.interactionId,
        queueId: queue.id,
        target,
        reason: 'no_agents_logged_in',
      });
      sendToTarget(core, entry, target, 1);
    }
  }
}

/**
 * Max wait: a waiting caller past its deadline overflows. A caller that is ringing an agent is not
 * pulled away; it overflows as soon as that offer fails (checked after every event).
 */
export function overflowOverdue(core: RouterCore): void {
  for (const entry of [...core.state.entries]) {
    const queue = core.queueOf(entry);
    if (entry.kind !== 'caller' || entry.status.type !== 'waiting') continue;
    if (queue.maxWaitSeconds === undefined || !queue.overflowTarget) continue;
    if (core.now < entry.queueEnteredAt + queue.maxWaitSeconds * 1000) continue;
    const target = queue.overflowTarget;
    const blocked = target.type === 'callback' ? core.callbackBlocker(entry.callerNumber) : undefined;
    if (blocked) {
      // A caller who cannot be called back: better served late than cut off. Said once.
      if (!entry.callbackUnavailable) {
        entry.callbackUnavailable = true;
        callbackUnavailable(core, entry, queue.id, blocked, true);
      }
      continue;
    }
    core.removeEntry(entry.interactionId);
    core.emit({
      type: 'overflow',
      interactionId: entry.interactionId,
      fromQueueId: queue.id,
      target,
      reason: 'max_wait',
    });
    sendToTarget(core, entry, target, 1);
  }
}
