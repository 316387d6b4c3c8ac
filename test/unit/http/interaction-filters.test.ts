/** The interaction list's time filters: an instant, or a date read as a day of the contact center. */
import { afterEach, describe, expect, it } from 'vitest';
import { LINE_LOST } from '../../../src/calls/call-session.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>> | undefined;
afterEach(async () => {
  await api?.app.close();
  api = undefined;
});

describe('interactions filtered by when they started', () => {
  it("takes a date as a whole day in the contact center's time zone, and an instant as it is", async () => {
    api = await buildApi({ timeZone: 'America/New_York' });
    const started = {
      '+15550000001': '2026-12-03T04:30:00Z', // 2 December, 23:30 in New York
      '+15550000002': '2026-12-03T05:30:00Z', // 3 December, 00:30
      '+15550000003': '2026-12-04T04:59:00Z', // 3 December, 23:59
      '+15550000004': '2026-12-04T05:01:00Z', // 4 December, 00:01
    };
    for (const [callerNumber, at] of Object.entries(started)) {
      await api.log.open({ direction: 'inbound', callerNumber, startedAt: Date.parse(at) });
    }
    const callers = async (query: string) => {
      const r = await api!.app.inject({
        url: `/api/interactions?order=oldest&${query}`,
        headers: api!.as(SUPERVISOR),
      });
      expect(r.statusCode).toBe(200);
      return r.json().items.map((i: { callerNumber: string }) => i.callerNumber);
    };
    expect(await callers('from=2026-12-03&to=2026-12-03')).toEqual(['+15550000002', '+15550000003']);
    expect(await callers('from=2026-12-03')).toEqual(['+15550000002', '+15550000003', '+15550000004']);
    expect(await callers('to=2026-12-02')).toEqual(['+15550000001']);
    expect(await callers('from=2026-12-03T05:00:00Z&to=2026-12-04T05:00:00Z')).toEqual([
      '+15550000002',
      '+15550000003',
    ]);
  });

  it('refuses a range that ends before it starts (it would list nothing, as if there were no calls)', async () => {
    api = await buildApi({ timeZone: 'America/New_York' });
    await api.log.open({
      direction: 'inbound',
      callerNumber: '+15550000001',
      startedAt: Date.parse('2026-12-03T15:00:00Z'),
    });
    for (const [query, message] of [
      ['from=2026-12-04&to=2026-12-03', 'to (2026-12-03) must be after from (2026-12-04)'],
      [
        'from=2026-12-03T15:00:00Z&to=2026-12-03T15:00:00Z',
        'to (2026-12-03T15:00:00Z) must be after from (2026-12-03T15:00:00Z)',
      ],
    ]) {
      const r = await api.app.inject({ url: `/api/interactions?${query}`, headers: api.as(SUPERVISOR) });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'RANGE_INVALID', message });
    }
    // One day, from and to the same date, is a whole day: listed.
    const day = await api.app.inject({
      url: '/api/interactions?from=2026-12-03&to=2026-12-03',
      headers: api.as(SUPERVISOR),
    });
    expect(day.statusCode).toBe(200);
    expect(day.json().total).toBe(1);
  });

  it('refuses a bound that is neither, showing both forms', async () => {
    api = await buildApi();
    for (const url of [
      '/api/interactions?from=yesterday',
      '/api/reports/queues?from=yesterday&to=2026-12-03',
    ]) {
      const r = await api.app.inject({ url, headers: api.as(SUPERVISOR) });
      expect(r.statusCode).toBe(400);
      expect(r.json().message).toBe(
        'querystring/from must be a date and time with its offset, e.g. 2026-12-03T09:00:00Z, or a date, e.g. 2026-12-03',
      );
    }
  });
});

describe("an agent's calls of the day (the softphone's My calls today)", () => {
  it("lists only the agent's own, newest first, each saying whether the caller's line was lost", async () => {
    api = await buildApi();
    const { log } = api;
    const today = new Date().toISOString().slice(0, 10);
    const morning = Date.parse(`${today}T00:10:00Z`);
    const kept = await api.callHandledBy('agent1', { callerNumber: '+15550000011', startedAt: morning });
    const lost = await api.callHandledBy('agent1', {
      callerNumber: '+15550000012',
      startedAt: morning + 60_000,
    });
    await api.callHandledBy('agent2', { callerNumber: '+15550000013', startedAt: morning + 120_000 });
    await log.closeIfOpen(
      kept,
      morning + 30_000,
      { type: 'call.hangup', payload: { channelId: 'c1', by: 'caller', cause: 16 } },
      { disposition: 'handled', ended_by: 'caller', hangup_cause: '16 Normal Clearing' },
    );
    await log.closeIfOpen(
      lost,
      morning + 90_000,
      {
        type: 'call.hangup',
        payload: { channelId: 'c2', by: 'caller', causeText: LINE_LOST, lineLost: true },
      },
      { disposition: 'handled', ended_by: 'caller', hangup_cause: `16 ${LINE_LOST}` },
    );
    const r = await api.app.inject({
      url: `/api/interactions?from=${today}&limit=50&order=newest`,
      headers: api.as(api.tokenOf('agent1')),
    });
    expect(r.statusCode).toBe(200);
    expect(
      r.json().items.map((i: { callerNumber: string; lineLost: boolean }) => [i.callerNumber, i.lineLost]),
    ).toEqual([
      ['+15550000012', true],
      ['+15550000011', false],
    ]);
    expect(r.json().total).toBe(2);
  });
});
