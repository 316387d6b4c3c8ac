import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../../src/config/schema.js';
import { customSoundsDirInRoot } from '../../src/flow-loader/sounds.js';
import {
  renderAsteriskConfig,
  templateVars,
  tlsFilesIn,
} from '../../src/telephony/asterisk-config/render.js';
import { linkDirectory } from './link-directory.js';
import { logTail } from './log-tail.js';
import { writeHoldMusic } from './moh.js';
import { asteriskRootDir, REPO_DIR } from './paths.js';

const run = promisify(execFile);

export interface AsteriskSandboxOptions {
  config: Config;
  /** Name of this instance; each instance has its own etc/run/spool/log inside the shared root. */
  instance?: string;
  root?: string;
  templateDir?: string;
  /** A host folder bind-mounted as Asterisk's recording spool, so recordings land where the service reads them. */
  recordingsDir?: string;
  /**
   * A host folder of the contact center's own sounds, which Asterisk plays as `custom/<name>`: put where the
   * root's `sounds/custom` leads (bind-mounted, so a file added while Asterisk runs is found at once). The
   * root's instances share it: the first to start mounts it, the last to stop unmounts it.
   */
  customSoundsDir?: string;
  /**
   * Config files written after the templates are rendered, by file name (e.g. `queues.conf`): a name that
   * the templates also produce is replaced, any other is added. Used by the benchmark's native app_queue side.
   */
  extraConfig?: Record<string, string>;
}

/**
 * One Asterisk process running in the Debian sid root, with the configs rendered from asterisk-config/.
 * Several instances can share a root: only modules, sounds and binaries are shared.
 */
export class AsteriskSandbox {
  readonly root: string;
  readonly instance: string;
  /** Path of the instance directory as Asterisk sees it (inside the chroot). */
  readonly instanceDir: string;
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;

  constructor(private readonly options: AsteriskSandboxOptions) {
    this.root = options.root ?? asteriskRootDir();
    this.instance = options.instance ?? 'default';
    this.instanceDir = `/srv/contact-center/${this.instance}`;
  }

  /** Host path of a directory inside the instance (e.g. `spool/recording`). */
  hostPath(...parts: string[]): string {
    return join(this.root, this.instanceDir, ...parts);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get logFile(): string {
    return this.hostPath('log', 'console.log');
  }

  async start(): Promise<void> {
    if (!existsSync(join(this.root, '.contact-center-root'))) {
      throw new Error(`no Asterisk root at ${this.root}: run scripts/build-asterisk-root.sh first`);
    }
    if (this.options.recordingsDir) mkdirSync(this.options.recordingsDir, { recursive: true });
    this.writeConfig();
    if (!this.isOwnRoot) await mountProc(this.root);
    if (this.options.recordingsDir) {
      const spool = this.hostPath('spool', 'recording');
      // In a container the root is `/`: Asterisk sees the host's paths, and a bind mount would need
      // CAP_SYS_ADMIN, which a container does not have by default; a symlink does the same there.
      if (this.isOwnRoot) linkDirectory(spool, resolve(this.options.recordingsDir));
      else if (!isMounted(spool)) await run('mount', ['--bind', this.options.recordingsDir, spool]);
    }
    if (this.options.customSoundsDir) await this.placeCustomSounds(this.options.customSoundsDir);
    const out = openSync(this.logFile, 'w');
    // chroot execs asterisk, so the child's PID is Asterisk's own (lab notes, gotcha 10). Never -U root.
    const [command, args] = this.asterisk(['-f', '-n', '-C', this.confPath]);
    this.child = spawn(command, args, { stdio: ['ignore', out, out], detached: true });
    const child = this.child;
    this.exited = new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    writeFileSync(this.hostPath('run', 'sandbox.pid'), String(child.pid));
    await this.waitFullyBooted();
  }

  /** Runs an Asterisk CLI command against this instance and returns its output. */
  async cli(command: string): Promise<string> {
    const [asterisk, args] = this.asterisk(['-C', this.confPath, '-rx', command]);
    const { stdout } = await run(asterisk, args, { timeout: 15_000 });
    return stdout;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return this.cleanup();
    await this.cli('core stop now').catch(() => undefined);
    const stopped = await Promise.race([
      this.exited!.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref()),
    ]);
    if (!stopped) {
      child.kill('SIGKILL');
      await this.exited;
    }
    await this.cleanup();
  }

  /** Kills Asterisk without letting it shut down (for restart tests). */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** Asterisk runs in this machine's own root (the container image), not in a chroot of its own. */
  private get isOwnRoot(): boolean {
    return resolve(this.root) === '/';
  }

  /**
   * The command line running `asterisk` with `args` in the root: through chroot, or straight in the
   * container whose root it is, where the user (not root) may not chroot even into `/`.
   */
  private asterisk(args: string[]): [string, string[]] {
    return this.isOwnRoot ? ['asterisk', args] : ['chroot', [this.root, 'asterisk', ...args]];
  }

  private async cleanup(): Promise<void> {
    rmSync(this.hostPath('run', 'sandbox.pid'), { force: true });
    if (this.isOwnRoot) return; // nothing was mounted, and /proc is the container's own
    const spool = this.hostPath('spool', 'recording');
    if (this.options.recordingsDir && isMounted(spool)) await run('umount', [spool]).catch(() => undefined);
    if (await otherInstancesRunning(this.root)) return; // they keep /proc and the custom sounds
    await unmountIfMounted(join(this.root, 'proc'));
    if (this.options.customSoundsDir) await unmountIfMounted(await customSoundsDirInRoot(this.root));
  }

  private async placeCustomSounds(dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    const target = await customSoundsDirInRoot(this.root);
    if (this.isOwnRoot) return linkDirectory(target, resolve(dir));
    mkdirSync(target, { recursive: true });
    if (!isMounted(target)) await run('mount', ['--bind', resolve(dir), target]);
  }

  /** Where the root's Asterisk keeps its modules: the directory is named after the CPU (x86_64, aarch64…). */
  private modulesDir(): string {
    const lib = join(this.root, 'usr', 'lib');
    const triplet = existsSync(lib)
      ? readdirSync(lib).find((d) => existsSync(join(lib, d, 'asterisk', 'modules')))
      : undefined;
    return `/usr/lib/${triplet ?? 'x86_64-linux-gnu'}/asterisk/modules`;
  }

  private get confPath(): string {
    return `${this.instanceDir}/etc/asterisk.conf`;
  }

  private writeConfig(): void {
    for (const dir of ['etc', 'run', 'spool/recording', 'log', 'lib/keys', 'cache', 'moh']) {
      mkdirSync(this.hostPath(dir), { recursive: true });
    }
    const moh = this.hostPath('moh', 'chime.wav');
    if (!existsSync(moh)) writeHoldMusic(moh);
    const entityId = createHash('sha1')
      .update(this.instance)
      .digest()
      .subarray(0, 6)
      .toString('hex')
      .replace(/(..)(?!$)/g, '$1:');
    const vars = templateVars(this.options.config, {
      dir: this.instanceDir,
      entityId,
      mohDir: `${this.instanceDir}/moh`,
      modulesDir: this.modulesDir(),
    });
    const rendered = renderAsteriskConfig(
      this.options.templateDir ?? join(REPO_DIR, 'asterisk-config'),
      vars,
    );
    for (const [name, text] of Object.entries(this.options.extraConfig ?? {})) rendered.set(name, text);
    // The rendered files are the whole config: one an earlier render wrote from a template since removed
    // (or a test's extra file) would still be read by Asterisk.
    for (const name of readdirSync(this.hostPath('etc'))) {
      if (name.endsWith('.conf') && !rendered.has(name)) rmSync(this.hostPath('etc', name), { force: true });
    }
    for (const [name, text] of rendered) writeFileSync(this.hostPath('etc', name), text, { mode: 0o600 });
    const tls = this.options.config.http.tls;
    if (tls) {
      // Asterisk in its root cannot read the host's paths: it gets copies where http.conf points.
      mkdirSync(this.hostPath('etc', 'tls'), { recursive: true, mode: 0o700 });
      const files = tlsFilesIn(this.instanceDir);
      copyFileSync(tls.certFile, join(this.root, files.cert));
      copyFileSync(tls.keyFile, join(this.root, files.key));
      chmodSync(join(this.root, files.key), 0o600);
    }
  }

  private async waitFullyBooted(): Promise<void> {
    const deadline = Date.now() + 30_000;
    let lastError = '';
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null) {
        throw new Error(
          `Asterisk exited during start-up (code ${this.child?.exitCode}); see ${this.logFile}:\n${logTail(this.logFile)}`,
        );
      }
      try {
        await this.cli('core waitfullybooted');
        return;
      } catch (error) {
        lastError = (error as Error).message;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`Asterisk did not finish booting in 30 s: ${lastError}\n${logTail(this.logFile)}`);
  }
}

function isMounted(path: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === path);
}

async function mountProc(root: string): Promise<void> {
  const target = join(root, 'proc');
  if (!isMounted(target)) await run('mount', ['-t', 'proc', 'proc', target]);
}

/** Whether another instance in this root still runs (its PID file is there): it keeps the root's mounts. */
async function otherInstancesRunning(root: string): Promise<boolean> {
  const { stdout } = await run('sh', [
    '-c',
    `ls -d ${root}/srv/contact-center/*/run/sandbox.pid 2>/dev/null || true`,
  ]);
  return stdout.trim() !== '';
}

async function unmountIfMounted(target: string): Promise<void> {
  if (isMounted(target)) await run('umount', [target]).catch(() => undefined);
}
