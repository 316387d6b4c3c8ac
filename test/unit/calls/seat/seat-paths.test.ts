/**
 * Call-control paths where either side may go at any step (consultation, transfer, rejoin), on the real
 * seat calls and ACD over a fake Asterisk (seat-rig.ts). Nobody may be left stuck or in silence.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RESTART_REASON } from '../../../../src/agents/schema.js';
import { AcdCallbackRunner } from '../../../../src/calls/acd/callback-runner.js';
import { CallSession } from '../../../../src/calls/call-session.js';
import { outboundDiallingTakeover } from '../../../../src/calls/takeover.js';
import { handOver, rig, talkingToAgent1, tick } from './seat-rig.js';

describe('a consultation the caller ends', () => {
  it.each(['ringing', 'connected'] as const)(
    'frees the consulted agent when the caller hangs up while the consultation is %s',
    async (variant) => {
      const { r, c } = await talkingToAgent1();
      await r.seat.consult('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' });
      if (variant === 'connected') {
        r.answer(r.lastTo('agent2'));
        await tick();
      }
      expect(r.state('agent2')).toBe(`talking(${c.interactionId})`);
      r.endChannel(c.channelId);
      await tick(50);
      expect(r.state('agent2')).toBe('available');
      expect(r.seat.consultation(c.interactionId)).toBeNull();
      await r.log.afterQueuedWrites();
      const steps = (await r.log.timeline(c.interactionId))
        .filter((e) => e.type === 'call.transferred')
        .map((e) => JSON.parse(e.payload) as { step: string; reason?: string });
      expect(steps.at(-1)).toMatchObject({
        step: 'failed',
        reason: 'the caller hung up during the consultation',
      });
      r.acd.stop();
    },
  );
});

describe('a transfer completed as the consulted party hangs up', () => {
  it('puts the agent back with the caller and frees the consulted agent, with a clear refusal', async () => {
    const { r, c } = await talkingToAgent1();
    await r.seat.consult('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' });
    const target = r.lastTo('agent2');
    r.answer(target);
    await tick(20);
    const remove = r.ari.removeFromBridge;
    r.ari.removeFromBridge = async (b: string, ch: string) => {
      await tick(20);
      return remove(b, ch);
    };
    const add = r.ari.addToBridge;
    r.ari.addToBridge = async (b: string, ch: string | string[]) => {
      if (![ch].flat().every((x) => r.live.has(x)))
        throw Object.assign(new Error('Channel not found'), { status: 404 });
      return add(b, ch);
    };
    const completing = r.seat
      .completeConsult('agent1', c.interactionId)
      .catch((e: { code?: string }) => e.code);
    await tick(5);
    r.endChannel(target); // agent2 hangs up as agent1 presses Complete
    expect(await completing).toBe('CONSULT_ENDED');
    await tick(50);
    expect(r.state('agent1')).toBe(`talking(${c.interactionId})`);
    expect(r.state('agent2')).toBe('available');
    expect([...(r.bridges.get(`call-${c.interactionId}`) ?? [])]).toEqual([c.channelId, r.lastTo('agent1')]);
    expect(r.bridges.has(`consult-${c.interactionId}`)).toBe(false);
    r.acd.stop();
  });
});

describe('a transfer completed as the reloaded page takes the call back', () => {
  it('hangs up the agent’s new leg too: it neither stays up in silence nor joins the caller and the colleague', async () => {
    const { r, c } = await talkingToAgent1();
    const oldLeg = r.lastTo('agent1');
    await r.seat.consult('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' });
    const target = r.lastTo('agent2');
    r.answer(target);
    await tick(20);
    // The page reloads mid-consultation and is rung back; Complete is pressed as that ring is answered,
    // before the service has seen the answer (its first request to Asterisk is still under way).
    await r.seat.rejoin('agent1', c.interactionId);
    const newLeg = r.lastTo('agent1');
    expect(newLeg).not.toBe(oldLeg);
    const remove = r.ari.removeFromBridge;
    r.ari.removeFromBridge = async (b: string, ch: string) => {
      await tick(20);
      return remove(b, ch);
    };
    const completing = r.seat.completeConsult('agent1', c.interactionId);
    await tick(5);
    r.answer(newLeg);
    await completing;
    await tick(50);
    expect(r.state('agent2')).toBe(`talking(${c.interactionId})`);
    expect(r.state('agent1')).toMatch(/^wrap_up/);
    expect(r.live.has(oldLeg)).toBe(false);
    expect(r.live.has(newLeg)).toBe(false);
    expect([...(r.bridges.get(`call-${c.interactionId}`) ?? [])]).toEqual([c.channelId, target]);
    r.acd.stop();
  });
});

describe('a consultation from a call the agent had already put on hold', () => {
  it('leaves the caller on hold when the target is refused, cancelled or never answers', async () => {
    const { r, c } = await talkingToAgent1();
    await r.seat.hold('agent1', c.interactionId);
    const callBridge = `call-${c.interactionId}`;
    const held = () => [...(r.bridges.get(callBridge) ?? [])];
    expect(held()).toEqual([c.channelId]);

    // Refused: an agent that does not exist, then one who is not available. Nothing changes.
    const refused = await r.seat
      .consult('agent1', c.interactionId, { type: 'agent', agentId: 'nobody' })
      .catch((e: { code?: string }) => e.code);
    expect(refused).toBe('AGENT_NOT_FOUND');
    const busy = await r.seat
      .consult('agent1', c.interactionId, { type: 'agent', agentId: 'agent3' }) // logged out
      .catch((e: { code?: string }) => e.code);
    expect(busy).toBe('TARGET_AGENT_NOT_AVAILABLE');
    expect(r.state('agent1')).toBe(`on_hold(${c.interactionId})`);
    expect(held()).toEqual([c.channelId]);

    // Cancelled: the agent is out of the consultation's bridge, the caller still on hold with its music.
    await r.seat.consult('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' });
    r.ops.length = 0;
    await r.seat.cancelConsult('agent1', c.interactionId);
    await tick(20);
    expect(r.state('agent1')).toBe(`on_hold(${c.interactionId})`);
    expect(held()).toEqual([c.channelId]);
    expect(r.ops).not.toContain(`stopBridgeMoh ${callBridge}`);
    expect(r.state('agent2')).toBe('available');

    // Resume still works from there.
    await r.seat.resume('agent1', c.interactionId);
    expect(r.state('agent1')).toBe(`talking(${c.interactionId})`);
    expect(held()).toEqual([c.channelId, r.lastTo('agent1')]);
    r.acd.stop();
  });

  it('takes a caller the consultation itself held off hold when it is cancelled, as before', async () => {
    const { r, c } = await talkingToAgent1();
    await r.seat.consult('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' });
    expect(r.state('agent1')).toBe(`on_hold(${c.interactionId})`);
    await r.seat.cancelConsult('agent1', c.interactionId);
    await tick(20);
    expect(r.state('agent1')).toBe(`talking(${c.interactionId})`);
    r.acd.stop();
  });
});

describe('a blind transfer whose target cannot be rung', () => {
  it('is refused (409) with the agent still talking to the caller, who is neither re-queued nor hung up', async () => {
    const { r, c } = await talkingToAgent1();
    const agentLeg = r.lastTo('agent1');
    const originate = r.telephony.originate;
    r.telephony.originate = async (o) => {
      if (o.endpoint.includes('agent2')) throw Object.assign(new Error('Allocation failed'), { status: 500 });
      return originate(o);
    };
    const refused = await r.seat
      .transfer('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' })
      .catch((e: { status?: number; code?: string }) => `${e.status} ${e.code}`);
    expect(refused).toBe('409 TARGET_UNREACHABLE');
    await tick(20);
    expect(r.state('agent1')).toBe(`talking(${c.interactionId})`);
    expect(r.state('agent2')).not.toBe(`talking(${c.interactionId})`);
    expect([...(r.bridges.get(`call-${c.interactionId}`) ?? [])]).toEqual([c.channelId, agentLeg]);
    expect(r.ops).not.toContain(`hangup ${agentLeg}`);
    expect(r.ops).not.toContain(`hangup ${c.channelId}`);
    const steps = (await r.timeline(c.interactionId)).filter((e) => e.startsWith('call.transferred'));
    expect(steps.map((e) => JSON.parse(e.slice('call.transferred '.length)).step)).toEqual([
      'requested',
      'failed',
    ]);
    r.acd.stop();
  });
});

describe('"not ready after this call" chosen during a call', () => {
  it("is on the call's record, where a restart carrying the call on finds it", async () => {
    const { r, c } = await talkingToAgent1();
    r.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'notReady', reason: 'lunch' } });
    await tick(20);
    expect((await r.timeline(c.interactionId)).filter((e) => e.startsWith('agent.after-call'))).toEqual([
      'agent.after-call {"agentId":"agent1","after":{"type":"not_ready","reason":"lunch"}}',
    ]);
    r.acd.stop();
  });

  it("is on the call's record when chosen in the wrap-up, after the caller left (a restart then keeps it)", async () => {
    const r = await rig({ wrapUpSeconds: 60 });
    r.login('agent1');
    const c = await r.caller('sales');
    r.answer(r.lastTo('agent1'));
    await tick();
    r.endChannel(c.channelId);
    await tick(30);
    expect(r.state('agent1')).toMatch(/^wrap_up/);
    r.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'notReady', reason: 'training' } });
    await tick(20);
    await r.log.afterQueuedWrites();
    expect((await r.timeline(c.interactionId)).filter((e) => e.startsWith('agent.after-call'))).toEqual([
      'agent.after-call {"agentId":"agent1","after":{"type":"not_ready","reason":"training"}}',
    ]);
    r.acd.stop();
  });
});

describe('a supervisor barging into the call', () => {
  it('keeps the agent with the caller: hold and consult are refused (409) while the barge lasts', async () => {
    const { r, c } = await talkingToAgent1();
    r.seat.barging = (id) => id === c.interactionId;
    await expect(r.seat.hold('agent1', c.interactionId)).rejects.toMatchObject({
      status: 409,
      code: 'SUPERVISOR_BARGING',
    });
    await expect(
      r.seat.consult('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' }),
    ).rejects.toMatchObject({ code: 'SUPERVISOR_BARGING' });
    expect(r.state('agent1')).toBe(`talking(${c.interactionId})`);
    expect(r.state('agent2')).toBe('available'); // not rung for a consultation that never began
    r.seat.barging = () => false; // the supervisor left
    await r.seat.hold('agent1', c.interactionId);
    expect(r.state('agent1')).toBe(`on_hold(${c.interactionId})`);
    r.acd.stop();
  });
});

describe('a blind transfer while a third party is on the call', () => {
  it('is refused during a consultation and during a conference, leaving nobody alone in a bridge', async () => {
    const { r, c } = await talkingToAgent1();
    r.login('agent3');
    await r.seat.consult('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' });
    r.answer(r.lastTo('agent2'));
    await tick(20);
    await expect(
      r.seat.transfer('agent1', c.interactionId, { type: 'queue', queueId: 'support' }),
    ).rejects.toMatchObject({ status: 409, code: 'CONSULT_IN_PROGRESS' });
    await r.seat.cancelConsult('agent1', c.interactionId);
    await tick(20);
    await r.seat.conference('agent1', c.interactionId, { type: 'agent', agentId: 'agent3' });
    r.answer(r.lastTo('agent3'));
    await tick(20);
    await expect(
      r.seat.transfer('agent1', c.interactionId, { type: 'queue', queueId: 'support' }),
    ).rejects.toMatchObject({ status: 409, code: 'CONFERENCE_IN_PROGRESS' });
    // Nor hold: its music would play over the caller and the party talking to each other.
    await expect(r.seat.hold('agent1', c.interactionId)).rejects.toMatchObject({
      status: 409,
      code: 'CONFERENCE_IN_PROGRESS',
    });
    expect(r.state('agent1')).toBe(`talking(${c.interactionId})`);
    r.acd.stop();
  });
});

describe('the hold of a call given away on hold', () => {
  it('counts in hold_seconds when the agent blind-transfers from hold', async () => {
    const { r, c } = await talkingToAgent1();
    r.clock.t += 30_000;
    await r.seat.hold('agent1', c.interactionId);
    r.clock.t += 60_000;
    await r.seat.transfer('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' });
    await tick(20);
    r.answer(r.lastTo('agent2'));
    await tick(20);
    r.clock.t += 30_000;
    r.endChannel(c.channelId);
    await tick(50);
    expect((await r.brief(c.interactionId)).hold_seconds).toBe(60);
    r.acd.stop();
  });
});

describe('a page reload of an agent who took the call by a transfer', () => {
  it.each(['blind', 'consult'] as const)('rejoins the call after a %s transfer', async (how) => {
    const { r, c } = await talkingToAgent1();
    if (how === 'blind') {
      await r.seat.transfer('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' });
      await tick();
      r.answer(r.lastTo('agent2'));
      await tick(20);
    } else {
      await r.seat.consult('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' });
      r.answer(r.lastTo('agent2'));
      await tick(20);
      await r.seat.completeConsult('agent1', c.interactionId);
      await tick(20);
    }
    const oldLeg = r.lastTo('agent2');
    await r.seat.rejoin('agent2', c.interactionId);
    const newLeg = r.lastTo('agent2');
    r.answer(newLeg);
    await tick(30);
    expect(r.live.has(newLeg)).toBe(true);
    expect(r.live.has(oldLeg)).toBe(false);
    expect([...(r.bridges.get(`call-${c.interactionId}`) ?? [])]).toEqual([c.channelId, newLeg]);
    expect(r.state('agent2')).toBe(`talking(${c.interactionId})`);
    // and the rejoined leg carries the call: its hang-up ends it
    r.endChannel(newLeg);
    await tick(50);
    expect(r.live.has(c.channelId)).toBe(false);
    r.acd.stop();
  });
});

describe('the wrap-up time of a call two agents handled', () => {
  it('adds up both agents’ wrap-ups', async () => {
    const { r, c } = await talkingToAgent1();
    r.clock.t += 60_000;
    await r.seat.transfer('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' });
    await tick();
    r.answer(r.lastTo('agent2'));
    await tick(20);
    r.clock.t += 20_000;
    r.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'wrapUpDone' } });
    await tick(20);
    r.clock.t += 60_000;
    r.endChannel(c.channelId);
    await tick(50);
    r.clock.t += 5_000;
    r.acd.input({ type: 'agent', agentId: 'agent2', input: { type: 'wrapUpDone' } });
    await tick(20);
    expect((await r.brief(c.interactionId)).wrap_seconds).toBe(25);
    r.acd.stop();
  });
});

describe('a click-to-dial the agent puts down at once', () => {
  it('does not ring the customer, and the call closes as failed, ended by the agent', async () => {
    const r = await rig();
    r.login('agent1');
    const add = r.ari.addToBridge;
    r.ari.addToBridge = async (b: string, ch: string | string[]) => {
      await tick(20); // an ARI round trip
      return add(b, ch);
    };
    const { interactionId } = await r.seat.dial('agent1', '+15557654321');
    const agentLeg = r.lastTo('agent1');
    r.answer(agentLeg);
    await tick(2);
    r.endChannel(agentLeg); // a misdial, put down straight away
    await tick(80);
    expect(r.originated.some((o) => o.endpoint.includes('carrier'))).toBe(false);
    expect(r.state('agent1')).toBe('available');
    expect(await r.brief(interactionId)).toMatchObject({
      state: 'closed',
      disposition: 'failed',
      ended_by: 'agent',
    });
    r.acd.stop();
  });
});

describe("a click-to-dial whose agent's phone cannot be rung", () => {
  it('closes as failed, by the system, with why (not as a call the service lost sight of)', async () => {
    const r = await rig();
    r.login('agent1');
    r.telephony.originate = async () => {
      throw Object.assign(new Error('Allocation failed'), { status: 500 });
    };
    const refused = await r.seat.dial('agent1', '+15557654321').catch((e: { code?: string }) => e.code);
    expect(refused).toBe('AGENT_PHONE_UNREACHABLE');
    await tick(30);
    await r.log.afterQueuedWrites();
    const rows = await r.log.list({ direction: 'outbound', limit: 5, offset: 0 });
    expect(rows.items).toHaveLength(1);
    const row = rows.items[0]!;
    expect(row).toMatchObject({ state: 'closed', disposition: 'failed', ended_by: 'system' });
    expect(row.hangup_cause).toMatch(/could not be rung/);
    const types = (await r.timeline(row.id)).map((e) => e.split(' ')[0]);
    expect(types).not.toContain('interaction.lost');
    r.acd.stop();
  });
});

describe('a call blind-transferred to a queue', () => {
  it.each(['gives up there', 'is answered there'] as const)(
    'stays a handled call whose talk time is its conversations, not the wait between them, when the caller %s',
    async (path) => {
      const r = await rig();
      r.login('agent1');
      const c = await r.caller();
      r.answer(r.lastTo('agent1'));
      await tick();
      r.clock.t += 120_000;
      await r.seat.transfer('agent1', c.interactionId, { type: 'queue', queueId: 'sales' });
      await tick(20);
      if (path === 'is answered there') {
        r.clock.t += 30_000; // waiting in the queue again: not talk
        r.login('agent2');
        await tick();
        r.answer(r.lastTo('agent2'));
        await tick(20);
        r.clock.t += 60_000;
      } else r.clock.t += 5_000;
      r.endChannel(c.channelId);
      await tick(50);
      expect(await r.brief(c.interactionId)).toMatchObject({
        disposition: 'handled',
        // 120 s with agent1; then 60 s with agent2 after 30 s of waiting, or 5 s of waiting: waits are no talk.
        talk_seconds: path === 'is answered there' ? 180 : 120,
      });
      r.acd.stop();
    },
  );
});

describe('two wrap-ups of one call that end together (a conference the caller left)', () => {
  it('both count', async () => {
    const r = await rig({ wrapUpSeconds: 1 });
    r.login('agent1');
    const c = await r.caller('sales');
    r.answer(r.lastTo('agent1'));
    await tick();
    r.login('agent2');
    await r.seat.conference('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' });
    r.answer(r.lastTo('agent2'));
    await tick(30);
    r.endChannel(c.channelId); // both agents go to wrap-up now...
    await tick(30);
    r.clock.t += 1000; // ...and both wrap-ups are due at the same instant
    await tick(1300);
    expect([r.state('agent1'), r.state('agent2')]).toEqual(['available', 'available']);
    await r.log.afterQueuedWrites();
    await tick(50);
    await r.log.afterQueuedWrites();
    expect((await r.log.get(c.interactionId))?.wrap_seconds).toBe(2);
    r.acd.stop();
  });
});

describe('a call one agent sends on to a queue where another answers it', () => {
  it("gives each agent's queue stay their own talk, hold and wrap-up, for queue figures and agent reports alike", async () => {
    const r = await rig({ wrapUpSeconds: 1 });
    r.login('agent1');
    const c = await r.caller();
    r.clock.t += 4_000;
    r.answer(r.lastTo('agent1'));
    await tick();
    const answeredBy1 = r.clock.t;
    r.clock.t += 50_000;
    await r.seat.hold('agent1', c.interactionId);
    r.clock.t += 10_000; // 10 s on hold, sent on while still held
    await r.seat.transfer('agent1', c.interactionId, { type: 'queue', queueId: 'sales' });
    await tick(20);
    r.login('agent2'); // rung for the caller at once
    await tick();
    r.clock.t += 1000;
    await tick(1300); // agent1's wrap-up (1 s) over
    r.clock.t += 29_000; // ringing agent2: nobody's talk
    r.answer(r.lastTo('agent2'));
    await tick(20);
    const answeredBy2 = r.clock.t;
    r.clock.t += 90_000;
    r.endChannel(c.channelId);
    await tick(30);
    r.clock.t += 1000;
    await tick(1300); // both wrap-ups (1 s each) over
    expect([r.state('agent1'), r.state('agent2')]).toEqual(['available', 'available']);
    await r.log.afterQueuedWrites();
    await tick(50);
    await r.log.afterQueuedWrites();

    // The call as a whole: both conversations, both wrap-ups, the last agent.
    expect(await r.brief(c.interactionId)).toMatchObject({
      agent_id: 'agent2',
      talk_seconds: 150,
      wrap_seconds: 2,
    });
    // The queue: two answered stays, each with its agent's part only.
    const stays = await r.log.queueRecords('sales', 0);
    expect(stays.map((s) => [s.answeredAt, s.talkSeconds, s.wrapSeconds])).toEqual([
      [answeredBy1, 60, 1],
      [answeredBy2, 90, 1],
    ]);
    // The agents: each handled one call, their own part of it (agent1 was credited nothing before).
    expect(await r.log.handledCalls('agent1', 0, r.clock.t)).toEqual([
      { answeredAt: answeredBy1, talkSeconds: 60, holdSeconds: 10 },
    ]);
    expect(await r.log.handledCalls('agent2', 0, r.clock.t)).toEqual([
      { answeredAt: answeredBy2, talkSeconds: 90, holdSeconds: 0 },
    ]);
    r.acd.stop();
  });
});

/** The caller hangs up; the end of the call and each agent's leaving are on disk after. */
async function callerHangsUp(r: Awaited<ReturnType<typeof rig>>, channelId: string) {
  r.endChannel(channelId);
  await tick(50);
  await r.log.afterQueuedWrites();
  await tick(50); // the writes the first ones led to (each seat's leave)
  await r.log.afterQueuedWrites();
}

describe('a queue call one agent hands straight to another', () => {
  it.each(['blind', 'consult'] as const)(
    'credits each agent with their own part after a %s transfer, every second of the call once',
    async (how) => {
      const { r, c } = await talkingToAgent1();
      const answeredBy1 = r.clock.t;
      r.clock.t += 40_000;
      await handOver(r, c.interactionId, 'agent1', 'agent2', how);
      r.clock.t += 90_000;
      await callerHangsUp(r, c.channelId);

      const call = await r.brief(c.interactionId);
      expect(call.agent_id).toBe('agent2');
      const [one] = await r.log.handledCalls('agent1', 0, r.clock.t);
      const [two, more] = await r.log.handledCalls('agent2', 0, r.clock.t);
      expect(more).toBeUndefined();
      // agent1 from their answer until they left the call: 40 s, and the consultation's 25 s (on hold).
      expect(one).toEqual(
        how === 'blind'
          ? { answeredAt: answeredBy1, talkSeconds: 40, holdSeconds: 0 }
          : { answeredAt: answeredBy1, talkSeconds: 65, holdSeconds: 25 },
      );
      // agent2 the rest of the call, not the whole of it again (they had no queue stay of their own).
      expect(two!.talkSeconds).toBe(call.talk_seconds! - one!.talkSeconds);
      expect(two!.talkSeconds).toBeGreaterThanOrEqual(90);
      expect(two!.holdSeconds).toBe(0);
      r.acd.stop();
    },
  );
});

describe('a queue call handed straight on twice (agent1 → agent2 → agent3)', () => {
  it.each(['blind', 'consult'] as const)(
    'credits the agent in the middle with their own part too (%s), every second of the call once',
    async (how) => {
      const { r, c } = await talkingToAgent1();
      r.login('agent3');
      r.clock.t += 40_000;
      await handOver(r, c.interactionId, 'agent1', 'agent2', how);
      r.clock.t += 30_000;
      await handOver(r, c.interactionId, 'agent2', 'agent3', how);
      r.clock.t += 60_000;
      await callerHangsUp(r, c.channelId);

      const call = await r.brief(c.interactionId);
      expect(call.agent_id).toBe('agent3');
      const handled = async (agentId: string) => {
        const calls = await r.log.handledCalls(agentId, 0, r.clock.t);
        expect(calls).toHaveLength(1);
        return calls[0]!;
      };
      const [one, two, three] = [await handled('agent1'), await handled('agent2'), await handled('agent3')];
      // agent2 from when their seat took the call (blind: as their phone began to ring, as for the last
      // agent) or from when agent1 let go (consult: the consultation's 20 s together count once, for agent1)
      // until they let go: 5 s ringing and 30 s with the caller, or 30 s and their own consultation's 25 s
      // (the caller on hold meanwhile).
      expect([one.talkSeconds, two.talkSeconds]).toEqual(how === 'blind' ? [40, 35] : [65, 55]);
      expect(two.holdSeconds).toBe(how === 'blind' ? 0 : 25);
      expect(three.talkSeconds).toBeGreaterThanOrEqual(60);
      expect(one.talkSeconds + two.talkSeconds + three.talkSeconds).toBe(call.talk_seconds);
      r.acd.stop();
    },
  );
});

describe('a queue call handed to a colleague and back (agent1 → agent2 → agent1)', () => {
  it.each(['blind', 'consult'] as const)(
    'credits agent1 with both of their parts as one call (%s), every second of the call once',
    async (how) => {
      const { r, c } = await talkingToAgent1();
      const answeredBy1 = r.clock.t;
      r.clock.t += 40_000;
      await handOver(r, c.interactionId, 'agent1', 'agent2', how);
      r.clock.t += 30_000; // agent1's wrap-up is long over
      if (r.state('agent1') !== 'available') {
        r.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'ready' } });
      }
      expect(r.state('agent1')).toBe('available');
      await handOver(r, c.interactionId, 'agent2', 'agent1', how);
      r.clock.t += 60_000;
      await callerHangsUp(r, c.channelId);

      const call = await r.brief(c.interactionId);
      expect(call.agent_id).toBe('agent1');
      const ones = await r.log.handledCalls('agent1', 0, r.clock.t);
      const twos = await r.log.handledCalls('agent2', 0, r.clock.t);
      // One call each: agent1's two parts are one call of theirs, answered when they first answered it.
      expect(ones).toHaveLength(1);
      expect(twos).toHaveLength(1);
      const [one, two] = [ones[0]!, twos[0]!];
      expect(one.answeredAt).toBe(answeredBy1);
      expect(two.talkSeconds).toBe(how === 'blind' ? 35 : 55);
      // agent1: their first 40 s (65 s with the consultation) and the whole of their second part.
      expect(one.talkSeconds).toBeGreaterThanOrEqual((how === 'blind' ? 40 : 65) + 60);
      expect(one.talkSeconds + two.talkSeconds).toBe(call.talk_seconds);
      expect(one.holdSeconds + two.holdSeconds).toBe(call.hold_seconds ?? 0);
      r.acd.stop();
    },
  );
});

describe("a callback's conversation one agent hands straight to another", () => {
  it.each(['blind', 'consult'] as const)(
    'credits each agent with their own part of the conversation (%s), every second of it once',
    async (how) => {
      const r = await rig();
      const callbacks = new AcdCallbackRunner(r.acd, r.log, 'carrier');
      r.acd.callbacks = callbacks;
      // A caller asks for a callback and hangs up; agent1 comes in and takes it.
      const c = await r.caller();
      r.acd.input({ type: 'requestCallback', interactionId: c.interactionId });
      await tick(20);
      r.endChannel(c.channelId);
      await tick(20);
      r.login('agent1');
      await tick(20);
      r.answer(r.lastTo('agent1'));
      await tick(20);
      r.clock.t += 6_000; // the customer's phone rings: no conversation yet
      const customer = r.lastTo('carrier');
      r.up.add(customer);
      await callbacks.customerAnswered(customer, {
        telephony: r.telephony as never,
        log: r.log,
        logger: pino({ level: 'silent' }),
        now: () => r.clock.t,
      });
      const conversation = r.acd.calls.get(c.interactionId)!;
      r.sessions.set(customer, conversation);
      expect(conversation.interactionId).not.toBe(c.interactionId);
      r.login('agent2');
      r.clock.t += 40_000;
      await handOver(r, c.interactionId, 'agent1', 'agent2', how);
      r.clock.t += 90_000;
      await callerHangsUp(r, customer);

      const call = await r.brief(conversation.interactionId);
      expect(call).toMatchObject({ agent_id: 'agent2', disposition: 'handled' });
      const ones = await r.log.handledCalls('agent1', 0, r.clock.t);
      const twos = await r.log.handledCalls('agent2', 0, r.clock.t);
      expect(ones).toHaveLength(1);
      expect(twos).toHaveLength(1);
      // agent1 from the customer's answer (not the 6 s their phone rang) until they let go.
      expect(ones[0]!.talkSeconds).toBe(how === 'blind' ? 40 : 65);
      expect(ones[0]!.talkSeconds + twos[0]!.talkSeconds).toBe(call.talk_seconds);
      r.acd.stop();
    },
  );
});

describe('an outbound call a restart found ringing its customer', () => {
  /**
   * Run 1 dials the customer for agent1 and stops; run 2 (the same database and "Asterisk") takes the
   * call over as the calls service does: the rule on what is on record and live, then the seat's resume.
   * `meanwhile` happens while no run listens.
   */
  async function takenOver(meanwhile: 'nothing' | 'answered' | 'hung up' | 'rang out' = 'nothing') {
    const r1 = await rig();
    r1.login('agent1');
    const { interactionId } = await r1.seat.dial('agent1', '+15557654321');
    r1.answer(r1.lastTo('agent1'));
    await tick(30);
    const customer = r1.lastTo('carrier');
    await r1.log.afterQueuedWrites();
    r1.acd.stop();
    const r2 = await rig({ restartOf: r1 });
    r2.login('agent1');
    r2.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'notReady', reason: RESTART_REASON } });
    if (meanwhile === 'answered') r2.up.add(customer);
    if (meanwhile === 'rang out') r2.clock.t += 31_000; // past the 30 s the customer is rung for
    const row = (await r2.log.get(interactionId))!;
    const found = outboundDiallingTakeover(
      row,
      await r2.log.timeline(interactionId),
      [...r2.live].map((id) => ({ id })),
      [...r2.bridges].map(([id, channels]) => ({ id, channelIds: [...channels] })),
    );
    expect(found).toMatchObject({ channelId: customer, agentId: 'agent1', ringSeconds: 30 });
    expect(found?.ringbackId).toMatch(/^ringback-/);
    if (meanwhile === 'hung up') r2.live.delete(customer); // between Asterisk's listing and the takeover
    const session = new CallSession(
      customer,
      interactionId,
      row.started_at,
      {
        telephony: r2.telephony as never,
        log: r2.log,
        logger: pino({ level: 'silent' }),
        now: () => r2.clock.t,
      },
      row.caller_number ?? '',
    );
    expect(r2.acd.resumeOutboundDialling(session, found!)).toEqual([]);
    await tick(20);
    return { r2, interactionId, customer, ringbackId: found!.ringbackId! };
  }
  const outboundSteps = async (r: Awaited<ReturnType<typeof rig>>, id: string) =>
    (await r.log.timeline(id))
      .filter((e) => e.type === 'call.outbound')
      .map((e) => JSON.parse(e.payload) as { step: string; reason?: string });

  it('connects the customer when they answer: the ringback stops, and it ends as any outbound call', async () => {
    const { r2, interactionId, customer, ringbackId } = await takenOver();
    expect(r2.state('agent1')).toBe(`talking(${interactionId})`);
    r2.answer(customer);
    await tick(30);
    expect(r2.ops).toContain(`stopPlayback ${ringbackId}`);
    expect(r2.ops).toContain(`addToBridge call-${interactionId} ${customer}`);
    expect((await outboundSteps(r2, interactionId)).map((s) => s.step)).toEqual([
      'requested',
      'agent-answered',
      'dialing',
      'connected',
    ]);
    r2.clock.t += 20_000;
    r2.endChannel(customer);
    await tick(40);
    expect(await r2.brief(interactionId)).toMatchObject({
      state: 'closed',
      agent_id: 'agent1',
      disposition: 'handled',
      ended_by: 'caller',
      talk_seconds: 20,
    });
    r2.acd.stop();
  });

  it('connects a customer who answered while no run listened, once, though their answer comes late', async () => {
    const { r2, interactionId, customer } = await takenOver('answered');
    const bridged = () => r2.ops.filter((op) => op === `addToBridge call-${interactionId} ${customer}`);
    expect(bridged()).toHaveLength(1);
    r2.answer(customer); // its StasisStart, after the check found it up
    await tick(30);
    expect(bridged()).toHaveLength(1);
    expect((await outboundSteps(r2, interactionId)).filter((s) => s.step === 'connected')).toHaveLength(1);
    r2.acd.stop();
  });

  it.each([
    ['rang out', 'no answer'],
    ['hung up', 'the customer hung up while the service restarted'],
  ] as const)(
    'closes it as not answered when the customer %s, the agent’s phone hung up',
    async (meanwhile, reason) => {
      const { r2, interactionId, customer } = await takenOver(meanwhile);
      await tick(30);
      expect((await outboundSteps(r2, interactionId)).at(-1)).toEqual(
        expect.objectContaining({ step: 'failed', reason }),
      );
      expect(r2.live.has(customer)).toBe(false);
      expect(r2.ops.filter((op) => op.startsWith('hangup seat-'))).toHaveLength(1); // the agent's phone
      expect(await r2.brief(interactionId)).toMatchObject({ state: 'closed', disposition: 'no-answer' });
      expect(r2.state('agent1')).not.toMatch(/^talking/);
      r2.acd.stop();
    },
  );
});

describe("a blind transfer's note", () => {
  it("is kept on the transfer's request for whoever takes the call next; none when the agent wrote none", async () => {
    const { r, c } = await talkingToAgent1();
    await r.seat.transfer('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' }, 'wants a refund');
    await tick(20);
    r.answer(r.lastTo('agent2'));
    await tick(20);
    await r.seat.transfer('agent2', c.interactionId, { type: 'queue', queueId: 'sales' });
    await tick(20);
    const requests = (await r.log.timeline(c.interactionId))
      .filter((e) => e.type === 'call.transferred')
      .map((e) => JSON.parse(e.payload) as { step: string; agentId: string; note?: string })
      .filter((t) => t.step === 'requested');
    expect(requests).toEqual([
      expect.objectContaining({ agentId: 'agent1', note: 'wants a refund' }),
      expect.not.objectContaining({ note: expect.anything() }),
    ]);
    expect(requests[1]).toMatchObject({ agentId: 'agent2' });
    r.acd.stop();
  });
});
