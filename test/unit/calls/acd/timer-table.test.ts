import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimerTable } from '../../../../src/calls/acd/timer-table.js';

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
});
