import { type Static, Type } from '@sinclair/typebox';
import { IdentifierSchema, skillMapSchema } from '../agents/schema.js';
import { type ValidationResult, validateWithSchema } from '../agents/validation.js';

/** A sound Asterisk plays, by its name in Asterisk's sounds directory. */
export const SoundNameSchema = Type.String({
  minLength: 1,
  maxLength: 200,
  // A name under the sounds directory: no scheme, no way out of it.
  pattern: '^(?!.*\\.\\.)[A-Za-z0-9_-][A-Za-z0-9_./-]*$',
  description:
    "an Asterisk sound name in its sounds directory, without extension (e.g. custom/all-busy): letters, digits, _ - . / and no '..'",
});

/** Where a caller goes when a queue gives up on it (max wait, no agents, exit key, queue full). */
export const QueueTargetSchema = Type.Union([
  Type.Object({ type: Type.Literal('queue'), queueId: IdentifierSchema }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('voicemail'),
      mailbox: Type.Optional(Type.String({ minLength: 1 })),
      /**
       * What the caller hears before the beep, in order: Asterisk sound names (e.g. `custom/all-busy`, a
       * file in Asterisk's sounds directory, without extension). Default `vm-intro`.
       */
      greeting: Type.Optional(Type.Array(SoundNameSchema, { minItems: 1, maxItems: 10 })),
      /** The longest message kept, in seconds (the recording stops there). Default 120. */
      maxSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('callback') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('hangup') }, { additionalProperties: false }),
]);
export type QueueTarget = Static<typeof QueueTargetSchema>;
/** How a queue's voicemail target records: its mailbox, greeting and longest message. */
export type QueueVoicemailSettings = Omit<Extract<QueueTarget, { type: 'voicemail' }>, 'type'>;

export const STRATEGIES = [
  'ring_all',
  'longest_idle',
  'fewest_calls',
  'round_robin',
  'linear',
  'random',
  'skills_based',
] as const;
// Spelled out (not mapped) so the literal types survive into Static<> and the Fastify type provider.
export const StrategySchema = Type.Union([
  Type.Literal('ring_all'),
  Type.Literal('longest_idle'),
  Type.Literal('fewest_calls'),
  Type.Literal('round_robin'),
  Type.Literal('linear'),
  Type.Literal('random'),
  Type.Literal('skills_based'),
]);
export type StrategyName = (typeof STRATEGIES)[number];

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const ClockTimeSchema = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$',
  description: 'a time of day as HH:MM on the 24-hour clock, 00:00 to 24:00',
});

export const WeeklyWindowSchema = Type.Object(
  {
    days: Type.Array(
      Type.Union([
        Type.Literal('sun'),
        Type.Literal('mon'),
        Type.Literal('tue'),
        Type.Literal('wed'),
        Type.Literal('thu'),
        Type.Literal('fri'),
        Type.Literal('sat'),
      ]),
      { minItems: 1 },
    ),
    /** Local wall-clock "HH:MM", start inclusive, end exclusive; "24:00" means end of day. */
    start: ClockTimeSchema,
    end: ClockTimeSchema,
  },
  { additionalProperties: false },
);
export type WeeklyWindow = Static<typeof WeeklyWindowSchema>;

export const ClosedDateSchema = Type.Object(
  {
    date: Type.String({
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
      description: "a day as YYYY-MM-DD, in the hours' time zone",
    }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'e.g. "Christmas Day"' })),
  },
  { additionalProperties: false },
);

export const WeeklyHoursSchema = Type.Object(
  {
    /** IANA zone, e.g. "Europe/Amsterdam"; evaluated with Intl, so DST is handled. */
    timeZone: Type.String({ minLength: 1 }),
    windows: Type.Array(WeeklyWindowSchema, { minItems: 1 }),
    closedDates: Type.Optional(
      Type.Array(ClosedDateSchema, {
        maxItems: 400,
        description:
          'Days the hours stay closed whatever the weekday (public holidays): nobody is called back then',
      }),
    ),
  },
  { additionalProperties: false },
);
export type WeeklyHours = Static<typeof WeeklyHoursSchema>;

export const CallbackPolicySchema = Type.Object(
  {
    maxAttempts: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
    retryIntervalSeconds: Type.Integer({ minimum: 30, maximum: 86_400, default: 600 }),
  },
  { additionalProperties: false },
);
export type CallbackPolicy = Static<typeof CallbackPolicySchema>;

/**
 * Callers who give up waiting are called back: one who hung up after `minWaitSeconds` in the queue gets a
 * callback booked by the queue, due `delaySeconds` later (carried out as any callback: callback hours, the
 * free agent rung first, the retry policy). Not a withheld or barred number, nor one with a callback open.
 * Cancelled when they call again and reach an agent first.
 */
export const AbandonedCallbackSchema = Type.Object(
  {
    minWaitSeconds: Type.Integer({
      minimum: 0,
      maximum: 3600,
      default: 10,
      description: 'Only callers who waited at least this long (a caller who hangs up at once misdialled)',
    }),
    delaySeconds: Type.Integer({
      minimum: 1,
      maximum: 86_400,
      default: 60,
      description: 'How long after they hung up the callback is due (they may be calling again)',
    }),
  },
  { additionalProperties: false },
);
export type AbandonedCallback = Static<typeof AbandonedCallbackSchema>;

/** Asterisk's hold music class when a queue names none (musiconhold.conf's `[default]`). */
export const DEFAULT_MUSIC_ON_HOLD_CLASS = 'default';

export const AnnounceSchema = Type.Object(
  {
    /** Seconds between periodic announcements; 0 disables them. */
    everySeconds: Type.Integer({ minimum: 0, maximum: 3600, default: 0 }),
    position: Type.Boolean({ default: true }),
    estimatedWait: Type.Boolean({ default: false }),
    /**
     * Sounds played at each announcement after the position and wait (e.g. `custom/visit-our-website`, or
     * alone with both off: a periodic message).
     */
    sounds: Type.Optional(Type.Array(SoundNameSchema, { minItems: 1, maxItems: 10 })),
    /** A class of Asterisk's musiconhold.conf: what waiting callers hear between announcements. */
    musicOnHoldClass: Type.String({ minLength: 1, default: DEFAULT_MUSIC_ON_HOLD_CLASS }),
  },
  { additionalProperties: false, default: {} },
);
export type AnnounceSettings = Static<typeof AnnounceSchema>;

export const PriorityAgeingSchema = Type.Object(
  {
    /** Every `everySeconds` waited adds `step` to the effective priority, up to `maxBonus`. */
    everySeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
    // On the scale of the priorities a route or an IVR flow sets (0–1000).
    step: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
    maxBonus: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type PriorityAgeing = Static<typeof PriorityAgeingSchema>;

/**
 * One step of a queue's widening (`widening`): after the caller has waited `afterSeconds` in the queue, who
 * may take the call widens as it says. Steps build on those before: a field left out keeps the earlier
 * step's value. A first step at 0 s says how narrow a call starts (e.g. `maxPenalty: 0`: only the queue's
 * first-choice agents until a later step lets the back-up agents in), as app_queue's queue rules do.
 */
export const WideningStepSchema = Type.Object(
  {
    afterSeconds: Type.Integer({ minimum: 0, maximum: 86_400 }),
    /** Members with a higher penalty are not offered the caller (absent: every penalty). */
    maxPenalty: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    /** Every skill level the call needs (the queue's and the caller's own) lowered by this, to 1 at least. */
    lowerSkillsBy: Type.Optional(Type.Integer({ minimum: 1, maximum: 9 })),
    /** Skills the call no longer needs at all (agents without them may take it). */
    dropSkills: Type.Optional(
      Type.Array(
        Type.String({
          pattern: '^[a-z0-9_-]+$',
          description: 'a skill name of lowercase letters, digits, _ or -',
        }),
        { minItems: 1, maxItems: 20, uniqueItems: true },
      ),
    ),
  },
  { additionalProperties: false },
);
export type WideningStep = Static<typeof WideningStepSchema>;

/**
 * Last-agent routing: a caller who talked with an agent lately is offered to that agent first, so a customer
 * who calls back about the same matter does not tell the story again to someone new.
 */
export const LastAgentSchema = Type.Object(
  {
    /** A conversation older than this many days does not count: the strategy picks as for anyone. */
    withinDays: Type.Integer({ minimum: 1, maximum: 365, default: 30 }),
    /**
     * How long the caller may wait for that agent to finish a call or its wrap-up while others are free
     * (from entering the queue); 0 = only when the agent is free at that moment. Never for an agent not
     * ready, logged out, or no longer in the queue or skilled for the call.
     */
    waitSeconds: Type.Integer({ minimum: 0, maximum: 600, default: 0 }),
  },
  { additionalProperties: false },
);
export type LastAgentSettings = Static<typeof LastAgentSchema>;

/**
 * When supervisors are warned about a queue (the live stream's `queue.alert`, the wallboard, /metrics): each
 * condition is raised the moment it holds and cleared the moment it no longer does.
 */
export const QueueAlertRulesSchema = Type.Object(
  {
    /** A caller has waited this long. */
    waitSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
    /** This many callers wait at once. */
    waitingCallers: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    /** Callers wait and no member can take them: every one logged out or not ready. */
    unstaffed: Type.Optional(Type.Boolean()),
    /** Today's service level is below `serviceLevelTargetPercent` (read as each call is answered or lost). */
    belowServiceLevel: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type QueueAlertRules = Static<typeof QueueAlertRulesSchema>;

export const QueueDefinitionSchema = Type.Object(
  {
    id: IdentifierSchema,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    strategy: StrategySchema,
    /** Skill → minimum level an agent needs to be offered this queue's calls. */
    requiredSkills: Type.Optional(skillMapSchema({ default: {} })),
    /** Maximum number of waiting callers (callbacks excluded); absent = unlimited. */
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    /** Where callers go when the queue is full; defaults to `overflowTarget`, else hangup. */
    queueFullTarget: Type.Optional(QueueTargetSchema),
    /** At most a day, as widening's steps: beyond that a caller is not waiting on hold but lost. */
    maxWaitSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
    overflowTarget: Type.Optional(QueueTargetSchema),
    /** Used immediately when no member agent is logged in; absent = callers wait. */
    noAgentsFallback: Type.Optional(QueueTargetSchema),
    ringTimeoutSeconds: Type.Integer({ minimum: 5, maximum: 300, default: 20 }),
    wrapUpSeconds: Type.Integer({ minimum: 0, maximum: 3600, default: 0 }),
    announce: Type.Optional(AnnounceSchema),
    /**
     * What the agent hears once they answer, before the caller is put through (e.g. `custom/queue-sales`:
     * "a Sales call"), so an agent at a desk phone, who sees no screen pop, knows which queue the caller
     * waited in. The caller keeps hearing hold music meanwhile; absent = put through at once.
     */
    agentAnnouncement: Type.Optional(Type.Array(SoundNameSchema, { minItems: 1, maxItems: 10 })),
    /** The agent also hears how long the caller waited ("Hold time: 2 minutes 5 seconds"), after those sounds. */
    agentAnnouncementWait: Type.Optional(Type.Boolean()),
    serviceLevelSeconds: Type.Integer({ minimum: 1, maximum: 3600, default: 20 }),
    /**
     * The share of calls the queue means to answer within `serviceLevelSeconds` (80 for "80/20"): the wallboard
     * warns while the day's service level is below it. Absent = no target.
     */
    serviceLevelTargetPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    /**
     * An IVR flow the caller is put through when the agent ends the conversation (e.g. `csat-survey`):
     * instead of being hung up on, the caller hears it (a survey's score is stored as the call's `csat`).
     */
    afterCallFlow: Type.Optional(Type.String({ minLength: 1 })),
    exitKey: Type.Optional(Type.String({ pattern: '^[0-9*#]$', description: 'one key: a digit, * or #' })),
    exitTarget: Type.Optional(QueueTargetSchema),
    callbackHours: Type.Optional(WeeklyHoursSchema),
    callbackPolicy: Type.Optional(CallbackPolicySchema),
    abandonedCallback: Type.Optional(AbandonedCallbackSchema),
    priorityAgeing: Type.Optional(PriorityAgeingSchema),
    /**
     * Who may take a waiting caller widens the longer they wait (see WideningStepSchema), in order of
     * `afterSeconds`; absent = the queue's skills and every member from the start. Callers only: a callback
     * request, with nobody on hold, stays as narrow as a call starts.
     */
    widening: Type.Optional(Type.Array(WideningStepSchema, { minItems: 1, maxItems: 10 })),
    vipNumbers: Type.Optional(
      Type.Array(
        Type.String({
          pattern: '^\\+?[0-9]{3,20}$',
          description: 'a caller number of 3 to 20 digits, + before them allowed',
        }),
        { default: [] },
      ),
    ),
    vipPriorityBonus: Type.Integer({ minimum: 0, maximum: 1000, default: 10 }),
    /** Conditions supervisors are warned of (see QueueAlertRulesSchema); absent = none. */
    alerts: Type.Optional(QueueAlertRulesSchema),
    /** Offer a caller to the agent they last talked with first (see LastAgentSchema); absent = the strategy alone. */
    lastAgent: Type.Optional(LastAgentSchema),
    /** Handle time assumed for the wait estimate until real calls have been measured. */
    defaultHandleSeconds: Type.Integer({ minimum: 1, maximum: 86_400, default: 180 }),
  },
  { additionalProperties: false },
);
export type QueueDefinition = Static<typeof QueueDefinitionSchema>;

/** Validates a single definition's shape (cross-queue checks live in validate-queues.ts). */
export function validateQueueDefinition(input: unknown, label?: string): ValidationResult<QueueDefinition> {
  const id = typeof input === 'object' && input !== null ? (input as { id?: unknown }).id : undefined;
  const name = label ?? (typeof id === 'string' ? id : '?');
  return validateWithSchema(QueueDefinitionSchema, input, `queues[${name}]`);
}
