/**
 * `npm run bench:reports`: supervisors' reports over a long, busy interaction log.
 *
 * Seeds a database file (WAL, as the service opens it) with a year of a busy contact center's calls, queue
 * stays and agent state changes, then asks each report of the real HTTP app (every plugin, the real stores)
 * in its own child process, so the peak RSS it reports is that report's own. What matters besides the time
 * to answer: the service runs calls on the same event loop, so the longest stretch the loop was blocked
 * is how long every call's events (and every routing decision) waited behind the report.
 *
 * Writes bench/results/reports-<timestamp>.json and prints a table. Sizes from the environment:
 * REPORT_BENCH_DAYS (365), REPORT_BENCH_CALLS_PER_DAY (3000), REPORT_BENCH_AGENTS (40).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';
import { AgentEventLog } from '../src/store/agent-event-log.js';
import { migrateToLatest, openDatabase } from '../src/store/database.js';
import { InteractionLog } from '../src/store/interaction-log.js';
import { buildApi, SUPERVISOR } from '../test/unit/http/http-harness.js';
import { seededRandom } from '../test/unit/seeded-random.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const TIME_ZONE = 'America/New_York';
const QUEUES = ['sales', 'support', 'billing', 'retention'];
const DAY = 86_400_000;
const WITHHELD = 'anonymous';

interface Sizes {
  days: number;
  callsPerDay: number;
  agents: number;
}

function sizes(): Sizes {
  const n = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
    return value;
  };
  return {
    days: n('REPORT_BENCH_DAYS', 365),
    callsPerDay: n('REPORT_BENCH_CALLS_PER_DAY', 3000),
    agents: n('REPORT_BENCH_AGENTS', 40),
  };
}

const agentIds = (count: number) => Array.from({ length: count }, (_, i) => `bench${i + 1}`);

/** The last seeded day (a date of the site): reports end there. */
const LAST_DAY = '2026-11-30';
const dateOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * Calls spread over 08:00–20:00 New York time (13:00–01:00 UTC, near enough): 82% answered, 12% abandoned,
 * 6% flowed out to the next queue and answered there. Answered calls go to the agent free soonest, with
 * its offered → talking → wrap-up → available changes; every agent signs in, takes a break and signs out.
 */
async function seed(
  path: string,
  s: Sizes,
): Promise<{ interactions: number; visits: number; agentEvents: number }> {
  const { db, sqlite: raw } = openDatabase(path);
  await migrateToLatest(db);
  const addInteraction = raw.prepare(
    `insert into interactions (id, direction, state, caller_number, started_at, answered_at, ended_at, enqueued_at,
       connected_at, queue_id, agent_id, wait_seconds, talk_seconds, hold_seconds, wrap_seconds, disposition, abandoned,
       recording_path)
     values (?, 'inbound', 'closed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const addVisit = raw.prepare(
    'insert into queue_visits (interaction_id, queue_id, entered_at, answered_at, left_at, outcome) values (?, ?, ?, ?, ?, ?)',
  );
  const addChange = raw.prepare(
    'insert into agent_events (agent_id, at, from_state, to_state, reason, interaction_id) values (?, ?, ?, ?, ?, ?)',
  );
  const agents = agentIds(s.agents);
  const next = seededRandom(42);
  const firstDay = Date.parse(`${LAST_DAY}T13:00:00Z`) - (s.days - 1) * DAY;
  const counts = { interactions: 0, visits: 0, agentEvents: 0 };
  // One caller in ten withholds their number; the others are among 200,000 customers.
  const callerNumber = () =>
    next() < 0.1 ? WITHHELD : `+1555${String(Math.floor(next() * 200_000)).padStart(7, '0')}`;
  const change = (
    agent: string,
    at: number,
    from: string,
    to: string,
    reason: string | null,
    id: string | null,
  ) => {
    addChange.run(agent, at, from, to, reason, id);
    counts.agentEvents++;
  };
  raw.transaction(() => {
    for (let d = 0; d < s.days; d++) {
      const open = firstDay + d * DAY;
      const close = open + 12 * 3_600_000;
      const freeAt = new Map(agents.map((a) => [a, open]));
      for (const a of agents) {
        change(a, open - 60_000, 'logged_out', 'available', null, null);
        const lunch = open + (3 + next() * 4) * 3_600_000;
        change(a, lunch, 'available', 'not_ready', 'lunch', null);
        change(a, lunch + 1_800_000, 'not_ready', 'available', null, null);
      }
      const calls = Array.from({ length: s.callsPerDay }, () => open + next() * (close - open)).sort(
        (x, y) => x - y,
      );
      for (const enqueued of calls) {
        const id = `i${++counts.interactions}`;
        let queue = QUEUES[Math.floor(next() * QUEUES.length)] as string;
        const fate = next();
        const started = enqueued - 20_000; // the IVR before the queue
        if (fate < 0.12) {
          const left = enqueued + (5 + next() * 115) * 1000;
          addVisit.run(id, queue, enqueued, null, left, 'abandoned');
          addInteraction.run(
            id,
            callerNumber(),
            started,
            started,
            left,
            enqueued,
            null,
            queue,
            null,
            (left - enqueued) / 1000,
            null,
            null,
            null,
            'abandoned',
            1,
            null,
          );
          counts.visits++;
          continue;
        }
        let entered = enqueued;
        if (fate < 0.18) {
          const flowed = enqueued + 120_000;
          addVisit.run(id, queue, enqueued, null, flowed, 'flowed_out');
          counts.visits++;
          queue = QUEUES[(QUEUES.indexOf(queue) + 1) % QUEUES.length] as string;
          entered = flowed;
        }
        const answered = entered + next() * 60_000;
        let agent = agents[0] as string;
        for (const a of agents) if ((freeAt.get(a) as number) < (freeAt.get(agent) as number)) agent = a;
        const talk = 30 + next() * 570;
        const hold = next() < 0.2 ? next() * 60 : 0;
        const wrap = next() * 30;
        const ended = answered + talk * 1000;
        addVisit.run(id, queue, entered, answered, answered, 'answered');
        addInteraction.run(
          id,
          callerNumber(),
          started,
          started,
          ended,
          enqueued,
          answered,
          queue,
          agent,
          (answered - enqueued) / 1000,
          talk,
          hold,
          wrap,
          'handled',
          0,
          `recordings/${id}.wav`, // every answered call is recorded
        );
        counts.visits++;
        change(agent, answered - 2000, 'available', 'offered', null, id);
        change(agent, answered, 'offered', 'talking', null, id);
        change(agent, ended, 'talking', 'wrap_up', null, id);
        change(agent, ended + wrap * 1000, 'wrap_up', 'available', null, id);
        freeAt.set(agent, ended + wrap * 1000);
      }
      for (const a of agents) change(a, close + 60_000, 'available', 'logged_out', null, null);
    }
  })();
  raw.pragma('wal_checkpoint(TRUNCATE)');
  await db.destroy();
  return counts;
}

async function count(path: string): Promise<{ interactions: number; visits: number; agentEvents: number }> {
  const { db, sqlite } = openDatabase(path);
  const n = (table: string) =>
    (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  const counts = {
    interactions: n('interactions'),
    visits: n('queue_visits'),
    agentEvents: n('agent_events'),
  };
  await db.destroy();
  return counts;
}

interface Case {
  name: string;
  url: string;
}

function cases(s: Sizes): Case[] {
  const last = Date.parse(`${LAST_DAY}T12:00:00Z`);
  const from = (days: number) => dateOf(last - (Math.min(days, s.days) - 1) * DAY);
  return [
    { name: 'queues, a month by day', url: `/api/reports/queues?from=${from(31)}&to=${LAST_DAY}` },
    // 30 days: 31 days of hours across the end of daylight saving time would be one row over the limit.
    {
      name: 'queues, a month by hour',
      url: `/api/reports/queues?from=${from(30)}&to=${LAST_DAY}&interval=hour`,
    },
    { name: 'queues, a year by day', url: `/api/reports/queues?from=${from(365)}&to=${LAST_DAY}` },
    { name: 'agents, a month by day', url: `/api/reports/agents?from=${from(31)}&to=${LAST_DAY}` },
    {
      name: 'agents, a month by hour',
      url: `/api/reports/agents?from=${from(30)}&to=${LAST_DAY}&interval=hour`,
    },
    { name: 'agents, a year by day', url: `/api/reports/agents?from=${from(365)}&to=${LAST_DAY}` },
  ];
}

interface CaseResult {
  name: string;
  url: string;
  status: number;
  rows: number;
  ms: number;
  /** The longest the event loop went without running a timer while the report was worked out. */
  longestLoopBlockMs: number;
  baselineRssMb: number;
  peakRssMb: number;
}

/** In a child: one report through the real app, measured. */
async function runCase(database: string, c: Case, s: Sizes): Promise<CaseResult> {
  const api = await buildApi({
    timeZone: TIME_ZONE,
    database,
    moreAgentIds: agentIds(s.agents),
    moreQueueIds: QUEUES.filter((q) => q !== 'sales'),
  });
  // The app made ready and the route run once on one day, so the figures are the report's own work and not
  // the plugins' start-up or the first call's compiling.
  await api.app.ready();
  const warmUp = await api.app.inject({
    url: c.url.replace(/from=[^&]*/, `from=${LAST_DAY}`),
    headers: api.as(SUPERVISOR),
  });
  if (warmUp.statusCode !== 200) throw new Error(`warm-up: ${warmUp.statusCode} ${warmUp.body}`);
  global.gc?.();
  const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
  // A 1 ms timer stands in for the calls the service would be running meanwhile: the longest gap between
  // its ticks is how long an ARI event would have waited.
  let lastTick = performance.now();
  let longestGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - lastTick);
    lastTick = now;
  }, 1);
  const started = performance.now();
  const reply = await api.app.inject({ url: c.url, headers: api.as(SUPERVISOR) });
  const ms = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 5)); // the ticker sees the last stretch too
  clearInterval(ticker);
  const result: CaseResult = {
    name: c.name,
    url: c.url,
    status: reply.statusCode,
    rows: reply.statusCode === 200 ? (reply.json() as { rows: unknown[] }).rows.length : 0,
    ms: Math.round(ms),
    longestLoopBlockMs: Math.round(longestGap),
    baselineRssMb: Math.round(baselineRssMb),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  if (reply.statusCode !== 200) throw new Error(`${c.url}: ${reply.statusCode} ${reply.body}`);
  await api.app.close();
  return result;
}

async function main(): Promise<void> {
  const s = sizes();
  if (process.argv[2] === '--case') {
    const [database, index] = [process.argv[3] as string, Number(process.argv[4])];
    const c = cases(s)[index] as Case;
    process.stdout.write(`${JSON.stringify(await runCase(database, c, s))}\n`);
    process.exit(0); // the app's timers would keep the child alive
  }
  const dir = process.env.REPORT_BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'report-bench-'));
  mkdirSync(dir, { recursive: true });
  try {
    const database = join(dir, 'log.sqlite');
    // REPORT_BENCH_DIR keeps the seeded log for the next run (same sizes: it is not checked).
    const reuse = existsSync(database);
    const seedStarted = performance.now();
    const seeded = reuse ? await count(database) : await seed(database, s);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    console.log(
      `${reuse ? 'reused' : 'seeded'} ${seeded.interactions} calls, ${seeded.visits} queue stays, ${seeded.agentEvents} agent state changes over ${s.days} days in ${seedSeconds.toFixed(0)} s`,
    );
    const results: CaseResult[] = [];
    for (const [i, c] of cases(s).entries()) {
      const child = spawnSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--case', database, String(i)],
        { encoding: 'utf8', env: process.env, timeout: 600_000, maxBuffer: 16 * 2 ** 20 },
      );
      const line = child.stdout.trim().split('\n').at(-1) ?? '';
      if (child.status !== 0 || !line.startsWith('{')) {
        throw new Error(
          `${c.name} failed (exit ${child.status}, ${child.signal ?? 'no signal'}): ${child.stderr.slice(-2000)}`,
        );
      }
      results.push(JSON.parse(line) as CaseResult);
    }
    const reads = await serviceReads(database, s);
    const out = { at: new Date().toISOString(), sizes: s, timeZone: TIME_ZONE, seeded, results, reads };
    const resultsDir = join(HERE, 'results');
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `reports-${out.at.replaceAll(':', '-').replace('.', '-')}.json`);
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    console.log(reportTable(results));
    console.log("\nthe service's other reads on this log (each blocks the event loop for its whole time)");
    for (const r of reads) console.log(`${r.name.padEnd(58)} ${String(r.ms).padStart(7)} ms  ${r.rows} rows`);
    console.log(`written: ${file}`);
  } finally {
    if (!process.env.REPORT_BENCH_DIR) rmSync(dir, { recursive: true, force: true });
  }
}

/** A list page as the rows it read (its items). */
async function listed(page: Promise<{ items: unknown[] }>): Promise<unknown[]> {
  return (await page).items;
}

interface ReadResult {
  name: string;
  ms: number;
  rows: number;
}

/**
 * The reads the service makes at start-up, per call or per sweep, through the real stores, timed (each
 * is one synchronous SQLite query or a few: the event loop is held for all of it).
 */
async function serviceReads(database: string, s: Sizes): Promise<ReadResult[]> {
  const { db } = openDatabase(database);
  await migrateToLatest(db);
  const log = new InteractionLog(db);
  const agentLog = new AgentEventLog(db, log.commit);
  const today = Date.parse(`${LAST_DAY}T05:00:00Z`);
  const busiest = (await db
    .selectFrom('interactions')
    .select('caller_number')
    .where('caller_number', '!=', WITHHELD)
    .groupBy('caller_number')
    .orderBy((eb) => eb.fn.countAll(), 'desc')
    .limit(1)
    .executeTakeFirst()) ?? { caller_number: '' };
  const reads: [string, () => Promise<unknown[] | Map<unknown, unknown>>][] = [
    ["start-up: each agent's last state change (seats back)", () => agentLog.lastChanges(agentIds(s.agents))],
    ["start-up: each agent's queue calls today (fewest-calls)", () => log.queueCallsConnectedSince(today)],
    ['start-up: calls still open', () => log.listOpen()],
    ['start-up: callbacks still open', () => log.openCallbacks()],
    [
      "per call: screen pop, a customer's last 5 calls",
      () => log.recentOfNumber(busiest.caller_number ?? '', 5),
    ],
    ["per call: screen pop, a withheld number's last 5 calls", () => log.recentOfNumber(WITHHELD, 5)],
    [
      'retention sweep: 100 recordings older than 90 days',
      () => log.recordingsToExpire(today - 90 * DAY, 100),
    ],
    ['supervisor: interactions, newest 50 and total', () => listed(log.list({ limit: 50, offset: 0 }))],
    [
      'supervisor: abandoned calls, newest 50 and total',
      () => listed(log.list({ disposition: 'abandoned', limit: 50, offset: 0 })),
    ],
    [
      'supervisor: voicemails, newest 50 and total',
      () => listed(log.list({ direction: 'voicemail', limit: 50, offset: 0 })),
    ],
    [
      "supervisor: a queue's calls, newest 50 and total",
      () => listed(log.list({ queueId: 'sales', limit: 50, offset: 0 })),
    ],
  ];
  const results: ReadResult[] = [];
  for (const [name, read] of reads) {
    await setImmediate(); // each read timed on its own
    const started = performance.now();
    const value = await read();
    const ms = performance.now() - started;
    results.push({
      name,
      ms: Math.round(ms * 10) / 10,
      rows: value instanceof Map ? value.size : value.length,
    });
  }
  await log.commit.close(); // its write worker would keep the process alive
  await db.destroy();
  return results;
}

export function reportTable(results: readonly CaseResult[]): string {
  const head = ['report', 'rows', 'answer ms', 'loop blocked ms', 'RSS MB (start → peak)'];
  const lines = results.map((r) => [
    r.name,
    String(r.rows),
    String(r.ms),
    String(r.longestLoopBlockMs),
    `${r.baselineRssMb} → ${r.peakRssMb}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ');
  return [fmt(head), ...lines.map(fmt)].join('\n');
}

await main();
