/**
 * SIPp for the benchmark: a bounded caller run (bench/sipp/caller-rtp.xml: test/sipp/caller-hangs-up.xml
 * that also sends audio) and agent desk phones
 * (test/sipp/agent-answers.xml), both with `-trace_msg`, whose timestamped message logs are joined by the
 * caller's number to time each call (see README.md: what is measured).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from '../scripts/sandbox/paths.js';
import { muLawToneWav } from '../test/integration/harness/wav.js';

const scenario = (name: string) => join(REPO_DIR, 'test', 'sipp', `${name}.xml`);
const CALLER_SCENARIO = join(REPO_DIR, 'bench', 'sipp', 'caller-rtp.xml');

/** 1 s of a quiet 400 Hz tone as 8 kHz μ-law WAV (format tag 7), which SIPp's rtp_stream loops as PCMU. */
export function writeCallerAudio(path: string): void {
  writeFileSync(path, muLawToneWav(1, 400, 4000 / 32767));
}

export interface CallerRun {
  dir: string;
  target: string;
  dialed: string;
  callers: string[];
  rate: number;
  holdMs: number;
  /** Hard bound on the run (SIPp's own -timeout, and a kill 15 s later). */
  timeoutSeconds: number;
  port: number;
  mediaPort: number;
}

export interface CallerResult {
  exitCode: number;
  successful: number;
  failed: number;
  startedAt: number;
  endedAt: number;
  messageLog: string;
}

/**
 * Places `callers.length` calls at `rate` per second; each sends audio once answered and hangs up `holdMs`
 * after the answer.
 */
export function runCallers(run: CallerRun): Promise<CallerResult> {
  mkdirSync(run.dir, { recursive: true });
  writeFileSync(join(run.dir, 'callers.csv'), `SEQUENTIAL\n${run.callers.join('\n')}\n`);
  writeCallerAudio(join(run.dir, 'caller-audio.wav'));
  const messageLog = join(run.dir, 'caller-messages.log');
  const limit = Math.max(10, Math.ceil(run.rate * (run.holdMs / 1000 + 10)));
  const args = [
    run.target,
    '-sf',
    CALLER_SCENARIO,
    '-inf',
    join(run.dir, 'callers.csv'),
    '-s',
    run.dialed,
    '-m',
    String(run.callers.length),
    '-l',
    String(limit),
    '-r',
    String(run.rate),
    '-d',
    String(run.holdMs),
    '-i',
    '127.0.0.1',
    '-p',
    String(run.port),
    '-mp',
    String(run.mediaPort),
    '-timeout',
    `${run.timeoutSeconds}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_msg',
    '-message_file',
    messageLog,
    '-trace_err',
    '-error_file',
    join(run.dir, 'caller-errors.log'),
    '-trace_stat',
    '-stf',
    join(run.dir, 'caller-stats.csv'),
    '-fd',
    '1',
  ];
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const child = spawn('sipp', args, { cwd: run.dir, stdio: 'ignore' });
    const kill = setTimeout(() => child.kill('SIGKILL'), (run.timeoutSeconds + 15) * 1000);
    child.once('exit', (code, signal) => {
      clearTimeout(kill);
      const counts = readCounts(join(run.dir, 'caller-stats.csv'));
      resolve({
        exitCode: code ?? (signal ? -1 : 0),
        ...counts,
        startedAt,
        endedAt: Date.now(),
        messageLog,
      });
    });
  });
}

/** The last line of SIPp's statistics file holds the cumulative counters. */
function readCounts(file: string): { successful: number; failed: number } {
  try {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const header = lines[0]!.split(';');
    const last = lines[lines.length - 1]!.split(';');
    const get = (name: string) => Number(last[header.indexOf(name)] ?? Number.NaN);
    return { successful: get('SuccessfulCall(C)'), failed: get('FailedCall(C)') };
  } catch {
    return { successful: Number.NaN, failed: Number.NaN };
  }
}

export interface AgentPhones {
  ports: number[];
  pids: number[];
  /** Stops every UAS (SIGUSR1: finish current calls, flush logs, exit) and returns their message logs. */
  stop(): Promise<string[]>;
}

/**
 * One SIPp UAS (agent-answers.xml: 180, 100 ms, 200, waits for BYE) per port; several agents share a port
 * through their static contacts (sip:aN@127.0.0.1:port). Each handles any number of concurrent calls.
 */
export function startAgentPhones(dir: string, ports: number[], timeoutSeconds: number): AgentPhones {
  mkdirSync(dir, { recursive: true });
  const children: { child: ChildProcess; log: string; exited: Promise<void> }[] = ports.map((port, i) => {
    const log = join(dir, `agent-${port}-messages.log`);
    const child = spawn(
      'sipp',
      [
        '-sf',
        scenario('agent-answers'),
        '-i',
        '127.0.0.1',
        '-p',
        String(port),
        '-mp',
        String(31000 + i * 20),
        '-m',
        '1000000',
        '-timeout',
        `${timeoutSeconds}s`,
        '-nostdin',
        '-trace_msg',
        '-message_file',
        log,
        '-trace_err',
        '-error_file',
        join(dir, `agent-${port}-errors.log`),
        '-trace_stat',
        '-stf',
        join(dir, `agent-${port}-stats.csv`),
        '-fd',
        '1',
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return { child, log, exited };
  });
  return {
    ports,
    pids: children.map((c) => c.child.pid ?? 0),
    async stop() {
      for (const { child } of children) if (child.exitCode === null) child.kill('SIGUSR1');
      await Promise.race([
        Promise.all(children.map((c) => c.exited)),
        new Promise((r) => setTimeout(r, 5000)),
      ]);
      for (const { child } of children)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exited));
      return children.map((c) => c.log);
    },
  };
}

/** Waits until the UAS processes have bound their ports (SIPp writes its stats file header on start). */
export async function waitAgentPhonesUp(dir: string, ports: number[]): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (ports.every((p) => existsSync(join(dir, `agent-${p}-stats.csv`)))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---- message logs

export interface SipMessage {
  /** Wall-clock time SIPp logged it, in ms (same clock for every SIPp on this machine). */
  at: number;
  direction: 'sent' | 'received';
  /** Request method, or the response code as a string. */
  first: string;
  callId: string;
  cseqMethod: string;
  fromUser: string;
}

const SEPARATOR = /^-{20,} (\d{4})-(\d\d)-(\d\d)\s+(\d\d):(\d\d):(\d\d)\.(\d{1,6})\s*$/;

/** Parses a SIPp `-trace_msg` log: a dashed line with the time, a direction line, then the message. */
export function parseMessageLog(file: string): SipMessage[] {
  if (!existsSync(file)) return [];
  const out: SipMessage[] = [];
  let current: { at: number; lines: string[] } | undefined;
  const flush = () => {
    if (!current) return;
    const message = parseBlock(current.at, current.lines);
    if (message) out.push(message);
  };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = SEPARATOR.exec(line);
    if (m) {
      flush();
      const [, y, mo, d, h, mi, s, frac] = m;
      // Parsed as UTC on purpose: only differences between two SIPp logs of this machine are used.
      const at = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!) + Number(`0.${frac}`) * 1000;
      current = { at, lines: [] };
    } else if (current) {
      current.lines.push(line.replace(/\r$/, ''));
    }
  }
  flush();
  return out;
}

function parseBlock(at: number, lines: string[]): SipMessage | undefined {
  const head = lines.find((l) => l.trim() !== '');
  if (!head) return undefined;
  const direction = /received/i.test(head) ? 'received' : /sent/i.test(head) ? 'sent' : undefined;
  if (!direction) return undefined;
  const start = lines.findIndex((l) => /^(SIP\/2\.0 \d{3}|[A-Z]+ \S+ SIP\/2\.0)/.test(l));
  if (start < 0) return undefined;
  const startLine = lines[start]!;
  const first = startLine.startsWith('SIP/2.0') ? startLine.split(' ')[1]! : startLine.split(' ')[0]!;
  let callId = '';
  let cseqMethod = '';
  let fromUser = '';
  for (const l of lines.slice(start + 1)) {
    if (l === '') break;
    const colon = l.indexOf(':');
    if (colon < 0) continue;
    const name = l.slice(0, colon).trim().toLowerCase();
    const value = l.slice(colon + 1).trim();
    if (name === 'call-id' || name === 'i') callId = value;
    else if (name === 'cseq') cseqMethod = value.split(/\s+/)[1] ?? '';
    else if (name === 'from' || name === 'f') fromUser = /sips?:([^@;>]+)@/.exec(value)?.[1] ?? '';
  }
  return { at, direction, first, callId, cseqMethod, fromUser };
}

export interface CallerCall {
  callerNumber: string;
  inviteSent: number;
  answered?: number;
  /** The caller got a 503 instead (the service shed the call: overloaded). */
  refused?: number;
  byeSent?: number;
  byeConfirmed?: number;
}

/** Per call, from the caller's log: INVITE sent, 200 OK (INVITE) received, BYE sent, 200 OK (BYE) received. */
export function callerCalls(messages: SipMessage[]): CallerCall[] {
  const byId = new Map<string, CallerCall>();
  for (const m of messages) {
    let call = byId.get(m.callId);
    if (!call) {
      if (!(m.direction === 'sent' && m.first === 'INVITE')) continue;
      call = { callerNumber: m.fromUser, inviteSent: m.at };
      byId.set(m.callId, call);
      continue;
    }
    if (m.direction === 'received' && m.first === '200' && m.cseqMethod === 'INVITE') call.answered ??= m.at;
    else if (m.direction === 'received' && m.first === '503' && m.cseqMethod === 'INVITE')
      call.refused ??= m.at;
    else if (m.direction === 'sent' && m.first === 'BYE') call.byeSent ??= m.at;
    else if (m.direction === 'received' && m.first === '200' && m.cseqMethod === 'BYE')
      call.byeConfirmed ??= m.at;
  }
  return [...byId.values()];
}

export interface AgentLeg {
  callerNumber: string;
  ringing: number;
  answered?: number;
  byeReceived?: number;
}

/** Per agent leg, from the UAS logs: INVITE received (the phone rings), 200 OK sent, BYE received. */
export function agentLegs(messages: SipMessage[]): AgentLeg[] {
  const byId = new Map<string, AgentLeg>();
  for (const m of messages) {
    let leg = byId.get(m.callId);
    if (!leg) {
      if (!(m.direction === 'received' && m.first === 'INVITE')) continue;
      leg = { callerNumber: m.fromUser, ringing: m.at };
      byId.set(m.callId, leg);
      continue;
    }
    if (m.direction === 'sent' && m.first === '200' && m.cseqMethod === 'INVITE') leg.answered ??= m.at;
    else if (m.direction === 'received' && m.first === 'BYE') leg.byeReceived ??= m.at;
  }
  return [...byId.values()];
}
