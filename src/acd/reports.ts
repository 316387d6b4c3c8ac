/**
 * Historical reports for supervisors: per queue and per agent, per hour or day of the contact center's own
 * time zone, derived from the interaction log and the agent-state log (the same records the live figures
 * come from, so a report of today and the wallboard agree). Pure: records in, rows out.
 */
import { MISSED_REASON } from '../agents/schema.js';
import { AGENT_STATE_TYPES } from '../agents/seat.js';
import { startOfDay, startOfNextDay, wallClock } from './site-day.js';
import { computeQueueStats, type InteractionRecord } from './stats.js';

export type ReportInterval = 'hour' | 'day';

export interface ReportBucket {
  start: number;
  end: number;
}

/** Most buckets one report may have (a month of hours, a quarter of days). */
export const MAX_REPORT_BUCKETS = 24 * 31;

/** `YYYY-MM-DD HH:MM` on the site's wall clock: what a supervisor reads a report row by. */
export function localLabel(at: number, timeZone: string): string {
  const w = wallClock(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** The start of the local hour holding `at` (zones a half or quarter hour off UTC included). */
function startOfHour(at: number, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return at - (w.minute * 60_000 + w.second * 1000 + (((at % 1000) + 1000) % 1000));
}

/**
 * The hours or days (site time zone, DST-aware: a day may be 23 or 25 hours long) that cover [from, to):
 * the first starts at the start of the hour or day holding `from`, the last ends at or after `to`.
 */
export function reportBuckets(
  from: number,
  to: number,
  interval: ReportInterval,
  timeZone: string,
): ReportBucket[] {
  const buckets: ReportBucket[] = [];
  let start = interval === 'day' ? startOfDay(from, timeZone) : startOfHour(from, timeZone);
  while (start < to && buckets.length <= MAX_REPORT_BUCKETS) {
    const end =
      interval === 'day'
        ? startOfNextDay(start, timeZone)
        : startOfHour(start + 3_600_000 + 60_000, timeZone);
    buckets.push({ start, end });
    start = end;
  }
  return buckets;
}

export interface QueueReportRow {
  queueId: string;
  start: number;
  end: number;
  /** Calls that entered the queue in the bucket, and what became of them. */
  offered: number;
  answered: number;
  answeredWithinServiceLevel: number;
  abandoned: number;
  flowedOut: number;
  serviceLevelPercent: number | null;
  asaSeconds: number | null;
  ahtSeconds: number | null;
  abandonRatePercent: number | null;
  talkSeconds: number;
}

/** One row per queue and bucket; a call counts in the bucket it entered the queue in. */
export function queueReport(input: {
  queues: readonly { id: string; serviceLevelSeconds: number }[];
  records: readonly InteractionRecord[];
  buckets: readonly ReportBucket[];
  now: number;
}): QueueReportRow[] {
  const rows: QueueReportRow[] = [];
  for (const queue of input.queues) {
    const byBucket = groupByBucket(
      input.records.filter((r) => r.queueId === queue.id),
      input.buckets,
      (r) => r.enqueuedAt,
    );
    for (const [i, bucket] of input.buckets.entries()) {
      const records = byBucket[i] ?? [];
      const stats = computeQueueStats({
        queueId: queue.id,
        serviceLevelSeconds: queue.serviceLevelSeconds,
        records,
        entries: [],
        memberSeats: [],
        now: input.now,
      });
      rows.push({
        queueId: queue.id,
        start: bucket.start,
        end: bucket.end,
        offered: stats.offered,
        answered: stats.answered,
        answeredWithinServiceLevel: stats.answeredWithinServiceLevel,
        abandoned: stats.abandoned,
        flowedOut: stats.flowedOut,
        serviceLevelPercent: round(stats.serviceLevelPercent),
        asaSeconds: round(stats.asaSeconds),
        ahtSeconds: round(stats.ahtSeconds),
        abandonRatePercent: round(stats.abandonRatePercent),
        talkSeconds: round(records.reduce((sum, r) => sum + r.talkSeconds, 0)) ?? 0,
      });
    }
  }
  return rows;
}

/** A call an agent handled, as the agent report reads it. */
export interface HandledCall {
  /** When the agent answered (the bucket it counts in). */
  answeredAt: number;
  talkSeconds: number;
  holdSeconds: number;
}

/** A change of an agent's seat state, from the agent-state log. */
export interface SeatChange {
  at: number;
  to: string;
  reason?: string;
}

export interface AgentReportRow {
  agentId: string;
  start: number;
  end: number;
  handled: number;
  talkSeconds: number;
  holdSeconds: number;
  /** Average handle time: talk plus the agent's wrap-up time, per handled call. */
  ahtSeconds: number | null;
  /** Offers that rang out on the agent's phone (ring no answer). */
  missed: number;
  /** Seconds in each seat state within the bucket (up to `now` for the current one). */
  secondsInState: Record<string, number>;
  /** Not-ready seconds per reason code. */
  notReadyByReason: Record<string, number>;
}

/**
 * One row per bucket for one agent. `before` is the agent's state when the first bucket began (the last change
 * before it; logged out when there was none); `changes` are the changes from then on, in order.
 */
export function agentReport(input: {
  agentId: string;
  calls: readonly HandledCall[];
  before: SeatChange | undefined;
  changes: readonly SeatChange[];
  buckets: readonly ReportBucket[];
  now: number;
}): AgentReportRow[] {
  const periods = statePeriods(input.before, input.changes, input.buckets[0]?.start ?? 0, input.now);
  const callsByBucket = groupByBucket(input.calls, input.buckets, (c) => c.answeredAt);
  const missedByBucket = groupByBucket(
    input.changes.filter((c) => c.to === 'not_ready' && c.reason === MISSED_REASON),
    input.buckets,
    (c) => c.at,
  );
  return input.buckets.map((bucket, i) => {
    const calls = callsByBucket[i] ?? [];
    const secondsInState = Object.fromEntries(AGENT_STATE_TYPES.map((s) => [s, 0])) as Record<string, number>;
    const notReadyByReason: Record<string, number> = {};
    for (const period of periods) {
      const seconds = (Math.min(period.end, bucket.end) - Math.max(period.start, bucket.start)) / 1000;
      if (seconds <= 0) continue;
      secondsInState[period.state] = (secondsInState[period.state] ?? 0) + seconds;
      if (period.state === 'not_ready' && period.reason) {
        notReadyByReason[period.reason] = (notReadyByReason[period.reason] ?? 0) + seconds;
      }
    }
    const talk = calls.reduce((sum, c) => sum + c.talkSeconds, 0);
    const wrap = secondsInState.wrap_up ?? 0;
    return {
      agentId: input.agentId,
      start: bucket.start,
      end: bucket.end,
      handled: calls.length,
      talkSeconds: round(talk) ?? 0,
      holdSeconds: round(calls.reduce((sum, c) => sum + c.holdSeconds, 0)) ?? 0,
      ahtSeconds: calls.length > 0 ? round((talk + wrap) / calls.length) : null,
      missed: missedByBucket[i]?.length ?? 0,
      secondsInState: roundAll(secondsInState),
      notReadyByReason: roundAll(notReadyByReason),
    };
  });
}

/**
 * Items per bucket by their instant, in one pass (a binary search each): a month of hours over a busy
 * log is not buckets × records. Items outside every bucket are left out.
 */
function groupByBucket<T>(
  items: readonly T[],
  buckets: readonly ReportBucket[],
  at: (item: T) => number,
): T[][] {
  const groups: T[][] = buckets.map(() => []);
  const first = buckets[0];
  const last = buckets.at(-1);
  if (!first || !last) return groups;
  for (const item of items) {
    const t = at(item);
    if (t < first.start || t >= last.end) continue;
    let lo = 0;
    let hi = buckets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((buckets[mid] as ReportBucket).start <= t) lo = mid;
      else hi = mid - 1;
    }
    groups[lo]?.push(item);
  }
  return groups;
}

interface StatePeriod {
  state: string;
  reason?: string;
  start: number;
  end: number;
}

/** The agent's states as periods from `from` on; the last one runs to `now`. */
function statePeriods(
  before: SeatChange | undefined,
  changes: readonly SeatChange[],
  from: number,
  now: number,
): StatePeriod[] {
  const periods: StatePeriod[] = [];
  let current: StatePeriod = {
    state: before?.to ?? 'logged_out',
    ...(before?.reason ? { reason: before.reason } : {}),
    start: from,
    end: now,
  };
  for (const change of changes) {
    if (change.at < from) continue;
    periods.push({ ...current, end: change.at });
    current = {
      state: change.to,
      ...(change.reason ? { reason: change.reason } : {}),
      start: change.at,
      end: now,
    };
  }
  periods.push(current);
  return periods.filter((p) => p.end > p.start);
}

const round = (n: number | null): number | null => (n === null ? null : Math.round(n * 10) / 10);

function roundAll(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, round(v) ?? 0]));
}
