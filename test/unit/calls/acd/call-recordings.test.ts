import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { CallRecordings } from '../../../../src/calls/acd/call-recordings.js';
import { AmiNotConnected, AmiTimeout } from '../../../../src/telephony/ami/ami-client.js';
import type { CallSession } from '../../../../src/calls/call-session.js';

/** The parts of a call the recorder touches: its ids, its logger and its timeline. */
function fakeSession(channelId: string, interactionId: string) {
  const timeline: Array<{ type: string; payload: unknown; columns?: unknown }> = [];
  const session = {
    channelId,
    interactionId,
    logger: pino({ level: 'silent' }),
    async record(event: { type: string; payload: unknown }, columns?: unknown) {
      timeline.push({ ...event, columns });
    },
  };
  return { session: session as unknown as CallSession, timeline };
}

function fakeTelephony(refuse?: Error) {
  const started: Array<[string, string, string]> = [];
  const mutes: Array<[string, boolean]> = [];
  return {
    started,
    mutes,
    telephony: {
      async recordCall(channelId: string, name: string, format: string) {
        if (refuse) throw refuse;
        started.push([channelId, name, format]);
      },
      async muteRecording(channelId: string, muted: boolean) {
        mutes.push([channelId, muted]);
      },
    },
  };
}

describe('CallRecordings', () => {
  it('records the customer channel once, named after the interaction, and writes where the file is', async () => {
    const { telephony, started } = fakeTelephony();
    const recordings = new CallRecordings(telephony, 'wav');
    const { session, timeline } = fakeSession('ch-1', 'int-1');
    await recordings.start(session);
    // Connected a second time (sent back to a queue): the recording already running covers it.
    await recordings.start(session);
    expect(started).toEqual([['ch-1', 'int-1', 'wav']]);
    expect(timeline).toEqual([
      {
        type: 'recording.started',
        payload: { name: 'int-1', path: 'int-1.wav' },
        columns: { recording_path: 'int-1.wav' },
      },
    ]);
  });

  it('starts again on a channel that ended and came back under the same id (a new call)', async () => {
    const { telephony, started } = fakeTelephony();
    const recordings = new CallRecordings(telephony, 'wav');
    await recordings.start(fakeSession('ch-2', 'int-2').session);
    recordings.onEvent({
      type: 'channel.ended',
      at: 0,
      channelId: 'ch-2',
      cause: 16,
      causeText: 'Normal Clearing',
    });
    await recordings.start(fakeSession('ch-2', 'int-3').session);
    expect(started.map(([, name]) => name)).toEqual(['int-2', 'int-3']);
  });

  it('puts a refused start on the timeline as call.error, and tries again at the next answer', async () => {
    const { telephony } = fakeTelephony(new Error('AMI is not connected'));
    const recordings = new CallRecordings(telephony, 'wav');
    const { session, timeline } = fakeSession('ch-4', 'int-4');
    await recordings.start(session);
    await recordings.start(session);
    expect(timeline.map((e) => e.type)).toEqual(['call.error', 'call.error']);
    expect(timeline[0]!.payload).toEqual({
      operation: 'record',
      code: 'RECORDING_NOT_STARTED',
      message: 'AMI is not connected',
    });
  });

  it('records nothing when recording is off', async () => {
    const { telephony, started } = fakeTelephony();
    const { session, timeline } = fakeSession('ch-5', 'int-5');
    await new CallRecordings(telephony, undefined).start(session);
    expect(started).toEqual([]);
    expect(timeline).toEqual([]);
  });

  it('links the file when Asterisk is slow to answer (it may be recording), and starts no second one', async () => {
    const { telephony } = fakeTelephony(new AmiTimeout('AMI did not answer MixMonitor within 5000 ms'));
    const recordings = new CallRecordings(telephony, 'wav');
    const { session, timeline } = fakeSession('ch-1', 'int-1');
    await recordings.start(session);
    await recordings.start(session);
    expect(timeline).toEqual([
      {
        type: 'recording.started',
        payload: { name: 'int-1', path: 'int-1.wav', unconfirmed: true },
        columns: { recording_path: 'int-1.wav' },
      },
    ]);
  });

  it('does not start a second recording of a conversation taken over from a previous run', async () => {
    const { telephony, started } = fakeTelephony();
    const recordings = new CallRecordings(telephony, 'wav');
    const { session } = fakeSession('ch-1', 'int-1');
    recordings.adopt('ch-1');
    await recordings.start(session);
    expect(started).toEqual([]);
  });

  it('records a conversation connected while AMI was down once AMI is back, and says so of one that ended first', async () => {
    let down = true;
    const started: string[] = [];
    const telephony = {
      async recordCall(channelId: string) {
        if (down) throw new AmiNotConnected('AMI is not connected');
        started.push(channelId);
      },
      muteRecording: async () => undefined,
    };
    const recordings = new CallRecordings(telephony, 'wav');
    const talking = fakeSession('ch-1', 'int-1');
    const brief = fakeSession('ch-2', 'int-2');
    await recordings.start(talking.session);
    await recordings.start(brief.session);
    expect(talking.timeline).toEqual([]); // not refused: waiting for AMI
    recordings.onEvent({
      type: 'channel.ended',
      at: 0,
      channelId: 'ch-2',
      cause: 16,
      causeText: 'Normal Clearing',
    });
    expect(brief.timeline).toEqual([
      expect.objectContaining({
        type: 'call.error',
        payload: expect.objectContaining({ code: 'RECORDING_NOT_STARTED' }),
      }),
    ]);
    down = false;
    recordings.amiBack();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['ch-1']);
    expect(talking.timeline).toEqual([
      expect.objectContaining({ type: 'recording.started', payload: { name: 'int-1', path: 'int-1.wav' } }),
    ]);
    recordings.amiBack(); // nothing left waiting: no second recording
    expect(started).toEqual(['ch-1']);
  });

  it('pauses and resumes a recording, and knows one a previous run paused (adopted after a restart)', async () => {
    const { telephony, mutes } = fakeTelephony();
    const recordings = new CallRecordings(telephony, 'wav');
    const { session } = fakeSession('ch-1', 'int-1');
    expect(recordings.isRecording('ch-1')).toBe(false);
    await recordings.start(session);
    expect(recordings.isRecording('ch-1')).toBe(true);
    await recordings.pause('ch-1', 'a1', 1_000);
    expect(recordings.pausedBy('ch-1')).toEqual({ agentId: 'a1', at: 1_000 });
    expect(await recordings.resume('ch-1', 4_500)).toBe(3.5);
    expect(recordings.pausedBy('ch-1')).toBeUndefined();
    recordings.adopt('ch-2', { agentId: 'a2', at: 10_000 });
    expect(recordings.isRecording('ch-2')).toBe(true);
    expect(recordings.pausedBy('ch-2')).toEqual({ agentId: 'a2', at: 10_000 });
    expect(await recordings.resume('ch-2', 12_000)).toBe(2);
    expect(mutes).toEqual([
      ['ch-1', true],
      ['ch-1', false],
      ['ch-2', false],
    ]);
    // The channel's end forgets a pause with it.
    await recordings.pause('ch-2', 'a2', 13_000);
    recordings.onEvent({
      type: 'channel.ended',
      at: 14_000,
      channelId: 'ch-2',
      cause: 16,
      causeText: 'Normal Clearing',
    });
    expect(recordings.pausedBy('ch-2')).toBeUndefined();
  });
});
