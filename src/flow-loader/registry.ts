/**
 * FlowRegistry: loads IVR flows from a directory, refuses bad ones with `file:line: message`, keeps
 * the last good version serving, swaps good ones in atomically and reloads on change.
 *
 * Versioning: every served flow is a frozen object stamped with its content hash. `getFlow(id)`
 * always returns the current one; a call keeps the object it started with, so a reload never
 * changes a call that is already inside a flow.
 */
import { existsSync, type FSWatcher, watch as fsWatch } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type * as TS from 'typescript';
import { ts } from './typescript.js';
import { createHash } from 'node:crypto';
import type { ArchivedFlow, FlowArchive, FlowCheckMemo } from './archive.js';
import {
  type Catalogue,
  checkFlow,
  type Flow,
  type FlowIssue,
  isFlow,
  RESERVED_FLOW_IDS,
  withVersion,
} from '../ivr/index.js';
import { FlowCheckThread } from './check-thread.js';
import {
  contentHash,
  FlowModuleError,
  FlowTypeChecker,
  importTranspiled,
  type SourceProblem,
  transpileFlow,
} from './compile.js';

/** pino-compatible subset. */
export interface FlowLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface FlowFileStatus {
  /** Path for humans (relative to the working directory when below it). */
  readonly file: string;
  /** The last load attempt succeeded. */
  readonly ok: boolean;
  /** Id of the serving flow (or of the refused one, if nothing serves). */
  readonly flowId?: string;
  /** Content hash of the serving version; absent when nothing good was ever loaded. */
  readonly version?: string;
  /** ISO time the serving version went live. */
  readonly loadedAt?: string;
  /**
   * The serving version came from the archive at start-up: the file was refused and no version of it had
   * gone live in this run, so the last one that went live before the restart stands in.
   */
  readonly fromArchive?: boolean;
  /** Content hash of the last attempt. */
  readonly attemptedVersion: string;
  /** ISO time of the last attempt. */
  readonly checkedAt: string;
  /** `file:line: message` for each error of the last attempt. */
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  readonly problems: readonly SourceProblem[];
}

export type FlowRegistryEvent =
  | {
      readonly type: 'loaded';
      readonly file: string;
      readonly flowId: string;
      readonly version: string;
      readonly flow: Flow;
    }
  | {
      readonly type: 'refused';
      readonly file: string;
      readonly version: string;
      readonly errors: readonly string[];
      /** Version that keeps serving, if any. */
      readonly serving?: string;
    }
  | { readonly type: 'removed'; readonly file: string; readonly flowId: string };

export interface FlowRegistryOptions {
  /** Directory of `*.ts` flow files. Default `ivr-flows` under the working directory. */
  readonly dir?: string;
  /** What flows may refer to. `flows` is extended with the ids of the flows in the directory. */
  readonly catalogue?: Catalogue | (() => Catalogue | Promise<Catalogue>);
  /**
   * What outside the directory sends callers to a flow (a dialed-number route, a queue's after-call flow),
   * named: a flow whose file is deleted while something still does keeps serving its last version.
   */
  readonly usedElsewhere?: (flowId: string) => string[];
  readonly logger?: FlowLogger;
  /** Watcher debounce, ms. Default 150. */
  readonly debounceMs?: number;
  /** Where transpiled modules go. Default: a fresh temp dir, removed by `close()`. */
  readonly outDir?: string;
  /** Base for the paths in messages. Default the working directory. */
  readonly displayBase?: string;
  readonly onChange?: (event: FlowRegistryEvent) => void;
  /** Wall clock for `loadedAt`. */
  readonly now?: () => number;
  /**
   * Keeps every version that goes live, so a restart does not lose what was serving: a file refused at
   * start-up is served at its last good version, and a deleted flow other flows still go to comes back.
   */
  readonly archive?: FlowArchive;
  /**
   * Sources that passed the type check against today's flow API: those are not checked again (a restart
   * with unchanged flows skips the compiler's second or more). Every other check that passes is added.
   */
  readonly checkMemo?: FlowCheckMemo;
  /**
   * Type-check in a worker thread (the service): the compiler's work stays off the event loop the calls
   * run on. Without it (tests, the CLI) the check runs inline; so does `start`'s first load either way.
   */
  readonly typeCheckInThread?: boolean;
}

interface Serving {
  readonly flow: Flow;
  readonly version: string;
  readonly loadedAt: number;
  readonly fromArchive?: boolean;
}

interface FileState {
  readonly abs: string;
  serving?: Serving;
  status?: FlowFileStatus;
}

type Candidate =
  | {
      readonly ok: true;
      readonly abs: string;
      readonly version: string;
      readonly flow: Flow;
      readonly sf: TS.SourceFile;
      readonly source: string;
    }
  | {
      readonly ok: false;
      readonly abs: string;
      readonly version: string;
      readonly problems: SourceProblem[];
    };

const errorAt = (file: string, message: string, line = 1, column = 1): SourceProblem => ({
  file,
  line,
  column,
  message,
  severity: 'error',
});

const consoleLogger: FlowLogger = {
  info: (_o, m) => console.log(m),
  warn: (_o, m) => console.warn(m),
  error: (_o, m) => console.error(m),
};

function propertyName(name: TS.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)
    ? name.text
    : undefined;
}

/** Position in the source for a checker issue: the offending literal inside its step, else the step, else `export default`. */
export function locateIssue(sf: TS.SourceFile, issue: FlowIssue): number {
  let stepNode: TS.Node | undefined;
  let exportNode: TS.Node | undefined;
  const visit = (node: TS.Node): void => {
    if (ts.isExportAssignment(node)) exportNode = node;
    if (
      issue.stepId !== undefined &&
      !stepNode &&
      ts.isPropertyAssignment(node) &&
      propertyName(node.name) === issue.stepId &&
      ts.isObjectLiteralExpression(node.parent) &&
      ts.isPropertyAssignment(node.parent.parent) &&
      propertyName(node.parent.parent.name) === 'steps'
    ) {
      stepNode = node;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const literal = (root: TS.Node, value: string): number | undefined => {
    let pos: number | undefined;
    const find = (n: TS.Node): void => {
      if (pos !== undefined) return;
      if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && n.text === value)
        pos = n.getStart(sf);
      else ts.forEachChild(n, find);
    };
    find(root);
    return pos;
  };
  if (stepNode)
    return (issue.value !== undefined ? literal(stepNode, issue.value) : undefined) ?? stepNode.getStart(sf);
  if (issue.value !== undefined) {
    const pos = literal(sf, issue.value);
    if (pos !== undefined) return pos;
  }
  return exportNode ? exportNode.getStart(sf) : 0;
}

export class FlowRegistry {
  readonly dir: string;
  private readonly files = new Map<string, FileState>();
  private readonly byId = new Map<string, { flow: Flow; abs: string }>();
  /**
   * Flows whose file was deleted while other serving flows still go to them: kept serving (the callers
   * of those flows would otherwise be apologised to) until a file with that id is loaded again.
   */
  private readonly orphans = new Map<string, Flow>();
  /** Versions no longer serving that callers taken over after a restart were in (see `flowAt`). */
  private readonly pastVersions = new Map<string, Flow>();
  private readonly listeners = new Set<(e: FlowRegistryEvent) => void>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly logger: FlowLogger;
  private readonly now: () => number;
  private checker: FlowTypeChecker | undefined;
  private checkThread: FlowCheckThread | undefined;
  private checkInline = false;
  private watcher: FSWatcher | undefined;
  private outDir: string | undefined;
  private ownOutDir = false;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: FlowRegistryOptions = {}) {
    this.dir = path.resolve(opts.dir ?? 'ivr-flows');
    this.logger = opts.logger ?? consoleLogger;
    this.now = opts.now ?? Date.now;
    if (opts.onChange) this.listeners.add(opts.onChange);
  }

  /** Creates a registry, loads the directory and starts watching it. */
  static async start(opts: FlowRegistryOptions = {}): Promise<FlowRegistry> {
    const r = new FlowRegistry(opts);
    // The first load checks inline: nothing else runs yet, and a worker would first have to load the
    // compiler itself (about twice the wall time here).
    r.checkInline = true;
    try {
      await r.reloadAll();
    } finally {
      r.checkInline = false;
    }
    r.watch();
    return r;
  }

  /** Current version of a flow, or undefined. Hold on to the returned object for the whole call. */
  getFlow(id: string): Flow | undefined {
    return this.byId.get(id)?.flow ?? this.orphans.get(id);
  }

  /**
   * A given version of a flow: the serving one, or one that went live before and is kept in the archive
   * (compiled again and checked against today's queues, prompts and flows; undefined when it fails them,
   * was never seen, or is another flow's). A caller a restart found inside a flow carries on in it.
   */
  async flowAt(id: string, version: string): Promise<Flow | undefined> {
    const current = this.getFlow(id);
    if (current?.version === version) return current;
    const known = this.pastVersions.get(version);
    if (known) return known.id === id ? known : undefined;
    const kept = await this.fromArchive((a) => a.version(version));
    if (!kept || kept.flowId !== id) return undefined;
    return this.serialize(async () => {
      const c = await this.compileSource(path.join(this.dir, kept.file), kept.source);
      const base = await this.catalogue();
      const flows = new Set([...(base.flows ?? []), ...this.byId.keys(), ...this.orphans.keys()]);
      const errors = this.problemsOf(c, { ...base, flows }, new Map())
        .filter((p) => p.severity === 'error')
        .map((p) => this.format(p));
      if (!c.ok || errors.length > 0) {
        this.logger.warn(
          { flowId: id, version, errors },
          `flow '${id}' version ${version} cannot run any more: ${errors.join('; ')}`,
        );
        return undefined;
      }
      this.pastVersions.set(version, c.flow);
      return c.flow;
    });
  }

  /** All serving flows. */
  flows(): Flow[] {
    return [...this.byId.values()].map((v) => v.flow);
  }

  /** Per-file status (for `GET /api/flows`), sorted by file. */
  status(): FlowFileStatus[] {
    return [...this.files.values()]
      .flatMap((f) => (f.status ? [f.status] : []))
      .sort((a, b) => a.file.localeCompare(b.file));
  }

  /** Subscribes to loaded / refused / removed events; returns an unsubscribe function. */
  on(listener: (e: FlowRegistryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads (or re-checks) every `*.ts` file of the directory. */
  reloadAll(): Promise<FlowFileStatus[]> {
    return this.serialize(async () => {
      const names = await this.listFlowFiles();
      const present = new Set(names.map((n) => path.join(this.dir, n)));
      for (const abs of [...this.files.keys()]) if (!present.has(abs)) this.remove(abs);
      const candidates: Candidate[] = [];
      for (const abs of present) candidates.push(await this.compile(abs));
      await this.checkAndCommit(candidates);
      return this.status();
    });
  }

  /** Loads one file (path relative to the directory or absolute); a missing file is unloaded. */
  reloadFile(file: string): Promise<FlowFileStatus | undefined> {
    const abs = path.resolve(this.dir, file);
    return this.serialize(async () => {
      if (!existsSync(abs)) {
        this.remove(abs);
        // Its flow id is free now: a file refused as a duplicate of it (a rename by copy, then delete)
        // takes over, and the flows that go to it are checked again (their errors show in the status).
        const others = (await this.listFlowFiles()).map((n) => path.join(this.dir, n));
        const candidates: Candidate[] = [];
        for (const other of others) candidates.push(await this.compile(other));
        await this.checkAndCommit(candidates);
        return undefined;
      }
      await this.checkAndCommit([await this.compile(abs)]);
      return this.files.get(abs)?.status;
    });
  }

  /** Watches the directory and reloads changed files after `debounceMs`. */
  watch(): void {
    if (this.watcher || this.closed) return;
    const debounce = this.opts.debounceMs ?? 150;
    this.watcher = fsWatch(this.dir, (_event, filename) => {
      if (this.closed) return;
      const name = filename?.toString();
      if (name && !this.isFlowFileName(name)) return;
      const key = name ?? '*';
      const prev = this.timers.get(key);
      if (prev) clearTimeout(prev);
      this.timers.set(
        key,
        setTimeout(() => {
          this.timers.delete(key);
          if (this.closed) return;
          const job = name ? this.reloadFile(name) : this.reloadAll();
          job.catch((e: unknown) => this.logger.error({ err: e }, `flow reload failed: ${String(e)}`));
        }, debounce),
      );
    });
    this.watcher.on('error', (e) =>
      this.logger.error({ err: e, dir: this.dir }, `watching ${this.dir} failed: ${e.message}`),
    );
  }

  /** Stops watching, waits for a running load and removes the temp dir it created. */
  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    this.watcher = undefined;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.queue.catch(() => undefined);
    await this.checkThread?.close();
    if (this.ownOutDir && this.outDir) await rm(this.outDir, { recursive: true, force: true });
  }

  // ---- internals ----------------------------------------------------------------------------

  private serialize<R>(job: () => Promise<R>): Promise<R> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private isFlowFileName(name: string): boolean {
    const base = path.basename(name);
    return (
      base.endsWith('.ts') && !base.endsWith('.d.ts') && !base.startsWith('.') && !base.endsWith('.test.ts')
    );
  }

  private async listFlowFiles(): Promise<string[]> {
    const entries = await readdir(this.dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && this.isFlowFileName(e.name))
      .map((e) => e.name)
      .sort();
  }

  private display(abs: string): string {
    const rel = path.relative(this.opts.displayBase ?? process.cwd(), abs);
    return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
  }

  private format(p: SourceProblem): string {
    return `${this.display(p.file)}:${p.line}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`;
  }

  private emit(e: FlowRegistryEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.logger.error({ err }, `flow registry listener failed: ${String(err)}`);
      }
    }
  }

  private async getOutDir(): Promise<string> {
    if (!this.outDir) {
      if (this.opts.outDir) this.outDir = this.opts.outDir;
      else {
        this.outDir = await mkdtemp(path.join(os.tmpdir(), 'cc-ivr-flows-'));
        this.ownOutDir = true;
      }
    }
    return this.outDir;
  }

  private async compile(abs: string): Promise<Candidate> {
    let text: string;
    try {
      text = await readFile(abs, 'utf8');
    } catch (e) {
      return { ok: false, abs, version: '', problems: [errorAt(abs, `cannot read file: ${String(e)}`)] };
    }
    return this.compileSource(abs, text);
  }

  /** Type-checks, transpiles and imports `text` as the flow file `abs` (which need not exist). */
  private async compileSource(abs: string, text: string): Promise<Candidate> {
    const problem = (message: string, line = 1, column = 1) => errorAt(abs, message, line, column);
    const version = contentHash(text);
    this.checker ??= new FlowTypeChecker();
    const sf = this.checker.parse(abs, text);
    const serving = this.files.get(abs)?.serving;
    if (serving && serving.version === version)
      return { ok: true, abs, version, flow: serving.flow, sf, source: text };

    const typeProblems = await this.typeCheck(this.checker, abs, text);
    if (typeProblems.some((p) => p.severity === 'error'))
      return { ok: false, abs, version, problems: typeProblems };

    let mod: Record<string, unknown>;
    try {
      const js = transpileFlow(abs, text, this.checker.api.runtimeUrl);
      mod = await importTranspiled(await this.getOutDir(), path.basename(abs, '.ts'), version, js);
    } catch (e) {
      const at = e instanceof FlowModuleError ? e : undefined;
      return {
        ok: false,
        abs,
        version,
        problems: [
          problem(
            `flow module failed to load: ${e instanceof Error ? e.message : String(e)}`,
            at?.line,
            at?.column,
          ),
        ],
      };
    }
    const exported = mod.default;
    if (!isFlow(exported)) {
      const exp = sf.statements.find((s) => ts.isExportAssignment(s));
      const line = exp ? sf.getLineAndCharacterOfPosition(exp.getStart(sf)).line + 1 : 1;
      return {
        ok: false,
        abs,
        version,
        problems: [problem('the file must `export default defineFlow({ ... })`', line)],
      };
    }
    return { ok: true, abs, version, flow: withVersion(exported, version), sf, source: text };
  }

  /** The type check's problems, or none without running it when the memo has this source passing already. */
  private async typeCheck(checker: FlowTypeChecker, abs: string, text: string): Promise<SourceProblem[]> {
    const memo = this.opts.checkMemo;
    if (!memo) return (await this.runCheck(checker, abs, text)).problems;
    const source = createHash('sha256').update(text).digest('hex');
    const api = checker.apiFingerprint();
    // A memo that cannot be read costs only the check.
    if (await memo.passedBefore(source, api).catch(() => false)) return [];
    const { problems, apiOnly } = await this.runCheck(checker, abs, text);
    if (problems.length === 0 && apiOnly) {
      await memo.passed(source, api, this.now()).catch((error: unknown) => {
        this.logger.warn(
          { file: this.display(abs), err: error },
          `flow type check of ${this.display(abs)} not remembered: ${String(error)}`,
        );
      });
    }
    return problems;
  }

  /** The check itself: in the worker thread when asked for, inline if that thread fails. */
  private async runCheck(
    checker: FlowTypeChecker,
    abs: string,
    text: string,
  ): Promise<{ problems: SourceProblem[]; apiOnly: boolean }> {
    if (this.opts.typeCheckInThread && !this.checkInline && !this.closed) {
      if (!this.checkThread) {
        this.checkThread = new FlowCheckThread(checker.api);
        this.logger.info({}, 'flow type checks go on in a worker thread');
      }
      try {
        return await this.checkThread.checkAgainstApi(abs, text);
      } catch (error) {
        this.logger.warn(
          { file: this.display(abs), err: error },
          `flow type check of ${this.display(abs)} ran on the main thread: ${String(error)}`,
        );
      }
    }
    return checker.checkAgainstApi(abs, text);
  }

  private async catalogue(): Promise<Catalogue> {
    const c = this.opts.catalogue;
    return typeof c === 'function' ? await c() : (c ?? {});
  }

  private async checkAndCommit(candidates: Candidate[]): Promise<void> {
    const base = await this.catalogue();
    const batch = new Set(candidates.map((c) => c.abs));
    const flowIds = new Set(base.flows ?? []);
    for (const [id, v] of this.byId) if (!batch.has(v.abs)) flowIds.add(id);
    for (const c of candidates) if (c.ok) flowIds.add(c.flow.id);
    // Files with nothing serving in this run (a start-up) that are refused get their last good version
    // from the archive: flows that go to one that does not even compile are checked against that one.
    const archived = new Map<string, ArchivedFlow>();
    for (const c of candidates) {
      if (this.files.get(c.abs)?.serving) continue;
      const kept = await this.fromArchive((a) => a.lastGood(path.basename(c.abs)));
      if (!kept) continue;
      archived.set(c.abs, kept);
      if (!c.ok) flowIds.add(kept.flowId);
    }
    const catalogue: Catalogue = { ...base, flows: flowIds };

    // Flow ids already claimed: by serving files outside the batch, then by earlier files of the batch.
    const claimed = new Map<string, string>();
    for (const [id, v] of this.byId) if (!batch.has(v.abs)) claimed.set(id, v.abs);

    for (const c of candidates) {
      const problems = this.problemsOf(c, catalogue, claimed);
      let wentLive: (Candidate & { ok: true }) | undefined;
      const errors = problems.filter((p) => p.severity === 'error');
      const state = this.files.get(c.abs) ?? { abs: c.abs };
      this.files.set(c.abs, state);
      const checkedAt = new Date(this.now()).toISOString();
      if (c.ok && errors.length === 0) {
        const previous = state.serving;
        if (!previous || previous.version !== c.version || previous.fromArchive) {
          this.serve(state, { flow: c.flow, version: c.version, loadedAt: this.now() }, previous);
          this.logger.info(
            { file: this.display(c.abs), flowId: c.flow.id, version: c.version },
            `flow '${c.flow.id}' loaded from ${this.display(c.abs)} (${c.version})`,
          );
          wentLive = c;
        }
        claimed.set(c.flow.id, c.abs);
      } else {
        const lines = errors.map((p) => this.format(p));
        if (!state.serving) {
          const kept = archived.get(c.abs);
          const restored = kept ? await this.restore(c.abs, kept, catalogue, claimed) : undefined;
          if (restored) this.serve(state, restored, undefined);
        }
        if (state.serving) claimed.set(state.serving.flow.id, c.abs);
        const serving = state.serving
          ? ` (version ${state.serving.version}${state.serving.fromArchive ? ', the last good one before the restart,' : ''} keeps serving)`
          : '';
        this.logger.warn(
          { file: this.display(c.abs), errors: lines, serving: state.serving?.version },
          `flow file ${this.display(c.abs)} refused${serving}:\n${lines.join('\n')}`,
        );
        this.emit({
          type: 'refused',
          file: this.display(c.abs),
          version: c.version,
          errors: lines,
          ...(state.serving ? { serving: state.serving.version } : {}),
        });
      }
      const serving = state.serving;
      const flowId = serving?.flow.id ?? (c.ok ? c.flow.id : undefined);
      state.status = {
        file: this.display(c.abs),
        ok: c.ok && errors.length === 0,
        ...(flowId !== undefined ? { flowId } : {}),
        ...(serving ? { version: serving.version, loadedAt: new Date(serving.loadedAt).toISOString() } : {}),
        ...(serving?.fromArchive ? { fromArchive: true } : {}),
        attemptedVersion: c.version,
        checkedAt,
        errors: errors.map((p) => this.format(p)),
        warnings: problems.filter((p) => p.severity === 'warning').map((p) => this.format(p)),
        problems,
      };
      // After the status: a listener told of the load reads it as loaded.
      if (wentLive) await this.keepInArchive(wentLive);
    }
  }

  /** Puts `next` live for its file (replacing `previous`) and tells the listeners. */
  private serve(state: FileState, next: Serving, previous: Serving | undefined): void {
    state.serving = next;
    if (previous && previous.flow.id !== next.flow.id && this.byId.get(previous.flow.id)?.abs === state.abs) {
      this.byId.delete(previous.flow.id);
    }
    this.byId.set(next.flow.id, { flow: next.flow, abs: state.abs });
    this.orphans.delete(next.flow.id);
    this.emit({
      type: 'loaded',
      file: this.display(state.abs),
      flowId: next.flow.id,
      version: next.version,
      flow: next.flow,
    });
  }

  /** Checker and duplicate-id problems of one candidate against `catalogue`. */
  private problemsOf(
    c: Candidate,
    catalogue: Catalogue,
    claimed: ReadonlyMap<string, string>,
  ): SourceProblem[] {
    if (!c.ok) return c.problems;
    let problems: SourceProblem[];
    try {
      problems = checkFlow(c.flow, catalogue).map((issue) => {
        const { line, character } = c.sf.getLineAndCharacterOfPosition(locateIssue(c.sf, issue));
        return {
          file: c.abs,
          line: line + 1,
          column: character + 1,
          message: issue.message,
          severity: issue.severity,
        };
      });
    } catch (error) {
      // A step the type checker was told to trust (`as any`, @ts-nocheck) that is not a step at all:
      // this file is refused, the others and the service go on.
      problems = [
        {
          file: c.abs,
          line: 1,
          column: 1,
          message: `the flow could not be checked (a malformed step?): ${error instanceof Error ? error.message : String(error)}`,
          severity: 'error',
        },
      ];
    }
    if (RESERVED_FLOW_IDS.has(c.flow.id)) {
      const pos = locateIssue(c.sf, { severity: 'error', flowId: c.flow.id, message: '', value: c.flow.id });
      problems.push({
        file: c.abs,
        line: c.sf.getLineAndCharacterOfPosition(pos).line + 1,
        column: 1,
        message: `flow id '${c.flow.id}' is reserved for a flow the service runs itself: choose another`,
        severity: 'error',
      });
    }
    const owner = claimed.get(c.flow.id);
    if (owner !== undefined && owner !== c.abs) {
      const pos = locateIssue(c.sf, { severity: 'error', flowId: c.flow.id, message: '', value: c.flow.id });
      problems.push({
        file: c.abs,
        line: c.sf.getLineAndCharacterOfPosition(pos).line + 1,
        column: 1,
        message: `flow id '${c.flow.id}' is already used by ${this.display(owner)}`,
        severity: 'error',
      });
    }
    return problems;
  }

  /** Reads the archive; a failing archive is logged and treated as empty (the files still load). */
  private async fromArchive(read: (a: FlowArchive) => Promise<ArchivedFlow | undefined>) {
    const archive = this.opts.archive;
    if (!archive) return undefined;
    try {
      return await read(archive);
    } catch (error) {
      this.logger.error({ err: error }, `reading the flow archive failed: ${String(error)}`);
      return undefined;
    }
  }

  private async keepInArchive(c: Candidate & { ok: true }): Promise<void> {
    try {
      await this.opts.archive?.keep({
        file: path.basename(c.abs),
        flowId: c.flow.id,
        version: c.version,
        source: c.source,
        loadedAt: this.now(),
      });
    } catch (error) {
      this.logger.error(
        { err: error, file: this.display(c.abs), version: c.version },
        `flow version ${c.version} of ${this.display(c.abs)} not archived: ${String(error)}`,
      );
    }
  }

  /**
   * The archived last good version of a refused file, if it still passes today's checks (the catalogue may
   * have lost a queue since); flows it goes to that no file serves come back from the archive too.
   */
  private async restore(
    abs: string,
    kept: ArchivedFlow,
    catalogue: Catalogue,
    claimed: ReadonlyMap<string, string>,
  ): Promise<Serving | undefined> {
    const flow = await this.checkedFromArchive(abs, kept, catalogue, claimed, new Set());
    return flow && { flow, version: kept.version, loadedAt: kept.lastLoadedAt, fromArchive: true };
  }

  /** Compiles and checks an archived version; its missing `goto-flow` targets are restored as orphans first. */
  private async checkedFromArchive(
    abs: string,
    kept: ArchivedFlow,
    catalogue: Catalogue,
    claimed: ReadonlyMap<string, string>,
    restoring: Set<string>,
  ): Promise<Flow | undefined> {
    const c = await this.compileSource(abs, kept.source);
    const refuse = (why: string): undefined => {
      this.logger.warn(
        { file: kept.file, flowId: kept.flowId, version: kept.version },
        `the archived version ${kept.version} of flow '${kept.flowId}' (${kept.file}) cannot stand in: ${why}`,
      );
      return undefined;
    };
    if (!c.ok) return refuse(c.problems.map((p) => this.format(p)).join('; '));
    restoring.add(c.flow.id);
    const flows = new Set([...(catalogue.flows ?? []), ...this.orphans.keys(), ...restoring]);
    for (const step of Object.values(c.flow.steps)) {
      if (step.kind !== 'goto-flow' || flows.has(step.flowId)) continue;
      if (await this.restoreOrphan(step.flowId, kept.flowId, catalogue, claimed, restoring))
        flows.add(step.flowId);
    }
    const errors = this.problemsOf(c, { ...catalogue, flows }, claimed).filter((p) => p.severity === 'error');
    if (errors.length > 0) return refuse(errors.map((p) => this.format(p)).join('; '));
    return c.flow;
  }

  /** Brings back a flow whose file is gone while `usedBy` (itself from the archive) still goes to it. */
  private async restoreOrphan(
    flowId: string,
    usedBy: string,
    catalogue: Catalogue,
    claimed: ReadonlyMap<string, string>,
    restoring: Set<string>,
  ): Promise<boolean> {
    const kept = await this.fromArchive((a) => a.lastGoodOfFlow(flowId));
    if (!kept) return false;
    const flow = await this.checkedFromArchive(
      path.join(this.dir, kept.file),
      kept,
      catalogue,
      claimed,
      restoring,
    );
    if (!flow) return false;
    this.orphans.set(flowId, flow);
    this.logger.warn(
      { file: kept.file, flowId, version: kept.version, usedBy },
      `flow '${flowId}' has no file (${kept.file} was deleted), but flow '${usedBy}' still goes to it: its last version (${kept.version}) serves from the archive until a file with that id is loaded`,
    );
    return true;
  }

  private remove(abs: string): void {
    const state = this.files.get(abs);
    if (!state) return;
    this.files.delete(abs);
    const id = state.serving?.flow.id;
    if (id !== undefined && this.byId.get(id)?.abs === abs) {
      this.byId.delete(id);
      const flows = [...this.byId.values()]
        .filter((v) => Object.values(v.flow.steps).some((s) => s.kind === 'goto-flow' && s.flowId === id))
        .map((v) => this.display(v.abs));
      const users = [...flows, ...(this.opts.usedElsewhere?.(id) ?? [])];
      if (users.length > 0 && state.serving) {
        this.orphans.set(id, state.serving.flow);
        // A restart restores a flow's goto-flow targets from the archive; nothing restores one for a route.
        const afterRestart =
          flows.length > 0
            ? this.opts.archive
              ? ' (a restart brings it back from the archive)'
              : ' (or restart without it, and those flows are refused)'
            : ' (a restart without it drops it)';
        this.logger.warn(
          { file: this.display(abs), flowId: id, usedBy: users },
          `${this.display(abs)} deleted, but ${users.join(', ')} still go to flow '${id}': its last version keeps serving until a file with that id is loaded${afterRestart}`,
        );
        return;
      }
      this.logger.info(
        { file: this.display(abs), flowId: id },
        `flow '${id}' removed (${this.display(abs)} deleted)`,
      );
      this.emit({ type: 'removed', file: this.display(abs), flowId: id });
    }
  }
}
