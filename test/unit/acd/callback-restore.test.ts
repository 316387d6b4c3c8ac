import { describe, expect, it } from 'vitest';
import {
  type CallbackState,
  type CallbackStep,
  callbackAfterRestart,
  newCallback,
  reservationAfterRestart,
} from '../../../src/acd/index.js';
import { Sim, T0, agentDef, only, ofType, queueDef } from './helpers.js';

const policy = { maxAttempts: 3, retryIntervalSeconds: 60 };
const NOW = T0 + 3_600_000;
const requested: CallbackStep = { at: T0, step: 'requested' };

describe('callbackAfterRestart (a callback request rebuilt from its timeline steps)', () => {
  it('puts back a request that was only waiting, timed from its request', () => {
    for (const last of ['requested', 'due', 'restored']) {
      const steps = last === 'requested' ? [requested] : [requested, { at: T0 + 5, step: last, attempt: 1 }];
      expect(callbackAfterRestart(steps, policy, NOW)).toEqual({
        type: 'restore',
        state: { ...newCallback(T0), attempts: 0 },
      });
    }
  });

  it('counts the attempts started, and keeps a scheduled retry that is still ahead', () => {
    const steps: CallbackStep[] = [
      requested,
      { at: T0 + 10, step: 'due', attempt: 1 },
      { at: T0 + 20, step: 'dialing', attempt: 1 },
      { at: T0 + 30, step: 'dialing', attempt: 1, reason: 'no_answer' },
      { at: T0 + 30, step: 'retry-scheduled', attempt: 1, retryAt: NOW + 5000 },
    ];
    expect(callbackAfterRestart(steps, policy, NOW)).toEqual({
      type: 'restore',
      state: { ...newCallback(T0), status: 'retry_wait', attempts: 1, notBefore: NOW + 5000 },
    });
    // The retry came due while the service was stopped: pending at once.
    const due = callbackAfterRestart(steps, policy, NOW + 6000);
    expect(due).toEqual({ type: 'restore', state: { ...newCallback(T0), attempts: 1 } });
  });

  it('keeps the retry wait through a second restart (the first one wrote it on its restored step)', () => {
    const steps: CallbackStep[] = [
      requested,
      { at: T0 + 20, step: 'dialing', attempt: 1 },
      { at: T0 + 30, step: 'retry-scheduled', attempt: 1, retryAt: NOW + 5000 },
      { at: NOW - 1000, step: 'restored', attempt: 1, retryAt: NOW + 5000 },
    ];
    expect(callbackAfterRestart(steps, policy, NOW)).toEqual({
      type: 'restore',
      state: { ...newCallback(T0), status: 'retry_wait', attempts: 1, notBefore: NOW + 5000 },
    });
  });

  it('treats an attempt the stop cut short as failed, under the retry policy', () => {
    const inFlight: CallbackStep[] = [requested, { at: T0 + 20, step: 'dialing', attempt: 1 }];
    const result = callbackAfterRestart(inFlight, policy, NOW);
    expect(result).toMatchObject({
      type: 'restore',
      state: { status: 'retry_wait', attempts: 1, notBefore: NOW + 60_000, lastOutcome: 'failed' },
    });
  });

  it('applies a result the stop kept from its retry decision', () => {
    const steps: CallbackStep[] = [
      requested,
      { at: T0 + 20, step: 'dialing', attempt: 1 },
      { at: T0 + 30, step: 'dialing', attempt: 1, reason: 'busy' },
    ];
    expect(callbackAfterRestart(steps, policy, NOW)).toMatchObject({
      type: 'restore',
      state: { status: 'retry_wait', lastOutcome: 'busy' },
    });
  });

  it('closes a request whose message was left on an answering machine, and retries one hung up on', () => {
    const dialing: CallbackStep = { at: T0 + 20, step: 'dialing', attempt: 1 };
    const left: CallbackStep[] = [requested, dialing, { ...dialing, at: T0 + 30, reason: 'message_left' }];
    expect(callbackAfterRestart(left, policy, NOW)).toEqual({
      type: 'close',
      reason: 'message_left',
      attempts: 1,
    });
    const machine: CallbackStep[] = [requested, dialing, { ...dialing, at: T0 + 30, reason: 'machine' }];
    expect(callbackAfterRestart(machine, policy, NOW)).toMatchObject({
      type: 'restore',
      state: { status: 'retry_wait', lastOutcome: 'machine' },
    });
  });

  it('closes a request whose last allowed attempt the stop cut short', () => {
    const steps: CallbackStep[] = [requested, { at: T0 + 20, step: 'dialing', attempt: 3 }];
    expect(callbackAfterRestart(steps, policy, NOW)).toEqual({
      type: 'close',
      reason: 'max_attempts',
      attempts: 3,
    });
  });

  it('completes a request whose conversation began, and leaves closed or never requested ones alone', () => {
    const connected: CallbackStep[] = [
      requested,
      { at: T0 + 20, step: 'dialing', attempt: 2 },
      { at: T0 + 40, step: 'connected', attempt: 2 },
    ];
    expect(callbackAfterRestart(connected, policy, NOW)).toEqual({
      type: 'close',
      reason: 'completed',
      attempts: 2,
    });
    expect(callbackAfterRestart([...connected, { at: T0 + 41, step: 'closed' }], policy, NOW)).toEqual({
      type: 'none',
    });
    expect(callbackAfterRestart([{ at: T0, step: 'due', attempt: 1 }], policy, NOW)).toEqual({
      type: 'none',
    });
  });

  it('keeps a personal callback for its agent unless they declined it; the release is no step of its course', () => {
    const kept = { agentId: 'a2', until: NOW + 60_000 };
    const scheduled = { at: T0, step: 'requested', retryAt: NOW + 5000, reservedFor: kept };
    const released = { at: T0 + 10, step: 'released', agentId: 'a2' };
    expect(reservationAfterRestart([scheduled])).toEqual(kept);
    expect(
      reservationAfterRestart([scheduled, { at: T0 + 5, step: 'due', attempt: 1 }, released]),
    ).toBeUndefined();
    // A request made again after one released is kept for whom it names.
    expect(reservationAfterRestart([scheduled, released, { ...scheduled, at: T0 + 20 }])).toEqual(kept);
    expect(reservationAfterRestart([])).toBeUndefined();
    // Declined before it was due: still waiting for its time.
    expect(callbackAfterRestart([scheduled, released], policy, NOW)).toEqual({
      type: 'restore',
      state: { ...newCallback(T0), status: 'retry_wait', notBefore: NOW + 5000 },
    });
  });
});

describe('restoreCallback (the router takes a request back after a restart)', () => {
  const queue = () =>
    queueDef({
      id: 'q',
      exitKey: '1',
      exitTarget: { type: 'callback' },
      callbackPolicy: { maxAttempts: 2, retryIntervalSeconds: 60 },
    });
  const restore = (sim: Sim, id: string, enqueuedAt: number, callback: CallbackState, queueId = 'q') =>
    sim.send({
      type: 'restoreCallback',
      interactionId: id,
      queueId,
      callerNumber: '+15550009',
      priority: 0,
      skills: {},
      enqueuedAt,
      callback,
    });

  it('keeps the place the first arrival gives it, ahead of callers who came later', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q'])]);
    sim.now = NOW;
    sim.arrive('later', 'q');
    const out = restore(sim, 'cb', T0, { ...newCallback(T0), attempts: 1 });
    expect(only(out, 'callbackRestored')).toEqual({
      type: 'callbackRestored',
      interactionId: 'cb',
      queueId: 'q',
      position: 1,
      attempts: 1,
      notBefore: null,
    });
    expect(sim.router.waiting(sim.now).map((e) => [e.interactionId, e.kind])).toEqual([
      ['cb', 'callback'],
      ['later', 'caller'],
    ]);
    sim.login('a1');
    // Due first, as its second attempt: the one before the restart counts.
    expect(only(sim.log, 'callbackDue')).toMatchObject({ interactionId: 'cb', attempt: 2 });
  });

  it('waits for a scheduled retry, then is due', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q'])]);
    sim.now = NOW;
    sim.login('a1');
    restore(sim, 'cb', T0, {
      ...newCallback(T0),
      status: 'retry_wait',
      attempts: 1,
      notBefore: NOW + 30_000,
    });
    expect(ofType(sim.log, 'callbackDue')).toEqual([]);
    expect(sim.timers.get('cbretry:cb')).toBe(NOW + 30_000);
    expect(only(sim.fire('cbretry:cb'), 'callbackDue')).toMatchObject({ interactionId: 'cb', attempt: 2 });
  });

  it('refuses a queue that no longer exists, a request already in line, and a state not waiting', () => {
    const sim = new Sim([queue()], []);
    expect(only(restore(sim, 'cb', T0, newCallback(T0), 'gone'), 'refused').code).toBe('UNKNOWN_QUEUE');
    restore(sim, 'cb', T0, newCallback(T0));
    expect(only(restore(sim, 'cb', T0, newCallback(T0)), 'refused').code).toBe('DUPLICATE_INTERACTION');
    const attempting = { ...newCallback(T0), status: 'attempting' as const };
    expect(only(restore(sim, 'cb2', T0, attempting), 'refused').code).toBe('CALLBACK_NOT_WAITING');
    expect(sim.router.waiting(sim.now).map((e) => e.interactionId)).toEqual(['cb']);
  });
});
