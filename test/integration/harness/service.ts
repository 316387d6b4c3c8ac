import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect } from 'vitest';
import { REPO_DIR } from '../../../scripts/sandbox/paths.js';
import type { InteractionDto } from '../../../src/http/plugins/interactions/schemas.js';

export interface ServiceProcess {
  child: ChildProcess;
  baseUrl: string;
  dataDir: string;
  dbPath: string;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export const TEST_SECRET = 'integration-test-secret';

/** `GET /api/interactions/:id` as a test reads it: the timeline's payloads loosely typed. */
export type InteractionView = InteractionDto & {
  timeline: { seq: number; at: string; type: string; payload: Record<string, unknown> }[];
};

/** Environment for a service in a test: its own data directory and database, known secrets. */
export function serviceEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CC_DATA_DIR: dataDir,
    CC_DB_PATH: join(dataDir, 'contact-center.db'),
    CC_ARI_PASSWORD: TEST_SECRET,
    CC_AMI_SECRET: TEST_SECRET,
    CC_LOG_LEVEL: 'info',
    ...extra,
  };
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'cc-service-'));
}

/** Writes a config file into the data directory and returns its path (for CC_CONFIG). */
export function writeConfigFile(dataDir: string, config: object): string {
  const path = join(dataDir, 'config.json');
  // As testConfig gives Asterisk unless a test says otherwise: the service acts on desk phones' states only
  // while Asterisk asks them whether they are there, so both must agree.
  const asterisk = (config as { asterisk?: Record<string, unknown> }).asterisk;
  const agreed = Array.isArray(config)
    ? config
    : { ...config, asterisk: { deskPhoneQualifySeconds: 0, ...asterisk } };
  writeFileSync(path, JSON.stringify(agreed, null, 2));
  return path;
}

/** Every service this test file started, and how much of its output was already looked through. */
const started: { output: () => string; seen: number }[] = [];

/**
 * The log lines, since the last call, in which a service this file started said a timeline entry or a
 * stream event it wrote strays from its documented schema (the API would serve such an entry only as
 * undocumented). test/integration/setup.ts fails the test in which one appears.
 */
export function newSchemaMismatches(): string[] {
  const found: string[] = [];
  for (const service of started) {
    const out = service.output();
    // A line still being written stays for the next look.
    const end = out.lastIndexOf('\n') + 1;
    const lines = out.slice(service.seen, end).split('\n');
    service.seen = Math.max(service.seen, end);
    found.push(...lines.filter((line) => line.includes('"schemaMismatch":true')));
  }
  return found;
}

/**
 * With CC_TEST_SERVICE_LOGS=<dir>, each service's whole output is written there when it exits, named after
 * the test file (`seat-call.test.ts-2.log`: the file's second service), to look through its warnings.
 */
function keptLogName(n: number): string | undefined {
  const dir = process.env.CC_TEST_SERVICE_LOGS;
  if (!dir) return undefined;
  mkdirSync(dir, { recursive: true });
  return join(dir, `${basename(expect.getState().testPath ?? 'unknown')}-${n}.log`);
}

/**
 * How the service runs: from the build `scripts/test.sh` makes first (`CC_TEST_BUILT_SERVICE=1`), as
 * `scripts/start.sh` and the container run it (and up ~0.8 s sooner), or from the sources under tsx when a
 * file is run by hand, where no build may lag behind the sources.
 */
const SERVICE_ARGS =
  process.env.CC_TEST_BUILT_SERVICE === '1'
    ? [join(REPO_DIR, 'dist', 'src', 'main.js')]
    : ['--import', 'tsx', join(REPO_DIR, 'src', 'main.ts')];

/** Starts the real service as its own process. */
export function spawnService(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, SERVICE_ARGS, {
    cwd: REPO_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  started.push({ output: () => out, seen: 0 });
  const keepIn = keptLogName(started.length);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (keepIn) writeFileSync(keepIn, out);
      resolve(code);
    }),
  );
  const port = env.CC_HTTP_PORT ?? '3000';
  const host = !env.CC_HTTP_HOST || env.CC_HTTP_HOST === '0.0.0.0' ? '127.0.0.1' : env.CC_HTTP_HOST;
  return {
    child,
    baseUrl: `${env.CC_HTTP_TLS_CERT ? 'https' : 'http'}://${host}:${port}`,
    dataDir: env.CC_DATA_DIR ?? '',
    dbPath: env.CC_DB_PATH ?? '',
    output: () => out,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Waits until `check` returns a value (not undefined), or fails with what it last saw. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** GET as a supervisor: by default with TEST_SECRET, which tests configure as `supervisorToken` unless they name their own. */
export async function getJson<T = unknown>(
  url: string,
  token = TEST_SECRET,
): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as T };
}

/** The newest call from `caller` with its timeline, once closed (as a supervisor with TEST_SECRET). */
export async function closedCallFrom(baseUrl: string, caller: string): Promise<InteractionView> {
  return eventually(async () => {
    const { body } = await getJson<{ items: InteractionView[] }>(`${baseUrl}/api/interactions?limit=50`);
    const id = body.items.find((i) => i.callerNumber === caller)?.id;
    if (!id) return undefined;
    const detail = (await getJson<InteractionView>(`${baseUrl}/api/interactions/${id}`)).body;
    return detail.state === 'closed' ? detail : undefined;
  }, `the call from ${caller} to close`);
}

export async function waitHealthy(baseUrl: string, want: 'up' | 'degraded' = 'up'): Promise<void> {
  await eventually(async () => {
    const { body } = await getJson<{ status: string }>(`${baseUrl}/health`);
    return body.status === want ? true : undefined;
  }, `/health to be ${want}`);
}

/**
 * `settings` as the config file of a data directory (a fresh one unless given: a restart passes the one it
 * ran on, database included), the service started on it and healthy.
 */
export async function startService(
  settings: object,
  env: Record<string, string> = {},
  dataDir = newDataDir(),
): Promise<ServiceProcess> {
  const service = spawnService(
    serviceEnv(dataDir, { CC_CONFIG: writeConfigFile(dataDir, settings), ...env }),
  );
  await waitHealthy(service.baseUrl);
  return service;
}
