import { randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import { uriHost } from '../../config/networks.js';

export type SipEdgeState = 'up' | 'down';

export interface SipEdgeProbeOptions {
  host: string;
  port: number;
  logger: Logger;
  /** How often the edge is asked; default 2 s. */
  intervalMs?: number;
  /** How long an answer may take; default 1.5 s. */
  timeoutMs?: number;
  /** Probes in a row left unanswered before the edge counts as down (a lost datagram is not an outage). */
  missesToDown?: number;
}

/**
 * Asks the SIP edge with an OPTIONS request, as a carrier's keep-alive would, whether it is there: any answer
 * means it is (200: Asterisk up behind it; 503: none; 403: this service is not one of its carriers). Without
 * the edge, carriers cannot reach the contact center at all, so /health and /metrics say so.
 */
export class SipEdgeProbe {
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private current: { callId: string; timeout: NodeJS.Timeout } | undefined;
  private misses = 0;
  private state: SipEdgeState = 'down';
  private lastAnswer: number | undefined;

  constructor(private readonly options: SipEdgeProbeOptions) {}

  /** Up once the edge answered; down before its first answer and after `missesToDown` unanswered probes. */
  status(): SipEdgeState {
    return this.state;
  }

  start(): void {
    const socket = createSocket(isIP(this.options.host) === 6 ? 'udp6' : 'udp4');
    this.socket = socket;
    socket.on('message', (message) => this.answered(message.toString('utf8')));
    // A send to a port nobody listens on can come back as an error on some systems: that is a miss.
    socket.on('error', (error) => this.options.logger.debug({ err: error }, 'SIP edge probe socket error'));
    socket.bind(0, () => {
      this.probe();
      this.timer = setInterval(() => this.probe(), this.options.intervalMs ?? 2000);
      this.timer.unref();
    });
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.current) clearTimeout(this.current.timeout);
    this.current = undefined;
    this.socket?.close();
    this.socket = undefined;
  }

  private probe(): void {
    const socket = this.socket;
    if (!socket || this.current) return; // the last one is still waiting for its answer
    const callId = `edge-probe-${randomUUID()}`;
    const timeout = setTimeout(() => this.missed(), this.options.timeoutMs ?? 1500);
    timeout.unref();
    this.current = { callId, timeout };
    const { host, port } = this.options;
    const request = sipOptionsRequest({ host, port, localPort: socket.address().port, callId });
    socket.send(request, port, host);
  }

  private answered(text: string): void {
    const current = this.current;
    const callId = /^Call-ID:\s*(\S+)/im.exec(text)?.[1];
    if (!current || callId !== current.callId) return; // a late answer to a probe already counted missed
    clearTimeout(current.timeout);
    this.current = undefined;
    this.misses = 0;
    const code = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1]);
    if (this.state !== 'up' || code !== this.lastAnswer) {
      const { host, port } = this.options;
      this.options.logger.info({ sipEdge: `${host}:${port}`, answer: code }, 'SIP edge answering');
    }
    this.state = 'up';
    this.lastAnswer = code;
  }

  private missed(): void {
    this.current = undefined;
    this.misses++;
    if (this.state === 'up' && this.misses >= (this.options.missesToDown ?? 2)) {
      this.state = 'down';
      this.lastAnswer = undefined;
      const { host, port } = this.options;
      this.options.logger.error(
        { sipEdge: `${host}:${port}`, unanswered: this.misses },
        'SIP edge not answering: carriers cannot reach the contact center',
      );
    }
  }
}

/** An OPTIONS request to `host:port` (the edge itself, no user), as a carrier's keep-alive. */
export function sipOptionsRequest(to: {
  host: string;
  port: number;
  /** The port the request is sent from (its Via: the answer comes back there). */
  localPort: number;
  callId: string;
}): string {
  const host = uriHost(to.host);
  return [
    `OPTIONS sip:${host}:${to.port} SIP/2.0`,
    `Via: SIP/2.0/UDP ${host}:${to.localPort};branch=z9hG4bK-${to.callId};rport`,
    `From: <sip:contact-center@${host}>;tag=${to.callId.slice(-12)}`,
    `To: <sip:${host}:${to.port}>`,
    `Call-ID: ${to.callId}`,
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    'User-Agent: contact-center',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}
