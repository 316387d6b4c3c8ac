/**
 * IVR flow domain types. Pure: nothing in src/ivr touches fs, network, timers or the wall clock.
 * Time enters through `IvrPort.now()`; every effect on the call goes through `IvrPort`.
 */

/** Values that can be attached to a call ("caller data", shown in the agent's screen pop). */
export type DataValue = string | number | boolean | null;
export type CallerData = Record<string, DataValue>;
/** Skill requirements for routing: skill name → minimum level. */
export type Skills = Record<string, number>;

/** One RFC 2833 DTMF key. */
export type Dtmf = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#';
export const DTMF_KEYS: readonly Dtmf[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];

/** Read-only view of the call handed to every code hook in a flow. */
export interface FlowContext {
  readonly callId: string;
  /** Caller number (ANI), digits only where possible; '' when withheld. */
  readonly caller: string;
  /** Dialed number (DNIS). */
  readonly dialed: string;
  readonly data: Readonly<CallerData>;
  readonly skills: Readonly<Skills>;
  /** Epoch ms, from the port's clock. */
  readonly now: number;
  readonly flowId: string;
  readonly stepId: string;
}

/** A value given literally or computed from the call at run time. */
export type Computed<V> = V | ((ctx: FlowContext) => V);

/** Something to play, as written in a flow. A bare string is a sound file name (`hello-world`, `digits/1`). */
export type PromptSpec =
  | string
  | { readonly kind: 'sound'; readonly name: string }
  | { readonly kind: 'number'; readonly value: Computed<number> }
  | { readonly kind: 'digits'; readonly value: Computed<string> };

/** Something to play, resolved for the port. Maps 1:1 onto ARI media URIs (`sound:`, `number:`, `digits:`). */
export type Media =
  | { readonly kind: 'sound'; readonly name: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'digits'; readonly value: string };

// ---------------------------------------------------------------------------------------------
// Steps. `T` is the union of step ids a step may continue to; `defineFlow` checks it against the
// flow's own step names, so a typo in a target is a type error.
// ---------------------------------------------------------------------------------------------

export interface AnswerStep<T extends string = string> {
  readonly kind: 'answer';
  readonly next: T;
}

export interface PlayStep<T extends string = string> {
  readonly kind: 'play';
  readonly prompts: readonly PromptSpec[];
  /** If true a key press stops the prompt (the key is then discarded). Default false. */
  readonly interruptible: boolean;
  readonly next: T;
}

export interface CollectStep<T extends string = string> {
  readonly kind: 'collect';
  readonly prompts: readonly PromptSpec[];
  /** Caller-data key the digits are stored under. */
  readonly into: string;
  readonly min: number;
  readonly max: number;
  /** Key that ends entry early (not stored). `null` for none. */
  readonly terminator: Dtmf | null;
  /** Wait for the first key after the prompt, ms. */
  readonly timeoutMs: number;
  /** Wait between keys, ms. */
  readonly interDigitTimeoutMs: number;
  /** Extra attempts after the first one. */
  readonly retries: number;
  readonly validate?: (digits: string, ctx: FlowContext) => boolean;
  readonly invalidPrompts: readonly PromptSpec[];
  readonly timeoutPrompts: readonly PromptSpec[];
  readonly next: T;
  /** Taken when every attempt failed. */
  readonly onFail: T;
}

export interface MenuStep<T extends string = string> {
  readonly kind: 'menu';
  readonly prompts: readonly PromptSpec[];
  readonly options: Readonly<Partial<Record<Dtmf, T>>>;
  readonly timeoutMs: number;
  /** Extra attempts after the first one (invalid key or no key both use one up). */
  readonly retries: number;
  readonly invalidPrompts: readonly PromptSpec[];
  readonly timeoutPrompts: readonly PromptSpec[];
  /** Key that replays the menu without using up an attempt. */
  readonly repeatKey?: Dtmf;
  /** Caller-data key the chosen key is stored under (optional). */
  readonly into?: string;
  readonly onFail: T;
}

export interface SetDataStep<T extends string = string> {
  readonly kind: 'set';
  readonly values: Computed<CallerData>;
  readonly skills?: Computed<Skills>;
  readonly next: T;
}

/**
 * The language the caller hears from here on (Asterisk's channel language): its own prompts, numbers and
 * digits, the queue's announcements, and the contact center's `custom/<name>` sounds from
 * `sounds/<language>/` where there is one. Also the caller data `language`, and routing skills if given.
 */
export interface LanguageStep<T extends string = string> {
  readonly kind: 'language';
  readonly language: Computed<string>;
  readonly skills?: Computed<Skills>;
  readonly next: T;
}

export interface DipRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly timeoutMs: number;
}

export interface DipResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface DipStep<T extends string = string> {
  readonly kind: 'dip';
  readonly request: (ctx: FlowContext) => Omit<DipRequest, 'timeoutMs'>;
  readonly timeoutMs: number;
  /** Maps a 2xx response to caller data. Throwing counts as a failed dip. */
  readonly map: (response: DipResponse, ctx: FlowContext) => CallerData;
  readonly next: T;
  /** Taken on timeout, network error, non-2xx or a mapper error. Without it the flow's error path runs. */
  readonly onFail?: T;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
/** `'HH:MM-HH:MM'`, local time, end exclusive, `24:00` allowed as an end. */
export type TimeRange = string;
export interface Holiday {
  /** `YYYY-MM-DD` in the schedule's time zone. */
  readonly date: string;
  readonly name?: string;
  /** Reduced opening hours that day; closed all day when absent. */
  readonly hours?: readonly TimeRange[];
}
export interface Schedule {
  /** IANA zone, e.g. `Europe/Madrid`. */
  readonly timeZone: string;
  readonly weekly: Readonly<Partial<Record<Weekday, readonly TimeRange[]>>>;
  readonly holidays?: readonly (string | Holiday)[];
}

export interface HoursStep<T extends string = string> {
  readonly kind: 'hours';
  readonly schedule: Schedule;
  readonly open: T;
  readonly closed: T;
  /** Taken on a holiday outside its hours; `closed` when absent. */
  readonly holiday?: T;
}

/**
 * Routes on a switch supervisors turn on and off from the wallboard (config `switches`), e.g. an
 * emergency closure: no flow edit, no deploy, at once for every new caller reaching this step.
 */
export interface SwitchStep<T extends string = string> {
  readonly kind: 'switch';
  readonly switchId: string;
  readonly on: T;
  readonly off: T;
}

/**
 * A queue as a caller about to join it would find it (`whenQueue`): how many are in line, how many agents
 * who could take the call are on and free, and the wait the queue would announce.
 */
export interface QueueOutlook {
  /** Callers and callback requests in line now. */
  readonly waiting: number;
  /** Logged-in members with the skills such a caller needs (busy, on a break or free). */
  readonly agentsOn: number;
  /** Of them, free for a call now. */
  readonly agentsFree: number;
  /** A caller joining now: the wait the queue estimates (null: no agent serving, any figure would be a guess). */
  readonly estimatedWaitSeconds: number | null;
}

/** Goes one way or the other by how a queue stands now (`whenQueue`): no agents on, a long wait… */
export interface QueueCheckStep<T extends string = string> {
  readonly kind: 'queue-check';
  readonly queueId: string;
  /** The skills the caller would need there (as the queue step will ask), so only agents who could take it count. */
  readonly skills?: Computed<Skills>;
  readonly when: (queue: QueueOutlook, ctx: FlowContext) => boolean;
  readonly yes: T;
  readonly no: T;
  /** Caller data key the estimated wait (seconds, or null) is kept under, for a prompt to say it. */
  readonly into?: string;
}

export interface BranchStep<T extends string = string> {
  readonly kind: 'branch';
  readonly targets: readonly T[];
  readonly choose: (ctx: FlowContext) => T;
}

export interface GotoFlowStep {
  readonly kind: 'goto-flow';
  readonly flowId: string;
}

/**
 * How long an agent's direct line waits for its agent unless its flow step or route says
 * (`agentWaitSeconds`).
 */
export const DIRECT_LINE_WAIT_SECONDS = 30;

export interface QueueStep {
  readonly kind: 'queue';
  readonly queueId: string;
  /** Higher is served first. */
  readonly priority: Computed<number>;
  /** Merged over the skills collected with `setData(..., { skills })`. */
  readonly skills?: Computed<Skills>;
  /**
   * An agent's direct line (e.g. the account manager a data dip found): that agent alone is offered the call
   * for `agentWaitSeconds`, then the queue's agents. Undefined or '' (computed): the queue as usual.
   */
  readonly agent?: Computed<string | undefined>;
  /** 1 to 600; default 30. */
  readonly agentWaitSeconds?: number;
  readonly prompts: readonly PromptSpec[];
}

export interface VoicemailStep {
  readonly kind: 'voicemail';
  readonly prompts: readonly PromptSpec[];
  readonly beep: boolean;
  readonly maxMs: number;
  readonly silenceMs: number;
  readonly mailbox?: string;
  readonly thanks: readonly PromptSpec[];
}

export interface CallbackStep<T extends string = string> {
  readonly kind: 'callback';
  /** Played before the number read back, e.g. `telephone-number`. */
  readonly confirmPrompts: readonly PromptSpec[];
  /** Played after the number read back, e.g. `if-correct-press digits/1`. */
  readonly confirmKeyPrompts: readonly PromptSpec[];
  readonly confirmKey: Dtmf;
  /** Asks the caller to key in a number, e.g. `vm-enter-num-to-call`. */
  readonly enterPrompts: readonly PromptSpec[];
  readonly min: number;
  readonly max: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly thanks: readonly PromptSpec[];
  readonly queueId?: string;
  readonly onFail: T;
}

export interface TransferStep {
  readonly kind: 'transfer';
  readonly number: Computed<string>;
  readonly prompts: readonly PromptSpec[];
}

export interface SurveyStep {
  readonly kind: 'survey';
  readonly prompts: readonly PromptSpec[];
  readonly timeoutMs: number;
  readonly retries: number;
  readonly invalidPrompts: readonly PromptSpec[];
  readonly thanks: readonly PromptSpec[];
  /** Caller-data key for the score. Default `csat`. */
  readonly into: string;
}

export interface HangupStep {
  readonly kind: 'hangup';
  readonly prompts: readonly PromptSpec[];
}

export type Step<T extends string = string> =
  | AnswerStep<T>
  | PlayStep<T>
  | CollectStep<T>
  | MenuStep<T>
  | SetDataStep<T>
  | LanguageStep<T>
  | DipStep<T>
  | HoursStep<T>
  | SwitchStep<T>
  | QueueCheckStep<T>
  | BranchStep<T>
  | GotoFlowStep
  | QueueStep
  | VoicemailStep
  | CallbackStep<T>
  | TransferStep
  | SurveyStep
  | HangupStep;

export type StepKind = Step['kind'];

/** An immutable flow version. Calls hold the object they started on. */
export interface Flow {
  readonly kind: 'flow';
  readonly id: string;
  readonly description?: string;
  readonly entry: string;
  /** Step taken when something fails at run time; default: apology + hang up. */
  readonly onError?: string;
  readonly steps: Readonly<Record<string, Step>>;
  /** Content hash set by the loader; `dev` for flows built in code. */
  readonly version: string;
}

// ---------------------------------------------------------------------------------------------
// The port: everything the runtime needs from the call. Implemented by the ARI orchestrator
// (src/calls) and by the simulator's fake.
// ---------------------------------------------------------------------------------------------

export interface PlayResult {
  /** Key that stopped an interruptible prompt. */
  readonly interruptedBy?: Dtmf;
  readonly hungUp?: boolean;
  /** The media could not be played (e.g. missing sound file). Takes the error path. */
  readonly error?: string;
}

export interface CollectOptions {
  readonly max: number;
  readonly terminator: Dtmf | null;
  readonly firstDigitTimeoutMs: number;
  readonly interDigitTimeoutMs: number;
}

export interface CollectResult {
  /** Keys received, terminator excluded. */
  readonly digits: string;
  readonly reason: 'max' | 'terminator' | 'timeout' | 'hangup';
}

export interface RecordOptions {
  readonly maxMs: number;
  readonly silenceMs: number;
  readonly beep: boolean;
  /** Key that ends the recording. */
  readonly terminator: Dtmf;
  /**
   * Do not start a recording: wait for this one, which a previous run of the service started on the call
   * and Asterisk may still be making (or has finished while no run listened).
   */
  readonly underWay?: string;
}

export interface RecordResult {
  /** Id/name of the stored recording; the orchestrator links it to a new interaction. */
  readonly recordingId: string;
  readonly durationMs: number;
  /** `unobserved`: an underWay recording Asterisk ended while no run of the service listened. */
  readonly endedBy: 'silence' | 'max' | 'terminator' | 'hangup' | 'unobserved';
  readonly error?: string;
}

export type DipResult =
  | { readonly kind: 'response'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'error'; readonly message: string };

export interface IvrPort {
  /** Answer the channel. */
  answer(): Promise<{ readonly hungUp?: boolean }>;
  /** Play media in order. Resolve when done, interrupted, hung up or failed. */
  play(media: readonly Media[], opts: { readonly interruptible: boolean }): Promise<PlayResult>;
  /** Collect DTMF after any prompt has finished. */
  collectDigits(opts: CollectOptions): Promise<CollectResult>;
  /** Record the caller (voicemail / offline message). */
  record(opts: RecordOptions): Promise<RecordResult>;
  /**
   * The language the caller hears from now on (`es`, `en_US`). Resolves with `hungUp` when the call is
   * gone; may throw when the phone server refuses it.
   */
  setLanguage(language: string): Promise<{ readonly hungUp?: boolean }>;
  /** HTTP request for a data dip. MUST enforce `req.timeoutMs` itself (the runtime has no timers). May throw. */
  httpDip(req: DipRequest): Promise<DipResult>;
  /** Epoch ms. */
  now(): number;
}

// ---------------------------------------------------------------------------------------------
// Results and events
// ---------------------------------------------------------------------------------------------

export type CsatScore = 1 | 2 | 3 | 4 | 5;

/** What the orchestrator must do when the flow is over. `data` is the caller data collected. */
export type FinalAction =
  | {
      readonly type: 'queue';
      readonly queueId: string;
      readonly priority: number;
      readonly skills: Skills;
      /** The agent whose direct line it is, and how long the call waits for them before the team. */
      readonly directLine?: { readonly agentId: string; readonly waitSeconds: number };
      readonly data: CallerData;
    }
  | { readonly type: 'transfer'; readonly number: string; readonly data: CallerData }
  | {
      readonly type: 'voicemail';
      readonly recordingId: string;
      readonly durationMs: number;
      readonly mailbox?: string;
      readonly data: CallerData;
    }
  | {
      readonly type: 'callback';
      readonly number: string;
      readonly queueId?: string;
      readonly data: CallerData;
    }
  | { readonly type: 'survey-result'; readonly score: CsatScore | null; readonly data: CallerData }
  | {
      readonly type: 'hangup';
      readonly reason: 'flow' | 'error';
      readonly error?: string;
      readonly data: CallerData;
    }
  | {
      readonly type: 'caller-hung-up';
      readonly flowId: string;
      readonly atStep: string;
      readonly data: CallerData;
    };

export type FinalActionType = FinalAction['type'];

/** Emitted for every step executed; lands in the interaction timeline. */
export interface IvrStepEvent {
  readonly type: 'ivr.step';
  readonly callId: string;
  readonly flowId: string;
  readonly flowVersion: string;
  readonly stepId: string;
  readonly kind: StepKind | 'default-error';
  /** Short machine-readable result, e.g. `option`, `timeout`, `fallback`, `caller-hung-up`, `error`. */
  readonly outcome: string;
  /** Step taken next, if any. */
  readonly next?: string;
  readonly detail?: Readonly<Record<string, DataValue | readonly DataValue[]>>;
  /** The caller data after this step, present when it changed since the previous event said (so it can be kept as it grows). */
  readonly data?: CallerData;
  /** The routing skills after this step, present when they changed since the previous event said. */
  readonly skills?: Skills;
  /** Port clock when the step started / ended (epoch ms). */
  readonly at: number;
  readonly endedAt: number;
}

export interface IvrEndEvent {
  readonly type: 'ivr.end';
  readonly callId: string;
  readonly flowId: string;
  readonly flowVersion: string;
  readonly action: FinalAction;
  readonly at: number;
}

export type IvrEvent = IvrStepEvent | IvrEndEvent;
