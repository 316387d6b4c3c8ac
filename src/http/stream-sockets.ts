import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { STREAM_PROTOCOL } from './auth.js';

/**
 * WebSockets for the live stream and the wall displays' (registered once, before the plugins whose routes
 * use them). A page offers the stream's protocol and its token's (see auth's tokenOf); the answer names the
 * stream's only, so the token is never echoed back. A client that offers none gets none.
 */
export async function registerStreamSockets(app: FastifyInstance): Promise<void> {
  await app.register(websocket, {
    options: {
      handleProtocols: (offered) => (offered.has(STREAM_PROTOCOL) ? STREAM_PROTOCOL : false),
    },
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
