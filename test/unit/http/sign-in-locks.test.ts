/**
 * Sign-in locks over the API (the real app and auth): wrong passwords at the agents' and supervisors'
 * sign-ins lock that account from that address (429, Retry-After), even the right password, while the same
 * agent elsewhere signs in; supervisors list the locks, see them raised live (agents do not) and lift them,
 * on record as theirs. Behind a trusted proxy the client's address counts. A clock the test moves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/events/event-hub.js';
import { mayReceive } from '../../../src/http/plugins/events/index.js';
import { buildApi } from './http-harness.js';
import { tokenPolicy } from './token-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
afterEach(async () => {
  await api.app.close();
});

const MIN = 60_000;
const POLICY = { failures: 3, addressFailures: 10, windowMs: 15 * MIN, lockMs: 15 * MIN };

async function lockedApi(trustedProxies?: string[]) {
  const clock = { now: Date.parse('2026-12-06T09:00:00Z') };
  api = await buildApi({
    tokens: tokenPolicy(clock),
    signInLocks: { policy: POLICY, now: () => clock.now },
    ...(trustedProxies ? { trustedProxies } : {}),
  });
  const seen: StreamEvent[] = [];
  api.hub.subscribe((e) => seen.push(e));
  const agentSignIn = (password: string, from = '10.0.0.9', headers: Record<string, string> = {}) =>
    api.app.inject({
      method: 'POST',
      url: '/api/agents/agent1/session',
      payload: { password },
      remoteAddress: from,
      headers,
    });
  return { clock, seen, agentSignIn };
}

describe('sign-in locks', () => {
  it('lock an agent out from where the wrong passwords came, until a supervisor lifts it', async () => {
    const { clock, seen, agentSignIn } = await lockedApi();
    const first = await agentSignIn('guess1');
    expect(first.statusCode).toBe(401);
    expect(first.json()).toEqual({
      code: 'SIGN_IN_FAILED',
      message: 'agent id or password is wrong (2 more wrong tries and sign-in is locked for a while)',
    });
    const second = await agentSignIn('guess2');
    expect(second.json().message).toBe(
      'agent id or password is wrong (1 more wrong try and sign-in is locked for a while)',
    );
    const third = await agentSignIn('guess3');
    expect(third.statusCode).toBe(429);
    expect(third.headers['retry-after']).toBe(String(15 * 60));
    expect(third.json()).toEqual({
      code: 'SIGN_IN_LOCKED',
      message:
        'too many wrong passwords: sign-in for agent agent1 from 10.0.0.9 is locked until 2026-12-06T09:15:00.000Z (15 min). A supervisor can lift the lock sooner (wallboard, Sign-in locks).',
    });
    // Even the right password, from there; agent1 at their own desk signs in.
    clock.now += 5 * MIN;
    const right = await agentSignIn('pw1');
    expect(right.statusCode).toBe(429);
    expect(right.headers['retry-after']).toBe(String(10 * 60));
    expect((await agentSignIn('pw1', '10.0.0.7')).statusCode).toBe(200);

    // On the supervisors' stream only.
    const raised = seen.filter((e) => e.type === 'signin.locked');
    expect(raised.map((e) => e.data)).toEqual([
      {
        lock: {
          id: 'agent1@10.0.0.9',
          account: { type: 'agent', agentId: 'agent1' },
          address: '10.0.0.9',
          failures: 3,
          strike: 1,
          lockedAt: '2026-12-06T09:00:00.000Z',
          until: '2026-12-06T09:15:00.000Z',
          channel: 'api',
          text: 'agent agent1 from 10.0.0.9',
        },
      },
    ]);
    expect(mayReceive({ role: 'agent', agentId: 'agent1' }, raised[0]!)).toBe(false);
    expect(mayReceive({ role: 'supervisor' }, raised[0]!)).toBe(true);

    // Supervisors list it; agents may not.
    const sam = api.as(api.supervisorTokenOf('sam'));
    const listed = await api.app.inject({ method: 'GET', url: '/api/sign-in-locks', headers: sam });
    expect(listed.json()).toEqual({ items: [raised[0]!.data.lock] });
    const byAgent = await api.app.inject({
      method: 'GET',
      url: '/api/sign-in-locks',
      headers: api.as(api.tokenOf('agent2')),
    });
    expect(byAgent.statusCode).toBe(403);

    // Sam lifts it: on record as his, on the stream, and agent1 signs in from there.
    const lifted = await api.app.inject({
      method: 'DELETE',
      url: `/api/sign-in-locks/${encodeURIComponent('agent1@10.0.0.9')}`,
      headers: sam,
    });
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json()).toMatchObject({
      lock: { id: 'agent1@10.0.0.9' },
      by: { id: 'sam', name: 'Sam Super' },
    });
    expect(seen.filter((e) => e.type === 'signin.unlocked').map((e) => e.data)).toEqual([lifted.json()]);
    const changes = await api.app.inject({ method: 'GET', url: '/api/changes', headers: sam });
    expect(changes.json().changes[0]).toMatchObject({
      action: 'sign-in.unlocked',
      subject: 'agent1@10.0.0.9',
      by: { supervisor: { id: 'sam' } },
      before: { id: 'agent1@10.0.0.9', failures: 3 },
    });
    expect((await agentSignIn('pw1')).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'GET', url: '/api/sign-in-locks', headers: sam })).json()).toEqual(
      {
        items: [],
      },
    );
    const again = await api.app.inject({
      method: 'DELETE',
      url: `/api/sign-in-locks/${encodeURIComponent('agent1@10.0.0.9')}`,
      headers: sam,
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('SIGN_IN_LOCK_NOT_FOUND');
  });

  it('counts an unknown agent id as a wrong password, and runs out on its own', async () => {
    const { clock } = await lockedApi();
    const guess = (id: string) =>
      api.app.inject({
        method: 'POST',
        url: `/api/agents/${id}/session`,
        payload: { password: 'x' },
        remoteAddress: '10.0.0.9',
      });
    expect((await guess('nobody')).statusCode).toBe(401);
    expect((await guess('nobody')).statusCode).toBe(401);
    const locked = await guess('nobody');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().message).toContain('agent nobody from 10.0.0.9');
    clock.now += 15 * MIN;
    expect((await guess('nobody')).statusCode).toBe(401);
  });

  it("locks a supervisor's sign-in and the supervisor token's apart", async () => {
    await lockedApi();
    const sign = (body: object) =>
      api.app.inject({
        method: 'POST',
        url: '/api/supervisor/session',
        payload: body,
        remoteAddress: '10.0.0.5',
      });
    for (let i = 0; i < 2; i++)
      expect((await sign({ supervisorId: 'sam', password: 'nope' })).statusCode).toBe(401);
    const locked = await sign({ supervisorId: 'sam', password: 'nope' });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().message).toContain('supervisor sam from 10.0.0.5');
    expect((await sign({ supervisorId: 'sam', password: 'sam-password' })).statusCode).toBe(429);
    expect((await sign({ supervisorId: 'tess', password: 'tess-password' })).statusCode).toBe(200);
    expect((await sign({ supervisorToken: 'supervisor-token' })).statusCode).toBe(200);
  });

  it("behind a trusted proxy counts the client's address, and a client's own X-Forwarded-For is not believed", async () => {
    const { agentSignIn } = await lockedApi(['10.0.0.1']);
    const viaProxy = { 'x-forwarded-for': '203.0.113.5' };
    for (let i = 0; i < 3; i++) await agentSignIn('wrong', '10.0.0.1', viaProxy);
    const sam = api.as(api.supervisorTokenOf('sam'));
    const listed = await api.app.inject({ method: 'GET', url: '/api/sign-in-locks', headers: sam });
    expect(listed.json().items.map((l: { id: string }) => l.id)).toEqual(['agent1@203.0.113.5']);
    // Others behind the proxy sign in; a client claiming another address directly is counted as itself.
    expect((await agentSignIn('pw1', '10.0.0.1', { 'x-forwarded-for': '203.0.113.6' })).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) await agentSignIn('wrong', '10.0.0.44', { 'x-forwarded-for': '203.0.113.7' });
    const after = await api.app.inject({ method: 'GET', url: '/api/sign-in-locks', headers: sam });
    expect(
      after
        .json()
        .items.map((l: { id: string }) => l.id)
        .sort(),
    ).toEqual(['agent1@10.0.0.44', 'agent1@203.0.113.5']);
  });

  it('keeps locks on record: one in force holds through a restart, and the history says who was locked out and who lifted it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-locks-'));
    const database = join(dir, 'cc.db');
    try {
      const clock = { now: Date.parse('2026-12-06T09:00:00Z') };
      const start = () =>
        buildApi({
          database,
          tokens: tokenPolicy(clock),
          signInLocks: { policy: POLICY, now: () => clock.now },
        });
      const signIn = (password: string, from: string) =>
        api.app.inject({
          method: 'POST',
          url: '/api/agents/agent1/session',
          payload: { password },
          remoteAddress: from,
        });
      api = await start();
      for (let i = 0; i < 3; i++) await signIn('wrong', '10.0.0.9');
      for (let i = 0; i < 3; i++) await signIn('wrong', '10.0.0.8');
      const sam = api.as(api.supervisorTokenOf('sam'));
      const lifted = await api.app.inject({
        method: 'DELETE',
        url: `/api/sign-in-locks/${encodeURIComponent('agent1@10.0.0.8')}`,
        headers: sam,
      });
      expect(lifted.statusCode).toBe(200);
      await api.app.close();

      // A restart 5 minutes on: 10.0.0.9's lock holds (and counts as a strike), 10.0.0.8 was lifted.
      clock.now += 5 * MIN;
      api = await start();
      const held = await signIn('pw1', '10.0.0.9');
      expect(held.statusCode).toBe(429);
      expect(held.headers['retry-after']).toBe(String(10 * 60));
      expect((await signIn('pw1', '10.0.0.8')).statusCode).toBe(200);
      const history = await api.app.inject({
        url: '/api/sign-in-locks/history?from=2026-12-06T00:00:00Z',
        headers: api.as(api.supervisorTokenOf('sam')),
      });
      expect(history.statusCode, history.body).toBe(200);
      expect(history.json().items).toEqual([
        expect.objectContaining({
          id: 'agent1@10.0.0.8',
          failures: 3,
          liftedAt: '2026-12-06T09:00:00.000Z',
          liftedBy: { id: 'sam', name: 'Sam Super' },
        }),
        expect.objectContaining({ id: 'agent1@10.0.0.9', until: '2026-12-06T09:15:00.000Z' }),
      ]);
      expect(history.json().items[1].liftedAt).toBeUndefined();
      const badRange = await api.app.inject({
        url: '/api/sign-in-locks/history?from=2026-12-07T00:00:00Z&to=2026-12-06T00:00:00Z',
        headers: api.as(api.supervisorTokenOf('sam')),
      });
      expect(badRange.statusCode).toBe(400);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("counts the phone server's refused SIP passwords with the API's", async () => {
    const { agentSignIn } = await lockedApi();
    api.auth.locks.failed({ type: 'agent', agentId: 'agent1' }, '10.0.0.9', 'sip');
    api.auth.locks.failed({ type: 'agent', agentId: 'agent1' }, '10.0.0.9', 'sip');
    const third = await agentSignIn('wrong');
    expect(third.statusCode).toBe(429);
    api.auth.locks.lift('agent1@10.0.0.9');
    for (let i = 0; i < 3; i++)
      api.auth.locks.failed({ type: 'agent', agentId: 'agent1' }, '10.0.0.9', 'sip');
    const right = await agentSignIn('pw1');
    expect(right.statusCode).toBe(429);
    const sam = api.as(api.supervisorTokenOf('sam'));
    const listed = await api.app.inject({ method: 'GET', url: '/api/sign-in-locks', headers: sam });
    expect(listed.json().items).toEqual([expect.objectContaining({ channel: 'sip', strike: 1 })]);
  });
});
