/**
 * The two systems under test, configured alike: the same agents (udp desk phones with static contacts on
 * SIPp UAS ports), the same Asterisk config templates, the same ring strategy, ring timeout and wrap-up.
 * (a) ours: Asterisk + the service process, route `500 → benchq`, agents signed in, logged in, ready via the API.
 * (b) native: Asterisk alone; the trunk dialplan answers and runs Queue(benchq) with static PJSIP members.
 */
import { AmiClient } from '../src/telephony/ami/ami-client.js';
import pino from 'pino';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AsteriskSandbox } from '../scripts/sandbox/asterisk-sandbox.js';
import { REPO_DIR } from '../scripts/sandbox/paths.js';
import { parseConfig } from '../src/config/load.js';
import type { Config } from '../src/config/schema.js';
import { renderTemplate } from '../src/telephony/asterisk-config/render.js';

export interface BenchParams {
  agents: number;
  /** Agents are spread over this many SIPp UAS processes (ports). */
  agentPhones: number;
  /** The latency ladder: rates at which both sides are compared (latency pooled over those both pass). */
  steps: number[];
  /** Rates beyond the ladder, run only to find where each side starts failing calls (its ceiling). */
  ceilingSteps: number[];
  stepSeconds: number;
  holdMs: number;
  ringTimeoutSeconds: number;
  dialed: string;
}

/** Ports of the side (both sides run at once, so they differ), and the shared load generator's. */
const SIDE_PORTS = {
  ours: { sip: 5160, ariHttp: 8188, ami: 5138, serviceHttp: 3100, rtpStart: 10100, rtpEnd: 14999 },
  native: { sip: 5260, ariHttp: 8288, ami: 5238, serviceHttp: 3200, rtpStart: 15000, rtpEnd: 19999 },
};
export const PORTS = {
  caller: 5170,
  callerMedia: 30000,
  firstAgentPhone: 5301,
};

const SECRET = 'bench-only-secret';
const AGENT_PASSWORD = 'bench-agent-password';
const SUPERVISOR = 'bench-supervisor-token-0123456789';
export const QUEUE_ID = 'benchq';

export const agentPhonePorts = (p: BenchParams) =>
  Array.from({ length: p.agentPhones }, (_, i) => PORTS.firstAgentPhone + i);

function agents(p: BenchParams) {
  const ports = agentPhonePorts(p);
  return Array.from({ length: p.agents }, (_, i) => ({
    id: `a${i + 1}`,
    name: `Agent ${i + 1}`,
    transport: 'udp',
    password: AGENT_PASSWORD,
    contact: `sip:a${i + 1}@127.0.0.1:${ports[i % ports.length]}`,
    queues: [{ queueId: QUEUE_ID }],
  }));
}

/** The service's configuration file (also what the Asterisk sandbox renders pjsip.conf etc. from). */
function rawConfig(p: BenchParams, dataDir: string, side: 'ours' | 'native') {
  const ports = SIDE_PORTS[side];
  return {
    http: { host: '127.0.0.1', port: ports.serviceHttp },
    asterisk: {
      httpPort: ports.ariHttp,
      amiPort: ports.ami,
      sipPort: ports.sip,
      ariPassword: SECRET,
      amiSecret: SECRET,
      trunkPort: PORTS.caller,
      rtpStart: ports.rtpStart,
      rtpEnd: ports.rtpEnd,
      iceHostCandidates: [],
      // The SIPp agents do not answer OPTIONS: qualified, both sides would take them for gone.
      deskPhoneQualifySeconds: 0,
      // What-if: how many WebSockets carry the service's ARI requests (the service's default otherwise).
      ...(process.env.BENCH_ARI_REQUEST_SOCKETS
        ? { ariRequestSockets: Number(process.env.BENCH_ARI_REQUEST_SOCKETS) }
        : {}),
    },
    database: { path: join(dataDir, 'contact-center.db') },
    dataDir,
    recordingsDir: join(dataDir, 'recordings'),
    logLevel: 'info',
    supervisorToken: SUPERVISOR,
    agents: agents(p),
    queues: [
      {
        id: QUEUE_ID,
        name: 'Benchmark',
        strategy: 'longest_idle',
        ringTimeoutSeconds: p.ringTimeoutSeconds,
        wrapUpSeconds: 0,
      },
    ],
    routes: [{ dialed: p.dialed, queue: QUEUE_ID }],
    // Only when set, so an older service (BENCH_SERVICE_REF) that predates the setting still starts.
    ...(side === 'ours' && Object.keys(admissionOverride()).length ? { admission: admissionOverride() } : {}),
  };
}

/**
 * The service's load-shedding limits: its defaults unless BENCH_MAX_EVENT_LOOP_LAG_MS /
 * BENCH_MAX_ARI_ROUND_TRIP_MS say otherwise (0 turns one off), to see how shedding plays out at overload.
 */
export function admissionOverride(): Record<string, number> {
  const out: Record<string, number> = {};
  const { BENCH_MAX_EVENT_LOOP_LAG_MS: lag, BENCH_MAX_ARI_ROUND_TRIP_MS: ari } = process.env;
  if (lag) out.maxEventLoopLagMs = Number(lag);
  if (ari) out.maxAriRoundTripMs = Number(ari);
  return out;
}

export interface SideUnderTest {
  name: 'ours' | 'native';
  asterisk: AsteriskSandbox;
  /** Where the trunk's calls go. */
  sipPort: number;
  /** Processes whose CPU/RSS are sampled: always `asterisk`, plus `service` for ours. */
  pids: Record<string, number>;
  /** Ours: the service's load readings now (its /health), what its load shedding looks at. */
  loadReadings?: () => Promise<{ eventLoopLagMs: number; ariRoundTripMs: number }>;
  stop(): Promise<void>;
}

/** Recordings (and logs) of earlier runs would pile up inside the shared root; the last run's log stays. */
function cleanInstance(sandbox: AsteriskSandbox, dirs = ['spool', 'log']): void {
  for (const dir of dirs) rmSync(sandbox.hostPath(dir), { recursive: true, force: true });
}

/**
 * Opt-in what-if (not the shipped config): BENCH_HTTP_SESSIONLIMIT=N raises Asterisk's HTTP session limit
 * (default 100), which caps concurrent ARI requests. Applied to both sides; only ours uses HTTP.
 */
function httpConfOverride(config: Config): Record<string, string> {
  const limit = process.env.BENCH_HTTP_SESSIONLIMIT;
  if (!limit) return {};
  const text = renderTemplate(
    'http.conf',
    readFileSync(join(REPO_DIR, 'asterisk-config', 'http.conf'), 'utf8'),
    {
      ASTERISK_HTTP_BIND: config.asterisk.host,
      ASTERISK_HTTP_PORT: String(config.asterisk.httpPort),
    },
  );
  return {
    'http.conf': `${text.trimEnd()}\n; BENCH_HTTP_SESSIONLIMIT (bench/sides.ts)\nsessionlimit = ${Number(limit)}\n`,
  };
}

async function startSandbox(config: Config, instance: string, extraConfig: Record<string, string> = {}) {
  const sandbox = new AsteriskSandbox({
    config,
    instance,
    extraConfig: { ...httpConfOverride(config), ...extraConfig },
  });
  cleanInstance(sandbox);
  await sandbox.start();
  await sandbox.cli('channel request hangup all').catch(() => undefined);
  // For diagnosis only (it costs Asterisk CPU): BENCH_AST_VERBOSE=3 logs dialplan and queue activity.
  if (process.env.BENCH_AST_VERBOSE) await sandbox.cli(`core set verbose ${process.env.BENCH_AST_VERBOSE}`);
  return sandbox;
}

// ---- (a) ours

export async function startOurs(
  p: BenchParams,
  workDir: string,
  log: (s: string) => void,
): Promise<SideUnderTest> {
  const base = `http://127.0.0.1:${SIDE_PORTS.ours.serviceHttp}`;
  const dataDir = join(workDir, 'ours-data');
  mkdirSync(dataDir, { recursive: true });
  const raw = rawConfig(p, dataDir, 'ours');
  const configPath = join(dataDir, 'config.json');
  writeFileSync(configPath, JSON.stringify(raw, null, 2));
  const asterisk = await startSandbox(parseConfig(raw), 'bench-ours');
  let service: ChildProcess | undefined;
  try {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CC_') && v !== undefined) env[k] = v;
    env.CC_CONFIG = configPath;
    const out = openSync(join(workDir, 'service.log'), 'w');
    const appDir = serviceTree(workDir, log);
    service = spawn(
      process.execPath,
      [...profileFlags(log), ...nodeFlags(log), '--import', 'tsx', join(appDir, 'src', 'main.ts')],
      {
        cwd: appDir,
        env,
        stdio: ['ignore', out, out],
      },
    );
    await until(
      async () => {
        if (service?.exitCode !== null)
          throw new Error(`service exited: ${tail(join(workDir, 'service.log'))}`);
        const r = await fetch(`${base}/health`).catch(() => undefined);
        return r?.status === 200;
      },
      60_000,
      'service /health to be up',
    );
    log(`  service up (pid ${service.pid}); signing ${p.agents} agents in, logging in, ready`);
    for (const a of raw.agents) {
      const signIn = await post(`${base}/api/agents/${a.id}/session`, undefined, {
        password: AGENT_PASSWORD,
      });
      const token = (signIn.body as { token?: string }).token;
      if (signIn.status !== 200 || !token) throw new Error(`sign-in of ${a.id}: ${JSON.stringify(signIn)}`);
      const login = await post(`${base}/api/agents/${a.id}/login`, token, {});
      if (login.status !== 200) throw new Error(`login of ${a.id}: ${JSON.stringify(login)}`);
      const state = await agentState(base, a.id);
      if (state !== 'available') {
        const ready = await post(`${base}/api/agents/${a.id}/ready`, token, undefined);
        if (ready.status !== 200) throw new Error(`ready of ${a.id}: ${JSON.stringify(ready)}`);
      }
    }
    const states = await Promise.all(raw.agents.map((a) => agentState(base, a.id)));
    const available = states.filter((s) => s === 'available').length;
    if (available !== p.agents) throw new Error(`only ${available}/${p.agents} agents available: ${states}`);
  } catch (error) {
    service?.kill('SIGKILL');
    await asterisk.stop();
    throw error;
  }
  const child = service;
  return {
    name: 'ours',
    asterisk,
    sipPort: SIDE_PORTS.ours.sip,
    pids: { asterisk: asterisk.pid!, service: child.pid! },
    async loadReadings() {
      const res = await fetch(`${base}/health`);
      const body = (await res.json()) as { eventLoopLagMs: number; ariRoundTripMs: number };
      return { eventLoopLagMs: body.eventLoopLagMs, ariRoundTripMs: body.ariRoundTripMs };
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        // Writing a CPU profile on exit (BENCH_CPU_PROFILE) can take a few seconds more.
        const grace = process.env.BENCH_CPU_PROFILE ? 30_000 : 5000;
        await Promise.race([exited, new Promise((r) => setTimeout(r, grace))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      await asterisk.stop();
      cleanInstance(asterisk, ['spool']);
    },
  };
}

/**
 * Opt-in CPU profile of the service (BENCH_CPU_PROFILE=dir): node's --cpu-prof writes a .cpuprofile into dir
 * when the service exits (the bench stops it with SIGTERM; main.ts exits cleanly). It covers the whole
 * life of the process (start-up, sign-in, warm-up, every step); bench/profile-summary.ts summarises it.
 * Sampling costs the service a little CPU, so a profiled run's CPU figures are not comparable.
 */
function profileFlags(log: (s: string) => void): string[] {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return [];
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  log(`  CPU profile of the service goes to ${abs} (written when the service exits)`);
  const interval = process.env.BENCH_CPU_PROFILE_INTERVAL_US;
  return [
    '--cpu-prof',
    `--cpu-prof-dir=${abs}`,
    ...(interval ? [`--cpu-prof-interval=${Number(interval)}`] : []),
  ];
}

/** Extra node flags for the service (BENCH_NODE_FLAGS, space-separated; e.g. GC tracing or heap sizes). */
function nodeFlags(log: (s: string) => void): string[] {
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  if (flags.length > 0) log(`  the service runs with node ${flags.join(' ')}`);
  return flags;
}

/**
 * Where the service runs from: this working tree, or with BENCH_SERVICE_REF (e.g. HEAD) a `git archive` of
 * that commit (sharing node_modules), so a commit can be measured while the tree has unfinished edits.
 */
function serviceTree(workDir: string, log: (s: string) => void): string {
  const ref = process.env.BENCH_SERVICE_REF;
  if (!ref) return REPO_DIR;
  const dir = join(workDir, 'service-tree');
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git -C "${REPO_DIR}" archive "$REF" | tar -x -C "${dir}"`], {
    env: { ...process.env, REF: ref },
  });
  symlinkSync(join(REPO_DIR, 'node_modules'), join(dir, 'node_modules'));
  log(`  service from ${ref} (${gitDescribe(ref)}), exported to ${dir}`);
  return dir;
}

/** The commit (and whether the working tree has changes) a run measured. */
export function gitDescribe(ref = 'HEAD'): string {
  try {
    const commit = execFileSync('git', ['-C', REPO_DIR, 'rev-parse', '--short', ref], {
      encoding: 'utf8',
    }).trim();
    if (ref !== 'HEAD' || process.env.BENCH_SERVICE_REF) return commit;
    const dirty = execFileSync('git', ['-C', REPO_DIR, 'status', '--porcelain', '--', 'src', 'migrations'], {
      encoding: 'utf8',
    }).trim();
    return dirty ? `${commit} + uncommitted changes in src/ or migrations/` : commit;
  } catch {
    return 'unknown';
  }
}

async function agentState(base: string, id: string): Promise<string> {
  const r = await fetch(`${base}/api/agents/${id}`, { headers: { authorization: `Bearer ${SUPERVISOR}` } });
  const body = (await r.json()) as { state?: { type?: string } };
  return body.state?.type ?? `http ${r.status}`;
}

async function post(url: string, token: string | undefined, body: unknown) {
  const r = await fetch(url, {
    method: 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : undefined) as unknown };
}

// ---- (b) native app_queue

/**
 * queues.conf for the native side: app_queue's nearest equivalent of the service's `benchq`.
 * longest_idle ≈ leastrecent; ring timeout and wrap-up as ours; no announcements; an agent on a call is not
 * rung (ours never offers a busy seat); autofill so several callers ring agents at once (ours does);
 * calls recorded to wav with MixMonitor (ours records every connected call to wav through ARI).
 */
export function nativeQueuesConf(p: BenchParams): string {
  const members = Array.from({ length: p.agents }, (_, i) => `member => PJSIP/a${i + 1},0,a${i + 1}`);
  return [
    '; Written by bench/sides.ts for the native app_queue side of `npm run bench`.',
    '[general]',
    'persistentmembers = no',
    'shared_lastcall = yes',
    'autofill = yes',
    '',
    `[${QUEUE_ID}]`,
    'strategy = leastrecent',
    `timeout = ${p.ringTimeoutSeconds}`,
    // Seconds before trying again when every member is busy or did not answer; ours re-offers as soon as an
    // agent frees up, so the smallest value app_queue takes.
    'retry = 1',
    'wrapuptime = 0',
    'ringinuse = no',
    'autofill = yes',
    'joinempty = yes',
    'leavewhenempty = no',
    'memberdelay = 0',
    'timeoutrestart = no',
    'announce-frequency = 0',
    'periodic-announce-frequency = 0',
    'announce-position = no',
    'announce-holdtime = no',
    'reportholdtime = no',
    'musicclass = default',
    'monitor-format = wav',
    'servicelevel = 20',
    ...members,
    '',
  ].join('\n');
}

/** extensions.conf for the native side: answer (as the service does), then Queue() plays MOH and rings. */
export function nativeExtensionsConf(): string {
  return [
    '; Written by bench/sides.ts for the native app_queue side of `npm run bench`.',
    '[general]',
    'static = yes',
    'writeprotect = yes',
    '',
    '[globals]',
    '',
    '[from-trunk]',
    // `i`: answer without waiting for the caller's first media frame (plain Answer() waits up to 500 ms for
    // it), which is what the service's ARI answer does.
    'exten => _[+0-9a-zA-Z*#]!,1,Answer(,i)',
    ` same => n,Queue(${QUEUE_ID})`,
    ' same => n,Hangup()',
    'exten => h,1,NoOp(hung up)',
    '',
    '[from-agents]',
    'exten => h,1,NoOp(hung up)',
    '',
  ].join('\n');
}

export async function startNative(p: BenchParams, workDir: string): Promise<SideUnderTest> {
  const dataDir = join(workDir, 'native-data');
  mkdirSync(dataDir, { recursive: true });
  const asterisk = await startSandbox(parseConfig(rawConfig(p, dataDir, 'native')), 'bench-native', {
    'queues.conf': nativeQueuesConf(p),
    'extensions.conf': nativeExtensionsConf(),
  });
  const members = await asterisk.cli(`queue show ${QUEUE_ID}`);
  const count = (members.match(/PJSIP\/a\d+/g) ?? []).length;
  if (count !== p.agents)
    throw new Error(`native queue has ${count} members, expected ${p.agents}:\n${members}`);
  // Diagnosis only: an idle AMI session, as the service holds one, to size what it costs Asterisk.
  let ami: AmiClient | undefined;
  if (process.env.BENCH_NATIVE_AMI === '1') {
    ami = new AmiClient({
      host: '127.0.0.1',
      port: SIDE_PORTS.native.ami,
      user: 'contact-center',
      secret: SECRET,
      logger: pino({ level: 'warn' }),
    });
    ami.open();
    await until(async () => ami!.isConnected, 10_000, 'AMI session on the native side');
  }
  return {
    name: 'native',
    asterisk,
    sipPort: SIDE_PORTS.native.sip,
    pids: { asterisk: asterisk.pid! },
    async stop() {
      ami?.close();
      await asterisk.stop();
      cleanInstance(asterisk, ['spool']);
    },
  };
}

// ---- helpers

export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export async function activeChannels(sandbox: AsteriskSandbox): Promise<number> {
  const out = await sandbox.cli('core show channels count').catch(() => '');
  return Number(/(\d+) active channel/.exec(out)?.[1] ?? Number.NaN);
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
