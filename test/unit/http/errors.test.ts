/** The API's one error handler: every refusal is a code and a sentence, Asterisk's refusals included. */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ApiError, installErrorHandler } from '../../../src/http/errors.js';
import { AriRequestError } from '../../../src/telephony/ari/rest.js';

async function appThrowing(error: unknown) {
  const app = Fastify({ logger: false });
  installErrorHandler(app);
  app.post('/verb', async () => {
    throw error;
  });
  await app.ready();
  const res = await app.inject({ method: 'POST', url: '/verb' });
  await app.close();
  return { status: res.statusCode, body: res.json() as { code: string; message: string } };
}

describe('the API error handler', () => {
  it('turns a channel or bridge Asterisk no longer has into 409 CALL_CHANGED, saying what to do', async () => {
    const r = await appThrowing(
      new AriRequestError('POST', '/bridges/b1/addChannel', 404, 'Channel not found'),
    );
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('CALL_CHANGED');
    expect(r.body.message).toMatch(/Channel not found.*try again/);
  });

  it('turns Asterisk out of reach or failing into 503 TELEPHONY_UNAVAILABLE', async () => {
    for (const status of [0, 500]) {
      const r = await appThrowing(new AriRequestError('POST', '/channels/c1/hold', status, 'socket hang up'));
      expect(r).toMatchObject({ status: 503, body: { code: 'TELEPHONY_UNAVAILABLE' } });
    }
  });

  it('keeps refusals as they are, and any other failure a 500 that leaks nothing', async () => {
    expect(await appThrowing(new ApiError(404, 'AGENT_NOT_FOUND', 'no agent with id x'))).toEqual({
      status: 404,
      body: { code: 'AGENT_NOT_FOUND', message: 'no agent with id x' },
    });
    expect(await appThrowing(new Error('secret path /etc/x'))).toEqual({
      status: 500,
      body: { code: 'INTERNAL', message: 'internal error' },
    });
  });
});
