import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import AsteriskManager from 'asterisk-manager';
import type { Logger } from 'pino';
import { Backoff } from '../backoff.js';

export interface AmiOptions {
  host: string;
  port: number;
  user: string;
  secret: string;
  logger: Logger;
  /** How long an action may wait for Asterisk's response before it fails (default 5 s). */
  actionTimeoutMs?: number;
  /**
   * While up, a Ping this often (ms; default 15000): a link that stopped answering (a half-open TCP
   * connection, a wedged manager) is dropped and dialled again instead of failing every action for ever.
   */
  pingMs?: number;
  /** A login not answered within this (ms; default 10000) is given up and dialled again. */
  loginTimeoutMs?: number;
}

/** One AMI event: header names lower-cased, as asterisk-manager delivers them. */
export type AmiEvent = Record<string, string> & { event: string };

interface AmiEvents {
  connected: [];
  disconnected: [reason: string];
  event: [event: AmiEvent];
}

// asterisk-manager's own keepConnected waits 10–60 s between tries and logs to the console, so each
// (re)connect here is a fresh manager object with this project's backoff and logger.
interface ManagerLike {
  on(event: string, listener: (...args: unknown[]) => void): void;
  connect(port: number, host: string, callback: (error?: Error) => void): void;
  login(callback: (error?: unknown) => void): void;
  action(
    action: Record<string, string>,
    callback: (error: unknown, response: Record<string, string>) => void,
  ): void;
  disconnect(): void;
  removeAllListeners(): void;
}
const createManager = AsteriskManager as unknown as (
  port?: number,
  host?: string,
  user?: string,
  secret?: string,
  events?: boolean,
) => ManagerLike;

/** AMI login and event stream, reconnecting with backoff. TestEvent noise is dropped (lab notes, gotcha 4). */
export class AmiClient extends EventEmitter<AmiEvents> {
  private manager: ManagerLike | undefined;
  private readonly backoff = new Backoff();
  private retryTimer: NodeJS.Timeout | undefined;
  private pinger: NodeJS.Timeout | undefined;
  private closed = false;
  private up = false;
  /** Pending list actions by action id: their events are theirs alone. */
  private readonly lists = new Map<string, (event: AmiEvent) => void>();

  constructor(private readonly options: AmiOptions) {
    super();
  }

  get isConnected(): boolean {
    return this.up;
  }

  open(): void {
    this.closed = false;
    this.dial();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.drop();
  }

  /** Sends one action and resolves with Asterisk's response. */
  action(action: Record<string, string>): Promise<Record<string, string>> {
    const manager = this.manager;
    if (!manager || !this.up) return Promise.reject(new AmiNotConnected('AMI is not connected'));
    const timeoutMs = this.options.actionTimeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      // A response that never comes (a wedged connection) fails the action instead of leaving it pending.
      const timer = setTimeout(
        () =>
          reject(
            new AmiTimeout(`AMI did not answer ${action.Action ?? 'the action'} within ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      manager.action(action, (error, response) => {
        clearTimeout(timer);
        if (error) reject(toError(error));
        else resolve(response);
      });
    });
  }

  /**
   * Sends an action Asterisk answers with a list of events (EventList: start … `completeEvent`) and resolves
   * with the list. Those events carry the action's id and go to the caller only, not to `event` listeners.
   */
  list(action: Record<string, string>, completeEvent: string): Promise<AmiEvent[]> {
    const manager = this.manager;
    if (!manager || !this.up) return Promise.reject(new AmiNotConnected('AMI is not connected'));
    const timeoutMs = this.options.actionTimeoutMs ?? 5000;
    const actionid = `cc-${randomUUID()}`;
    return new Promise((resolve, reject) => {
      const items: AmiEvent[] = [];
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.lists.delete(actionid);
        if (error) reject(error);
        else resolve(items);
      };
      const timer = setTimeout(
        () => finish(new Error(`AMI did not finish ${action.Action ?? 'the action'} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.lists.set(actionid, (event) => {
        if (event.event === completeEvent) finish();
        else items.push(event);
      });
      // asterisk-manager takes the action id from a lower-case `actionid` field.
      manager.action({ ...action, actionid }, (error) => {
        if (error) finish(toError(error));
      });
    });
  }

  private drop(): void {
    clearInterval(this.pinger);
    const manager = this.manager;
    this.manager = undefined;
    if (manager) {
      manager.removeAllListeners();
      manager.on('error', () => undefined);
      manager.disconnect();
    }
  }

  private dial(): void {
    const { host, port, user, secret, logger } = this.options;
    const manager = createManager(undefined, host, user, secret, true);
    this.manager = manager;
    manager.on('error', (error) => logger.debug({ err: error }, 'AMI connection error'));
    manager.on('managerevent', (event) => {
      const e = event as AmiEvent;
      if (e.event === 'TestEvent') return;
      const listener = e.actionid ? this.lists.get(e.actionid) : undefined;
      if (listener) return listener(e);
      this.emit('event', e);
    });
    manager.on('close', () => this.lost('connection closed'));
    const loginTimeoutMs = this.options.loginTimeoutMs ?? 10_000;
    const loginDeadline = setTimeout(() => {
      if (this.manager === manager && !this.up)
        this.lost(`no answer to the login within ${loginTimeoutMs} ms`);
    }, loginTimeoutMs);
    loginDeadline.unref();
    manager.connect(port, host, (connectError) => {
      if (connectError) return this.lost(connectError.message);
      manager.login((loginError) => {
        clearTimeout(loginDeadline);
        if (this.manager !== manager) return;
        if (loginError) {
          logger.error({ err: toError(loginError) }, 'AMI login refused');
          return this.lost('login refused');
        }
        this.backoff.reset();
        this.up = true;
        logger.info({ host, port }, 'AMI connected');
        this.pinger = setInterval(() => {
          this.action({ Action: 'Ping' }).catch(() => {
            if (this.manager === manager) this.lost('no answer to a ping');
          });
        }, this.options.pingMs ?? 15_000);
        this.pinger.unref();
        this.emit('connected');
      });
    });
  }

  private lost(reason: string): void {
    if (!this.manager) return;
    const wasUp = this.up;
    this.up = false;
    this.drop();
    if (wasUp) {
      this.options.logger.warn({ reason }, 'AMI connection lost');
      this.emit('disconnected', reason);
    }
    if (!this.closed) this.retryTimer = setTimeout(() => this.dial(), this.backoff.next());
  }
}

/** AMI is down (Asterisk restarting, the link lost): the action was not sent; it can be sent once AMI is back. */
export class AmiNotConnected extends Error {
  readonly code = 'AMI_NOT_CONNECTED';
}

/** AMI did not answer in time: the action may still have been carried out. */
export class AmiTimeout extends Error {
  readonly code = 'AMI_TIMEOUT';
}

function toError(error: unknown): Error {
  if (error instanceof Error) return error;
  const message = (error as { message?: string })?.message ?? JSON.stringify(error);
  return new Error(message);
}
