/**
 * What a step handler is, and the few tools every handler shares. A handler runs one step of one
 * kind and says where the call goes next; the loop in `../runtime.ts` does the rest (events, path,
 * error path). A hang-up is thrown as `HANGUP` and left to reach the loop; only `playTail`, once
 * the call's outcome is settled, swallows it.
 */
import type { CallInfo, RunOptions } from '../runtime.js';
import type {
  CallerData,
  Computed,
  FinalAction,
  Flow,
  FlowContext,
  IvrPort,
  IvrStepEvent,
  Skills,
  Step,
  StepKind,
} from '../types.js';

/** Where a step sends the call: to another step, into another flow, or to the end of the IVR. */
export type StepOutcome =
  | { readonly next: string; readonly outcome: string; readonly detail?: IvrStepEvent['detail'] }
  | { readonly gotoFlow: Flow; readonly outcome: string; readonly detail?: IvrStepEvent['detail'] }
  | { readonly end: FinalAction; readonly outcome: string; readonly detail?: IvrStepEvent['detail'] };

/** The running call as a handler sees it. */
export interface StepScope {
  readonly port: IvrPort;
  readonly call: CallInfo;
  readonly options: RunOptions;
  /** Caller data and skills so far; a handler replaces them (never mutates) to record what it learnt. */
  data: CallerData;
  skills: Skills;
  /** The port's clock; 0 if it throws. */
  now(): number;
  /** Frozen snapshot handed to the flow's code hooks. */
  ctx(): FlowContext;
  /**
   * The recording the previous run of the service had started in the step being resumed (a caller
   * leaving a message through a restart), once; undefined otherwise.
   */
  takeRecordingUnderWay(): string | undefined;
}

export type StepOf<K extends StepKind> = Extract<Step, { readonly kind: K }>;
export type StepHandler<K extends StepKind> = (step: StepOf<K>, scope: StepScope) => Promise<StepOutcome>;
/** One handler per step kind; a kind without a handler is a compile error. */
export type StepHandlers = { readonly [K in StepKind]: StepHandler<K> };

/** A run-time failure inside a step; sends the call down the error path. */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
}

/** Thrown (not returned) when the caller hangs up, so it unwinds any handler at any depth. */
export class Hangup {
  readonly hangup = true;
}
export const HANGUP = new Hangup();

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs one of the flow's code hooks; whatever it throws becomes a `StepFailure` naming the hook. */
export function hook<R>(what: string, fn: () => R): R {
  try {
    return fn();
  } catch (e) {
    throw new StepFailure(`${what} threw: ${errorMessage(e)}`);
  }
}

/**
 * A `Computed` value as written, or computed by the flow's hook. Typed `unknown` because flows are
 * plain code at run time: the caller checks what it got.
 */
export function computedValue<V>(scope: StepScope, what: string, value: Computed<V>): unknown {
  return typeof value === 'function'
    ? hook(what, () => (value as (ctx: FlowContext) => unknown)(scope.ctx()))
    : value;
}
