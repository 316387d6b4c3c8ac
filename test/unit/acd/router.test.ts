import { describe, expect, it } from 'vitest';
import { QueueRouter } from '../../../src/acd/index.js';
import { Sim, T0, agentDef, offeredAgents, only, ofType, queueDef, seededRng } from './helpers.js';
import { DECLINE_BARS_MS } from '../../../src/acd/router-seats.js';

describe('QueueRouter: routing on the triggering event', () => {
  it('offers an arriving caller to a free agent immediately, with the reasoning', () => {
    const sim = new Sim(
      [queueDef({ id: 'sales', strategy: 'longest_idle', requiredSkills: { english: 3 } })],
      [
        agentDef('a1', ['sales'], { skills: { english: 5 } }),
        agentDef('a2', ['sales'], { skills: { english: 2 } }),
        agentDef('a3', ['sales'], { skills: { english: 9 } }),
        agentDef('a4', ['sales'], { skills: { english: 9 } }),
      ],
    );
    sim.login('a1', 'a2', 'a3', 'a4');
    sim.agent('a3', { type: 'notReady', reason: 'lunch' });
    const out = sim.arrive('c1', 'sales');
    const enqueued = only(out, 'enqueued');
    expect(enqueued).toMatchObject({ position: 1, priority: 0, musicOnHoldClass: 'default' });
    const offer = only(out, 'offer');
    expect(offer.targets).toEqual([{ agentId: 'a1', endpoint: 'PJSIP/a1', autoAnswer: false }]);
    expect(offer.ringTimeoutSeconds).toBe(20);
    expect(offer.why.strategy).toBe('longest_idle');
    expect(offer.why.rule).toMatch(/longest_idle/);
    const byAgent = Object.fromEntries(offer.why.considered.map((c) => [c.agentId, c]));
    expect(byAgent.a1).toMatchObject({ eligible: true, state: 'available' });
    expect(byAgent.a2).toMatchObject({ eligible: false, excludedBecause: 'skill english 2 < required 3' });
    expect(byAgent.a3).toMatchObject({ eligible: false, state: 'not_ready', reason: 'lunch' });
    expect(byAgent.a4).toMatchObject({ eligible: true });
    expect(out).toContainEqual({ type: 'scheduleTimer', key: 'ring:c1', at: T0 + 20_000 });
    expect(sim.router.seat('a1')?.state).toMatchObject({ type: 'offered', interactionId: 'c1' });
  });

  it('routes a waiting caller the moment an agent becomes ready', () => {
    const sim = new Sim([queueDef({ id: 'q' })], [agentDef('a1', ['q'])]);
    expect(offeredAgents(sim.arrive('c1', 'q'))).toEqual([]);
    sim.login('a1');
    expect(offeredAgents(sim.log)).toEqual(['a1']);
  });

  it('answer connects the caller and removes it from the line; hangup starts wrap-up; expiry re-routes', () => {
    const sim = new Sim([queueDef({ id: 'q', wrapUpSeconds: 30 })], [agentDef('a1', ['q'])]);
    sim.login('a1');
    sim.arrive('c1', 'q');
    sim.arrive('c2', 'q');
    sim.advance(5000);
    const answered = sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    expect(only(answered, 'connect')).toEqual({
      type: 'connect',
      interactionId: 'c1',
      queueId: 'q',
      agentId: 'a1',
      waitedMs: 5000,
    });
    expect(answered).toContainEqual({ type: 'cancelTimer', key: 'ring:c1' });
    expect(sim.router.waiting(sim.now).map((e) => e.interactionId)).toEqual(['c2']);
    sim.advance(60_000);
    const hung = sim.agent('a1', { type: 'hangup', interactionId: 'c1' });
    expect(hung).toContainEqual({ type: 'scheduleTimer', key: 'wrap:a1', at: sim.now + 30_000 });
    expect(offeredAgents(hung)).toEqual([]);
    const expired = sim.fire('wrap:a1');
    expect(only(expired, 'offer').interactionId).toBe('c2');
  });

  it("counts an agent's calls today (what every agent.state event carries), 0 for an unknown agent", () => {
    const sim = new Sim([queueDef({ id: 'q', wrapUpSeconds: 0 })], [agentDef('a1', ['q'])]);
    sim.login('a1');
    expect(sim.router.callsHandledToday('a1')).toBe(0);
    for (const id of ['c1', 'c2']) {
      sim.arrive(id, 'q');
      sim.agent('a1', { type: 'answer', interactionId: id });
      sim.agent('a1', { type: 'hangup', interactionId: id });
    }
    expect(sim.router.callsHandledToday('a1')).toBe(2);
    expect(sim.router.callsHandledToday('a1')).toBe(sim.router.seat('a1')?.callsHandledToday);
    expect(sim.router.callsHandledToday('nobody')).toBe(0);
  });

  it('uses the agent wrap-up override over the queue setting', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', wrapUpSeconds: 30 })],
      [agentDef('a1', ['q'], { wrapUpSeconds: 0 })],
    );
    sim.login('a1');
    sim.arrive('c1', 'q');
    sim.arrive('c2', 'q');
    sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    const hung = sim.agent('a1', { type: 'hangup', interactionId: 'c1' });
    expect(only(hung, 'offer').interactionId).toBe('c2');
  });

  it('offers one ACD call per agent at a time', () => {
    const sim = new Sim([queueDef({ id: 'q' })], [agentDef('a1', ['q'])]);
    sim.login('a1');
    sim.arrive('c1', 'q');
    expect(offeredAgents(sim.arrive('c2', 'q'))).toEqual([]);
    sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    expect(offeredAgents(sim.arrive('c3', 'q'))).toEqual([]);
  });

  it('refuses seat commands that are illegal, with the seat machine code', () => {
    const sim = new Sim([queueDef({ id: 'q' })], [agentDef('a1', ['q'])]);
    const out = sim.agent('a1', { type: 'ready' });
    expect(only(out, 'refused')).toMatchObject({ code: 'AGENT_LOGGED_OUT', input: 'agent' });
    expect(only(sim.agent('ghost', { type: 'ready' }), 'refused').code).toBe('UNKNOWN_AGENT');
    expect(only(sim.arrive('x', 'nope'), 'refused').code).toBe('UNKNOWN_QUEUE');
  });

  it('ring-all rings every eligible agent; the first answer wins and the rest are cancelled', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', strategy: 'ring_all' })],
      ['a1', 'a2', 'a3'].map((id) => agentDef(id, ['q'])),
    );
    sim.login('a1', 'a2', 'a3');
    expect(offeredAgents(sim.arrive('c1', 'q'))).toEqual(['a1', 'a2', 'a3']);
    const out = sim.agent('a2', { type: 'answer', interactionId: 'c1' });
    expect(ofType(out, 'cancelOffer')).toEqual([
      { type: 'cancelOffer', interactionId: 'c1', agentId: 'a1', reason: 'answered_elsewhere' },
      { type: 'cancelOffer', interactionId: 'c1', agentId: 'a3', reason: 'answered_elsewhere' },
    ]);
    expect(only(out, 'connect').agentId).toBe('a2');
    expect(sim.router.seat('a1')?.state.type).toBe('available');
    expect(sim.router.seat('a1')?.availableSince).toBe(T0); // kept its idle place
  });

  it('a caller leaving while ringing withdraws the offer and frees the agent', () => {
    const sim = new Sim([queueDef({ id: 'q' })], [agentDef('a1', ['q'])]);
    sim.login('a1');
    sim.arrive('c1', 'q');
    sim.advance(3000);
    const out = sim.send({ type: 'callerLeft', interactionId: 'c1' });
    expect(out).toContainEqual({
      type: 'cancelOffer',
      interactionId: 'c1',
      agentId: 'a1',
      reason: 'caller_left',
    });
    expect(only(out, 'abandoned')).toMatchObject({ waitedMs: 3000, wasRinging: true });
    expect(sim.router.seat('a1')?.state.type).toBe('available');
    expect(sim.timers.has('ring:c1')).toBe(false);
  });

  /** A linear queue with a1 then a2, both ready, and caller c1 ringing a1. */
  const c1OfferedToA1ThenA2 = () => {
    const sim = new Sim(
      [queueDef({ id: 'q', strategy: 'linear' })],
      [agentDef('a1', [{ queueId: 'q', order: 1 }]), agentDef('a2', [{ queueId: 'q', order: 2 }])],
    );
    sim.login('a1', 'a2');
    sim.arrive('c1', 'q');
    return sim;
  };

  it('a rejected call goes to another agent, and back to those who declined only after a pause', () => {
    const sim = c1OfferedToA1ThenA2();
    const out = sim.agent('a1', { type: 'reject', interactionId: 'c1' });
    expect(only(out, 'requeuedAfterReject')).toMatchObject({
      agentId: 'a1',
      position: 1,
      reason: 'rejected',
    });
    expect(offeredAgents(out)).toEqual(['a2']);
    const again = sim.agent('a2', { type: 'reject', interactionId: 'c1' });
    expect(offeredAgents(again)).toEqual([]);
    expect(again).toContainEqual({
      type: 'scheduleTimer',
      key: 'declined:c1',
      at: sim.now + DECLINE_BARS_MS,
    });
    // Nobody else can take it: after the pause the caller is offered again rather than waiting for nothing.
    const retried = sim.fire('declined:c1');
    expect(offeredAgents(retried).length).toBe(1);
  });

  it("a phone that cannot be rung takes its agent out of routing, not the caller's place, and is not a decline", () => {
    const sim = c1OfferedToA1ThenA2();
    const out = sim.agent('a1', { type: 'unreachable', interactionId: 'c1' });
    expect(sim.router.seat('a1')?.state).toEqual({ type: 'not_ready', reason: 'phone_unreachable' });
    expect(only(out, 'requeuedAfterReject')).toMatchObject({ agentId: 'a1', reason: 'unreachable' });
    expect(out.some((d) => d.type === 'rona')).toBe(false);
    expect(offeredAgents(out)).toEqual(['a2']);
    // a2 declines; once a1's phone is back and a1 is ready, c1 may go to a1 (an unreachable phone is no decline).
    sim.agent('a2', { type: 'reject', interactionId: 'c1' });
    expect(offeredAgents(sim.agent('a1', { type: 'ready' }))).toEqual(['a1']);
  });

  it('auto-answer agents are flagged on the offer', () => {
    const sim = new Sim([queueDef({ id: 'q' })], [agentDef('a1', ['q'], { autoAnswer: true })]);
    sim.login('a1');
    expect(only(sim.arrive('c1', 'q'), 'offer').targets[0]?.autoAnswer).toBe(true);
  });

  it('snapshots are plain data and a router restored from one continues identically', () => {
    const queues = [queueDef({ id: 'q', strategy: 'round_robin' })];
    const agents = ['a1', 'a2'].map((id) => agentDef(id, ['q']));
    const sim = new Sim(queues, agents);
    sim.login('a1', 'a2');
    sim.arrive('c1', 'q');
    sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    sim.agent('a1', { type: 'hangup', interactionId: 'c1' });
    const snap = sim.router.snapshot();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    const restored = new QueueRouter({ queues, agents, rng: seededRng(1), state: snap });
    const input = { type: 'callerArrived' as const, interactionId: 'c2', queueId: 'q', callerNumber: '1' };
    expect(restored.handle(input, sim.now)).toEqual(sim.router.handle(input, sim.now));
  });

  it('new seats are logged out since the time the caller gives (the router has no clock); restored ones keep theirs', () => {
    const queues = [queueDef({ id: 'q' })];
    const router = new QueueRouter({
      queues,
      agents: [agentDef('a1', ['q'])],
      rng: seededRng(1),
      seatsSince: 5000,
    });
    expect(router.seat('a1')).toMatchObject({ state: { type: 'logged_out' }, stateSince: 5000 });
    const grown = new QueueRouter({
      queues,
      agents: [agentDef('a1', ['q']), agentDef('a2', ['q'])],
      rng: seededRng(1),
      state: router.snapshot(),
      seatsSince: 9000,
    });
    expect(grown.seat('a1')?.stateSince).toBe(5000);
    expect(grown.seat('a2')?.stateSince).toBe(9000);
  });
});

describe('QueueRouter: RONA', () => {
  it('puts the entry back at the FRONT, sets the agent not_ready "missed", tells supervisors, re-offers', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', strategy: 'linear', ringTimeoutSeconds: 15 })],
      [agentDef('a1', [{ queueId: 'q', order: 1 }]), agentDef('a2', [{ queueId: 'q', order: 2 }])],
    );
    sim.login('a1');
    sim.arrive('c1', 'q');
    sim.advance(1000);
    sim.arrive('c2', 'q', { priority: 0 });
    sim.advance(1000);
    sim.arrive('c3', 'q', { priority: 5 }); // higher priority than c1, but c1 will have been RONA'd
    const out = sim.fire('ring:c1');
    expect(out).toContainEqual({
      type: 'cancelOffer',
      interactionId: 'c1',
      agentId: 'a1',
      reason: 'ring_timeout',
    });
    expect(only(out, 'rona')).toEqual({
      type: 'rona',
      interactionId: 'c1',
      queueId: 'q',
      agentId: 'a1',
      ringMs: 15_000,
    });
    expect(only(out, 'requeuedAfterRona')).toMatchObject({ interactionId: 'c1', position: 1 });
    expect(sim.router.seat('a1')?.state).toEqual({ type: 'not_ready', reason: 'missed' });
    const change = ofType(out, 'agentStateChanged').find((c) => c.agentId === 'a1');
    expect(change?.to).toEqual({ type: 'not_ready', reason: 'missed' });
    const line = sim.router.waiting(sim.now, 'q');
    expect(line.map((e) => e.interactionId)).toEqual(['c1', 'c3', 'c2']);
    expect(line[0]).toMatchObject({ enqueuedAt: T0, frontOfLine: true, ronaCount: 1 });
    // the next free agent gets the RONA'd caller first
    const next = sim.agent('a2', { type: 'login', endpoint: 'PJSIP/a2' });
    expect(only(next, 'offer')).toMatchObject({ interactionId: 'c1', targets: [{ agentId: 'a2' }] });
  });

  it('a stale ring timer after the call was answered is refused as STALE_TIMER', () => {
    const sim = new Sim([queueDef({ id: 'q' })], [agentDef('a1', ['q'])]);
    sim.login('a1');
    sim.arrive('c1', 'q');
    sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    sim.advance(60_000);
    expect(only(sim.send({ type: 'timerFired', key: 'ring:c1' }), 'refused').code).toBe('STALE_TIMER');
  });

  it('an early timer is refused as TIMER_NOT_DUE', () => {
    const sim = new Sim([queueDef({ id: 'q' })], [agentDef('a1', ['q'])]);
    sim.login('a1');
    sim.arrive('c1', 'q');
    expect(only(sim.send({ type: 'timerFired', key: 'ring:c1' }), 'refused').code).toBe('TIMER_NOT_DUE');
  });
});

describe('QueueRouter: agent lost mid-call', () => {
  it('takes the caller back at the FRONT with its first queue time; the agent goes not ready with no wrap-up', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', strategy: 'linear', wrapUpSeconds: 30 })],
      [agentDef('a1', [{ queueId: 'q', order: 1 }]), agentDef('a2', [{ queueId: 'q', order: 2 }])],
    );
    sim.login('a1');
    sim.arrive('c1', 'q');
    sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    sim.advance(5000);
    sim.arrive('c2', 'q', { priority: 5 }); // waits: nobody free
    sim.advance(5000);
    // The runtime's order when a1's phone is lost: not ready (pending), the call off the agent, back in line.
    sim.agent('a1', { type: 'notReady', reason: 'connection_lost' });
    sim.agent('a1', { type: 'hangup', interactionId: 'c1', wrapUpSeconds: 0 });
    expect(sim.router.seat('a1')?.state).toEqual({ type: 'not_ready', reason: 'connection_lost' });
    const back = sim.arrive('c1', 'q', { requeued: { enqueuedAt: T0 } });
    expect(only(back, 'enqueued')).toMatchObject({ interactionId: 'c1', position: 1 });
    const line = sim.router.waiting(sim.now, 'q');
    expect(line.map((e) => e.interactionId)).toEqual(['c1', 'c2']); // before a higher-priority caller
    expect(line[0]).toMatchObject({ enqueuedAt: T0, frontOfLine: true });
    const next = sim.agent('a2', { type: 'login', endpoint: 'PJSIP/a2' });
    expect(only(next, 'offer')).toMatchObject({ interactionId: 'c1', targets: [{ agentId: 'a2' }] });
  });

  it('reports the wait of a caller put back in line without the conversation it had', () => {
    const sim = new Sim([queueDef({ id: 'q' })], [agentDef('a1', ['q']), agentDef('a2', ['q'])]);
    sim.arrive('c1', 'q');
    sim.advance(8000); // waits 8 s
    sim.login('a1');
    expect(only(sim.agent('a1', { type: 'answer', interactionId: 'c1' }), 'connect')).toMatchObject({
      waitedMs: 8000,
    });
    sim.advance(60_000); // talks 60 s; then a1's phone is lost and the caller goes back in line
    sim.agent('a1', { type: 'notReady', reason: 'connection_lost' });
    sim.agent('a1', { type: 'hangup', interactionId: 'c1', wrapUpSeconds: 0 });
    sim.arrive('c1', 'q', { requeued: { enqueuedAt: T0, talkedMs: 60_000 } });
    sim.advance(12_000); // waits 12 s more
    sim.login('a2');
    const answered = sim.agent('a2', { type: 'answer', interactionId: 'c1' });
    expect(only(answered, 'connect')).toMatchObject({ interactionId: 'c1', waitedMs: 20_000 });

    // One put back in line who hangs up while waiting again: abandoned after its waiting only.
    sim.arrive('c2', 'q', { requeued: { enqueuedAt: sim.now - 30_000, talkedMs: 25_000 } });
    sim.advance(1000);
    const left = sim.send({ type: 'callerLeft', interactionId: 'c2' });
    expect(only(left, 'abandoned')).toMatchObject({ interactionId: 'c2', waitedMs: 6000 });
  });
});

describe('QueueRouter: agent in several queues', () => {
  it('a freed agent takes the highest-priority caller across its queues, then the longest waiting', () => {
    const sim = new Sim(
      [queueDef({ id: 'sales' }), queueDef({ id: 'support' })],
      [agentDef('a1', ['sales', 'support'])],
    );
    sim.arrive('s1', 'sales');
    sim.advance(1000);
    sim.arrive('t1', 'support');
    sim.advance(1000);
    sim.arrive('t2', 'support', { priority: 3 });
    sim.login('a1');
    expect(ofType(sim.log, 'offer').map((o) => o.interactionId)).toEqual(['t2']);
    sim.agent('a1', { type: 'answer', interactionId: 't2' });
    const next = sim.agent('a1', { type: 'hangup', interactionId: 't2' });
    expect(only(next, 'offer').interactionId).toBe('s1'); // equal priority: longest waiting across queues
  });

  it('a caller no agent can take does not block those behind it', () => {
    const sim = new Sim([queueDef({ id: 'q' })], [agentDef('a1', ['q'], { skills: { english: 5 } })]);
    sim.arrive('c1', 'q', { skills: { german: 2 } });
    sim.arrive('c2', 'q');
    sim.login('a1');
    expect(ofType(sim.log, 'offer').map((o) => o.interactionId)).toEqual(['c2']);
  });
});

describe('"not ready after this call"', () => {
  it("is told as a decision, so it is on the call's record (a restart keeps it); a choice repeated is not", () => {
    const sim = new Sim([queueDef({ id: 'q' })], [agentDef('a1', ['q'])]);
    sim.login('a1');
    sim.arrive('c1', 'q');
    sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    const lunch = sim.agent('a1', { type: 'notReady', reason: 'lunch' });
    expect(ofType(lunch, 'afterCallChosen')).toEqual([
      {
        type: 'afterCallChosen',
        agentId: 'a1',
        interactionId: 'c1',
        after: { type: 'not_ready', reason: 'lunch' },
      },
    ]);
    expect(ofType(sim.agent('a1', { type: 'notReady', reason: 'lunch' }), 'afterCallChosen')).toEqual([]);
    expect(ofType(sim.agent('a1', { type: 'ready' }), 'afterCallChosen')).toEqual([
      { type: 'afterCallChosen', agentId: 'a1', interactionId: 'c1', after: { type: 'available' } },
    ]);
    // Changes of state are told as ever, not as a choice.
    expect(ofType(sim.agent('a1', { type: 'hold', interactionId: 'c1' }), 'afterCallChosen')).toEqual([]);
  });
});
