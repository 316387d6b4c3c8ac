import { lineView } from '../../../acd/line-view.js';
import type { AcdRuntime } from '../../../calls/acd/acd-runtime.js';
import { callbackStepDto } from './schemas.js';

/**
 * The callback requests open now as the queues' lines show them (each queue's own order kept, one queue after
 * the other): all, one queue's, or those calling one number (the screen pop's "a callback is booked").
 */
export function openCallbackRequests(acd: AcdRuntime, only: { queueId?: string; number?: string } = {}) {
  const now = acd.now();
  return acd.router
    .queueIds()
    .filter((id) => only.queueId === undefined || id === only.queueId)
    .flatMap((id) => {
      const queue = acd.router.queue(id)!;
      return lineView(acd.router.waiting(now, id), queue, now).flatMap((place) =>
        place.callback && (only.number === undefined || place.callerNumber === only.number)
          ? [
              {
                interactionId: place.interactionId,
                queueId: id,
                number: place.callerNumber,
                state: place.state,
                callback: callbackStepDto(place.callback),
              },
            ]
          : [],
      );
    });
}
