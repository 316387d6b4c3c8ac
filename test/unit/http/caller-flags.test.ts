/**
 * Agents flagging callers for a supervisor to block, over the API (the real app, flag desk, block list, event
 * hub and SQLite log; fake Asterisk): an agent flags the caller of a call they took part in; a supervisor
 * blocks the number (every flag on it settled, the block in the change log) or dismisses the flag; on the
 * call's timeline, on the stream (supervisors only), on record, and still waiting after a restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { CallerFlagDesk } from '../../../src/calls/supervise/caller-flag-desk.js';
import type { StreamEvent } from '../../../src/events/event-hub.js';
import { mayReceive } from '../../../src/http/plugins/events/index.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
let told: StreamEvent[];
beforeEach(async () => {
  api = await buildApi();
  told = [];
  api.hub.subscribe((event) => {
    if (event.type.startsWith('number.')) told.push(event);
  });
});
afterEach(async () => {
  await api.app.close();
});

const T0 = Date.now() - 60_000;

const flag = (id: string, token: string, payload: object = { reason: 'abusive', note: 'swore at me' }) =>
  api.app.inject({ method: 'POST', url: `/api/interactions/${id}/flag`, headers: api.as(token), payload });
const waiting = async () =>
  (await api.app.inject({ url: '/api/caller-flags', headers: api.as(SUPERVISOR) })).json().items as {
    id: string;
    number: string;
  }[];
const decide = (flagId: string, what: 'block' | 'dismiss', token: string, payload?: object) =>
  api.app.inject({
    method: 'POST',
    url: `/api/caller-flags/${flagId}/${what}`,
    headers: api.as(token),
    ...(payload ? { payload } : {}),
  });
const timelineOf = async (id: string) => {
  await api.log.afterQueuedWrites();
  return (await api.log.timeline(id))
    .filter((e) => e.type === 'caller.flag')
    .map((e) => JSON.parse(e.payload));
};

describe('an agent flags a caller', () => {
  it('for a call they took part in; a supervisor blocks the number from it, settling every flag on the number', async () => {
    const first = await api.callHandledBy('agent1', { startedAt: T0 });
    const second = await api.callHandledBy('agent2', { startedAt: T0 });
    const anna = api.tokenOf('agent1');

    const raised = await flag(first, anna, { reason: 'abusive', note: '  swore at me  ' });
    expect(raised.statusCode, raised.body).toBe(201);
    const annas = raised.json() as { id: string };
    expect(annas).toMatchObject({
      number: '+15551230000',
      interactionId: first,
      agentId: 'agent1',
      reason: 'abusive',
      note: 'swore at me',
    });
    expect(annas).not.toHaveProperty('decision');
    // Once per call; not a call they had no part in; agents only.
    expect((await flag(first, api.tokenOf('agent2'))).statusCode).toBe(403);
    const twice = await flag(first, anna);
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'FLAG_ALREADY_RAISED']);
    const bySupervisor = await flag(first, SUPERVISOR);
    expect([bySupervisor.statusCode, bySupervisor.json().code]).toEqual([403, 'FORBIDDEN']);
    expect((await flag(first, anna, { reason: 'rude' })).json().code).toBe('REQUEST_INVALID');
    expect((await flag(first, anna, { reason: 'other', note: 'x'.repeat(201) })).json().code).toBe(
      'REQUEST_INVALID',
    );
    // Bob flags the same caller on his own call.
    const bobs = (await flag(second, api.tokenOf('agent2'), { reason: 'spam' })).json() as { id: string };
    expect((await waiting()).map((f) => f.id)).toEqual([annas.id, bobs.id]);

    // Sam blocks from Anna's flag: one block, with her reason and words, settles both.
    const sam = api.supervisorTokenOf('sam');
    expect((await decide(annas.id, 'block', anna, {})).statusCode).toBe(403);
    const blocked = await decide(annas.id, 'block', sam, { hours: 24 });
    expect(blocked.statusCode, blocked.body).toBe(200);
    const { block, flags } = blocked.json() as {
      block: { id: string; number: string; reason: string; by: unknown };
      flags: { id: string; decision: object }[];
    };
    expect(block).toMatchObject({
      number: '+15551230000',
      reason: 'abusive to agents (flagged by agent1: swore at me)',
      by: { id: 'sam', name: 'Sam Super' },
    });
    expect(flags.map((f) => f.id).sort()).toEqual([annas.id, bobs.id].sort());
    for (const f of flags)
      expect(f.decision).toMatchObject({ outcome: 'blocked', by: { id: 'sam' }, blockId: block.id });
    expect(await waiting()).toEqual([]);
    expect(api.blocked.turnsAway('+15551230000', { callId: 'c', interactionId: 'i' })?.id).toBe(block.id);
    // Decided already; a new flag on a blocked number has nothing left to decide.
    expect((await decide(annas.id, 'dismiss', sam)).json().code).toBe('FLAG_NOT_FOUND');
    const third = await api.callHandledBy('agent1', { startedAt: T0 });
    const late = await flag(third, anna);
    expect([late.statusCode, late.json().code]).toEqual([409, 'NUMBER_ALREADY_BLOCKED']);

    // On each call's timeline, in the change log as Sam's, and on the stream for supervisors only.
    expect(await timelineOf(first)).toEqual([
      { flagId: annas.id, agentId: 'agent1', step: 'raised', reason: 'abusive', note: 'swore at me' },
      {
        flagId: annas.id,
        agentId: 'agent1',
        step: 'blocked',
        blockId: block.id,
        supervisor: { id: 'sam', name: 'Sam Super' },
      },
    ]);
    expect((await timelineOf(second)).map((e) => e.step)).toEqual(['raised', 'blocked']);
    const changes = await api.changes.list({ limit: 10 });
    expect(changes.map((c) => [c.action, c.subject, c.supervisorId])).toContainEqual([
      'number.blocked',
      '+15551230000',
      'sam',
    ]);
    expect(told.map((e) => e.type)).toEqual([
      'number.flagged',
      'number.flagged',
      'number.flags-decided',
      'number.blocked',
    ]);
    const agent = { role: 'agent', agentId: 'agent1' } as const;
    expect(told.some((e) => mayReceive(agent, e))).toBe(false);
  });

  it('is refused for a withheld number; a dismissed flag leaves the number free, and the agent may flag again', async () => {
    const anna = api.tokenOf('agent1');
    const withheld = await api.callHandledBy('agent1', { callerNumber: 'anonymous', startedAt: T0 });
    const refused = await flag(withheld, anna);
    expect([refused.statusCode, refused.json().code]).toEqual([400, 'FLAG_NO_NUMBER']);
    expect(
      (await flag(await api.callHandledBy('agent1', { callerNumber: null, startedAt: T0 }), anna)).json()
        .code,
    ).toBe('FLAG_NO_NUMBER');

    const call = await api.callHandledBy('agent1', { callerNumber: '+15559870000', startedAt: T0 });
    const raised = (await flag(call, anna, { reason: 'prank' })).json() as { id: string };
    const dismissed = await decide(raised.id, 'dismiss', SUPERVISOR);
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    expect(dismissed.json().flags).toMatchObject([{ id: raised.id, decision: { outcome: 'dismissed' } }]);
    expect(dismissed.json().flags[0].decision).not.toHaveProperty('by'); // the shared token is nobody
    expect(dismissed.json()).not.toHaveProperty('block');
    expect(api.blocked.standingOn('+15559870000')).toBeUndefined();
    expect((await timelineOf(call)).map((e) => e.step)).toEqual(['raised', 'dismissed']);
    expect((await flag(call, anna, { reason: 'prank' })).statusCode).toBe(201);
  });

  it('flags the call on their seat now, and a number blocked on the wallboard settles the flags on it', async () => {
    api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'login', endpoint: 'PJSIP/agent1' } });
    const onSeat = await api.log.open({
      direction: 'outbound',
      startedAt: Date.now(),
      callerNumber: '+15550001',
    });
    api.acd.input({
      type: 'agent',
      agentId: 'agent1',
      input: { type: 'outboundStart', interactionId: onSeat },
    });
    const inbound = await api.callHandledBy('agent2', { callerNumber: '+15550002222', startedAt: T0 });
    await api.log.record(inbound, T0 + 6000, {
      type: 'call.transferred',
      payload: {
        agentId: 'agent2',
        kind: 'blind',
        target: { type: 'agent', id: 'agent1' },
        step: 'completed',
      },
    });
    const raised = (await flag(inbound, api.tokenOf('agent1'), { reason: 'spam' })).json() as { id: string };
    expect(raised).toMatchObject({ agentId: 'agent1', number: '+15550002222' });

    const blocked = await api.app.inject({
      method: 'POST',
      url: '/api/blocked-numbers',
      headers: api.as(api.supervisorTokenOf('tess')),
      payload: { number: '+15550002222', reason: 'robocaller' },
    });
    expect(blocked.statusCode).toBe(201);
    await expect.poll(waiting).toEqual([]);
    await expect
      .poll(async () => (await timelineOf(inbound)).map((e) => [e.step, e.supervisor?.id, e.blockId]))
      .toEqual([
        ['raised', undefined, undefined],
        ['blocked', 'tess', blocked.json().id],
      ]);
  });
});

describe("the screen pop of a flagged caller's next call", () => {
  it('warns the agent of the flags waiting on the number, with who flagged and why; not once decided', async () => {
    const first = await api.callHandledBy('agent1', { startedAt: T0 });
    const raised = (await flag(first, api.tokenOf('agent1'))).json() as { id: string };
    const next = await api.callHandledBy('agent2', { startedAt: T0 });
    const pop = async () =>
      (
        await api.app.inject({
          url: `/api/calls/${next}/screen-pop`,
          headers: api.as(api.tokenOf('agent2')),
        })
      ).json() as { flags: unknown[] };
    expect((await pop()).flags).toEqual([
      expect.objectContaining({
        id: raised.id,
        interactionId: first,
        agentId: 'agent1',
        agentName: 'agent1',
        reason: 'abusive',
        note: 'swore at me',
      }),
    ]);
    await decide(raised.id, 'dismiss', SUPERVISOR);
    expect((await pop()).flags).toEqual([]);
  });
});

describe('flags through a restart', () => {
  it('a flag still waiting is waiting after it; a decided one is not', async () => {
    const anna = api.tokenOf('agent1');
    const kept = (
      await flag(await api.callHandledBy('agent1', { callerNumber: '+15551110000', startedAt: T0 }), anna)
    ).json() as { id: string };
    const gone = (
      await flag(await api.callHandledBy('agent1', { callerNumber: '+15552220000', startedAt: T0 }), anna)
    ).json() as { id: string };
    await decide(gone.id, 'dismiss', SUPERVISOR);

    const desk = new CallerFlagDesk({
      store: api.flagLog,
      blocked: api.blocked,
      log: api.log,
      hub: api.hub,
      now: Date.now,
      logger: pino({ level: 'silent' }),
    });
    await desk.load();
    expect(desk.list().map((f) => [f.id, f.number, f.reason, f.note])).toEqual([
      [kept.id, '+15551110000', 'abusive', 'swore at me'],
    ]);
  });

  it('a flag that cannot be put on record is taken back: refused with a 500, then raised on the next try', async () => {
    const call = await api.callHandledBy('agent1', { startedAt: T0 });
    const raised = api.flagLog.raised.bind(api.flagLog);
    let fail = true;
    api.flagLog.raised = async (f) => {
      if (fail) throw new Error('disk full');
      return raised(f);
    };
    const first = await flag(call, api.tokenOf('agent1'));
    expect(first.statusCode).toBe(500);
    expect(await waiting()).toEqual([]);
    fail = false;
    expect((await flag(call, api.tokenOf('agent1'))).statusCode).toBe(201);
    expect(await waiting()).toHaveLength(1);
  });
});
