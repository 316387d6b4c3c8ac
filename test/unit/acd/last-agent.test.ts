import { describe, expect, it } from 'vitest';
import { newCallback } from '../../../src/acd/index.js';
import { Sim, T0, agentDef, offeredAgents, only, ofType, queueDef } from './helpers.js';

const DAY = 86_400_000;
/** a2 is the caller's last agent; with linear order a1 comes first, so only last-agent routing offers a2 first. */
const agents = () => [
  agentDef('a1', [{ queueId: 'q', order: 1 }], { skills: { english: 5 } }),
  agentDef('a2', [{ queueId: 'q', order: 2 }], { skills: { english: 5 } }),
  agentDef('a3', [{ queueId: 'other', order: 1 }], { skills: { english: 5 } }),
];
const lastAgent = { agentId: 'a2', servedAt: T0 - 2 * DAY };

function sim(settings: { withinDays?: number; waitSeconds?: number } | null, extra = {}) {
  return new Sim(
    [
      queueDef({
        id: 'q',
        strategy: 'linear',
        ...(settings ? { lastAgent: { withinDays: 30, waitSeconds: 0, ...settings } } : {}),
        ...extra,
      }),
      queueDef({ id: 'other', strategy: 'linear' }),
    ],
    agents(),
  );
}

/** Puts a2 on a call (answered) so it is busy when the next caller arrives. */
function busyA2(s: Sim): void {
  s.agent('a1', { type: 'notReady', reason: 'lunch' });
  s.arrive('first', 'q', { callerNumber: '+15550999' });
  s.agent('a2', { type: 'answer', interactionId: 'first' });
  s.agent('a1', { type: 'ready' });
  s.log.length = 0;
}

describe('QueueRouter: last-agent routing', () => {
  it("offers the caller to the agent they last talked with, ahead of the strategy's pick, and says why", () => {
    const s = sim({});
    s.login('a1', 'a2');
    const offer = only(s.arrive('c1', 'q', { lastAgent }), 'offer');
    expect(offer.targets.map((t) => t.agentId)).toEqual(['a2']);
    expect(offer.why.lastAgent).toEqual(lastAgent);
    expect(offer.why.strategy).toBe('linear');
    expect(offer.why.rule).toBe(
      `last_agent: talked with this caller ${new Date(lastAgent.servedAt).toISOString()}`,
    );
    const a2 = offer.why.considered.find((c) => c.agentId === 'a2');
    expect(a2).toMatchObject({ eligible: true, rule: offer.why.rule });
  });

  it('leaves the choice to the strategy without the setting, for a conversation too old, or with no last agent', () => {
    const without = sim(null);
    without.login('a1', 'a2');
    expect(offeredAgents(without.arrive('c1', 'q', { lastAgent }))).toEqual(['a1']);

    const tooOld = sim({ withinDays: 1 });
    tooOld.login('a1', 'a2');
    const old = only(tooOld.arrive('c1', 'q', { lastAgent }), 'offer');
    expect(old.targets.map((t) => t.agentId)).toEqual(['a1']);
    expect(old.why.lastAgent).toBeUndefined();

    const unknown = sim({});
    unknown.login('a1', 'a2');
    expect(offeredAgents(unknown.arrive('c1', 'q'))).toEqual(['a1']);
  });

  it('does not prefer an agent outside the queue, or one lacking a skill the caller needs', () => {
    const s = sim({});
    s.login('a1', 'a2', 'a3');
    expect(offeredAgents(s.arrive('c1', 'q', { lastAgent: { agentId: 'a3', servedAt: T0 } }))).toEqual([
      'a1',
    ]);
    const skilled = sim({});
    skilled.login('a1', 'a2');
    const out = skilled.arrive('c2', 'q', { lastAgent, skills: { english: 6 } });
    expect(offeredAgents(out)).toEqual([]); // neither has english 6; nobody is held back for a2
    expect(ofType(out, 'lastAgentAwaited')).toEqual([]);
  });

  it('says it keeps the caller for its last agent only once someone else could take it', () => {
    const s = sim({ waitSeconds: 30 });
    s.login('a1', 'a2');
    busyA2(s);
    s.agent('a1', { type: 'notReady', reason: 'lunch' });
    s.login('a3'); // free, but not in this queue
    const out = s.arrive('c1', 'q', { lastAgent });
    expect(ofType(out, 'lastAgentAwaited')).toEqual([]); // nobody else could take it: it just waits
    s.advance(2000);
    const ready = s.agent('a1', { type: 'ready' });
    expect(offeredAgents(ready)).toEqual([]);
    expect(only(ready, 'lastAgentAwaited').until).toBe(T0 + 30_000);
  });

  it('with waitSeconds 0 a busy last agent is not waited for', () => {
    const s = sim({ waitSeconds: 0 });
    s.login('a1', 'a2');
    busyA2(s);
    const out = s.arrive('c1', 'q', { lastAgent });
    expect(offeredAgents(out)).toEqual(['a1']);
    expect(ofType(out, 'lastAgentAwaited')).toEqual([]);
  });

  it('holds the caller back for a busy last agent up to waitSeconds, and offers them the moment they free up', () => {
    const s = sim({ waitSeconds: 30 }, { wrapUpSeconds: 10 });
    s.login('a1', 'a2');
    busyA2(s);
    s.advance(1000);
    const out = s.arrive('c1', 'q', { lastAgent });
    expect(offeredAgents(out)).toEqual([]);
    expect(only(out, 'lastAgentAwaited')).toEqual({
      type: 'lastAgentAwaited',
      interactionId: 'c1',
      queueId: 'q',
      agentId: 'a2',
      servedAt: lastAgent.servedAt,
      until: s.now + 30_000,
    });
    expect(out).toContainEqual({ type: 'scheduleTimer', key: 'lastagent:c1', at: s.now + 30_000 });
    // A later event that routes again does not say it twice.
    const again = s.agent('a1', { type: 'notReady', reason: 'coffee' });
    expect(ofType(again, 'lastAgentAwaited')).toEqual([]);
    s.agent('a1', { type: 'ready' });
    // Still waiting through a2's wrap-up, then a2 takes the call.
    s.advance(5000);
    s.agent('a2', { type: 'hangup', interactionId: 'first' });
    expect(s.router.waiting(s.now).map((e) => e.interactionId)).toEqual(['c1']);
    const freed = s.fire('wrap:a2');
    const offer = only(freed, 'offer');
    expect(offer.targets.map((t) => t.agentId)).toEqual(['a2']);
    expect(offer.why.lastAgent).toEqual(lastAgent);
    expect(freed).toContainEqual({ type: 'cancelTimer', key: 'lastagent:c1' });
  });

  it('gives the caller to the strategy once waitSeconds have passed since it entered the queue', () => {
    const s = sim({ waitSeconds: 15 });
    s.login('a1', 'a2');
    busyA2(s);
    s.arrive('c1', 'q', { lastAgent });
    s.advance(14_999);
    expect(offeredAgents(s.log.splice(0))).toEqual([]);
    const out = s.fire('lastagent:c1');
    expect(s.now).toBe(T0 + 15_000);
    const offer = only(out, 'offer');
    expect(offer.targets.map((t) => t.agentId)).toEqual(['a1']);
    expect(offer.why.lastAgent).toBeUndefined();
  });

  it('does not wait for a last agent who is not ready or logged out', () => {
    const notReady = sim({ waitSeconds: 60 });
    notReady.login('a1', 'a2');
    notReady.agent('a2', { type: 'notReady', reason: 'lunch' });
    expect(offeredAgents(notReady.arrive('c1', 'q', { lastAgent }))).toEqual(['a1']);

    const loggedOut = sim({ waitSeconds: 60 });
    loggedOut.login('a1');
    expect(offeredAgents(loggedOut.arrive('c1', 'q', { lastAgent }))).toEqual(['a1']);
  });

  it('a last agent who lets the offer ring out loses the preference: the caller goes to the strategy next', () => {
    const s = sim({ waitSeconds: 60 });
    s.login('a1', 'a2');
    s.arrive('c1', 'q', { lastAgent });
    expect(offeredAgents(s.log)).toEqual(['a2']);
    s.log.length = 0;
    const out = s.fire('ring:c1');
    expect(only(out, 'rona').agentId).toBe('a2');
    expect(offeredAgents(out)).toEqual(['a1']);
    expect(ofType(out, 'lastAgentAwaited')).toEqual([]);
  });

  it('the preference is worth one offer: a last agent ready again after missing it is not preferred', () => {
    const s = sim({ waitSeconds: 60 });
    s.login('a1', 'a2');
    s.agent('a1', { type: 'notReady', reason: 'lunch' });
    s.arrive('c1', 'q', { lastAgent });
    s.fire('ring:c1'); // a2 missed it: not ready
    s.agent('a2', { type: 'ready' });
    s.agent('a1', { type: 'ready' });
    // a2 became free first and the caller went to it as to anyone: by the strategy, not as its last agent.
    const offers = ofType(s.log, 'offer');
    expect(offers.map((o) => [o.targets[0]!.agentId, o.why.lastAgent?.agentId ?? null])).toEqual([
      ['a2', 'a2'],
      ['a2', null],
    ]);
  });

  it('a last agent who declines is not waited for or offered the caller again', () => {
    const s = sim({ waitSeconds: 60 });
    s.login('a1', 'a2');
    s.agent('a1', { type: 'notReady', reason: 'lunch' });
    s.arrive('c1', 'q', { lastAgent });
    const out = s.agent('a2', { type: 'reject', interactionId: 'c1' });
    expect(offeredAgents(out)).toEqual([]);
    const ready = s.agent('a1', { type: 'ready' });
    expect(offeredAgents(ready)).toEqual(['a1']);
    expect(ofType(ready, 'lastAgentAwaited')).toEqual([]);
  });

  it('a caller held back for its last agent does not hold up those behind it', () => {
    const s = sim({ waitSeconds: 60 });
    s.login('a1', 'a2');
    busyA2(s);
    s.agent('a1', { type: 'notReady', reason: 'lunch' });
    s.arrive('c1', 'q', { lastAgent });
    s.advance(1000);
    s.arrive('c2', 'q', { callerNumber: '+15550002' });
    const out = s.agent('a1', { type: 'ready' });
    expect(only(out, 'offer').interactionId).toBe('c2');
  });

  it('keeps the last agent through an overflow, under the new queue’s own setting', () => {
    const s = new Sim(
      [
        queueDef({
          id: 'first',
          strategy: 'linear',
          maxWaitSeconds: 10,
          overflowTarget: { type: 'queue', queueId: 'q' },
        }),
        queueDef({ id: 'q', strategy: 'linear', lastAgent: { withinDays: 30, waitSeconds: 0 } }),
      ],
      [agentDef('a1', [{ queueId: 'q', order: 1 }]), agentDef('a2', [{ queueId: 'q', order: 2 }])],
    );
    s.arrive('c1', 'first', { lastAgent });
    s.login('a1', 'a2');
    expect(offeredAgents(s.log)).toEqual([]);
    const out = s.fire('maxwait:c1');
    expect(only(out, 'overflow').target).toEqual({ type: 'queue', queueId: 'q' });
    expect(only(out, 'offer').targets.map((t) => t.agentId)).toEqual(['a2']);
  });

  it('rings only the last agent on a ring-all queue, and leaves round-robin’s memory alone', () => {
    const all = sim({}, { strategy: 'ring_all' });
    all.login('a1', 'a2');
    expect(offeredAgents(all.arrive('c1', 'q', { lastAgent }))).toEqual(['a2']);

    const rr = sim({}, { strategy: 'round_robin' });
    rr.login('a1', 'a2');
    rr.arrive('c1', 'q', { lastAgent });
    expect(rr.router.snapshot().roundRobin.q).toBeUndefined();
  });

  it('a callback request is offered to its last agent too, once its hours open', () => {
    const s = sim(
      {},
      {
        exitKey: '1',
        exitTarget: { type: 'callback' },
        callbackHours: { timeZone: 'UTC', windows: [{ days: ['mon'], start: '10:00', end: '18:00' }] },
      },
    );
    s.login('a1', 'a2');
    s.agent('a1', { type: 'notReady', reason: 'lunch' });
    s.agent('a2', { type: 'notReady', reason: 'lunch' });
    s.arrive('c1', 'q', { lastAgent, callerNumber: '+15550111' });
    s.send({ type: 'dtmf', interactionId: 'c1', digit: '1' });
    s.agent('a1', { type: 'ready' });
    s.agent('a2', { type: 'ready' });
    expect(offeredAgents(s.log)).toEqual([]); // 09:00: callback hours not open yet
    const out = s.fire('cbopen:q');
    const due = only(out, 'callbackDue');
    expect(due.targets.map((t) => t.agentId)).toEqual(['a2']);
    expect(due.why.lastAgent).toEqual(lastAgent);
  });

  it("a callback request taken back after a restart keeps its customer's last agent", () => {
    const s = sim({}, { exitKey: '1', exitTarget: { type: 'callback' } });
    s.login('a1', 'a2');
    const out = s.send({
      type: 'restoreCallback',
      interactionId: 'cb',
      queueId: 'q',
      callerNumber: '+15550111',
      priority: 0,
      skills: {},
      enqueuedAt: T0 - 60_000,
      callback: newCallback(T0 - 60_000),
      lastAgent,
    });
    const due = only(out, 'callbackDue');
    expect(due.targets.map((t) => t.agentId)).toEqual(['a2']);
    expect(due.why.lastAgent).toEqual(lastAgent);
  });
});
