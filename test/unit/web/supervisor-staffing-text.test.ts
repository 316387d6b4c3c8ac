/** The wallboard's Staffing section in words: the dates it goes by and what the forecast comes to. */
import { describe, expect, it } from 'vitest';
import {
  dateText,
  staffingNowText,
  rosterShort,
  staffingSummaryText,
  weekFrom,
  weekSummaryText,
} from '../../../src/web/supervisor/staffing-text.js';

const forecast = (
  totals: Partial<Parameters<typeof staffingSummaryText>[0]['totals']>,
  rows: Parameters<typeof staffingSummaryText>[0]['rows'] = [{ calls: 3, agents: 2 }],
) => ({
  historyDates: ['2026-11-30', '2026-11-23'],
  targetPercent: 80,
  serviceLevelSeconds: 20,
  totals: {
    calls: 112.5,
    peakAgents: 6,
    peakScheduled: 8,
    scheduledHours: 41.5,
    withoutForecast: 0,
    ...totals,
  },
  rows,
});

describe('a staffing forecast in words', () => {
  it('names a date by its weekday, day and month', () => {
    expect(dateText('2026-11-30')).toBe('Mon 30 Nov');
    expect(dateText('2027-01-01')).toBe('Fri 1 Jan');
  });

  it('says where it comes from and what it comes to', () => {
    expect(staffingSummaryText(forecast({}))).toBe(
      'Forecast from Mon 30 Nov, Mon 23 Nov (80 % within 20 s): 112.5 calls expected; at most 6 agents at once (8 to schedule); 41.5 agent hours to schedule.',
    );
    // No shrinkage: one figure for both.
    expect(
      staffingSummaryText(forecast({ peakAgents: 1, peakScheduled: 1, calls: 2, scheduledHours: 0.5 })),
    ).toBe(
      'Forecast from Mon 30 Nov, Mon 23 Nov (80 % within 20 s): 2 calls expected; at most 1 agent at once; 0.5 agent hours to schedule.',
    );
  });

  it('says where the roster is short of the agents to schedule, and where it covers them', () => {
    const rows = [
      { calls: 0, agents: 0, scheduled: 0, onShift: 0, localStart: '2026-12-07T09:00' },
      { calls: 4, agents: 2, scheduled: 3, onShift: 1, localStart: '2026-12-07T10:00' },
      { calls: 6, agents: 3, scheduled: 4, onShift: 1.5, localStart: '2026-12-07T11:00' },
      { calls: 2, agents: 1, scheduled: 2, onShift: 2, localStart: '2026-12-07T12:00' },
    ];
    expect(staffingSummaryText(forecast({}, rows))).toMatch(
      / The roster is short in 2 of 3 intervals that need agents \(most at 11:00: 1\.5 on shift of 4 to schedule\)\.$/,
    );
    expect(rows.map(rosterShort)).toEqual([false, true, true, false]);
    const covered = rows.map((r) => ({ ...r, onShift: r.scheduled }));
    expect(staffingSummaryText(forecast({}, covered))).toMatch(
      / The roster covers every interval that needs agents\.$/,
    );
    // The shifts to add, as the service suggests them.
    expect(
      staffingSummaryText({
        ...forecast({}, rows),
        suggestedShifts: [
          { localStart: '2026-12-07 10:00', localEnd: '2026-12-07 18:00', agents: 2 },
          { localStart: '2026-12-07 11:00', localEnd: '2026-12-07 19:00', agents: 1 },
        ],
      }),
    ).toMatch(
      /\(most at 11:00: 1\.5 on shift of 4 to schedule\)\. To cover it, add 3 shifts: 2 × 10:00–18:00, 1 × 11:00–19:00\.$/,
    );
    // No roster's figures: nothing said of it.
    expect(
      staffingSummaryText(
        forecast(
          {},
          rows.map((r) => ({ ...r, onShift: null })),
        ),
      ),
    ).not.toContain('roster');
  });

  it('says how a day under way runs against its forecast, and what the rest needs', () => {
    const under = (
      runRatio: number | null,
      rows: { calls: number; agents: number; reforecastAgents: number | null }[],
    ) => staffingSummaryText(forecast({ runRatio }, rows));
    expect(
      under(1.5, [
        { calls: 3, agents: 2, reforecastAgents: null },
        { calls: 4, agents: 2, reforecastAgents: 4 },
      ]),
    ).toBe(
      'Forecast from Mon 30 Nov, Mon 23 Nov (80 % within 20 s): 112.5 calls expected; at most 6 agents at once (8 to schedule); 41.5 agent hours to schedule. So far the day runs 50 % above the forecast: the rest needs at most 4 agents at once.',
    );
    expect(under(0.8, [{ calls: 3, agents: 2, reforecastAgents: 0 }])).toContain(
      'So far the day runs 20 % below the forecast: the rest needs no agent.',
    );
    // A day gone by: how it ran, nothing left to need.
    expect(under(1, [{ calls: 3, agents: 2, reforecastAgents: null }])).toMatch(
      / The day ran as forecast\.$/,
    );
    expect(under(null, [{ calls: 3, agents: 2, reforecastAgents: null }])).toMatch(
      /agent hours to schedule\.$/,
    );
  });

  it('says when no agent is needed', () => {
    expect(
      staffingSummaryText(
        forecast({ calls: 0, peakAgents: 0, peakScheduled: 0, scheduledHours: 0, withoutForecast: 1 }, [
          { calls: 0, agents: 0 },
          { calls: null, agents: null },
        ]),
      ),
    ).toBe(
      'Forecast from Mon 30 Nov, Mon 23 Nov (80 % within 20 s): 0 calls expected; no agent needed. 1 interval without a forecast (none of those days has reached them yet).',
    );
  });

  it('says why intervals have no forecast', () => {
    expect(
      staffingSummaryText(
        forecast({ withoutForecast: 3 }, [
          { calls: null, agents: null },
          { calls: null, agents: null },
          { calls: 4, agents: null },
        ]),
      ),
    ).toBe(
      'Forecast from Mon 30 Nov, Mon 23 Nov (80 % within 20 s): 112.5 calls expected; at most 6 agents at once (8 to schedule); 41.5 agent hours to schedule. 3 intervals without a forecast (1 with calls but none answered to take a handle time from: give one).',
    );
    expect(
      staffingSummaryText(
        forecast({ withoutForecast: 1 }, [
          { calls: null, agents: null },
          { calls: 0, agents: 0 },
        ]),
      ),
    ).toContain('1 interval without a forecast (none of those days has reached them yet).');
    expect(
      staffingSummaryText(
        forecast({ calls: 0, peakAgents: 0, peakScheduled: 0, scheduledHours: 0, withoutForecast: 2 }, [
          { calls: null, agents: null },
          { calls: null, agents: null },
        ]),
      ),
    ).toBe(
      'Forecast from Mon 30 Nov, Mon 23 Nov (80 % within 20 s): none of those days has reached these hours yet, so there is nothing to forecast from.',
    );
  });
});

describe("a queue card's agents needed now", () => {
  it('gives the figure, who is there and how many short, and says when it cannot tell yet', () => {
    expect(staffingNowText({ callsLastHalfHour: 12, agentsNeeded: 4, agentsStaffed: 3 })).toEqual({
      value: '4',
      note: '3 there, 1 short · 12 calls in 30 min',
      short: true,
    });
    expect(staffingNowText({ callsLastHalfHour: 1, agentsNeeded: 1, agentsStaffed: 2 })).toEqual({
      value: '1',
      note: '2 there · 1 call in 30 min',
      short: false,
    });
    expect(staffingNowText({ callsLastHalfHour: 2, agentsNeeded: null, agentsStaffed: 0 })).toEqual({
      value: '–',
      note: '0 there · 2 calls in 30 min, no AHT yet',
      short: false,
    });
    // Past Erlang C's range: not "no AHT yet", and short of it whoever is there.
    expect(
      staffingNowText({
        callsLastHalfHour: 20_000,
        agentsNeeded: null,
        agentsNeededOver: 5000,
        agentsStaffed: 40,
      }),
    ).toEqual({
      value: '> 5000',
      note: '40 there · 20000 calls in 30 min, past what Erlang C counts to: check the handle time',
      short: true,
    });
    expect(staffingNowText(undefined)).toEqual({ value: '…', note: '', short: false });
  });
});

describe('a week of staffing', () => {
  it('runs seven calendar days from the one given, over a month and a clock change alike', () => {
    expect(weekFrom('2026-10-29')).toEqual([
      '2026-10-29',
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
      '2026-11-04',
    ]);
  });

  it("adds up the days' calls and agent hours", () => {
    const day = (date: string, calls: number, scheduledHours: number) => ({
      date,
      totals: { calls, scheduledHours },
    });
    expect(weekSummaryText([day('2026-12-07', 120.5, 30), day('2026-12-08', 99.6, 24.25)])).toBe(
      '7 days from Mon 7 Dec: 220.1 calls expected; 54.3 agent hours to schedule.',
    );
  });
});
