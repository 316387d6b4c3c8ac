import { describe, expect, it } from 'vitest';
import {
  agentsNeeded,
  averageWait,
  erlangC,
  forecastDay,
  type HistoryInterval,
  MAX_AGENTS,
  serviceLevel,
  staffingNow,
} from '../../../src/acd/staffing.js';

const AIM_80_20 = { seconds: 20, targetPercent: 80 };

describe('Erlang C', () => {
  it('gives the chance of waiting as worked by hand', () => {
    // One agent: the chance of waiting is the agent's load (M/M/1).
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12);
    // Two agents, one erlang: B = 1/5, C = B / (1 − ½ · 4/5) = 1/3.
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    // Three agents, two erlangs: B = 4/19, C = 4/9.
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 12);
    expect(erlangC(5, 0)).toBe(0);
    // No more agents than the traffic: everyone waits, the queue grows without end.
    expect(erlangC(10, 10)).toBe(1);
    expect(serviceLevel(10, 10, 180, 20)).toBe(0);
    expect(averageWait(9, 10, 180)).toBe(Number.POSITIVE_INFINITY);
  });

  it('stays within floating point for a large center (no factorials)', () => {
    const c = erlangC(700, 666.67);
    expect(c).toBeGreaterThan(0);
    expect(c).toBeLessThan(1);
    expect(Number.isFinite(averageWait(700, 666.67, 300))).toBe(true);
  });

  it('gives the textbook answer: 100 calls a half hour of 3 minutes each, 80 % in 20 s, takes 14 agents', () => {
    // 10 erlangs. 13 agents answer 79.6 % in 20 s: just short; 14 answer 88.8 %, the average wait 7.8 s.
    expect(serviceLevel(13, 10, 180, 20)).toBeCloseTo(0.7956, 4);
    expect(agentsNeeded({ calls: 100, intervalSeconds: 1800, handleSeconds: 180, aim: AIM_80_20 })).toEqual({
      agents: 14,
      trafficErlangs: 10,
      serviceLevelPercent: 88.8,
      asaSeconds: 7.8,
      occupancyPercent: 71.4,
      scheduled: 14,
    });
  });

  it('adds agents for an occupancy cap, and schedules more for shrinkage', () => {
    const need = agentsNeeded({
      calls: 100,
      intervalSeconds: 1800,
      handleSeconds: 180,
      aim: AIM_80_20,
      maxOccupancyPercent: 70,
      shrinkagePercent: 30,
    });
    // 10 / 14 = 71.4 % is over 70 %: 15 agents (66.7 %); 15 / (1 − 0.3) = 21.4, so 22 on the schedule.
    expect(need).toMatchObject({ agents: 15, occupancyPercent: 66.7, scheduled: 22 });
    // Exactly at the cap is within it: 10 erlangs on 20 agents is 50 %.
    expect(
      agentsNeeded({
        calls: 100,
        intervalSeconds: 1800,
        handleSeconds: 180,
        aim: AIM_80_20,
        maxOccupancyPercent: 50,
      }).agents,
    ).toBe(20);
  });

  it('needs nobody for no calls, one agent for a trickle, and refuses an answer past reason', () => {
    expect(agentsNeeded({ calls: 0, intervalSeconds: 900, handleSeconds: 300, aim: AIM_80_20 })).toEqual({
      agents: 0,
      trafficErlangs: 0,
      serviceLevelPercent: 100,
      asaSeconds: 0,
      occupancyPercent: 0,
      scheduled: 0,
    });
    expect(
      agentsNeeded({
        calls: 0.5,
        intervalSeconds: 1800,
        handleSeconds: 120,
        aim: AIM_80_20,
        shrinkagePercent: 35,
      }),
    ).toMatchObject({ agents: 1, scheduled: 2 });
    expect(() =>
      agentsNeeded({ calls: 1e7, intervalSeconds: 900, handleSeconds: 600, aim: AIM_80_20 }),
    ).toThrow(`more than ${MAX_AGENTS} agents`);
  });
});

describe('forecastDay', () => {
  const slot = (
    minute: number,
    offered: number,
    answered = offered,
    aht = 180,
    ended = true,
  ): HistoryInterval => ({ slot: minute, ended, offered, answered, handleSeconds: answered * aht });

  it("takes each slot's mean over the days that reached it, zero-call days included", () => {
    const rows = forecastDay({
      slots: [540, 570, 600],
      history: [
        [slot(540, 100), slot(570, 0), slot(600, 10)],
        [slot(540, 80, 80, 240), slot(570, 10), slot(600, 0, 0, 0, false)], // today: 10:00 not over yet
      ],
      intervalSeconds: 1800,
      aim: AIM_80_20,
    });
    // 09:00: (100 + 80) / 2 calls; handle (100 × 180 + 80 × 240) / 180 = 206.7 s.
    expect(rows[0]).toMatchObject({ slot: 540, historyDays: 2, calls: 90, handleSeconds: 206.7 });
    expect(rows[0]?.need?.trafficErlangs).toBeCloseTo((90 * 206.67) / 1800, 2);
    // 09:30: (0 + 10) / 2.
    expect(rows[1]).toMatchObject({ slot: 570, historyDays: 2, calls: 5, handleSeconds: 180 });
    // 10:00 only from the day that had reached it.
    expect(rows[2]).toMatchObject({ slot: 600, historyDays: 1, calls: 10 });
  });

  it('borrows the whole history handle time for a slot with nobody answered, and has none without any', () => {
    const rows = forecastDay({
      slots: [540, 570, 1200],
      history: [[slot(540, 4, 4, 300), slot(570, 3, 0)]],
      intervalSeconds: 1800,
      aim: AIM_80_20,
    });
    expect(rows[1]).toMatchObject({ calls: 3, handleSeconds: 300 });
    expect(rows[1]?.need?.agents).toBeGreaterThan(0);
    // 20:00: no day had that slot: no forecast.
    expect(rows[2]).toEqual({ slot: 1200, historyDays: 0, calls: null, handleSeconds: null, need: null });

    const abandonedOnly = forecastDay({
      slots: [540],
      history: [[slot(540, 2, 0)]],
      intervalSeconds: 1800,
      aim: AIM_80_20,
    });
    expect(abandonedOnly[0]).toMatchObject({ calls: 2, handleSeconds: null, need: null });
    // One handle time given: every slot takes it.
    const given = forecastDay({
      slots: [540],
      history: [[slot(540, 2, 0)]],
      intervalSeconds: 1800,
      aim: AIM_80_20,
      handleSeconds: 600,
    });
    expect(given[0]).toMatchObject({ calls: 2, handleSeconds: 600, need: { trafficErlangs: 0.67 } });
  });

  it('counts a slot a day had twice (clocks back) once for that day, its calls added', () => {
    const rows = forecastDay({
      slots: [60],
      history: [[slot(60, 3), slot(60, 5)], [slot(60, 2)]],
      intervalSeconds: 3600,
      aim: AIM_80_20,
    });
    expect(rows[0]).toMatchObject({ historyDays: 2, calls: 5 });
  });
});

describe('staffingNow', () => {
  const now = Date.parse('2026-12-07T15:00:00Z');
  const MIN = 60_000;
  const byState = {
    available: 1,
    talking: 2,
    wrap_up: 1,
    not_ready: 3,
    logged_out: 4,
    offered: 0,
    on_hold: 0,
  };

  it("works the need from the last half hour's calls and today's handle time, against who is there", () => {
    // 100 calls in the last 30 minutes (two older ones and one not yet come left out), 180 s each: 14 agents.
    const enqueuedAt = [
      now - 45 * MIN,
      now - 30 * MIN,
      ...Array.from({ length: 100 }, (_, i) => now - i * 18_000),
      now + 1000,
    ];
    expect(staffingNow({ enqueuedAt, now, handleSeconds: 180, aim: AIM_80_20, byState })).toEqual({
      callsLastHalfHour: 100,
      agentsNeeded: 14,
      // Free, on calls and in wrap-up; not ready and logged out are not there.
      agentsStaffed: 4,
    });
  });

  it('cannot tell past what it staffs (thousands of erlangs), and still counts the agents there', () => {
    const flood = Array.from({ length: 20_000 }, (_, i) => now - (i % 1000) * 1000);
    expect(staffingNow({ enqueuedAt: flood, now, handleSeconds: 1800, aim: AIM_80_20, byState })).toEqual({
      callsLastHalfHour: 20_000,
      agentsNeeded: null, // past MAX_AGENTS: no figure, where agentsNeeded alone throws
      agentsNeededOver: 5000, // and said so, unlike a queue with no handle time yet
      agentsStaffed: 4,
    });
  });

  it('needs nobody without calls, and cannot tell without a handle time', () => {
    expect(
      staffingNow({ enqueuedAt: [now - 40 * MIN], now, handleSeconds: null, aim: AIM_80_20, byState: {} }),
    ).toEqual({
      callsLastHalfHour: 0,
      agentsNeeded: 0,
      agentsStaffed: 0,
    });
    expect(
      staffingNow({ enqueuedAt: [now - MIN], now, handleSeconds: null, aim: AIM_80_20, byState }),
    ).toEqual({
      callsLastHalfHour: 1,
      agentsNeeded: null, // no handle time: not past Erlang C's range
      agentsStaffed: 4,
    });
  });
});
