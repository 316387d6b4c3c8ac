import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { STREAM_PROTOCOL } from './auth.js';

/**
 * WebSockets for the live stream and the wall displays' (registered once, before the plugins whose routes
 * use them). A page offers the stream's protocol and its token's (see auth's tokenOf); the answer names the
 * stream's only, so the token is never echoed back. A client that offers none gets none.
 *
 * Every socket is pinged (`heartbeatMs`, default 30 s): a link that died without a close (Wi-Fi gone, a
 * laptop asleep, a TV switched off at the wall) is found by its unanswered ping and dropped, instead of its
 * stream buffering events all shift; browsers answer pings by themselves. Stopping the service does not wait
 * for a page that no longer answers (a frozen tab holds its socket open).
 */
export async function registerStreamSockets(
  app: FastifyInstance,
  options: { heartbeatMs?: number } = {},
): Promise<void> {
  await app.register(websocket, {
    options: {
      handleProtocols: (offered) => (offered.has(STREAM_PROTOCOL) ? STREAM_PROTOCOL : false),
    },
  });
  const answered = new WeakMap<object, boolean>();
  app.websocketServer.on('connection', (client: WebSocket) => {
    answered.set(client, true);
    client.on('pong', () => answered.set(client, true));
  });
  const heartbeat = setInterval(() => {
    for (const client of app.websocketServer.clients) {
      if (answered.get(client) === false) {
        client.terminate();
        continue;
      }
      answered.set(client, false);
      client.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();
  app.addHook('preClose', (done) => {
    clearInterval(heartbeat);
    for (const client of app.websocketServer.clients) client.terminate();
    done();
  });
}

/**
 * Tells a live stream's client why it is closed (`{ type: 'error', code, message }`), then closes with 4401:
 * a page shows the words and knows not to reconnect with the same credentials.
 */
export function refuseStream(
  socket: { send(data: string): void; close(code: number, why: string): void },
  code: string,
  message: string,
): void {
  socket.send(JSON.stringify({ type: 'error', code, message }));
  socket.close(4401, code === 'UNAUTHENTICATED' ? 'unauthenticated' : code.toLowerCase());
}
