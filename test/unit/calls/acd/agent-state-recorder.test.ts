import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { seatAfterRestart } from '../../../../src/agents/index.js';
import { recordAgentStates } from '../../../../src/calls/acd/agent-state-recorder.js';
import { seatsAfterRestart } from '../../../../src/calls/acd/seat-restore.js';
import { EventHub } from '../../../../src/events/event-hub.js';
import { AgentEventLog } from '../../../../src/store/agent-event-log.js';
import { InteractionLog } from '../../../../src/store/interaction-log.js';
import { migrateToLatest, openDatabase } from '../../../../src/store/database.js';

const T = Date.parse('2026-12-02T10:00:00Z');

async function recorder() {
  const { db } = openDatabase(':memory:');
  await migrateToLatest(db);
  const agentLog = new AgentEventLog(db);
  let now = T;
  const hub = new EventHub(() => now, 100, 'throw');
  recordAgentStates(hub, agentLog, pino({ level: 'silent' }));
  const settle = () => new Promise((r) => setTimeout(r, 30));
  return { db, agentLog, hub, at: (t: number) => (now = t), settle };
}

describe('recordAgentStates (the agent-state log from the live stream)', () => {
  it("keeps each change, a wrap-up's end, and its new end when extended, so a restart ends it then", async () => {
    const { db, agentLog, hub, at, settle } = await recorder();
    const wrap = { type: 'wrap_up' as const, interactionId: 'i-1', queueId: 'sales', until: T + 30_000 };
    hub.publish('agent.state', {
      agentId: 'ann',
      from: { type: 'talking' },
      to: wrap,
      callsHandledToday: 1,
    });
    at(T + 5000);
    // A not ready chosen for after it: news of the seat, its end unchanged; nothing to log.
    hub.publish('agent.seat', {
      agentId: 'ann',
      state: {
        type: 'wrap_up',
        interactionId: 'i-1',
        until: new Date(T + 30_000).toISOString(),
        notReadyAfter: 'lunch',
      },
    });
    at(T + 10_000);
    hub.publish('agent.seat', {
      agentId: 'ann',
      state: { type: 'wrap_up', interactionId: 'i-1', until: new Date(T + 90_000).toISOString() },
    });
    await settle();
    expect(await agentLog.since('ann', T)).toEqual([
      { agentId: 'ann', at: T, from: 'talking', to: 'wrap_up', interactionId: 'i-1', until: T + 30_000 },
      {
        agentId: 'ann',
        at: T + 10_000,
        from: 'wrap_up',
        to: 'wrap_up',
        reason: 'wrap_up_extended',
        interactionId: 'i-1',
        until: T + 90_000,
      },
    ]);
    const last = (await agentLog.lastChanges(['ann'])).get('ann');
    expect(seatAfterRestart('ann', 'PJSIP/ann', last, T + 60_000)?.state).toMatchObject({
      type: 'wrap_up',
      until: T + 90_000,
    });
    // The seat a restart gives back: its wrap-up runs from its start, not from the extension.
    const { seats } = await seatsAfterRestart({
      agents: [{ id: 'ann', name: 'ann', endpoint: 'PJSIP/ann', skills: {}, queues: [], autoAnswer: false }],
      agentLog,
      previousGoneAt: T + 59_000,
      keepSeatsSeconds: 600,
      now: T + 60_000,
      logger: pino({ level: 'silent' }),
      log: new InteractionLog(db),
    });
    expect(seats.ann).toMatchObject({ state: { type: 'wrap_up', until: T + 90_000 }, stateSince: T });
  });

  it('names the call on a change into talking and on hold too (the seat holds it in `call` there)', async () => {
    const { agentLog, hub, at, settle } = await recorder();
    const call = {
      interactionId: 'i-2',
      queueId: 'sales',
      direction: 'acd' as const,
      answeredAt: T,
      holdMs: 0,
      after: { type: 'available' as const },
    };
    // The states as the ACD publishes them (the whole seat state; the event's schema names only `type`).
    const offered = { type: 'offered' as const, interactionId: 'i-2', queueId: 'sales' };
    const talking = { type: 'talking' as const, call };
    const onHold = { type: 'on_hold' as const, call, heldAt: T + 5000 };
    hub.publish('agent.state', { agentId: 'ann', from: offered, to: talking, callsHandledToday: 1 });
    at(T + 5000);
    hub.publish('agent.state', { agentId: 'ann', from: talking, to: onHold, callsHandledToday: 1 });
    await settle();
    expect((await agentLog.since('ann', T)).map((c) => [c.to, c.interactionId])).toEqual([
      ['talking', 'i-2'],
      ['on_hold', 'i-2'],
    ]);
  });

  it('logs news of a seat that is not in wrap-up not at all', async () => {
    const { agentLog, hub, settle } = await recorder();
    hub.publish('agent.seat', {
      agentId: 'ann',
      state: { type: 'talking', interactionId: 'i-1', notReadyAfter: 'lunch' },
    });
    await settle();
    expect(await agentLog.since('ann', 0)).toEqual([]);
  });
});
