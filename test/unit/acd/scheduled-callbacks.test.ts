import { describe, expect, it } from 'vitest';
import {
  type CallbackStep,
  callbackAfterRestart,
  computeQueueStats,
  newCallback,
} from '../../../src/acd/index.js';
import { lineView } from '../../../src/acd/line-view.js';
import type { RouterInput } from '../../../src/acd/router-types.js';
import { Sim, T0, agentDef, offeredAgents, only, ofType, queueDef } from './helpers.js';

const HOUR = 3_600_000;
const AT = T0 + 2 * HOUR; // Monday 11:00 UTC

type Schedule = Extract<RouterInput, { type: 'scheduleCallback' }>;
const schedule = (extra: Partial<Schedule> = {}): Schedule => ({
  type: 'scheduleCallback',
  interactionId: 'done1',
  queueId: 'q',
  callerNumber: '+15550007777',
  at: AT,
  requestedBy: { agentId: 'a1' },
  ...extra,
});

const queue = (extra = {}) =>
  queueDef({ id: 'q', callbackPolicy: { maxAttempts: 2, retryIntervalSeconds: 60 }, ...extra });

function ready(sim: Sim, ...agentIds: string[]) {
  sim.login(...agentIds);
}

describe('a callback scheduled for later', () => {
  it('waits for its time with agents free, then is due like any callback request, with the record', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q'])]);
    ready(sim, 'a1');
    const out = sim.send(schedule({ note: 'wants the new tariff' }));
    expect(only(out, 'callbackScheduled')).toEqual({
      type: 'callbackScheduled',
      interactionId: 'done1',
      queueId: 'q',
      callerNumber: '+15550007777',
      at: AT,
      priority: 0,
      skills: {},
      requestedBy: { agentId: 'a1' },
      note: 'wants the new tariff',
    });
    expect(ofType(out, 'callbackDue')).toEqual([]);
    expect(sim.timers.get('cbretry:done1')).toBe(AT);
    sim.advance(HOUR); // an hour on, the agent is free and nothing is due yet
    sim.agent('a1', { type: 'notReady', reason: 'break' });
    sim.agent('a1', { type: 'ready' });
    expect(ofType(sim.log, 'callbackDue')).toEqual([]);

    const due = sim.fire('cbretry:done1');
    expect(only(due, 'callbackDue')).toMatchObject({
      interactionId: 'done1',
      callerNumber: '+15550007777',
      attempt: 1,
      targets: [{ agentId: 'a1' }],
    });
    const dial = sim.agent('a1', { type: 'answer', interactionId: 'done1' });
    expect(only(dial, 'dialCallback')).toMatchObject({ callerNumber: '+15550007777', attempt: 1 });
    // Not answered: the queue's retry policy applies to it as to any request.
    const retry = sim.send({ type: 'callbackResult', interactionId: 'done1', outcome: 'no_answer' });
    expect(only(retry, 'callbackRetryScheduled')).toMatchObject({ attempts: 1, at: sim.now + 60_000 });
  });

  it('takes its place in line as a caller arriving at its time would: behind those already waiting', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q'])]);
    sim.send(schedule());
    sim.now = AT - 60_000;
    sim.arrive('early', 'q'); // waiting since before the callback was due
    sim.runUntil(AT + 30_000);
    sim.arrive('late', 'q');
    expect(sim.router.waiting(sim.now).map((e) => e.interactionId)).toEqual(['early', 'done1', 'late']);
    ready(sim, 'a1');
    expect(offeredAgents(sim.log)).toEqual(['a1']);
    expect(only(sim.log, 'offer').interactionId).toBe('early');
  });

  it('is refused with a reason: a time past or too far ahead, a queue unknown, a number that cannot be called', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q']), agentDef('x', ['other'])], undefined, {
      numberRefusal: (n) => (n.startsWith('+1900') ? 'premium rate' : null),
    });
    const code = (extra: Partial<Schedule>) => only(sim.send(schedule(extra)), 'refused').code;
    expect(code({ at: T0 })).toBe('INVALID_TIME');
    expect(code({ at: T0 + 181 * 24 * HOUR })).toBe('INVALID_TIME');
    expect(code({ queueId: 'nope' })).toBe('UNKNOWN_QUEUE');
    expect(code({ callerNumber: 'anonymous' })).toBe('NO_CALLBACK_NUMBER');
    expect(code({ callerNumber: '+19005550000' })).toBe('CALLBACK_NUMBER_NOT_ALLOWED');
    expect(code({ reservedFor: { agentId: 'x', until: AT + HOUR } })).toBe('NOT_A_MEMBER');
    expect(code({ reservedFor: { agentId: 'a1', until: AT } })).toBe('INVALID_TIME');
    expect(sim.router.waiting(sim.now)).toEqual([]);
    // One open request per call: a second is refused until the first is over.
    only(sim.send(schedule()), 'callbackScheduled');
    expect(code({ at: AT + HOUR })).toBe('DUPLICATE_INTERACTION');
  });

  it('waits for its queue’s callback hours when it falls outside them', () => {
    const sim = new Sim(
      [
        queue({
          // T0 is Monday 10:00 Amsterdam; hours 14:00–16:00 there (13:00Z–15:00Z).
          callbackHours: {
            timeZone: 'Europe/Amsterdam',
            windows: [{ days: ['mon'], start: '14:00', end: '16:00' }],
          },
        }),
      ],
      [agentDef('a1', ['q'])],
    );
    ready(sim, 'a1');
    sim.send(schedule());
    // The line says when it may first be called: booked for 11:00Z, the hours open at 13:00Z.
    const line = () =>
      lineView(sim.router.waiting(sim.now, 'q'), sim.router.queue('q')!, sim.now)[0]?.callback;
    expect(line()).toMatchObject({ notBefore: AT, callableFrom: T0 + 4 * HOUR });
    expect(ofType(sim.fire('cbretry:done1'), 'callbackDue')).toEqual([]);
    expect(line()).toEqual({ status: 'pending', attempts: 0, callableFrom: T0 + 4 * HOUR });
    expect(sim.timers.get('cbopen:q')).toBe(T0 + 4 * HOUR);
    expect(only(sim.fire('cbopen:q'), 'callbackDue').interactionId).toBe('done1');
  });

  it('a cancelled one is closed with who cancelled it; one whose customer is being dialled is not', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q'])]);
    sim.send(schedule());
    const closed = sim.send({
      type: 'cancelCallback',
      interactionId: 'done1',
      cancelledBy: { supervisor: { id: 'sue', name: 'Sue' } },
    });
    expect(only(closed, 'callbackClosed')).toMatchObject({
      reason: 'cancelled',
      attempts: 0,
      cancelledBy: { supervisor: { id: 'sue', name: 'Sue' } },
    });
    expect(sim.timers.has('cbretry:done1')).toBe(false);

    sim.send(schedule({ interactionId: 'done2' }));
    ready(sim, 'a1');
    sim.fire('cbretry:done2');
    sim.agent('a1', { type: 'answer', interactionId: 'done2' });
    const refused = sim.send({ type: 'cancelCallback', interactionId: 'done2' });
    expect(only(refused, 'refused').code).toBe('CALLBACK_DIALING');
    expect(sim.router.waiting(sim.now).map((e) => e.interactionId)).toEqual(['done2']);
  });
});

describe('a personal callback (kept for one agent)', () => {
  const personal = () =>
    schedule({ reservedFor: { agentId: 'a2', until: AT + HOUR }, requestedBy: { agentId: 'a2' } });

  it('goes to its agent alone while kept, ahead of the strategy, with why', () => {
    const sim = new Sim([queue({ strategy: 'linear' })], [agentDef('a1', ['q']), agentDef('a2', ['q'])]);
    ready(sim, 'a1', 'a2');
    sim.send(personal());
    const due = sim.fire('cbretry:done1');
    expect(only(due, 'callbackDue')).toMatchObject({
      targets: [{ agentId: 'a2' }],
      why: {
        reservedFor: { agentId: 'a2', until: AT + HOUR },
        rule: `personal_callback: kept for this agent until ${new Date(AT + HOUR).toISOString()}`,
      },
    });
  });

  it('waits for its agent while others are free, until the reservation ends; then anyone may take it', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q']), agentDef('a2', ['q'])]);
    ready(sim, 'a1', 'a2');
    sim.agent('a2', { type: 'notReady', reason: 'lunch' });
    sim.send(personal());
    expect(ofType(sim.fire('cbretry:done1'), 'callbackDue')).toEqual([]);
    expect(sim.timers.get('reserved:done1')).toBe(AT + HOUR);
    // Callers behind it are not held up by it.
    sim.arrive('c1', 'q');
    expect(only(sim.log, 'offer')).toMatchObject({ interactionId: 'c1', targets: [{ agentId: 'a1' }] });
    sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    sim.agent('a1', { type: 'hangup', interactionId: 'c1', wrapUpSeconds: 0 });
    expect(ofType(sim.log, 'callbackDue')).toEqual([]);
    const after = sim.fire('reserved:done1');
    expect(only(after, 'callbackDue')).toMatchObject({ targets: [{ agentId: 'a1' }] });
    expect(only(after, 'callbackDue').why.reservedFor).toBeUndefined();
  });

  it('goes to the queue at once when its agent declines it, not back to them until the reservation ends', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q']), agentDef('a2', ['q'])]);
    ready(sim, 'a1', 'a2');
    sim.send(personal());
    const due = sim.fire('cbretry:done1');
    expect(only(due, 'callbackDue').targets.map((t) => t.agentId)).toEqual(['a2']);
    const declined = sim.agent('a2', { type: 'reject', interactionId: 'done1' });
    // On its record, so a restart does not keep it for a2 again.
    expect(only(declined, 'callbackReservationReleased')).toEqual({
      type: 'callbackReservationReleased',
      interactionId: 'done1',
      queueId: 'q',
      agentId: 'a2',
    });
    // Offered to a1 at once, as any callback, with no reservation in its why.
    const next = ofType(declined, 'callbackDue');
    expect(next.map((d) => d.targets.map((t) => t.agentId))).toEqual([['a1']]);
    expect(next[0]!.why.reservedFor).toBeUndefined();
  });

  it('is offered to its agent the moment they are ready, within the reservation', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q']), agentDef('a2', ['q'])]);
    ready(sim, 'a1', 'a2');
    sim.agent('a2', { type: 'notReady', reason: 'lunch' });
    sim.send(personal());
    sim.fire('cbretry:done1');
    sim.advance(10 * 60_000);
    const back = sim.agent('a2', { type: 'ready' });
    expect(only(back, 'callbackDue').targets.map((t) => t.agentId)).toEqual(['a2']);
  });

  it('the line shows it scheduled and kept for its agent; the figures count it apart from callbacks due', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q']), agentDef('a2', ['q'])]);
    sim.send(personal());
    sim.arrive('c1', 'q');
    sim.send({ type: 'requestCallback', interactionId: 'c1' });
    const q = sim.router.queue('q')!;
    const places = lineView(sim.router.waiting(sim.now, 'q'), q, sim.now);
    expect(places.map((p) => [p.interactionId, p.callback])).toEqual([
      ['c1', { status: 'pending', attempts: 0 }],
      [
        'done1',
        {
          status: 'retry_wait',
          attempts: 0,
          notBefore: AT,
          reservedFor: { agentId: 'a2', until: AT + HOUR },
        },
      ],
    ]);
    const snap = sim.router.snapshot();
    const stats = computeQueueStats({
      queueId: 'q',
      serviceLevelSeconds: 20,
      records: [],
      entries: snap.entries,
      memberSeats: Object.values(snap.seats),
      now: sim.now,
    });
    expect(stats).toMatchObject({ waiting: 0, callbacksWaiting: 1, callbacksScheduled: 1 });
    // Due now: waiting, no longer scheduled.
    sim.fire('cbretry:done1');
    const later = sim.router.snapshot();
    expect(
      computeQueueStats({
        queueId: 'q',
        serviceLevelSeconds: 20,
        records: [],
        entries: later.entries,
        memberSeats: Object.values(later.seats),
        now: sim.now,
      }),
    ).toMatchObject({ callbacksWaiting: 2, callbacksScheduled: 0 });
  });

  it('a restart puts it back kept for its agent (restoreCallback with the reservation)', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q']), agentDef('a2', ['q'])]);
    ready(sim, 'a1', 'a2');
    sim.agent('a2', { type: 'notReady', reason: 'lunch' });
    sim.now = AT + 60_000;
    sim.send({
      type: 'restoreCallback',
      interactionId: 'done1',
      queueId: 'q',
      callerNumber: '+15550007777',
      priority: 0,
      skills: {},
      enqueuedAt: AT,
      callback: { ...newCallback(T0), attempts: 0 },
      reservedFor: { agentId: 'a2', until: AT + HOUR },
    });
    expect(ofType(sim.log, 'callbackDue')).toEqual([]);
    expect(only(sim.agent('a2', { type: 'ready' }), 'callbackDue').targets[0]?.agentId).toBe('a2');
  });
});

describe('callbackAfterRestart for a callback scheduled for later', () => {
  const scheduled: CallbackStep = { at: T0, step: 'requested', retryAt: AT };

  it('waits for its time again while it is ahead, and is pending once it has passed', () => {
    expect(
      callbackAfterRestart([scheduled], { maxAttempts: 2, retryIntervalSeconds: 60 }, T0 + HOUR),
    ).toEqual({
      type: 'restore',
      state: { ...newCallback(T0), status: 'retry_wait', notBefore: AT },
    });
    expect(callbackAfterRestart([scheduled], { maxAttempts: 2, retryIntervalSeconds: 60 }, AT + 1)).toEqual({
      type: 'restore',
      state: newCallback(T0),
    });
  });

  it('reads only the latest request of a call that had one closed before', () => {
    const steps: CallbackStep[] = [
      { at: T0 - HOUR, step: 'requested' },
      { at: T0 - HOUR + 10, step: 'dialing', attempt: 1 },
      { at: T0 - HOUR + 20, step: 'connected', attempt: 1 },
      { at: T0 - HOUR + 30, step: 'closed', attempt: 1, reason: 'completed' },
      scheduled,
    ];
    expect(callbackAfterRestart(steps, { maxAttempts: 2, retryIntervalSeconds: 60 }, T0 + HOUR)).toEqual({
      type: 'restore',
      state: { ...newCallback(T0), status: 'retry_wait', notBefore: AT },
    });
    expect(callbackAfterRestart(steps.slice(0, 4), { maxAttempts: 2, retryIntervalSeconds: 60 }, T0)).toEqual(
      {
        type: 'none',
      },
    );
  });
});

describe('a callback request moved to another queue by a supervisor', () => {
  const queues = () => [queue(), queueDef({ id: 'sales' })];
  const move = (extra: Partial<Extract<RouterInput, { type: 'moveCallback' }>> = {}) =>
    ({
      type: 'moveCallback',
      interactionId: 'done1',
      toQueueId: 'sales',
      supervisor: { id: 'sue', name: 'Sue' },
      ...extra,
    }) as const;

  it('keeps its time, place and attempts there, and is offered to the new queue’s agents when due', () => {
    const sim = new Sim(queues(), [agentDef('a1', ['q']), agentDef('s1', ['sales'])]);
    ready(sim, 'a1', 's1');
    sim.send(schedule());
    sim.now = AT - 60_000;
    sim.arrive('early', 'sales'); // waiting in sales since before the callback is due
    sim.agent('s1', { type: 'answer', interactionId: 'early' });
    const moved = sim.send(move());
    expect(only(moved, 'callbackMoved')).toEqual({
      type: 'callbackMoved',
      interactionId: 'done1',
      fromQueueId: 'q',
      toQueueId: 'sales',
      position: 1,
      attempts: 0,
      notBefore: AT,
      supervisor: { id: 'sue', name: 'Sue' },
    });
    expect(sim.router.waiting(sim.now, 'sales').map((e) => e.interactionId)).toEqual(['done1']);
    expect(sim.router.waiting(sim.now, 'q')).toEqual([]);
    // Its time still holds: not offered to a1 (not in sales) nor early; due at its time to s1 once free.
    expect(ofType(moved, 'callbackDue')).toEqual([]);
    sim.agent('s1', { type: 'hangup', interactionId: 'early', wrapUpSeconds: 0 });
    expect(ofType(sim.log, 'callbackDue')).toEqual([]);
    expect(only(sim.fire('cbretry:done1'), 'callbackDue')).toMatchObject({
      queueId: 'sales',
      targets: [{ agentId: 's1' }],
    });
  });

  it('goes to the new queue’s agents when kept for one who is not there, saying so', () => {
    const sim = new Sim(queues(), [agentDef('a2', ['q']), agentDef('both', ['q', 'sales'])]);
    sim.send(schedule({ reservedFor: { agentId: 'a2', until: AT + HOUR }, requestedBy: { agentId: 'a2' } }));
    expect(only(sim.send(move()), 'callbackMoved').releasedFrom).toBe('a2');
    expect(sim.router.waiting(sim.now, 'sales')[0]?.reservedFor).toBeUndefined();
    // Kept for an agent who is in both: still theirs.
    sim.send(
      schedule({
        interactionId: 'done2',
        callerNumber: '+15550007778',
        reservedFor: { agentId: 'both', until: AT + HOUR },
        requestedBy: { agentId: 'both' },
      }),
    );
    const kept = only(sim.send(move({ interactionId: 'done2' })), 'callbackMoved');
    expect(kept.releasedFrom).toBeUndefined();
    expect(
      sim.router.waiting(sim.now, 'sales').find((e) => e.interactionId === 'done2')?.reservedFor,
    ).toEqual({
      agentId: 'both',
      until: AT + HOUR,
    });
  });

  it('is refused with a reason: with an agent now, a campaign’s call, the same or an unknown queue, not a callback', () => {
    const sim = new Sim(queues(), [agentDef('a1', ['q'])]);
    const code = (input: RouterInput) => only(sim.send(input), 'refused').code;
    sim.send(schedule());
    expect(code(move({ toQueueId: 'q' }))).toBe('SAME_QUEUE');
    expect(code(move({ toQueueId: 'nope' }))).toBe('UNKNOWN_QUEUE');
    expect(code(move({ interactionId: 'nobody' }))).toBe('NOT_A_CALLBACK');
    sim.send(
      schedule({
        interactionId: 'camp1',
        callerNumber: '+15550007779',
        requestedBy: { campaign: { id: 'renewals', name: 'Renewals' } },
      }),
    );
    expect(code(move({ interactionId: 'camp1' }))).toBe('CAMPAIGN_CALL');
    ready(sim, 'a1');
    sim.fire('cbretry:done1');
    expect(code(move())).toBe('CALLBACK_DIALING'); // offered to a1 now
    expect(sim.router.waiting(sim.now, 'q').map((e) => e.interactionId)).toContain('done1');
  });

  it('after a restart, waits in the queue it went to until its time (its steps say so)', () => {
    const steps: CallbackStep[] = [
      { at: T0, step: 'requested', retryAt: AT },
      { at: T0 + 1000, step: 'moved', retryAt: AT },
    ];
    expect(callbackAfterRestart(steps, { maxAttempts: 2, retryIntervalSeconds: 60 }, T0 + 2000)).toEqual({
      type: 'restore',
      state: expect.objectContaining({ status: 'retry_wait', notBefore: AT, attempts: 0 }),
    });
    // Moved once due: due at once.
    expect(
      callbackAfterRestart(
        [
          { at: T0, step: 'requested' },
          { at: T0 + 1000, step: 'moved' },
        ],
        { maxAttempts: 2, retryIntervalSeconds: 60 },
        T0 + 2000,
      ),
    ).toEqual({ type: 'restore', state: expect.objectContaining({ status: 'pending', attempts: 0 }) });
  });
});
