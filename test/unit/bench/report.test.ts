import { describe, expect, it } from 'vitest';
import type { StepResult } from '../../../bench/analyze.js';
import { bootstrapRatioInterval, summarize } from '../../../bench/report.js';
import type { SideResult } from '../../../bench/run.js';

/** A step with only what the summary reads; every call of it took `ringMs` from queue to ring. */
function step(rate: number, phase: StepResult['phase'], passed: boolean, ringMs: number): StepResult {
  const samples = Array.from({ length: 100 }, () => ringMs);
  return {
    rate,
    phase,
    passed,
    samples: { queueToRingMs: samples, arrivalToRingMs: samples },
    proc: {},
    concurrency: { mean: rate, max: rate, callSeconds: rate },
  } as unknown as StepResult;
}

function side(name: SideResult['name'], steps: StepResult[]): SideResult {
  let ceilingCps = 0;
  for (const s of steps) {
    if (!s.passed) break;
    ceilingCps = s.rate;
  }
  const allPassed = steps.every((s) => s.passed);
  return {
    name,
    idle: { cpuRate: {}, rssKb: {}, asteriskActiveChannels: 0 },
    steps,
    ceilingCps,
    ceilingIsLowerBound: allPassed,
    stoppedBy: allPassed ? 'all-steps-passed' : 'failure',
  };
}

describe('bench summary', () => {
  it('compares latency on the ladder only, and ceilings over every step', () => {
    const ours = side('ours', [
      step(32, 'latency', true, 2),
      step(64, 'latency', true, 3),
      step(80, 'ceiling', true, 50), // near saturation: slow, but no call failed
      step(96, 'ceiling', false, 900),
    ]);
    const native = side('native', [
      step(32, 'latency', true, 2),
      step(64, 'latency', true, 3),
      step(80, 'ceiling', true, 20),
      step(96, 'ceiling', false, 400),
    ]);
    const s = summarize([ours, native]);
    expect(s.commonRates).toEqual([32, 64]);
    expect(s.referenceRate).toBe(64);
    expect(s.queueToRingMs.ours).toMatchObject({ n: 200, p99: 3 });
    expect(s.targets.p99Ratio).toBe(1);
    expect(s.ceilingCps).toMatchObject({ ours: 80, native: 80, oursIsLowerBound: false });
    expect(s.targets.ceilingNotLower).toBe(true);
  });

  it('reports a ceiling below native as not met', () => {
    const ours = side('ours', [step(32, 'latency', true, 2), step(64, 'latency', false, 3)]);
    const native = side('native', [step(32, 'latency', true, 2), step(64, 'latency', true, 2)]);
    const s = summarize([ours, native]);
    expect(s.commonRates).toEqual([32]);
    expect(s.targets.ceilingNotLower).toBe(false);
  });

  it('gives the p99 ratio an interval that holds the ratio and narrows with more samples', () => {
    // Seeded spread: native 1..10 ms, ours 1..12 ms; each "step" has n samples.
    const spread = (n: number, max: number) =>
      Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % n) * ((max - 1) / n));
    const small = bootstrapRatioInterval([spread(200, 12)], [spread(200, 10)]);
    const large = bootstrapRatioInterval([spread(1500, 12)], [spread(1500, 10)]);
    expect(small).not.toBeNull();
    expect(large).not.toBeNull();
    const [lo, hi] = small!;
    expect(lo).toBeLessThanOrEqual(1.2);
    expect(hi).toBeGreaterThanOrEqual(1.2);
    expect(lo).toBeLessThan(hi);
    expect(large![1] - large![0]).toBeLessThan(hi - lo);
    // Same input, same seed: the same interval.
    expect(bootstrapRatioInterval([spread(200, 12)], [spread(200, 10)])).toEqual(small);
    // Identical sides in every stratum: the interval straddles 1.
    const same = bootstrapRatioInterval([spread(300, 5), spread(300, 9)], [spread(300, 5), spread(300, 9)]);
    expect(same![0]).toBeLessThanOrEqual(1);
    expect(same![1]).toBeGreaterThanOrEqual(1);
  });

  it('has no interval when a side has no samples', () => {
    expect(bootstrapRatioInterval([[]], [[1, 2, 3]])).toBeNull();
  });
});
