/** The ACD runtime's look-up of a caller's last agent (src/calls/acd/acd-runtime.ts), over a real log. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AcdRuntime } from '../../../../src/calls/acd/acd-runtime.js';
import { migrateToLatest, openDatabase } from '../../../../src/store/database.js';
import { InteractionLog } from '../../../../src/store/interaction-log.js';
import type { Telephony } from '../../../../src/telephony/telephony.js';
import { agentDef, queueDef } from '../../acd/helpers.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 4, 12);

async function rig(lastAgent: { withinDays: number; waitSeconds: number } | undefined) {
  const { db } = openDatabase(':memory:');
  await migrateToLatest(db);
  let ids = 0;
  const log = new InteractionLog(db, () => `i-${++ids}`);
  const served = async (number: string, agentId: string, at: number) => {
    const id = await log.open({ direction: 'inbound', callerNumber: number, startedAt: at });
    await log.record(
      id,
      at + 1000,
      { type: 'call.answered', payload: { channelId: 'c' } },
      { agent_id: agentId, connected_at: at + 1000 },
    );
  };
  const acd = new AcdRuntime({
    telephony: { ari: {} } as unknown as Telephony,
    hub: { publish() {} } as never,
    logger: pino({ level: 'silent' }),
    queues: [queueDef({ id: 'plain' }), queueDef({ id: 'kept', ...(lastAgent ? { lastAgent } : {}) })],
    agents: [agentDef('ann', ['kept']), agentDef('bob', ['kept'])],
    log,
    now: () => NOW,
  });
  return { acd, served, log };
}

describe("the runtime's look-up of a caller's last agent", () => {
  it('finds the last agent within the longest withinDays of any queue, the asking call left out', async () => {
    const { acd, served } = await rig({ withinDays: 10, waitSeconds: 0 });
    await served('+15550001', 'ann', NOW - 20 * DAY);
    await served('+15550001', 'bob', NOW - 2 * DAY);
    await served('+15550002', 'ann', NOW - 20 * DAY);
    expect(await acd.lastAgentOfNumber('+15550001', 'asking')).toEqual({
      agentId: 'bob',
      servedAt: NOW - 2 * DAY + 1000,
    });
    expect(await acd.lastAgentOfNumber('+15550002', 'asking')).toBeUndefined(); // 20 days ago: too old
    acd.stop();
  });

  it('looks nothing up while no queue routes to the last agent, nor for a withheld number', async () => {
    const none = await rig(undefined);
    await none.served('+15550001', 'ann', NOW - DAY);
    expect(none.acd.lastAgentOfNumber('+15550001', 'asking')).toBeUndefined(); // not even a promise
    none.acd.stop();
    const some = await rig({ withinDays: 30, waitSeconds: 0 });
    expect(some.acd.lastAgentOfNumber('anonymous', 'asking')).toBeUndefined();
    expect(some.acd.lastAgentOfNumber('', 'asking')).toBeUndefined();
    some.acd.stop();
  });

  it('a failed look-up costs the caller the preference, not the call', async () => {
    const { acd, log } = await rig({ withinDays: 30, waitSeconds: 0 });
    log.lastAgentOf = () => Promise.reject(new Error('database is locked'));
    await expect(acd.lastAgentOfNumber('+15550001', 'asking')).resolves.toBeUndefined();
    acd.stop();
  });

  it('enqueues an arriving caller with its last agent, at once where no queue routes so, and not once it hung up', async () => {
    const session = (id: string, number: string, ended = false) =>
      ({ routingId: id, interactionId: id, callerNumber: number, isEnded: ended, onEnd() {} }) as never;
    const { acd, served } = await rig({ withinDays: 30, waitSeconds: 0 });
    await served('+15550001', 'bob', NOW - DAY);
    const pending = acd.enqueueArriving(session('c1', '+15550001'), 'kept');
    expect(pending).toBeInstanceOf(Promise); // the look-up comes first
    expect(await pending).toEqual([]);
    expect(acd.router.waiting(NOW, 'kept').map((e) => [e.interactionId, e.lastAgent])).toEqual([
      ['c1', { agentId: 'bob', servedAt: NOW - DAY + 1000 }],
    ]);
    expect(await acd.enqueueArriving(session('c2', '+15550001', true), 'kept')).toEqual([]);
    expect(acd.router.waiting(NOW, 'kept').map((e) => e.interactionId)).toEqual(['c1']);
    acd.stop();

    const none = await rig(undefined);
    const at = none.acd.enqueueArriving(session('c3', '+15550001'), 'kept');
    expect(at).toEqual([]); // no look-up: enqueued in the same tick
    expect(none.acd.router.waiting(NOW, 'kept').map((e) => e.interactionId)).toEqual(['c3']);
    none.acd.stop();
  });
});
