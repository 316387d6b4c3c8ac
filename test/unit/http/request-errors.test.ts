/** A request its schema refuses gets sentences to act on (the real app, an in-memory database). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeValidation } from '../../../src/http/errors.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
beforeAll(async () => {
  api = await buildApi();
});
afterAll(async () => {
  await api.app.close();
});

const refusal = async (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) => {
  const r = await api.app.inject({
    method,
    url,
    headers: api.as(SUPERVISOR),
    ...(payload ? { payload } : {}),
  });
  return { status: r.statusCode, ...(r.json() as { code: string; message: string }) };
};

describe('requests refused by their schema', () => {
  it('lists the values a choice takes, once', async () => {
    expect(await refusal('GET', '/api/interactions?state=weird')).toEqual({
      status: 400,
      code: 'REQUEST_INVALID',
      message: 'querystring/state must be one of: open, closed',
    });
  });

  it('names a parameter nobody knows', async () => {
    expect(
      await refusal('GET', '/api/reports/queues?from=2026-12-01&to=2026-12-02&bucket=week'),
    ).toMatchObject({
      status: 400,
      message: "querystring: unknown parameter 'bucket'",
    });
  });

  it('shows what a date and time looks like', () => {
    const format = (instancePath: string, f: string) => ({
      keyword: 'format',
      instancePath,
      params: { format: f },
    });
    expect(describeValidation('body', [format('/since', 'date-time')])).toBe(
      'body/since must be a date and time with its offset, e.g. 2026-12-03T09:00:00Z',
    );
    expect(describeValidation('body', [format('/at', 'uri')])).toBe('body/at must be in format uri');
  });

  it('keeps the validator’s sentence where there is nothing better to say', async () => {
    expect(await refusal('GET', '/api/interactions?limit=100000')).toMatchObject({
      status: 400,
      message: 'querystring/limit must be <= 500',
    });
    expect(await refusal('POST', '/api/agents/agent1/not-ready', {})).toMatchObject({
      status: 400,
      message: "body must have required property 'reason'",
    });
  });

  it('refuses a number too large to hold, which the validator lets past its range checks', async () => {
    // "1e400" and "Infinity" become Infinity, which Ajv's maximum does not test: SQLite refused it (a 500).
    for (const limit of ['1e400', 'Infinity', '9'.repeat(400)]) {
      expect(await refusal('GET', `/api/interactions?limit=${limit}`)).toEqual({
        status: 400,
        code: 'REQUEST_INVALID',
        message: 'querystring/limit must be a finite number (it was too large to hold)',
      });
    }
    // A large finite offset is the range's to refuse; one past what SQLite binds as an integer was a 500.
    expect(await refusal('GET', '/api/interactions?offset=1e308')).toMatchObject({
      status: 400,
      message: 'querystring/offset must be <= 1000000000',
    });
    // In a JSON body 1e400 parses as Infinity: refused, nothing changed.
    const r = await api.app.inject({
      method: 'PUT',
      url: '/api/queues/sales/members/agent1',
      headers: { ...api.as(SUPERVISOR), 'content-type': 'application/json' },
      payload: '{"order": 1e400}',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'REQUEST_INVALID' });
    expect(await refusal('PUT', '/api/queues/sales/members/agent1', { order: 10_001 })).toMatchObject({
      status: 400,
      message: 'body/order must be <= 10000',
    });
  });

  it('says what a queue id must look like, not its regular expression', async () => {
    const r = await refusal('PUT', '/api/queues/new%20q', { id: 'new q', name: 'x', strategy: 'linear' });
    expect(r).toMatchObject({
      status: 400,
      code: 'QUEUE_DEFINITION_INVALID',
      message:
        'queues[new q].id: Expected an id of 1 to 64 letters, digits, _ . or -, starting with a letter or digit',
    });
  });
});
