import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from '../../../scripts/sandbox/paths.js';
import { muLawToneWav } from './wav.js';

export interface SippCall {
  /** test/sipp/<scenario>.xml */
  scenario: 'caller-hangs-up' | 'caller-waits' | 'caller-rejected' | string;
  /** The number dialed (the request URI user). */
  dialed?: string;
  /** Caller numbers, one per call in order (from the injection file). */
  callers?: string[];
  calls?: number;
  /** Concurrent calls at most. */
  limit?: number;
  /** Calls per second. */
  rate?: number;
  /** Length of <pause/> in ms (caller-hangs-up: how long after answer the caller hangs up). */
  pauseMs?: number;
  /** The caller's own address (the carrier's source address by default). */
  localIp?: string;
  target?: string;
  timeoutSeconds?: number;
  /** Extra -key name value pairs for the scenario. */
  keys?: Record<string, string>;
  /** Values for {{NAME}} placeholders in the scenario file (e.g. DIGIT for caller-presses-key). */
  fill?: Record<string, string>;
  /** Rewrites the scenario text for this run (given the run's temp folder, e.g. for generated pcaps). */
  transform?: (text: string, dir: string) => string;
  /** The caller talks once answered, like a real phone: a PCMU tone as RTP (scenarios with a `<pause/>`). */
  talks?: boolean;
  /**
   * How often a request other than INVITE (the caller's BYE) is sent again unanswered before the call
   * counts as failed; SIPp's default 5 gives up after about 15 s.
   */
  maxNonInviteRetrans?: number;
  /** SIP over one TCP connection instead of UDP (SIPp's `-t t1`). */
  tcp?: boolean;
}

export interface SippResult {
  exitCode: number;
  successful: number;
  failed: number;
  stderr: string;
}

/**
 * 30 s of a 440 Hz tone as a μ-law WAV (format tag 7): what SIPp's rtp_stream plays (lab notes, 13).
 * `volume` 0 is silence, as a phone sends while its user says nothing.
 */
export function pcmuWav(volume = 0.5): string {
  const path = join(tmpdir(), volume === 0.5 ? 'cc-seat-tone-pcmu.wav' : `cc-seat-tone-pcmu-${volume}.wav`);
  // Written here rather than by sox: a fresh machine need not have it (a run on one failed every test
  // with a talking caller).
  if (!existsSync(path)) writeFileSync(path, muLawToneWav(30, 440, volume));
  return path;
}

let nextPort = 5200 + (process.pid % 50) * 20;

/** Whether each UDP port can be bound on `ip` now (nothing else, a SIPp of an earlier file say, holds it). */
async function udpPortsFree(ip: string, ports: readonly number[]): Promise<boolean> {
  const sockets = ports.map(() => createSocket('udp4'));
  const bound = await Promise.all(
    sockets.map(
      (socket, i) =>
        new Promise<boolean>((resolve) => {
          socket.once('error', () => resolve(false));
          socket.bind(ports[i], ip, () => resolve(true));
        }),
    ),
  );
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  return bound.every(Boolean);
}

/**
 * A SIP port and a media base port (SIPp takes it and the next three) that are free: each file's sequence
 * starts from its process id, so two files' sequences may meet, and a SIPp an earlier file left running (a
 * caller still retrying its BYE) keeps its ports. Seen in a full run: four tests' callers never left SIPp.
 */
async function freeSippPorts(ip: string): Promise<{ sipPort: number; mediaPort: number }> {
  for (let tries = 0; tries < 200; tries++) {
    const sipPort = nextPort++;
    const mediaPort = 20000 + (nextPort % 500) * 20;
    if (await udpPortsFree(ip, [sipPort, mediaPort, mediaPort + 1, mediaPort + 2, mediaPort + 3]))
      return { sipPort, mediaPort };
    // Worth seeing in a run's output: something outlived its file, or two files' sequences met.
    console.warn(
      `SIPp: port ${sipPort} or media ${mediaPort}–${mediaPort + 3} on ${ip} is taken; trying the next`,
    );
  }
  throw new Error('no free UDP ports for SIPp after 200 tries');
}

/** Callers' SIPp processes still running: a file's end stops them (test/integration/setup.ts). */
const runningCallers = new Set<ChildProcess>();

/** Stops every caller's SIPp this file started and still runs, so none holds its ports into the next file. */
export function stopLeftoverCallers(): number {
  const left = runningCallers.size;
  for (const child of runningCallers) child.kill('SIGKILL');
  runningCallers.clear();
  return left;
}

/** Runs one SIPp process to completion (bounded by its own -timeout) and reports its counts. */
export async function runSipp(call: SippCall): Promise<SippResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'));
  const callers = call.callers ?? ['+15550100001'];
  let scenario = join(REPO_DIR, 'test', 'sipp', `${call.scenario}.xml`);
  if (call.fill || call.transform || call.talks) {
    let text = readFileSync(scenario, 'utf8');
    if (call.talks) {
      text = text.replace(
        '<pause/>',
        `<nop><action><exec rtp_stream="${pcmuWav()},-1,0"/></action></nop>\n  <pause/>`,
      );
    }
    for (const [name, value] of Object.entries(call.fill ?? {})) text = text.replaceAll(`{{${name}}}`, value);
    if (call.transform) text = call.transform(text, dir);
    scenario = join(dir, `${call.scenario}.xml`);
    writeFileSync(scenario, text);
  }
  writeFileSync(join(dir, 'callers.csv'), `SEQUENTIAL\n${callers.join('\n')}\n`);
  const { sipPort, mediaPort } = await freeSippPorts(call.localIp ?? '127.0.0.1');
  const timeout = call.timeoutSeconds ?? 60;
  const args = [
    call.target ?? '127.0.0.1:5060',
    '-sf',
    scenario,
    '-inf',
    join(dir, 'callers.csv'),
    '-s',
    call.dialed ?? '100',
    '-m',
    String(call.calls ?? 1),
    '-l',
    String(call.limit ?? 1),
    '-r',
    String(call.rate ?? 10),
    '-d',
    String(call.pauseMs ?? 300),
    '-i',
    call.localIp ?? '127.0.0.1',
    '-p',
    String(sipPort),
    '-mp',
    String(mediaPort),
    '-timeout',
    `${timeout}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_stat',
    '-stf',
    join(dir, 'stats.csv'),
    '-fd',
    '1',
  ];
  for (const [key, value] of Object.entries(call.keys ?? {})) args.push('-key', key, value);
  if (call.tcp) args.push('-t', 't1');
  if (call.maxNonInviteRetrans !== undefined)
    args.push('-max_non_invite_retrans', String(call.maxNonInviteRetrans));
  return new Promise((resolve) => {
    const child = execFile(
      'sipp',
      args,
      { timeout: (timeout + 10) * 1000, cwd: dir },
      (error, _stdout, stderr) => {
        runningCallers.delete(child);
        const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        const { successful, failed } = readCounts(join(dir, 'stats.csv'));
        resolve({ exitCode, successful, failed, stderr });
      },
    );
    runningCallers.add(child);
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

/**
 * SIPp's error log without its watchdog's warnings ("the minor watchdog timer 500ms has been tripped"): those
 * say SIPp itself waited for a CPU on a busy machine, not that a message went wrong. Empty when nothing else.
 */
function messageErrors(file: string): string {
  if (!existsSync(file)) return '';
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !/Overload warning: the (minor|major) watchdog timer/.test(line));
  return lines.some((line) => line.trim() !== '' && !line.startsWith('The following events occurred:'))
    ? lines.join('\n')
    : '';
}

export interface SippAgent {
  port: number;
  /** SIPp's error log: unexpected messages, retransmission timeouts (not its watchdog's warnings). */
  errors(): string;
  /** Stops the UAS and reports how many calls it completed. */
  stop(): Promise<{ successful: number; failed: number }>;
}

/**
 * A SIPp UAS standing in for an agent's desk phone on 127.0.0.1:<port> (the agent's static contact).
 * It handles up to `calls` calls, one at a time, until stopped.
 */
export function startSippAgent(options: {
  port: number;
  scenario:
    | 'agent-answers'
    | 'agent-no-answer'
    | 'callee-answers-hangs-up'
    | 'carrier-answers-via-edge'
    | 'callee-rings-then-answers'
    | 'callee-rings-answers-hangs-up'
    | 'callee-greets'
    | 'phone-out-of-service';
  calls?: number;
  pauseMs?: number;
  /** Files the scenario reads from its working directory (the audio it streams), by name. */
  files?: Record<string, Buffer>;
}): SippAgent {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-agent-'));
  for (const [name, bytes] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), bytes);
  const child = spawn(
    'sipp',
    [
      '-sf',
      join(REPO_DIR, 'test', 'sipp', `${options.scenario}.xml`),
      '-i',
      '127.0.0.1',
      '-p',
      String(options.port),
      '-mp',
      // 12000–19992: above Asterisk's RTP range (10100–10999), below the callers' (20000–29999) and the
      // kernel's ephemeral ports (32768+), where a client socket of anything else could already hold it
      // (seen in a full run: SIPp on 5311 could not bind 33110, and the agent's phone never answered).
      String(12000 + (options.port % 1000) * 8),
      '-m',
      String(options.calls ?? 1000),
      '-d',
      String(options.pauseMs ?? 1000),
      '-nostdin',
      '-trace_stat',
      '-stf',
      join(dir, 'stats.csv'),
      '-fd',
      '1',
      '-trace_err',
      '-error_file',
      join(dir, 'errors.log'),
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port: options.port,
    errors: () => messageErrors(join(dir, 'errors.log')),
    async stop() {
      if (child.exitCode === null) child.kill('SIGUSR1'); // SIPp writes its final statistics on this
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      return readCounts(join(dir, 'stats.csv'));
    },
  };
}
