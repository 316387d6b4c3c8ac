import { callbackTransition } from './callback.js';
import { parseTimerKey, type RouterCore, timerKey } from './router-core.js';
import { applySeat, policyOf } from './router-seats.js';
import type { RouterInput } from './router-types.js';
import { DEFAULT_MUSIC_ON_HOLD_CLASS } from './schema.js';

/**
 * A timer the router asked for has fired. Timers that were cancelled or replaced are refused as
 * STALE_TIMER, early ones as TIMER_NOT_DUE, so a racing scheduler can never act twice.
 */
export function timerFired(core: RouterCore, input: Extract<RouterInput, { type: 'timerFired' }>): void {
  const due = core.state.timers[input.key];
  const parsed = parseTimerKey(input.key);
  if (due === undefined || !parsed) {
    core.refuse(
      input.type,
      'STALE_TIMER',
      `Timer "${input.key}" is not pending (cancelled, replaced or unknown).`,
    );
    return;
  }
  if (core.now < due) {
    core.refuse(
      input.type,
      'TIMER_NOT_DUE',
      `Timer "${input.key}" is due at ${new Date(due).toISOString()}.`,
    );
    return;
  }
  delete core.state.timers[input.key];
  const entry = core.entry(parsed.id);
  switch (parsed.kind) {
    case 'maxwait': // overflowOverdue() runs after every event and handles it
    case 'cbopen': // routing runs after every event; the hours are open now
    case 'lastagent': // routing runs after every event; the caller no longer waits for its last agent
    case 'reserved': // likewise: a personal callback's reservation is over, anyone in its queue may take it
    case 'widen': // likewise: the caller's queue lets more agents take it now (widenWaiting says so)
      return;
    case 'announce': {
      if (entry?.kind !== 'caller') return;
      const announce = core.queueOf(entry).announce;
      const every = announce?.everySeconds ?? 0;
      if (every > 0) core.schedule(input.key, core.now + every * 1000);
      if (entry.status.type !== 'waiting') return; // ringing an agent: do not talk over it
      core.emit({
        type: 'announce',
        interactionId: entry.interactionId,
        queueId: entry.queueId,
        position: core.position(entry),
        estimatedWaitSeconds: core.estimate(entry),
        sayPosition: announce?.position ?? true,
        sayEstimatedWait: announce?.estimatedWait ?? false,
        sounds: announce?.sounds ?? [],
        musicOnHoldClass: announce?.musicOnHoldClass ?? DEFAULT_MUSIC_ON_HOLD_CLASS,
      });
      return;
    }
    case 'ring': {
      if (entry?.status.type !== 'offering') return;
      for (const agentId of entry.status.agentIds) {
        core.emit({
          type: 'cancelOffer',
          interactionId: entry.interactionId,
          agentId,
          reason: 'ring_timeout',
        });
        applySeat(core, agentId, { type: 'ringTimeout', interactionId: entry.interactionId }, input.type);
      }
      return;
    }
    case 'wrap':
      applySeat(core, parsed.id, { type: 'wrapUpExpired' }, input.type);
      return;
    case 'declined': // the agents who declined may be offered this caller again; routing runs after this
      if (entry) entry.declinedBy = [];
      return;
    case 'cbretry': {
      if (!entry?.callback) return;
      const result = callbackTransition(
        entry.callback,
        { type: 'retryDue' },
        policyOf(core, entry),
        core.now,
      );
      if (!result.ok) {
        core.refuse(input.type, result.code, result.reason);
        return;
      }
      entry.callback = result.state;
      return;
    }
  }
}

/**
 * Queue definitions changed under callers already waiting: their max-wait and announcement timers were
 * set under the old ones. Max wait moves to the new deadline from when each entered its queue (one already
 * past overflows on this pass), or goes; announcements start or stop.
 */
export function queuesChanged(core: RouterCore): void {
  for (const entry of core.state.entries) {
    if (entry.kind !== 'caller') continue;
    const queue = core.queueOf(entry);
    const maxwait = timerKey('maxwait', entry.interactionId);
    if (queue.maxWaitSeconds === undefined) core.cancel(maxwait);
    else {
      const due = entry.queueEnteredAt + queue.maxWaitSeconds * 1000;
      if (core.state.timers[maxwait] !== due) core.schedule(maxwait, due);
    }
    // Steps may have moved or gone: the one in force now is taken as known, not said again.
    entry.widenedIn = undefined;
    const announce = timerKey('announce', entry.interactionId);
    const every = queue.announce?.everySeconds ?? 0;
    if (every <= 0) core.cancel(announce);
    else if (core.state.timers[announce] === undefined) core.schedule(announce, core.now + every * 1000);
  }
}
