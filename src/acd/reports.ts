/**
 * Historical reports for supervisors: per queue and per agent, per hour or day of the contact center's own
 * time zone, derived from the interaction log and the agent-state log (the same records the live figures
 * come from, so a report of today and the wallboard agree). Pure: records in, rows out.
 */
import { MISSED_REASON } from '../agents/schema.js';
import { AGENT_STATE_TYPES } from '../agents/seat.js';
import { offsetAt, startOfDay, startOfNextDay, wallClock } from './site-day.js';
import { computeQueueStats, type InteractionRecord } from './stats.js';

export type ReportInterval = '15min' | '30min' | 'hour' | 'day';

/** The minutes of each interval shorter than a day (a day is the site's own: 23, 24 or 25 hours). */
export const INTERVAL_MINUTES = { '15min': 15, '30min': 30, hour: 60 } as const;

export interface ReportBucket {
  start: number;
  end: number;
}

/** Most buckets one report may have (a month of hours, a quarter of days). */
export const MAX_REPORT_BUCKETS = 24 * 31;

const pad = (n: number) => String(n).padStart(2, '0');
const plainLabel = (at: number, timeZone: string) => {
  const w = wallClock(at, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
};

/** `+01:00`: how far the site's clock is from UTC at `at`. */
function offsetLabel(at: number, timeZone: string): string {
  const minutes = Math.round(offsetAt(at, timeZone) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/**
 * `YYYY-MM-DD HH:MM` on the site's wall clock: what a supervisor reads a report row by. When the clocks go
 * back, the repeated hour's wall-clock times happen twice, so those labels also name the UTC offset
 * (`2026-10-25 02:00 +02:00`, then `2026-10-25 02:00 +01:00`) instead of showing two rows alike.
 */
export function localLabel(at: number, timeZone: string): string {
  const label = plainLabel(at, timeZone);
  const offset = offsetAt(at, timeZone);
  // Another offset within a few hours (a DST change) that puts another instant on the same wall clock.
  for (const near of [at - 3 * 3_600_000, at + 3 * 3_600_000]) {
    const other = offsetAt(near, timeZone);
    if (other === offset) continue;
    const twin = at + offset - other;
    if (twin !== at && offsetAt(twin, timeZone) === other && plainLabel(twin, timeZone) === label) {
      return `${label} ${offsetLabel(at, timeZone)}`;
    }
  }
  return label;
}

/**
 * The start of the local quarter, half or whole hour holding `at` (zones a half or quarter hour off UTC
 * included: every zone's offset is a whole number of quarter hours).
 */
function startOfSlot(at: number, minutes: number, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return at - ((w.minute % minutes) * 60_000 + w.second * 1000 + (((at % 1000) + 1000) % 1000));
}

/**
 * The quarter hours, half hours, hours or days (site time zone, DST-aware: a day may be 23 or 25 hours
 * long) that cover [from, to): the first starts at the start of the one holding `from`, the last ends at or
 * after `to`.
 */
export function reportBuckets(
  from: number,
  to: number,
  interval: ReportInterval,
  timeZone: string,
): ReportBucket[] {
  const buckets: ReportBucket[] = [];
  const minutes = interval === 'day' ? 0 : INTERVAL_MINUTES[interval];
  let start = minutes === 0 ? startOfDay(from, timeZone) : startOfSlot(from, minutes, timeZone);
  while (start < to && buckets.length <= MAX_REPORT_BUCKETS) {
    // A minute past the next one's start, rounded down: the clocks going forward or back land it right.
    const end =
      minutes === 0
        ? startOfNextDay(start, timeZone)
        : startOfSlot(start + (minutes + 1) * 60_000, minutes, timeZone);
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
  /** The queue's aim for it (`serviceLevelTargetPercent`), null without one. */
  serviceLevelTargetPercent: number | null;
  /** Whether the hour or day fell short of that aim; null without an aim or without a finished call. */
  belowServiceLevelTarget: boolean | null;
  asaSeconds: number | null;
  ahtSeconds: number | null;
  abandonRatePercent: number | null;
  talkSeconds: number;
  /** Callback requests made in the hour or day (a waiting caller's, or booked for later), and those that ended
   * then: called back (`Completed`), given up after the retry policy's attempts (`Failed`), or cancelled. */
  callbacksRequested: number;
  callbacksCompleted: number;
  callbacksFailed: number;
  callbacksCancelled: number;
}

/** A callback's start or end as the queue report counts it (the timeline's `acd.callback` steps). */
export interface CallbackMilestone {
  at: number;
  step: 'requested' | 'closed';
  reason: string | null;
}

type CallbackCounts = Pick<
  QueueReportRow,
  'callbacksRequested' | 'callbacksCompleted' | 'callbacksFailed' | 'callbacksCancelled'
>;

/** Per bucket, the callbacks requested and ended in it; a milestone outside every bucket is left out. */
export function callbackCounts(
  buckets: readonly ReportBucket[],
  milestones: readonly CallbackMilestone[],
): CallbackCounts[] {
  const counts = buckets.map(() => ({
    callbacksRequested: 0,
    callbacksCompleted: 0,
    callbacksFailed: 0,
    callbacksCancelled: 0,
  }));
  for (const m of milestones) {
    const i = bucketIndex(buckets, m.at);
    if (i === undefined) continue;
    const row = counts[i]!;
    if (m.step === 'requested') row.callbacksRequested++;
    else if (m.reason === 'completed') row.callbacksCompleted++;
    else if (m.reason === 'cancelled') row.callbacksCancelled++;
    // max_attempts, a message left on an answering machine (nobody reached), or one that could not be
    // restored after a restart
    else row.callbacksFailed++;
  }
  return counts;
}

/** One row per queue and bucket; a call counts in the bucket it entered the queue in. */
/** What a queue report reads of a queue's definition. */
type ReportedQueue = { id: string; serviceLevelSeconds: number; serviceLevelTargetPercent?: number };

export function queueReport(input: {
  queues: readonly ReportedQueue[];
  records: readonly InteractionRecord[];
  buckets: readonly ReportBucket[];
  now: number;
  /** Each queue's callbacks requested and ended in the range (by queue id). */
  callbacks?: Readonly<Record<string, readonly CallbackMilestone[]>>;
}): QueueReportRow[] {
  return input.queues.flatMap((queue) => {
    const fold = new QueueReportFold(queue, input.buckets, input.now, input.callbacks?.[queue.id]);
    fold.add(input.records.filter((r) => r.queueId === queue.id).sort((a, b) => a.enqueuedAt - b.enqueuedAt));
    return fold.finish();
  });
}

/**
 * One queue's report rows, built from its stays as they are read in the order they entered the queue: only
 * the current hour's or day's stays are held, so a year of a busy queue is never in memory at once. Each
 * row's figures come from computeQueueStats, as the live figures do, so a report of today and the
 * wallboard agree.
 */
export class QueueReportFold {
  private readonly rows: QueueReportRow[] = [];
  private pending: InteractionRecord[] = [];
  /** The bucket `pending` belongs to; the ones before it are rows already. */
  private current = 0;

  /** The callbacks' counts per bucket, worked out at once (a queue's few per day, not its calls). */
  private readonly callbacks: CallbackCounts[];

  constructor(
    private readonly queue: ReportedQueue,
    private readonly buckets: readonly ReportBucket[],
    private readonly now: number,
    callbacks: readonly CallbackMilestone[] = [],
  ) {
    this.callbacks = callbackCounts(buckets, callbacks);
  }

  /** Stays in the order they entered the queue (a stay before one already added is refused). */
  add(records: readonly InteractionRecord[]): void {
    for (const record of records) {
      const i = bucketIndex(this.buckets, record.enqueuedAt);
      if (i === undefined) continue;
      if (i < this.current) {
        throw new RangeError(
          `queue stays must come in the order they entered the queue: ${new Date(record.enqueuedAt).toISOString()} came after a later one`,
        );
      }
      while (this.current < i) this.closeBucket();
      this.pending.push(record);
    }
  }

  /** Every bucket's row, the ones no stay fell in included. */
  finish(): QueueReportRow[] {
    while (this.current < this.buckets.length) this.closeBucket();
    return this.rows;
  }

  private closeBucket(): void {
    const bucket = this.buckets[this.current] as ReportBucket;
    const records = this.pending;
    const target = this.queue.serviceLevelTargetPercent ?? null;
    const stats = computeQueueStats({
      queueId: this.queue.id,
      serviceLevelSeconds: this.queue.serviceLevelSeconds,
      records,
      entries: [],
      memberSeats: [],
      now: this.now,
    });
    this.rows.push({
      queueId: this.queue.id,
      start: bucket.start,
      end: bucket.end,
      offered: stats.offered,
      answered: stats.answered,
      answeredWithinServiceLevel: stats.answeredWithinServiceLevel,
      abandoned: stats.abandoned,
      flowedOut: stats.flowedOut,
      serviceLevelPercent: round(stats.serviceLevelPercent),
      serviceLevelTargetPercent: target,
      belowServiceLevelTarget:
        target === null || stats.serviceLevelPercent === null ? null : stats.serviceLevelPercent < target,
      asaSeconds: round(stats.asaSeconds),
      ahtSeconds: round(stats.ahtSeconds),
      abandonRatePercent: round(stats.abandonRatePercent),
      talkSeconds: round(records.reduce((sum, r) => sum + r.talkSeconds, 0)) ?? 0,
      ...this.callbacks[this.current]!,
    });
    this.pending = [];
    this.current++;
  }
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
  /** The state left (absent: not known, e.g. in tests of the fold alone). */
  from?: string;
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
  /** Not readies past their reason's limit that came due in the bucket (breaks overstayed). */
  overstays: number;
  /** Their time over the limit (up to `now` for one still standing), counted where each came due. */
  overstaySeconds: number;
}

/** A not ready past its reason's limit: when it came due, and when the agent moved on (null: not yet). */
export interface OverstaySpan {
  dueAt: number;
  endedAt: number | null;
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
  overstays?: readonly OverstaySpan[];
}): AgentReportRow[] {
  const fold = new AgentReportFold(input.agentId, input.buckets, input.before, input.now);
  fold.addChanges(input.changes);
  return fold.finish(input.calls, input.overstays);
}

/**
 * One agent's report rows, built from the agent's state changes as they are read, in order: each period
 * between two changes is added to the buckets it overlaps as soon as it ends, so a year of a busy agent's
 * changes (~100,000) is neither held at once nor walked once per bucket.
 */
export class AgentReportFold {
  private readonly time: {
    secondsInState: Record<string, number>;
    notReadyByReason: Record<string, number>;
  }[];
  private readonly missed: number[];
  /**
   * Wrap-up time per bucket, credited to the bucket its call was answered in (where the call's talk time
   * and the call itself count), so a wrap-up that runs past the hour still belongs to its call's AHT.
   */
  private readonly wrapOfCalls: number[];
  /** When the agent's current (or last) call began talking: what its wrap-up is credited to. */
  private callAnsweredAt: number | undefined;
  /** The state the agent is in from `since` on, as far as the changes read so far tell. */
  private state: string;
  private reason: string | undefined;
  private since: number;

  constructor(
    private readonly agentId: string,
    private readonly buckets: readonly ReportBucket[],
    /** The agent's last change before the first bucket (none: logged out). */
    before: SeatChange | undefined,
    private readonly now: number,
  ) {
    this.time = buckets.map(() => ({
      secondsInState: Object.fromEntries(AGENT_STATE_TYPES.map((s) => [s, 0])) as Record<string, number>,
      notReadyByReason: {},
    }));
    this.missed = buckets.map(() => 0);
    this.wrapOfCalls = buckets.map(() => 0);
    this.state = before?.to ?? 'logged_out';
    this.reason = before?.reason;
    this.since = buckets[0]?.start ?? 0;
  }

  /** Changes in the log's order, from the first bucket's start on (earlier ones are left out). */
  addChanges(changes: readonly SeatChange[]): void {
    for (const change of changes) {
      if (change.at < (this.buckets[0]?.start ?? 0)) continue;
      // A wrap-up extended (logged for restarts): the same wrap-up goes on.
      if (change.from === 'wrap_up' && change.to === 'wrap_up') continue;
      this.account(change.at);
      if (this.state === 'wrap_up') this.creditWrap(change.at);
      // A new call (not back from hold): its wrap-up, when it comes, counts where it was answered.
      if (change.to === 'talking' && this.state !== 'on_hold') this.callAnsweredAt = change.at;
      this.state = change.to;
      this.reason = change.reason;
      this.since = change.at;
      if (change.to === 'not_ready' && change.reason === MISSED_REASON) {
        const i = bucketIndex(this.buckets, change.at);
        if (i !== undefined) this.missed[i] = (this.missed[i] ?? 0) + 1;
      }
    }
  }

  /**
   * Every bucket's row: the last state runs to `now`; `calls` are the agent's handled calls, `overstays` their
   * not readies past the limit (each counted, with its time over, in the bucket it came due in).
   */
  finish(calls: readonly HandledCall[], overstays: readonly OverstaySpan[] = []): AgentReportRow[] {
    this.account(this.now);
    if (this.state === 'wrap_up') this.creditWrap(this.now);
    this.since = Math.max(this.since, this.now);
    const callsByBucket = groupByBucket(calls, this.buckets, (c) => c.answeredAt);
    const overstaysByBucket = groupByBucket(overstays, this.buckets, (o) => o.dueAt);
    return this.buckets.map((bucket, i) => {
      const inBucket = callsByBucket[i] ?? [];
      const { secondsInState, notReadyByReason } = this.time[i] as (typeof this.time)[number];
      const talk = inBucket.reduce((sum, c) => sum + c.talkSeconds, 0);
      const wrap = this.wrapOfCalls[i] ?? 0;
      return {
        agentId: this.agentId,
        start: bucket.start,
        end: bucket.end,
        handled: inBucket.length,
        talkSeconds: round(talk) ?? 0,
        holdSeconds: round(inBucket.reduce((sum, c) => sum + c.holdSeconds, 0)) ?? 0,
        ahtSeconds: inBucket.length > 0 ? round((talk + wrap) / inBucket.length) : null,
        missed: this.missed[i] ?? 0,
        secondsInState: roundAll(secondsInState),
        notReadyByReason: roundAll(notReadyByReason),
        overstays: overstaysByBucket[i]?.length ?? 0,
        overstaySeconds:
          round(
            (overstaysByBucket[i] ?? []).reduce(
              (sum, o) => sum + Math.max(0, (o.endedAt ?? this.now) - o.dueAt) / 1000,
              0,
            ),
          ) ?? 0,
      };
    });
  }

  /** The wrap-up from `since` to `end` goes to the bucket its call was answered in (none: before the report). */
  private creditWrap(end: number): void {
    const answered = this.callAnsweredAt;
    this.callAnsweredAt = undefined;
    const i = answered === undefined ? undefined : bucketIndex(this.buckets, answered);
    if (i === undefined || end <= this.since) return;
    this.wrapOfCalls[i] = (this.wrapOfCalls[i] ?? 0) + (end - this.since) / 1000;
  }

  /** The current state from `since` to `end`, added to each bucket it overlaps. */
  private account(end: number): void {
    const first = this.buckets[0];
    const last = this.buckets.at(-1);
    if (!first || !last || end <= this.since) return;
    const from = Math.max(this.since, first.start);
    if (from >= last.end) return;
    for (let i = bucketIndex(this.buckets, from) ?? this.buckets.length; i < this.buckets.length; i++) {
      const bucket = this.buckets[i] as ReportBucket;
      if (bucket.start >= end) break;
      const seconds = (Math.min(end, bucket.end) - Math.max(this.since, bucket.start)) / 1000;
      if (seconds <= 0) continue;
      const t = this.time[i] as (typeof this.time)[number];
      t.secondsInState[this.state] = (t.secondsInState[this.state] ?? 0) + seconds;
      if (this.state === 'not_ready' && this.reason) {
        t.notReadyByReason[this.reason] = (t.notReadyByReason[this.reason] ?? 0) + seconds;
      }
    }
  }
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
  for (const item of items) {
    const i = bucketIndex(buckets, at(item));
    if (i !== undefined) groups[i]?.push(item);
  }
  return groups;
}

/** The index of the bucket holding instant `t` (a binary search), or undefined outside them all. */
function bucketIndex(buckets: readonly ReportBucket[], t: number): number | undefined {
  const first = buckets[0];
  const last = buckets.at(-1);
  if (!first || !last || t < first.start || t >= last.end) return undefined;
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((buckets[mid] as ReportBucket).start <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const round = (n: number | null): number | null => (n === null ? null : Math.round(n * 10) / 10);

function roundAll(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, round(v) ?? 0]));
}
