/**
 * Rejoin after a page reload, when the new ring does not come through: the caller stays on the agent's old
 * leg, the call's record and the agent's stream say the rejoin was given up and why, and the page may ask
 * again. Real seat calls and ACD over the fake Asterisk of seat-rig.ts.
 */
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../../src/events/event-hub.js';
import { type rig, talkingToAgent1, tick } from './seat-rig.js';

async function agent1Rejoining() {
  const { r, c } = await talkingToAgent1();
  const oldLeg = r.lastTo('agent1');
  const published: StreamEvent[] = [];
  r.acd.hub.subscribe((e) => {
    if (e.type === 'call.rejoined') published.push(e);
  });
  return { r, c, oldLeg, published };
}

const rejoinSteps = async (r: Awaited<ReturnType<typeof rig>>, interactionId: string) =>
  (await r.log.timeline(interactionId))
    .filter((e) => e.type === 'call.rejoined')
    .map((e) => JSON.parse(e.payload) as { step: string; reason?: string });

describe('a rejoin whose ring is not answered', () => {
  it.each([
    [16, 'Normal Clearing', "the agent's phone did not answer"],
    [20, 'Subscriber absent', 'Subscriber absent (cause 20)'],
  ])(
    'is given up on the record and the stream (cause %i), the caller still on the old leg',
    async (cause, text, why) => {
      const { r, c, oldLeg, published } = await agent1Rejoining();
      await r.seat.rejoin('agent1', c.interactionId);
      const ring = r.lastTo('agent1');
      expect(ring).not.toBe(oldLeg);
      r.endChannel(ring, cause, text);
      await tick(20);
      await r.log.afterQueuedWrites();
      expect(await rejoinSteps(r, c.interactionId)).toEqual([
        expect.objectContaining({ step: 'ringing' }),
        expect.objectContaining({ step: 'gave-up', reason: why }),
      ]);
      expect(published.map((e) => e.data)).toEqual([
        { interactionId: c.interactionId, agentId: 'agent1', step: 'gave-up', reason: why },
      ]);
      // Nothing else moved: the caller is bridged with the old leg, the agent still talking.
      expect(r.live.has(c.channelId)).toBe(true);
      expect([...(r.bridges.get(`call-${c.interactionId}`) ?? [])]).toEqual([c.channelId, oldLeg]);
      expect(r.state('agent1')).toBe(`talking(${c.interactionId})`);
      r.acd.stop();
    },
  );

  it('may be asked again, and the second ring takes the old leg’s place', async () => {
    const { r, c, oldLeg, published } = await agent1Rejoining();
    await r.seat.rejoin('agent1', c.interactionId);
    r.endChannel(r.lastTo('agent1'));
    await tick(20);
    await r.seat.rejoin('agent1', c.interactionId);
    const second = r.lastTo('agent1');
    r.answer(second);
    await tick(30);
    expect([...(r.bridges.get(`call-${c.interactionId}`) ?? [])]).toEqual([c.channelId, second]);
    expect(r.live.has(oldLeg)).toBe(false);
    expect(published.map((e) => (e.data as { step: string }).step)).toEqual(['gave-up', 'rejoined']);
    r.acd.stop();
  });

  it('is given up when Asterisk refuses to ring the phone, and the refusal reaches the caller of the verb', async () => {
    const { r, c, published } = await agent1Rejoining();
    r.telephony.originate = async () => {
      throw new Error('Allocation failed');
    };
    await expect(r.seat.rejoin('agent1', c.interactionId)).rejects.toThrow('Allocation failed');
    await r.log.afterQueuedWrites();
    expect((await rejoinSteps(r, c.interactionId)).at(-1)).toEqual(
      expect.objectContaining({ step: 'gave-up', reason: 'the phone could not be rung: Allocation failed' }),
    );
    expect(published).toHaveLength(1);
    expect(r.state('agent1')).toBe(`talking(${c.interactionId})`);
    r.acd.stop();
  });
});
