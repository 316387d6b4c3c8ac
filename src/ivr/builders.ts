/**
 * Builders for flow files. A flow is a declarative graph of named steps:
 *
 *   export default defineFlow({
 *     id: 'main',
 *     entry: 'welcome',
 *     steps: {
 *       welcome: play('hello-world', { next: 'menu' }),
 *       menu: menu({ prompt: 'basic-pbx-ivr-main', options: { '1': 'sales' }, onFail: 'bye' }),
 *       sales: queue('sales', { priority: 1 }),
 *       bye: hangup('vm-goodbye'),
 *     },
 *   });
 *
 * Every builder is generic in the step ids it names, and `defineFlow` checks them against the keys
 * of `steps`, so `next: 'mneu'` is a type error at the step that has it.
 */
import type {
  AnswerStep,
  BranchStep,
  CallbackStep,
  CallerData,
  CollectStep,
  Computed,
  DipRequest,
  DipResponse,
  DipStep,
  Dtmf,
  Flow,
  FlowContext,
  GotoFlowStep,
  HangupStep,
  Holiday,
  HoursStep,
  SwitchStep,
  MenuStep,
  PlayStep,
  PromptSpec,
  QueueStep,
  Schedule,
  LanguageStep,
  QueueCheckStep,
  QueueOutlook,
  SetDataStep,
  Skills,
  Step,
  SurveyStep,
  TimeRange,
  TransferStep,
  VoicemailStep,
  Weekday,
} from './types.js';

/** One prompt or several, played in order. */
export type Prompts = PromptSpec | readonly PromptSpec[];

function list(p: Prompts | undefined): readonly PromptSpec[] {
  if (p === undefined) return [];
  return (Array.isArray(p) ? [...p] : [p]) as readonly PromptSpec[];
}

/** Plays a number ("forty two") inline in a prompt list. */
export function asNumber(value: Computed<number>): PromptSpec {
  return { kind: 'number', value };
}

/** Plays digits one by one ("four two") inline in a prompt list. */
export function asDigits(value: Computed<string>): PromptSpec {
  return { kind: 'digits', value };
}

export interface FlowDefinition<K extends string> {
  /** Unique id; `gotoFlow('<id>')` and the routing config refer to it. */
  readonly id: string;
  readonly description?: string;
  /** First step. */
  readonly entry: NoInfer<K>;
  /** Step taken when something fails at run time (missing prompt, unknown queue, dip without fallback…). */
  readonly onError?: NoInfer<K>;
  readonly steps: { readonly [P in K]: Step<NoInfer<K>> };
}

function deepFreeze<V>(value: V): V {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Declares a flow. Step targets are checked at compile time; the object is frozen. */
export function defineFlow<const K extends string>(def: FlowDefinition<K>): Flow {
  const steps: Record<string, Step> = {};
  for (const [id, step] of Object.entries(def.steps as Record<string, Step>)) steps[id] = step;
  return deepFreeze({
    kind: 'flow' as const,
    id: def.id,
    ...(def.description !== undefined ? { description: def.description } : {}),
    entry: def.entry,
    ...(def.onError !== undefined ? { onError: def.onError } : {}),
    steps,
    version: 'dev',
  });
}

/** Returns a frozen copy of `flow` stamped with `version` (the loader uses the file hash). */
export function withVersion(flow: Flow, version: string): Flow {
  return deepFreeze({ ...flow, version });
}

/** True if `value` looks like a flow built by `defineFlow`. */
export function isFlow(value: unknown): value is Flow {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    v.kind === 'flow' &&
    typeof v.id === 'string' &&
    typeof v.entry === 'string' &&
    typeof v.version === 'string' &&
    v.steps !== null &&
    typeof v.steps === 'object'
  );
}

/** Answers the call. */
export function answer<const T extends string>(opts: { next: T }): AnswerStep<T> {
  return { kind: 'answer', next: opts.next };
}

/** Plays prompts, then continues. */
export function play<const T extends string>(
  prompts: Prompts,
  opts: { next: T; interruptible?: boolean },
): PlayStep<T> {
  return {
    kind: 'play',
    prompts: list(prompts),
    interruptible: opts.interruptible ?? false,
    next: opts.next,
  };
}

/** Says a number ("one hundred twenty three"). */
export function sayNumber<const T extends string>(value: Computed<number>, opts: { next: T }): PlayStep<T> {
  return { kind: 'play', prompts: [asNumber(value)], interruptible: false, next: opts.next };
}

/** Says digits one at a time ("one two three"). */
export function sayDigits<const T extends string>(value: Computed<string>, opts: { next: T }): PlayStep<T> {
  return { kind: 'play', prompts: [asDigits(value)], interruptible: false, next: opts.next };
}

/** Collects a number from the caller into `data[into]`. */
export function collect<const T extends string>(opts: {
  prompt: Prompts;
  into: string;
  /** Default 1. */
  min?: number;
  /** Default 20. */
  max?: number;
  /** Default '#'; `null` for none. */
  terminator?: Dtmf | null;
  /** Default 5000. */
  timeoutMs?: number;
  /** Default 3000. */
  interDigitTimeoutMs?: number;
  /** Extra attempts after the first. Default 2. */
  retries?: number;
  validate?: (digits: string, ctx: FlowContext) => boolean;
  /** Default 'privacy-incorrect'. */
  invalid?: Prompts;
  /** Default: none (the prompt is simply repeated). */
  timeout?: Prompts;
  next: T;
  onFail: T;
}): CollectStep<T> {
  return {
    kind: 'collect',
    prompts: list(opts.prompt),
    into: opts.into,
    min: opts.min ?? 1,
    max: opts.max ?? 20,
    terminator: opts.terminator === undefined ? '#' : opts.terminator,
    timeoutMs: opts.timeoutMs ?? 5000,
    interDigitTimeoutMs: opts.interDigitTimeoutMs ?? 3000,
    retries: opts.retries ?? 2,
    ...(opts.validate ? { validate: opts.validate } : {}),
    invalidPrompts: list(opts.invalid ?? 'privacy-incorrect'),
    timeoutPrompts: list(opts.timeout),
    next: opts.next,
    onFail: opts.onFail,
  };
}

/** Single-key menu. */
export function menu<const T extends string>(opts: {
  prompt: Prompts;
  options: Partial<Record<Dtmf, T>>;
  /** Wait for a key after the prompt, ms. Default 5000. */
  timeoutMs?: number;
  /** Extra attempts after the first. Default 2. */
  retries?: number;
  /** Played on a key that is not an option. Default 'pm-invalid-option'. */
  invalid?: Prompts;
  /** Played when no key was pressed. Default: none (the menu is simply repeated). */
  timeout?: Prompts;
  /** Replays the menu without using up an attempt. */
  repeatKey?: Dtmf;
  /** Store the chosen key in caller data under this key. */
  into?: string;
  /** Taken when every attempt failed. */
  onFail: T;
}): MenuStep<T> {
  return {
    kind: 'menu',
    prompts: list(opts.prompt),
    options: { ...opts.options },
    timeoutMs: opts.timeoutMs ?? 5000,
    retries: opts.retries ?? 2,
    invalidPrompts: list(opts.invalid ?? 'pm-invalid-option'),
    timeoutPrompts: list(opts.timeout),
    ...(opts.repeatKey !== undefined ? { repeatKey: opts.repeatKey } : {}),
    ...(opts.into !== undefined ? { into: opts.into } : {}),
    onFail: opts.onFail,
  };
}

/** Sets caller data (and optionally routing skills), then continues. */
export function setData<const T extends string>(
  values: Computed<CallerData>,
  opts: { next: T; skills?: Computed<Skills> },
): SetDataStep<T> {
  return {
    kind: 'set',
    values,
    ...(opts.skills !== undefined ? { skills: opts.skills } : {}),
    next: opts.next,
  };
}

/**
 * The caller hears `language` from here on (Asterisk's prompts, numbers, queue announcements, and the
 * contact center's own sounds from `sounds/<language>/` where there are some); it is also the caller data
 * `language` (the agent's screen pop), and the step may add routing skills (`{ spanish: 1 }`).
 */
export function setLanguage<const T extends string>(
  language: Computed<string>,
  opts: { next: T; skills?: Computed<Skills> },
): LanguageStep<T> {
  return {
    kind: 'language',
    language,
    ...(opts.skills !== undefined ? { skills: opts.skills } : {}),
    next: opts.next,
  };
}

/**
 * Goes to `yes` when `when` holds for the queue as it stands now, else to `no`: no agent on to take
 * the call, a wait over five minutes (offer a callback or a message first), callers piling up. `skills`:
 * what the caller would need there, so only agents who could take it count; `into`: a caller data key for
 * the estimated wait in seconds (null when no agent is serving), for a prompt to say it.
 */
export function whenQueue<const T extends string>(
  queueId: string,
  opts: {
    when: (queue: QueueOutlook, ctx: FlowContext) => boolean;
    yes: T;
    no: T;
    skills?: Computed<Skills>;
    into?: string;
  },
): QueueCheckStep<T> {
  return {
    kind: 'queue-check',
    queueId,
    when: opts.when,
    yes: opts.yes,
    no: opts.no,
    ...(opts.skills !== undefined ? { skills: opts.skills } : {}),
    ...(opts.into !== undefined ? { into: opts.into } : {}),
  };
}

/** HTTP data dip: request built from the call, response mapped to caller data. */
export function dataDip<const T extends string>(opts: {
  request: (ctx: FlowContext) => Omit<DipRequest, 'timeoutMs'>;
  /** Default 2000. */
  timeoutMs?: number;
  map: (response: DipResponse, ctx: FlowContext) => CallerData;
  next: T;
  /** Taken on timeout / error / non-2xx / mapper error; without it the flow's error path runs. */
  onFail?: T;
}): DipStep<T> {
  return {
    kind: 'dip',
    request: opts.request,
    timeoutMs: opts.timeoutMs ?? 2000,
    map: opts.map,
    next: opts.next,
    ...(opts.onFail !== undefined ? { onFail: opts.onFail } : {}),
  };
}

/** Routes on opening hours in a time zone, with a holiday calendar. */
export function businessHours<const T extends string>(opts: {
  timeZone: string;
  weekly: Partial<Record<Weekday, readonly TimeRange[]>>;
  holidays?: readonly (string | Holiday)[];
  open: T;
  closed: T;
  /** Default: `closed`. */
  holiday?: T;
}): HoursStep<T> {
  const schedule: Schedule = {
    timeZone: opts.timeZone,
    weekly: opts.weekly,
    ...(opts.holidays !== undefined ? { holidays: opts.holidays } : {}),
  };
  return {
    kind: 'hours',
    schedule,
    open: opts.open,
    closed: opts.closed,
    ...(opts.holiday !== undefined ? { holiday: opts.holiday } : {}),
  };
}

/**
 * Routes on a switch supervisors turn on and off (config `switches`; the wallboard's Switches): `on` while
 * it is on, else `off`. A switch the service does not define refuses the flow file.
 */
export function whenSwitch<const T extends string>(switchId: string, opts: { on: T; off: T }): SwitchStep<T> {
  return { kind: 'switch', switchId, on: opts.on, off: opts.off };
}

/** Code decides the next step; it must return one of `targets`. */
export function branch<const T extends string>(
  choose: (ctx: FlowContext) => NoInfer<T>,
  targets: readonly T[],
): BranchStep<T> {
  return { kind: 'branch', choose, targets: [...targets] };
}

/** Continues in another flow (its current version), keeping caller data. */
export function gotoFlow(flowId: string): GotoFlowStep {
  return { kind: 'goto-flow', flowId };
}

/** Ends the flow by queueing the call for an agent. */
export function queue(
  queueId: string,
  opts: {
    priority?: Computed<number>;
    skills?: Computed<Skills>;
    /** An agent's direct line: that agent alone for `agentWaitSeconds` (default 30), then the queue's agents. */
    agent?: Computed<string | undefined>;
    agentWaitSeconds?: number;
    prompt?: Prompts;
  } = {},
): QueueStep {
  return {
    kind: 'queue',
    queueId,
    priority: opts.priority ?? 0,
    ...(opts.skills !== undefined ? { skills: opts.skills } : {}),
    ...(opts.agent !== undefined ? { agent: opts.agent } : {}),
    ...(opts.agentWaitSeconds !== undefined ? { agentWaitSeconds: opts.agentWaitSeconds } : {}),
    prompts: list(opts.prompt),
  };
}

/** Ends the flow by recording a message; the recording becomes a new interaction. */
export function voicemail(
  opts: {
    /** Default 'vm-intro'. */
    prompt?: Prompts;
    /** Default true. */
    beep?: boolean;
    /** Default 120. */
    maxSeconds?: number;
    /** Default 5. */
    silenceSeconds?: number;
    mailbox?: string;
    /** Default ['vm-msgsaved', 'vm-goodbye']. */
    thanks?: Prompts;
  } = {},
): VoicemailStep {
  return {
    kind: 'voicemail',
    prompts: list(opts.prompt ?? 'vm-intro'),
    beep: opts.beep ?? true,
    maxMs: (opts.maxSeconds ?? 120) * 1000,
    silenceMs: (opts.silenceSeconds ?? 5) * 1000,
    ...(opts.mailbox !== undefined ? { mailbox: opts.mailbox } : {}),
    thanks: list(opts.thanks ?? ['vm-msgsaved', 'vm-goodbye']),
  };
}

/**
 * Ends the flow with a callback request. The caller's number is read back and confirmed with
 * `confirmKey`; any other key (or no usable caller id) asks them to key in a number instead.
 */
export function callback<const T extends string>(opts: {
  /** Default 'telephone-number'. */
  confirm?: Prompts;
  /** Default ['if-correct-press', 'digits/1']. */
  confirmKeyPrompt?: Prompts;
  /** Default '1'. */
  confirmKey?: Dtmf;
  /** Default 'vm-enter-num-to-call'. */
  enter?: Prompts;
  /** Default 7. */
  min?: number;
  /** Default 15. */
  max?: number;
  /** Default 6000. */
  timeoutMs?: number;
  /** Default 2. */
  retries?: number;
  /** Default ['auth-thankyou', 'goodbye']. */
  thanks?: Prompts;
  queueId?: string;
  onFail: T;
}): CallbackStep<T> {
  return {
    kind: 'callback',
    confirmPrompts: list(opts.confirm ?? 'telephone-number'),
    confirmKeyPrompts: list(opts.confirmKeyPrompt ?? ['if-correct-press', 'digits/1']),
    confirmKey: opts.confirmKey ?? '1',
    enterPrompts: list(opts.enter ?? 'vm-enter-num-to-call'),
    min: opts.min ?? 7,
    max: opts.max ?? 15,
    timeoutMs: opts.timeoutMs ?? 6000,
    retries: opts.retries ?? 2,
    thanks: list(opts.thanks ?? ['auth-thankyou', 'goodbye']),
    ...(opts.queueId !== undefined ? { queueId: opts.queueId } : {}),
    onFail: opts.onFail,
  };
}

/** Ends the flow by transferring to a number. */
export function transfer(number: Computed<string>, opts: { prompt?: Prompts } = {}): TransferStep {
  return { kind: 'transfer', number, prompts: list(opts.prompt) };
}

/** Ends the flow with a CSAT score 1–5 (null when none was given). */
export function survey(opts: {
  prompt: Prompts;
  /** Default 5000. */
  timeoutMs?: number;
  /** Default 1. */
  retries?: number;
  /** Default 'pm-invalid-option'. */
  invalid?: Prompts;
  /** Default ['auth-thankyou', 'goodbye']. */
  thanks?: Prompts;
  /** Default 'csat'. */
  into?: string;
}): SurveyStep {
  return {
    kind: 'survey',
    prompts: list(opts.prompt),
    timeoutMs: opts.timeoutMs ?? 5000,
    retries: opts.retries ?? 1,
    invalidPrompts: list(opts.invalid ?? 'pm-invalid-option'),
    thanks: list(opts.thanks ?? ['auth-thankyou', 'goodbye']),
    into: opts.into ?? 'csat',
  };
}

/** Ends the flow by hanging up, after optional prompts. */
export function hangup(prompt?: Prompts): HangupStep {
  return { kind: 'hangup', prompts: list(prompt) };
}
