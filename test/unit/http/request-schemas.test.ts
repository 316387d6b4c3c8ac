/**
 * The API's validator coerces types (Fastify's `coerceTypes: 'array'`, for query strings), and it does so in
 * request bodies too: against `anyOf: [string, null]` a `null` passes the first branch as `""`, against
 * `[boolean, null]` as `false` ("not applicable" read as "no"). So no request schema may offer null beside a
 * type null coerces to, unless the route says how it reads the coerced value (listed below, each with why).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
beforeAll(async () => {
  api = await buildApi();
});
afterAll(async () => {
  await api.app.close();
});

/** Fields whose route reads the coerced value as it reads null: where → why. */
const READ_AS_NULL: Record<string, string> = {
  'PUT /api/campaigns/{id}/script body(application/json).script':
    'null and a blank script both mean none (the campaigns plugin keeps a trimmed script, none when blank)',
};

type Schema = {
  type?: string | string[];
  /** OpenAPI 3.0's way of writing a union with null (the document turns `anyOf [x, null]` into it). */
  nullable?: boolean;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  items?: Schema;
};
const COERCED = new Set(['string', 'boolean', 'number', 'integer']);

/** Each place in a schema where null sits beside a type it would be coerced to. */
function coercedNulls(schema: Schema | undefined, at: string): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const found: string[] = [];
  const branches = schema.anyOf ?? [];
  const types = branches.flatMap((b) => (Array.isArray(b.type) ? b.type : b.type ? [b.type] : []));
  if (types.includes('null') && types.some((t) => COERCED.has(t))) found.push(at);
  if (Array.isArray(schema.type) && schema.type.includes('null') && schema.type.some((t) => COERCED.has(t)))
    found.push(at);
  if (schema.nullable && typeof schema.type === 'string' && COERCED.has(schema.type)) found.push(at);
  for (const [i, b] of branches.entries()) found.push(...coercedNulls(b, `${at}|${i}`));
  for (const [name, s] of Object.entries(schema.properties ?? {}))
    found.push(...coercedNulls(s, `${at}.${name}`));
  found.push(...coercedNulls(schema.items, `${at}[]`));
  return found;
}

describe('request schemas', () => {
  it('offer no null that the validator would coerce to an empty string, false or 0', async () => {
    const doc = (await api.app.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content: Record<string, { schema: Schema }> };
            parameters?: { name: string; schema: Schema }[];
          }
        >
      >;
    };
    const found: string[] = [];
    let bodies = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const where = `${method.toUpperCase()} ${path}`;
        for (const [type, content] of Object.entries(op.requestBody?.content ?? {})) {
          bodies += 1;
          found.push(...coercedNulls(content.schema, `${where} body(${type})`));
        }
        for (const p of op.parameters ?? []) found.push(...coercedNulls(p.schema, `${where} ?${p.name}`));
      }
    }
    // The walk saw the API's bodies (a document without them would pass anything).
    expect(bodies).toBeGreaterThan(25);
    expect(found.filter((f) => !(f in READ_AS_NULL))).toEqual([]);
    // Each exception still exists (one no longer there would hide a new one of the same name).
    expect(Object.keys(READ_AS_NULL).filter((f) => !found.includes(f))).toEqual([]);
  });
});
