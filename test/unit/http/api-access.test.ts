/** Who may read and change what over the API (the real app, an in-memory database). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiAuth } from '../../../src/http/auth.js';
import { InteractionLog } from '../../../src/store/interaction-log.js';
import { asSeenBy } from '../../../src/http/plugins/events/index.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
beforeEach(async () => {
  api = await buildApi();
});
afterEach(async () => {
  await api.app.close();
});

const T0 = Date.parse('2026-12-01T10:00:00Z');

/** An inbound call agent1 answered from the queue. */
async function callHandledBy(agentId: string) {
  const id = await api.callHandledBy(agentId, { startedAt: T0 });
  await api.log.saveContact({ number: '+15551230000', name: 'Carol', notes: 'card ending 4242' }, T0);
  return id;
}

/** The call rang agent1 and agent2 both (ring-all) before agent1 took it. */
async function offeredToBoth(id: string) {
  await api.log.record(id, T0 + 1000, {
    type: 'acd.offered',
    payload: {
      queueId: 'sales',
      agentIds: ['agent1', 'agent2'],
      ringTimeoutSeconds: 20,
      why: { strategy: 'ring_all', rule: 'all', considered: [] },
    },
  });
}

/** agent1 blind-transfers the call to agent2, who becomes its last agent. */
async function transferredToAgent2(id: string) {
  await api.log.record(
    id,
    T0 + 60_000,
    {
      type: 'call.transferred',
      payload: {
        agentId: 'agent1',
        kind: 'blind',
        target: { type: 'agent', id: 'agent2' },
        step: 'completed',
      },
    },
    { agent_id: 'agent2' },
  );
}

const get = (url: string, token?: string) =>
  api.app.inject({ url, ...(token ? { headers: api.as(token) } : {}) });

describe('calls and their callers are read by the agents who took part in them', () => {
  it('refuses another agent the screen pop and the parties of a call, as it refuses the interaction', async () => {
    const id = await callHandledBy('agent1');
    const other = api.tokenOf('agent2');
    expect((await get(`/api/interactions/${id}`, other)).statusCode).toBe(403);
    const pop = await get(`/api/calls/${id}/screen-pop`, other);
    expect(pop.statusCode).toBe(403);
    expect(pop.body).not.toContain('4242');
    expect((await get(`/api/calls/${id}/parties`, other)).statusCode).toBe(403);
    const own = await get(`/api/calls/${id}/screen-pop`, api.tokenOf('agent1'));
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ contact: { notes: 'card ending 4242' } });
    expect((await get(`/api/calls/${id}/screen-pop`, SUPERVISOR)).statusCode).toBe(200);
  });

  it('lets an agent offered the call read its screen pop while it rings', async () => {
    const id = await api.log.open({ direction: 'inbound', callerNumber: '+15551230000', startedAt: T0 });
    await api.log.record(id, T0 + 1000, {
      type: 'acd.offered',
      payload: {
        queueId: 'sales',
        agentIds: ['agent2'],
        ringTimeoutSeconds: 20,
        why: { strategy: 'longest_idle', rule: 'longest idle', considered: [] },
      },
    });
    expect((await get(`/api/calls/${id}/screen-pop`, api.tokenOf('agent2'))).statusCode).toBe(200);
    expect((await get(`/api/calls/${id}/screen-pop`, api.tokenOf('agent1'))).statusCode).toBe(403);
  });

  it("shows the caller's history in the screen pop, without the recordings and IVR data of a colleague's calls", async () => {
    const earlier = await callHandledBy('agent1');
    await api.log.record(
      earlier,
      T0 + 9000,
      { type: 'recording.started', payload: { name: earlier, path: `${earlier}.wav` } },
      {
        recording_path: `${earlier}.wav`,
        notes: 'wants a refund',
        caller_data: JSON.stringify({ account: '12345' }),
      },
    );
    const now = await api.log.open({
      direction: 'inbound',
      callerNumber: '+15551230000',
      startedAt: T0 + 60_000,
    });
    await api.log.record(
      now,
      T0 + 61_000,
      {
        type: 'acd.connected',
        payload: { agentId: 'agent2', queueId: 'sales', waitSeconds: 1, bridgeId: 'b2' },
      },
      { agent_id: 'agent2', queue_id: 'sales' },
    );
    const pop = await get(`/api/calls/${now}/screen-pop`, api.tokenOf('agent2'));
    expect(pop.statusCode).toBe(200);
    const recent = pop.json().recent as {
      id: string;
      notes: string;
      recording: string | null;
      callerData: object;
    }[];
    expect(recent).toEqual([
      expect.objectContaining({ id: earlier, notes: 'wants a refund', recording: null, callerData: {} }),
    ]);
    // A supervisor, and the agent who took that call, see it whole.
    const whole = (await get(`/api/calls/${now}/screen-pop`, SUPERVISOR)).json().recent[0];
    expect(whole).toMatchObject({ recording: `${earlier}.wav`, callerData: { account: '12345' } });
  });

  it('keeps a call readable, and its wrap-up writable, for the agent who transferred it on', async () => {
    const id = await callHandledBy('agent1');
    await transferredToAgent2(id);
    const first = api.tokenOf('agent1');
    expect((await get(`/api/interactions/${id}`, first)).statusCode).toBe(200);
    expect((await get(`/api/interactions/${id}`, api.tokenOf('agent2'))).statusCode).toBe(200);
    // agent1's seat is not on the call any more (wrap-up ran out) and the notes still go on it.
    const saved = await api.app.inject({
      method: 'POST',
      url: `/api/interactions/${id}/wrap-up`,
      headers: api.as(first),
      payload: { code: 'resolved', notes: 'sent on to billing' },
    });
    expect(saved.statusCode).toBe(200);
    expect((await api.log.get(id))?.notes).toBe('sent on to billing');
  });

  it("lists a call transferred on in both agents' own lists, and a colleague's call in neither", async () => {
    const colleagues = await callHandledBy('agent2');
    const id = await callHandledBy('agent1');
    await transferredToAgent2(id);
    const listed = async (agentId: string) =>
      (await get('/api/interactions', api.tokenOf(agentId))).json().items.map((i: { id: string }) => i.id);
    expect(await listed('agent1')).toEqual([id]);
    expect((await listed('agent2')).sort()).toEqual([id, colleagues].sort());
    // A supervisor's ?agentId= filter finds it under the agent who passed it on, too.
    const filtered = await get('/api/interactions?agentId=agent1', SUPERVISOR);
    expect(filtered.json()).toMatchObject({ total: 1, items: [{ id, agentId: 'agent2' }] });
  });

  it('does not let an agent who was merely offered a call write its wrap-up', async () => {
    const id = await callHandledBy('agent1');
    await offeredToBoth(id);
    const saved = await api.app.inject({
      method: 'POST',
      url: `/api/interactions/${id}/wrap-up`,
      headers: api.as(api.tokenOf('agent2')),
      payload: { code: 'resolved', notes: 'not mine' },
    });
    expect(saved.statusCode).toBe(403);
  });

  it('does not play the recording to an agent whose phone only rang for the call; it does to the one who talked', async () => {
    const id = await callHandledBy('agent1');
    await offeredToBoth(id);
    expect((await get(`/api/interactions/${id}`, api.tokenOf('agent2'))).statusCode).toBe(200); // the record
    const rang = await get(`/api/interactions/${id}/recording`, api.tokenOf('agent2'));
    expect(rang.statusCode).toBe(403);
    expect(rang.json()).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/talked on the call/),
    });
    // The agent who talked gets past the check (this test server keeps no recordings: 404, not 403).
    const talked = await get(`/api/interactions/${id}/recording`, api.tokenOf('agent1'));
    expect(talked.json()).toMatchObject({ code: 'RECORDING_NOT_FOUND' });
  });

  it('plays a recording with a playback token in the URL (same rules), which opens nothing else', async () => {
    const id = await callHandledBy('agent1');
    await offeredToBoth(id);
    const playbackToken = async (token?: string) =>
      api.app.inject({
        method: 'POST',
        url: '/api/recordings/playback-token',
        headers: token ? api.as(token) : {},
      });
    const play = async (token: string) => (await playbackToken(token)).json().token as string;
    const [p1, p2, ps] = [
      await play(api.tokenOf('agent1')),
      await play(api.tokenOf('agent2')),
      await play(SUPERVISOR),
    ];
    const recording = (token: string) =>
      get(`/api/interactions/${id}/recording?play=${encodeURIComponent(token)}`);
    // Past the checks (no recordings kept here: 404, not 401 or 403), for the agent who talked and a supervisor.
    expect((await recording(p1)).json()).toMatchObject({ code: 'RECORDING_NOT_FOUND' });
    expect((await recording(ps)).json()).toMatchObject({ code: 'RECORDING_NOT_FOUND' });
    // The same rules as the bearer token's: agent2's phone only rang.
    expect((await recording(p2)).statusCode).toBe(403);
    // It is no bearer token, and no other route reads ?play=.
    expect((await get(`/api/interactions/${id}`, p1)).statusCode).toBe(401);
    expect((await get(`/api/interactions/${id}?play=${encodeURIComponent(p1)}`)).statusCode).toBe(401);
    // Altered (another agent's name on it): refused.
    const forged = await recording(p1.replace('play.agent1.', 'play.agent2.'));
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toMatchObject({ code: 'TOKEN_INVALID' });
    expect((await playbackToken()).statusCode).toBe(401);
  });
});

describe('queue definitions and flows are for supervisors', () => {
  it('refuses queue definitions without a token (401) and to agents (403); stats need a sign-in', async () => {
    expect((await get('/api/queues')).statusCode).toBe(401);
    expect((await get('/api/queues/sales')).statusCode).toBe(401);
    expect((await get('/api/queues', api.tokenOf('agent1'))).statusCode).toBe(403);
    const list = await get('/api/queues', SUPERVISOR);
    expect(list.statusCode).toBe(200);
    expect(list.json()[0]).toMatchObject({ id: 'sales', vipNumbers: ['+15559990001'] });
    expect((await get('/api/queues/sales/stats')).statusCode).toBe(401);
    expect((await get('/api/queues/sales/stats', api.tokenOf('agent1'))).statusCode).toBe(200);
    expect((await get('/api/flows')).statusCode).toBe(401);
  });
});

describe('an interaction whose timeline holds an entry no schema describes', () => {
  it('is still served, the entry as stored (written by another version, say)', async () => {
    const id = await callHandledBy('agent1');
    InteractionLog.strict = false; // what the service does: it writes whatever the call produced
    try {
      const odd = { agentId: 'agent1', heldSeconds: 3, totalHoldSeconds: 3, fromTheFuture: true };
      await api.log.record(id, T0 + 9000, { type: 'call.resumed', payload: odd as never });
      await api.log.record(id, T0 + 9500, { type: 'call.teleported', payload: { to: 'mars' } } as never);
    } finally {
      InteractionLog.strict = true;
    }
    const r = await get(`/api/interactions/${id}`, SUPERVISOR);
    expect(r.statusCode).toBe(200);
    const timeline = r.json().timeline as { type: string; payload: Record<string, unknown> }[];
    expect(timeline.find((e) => e.type === 'call.resumed')?.payload).toMatchObject({ fromTheFuture: true });
    expect(timeline.find((e) => e.type === 'call.teleported')?.payload).toEqual({ to: 'mars' });
  });
});

describe('the interaction list', () => {
  it('takes a caller number whose + the query string made a space', async () => {
    await api.log.open({ direction: 'inbound', callerNumber: '+15551230000', startedAt: T0 });
    const r = await get('/api/interactions?callerNumber=+15551230000', SUPERVISOR);
    expect(r.statusCode).toBe(200);
    expect(r.json().total).toBe(1);
  });

  it('refuses a token in the URL, even a good one, and says where it goes instead', async () => {
    for (const url of [
      `/api/interactions?token=${SUPERVISOR}`,
      `/api/reports/queues?from=2026-12-01&to=2026-12-01&format=csv&token=${SUPERVISOR}`,
      `/api/queues?token=${SUPERVISOR}`,
    ]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(401);
      expect(r.json()).toMatchObject({
        code: 'TOKEN_IN_URL',
        message: expect.stringContaining('Authorization: Bearer'),
      });
    }
    // With the header as well, the header is what counts.
    expect((await get(`/api/interactions?token=wrong`, SUPERVISOR)).statusCode).toBe(200);
  });

  it('tells a missing token from one it does not recognise, and says what to do about each', async () => {
    const none = await get('/api/interactions');
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/^sign in first/),
    });
    for (const token of ['not-the-supervisor-token', 'agent1.forged-signature']) {
      const wrong = await get('/api/interactions', token);
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json()).toMatchObject({
        code: 'TOKEN_INVALID',
        message: expect.stringContaining('check the supervisor token, or sign in again'),
      });
    }
  });
});

describe("an agent's figures for today", () => {
  it('count the state just left when asked right after the change', async () => {
    const token = api.tokenOf('agent1');
    const post = (url: string, payload?: object) =>
      api.app.inject({ method: 'POST', url, headers: api.as(token), ...(payload ? { payload } : {}) });
    expect((await post('/api/agents/agent1/login')).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 600));
    expect((await post('/api/agents/agent1/not-ready', { reason: 'break' })).statusCode).toBe(200);
    const stats = (await get('/api/agents/agent1/stats/today', token)).json();
    expect(stats.secondsInState.available).toBeGreaterThan(0.5);
  });
});

describe('agent tokens', () => {
  it("end when the agent's password changes, and only that agent's", () => {
    const before = new ApiAuth(
      'secret',
      SUPERVISOR,
      new Map([
        ['ann', 'old-pw'],
        ['bob', 'pw'],
      ]),
    );
    const after = new ApiAuth(
      'secret',
      SUPERVISOR,
      new Map([
        ['ann', 'new-pw'],
        ['bob', 'pw'],
      ]),
    );
    const request = (token: string) =>
      ({ headers: { authorization: `Bearer ${token}` }, query: {} }) as never;
    const ann = before.signIn('ann', 'old-pw').token;
    const bob = before.signIn('bob', 'pw').token;
    expect(before.principal(request(ann))).toEqual({ role: 'agent', agentId: 'ann' });
    expect(after.principal(request(ann))).toBeUndefined();
    expect(after.principal(request(bob))).toEqual({ role: 'agent', agentId: 'bob' });
    expect(after.principal(request(after.signIn('ann', 'new-pw').token))).toEqual({
      role: 'agent',
      agentId: 'ann',
    });
  });
});

describe('the live stream as an agent sees it', () => {
  const event = (type: string, data: Record<string, unknown>) => ({
    seq: 1,
    stream: 's',
    at: '2026-12-01T10:00:00.000Z',
    topic: 'interaction' as const,
    type,
    data,
  });
  const agent1 = { role: 'agent' as const, agentId: 'agent1' };

  it("keeps a colleague's customer's number and name out, and leaves them on the agent's own calls", () => {
    const colleagues = event('call.outbound', {
      interactionId: 'i1',
      agentId: 'agent2',
      number: '+15551230000',
    });
    expect(asSeenBy(agent1, colleagues).data).toEqual({ interactionId: 'i1', agentId: 'agent2' });
    const own = event('call.outbound', { interactionId: 'i2', agentId: 'agent1', number: '+15551230000' });
    expect(asSeenBy(agent1, own).data).toMatchObject({ number: '+15551230000' });
    const unserved = event('call.unserved', {
      interactionId: 'i3',
      callerNumber: '+1555',
      callerName: 'Ann',
    });
    expect(asSeenBy(agent1, unserved).data).toEqual({ interactionId: 'i3' });
  });

  it("keeps the number a colleague transfers, consults or conferences to out; agents' and queues' ids stay", () => {
    const toNumber = event('call.transferred', {
      interactionId: 'i1',
      agentId: 'agent2',
      from: 'agent2',
      to: '+15551230000',
      targetType: 'number',
    });
    expect(asSeenBy(agent1, toNumber).data).toEqual({
      interactionId: 'i1',
      agentId: 'agent2',
      from: 'agent2',
      targetType: 'number',
    });
    expect(asSeenBy({ role: 'agent', agentId: 'agent2' }, toNumber)).toBe(toNumber);
    // A consultation's target and a conference's party: the same rule.
    for (const [type, key, step] of [
      ['call.consult', 'target', 'dialing'],
      ['call.conference', 'party', 'joined'],
    ] as const) {
      const seen = event(type, {
        interactionId: 'i1',
        agentId: 'agent2',
        step,
        [key]: '+15551230000',
        targetType: 'number',
      });
      expect(asSeenBy(agent1, seen).data).not.toHaveProperty(key);
    }
    const toAgent = event('call.transferred', {
      interactionId: 'i1',
      agentId: 'agent2',
      from: 'agent2',
      to: 'agent1',
      targetType: 'agent',
    });
    expect(asSeenBy(agent1, toAgent)).toBe(toAgent);
  });

  it('shows supervisors everything, and every agent the voicemails (the team’s shared work)', () => {
    const unserved = event('call.unserved', { interactionId: 'i3', callerNumber: '+1555' });
    expect(asSeenBy({ role: 'supervisor' }, unserved)).toBe(unserved);
    const left = event('voicemail.left', { interactionId: 'v1', callerNumber: '+1555' });
    expect(asSeenBy(agent1, left).data).toMatchObject({ callerNumber: '+1555' });
  });
});

describe('flow versions', () => {
  it('serves a version that went live, source included, to supervisors only; an unknown one is a 404', async () => {
    const source = "export default defineFlow({ id: 'main' });\n";
    await api.flowVersions.keep({
      file: 'main.ts',
      flowId: 'main',
      version: '0123456789ab',
      source,
      loadedAt: T0,
    });
    const url = '/api/flows/versions/0123456789ab';
    const r = await get(url, SUPERVISOR);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      version: '0123456789ab',
      flowId: 'main',
      file: 'main.ts',
      source,
      firstLoadedAt: '2026-12-01T10:00:00.000Z',
      lastLoadedAt: '2026-12-01T10:00:00.000Z',
    });
    expect((await get(url)).statusCode).toBe(401);
    expect((await get(url, api.tokenOf('agent1'))).statusCode).toBe(403);
    const unknown = await get('/api/flows/versions/ffffffffffff', SUPERVISOR);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'FLOW_VERSION_UNKNOWN' });
    expect((await get('/api/flows/versions/not-a-version', SUPERVISOR)).statusCode).toBe(400);
  });
});
