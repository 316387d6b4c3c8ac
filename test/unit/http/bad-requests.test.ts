/**
 * Every route of the API, sent what a confused client or a typo sends (an id nobody has, an id that is no id,
 * a query value that is no value, a body that is no JSON, the wrong JSON, the wrong header value), answers with
 * a refusal to act on: a 4xx with a `code` and a `message`, never a 500 (a 503 with its code is a part the
 * service runs without here: the softphone's Asterisk details; the real app, an in-memory database;
 * the routes read from the API's own document, so a route added later is swept too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
beforeAll(async () => {
  // With a flows directory (none of its files), so the flow routes are swept past their 503.
  api = await buildApi({ flows: { dir: 'ivr-flows', status: () => [], reloadAll: async () => [] } });
});
afterAll(async () => {
  await api.app.close();
});

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
};
type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Routes that are not request and answer: the event stream's WebSocket (a plain GET is refused by it). */
const NOT_SWEPT = new Set(['GET /api/events']);

async function routes(): Promise<{ method: Method; path: string; op: Operation }[]> {
  const doc = (await api.app.inject({ url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, Operation>>;
  };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({ method: method.toUpperCase() as Method, path, op }))
      .filter((r) => !NOT_SWEPT.has(`${r.method} ${r.path}`)),
  );
}

/**
 * A body its schema takes, at one end of every field: the shortest strings, the lowest numbers, the earliest
 * dates and no optional field (low); the longest strings, the highest numbers, the latest dates, every field
 * (high). What a route must still answer sensibly once its validator has let it through.
 */
function edge(schema: Schema | undefined, end: 'low' | 'high'): unknown {
  const s = schema ?? {};
  const low = end === 'low';
  if (s.const !== undefined) return s.const;
  if (s.enum) return low ? s.enum[0] : s.enum.at(-1);
  if (s.anyOf) return edge(low ? s.anyOf[0] : s.anyOf.at(-1), end);
  const type = Array.isArray(s.type) ? s.type[0] : (s.type ?? (s.properties ? 'object' : undefined));
  switch (type) {
    case 'string':
      if (s.format === 'date-time') return low ? '0001-01-01T00:00:00Z' : '9999-12-31T23:59:59Z';
      if (s.format === 'date') return low ? '0001-01-01' : '9999-12-31';
      return 'x'.repeat(low ? (s.minLength ?? 0) : Math.min(s.maxLength ?? 100_000, 100_000));
    case 'integer':
      return low ? (s.minimum ?? Number.MIN_SAFE_INTEGER) : (s.maximum ?? Number.MAX_SAFE_INTEGER);
    case 'number':
      return low ? (s.minimum ?? -1e308) : (s.maximum ?? 1e308);
    case 'boolean':
      return !low;
    case 'null':
      return null;
    case 'array': {
      const n = low ? (s.minItems ?? 0) : Math.min(s.maxItems ?? 50, 50);
      return Array.from({ length: n }, () => edge(s.items, end));
    }
    case 'object':
      return Object.fromEntries(
        Object.entries(s.properties ?? {})
          .filter(([name]) => !low || (s.required ?? []).includes(name))
          .map(([name, p]) => [name, edge(p, end)]),
      );
    default:
      return low ? null : {};
  }
}

/** The path with each `{param}` as given. */
const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, encodeURIComponent(value));
/**
 * The path with ids the service has where it can tell which (an agent's, a queue's, a call agent1 took:
 * `interaction` is one ended, one still open).
 */
const known = (path: string, interaction: string) =>
  path
    .replace(/\{agentId\}/g, 'agent1')
    .replace(/^\/api\/agents\/\{id\}/, '/api/agents/agent1')
    .replace(/^\/api\/queues\/\{id\}/, '/api/queues/sales')
    .replace(/^\/api\/(interactions|calls)\/\{(id|interactionId)\}/, `/api/$1/${interaction}`)
    .replace(/\{interactionId\}/g, interaction)
    .replace(/\{[^}]+\}/g, 'nobody-has-this-1');

type Sent = { method: Method; url: string; payload?: string; headers?: Record<string, string> };

/** What a confused client sends this route: each request on its own. */
function badRequests(method: Method, path: string, op: Operation, calls: string[]): Sent[] {
  const sent: Sent[] = [];
  const hasParams = path.includes('{');
  const url = fill(path, 'nobody-has-this-1');
  if (hasParams) {
    sent.push({ method, url }); // an id nobody has
    sent.push({ method, url: fill(path, '../<not an id>') }); // an id that is no id
    sent.push({ method, url: fill(path, 'x'.repeat(300)) });
    for (const number of ['1e400', '-1', '0']) sent.push({ method, url: fill(path, number) }); // a numeric id
  }
  const query = (op.parameters ?? []).filter((p) => p.in === 'query');
  if (query.length > 0) {
    const bad = query.map((p) => `${encodeURIComponent(p.name)}=%00not-a-value%FF`).join('&');
    sent.push({ method, url: `${url}?${bad}` });
    sent.push({ method, url: `${url}?${query.map((p) => `${p.name}=`).join('&')}` }); // all left empty
    // One at a time (the others left to their defaults), a number past any row or list and below zero.
    const targets = hasParams ? [url, ...calls.map((interaction) => known(path, interaction))] : [url];
    for (const p of query)
      for (const value of ['1e308', '-1', '9'.repeat(400)])
        for (const target of targets)
          sent.push({ method, url: `${target}?${encodeURIComponent(p.name)}=${value}` });
    if (hasParams)
      for (const interaction of calls) sent.push({ method, url: `${known(path, interaction)}?${bad}` });
  }
  // What there is, read (reading changes nothing, so every GET goes to the things there are).
  if (hasParams && method === 'GET')
    for (const interaction of calls) sent.push({ method, url: known(path, interaction) });
  sent.push({ method, url: `${url}?no-such-parameter=1` });
  if (method !== 'GET' && method !== 'DELETE') {
    const json = { 'content-type': 'application/json' };
    for (const payload of ['{', '[]', '"text"', '42', 'null', '{"unexpected":true}', '{"id":{"$gt":""}}']) {
      sent.push({ method, url, payload, headers: json });
    }
    sent.push({
      method,
      url,
      payload: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const schema = op.requestBody?.content?.['application/json']?.schema;
    if (schema) {
      for (const end of ['low', 'high'] as const) {
        const payload = JSON.stringify(edge(schema, end));
        sent.push({ method, url, payload, headers: json });
        if (!hasParams) continue;
        for (const interaction of calls)
          sent.push({ method, url: known(path, interaction), payload, headers: json });
      }
    }
    sent.push({ method, url, payload: '{}', headers: { ...json, 'if-match': 'not a tag' } });
    sent.push({ method, url, payload: '{}', headers: { ...json, 'if-none-match': 'W/"x"' } });
  } else if (method === 'DELETE') {
    sent.push({ method, url, headers: { 'if-match': 'not a tag' } });
  }
  return sent;
}

describe('bad requests to every route', () => {
  it('are refused with a code and a message, never a 500', async () => {
    const all = await routes();
    const agentToken = api.tokenOf('agent1');
    const calls = [await api.callHandledBy('agent1', { ended: true }), await api.callHandledBy('agent1')];
    expect(all.length).toBeGreaterThan(100); // the document lists the API, not a corner of it
    const failures: string[] = [];
    let refused = 0;
    for (const { method, path, op } of all) {
      for (const request of badRequests(method, path, op, calls)) {
        for (const [who, token] of [
          ['supervisor', SUPERVISOR],
          ['agent1', agentToken],
        ] as const) {
          const r = await api.app.inject({
            method: request.method,
            url: request.url,
            headers: { ...api.as(token), ...request.headers },
            ...(request.payload !== undefined ? { payload: request.payload } : {}),
          });
          const what = `${who}: ${request.method} ${request.url}${request.payload !== undefined ? ` ${request.payload.slice(0, 200)}` : ''}${request.headers ? ` ${JSON.stringify(request.headers)}` : ''}`;
          if (r.statusCode < 400) continue; // a request the route takes as it is (an optional field left out)
          const body = (() => {
            try {
              return r.json() as { code?: unknown; message?: unknown };
            } catch {
              return {};
            }
          })();
          const said =
            typeof body.code === 'string' && typeof body.message === 'string' && body.message !== '';
          if (r.statusCode >= 500 && !(r.statusCode === 503 && said)) {
            failures.push(`${what} → ${r.statusCode} ${r.body.slice(0, 300)}`);
            continue;
          }
          refused++;
          if (!said) {
            failures.push(`${what} → ${r.statusCode} without a code and a message: ${r.body.slice(0, 300)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(refused).toBeGreaterThan(all.length); // most of them refused, each route at least once
  });

  it('bound every number a request may give (past it, a count, a time or a row id is refused, not used)', async () => {
    type Node = Schema & { $ref?: string; exclusiveMaximum?: number; additionalProperties?: unknown };
    const doc = (await api.app.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<string, Operation & { parameters?: { name: string; in: string; schema?: Node }[] }>
      >;
      components?: { schemas?: Record<string, Node> };
    };
    const unbounded = new Set<string>();
    const numbers = new Set<string>();
    const walk = (node: Node | undefined, at: string, depth = 0): void => {
      if (!node || depth > 12) return;
      if (node.$ref) {
        walk(doc.components?.schemas?.[node.$ref.split('/').at(-1) ?? ''], at, depth + 1);
        return;
      }
      const types = Array.isArray(node.type) ? node.type : [node.type];
      if (types.some((t) => t === 'integer' || t === 'number')) {
        numbers.add(at);
        if (node.maximum === undefined && node.exclusiveMaximum === undefined) unbounded.add(at);
      }
      for (const [name, inner] of Object.entries(node.properties ?? {}))
        walk(inner, `${at}.${name}`, depth + 1);
      walk(node.items, `${at}[]`, depth + 1);
      for (const branch of node.anyOf ?? []) walk(branch, at, depth + 1);
      if (typeof node.additionalProperties === 'object')
        walk(node.additionalProperties as Node, `${at}{}`, depth + 1);
    };
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        walk(op.requestBody?.content?.['application/json']?.schema, `${method.toUpperCase()} ${path} body`);
        for (const p of op.parameters ?? [])
          walk(p.schema, `${method.toUpperCase()} ${path} ${p.in}.${p.name}`);
      }
    expect([...unbounded]).toEqual([]);
    expect(numbers.size).toBeGreaterThan(30); // limits, offsets, hours, seconds, penalties… all seen
  });
});
