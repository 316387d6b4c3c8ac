import { describe, expect, it } from 'vitest';
import { QueueRouter } from '../../../src/acd/index.js';
import { Sim, T0, agentDef, offeredAgents, only, ofType, queueDef, seededRng } from './helpers.js';

describe('max wait overflow', () => {
  it('overflows to the target queue at max wait, keeping first-arrival time, with the new queue max wait', () => {
    const sim = new Sim(
      [
        queueDef({ id: 'first', maxWaitSeconds: 60, overflowTarget: { type: 'queue', queueId: 'second' } }),
        queueDef({
          id: 'second',
          maxWaitSeconds: 120,
          overflowTarget: { type: 'voicemail', mailbox: '100' },
        }),
      ],
      [agentDef('a1', ['first']), agentDef('a2', ['second'])],
    );
    const arrived = sim.arrive('c1', 'first');
    expect(arrived).toContainEqual({ type: 'scheduleTimer', key: 'maxwait:c1', at: T0 + 60_000 });
    const out = sim.fire('maxwait:c1');
    expect(only(out, 'overflow')).toEqual({
      type: 'overflow',
      interactionId: 'c1',
      fromQueueId: 'first',
      target: { type: 'queue', queueId: 'second' },
      reason: 'max_wait',
    });
    expect(only(out, 'enqueued')).toMatchObject({ queueId: 'second', position: 1 });
    expect(out).toContainEqual({ type: 'scheduleTimer', key: 'maxwait:c1', at: T0 + 180_000 });
    expect(sim.router.waiting(sim.now)[0]).toMatchObject({
      queueId: 'second',
      enqueuedAt: T0,
      queueEnteredAt: T0 + 60_000,
    });
    const last = sim.fire('maxwait:c1');
    expect(only(last, 'overflow').target).toEqual({ type: 'voicemail', mailbox: '100' });
    expect(sim.router.waiting(sim.now)).toEqual([]);
  });

  it('a caller taken over after a restart keeps its max wait from when it entered the queue', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', maxWaitSeconds: 60, overflowTarget: { type: 'voicemail', mailbox: '100' } })],
      [agentDef('a1', ['q'])],
    );
    sim.now = T0 + 45_000; // the new run takes the caller over 45 s after it queued
    const back = sim.arrive('c1', 'q', { requeued: { enqueuedAt: T0, front: false, queueEnteredAt: T0 } });
    expect(back).toContainEqual({ type: 'scheduleTimer', key: 'maxwait:c1', at: T0 + 60_000 });
    // On record again with when it entered, so a second restart keeps it too.
    expect(back).toContainEqual(
      expect.objectContaining({ type: 'enqueued', queueEnteredAt: T0, front: false }),
    );
    const front = new Sim([queueDef({ id: 'q' })], []);
    expect(
      front.arrive('c2', 'q', { requeued: { enqueuedAt: T0, front: true, queueEnteredAt: T0 + 5 } }),
    ).toContainEqual(expect.objectContaining({ type: 'enqueued', queueEnteredAt: T0 + 5, front: true }));
    expect(sim.router.waiting(sim.now)[0]).toMatchObject({
      enqueuedAt: T0,
      queueEnteredAt: T0,
      frontOfLine: false,
    });
  });

  it('does not pull a caller away from a ringing agent; overflows as soon as that offer fails', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', maxWaitSeconds: 30, ringTimeoutSeconds: 20, overflowTarget: { type: 'hangup' } })],
      [agentDef('a1', ['q'])],
    );
    sim.arrive('c1', 'q');
    sim.advance(20_000);
    sim.login('a1'); // offer at 20s, ringing until 40s
    expect(ofType(sim.fire('maxwait:c1'), 'overflow')).toEqual([]);
    const out = sim.fire('ring:c1');
    expect(only(out, 'rona').agentId).toBe('a1');
    expect(only(out, 'overflow')).toMatchObject({ interactionId: 'c1', target: { type: 'hangup' } });
  });

  it('an answered call cancels its max-wait and announce timers', () => {
    const sim = new Sim(
      [
        queueDef({
          id: 'q',
          maxWaitSeconds: 30,
          overflowTarget: { type: 'hangup' },
          announce: { everySeconds: 20, position: true, estimatedWait: false, musicOnHoldClass: 'x' },
        }),
      ],
      [agentDef('a1', ['q'])],
    );
    sim.login('a1');
    sim.arrive('c1', 'q');
    const out = sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    expect(out).toContainEqual({ type: 'cancelTimer', key: 'maxwait:c1' });
    expect(out).toContainEqual({ type: 'cancelTimer', key: 'announce:c1' });
    expect([...sim.timers.keys()]).toEqual([]);
  });
});

describe('queue full', () => {
  it('rejects callers beyond maxLength to the queue-full target; callbacks do not count', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', maxLength: 2, queueFullTarget: { type: 'voicemail' } })],
      [agentDef('a1', ['q'])],
    );
    sim.arrive('c1', 'q');
    sim.arrive('c2', 'q');
    const full = sim.arrive('c3', 'q');
    expect(only(full, 'rejectedQueueFull')).toEqual({
      type: 'rejectedQueueFull',
      interactionId: 'c3',
      queueId: 'q',
      maxLength: 2,
      target: { type: 'voicemail' },
    });
    expect(ofType(full, 'enqueued')).toEqual([]);
    sim.send({ type: 'requestCallback', interactionId: 'c1' });
    expect(ofType(sim.arrive('c4', 'q'), 'enqueued')).toHaveLength(1);
  });

  it('a caller put back at the front (its agent lost) is not turned away by a full queue: it had its place', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', maxLength: 2 })],
      [agentDef('a1', ['q']), agentDef('a2', ['q'])],
    );
    sim.login('a1', 'a2');
    sim.arrive('c1', 'q');
    sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    sim.agent('a2', { type: 'notReady', reason: 'lunch' });
    sim.arrive('c2', 'q');
    sim.arrive('c3', 'q');
    sim.advance(120_000);
    sim.agent('a1', { type: 'notReady', reason: 'connection_lost' });
    sim.agent('a1', { type: 'hangup', interactionId: 'c1', wrapUpSeconds: 0 });
    const out = sim.arrive('c1', 'q', { requeued: { enqueuedAt: sim.now - 120_000 } });
    expect(ofType(out, 'rejectedQueueFull')).toEqual([]);
    expect(sim.router.waiting(sim.now).map((e) => e.interactionId)).toEqual(['c1', 'c2', 'c3']);
    // a new caller is still turned away
    expect(ofType(sim.arrive('c4', 'q'), 'rejectedQueueFull')).toHaveLength(1);
  });

  it('a full queue with a callback target registers a callback instead', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', maxLength: 1, queueFullTarget: { type: 'callback' } })],
      [agentDef('a1', ['q'])],
    );
    sim.arrive('c1', 'q');
    const out = sim.arrive('c2', 'q');
    expect(only(out, 'callbackRegistered')).toMatchObject({ interactionId: 'c2', position: 2 });
  });
});

describe('no agents logged in', () => {
  const queues = () => [
    queueDef({ id: 'q', noAgentsFallback: { type: 'queue', queueId: 'backup' } }),
    queueDef({ id: 'backup', noAgentsFallback: { type: 'voicemail' } }),
  ];

  it('sends an arriving caller to the fallback immediately instead of waiting forever', () => {
    const sim = new Sim(queues(), [agentDef('a1', ['q']), agentDef('b1', ['backup'])]);
    sim.login('b1');
    const out = sim.arrive('c1', 'q');
    expect(only(out, 'fallback')).toEqual({
      type: 'fallback',
      interactionId: 'c1',
      queueId: 'q',
      target: { type: 'queue', queueId: 'backup' },
      reason: 'no_agents_logged_in',
    });
    expect(offeredAgents(out)).toEqual(['b1']);
  });

  it('chains fallbacks when the fallback queue is empty too', () => {
    const sim = new Sim(queues(), [agentDef('a1', ['q'])]);
    const out = sim.arrive('c1', 'q');
    expect(ofType(out, 'fallback').map((f) => f.target)).toEqual([
      { type: 'queue', queueId: 'backup' },
      { type: 'voicemail' },
    ]);
    expect(sim.router.waiting(sim.now)).toEqual([]);
  });

  it('a not-ready agent still counts as logged in (callers wait); logging the last one out triggers fallback', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', noAgentsFallback: { type: 'voicemail' } })],
      [agentDef('a1', ['q'])],
    );
    sim.login('a1');
    sim.agent('a1', { type: 'notReady', reason: 'break' });
    expect(ofType(sim.arrive('c1', 'q'), 'enqueued')).toHaveLength(1);
    const out = sim.agent('a1', { type: 'logout' });
    expect(only(out, 'fallback')).toMatchObject({ interactionId: 'c1', target: { type: 'voicemail' } });
    expect(sim.router.waiting(sim.now)).toEqual([]);
  });

  it('agents lacking the queue skills do not count as staffing it', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', requiredSkills: { french: 5 }, noAgentsFallback: { type: 'hangup' } })],
      [agentDef('a1', ['q'], { skills: { french: 2 } })],
    );
    sim.login('a1');
    expect(only(sim.arrive('c1', 'q'), 'fallback').target).toEqual({ type: 'hangup' });
  });
});

describe('exit key and announcements', () => {
  it('the exit key leaves the queue for the exit target', () => {
    const sim = new Sim([queueDef({ id: 'q', exitKey: '0', exitTarget: { type: 'voicemail' } })], []);
    sim.arrive('c1', 'q');
    expect(only(sim.send({ type: 'dtmf', interactionId: 'c1', digit: '5' }), 'refused').code).toBe(
      'NOT_AN_EXIT_KEY',
    );
    const out = sim.send({ type: 'dtmf', interactionId: 'c1', digit: '0' });
    expect(only(out, 'exit')).toMatchObject({ digit: '0', target: { type: 'voicemail' } });
    expect(sim.router.waiting(sim.now)).toEqual([]);
  });

  it('announces position and estimated wait every N seconds', () => {
    const sim = new Sim(
      [
        queueDef({
          id: 'q',
          defaultHandleSeconds: 120,
          announce: { everySeconds: 30, position: true, estimatedWait: true, musicOnHoldClass: 'jazz' },
        }),
      ],
      [agentDef('a1', ['q']), agentDef('a2', ['q'])],
    );
    sim.login('a1', 'a2');
    sim.arrive('busy1', 'q');
    sim.arrive('busy2', 'q');
    sim.agent('a1', { type: 'answer', interactionId: 'busy1' });
    sim.agent('a2', { type: 'answer', interactionId: 'busy2' });
    sim.arrive('c1', 'q');
    const enq = only(sim.arrive('c2', 'q'), 'enqueued');
    // EWT = ceil(position × AHT / serving) = ceil(2 × 120 / 2)
    expect(enq).toMatchObject({ position: 2, estimatedWaitSeconds: 120, musicOnHoldClass: 'jazz' });
    const out = sim.fire('announce:c1');
    expect(only(out, 'announce')).toEqual({
      type: 'announce',
      interactionId: 'c1',
      queueId: 'q',
      position: 1,
      estimatedWaitSeconds: 60,
      sayPosition: true,
      sayEstimatedWait: true,
      sounds: [],
      musicOnHoldClass: 'jazz',
    });
    expect(sim.timers.get('announce:c1')).toBe(sim.now + 30_000);
  });

  it("carries the queue's own sounds on each announcement", () => {
    const sim = new Sim(
      [
        queueDef({
          id: 'q',
          announce: {
            everySeconds: 45,
            position: false,
            estimatedWait: false,
            musicOnHoldClass: 'default',
            sounds: ['custom/website'],
          },
        }),
      ],
      [],
    );
    sim.arrive('c1', 'q');
    expect(only(sim.fire('announce:c1'), 'announce')).toMatchObject({
      sayPosition: false,
      sayEstimatedWait: false,
      sounds: ['custom/website'],
    });
    expect(sim.timers.get('announce:c1')).toBe(sim.now + 45_000);
  });
});

describe('queue definitions changed while callers wait', () => {
  const agents = [agentDef('a1', ['q'])];
  const voicemail = { type: 'voicemail' } as const;
  const rebuilt = (router: QueueRouter, queues: ReturnType<typeof queueDef>[], now: number) => {
    const next = new QueueRouter({
      queues,
      agents,
      rng: seededRng(1),
      state: router.snapshot(),
      seatsSince: now,
    });
    return { router: next, out: next.handle({ type: 'queuesChanged' }, now) };
  };
  const first = () => {
    const router = new QueueRouter({
      queues: [queueDef({ id: 'q', maxWaitSeconds: 60, overflowTarget: voicemail })],
      agents,
      rng: seededRng(1),
    });
    router.handle({ type: 'callerArrived', interactionId: 'c1', queueId: 'q', callerNumber: '+1555' }, T0);
    return router;
  };

  it('moves max wait to the new deadline, from when the caller entered the queue', () => {
    const { out } = rebuilt(
      first(),
      [queueDef({ id: 'q', maxWaitSeconds: 120, overflowTarget: voicemail })],
      T0 + 10_000,
    );
    expect(out).toContainEqual({ type: 'scheduleTimer', key: 'maxwait:c1', at: T0 + 120_000 });
  });

  it('overflows at once a caller already past a lowered max wait; drops max wait when it is removed', () => {
    const lowered = rebuilt(
      first(),
      [queueDef({ id: 'q', maxWaitSeconds: 30, overflowTarget: voicemail })],
      T0 + 40_000,
    );
    expect(only(lowered.out, 'overflow')).toMatchObject({ interactionId: 'c1', reason: 'max_wait' });
    const removed = rebuilt(first(), [queueDef({ id: 'q' })], T0 + 10_000);
    expect(removed.out).toContainEqual({ type: 'cancelTimer', key: 'maxwait:c1' });
  });

  it('starts announcements for callers already waiting when they are turned on', () => {
    const { out } = rebuilt(
      first(),
      [
        queueDef({
          id: 'q',
          maxWaitSeconds: 60,
          overflowTarget: voicemail,
          announce: { everySeconds: 30, position: true, estimatedWait: false, musicOnHoldClass: 'default' },
        }),
      ],
      T0 + 10_000,
    );
    expect(out).toContainEqual({ type: 'scheduleTimer', key: 'announce:c1', at: T0 + 40_000 });
    expect(ofType(out, 'scheduleTimer').map((d) => d.key)).not.toContain('maxwait:c1'); // unchanged
  });
});
