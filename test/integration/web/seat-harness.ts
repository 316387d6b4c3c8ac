/**
 * Helpers for the seat tests: a SIPp carrier caller that talks (loops a generated PCMU WAV as RTP) until
 * the far end hangs up, and page helpers over `window.softphone`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { softphoneStats, waitForMedia } from '../harness/browser.js';
import { pcmuWav } from '../harness/sipp.js';

const HERE = new URL('.', import.meta.url).pathname;

export interface TalkingCaller {
  /** Resolves when SIPp exits: 0 when the call ended with the far end's BYE. */
  exited: Promise<number | null>;
  stop(): void;
}

let nextPort = 5600;

/** One caller dialling `dialed` on the carrier trunk; it talks until the service hangs up (max `seconds`). */
export function talkingCaller(options: { number: string; dialed: string; seconds?: number }): TalkingCaller {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-seat-'));
  const seconds = options.seconds ?? 90;
  const scenario = readFileSync(join(HERE, 'sipp', 'caller-talks.xml'), 'utf8')
    .replaceAll('{{AUDIO}}', pcmuWav())
    .replaceAll('{{TIMEOUT_MS}}', String(seconds * 1000));
  writeFileSync(join(dir, 'caller-talks.xml'), scenario);
  writeFileSync(join(dir, 'callers.csv'), `SEQUENTIAL\n${options.number}\n`);
  const port = nextPort++;
  const child = spawn(
    'sipp',
    [
      '127.0.0.1:5060',
      '-sf',
      join(dir, 'caller-talks.xml'),
      '-inf',
      join(dir, 'callers.csv'),
      '-s',
      options.dialed,
      '-m',
      '1',
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-mp',
      String(24000 + (port % 100) * 10),
      '-timeout',
      `${seconds + 10}s`,
      '-nostdin',
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    exited,
    stop() {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export interface PageState {
  registration: string;
  call: string;
  /** Who the current call is with, as its INVITE named them (display name and number). */
  caller: { number: string; name: string } | null;
  seat: {
    type: string;
    reason: string;
    interactionId: string;
    until: number;
    since: number;
    notReadyAfter: string;
  };
  interactionId: string;
  sipInteractionId: string;
  /** Why the last call on the page ended, as it says ('' while it is on). */
  callEnd: string;
  /** My calls today as the list shows them (read while it is open). */
  myCalls: { id: string; who: string; what: string; number: string }[];
  sipReconnects: number;
  mediaPath: 'ok' | 'restoring' | 'lost';
  iceRestarts: number;
  pop: { contact: { name: string; notes: string | null } | null; recent: unknown[] } | null;
  streamUp: boolean;
  error: string | null;
  signedInToApi: boolean;
  stats: { handled: number } | null;
  placing: string;
  consult: { target: string; state: 'dialing' | 'connected' } | null;
  parties: { channelId: string; type: string; id: string; state: string }[];
}

type Softphone = { softphone: { state(): PageState } };

export function pageState(page: Page): Promise<PageState> {
  return page.evaluate(() => (window as unknown as Softphone).softphone.state());
}

/** Waits until the page's state satisfies `check` (given as a function source evaluated in the page). */
export async function waitPage(
  page: Page,
  check: (s: PageState) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<PageState> {
  const deadline = Date.now() + timeoutMs;
  let last: PageState | undefined;
  while (Date.now() < deadline) {
    last = await pageState(page);
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`page never reached: ${what}; last ${JSON.stringify(last)}`);
}

/**
 * Picks an agent in the page's transfer/consult/conference target list once they are free. The page reads
 * the list as it gets focus (an agent opening it) and keeps its states live from the stream, so it is opened
 * once: a colleague still busy then comes free on the open list.
 */
export async function selectAgentTarget(page: Page, agentId: string): Promise<void> {
  const option = `#transfer-target option[value="agent:${agentId}"]:not([disabled])`;
  // The list is disabled while an action on the call is under way (a party being dropped: its stream news
  // can come before the reply): focusing it then would not open it, and it would never be read.
  await page.waitForSelector('#transfer-target:not([disabled])', { timeout: 15_000 });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.focus('#transfer-target');
  await page.waitForSelector(option, { state: 'attached', timeout: 15_000 }).catch(() => {
    throw new Error(`agent ${agentId} never became a selectable target on the open list`);
  });
  await page.selectOption('#transfer-target', `agent:${agentId}`);
}

/**
 * waitForMedia, and when media does not flow both ways, the failure also says what Asterisk sent and
 * received per channel and what its bridges hold: a page that hears nothing while Asterisk's count of
 * packets sent to it stands still is Asterisk's side, not the browser's.
 */
export async function waitForMediaOrReport(
  page: Page,
  asterisk: AsteriskSandbox,
  options: { timeoutMs?: number; minGrowth?: number } = {},
): Promise<void> {
  try {
    await waitForMedia(page, options);
  } catch (error) {
    const report: string[] = [];
    for (const command of ['bridge show all', 'pjsip show channelstats']) {
      report.push(`${command}:\n${await asterisk.cli(command).catch((e: Error) => e.message)}`);
    }
    throw new Error(`${(error as Error).message}\n${report.join('\n')}`);
  }
}

/** Inbound RTP packets the page received over `ms` milliseconds. */
export async function inboundGrowth(page: Page, ms = 1500): Promise<number> {
  const first = await softphoneStats(page);
  await new Promise((r) => setTimeout(r, ms));
  const last = await softphoneStats(page);
  return last.inboundPackets - first.inboundPackets;
}

export interface TalkingCustomer {
  /** Every SIP message SIPp saw or sent (its -trace_msg log): read the INVITEs' From here. */
  messages(): string;
  stop(): Promise<void>;
}

/**
 * The customer side of the carrier trunk: a SIPp UAS on 127.0.0.1:<port> (the trunk's contact) that
 * answers each call, talks (PCMU tone) until Asterisk hangs up, and takes the next call.
 */
export function talkingCustomer(port = 5070): TalkingCustomer {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-customer-'));
  const scenario = readFileSync(join(HERE, 'sipp', 'callee-talks.xml'), 'utf8').replaceAll(
    '{{AUDIO}}',
    pcmuWav(),
  );
  writeFileSync(join(dir, 'callee-talks.xml'), scenario);
  const child = spawn(
    'sipp',
    [
      '-sf',
      join(dir, 'callee-talks.xml'),
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-mp',
      '26000',
      '-m',
      '100',
      '-nostdin',
      '-trace_msg',
      '-message_file',
      join(dir, 'messages.log'),
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    messages: () =>
      existsSync(join(dir, 'messages.log')) ? readFileSync(join(dir, 'messages.log'), 'utf8') : '',
    async stop() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
