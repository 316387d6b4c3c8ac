/**
 * `npm run bench`: the same SIPp load against (a) this service's ACD and (b) Asterisk's native app_queue,
 * both set up side by side on this machine and loaded one at a time, step by step. See bench/README.md for what is measured and the caveats.
 *
 * As root it re-runs itself inside a fresh network namespace (scripts/in-netns.sh), so nothing clashes with
 * a running dev instance. Every load step is bounded in calls and seconds, and the whole run by a budget.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asteriskRootDir, REPO_DIR } from '../scripts/sandbox/paths.js';
import { analyzeStep, type IdleBaseline, type ServiceLoad, type StepResult } from './analyze.js';
import { ForeignLoad, ProcSampler } from './proc.js';
import { summarize, table } from './report.js';
import {
  admissionOverride,
  activeChannels,
  agentPhonePorts,
  gitDescribe,
  type BenchParams,
  PORTS,
  type SideUnderTest,
  startNative,
  startOurs,
} from './sides.js';
import {
  agentLegs,
  callerCalls,
  parseMessageLog,
  runCallers,
  startAgentPhones,
  waitAgentPhonesUp,
} from './sipp.js';

const env = process.env;
/** A comma-separated list of numbers; unset: the fallback; set but empty: none. */
const numberList = (s: string | undefined, fallback: number[]) =>
  s === undefined
    ? fallback
    : s
        .split(',')
        .filter((v) => v.trim() !== '')
        .map((v) => Number(v.trim()));

const params: BenchParams = {
  agents: Number(env.BENCH_AGENTS ?? 200),
  agentPhones: Number(env.BENCH_AGENT_PHONES ?? 4),
  steps: numberList(env.BENCH_STEPS, [2, 4, 8, 12, 16, 24, 32, 48, 64]),
  ceilingSteps: numberList(env.BENCH_CEILING_STEPS, [80, 96, 112, 128]),
  stepSeconds: Number(env.BENCH_STEP_SECONDS ?? 10),
  holdMs: Number(env.BENCH_HOLD_MS ?? 2000),
  ringTimeoutSeconds: 20,
  dialed: '500',
};
const BUDGET_SECONDS = Number(env.BENCH_BUDGET_SECONDS ?? 720);
const SIDES = (env.BENCH_SIDES ?? 'ours,native').split(',') as ('ours' | 'native')[];
const IDLE_SECONDS = 3;
const WARMUP = { index: 99, rate: 4, seconds: 2 };

const log = (s: string) => process.stdout.write(`${s}\n`);

function reexecInNamespace(): never {
  const script = fileURLToPath(import.meta.url);
  const result = spawnSync(
    'bash',
    [join(REPO_DIR, 'scripts', 'in-netns.sh'), process.execPath, '--import', 'tsx', script],
    { cwd: REPO_DIR, stdio: 'inherit' },
  );
  process.exit(result.status ?? 1);
}

export interface SideResult {
  name: 'ours' | 'native';
  idle: IdleBaseline & { asteriskActiveChannels: number };
  warmup?: { offered: number; served: number };
  steps: StepResult[];
  /** Highest step rate passed before the first failing step (0 if the first failed). */
  ceilingCps: number;
  /** True when every step passed: the real ceiling is at least `ceilingCps`. */
  ceilingIsLowerBound: boolean;
  stoppedBy: 'failure' | 'all-steps-passed' | 'time-budget' | 'error';
  error?: string;
}

interface LiveSide {
  result: SideResult;
  sut: SideUnderTest;
  sampler: ProcSampler;
  done: boolean;
}

/** Starts one side, warms it up (not counted) and measures its idle CPU and RSS. */
async function startSide(name: 'ours' | 'native', workDir: string): Promise<LiveSide | SideResult> {
  log(`\n[${name}] starting ${name === 'ours' ? 'Asterisk + the service' : 'Asterisk with app_queue'}`);
  const result: SideResult = {
    name,
    idle: { cpuRate: {}, rssKb: {}, asteriskActiveChannels: 0 },
    steps: [],
    ceilingCps: 0,
    ceilingIsLowerBound: false,
    stoppedBy: 'failure',
  };
  let sut: SideUnderTest | undefined;
  try {
    sut =
      name === 'ours'
        ? await startOurs(params, join(workDir, name), log)
        : await startNative(params, join(workDir, name));
    const sampler = new ProcSampler(sut.pids);
    // Warm-up: the first calls pay for JIT compilation and first-use allocations, on both sides.
    const warmup = await runStep(
      name,
      sut,
      sampler,
      WARMUP.index,
      WARMUP.rate,
      join(workDir, name, 'warmup'),
      {
        cpuRate: {},
        rssKb: {},
      },
      'latency',
      WARMUP.seconds,
    );
    result.warmup = { offered: warmup.offered, served: warmup.served };
    log(`[${name}] warm-up: ${warmup.served}/${warmup.offered} served (not counted)`);
    return { result, sut, sampler, done: false };
  } catch (error) {
    result.stoppedBy = 'error';
    result.error = (error as Error).stack ?? String(error);
    log(`[${name}] error: ${(error as Error).message}`);
    await sut?.stop().catch(() => undefined);
    return result;
  }
}

/** Idle baseline: set up, agents ready, warmed up, no calls (every side idle at once). */
async function measureIdle(live: LiveSide[]): Promise<void> {
  await new Promise((r) => setTimeout(r, 1000));
  for (const l of live) l.sampler.mark();
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  for (const { result, sampler, sut } of live) {
    for (const [proc, w] of Object.entries(sampler.window())) {
      result.idle.cpuRate[proc] = w.cpuSeconds / w.wallSeconds;
      result.idle.rssKb[proc] = w.rssEndKb;
    }
    result.idle.asteriskActiveChannels = await activeChannels(sut.asterisk);
    log(
      `[${result.name}] idle: ${Object.entries(result.idle.rssKb)
        .map(
          ([p, kb]) =>
            `${p} RSS ${(kb / 1024).toFixed(0)} MB, CPU ${(result.idle.cpuRate[p]! * 100).toFixed(1)}%`,
        )
        .join('; ')}`,
    );
  }
}

/**
 * Steps up the rate with the sides interleaved (ours, native at each rate; the order flips every step), so
 * both meet the same background conditions; only one side carries calls at any moment. A side stops at its
 * first failing step; everything stops when the time budget would be exceeded.
 */
async function runSteps(live: LiveSide[], workDir: string, deadline: number): Promise<void> {
  const plan = [
    ...params.steps.map((rate) => ({ rate, phase: 'latency' as const })),
    ...params.ceilingSteps.map((rate) => ({ rate, phase: 'ceiling' as const })),
  ];
  for (const [index, { rate, phase }] of plan.entries()) {
    const order = index % 2 === 0 ? live : [...live].reverse();
    for (const l of order) {
      if (l.done) continue;
      const stepBound = params.stepSeconds + params.holdMs / 1000 + 30;
      if (Date.now() + stepBound * 1000 > deadline) {
        log(`[${l.result.name}] time budget reached; not running ${rate} cps`);
        l.result.stoppedBy = 'time-budget';
        l.done = true;
        continue;
      }
      const name = l.result.name;
      const step = await runStep(
        name,
        l.sut,
        l.sampler,
        index,
        rate,
        join(workDir, name, `step-${rate}`),
        l.result.idle,
        phase,
      );
      l.result.steps.push(step);
      log(
        `[${name}] ${rate} cps: ${step.served}/${step.offered} served, ` +
          `queue→ring p50 ${step.queueToRingMs.p50} ms p99 ${step.queueToRingMs.p99} ms, ` +
          `peak ${step.concurrency.max} concurrent, CPUs busy ${step.machineBusyPercent}% ` +
          `(other work on the machine: ${step.cpuShare.foreignPercent}%)` +
          (step.passed ? '' : ` — FAILED: ${step.failureReasons.join('; ')}`),
      );
      if (!step.passed) {
        l.result.stoppedBy = 'failure';
        l.done = true;
      } else {
        l.result.ceilingCps = rate;
      }
    }
  }
  for (const l of live) {
    // Out of time before failing is a lower bound too.
    if (l.done && l.result.stoppedBy !== 'time-budget') continue;
    if (!l.done) l.result.stoppedBy = 'all-steps-passed';
    l.result.ceilingIsLowerBound = true;
  }
}

async function runStep(
  side: string,
  sut: SideUnderTest,
  sampler: ProcSampler,
  index: number,
  rate: number,
  dir: string,
  idle: IdleBaseline,
  phase: StepResult['phase'],
  seconds = params.stepSeconds,
): Promise<StepResult> {
  mkdirSync(dir, { recursive: true });
  const offered = Math.round(rate * seconds);
  // Unique caller numbers per side and step: the join key between the caller's and the agents' logs.
  const sideDigit = side === 'ours' ? 1 : 2;
  const callers = Array.from(
    { length: offered },
    (_, i) => `+1555${sideDigit}${String(index).padStart(2, '0')}${String(i).padStart(5, '0')}`,
  );
  const timeoutSeconds = Math.ceil(seconds + params.holdMs / 1000 + 20);
  const ports = agentPhonePorts(params);
  const foreign = new ForeignLoad(Object.values(sut.pids));
  const phones = startAgentPhones(dir, ports, timeoutSeconds + 15);
  await waitAgentPhonesUp(dir, ports);
  await new Promise((r) => setTimeout(r, 300));
  sampler.mark();
  const loadStartedUs = monotonicUs();
  const serviceLoad = watchServiceLoad(sut);
  const callerResult = await runCallers({
    dir,
    target: `127.0.0.1:${sut.sipPort}`,
    dialed: params.dialed,
    callers,
    rate,
    holdMs: params.holdMs,
    timeoutSeconds,
    port: PORTS.caller,
    mediaPort: PORTS.callerMedia,
  });
  const windows = sampler.window();
  const machineBusyPercent = sampler.machineBusyPercent();
  const load = await serviceLoad.stop();
  markProfileWindow(side, rate, index === WARMUP.index, loadStartedUs, monotonicUs());
  // Let Asterisk hang up the agent legs, then stop the phones (which flushes their logs).
  let leftover = await activeChannels(sut.asterisk);
  for (let i = 0; i < 50 && leftover !== 0; i++) {
    await new Promise((r) => setTimeout(r, 200));
    leftover = await activeChannels(sut.asterisk);
  }
  if (leftover > 0) await sut.asterisk.cli('channel request hangup all').catch(() => undefined);
  const agentLogs = await phones.stop();
  const share = foreign.finish();
  const calls = callerCalls(parseMessageLog(callerResult.messageLog));
  const legs = agentLogs.flatMap((f) => agentLegs(parseMessageLog(f)));
  await new Promise((r) => setTimeout(r, 1000)); // let the service's agents go back to available
  return analyzeStep({
    rate,
    phase,
    offered,
    callerResult,
    calls,
    legs,
    windows,
    machineBusyPercent,
    cpuShare: { benchPercent: share.benchCpuPercent, foreignPercent: share.foreignCpuPercent },
    idle,
    leftoverChannels: leftover,
    serviceLoad: load,
  });
}

/**
 * Polls the service's load readings (twice a second) while callers run, keeping the highest of each: did
 * its load shedding come near its limits in this step? Nothing for native.
 */
function watchServiceLoad(sut: SideUnderTest): { stop(): Promise<ServiceLoad | undefined> } {
  const read = sut.loadReadings;
  if (!read) return { stop: async () => undefined };
  const max: ServiceLoad = { maxEventLoopLagMs: 0, maxAriRoundTripMs: 0 };
  let on = true;
  const polling = (async () => {
    while (on) {
      const r = await read().catch(() => undefined);
      if (r) {
        max.maxEventLoopLagMs = Math.max(max.maxEventLoopLagMs, r.eventLoopLagMs);
        max.maxAriRoundTripMs = Math.max(max.maxAriRoundTripMs, r.ariRoundTripMs);
      }
      await new Promise((done) => setTimeout(done, 500));
    }
  })();
  return {
    async stop() {
      on = false;
      await polling;
      return max;
    },
  };
}

/** CLOCK_MONOTONIC in µs: the clock V8 stamps a .cpuprofile's startTime/endTime with (on Linux). */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * With BENCH_CPU_PROFILE=dir, each step's load window (callers running) is appended to dir/steps.json, so
 * bench/profile-summary.ts can keep only the samples taken under load.
 */
function markProfileWindow(
  side: string,
  rate: number,
  warmup: boolean,
  startUs: number,
  endUs: number,
): void {
  const dir = env.BENCH_CPU_PROFILE;
  if (!dir || side !== 'ours') return;
  const file = join(resolve(dir), 'steps.json');
  const marks = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown[]) : [];
  marks.push({ side, rate, warmup, startUs, endUs });
  writeFileSync(file, `${JSON.stringify(marks, null, 1)}\n`);
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    log('npm run bench needs root: it starts Asterisk in a chroot (and a network namespace).');
    process.exit(1);
  }
  if (!env.CC_NETNS && !env.BENCH_NO_NETNS) reexecInNamespace();
  if (!existsSync(join(asteriskRootDir(), '.contact-center-root'))) {
    log(
      `no Asterisk root at ${asteriskRootDir()}: run scripts/start.sh (or scripts/build-asterisk-root.sh) first`,
    );
    process.exit(1);
  }
  if (spawnSync('sipp', ['-v']).error) {
    log('SIPp is not installed (apt-get install sip-tester)');
    process.exit(1);
  }
  const started = Date.now();
  const deadline = started + BUDGET_SECONDS * 1000;
  const workDir = mkdtempSync(join(tmpdir(), 'cc-bench-'));
  log(
    `benchmark: ${params.agents} agents on ${params.agentPhones} SIPp UAS, hold ${params.holdMs} ms, ` +
      `steps ${params.steps.join(', ')} cps (then ${params.ceilingSteps.join(', ') || 'none'} to find the ceilings) × ${params.stepSeconds} s, namespace ${env.CC_NETNS ?? '(host)'}`,
  );
  const sides: SideResult[] = [];
  const live: LiveSide[] = [];
  try {
    for (const name of SIDES) {
      const started = await startSide(name, workDir);
      if ('sut' in started) live.push(started);
      sides.push('sut' in started ? started.result : started);
    }
    await measureIdle(live);
    await runSteps(live, workDir, deadline);
  } catch (error) {
    log(`bench error: ${(error as Error).stack ?? error}`);
    for (const l of live.filter((x) => !x.done)) {
      l.result.stoppedBy = 'error';
      l.result.error ??= String(error);
    }
  } finally {
    for (const l of live) {
      l.sampler.stop();
      await l.sut.stop().catch((e) => log(`[${l.result.name}] stop failed: ${(e as Error).message}`));
    }
  }
  const summary = summarize(sides);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = join(REPO_DIR, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, `${stamp}.json`);
  const cpuModel = spawnSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], {
    encoding: 'utf8',
  }).stdout.trim();
  writeFileSync(
    outFile,
    `${JSON.stringify(
      {
        startedAt: new Date(started).toISOString(),
        durationSeconds: Math.round((Date.now() - started) / 1000),
        machine: { cpus: (await import('node:os')).cpus().length, cpuModel, node: process.version },
        params,
        httpSessionLimitOverride: env.BENCH_HTTP_SESSIONLIMIT ? Number(env.BENCH_HTTP_SESSIONLIMIT) : null,
        admissionOverride: admissionOverride(),
        ariRequestSocketsOverride: env.BENCH_ARI_REQUEST_SOCKETS
          ? Number(env.BENCH_ARI_REQUEST_SOCKETS)
          : null,
        serviceNodeFlags: env.BENCH_NODE_FLAGS?.trim() || null,
        service: env.BENCH_SERVICE_REF
          ? { ref: env.BENCH_SERVICE_REF, commit: gitDescribe(env.BENCH_SERVICE_REF) }
          : { ref: 'working tree', commit: gitDescribe() },
        method: {
          queueToRing:
            'caller 200 OK received → first agent INVITE received (SIPp -trace_msg timestamps, joined by caller number)',
          arrivalToRing: 'caller INVITE sent → first agent INVITE received',
          pass: 'every offered call answered, rang an agent, connected (agent 200 OK + BYE), SIPp 0 failed',
          cpu: 'utime+stime from /proc/<pid>/stat over the step, minus the idle rate × step wall time',
          rss: 'VmRSS peak in the step (sampled every 250 ms) minus idle VmRSS before the first step',
        },
        sides,
        summary,
      },
      null,
      2,
    )}\n`,
  );
  log(`\n${table(sides, summary)}`);
  log(`\nresults: ${outFile} (${Math.round((Date.now() - started) / 1000)} s)`);
  if (env.BENCH_KEEP) log(`logs kept in ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}

main().catch((error) => {
  log(`bench failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
