import { describe, expect, it } from 'vitest';
import { RoundTripMeter } from '../../../src/telephony/ari/round-trip-meter.js';

function meter(minSamples = 5) {
  const clock = { now: 0 };
  return { clock, meter: new RoundTripMeter({ windowMs: 2000, minSamples, now: () => clock.now }) };
}

describe('RoundTripMeter', () => {
  it('reads the median round trip, within the 20% of its bucket', () => {
    const { meter: m } = meter();
    for (const ms of [1.9, 2.1, 2.4, 2.2, 700, 900, 2.0]) m.record(ms);
    const median = m.recentMedianMs(); // 2.2 ms: the two slow requests do not move it
    expect(median).toBeGreaterThanOrEqual(2.2);
    expect(median).toBeLessThanOrEqual(2.2 * 1.2);
  });

  it('reads slow when most requests are slow', () => {
    const { meter: m } = meter();
    for (const ms of [2, 480, 510, 530, 495, 3]) m.record(ms);
    const median = m.recentMedianMs();
    expect(median).toBeGreaterThanOrEqual(495);
    expect(median).toBeLessThanOrEqual(495 * 1.2);
  });

  it('says 0 until enough requests were made to tell', () => {
    const { meter: m } = meter(5);
    for (let i = 0; i < 4; i++) m.record(3000);
    expect(m.recentMedianMs()).toBe(0);
    m.record(3000);
    expect(m.recentMedianMs()).toBeGreaterThanOrEqual(3000);
  });

  it('keeps the last window, then forgets it', () => {
    const { clock, meter: m } = meter(1);
    for (let i = 0; i < 10; i++) m.record(800);
    clock.now = 2500; // a new window: the slow one is the last, still counted
    for (let i = 0; i < 3; i++) m.record(2);
    expect(m.recentMedianMs()).toBeGreaterThanOrEqual(800);
    clock.now = 4100; // the slow window is gone; the fast one is the last
    expect(m.recentMedianMs()).toBeLessThanOrEqual(2.4);
    clock.now = 8000; // nothing for two windows: nothing to tell
    expect(m.recentMedianMs()).toBe(0);
  });

  it('forgets both windows after a quiet spell of two windows, even when read only then', () => {
    const { clock, meter: m } = meter(1);
    for (let i = 0; i < 10; i++) m.record(800);
    clock.now = 4000;
    m.record(2);
    expect(m.recentMedianMs()).toBeLessThanOrEqual(2.4);
  });

  it('puts what no bucket holds into the last one, and instant answers into the first', () => {
    const { meter: m } = meter(1);
    m.record(10 * 60_000);
    expect(m.recentMedianMs()).toBeGreaterThan(60_000);
    const { meter: fast } = meter(1);
    fast.record(0);
    expect(fast.recentMedianMs()).toBe(0.1);
  });
});
