import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { REPO_DIR } from '../../../scripts/sandbox/paths.js';

/** Debian's Chromium (package `chromium`); playwright-core never downloads a browser of its own here. */
export const CHROMIUM_PATH = process.env.CC_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags that make WebRTC work headless on loopback inside the test namespace (lab notes, gotchas 5 and 6):
 * a fake microphone granted without a prompt, 127.0.0.1 host candidates, no mDNS obfuscation, audio that
 * plays without a gesture; and no background networking (this machine's network is closed).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--disable-background-networking',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts headless Chromium. playwright's launch() gives every browser a fresh, empty user-data dir of
 * its own (removed on close); each agent page gets its own context (own cookies, own permissions).
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install Debian's chromium package (scripts/setup.sh)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface SoftphoneState {
  /** `desk`: an agent at a SIP desk phone, signed in to the service only (the page does not register). */
  registration: 'unregistered' | 'registering' | 'registered' | 'reconnecting' | 'failed' | 'desk';
  agentId: string;
  call: 'idle' | 'ringing' | 'connecting' | 'connected' | 'ended';
  caller: { number: string; name: string } | null;
  muted: boolean;
  autoAnswer: boolean;
  error: string | null;
  configLoaded: boolean;
}

export interface MediaStats {
  inboundPackets: number;
  outboundPackets: number;
  bytesReceived: number;
  bytesSent: number;
  iceState: string;
  dtlsState: string;
  audioLevel: number;
  /** Every byte the call's transport received (RTP, RTCP, STUN): tells "nothing arrives" from "dropped". */
  transportBytesReceived: number;
  inboundSsrcs: number[];
  /** UDP ports of the candidate pair in use: the page's and Asterisk's (0 while none is selected). */
  localPort: number;
  remotePort: number;
}

interface SoftphoneWindow {
  softphone: { state(): SoftphoneState; stats(): Promise<MediaStats> };
}

const logs = new WeakMap<Page, string[]>();

interface IceWatchWindow {
  __iceWatch: { pcs: RTCPeerConnection[]; log: string[] };
}

/**
 * Runs in every page before its own scripts: each RTCPeerConnection the page makes is kept (the last few),
 * and its ICE and connection state changes and local candidates are logged with the time, so a call
 * without media can tell where ICE stopped (see iceReport). The page's own code is untouched.
 */
function watchPeerConnections(): void {
  const Native = window.RTCPeerConnection;
  const w = window as unknown as IceWatchWindow;
  const watch: IceWatchWindow['__iceWatch'] = { pcs: [], log: [] };
  w.__iceWatch = watch;
  let made = 0;
  class WatchedPeerConnection extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      const n = made++;
      watch.pcs.push(this);
      if (watch.pcs.length > 4) watch.pcs.shift();
      const note = (what: string) => {
        watch.log.push(`${new Date().toISOString().slice(11, 23)} pc${n} ${what}`);
        if (watch.log.length > 200) watch.log.shift();
      };
      this.addEventListener('iceconnectionstatechange', () => note(`ice ${this.iceConnectionState}`));
      this.addEventListener('connectionstatechange', () => note(`connection ${this.connectionState}`));
      this.addEventListener('icecandidate', (e) =>
        note(`local candidate ${e.candidate?.candidate ?? '(end)'}`),
      );
    }
  }
  window.RTCPeerConnection = WatchedPeerConnection;
}

/**
 * The page's ICE story for a failure message: the state log, then per peer connection every candidate pair
 * (state, addresses, connectivity checks sent/answered, bytes) and the remote candidates its SDP offered.
 */
export function iceReport(page: Page): Promise<string> {
  return page
    .evaluate(async () => {
      const watch = (window as unknown as IceWatchWindow).__iceWatch;
      if (!watch) return '(no ICE watch in this page)';
      const lines = [...watch.log];
      for (const [i, pc] of watch.pcs.entries()) {
        const report = await pc.getStats();
        const byId = new Map<string, Record<string, unknown>>();
        report.forEach((entry) => {
          byId.set(entry.id, entry);
        });
        report.forEach((entry) => {
          if (entry.type !== 'candidate-pair') return;
          const local = byId.get(entry.localCandidateId);
          const remote = byId.get(entry.remoteCandidateId);
          lines.push(
            `pc ${i} of ${watch.pcs.length}, pair ${entry.state}${entry.nominated ? ' nominated' : ''}: ` +
              `${local?.address}:${local?.port} ${local?.candidateType}/${local?.protocol} → ` +
              `${remote?.address}:${remote?.port} ${remote?.candidateType}; checks sent ${entry.requestsSent}, ` +
              `answered ${entry.responsesReceived}, received ${entry.requestsReceived}; bytes ${entry.bytesSent}/${entry.bytesReceived}`,
          );
        });
        const offered = pc.remoteDescription?.sdp.match(/^a=candidate:.*$/gm) ?? [];
        lines.push(
          `pc ${i} (${pc.iceConnectionState}) remote SDP candidates: ${offered.join(' | ') || 'none'}`,
        );
      }
      return lines.join('\n');
    })
    .catch((error: unknown) => `(no ICE report: ${error})`);
}

/** What the page printed (console, page errors, failed requests): attach it to a failure message. */
export function pageLog(page: Page): string {
  return (logs.get(page) ?? []).join('\n');
}

export function softphoneState(page: Page): Promise<SoftphoneState> {
  return page.evaluate(() => (window as unknown as SoftphoneWindow).softphone.state());
}

export function softphoneStats(page: Page): Promise<MediaStats> {
  return page.evaluate(() => (window as unknown as SoftphoneWindow).softphone.stats());
}

export interface OpenOptions {
  autoAnswer?: boolean;
  viewport?: { width: number; height: number };
  /**
   * The fake microphone as it is, without Chromium's echo canceller, noise suppressor and gain control:
   * made for speech, they duck a test tone while the page hears another (double talk), so a test that
   * measures which tone reached whom asks for the raw signal.
   */
  rawMicrophone?: boolean;
  /** Accept the service's self-signed test certificate (https tests). */
  ignoreHTTPSErrors?: boolean;
}

/** Every getUserMedia audio request of the page without speech processing (see `rawMicrophone`). */
function rawMicrophone(): void {
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints?: MediaStreamConstraints) =>
    original(
      constraints?.audio
        ? {
            ...constraints,
            audio: {
              ...(typeof constraints.audio === 'object' ? constraints.audio : {}),
              echoCancellation: false,
              noiseSuppression: false,
              autoGainControl: false,
            },
          }
        : constraints,
    );
}

/** Opens /softphone/ in a fresh context and waits until the page has loaded its configuration. */
export async function openSoftphone(
  browser: Browser,
  baseUrl: string,
  options: OpenOptions = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    ignoreHTTPSErrors: options.ignoreHTTPSErrors ?? false,
  });
  const page = await context.newPage();
  await page.addInitScript(watchPeerConnections);
  if (options.rawMicrophone) await page.addInitScript(rawMicrophone);
  const lines: string[] = [];
  logs.set(page, lines);
  page.on('console', (message) => lines.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => lines.push(`[pageerror] ${error.message}`));
  page.on('requestfailed', (request) =>
    lines.push(`[requestfailed] ${request.url()} ${request.failure()?.errorText ?? ''}`),
  );
  const query = options.autoAnswer ? '?autoAnswer=1' : '';
  await page.goto(`${baseUrl}/softphone/${query}`);
  await page.waitForFunction(
    () => (window as unknown as Partial<SoftphoneWindow>).softphone?.state().configLoaded === true,
    undefined,
    { timeout: 10_000 },
  );
  return page;
}

/** Fills in the sign-in form like an agent would and waits for the outcome (registered or failed). */
export async function signIn(page: Page, agentId: string, password: string): Promise<SoftphoneState> {
  await page.fill('#agent-id', agentId);
  await page.fill('#password', password);
  await page.click('#sign-in-button');
  await page.waitForFunction(
    () => {
      const state = (window as unknown as SoftphoneWindow).softphone.state();
      return ['registered', 'failed', 'desk'].includes(state.registration);
    },
    undefined,
    { timeout: 15_000 },
  );
  return softphoneState(page);
}

export interface AgentPageOptions extends OpenOptions {
  agentId: string;
  password: string;
}

/** Opens the softphone, signs in and waits until it is registered (fails with what the page said). */
export async function openAgentPage(
  browser: Browser,
  baseUrl: string,
  options: AgentPageOptions,
): Promise<Page> {
  const page = await openSoftphone(browser, baseUrl, options);
  const state = await signIn(page, options.agentId, options.password);
  if (state.registration !== 'registered' && state.registration !== 'desk') {
    throw new Error(
      `${options.agentId} did not register: ${state.error ?? state.registration}\n${pageLog(page)}`,
    );
  }
  return page;
}

/** Waits until the page's call state is `want`. */
export async function waitForCallState(
  page: Page,
  want: SoftphoneState['call'],
  timeoutMs = 15_000,
): Promise<void> {
  await page.waitForFunction(
    (w) => (window as unknown as SoftphoneWindow).softphone.state().call === w,
    want,
    {
      timeout: timeoutMs,
    },
  );
}

/**
 * Polls the page's getStats() summary until packets flow both ways: inbound AND outbound packet counts
 * grow between two samples. Returns the first and last sample.
 */
export async function waitForMedia(
  page: Page,
  options: { timeoutMs?: number; minGrowth?: number } = {},
): Promise<{ first: MediaStats; last: MediaStats }> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const minGrowth = options.minGrowth ?? 10;
  const first = await softphoneStats(page);
  const deadline = Date.now() + timeoutMs;
  let last = first;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    last = await softphoneStats(page);
    if (
      last.inboundPackets - first.inboundPackets >= minGrowth &&
      last.outboundPackets - first.outboundPackets >= minGrowth
    ) {
      return { first, last };
    }
  }
  throw new Error(
    `no media both ways within ${timeoutMs} ms: first ${JSON.stringify(first)}, last ${JSON.stringify(last)}\n${pageLog(page)}\nICE:\n${await iceReport(page)}`,
  );
}

export const SCREENSHOT_DIR = join(REPO_DIR, 'test-results', 'screenshots');

/** Saves a full-page screenshot to test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Waits until the page's <audio> element (`selector`) has loaded its file far enough to know its length, as
 * a browser does before it can play: the file was fetched and decoded. Resolves with that length (seconds).
 */
export async function audioSeconds(page: Page, selector: string, timeout = 10_000): Promise<number> {
  const seconds = await page.waitForFunction(
    (s) => {
      const audio = document.querySelector<HTMLAudioElement>(s);
      return audio && Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : false;
    },
    selector,
    { timeout },
  );
  return (await seconds.jsonValue()) as number;
}
