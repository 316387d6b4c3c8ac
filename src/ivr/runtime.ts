/**
 * The flow interpreter. Executes one step at a time through an `IvrPort`, emits an `ivr.step`
 * event per step and always ends with a `FinalAction`: a run-time failure takes the flow's
 * `onError` step, or the default error path (apology + hang up) — never silence, never a stuck call.
 */
import { STEP_HANDLERS } from './steps/index.js';
import {
  errorMessage,
  Hangup,
  type StepHandler,
  type StepOutcome,
  type StepScope,
  StepFailure,
} from './steps/handler.js';
import type {
  CallerData,
  FinalAction,
  Flow,
  FlowContext,
  IvrEvent,
  IvrPort,
  IvrStepEvent,
  Media,
  QueueOutlook,
  Skills,
  Step,
  StepKind,
} from './types.js';

export { StepFailure } from './steps/handler.js';
export { mediaUri } from './steps/prompts.js';

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
  /**
   * Why a number may not be dialled on the trunk (a callback or a transfer), or null when it may: the
   * outbound rules agents dial by. Without it every number of the right shape may be dialled.
   */
  readonly numberRefusal?: (number: string) => string | null;
  /**
   * Why a transfer may not dial a number, when it differs from `numberRefusal` (which then covers callbacks
   * only): a transfer reaches a number for the caller on the line, so the do-not-call list does not bar it.
   */
  readonly transferRefusal?: (number: string) => string | null;
  /**
   * Whether a switch is on (config `switches`, set by supervisors), or undefined for one the service does not
   * define. Without it every `whenSwitch` step fails (the error path).
   */
  readonly switchOn?: (switchId: string) => boolean | undefined;
  /**
   * How a queue stands for a caller with `skills` (`whenQueue`), or undefined for a queue the service does not
   * have. Without it every `whenQueue` step fails (the error path).
   */
  readonly queueOutlook?: (queueId: string, skills: Skills) => QueueOutlook | undefined;
  /**
   * Carry on a call part-way through instead of starting at the entry: a run of the service that took
   * over a caller another run left in the IVR. `flow` is where the caller was (the entry flow or one
   * reached by `gotoFlow`), `path` the steps already taken, `data`/`skills` what they had gathered.
   */
  readonly resumeAt?: ResumePoint;
}

/** Where a call carried on part-way through a flow picks up (see `RunOptions.resumeAt`). */
export interface ResumePoint {
  readonly flow: Flow;
  readonly stepId: string;
  readonly data: CallerData;
  readonly skills: Skills;
  readonly path: readonly string[];
  /**
   * A message the caller was leaving when the previous run stopped: the name of the recording its
   * voicemail step had started. The resumed step waits for that recording instead of greeting the caller
   * again and starting another.
   */
  readonly recordingUnderWay?: string;
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

/** Same keys with the same values (steps copy data and skills on every write, changed or not). */
function sameRecord(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && Object.is(a[k], b[k])); // values are primitives
}

/** One call's pass through the IVR. It is also the `StepScope` its handlers see. */
class Run implements StepScope {
  private flow: Flow;
  private stepId: string;
  data: CallerData;
  skills: Skills;
  private readonly path: string[];
  private readonly events: IvrEvent[] = [];
  private readonly startFlowId: string;
  /** The data and skills the last step event carried, so an event carries them only when they changed. */
  private said: { data: CallerData; skills: Skills };
  /** See ResumePoint.recordingUnderWay: offered to the first step run only. */
  private recordingUnderWay: string | undefined;

  constructor(
    startFlow: Flow,
    readonly port: IvrPort,
    readonly call: CallInfo,
    readonly options: RunOptions,
  ) {
    const resume = options.resumeAt;
    this.flow = resume?.flow ?? startFlow;
    this.stepId = resume?.stepId ?? startFlow.entry;
    this.startFlowId = startFlow.id;
    this.data = { ...(resume?.data ?? call.data ?? {}) };
    this.skills = { ...(resume?.skills ?? call.skills ?? {}) };
    this.path = [...(resume?.path ?? [])];
    this.said = { data: this.data, skills: this.skills };
    this.recordingUnderWay = resume?.recordingUnderWay;
  }

  takeRecordingUnderWay(): string | undefined {
    const name = this.recordingUnderWay;
    this.recordingUnderWay = undefined;
    return name;
  }

  now(): number {
    try {
      return this.port.now();
    } catch {
      return 0;
    }
  }

  private emit(event: IvrEvent): void {
    this.events.push(event);
    try {
      this.options.onEvent?.(event);
    } catch {
      // the timeline must never break the call
    }
  }

  private qualified(flowId: string, stepId: string): string {
    return flowId === this.startFlowId ? stepId : `${flowId}:${stepId}`;
  }

  ctx(): FlowContext {
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

  // ---- step dispatch and main loop -----------------------------------------------------------

  /** Runs one step through its kind's handler. */
  private exec(step: Step): Promise<StepOutcome> {
    // Flows are plain code at run time, so a kind may be one the type system never saw.
    if (!Object.hasOwn(STEP_HANDLERS, step.kind)) {
      return Promise.reject(new StepFailure(`unknown step kind '${(step as { kind: string }).kind}'`));
    }
    const handler = STEP_HANDLERS[step.kind] as StepHandler<StepKind>;
    return handler(step, this);
  }

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
      ...(!sameRecord(this.data, this.said.data) ? { data: { ...this.data } } : {}),
      ...(!sameRecord(this.skills, this.said.skills) ? { skills: { ...this.skills } } : {}),
      at,
      endedAt: this.now(),
    });
    this.said = { data: this.data, skills: this.skills };
  }

  private async defaultErrorPath(error: string): Promise<FlowResult> {
    this.stepId = DEFAULT_ERROR_STEP;
    this.path.push(DEFAULT_ERROR_STEP);
    const at = this.now();
    let outcome = 'apologized';
    try {
      const media = (this.options.errorPrompts ?? DEFAULT_ERROR_PROMPTS).map(
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
    const maxSteps = this.options.maxSteps ?? 200;
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
          this.recordingUnderWay = undefined; // a later step starts its own
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
          failure = errorMessage(e);
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
