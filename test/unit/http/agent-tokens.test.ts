/**
 * Agents' API tokens end: after their lifetime, and for all of an agent's pages when the agent signs out
 * (also across a restart of the service). The real HTTP app, auth and an in-memory SQLite store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AgentTokenPolicy } from '../../../src/http/auth.js';
import { AgentSignOutStore } from '../../../src/store/agent-sign-outs.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { SUPERVISOR } from './http-harness.js';
import { HOUR, tokenPolicy as policy, streamServer, tokenApi } from './token-harness.js';

async function api(tokens: AgentTokenPolicy) {
  const built = await tokenApi(tokens);
  const signIn = async (id: string, password: string) => {
    const reply = await built.call('POST', `/api/agents/${id}/session`, undefined, { password });
    expect(reply.statusCode).toBe(200);
    return reply.json() as { token: string; expiresAt: string };
  };
  return { ...built, signIn };
}

describe("an agent's token", () => {
  it('runs out after its lifetime, says so, and a new sign-in gives a fresh one', async () => {
    const clock = { now: Date.parse('2026-12-02T08:00:00Z') };
    const { call, signIn } = await api(policy(clock));
    const { token, expiresAt } = await signIn('agent1', 'pw1');
    expect(expiresAt).toBe('2026-12-02T20:00:00.000Z');

    clock.now += 12 * HOUR - 1;
    expect((await call('GET', '/api/agents/agent1', token)).statusCode).toBe(200);
    clock.now += 1;
    const expired = await call('GET', '/api/agents/agent1', token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(expired.json().message).toContain('2026-12-02T20:00:00.000Z');

    const fresh = await signIn('agent1', 'pw1');
    expect((await call('GET', '/api/agents/agent1', fresh.token)).statusCode).toBe(200);
  });

  it('gives playback tokens that end with it, and at sign-out', async () => {
    const clock = { now: Date.parse('2026-12-02T08:00:00Z') };
    const { call, signIn } = await api(policy(clock));
    const { token, expiresAt } = await signIn('agent1', 'pw1');
    const asked = await call('POST', '/api/recordings/playback-token', token);
    expect(asked.json().expiresAt).toBe(expiresAt);
    const play = asked.json().token as string;
    const recording = async () =>
      (await call('GET', `/api/interactions/nothing/recording?play=${encodeURIComponent(play)}`)).json();
    expect(await recording()).toMatchObject({ code: 'INTERACTION_NOT_FOUND' }); // past the token check
    clock.now = Date.parse(expiresAt);
    expect(await recording()).toMatchObject({ code: 'TOKEN_EXPIRED' });

    clock.now = Date.parse('2026-12-02T09:00:00Z');
    const again = await signIn('agent1', 'pw1');
    const replay = (await call('POST', '/api/recordings/playback-token', again.token)).json().token as string;
    const replayed = async () =>
      (await call('GET', `/api/interactions/nothing/recording?play=${encodeURIComponent(replay)}`)).json();
    expect(await replayed()).toMatchObject({ code: 'INTERACTION_NOT_FOUND' });
    expect((await call('DELETE', '/api/agents/agent1/session', again.token)).statusCode).toBe(204);
    expect(await replayed()).toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('is refused when altered: another time of issue, another agent, the old format', async () => {
    const clock = { now: Date.parse('2026-12-02T08:00:00Z') };
    const { call, signIn } = await api(policy(clock));
    const { token } = await signIn('agent1', 'pw1');
    const [agent, issued, sig] = token.split('.');
    const later = (Number.parseInt(issued!, 36) + HOUR).toString(36);
    for (const forged of [
      `${agent}.${later}.${sig}`, // pushing its end out
      `agent2.${issued}.${sig}`,
      `${agent}.${sig}`, // a token of before tokens carried their time of issue
      `${agent}..${sig}`,
      `.${issued}.${sig}`,
    ]) {
      const reply = await call('GET', '/api/agents/agent1', forged);
      expect(reply.statusCode, forged).toBe(401);
      expect(reply.json().code, forged).toBe('TOKEN_INVALID');
    }
  });
});

describe('signing out', () => {
  it("ends every token of that agent, and only that agent's", async () => {
    const clock = { now: Date.parse('2026-12-02T08:00:00Z') };
    const { call, signIn } = await api(policy(clock));
    const desk = await signIn('agent1', 'pw1');
    const laptop = await signIn('agent1', 'pw1');
    const other = await signIn('agent2', 'pw2');

    expect((await call('DELETE', '/api/agents/agent1/session', desk.token)).statusCode).toBe(204);
    for (const token of [desk.token, laptop.token]) {
      const reply = await call('GET', '/api/agents/agent1', token);
      expect(reply.statusCode).toBe(401);
      expect(reply.json().code).toBe('TOKEN_INVALID');
    }
    expect((await call('GET', '/api/agents/agent2', other.token)).statusCode).toBe(200);
    const again = await signIn('agent1', 'pw1');
    expect((await call('GET', '/api/agents/agent1', again.token)).statusCode).toBe(200);
  });

  it('is for the agent themself or a supervisor', async () => {
    const clock = { now: Date.parse('2026-12-02T08:00:00Z') };
    const { call, signIn } = await api(policy(clock));
    const one = await signIn('agent1', 'pw1');
    const two = await signIn('agent2', 'pw2');
    const refused = await call('DELETE', '/api/agents/agent2/session', one.token);
    expect(refused.statusCode).toBe(403);
    expect((await call('GET', '/api/agents/agent2', two.token)).statusCode).toBe(200);
    expect((await call('DELETE', '/api/agents/agent2/session', SUPERVISOR)).statusCode).toBe(204);
    expect((await call('GET', '/api/agents/agent2', two.token)).statusCode).toBe(401);
    expect((await call('DELETE', '/api/agents/nobody/session', SUPERVISOR)).statusCode).toBe(404);
    expect((await call('DELETE', '/api/agents/agent1/session')).statusCode).toBe(401);
  });

  it('holds through a restart of the service (the sign-out is stored)', async () => {
    const clock = { now: Date.parse('2026-12-02T08:00:00Z') };
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const store = new AgentSignOutStore(db);
    const first = await api(policy(clock, store));
    const before = await first.signIn('agent1', 'pw1');
    const kept = await first.signIn('agent2', 'pw2');
    expect((await first.call('DELETE', '/api/agents/agent1/session', before.token)).statusCode).toBe(204);

    // The next run of the service: the same secret and passwords, its sign-outs read from the store.
    const second = await api(policy(clock, store, await store.all()));
    expect((await second.call('GET', '/api/agents/agent1', before.token)).statusCode).toBe(401);
    expect((await second.call('GET', '/api/agents/agent2', kept.token)).statusCode).toBe(200);
    const after = await second.signIn('agent1', 'pw1');
    expect((await second.call('GET', '/api/agents/agent1', after.token)).statusCode).toBe(200);
  });

  it('that could not be stored is refused with a 503, the tokens already ended', async () => {
    const clock = { now: Date.parse('2026-12-02T08:00:00Z') };
    const { call, signIn } = await api({
      ...policy(clock),
      persistSignOut: () => Promise.reject(new Error('SQLITE_FULL')),
    });
    const { token } = await signIn('agent1', 'pw1');
    const reply = await call('DELETE', '/api/agents/agent1/session', token);
    expect(reply.statusCode).toBe(503);
    expect(reply.json()).toMatchObject({ code: 'SIGN_OUT_NOT_STORED' });
    expect((await call('GET', '/api/agents/agent1', token)).statusCode).toBe(401);
  });
});

describe("an agent's live stream", () => {
  const apps: { close(): Promise<unknown> }[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function stream(ttlMs: number) {
    const server = await streamServer({ ttlMs });
    apps.push(server.app);
    return server;
  }

  it("ends when the agent signs out, telling the page why; a supervisor's stays", async () => {
    const { auth, open } = await stream(HOUR);
    const ann = open(auth.signIn('ann', 'pw').token);
    const supervisor = open('sup-token');
    await Promise.all([ann.opened, supervisor.opened]);
    await auth.signOut('ann');
    expect(await ann.closed).toBe(4401);
    expect(ann.messages.at(-1)).toMatchObject({ type: 'error', code: 'SIGNED_OUT' });
    expect(supervisor.ws.readyState).toBe(WebSocket.OPEN);
    supervisor.ws.close();
  });

  it("opens from a browser with the token as a subprotocol (answered with the stream's only), never from the URL", async () => {
    const { auth, open } = await stream(HOUR);
    const token = auth.signIn('ann', 'pw').token;
    const page = open(token, 'protocol');
    await page.opened;
    expect(page.messages[0]).toMatchObject({ type: 'snapshot' });
    expect(page.ws.protocol).toBe('cc-events'); // the token is not echoed back
    page.ws.close();
    const forged = open(`${token}x`, 'protocol');
    expect(await forged.closed).toBe(4401);
    expect(forged.messages.at(-1)).toMatchObject({ type: 'error', code: 'TOKEN_INVALID' });
    const inUrl = open(token, 'url');
    expect(await inUrl.closed).toBe(4401);
    expect(inUrl.messages.at(-1)).toMatchObject({ type: 'error', code: 'TOKEN_IN_URL' });
  });

  it('ends when its token runs out', async () => {
    const { auth, open } = await stream(400);
    const ann = open(auth.signIn('ann', 'pw').token);
    await ann.opened;
    expect(ann.ws.readyState).toBe(WebSocket.OPEN);
    expect(await ann.closed).toBe(4401);
    expect(ann.messages.at(-1)).toMatchObject({ type: 'error', code: 'TOKEN_EXPIRED' });
  });
});
