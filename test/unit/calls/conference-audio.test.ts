/**
 * The conference audio check on the call's timeline: who Asterisk had stopped sending audio to, named as the
 * call knows them, on the real seat calls and ACD over a fake Asterisk (seat-rig.ts).
 */
import { describe, expect, it } from 'vitest';
import { audioRestoredEvent } from '../../../src/calls/conference-audio.js';
import { talkingToAgent1, tick } from './seat/seat-rig.js';

describe('audioRestoredEvent', () => {
  const memberOf = (channelId: string) => ({ who: 'other' as const, channelId });

  it('says nothing when every member heard', () => {
    expect(
      audioRestoredEvent({ rejoined: [], stillSilent: [] }, 'conference', 'a1', memberOf),
    ).toBeUndefined();
  });

  it('names a member put back twice once, and one still silent only as such', () => {
    const entry = audioRestoredEvent(
      { rejoined: ['c1', 'c1', 'c2', 'c3', 'c3'], stillSilent: ['c3'] },
      'barge',
      'a1',
      memberOf,
    );
    expect(entry).toEqual({
      type: 'call.audio-restored',
      payload: {
        during: 'barge',
        agentId: 'a1',
        restored: [memberOf('c1'), memberOf('c2')],
        stillSilent: [memberOf('c3')],
      },
    });
  });
});

describe('a conference whose members Asterisk stopped sending audio to', () => {
  it("names them on the call's timeline: the customer, the agents, the number added, a supervisor", async () => {
    const { r, c } = await talkingToAgent1();
    const streamed: unknown[] = [];
    r.acd.hub.subscribe((e) => {
      if (e.type === 'call.audio-restored') streamed.push(e.data);
    });
    const agent1Leg = r.lastTo('agent1');
    r.seat.supervisorOn = (channelId) =>
      channelId === 'sup-phone' ? { who: 'supervisor', id: 'sam', channelId } : undefined;
    await r.seat.conference('agent1', c.interactionId, { type: 'number', number: '+15553334444' });
    const partyLeg = r.lastTo('+15553334444');
    // The check after this join: the customer and the agent put back and heard again, the party not.
    r.audio.outcome = { rejoined: [c.channelId, agent1Leg, partyLeg], stillSilent: [partyLeg] };
    r.answer(partyLeg);
    await tick(20);
    // The party dropped, agent2 added: agent2's phone put back and heard; a supervisor's phone barging in
    // (and a channel nobody knows) still got nothing after the last try.
    await r.seat.dropParty('agent1', c.interactionId, partyLeg);
    await tick(20);
    await r.seat.conference('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' });
    const agent2Leg = r.lastTo('agent2');
    r.audio.outcome = { rejoined: [agent2Leg, 'sup-phone'], stillSilent: ['sup-phone', 'stranger'] };
    r.answer(agent2Leg);
    await tick(20);
    await r.log.afterQueuedWrites();
    const entries = (await r.log.timeline(c.interactionId))
      .filter((e) => e.type === 'call.audio-restored')
      .map((e) => JSON.parse(e.payload));
    expect(entries).toEqual([
      {
        during: 'conference',
        agentId: 'agent1',
        restored: [
          { who: 'customer', channelId: c.channelId },
          { who: 'agent', id: 'agent1', channelId: agent1Leg },
        ],
        stillSilent: [{ who: 'party', id: '+15553334444', channelId: partyLeg }],
      },
      {
        during: 'conference',
        agentId: 'agent1',
        restored: [{ who: 'agent', id: 'agent2', channelId: agent2Leg }],
        stillSilent: [
          { who: 'supervisor', id: 'sam', channelId: 'sup-phone' },
          { who: 'other', channelId: 'stranger' },
        ],
      },
    ]);
    // The live stream carries the same, for the call's agent.
    expect(streamed).toEqual(entries.map((e) => ({ interactionId: c.interactionId, ...e })));
    r.acd.stop();
  });
});
