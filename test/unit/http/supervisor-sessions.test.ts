/**
 * Supervisors' sessions: the supervisor token is exchanged for a session token that runs out and can be
 * ended for every supervisor at once (also across a restart); the supervisor token itself stays good for
 * tools. The real HTTP app, auth and an in-memory SQLite store; the live stream on a real socket.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AgentSignOutStore } from '../../../src/store/agent-sign-outs.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { SUPERVISOR } from './http-harness.js';
import { HOUR, streamServer, tokenApi, tokenPolicy } from './token-harness.js';

/** Agents' tokens as usual, supervisors' sessions 8 h. */
const policy = (clock: { now: number }, store?: AgentSignOutStore, signOuts = new Map<string, number>()) =>
  tokenPolicy(clock, store, signOuts, 8 * HOUR);

async function api(tokens: ReturnType<typeof policy>) {
  const built = await tokenApi(tokens);
  const signIn = async (supervisorToken = SUPERVISOR) => {
    const reply = await built.call('POST', '/api/supervisor/session', undefined, { supervisorToken });
    expect(reply.statusCode, reply.body).toBe(200);
    return reply.json() as { token: string; expiresAt: string };
  };
  return { ...built, signIn };
}

describe("a supervisor's session", () => {
  it('is given for the supervisor token only, and is good for what a supervisor may do', async () => {
    const clock = { now: Date.parse('2026-12-03T08:00:00Z') };
    const { call, signIn } = await api(policy(clock));
    for (const wrong of ['nope', `${SUPERVISOR}x`]) {
      const refused = await call('POST', '/api/supervisor/session', undefined, { supervisorToken: wrong });
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toEqual({ code: 'SIGN_IN_FAILED', message: 'the supervisor token is wrong' });
    }
    const empty = await call('POST', '/api/supervisor/session', undefined, {});
    expect(empty.statusCode).toBe(400);
    const { token, expiresAt } = await signIn();
    expect(token.startsWith('~.')).toBe(true);
    expect(token).not.toContain(SUPERVISOR);
    expect(expiresAt).toBe('2026-12-03T16:00:00.000Z');
    expect((await call('GET', '/api/queues', token)).statusCode).toBe(200); // supervisors only
    expect((await call('GET', '/api/agents', token)).statusCode).toBe(200);
  });

  it('runs out after http.supervisorSessionHours and says so; the supervisor token itself does not', async () => {
    const clock = { now: Date.parse('2026-12-03T08:00:00Z') };
    const { call, signIn } = await api(policy(clock));
    const { token } = await signIn();
    clock.now += 8 * HOUR - 1;
    expect((await call('GET', '/api/queues', token)).statusCode).toBe(200);
    clock.now += 1;
    const expired = await call('GET', '/api/queues', token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toEqual({
      code: 'TOKEN_EXPIRED',
      message: 'the supervisor session ran out at 2026-12-03T16:00:00.000Z: sign in again',
    });
    expect((await call('GET', '/api/queues', SUPERVISOR)).statusCode).toBe(200);
  });

  it('is refused when altered: another time of issue, another signature, an agent-shaped one', async () => {
    const clock = { now: Date.parse('2026-12-03T08:00:00Z') };
    const { call, signIn } = await api(policy(clock));
    const { token } = await signIn();
    const [who, issued, sig] = token.split('.') as [string, string, string];
    const later = (Number.parseInt(issued, 36) + HOUR).toString(36);
    for (const forged of [
      `${who}.${later}.${sig}`,
      `${who}.${issued}.${sig.slice(1)}x`,
      `agent1.${issued}.${sig}`,
    ]) {
      const reply = await call('GET', '/api/queues', forged);
      expect(reply.statusCode).toBe(401);
      expect(reply.json().code).toBe('TOKEN_INVALID');
    }
  });

  it('ends for every supervisor at once, for a supervisor only, and stays ended through a restart', async () => {
    const clock = { now: Date.parse('2026-12-03T08:00:00Z') };
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const store = new AgentSignOutStore(db);
    const first = await api(policy(clock, store));
    const mine = await first.signIn();
    const colleagues = await first.signIn();
    const agent = (
      await first.call('POST', '/api/agents/agent1/session', undefined, { password: 'pw1' })
    ).json().token as string;
    expect((await first.call('DELETE', '/api/supervisor/session')).statusCode).toBe(401);
    expect((await first.call('DELETE', '/api/supervisor/session', agent)).statusCode).toBe(403);
    // A playback token asked for on a session (an <audio> element's ?play=) ends with it.
    const asked = (await first.call('POST', '/api/recordings/playback-token', mine.token)).json();
    expect(asked.expiresAt).toBe(mine.expiresAt);
    const recording = async () =>
      (
        await first.call('GET', `/api/interactions/nothing/recording?play=${encodeURIComponent(asked.token)}`)
      ).json();
    expect(await recording()).toMatchObject({ code: 'INTERACTION_NOT_FOUND' }); // past the token check
    expect((await first.call('DELETE', '/api/supervisor/session', mine.token)).statusCode).toBe(204);
    expect(await recording()).toMatchObject({ code: 'TOKEN_INVALID' });
    for (const ended of [mine, colleagues]) {
      const reply = await first.call('GET', '/api/queues', ended.token);
      expect(reply.statusCode).toBe(401);
      expect(reply.json().message).toMatch(/all supervisor sessions were ended/);
    }
    expect((await first.call('GET', '/api/agents/agent1', agent)).statusCode).toBe(200); // agents keep theirs
    expect((await first.call('GET', '/api/queues', SUPERVISOR)).statusCode).toBe(200);

    const second = await api(policy(clock, store, await store.all()));
    expect((await second.call('GET', '/api/queues', mine.token)).statusCode).toBe(401);
    const fresh = await second.signIn();
    expect((await second.call('GET', '/api/queues', fresh.token)).statusCode).toBe(200);
  });
});

describe("a supervisor's live stream on a session", () => {
  const apps: { close(): Promise<unknown> }[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function stream(supervisorTtlMs: number) {
    const server = await streamServer({ ttlMs: HOUR, supervisorTtlMs });
    apps.push(server.app);
    return server;
  }

  it('ends when every supervisor session is ended, telling the page why; one on the supervisor token and an agent’s stay', async () => {
    const { auth, open } = await stream(HOUR);
    const session = open(auth.supervisorSignIn('sup-token').token);
    const tool = open('sup-token');
    const ann = open(auth.signIn('ann', 'pw').token);
    await Promise.all([session.opened, tool.opened, ann.opened]);
    await auth.signOut('~');
    expect(await session.closed).toBe(4401);
    expect(session.messages.at(-1)).toMatchObject({ type: 'error', code: 'SIGNED_OUT' });
    expect(tool.ws.readyState).toBe(WebSocket.OPEN);
    expect(ann.ws.readyState).toBe(WebSocket.OPEN);
    tool.ws.close();
    ann.ws.close();
  });

  it('ends when the session runs out', async () => {
    const { auth, open } = await stream(400);
    const session = open(auth.supervisorSignIn('sup-token').token);
    await session.opened;
    expect(await session.closed).toBe(4401);
    expect(session.messages.at(-1)).toMatchObject({ type: 'error', code: 'TOKEN_EXPIRED' });
  });
});
