/** The comparison: ceilings, pooled ring latency over the rates both sides passed, resources at one rate. */
import { type Distribution, distribution, type ProcFigures, type StepResult } from './analyze.js';
import type { SideResult } from './run.js';

export interface Summary {
  ceilingCps: {
    ours: number | null;
    native: number | null;
    oursIsLowerBound: boolean;
    nativeIsLowerBound: boolean;
  };
  /** Rates both sides passed; latency below is pooled over exactly these steps on each side. */
  commonRates: number[];
  /** The highest rate both passed: resources are compared there. */
  referenceRate: number | null;
  queueToRingMs: { ours: Distribution; native: Distribution };
  arrivalToRingMs: { ours: Distribution; native: Distribution };
  atReferenceRate: {
    ours: { service?: ProcFigures; asterisk?: ProcFigures; meanConcurrent: number; peakConcurrent: number };
    native: { asterisk?: ProcFigures; meanConcurrent: number; peakConcurrent: number };
  } | null;
  targets: {
    p99QueueToRingWithin1_2x: boolean | null;
    p99Ratio: number | null;
    /**
     * 95% interval of the p99 ratio by a stratified bootstrap: each common ladder step's samples resampled
     * with replacement (per side), pooled, p99 taken; 1,000 rounds, fixed seed. How far the ratio could move
     * by chance in this run alone (not the run-to-run spread of the machine).
     */
    p99RatioInterval: [number, number] | null;
    /** The same for caller INVITE → agent INVITE (includes each side's answer path). */
    p99ArrivalRatio: number | null;
    ceilingNotLower: boolean | null;
    note: string;
  };
}

const EMPTY: Distribution = { n: 0, p50: null, p90: null, p99: null, max: null };

export function summarize(sides: SideResult[]): Summary {
  const ours = sides.find((s) => s.name === 'ours');
  const native = sides.find((s) => s.name === 'native');
  // Latency is compared on the ladder only: the ceiling steps push each side to the point of failing calls.
  const passed = (s: SideResult | undefined) =>
    new Set((s?.steps ?? []).filter((x) => x.passed && x.phase !== 'ceiling').map((x) => x.rate));
  const oursPassed = passed(ours);
  const nativePassed = passed(native);
  const commonRates = [...oursPassed].filter((r) => nativePassed.has(r)).sort((a, b) => a - b);
  const referenceRate = commonRates.length ? commonRates[commonRates.length - 1]! : null;
  /** A side's ladder steps at the rates both passed: what latency is compared over. */
  const commonSteps = (s: SideResult | undefined) =>
    (s?.steps ?? []).filter((x) => x.phase !== 'ceiling' && commonRates.includes(x.rate));
  const pooled = (s: SideResult | undefined, key: 'queueToRingMs' | 'arrivalToRingMs') =>
    s ? distribution(commonSteps(s).flatMap((x) => x.samples[key])) : EMPTY;
  const stepAt = (s: SideResult | undefined): StepResult | undefined =>
    s?.steps.find((x) => x.phase !== 'ceiling' && x.rate === referenceRate);
  const oursRef = stepAt(ours);
  const nativeRef = stepAt(native);
  const q = { ours: pooled(ours, 'queueToRingMs'), native: pooled(native, 'queueToRingMs') };
  const p99Ratio = q.ours.p99 !== null && q.native.p99 ? q.ours.p99 / q.native.p99 : null;
  const strata = (s: SideResult | undefined) => commonSteps(s).map((x) => x.samples.queueToRingMs);
  const p99RatioInterval = p99Ratio === null ? null : bootstrapRatioInterval(strata(ours), strata(native));
  const arrival = { ours: pooled(ours, 'arrivalToRingMs'), native: pooled(native, 'arrivalToRingMs') };
  const p99ArrivalRatio =
    arrival.ours.p99 !== null && arrival.native.p99 ? arrival.ours.p99 / arrival.native.p99 : null;
  const ceilingNotLower =
    ours && native && ours.stoppedBy !== 'error' && native.stoppedBy !== 'error'
      ? ours.ceilingCps >= native.ceilingCps
      : null;
  let note = '';
  if (ours?.ceilingIsLowerBound && native?.ceilingIsLowerBound)
    note = 'both sides passed every step: the ceilings are lower bounds and do not tell the two apart';
  else if (native?.ceilingIsLowerBound && !ours?.ceilingIsLowerBound)
    note = 'native passed every step; its real ceiling may be higher still';
  else if (ours?.ceilingIsLowerBound && !native?.ceilingIsLowerBound)
    note = 'ours passed every step; its real ceiling may be higher still';
  return {
    ceilingCps: {
      ours: ours ? ours.ceilingCps : null,
      native: native ? native.ceilingCps : null,
      oursIsLowerBound: ours?.ceilingIsLowerBound ?? false,
      nativeIsLowerBound: native?.ceilingIsLowerBound ?? false,
    },
    commonRates,
    referenceRate,
    queueToRingMs: q,
    arrivalToRingMs: arrival,
    atReferenceRate:
      oursRef && nativeRef
        ? {
            ours: {
              service: oursRef.proc.service,
              asterisk: oursRef.proc.asterisk,
              meanConcurrent: oursRef.concurrency.mean,
              peakConcurrent: oursRef.concurrency.max,
            },
            native: {
              asterisk: nativeRef.proc.asterisk,
              meanConcurrent: nativeRef.concurrency.mean,
              peakConcurrent: nativeRef.concurrency.max,
            },
          }
        : null,
    targets: {
      p99QueueToRingWithin1_2x: p99Ratio === null ? null : p99Ratio <= 1.2,
      p99Ratio: p99Ratio === null ? null : Math.round(p99Ratio * 100) / 100,
      p99RatioInterval,
      p99ArrivalRatio: p99ArrivalRatio === null ? null : Math.round(p99ArrivalRatio * 100) / 100,
      ceilingNotLower,
      note,
    },
  };
}

/**
 * 95% bootstrap interval of p99(ours) / p99(native): every round resamples each stratum (a step's samples)
 * with replacement, pools a side's strata and takes the p99 as `distribution` does. Seeded, so a results
 * file always reports the same interval.
 */
export function bootstrapRatioInterval(
  ours: number[][],
  native: number[][],
  rounds = 1000,
  seed = 0x5eed,
): [number, number] | null {
  let state = seed >>> 0;
  // mulberry32: small, fast, good enough to resample with.
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const p99 = (strata: number[][]) => {
    const pool: number[] = [];
    for (const stratum of strata) {
      for (let i = 0; i < stratum.length; i++) pool.push(stratum[Math.floor(random() * stratum.length)]!);
    }
    return distribution(pool).p99;
  };
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const a = p99(ours);
    const b = p99(native);
    if (a !== null && b) ratios.push(a / b);
  }
  if (ratios.length === 0) return null;
  ratios.sort((x, y) => x - y);
  const at = (q: number) =>
    Math.round(ratios[Math.min(ratios.length - 1, Math.floor(q * ratios.length))]! * 100) / 100;
  return [at(0.025), at(0.975)];
}

const fmt = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || !b || !Number.isFinite(a) ? '—' : `${(a / b).toFixed(2)}×`;

/** Native Asterisk minus our side's Asterisk: what app_queue costs beyond carrying the same calls. */
const delta = (native?: ProcFigures, ours?: ProcFigures, k: keyof ProcFigures = 'cpuSeconds') =>
  native && ours ? native[k] - ours[k] : undefined;
/** A ratio against a delta that is zero or negative means nothing: shown as — (see the note under the table). */
const positiveRatio = (a: number | undefined, b: number | undefined) =>
  b !== undefined && b > 0 ? ratio(a, b) : '—';

function grid(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r, ri) => {
      const line = r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
      return ri === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

export function table(sides: SideResult[], s: Summary): string {
  const out: string[] = [];
  const stepRows = [
    [
      'cps',
      'side',
      'served/offered',
      'q→ring p50',
      'p99',
      'arrival→ring p50',
      'p99',
      'peak conc',
      'CPU busy',
      'foreign',
      'lag/ARI max',
      'result',
    ],
  ];
  for (const side of sides) {
    for (const st of side.steps) {
      stepRows.push([
        String(st.rate),
        side.name,
        `${st.served}/${st.offered}`,
        fmt(st.queueToRingMs.p50),
        fmt(st.queueToRingMs.p99),
        fmt(st.arrivalToRingMs.p50),
        fmt(st.arrivalToRingMs.p99),
        String(st.concurrency.max),
        `${fmt(st.machineBusyPercent, 0)}%`,
        `${fmt(st.cpuShare.foreignPercent, 0)}%`,
        st.serviceLoad
          ? `${fmt(st.serviceLoad.maxEventLoopLagMs, 0)}/${fmt(st.serviceLoad.maxAriRoundTripMs, 0)}`
          : '—',
        (st.passed ? 'ok' : `FAIL: ${st.failureReasons.join('; ')}`) +
          (st.phase === 'ceiling' ? ' (ceiling search)' : ''),
      ]);
    }
    if (side.error)
      stepRows.push([
        '—',
        side.name,
        '—',
        '—',
        '—',
        '—',
        '—',
        '—',
        '—',
        '—',
        `ERROR: ${side.error.split('\n')[0]}`,
      ]);
  }
  out.push(
    'Per step (latencies in ms; "foreign" = CPU used by processes outside the benchmark, % of all CPUs;',
    '"lag/ARI max" = the highest event-loop lag / ARI round trip the service reported, what its load shedding watches):',
    grid(stepRows),
    '',
  );
  const contaminated = sides.flatMap((side) =>
    side.steps.filter((st) => st.cpuShare.foreignPercent > 10).map((st) => `${side.name} ${st.rate} cps`),
  );
  if (contaminated.length > 0)
    out.push(
      `WARNING: other work used >10% of the CPUs during: ${contaminated.join(', ')}. Re-run on a quiet machine.`,
      '',
    );

  const ceiling = (v: number | null, lower: boolean) => (v === null ? '—' : `${v}${lower ? '+' : ''}`);
  const ref = s.atReferenceRate;
  const o = ref?.ours;
  const n = ref?.native;
  const total = (
    a?: ProcFigures,
    b?: ProcFigures,
    k: keyof ProcFigures = 'cpuPercentOfCorePer100Concurrent',
  ) => (a && b ? a[k] + b[k] : undefined);
  const rows = [
    ['metric', 'ours', 'native', 'ours/native'],
    [
      'max cps with zero failed calls',
      ceiling(s.ceilingCps.ours, s.ceilingCps.oursIsLowerBound),
      ceiling(s.ceilingCps.native, s.ceilingCps.nativeIsLowerBound),
      ratio(s.ceilingCps.ours, s.ceilingCps.native),
    ],
    ...(['p50', 'p99'] as const).map((p) => [
      `queue→ring ${p} ms (answered → agent INVITE)`,
      fmt(s.queueToRingMs.ours[p]),
      fmt(s.queueToRingMs.native[p]),
      ratio(s.queueToRingMs.ours[p], s.queueToRingMs.native[p]),
    ]),
    ...(['p50', 'p99'] as const).map((p) => [
      `arrival→ring ${p} ms (caller INVITE → agent INVITE)`,
      fmt(s.arrivalToRingMs.ours[p]),
      fmt(s.arrivalToRingMs.native[p]),
      ratio(s.arrivalToRingMs.ours[p], s.arrivalToRingMs.native[p]),
    ]),
    [
      `calls pooled for latency (rates ${s.commonRates.join(',') || '—'})`,
      String(s.queueToRingMs.ours.n),
      String(s.queueToRingMs.native.n),
      '',
    ],
    [
      `at ${s.referenceRate ?? '—'} cps: mean / peak concurrent calls`,
      `${fmt(o?.meanConcurrent)} / ${o?.peakConcurrent ?? '—'}`,
      `${fmt(n?.meanConcurrent)} / ${n?.peakConcurrent ?? '—'}`,
      '',
    ],
    [
      'control plane CPU, % of a core per 100 calls',
      `${fmt(o?.service?.cpuPercentOfCorePer100Concurrent)} (service)`,
      `${fmt(delta(n?.asterisk, o?.asterisk, 'cpuPercentOfCorePer100Concurrent'))} (Ast Δ)`,
      positiveRatio(
        o?.service?.cpuPercentOfCorePer100Concurrent,
        delta(n?.asterisk, o?.asterisk, 'cpuPercentOfCorePer100Concurrent'),
      ),
    ],
    [
      'control plane RSS over idle, MB per 100 calls',
      `${fmt(o?.service?.rssOverIdleMbPer100Concurrent)} (service)`,
      `${fmt(delta(n?.asterisk, o?.asterisk, 'rssOverIdleMbPer100Concurrent'))} (Ast Δ)`,
      positiveRatio(
        o?.service?.rssOverIdleMbPer100Concurrent,
        delta(n?.asterisk, o?.asterisk, 'rssOverIdleMbPer100Concurrent'),
      ),
    ],
    [
      'Asterisk CPU, % of a core per 100 calls',
      fmt(o?.asterisk?.cpuPercentOfCorePer100Concurrent),
      fmt(n?.asterisk?.cpuPercentOfCorePer100Concurrent),
      ratio(o?.asterisk?.cpuPercentOfCorePer100Concurrent, n?.asterisk?.cpuPercentOfCorePer100Concurrent),
    ],
    [
      'Asterisk RSS over idle, MB per 100 calls',
      fmt(o?.asterisk?.rssOverIdleMbPer100Concurrent),
      fmt(n?.asterisk?.rssOverIdleMbPer100Concurrent),
      ratio(o?.asterisk?.rssOverIdleMbPer100Concurrent, n?.asterisk?.rssOverIdleMbPer100Concurrent),
    ],
    [
      'total CPU (service + Asterisk), % core / 100 calls',
      fmt(total(o?.service, o?.asterisk)),
      fmt(n?.asterisk?.cpuPercentOfCorePer100Concurrent),
      ratio(total(o?.service, o?.asterisk), n?.asterisk?.cpuPercentOfCorePer100Concurrent),
    ],
    [
      'CPU ms per call (service / Asterisk)',
      `${fmt(o?.service?.cpuMsPerCall)} / ${fmt(o?.asterisk?.cpuMsPerCall)}`,
      `— / ${fmt(n?.asterisk?.cpuMsPerCall)}`,
      '',
    ],
    [
      'peak RSS MB (service / Asterisk)',
      `${fmt(o?.service?.rssMaxMb, 0)} / ${fmt(o?.asterisk?.rssMaxMb, 0)}`,
      `— / ${fmt(n?.asterisk?.rssMaxMb, 0)}`,
      '',
    ],
  ];
  out.push('Summary:', grid(rows), '');
  out.push(
    "Ast Δ = native Asterisk minus our side's Asterisk at the same load: app_queue's own cost. When it is ≤ 0",
    'our Asterisk (ARI, Stasis, AMI) costs more than native Asterisk in',
    'total, and the fair comparison is the "total" row.',
    '',
  );
  const t = s.targets;
  out.push(
    `target p99 queue→ring ≤ 1.2× native: ${t.p99QueueToRingWithin1_2x === null ? 'not measured' : t.p99QueueToRingWithin1_2x ? 'MET' : 'NOT MET'} (${t.p99Ratio ?? '—'}×${t.p99RatioInterval ? `, 95% bootstrap interval ${t.p99RatioInterval[0]}–${t.p99RatioInterval[1]}×` : ''})`,
    `(arrival→ring p99 ratio: ${t.p99ArrivalRatio ?? '—'}×)`,
    `target cps ceiling not lower than native: ${t.ceilingNotLower === null ? 'not measured' : t.ceilingNotLower ? 'MET' : 'NOT MET'}${t.note ? ` — ${t.note}` : ''}`,
  );
  return out.join('\n');
}
