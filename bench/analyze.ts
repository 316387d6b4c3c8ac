/** Turns one load step's SIPp logs and /proc readings into the numbers the benchmark reports. */
import type { WindowStats } from './proc.js';
import type { AgentLeg, CallerCall, CallerResult } from './sipp.js';

export interface Distribution {
  n: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export interface ProcFigures {
  cpuSeconds: number;
  /** CPU above the idle rate measured before the first step. */
  cpuSecondsOverIdle: number;
  cpuPercentOfOneCore: number;
  cpuMsPerCall: number;
  /** CPU above idle per call-second ×100: the share of one core that 100 calls in progress cost. */
  cpuPercentOfCorePer100Concurrent: number;
  rssMaxMb: number;
  /** Peak RSS in this step above the idle RSS measured before the first step. */
  rssOverIdleMb: number;
  rssOverIdleMbPer100Concurrent: number;
}

export interface StepResult {
  rate: number;
  /** `latency`: a ladder step (pooled for the latency comparison); `ceiling`: run only to find the ceiling. */
  phase: 'latency' | 'ceiling';
  offered: number;
  caller: { exitCode: number; successful: number; failed: number };
  served: number;
  notAnswered: number;
  /** Of `notAnswered`: callers turned away with a 503 (the service shedding load). */
  refused: number;
  notRung: number;
  agentNotConnected: number;
  /** Agent legs beyond one per call (re-offers); 0 when every call rang exactly one phone. */
  extraLegs: number;
  failed: number;
  passed: boolean;
  failureReasons: string[];
  /** Caller answered (200 OK received) → agent phone received the INVITE. */
  queueToRingMs: Distribution;
  /** Caller sent INVITE → agent phone received the INVITE. */
  arrivalToRingMs: Distribution;
  /** Caller sent INVITE → caller received 200 OK. */
  answerMs: Distribution;
  /** Raw per-call values (ms) behind the two ring distributions, for pooling across steps. */
  samples: { queueToRingMs: number[]; arrivalToRingMs: number[] };
  concurrency: { mean: number; max: number; callSeconds: number };
  wallSeconds: number;
  /** All CPUs of the machine busy during the step, % (SIPp, the bench itself and the kernel included). */
  machineBusyPercent: number;
  /**
   * Over the whole step (phones up → phones stopped), % of all CPUs: the benchmark's processes (Asterisk,
   * service, SIPp, the runner) and everything else on the machine. `foreign` well above a few % means other
   * work competed with this step and its numbers are suspect.
   */
  cpuShare: { benchPercent: number; foreignPercent: number };
  leftoverChannels: number;
  proc: Record<string, ProcFigures>;
  /** Ours only: the highest load readings the service's /health showed during the step (sampled ~2/s). */
  serviceLoad?: ServiceLoad;
}

export interface ServiceLoad {
  maxEventLoopLagMs: number;
  maxAriRoundTripMs: number;
}

export interface IdleBaseline {
  /** CPU seconds per wall second while idle (agents logged in, no calls). */
  cpuRate: Record<string, number>;
  rssKb: Record<string, number>;
}

export function distribution(values: number[]): Distribution {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const pick = (q: number) =>
    sorted.length === 0
      ? null
      : round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return {
    n: sorted.length,
    p50: pick(0.5),
    p90: pick(0.9),
    p99: pick(0.99),
    max: sorted.length ? round(sorted[sorted.length - 1]!) : null,
  };
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

export function analyzeStep(input: {
  rate: number;
  phase: StepResult['phase'];
  offered: number;
  callerResult: CallerResult;
  calls: CallerCall[];
  legs: AgentLeg[];
  windows: Record<string, WindowStats>;
  machineBusyPercent: number;
  cpuShare: { benchPercent: number; foreignPercent: number };
  idle: IdleBaseline;
  leftoverChannels: number;
  serviceLoad?: ServiceLoad;
}): StepResult {
  const legsByCaller = new Map<string, AgentLeg[]>();
  for (const leg of input.legs) {
    const list = legsByCaller.get(leg.callerNumber) ?? [];
    list.push(leg);
    legsByCaller.set(leg.callerNumber, list);
  }
  let served = 0;
  let notAnswered = 0;
  let refused = 0;
  let notRung = 0;
  let agentNotConnected = 0;
  let extraLegs = 0;
  const queueToRing: number[] = [];
  const arrivalToRing: number[] = [];
  const answer: number[] = [];
  for (const call of input.calls) {
    const legs = (legsByCaller.get(call.callerNumber) ?? []).sort((a, b) => a.ringing - b.ringing);
    extraLegs += Math.max(0, legs.length - 1);
    if (call.answered === undefined) {
      notAnswered++;
      if (call.refused !== undefined) refused++;
      continue;
    }
    answer.push(call.answered - call.inviteSent);
    const first = legs[0];
    if (!first) {
      notRung++;
      continue;
    }
    queueToRing.push(first.ringing - call.answered);
    arrivalToRing.push(first.ringing - call.inviteSent);
    const connected = legs.some((l) => l.answered !== undefined && l.byeReceived !== undefined);
    if (!connected || call.byeConfirmed === undefined) {
      agentNotConnected++;
      continue;
    }
    served++;
  }
  const missingCalls = Math.max(0, input.offered - input.calls.length);
  const { exitCode, successful, failed: sippFailed } = input.callerResult;
  const failureReasons: string[] = [];
  if (exitCode !== 0) failureReasons.push(`caller SIPp exit code ${exitCode}`);
  if (sippFailed > 0 || Number.isNaN(sippFailed)) failureReasons.push(`${sippFailed} calls failed in SIPp`);
  if (successful !== input.offered)
    failureReasons.push(`${successful}/${input.offered} calls successful in SIPp`);
  if (missingCalls > 0) failureReasons.push(`${missingCalls} calls never sent`);
  if (notAnswered > 0)
    failureReasons.push(
      `${notAnswered} callers never answered${refused > 0 ? ` (${refused} turned away with a 503)` : ''}`,
    );
  if (notRung > 0) failureReasons.push(`${notRung} callers never rang an agent`);
  if (agentNotConnected > 0) failureReasons.push(`${agentNotConnected} calls never connected to an agent`);
  const failed = input.offered - served;
  if (failed > 0 && failureReasons.length === 0) failureReasons.push(`${failed} calls not served`);

  const concurrency = concurrencyOf(input.calls);
  const proc: Record<string, ProcFigures> = {};
  let wallSeconds = 0;
  for (const [name, w] of Object.entries(input.windows)) {
    wallSeconds = w.wallSeconds;
    const overIdle = w.cpuSeconds - (input.idle.cpuRate[name] ?? 0) * w.wallSeconds;
    // Clamped at 0: a garbage collection can leave a process below its idle RSS for a whole step.
    const rssOverIdleMb = Math.max(0, (w.rssMaxKb - (input.idle.rssKb[name] ?? w.rssStartKb)) / 1024);
    proc[name] = {
      cpuSeconds: round(w.cpuSeconds, 2),
      cpuSecondsOverIdle: round(overIdle, 2),
      cpuPercentOfOneCore: round((w.cpuSeconds / w.wallSeconds) * 100),
      cpuMsPerCall: round((overIdle / Math.max(1, input.offered)) * 1000, 2),
      cpuPercentOfCorePer100Concurrent: round(
        (overIdle / Math.max(1e-9, concurrency.callSeconds)) * 100 * 100,
      ),
      rssMaxMb: round(w.rssMaxKb / 1024),
      rssOverIdleMb: round(rssOverIdleMb),
      rssOverIdleMbPer100Concurrent: round((rssOverIdleMb / Math.max(1, concurrency.max)) * 100),
    };
  }
  return {
    rate: input.rate,
    phase: input.phase,
    offered: input.offered,
    caller: { exitCode, successful, failed: sippFailed },
    served,
    notAnswered,
    refused,
    notRung,
    agentNotConnected,
    extraLegs,
    failed,
    passed: failureReasons.length === 0,
    failureReasons,
    queueToRingMs: distribution(queueToRing),
    arrivalToRingMs: distribution(arrivalToRing),
    answerMs: distribution(answer),
    samples: {
      queueToRingMs: queueToRing.map((v) => round(v, 2)),
      arrivalToRingMs: arrivalToRing.map((v) => round(v, 2)),
    },
    concurrency,
    wallSeconds: round(wallSeconds),
    machineBusyPercent: input.machineBusyPercent,
    cpuShare: input.cpuShare,
    leftoverChannels: input.leftoverChannels,
    proc,
    ...(input.serviceLoad ? { serviceLoad: input.serviceLoad } : {}),
  };
}

/** Calls in progress (caller's INVITE sent → its BYE confirmed): time-weighted mean, peak, and call-seconds. */
function concurrencyOf(calls: CallerCall[]): { mean: number; max: number; callSeconds: number } {
  const edges: [number, number][] = [];
  for (const c of calls) {
    const end = c.byeConfirmed ?? c.byeSent ?? c.answered;
    if (end === undefined) continue;
    edges.push([c.inviteSent, 1], [end, -1]);
  }
  if (edges.length === 0) return { mean: 0, max: 0, callSeconds: 0 };
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let max = 0;
  let area = 0;
  let last = edges[0]![0];
  for (const [at, delta] of edges) {
    area += current * (at - last);
    last = at;
    current += delta;
    max = Math.max(max, current);
  }
  const span = (edges[edges.length - 1]![0] - edges[0]![0]) / 1000;
  return { mean: round(area / 1000 / Math.max(span, 1e-9)), max, callSeconds: round(area / 1000, 2) };
}
