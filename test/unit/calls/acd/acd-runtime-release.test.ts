/**
 * The end of a caller's leg tells the router only what applies: an abandon for a caller still in a line,
 * the end of the conversation for one talking, and nothing for a call whose agent hung up first (before,
 * that told the router "the caller left" for a caller in no line, refused and logged as a warning on every
 * such call); and a refusal's log line names its call and agent. Real AcdRuntime, seat calls and
 * CallSession over the fake Asterisk of seat-rig.ts.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Decision, RouterInput } from '../../../../src/acd/router-types.js';
import { handOver, rig, talkingToAgent1, tick } from '../seat/seat-rig.js';

/** The router's inputs and refusals from here on (the router is the runtime's own, not replaced here). */
function watchRouter(r: Awaited<ReturnType<typeof rig>>) {
  const inputs: RouterInput['type'][] = [];
  const refused: string[] = [];
  const handle = r.acd.router.handle.bind(r.acd.router);
  r.acd.router.handle = (input: RouterInput, now: number): Decision[] => {
    inputs.push(input.type);
    const decisions = handle(input, now);
    for (const d of decisions) if (d.type === 'refused') refused.push(`${d.input} ${d.code}`);
    return decisions;
  };
  return { inputs, refused };
}

describe("the end of a caller's leg", () => {
  it('tells the router nothing more when the agent hung up first, and nothing is refused', async () => {
    const { r, c } = await talkingToAgent1();
    const agentLeg = r.lastTo('agent1');
    const watched = watchRouter(r);
    r.endChannel(agentLeg); // the agent puts the phone down; the service then hangs the caller up
    await tick(50);
    expect(r.live.has(c.channelId)).toBe(false);
    expect(r.state('agent1')).toBe(`wrap_up(${c.interactionId})`);
    expect(watched.refused).toEqual([]);
    expect(watched.inputs).not.toContain('callerLeft');
    expect((await r.brief(c.interactionId)).ended_by).toBe('agent');
    r.acd.stop();
  });

  it.each(['blind', 'consult'] as const)(
    'tells the router nothing more when the agent a %s transfer reached hangs up first',
    async (how) => {
      const { r, c } = await talkingToAgent1();
      await handOver(r, c.interactionId, 'agent1', 'agent2', how);
      expect(r.state('agent2')).toBe(`talking(${c.interactionId})`);
      const watched = watchRouter(r);
      r.endChannel(r.lastTo('agent2'));
      await tick(50);
      expect(r.live.has(c.channelId)).toBe(false);
      expect(r.state('agent2')).toBe(`wrap_up(${c.interactionId})`);
      expect(watched.refused).toEqual([]);
      r.acd.stop();
    },
  );

  it.each(['answered from the queue', 'took by a transfer'] as const)(
    'refuses nothing when an agent who %s leaves a conference, nor when the party then hangs up',
    async (how) => {
      const { r, c } = await talkingToAgent1();
      let [leaver, party] = ['agent1', 'agent2'];
      if (how === 'took by a transfer') {
        await handOver(r, c.interactionId, 'agent1', 'agent2', 'blind');
        r.clock.t += 60_000;
        r.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'wrapUpDone' } });
        await tick();
        [leaver, party] = ['agent2', 'agent1'];
      }
      await r.seat.conference(leaver, c.interactionId, { type: 'agent', agentId: party });
      r.answer(r.lastTo(party));
      await tick(30);
      const watched = watchRouter(r);
      await r.seat.leaveConference(leaver, c.interactionId);
      await tick(50);
      expect(r.state(leaver)).toBe(`wrap_up(${c.interactionId})`);
      expect(r.state(party)).toBe(`talking(${c.interactionId})`);
      expect(r.live.has(c.channelId)).toBe(true);
      r.endChannel(r.lastTo(party));
      await tick(50);
      expect(r.live.has(c.channelId)).toBe(false);
      expect(r.state(party)).toBe(`wrap_up(${c.interactionId})`);
      expect(watched.refused).toEqual([]);
      r.acd.stop();
    },
  );

  it('ends the conversation when the caller hangs up while talking, with nothing refused', async () => {
    const { r, c } = await talkingToAgent1();
    const watched = watchRouter(r);
    r.endChannel(c.channelId);
    await tick(50);
    expect(r.state('agent1')).toBe(`wrap_up(${c.interactionId})`);
    expect(watched.refused).toEqual([]);
    expect((await r.brief(c.interactionId)).ended_by).toBe('caller');
    r.acd.stop();
  });

  it.each([
    ['the caller hung up', false],
    ["the caller's line was lost (the trunk's media timeout)", true],
  ] as const)(
    'tells the agent on the call why it ended (%s), before their seat goes to wrap-up',
    async (_, lost) => {
      const { r, c } = await talkingToAgent1();
      const seen: string[] = [];
      r.acd.hub.subscribe((e) => {
        if (e.type === 'call.hangup') seen.push(`${e.type} ${JSON.stringify(e.data)}`);
        if (e.type === 'agent.state') seen.push(`${e.type} ${(e.data as { to: { type: string } }).to.type}`);
      });
      if (lost)
        r.deliver({
          type: 'channel.hangup-requested',
          at: r.clock.t,
          channelId: c.channelId,
          cause: 1,
          soft: true,
        });
      r.endChannel(c.channelId);
      await tick(50);
      const news = {
        interactionId: c.interactionId,
        agentId: 'agent1',
        by: 'caller',
        ...(lost ? { lineLost: true } : {}),
      };
      expect(seen).toEqual([`call.hangup ${JSON.stringify(news)}`, 'agent.state wrap_up']);
      r.acd.stop();
    },
  );

  it('tells the agent on a call out that the customer hung up', async () => {
    const r = await rig();
    r.login('agent1');
    const { interactionId } = await r.seat.dial('agent1', '+15557654321');
    r.answer(r.lastTo('agent1'));
    await tick(30);
    const customer = r.lastTo('carrier');
    r.answer(customer);
    await tick(30);
    const told: unknown[] = [];
    r.acd.hub.subscribe((e) => {
      if (e.type === 'call.hangup') told.push(e.data);
    });
    r.endChannel(customer);
    await tick(40);
    expect(told).toEqual([{ interactionId, agentId: 'agent1', by: 'caller' }]);
    expect(r.state('agent1')).not.toBe(`talking(${interactionId})`);
    r.acd.stop();
  });

  it('tells no agent why when the agent hung up first, nor for a caller who left the line', async () => {
    const { r, c } = await talkingToAgent1();
    const told: unknown[] = [];
    r.acd.hub.subscribe((e) => {
      if (e.type === 'call.hangup') told.push(e.data);
    });
    r.endChannel(r.lastTo('agent1'));
    await tick(50);
    expect(r.live.has(c.channelId)).toBe(false);
    const waiting = await r.caller();
    r.endChannel(waiting.channelId);
    await tick(50);
    expect(await r.timeline(waiting.interactionId)).toContainEqual(expect.stringMatching(/^acd\.abandoned /));
    expect(told).toEqual([]);
    r.acd.stop();
  });

  it('is an abandon for a caller still waiting in the line', async () => {
    const r = await rig();
    const c = await r.caller();
    const watched = watchRouter(r);
    r.clock.t += 12_000;
    r.endChannel(c.channelId);
    await tick(50);
    expect(watched.inputs).toEqual(['callerLeft']);
    expect(watched.refused).toEqual([]);
    expect(await r.timeline(c.interactionId)).toContainEqual(
      expect.stringMatching(/^acd\.abandoned .*"waitSeconds":12/),
    );
    r.acd.stop();
  });
});

describe('a refused input in the log', () => {
  it('names the agent, the call and the input; a warning when the service sent it, news when a person asked', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const r = await rig({ logger });
    r.login('agent1');
    r.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'wrapUpDone' } });
    r.acd.input({ type: 'dtmf', interactionId: 'no-such-call', digit: '1' });
    // The agent pressed Done twice: their 409 says why; the log keeps it, but it is no fault of the service.
    r.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'wrapUpDone' } }, 'request');
    const refused = lines.filter((l) => l.msg === 'ACD refused an input');
    expect(refused).toEqual([
      expect.objectContaining({
        level: 40,
        input: 'agent wrapUpDone',
        agentId: 'agent1',
        code: 'NOT_IN_WRAP_UP',
      }),
      expect.objectContaining({
        level: 40,
        input: 'dtmf',
        interactionId: 'no-such-call',
        code: 'NOT_WAITING',
      }),
      expect.objectContaining({
        level: 30,
        input: 'agent wrapUpDone',
        agentId: 'agent1',
        code: 'NOT_IN_WRAP_UP',
      }),
    ]);
    r.acd.stop();
  });
});
