/**
 * Runs FlowTypeChecker.checkAgainstApi in a worker thread of its own. A type check is synchronous compiler
 * work: over a second for the first one (the lib files, the flow API), tens of milliseconds for each later
 * edit. On the service's event loop that is a second in which no call event, ring or key press is handled;
 * in the worker the calls go on and the reload simply lands when its check does. The worker starts with the
 * first check and keeps its caches (the lib files stay parsed) until `close`.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FlowApiLocation, SourceProblem } from './compile.js';

export interface CheckRequest {
  readonly id: number;
  readonly fileName: string;
  readonly text: string;
}

export type CheckReply =
  | { readonly id: number; readonly ok: true; readonly problems: SourceProblem[]; readonly apiOnly: boolean }
  | { readonly id: number; readonly ok: false; readonly error: string };

export class FlowCheckThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: { problems: SourceProblem[]; apiOnly: boolean }) => void; reject: (e: Error) => void }
  >();

  constructor(private readonly api: FlowApiLocation) {}

  /** The check's problems, and whether it read nothing but the flow API (see FlowTypeChecker). */
  checkAgainstApi(fileName: string, text: string): Promise<{ problems: SourceProblem[]; apiOnly: boolean }> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref(); // while a check is out; an idle checker keeps no process alive
      worker.postMessage({ id, fileName, text } satisfies CheckRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    this.failAll(new Error('the flow type checker was closed'));
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // Run from source (tsx, vitest) the worker is TypeScript too and registers tsx's loader itself (an
    // `--import tsx` in the worker's execArgv is not applied to a worker's own modules on Node 20);
    // compiled, it is plain JavaScript.
    const fromSource = import.meta.url.endsWith('.ts');
    const file = new URL(`./check-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
    const options = { workerData: { api: this.api } };
    const worker = fromSource
      ? new Worker(
          `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); });`,
          { ...options, eval: true },
        )
      : new Worker(fileURLToPath(file), options);
    worker.on('message', (reply: CheckReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) waiting.resolve({ problems: reply.problems, apiOnly: reply.apiOnly });
      else waiting.reject(new Error(`flow type check failed: ${reply.error}`));
    });
    // A worker that died (out of memory, a compiler crash) fails what it had; the next check starts another.
    const gone = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(error);
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`the flow type checker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
