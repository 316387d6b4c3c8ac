/** A stand-in for Asterisk's ARI on 127.0.0.1: REST over HTTP under /ari, the Stasis event socket at /ari/events. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export type Handler = (
  req: IncomingMessage,
  body: string,
) => { status: number; body?: unknown; delayMs?: number } | 'hang' | undefined;

export async function fakeAri(handler: Handler) {
  const requests: string[] = [];
  const sockets: WebSocket[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      const r = handler(req, body) ?? { status: 200, body: {} };
      if (r === 'hang') {
        held.push(res);
        return;
      }
      const send = () => {
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(r.body === undefined ? '' : JSON.stringify(r.body));
      };
      if (r.delayMs) setTimeout(send, r.delayMs);
      else send();
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.push(ws);
      wss.emit('connection', ws, req);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const current = () => sockets.filter((s) => s.readyState === 1).at(-1);
  return {
    port,
    requests,
    wss,
    held,
    baseUrl: `http://127.0.0.1:${port}`,
    send(event: Record<string, unknown>) {
      current()?.send(JSON.stringify({ timestamp: new Date().toISOString(), ...event }));
    },
    dropSockets() {
      for (const s of sockets) s.terminate();
    },
    close() {
      for (const s of sockets) s.terminate();
      for (const r of held) r.destroy();
      wss.close();
      server.close();
      server.closeAllConnections();
    },
  };
}

export const channel = (id: string) => ({
  id,
  name: `PJSIP/carrier-${id}`,
  state: 'Ring',
  caller: { number: '+15550001', name: 'Ann' },
  dialplan: { context: 'from-trunk', exten: '100', priority: 1 },
  creationtime: new Date().toISOString(),
});
