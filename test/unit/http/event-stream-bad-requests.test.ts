/**
 * The live stream's WebSocket sent what a confused or hostile client sends (the route sweep in
 * bad-requests.test.ts reaches every other route): no token, bad tokens in each place a token goes, junk
 * resume positions, an unknown or enormous stream id, junk and huge messages once open. Every attempt ends
 * in a refusal in words (an HTTP 4xx before the upgrade, or an error message and close 4401) or in a
 * snapshot, never a 5xx or a dropped connection without a word; and the stream still serves afterwards.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { StreamSnapshotSchema } from '../../../src/events/stream-events.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
let base: string;

beforeAll(async () => {
  api = await buildApi();
  base = `${(await api.app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws')}/api/events`;
});

afterAll(async () => {
  await api.app.close();
});

const snapshotErrors = TypeCompiler.Compile(StreamSnapshotSchema);

/** How an attempt ended: an HTTP answer before the upgrade, a refusal message and close, or a snapshot. */
type Outcome =
  | { kind: 'http'; status: number; body: string }
  | { kind: 'refused'; code: string; message: string; closeCode: number }
  | { kind: 'snapshot'; seq: number; stream: string }
  | { kind: 'other'; what: string };

function attempt(
  query: string,
  options: { headers?: Record<string, string>; protocols?: string[] } = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${base}${query}`, options.protocols ?? [], { headers: options.headers });
    let first: unknown;
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ kind: 'other', what: `nothing within 3 s (first: ${JSON.stringify(first)})` });
    }, 3000);
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ kind: 'http', status: res.statusCode ?? 0, body });
      });
    });
    ws.on('error', () => undefined); // an unexpected response is also reported as an error
    ws.on('message', (data: Buffer) => {
      first ??= JSON.parse(data.toString());
      const message = first as {
        type?: string;
        code?: string;
        message?: string;
        seq?: number;
        stream?: string;
      };
      if (message.type === 'snapshot') {
        clearTimeout(timer);
        ws.close();
        const errors = [...snapshotErrors.Errors(message)].map((e) => `${e.path} ${e.message}`);
        resolve(
          errors.length > 0
            ? { kind: 'other', what: `a snapshot off its schema: ${errors.join('; ')}` }
            : { kind: 'snapshot', seq: message.seq!, stream: message.stream! },
        );
      }
    });
    ws.on('close', (closeCode) => {
      const message = first as { type?: string; code?: string; message?: string } | undefined;
      if (message?.type !== 'error') return;
      clearTimeout(timer);
      resolve({ kind: 'refused', code: message.code ?? '', message: message.message ?? '', closeCode });
    });
  });
}

const SIGNED = { authorization: `Bearer ${SUPERVISOR}` };

/** A refusal in words: a 4xx with a code and a message, or an error message and close 4401. */
function expectRefusedInWords(outcome: Outcome, what: string): void {
  if (outcome.kind === 'http') {
    expect(outcome.status, what).toBeGreaterThanOrEqual(400);
    expect(outcome.status, what).toBeLessThan(500);
    const body = JSON.parse(outcome.body) as { code?: string; message?: string };
    expect(body.code, what).toMatch(/^[A-Z_]+$/);
    expect(body.message?.length ?? 0, what).toBeGreaterThan(5);
    return;
  }
  expect(outcome, what).toMatchObject({ kind: 'refused', closeCode: 4401 });
  if (outcome.kind === 'refused') expect(outcome.message.length, what).toBeGreaterThan(5);
}

describe('the live stream, sent bad requests', () => {
  it('refuses every bad token in words, wherever it is put', async () => {
    const protocol = (token: string) => ['cc-events', `bearer.${Buffer.from(token).toString('base64url')}`];
    const cases: [string, Parameters<typeof attempt>[1], string?][] = [
      ['none', {}, 'UNAUTHENTICATED'],
      ['empty bearer', { headers: { authorization: 'Bearer ' } }, 'UNAUTHENTICATED'],
      ['junk', { headers: { authorization: 'Bearer junk' } }, 'TOKEN_INVALID'],
      ['a forged session', { headers: { authorization: 'Bearer ~.zz.abc' } }, undefined],
      ['an agent id and junk', { headers: { authorization: 'Bearer agent1.1.x' } }, 'TOKEN_INVALID'],
      ['10,000 characters', { headers: { authorization: `Bearer ${'a'.repeat(10_000)}` } }, undefined],
      ['junk in the protocol', { protocols: protocol('junk') }, 'TOKEN_INVALID'],
      ['a protocol that is no base64url', { protocols: ['cc-events', 'bearer.%%%'] }, undefined],
      ['the stream protocol alone', { protocols: ['cc-events'] }, 'UNAUTHENTICATED'],
      ['Basic auth', { headers: { authorization: 'Basic c3VwOnB3' } }, 'UNAUTHENTICATED'],
    ];
    for (const [what, options, code] of cases) {
      const outcome = await attempt('', options);
      expectRefusedInWords(outcome, what);
      if (code && outcome.kind === 'refused') expect(outcome.code, what).toBe(code);
    }
    // A token in the URL is refused and says where a token goes instead.
    const inUrl = await attempt(`?token=${SUPERVISOR}`);
    expect(inUrl).toMatchObject({ kind: 'refused', code: 'TOKEN_IN_URL' });
  });

  it('answers a junk resume position with a refusal or a snapshot, never a 5xx', async () => {
    const positions = [
      '?since=junk',
      '?since=-1',
      '?since=1e400',
      '?since=Infinity',
      '?since=99999999999999999999999',
      '?since=1.5',
      '?since=',
      '?stream=&since=0',
      '?stream=nope&since=5',
      `?stream=${'s'.repeat(5000)}&since=0`,
      '?stream=nope',
      '?since=3',
      '?stream=a&stream=b&since=1',
      '?since=1&since=2',
      '?unknown=1',
    ];
    for (const query of positions) {
      const outcome = await attempt(query, { headers: SIGNED });
      if (outcome.kind === 'snapshot') {
        // Not resumable from there: where things stand, on the live stream.
        expect(outcome.stream, query).not.toBe('nope');
        continue;
      }
      expectRefusedInWords(outcome, query);
    }
    // This stream, but past its last event (a client that cannot be right): where things stand, not silence.
    api.hub.publish('day.started', { startedAt: new Date().toISOString(), timeZone: 'UTC' }); // one kept to resume from
    const now = await attempt('', { headers: SIGNED });
    if (now.kind !== 'snapshot') throw new Error(`no snapshot: ${JSON.stringify(now)}`);
    expect(await attempt(`?stream=${now.stream}&since=${now.seq + 1000}`, { headers: SIGNED })).toMatchObject(
      {
        kind: 'snapshot',
        stream: now.stream,
      },
    );
  });

  it('ignores junk and huge messages from an open client and keeps serving it and others', async () => {
    const ws = new WebSocket(base, { headers: SIGNED });
    await new Promise((resolve) => ws.once('message', resolve));
    let closedWith: number | undefined;
    ws.on('close', (code) => {
      closedWith = code;
    });
    for (const junk of ['', 'not json', '{"type":"subscribe"}', '\u0000\uffff', 'x'.repeat(200_000)])
      ws.send(junk);
    ws.send(Buffer.from([0xff, 0xfe, 0x00]));
    // A published event still reaches it, and a new client still gets its snapshot.
    const next = new Promise<{ type: string }>((resolve) =>
      ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))),
    );
    api.hub.publish('day.started', { startedAt: new Date().toISOString(), timeZone: 'UTC' });
    expect((await next).type).toBe('day.started');
    expect(closedWith).toBeUndefined();
    expect(await attempt('', { headers: SIGNED })).toMatchObject({ kind: 'snapshot' });
    ws.close();
  });
});
