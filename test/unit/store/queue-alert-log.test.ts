/** Queue alerts on record: raised, cleared, the ones a previous run left standing, and a range's. */
import { describe, expect, it } from 'vitest';
import type { QueueAlert } from '../../../src/acd/alerts.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { QueueAlertLog } from '../../../src/store/queue-alert-log.js';

const T0 = Date.parse('2026-12-05T09:00:00Z');
const alert = (queueId: string, kind: QueueAlert['kind'], since: number): QueueAlert => ({
  queueId,
  kind,
  since,
  value: 3,
  threshold: 2,
  message: `${kind} in ${queueId}`,
});

async function alertLog() {
  const { db } = openDatabase(':memory:');
  await migrateToLatest(db);
  return new QueueAlertLog(db);
}

describe('QueueAlertLog', () => {
  it('keeps each alert from raised to cleared, and lists those standing at some time in a range', async () => {
    const log = await alertLog();
    await log.raised(alert('sales', 'many_waiting', T0));
    await log.raised(alert('support', 'unstaffed', T0 + 1000));
    await log.cleared('sales', 'many_waiting', T0 + 60_000);
    await log.cleared('sales', 'long_wait', T0 + 60_000); // none standing: nothing happens
    await log.raised(alert('sales', 'many_waiting', T0 + 120_000)); // raised again later: a second row

    const all = await log.list({ from: T0, to: T0 + 3_600_000, limit: 10 });
    expect(all.map((a) => [a.queueId, a.kind, a.raisedAt - T0, a.clearedAt && a.clearedAt - T0])).toEqual([
      ['sales', 'many_waiting', 0, 60_000],
      ['support', 'unstaffed', 1000, null],
      ['sales', 'many_waiting', 120_000, null],
    ]);
    // One that ended before the range is not in it; one raised before it and standing into it is.
    expect(
      (await log.list({ from: T0 + 90_000, to: T0 + 3_600_000, limit: 10 })).map((a) => a.raisedAt - T0),
    ).toEqual([1000, 120_000]);
    expect(await log.list({ from: T0, to: T0 + 3_600_000, queueId: 'support', limit: 10 })).toMatchObject([
      { kind: 'unstaffed', message: 'unstaffed in support', value: 3, threshold: 2 },
    ]);
    expect(await log.list({ from: T0, to: T0 + 3_600_000, limit: 1 })).toHaveLength(1);
  });

  it('reads back the alerts standing, with who took them on, oldest first', async () => {
    const log = await alertLog();
    await log.raised(alert('sales', 'unstaffed', T0 + 50_000));
    await log.raised(alert('sales', 'long_wait', T0));
    await log.raised(alert('support', 'many_waiting', T0));
    await log.cleared('support', 'many_waiting', T0 + 5_000);
    await log.acknowledged('sales', 'long_wait', T0 + 7_000, 'sam');
    expect(
      (await log.open()).map((a) => [a.kind, a.raisedAt - T0, a.acknowledgedAt, a.acknowledgedBy]),
    ).toEqual([
      ['long_wait', 0, T0 + 7_000, 'sam'],
      ['unstaffed', 50_000, null, null],
    ]);
    await log.cleared('sales', 'long_wait', T0 + 9_000);
    await log.cleared('sales', 'unstaffed', T0 + 60_000);
    expect(await log.open()).toEqual([]);
  });
});
