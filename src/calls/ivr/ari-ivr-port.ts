/**
 * `IvrPort` over a live call: the pure IVR runtime (src/ivr) drives the caller through these verbs, and
 * this file turns them into CallSession verbs and ARI requests.
 *
 * Digits: every RFC 2833 key the channel reports is buffered from the moment the port exists. A key
 * pressed during an interruptible prompt stops it and is returned; keys that arrive after it (or between
 * a prompt and the collection that follows) wait in the buffer for `collectDigits`. Keys pressed during
 * a non-interruptible prompt are discarded. A hang-up during any verb resolves it with the port's hang-up
 * outcome — no promise here waits on Asterisk without also watching for the end of the call.
 */
import { randomUUID } from 'node:crypto';
import type {
  CollectOptions,
  CollectResult,
  DipRequest,
  DipResult,
  Dtmf,
  IvrPort,
  Media,
  PlayResult,
  RecordOptions,
  RecordResult,
} from '../../ivr/index.js';
import { mediaUri } from '../../ivr/index.js';
import { isGone } from '../../telephony/ari/rest.js';
import type { AriRest } from '../../telephony/ari/rest.js';
import type { TelephonyEvent } from '../../telephony/telephony.js';
import type { PlayOutcome } from '../call-session.js';

/** What the port needs from the call (CallSession implements it; unit tests use a fake). */
export interface IvrCall {
  readonly channelId: string;
  readonly interactionId: string;
  readonly state: string;
  readonly isEnded: boolean;
  readonly isLive: boolean;
  answer(): Promise<void>;
  setLanguage(language: string): Promise<void>;
  play(media: string[]): Promise<PlayOutcome>;
  stopPrompts(): Promise<void>;
  onDigit(listener: (digit: string) => void): () => void;
  onEnd(listener: () => void): void;
}

/** What the port needs from telephony: the recording verb and the event feed (RecordingFinished). */
export interface IvrTelephony {
  // Fakes in unit tests may resolve recordChannel with anything; the port only awaits it.
  readonly ari: {
    recordChannel(id: string, opts: Parameters<AriRest['recordChannel']>[1]): Promise<unknown>;
    stopLiveRecording: AriRest['stopLiveRecording'];
    getLiveRecording(name: string): Promise<{ duration?: number }>;
  };
  on(event: 'event', listener: (event: TelephonyEvent) => void): unknown;
  off(event: 'event', listener: (event: TelephonyEvent) => void): unknown;
}

export interface AriIvrPortOptions {
  call: IvrCall;
  telephony: IvrTelephony;
  /** File format of voicemail recordings (Asterisk writes `<name>.<format>` in its recording spool). */
  recordingFormat?: string;
  now?: () => number;
  fetch?: typeof fetch;
  /** Recording names; default `vm-<interactionId>-<random>`. */
  recordingName?: () => string;
  /**
   * Told a message recording's name just before it starts, so a restart of the service can find it
   * (the call's timeline keeps it).
   */
  onRecordingStarting?: (name: string, format: string) => void;
  /** The length of a finished recording, read from its file; undefined when there is none. */
  storedRecordingMs?: (name: string, format: string) => Promise<number | undefined>;
  /** How long to wait for Asterisk to confirm a stopped prompt or an ended recording. Default 2000 ms. */
  settleMs?: number;
}

const DTMF = /^[0-9*#]$/;

/** Resolves after `ms`; the timer is cleared when `signal` fires. */
function delay(ms: number): { promise: Promise<'timeout'>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export class AriIvrPort implements IvrPort {
  private readonly buffer: Dtmf[] = [];
  private digitWaiter: ((digit: Dtmf) => void) | undefined;
  private readonly unsubscribeDigits: () => void;
  private hungUpFlag = false;
  private readonly hangupWaiters = new Set<() => void>();
  /** Resolves when the call ends (never rejects). */
  private readonly ended: Promise<'hangup'>;
  /** Keys seen while a recording runs (to tell a terminator from silence). */
  private recordingKeys: Dtmf[] | undefined;
  private readonly clock: () => number;
  private readonly fetchFn: typeof fetch;
  private readonly settleMs: number;

  constructor(private readonly opts: AriIvrPortOptions) {
    this.clock = opts.now ?? Date.now;
    this.fetchFn = opts.fetch ?? fetch;
    this.settleMs = opts.settleMs ?? 2000;
    this.ended = new Promise((resolve) => {
      this.hangupWaiters.add(() => resolve('hangup'));
    });
    opts.call.onEnd(() => this.markHungUp());
    if (opts.call.isEnded) this.markHungUp();
    this.unsubscribeDigits = opts.call.onDigit((digit) => this.onDigit(digit));
  }

  /** The call has ended (or is being hung up by the service). */
  get hungUp(): boolean {
    return this.hungUpFlag || this.opts.call.isEnded;
  }

  /** Stops listening for digits (the ACD takes them over once the caller is queued). */
  dispose(): void {
    this.unsubscribeDigits();
    this.digitWaiter = undefined;
    this.buffer.length = 0;
  }

  /** Keys waiting to be consumed (for tests and diagnostics). */
  get bufferedDigits(): string {
    return this.buffer.join('');
  }

  private markHungUp(): void {
    if (this.hungUpFlag) return;
    this.hungUpFlag = true;
    for (const w of this.hangupWaiters) w();
    this.hangupWaiters.clear();
  }

  private onDigit(raw: string): void {
    if (!DTMF.test(raw)) return;
    const digit = raw as Dtmf;
    this.recordingKeys?.push(digit);
    const waiter = this.digitWaiter;
    if (waiter) {
      this.digitWaiter = undefined;
      waiter(digit);
    } else {
      this.buffer.push(digit);
    }
  }

  /** Next key: from the buffer, else the next one pressed. Cancel with the returned function. */
  private nextDigit(): { promise: Promise<Dtmf>; cancel: () => void } {
    const buffered = this.buffer.shift();
    if (buffered !== undefined) return { promise: Promise.resolve(buffered), cancel: () => undefined };
    let waiter: ((d: Dtmf) => void) | undefined;
    const promise = new Promise<Dtmf>((resolve) => {
      waiter = resolve;
      this.digitWaiter = resolve;
    });
    return {
      promise,
      cancel: () => {
        if (this.digitWaiter === waiter) this.digitWaiter = undefined;
      },
    };
  }

  // ---- IvrPort

  now(): number {
    return this.clock();
  }

  async answer(): Promise<{ hungUp?: boolean }> {
    if (this.hungUp) return { hungUp: true };
    if (this.opts.call.state !== 'arrived') return {};
    return this.unlessGone(() => this.opts.call.answer());
  }

  async setLanguage(language: string): Promise<{ hungUp?: boolean }> {
    if (this.hungUp) return { hungUp: true };
    return this.unlessGone(() => this.opts.call.setLanguage(language));
  }

  /** Runs a verb on the call: a call that ended meanwhile is a hang-up, not a failure. */
  private async unlessGone(verb: () => Promise<void>): Promise<{ hungUp?: boolean }> {
    try {
      await verb();
    } catch (error) {
      if (this.hungUp || isGone(error) || (error as { code?: string }).code === 'CALL_ENDED') {
        return { hungUp: true };
      }
      throw error;
    }
    return this.hungUp ? { hungUp: true } : {};
  }

  async play(media: readonly Media[], options: { interruptible: boolean }): Promise<PlayResult> {
    if (this.hungUp) return { hungUp: true };
    if (media.length === 0) return {};
    if (!options.interruptible) {
      this.buffer.length = 0;
      const outcome = await Promise.race([this.startPlayback(media), this.ended]);
      this.buffer.length = 0; // keys pressed during a prompt that cannot be interrupted are not answers
      return this.playResult(outcome);
    }
    // Type-ahead: a key already pressed answers this prompt before it starts.
    const early = this.buffer.shift();
    if (early !== undefined) return { interruptedBy: early };
    const playing = this.startPlayback(media);
    const key = this.nextDigit();
    const first = await Promise.race([
      playing.then((outcome) => ({ outcome })),
      key.promise.then((digit) => ({ digit })),
      this.ended.then(() => ({ outcome: 'hangup' as const })),
    ]);
    key.cancel();
    if ('digit' in first) {
      await this.stopAndSettle(playing);
      if (this.hungUp) return { hungUp: true };
      return { interruptedBy: first.digit };
    }
    return this.playResult(first.outcome);
  }

  async collectDigits(o: CollectOptions): Promise<CollectResult> {
    if (this.hungUp) return { digits: this.takeBuffered(o), reason: 'hangup' };
    if (o.max <= 0) return { digits: '', reason: 'max' };
    let digits = '';
    let timeoutMs = o.firstDigitTimeoutMs;
    for (;;) {
      const key = this.nextDigit();
      const timer = delay(timeoutMs);
      const r = await Promise.race([key.promise, timer.promise, this.ended]);
      key.cancel();
      timer.cancel();
      if (r === 'hangup') return { digits, reason: 'hangup' };
      if (r === 'timeout') return { digits, reason: 'timeout' };
      if (o.terminator !== null && r === o.terminator) return { digits, reason: 'terminator' };
      digits += r;
      if (digits.length >= o.max) return { digits, reason: 'max' };
      timeoutMs = o.interDigitTimeoutMs;
    }
  }

  async record(o: RecordOptions): Promise<RecordResult> {
    const name =
      o.underWay ??
      this.opts.recordingName?.() ??
      `vm-${this.opts.call.interactionId}-${randomUUID().slice(0, 8)}`;
    const format = this.opts.recordingFormat ?? 'wav';
    if (this.hungUp)
      return { recordingId: name, durationMs: 0, endedBy: 'hangup', error: 'the call has ended' };
    const { telephony } = this.opts;
    let onFinished!: (e: Extract<TelephonyEvent, { type: 'recording.finished' }>) => void;
    const finished = new Promise<Extract<TelephonyEvent, { type: 'recording.finished' }>>((resolve) => {
      onFinished = resolve;
    });
    const listener = (e: TelephonyEvent) => {
      if (e.type === 'recording.finished' && e.name === name) onFinished(e);
    };
    telephony.on('event', listener);
    this.buffer.length = 0;
    this.recordingKeys = [];
    let startedAt = this.now();
    try {
      const underWay = o.underWay !== undefined ? await this.recordingUnderWay(name, format) : undefined;
      if (underWay?.state === 'finished')
        return { recordingId: name, durationMs: underWay.durationMs, endedBy: 'unobserved' };
      if (underWay?.state === 'live') {
        startedAt -= underWay.durationMs;
      } else {
        // A new recording, or one the previous run meant to start and never did ('absent'): beep first.
        try {
          this.opts.onRecordingStarting?.(name, format);
          await telephony.ari.recordChannel(this.opts.call.channelId, {
            name,
            format,
            ifExists: 'fail',
            beep: o.beep,
            maxDurationSeconds: Math.max(1, Math.ceil(o.maxMs / 1000)),
            maxSilenceSeconds: Math.max(0, Math.ceil(o.silenceMs / 1000)),
            terminateOn: o.terminator,
          });
        } catch (error) {
          if (this.hungUp || isGone(error))
            return { recordingId: name, durationMs: 0, endedBy: 'hangup', error: 'the call has ended' };
          return {
            recordingId: name,
            durationMs: 0,
            endedBy: 'max',
            error: error instanceof Error ? error.message : String(error),
          };
        }
      }
      // Asterisk ends the recording at max duration; the margin covers a lost event.
      const backstop = delay(o.maxMs + 10_000);
      const first = await Promise.race([finished, this.ended, backstop.promise]);
      backstop.cancel();
      if (first === 'timeout') {
        await telephony.ari.stopLiveRecording(name).catch(() => undefined);
        return {
          recordingId: name,
          durationMs: this.now() - startedAt,
          endedBy: 'max',
          error: 'Asterisk did not report the end of the recording',
        };
      }
      if (first === 'hangup') {
        // The caller hung up while speaking: Asterisk keeps what was recorded and reports its end.
        const settle = delay(this.settleMs);
        const late = await Promise.race([finished, settle.promise]);
        settle.cancel();
        const durationMs =
          late !== 'timeout' && late.durationSeconds !== undefined
            ? late.durationSeconds * 1000
            : this.now() - startedAt;
        return { recordingId: name, durationMs, endedBy: 'hangup' };
      }
      if (first.failed)
        return {
          recordingId: name,
          durationMs: 0,
          endedBy: 'max',
          error: 'Asterisk reported the recording failed',
        };
      const durationMs =
        first.durationSeconds !== undefined ? first.durationSeconds * 1000 : this.now() - startedAt;
      if (this.hungUp) return { recordingId: name, durationMs, endedBy: 'hangup' };
      const endedBy = this.recordingKeys.includes(o.terminator)
        ? 'terminator'
        : this.now() - startedAt >= o.maxMs - 500
          ? 'max'
          : 'silence';
      return { recordingId: name, durationMs, endedBy };
    } finally {
      this.recordingKeys = undefined;
      this.buffer.length = 0;
      telephony.off('event', listener);
    }
  }

  /** Where a recording a previous run started stands: still being made, finished, or never started. */
  private async recordingUnderWay(
    name: string,
    format: string,
  ): Promise<{ state: 'live' | 'finished'; durationMs: number } | { state: 'absent' }> {
    try {
      const live = await this.opts.telephony.ari.getLiveRecording(name);
      return { state: 'live', durationMs: (live.duration ?? 0) * 1000 };
    } catch (error) {
      if (!isGone(error)) throw error;
    }
    const durationMs = await this.opts.storedRecordingMs?.(name, format);
    return durationMs === undefined ? { state: 'absent' } : { state: 'finished', durationMs };
  }

  async httpDip(req: DipRequest): Promise<DipResult> {
    const hangup = new AbortController();
    const stop = () => hangup.abort(new Error('the call has ended'));
    this.hangupWaiters.add(stop);
    try {
      const timeout = AbortSignal.timeout(req.timeoutMs);
      const headers: Record<string, string> = { accept: 'application/json', ...(req.headers ?? {}) };
      let body: string | undefined;
      if (req.method === 'POST' && req.body !== undefined) {
        body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
          headers['content-type'] = typeof req.body === 'string' ? 'text/plain' : 'application/json';
      }
      const response = await this.fetchFn(req.url, {
        method: req.method,
        headers,
        body,
        signal: AbortSignal.any([timeout, hangup.signal]),
      });
      const text = await readCapped(response, MAX_DIP_RESPONSE_BYTES);
      if (text === undefined) {
        return { kind: 'error', message: `the response is larger than ${MAX_DIP_RESPONSE_BYTES} bytes` };
      }
      let parsed: unknown = text;
      try {
        parsed = text === '' ? null : JSON.parse(text);
      } catch {
        // not JSON: the mapper gets the text
      }
      return { kind: 'response', status: response.status, body: parsed };
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError') return { kind: 'timeout' };
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    } finally {
      this.hangupWaiters.delete(stop);
    }
  }

  // ---- internals

  private takeBuffered(o: CollectOptions): string {
    const keys = this.buffer.splice(0);
    const cut = o.terminator === null ? -1 : keys.indexOf(o.terminator);
    return (cut >= 0 ? keys.slice(0, cut) : keys).slice(0, Math.max(0, o.max)).join('');
  }

  /** Starts the prompt; resolves with its outcome, or the error text if it could not be played. */
  private async startPlayback(media: readonly Media[]): Promise<PlayOutcome | { error: string }> {
    try {
      return await this.opts.call.play(media.map(mediaUri));
    } catch (error) {
      if (this.hungUp || (error as { code?: string }).code === 'CALL_ENDED') return 'hangup';
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  private playResult(outcome: PlayOutcome | { error: string }): PlayResult {
    if (outcome === 'hangup' || this.hungUp) return { hungUp: true };
    if (outcome === 'failed') return { error: 'Asterisk reported the playback failed' };
    if (typeof outcome === 'object') return { error: outcome.error };
    return {};
  }

  /**
   * Stops the prompt and waits (bounded) until Asterisk confirms, so the next prompt does not queue
   * behind it. A stop sent before Asterisk created the playback is lost, hence the second attempt.
   */
  private async stopAndSettle(playing: Promise<unknown>): Promise<void> {
    const settled = playing.then(() => 'settled' as const);
    await this.opts.call.stopPrompts();
    const retry = delay(Math.min(250, this.settleMs));
    const r = await Promise.race([settled, retry.promise, this.ended]);
    retry.cancel();
    if (r !== 'timeout') return;
    await this.opts.call.stopPrompts();
    const cap = delay(this.settleMs);
    await Promise.race([settled, cap.promise, this.ended]);
    cap.cancel();
  }
}

/** A data dip answers a caller lookup: a reply larger than this is a mistake, not data (and memory). */
const MAX_DIP_RESPONSE_BYTES = 1024 * 1024;

/** The body as text, or undefined (and the rest not read) once it is larger than `max` bytes. */
async function readCapped(response: Response, max: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > max) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
