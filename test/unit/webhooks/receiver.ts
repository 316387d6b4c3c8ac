/** A webhook receiver for the tests: a real HTTP server on 127.0.0.1 that answers as it is told. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  /** What it was answered (undefined while hanging, or never answered). */
  status?: number;
  /** Requests in flight here when it arrived, itself included. */
  concurrent: number;
  json: Record<string, unknown> & { interaction: Record<string, unknown>; event: Record<string, unknown> };
}

/** A webhook receiver: answers each request as `answer` says (status, or 'hang' to never answer). */
export class Receiver {
  readonly received: Received[] = [];
  answer: (
    r: Received,
    n: number,
  ) => number | 'hang' | { status: number; headers: Record<string, string>; body?: string } = () => 200;
  inFlight = 0;
  maxInFlight = 0;
  /** Requests answered, or left hanging. */
  private settled = 0;
  private readonly hung: ServerResponse[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  private server!: Server;
  url = '';

  async listen(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        const r: Received = { headers: req.headers, body, concurrent: 0, json: JSON.parse(body) };
        this.received.push(r);
        this.inFlight += 1;
        r.concurrent = this.inFlight;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        const answer = this.answer(r, this.received.length);
        const finish = () => {
          this.inFlight -= 1;
          this.notify();
        };
        if (answer === 'hang') {
          this.hung.push(res);
          res.on('close', () => (this.inFlight -= 1));
          this.notify(); // a hung request counts as arrived
          return;
        }
        const {
          status,
          headers,
          body: text,
        } = typeof answer === 'number' ? { status: answer, headers: {}, body: '' } : answer;
        // Answered a little later, so concurrent deliveries overlap here.
        setTimeout(() => {
          r.status = status;
          res.writeHead(status, headers).end(text ?? '');
          finish();
        }, 20);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/calls`;
    return this;
  }

  private notify(): void {
    this.settled += 1;
    for (const w of this.waiters.filter((w) => this.settled >= w.count)) w.resolve();
  }

  /** Resolves once `count` requests have been answered (or left hanging). */
  async until(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.settled >= count) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`receiver got ${this.received.length} of ${count}`)),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A port nothing listens on (one just let go). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
