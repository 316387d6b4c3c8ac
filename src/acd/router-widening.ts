import { type RouterCore, timerKey } from './router-core.js';
import { nextWideningAt, wideningAt } from './widening.js';

/**
 * Each waiting caller whose queue widens as they wait (`widening`): a step that came into force since the
 * last event is said once (on the caller's record and the live stream), and a timer is set for the next one,
 * so routing runs the moment more agents may take the call, not at the next event. Run after every event,
 * before routing. The step in force when the caller is first seen in a queue (a new caller, one moved or
 * restored, definitions changed) is taken as known, not said.
 */
export function widenWaiting(core: RouterCore): void {
  for (const entry of core.state.entries) {
    if (entry.kind !== 'caller') continue;
    const queue = core.queueOf(entry);
    if (!queue.widening) continue;
    const waited = core.now - entry.queueEnteredAt;
    const widening = wideningAt(queue, waited);
    const step = widening?.step ?? -1;
    const known = entry.widenedIn?.queueId === queue.id ? entry.widenedIn.step : undefined;
    if (widening && known !== undefined && step > known)
      core.emit({ type: 'widened', interactionId: entry.interactionId, queueId: queue.id, widening });
    entry.widenedIn = { queueId: queue.id, step };
    const key = timerKey('widen', entry.interactionId);
    const next = nextWideningAt(queue, entry.queueEnteredAt, waited);
    if (next === undefined) core.cancel(key);
    else if (core.state.timers[key] !== next) core.schedule(key, next);
  }
}
