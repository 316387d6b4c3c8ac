/**
 * Supervisors' sessions: the supervisor token is exchanged for a session token that runs out and can be
 * ended for every supervisor at once (also across a restart); the supervisor token itself stays good for
 * tools. The real HTTP app, auth and an in-memory SQLite store; the live stream on a real socket.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiAuth } from '../../../src/http/auth.js';
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

describe("a named supervisor's session", () => {
  const named = async (clock: { now: number }, store?: AgentSignOutStore, signOuts?: Map<string, number>) => {
    const built = await api(policy(clock, store, signOuts));
    const signInAs = async (supervisorId: string, password: string) => {
      const reply = await built.call('POST', '/api/supervisor/session', undefined, {
        supervisorId,
        password,
      });
      expect(reply.statusCode, reply.body).toBe(200);
      return reply.json() as { token: string; expiresAt: string; supervisor?: { id: string; name: string } };
    };
    return { ...built, signInAs };
  };

  it('is given for their id and password, says who it is, and is good for what a supervisor may do', async () => {
    const clock = { now: Date.parse('2026-12-03T08:00:00Z') };
    const { call, signInAs, signIn, tokenOf } = await named(clock);
    for (const wrong of [
      { supervisorId: 'sam', password: 'tess-password' },
      { supervisorId: 'nobody', password: 'sam-password' },
      { supervisorId: 'sam', password: 'sam-passwor' },
    ]) {
      const refused = await call('POST', '/api/supervisor/session', undefined, wrong);
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toEqual({
        code: 'SIGN_IN_FAILED',
        message: 'supervisor id or password is wrong',
      });
    }
    const mixed = await call('POST', '/api/supervisor/session', undefined, {
      supervisorId: 'sam',
      password: 'sam-password',
      supervisorToken: SUPERVISOR,
    });
    expect(mixed.statusCode).toBe(400);
    const sam = await signInAs('sam', 'sam-password');
    expect(sam.token.startsWith('~sam.')).toBe(true);
    expect(sam.token).not.toContain('sam-password');
    expect(sam).toMatchObject({
      expiresAt: '2026-12-03T16:00:00.000Z',
      supervisor: { id: 'sam', name: 'Sam Super' },
    });
    expect((await call('GET', '/api/queues', sam.token)).statusCode).toBe(200);
    const who = await call('GET', '/api/supervisor/session', sam.token);
    expect(who.json()).toEqual({ supervisor: { id: 'sam', name: 'Sam Super' }, expiresAt: sam.expiresAt });
    // The supervisor token's session is nobody in particular; the token itself does not run out.
    const anonymous = await signIn();
    expect(anonymous).not.toHaveProperty('supervisor');
    expect((await call('GET', '/api/supervisor/session', anonymous.token)).json()).toEqual({
      expiresAt: anonymous.expiresAt,
    });
    expect((await call('GET', '/api/supervisor/session', SUPERVISOR)).json()).toEqual({});
    expect((await call('GET', '/api/supervisor/session', tokenOf('agent1'))).statusCode).toBe(403);
    expect((await call('GET', '/api/supervisor/session')).statusCode).toBe(401);
  });

  it("is refused when altered: another supervisor's name on it, the anonymous form, a later time", async () => {
    const clock = { now: Date.parse('2026-12-03T08:00:00Z') };
    const { call, signInAs } = await named(clock);
    const { token } = await signInAs('sam', 'sam-password');
    const [, issued, sig] = token.split('.') as [string, string, string];
    const later = (Number.parseInt(issued, 36) + HOUR).toString(36);
    for (const forged of [
      `~tess.${issued}.${sig}`,
      `~.${issued}.${sig}`,
      `~sam.${later}.${sig}`,
      `~nobody.${issued}.${sig}`,
    ]) {
      const reply = await call('GET', '/api/queues', forged);
      expect(reply.statusCode, forged).toBe(401);
      expect(reply.json().code).toBe('TOKEN_INVALID');
    }
  });

  it('ends at their sign-out (theirs only, a playback token with it, through a restart) and with every session', async () => {
    const clock = { now: Date.parse('2026-12-03T08:00:00Z') };
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const store = new AgentSignOutStore(db);
    const first = await named(clock, store);
    const sam = await first.signInAs('sam', 'sam-password');
    const samElsewhere = await first.signInAs('sam', 'sam-password');
    const tess = await first.signInAs('tess', 'tess-password');
    const anonymous = await first.signIn();
    const asked = (await first.call('POST', '/api/recordings/playback-token', sam.token)).json();
    const recording = async () =>
      (
        await first.call('GET', `/api/interactions/nothing/recording?play=${encodeURIComponent(asked.token)}`)
      ).json();
    expect(await recording()).toMatchObject({ code: 'INTERACTION_NOT_FOUND' }); // past the token check
    const agent = first.tokenOf('agent1');
    expect((await first.call('DELETE', '/api/supervisors/sam/session', agent)).statusCode).toBe(403);
    const unknown = await first.call('DELETE', '/api/supervisors/nobody/session', tess.token);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      code: 'SUPERVISOR_NOT_FOUND',
      message: 'no supervisor nobody is configured',
    });
    expect((await first.call('DELETE', '/api/supervisors/sam/session', sam.token)).statusCode).toBe(204);
    for (const ended of [sam, samElsewhere]) {
      const reply = await first.call('GET', '/api/queues', ended.token);
      expect(reply.statusCode).toBe(401);
      expect(reply.json().message).toMatch(/it was signed out/);
    }
    expect(await recording()).toMatchObject({ code: 'TOKEN_INVALID' });
    for (const kept of [tess, anonymous])
      expect((await first.call('GET', '/api/queues', kept.token)).statusCode).toBe(200);

    const second = await named(clock, store, await store.all());
    expect((await second.call('GET', '/api/queues', sam.token)).statusCode).toBe(401);
    const again = await second.signInAs('sam', 'sam-password');
    expect((await second.call('GET', '/api/queues', again.token)).statusCode).toBe(200);
    // Ending every supervisor session ends the named ones too.
    expect((await second.call('DELETE', '/api/supervisor/session', SUPERVISOR)).statusCode).toBe(204);
    for (const ended of [again, tess])
      expect((await second.call('GET', '/api/queues', ended.token)).statusCode).toBe(401);
  });

  it('is bound to their password: a changed password ends it', async () => {
    const clock = { now: Date.parse('2026-12-03T08:00:00Z') };
    const account = (password: string) => [{ id: 'sam', name: 'Sam Super', password }];
    const before = new ApiAuth('secret', 'sup-token', new Map(), policy(clock), account('sam-password'));
    const { token } = before.supervisorSignIn({ supervisorId: 'sam', password: 'sam-password' });
    const request = { headers: { authorization: `Bearer ${token}` }, query: {} } as never;
    expect(before.principal(request)).toEqual({
      role: 'supervisor',
      supervisor: { id: 'sam', name: 'Sam Super' },
    });
    const after = new ApiAuth('secret', 'sup-token', new Map(), policy(clock), account('new-password'));
    expect(after.principal(request)).toBeUndefined();
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
    const session = open(auth.supervisorSignIn({ supervisorToken: 'sup-token' }).token);
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

  it("ends at the named supervisor's sign-out, saying who; another session stays", async () => {
    const { auth, open } = await stream(HOUR);
    const sam = open(auth.supervisorSignIn({ supervisorId: 'sam', password: 'sam-password' }).token);
    const anonymous = open(auth.supervisorSignIn({ supervisorToken: 'sup-token' }).token);
    await Promise.all([sam.opened, anonymous.opened]);
    await auth.signOut('~sam');
    expect(await sam.closed).toBe(4401);
    expect(sam.messages.at(-1)).toMatchObject({
      type: 'error',
      code: 'SIGNED_OUT',
      message: 'Sam Super signed out: sign in again',
    });
    expect(anonymous.ws.readyState).toBe(WebSocket.OPEN);
    anonymous.ws.close();
  });

  it('ends when the session runs out', async () => {
    const { auth, open } = await stream(400);
    const session = open(auth.supervisorSignIn({ supervisorToken: 'sup-token' }).token);
    await session.opened;
    expect(await session.closed).toBe(4401);
    expect(session.messages.at(-1)).toMatchObject({ type: 'error', code: 'TOKEN_EXPIRED' });
  });
});
