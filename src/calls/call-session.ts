import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SkillMap } from '../agents/schema.js';
import type { Disposition, EndedBy, InteractionEvent } from '../interactions/events.js';
import type { InteractionLog } from '../store/interaction-log.js';
import type { InteractionPatch } from '../store/schema.js';
import { isGone } from '../telephony/ari/rest.js';
import { isDeviceLoss, type Telephony, type TelephonyEvent } from '../telephony/telephony.js';
import { type CallInput, type CallState, transition } from './call-state.js';

export type PlayOutcome = 'done' | 'failed' | 'hangup';

export interface CallSessionDeps {
  telephony: Telephony;
  log: InteractionLog;
  logger: Logger;
  now: () => number;
}

/** The caller hung up (or the call was lost) while a step was waiting on it. */
export class CallEnded extends Error {
  readonly code = 'CALL_ENDED';
  constructor() {
    super('the call has ended');
  }
}

/** What the ACD did with the call, for the figures written when it ends. */
export interface QueueOutcome {
  queueId: string;
  enqueuedAt: number;
  agentId?: string;
  connectedAt?: number;
  /**
   * The first time the caller reached an agent, kept when it is queued again (a blind transfer to a queue,
   * a lost agent): the call was handled, and its talk time runs from there, as through a transfer to an agent.
   */
  firstConnectedAt?: number;
  /** When the conversation ended though the call went on (an after-call survey): talk time stops there. */
  talkEndedAt?: number;
  /**
   * Talk in the conversations that ended before the current one (the caller put back in a queue in
   * between): the call's talk time adds them up, and leaves out the waits between them.
   */
  talkedBeforeMs?: number;
  /** Time talked to agents since `enqueuedAt` (a caller put back in line): not part of its wait. */
  talkedMs?: number;
  /** How the caller was queued, so a caller put back in line (its agent lost) keeps them. */
  priority?: number;
  skills?: SkillMap;
}

interface PendingPlayback {
  media: string[];
  resolve: (outcome: PlayOutcome) => void;
}

/**
 * One live caller leg: its state, its interaction, the call-control verbs a script may use on it, and one
 * ordered queue of interaction-log writes so its timeline is written in the order things happened.
 */
export class CallSession {
  state: CallState = 'arrived';
  readonly logger: Logger;
  queue: QueueOutcome | undefined;
  /** Set when the connected agent's leg hung up first. */
  endedByAgent = false;
  /** The caller asked for a callback and keeps their place in the queue after hanging up. */
  callbackRequested = false;
  /** How the call ends if nobody talked (e.g. 'no-answer' for an agent's outbound call the customer never took). */
  unansweredDisposition: Disposition | undefined;
  /** Why the call could not be placed at all (markFailed). */
  private failedReason: string | undefined;
  /**
   * The id the ACD knows this call by. The same as the interaction id, except for a callback's customer
   * leg: its conversation is a new interaction, but it answers the queue entry of the original call.
   */
  routingId: string;
  /** Writes of this call not yet given to the interaction log, in order. */
  private readonly backlog: {
    what: string;
    write: () => Promise<unknown>;
    done: (settled: Promise<void>) => void;
  }[] = [];
  /** A write that may reach the log only later (it awaits something first): the backlog waits for it. */
  private blockedBy: Promise<void> | undefined;
  private readonly playbacks = new Map<string, PendingPlayback>();
  private readonly digitListeners = new Set<(digit: string) => void>();
  private systemHangupRequested = false;
  /**
   * Set when Asterisk reports the far end hung up (cause code per Q.850); `lineLost`: Asterisk itself gave up
   * on the line (no audio for the trunk's media timeout).
   */
  private remoteHangup: { cause?: number; lineLost: boolean } | undefined;
  /** How the call ended, once it has (for the end listeners: the agent on it is told why). */
  endedAs: { by: EndedBy; lineLost: boolean } | undefined;
  private endedResolve!: () => void;
  private readonly endListeners = new Set<() => void>();
  /** Resolves once the interaction is closed and written. */
  readonly closed: Promise<void>;

  constructor(
    readonly channelId: string,
    readonly interactionId: string,
    readonly startedAt: number,
    private readonly deps: CallSessionDeps,
    readonly callerNumber = '',
    /** The caller's name as their carrier sent it ('' when none). */
    readonly callerName = '',
  ) {
    this.logger = deps.logger.child({ callId: channelId, interactionId });
    this.routingId = interactionId;
    this.closed = new Promise((resolve) => {
      this.endedResolve = resolve;
    });
  }

  /** The caller ID an agent's (or a colleague's, or a number's) phone is rung with for this call. */
  get legCallerId(): string {
    return callerIdOf(this.callerNumber, this.callerName);
  }

  get isEnded(): boolean {
    return this.state === 'ended';
  }

  get isLive(): boolean {
    return !this.isEnded && !this.systemHangupRequested;
  }

  /**
   * Runs a write to the interaction log after everything already queued for this call; resolves once it is
   * done (a failure is logged, not thrown). A write the log takes into its commit queue at once (its own
   * open/record promise) lets the next one be queued right behind it, so a call's entries of one moment
   * share a commit; any other write (one that awaits before writing) holds the ones after it until done.
   */
  enqueueWrite(what: string, write: () => Promise<unknown>): Promise<void> {
    return new Promise((done) => {
      this.backlog.push({ what, write, done });
      this.pump();
    });
  }

  private pump(): void {
    while (!this.blockedBy && this.backlog.length > 0) {
      const { what, write, done } = this.backlog.shift()!;
      let written: Promise<unknown>;
      try {
        written = write();
      } catch (error) {
        written = Promise.reject(error);
      }
      const settled = written.then(
        () => undefined,
        (error) => {
          this.logger.error({ err: error, what }, 'interaction write failed');
        },
      );
      done(settled);
      if (this.deps.log.handedOver(written)) continue;
      const blocker: Promise<void> = settled.then(() => {
        if (this.blockedBy !== blocker) return;
        this.blockedBy = undefined;
        this.pump();
      });
      this.blockedBy = blocker;
    }
  }

  /** Appends to the timeline after everything already queued for this call. */
  record(event: InteractionEvent, patch: InteractionPatch = {}, at = this.deps.now()): Promise<void> {
    return this.enqueueWrite(event.type, () => this.deps.log.record(this.interactionId, at, event, patch));
  }

  /** Applies a state-machine input; a refused one is logged with its reason and changes nothing. */
  move(input: CallInput): boolean {
    const result = transition(this.state, input);
    if (!result.ok) {
      this.logger.warn({ state: this.state, input, reason: result.reason }, 'call transition refused');
      return false;
    }
    this.state = result.to;
    return true;
  }

  /**
   * The agent transferred the caller back to a queue: the conversation with that agent is over and the
   * caller is answered again, ready to be enqueued (the agent seat's blind transfer to a queue).
   */
  releaseFromAgent(): void {
    if (this.state === 'connected') this.state = 'answered';
  }

  onEnd(listener: () => void): void {
    this.endListeners.add(listener);
  }

  // ---- verbs for call scripts

  /**
   * Answers the call. The state moves as the request is sent (synchronously), so a caller of answer()
   * can route the call at once without waiting for Asterisk's reply; a failed answer still rejects.
   */
  async answer(): Promise<void> {
    this.assertLive();
    const request = this.deps.telephony.ari.answer(this.channelId);
    const moved = this.move('answer');
    await request;
    if (moved) {
      const at = this.deps.now();
      // Not awaited: the call's writes are ordered by its own queue; routing must not wait for the disk.
      void this.record(
        { type: 'call.answered', payload: { channelId: this.channelId } },
        { answered_at: at },
        at,
      );
    }
  }

  /** Plays media (e.g. `sound:hello-world`) and waits until it finishes or the call ends. */
  async play(media: string[]): Promise<PlayOutcome> {
    this.assertLive();
    const playbackId = randomUUID();
    const finished = new Promise<PlayOutcome>((resolve) =>
      this.playbacks.set(playbackId, { media, resolve }),
    );
    void this.record({ type: 'ivr.prompt.started', payload: { media, playbackId } });
    try {
      await this.deps.telephony.ari.play(this.channelId, media, playbackId);
    } catch (error) {
      this.finishPlayback(playbackId, this.isEnded ? 'hangup' : 'failed');
      if (isGone(error)) return 'hangup';
      throw error;
    }
    return finished;
  }

  /**
   * The language the caller hears from now on (Asterisk's channel language): Asterisk's own sounds, numbers
   * and the contact center's `custom/` sounds are looked up in that language's folders first. It stays
   * with the channel (a queue's announcements, a restart of the service).
   */
  async setLanguage(language: string): Promise<void> {
    this.assertLive();
    await this.deps.telephony.ari.setVariable(this.channelId, 'CHANNEL(language)', language);
  }

  /** Stops every prompt playing on this call (e.g. the caller pressed a key that answers it). */
  async stopPrompts(): Promise<void> {
    await Promise.all(
      [...this.playbacks.keys()].map((id) => this.deps.telephony.ari.stopPlayback(id).catch(() => undefined)),
    );
  }

  /** Calls `listener` for every DTMF digit until the returned function is called. */
  onDigit(listener: (digit: string) => void): () => void {
    this.digitListeners.add(listener);
    return () => this.digitListeners.delete(listener);
  }

  async startMusicOnHold(mohClass?: string): Promise<void> {
    if (!this.isLive) return;
    await this.deps.telephony.ari.startMoh(this.channelId, mohClass).catch((e) => this.ignoreGone(e));
  }

  async stopMusicOnHold(): Promise<void> {
    if (!this.isLive) return;
    await this.deps.telephony.ari.stopMoh(this.channelId).catch((e) => this.ignoreGone(e));
  }

  async hangup(): Promise<void> {
    if (this.isEnded || this.systemHangupRequested) return;
    this.systemHangupRequested = true;
    this.move('system-hangup');
    try {
      await this.deps.telephony.ari.hangup(this.channelId);
    } catch (error) {
      if (!isGone(error)) throw error; // already gone: the channel-ended event closes the call
    }
  }

  // ---- events from Asterisk, routed here by the calls service

  onTelephonyEvent(event: TelephonyEvent): void {
    if (event.type === 'playback.finished') {
      // A prompt cut off by a hang-up reports 'failed'; it was interrupted, not broken.
      const outcome: PlayOutcome = !event.failed ? 'done' : this.remoteHangup ? 'hangup' : 'failed';
      this.finishPlayback(event.playbackId, outcome, event.at);
    } else if (event.type === 'dtmf') {
      for (const listener of this.digitListeners) listener(event.digit);
    } else if (event.type === 'channel.hangup-requested') {
      if (!this.systemHangupRequested)
        this.remoteHangup = { cause: event.cause, lineLost: isDeviceLoss(event) };
    } else if (event.type === 'channel.left-app' || event.type === 'channel.ended') {
      // After StasisEnd the application no longer hears about the channel, so leaving the app is the end.
      const ended = event.type === 'channel.ended' ? event : undefined;
      // A line gone silent (the trunk's media timeout) ends like a hang-up, but the record says what it was;
      // its soft hang-up's cause is Asterisk's soft hangup flag (1), not a Q.850 one.
      const lineLost = this.remoteHangup?.lineLost === true;
      const cause = ended ? ended.cause : lineLost ? undefined : this.remoteHangup?.cause;
      void this.end(event.at, { cause, causeText: lineLost ? LINE_LOST : ended?.causeText });
    }
  }

  ownsPlayback(playbackId: string): boolean {
    return this.playbacks.has(playbackId);
  }

  /**
   * After the link to Asterisk was down: a prompt that ended meanwhile sent its end to nobody (ARI does
   * not replay events), and the step waiting for it would wait for ever. Asks Asterisk for each prompt
   * still awaited; one it no longer knows has ended.
   */
  async checkPlaybacksAfterGap(): Promise<void> {
    await Promise.all(
      [...this.playbacks.keys()].map(async (playbackId) => {
        try {
          await this.deps.telephony.ari.request('GET', `/playbacks/${encodeURIComponent(playbackId)}`);
        } catch (error) {
          if (isGone(error)) this.finishPlayback(playbackId, 'done');
        }
      }),
    );
  }

  /** The channel vanished without us seeing it end (Asterisk restarted while the link was down). */
  markLost(at: number, reason: string): Promise<void> {
    return this.end(at, undefined, reason);
  }

  /**
   * A call that could not be placed at all (the trunk refused it, the agent's phone could not be rung):
   * closed as failed, by the system, with why; not as lost, which is for calls the service lost sight of.
   */
  markFailed(at: number, reason: string): Promise<void> {
    this.failedReason = reason;
    return this.end(at, undefined, reason);
  }

  /** A script step failed in a way the call cannot recover from: say so, then hang up. */
  async fail(operation: string, error: unknown): Promise<void> {
    const code = (error as { code?: string }).code ?? 'CALL_STEP_FAILED';
    this.logger.error({ err: error, operation }, 'call step failed');
    await this.record({
      type: 'call.error',
      payload: { operation, code, message: (error as Error).message },
    });
    await this.hangup().catch((e) => this.logger.warn({ err: e }, 'hang-up after failure also failed'));
  }

  /** Ends a prompt: the timeline entry is queued now, in event order, before anything that follows. */
  private finishPlayback(playbackId: string, outcome: PlayOutcome, at = this.deps.now()): void {
    const playback = this.playbacks.get(playbackId);
    if (!playback) return;
    this.playbacks.delete(playbackId);
    void this.record(
      {
        type: 'ivr.prompt.finished',
        payload: {
          media: playback.media,
          playbackId,
          outcome: outcome === 'hangup' ? 'interrupted' : outcome,
        },
      },
      {},
      at,
    );
    playback.resolve(outcome);
  }

  private settle(lostReason: string | undefined): { by: EndedBy; disposition: Disposition } {
    if (this.failedReason) return { by: 'system', disposition: 'failed' };
    if (lostReason) return { by: 'asterisk', disposition: 'lost' };
    const by: EndedBy = this.endedByAgent ? 'agent' : this.systemHangupRequested ? 'system' : 'caller';
    if ((this.queue?.firstConnectedAt ?? this.queue?.connectedAt) !== undefined) {
      return { by, disposition: 'handled' };
    }
    if (this.callbackRequested) return { by, disposition: 'callback-requested' };
    if (this.unansweredDisposition) return { by, disposition: this.unansweredDisposition };
    if (this.state === 'queued' && by === 'caller') return { by, disposition: 'abandoned' };
    return { by, disposition: by === 'caller' ? 'caller-hangup' : 'completed' };
  }

  private async end(
    at: number,
    hangup?: { cause?: number; causeText?: string },
    lostReason?: string,
  ): Promise<void> {
    if (this.isEnded) return;
    for (const playbackId of [...this.playbacks.keys()]) this.finishPlayback(playbackId, 'hangup', at);
    const { by, disposition } = this.settle(lostReason);
    const wasQueued = this.state === 'queued';
    this.move(lostReason ? 'lost' : 'channel-ended');
    if (lostReason && !this.failedReason)
      void this.record({ type: 'interaction.lost', payload: { reason: lostReason } }, {}, at);
    else
      void this.record(
        {
          type: 'call.hangup',
          payload: {
            channelId: this.channelId,
            by,
            cause: hangup?.cause,
            causeText: hangup?.causeText,
            ...(this.remoteHangup?.lineLost ? { lineLost: true } : {}),
          },
        },
        {},
        at,
      );
    this.endedAs = { by, lineLost: this.remoteHangup?.lineLost === true };
    // Let the ACD record what the hang-up means for it (abandon, agent wrap-up) before the row closes.
    for (const listener of this.endListeners) listener();
    const durationSeconds = Math.max(0, (at - this.startedAt) / 1000);
    const q = this.queue;
    const patch: InteractionPatch = {
      state: 'closed',
      ended_at: at,
      disposition,
      ended_by: by,
      hangup_cause: hangup
        ? [hangup.cause, hangup.causeText].filter((x) => x !== undefined).join(' ') || null
        : (lostReason ?? null),
    };
    const firstConnectedAt = q?.firstConnectedAt ?? q?.connectedAt;
    if (firstConnectedAt !== undefined) {
      // The conversations' time: the earlier ones, and the one under way (from its connect), if any.
      const current = q?.connectedAt !== undefined ? (q.talkEndedAt ?? at) - q.connectedAt : 0;
      const before =
        q?.talkedBeforeMs ?? (q?.connectedAt === undefined ? (q?.talkEndedAt ?? at) - firstConnectedAt : 0);
      patch.talk_seconds = Math.max(0, before + current) / 1000;
    }
    if (q && firstConnectedAt === undefined && wasQueued) {
      patch.abandoned = disposition === 'abandoned' ? 1 : 0;
      patch.wait_seconds = (at - q.enqueuedAt) / 1000;
    }
    await this.record(
      { type: 'interaction.closed', payload: { disposition, endedBy: by, durationSeconds } },
      patch,
      at,
    );
    this.logger.info({ disposition, endedBy: by, durationSeconds }, 'call ended');
    this.endedResolve();
  }

  private assertLive(): void {
    if (!this.isLive) throw new CallEnded();
  }

  private ignoreGone(error: unknown): void {
    if (!isGone(error)) throw error;
  }
}

/**
 * A caller ID in Asterisk's `"name" <number>` form, so a desk phone shows who calls as the softphone's screen
 * pop does. The name comes from the caller's carrier: whatever would break the form (quotes, backslashes,
 * angle brackets, control characters) is left out, and a name that only repeats the number is dropped.
 */
export function callerIdOf(number: string, name = ''): string {
  const shown = number || 'unknown';
  const clean = name
    .replace(/["\\<>\p{Cc}]/gu, '')
    .trim()
    .slice(0, 64);
  return clean && clean !== shown ? `"${clean}" <${shown}>` : shown;
}

/** A caller's line Asterisk gave up on: their carrier sent no audio for the trunk's media timeout. */
export const LINE_LOST = "no audio from the caller's line (the trunk's media timeout): Asterisk hung up";
