/**
 * Pausing a call's recording (card details) and resuming it: on the real seat calls, ACD runtime and
 * interaction log over the fake Asterisk (seat-rig.ts).
 */
import { describe, expect, it } from 'vitest';
import { conversationTakeover } from '../../../../src/calls/takeover.js';
import { SeatRefusal } from '../../../../src/calls/seat/seat-calls.js';
import { rig, tick } from './seat-rig.js';

async function talking() {
  const r = await rig();
  r.login('agent1');
  const c = await r.caller();
  r.answer(r.lastTo('agent1'));
  await tick();
  expect(r.ops).toContain(`recordCall ${c.channelId}`);
  return { r, c };
}

const refusal = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SeatRefusal);
  return { status: (error as SeatRefusal).status, code: (error as SeatRefusal).code };
};

describe("pausing a call's recording", () => {
  it('silences the recording until it is resumed, with who and how long on the timeline', async () => {
    const { r, c } = await talking();
    await r.seat.pauseRecording('agent1', c.interactionId);
    expect(r.ops.at(-1)).toBe(`muteRecording ${c.channelId}`);
    r.clock.t += 12_000;
    await r.seat.resumeRecording('agent1', c.interactionId);
    expect(r.ops.at(-1)).toBe(`unmuteRecording ${c.channelId}`);
    await r.log.afterQueuedWrites();
    const entries = (await r.timeline(c.interactionId)).filter((e) => e.startsWith('recording.'));
    expect(entries.slice(1)).toEqual([
      'recording.paused {"agentId":"agent1"}',
      'recording.resumed {"agentId":"agent1","pausedSeconds":12}',
    ]);
    r.acd.stop();
  });

  it('refuses, with a reason, a pause of a paused recording, a resume of one not paused, and a call not recorded', async () => {
    const { r, c } = await talking();
    expect(await refusal(r.seat.resumeRecording('agent1', c.interactionId))).toEqual({
      status: 409,
      code: 'RECORDING_NOT_PAUSED',
    });
    await r.seat.pauseRecording('agent1', c.interactionId);
    expect(await refusal(r.seat.pauseRecording('agent1', c.interactionId))).toEqual({
      status: 409,
      code: 'RECORDING_ALREADY_PAUSED',
    });
    // Another agent's call is not theirs to pause.
    r.login('agent2');
    expect(await refusal(r.seat.resumeRecording('agent2', c.interactionId))).toMatchObject({
      code: 'NO_ACTIVE_CALL',
    });
    const mutes = r.ops.filter((o) => o.includes('muteRecording'));
    expect(mutes).toEqual([`muteRecording ${c.channelId}`]);
    // A call whose recording never started (AMI refused it) has nothing to pause.
    r.endChannel(c.channelId);
    await tick(20);
    r.telephony.recordCall = async () => {
      throw new Error('Could not start');
    };
    const d = await r.caller();
    r.answer(r.lastTo('agent'));
    await tick(20);
    const agentId = r.acd.router.seat('agent1')?.state.type === 'talking' ? 'agent1' : 'agent2';
    expect(await refusal(r.seat.pauseRecording(agentId, d.interactionId))).toEqual({
      status: 409,
      code: 'NOT_RECORDING',
    });
    r.acd.stop();
  });

  it('runs again by itself when the agent hands the call on: the next agent did not pause it', async () => {
    const { r, c } = await talking();
    r.login('agent2');
    await r.seat.pauseRecording('agent1', c.interactionId);
    r.clock.t += 8_000;
    await r.seat.transfer('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' });
    await tick(20);
    expect(r.ops.filter((o) => o.includes('muteRecording'))).toEqual([
      `muteRecording ${c.channelId}`,
      `unmuteRecording ${c.channelId}`,
    ]);
    await r.log.afterQueuedWrites();
    expect((await r.timeline(c.interactionId)).filter((e) => e.startsWith('recording.resumed'))).toEqual([
      'recording.resumed {"agentId":"agent1","pausedSeconds":8,"reason":"handed_over"}',
    ]);
    r.answer(r.lastTo('agent2'));
    await tick(20);
    // agent2 may pause it in turn.
    await r.seat.pauseRecording('agent2', c.interactionId);
    expect(r.ops.at(-1)).toBe(`muteRecording ${c.channelId}`);
    r.acd.stop();
  });

  it('is known again to a restart that carries the call on, until it is resumed', async () => {
    const { r, c } = await talking();
    await r.seat.pauseRecording('agent1', c.interactionId);
    r.clock.t += 5_000;
    await r.log.afterQueuedWrites();
    const row = (await r.log.get(c.interactionId))!;
    const timeline = await r.log.timeline(c.interactionId);
    const agentLeg = r.lastTo('agent1');
    const bridgeId = [...r.bridges.keys()][0]!;
    const takeover = conversationTakeover(
      row,
      timeline,
      [
        { id: c.channelId, name: 'PJSIP/carrier-1' },
        { id: agentLeg, name: 'PJSIP/agent1-1' },
      ],
      [{ id: bridgeId, channelIds: [c.channelId, agentLeg] }],
      () => 'PJSIP/agent1',
    );
    expect(takeover?.recordingPaused).toEqual({ agentId: 'agent1', at: r.clock.t - 5_000 });
    // Once resumed, a later restart finds it recording.
    await r.seat.resumeRecording('agent1', c.interactionId);
    await r.log.afterQueuedWrites();
    const after = conversationTakeover(
      row,
      await r.log.timeline(c.interactionId),
      [
        { id: c.channelId, name: 'PJSIP/carrier-1' },
        { id: agentLeg, name: 'PJSIP/agent1-1' },
      ],
      [{ id: bridgeId, channelIds: [c.channelId, agentLeg] }],
      () => 'PJSIP/agent1',
    );
    expect(after).toBeDefined();
    expect(after?.recordingPaused).toBeUndefined();
    r.acd.stop();
  });
});
