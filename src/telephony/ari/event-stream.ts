import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type WebSocket from 'ws';
import { Backoff } from '../backoff.js';
import { type AriCredentials, keepAlive, openAppSocket } from './app-socket.js';
import type { AriEvent } from './types.js';

export interface AriEventStreamOptions extends AriCredentials {
  app: string;
  logger: Logger;
  /** Ping interval; a connection that misses a pong for this long is dropped and redialled. */
  heartbeatMs?: number;
}

interface StreamEvents {
  connected: [];
  disconnected: [reason: string];
  event: [event: AriEvent];
}

/**
 * The Stasis application's event WebSocket. Reconnects with backoff for as long as it is open; emits
 * `connected` after every (re)connect so the owner can reconcile what it missed while it was down.
 */
export class AriEventStream extends EventEmitter<StreamEvents> {
  private socket: WebSocket | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly backoff = new Backoff();
  private closed = false;
  private up = false;

  constructor(private readonly options: AriEventStreamOptions) {
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
    clearInterval(this.heartbeat);
    this.socket?.terminate();
    this.socket = undefined;
  }

  private dial(): void {
    const { app } = this.options;
    const socket = openAppSocket(this.options, app);
    this.socket = socket;

    socket.on('open', () => {
      // The backoff starts again only once the link has held: an Asterisk that accepts and drops the socket
      // (a write timeout under load) is not redialled, and listed in full, several times a second.
      const held = setTimeout(() => {
        if (this.socket === socket && this.up) this.backoff.reset();
      }, STABLE_AFTER_MS);
      held.unref();
      this.up = true;
      this.options.logger.info({ app }, 'ARI event stream connected');
      clearInterval(this.heartbeat);
      this.heartbeat = keepAlive(socket, this.options.heartbeatMs ?? 5000);
      this.emit('connected');
    });
    socket.on('message', (data) => {
      let event: AriEvent;
      try {
        event = JSON.parse(data.toString()) as AriEvent;
      } catch (error) {
        this.options.logger.warn({ err: error }, 'ARI sent an event that is not JSON; ignored');
        return;
      }
      this.emit('event', event);
    });
    socket.on('error', (error) => {
      this.options.logger.debug({ err: error }, 'ARI event stream error');
    });
    socket.on('close', (code, reason) => {
      clearInterval(this.heartbeat);
      const wasUp = this.up;
      this.up = false;
      if (this.socket === socket) this.socket = undefined;
      if (wasUp) {
        this.options.logger.warn({ code, reason: reason.toString() }, 'ARI event stream lost');
        this.emit('disconnected', `closed with ${code}`);
      }
      if (!this.closed) {
        const delay = this.backoff.next();
        this.retryTimer = setTimeout(() => this.dial(), delay);
      }
    });
  }
}

/** How long the event socket must stay up before its reconnect backoff starts again from the shortest delay. */
const STABLE_AFTER_MS = 10_000;
