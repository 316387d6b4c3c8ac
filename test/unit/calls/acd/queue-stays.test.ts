/**
 * Each queue's stays (queue_visits, what its figures are read from) as the real AcdRuntime moves callers
 * between queues, written through the real InteractionLog (in-memory SQLite, seat-rig.ts).
 */
import { describe, expect, it } from 'vitest';
import { rig, tick } from '../seat/seat-rig.js';

async function stays(r: Awaited<ReturnType<typeof rig>>, queueId: string) {
  await r.log.afterQueuedWrites();
  return (await r.log.queueRecords(queueId, 0)).map((s) => ({
    flowedOut: Boolean(s.flowedOut),
    abandoned: s.abandoned,
    answered: s.answeredAt !== undefined,
  }));
}

const waiting = { flowedOut: false, abandoned: false, answered: false };
const flowedOut = { flowedOut: true, abandoned: false, answered: false };

describe('queue stays of a caller sent on from a queue it could not wait in', () => {
  it('a full queue sends the caller to another queue: flowed out of the full one, still waiting in the other', async () => {
    const r = await rig({ sales: { maxLength: 1, queueFullTarget: { type: 'queue', queueId: 'support' } } });
    const first = await r.caller('sales', '+15550000001');
    const second = await r.caller('sales', '+15550000002'); // sales is full: on to support
    await tick(20);
    expect(r.acd.router.waiting(r.clock.t).map((e) => [e.interactionId, e.queueId])).toEqual([
      [first.interactionId, 'sales'],
      [second.interactionId, 'support'],
    ]);
    expect(await stays(r, 'sales')).toEqual([waiting, flowedOut]);
    expect(await stays(r, 'support')).toEqual([waiting]);
    r.acd.stop();
  });

  it('a queue with nobody logged in sends the caller on: offered and flowed out there too', async () => {
    const r = await rig({ sales: { noAgentsFallback: { type: 'queue', queueId: 'support' } } });
    const c = await r.caller('sales');
    await tick(20);
    expect(r.acd.router.waiting(r.clock.t).map((e) => [e.interactionId, e.queueId])).toEqual([
      [c.interactionId, 'support'],
    ]);
    expect(await stays(r, 'sales')).toEqual([flowedOut]);
    expect(await stays(r, 'support')).toEqual([waiting]);
    r.acd.stop();
  });
});
