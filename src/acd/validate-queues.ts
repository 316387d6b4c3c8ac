import type { ValidationIssue, ValidationResult } from '../agents/validation.js';
import { isValidDate, isValidTimeZone } from '../ivr/hours.js';
import { parseClock } from './hours.js';
import { type QueueDefinition, type QueueTarget, validateQueueDefinition } from './schema.js';
import { wideningIssues } from './widening.js';

/** Fields that can send a caller to another queue automatically; these must not form cycles. */
const ROUTING_TARGET_FIELDS = ['overflowTarget', 'noAgentsFallback', 'queueFullTarget'] as const;
const ALL_TARGET_FIELDS = [...ROUTING_TARGET_FIELDS, 'exitTarget'] as const;
type TargetField = (typeof ALL_TARGET_FIELDS)[number];

function issue(code: string, path: string, message: string): ValidationIssue {
  return { code, path, message: `${path}: ${message}` };
}

/** Checks within one queue that go beyond the schema: paired fields, time zone, window order. */
function queueIssues(queue: QueueDefinition): ValidationIssue[] {
  const at = `queues[${queue.id}]`;
  const issues: ValidationIssue[] = [];
  if (queue.maxWaitSeconds !== undefined && queue.overflowTarget === undefined) {
    issues.push(
      issue('MISSING_OVERFLOW_TARGET', `${at}.overflowTarget`, 'required when maxWaitSeconds is set'),
    );
  }
  if (queue.overflowTarget !== undefined && queue.maxWaitSeconds === undefined) {
    issues.push(issue('MISSING_MAX_WAIT', `${at}.maxWaitSeconds`, 'required when overflowTarget is set'));
  }
  if ((queue.exitKey === undefined) !== (queue.exitTarget === undefined)) {
    const missing = queue.exitKey === undefined ? 'exitKey' : 'exitTarget';
    issues.push(issue('INCOMPLETE_EXIT', `${at}.${missing}`, 'exitKey and exitTarget must be set together'));
  }
  const hours = queue.callbackHours;
  if (hours) {
    if (!isValidTimeZone(hours.timeZone)) {
      issues.push(
        issue(
          'INVALID_TIME_ZONE',
          `${at}.callbackHours.timeZone`,
          `"${hours.timeZone}" is not an IANA time zone`,
        ),
      );
    }
    const seen = new Set<string>();
    (hours.closedDates ?? []).forEach(({ date }, index) => {
      const real = isValidDate(date);
      if (!real || seen.has(date)) {
        issues.push(
          issue(
            'INVALID_DATE',
            `${at}.callbackHours.closedDates[${index}].date`,
            real ? `${date} is listed twice` : `${date} is not a day of the calendar`,
          ),
        );
      }
      seen.add(date);
    });
    hours.windows.forEach((window, index) => {
      if (parseClock(window.start) >= parseClock(window.end)) {
        issues.push(
          issue(
            'INVALID_WINDOW',
            `${at}.callbackHours.windows[${index}]`,
            `start ${window.start} must be before end ${window.end}`,
          ),
        );
      }
    });
  }
  if (queue.alerts?.belowServiceLevel && queue.serviceLevelTargetPercent === undefined) {
    issues.push(
      issue(
        'MISSING_SERVICE_LEVEL_TARGET',
        `${at}.alerts.belowServiceLevel`,
        'needs serviceLevelTargetPercent, the level it warns below',
      ),
    );
  }
  for (const [path, code, message] of wideningIssues(queue.widening ?? []))
    issues.push(issue(code, `${at}.${path}`, message));
  for (const field of ALL_TARGET_FIELDS) {
    const target = queue[field];
    if (target?.type === 'queue' && target.queueId === queue.id) {
      issues.push(issue('SELF_TARGET', `${at}.${field}.queueId`, 'a queue cannot send callers to itself'));
    }
  }
  return issues;
}

function queueTargetOf(target: QueueTarget | undefined): string | null {
  return target?.type === 'queue' ? target.queueId : null;
}

/** Finds cycles in the automatic queue → queue graph (overflow, no-agents fallback, queue-full). */
function cycleIssues(queues: QueueDefinition[]): ValidationIssue[] {
  const byId = new Map(queues.map((q) => [q.id, q]));
  const edges = (q: QueueDefinition): Array<{ field: TargetField; to: string }> =>
    ROUTING_TARGET_FIELDS.flatMap((field) => {
      const to = queueTargetOf(q[field]);
      return to !== null && to !== q.id && byId.has(to) ? [{ field, to }] : [];
    });
  const issues: ValidationIssue[] = [];
  const reported = new Set<string>();
  const done = new Set<string>();
  const visit = (id: string, trail: Array<{ id: string; field: TargetField }>): void => {
    const loopStart = trail.findIndex((step) => step.id === id);
    if (loopStart >= 0) {
      const loop = trail.slice(loopStart);
      const key = loop
        .map((s) => s.id)
        .sort()
        .join(',');
      if (!reported.has(key)) {
        reported.add(key);
        const first = loop[0]!;
        const route = [...loop.map((s) => `${s.id} (${s.field})`), id].join(' → ');
        issues.push(
          issue('TARGET_CYCLE', `queues[${first.id}].${first.field}`, `callers would loop: ${route}`),
        );
      }
      return;
    }
    if (done.has(id)) return;
    const queue = byId.get(id)!;
    for (const edge of edges(queue)) visit(edge.to, [...trail, { id, field: edge.field }]);
    done.add(id); // fully explored: any cycle through it has been reported already
  };
  for (const q of queues) visit(q.id, []);
  return issues;
}

/**
 * Validates a complete queue configuration: every definition's shape, duplicate ids, references to
 * unknown queues, automatic-routing cycles, time zones and callback windows. Every issue names its queue.
 */
export function validateQueueSet(input: unknown): ValidationResult<QueueDefinition[]> {
  if (!Array.isArray(input)) {
    return { ok: false, issues: [issue('SCHEMA_VIOLATION', 'queues', 'Expected array')] };
  }
  const issues: ValidationIssue[] = [];
  const queues: QueueDefinition[] = [];
  const ids = new Set<string>();
  input.forEach((raw, index) => {
    const rawId = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    const label = typeof rawId === 'string' && rawId.length > 0 ? rawId : String(index);
    const result = validateQueueDefinition(raw, label);
    if (!result.ok) {
      issues.push(...result.issues);
      return;
    }
    if (ids.has(result.value.id)) {
      issues.push(issue('DUPLICATE_QUEUE_ID', `queues[${label}].id`, `"${label}" is defined more than once`));
      return;
    }
    ids.add(result.value.id);
    queues.push(result.value);
  });
  for (const queue of queues) {
    issues.push(...queueIssues(queue));
    for (const field of ALL_TARGET_FIELDS) {
      const to = queueTargetOf(queue[field]);
      if (to !== null && !ids.has(to)) {
        const path = `queues[${queue.id}].${field}.queueId`;
        issues.push(issue('UNKNOWN_QUEUE', path, `queue "${to}" does not exist`));
      }
    }
  }
  issues.push(...cycleIssues(queues));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: queues };
}

/**
 * The sounds a queue names that Asterisk does not have (`prompts`: the sound names of its sounds directory):
 * a voicemail greeting (the caller would go to the beep unwarned), the waiting callers' announcement (they
 * would not hear it) or the agent's announcement (the agent would be put through without it).
 */
export function soundIssues(queue: QueueDefinition, prompts: ReadonlySet<string>): ValidationIssue[] {
  const named: [path: string, sounds: readonly string[]][] = ALL_TARGET_FIELDS.flatMap((field) => {
    const target = queue[field];
    return target?.type === 'voicemail' && target.greeting ? [[`${field}.greeting`, target.greeting]] : [];
  });
  if (queue.announce?.sounds) named.push(['announce.sounds', queue.announce.sounds]);
  if (queue.agentAnnouncement) named.push(['agentAnnouncement', queue.agentAnnouncement]);
  return named.flatMap(([path, sounds]) =>
    sounds.flatMap((sound, i) =>
      prompts.has(sound)
        ? []
        : [
            issue(
              'UNKNOWN_SOUND',
              `queues[${queue.id}].${path}[${i}]`,
              `no sound "${sound}" in Asterisk's sounds directory (add the file, without extension in the name, or fix the name)`,
            ),
          ],
    ),
  );
}

/**
 * A queue's hold music class Asterisk does not define (`classes`, musiconhold.conf's): Asterisk would play
 * its default class instead, without a word.
 */
export function holdMusicIssues(queue: QueueDefinition, classes: ReadonlySet<string>): ValidationIssue[] {
  const name = queue.announce?.musicOnHoldClass;
  if (name === undefined || classes.has(name)) return [];
  return [
    issue(
      'UNKNOWN_MUSIC_CLASS',
      `queues[${queue.id}].announce.musicOnHoldClass`,
      `no hold music class "${name}" in Asterisk's musiconhold.conf (asterisk-config/musiconhold.conf; it has ${[...classes].sort().join(', ') || 'none'})`,
    ),
  ];
}

/** A queue's after-call flow that names no IVR flow loaded (`flowIds`): its callers would get no survey. */
export function afterCallFlowIssues(queue: QueueDefinition, flowIds: ReadonlySet<string>): ValidationIssue[] {
  const flow = queue.afterCallFlow;
  if (flow === undefined || flowIds.has(flow)) return [];
  return [
    issue(
      'UNKNOWN_FLOW',
      `queues[${queue.id}].afterCallFlow`,
      `no IVR flow "${flow}" is loaded (GET /api/flows lists them)`,
    ),
  ];
}
