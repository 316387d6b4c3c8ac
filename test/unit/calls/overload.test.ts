import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CallAdmission, EventLoopLag } from '../../../src/calls/overload.js';

describe('CallAdmission', () => {
  const readings = { lag: 12.4, ari: 3.2 };
  const admission = (maxEventLoopLagMs: number, maxAriRoundTripMs: number) =>
    new CallAdmission(
      { maxEventLoopLagMs, maxAriRoundTripMs },
      { eventLoopLagMs: () => readings.lag, ariRoundTripMs: () => readings.ari },
    );

  it("lets calls in up to the event loop's limit and refuses past it, saying by how much", () => {
    const door = admission(500, 0);
    Object.assign(readings, { lag: 12.4, ari: 3.2 });
    expect(door.refusal()).toBeUndefined();
    readings.lag = 500;
    expect(door.refusal()).toBeUndefined();
    readings.lag = 1234.6;
    expect(door.refusal()).toEqual({
      reason: 'overloaded: the service runs 1235 ms behind (limit 500 ms)',
      lagMs: 1235,
      ariRoundTripMs: 3,
    });
  });

  it("refuses while Asterisk answers requests slower than its limit, with the service's loop idle", () => {
    const door = admission(2000, 250);
    Object.assign(readings, { lag: 0.4, ari: 250 });
    expect(door.refusal()).toBeUndefined();
    readings.ari = 612.2;
    expect(door.refusal()).toEqual({
      reason: 'overloaded: Asterisk takes 612 ms to answer a request (median; limit 250 ms)',
      lagMs: 0,
      ariRoundTripMs: 612,
    });
    // Both behind: the service's own lag is named, since shedding there helps first.
    readings.lag = 2500;
    expect(door.refusal()?.reason).toBe('overloaded: the service runs 2500 ms behind (limit 2000 ms)');
  });

  it('never refuses on a reading whose limit is 0', () => {
    Object.assign(readings, { lag: 60_000, ari: 60_000 });
    expect(admission(0, 0).refusal()).toBeUndefined();
    expect(admission(0, 100).refusal()?.reason).toMatch(/Asterisk takes 60000 ms/);
    expect(admission(100, 0).refusal()?.reason).toMatch(/the service runs 60000 ms behind/);
  });
});

describe('EventLoopLag (on this process’s real event loop)', () => {
  const lag = new EventLoopLag(60_000); // windows are rotated by hand below
  afterEach(() => lag.stop());

  it('sees a loop kept busy, and forgets it two windows later', async () => {
    lag.start();
    // The loop is busy for 40 ms at a time, over and over: every 10 ms timer fires ~30-40 ms late.
    for (let i = 0; i < 15; i++) {
      const until = Date.now() + 40;
      while (Date.now() < until) {}
      await nextTurn();
    }
    const busy = lag.recentMs();
    expect(busy).toBeGreaterThanOrEqual(20);
    lag.rotate(); // the busy window is now the last one: still counted
    expect(lag.recentMs()).toBe(busy);
    lag.rotate(); // and now it is gone (no timer fired in between, so the new window is empty)
    expect(lag.recentMs()).toBe(0);
  });
});
