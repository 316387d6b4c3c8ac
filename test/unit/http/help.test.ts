/**
 * Agents asking a supervisor for help over the API (the real app, help desk, event hub and SQLite log; fake
 * Asterisk): asked with a note, taken on by one supervisor, ended; on the call's timeline, on the stream (an
 * agent sees only their own), on record, and kept over a restart for agents still signed in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { HelpDesk } from '../../../src/calls/supervise/help-desk.js';
import { mayReceive, snapshotSeenBy } from '../../../src/http/plugins/events/index.js';
import type { StreamEvent } from '../../../src/events/event-hub.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
let told: StreamEvent[];
beforeEach(async () => {
  api = await buildApi();
  told = [];
  api.hub.subscribe((event) => {
    if (event.type === 'agent.help') told.push(event);
  });
});
afterEach(async () => {
  await api.app.close();
});

const login = (agentId: string) =>
  api.acd.input({ type: 'agent', agentId, input: { type: 'login', endpoint: `PJSIP/${agentId}` } });
/** agent1 on a call of its own (an outbound one: a seat with a call, as a queue call would give it). */
const onACall = async () => {
  const interactionId = await api.log.open({
    direction: 'outbound',
    startedAt: Date.now(),
    callerNumber: '+15550001',
  });
  api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'outboundStart', interactionId } });
  return interactionId;
};
const ask = (agentId: string, token: string, note?: string) =>
  api.app.inject({
    method: 'POST',
    url: `/api/agents/${agentId}/help`,
    headers: api.as(token),
    payload: note === undefined ? {} : { note },
  });
const take = (agentId: string, token: string) =>
  api.app.inject({ method: 'POST', url: `/api/agents/${agentId}/help/take`, headers: api.as(token) });
const end = (agentId: string, token: string) =>
  api.app.inject({ method: 'DELETE', url: `/api/agents/${agentId}/help`, headers: api.as(token) });
/** `check` until it gives something (polled every 20 ms, for 3 s at most). */
async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const until = Date.now() + 3000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const openOnes = async () =>
  (await api.app.inject({ url: '/api/help', headers: api.as(SUPERVISOR) })).json().items as {
    agentId: string;
  }[];

describe('asking a supervisor for help', () => {
  it('an agent on a call asks with a note; one supervisor takes it on, then sees to it; all on the call and on record', async () => {
    login('agent1');
    const callId = await onACall();
    const anna = api.tokenOf('agent1');

    const asked = await ask('agent1', anna, '  refund over my limit  ');
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json()).toMatchObject({
      agentId: 'agent1',
      interactionId: callId,
      note: 'refund over my limit',
      taken: null,
    });
    expect(asked.json()).not.toHaveProperty('ended');
    expect(await openOnes()).toMatchObject([{ agentId: 'agent1', note: 'refund over my limit' }]);
    // One at a time; only the agent asks, for themselves.
    const again = await ask('agent1', anna);
    expect([again.statusCode, again.json().code]).toEqual([409, 'HELP_ALREADY_ASKED']);
    expect((await ask('agent1', SUPERVISOR)).statusCode).toBe(403);
    expect((await ask('agent1', api.tokenOf('agent2'))).statusCode).toBe(403);
    expect((await ask('agent1', anna, 'x'.repeat(201))).json().code).toBe('REQUEST_INVALID');

    // Sam takes it on; Tess is told who has it; an agent cannot take it on.
    expect((await take('agent1', anna)).statusCode).toBe(403);
    const taken = await take('agent1', api.supervisorTokenOf('sam'));
    expect(taken.statusCode, taken.body).toBe(200);
    expect(taken.json().taken).toMatchObject({ by: { id: 'sam', name: 'Sam Super' } });
    const second = await take('agent1', api.supervisorTokenOf('tess'));
    expect([second.statusCode, second.json().code]).toEqual([409, 'HELP_TAKEN']);
    expect(second.json().message).toContain('Sam Super');
    // /metrics counts it taken on, none waiting.
    const metrics = await api.app.inject({ url: '/metrics', headers: api.as(SUPERVISOR) });
    expect(metrics.body).toContain(
      'cc_help_requests{state="waiting"} 0\ncc_help_requests{state="taken"} 1\n',
    );
    const askedAgain = await ask('agent1', anna);
    expect(askedAgain.json().message).toContain('Sam Super is on it');

    // Sam sees to it: it ends, resolved by him.
    const ended = await end('agent1', api.supervisorTokenOf('sam'));
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().ended).toMatchObject({ reason: 'resolved', by: { id: 'sam', name: 'Sam Super' } });
    expect(await openOnes()).toEqual([]);
    const gone = await end('agent1', anna);
    expect([gone.statusCode, gone.json().code]).toEqual([404, 'HELP_NOT_ASKED']);

    // The stream told each step, with the request as it stood.
    expect(told.map((e) => (e.data as { state: string }).state)).toEqual(['asked', 'taken', 'ended']);
    // The call keeps why a supervisor joined it.
    await api.log.afterQueuedWrites();
    const steps = (await api.log.timeline(callId))
      .filter((e) => e.type === 'agent.help')
      .map((e) => JSON.parse(e.payload));
    expect(steps).toMatchObject([
      { agentId: 'agent1', step: 'asked', note: 'refund over my limit' },
      { agentId: 'agent1', step: 'taken', supervisor: { id: 'sam', name: 'Sam Super' } },
      { agentId: 'agent1', step: 'ended', reason: 'resolved', supervisor: { id: 'sam', name: 'Sam Super' } },
    ]);
    // And the record has it whole.
    const history = await api.app.inject({ url: '/api/help/history', headers: api.as(SUPERVISOR) });
    expect(history.json().items).toMatchObject([
      {
        agentId: 'agent1',
        interactionId: callId,
        note: 'refund over my limit',
        taken: { by: { id: 'sam', name: 'Sam Super' } },
        ended: { reason: 'resolved', by: { id: 'sam', name: 'Sam Super' } },
      },
    ]);
  });

  it('refuses an agent logged out; between calls the request has no call, and it ends when the agent logs out or withdraws it', async () => {
    const anna = api.tokenOf('agent1');
    const out = await ask('agent1', anna);
    expect([out.statusCode, out.json().code]).toEqual([409, 'NOT_LOGGED_IN']);
    expect((await take('nobody', SUPERVISOR)).json().code).toBe('AGENT_NOT_FOUND');
    expect((await take('agent1', SUPERVISOR)).json().code).toBe('HELP_NOT_ASKED');

    login('agent1');
    login('agent2');
    expect((await ask('agent1', anna)).json()).toMatchObject({ interactionId: null, note: null });
    // A call still ringing them is none they know of yet: the request is about no call.
    api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'notReady', reason: 'break' } });
    api.acd.input({
      type: 'callerArrived',
      interactionId: 'ringing',
      queueId: 'sales',
      callerNumber: '+15550001000',
    });
    expect(api.acd.router.seat('agent2')?.state.type).toBe('offered');
    const ringing = await ask('agent2', api.tokenOf('agent2'), 'caller is abusive');
    expect([ringing.statusCode, ringing.json().interactionId]).toEqual([201, null]);
    api.acd.input({ type: 'callerLeft', interactionId: 'ringing' }); // the caller gave up: agent2 free again
    expect((await openOnes()).map((r) => r.agentId)).toEqual(['agent1', 'agent2']);
    // On the token, nobody in particular took it on.
    expect((await take('agent2', SUPERVISOR)).json().taken).toEqual({ at: expect.any(String) });

    // agent1 withdraws hers; agent2 logs out with his standing.
    expect((await end('agent1', anna)).json().ended).toMatchObject({ reason: 'withdrawn' });
    api.acd.input({ type: 'agent', agentId: 'agent2', input: { type: 'logout' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await openOnes()).toEqual([]);
    expect(
      told.map((e) => `${(e.data as { agentId: string }).agentId} ${(e.data as { state: string }).state}`),
    ).toEqual(['agent1 asked', 'agent2 asked', 'agent2 taken', 'agent1 ended', 'agent2 ended']);
    expect((told.at(-1)!.data as { help: { ended: { reason: string } } }).help.ended.reason).toBe(
      'logged_out',
    );
  });

  it("shows an agent only their own request: colleagues' are not sent to them, nor in their snapshot", async () => {
    login('agent1');
    login('agent2');
    await ask('agent2', api.tokenOf('agent2'), 'caller is abusive');
    const event = told[0]!;
    expect(mayReceive({ role: 'agent', agentId: 'agent2' }, event)).toBe(true);
    expect(mayReceive({ role: 'agent', agentId: 'agent1' }, event)).toBe(false);
    expect(mayReceive({ role: 'supervisor' }, event)).toBe(true);
    const snapshot = {
      agents: [
        { id: 'agent1', help: null },
        { id: 'agent2', help: (event.data as { help: unknown }).help },
      ],
    };
    expect(snapshotSeenBy({ role: 'agent', agentId: 'agent1' }, snapshot).agents).toEqual([
      { id: 'agent1', help: null },
      { id: 'agent2' },
    ]);
    expect(snapshotSeenBy({ role: 'agent', agentId: 'agent2' }, snapshot).agents[1]).toHaveProperty(
      'help.note',
    );
    expect(snapshotSeenBy({ role: 'supervisor' }, snapshot)).toBe(snapshot);
  });

  it("says a request nobody took on in time unanswered, once: on the stream, the call and the record; the agent's next is timed anew", async () => {
    await api.app.close();
    api = await buildApi({ helpUnansweredMs: 200 });
    told = [];
    api.hub.subscribe((event) => {
      if (event.type === 'agent.help') told.push(event);
    });
    login('agent1');
    login('agent2');
    const callId = await onACall();
    expect((await ask('agent1', api.tokenOf('agent1'), 'refund over my limit')).statusCode).toBe(201);
    expect((await ask('agent2', api.tokenOf('agent2'))).statusCode).toBe(201);
    // agent2's is taken on in time: never said unanswered.
    expect((await take('agent2', api.supervisorTokenOf('sam'))).statusCode).toBe(200);
    const said = await eventually(
      async () => told.find((e) => (e.data as { state: string }).state === 'unanswered'),
      'the request to be said unanswered',
    );
    const help = (said.data as { help: { askedAt: string; unansweredAt: string } }).help;
    expect(Date.parse(help.unansweredAt) - Date.parse(help.askedAt)).toBeGreaterThanOrEqual(200);
    expect(said.data).toMatchObject({
      agentId: 'agent1',
      help: { taken: null, note: 'refund over my limit' },
    });
    const listed = (await api.app.inject({ url: '/api/help', headers: api.as(SUPERVISOR) })).json().items;
    expect(listed).toMatchObject([
      { agentId: 'agent1', unansweredAt: help.unansweredAt },
      { agentId: 'agent2', taken: { by: { name: 'Sam Super' } } },
    ]);
    expect(listed[1]).not.toHaveProperty('unansweredAt');
    // On the call the agent asked on (its timeline is written behind the stream).
    await eventually(async () => {
      const detail = await api.app.inject({
        url: `/api/interactions/${callId}`,
        headers: api.as(SUPERVISOR),
      });
      const steps = (detail.json().timeline as { type: string; payload: { step?: string } }[])
        .filter((e) => e.type === 'agent.help')
        .map((e) => e.payload.step);
      return steps.includes('unanswered') ? steps : undefined;
    }, 'the call to say so');
    const [record] = await api.helpLog.open();
    expect(record).toMatchObject({ agentId: 'agent1', unansweredAt: Date.parse(help.unansweredAt) });
    // Said once: nothing more however long it waits; taken on late, it keeps when it was said.
    await new Promise((r) => setTimeout(r, 300));
    expect(told.filter((e) => (e.data as { state: string }).state === 'unanswered')).toHaveLength(1);
    expect((await take('agent1', api.supervisorTokenOf('sam'))).json()).toMatchObject({
      unansweredAt: help.unansweredAt,
    });
    // Ended and asked again: the new request is timed from its own asking.
    await end('agent1', api.tokenOf('agent1'));
    await ask('agent1', api.tokenOf('agent1'));
    await eventually(
      async () =>
        told.filter((e) => (e.data as { state: string }).state === 'unanswered').length === 2
          ? true
          : undefined,
      'the second request to be said unanswered',
    );
  });

  it('keeps requests over a restart for agents still signed in, and ends the others as service_restarted', async () => {
    login('agent1');
    login('agent2');
    const callId = await onACall();
    await ask('agent1', api.tokenOf('agent1'), 'refund over my limit');
    await take('agent1', api.supervisorTokenOf('sam'));
    await ask('agent2', api.tokenOf('agent2'));
    // A new run over the same database, where only agent1's seat came back.
    const goneAt = Date.now();
    const next = new HelpDesk({
      acd: {
        now: Date.now,
        router: {
          seat: (id: string) => (id === 'agent1' ? { state: { type: 'available' } } : undefined),
        } as never,
      },
      hub: api.hub,
      log: api.log,
      store: api.helpLog,
      supervisor: (id) => (id === 'sam' ? { id: 'sam', name: 'Sam Super' } : undefined),
      logger: pino({ level: 'silent' }),
    });
    await next.restore(goneAt);
    expect(next.list()).toMatchObject([
      {
        agentId: 'agent1',
        interactionId: callId,
        note: 'refund over my limit',
        taken: { by: { name: 'Sam Super' } },
      },
    ]);
    const history = await api.app.inject({
      url: '/api/help/history?agentId=agent2',
      headers: api.as(SUPERVISOR),
    });
    expect(history.json().items).toMatchObject([
      { agentId: 'agent2', ended: { reason: 'service_restarted', at: new Date(goneAt).toISOString() } },
    ]);
    // Kept means the new run goes on with it: taken on already, then resolved.
    expect(await next.take('agent1')).toMatchObject({ refused: { code: 'HELP_TAKEN' } });
    expect(await next.end('agent1', 'resolved')).toHaveProperty('request.ended.reason', 'resolved');
  });
});
