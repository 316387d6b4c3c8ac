import { describe, expect, it } from 'vitest';
import {
  AgentReportFold,
  callbackCounts,
  agentReport,
  localLabel,
  QueueReportFold,
  queueReport,
  reportBuckets,
  type SeatChange,
} from '../../../src/acd/reports.js';
import { computeQueueStats, type InteractionRecord } from '../../../src/acd/stats.js';
import { seededRandom } from '../seeded-random.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('report buckets in the site time zone', () => {
  it('are whole local days, 23 hours long on the day clocks go forward', () => {
    const days = reportBuckets(
      at('2026-03-07T12:00:00Z'),
      at('2026-03-09T12:00:00Z'),
      'day',
      'America/New_York',
    );
    expect(days.map((b) => [iso(b.start), (b.end - b.start) / 3_600_000])).toEqual([
      ['2026-03-07T05:00:00.000Z', 24],
      ['2026-03-08T05:00:00.000Z', 23],
      ['2026-03-09T04:00:00.000Z', 24],
    ]);
    expect(localLabel(days[1]!.start, 'America/New_York')).toBe('2026-03-08 00:00');
  });

  it('name the UTC offset of the hour that happens twice when the clocks go back, and only there', () => {
    const hours = reportBuckets(
      at('2026-10-24T23:00:00Z'),
      at('2026-10-25T03:00:00Z'),
      'hour',
      'Europe/Berlin',
    );
    expect(hours.map((b) => localLabel(b.start, 'Europe/Berlin'))).toEqual([
      '2026-10-25 01:00',
      '2026-10-25 02:00 +02:00',
      '2026-10-25 02:00 +01:00',
      '2026-10-25 03:00',
    ]);
    // Spring forward skips an hour instead: no label is repeated, none carries an offset.
    const spring = reportBuckets(
      at('2026-03-29T00:00:00Z'),
      at('2026-03-29T03:00:00Z'),
      'hour',
      'Europe/Berlin',
    );
    expect(spring.map((b) => localLabel(b.start, 'Europe/Berlin'))).toEqual([
      '2026-03-29 01:00',
      '2026-03-29 03:00',
      '2026-03-29 04:00',
    ]);
    // West of UTC, and half an hour: Lord Howe Island goes back 30 minutes.
    expect(localLabel(at('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('2026-11-01 01:30 -04:00');
    expect(localLabel(at('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01 01:30 -05:00');
    expect(localLabel(at('2026-04-04T14:45:00Z'), 'Australia/Lord_Howe')).toBe('2026-04-05 01:45 +11:00');
    expect(localLabel(at('2026-04-04T15:15:00Z'), 'Australia/Lord_Howe')).toBe('2026-04-05 01:45 +10:30');
  });

  it('are whole local hours, also in a zone half an hour off UTC', () => {
    const hours = reportBuckets(
      at('2026-12-01T04:45:00Z'),
      at('2026-12-01T06:31:00Z'),
      'hour',
      'Asia/Kolkata',
    );
    // 10:15 local → the hour from 10:00 local (04:30 UTC).
    expect(hours.map((b) => [iso(b.start), localLabel(b.start, 'Asia/Kolkata')])).toEqual([
      ['2026-12-01T04:30:00.000Z', '2026-12-01 10:00'],
      ['2026-12-01T05:30:00.000Z', '2026-12-01 11:00'],
      ['2026-12-01T06:30:00.000Z', '2026-12-01 12:00'],
    ]);
    expect(hours.every((b) => b.end - b.start === 3_600_000)).toBe(true);
  });
});

describe('queue report', () => {
  it('counts each call in the hour it entered the queue, with its figures', () => {
    const h = (n: number) => at('2026-12-01T09:00:00Z') + n * 3_600_000;
    const buckets = reportBuckets(h(0), h(2), 'hour', 'UTC');
    const rows = queueReport({
      // 80/20: both hours fall short of the aim.
      queues: [{ id: 'sales', serviceLevelSeconds: 20, serviceLevelTargetPercent: 80 }],
      records: [
        // 09:xx: one answered in 10 s (talk 60, wrap 10), one after 30 s (talk 120, wrap 0), one abandoned.
        {
          queueId: 'sales',
          enqueuedAt: h(0) + 60_000,
          answeredAt: h(0) + 70_000,
          endedAt: h(0) + 200_000,
          abandoned: false,
          talkSeconds: 60,
          wrapSeconds: 10,
        },
        {
          queueId: 'sales',
          enqueuedAt: h(0) + 120_000,
          answeredAt: h(0) + 150_000,
          endedAt: h(0) + 400_000,
          abandoned: false,
          talkSeconds: 120,
          wrapSeconds: 0,
        },
        {
          queueId: 'sales',
          enqueuedAt: h(0) + 180_000,
          endedAt: h(0) + 240_000,
          abandoned: true,
          talkSeconds: 0,
          wrapSeconds: 0,
        },
        // 10:xx: one flowed out; another queue's call is not counted here.
        {
          queueId: 'sales',
          enqueuedAt: h(1) + 1000,
          endedAt: h(1) + 61_000,
          abandoned: false,
          flowedOut: true,
          talkSeconds: 0,
          wrapSeconds: 0,
        },
        {
          queueId: 'support',
          enqueuedAt: h(1) + 2000,
          answeredAt: h(1) + 3000,
          abandoned: false,
          talkSeconds: 5,
          wrapSeconds: 0,
        },
      ],
      buckets,
      now: h(3),
    });
    expect(rows).toEqual([
      {
        queueId: 'sales',
        start: h(0),
        end: h(1),
        offered: 3,
        answered: 2,
        answeredWithinServiceLevel: 1,
        abandoned: 1,
        flowedOut: 0,
        serviceLevelPercent: 33.3,
        serviceLevelTargetPercent: 80,
        belowServiceLevelTarget: true,
        asaSeconds: 20,
        ahtSeconds: 95,
        abandonRatePercent: 33.3,
        talkSeconds: 180,
        callbacksRequested: 0,
        callbacksCompleted: 0,
        callbacksFailed: 0,
        callbacksCancelled: 0,
      },
      {
        queueId: 'sales',
        start: h(1),
        end: h(2),
        offered: 1,
        answered: 0,
        answeredWithinServiceLevel: 0,
        abandoned: 0,
        flowedOut: 1,
        serviceLevelPercent: 0,
        serviceLevelTargetPercent: 80,
        belowServiceLevelTarget: true,
        asaSeconds: null,
        ahtSeconds: null,
        abandonRatePercent: null,
        talkSeconds: 0,
        callbacksRequested: 0,
        callbacksCompleted: 0,
        callbacksFailed: 0,
        callbacksCancelled: 0,
      },
    ]);
  });
});

describe('callbacks in the queue report', () => {
  it('counts per hour the requests made and those that ended, by how; outside the range, none', () => {
    const buckets = [
      { start: 0, end: 3_600_000 },
      { start: 3_600_000, end: 7_200_000 },
    ];
    const counts = callbackCounts(buckets, [
      { at: 10, step: 'requested', reason: null },
      { at: 20, step: 'requested', reason: 'scheduled for 2026-12-07T09:00:00.000Z' },
      { at: 3_600_000, step: 'closed', reason: 'completed' },
      { at: 3_700_000, step: 'closed', reason: 'max_attempts' },
      { at: 3_800_000, step: 'closed', reason: 'cancelled' },
      { at: 3_900_000, step: 'closed', reason: 'could not be restored after a restart of the service: gone' },
      { at: 7_200_000, step: 'requested', reason: null },
    ]);
    expect(counts).toEqual([
      { callbacksRequested: 2, callbacksCompleted: 0, callbacksFailed: 0, callbacksCancelled: 0 },
      { callbacksRequested: 0, callbacksCompleted: 1, callbacksFailed: 2, callbacksCancelled: 1 },
    ]);
    // And on the queue's rows, the buckets no call fell in included.
    const rows = queueReport({
      queues: [{ id: 'q', serviceLevelSeconds: 20 }],
      records: [],
      buckets,
      now: 7_200_000,
      callbacks: { q: [{ at: 3_650_000, step: 'closed', reason: 'completed' }] },
    });
    expect(rows.map((r) => [r.offered, r.callbacksCompleted])).toEqual([
      [0, 0],
      [0, 1],
    ]);
  });
});

describe('the service level against its aim', () => {
  it('is below the aim only when a finished call brought it there; no aim, or nothing finished, says null', () => {
    const bucket = [{ start: 0, end: 3_600_000 }];
    const answered = (waitMs: number) => ({
      queueId: 'q',
      enqueuedAt: 1000,
      answeredAt: 1000 + waitMs,
      endedAt: 100_000,
      abandoned: false,
      talkSeconds: 30,
      wrapSeconds: 0,
    });
    const row = (target: number | undefined, records: ReturnType<typeof answered>[]) =>
      queueReport({
        queues: [
          {
            id: 'q',
            serviceLevelSeconds: 20,
            ...(target === undefined ? {} : { serviceLevelTargetPercent: target }),
          },
        ],
        records,
        buckets: bucket,
        now: 3_600_000,
      })[0];
    const twoOfThree = [answered(5000), answered(10_000), answered(40_000)]; // 66.7 % within 20 s
    expect(row(60, twoOfThree)).toMatchObject({
      serviceLevelTargetPercent: 60,
      belowServiceLevelTarget: false,
    });
    expect(row(80, twoOfThree)).toMatchObject({
      serviceLevelTargetPercent: 80,
      belowServiceLevelTarget: true,
    });
    expect(row(undefined, twoOfThree)).toMatchObject({
      serviceLevelTargetPercent: null,
      belowServiceLevelTarget: null,
    });
    expect(row(80, [])).toMatchObject({ serviceLevelPercent: null, belowServiceLevelTarget: null });
  });
});

describe('report bucketing', () => {
  it('puts every record in the bucket that holds it, edges included, and none outside the range', () => {
    const buckets = reportBuckets(
      at('2026-03-07T00:00:00Z'),
      at('2026-03-10T00:00:00Z'),
      'hour',
      'America/New_York',
    );
    const random = seededRandom(7);
    const span = at('2026-03-10T12:00:00Z') - at('2026-03-06T12:00:00Z');
    const records = Array.from({ length: 3000 }, () => ({
      queueId: 'q',
      enqueuedAt: at('2026-03-06T12:00:00Z') + Math.floor(random() * span),
      abandoned: false,
      talkSeconds: 0,
      wrapSeconds: 0,
    }));
    for (const b of buckets)
      records.push({ ...records[0]!, enqueuedAt: b.start }, { ...records[0]!, enqueuedAt: b.end - 1 });
    const rows = queueReport({ queues: [{ id: 'q', serviceLevelSeconds: 20 }], records, buckets, now: 0 });
    expect(rows.map((r) => r.offered)).toEqual(
      buckets.map((b) => records.filter((r) => r.enqueuedAt >= b.start && r.enqueuedAt < b.end).length),
    );
  });
});

describe('agent report', () => {
  it("splits the agent's time in each state (and not-ready reason) at the bucket edges, with calls and misses", () => {
    const h = (n: number) => at('2026-12-01T09:00:00Z') + n * 3_600_000;
    const min = 60_000;
    const rows = agentReport({
      agentId: 'ann',
      calls: [
        { answeredAt: h(0) + 30 * min, talkSeconds: 300, holdSeconds: 20 },
        { answeredAt: h(1) + 5 * min, talkSeconds: 100, holdSeconds: 0 },
      ],
      // Available since before the report began.
      before: { at: h(-1), to: 'available' },
      changes: [
        { at: h(0) + 30 * min, to: 'talking' },
        { at: h(0) + 35 * min, to: 'wrap_up' },
        { at: h(0) + 36 * min, to: 'available' },
        { at: h(0) + 50 * min, to: 'not_ready', reason: 'missed' },
        { at: h(0) + 55 * min, to: 'not_ready', reason: 'lunch' },
        { at: h(1) + 5 * min, to: 'talking' },
        { at: h(1) + 7 * min, to: 'available' },
      ],
      buckets: reportBuckets(h(0), h(2), 'hour', 'UTC'),
      now: h(1) + 30 * min,
    });
    expect(rows[0]).toMatchObject({
      agentId: 'ann',
      handled: 1,
      talkSeconds: 300,
      holdSeconds: 20,
      ahtSeconds: 360, // 300 s talk + 60 s wrap-up
      missed: 1,
      secondsInState: { available: 44 * 60, talking: 300, wrap_up: 60, not_ready: 10 * 60, logged_out: 0 },
      notReadyByReason: { missed: 300, lunch: 300 },
    });
    // The second hour runs to now: lunch until 10:05, talking 2 min, available since.
    expect(rows[1]).toMatchObject({
      handled: 1,
      missed: 0,
      secondsInState: { not_ready: 300, talking: 120, available: 23 * 60 },
      notReadyByReason: { lunch: 300 },
    });
  });

  it('counts a wrap-up that runs past the hour in the AHT of the hour its call was answered in', () => {
    const h = (n: number) => at('2026-12-01T09:00:00Z') + n * 3_600_000;
    const min = 60_000;
    const rows = agentReport({
      agentId: 'ann',
      calls: [
        { answeredAt: h(0) + 55 * min, talkSeconds: 300, holdSeconds: 0 },
        { answeredAt: h(1) + 10 * min, talkSeconds: 60, holdSeconds: 0 },
      ],
      before: { at: h(-1), to: 'available' },
      changes: [
        { at: h(0) + 55 * min, to: 'talking' },
        { at: h(1), to: 'wrap_up' }, // 10:00 to 10:04, for the call answered at 09:55
        { at: h(1) + 4 * min, to: 'available' },
        { at: h(1) + 10 * min, to: 'talking' },
        { at: h(1) + 11 * min, to: 'available' },
      ],
      buckets: reportBuckets(h(0), h(2), 'hour', 'UTC'),
      now: h(2),
    });
    expect(rows.map((r) => r.ahtSeconds)).toEqual([300 + 240, 60]);
    // Time in state stays where it was spent.
    expect(rows.map((r) => r.secondsInState.wrap_up)).toEqual([0, 240]);
  });

  it('counts a wrap-up extended halfway (a row from wrap-up to wrap-up) as the one wrap-up it is', () => {
    const h = (n: number) => at('2026-12-01T09:00:00Z') + n * 3_600_000;
    const min = 60_000;
    const rows = agentReport({
      agentId: 'ann',
      calls: [{ answeredAt: h(0) + 10 * min, talkSeconds: 300, holdSeconds: 0 }],
      before: { at: h(-1), to: 'available' },
      changes: [
        { at: h(0) + 10 * min, from: 'available', to: 'talking' },
        { at: h(0) + 15 * min, from: 'talking', to: 'wrap_up' },
        { at: h(0) + 16 * min, from: 'wrap_up', to: 'wrap_up', reason: 'wrap_up_extended' },
        { at: h(0) + 18 * min, from: 'wrap_up', to: 'available' },
      ],
      buckets: reportBuckets(h(0), h(1), 'hour', 'UTC'),
      now: h(1),
    });
    expect(rows.map((r) => r.ahtSeconds)).toEqual([300 + 180]);
    expect(rows.map((r) => r.secondsInState.wrap_up)).toEqual([180]);
  });

  it('counts breaks overstayed in the hour each came due, with its time over (one standing: up to now)', () => {
    const h = (n: number) => at('2026-12-01T09:00:00Z') + n * 3_600_000;
    const min = 60_000;
    const rows = agentReport({
      agentId: 'ann',
      calls: [],
      before: { at: h(-1), to: 'available' },
      changes: [
        { at: h(0) + 10 * min, to: 'not_ready', reason: 'break' },
        { at: h(0) + 32 * min, to: 'available' },
        { at: h(0) + 50 * min, to: 'not_ready', reason: 'break' },
      ],
      buckets: reportBuckets(h(0), h(2), 'hour', 'UTC'),
      now: h(1) + 20 * min,
      overstays: [
        // 09:10 break due at 09:25, back 09:32: 7 minutes over, in the first hour.
        { dueAt: h(0) + 25 * min, endedAt: h(0) + 32 * min },
        // 09:50 break due at 10:05, still standing at 10:20: counted in the second hour, 15 minutes so far.
        { dueAt: h(1) + 5 * min, endedAt: null },
        // Before the report: left out.
        { dueAt: h(-1), endedAt: h(-1) + min },
      ],
    });
    expect(rows.map((r) => [r.overstays, r.overstaySeconds])).toEqual([
      [1, 7 * 60],
      [1, 15 * 60],
    ]);
  });

  it('starts logged out when the log has nothing before the report', () => {
    const rows = agentReport({
      agentId: 'bob',
      calls: [],
      before: undefined,
      changes: [],
      buckets: [{ start: 0, end: 3_600_000 }],
      now: 3_600_000,
    });
    expect(rows[0]).toMatchObject({
      handled: 0,
      ahtSeconds: null,
      secondsInState: { logged_out: 3600 },
      overstays: 0,
      overstaySeconds: 0,
    });
  });
});

/** Splits `items` into pages of random sizes (1–7), as a reader handing them over page by page would. */
function pagesOf<T>(items: readonly T[], next: () => number): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; ) {
    const size = 1 + Math.floor(next() * 7);
    pages.push(items.slice(i, i + size));
    i += size;
  }
  return pages;
}

describe('reports folded from pages', () => {
  const day = (n: number) => at('2026-11-01T04:00:00Z') + n * 86_400_000;
  // Three New York days across the end of daylight saving time (a 25-hour day), by the hour.
  const buckets = reportBuckets(day(0), day(3), 'hour', 'America/New_York');

  it("give a queue's rows from stays handed over in pages, each bucket's figures those of its own stays", () => {
    const next = seededRandom(7);
    // Sparse enough that some hours have no stay: those rows must still line up.
    const records: InteractionRecord[] = Array.from({ length: 150 }, () => {
      const enqueuedAt = day(-0.2) + next() * 3.4 * 86_400_000; // some before and after the range too
      const fate = next();
      const answeredAt = fate < 0.7 ? enqueuedAt + next() * 60_000 : undefined;
      return {
        queueId: 'sales',
        enqueuedAt,
        answeredAt,
        endedAt: answeredAt !== undefined ? answeredAt + 100_000 : enqueuedAt + 20_000,
        abandoned: fate >= 0.7 && fate < 0.9,
        flowedOut: fate >= 0.9,
        talkSeconds: answeredAt !== undefined ? Math.round(next() * 300) : 0,
        wrapSeconds: answeredAt !== undefined ? Math.round(next() * 30) : 0,
      };
    }).sort((a, b) => a.enqueuedAt - b.enqueuedAt);
    const fold = new QueueReportFold({ id: 'sales', serviceLevelSeconds: 20 }, buckets, day(4));
    for (const page of pagesOf(records, next)) fold.add(page);
    const rows = fold.finish();

    expect(rows).toHaveLength(buckets.length);
    expect(buckets.length).toBe(72);
    let counted = 0;
    for (const [i, bucket] of buckets.entries()) {
      const own = records.filter((r) => r.enqueuedAt >= bucket.start && r.enqueuedAt < bucket.end);
      counted += own.length;
      const stats = computeQueueStats({
        queueId: 'sales',
        serviceLevelSeconds: 20,
        records: own,
        entries: [],
        memberSeats: [],
        now: day(4),
      });
      expect(rows[i]).toMatchObject({
        start: bucket.start,
        offered: stats.offered,
        answered: stats.answered,
        abandoned: stats.abandoned,
        flowedOut: stats.flowedOut,
        answeredWithinServiceLevel: stats.answeredWithinServiceLevel,
      });
    }
    expect(counted).toBeGreaterThan(100); // most of them fell in the range
    expect(rows.filter((r) => r.offered === 0).length).toBeGreaterThan(3);
    expect(rows.reduce((sum, r) => sum + r.offered, 0)).toBe(counted);
  });

  it('refuse a stay older than one already added, with the reason', () => {
    const fold = new QueueReportFold({ id: 'sales', serviceLevelSeconds: 20 }, buckets, day(4));
    const stay = (enqueuedAt: number): InteractionRecord => ({
      queueId: 'sales',
      enqueuedAt,
      abandoned: false,
      talkSeconds: 0,
      wrapSeconds: 0,
    });
    fold.add([stay(day(1))]);
    expect(() => fold.add([stay(day(0.5))])).toThrow(/in the order they entered the queue/);
  });

  it("give an agent's rows from changes handed over in pages: each state's time split at every bucket edge", () => {
    const next = seededRandom(11);
    const states = ['available', 'not_ready', 'offered', 'talking', 'on_hold', 'wrap_up', 'logged_out'];
    const now = day(2.5); // the log has nothing later
    let t = day(0) - 3_600_000;
    const changes: SeatChange[] = [];
    for (;;) {
      t += next() * 2 * 3_600_000;
      if (t >= now) break;
      const to = states[Math.floor(next() * states.length)] as string;
      changes.push({
        at: t,
        to,
        ...(to === 'not_ready' ? { reason: next() < 0.5 ? 'lunch' : 'missed' } : {}),
      });
    }
    const before = changes.filter((c) => c.at < day(0)).at(-1);
    const inRange = changes.filter((c) => c.at >= day(0) && c.at < day(3));
    const fold = new AgentReportFold('ann', buckets, before, now);
    for (const page of pagesOf(inRange, next)) fold.addChanges(page);
    const rows = fold.finish([]);

    // The reference: every period against every bucket.
    const periods: { state: string; reason?: string; start: number; end: number }[] = [];
    let current = { state: before?.to ?? 'logged_out', reason: before?.reason, start: day(0) };
    for (const c of inRange) {
      periods.push({ ...current, end: c.at });
      current = { state: c.to, reason: c.reason, start: c.at };
    }
    periods.push({ ...current, end: now });
    for (const [i, bucket] of buckets.entries()) {
      const seconds: Record<string, number> = {};
      const reasons: Record<string, number> = {};
      for (const p of periods) {
        const s = (Math.min(p.end, bucket.end) - Math.max(p.start, bucket.start)) / 1000;
        if (s <= 0) continue;
        seconds[p.state] = (seconds[p.state] ?? 0) + s;
        if (p.state === 'not_ready' && p.reason) reasons[p.reason] = (reasons[p.reason] ?? 0) + s;
      }
      const row = rows[i]!;
      for (const state of states) expect(row.secondsInState[state]).toBeCloseTo(seconds[state] ?? 0, 0);
      expect(Object.keys(row.notReadyByReason).sort()).toEqual(Object.keys(reasons).sort());
      for (const [reason, s] of Object.entries(reasons))
        expect(row.notReadyByReason[reason]).toBeCloseTo(s, 0);
      const missed = inRange.filter(
        (c) => c.to === 'not_ready' && c.reason === 'missed' && c.at >= bucket.start && c.at < bucket.end,
      ).length;
      expect(row.missed).toBe(missed);
      // Up to now, each hour is all accounted for; after it, nothing is.
      const total = Object.values(row.secondsInState).reduce((a, b) => a + b, 0);
      const expected = Math.max(0, Math.min(bucket.end, now) - bucket.start) / 1000;
      expect(total).toBeCloseTo(expected, 0);
    }
    expect(inRange.length).toBeGreaterThan(30);
  });
});
