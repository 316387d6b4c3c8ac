import { type Static, Type } from '@sinclair/typebox';
import { type ValidationIssue, type ValidationResult, validateWithSchema } from './validation.js';

/** Identifiers appear in timer keys, URLs and logs, so keep them to a safe alphabet. */
export const IdentifierSchema = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
  description: 'an id of 1 to 64 letters, digits, _ . or -, starting with a letter or digit',
});

export const SkillLevelSchema = Type.Integer({ minimum: 1, maximum: 10 });

/**
 * Skill name → level 1..10. Names are compared as written (an agent's `Spanish` is not a queue's `spanish`),
 * so they are kept to one spelling: a name outside it is refused, not silently never matched.
 */
export function skillMapSchema(options: { default?: Record<string, number> } = {}) {
  return Type.Record(Type.String({ pattern: '^[a-z0-9_-]+$' }), SkillLevelSchema, {
    additionalProperties: false,
    description: 'skill names of lowercase letters, digits, _ or -, each with a level from 1 to 10',
    ...options,
  });
}
export const SkillMapSchema = skillMapSchema();
export type SkillMap = Static<typeof SkillMapSchema>;

/** The highest position a member may have: room for every agent of a large site, and numbers a person types. */
export const MEMBER_ORDER_MAX = 10_000;

export const QueueMembershipSchema = Type.Object(
  {
    queueId: IdentifierSchema,
    penalty: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100,
        description: 'Lower is offered first; higher only when no lower-penalty member is free',
      }),
    ),
    order: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MEMBER_ORDER_MAX,
        description: 'Position for linear and round-robin (ties broken by agent id)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type QueueMembership = Static<typeof QueueMembershipSchema>;

export const AgentDefinitionSchema = Type.Object(
  {
    id: IdentifierSchema,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    /** Asterisk dial string for the agent's device, e.g. `PJSIP/agent1`. */
    endpoint: Type.String({
      pattern: '^(PJSIP|SIP|IAX2|Local)/[^\\s]+$',
      description:
        'an Asterisk dial string: PJSIP, SIP, IAX2 or Local, a slash, then a device with no spaces',
    }),
    skills: Type.Optional(skillMapSchema({ default: {} })),
    queues: Type.Optional(Type.Array(QueueMembershipSchema, { default: [] })),
    autoAnswer: Type.Optional(Type.Boolean({ default: false })),
    /** Overrides the queue's wrap-up time for this agent. */
    wrapUpSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
  },
  { additionalProperties: false },
);
export type AgentDefinition = Static<typeof AgentDefinitionSchema>;

/** Not-ready reason codes selectable by agents; `missed` is reserved for RONA and always exists. */
export const ReasonCodeSchema = Type.Object(
  {
    code: Type.String({
      pattern: '^[a-z][a-z0-9_]{0,31}$',
      description: 'a code of 1 to 32 lowercase letters, digits or _, starting with a letter',
    }),
    label: Type.String({ minLength: 1, maxLength: 100 }),
    /** Counts as productive/paid time in reports (e.g. meeting) vs unpaid (e.g. lunch). */
    paid: Type.Optional(Type.Boolean({ default: true })),
    /** False for system-only codes such as `missed` that agents cannot pick themselves. */
    selectable: Type.Optional(Type.Boolean({ default: true })),
    maxMinutes: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 480,
        description:
          "How long this not ready should last (a 15-minute break): past it, the wallboard's agent row and the agent's softphone say how far over",
      }),
    ),
    /** Dialled after the not-ready code on a desk phone (src/agents/phone-codes.ts): *542 for lunch. */
    digits: Type.Optional(Type.String({ pattern: '^[0-9]{1,2}$', description: '1 or 2 digits' })),
  },
  { additionalProperties: false },
);
export type ReasonCode = Static<typeof ReasonCodeSchema>;

export const MISSED_REASON = 'missed';
/** Set by the system when the agent's phone stopped sending audio mid-call (page closed, crash, network). */
export const LOST_REASON = 'connection_lost';
/** Set by the system when an offer could not ring the agent's phone at all (not registered, unreachable). */
export const UNREACHABLE_REASON = 'phone_unreachable';

/** Set by the system for an agent whose call a restart of the service cut: they choose when to be ready. */
export const RESTART_REASON = 'service_restarted';

export const DEFAULT_REASON_CODES: readonly ReasonCode[] = [
  { code: 'break', label: 'Break', paid: true, selectable: true, digits: '1', maxMinutes: 15 },
  { code: 'lunch', label: 'Lunch', paid: false, selectable: true, digits: '2', maxMinutes: 60 },
  { code: 'meeting', label: 'Meeting', paid: true, selectable: true, digits: '3' },
  { code: 'training', label: 'Training', paid: true, selectable: true, digits: '4' },
  { code: MISSED_REASON, label: 'Missed an offered call', paid: true, selectable: false },
  { code: LOST_REASON, label: 'Phone lost during a call', paid: true, selectable: false },
  { code: UNREACHABLE_REASON, label: 'Phone not reachable', paid: true, selectable: false },
  { code: RESTART_REASON, label: 'Call cut by a restart of the service', paid: true, selectable: false },
];

export function validateAgentDefinition(input: unknown): ValidationResult<AgentDefinition> {
  const id = typeof input === 'object' && input !== null ? (input as { id?: unknown }).id : undefined;
  return validateWithSchema(AgentDefinitionSchema, input, `agents[${typeof id === 'string' ? id : '?'}]`);
}

/**
 * Validates a whole roster: each definition, duplicate ids, duplicate endpoints, duplicate memberships,
 * and (when `knownQueueIds` is given) memberships of queues that do not exist.
 */
export function validateAgentDefinitions(
  input: unknown,
  knownQueueIds?: ReadonlySet<string>,
): ValidationResult<AgentDefinition[]> {
  if (!Array.isArray(input)) {
    return {
      ok: false,
      issues: [{ code: 'SCHEMA_VIOLATION', path: 'agents', message: 'agents: Expected array' }],
    };
  }
  const issues: ValidationIssue[] = [];
  const agents: AgentDefinition[] = [];
  const seenIds = new Set<string>();
  const seenEndpoints = new Map<string, string>();
  for (const [index, raw] of input.entries()) {
    const result = validateAgentDefinition(raw);
    if (!result.ok) {
      issues.push(
        ...result.issues.map((i) => ({ ...i, path: i.path.replace('agents[?]', `agents[${index}]`) })),
      );
      continue;
    }
    const agent = result.value;
    const at = `agents[${agent.id}]`;
    if (seenIds.has(agent.id)) {
      issues.push({
        code: 'DUPLICATE_AGENT_ID',
        path: `${at}.id`,
        message: `${at}.id: "${agent.id}" is defined more than once`,
      });
    }
    seenIds.add(agent.id);
    const owner = seenEndpoints.get(agent.endpoint);
    if (owner !== undefined && owner !== agent.id) {
      issues.push({
        code: 'DUPLICATE_ENDPOINT',
        path: `${at}.endpoint`,
        message: `${at}.endpoint: "${agent.endpoint}" is already used by agent "${owner}"`,
      });
    }
    seenEndpoints.set(agent.endpoint, agent.id);
    const memberOf = new Set<string>();
    for (const [m, membership] of (agent.queues ?? []).entries()) {
      const path = `${at}.queues[${m}].queueId`;
      if (memberOf.has(membership.queueId)) {
        issues.push({
          code: 'DUPLICATE_MEMBERSHIP',
          path,
          message: `${path}: already a member of "${membership.queueId}"`,
        });
      }
      memberOf.add(membership.queueId);
      if (knownQueueIds && !knownQueueIds.has(membership.queueId)) {
        issues.push({
          code: 'UNKNOWN_QUEUE',
          path,
          message: `${path}: queue "${membership.queueId}" does not exist`,
        });
      }
    }
    agents.push(agent);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: agents };
}

/** Validates the reason-code list and guarantees the reserved `missed` code is present. */
export function validateReasonCodes(input: unknown): ValidationResult<ReasonCode[]> {
  if (!Array.isArray(input)) {
    return {
      ok: false,
      issues: [{ code: 'SCHEMA_VIOLATION', path: 'reasonCodes', message: 'reasonCodes: Expected array' }],
    };
  }
  const issues: ValidationIssue[] = [];
  const codes: ReasonCode[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of input.entries()) {
    const result = validateWithSchema(ReasonCodeSchema, raw, `reasonCodes[${index}]`);
    if (!result.ok) {
      issues.push(...result.issues);
      continue;
    }
    const system = DEFAULT_REASON_CODES.find((c) => c.code === result.value.code && c.selectable === false);
    if (system) {
      const path = `reasonCodes[${index}].code`;
      issues.push({
        code: 'RESERVED_REASON_CODE',
        path,
        message: `${path}: "${system.code}" is the system's own (${system.label}); choose another code`,
      });
      continue;
    }
    if (seen.has(result.value.code)) {
      const path = `reasonCodes[${index}].code`;
      issues.push({
        code: 'DUPLICATE_REASON_CODE',
        path,
        message: `${path}: "${result.value.code}" is defined more than once`,
      });
    }
    seen.add(result.value.code);
    const digits = result.value.digits;
    if (digits !== undefined) {
      const path = `reasonCodes[${index}].digits`;
      if (result.value.selectable === false)
        issues.push({
          code: 'SCHEMA_VIOLATION',
          path,
          message: `${path}: a reason agents cannot choose cannot be dialled either`,
        });
      else if (codes.some((c) => c.digits === digits))
        issues.push({
          code: 'DUPLICATE_REASON_CODE',
          path,
          message: `${path}: "${digits}" dials another reason already`,
        });
    }
    codes.push(result.value);
  }
  if (issues.length === 0 && !codes.some((c) => c.selectable !== false))
    issues.push({
      code: 'SCHEMA_VIOLATION',
      path: 'reasonCodes',
      message: 'reasonCodes: give at least one reason agents can choose',
    });
  // The system's own reasons are always known, whatever the configuration lists.
  for (const system of DEFAULT_REASON_CODES.filter((c) => !c.selectable)) {
    if (!seen.has(system.code)) codes.push(system);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: codes };
}
