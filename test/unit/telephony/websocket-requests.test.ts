/**
 * ARI requests over WebSockets, against an in-process stand-in for Asterisk's `/ari/events` socket that speaks
 * the RESTRequest / RESTResponse envelope (the real Asterisk carries every request in the integration tests).
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { AriRequestError, AriRest } from '../../../src/telephony/ari/rest.js';
import {
  AriWebSocketRequests,
  type RestRequestMessage,
} from '../../../src/telephony/ari/websocket-requests.js';

interface Received {
  socket: WebSocket;
  request: RestRequestMessage;
}

/** `answer` decides each request's reply; returning undefined leaves it unanswered (held, or ignored). */
async function fakeAsterisk(
  answer: (r: Received) => { status: number; body?: unknown } | undefined,
  { autoPong = true } = {},
) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong });
  await new Promise<void>((resolve) => server.on('listening', () => resolve()));
  const received: Received[] = [];
  const urls: string[] = [];
  const reply = (r: Received, status: number, body?: unknown) =>
    r.socket.send(
      JSON.stringify({
        type: 'RESTResponse',
        request_id: r.request.request_id,
        status_code: status,
        message_body: body === undefined ? '' : JSON.stringify(body),
      }),
    );
  server.on('connection', (socket, request) => {
    urls.push(request.url ?? '');
    socket.on('message', (data) => {
      const entry = { socket, request: JSON.parse(data.toString()) } as Received;
      received.push(entry);
      const answered = answer(entry);
      if (answered) reply(entry, answered.status, answered.body);
    });
  });
  const { port } = server.address() as AddressInfo;
  return { server, received, urls, reply, baseUrl: `http://127.0.0.1:${port}` };
}

const pingAnswered = (r: Received) =>
  r.request.uri === 'asterisk/ping' ? { status: 200, body: {} } : undefined;

const until = async (what: () => boolean, label: string) => {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!what()) throw new Error(`timed out waiting for ${label}`);
};

const warnings: string[] = [];
const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
const open: { close(): void }[] = [];
afterEach(() => {
  for (const thing of open.splice(0)) thing.close();
  warnings.length = 0;
});

function pool(baseUrl: string, sockets: number, extra: { timeoutMs?: number; heartbeatMs?: number } = {}) {
  const requests = new AriWebSocketRequests({
    baseUrl,
    user: 'u',
    password: 'secret-pw',
    app: 'cc-requests',
    sockets,
    timeoutMs: extra.timeoutMs ?? 2000,
    probeTimeoutMs: 100,
    heartbeatMs: extra.heartbeatMs,
    logger,
  });
  open.push(requests);
  return requests;
}

describe('AriWebSocketRequests', () => {
  it('carries a request after its socket answered the probe: path, query, body in; status and body out', async () => {
    const asterisk = await fakeAsterisk((r) =>
      r.request.uri === 'channels' ? { status: 200, body: { id: 'chan-1' } } : pingAnswered(r),
    );
    open.push(asterisk.server);
    const requests = pool(asterisk.baseUrl, 1);
    const ari = new AriRest({ baseUrl: asterisk.baseUrl, user: 'u', password: 'secret-pw' }, requests);
    expect(requests.isConnected).toBe(false);
    requests.open();
    await until(() => requests.isConnected, 'the socket to be ready');
    expect(asterisk.urls[0]).toBe('/ari/events?app=cc-requests&subscribeAll=false');

    const channel = await ari.originate({ endpoint: 'PJSIP/a1', app: 'cc', variables: { X: 'y,z' } });
    expect(channel).toEqual({ id: 'chan-1' });
    const sent = asterisk.received.find((r) => r.request.uri === 'channels')!.request;
    expect(sent).toMatchObject({
      method: 'POST',
      query_strings: [
        { name: 'endpoint', value: 'PJSIP/a1' },
        { name: 'app', value: 'cc' },
      ],
      content_type: 'application/json',
    });
    expect(JSON.parse(sent.message_body!)).toEqual({ variables: { X: 'y,z' } });
  });

  it("turns Asterisk's error answer into an AriRequestError with its message", async () => {
    const asterisk = await fakeAsterisk((r) =>
      r.request.uri === 'channels/gone/answer'
        ? { status: 404, body: { message: 'Channel not found' } }
        : pingAnswered(r),
    );
    open.push(asterisk.server);
    const requests = pool(asterisk.baseUrl, 1);
    const ari = new AriRest({ baseUrl: asterisk.baseUrl, user: 'u', password: 'secret-pw' }, requests);
    requests.open();
    await until(() => requests.isConnected, 'the socket to be ready');
    const error = await ari.answer('gone').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AriRequestError);
    expect(error).toMatchObject({ status: 404, detail: 'Channel not found' });
  });

  it('sends the next request on the socket with the fewest in flight, so a slow one holds nothing up', async () => {
    // Answers are held back until the test releases them.
    const asterisk = await fakeAsterisk(pingAnswered);
    open.push(asterisk.server);
    const requests = pool(asterisk.baseUrl, 2);
    requests.open();
    // Both probes' answers read by the pool (under load the second can come after the server saw it).
    await until(() => requests.readySockets === 2, 'both sockets ready');
    const slow = requests.request('POST', '/channels/c1/answer', [], undefined)!;
    const quick = requests.request('POST', '/channels', [['endpoint', 'PJSIP/a1']], undefined)!;
    await until(() => asterisk.received.length === 4, 'both requests to arrive');
    const [answer, originate] = asterisk.received.slice(2);
    expect(answer!.socket).not.toBe(originate!.socket);
    asterisk.reply(originate!, 200, { id: 'a1-leg' });
    expect(await quick).toEqual({ status: 200, text: JSON.stringify({ id: 'a1-leg' }) });
    asterisk.reply(answer!, 204);
    expect(await slow).toEqual({ status: 204, text: '' });
  });

  it('fails what is in flight when its socket is lost, then redials', async () => {
    const asterisk = await fakeAsterisk(pingAnswered);
    open.push(asterisk.server);
    const requests = pool(asterisk.baseUrl, 1);
    const ari = new AriRest({ baseUrl: asterisk.baseUrl, user: 'u', password: 'secret-pw' }, requests);
    requests.open();
    await until(() => requests.isConnected, 'the socket to be ready');
    const pending = ari.hangup('c1').catch((e: unknown) => e);
    await until(() => asterisk.received.length === 2, 'the request to arrive');
    asterisk.received[1]!.socket.terminate();
    expect(await pending).toMatchObject({ status: 0, detail: 'ARI request socket closed' });
    await until(() => asterisk.urls.length === 2 && requests.isConnected, 'a new socket ready');
  });

  it('drops a socket that stops answering pings (a dead link with no close) and fails its requests', async () => {
    const asterisk = await fakeAsterisk(pingAnswered, { autoPong: false });
    open.push(asterisk.server);
    const requests = pool(asterisk.baseUrl, 1, { heartbeatMs: 50 });
    const ari = new AriRest({ baseUrl: asterisk.baseUrl, user: 'u', password: 'secret-pw' }, requests);
    requests.open();
    await until(() => requests.isConnected, 'the socket to be ready');
    // Never answered; it fails when the heartbeat gives up on the socket, long before its 2 s timeout.
    const pending = ari.getChannel('c1').catch((e: unknown) => e);
    expect(await pending).toMatchObject({ status: 0, detail: 'ARI request socket closed' });
    await until(() => asterisk.urls.length >= 2, 'a redial');
  });

  it('gives a request up after its timeout', async () => {
    const asterisk = await fakeAsterisk(pingAnswered);
    open.push(asterisk.server);
    const requests = pool(asterisk.baseUrl, 1, { timeoutMs: 50 });
    requests.open();
    await until(() => requests.isConnected, 'the socket to be ready');
    await expect(requests.request('GET', '/channels', [], undefined)).rejects.toThrow('timed out');
  });

  it('falls back to HTTP for good when Asterisk never answers a probe (older than 22.4)', async () => {
    const asterisk = await fakeAsterisk(() => undefined);
    open.push(asterisk.server);
    const requests = pool(asterisk.baseUrl, 1);
    requests.open();
    await until(() => warnings.length > 0, 'the warning');
    expect(JSON.parse(warnings[0]!)).toMatchObject({
      msg: expect.stringContaining('using HTTP'),
      probes: 3,
    });
    // Three probes on three connections, then no more dialling; no request goes over a socket.
    const connections = asterisk.urls.length;
    expect(connections).toBe(3);
    expect(requests.request('GET', '/channels', [], undefined)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 600));
    expect(asterisk.urls.length).toBe(connections);
  });
});
