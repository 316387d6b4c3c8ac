import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../src/telephony/backoff.js';

describe('Backoff', () => {
  it('doubles up to the ceiling, with jitter in the upper half, and starts over after reset', () => {
    const top = new Backoff(100, 1000, () => 1);
    expect([top.next(), top.next(), top.next(), top.next(), top.next(), top.next()]).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    top.reset();
    expect(top.next()).toBe(100);
    const bottom = new Backoff(100, 1000, () => 0);
    expect([bottom.next(), bottom.next()]).toEqual([50, 100]);
  });
});
