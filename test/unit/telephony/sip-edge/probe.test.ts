import { createSocket, type Socket } from 'node:dgram';
import Fastify from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type HealthSources, healthPlugin } from '../../../../src/http/plugins/health/index.js';
import { SipEdgeProbe } from '../../../../src/telephony/sip-edge/probe.js';

/** A stand-in for the edge on loopback: answers each OPTIONS with `code` while `answering`. */
async function fakeEdge(code: number) {
  const socket: Socket = createSocket('udp4');
  const edge = { answering: true, requests: [] as string[], port: 0, code, close: () => socket.close() };
  socket.on('message', (message, from) => {
    const text = message.toString('utf8');
    edge.requests.push(text);
    if (!edge.answering) return;
    const header = (name: string) => new RegExp(`^${name}:.*$`, 'im').exec(text)?.[0] ?? '';
    const answer = [
      `SIP/2.0 ${edge.code} Whatever`,
      header('Via'),
      header('From'),
      `${header('To')};tag=edge`,
      header('Call-ID'),
      header('CSeq'),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    socket.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  edge.port = socket.address().port;
  return edge;
}

const until = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const logger = pino({ level: 'silent' });
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('SipEdgeProbe', () => {
  it('is down until the edge answers, up on any answer, and down again after two unanswered probes', async () => {
    const edge = await fakeEdge(403);
    cleanups.push(edge.close);
    const probe = new SipEdgeProbe({
      host: '127.0.0.1',
      port: edge.port,
      logger,
      intervalMs: 30,
      timeoutMs: 20,
    });
    expect(probe.status()).toBe('down');
    probe.start();
    cleanups.push(() => probe.stop());
    // 403: this service is no carrier of the edge's, but the edge is there.
    await until(() => probe.status() === 'up', 'up');
    expect(edge.requests[0]).toMatch(/^OPTIONS sip:127\.0\.0\.1:\d+ SIP\/2\.0\r\n/);
    expect(edge.requests[0]).toMatch(/^Call-ID: edge-probe-/m);

    edge.answering = false;
    const asked = edge.requests.length;
    await until(() => probe.status() === 'down', 'down');
    // Not at the first unanswered probe: a datagram lost now and then is not an outage.
    expect(edge.requests.length - asked).toBeGreaterThanOrEqual(2);

    edge.answering = true;
    edge.code = 503; // no Asterisk behind it: the edge itself still answers
    await until(() => probe.status() === 'up', 'up again');
  });

  it('stays down with nobody on the port', async () => {
    const edge = await fakeEdge(200);
    const port = edge.port;
    edge.close();
    const probe = new SipEdgeProbe({ host: '127.0.0.1', port, logger, intervalMs: 20, timeoutMs: 15 });
    probe.start();
    cleanups.push(() => probe.stop());
    await new Promise((r) => setTimeout(r, 150));
    expect(probe.status()).toBe('down');
  });
});

describe('/health with a SIP edge', () => {
  const sources = (sipEdge: 'up' | 'down' | undefined): HealthSources => ({
    telephony: () => ({ ari: 'up', ami: 'up', ariRequests: 'websocket' }),
    database: async () => true,
    activeCalls: () => 0,
    callsSettled: () => true,
    eventLoopLagMs: () => 0,
    ariRoundTripMs: () => 0,
    sipEdge: () => sipEdge,
  });
  const health = async (sipEdge: 'up' | 'down' | undefined) => {
    const app = Fastify();
    await app.register(healthPlugin, { sources: sources(sipEdge) });
    const reply = await app.inject({ method: 'GET', url: '/health' });
    await app.close();
    return { status: reply.statusCode, body: reply.json() as Record<string, unknown> };
  };

  it('says nothing of an edge there is none of, and is degraded (503) while the edge does not answer', async () => {
    const without = await health(undefined);
    expect(without.status).toBe(200);
    expect(without.body).not.toHaveProperty('sipEdge');
    expect(await health('up')).toMatchObject({ status: 200, body: { status: 'up', sipEdge: 'up' } });
    expect(await health('down')).toMatchObject({
      status: 503,
      body: { status: 'degraded', ari: 'up', ami: 'up', db: 'up', sipEdge: 'down' },
    });
  });
});
