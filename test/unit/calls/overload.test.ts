import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CallAdmission, EventLoopLag } from '../../../src/calls/overload.js';

describe('CallAdmission', () => {
  it('lets calls in up to the limit and refuses past it, saying by how much', () => {
    let lag = 12.4;
    const admission = new CallAdmission(500, () => lag);
    expect(admission.refusal()).toBeUndefined();
    lag = 500;
    expect(admission.refusal()).toBeUndefined();
    lag = 1234.6;
    expect(admission.refusal()).toEqual({
      reason: 'overloaded: the service runs 1235 ms behind (limit 500 ms)',
      lagMs: 1235,
    });
  });

  it('never refuses with the limit at 0', () => {
    expect(new CallAdmission(0, () => 60_000).refusal()).toBeUndefined();
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
