/**
 * Runs a flow against a scripted caller with a fake port and a virtual clock: no Asterisk, no
 * timers, fully deterministic.
 */
import { type FlowResult, mediaUri, type ResumePoint, runFlow } from './runtime.js';
import type {
  CallerData,
  CollectOptions,
  CollectResult,
  DipRequest,
  DipResult,
  Dtmf,
  Flow,
  IvrEvent,
  IvrPort,
  IvrStepEvent,
  Media,
  PlayResult,
  QueueOutlook,
  RecordOptions,
  RecordResult,
} from './types.js';

/** A scripted data-dip answer: a response (after `latencyMs`, default 50), a timeout or an error. */
export type ScriptedDip =
  | { readonly status?: number; readonly body?: unknown; readonly latencyMs?: number }
  | 'timeout'
  | 'error';

export interface CallerScript {
  /** Call start, ISO string or epoch ms. Default `2026-01-05T10:00:00Z` (a Monday). */
  readonly start?: string | number;
  readonly callId?: string;
  readonly caller?: string;
  readonly dialed?: string;
  readonly data?: CallerData;
  /**
   * The language the call starts in (a route's `language`: a Spanish line): every prompt is heard in it,
   * and it is the caller data `language`, as a flow on that line would have them.
   */
  readonly language?: string;
  /** Keys pressed, ms after the call started. Several digits in one entry are `interDigitMs` apart. */
  readonly digits?: readonly { readonly at: number; readonly digits: string }[];
  /** Default 250. */
  readonly interDigitMs?: number;
  /** Caller hangs up at this many ms after start. */
  readonly hangupAt?: number;
  /** Data-dip answers by URL (or `METHOD URL`). Unscripted URLs fail with an error. */
  readonly dips?: Readonly<Record<string, ScriptedDip>>;
  /** Sound durations in ms by name. */
  readonly promptDurations?: Readonly<Record<string, number>>;
  /** Default 1500 ms per sound, 400 ms per spoken digit. */
  readonly defaultPromptMs?: number;
  /** Sounds that exist; others fail to play like a missing file. Default: all exist. */
  readonly prompts?: ReadonlySet<string>;
  /** Queues that exist (checked by the runtime). Default: all exist. */
  readonly queues?: ReadonlySet<string>;
  /**
   * How each queue stands for `whenQueue` (what is not given: nobody waiting, one agent on and free, no
   * wait). A queue not in `queues` (when given) is unknown there too.
   */
  readonly queueOutlooks?: Readonly<Record<string, Partial<QueueOutlook>>>;
  /**
   * Switches (config `switches`) and whether each is on; when given, a switch not named here is unknown
   * (the error path). Default: every switch exists and is off.
   */
  readonly switches?: Readonly<Record<string, boolean>>;
  /** Flows reachable with gotoFlow. */
  readonly flows?: Readonly<Record<string, Flow>> | ((flowId: string) => Flow | undefined);
  /** How long the caller talks when recorded (then silence ends it). Default 8000 ms. */
  readonly speakMs?: number;
  readonly maxSteps?: number;
  /** Start part-way through, as a call carried on after a restart of the service does. */
  readonly resumeAt?: ResumePoint;
  /** The outbound rules for numbers the flow dials (RunOptions.numberRefusal). */
  readonly numberRefusal?: (number: string) => string | null;
  /** The same for transfers alone, when it differs (RunOptions.transferRefusal). */
  readonly transferRefusal?: (number: string) => string | null;
  /** Only used to print local times in traces. */
  readonly timeZone?: string;
}

export interface SimulatedPlay {
  /** ms after start */
  readonly at: number;
  readonly media: readonly string[];
  /** The language it was heard in, once a `setLanguage` step set one. */
  readonly language?: string;
  readonly interruptedBy?: Dtmf;
  readonly hungUp?: boolean;
  readonly error?: string;
}

export interface SimulatedDip {
  readonly at: number;
  readonly url: string;
  readonly method: string;
  readonly result: string;
}

export interface SimulatedRecording {
  readonly at: number;
  readonly durationMs: number;
  readonly endedBy: string;
  /** The recording a previous run had started, which this one went on with (RecordOptions.underWay). */
  readonly underWay?: string;
}

/** One executed step with what the caller heard and what was fetched during it. */
export interface SimulatedStep {
  readonly event: IvrStepEvent;
  readonly plays: readonly SimulatedPlay[];
  readonly dips: readonly SimulatedDip[];
  readonly recordings: readonly SimulatedRecording[];
}

export interface SimulationResult extends FlowResult {
  /** Epoch ms the call started. */
  readonly startedAt: number;
  /** ms from start to the end of the flow. */
  readonly durationMs: number;
  /** Every media item played (or started) in order: sound names, `number:N`, `digits:D`. */
  readonly prompts: readonly string[];
  readonly plays: readonly SimulatedPlay[];
  readonly dips: readonly SimulatedDip[];
  readonly recordings: readonly SimulatedRecording[];
  /** Steps in order, each with its plays / dips / recordings. */
  readonly steps: readonly SimulatedStep[];
}

export const DEFAULT_SIM_START = '2026-01-05T10:00:00Z';

function parseStart(start: string | number | undefined): number {
  if (typeof start === 'number') return start;
  const ms = Date.parse(start ?? DEFAULT_SIM_START);
  if (Number.isNaN(ms)) throw new Error(`bad start time '${String(start)}'`);
  return ms;
}

class FakePort implements IvrPort {
  t = 0;
  private readonly keys: { at: number; key: Dtmf }[] = [];
  private cursor = 0;
  readonly plays: SimulatedPlay[] = [];
  readonly prompts: string[] = [];
  readonly dipLog: SimulatedDip[] = [];
  readonly recordings: SimulatedRecording[] = [];

  constructor(
    private readonly startMs: number,
    private readonly script: CallerScript,
  ) {
    this.language = script.language;
    const gap = script.interDigitMs ?? 250;
    for (const entry of script.digits ?? []) {
      [...entry.digits].forEach((d, i) => {
        if (!/^[0-9*#]$/.test(d)) throw new Error(`'${d}' is not a DTMF key`);
        this.keys.push({ at: entry.at + i * gap, key: d as Dtmf });
      });
    }
    this.keys.sort((a, b) => a.at - b.at);
  }

  now(): number {
    return this.startMs + this.t;
  }

  private get hangupAt(): number {
    return this.script.hangupAt ?? Number.POSITIVE_INFINITY;
  }

  /** Next key pressed at or after the current time; earlier unheard keys are lost. */
  private peekKey(): { at: number; key: Dtmf } | undefined {
    while (this.cursor < this.keys.length && (this.keys[this.cursor]?.at ?? 0) < this.t) this.cursor++;
    return this.keys[this.cursor];
  }

  private duration(m: Media): number {
    const perDigit = 400;
    if (m.kind === 'sound')
      return this.script.promptDurations?.[m.name] ?? this.script.defaultPromptMs ?? 1500;
    if (m.kind === 'digits') return m.value.length * perDigit;
    return String(Math.abs(m.value)).length * perDigit * 1.5;
  }

  async answer(): Promise<{ hungUp?: boolean }> {
    return this.hangupAt <= this.t ? { hungUp: true } : {};
  }

  /** The language a step or the line set (Asterisk's channel language); else Asterisk's default. */
  private language: string | undefined;

  async setLanguage(language: string): Promise<{ hungUp?: boolean }> {
    if (this.hangupAt <= this.t) return { hungUp: true };
    this.language = language;
    return {};
  }

  /** A play on record, in the language a step or the line set (if any). */
  private played(play: Omit<SimulatedPlay, 'language'>): void {
    this.plays.push(this.language === undefined ? play : { ...play, language: this.language });
  }

  async play(media: readonly Media[], opts: { interruptible: boolean }): Promise<PlayResult> {
    const at = this.t;
    const names = media.map((m) => (m.kind === 'sound' ? m.name : mediaUri(m)));
    if (this.hangupAt <= this.t) {
      this.played({ at, media: names, hungUp: true });
      return { hungUp: true };
    }
    const known = this.script.prompts;
    const missing = known ? media.find((m) => m.kind === 'sound' && !known.has(m.name)) : undefined;
    if (missing) {
      const error = `sound file not found: ${mediaUri(missing)}`;
      this.played({ at, media: names, error });
      return { error };
    }
    this.prompts.push(...names);
    const end = this.t + media.reduce((sum, m) => sum + this.duration(m), 0);
    const key = opts.interruptible ? this.peekKey() : undefined;
    if (key && key.at < end && key.at < this.hangupAt) {
      this.t = key.at;
      this.cursor++;
      this.played({ at, media: names, interruptedBy: key.key });
      return { interruptedBy: key.key };
    }
    if (this.hangupAt <= end) {
      this.t = this.hangupAt;
      this.played({ at, media: names, hungUp: true });
      return { hungUp: true };
    }
    this.t = end;
    this.played({ at, media: names });
    return {};
  }

  async collectDigits(opts: CollectOptions): Promise<CollectResult> {
    let digits = '';
    let deadline = this.t + opts.firstDigitTimeoutMs;
    for (;;) {
      const key = this.peekKey();
      const until = Math.min(key?.at ?? Number.POSITIVE_INFINITY, deadline);
      if (this.hangupAt <= until) {
        this.t = Math.max(this.t, this.hangupAt);
        return { digits, reason: 'hangup' };
      }
      if (!key || key.at > deadline) {
        this.t = deadline;
        return { digits, reason: 'timeout' };
      }
      this.t = key.at;
      this.cursor++;
      if (opts.terminator !== null && key.key === opts.terminator) return { digits, reason: 'terminator' };
      digits += key.key;
      if (digits.length >= opts.max) return { digits, reason: 'max' };
      deadline = this.t + opts.interDigitTimeoutMs;
    }
  }

  async record(opts: RecordOptions): Promise<RecordResult> {
    const at = this.t;
    // A recording under way (resumed after a restart) had its beep already.
    const beep = opts.beep && opts.underWay === undefined;
    if (beep) this.prompts.push('beep');
    const start = this.t + (beep ? 500 : 0);
    const speak = this.script.speakMs ?? 8000;
    let end = start + Math.min(opts.maxMs, speak + opts.silenceMs);
    let endedBy: RecordResult['endedBy'] = speak + opts.silenceMs >= opts.maxMs ? 'max' : 'silence';
    this.t = start;
    this.peekKey(); // drop keys pressed before the recording started
    const term = this.keys.slice(this.cursor).find((k) => k.key === opts.terminator);
    if (term && term.at < end) {
      end = term.at;
      endedBy = 'terminator';
    }
    if (this.hangupAt <= end) {
      end = Math.max(this.hangupAt, start);
      endedBy = 'hangup';
    }
    this.t = end;
    while (this.cursor < this.keys.length && (this.keys[this.cursor]?.at ?? 0) <= end) this.cursor++;
    const durationMs = end - start;
    this.recordings.push({ at, durationMs, endedBy, ...(opts.underWay ? { underWay: opts.underWay } : {}) });
    return { recordingId: opts.underWay ?? `sim-recording-${this.recordings.length}`, durationMs, endedBy };
  }

  async httpDip(req: DipRequest): Promise<DipResult> {
    const at = this.t;
    const scripted = this.script.dips?.[req.url] ?? this.script.dips?.[`${req.method} ${req.url}`];
    let result: DipResult;
    if (scripted === undefined) {
      result = { kind: 'error', message: `no scripted response for ${req.method} ${req.url}` };
    } else if (scripted === 'timeout') {
      this.t += req.timeoutMs;
      result = { kind: 'timeout' };
    } else if (scripted === 'error') {
      this.t += 50;
      result = { kind: 'error', message: 'connection refused' };
    } else {
      const latency = scripted.latencyMs ?? 50;
      if (latency >= req.timeoutMs) {
        this.t += req.timeoutMs;
        result = { kind: 'timeout' };
      } else {
        this.t += latency;
        result = { kind: 'response', status: scripted.status ?? 200, body: scripted.body ?? null };
      }
    }
    this.dipLog.push({
      at,
      url: req.url,
      method: req.method,
      result: result.kind === 'response' ? `http ${result.status}` : result.kind,
    });
    return result;
  }
}

/** Runs `flow` against `script`. Deterministic; never touches the real clock. */
export async function simulate(flow: Flow, script: CallerScript = {}): Promise<SimulationResult> {
  const startedAt = parseStart(script.start);
  const port = new FakePort(startedAt, script);
  const flows = script.flows;
  const resolveFlow =
    typeof flows === 'function'
      ? flows
      : (id: string) => (flows && Object.hasOwn(flows, id) ? flows[id] : id === flow.id ? flow : undefined);
  const steps: SimulatedStep[] = [];
  const seen = { plays: 0, dips: 0, recordings: 0 };
  const onEvent = (e: IvrEvent) => {
    if (e.type !== 'ivr.step') return;
    steps.push({
      event: e,
      plays: port.plays.slice(seen.plays),
      dips: port.dipLog.slice(seen.dips),
      recordings: port.recordings.slice(seen.recordings),
    });
    seen.plays = port.plays.length;
    seen.dips = port.dipLog.length;
    seen.recordings = port.recordings.length;
  };
  const result = await runFlow(
    flow,
    port,
    {
      callId: script.callId ?? 'sim-call',
      caller: script.caller ?? '',
      dialed: script.dialed ?? '',
      ...(script.data || script.language
        ? { data: { ...(script.language ? { language: script.language } : {}), ...script.data } }
        : {}),
    },
    {
      resolveFlow,
      onEvent,
      // Missing prompts are reported by the fake port itself, like Asterisk does.
      catalogue: script.queues ? { queues: script.queues } : {},
      queueOutlook: (queueId) =>
        script.queues && !script.queues.has(queueId)
          ? undefined
          : {
              waiting: 0,
              agentsOn: 1,
              agentsFree: 1,
              estimatedWaitSeconds: 0,
              ...script.queueOutlooks?.[queueId],
            },
      ...(script.maxSteps !== undefined ? { maxSteps: script.maxSteps } : {}),
      ...(script.resumeAt ? { resumeAt: script.resumeAt } : {}),
      ...(script.numberRefusal ? { numberRefusal: script.numberRefusal } : {}),
      ...(script.transferRefusal ? { transferRefusal: script.transferRefusal } : {}),
      switchOn: (id) =>
        !script.switches ? false : Object.hasOwn(script.switches, id) ? script.switches[id] : undefined,
    },
  );
  return {
    ...result,
    startedAt,
    durationMs: port.t,
    prompts: port.prompts,
    plays: port.plays,
    dips: port.dipLog,
    recordings: port.recordings,
    steps,
  };
}

function clock(ms: number): string {
  const m = Math.floor(ms / 60000);
  const s = ((ms % 60000) / 1000).toFixed(1).padStart(4, '0');
  return `${String(m).padStart(2, '0')}:${s}`;
}

function localStamp(epochMs: number, timeZone: string | undefined): string {
  const d = new Date(epochMs);
  if (!timeZone) return d.toISOString();
  return `${d.toLocaleString('sv-SE', { timeZone })} ${timeZone}`;
}

/** Human-readable trace of a simulation: each step with what the caller heard, then the final action. */
export function formatTrace(result: SimulationResult, opts: { timeZone?: string } = {}): string {
  const out = [`call start ${localStamp(result.startedAt, opts.timeZone)}`];
  const firstFlow = result.steps[0]?.event.flowId;
  for (const s of result.steps) {
    const e = s.event;
    const detail = e.detail
      ? Object.entries(e.detail)
          .filter(([, v]) => !(Array.isArray(v) && v.length === 0))
          .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
          .join(' ')
      : '';
    const step = e.flowId === firstFlow ? e.stepId : `${e.flowId}:${e.stepId}`;
    const next = e.next !== undefined ? ` → ${e.next}` : '';
    out.push(
      `${clock(e.at - result.startedAt)}  ${step} [${e.kind}] ${e.outcome}${next}${detail ? `  (${detail})` : ''}`,
    );
    for (const p of s.plays) {
      const extra = p.interruptedBy
        ? `  ← key ${p.interruptedBy}`
        : p.hungUp
          ? '  ← caller hung up'
          : p.error
            ? `  ✗ ${p.error}`
            : '';
      out.push(`${clock(p.at)}      ♪ ${p.media.join(' ')}${p.language ? ` [${p.language}]` : ''}${extra}`);
    }
    for (const d of s.dips) out.push(`${clock(d.at)}      ⇄ ${d.method} ${d.url} → ${d.result}`);
    for (const r of s.recordings)
      out.push(`${clock(r.at)}      ● recorded ${r.durationMs} ms, ended by ${r.endedBy}`);
  }
  out.push(`${clock(result.durationMs)}  ⇒ ${describeAction(result)}`);
  out.push(`path: ${result.path.join(' → ')}`);
  if (Object.keys(result.data).length > 0) out.push(`data: ${JSON.stringify(result.data)}`);
  return out.join('\n');
}

function describeAction(result: FlowResult): string {
  const a = result.action;
  switch (a.type) {
    case 'queue':
      return `QUEUE ${a.queueId} priority=${a.priority} skills=${JSON.stringify(a.skills)}${a.directLine ? ` agent=${a.directLine.agentId} (${a.directLine.waitSeconds} s)` : ''}`;
    case 'transfer':
      return `TRANSFER to ${a.number}`;
    case 'voicemail':
      return `VOICEMAIL ${a.recordingId} (${a.durationMs} ms)${a.mailbox ? ` mailbox=${a.mailbox}` : ''}`;
    case 'callback':
      return `CALLBACK ${a.number}${a.queueId ? ` via ${a.queueId}` : ''}`;
    case 'survey-result':
      return `SURVEY score=${a.score ?? 'none'}`;
    case 'hangup':
      return a.reason === 'error' ? `HANGUP after error: ${a.error}` : 'HANGUP';
    case 'caller-hung-up':
      return `CALLER HUNG UP at ${a.flowId}:${a.atStep}`;
  }
}
