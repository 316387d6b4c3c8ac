/**
 * Pausing the recording of the agent's call (while the caller reads out card details, say) and resuming
 * it. Asterisk records silence meanwhile, so the file keeps the call's timing and a playback still lines up
 * with the timeline, where every pause and resume is written with who did it and for how long.
 */
import { AmiNotConnected, AmiTimeout } from '../../telephony/ami/ami-client.js';
import type { CallSession } from '../call-session.js';
import { currentCall } from './current-call.js';
import { SeatRefusal } from './refusal.js';
import type { SeatDeps } from './seat-deps.js';

export type RecordingPauseVerbs = ReturnType<typeof createRecordingPause>;

/**
 * The agent hands the call on (a transfer, leaving a conference) with its recording paused: it runs again
 * for whoever has the call next, who did not pause it and would not know to resume it.
 */
export async function resumeRecordingOnHandOver(
  deps: SeatDeps,
  agentId: string,
  interactionId: string,
): Promise<void> {
  const { acd } = deps;
  const session = acd.calls.get(interactionId);
  if (!session?.isLive || !acd.recordings.pausedBy(session.channelId)) return;
  try {
    await resumeAndTell(deps, session, agentId, interactionId, 'handed_over');
  } catch (error) {
    session.logger.warn(
      { err: error, agentId },
      'the paused recording could not be resumed at the hand-over',
    );
  }
}

/** Resumes the call's recording and says so: on the timeline (for how long it was paused) and the stream. */
async function resumeAndTell(
  deps: SeatDeps,
  session: CallSession,
  agentId: string,
  interactionId: string,
  reason?: 'handed_over',
): Promise<number> {
  const { acd } = deps;
  const at = acd.now();
  const pausedSeconds = await acd.recordings.resume(session.channelId, at);
  void session.record(
    { type: 'recording.resumed', payload: { agentId, pausedSeconds, ...(reason ? { reason } : {}) } },
    {},
    at,
  );
  acd.hub.publish('call.recording', { interactionId, agentId, paused: false });
  return pausedSeconds;
}

export function createRecordingPause(deps: SeatDeps) {
  const { acd } = deps;

  /** The call's recording, refused when there is none to pause or resume. */
  function recordingOf(agentId: string, interactionId: string) {
    const { session } = currentCall(deps, agentId, interactionId);
    if (!acd.recordings.isRecording(session.channelId)) {
      throw new SeatRefusal(409, 'NOT_RECORDING', `interaction ${interactionId} is not being recorded`);
    }
    return { session, paused: acd.recordings.pausedBy(session.channelId) };
  }

  /** Asterisk's manager interface down or not answering: a clear refusal, the recording as it was. */
  async function throughAmi(work: () => Promise<unknown>, what: string): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (error instanceof AmiNotConnected || error instanceof AmiTimeout) {
        throw new SeatRefusal(503, 'RECORDING_CONTROL_UNAVAILABLE', `${what}: ${error.message}; try again`);
      }
      throw error;
    }
  }

  async function pauseRecording(agentId: string, interactionId: string): Promise<void> {
    const { session, paused } = recordingOf(agentId, interactionId);
    if (paused) {
      throw new SeatRefusal(
        409,
        'RECORDING_ALREADY_PAUSED',
        `the recording has been paused since ${new Date(paused.at).toISOString()}${paused.agentId ? ` (by ${paused.agentId})` : ''}`,
      );
    }
    const at = acd.now();
    await throughAmi(
      () => acd.recordings.pause(session.channelId, agentId, at),
      'the recording could not be paused',
    );
    void session.record({ type: 'recording.paused', payload: { agentId } }, {}, at);
    acd.hub.publish('call.recording', { interactionId, agentId, paused: true });
    session.logger.info({ agentId }, 'recording paused');
  }

  async function resumeRecording(agentId: string, interactionId: string): Promise<void> {
    const { session, paused } = recordingOf(agentId, interactionId);
    if (!paused) throw new SeatRefusal(409, 'RECORDING_NOT_PAUSED', 'the recording is not paused');
    let pausedSeconds = 0;
    await throughAmi(async () => {
      pausedSeconds = await resumeAndTell(deps, session, agentId, interactionId);
    }, 'the recording could not be resumed');
    session.logger.info({ agentId, pausedSeconds }, 'recording resumed');
  }

  /** The call's recording as it is now (none: not recorded, e.g. not connected yet or no format set). */
  function recordingState(interactionId: string): {
    recording: boolean;
    paused?: { agentId: string; at: number };
  } {
    const session = acd.calls.get(interactionId);
    if (!session || !acd.recordings.isRecording(session.channelId)) return { recording: false };
    const paused = acd.recordings.pausedBy(session.channelId);
    return { recording: true, ...(paused ? { paused } : {}) };
  }

  return { pauseRecording, resumeRecording, recordingState };
}
