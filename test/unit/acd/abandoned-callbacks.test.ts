/**
 * Callers who give up waiting are called back (a queue's `abandonedCallback`), in the pure router: booked by
 * the queue when they waited long enough and may be called, due after the delay and carried out as any
 * callback; not for a withheld or barred number or one with a callback open; cancelled once they call again
 * and reach an agent; kept through a restart as the queue's own.
 */
import { describe, expect, it } from 'vitest';
import { lineView } from '../../../src/acd/line-view.js';
import { agentDef, only, ofType, queueDef, Sim } from './helpers.js';

const queue = (extra = {}) =>
  queueDef({
    id: 'q',
    abandonedCallback: { minWaitSeconds: 20, delaySeconds: 60 },
    callbackPolicy: { maxAttempts: 2, retryIntervalSeconds: 60 },
    ...extra,
  });
const NUMBER = '+15550001';

/** A caller who waits `seconds` in queue q with nobody free, then hangs up. */
function givesUp(sim: Sim, interactionId: string, seconds: number, callerNumber = NUMBER) {
  sim.arrive(interactionId, 'q', { callerNumber });
  sim.advance(seconds * 1000);
  return sim.send({ type: 'callerLeft', interactionId });
}

describe('callers who give up waiting are called back', () => {
  it('books a callback by the queue after the delay, carried out as any callback request', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q'])]);
    const out = givesUp(sim, 'c1', 25);
    expect(only(out, 'abandoned')).toMatchObject({ interactionId: 'c1', waitedMs: 25_000 });
    expect(only(out, 'abandoned').noCallback).toBeUndefined();
    expect(only(out, 'callbackScheduled')).toEqual({
      type: 'callbackScheduled',
      interactionId: 'c1',
      queueId: 'q',
      callerNumber: NUMBER,
      at: sim.now + 60_000,
      priority: 0,
      skills: {},
      requestedBy: { abandoned: { waitedSeconds: 25 } },
    });
    // The line shows it as the queue's own.
    expect(
      lineView(sim.router.waiting(sim.now, 'q'), sim.router.queue('q')!, sim.now)[0]?.callback,
    ).toMatchObject({ abandoned: true, attempts: 0 });
    // An agent free before it is due is not offered it; at its time they are rung, then the customer dialled.
    sim.login('a1');
    expect(ofType(sim.log, 'callbackDue')).toEqual([]);
    sim.advance(60_000);
    const due = sim.fire('cbretry:c1');
    expect(only(due, 'callbackDue')).toMatchObject({ interactionId: 'c1', callerNumber: NUMBER });
    const dial = sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    expect(only(dial, 'dialCallback')).toMatchObject({ callerNumber: NUMBER, attempt: 1 });
  });

  it('leaves alone a caller who hung up too soon, and queues that do not call back', () => {
    const sim = new Sim([queue(), queueDef({ id: 'plain' })], [agentDef('a1', ['q', 'plain'])]);
    expect(ofType(givesUp(sim, 'quick', 19), 'callbackScheduled')).toEqual([]);
    expect(only(sim.log, 'abandoned').noCallback).toBeUndefined();
    sim.arrive('p1', 'plain');
    sim.advance(120_000);
    expect(ofType(sim.send({ type: 'callerLeft', interactionId: 'p1' }), 'callbackScheduled')).toEqual([]);
    expect(sim.router.waiting(sim.now)).toEqual([]);
  });

  it('says why a caller who waited long enough is not called back: withheld, barred, a callback open', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q'])], undefined, {
      numberRefusal: (n) => (n.startsWith('+1900') ? 'premium rate' : null),
    });
    const reason = (id: string, number: string) => {
      const out = givesUp(sim, id, 30, number);
      expect(ofType(out, 'callbackScheduled')).toEqual([]);
      return only(out, 'abandoned').noCallback;
    };
    expect(reason('w', '')).toBe('no_number');
    expect(reason('p', '+19005550000')).toBe('not_allowed');
    only(givesUp(sim, 'first', 30), 'callbackScheduled');
    expect(reason('second', NUMBER)).toBe('callback_open');
    expect(sim.router.waiting(sim.now).map((e) => e.interactionId)).toEqual(['first']);
  });

  it('is cancelled once they call again and reach an agent, saying so', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q'])]);
    givesUp(sim, 'c1', 30);
    sim.advance(10_000);
    sim.login('a1');
    sim.arrive('again', 'q', { callerNumber: NUMBER });
    // The agent takes the new call: the queue's callback for the first is no longer needed.
    const answered = sim.agent('a1', { type: 'answer', interactionId: 'again' });
    expect(only(answered, 'connect')).toMatchObject({ interactionId: 'again', agentId: 'a1' });
    expect(only(answered, 'callbackClosed')).toEqual({
      type: 'callbackClosed',
      interactionId: 'c1',
      queueId: 'q',
      reason: 'cancelled',
      attempts: 0,
      detail: 'they called again and reached a1 (call again): no need to call back',
    });
    expect(sim.router.waiting(sim.now)).toEqual([]);
    expect(sim.timers.has('cbretry:c1')).toBe(false);
  });

  it('waits while they are in line again, and is carried out if they give up again', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q'])]);
    givesUp(sim, 'c1', 30);
    sim.advance(60_000);
    sim.fire('cbretry:c1'); // due now, nobody free
    sim.arrive('again', 'q', { callerNumber: NUMBER });
    // The agent comes free: the caller on the line is offered, not the callback to their own number.
    sim.login('a1');
    expect(only(sim.log, 'offer').interactionId).toBe('again');
    expect(ofType(sim.log, 'callbackDue')).toEqual([]);
    // They give up again (after a while, the agent's phone still ringing): no second callback, and the first
    // is carried out now.
    sim.advance(25_000);
    const left = sim.send({ type: 'callerLeft', interactionId: 'again' });
    expect(only(left, 'abandoned').noCallback).toBe('callback_open');
    expect(only(left, 'callbackDue')).toMatchObject({ interactionId: 'c1', targets: [{ agentId: 'a1' }] });
  });

  it('does not cancel a callback a person booked for the number, nor one dialling the customer now', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q']), agentDef('a2', ['q'])]);
    sim.send({
      type: 'scheduleCallback',
      interactionId: 'booked',
      queueId: 'q',
      callerNumber: '+15550002',
      at: sim.now + 3_600_000,
      requestedBy: { agentId: 'a1' },
    });
    givesUp(sim, 'c1', 30);
    sim.advance(60_000);
    sim.login('a1');
    sim.fire('cbretry:c1');
    sim.agent('a1', { type: 'answer', interactionId: 'c1' }); // a1 is dialling the customer now
    sim.login('a2');
    sim.arrive('again', 'q', { callerNumber: NUMBER });
    sim.arrive('other', 'q', { callerNumber: '+15550002' });
    const first = sim.agent('a2', { type: 'answer', interactionId: 'again' });
    expect(ofType(first, 'callbackClosed')).toEqual([]);
    expect(
      sim.router
        .waiting(sim.now)
        .map((e) => e.interactionId)
        .sort(),
    ).toEqual(['booked', 'c1', 'other']);
  });

  it('keeps a restored one the queue’s own: still cancelled when the customer reaches an agent', () => {
    const sim = new Sim([queue()], [agentDef('a1', ['q'])]);
    sim.send({
      type: 'restoreCallback',
      interactionId: 'old',
      queueId: 'q',
      callerNumber: NUMBER,
      priority: 0,
      skills: {},
      enqueuedAt: sim.now - 60_000,
      callback: {
        status: 'retry_wait',
        attempts: 0,
        requestedAt: sim.now - 60_000,
        notBefore: sim.now + 30_000,
        lastOutcome: null,
        closedReason: null,
      },
      recovery: true,
    });
    sim.login('a1');
    sim.arrive('again', 'q', { callerNumber: NUMBER });
    const answered = sim.agent('a1', { type: 'answer', interactionId: 'again' });
    expect(only(answered, 'callbackClosed')).toMatchObject({ interactionId: 'old', reason: 'cancelled' });
  });
});
