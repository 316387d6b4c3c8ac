import { AmiNotConnected, AmiTimeout } from '../../telephony/ami/ami-client.js';
import type { Telephony, TelephonyEvent } from '../../telephony/telephony.js';
import type { CallSession } from '../call-session.js';

/**
 * Starts the recording of a connected conversation, one file per interaction (`<interactionId>.<format>`),
 * on the customer's channel: it then follows the customer through holds, transfers and conferences until
 * they hang up, so a call connected a second time (sent back to a queue) is already being recorded and the
 * file holds everything in the order it was heard. Writes `recording.started`, or `call.error` when
 * Asterisk refuses, so whoever looks for the recording learns why it is missing.
 */
export class CallRecordings {
  /** Customer channels being recorded; a channel's recording ends with the channel. */
  private readonly recording = new Set<string>();
  /** Conversations connected while AMI was down: recorded as soon as it is back (see amiBack). */
  private readonly waiting = new Map<string, CallSession>();
  /** Customer channels whose recording is paused (silence written meanwhile): by whom, since when. */
  private readonly paused = new Map<string, { agentId: string; at: number }>();

  constructor(
    private readonly telephony: Pick<Telephony, 'recordCall' | 'muteRecording'>,
    private readonly format: string | undefined,
  ) {}

  onEvent(event: TelephonyEvent): void {
    if (event.type !== 'channel.ended') return;
    this.recording.delete(event.channelId);
    this.paused.delete(event.channelId);
    const missed = this.waiting.get(event.channelId);
    if (!missed) return;
    this.waiting.delete(event.channelId);
    // The whole conversation went by while AMI was down: whoever looks for its recording learns why.
    void missed.record({
      type: 'call.error',
      payload: {
        operation: 'record',
        code: 'RECORDING_NOT_STARTED',
        message: 'AMI was down for the whole conversation, so it could not be recorded',
      },
    });
  }

  /** AMI is up again: the conversations connected meanwhile start recording now. */
  amiBack(): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const session of waiting) {
      this.recording.delete(session.channelId);
      void this.start(session);
    }
  }

  /**
   * A conversation a previous run started recording (taken over after a restart): not a second one; a
   * recording it had paused stays paused (Asterisk still writes silence), and can be resumed.
   */
  adopt(channelId: string, paused?: { agentId: string; at: number }): void {
    this.recording.add(channelId);
    if (paused) this.paused.set(channelId, paused);
  }

  /** Whether the channel's conversation is being recorded now (not waiting for AMI to come back). */
  isRecording(channelId: string): boolean {
    return this.recording.has(channelId) && !this.waiting.has(channelId);
  }

  /** Who paused the channel's recording and when; undefined while it records. */
  pausedBy(channelId: string): { agentId: string; at: number } | undefined {
    return this.paused.get(channelId);
  }

  /** Pauses the recording: silence is written from now until it is resumed. */
  async pause(channelId: string, agentId: string, at: number): Promise<void> {
    await this.telephony.muteRecording(channelId, true);
    this.paused.set(channelId, { agentId, at });
  }

  /** Resumes a paused recording; the seconds it was paused. */
  async resume(channelId: string, at: number): Promise<number> {
    const since = this.paused.get(channelId);
    await this.telephony.muteRecording(channelId, false);
    this.paused.delete(channelId);
    return since ? Math.max(0, (at - since.at) / 1000) : 0;
  }

  async start(session: CallSession): Promise<void> {
    const { format } = this;
    if (!format || this.recording.has(session.channelId)) return;
    this.recording.add(session.channelId);
    const name = session.interactionId;
    const path = `${name}.${format}`;
    try {
      await this.telephony.recordCall(session.channelId, name, format);
    } catch (error) {
      if (error instanceof AmiTimeout) {
        // Asterisk may well be recording (a slow answer, not a refusal): the file is linked, not given up
        // on, and no second recording is started into it.
        session.logger.warn({ err: error }, 'no answer to the recording request; linked in case it runs');
        await session.record(
          { type: 'recording.started', payload: { name, path, unconfirmed: true } },
          { recording_path: path },
        );
        return;
      }
      if (error instanceof AmiNotConnected) {
        // Not refused: AMI is down. Recorded from when it is back, rather than not at all.
        this.waiting.set(session.channelId, session);
        session.logger.warn('AMI is down: the recording starts when it is back');
        return;
      }
      this.recording.delete(session.channelId);
      session.logger.warn({ err: error }, 'recording did not start');
      await session.record({
        type: 'call.error',
        payload: {
          operation: 'record',
          code: 'RECORDING_NOT_STARTED',
          message: error instanceof Error ? error.message : String(error),
        },
      });
      return;
    }
    await session.record({ type: 'recording.started', payload: { name, path } }, { recording_path: path });
  }
}
