/**
 * The real parts every seat test starts, in one place: Asterisk 22 from the sandbox root (its own instance),
 * the service as its own process with the test's settings, and headless Chromium; plus typed reads of an
 * agent's seat and an interaction as the supervisor. Stop it in afterAll.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { ApiClient, type SeatState } from '../harness/api.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import { launchBrowser, type OpenOptions, openAgentPage } from '../harness/browser.js';
import {
  eventually,
  newDataDir,
  type ServiceProcess,
  serviceEnv,
  spawnService,
  waitHealthy,
  writeConfigFile,
} from '../harness/service.js';
import { waitPage } from './seat-harness.js';

/** A WebRTC agent of the seat tests: agent<n>, in the support queue unless told otherwise. */
export const seatAgent = (n: number, queues: string[] = ['support']) => ({
  id: `agent${n}`,
  name: `Agent ${n}`,
  transport: 'webrtc',
  password: `agent${n}-secret-pw`,
  queues: queues.map((queueId) => ({ queueId })),
});

/** The seat tests' usual settings: a support queue (longest idle, 15 s ring) on 500, these agents in it. */
export function supportQueueSettings(
  supervisorToken: string,
  agents: ReturnType<typeof seatAgent>[],
  wrapUpSeconds = 0,
): SeatSettings {
  return {
    supervisorToken,
    queues: [
      { id: 'support', name: 'Support', strategy: 'longest_idle', ringTimeoutSeconds: 15, wrapUpSeconds },
    ],
    agents,
    routes: [{ dialed: '500', queue: 'support' }],
  };
}

/** Logs the page's seat in with its button (in whatever state the service puts it). */
export async function logIn(page: Page): Promise<void> {
  await page.click('#seat-login');
  await waitPage(page, (s) => s.seat.type !== 'logged_out', 'seat logged in');
}

/** Logs the page's seat in with its button and makes it ready (a kept seat may come back not ready). */
export async function logInReady(rig: SeatRig, page: Page, agentId: string): Promise<void> {
  await logIn(page);
  if ((await rig.agentState(agentId)).type !== 'available') await page.keyboard.press('r');
  await waitPage(page, (s) => s.seat.type === 'available', 'ready');
}

/** Waits until the agent's seat (as the API has it) is in state `type`. */
export function untilAgentState(rig: SeatRig, agentId: string, type: string): Promise<true> {
  return eventually(
    async () => ((await rig.agentState(agentId)).type === type ? true : undefined),
    `${agentId} ${type}`,
  );
}

/**
 * Both pages' seats logged in with their buttons; `onBreak`'s set not ready (a break) through the API and
 * `ready`'s available, so the next caller of the queue reaches `ready`.
 */
export async function oneReadyOneOnBreak(
  rig: SeatRig,
  ready: { page: Page; agent: { id: string; password: string } },
  onBreak: { page: Page; agent: { id: string; password: string } },
): Promise<void> {
  await logIn(ready.page);
  await logIn(onBreak.page);
  const { id, password } = onBreak.agent;
  await rig.api.seat(id, await rig.api.signIn(id, password), 'not-ready', { reason: 'break' });
  if ((await rig.agentState(ready.agent.id)).type !== 'available') await ready.page.keyboard.press('r');
  await untilAgentState(rig, ready.agent.id, 'available');
}

export interface SeatSettings {
  supervisorToken: string;
  agents: { id: string; password: string }[];
  [field: string]: unknown;
}

/** What the tests read of an interaction; each test narrows it further. */
export interface SeatInteraction {
  id: string;
  state: string;
  direction: string;
  agentId: string | null;
  disposition: string | null;
  endedBy: string | null;
  holdSeconds: number | null;
  talkSeconds: number | null;
  callerNumber: string | null;
  recording: string | null;
  endedAt: string | null;
  notes: string | null;
  wrapUpCode: string | null;
  timeline: { type: string; at: string; payload: Record<string, unknown> }[];
}

export interface SeatRig {
  asterisk: AsteriskSandbox;
  service: ServiceProcess;
  api: ApiClient;
  /** Where Asterisk records and the service plays from (with `recordings: true`). */
  recordingsDir: string | undefined;
  /** Headless Chromium (absent when started with `browser: false`). */
  browser: Browser;
  /** The agent's softphone page, registered, with its API session and live event stream up. */
  openSeatPage(agent: { id: string; password: string }, options?: OpenOptions): Promise<Page>;
  agentState(agentId: string): Promise<SeatState>;
  interaction(id: string): Promise<SeatInteraction>;
  /** Waits until the interaction is closed; returns it with its timeline. */
  closed(id: string): Promise<SeatInteraction>;
  /**
   * Stops the service (SIGTERM) and starts it again on the same database, settings and port, as a deploy
   * does; resolves once it is healthy. `service` is the new process afterwards.
   */
  restartService(): Promise<void>;
  /** Hangs up what is left, closes the browser, stops the service and Asterisk. */
  stop(): Promise<void>;
}

export async function startSeatRig(
  instance: string,
  settings: SeatSettings,
  options: {
    recordings?: boolean;
    env?: Record<string, string>;
    browser?: boolean;
    /** Overrides of the `asterisk` config section Asterisk is rendered from (e.g. agentMediaTimeoutSeconds). */
    asterisk?: Record<string, unknown>;
    /** Overrides of the `http` config section (host, tls): Asterisk's TLS listener follows it. */
    http?: Record<string, unknown>;
  } = {},
): Promise<SeatRig> {
  const dataDir = newDataDir();
  const recordingsDir = options.recordings ? join(dataDir, 'recordings') : undefined;
  const config = testConfig({
    agents: settings.agents,
    ...(options.asterisk ? { asterisk: options.asterisk } : {}),
    ...(options.http ? { http: options.http } : {}),
  });
  const asterisk = await startAsterisk(config, instance, { recordingsDir });
  const spawn = () =>
    spawnService(
      serviceEnv(dataDir, {
        CC_CONFIG: writeConfigFile(dataDir, settings),
        ...(recordingsDir ? { CC_RECORDINGS_DIR: recordingsDir } : {}),
        ...options.env,
      }),
    );
  let service = spawn();
  await waitHealthy(service.baseUrl);
  const api = new ApiClient(service.baseUrl);
  const browser = options.browser === false ? (undefined as unknown as Browser) : await launchBrowser();
  const token = settings.supervisorToken;
  const interaction = async (id: string) =>
    (await api.request<SeatInteraction>('GET', `/api/interactions/${id}`, { token })).body;
  return {
    asterisk,
    get service() {
      return service;
    },
    api,
    recordingsDir,
    browser,
    async openSeatPage(agent, pageOptions = {}) {
      const page = await openAgentPage(browser, service.baseUrl, {
        agentId: agent.id,
        password: agent.password,
        ...pageOptions,
      });
      await waitPage(page, (s) => s.signedInToApi && s.streamUp, 'API session and live event stream');
      return page;
    },
    agentState: (agentId) => api.agentState(agentId, token),
    interaction,
    closed: (id) =>
      eventually(async () => {
        const i = await interaction(id);
        return i.state === 'closed' ? i : undefined;
      }, `interaction ${id} to close`),
    async restartService() {
      await service.stop();
      service = spawn();
      await waitHealthy(service.baseUrl);
    },
    async stop() {
      await asterisk.cli('channel request hangup all').catch(() => undefined);
      await browser?.close();
      await service.stop();
      await asterisk.stop();
    },
  };
}
