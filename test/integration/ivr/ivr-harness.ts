/**
 * Helpers for the IVR integration tests: a temp copy of the flows directory made runnable at any hour
 * against a local CRM, a tiny CRM (data-dip) server, and SIPp IVR callers whose keys and timing are
 * rendered into a copy of test/sipp/ivr-caller*.xml per call (SIPp takes no variables in `exec` or
 * `pause` attributes, so `-key` cannot choose the digit).
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from '../../../scripts/sandbox/paths.js';
import { getJson } from '../harness/service.js';
import { runSipp, type SippResult } from '../harness/sipp.js';

export const SIPP_SHARE = '/usr/share/sip-tester';

/** What a SIPp caller does after the call is answered, in order. */
export type CallerAction =
  | { pause: number }
  /** One RFC 2833 key from SIPp's pcaps (~140 ms on the wire). */
  | { key: string }
  /** ~7 s of speech (SIPp's g711a.pcap, PCMA). */
  | { speak: true };

export interface IvrCallerRun {
  /** ivr-caller: stays on until the service hangs up; ivr-caller-hangs-up: sends BYE after the actions. */
  scenario: 'ivr-caller' | 'ivr-caller-hangs-up';
  caller: string;
  dialed: string;
  actions: CallerAction[];
  timeoutSeconds?: number;
}

export type SippOutcome = SippResult;

const DTMF_EVENT: Record<string, number> = { '*': 10, '#': 11 };

/**
 * SIPp's dtmf_2833_<key>.pcap, renumbered as the `index`-th key of a call. Every shipped pcap carries
 * one fixed RTP timestamp per digit (one capture cut up), so the same key twice looks to Asterisk
 * like a retransmission of one event, and a key whose sequence numbers are lower than the previous
 * key's is dropped as old. Each key gets sequence numbers and a timestamp after the previous one's.
 */
function dtmfPcap(dir: string, key: string, index: number): string {
  const name = key === '#' ? 'pound' : key === '*' ? 'star' : key;
  const pcap = Buffer.from(readFileSync(join(SIPP_SHARE, `dtmf_2833_${name}.pcap`)));
  const event = DTMF_EVENT[key] ?? Number(key);
  let off = 24; // pcap global header
  let n = 0;
  while (off + 16 <= pcap.length) {
    const incl = pcap.readUInt32LE(off + 8);
    const pkt = off + 16;
    const udp = pkt + 14 + 20; // Ethernet + IPv4 (no options in these captures)
    const rtp = udp + 8;
    pcap.writeUInt16BE(0, udp + 6); // UDP checksum: none (the payload changes)
    pcap.writeUInt16BE((1000 + index * 40 + n) & 0xffff, rtp + 2);
    pcap.writeUInt32BE(160_000 + index * 16_000, rtp + 4);
    pcap.writeUInt8(event, rtp + 12);
    off = pkt + incl;
    n++;
  }
  const file = join(dir, `key-${index}-${name}.pcap`);
  writeFileSync(file, pcap);
  return file;
}

function renderActions(dir: string, actions: CallerAction[]): string {
  let keys = 0;
  return actions
    .map((a) => {
      if ('pause' in a) return `  <pause milliseconds="${a.pause}"/>`;
      if ('key' in a) {
        // The pcap plays in the background; the pause keeps two keys from overlapping.
        const file = dtmfPcap(dir, a.key, keys++);
        return `  <nop><action><exec play_pcap_audio="${file}"/></action></nop>\n  <pause milliseconds="300"/>`;
      }
      return `  <nop><action><exec play_pcap_audio="${join(SIPP_SHARE, 'g711a.pcap')}"/></action></nop>`;
    })
    .join('\n');
}

/** Runs one IVR caller (one SIPp process, one call) to completion; its key presses are rendered per call. */
export function runIvrCaller(run: IvrCallerRun): Promise<SippOutcome> {
  return runSipp({
    scenario: run.scenario,
    dialed: run.dialed,
    callers: [run.caller],
    timeoutSeconds: run.timeoutSeconds ?? 90,
    transform: (template, dir) => {
      if (!template.includes('<!-- KEYS -->'))
        throw new Error(`${run.scenario}.xml has no <!-- KEYS --> marker`);
      return template.replace('<!-- KEYS -->', renderActions(dir, run.actions));
    },
  });
}

/**
 * Copies ivr-flows/ to a temp dir. The shipped `main` is made to run at any hour (open all week, no
 * holidays) and to look callers up in the local CRM at `crmBase` instead of http://crm.internal.
 */
export function prepareFlowsDir(crmBase: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cc-flows-'));
  const src = join(REPO_DIR, 'ivr-flows');
  for (const name of readdirSync(src)) copyFileSync(join(src, name), join(dir, name));
  const main = join(dir, 'main.ts');
  const text = readFileSync(main, 'utf8');
  const patched = text
    .replace(
      /weekly: \{[^}]*\}/,
      `weekly: { ${['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => `${d}: ['00:00-24:00']`).join(', ')} }`,
    )
    .replace(/holidays: \[[\s\S]*?\n {6}\],/, 'holidays: [],')
    .replace('http://crm.internal', crmBase);
  if (patched === text || patched.includes('crm.internal') || !patched.includes('holidays: []')) {
    throw new Error('ivr-flows/main.ts changed shape: update prepareFlowsDir');
  }
  writeFileSync(main, patched);
  return dir;
}

/** A CRM answering `GET /api/customers/by-phone/<number>`; records what it was asked. */
export async function startCrm(
  answer: (caller: string) => { status: number; body?: unknown; delayMs?: number },
): Promise<{ base: string; asked: string[]; close: () => Promise<void> }> {
  const asked: string[] = [];
  const server: Server = createServer((req, res) => {
    const m = /^\/api\/customers\/by-phone\/(.+)$/.exec(req.url ?? '');
    const caller = m ? decodeURIComponent(m[1]!) : '';
    asked.push(caller);
    const a = m ? answer(caller) : { status: 404 };
    setTimeout(() => {
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body ?? {}));
    }, a.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    asked,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  payload: Record<string, unknown>;
}
export interface Interaction {
  id: string;
  state: string;
  direction: string;
  callerNumber: string | null;
  dialedNumber: string | null;
  disposition: string | null;
  endedBy: string | null;
  queueId: string | null;
  ivrPath: string[];
  callerData: Record<string, unknown>;
  recording: string | null;
  csat: number | null;
  wrapUpCode?: string | null;
  notes?: string | null;
  timeline: TimelineEntry[];
}

/** The interactions of one caller number (newest first), with timelines; read as a supervisor. */
export async function interactionsOf(
  base: string,
  callerNumber: string,
  direction = 'inbound',
  token?: string,
) {
  const list = await getJson<{ items: { id: string }[] }>(
    `${base}/api/interactions?callerNumber=${encodeURIComponent(callerNumber)}&direction=${direction}`,
    token,
  );
  return Promise.all(
    list.body.items.map(
      async (i) => (await getJson<Interaction>(`${base}/api/interactions/${i.id}`, token)).body,
    ),
  );
}

export const steps = (i: Interaction) => i.timeline.filter((e) => e.type === 'ivr.step');
export const stepOf = (i: Interaction, stepId: string) =>
  i.timeline.find((e) => e.type === 'ivr.step' && e.payload.stepId === stepId);
