/**
 * Each queue's stays (queue_visits, what its figures are read from) as the real AcdRuntime moves callers
 * between queues, written through the real InteractionLog (in-memory SQLite, seat-rig.ts).
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { CallSession } from '../../../../src/calls/call-session.js';
import { resumeQueueScript } from '../../../../src/calls/inbound-call.js';
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

describe('a caller who had talked, taken over waiting in a queue after a restart', () => {
  it('is not recorded a second time into the same file when the next agent answers', async () => {
    const r = await rig();
    const channelId = 'caller-restart';
    r.live.add(channelId);
    const call = new CallSession(
      channelId,
      'int-restart',
      r.clock.t,
      {
        telephony: r.telephony as never,
        log: r.log,
        logger: pino({ level: 'silent' }),
        now: () => r.clock.t,
      },
      '+15550000009',
    );
    r.sessions.set(channelId, call);
    await resumeQueueScript(call, r.acd, {
      queueId: 'sales',
      enqueuedAt: r.clock.t - 120_000,
      queueEnteredAt: r.clock.t - 5_000,
      firstConnectedAt: r.clock.t - 100_000,
    });
    r.login('agent1');
    await tick();
    r.answer(r.lastTo('agent1'));
    await tick(20);
    expect(r.state('agent1')).toBe(`talking(${call.routingId})`);
    expect(r.ops.filter((op) => op.startsWith('recordCall'))).toEqual([]);

    // A caller on its first conversation is recorded as ever.
    const fresh = await r.caller('sales');
    r.login('agent2');
    await tick();
    r.answer(r.lastTo('agent2'));
    await tick(20);
    expect(r.ops.filter((op) => op.startsWith('recordCall'))).toEqual([`recordCall ${fresh.channelId}`]);
    r.acd.stop();
  });
});

describe('a caller who hangs up while being bridged to the agent who answered', () => {
  it('ends the stay as abandoned (the router had already taken them out of the line)', async () => {
    const r = await rig();
    r.login('agent1');
    const c = await r.caller('sales');
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const createBridge = r.ari.createBridge;
    r.ari.createBridge = async (o: { bridgeId: string }) => {
      await gate;
      return createBridge(o);
    };
    r.answer(r.lastTo('agent1'));
    await tick();
    r.endChannel(c.channelId); // the caller goes while the bridge is being made
    open();
    await tick(50);
    expect(await stays(r, 'sales')).toEqual([{ flowedOut: false, abandoned: true, answered: false }]);
    expect(r.state('agent1')).not.toBe(`talking(${c.interactionId})`);
    r.acd.stop();
  });
});
