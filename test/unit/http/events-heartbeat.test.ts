/** The live stream's WebSocket over a real socket: a client that stops answering pings is dropped. */
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EventHub } from '../../../src/events/event-hub.js';
import { ApiAuth } from '../../../src/http/auth.js';
import { eventsPlugin } from '../../../src/http/plugins/events/index.js';
import { registerStreamSockets } from '../../../src/http/stream-sockets.js';

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function stream(heartbeatMs: number) {
  const app = Fastify({ logger: false });
  apps.push(app);
  const hub = new EventHub(Date.now, 100, 'throw');
  await registerStreamSockets(app, { heartbeatMs });
  await app.register(eventsPlugin, {
    hub,
    auth: new ApiAuth('secret', 'sup-token', new Map()),
    snapshot: () => ({ agents: [], queues: [] }),
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${address.replace('http', 'ws')}/api/events`, hub };
}

const SIGNED = { authorization: 'Bearer sup-token' };
const opened = (ws: WebSocket) => new Promise((resolve) => ws.once('message', resolve)); // the snapshot
const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

describe('the live stream heartbeat', () => {
  it('drops a client that no longer answers pings (a dead link), and keeps one that does', async () => {
    const { url } = await stream(100);
    const alive = new WebSocket(url, { headers: SIGNED }); // answers pings, as browsers do
    const dead = new WebSocket(url, { headers: SIGNED, autoPong: false }); // a link that went away without a close
    await Promise.all([opened(alive), opened(dead)]);
    const deadClosed = closed(dead);
    let aliveClosed = false;
    alive.once('close', () => {
      aliveClosed = true;
    });
    expect(await deadClosed).toBe(1006); // terminated: no close handshake
    await new Promise((r) => setTimeout(r, 350)); // several more heartbeats
    expect(aliveClosed).toBe(false);
    expect(alive.readyState).toBe(WebSocket.OPEN);
    alive.close();
  });
});
