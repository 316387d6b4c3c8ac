import type { InteractionLog } from './interaction-log.js';

/**
 * Resolves once every write queued before this call is committed. Writes are group-committed (on a worker
 * thread for a file database), so a read on this thread's connection can run before a write that was
 * queued earlier is visible: an agent's screen pop asked for as the phone rings, or a supervisor reading a
 * call a moment after an event. An empty write at the back of the queue is that barrier.
 */
export function afterQueuedWrites(log: InteractionLog): Promise<void> {
  return log.commit.run(async () => undefined);
}
