import { type Kysely, sql } from 'kysely';

/**
 * Queue definitions and members' places kept from changes made through the API are brought within the
 * bounds this version holds them to (2026-12-07): without it a queue saved earlier with, say, a max wait of
 * 100,000 s would stop the service at start-up. A value over its bound becomes the bound; one stored as
 * null (a number too large to hold, 1e400, was taken as Infinity and written as null) becomes what it meant:
 * no limit where the field may be absent (max wait, max length), else the bound. Each change is on the admin
 * change log (`queue.bounded`, `agent.memberships.bounded`), before and after, by nobody in particular.
 *
 * The bounds are written out here, not imported: a migration must do the same thing however the schema
 * changes later.
 */
const DAY_SECONDS = 86_400;

/** Top-level numbers of a queue definition: bound, and whether null (Infinity) means "absent". */
const QUEUE_BOUNDS: Record<string, { max: number; nullIsAbsent: boolean }> = {
  maxWaitSeconds: { max: DAY_SECONDS, nullIsAbsent: true },
  maxLength: { max: 100_000, nullIsAbsent: true },
  defaultHandleSeconds: { max: DAY_SECONDS, nullIsAbsent: false },
};
const AGEING_BOUNDS: Record<string, number> = { everySeconds: DAY_SECONDS, step: 1000, maxBonus: 1000 };
const MEMBER_ORDER_MAX = 10_000;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The definition within bounds, or undefined when it already was (or is no object to mend). */
export function boundedQueue(definition: unknown): Json | undefined {
  if (!isObject(definition)) return undefined;
  const next: Json = { ...definition };
  let changed = false;
  for (const [field, { max, nullIsAbsent }] of Object.entries(QUEUE_BOUNDS)) {
    const value = next[field];
    if (value === null) {
      if (nullIsAbsent) delete next[field];
      else next[field] = max;
      changed = true;
    } else if (typeof value === 'number' && value > max) {
      next[field] = max;
      changed = true;
    }
  }
  if (isObject(next.priorityAgeing)) {
    const ageing: Json = { ...next.priorityAgeing };
    for (const [field, max] of Object.entries(AGEING_BOUNDS)) {
      const value = ageing[field];
      if (value === null || (typeof value === 'number' && value > max)) {
        ageing[field] = max;
        changed = true;
      }
    }
    next.priorityAgeing = ageing;
  }
  return changed ? next : undefined;
}

/** An agent's stored memberships with every order within bounds, or undefined when they already were. */
export function boundedMemberships(memberships: unknown): unknown[] | undefined {
  if (!Array.isArray(memberships)) return undefined;
  let changed = false;
  const next = memberships.map((m) => {
    if (!isObject(m)) return m;
    const order = m.order;
    if (order === null || (typeof order === 'number' && order > MEMBER_ORDER_MAX)) {
      changed = true;
      return { ...m, order: MEMBER_ORDER_MAX };
    }
    return m;
  });
  return changed ? next : undefined;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not ours to mend: start-up names it
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const at = Date.now();
  const logChange = (action: string, subject: string, before: string, after: string) =>
    sql`insert into admin_changes (at, supervisor_id, action, subject, before, after)
        values (${at}, null, ${action}, ${subject}, ${before}, ${after})`.execute(db);

  const queues = await sql<{ id: string; definition: string }>`select id, definition from queues`.execute(db);
  for (const row of queues.rows) {
    const bounded = boundedQueue(parsed(row.definition));
    if (!bounded) continue;
    const after = JSON.stringify(bounded);
    await sql`update queues set definition = ${after}, updated_at = ${at} where id = ${row.id}`.execute(db);
    await logChange('queue.bounded', row.id, row.definition, after);
  }

  const members = await sql<{ agent_id: string; queues: string }>`
    select agent_id, queues from agent_memberships`.execute(db);
  for (const row of members.rows) {
    const bounded = boundedMemberships(parsed(row.queues));
    if (!bounded) continue;
    const after = JSON.stringify(bounded);
    await sql`update agent_memberships set queues = ${after}, updated_at = ${at} where agent_id = ${row.agent_id}`.execute(
      db,
    );
    await logChange('agent.memberships.bounded', row.agent_id, row.queues, after);
  }
}

/** Nothing to undo: the values it lowered were refused by the version that needs this migration's bounds. */
export async function down(): Promise<void> {}
