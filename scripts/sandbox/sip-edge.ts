import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import {
  chownSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Config } from '../../src/config/schema.js';
import {
  readSipEdgeTemplate,
  renderSipEdgeConfig,
  type SipEdgeSettings,
  sipEdgeSettings,
} from '../../src/telephony/sip-edge/kamailio-config.js';
import { sipOptionsRequest } from '../../src/telephony/sip-edge/probe.js';
import { logTail } from './log-tail.js';
import { REPO_DIR } from './paths.js';

/**
 * The SIP edge: Kamailio (Debian's package, on this machine) in front of the sandbox's Asterisk, with the
 * script rendered from sip-edge/kamailio.cfg into `dir`. Started after Asterisk and stopped before it.
 */
export class SipEdge {
  readonly settings: SipEdgeSettings;
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;

  constructor(
    config: Config,
    /** A host folder of its own: the rendered script, the dispatcher list, its log and PID file. */
    readonly dir: string,
  ) {
    const settings = sipEdgeSettings(config);
    if (!settings) throw new Error('the config has no sipEdge');
    this.settings = settings;
  }

  get logFile(): string {
    return join(this.dir, 'kamailio.log');
  }

  get pidFile(): string {
    return join(this.dir, 'kamailio.pid');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const kamailio = findKamailio();
    mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    const files = renderSipEdgeConfig(readSipEdgeTemplate(REPO_DIR), this.settings, {
      dir: this.dir,
      modulesDir: kamailioModulesDir(),
    });
    // Readable by the kamailio user it runs as (no secret in either).
    for (const [name, text] of Object.entries(files))
      writeFileSync(join(this.dir, name), text, { mode: 0o644 });
    const out = openSync(this.logFile, 'w');
    const args = ['-DD', '-E', '-f', join(this.dir, 'kamailio.cfg'), '-P', this.pidFile, '-Y', this.dir];
    // As root, Kamailio drops to the user Debian's package made for it (as Asterisk never runs as root),
    // which writes its PID file here.
    const user = process.getuid?.() === 0 ? userIds('kamailio') : undefined;
    if (user) {
      chownSync(this.dir, user.uid, user.gid);
      args.push('-u', 'kamailio', '-g', 'kamailio');
    }
    this.child = spawn(kamailio, args, { stdio: ['ignore', out, out], detached: true });
    const child = this.child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await this.waitAnswering(child);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      // -DD keeps the main process in the foreground; its children follow it.
      child.kill('SIGTERM');
      const stopped = await Promise.race([
        this.exited!.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref()),
      ]);
      if (!stopped) {
        killGroup(child.pid);
        await this.exited;
      }
    }
    rmSync(this.pidFile, { force: true });
  }

  /**
   * The PID of a Kamailio an earlier `start` left running in another process (the quick start's), if it
   * still runs. Kamailio leaves its PID file behind, so the number may be another process's by now.
   */
  static runningPid(dir: string): number | undefined {
    const file = join(dir, 'kamailio.pid');
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8'));
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kamailio') ? pid : undefined;
    } catch {
      return undefined; // gone
    }
  }

  /** Stops a Kamailio an earlier `start` left running (the quick start's stop); false when none was. */
  static stopByPidFile(dir: string): boolean {
    const pid = SipEdge.runningPid(dir);
    rmSync(join(dir, 'kamailio.pid'), { force: true });
    if (pid === undefined) return false;
    process.kill(pid, 'SIGTERM');
    return true;
  }

  /** Ready once it answers a SIP request (any answer: 200, 503 with no Asterisk up, 403 to a stranger). */
  private async waitAnswering(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 15_000;
    const family = isIP(this.settings.host) === 6 ? 'udp6' : 'udp4';
    const socket = createSocket(family);
    try {
      const answered = new Promise<void>((resolve) => socket.once('message', () => resolve()));
      await new Promise<void>((resolve) => socket.bind(0, this.settings.host, () => resolve()));
      const { port } = socket.address();
      while (Date.now() < deadline) {
        if (child.exitCode !== null) {
          throw new Error(
            `Kamailio exited during start-up (code ${child.exitCode}):\n${logTail(this.logFile)}`,
          );
        }
        const request = sipOptionsRequest({
          ...this.settings,
          localPort: port,
          callId: `ready-${Date.now()}`,
        });
        socket.send(request, this.settings.port, this.settings.host);
        const ok = await Promise.race([answered.then(() => true), sleep(200).then(() => false)]);
        if (ok) return;
      }
      throw new Error(
        `Kamailio did not answer on ${this.settings.host}:${this.settings.port} in 15 s:\n${logTail(this.logFile)}`,
      );
    } finally {
      socket.close();
    }
  }
}

function findKamailio(): string {
  for (const path of ['/usr/sbin/kamailio', '/usr/local/sbin/kamailio']) if (existsSync(path)) return path;
  throw new Error('Kamailio is not installed: run scripts/setup.sh (Debian package kamailio)');
}

/** Debian keeps the modules in a folder named after the CPU (x86_64-linux-gnu, aarch64-linux-gnu…). */
function kamailioModulesDir(): string {
  const lib = '/usr/lib';
  const triplet = readdirSync(lib).find((d) => existsSync(join(lib, d, 'kamailio', 'modules', 'tm.so')));
  if (!triplet) throw new Error('no Kamailio modules under /usr/lib/*/kamailio/modules');
  return join(lib, triplet, 'kamailio', 'modules');
}

function userIds(name: string): { uid: number; gid: number } | undefined {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
