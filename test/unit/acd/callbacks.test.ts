import { describe, expect, it } from 'vitest';
import {
  type CallbackState,
  callbackTransition,
  canCallBack,
  isWithinWeeklyHours,
  localWeekTime,
  newCallback,
  nextOpening,
  type WeeklyHours,
} from '../../../src/acd/index.js';
import { Sim, T0, agentDef, offeredAgents, only, ofType, queueDef, seededRng } from './helpers.js';

const policy = { maxAttempts: 2, retryIntervalSeconds: 300 };

describe('callback policy (pure transitions)', () => {
  it('retries after the interval, then closes with max_attempts', () => {
    let state: CallbackState = newCallback(T0);
    const step = (event: Parameters<typeof callbackTransition>[1], at: number) => {
      const result = callbackTransition(state, event, policy, at);
      if (!result.ok) throw new Error(result.code);
      state = result.state;
      return result.effects;
    };
    step({ type: 'attemptStarted' }, T0);
    expect(step({ type: 'attemptResult', outcome: 'no_answer' }, T0 + 1000)).toEqual([
      { type: 'scheduleRetry', at: T0 + 301_000 },
    ]);
    expect(state).toMatchObject({ status: 'retry_wait', attempts: 1, lastOutcome: 'no_answer' });
    const early = callbackTransition(state, { type: 'retryDue' }, policy, T0 + 2000);
    expect(early.ok ? 'ok' : early.code).toBe('RETRY_NOT_DUE');
    step({ type: 'retryDue' }, T0 + 301_000);
    step({ type: 'attemptStarted' }, T0 + 302_000);
    expect(step({ type: 'attemptResult', outcome: 'busy' }, T0 + 303_000)).toEqual([
      { type: 'closed', reason: 'max_attempts' },
    ]);
    expect(state).toMatchObject({ status: 'closed', closedReason: 'max_attempts', attempts: 2 });
    const after = callbackTransition(state, { type: 'cancel' }, policy, T0);
    expect(after.ok ? 'ok' : after.code).toBe('CALLBACK_CLOSED');
  });

  it.each([
    [
      'attemptResult while pending',
      newCallback(T0),
      { type: 'attemptResult', outcome: 'connected' } as const,
      'NO_ATTEMPT_IN_PROGRESS',
    ],
    ['retryDue while pending', newCallback(T0), { type: 'retryDue' } as const, 'NOT_WAITING_TO_RETRY'],
    [
      'attemptStarted while attempting',
      { ...newCallback(T0), status: 'attempting' as const },
      { type: 'attemptStarted' } as const,
      'CALLBACK_NOT_PENDING',
    ],
    [
      'barred while a dial runs',
      { ...newCallback(T0), status: 'attempting' as const },
      { type: 'barred' } as const,
      'ATTEMPT_IN_PROGRESS',
    ],
  ])('refuses %s', (_name, state, event, code) => {
    const result = callbackTransition(state, event, policy, T0);
    expect(result.ok ? 'ok' : result.code).toBe(code);
  });

  it('barred (the number may not be called any more) closes as not_allowed, pending or between attempts', () => {
    for (const state of [
      newCallback(T0),
      { ...newCallback(T0), status: 'retry_wait' as const, attempts: 1 },
    ]) {
      const result = callbackTransition(state, { type: 'barred' }, policy, T0);
      expect(result.ok && result.state).toMatchObject({ status: 'closed', closedReason: 'not_allowed' });
      expect(result.ok && result.effects).toEqual([{ type: 'closed', reason: 'not_allowed' }]);
    }
  });

  it('connected closes as completed', () => {
    const attempting = { ...newCallback(T0), status: 'attempting' as const, attempts: 1 };
    const result = callbackTransition(
      attempting,
      { type: 'attemptResult', outcome: 'connected' },
      policy,
      T0,
    );
    expect(result.ok && result.state).toMatchObject({ status: 'closed', closedReason: 'completed' });
  });

  it('an answering machine hung up on is tried again as no answer is; one left the message closes', () => {
    const attempting = { ...newCallback(T0), status: 'attempting' as const, attempts: 1 };
    const machine = callbackTransition(attempting, { type: 'attemptResult', outcome: 'machine' }, policy, T0);
    expect(machine.ok && machine).toMatchObject({
      state: { status: 'retry_wait', lastOutcome: 'machine', notBefore: T0 + 300_000 },
      effects: [{ type: 'scheduleRetry', at: T0 + 300_000 }],
    });
    const last = callbackTransition(
      { ...attempting, attempts: 2 },
      { type: 'attemptResult', outcome: 'machine' },
      policy,
      T0,
    );
    expect(last.ok && last.state).toMatchObject({ status: 'closed', closedReason: 'max_attempts' });
    // A message left is never left again, even with attempts to spare.
    const left = callbackTransition(
      attempting,
      { type: 'attemptResult', outcome: 'message_left' },
      policy,
      T0,
    );
    expect(left.ok && left).toMatchObject({
      state: { status: 'closed', closedReason: 'message_left', lastOutcome: 'message_left' },
      effects: [{ type: 'closed', reason: 'message_left' }],
    });
  });
});

describe('weekly hours in a time zone', () => {
  const hours: WeeklyHours = {
    timeZone: 'Europe/Amsterdam',
    windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' }],
  };

  it('reads local weekday and time with Intl (winter UTC+1, summer UTC+2)', () => {
    expect(localWeekTime(Date.UTC(2024, 0, 8, 7, 59), 'Europe/Amsterdam')).toEqual({
      weekday: 'mon',
      minuteOfDay: 8 * 60 + 59,
    });
    expect(localWeekTime(Date.UTC(2024, 6, 8, 7, 0), 'Europe/Amsterdam')).toEqual({
      weekday: 'mon',
      minuteOfDay: 9 * 60,
    });
  });

  it.each([
    ['Mon 08:59 local', Date.UTC(2024, 0, 8, 7, 59), false],
    ['Mon 09:00 local', Date.UTC(2024, 0, 8, 8, 0), true],
    ['Mon 16:59 local', Date.UTC(2024, 0, 8, 15, 59), true],
    ['Mon 17:00 local (end exclusive)', Date.UTC(2024, 0, 8, 16, 0), false],
    ['Sat 12:00 local', Date.UTC(2024, 0, 13, 11, 0), false],
    ['summer Mon 09:00 local', Date.UTC(2024, 6, 8, 7, 0), true],
  ])('%s → %s', (_name, at, expected) => {
    expect(isWithinWeeklyHours(hours, at)).toBe(expected);
  });

  it('finds the next opening across the weekend and across a DST change', () => {
    expect(nextOpening(hours, Date.UTC(2024, 0, 12, 16, 30))).toBe(Date.UTC(2024, 0, 15, 8, 0)); // Fri 17:30 → Mon 09:00
    // DST starts Sun 31 Mar 2024: Fri 29 Mar 17:30 (UTC+1) → Mon 1 Apr 09:00 (UTC+2) = 07:00Z
    expect(nextOpening(hours, Date.UTC(2024, 2, 29, 16, 30))).toBe(Date.UTC(2024, 3, 1, 7, 0));
    expect(nextOpening(hours, Date.UTC(2024, 0, 8, 10, 0))).toBe(Date.UTC(2024, 0, 8, 10, 0)); // already open
  });
});

describe('callbacks in the router', () => {
  // T0 is Monday 09:00 UTC = 10:00 Amsterdam
  const callbackQueue = (extra = {}) =>
    queueDef({
      id: 'q',
      exitKey: '1',
      exitTarget: { type: 'callback' },
      callbackHours: {
        timeZone: 'Europe/Amsterdam',
        windows: [{ days: ['mon'], start: '10:00', end: '12:00' }],
      },
      callbackPolicy: { maxAttempts: 2, retryIntervalSeconds: 60 },
      ...extra,
    });

  it('a callback keeps the caller place in line and is due when it reaches the head with a free agent', () => {
    const sim = new Sim([callbackQueue()], [agentDef('a1', ['q'])]);
    sim.arrive('c1', 'q');
    sim.advance(1000);
    sim.arrive('c2', 'q');
    const reg = sim.send({ type: 'dtmf', interactionId: 'c1', digit: '1' });
    expect(only(reg, 'exit').target).toEqual({ type: 'callback' });
    expect(only(reg, 'callbackRegistered')).toEqual({
      type: 'callbackRegistered',
      interactionId: 'c1',
      queueId: 'q',
      position: 1,
      // What a restart of the service needs to put the request back in its place.
      callerNumber: sim.router.waiting(sim.now)[0]!.callerNumber,
      priority: 0,
      skills: {},
      enqueuedAt: T0,
    });
    expect(sim.router.waiting(sim.now).map((e) => [e.interactionId, e.kind])).toEqual([
      ['c1', 'callback'],
      ['c2', 'caller'],
    ]);
    // The call-waiting indicator counts callers only.
    expect(sim.router.callersWaiting()).toEqual(new Map([['q', 1]]));
    sim.login('a1');
    const due = only(sim.log, 'callbackDue');
    expect(due).toMatchObject({
      interactionId: 'c1',
      callerNumber: '+15550001',
      attempt: 1,
      targets: [{ agentId: 'a1' }],
    });
    expect(ofType(sim.log, 'offer')).toEqual([]);
    const dial = sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    expect(only(dial, 'dialCallback')).toMatchObject({ agentId: 'a1', attempt: 1 });
    const done = sim.send({ type: 'callbackResult', interactionId: 'c1', outcome: 'connected' });
    expect(only(done, 'callbackClosed')).toMatchObject({ reason: 'completed', attempts: 1 });
    sim.agent('a1', { type: 'hangup', interactionId: 'c1' });
    expect(only(sim.log, 'offer').interactionId).toBe('c2');
  });

  it('outside callback hours the callback waits (callers behind it are served) and wakes when hours open', () => {
    const sim = new Sim([callbackQueue()], [agentDef('a1', ['q'])]);
    sim.now = Date.UTC(2024, 0, 8, 7, 0); // Mon 08:00 Amsterdam, hours open at 10:00 = 09:00Z
    sim.arrive('c1', 'q');
    sim.send({ type: 'requestCallback', interactionId: 'c1' });
    sim.arrive('c2', 'q');
    sim.login('a1');
    expect(offeredAgents(sim.log)).toEqual(['a1']);
    expect(only(sim.log, 'offer').interactionId).toBe('c2');
    expect(sim.timers.get('cbopen:q')).toBe(Date.UTC(2024, 0, 8, 9, 0));
    sim.agent('a1', { type: 'answer', interactionId: 'c2' });
    sim.agent('a1', { type: 'hangup', interactionId: 'c2' });
    expect(ofType(sim.log, 'callbackDue')).toEqual([]); // agent free but still outside hours
    const open = sim.fire('cbopen:q');
    expect(only(open, 'callbackDue').interactionId).toBe('c1');
  });

  it('on a closed date (a public holiday) nobody is called back: it waits for the next open day', () => {
    const sim = new Sim(
      [
        callbackQueue({
          callbackHours: {
            timeZone: 'Europe/Amsterdam',
            windows: [{ days: ['mon', 'tue'], start: '10:00', end: '12:00' }],
            // Monday 8 and Tuesday 9 January 2024 closed: the next opening is Monday 15th.
            closedDates: [{ date: '2024-01-08', name: 'Holiday' }, { date: '2024-01-09' }],
          },
        }),
      ],
      [agentDef('a1', ['q'])],
    );
    sim.now = Date.UTC(2024, 0, 8, 9, 30); // Mon 10:30 Amsterdam: inside the window, but closed today
    sim.arrive('c1', 'q');
    sim.send({ type: 'requestCallback', interactionId: 'c1' });
    sim.login('a1');
    expect(ofType(sim.log, 'callbackDue')).toEqual([]);
    expect(sim.timers.get('cbopen:q')).toBe(Date.UTC(2024, 0, 15, 9, 0));
    const open = sim.fire('cbopen:q');
    expect(only(open, 'callbackDue').interactionId).toBe('c1');
  });

  it('a no-answer callback is retried after the interval, then closed after max attempts', () => {
    const sim = new Sim([callbackQueue()], [agentDef('a1', ['q'])]);
    sim.login('a1');
    sim.agent('a1', { type: 'notReady', reason: 'break' });
    sim.arrive('c1', 'q');
    sim.send({ type: 'requestCallback', interactionId: 'c1' });
    sim.agent('a1', { type: 'ready' });
    sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    const retry = sim.send({ type: 'callbackResult', interactionId: 'c1', outcome: 'no_answer' });
    expect(only(retry, 'callbackRetryScheduled')).toMatchObject({ attempts: 1, at: sim.now + 60_000 });
    sim.agent('a1', { type: 'hangup', interactionId: 'c1' });
    expect(ofType(sim.log, 'callbackDue')).toHaveLength(1); // not yet: waiting for the retry interval
    const due = sim.fire('cbretry:c1');
    expect(only(due, 'callbackDue').attempt).toBe(2);
    sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    const closed = sim.send({ type: 'callbackResult', interactionId: 'c1', outcome: 'busy' });
    expect(only(closed, 'callbackClosed')).toMatchObject({ reason: 'max_attempts', attempts: 2 });
    expect(sim.router.waiting(sim.now)).toEqual([]);
  });

  it('overflow to a callback target converts the caller in place', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', maxWaitSeconds: 60, overflowTarget: { type: 'callback' } })],
      [agentDef('a1', ['q'])],
    );
    sim.arrive('c1', 'q');
    sim.advance(10_000);
    sim.arrive('c2', 'q');
    const out = sim.fire('maxwait:c1');
    expect(only(out, 'overflow').target).toEqual({ type: 'callback' });
    expect(only(out, 'callbackRegistered').position).toBe(1);
    expect(sim.router.waiting(sim.now)[0]).toMatchObject({
      interactionId: 'c1',
      kind: 'callback',
      enqueuedAt: T0,
    });
  });

  it('a number the caller keyed in is the one called back, not their caller ID', () => {
    const sim = new Sim([callbackQueue()], [agentDef('a1', ['q'])]);
    sim.arrive('c1', 'q');
    const reg = sim.send({ type: 'requestCallback', interactionId: 'c1', number: '0201234567' });
    expect(only(reg, 'callbackRegistered').callerNumber).toBe('0201234567');
    sim.login('a1');
    expect(only(sim.log, 'callbackDue').callerNumber).toBe('0201234567');
    const dial = sim.agent('a1', { type: 'answer', interactionId: 'c1' });
    expect(only(dial, 'dialCallback').callerNumber).toBe('0201234567');
  });

  it('a withheld caller cannot ask for a callback: refused, and they keep their place in line', () => {
    const announce = { everySeconds: 0, position: true, estimatedWait: false, musicOnHoldClass: 'jazz' };
    const sim = new Sim([callbackQueue({ announce })], []);
    sim.arrive('c1', 'q', { callerNumber: 'anonymous' });
    const out = sim.send({ type: 'requestCallback', interactionId: 'c1' });
    expect(only(out, 'refused').code).toBe('NO_CALLBACK_NUMBER');
    expect(ofType(out, 'callbackRegistered')).toEqual([]);
    // The exit key says so instead of converting the caller; they wait on.
    const key = sim.send({ type: 'dtmf', interactionId: 'c1', digit: '1' });
    expect(ofType(key, 'exit')).toEqual([]);
    expect(only(key, 'callbackUnavailable')).toEqual({
      type: 'callbackUnavailable',
      interactionId: 'c1',
      queueId: 'q',
      reason: 'no_number',
      keepsWaiting: true,
      // The queue's own hold music comes back after the apology, not Asterisk's default.
      musicOnHoldClass: 'jazz',
    });
    expect(sim.router.waiting(sim.now).map((e) => [e.interactionId, e.kind])).toEqual([['c1', 'caller']]);
  });

  it('max wait with a callback overflow keeps a withheld caller waiting (said once) and serves them later', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', maxWaitSeconds: 60, overflowTarget: { type: 'callback' } })],
      [agentDef('a1', ['q'])],
    );
    sim.arrive('c1', 'q', { callerNumber: '' });
    sim.advance(60_000);
    const out = sim.fire('maxwait:c1');
    expect(ofType(out, 'overflow')).toEqual([]);
    expect(only(out, 'callbackUnavailable').keepsWaiting).toBe(true);
    sim.arrive('c2', 'q');
    expect(ofType(sim.log, 'callbackUnavailable')).toHaveLength(1);
    sim.login('a1');
    expect(only(sim.log, 'offer').interactionId).toBe('c1');
  });

  it('a full queue with a callback target turns a withheld caller away with an apology, not a callback', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', maxLength: 1, queueFullTarget: { type: 'callback' } })],
      [agentDef('a1', ['q'])],
    );
    sim.arrive('c1', 'q');
    const out = sim.arrive('c2', 'q', { callerNumber: 'anonymous' });
    expect(only(out, 'rejectedQueueFull').target).toEqual({ type: 'callback' });
    expect(only(out, 'callbackUnavailable')).toMatchObject({ interactionId: 'c2', keepsWaiting: false });
    expect(ofType(out, 'callbackRegistered')).toEqual([]);
    expect(sim.router.waiting(sim.now).map((e) => e.interactionId)).toEqual(['c1']);
  });

  it('a number the outbound rules bar is not called back: refused, or the caller keeps waiting', () => {
    const barred = { numberRefusal: (n: string) => (n.startsWith('+1900') ? 'premium rate' : null) };
    const sim = new Sim([callbackQueue()], [], seededRng(1), barred);
    sim.arrive('c1', 'q');
    const keyed = sim.send({ type: 'requestCallback', interactionId: 'c1', number: '+19005550100' });
    expect(only(keyed, 'refused')).toMatchObject({ code: 'CALLBACK_NUMBER_NOT_ALLOWED' });
    expect(only(keyed, 'refused').reason).toContain('premium rate');
    sim.arrive('c2', 'q', { callerNumber: '+19005550123' });
    const key = sim.send({ type: 'dtmf', interactionId: 'c2', digit: '1' });
    expect(only(key, 'callbackUnavailable')).toMatchObject({ reason: 'not_allowed', keepsWaiting: true });
    expect(sim.router.waiting(sim.now).map((e) => e.kind)).toEqual(['caller', 'caller']);
  });

  it.each([
    ['+15550001', true],
    ['020 123 4567', true],
    ['(020) 123-4567', true],
    ['anonymous', false],
    ['', false],
    ['12', false],
    ['+', false],
  ])('canCallBack(%j) is %s', (number, expected) => {
    expect(canCallBack(number)).toBe(expected);
  });

  it('a cancelled callback is closed and removed', () => {
    const sim = new Sim([callbackQueue()], []);
    sim.arrive('c1', 'q');
    sim.send({ type: 'requestCallback', interactionId: 'c1' });
    expect(only(sim.send({ type: 'cancelCallback', interactionId: 'c1' }), 'callbackClosed').reason).toBe(
      'cancelled',
    );
    expect(only(sim.send({ type: 'cancelCallback', interactionId: 'c1' }), 'refused').code).toBe(
      'NOT_A_CALLBACK',
    );
  });
});
