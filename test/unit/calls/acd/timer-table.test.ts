import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LONGEST_TIMER_MS, TimerTable, timerDelay } from '../../../../src/calls/acd/timer-table.js';

const DAY = 86_400_000;

describe('TimerTable (real timers for the router)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires a key at its time, once, and forgets it', () => {
    let clock = 1000;
    const fired: string[] = [];
    const table = new TimerTable(
      (key) => fired.push(key),
      () => clock,
    );
    table.schedule('wrap:a1', 1100);
    clock = 1100;
    vi.advanceTimersByTime(100);
    expect(fired).toEqual(['wrap:a1']);
    expect(table.size).toBe(0);
  });

  it('a timer run before the wall clock reaches its time waits on instead of firing early (or never)', () => {
    let clock = 1000;
    const fired: string[] = [];
    const table = new TimerTable(
      (key) => fired.push(key),
      () => clock,
    );
    table.schedule('wrap:a1', 1100);
    clock = 1099; // Node ran the timer a millisecond before Date.now() got there
    vi.advanceTimersByTime(100);
    expect(fired).toEqual([]);
    expect(table.size).toBe(1);
    clock = 1100;
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['wrap:a1']);
    expect(table.size).toBe(0);
  });

  it('a rescheduled key fires at its new time only; a cancelled one never', () => {
    let clock = 0;
    const fired: string[] = [];
    const table = new TimerTable(
      (key) => fired.push(key),
      () => clock,
    );
    table.schedule('ring:c1', 100);
    table.schedule('ring:c1', 300);
    table.schedule('announce:c2', 50);
    table.cancel('announce:c2');
    clock = 300;
    vi.advanceTimersByTime(300);
    expect(fired).toEqual(['ring:c1']);
  });

  it('waits for a time further off than a Node timer reaches (a callback booked 40 days ahead) in steps, firing it then', () => {
    let clock = 0;
    const fired: string[] = [];
    const table = new TimerTable(
      (key) => fired.push(key),
      () => clock,
    );
    table.schedule('cbretry:c1', 40 * DAY);
    clock = LONGEST_TIMER_MS;
    vi.advanceTimersByTime(LONGEST_TIMER_MS); // the first step (~24.8 days) ends: not due yet
    expect(fired).toEqual([]);
    expect(table.size).toBe(1);
    clock = 40 * DAY;
    vi.advanceTimersByTime(40 * DAY - LONGEST_TIMER_MS);
    expect(fired).toEqual(['cbretry:c1']);
    expect(table.size).toBe(0);
  });

  it('asks Node for no timer longer than it keeps, so such a time does not spin (real timers)', async () => {
    vi.useRealTimers();
    const asked = vi.spyOn(globalThis, 'setTimeout');
    const fired: string[] = [];
    const table = new TimerTable((key) => fired.push(key));
    try {
      table.schedule('cbretry:c1', Date.now() + 40 * DAY);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the test's own wait
      // Taken as 1 ms, a longer delay would have come back every millisecond: dozens of timers by now.
      const ours = asked.mock.calls.map((call) => call[1]).filter((ms) => ms !== 50);
      expect(ours).toEqual([LONGEST_TIMER_MS]);
      expect(fired).toEqual([]);
      expect(table.size).toBe(1);
    } finally {
      table.clear();
      asked.mockRestore();
    }
  });

  it('keeps every delay within what a Node timer keeps (the campaign dialer waits on calling hours by it)', () => {
    expect([-5, 0, 1_000, LONGEST_TIMER_MS, 40 * DAY].map(timerDelay)).toEqual([
      0,
      0,
      1_000,
      LONGEST_TIMER_MS,
      LONGEST_TIMER_MS,
    ]);
  });
});
