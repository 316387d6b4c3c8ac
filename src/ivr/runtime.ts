/**
 * The flow interpreter. Executes one step at a time through an `IvrPort`, emits an `ivr.step`
 * event per step and always ends with a `FinalAction`: a run-time failure takes the flow's
 * `onError` step, or the default error path (apology + hang up) — never silence, never a stuck call.
 */
import { evaluateSchedule } from './hours.js';
import type {
  CallbackStep,
  CallerData,
  CollectResult,
  CollectStep,
  CsatScore,
  DataValue,
  DipResult,
  DipStep,
  Dtmf,
  FinalAction,
  Flow,
  FlowContext,
  IvrEvent,
  IvrPort,
  IvrStepEvent,
  Media,
  MenuStep,
  PromptSpec,
  Skills,
  Step,
  SurveyStep,
  VoicemailStep,
} from './types.js';

/** Played by the default error path before hanging up. All exist in Asterisk's core English set. */
export const DEFAULT_ERROR_PROMPTS: readonly string[] = ['im-sorry', 'please-try-call-later', 'goodbye'];
/** Step id used in paths and events for the default error path. */
export const DEFAULT_ERROR_STEP = '#error';

export interface CallInfo {
  readonly callId: string;
  readonly caller?: string;
  readonly dialed?: string;
  /** Initial caller data (e.g. from the trunk). */
  readonly data?: CallerData;
  readonly skills?: Skills;
}

/** What the runtime may verify before using a queue or prompt (optional; the port may also report failures). */
export interface RuntimeCatalogue {
  readonly queues?: ReadonlySet<string>;
  readonly prompts?: ReadonlySet<string>;
}

export interface RunOptions {
  /** Looks up the current version of a flow for `gotoFlow`. Without it every goto fails. */
  readonly resolveFlow?: (flowId: string) => Flow | undefined;
  readonly catalogue?: RuntimeCatalogue;
  /** Called synchronously for every event (timeline). Exceptions are swallowed. */
  readonly onEvent?: (event: IvrEvent) => void;
  /** Steps executed before the call is sent down the error path as looping. Default 200. */
  readonly maxSteps?: number;
  readonly errorPrompts?: readonly string[];
}

export interface FlowResult {
  readonly action: FinalAction;
  /** Step ids in execution order; steps of flows entered by `gotoFlow` are written `flowId:stepId`. */
  readonly path: readonly string[];
  readonly data: CallerData;
  readonly skills: Skills;
  readonly events: readonly IvrEvent[];
  /** Flow the call ended in. */
  readonly flowId: string;
}

/** ARI media URI for a media item (`sound:hello-world`, `number:42`, `digits:123`). */
export function mediaUri(media: Media): string {
  switch (media.kind) {
    case 'sound':
      return `sound:${media.name}`;
    case 'number':
      return `number:${media.value}`;
    case 'digits':
      return `digits:${media.value}`;
  }
}

class Hangup {
  readonly hangup = true;
}
const HANGUP = new Hangup();

/** A run-time failure inside a step; sends the call down the error path. */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
}

type StepOutcome =
  | { readonly next: string; readonly outcome: string; readonly detail?: IvrStepEvent['detail'] }
  | { readonly gotoFlow: Flow; readonly outcome: string; readonly detail?: IvrStepEvent['detail'] }
  | { readonly end: FinalAction; readonly outcome: string; readonly detail?: IvrStepEvent['detail'] };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isDataValue(v: unknown): v is DataValue {
  return (
    v === null ||
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    (typeof v === 'number' && Number.isFinite(v))
  );
}

function checkData(value: unknown, what: string): CallerData {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new StepFailure(`${what} must return an object of caller data`);
  }
  const out: CallerData = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (!isDataValue(v))
      throw new StepFailure(`${what}: '${k}' is not a string, finite number, boolean or null`);
    out[k] = v;
  }
  return out;
}

function checkSkills(value: unknown, what: string): Skills {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new StepFailure(`${what} must be an object of skill levels`);
  }
  const out: Skills = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new StepFailure(`${what}: skill '${k}' is not a number`);
    out[k] = v;
  }
  return out;
}

const isDigitKey = (d: string | undefined): d is Dtmf => d !== undefined && /^[0-9*#]$/.test(d);

class Run {
  private flow: Flow;
  private stepId: string;
  private data: CallerData;
  private skills: Skills;
  private readonly path: string[] = [];
  private readonly events: IvrEvent[] = [];
  private readonly startFlowId: string;

  constructor(
    startFlow: Flow,
    private readonly port: IvrPort,
    private readonly call: CallInfo,
    private readonly opts: RunOptions,
  ) {
    this.flow = startFlow;
    this.stepId = startFlow.entry;
    this.startFlowId = startFlow.id;
    this.data = { ...(call.data ?? {}) };
    this.skills = { ...(call.skills ?? {}) };
  }

  private now(): number {
    try {
      return this.port.now();
    } catch {
      return 0;
    }
  }

  private emit(event: IvrEvent): void {
    this.events.push(event);
    try {
      this.opts.onEvent?.(event);
    } catch {
      // the timeline must never break the call
    }
  }

  private qualified(flowId: string, stepId: string): string {
    return flowId === this.startFlowId ? stepId : `${flowId}:${stepId}`;
  }

  private ctx(): FlowContext {
    return Object.freeze({
      callId: this.call.callId,
      caller: this.call.caller ?? '',
      dialed: this.call.dialed ?? '',
      data: Object.freeze({ ...this.data }),
      skills: Object.freeze({ ...this.skills }),
      now: this.now(),
      flowId: this.flow.id,
      stepId: this.stepId,
    });
  }

  private hook<R>(what: string, fn: () => R): R {
    try {
      return fn();
    } catch (e) {
      throw new StepFailure(`${what} threw: ${message(e)}`);
    }
  }

  private result(action: FinalAction): FlowResult {
    this.emit({
      type: 'ivr.end',
      callId: this.call.callId,
      flowId: this.flow.id,
      flowVersion: this.flow.version,
      action,
      at: this.now(),
    });
    return {
      action,
      path: [...this.path],
      data: { ...this.data },
      skills: { ...this.skills },
      events: [...this.events],
      flowId: this.flow.id,
    };
  }

  // ---- port wrappers ------------------------------------------------------------------------

  private resolveMedia(specs: readonly PromptSpec[]): Media[] {
    const out: Media[] = [];
    for (const spec of specs) {
      if (typeof spec === 'string' || spec.kind === 'sound') {
        const name = typeof spec === 'string' ? spec : spec.name;
        const known = this.opts.catalogue?.prompts;
        if (known && !known.has(name)) throw new StepFailure(`missing prompt '${name}'`);
        out.push({ kind: 'sound', name });
      } else if (spec.kind === 'number') {
        const v =
          typeof spec.value === 'function'
            ? this.hook('number prompt', () => (spec.value as (c: FlowContext) => number)(this.ctx()))
            : spec.value;
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new StepFailure(`number prompt is not a finite number: ${String(v)}`);
        out.push({ kind: 'number', value: Math.trunc(v) });
      } else {
        const v =
          typeof spec.value === 'function'
            ? this.hook('digits prompt', () => (spec.value as (c: FlowContext) => string)(this.ctx()))
            : spec.value;
        if (typeof v !== 'string' || !/^[0-9*#]*$/.test(v))
          throw new StepFailure(`digits prompt is not a digit string: ${String(v)}`);
        if (v !== '') out.push({ kind: 'digits', value: v });
      }
    }
    return out;
  }

  /** Plays prompts; returns the interrupting key, if any. Throws HANGUP / StepFailure. */
  private async play(specs: readonly PromptSpec[], interruptible: boolean): Promise<Dtmf | undefined> {
    const media = this.resolveMedia(specs);
    if (media.length === 0) return undefined;
    let r: Awaited<ReturnType<IvrPort['play']>>;
    try {
      r = await this.port.play(media, { interruptible });
    } catch (e) {
      throw new StepFailure(`playback failed: ${message(e)}`);
    }
    if (r.hungUp) throw HANGUP;
    if (r.error !== undefined)
      throw new StepFailure(`cannot play ${media.map(mediaUri).join(', ')}: ${r.error}`);
    return interruptible && isDigitKey(r.interruptedBy) ? r.interruptedBy : undefined;
  }

  /** Plays prompts at the end of a call where a hang-up no longer changes the outcome. */
  private async playTail(specs: readonly PromptSpec[]): Promise<void> {
    try {
      await this.play(specs, false);
    } catch (e) {
      if (e instanceof Hangup) return;
      throw e;
    }
  }

  private async collect(
    prefix: string,
    o: { max: number; terminator: Dtmf | null; firstMs: number; interMs: number },
  ): Promise<CollectResult> {
    if (o.terminator !== null && prefix === o.terminator) return { digits: '', reason: 'terminator' };
    if (prefix.length >= o.max) return { digits: prefix, reason: 'max' };
    let r: CollectResult;
    try {
      r = await this.port.collectDigits({
        max: o.max - prefix.length,
        terminator: o.terminator,
        firstDigitTimeoutMs: prefix ? o.interMs : o.firstMs,
        interDigitTimeoutMs: o.interMs,
      });
    } catch (e) {
      throw new StepFailure(`digit collection failed: ${message(e)}`);
    }
    if (r.reason === 'hangup') throw HANGUP;
    return { digits: prefix + r.digits, reason: r.reason };
  }

  /** Plays an interruptible prompt and waits for one key; '' on timeout. */
  private async oneKey(prompts: readonly PromptSpec[], timeoutMs: number): Promise<string> {
    const first = await this.play(prompts, true);
    if (first !== undefined) return first;
    const r = await this.collect('', { max: 1, terminator: null, firstMs: timeoutMs, interMs: timeoutMs });
    return r.digits.slice(0, 1);
  }

  // ---- steps --------------------------------------------------------------------------------

  private async exec(step: Step): Promise<StepOutcome> {
    switch (step.kind) {
      case 'answer': {
        let r: Awaited<ReturnType<IvrPort['answer']>>;
        try {
          r = await this.port.answer();
        } catch (e) {
          throw new StepFailure(`answer failed: ${message(e)}`);
        }
        if (r.hungUp) throw HANGUP;
        return { next: step.next, outcome: 'answered' };
      }
      case 'play': {
        const key = await this.play(step.prompts, step.interruptible);
        return key === undefined
          ? { next: step.next, outcome: 'played' }
          : { next: step.next, outcome: 'interrupted', detail: { key } };
      }
      case 'menu':
        return this.menu(step);
      case 'collect':
        return this.collectStep(step);
      case 'set': {
        const values =
          typeof step.values === 'function'
            ? this.hook('setData', () => (step.values as (c: FlowContext) => unknown)(this.ctx()))
            : step.values;
        const data = checkData(values, 'setData');
        let skills: Skills = {};
        if (step.skills !== undefined) {
          const s =
            typeof step.skills === 'function'
              ? this.hook('setData skills', () => (step.skills as (c: FlowContext) => unknown)(this.ctx()))
              : step.skills;
          skills = checkSkills(s, 'setData skills');
        }
        this.data = { ...this.data, ...data };
        this.skills = { ...this.skills, ...skills };
        return {
          next: step.next,
          outcome: 'set',
          detail: { keys: Object.keys(data), skills: Object.keys(skills) },
        };
      }
      case 'dip':
        return this.dip(step);
      case 'hours': {
        let s: ReturnType<typeof evaluateSchedule>;
        try {
          s = evaluateSchedule(step.schedule, this.now());
        } catch (e) {
          throw new StepFailure(`business hours: ${message(e)}`);
        }
        const next =
          s.state === 'open'
            ? step.open
            : s.state === 'holiday'
              ? (step.holiday ?? step.closed)
              : step.closed;
        return {
          next,
          outcome: s.state,
          detail: {
            local: `${s.local.date} ${s.local.time}`,
            weekday: s.local.weekday,
            ...(s.holiday ? { holiday: s.holiday } : {}),
          },
        };
      }
      case 'branch': {
        const target = this.hook('branch', () => step.choose(this.ctx()));
        if (typeof target !== 'string' || !step.targets.includes(target)) {
          throw new StepFailure(
            `branch chose '${String(target)}', which is not one of its targets [${step.targets.join(', ')}]`,
          );
        }
        return { next: target, outcome: 'chose' };
      }
      case 'goto-flow': {
        const other = this.opts.resolveFlow?.(step.flowId);
        if (!other) throw new StepFailure(`unknown flow '${step.flowId}'`);
        return { gotoFlow: other, outcome: 'goto', detail: { flow: other.id, version: other.version } };
      }
      case 'queue': {
        const known = this.opts.catalogue?.queues;
        if (known && !known.has(step.queueId)) throw new StepFailure(`unknown queue '${step.queueId}'`);
        const p =
          typeof step.priority === 'function'
            ? this.hook('queue priority', () => (step.priority as (c: FlowContext) => unknown)(this.ctx()))
            : step.priority;
        if (typeof p !== 'number' || !Number.isFinite(p))
          throw new StepFailure(`queue priority is not a number: ${String(p)}`);
        let extra: Skills = {};
        if (step.skills !== undefined) {
          const s =
            typeof step.skills === 'function'
              ? this.hook('queue skills', () => (step.skills as (c: FlowContext) => unknown)(this.ctx()))
              : step.skills;
          extra = checkSkills(s, 'queue skills');
        }
        this.skills = { ...this.skills, ...extra };
        await this.play(step.prompts, false);
        return {
          end: {
            type: 'queue',
            queueId: step.queueId,
            priority: p,
            skills: { ...this.skills },
            data: { ...this.data },
          },
          outcome: 'queued',
          detail: { queue: step.queueId, priority: p },
        };
      }
      case 'voicemail':
        return this.voicemail(step);
      case 'callback':
        return this.callbackStep(step);
      case 'transfer': {
        const n =
          typeof step.number === 'function'
            ? this.hook('transfer number', () => (step.number as (c: FlowContext) => unknown)(this.ctx()))
            : step.number;
        if (typeof n !== 'string' || !/^\+?[0-9*#]+$/.test(n))
          throw new StepFailure(`transfer number is not a dialable number: ${String(n)}`);
        await this.play(step.prompts, false);
        return {
          end: { type: 'transfer', number: n, data: { ...this.data } },
          outcome: 'transferred',
          detail: { number: n },
        };
      }
      case 'survey':
        return this.surveyStep(step);
      case 'hangup':
        await this.playTail(step.prompts);
        return { end: { type: 'hangup', reason: 'flow', data: { ...this.data } }, outcome: 'hung-up' };
      default: {
        const k: never = step;
        throw new StepFailure(`unknown step kind '${(k as { kind: string }).kind}'`);
      }
    }
  }

  private async menu(step: MenuStep): Promise<StepOutcome> {
    let failures = 0;
    let repeats = 0;
    const reasons: string[] = [];
    for (;;) {
      const key = await this.oneKey(step.prompts, step.timeoutMs);
      if (key !== '' && key === step.repeatKey && repeats < 10) {
        repeats++;
        continue;
      }
      const target = key === '' ? undefined : step.options[key as Dtmf];
      if (target !== undefined) {
        if (step.into) this.data = { ...this.data, [step.into]: key };
        return { next: target, outcome: 'option', detail: { key, attempts: failures + 1, failed: reasons } };
      }
      reasons.push(key === '' ? 'timeout' : `invalid:${key}`);
      failures++;
      if (failures > step.retries)
        return { next: step.onFail, outcome: 'failed', detail: { failed: reasons } };
      await this.play(key === '' ? step.timeoutPrompts : step.invalidPrompts, false);
    }
  }

  private async collectStep(step: CollectStep): Promise<StepOutcome> {
    let failures = 0;
    const reasons: string[] = [];
    for (;;) {
      const first = await this.play(step.prompts, true);
      const r = await this.collect(first ?? '', {
        max: step.max,
        terminator: step.terminator,
        firstMs: step.timeoutMs,
        interMs: step.interDigitTimeoutMs,
      });
      const d = r.digits;
      let ok = false;
      if (d === '') reasons.push('timeout');
      else if (d.length < step.min || d.length > step.max) reasons.push(`invalid:${d}`);
      else if (step.validate && !this.hook('validate', () => step.validate?.(d, this.ctx())))
        reasons.push(`invalid:${d}`);
      else ok = true;
      if (ok) {
        this.data = { ...this.data, [step.into]: d };
        return {
          next: step.next,
          outcome: 'collected',
          detail: { digits: d, attempts: failures + 1, failed: reasons },
        };
      }
      failures++;
      if (failures > step.retries)
        return { next: step.onFail, outcome: 'failed', detail: { failed: reasons } };
      await this.play(d === '' ? step.timeoutPrompts : step.invalidPrompts, false);
    }
  }

  private async dip(step: DipStep): Promise<StepOutcome> {
    const spec = this.hook('dataDip request', () => step.request(this.ctx()));
    if (
      !spec ||
      typeof spec.url !== 'string' ||
      spec.url === '' ||
      (spec.method !== 'GET' && spec.method !== 'POST')
    ) {
      throw new StepFailure('dataDip request must have a url and method GET or POST');
    }
    let res: DipResult;
    try {
      res = await this.port.httpDip({ ...spec, timeoutMs: step.timeoutMs });
    } catch (e) {
      res = { kind: 'error', message: message(e) };
    }
    let reason: string;
    if (res.kind === 'response' && res.status >= 200 && res.status < 300) {
      const response = { status: res.status, body: res.body };
      try {
        const mapped = checkData(step.map(response, this.ctx()), 'dataDip map');
        this.data = { ...this.data, ...mapped };
        return {
          next: step.next,
          outcome: 'ok',
          detail: { url: spec.url, status: res.status, keys: Object.keys(mapped) },
        };
      } catch (e) {
        reason = `map failed: ${message(e)}`;
      }
    } else if (res.kind === 'response') {
      reason = `http ${res.status}`;
    } else if (res.kind === 'timeout') {
      reason = `timeout after ${step.timeoutMs} ms`;
    } else {
      reason = `error: ${res.message}`;
    }
    if (step.onFail !== undefined)
      return { next: step.onFail, outcome: 'fallback', detail: { url: spec.url, reason } };
    throw new StepFailure(`data dip ${spec.url} failed (${reason}) and the step has no onFail`);
  }

  private async voicemail(step: VoicemailStep): Promise<StepOutcome> {
    await this.play(step.prompts, false);
    let r: Awaited<ReturnType<IvrPort['record']>>;
    try {
      r = await this.port.record({
        maxMs: step.maxMs,
        silenceMs: step.silenceMs,
        beep: step.beep,
        terminator: '#',
      });
    } catch (e) {
      throw new StepFailure(`recording failed: ${message(e)}`);
    }
    if (r.error !== undefined) throw new StepFailure(`recording failed: ${r.error}`);
    // A caller who hangs up after speaking has left a message: that is the normal end.
    if (r.endedBy !== 'hangup') await this.playTail(step.thanks);
    return {
      end: {
        type: 'voicemail',
        recordingId: r.recordingId,
        durationMs: r.durationMs,
        ...(step.mailbox !== undefined ? { mailbox: step.mailbox } : {}),
        data: { ...this.data },
      },
      outcome: 'recorded',
      detail: { recordingId: r.recordingId, durationMs: r.durationMs, endedBy: r.endedBy },
    };
  }

  private async callbackStep(step: CallbackStep): Promise<StepOutcome> {
    const valid = (n: string) => /^\d+$/.test(n) && n.length >= step.min && n.length <= step.max;
    const callerDigits = (this.call.caller ?? '').replace(/[^0-9]/g, '');
    let candidate: string | null = valid(callerDigits) ? callerDigits : null;
    let failures = 0;
    const reasons: string[] = [];
    for (;;) {
      if (candidate !== null) {
        const key = await this.oneKey(
          [...step.confirmPrompts, { kind: 'digits', value: candidate }, ...step.confirmKeyPrompts],
          step.timeoutMs,
        );
        if (key === step.confirmKey) {
          this.data = { ...this.data, callbackNumber: candidate };
          await this.playTail(step.thanks);
          return {
            end: {
              type: 'callback',
              number: candidate,
              ...(step.queueId !== undefined ? { queueId: step.queueId } : {}),
              data: { ...this.data },
            },
            outcome: 'requested',
            detail: { number: candidate },
          };
        }
        reasons.push(key === '' ? 'timeout' : `rejected:${key}`);
        if (key !== '') candidate = null;
      } else {
        const first = await this.play(step.enterPrompts, true);
        const r = await this.collect(first ?? '', {
          max: step.max,
          terminator: '#',
          firstMs: step.timeoutMs,
          interMs: Math.min(step.timeoutMs, 3000),
        });
        if (valid(r.digits)) {
          candidate = r.digits;
          continue;
        }
        reasons.push(r.digits === '' ? 'timeout' : `invalid:${r.digits}`);
      }
      failures++;
      if (failures > step.retries)
        return { next: step.onFail, outcome: 'failed', detail: { failed: reasons } };
    }
  }

  private async surveyStep(step: SurveyStep): Promise<StepOutcome> {
    let failures = 0;
    const reasons: string[] = [];
    for (;;) {
      const key = await this.oneKey(step.prompts, step.timeoutMs);
      if (/^[1-5]$/.test(key)) {
        const score = Number(key) as CsatScore;
        this.data = { ...this.data, [step.into]: score };
        await this.playTail(step.thanks);
        return {
          end: { type: 'survey-result', score, data: { ...this.data } },
          outcome: 'scored',
          detail: { score, failed: reasons },
        };
      }
      reasons.push(key === '' ? 'timeout' : `invalid:${key}`);
      failures++;
      if (failures > step.retries) {
        await this.playTail(step.thanks);
        return {
          end: { type: 'survey-result', score: null, data: { ...this.data } },
          outcome: 'no-score',
          detail: { failed: reasons },
        };
      }
      if (key !== '') await this.play(step.invalidPrompts, false);
    }
  }

  // ---- main loop ----------------------------------------------------------------------------

  private stepEvent(
    kind: IvrStepEvent['kind'],
    at: number,
    outcome: string,
    next?: string,
    detail?: IvrStepEvent['detail'],
  ): void {
    this.emit({
      type: 'ivr.step',
      callId: this.call.callId,
      flowId: this.flow.id,
      flowVersion: this.flow.version,
      stepId: this.stepId,
      kind,
      outcome,
      ...(next !== undefined ? { next } : {}),
      ...(detail !== undefined ? { detail } : {}),
      at,
      endedAt: this.now(),
    });
  }

  private async defaultErrorPath(error: string): Promise<FlowResult> {
    this.stepId = DEFAULT_ERROR_STEP;
    this.path.push(DEFAULT_ERROR_STEP);
    const at = this.now();
    let outcome = 'apologized';
    try {
      const media = (this.opts.errorPrompts ?? DEFAULT_ERROR_PROMPTS).map(
        (name): Media => ({ kind: 'sound', name }),
      );
      const r = await this.port.play(media, { interruptible: false });
      if (r.hungUp) outcome = 'caller-hung-up';
      else if (r.error !== undefined) outcome = 'apology-failed';
    } catch {
      outcome = 'apology-failed';
    }
    this.stepEvent('default-error', at, outcome, undefined, { error });
    return this.result({ type: 'hangup', reason: 'error', error, data: { ...this.data } });
  }

  async run(): Promise<FlowResult> {
    const maxSteps = this.opts.maxSteps ?? 200;
    let executed = 0;
    let inErrorPath = false;
    for (;;) {
      const step: Step | undefined = Object.hasOwn(this.flow.steps, this.stepId)
        ? this.flow.steps[this.stepId]
        : undefined;
      const at = this.now();
      let failure: string;
      if (!step) {
        failure = `flow '${this.flow.id}' has no step '${this.stepId}'`;
      } else if (++executed > maxSteps) {
        failure = `more than ${maxSteps} steps executed (a loop?)`;
      } else {
        this.path.push(this.qualified(this.flow.id, this.stepId));
        try {
          const r = await this.exec(step);
          if ('end' in r) {
            this.stepEvent(step.kind, at, r.outcome, undefined, r.detail);
            return this.result(r.end);
          }
          if ('gotoFlow' in r) {
            this.stepEvent(
              step.kind,
              at,
              r.outcome,
              this.qualified(r.gotoFlow.id, r.gotoFlow.entry),
              r.detail,
            );
            this.flow = r.gotoFlow;
            this.stepId = r.gotoFlow.entry;
            inErrorPath = false;
            continue;
          }
          this.stepEvent(step.kind, at, r.outcome, this.qualified(this.flow.id, r.next), r.detail);
          this.stepId = r.next;
          continue;
        } catch (e) {
          if (e instanceof Hangup) {
            this.stepEvent(step.kind, at, 'caller-hung-up');
            return this.result({
              type: 'caller-hung-up',
              flowId: this.flow.id,
              atStep: this.stepId,
              data: { ...this.data },
            });
          }
          failure = message(e);
          this.stepEvent(step.kind, at, 'error', undefined, { error: failure });
        }
      }
      const onError = this.flow.onError;
      if (
        !inErrorPath &&
        onError !== undefined &&
        onError !== this.stepId &&
        Object.hasOwn(this.flow.steps, onError)
      ) {
        inErrorPath = true;
        this.data = { ...this.data, ivrError: failure };
        this.stepId = onError;
        continue;
      }
      return this.defaultErrorPath(failure);
    }
  }
}

/**
 * Runs `flow` for one call until it ends. Never rejects for flow problems: failures take the error
 * path and end in a `hangup` action with `reason: 'error'`.
 */
export function runFlow(
  flow: Flow,
  port: IvrPort,
  call: CallInfo,
  options: RunOptions = {},
): Promise<FlowResult> {
  return new Run(flow, port, call, options).run();
}
