/**
 * AriIvrPort with fakes only (no Asterisk): a fake call (prompts, keys, hang-up) and fake telephony
 * (recording verb + event feed). Timers are vitest's fake timers where timeouts matter.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PlayOutcome } from '../../../../src/calls/call-session.js';
import { AriIvrPort, type IvrCall, type IvrTelephony } from '../../../../src/calls/ivr/ari-ivr-port.js';
import type { Media } from '../../../../src/ivr/index.js';
import type { TelephonyEvent } from '../../../../src/telephony/telephony.js';
import { AriRequestError } from '../../../../src/telephony/ari/rest.js';

class FakeCall implements IvrCall {
  channelId = 'chan-1';
  interactionId = 'int-1';
  state = 'answered';
  isEnded = false;
  answered = 0;
  stops = 0;
  played: string[][] = [];
  private current: ((o: PlayOutcome) => void) | undefined;
  private readonly digits = new Set<(d: string) => void>();
  private readonly ends: (() => void)[] = [];
  /** When false, stopPrompts does not end the prompt (a stop that raced the playback's creation). */
  stopWorks = true;

  get isLive() {
    return !this.isEnded;
  }
  async answer() {
    this.answered++;
    this.state = 'answered';
  }
  languages: string[] = [];
  /** What setLanguage throws (the channel gone, or a refusal). */
  languageError: Error | undefined;
  async setLanguage(language: string) {
    if (this.languageError) throw this.languageError;
    this.languages.push(language);
  }
  play(media: string[]): Promise<PlayOutcome> {
    this.played.push(media);
    return new Promise((resolve) => {
      this.current = resolve;
    });
  }
  async stopPrompts() {
    this.stops++;
    if (this.stopWorks) this.finish('done');
  }
  onDigit(l: (d: string) => void) {
    this.digits.add(l);
    return () => this.digits.delete(l);
  }
  onEnd(l: () => void) {
    this.ends.push(l);
  }
  // ---- test controls
  finish(outcome: PlayOutcome = 'done') {
    const c = this.current;
    this.current = undefined;
    c?.(outcome);
  }
  get playing() {
    return this.current !== undefined;
  }
  press(keys: string) {
    for (const k of keys) for (const l of this.digits) l(k);
  }
  hangup() {
    this.isEnded = true;
    this.state = 'ended';
    this.finish('hangup');
    for (const l of this.ends) l();
  }
  get listeners() {
    return this.digits.size;
  }
}

class FakeTelephony extends EventEmitter implements IvrTelephony {
  recordCalls: { id: string; opts: Record<string, unknown> }[] = [];
  recordError: Error | undefined;
  stopped: string[] = [];
  ari = {
    recordChannel: async (id: string, opts: Record<string, unknown>) => {
      this.recordCalls.push({ id, opts });
      if (this.recordError) throw this.recordError;
      return {};
    },
    stopLiveRecording: async (name: string) => {
      this.stopped.push(name);
    },
    getLiveRecording: async (name: string) => {
      const duration = this.live.get(name);
      if (duration === undefined)
        throw new AriRequestError('GET', `/recordings/live/${name}`, 404, 'not found');
      return { duration };
    },
  };
  /** Recordings Asterisk is making: name → seconds so far. */
  live = new Map<string, number>();
  finishRecording(name: string, durationSeconds?: number, failed = false) {
    const e: TelephonyEvent = { type: 'recording.finished', at: 0, name, failed, durationSeconds };
    this.emit('event', e);
  }
}

const sound = (name: string): Media => ({ kind: 'sound', name });
const tick = () => new Promise((r) => setImmediate(r));

function setup(extra: Partial<ConstructorParameters<typeof AriIvrPort>[0]> = {}) {
  const call = new FakeCall();
  const telephony = new FakeTelephony();
  const port = new AriIvrPort({
    call,
    telephony,
    recordingName: () => 'vm-test',
    settleMs: 50,
    ...extra,
  });
  return { call, telephony, port };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('AriIvrPort.play', () => {
  it('plays media as ARI URIs and resolves when the prompt ends', async () => {
    const { call, port } = setup();
    const p = port.play([sound('hello'), { kind: 'digits', value: '12' }, { kind: 'number', value: 7 }], {
      interruptible: false,
    });
    await tick();
    expect(call.played).toEqual([['sound:hello', 'digits:12', 'number:7']]);
    call.finish('done');
    expect(await p).toEqual({});
  });

  it('an interruptible prompt stops on the first key and returns it; later keys wait for collection', async () => {
    const { call, port } = setup();
    const p = port.play([sound('menu')], { interruptible: true });
    await tick();
    call.press('4');
    call.press('56');
    expect(await p).toEqual({ interruptedBy: '4' });
    expect(call.stops).toBe(1);
    expect(port.bufferedDigits).toBe('56');
    const r = await port.collectDigits({
      max: 2,
      terminator: null,
      firstDigitTimeoutMs: 1000,
      interDigitTimeoutMs: 1000,
    });
    expect(r).toEqual({ digits: '56', reason: 'max' });
  });

  it('retries the stop when the first one raced the playback, and gives up waiting after settleMs', async () => {
    const { call, port } = setup();
    call.stopWorks = false;
    const p = port.play([sound('menu')], { interruptible: true });
    await tick();
    call.press('1');
    expect(await p).toEqual({ interruptedBy: '1' });
    expect(call.stops).toBe(2);
  });

  it('keys pressed during a prompt that cannot be interrupted are discarded', async () => {
    const { call, port } = setup();
    const p = port.play([sound('hello')], { interruptible: false });
    await tick();
    call.press('9');
    expect(call.stops).toBe(0);
    call.finish();
    expect(await p).toEqual({});
    expect(port.bufferedDigits).toBe('');
  });

  it('a key already pressed answers an interruptible prompt without playing it (type-ahead)', async () => {
    const { call, port } = setup();
    call.press('3');
    expect(await port.play([sound('menu')], { interruptible: true })).toEqual({ interruptedBy: '3' });
    expect(call.played).toEqual([]);
  });

  it('reports a failed playback as an error and a hang-up as hungUp', async () => {
    const { call, port } = setup();
    const failed = port.play([sound('nope')], { interruptible: false });
    await tick();
    call.finish('failed');
    expect((await failed).error).toMatch(/failed/);
    const interrupted = port.play([sound('menu')], { interruptible: true });
    await tick();
    call.hangup();
    expect(await interrupted).toEqual({ hungUp: true });
    expect(await port.play([sound('x')], { interruptible: false })).toEqual({ hungUp: true });
  });

  it('ignores non-DTMF keys (A-D) and stops listening once disposed', async () => {
    const { call, port } = setup();
    call.press('A');
    expect(port.bufferedDigits).toBe('');
    expect(call.listeners).toBe(1);
    port.dispose();
    expect(call.listeners).toBe(0);
  });
});

describe('AriIvrPort.collectDigits', () => {
  const opts = { max: 4, terminator: '#' as const, firstDigitTimeoutMs: 3000, interDigitTimeoutMs: 1000 };

  it('times out when no first key comes within the first-digit timeout', async () => {
    vi.useFakeTimers();
    const { port } = setup();
    let result: unknown;
    void port.collectDigits(opts).then((r) => {
      result = r;
    });
    await vi.advanceTimersByTimeAsync(2999);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ digits: '', reason: 'timeout' });
  });

  it('uses the inter-digit timeout after the first key', async () => {
    vi.useFakeTimers();
    const { call, port } = setup();
    let result: unknown;
    void port.collectDigits(opts).then((r) => {
      result = r;
    });
    await vi.advanceTimersByTimeAsync(2500);
    call.press('1');
    await vi.advanceTimersByTimeAsync(900);
    call.press('2');
    await vi.advanceTimersByTimeAsync(999);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ digits: '12', reason: 'timeout' });
  });

  it('ends on the terminator (not stored) and on max', async () => {
    const { call, port } = setup();
    const a = port.collectDigits(opts);
    call.press('12#');
    expect(await a).toEqual({ digits: '12', reason: 'terminator' });
    const b = port.collectDigits(opts);
    call.press('98765');
    expect(await b).toEqual({ digits: '9876', reason: 'max' });
    expect(port.bufferedDigits).toBe('5');
  });

  it('resolves with hangup when the caller hangs up while it waits', async () => {
    const { call, port } = setup();
    const p = port.collectDigits(opts);
    call.press('7');
    await tick();
    call.hangup();
    expect(await p).toEqual({ digits: '7', reason: 'hangup' });
  });
});

describe('AriIvrPort.record', () => {
  const opts = { maxMs: 120_000, silenceMs: 5000, beep: true, terminator: '#' as const };

  it('records the channel with beep, max duration, max silence and the terminator, and waits for the end', async () => {
    const { call, telephony, port } = setup();
    const p = port.record(opts);
    await tick();
    expect(telephony.recordCalls).toEqual([
      {
        id: 'chan-1',
        opts: {
          name: 'vm-test',
          format: 'wav',
          ifExists: 'fail',
          beep: true,
          maxDurationSeconds: 120,
          maxSilenceSeconds: 5,
          terminateOn: '#',
        },
      },
    ]);
    telephony.finishRecording('someone-else', 1);
    call.press('#');
    telephony.finishRecording('vm-test', 7.5);
    expect(await p).toEqual({ recordingId: 'vm-test', durationMs: 7500, endedBy: 'terminator' });
    expect(telephony.listenerCount('event')).toBe(0);
  });

  it('a recording that ends without the key ended on silence', async () => {
    const { telephony, port } = setup();
    const p = port.record(opts);
    await tick();
    telephony.finishRecording('vm-test', 3);
    expect(await p).toMatchObject({ recordingId: 'vm-test', endedBy: 'silence' });
  });

  it('a hang-up while recording keeps the message (endedBy hangup)', async () => {
    const { call, telephony, port } = setup();
    const p = port.record(opts);
    await tick();
    call.hangup();
    await tick();
    telephony.finishRecording('vm-test', 4);
    expect(await p).toEqual({ recordingId: 'vm-test', durationMs: 4000, endedBy: 'hangup' });
  });

  it('a hang-up without a RecordingFinished still resolves after settleMs', async () => {
    const { call, port } = setup();
    const p = port.record(opts);
    await tick();
    call.hangup();
    expect(await p).toMatchObject({ recordingId: 'vm-test', endedBy: 'hangup' });
  });

  it('reports a refused recording and a failed one as errors', async () => {
    const { telephony, port } = setup();
    telephony.recordError = new Error('ARI POST /channels/chan-1/record failed with 500: boom');
    expect((await port.record(opts)).error).toMatch(/boom/);
    telephony.recordError = undefined;
    const p = port.record(opts);
    await tick();
    telephony.finishRecording('vm-test', undefined, true);
    expect((await p).error).toMatch(/failed/);
  });
});

describe('AriIvrPort.record of a message a previous run of the service started (underWay)', () => {
  const opts = { maxMs: 120_000, silenceMs: 5000, beep: true, terminator: '#' as const };

  it('waits for the recording Asterisk is still making instead of starting another', async () => {
    const { call, telephony, port } = setup({ now: () => 100_000 });
    telephony.live.set('vm-earlier', 12);
    const p = port.record({ ...opts, underWay: 'vm-earlier' });
    await tick();
    expect(telephony.recordCalls).toEqual([]); // no second recording, no second beep
    call.press('#');
    telephony.finishRecording('vm-earlier', 20);
    expect(await p).toEqual({ recordingId: 'vm-earlier', durationMs: 20_000, endedBy: 'terminator' });
  });

  it('a caller who hangs up afterwards has left the message (endedBy hangup)', async () => {
    const { call, telephony, port } = setup();
    telephony.live.set('vm-earlier', 3);
    const p = port.record({ ...opts, underWay: 'vm-earlier' });
    await tick();
    call.hangup();
    telephony.finishRecording('vm-earlier', 9);
    expect(await p).toEqual({ recordingId: 'vm-earlier', durationMs: 9000, endedBy: 'hangup' });
  });

  it('one Asterisk finished while no run listened is taken as it is, its length read from the file', async () => {
    const asked: string[] = [];
    const { telephony, port } = setup({
      storedRecordingMs: async (name, format) => {
        asked.push(`${name}.${format}`);
        return 6400;
      },
    });
    expect(await port.record({ ...opts, underWay: 'vm-earlier' })).toEqual({
      recordingId: 'vm-earlier',
      durationMs: 6400,
      endedBy: 'unobserved',
    });
    expect(asked).toEqual(['vm-earlier.wav']);
    expect(telephony.recordCalls).toEqual([]);
  });

  it('one that never started (the run stopped just before) is started now under that name, with its beep', async () => {
    const starting: string[] = [];
    const { telephony, port } = setup({
      storedRecordingMs: async () => undefined,
      onRecordingStarting: (name) => starting.push(name),
    });
    const p = port.record({ ...opts, underWay: 'vm-earlier' });
    await tick();
    await tick();
    expect(telephony.recordCalls.map((c) => [c.opts.name, c.opts.beep])).toEqual([['vm-earlier', true]]);
    expect(starting).toEqual(['vm-earlier']);
    telephony.finishRecording('vm-earlier', 2);
    expect(await p).toMatchObject({ recordingId: 'vm-earlier', endedBy: 'silence' });
  });

  it('names a new recording before starting it, so a restart can find it', async () => {
    const events: string[] = [];
    const { telephony, port } = setup({
      onRecordingStarting: (name, format) => events.push(`${name}.${format}`),
    });
    telephony.ari.recordChannel = async (_id, o) => {
      events.push(`record ${String(o.name)}`);
      return {};
    };
    const p = port.record(opts);
    await tick();
    expect(events).toEqual(['vm-test.wav', 'record vm-test']);
    telephony.finishRecording('vm-test', 1);
    await p;
  });
});

describe('AriIvrPort.httpDip and answer', () => {
  it('returns status and parsed JSON body', async () => {
    const fetchFn = vi.fn(async () => new Response(JSON.stringify({ vip: true }), { status: 200 }));
    const { port } = setup({ fetch: fetchFn as unknown as typeof fetch });
    const r = await port.httpDip({ method: 'GET', url: 'http://crm/x', timeoutMs: 1000 });
    expect(r).toEqual({ kind: 'response', status: 200, body: { vip: true } });
  });

  it('gives up on a reply larger than a caller lookup can be, without reading it all', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const fetchFn = vi.fn(async () => new Response(new Blob([big]).stream(), { status: 200 }));
    const { port } = setup({ fetch: fetchFn as unknown as typeof fetch });
    const r = await port.httpDip({ method: 'GET', url: 'http://crm/x', timeoutMs: 1000 });
    expect(r).toMatchObject({ kind: 'error', message: expect.stringMatching(/larger than/) });
  });

  it('enforces the timeout itself', async () => {
    const hanging = (_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const { port } = setup({ fetch: hanging as unknown as typeof fetch });
    const started = Date.now();
    expect(await port.httpDip({ method: 'GET', url: 'http://crm/slow', timeoutMs: 50 })).toEqual({
      kind: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('reports network errors, and aborts the request when the caller hangs up', async () => {
    const hanging = (_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const { call, port } = setup({ fetch: hanging as unknown as typeof fetch });
    const p = port.httpDip({ method: 'POST', url: 'http://crm/x', body: { a: 1 }, timeoutMs: 10_000 });
    await tick();
    call.hangup();
    expect(await p).toEqual({ kind: 'error', message: 'the call has ended' });
  });

  it('answers only a call that is not answered yet', async () => {
    const { call, port } = setup();
    expect(await port.answer()).toEqual({});
    expect(call.answered).toBe(0);
    call.state = 'arrived';
    expect(await port.answer()).toEqual({});
    expect(call.answered).toBe(1);
    call.hangup();
    expect(await port.answer()).toEqual({ hungUp: true });
  });

  it("sets the caller's language; a channel gone meanwhile is a hang-up, a refusal an error", async () => {
    const { call, port } = setup();
    expect(await port.setLanguage('es')).toEqual({});
    expect(call.languages).toEqual(['es']);
    call.languageError = new AriRequestError('POST', '/channels/chan-1/variable', 404, 'Channel not found');
    expect(await port.setLanguage('es')).toEqual({ hungUp: true });
    call.languageError = new AriRequestError('POST', '/channels/chan-1/variable', 400, 'bad variable');
    await expect(port.setLanguage('es')).rejects.toThrow('bad variable');
    call.languageError = undefined;
    call.hangup();
    expect(await port.setLanguage('en')).toEqual({ hungUp: true });
    expect(call.languages).toEqual(['es']);
  });
});
