/** Queue alerts, pure: which conditions hold for the line, the seats and the day's service level. */
import { describe, expect, it } from 'vitest';
import {
  LINE_ALERT_KINDS,
  lineConditions,
  nextLongWaitAt,
  QueueAlertBoard,
  serviceLevelConditions,
  watchedAlertKinds,
} from '../../../src/acd/alerts.js';
import type { AgentStateCounts } from '../../../src/acd/stats.js';

const T0 = Date.parse('2026-12-05T09:00:00Z');
const agents = (byState: Partial<AgentStateCounts['byState']>): AgentStateCounts => {
  const all = { logged_out: 0, available: 0, not_ready: 0, offered: 0, talking: 0, on_hold: 0, wrap_up: 0 };
  const counts = { ...all, ...byState };
  return {
    loggedIn: Object.entries(counts).reduce((n, [s, c]) => (s === 'logged_out' ? n : n + c), 0),
    byState: counts,
    notReadyByReason: {},
  };
};
const ALL = { waitSeconds: 60, waitingCallers: 3, unstaffed: true };

describe('lineConditions', () => {
  it('holds nothing for a quiet queue', () => {
    expect(lineConditions(ALL, { waiting: 0, oldestEnqueuedAt: null, agents: agents({}) }, T0)).toEqual({});
  });

  it('long_wait: from the instant the longest-waiting caller reaches the limit, dated then', () => {
    const facts = { waiting: 1, oldestEnqueuedAt: T0, agents: agents({ talking: 1 }) };
    expect(lineConditions(ALL, facts, T0 + 59_999).long_wait).toBeUndefined();
    expect(lineConditions(ALL, facts, T0 + 75_000).long_wait).toEqual({
      value: 75,
      threshold: 60,
      message: 'a caller has waited 1:15 (the limit is 1:00)',
      since: T0 + 60_000,
    });
  });

  it('many_waiting: at the number of callers set, not before', () => {
    const facts = (waiting: number) => ({ waiting, oldestEnqueuedAt: T0, agents: agents({ talking: 2 }) });
    expect(lineConditions(ALL, facts(2), T0).many_waiting).toBeUndefined();
    expect(lineConditions(ALL, facts(3), T0).many_waiting).toMatchObject({
      value: 3,
      threshold: 3,
      message: '3 callers waiting (the limit is 3)',
    });
  });

  it('unstaffed: callers wait and every member is logged out or not ready; an agent busy or in wrap-up can still take them', () => {
    const held = (a: AgentStateCounts, waiting = 1) =>
      lineConditions({ unstaffed: true }, { waiting, oldestEnqueuedAt: T0, agents: a }, T0).unstaffed;
    expect(held(agents({ logged_out: 3 }))?.message).toBe(
      '1 caller waiting and no agent of the queue is logged in',
    );
    expect(held(agents({ not_ready: 2, logged_out: 1 }), 2)?.message).toBe(
      '2 callers waiting and every agent of the queue logged in is not ready (2)',
    );
    for (const busy of ['available', 'offered', 'talking', 'on_hold', 'wrap_up'] as const) {
      expect(held(agents({ not_ready: 2, [busy]: 1 })), busy).toBeUndefined();
    }
    expect(held(agents({ not_ready: 2 }), 0)).toBeUndefined(); // nobody waiting: nothing to warn of
  });

  it('watches only what the rules ask for', () => {
    const facts = { waiting: 9, oldestEnqueuedAt: T0, agents: agents({ not_ready: 1 }) };
    expect(Object.keys(lineConditions({}, facts, T0 + 3_600_000))).toEqual([]);
    expect(Object.keys(lineConditions({ waitingCallers: 5 }, facts, T0))).toEqual(['many_waiting']);
    expect(watchedAlertKinds({ waitSeconds: 5, belowServiceLevel: true })).toEqual([
      'long_wait',
      'below_service_level',
    ]);
    expect(watchedAlertKinds(undefined)).toEqual([]);
  });
});

describe('serviceLevelConditions', () => {
  it('holds below the target only, with the level rounded down in words', () => {
    const rules = { belowServiceLevel: true };
    expect(serviceLevelConditions(rules, 80, 79.6)).toEqual({
      below_service_level: {
        value: 79,
        threshold: 80,
        message: "today's service level is 79 % (the target is 80 %)",
      },
    });
    expect(serviceLevelConditions(rules, 80, 80)).toEqual({});
    expect(serviceLevelConditions(rules, 80, null)).toEqual({}); // nothing finished today
    expect(serviceLevelConditions({}, 80, 10)).toEqual({}); // not asked for
  });
});

describe('nextLongWaitAt', () => {
  it('is the instant the longest wait crosses the limit, while that is to come', () => {
    expect(nextLongWaitAt({ waitSeconds: 30 }, T0, T0 + 1000)).toBe(T0 + 30_000);
    expect(nextLongWaitAt({ waitSeconds: 30 }, T0, T0 + 30_000)).toBeUndefined();
    expect(nextLongWaitAt({ waitSeconds: 30 }, null, T0)).toBeUndefined();
    expect(nextLongWaitAt({}, T0, T0)).toBeUndefined();
  });
});

describe('QueueAlertBoard', () => {
  it('raises a condition once, clears it once, and leaves kinds not evaluated as they stand', () => {
    const board = new QueueAlertBoard();
    const many = { value: 4, threshold: 3, message: '4 callers waiting' };
    expect(board.apply('sales', LINE_ALERT_KINDS, { many_waiting: many }, T0)).toEqual({
      raised: [{ ...many, queueId: 'sales', kind: 'many_waiting', since: T0 }],
      cleared: [],
      lapsed: [],
    });
    // Still holding (with another value): nothing new.
    expect(board.apply('sales', LINE_ALERT_KINDS, { many_waiting: { ...many, value: 5 } }, T0 + 1)).toEqual({
      raised: [],
      cleared: [],
      lapsed: [],
    });
    const below = { value: 50, threshold: 80, message: 'below' };
    board.apply('sales', ['below_service_level'], { below_service_level: below }, T0 + 2);
    // The line read again: many_waiting ends; the service level, not read, stands.
    const change = board.apply('sales', LINE_ALERT_KINDS, {}, T0 + 3);
    expect(change.cleared.map((a) => a.kind)).toEqual(['many_waiting']);
    expect(board.list('sales').map((a) => a.kind)).toEqual(['below_service_level']);
    expect(board.list('support')).toEqual([]);
    expect(board.clearQueue('sales').cleared.map((a) => a.kind)).toEqual(['below_service_level']);
    expect(board.list()).toEqual([]);
  });

  it('lets one supervisor take a standing alert on; refuses a second and a cleared one; a raise again is new', () => {
    const board = new QueueAlertBoard();
    const held = { unstaffed: { value: 1, threshold: 0, message: 'nobody in' } };
    board.apply('sales', LINE_ALERT_KINDS, held, T0);
    const sam = { id: 'sam', name: 'Sam Super' };
    const taken = board.acknowledge('sales', 'unstaffed', T0 + 5, sam);
    expect(taken).toEqual({ alert: expect.objectContaining({ acknowledged: { at: T0 + 5, by: sam } }) });
    expect(board.list('sales')[0]?.acknowledged).toEqual({ at: T0 + 5, by: sam });
    const again = board.acknowledge('sales', 'unstaffed', T0 + 6);
    expect(again).toMatchObject({ refused: { code: 'ALERT_ACKNOWLEDGED' } });
    expect('refused' in again && again.refused.reason).toContain('Sam Super');
    expect(board.acknowledge('sales', 'long_wait', T0 + 6)).toMatchObject({
      refused: { code: 'ALERT_NOT_STANDING' },
    });
    // Still holding: it keeps who took it on. Cleared and raised again: nobody has it.
    board.apply('sales', LINE_ALERT_KINDS, held, T0 + 7);
    expect(board.list('sales')[0]?.acknowledged?.by).toEqual(sam);
    board.apply('sales', LINE_ALERT_KINDS, {}, T0 + 8);
    board.apply('sales', LINE_ALERT_KINDS, held, T0 + 9);
    expect(board.list('sales')[0]).not.toHaveProperty('acknowledged');
    // On the supervisor token: nobody named.
    expect(board.acknowledge('sales', 'unstaffed', T0 + 10)).toEqual({
      alert: expect.objectContaining({ acknowledged: { at: T0 + 10 } }),
    });
    // Taken back (its write failed): nobody has it; an alert raised at another time is left alone.
    board.unacknowledge('sales', 'unstaffed', T0);
    expect(board.list('sales')[0]?.acknowledged).toEqual({ at: T0 + 10 });
    board.unacknowledge('sales', 'unstaffed', T0 + 9);
    expect(board.list('sales')[0]).not.toHaveProperty('acknowledged');
  });

  it('carries alerts over a restart: kept while the callers are not back, then the same alert or lapsed', () => {
    const board = new QueueAlertBoard();
    const sam = { id: 'sam', name: 'Sam Super' };
    const wait = { value: 40, threshold: 30, message: 'a caller has waited 0:40' };
    board.restore([
      { ...wait, queueId: 'sales', kind: 'long_wait', since: T0, acknowledged: { at: T0 + 5, by: sam } },
      { value: 3, threshold: 3, message: '3 callers', queueId: 'sales', kind: 'many_waiting', since: T0 },
      { value: 2, threshold: 0, message: 'nobody', queueId: 'support', kind: 'unstaffed', since: T0 },
    ]);
    // Just after the restart the line is empty: nothing is cleared yet, nothing raised anew.
    expect(board.apply('sales', LINE_ALERT_KINDS, {}, T0 + 60_000)).toEqual({
      raised: [],
      cleared: [],
      lapsed: [],
    });
    // The wait holds again (the caller is back in line): the same alert, still taken on by Sam.
    const back = { ...wait, value: 70 };
    expect(board.apply('sales', LINE_ALERT_KINDS, { long_wait: back }, T0 + 61_000)).toEqual({
      raised: [],
      cleared: [],
      lapsed: [],
    });
    // The callers are back: what is still unconfirmed and does not hold lapses (not a clear of this run).
    expect(board.releaseCarried()).toBe(true);
    const judged = board.apply('sales', LINE_ALERT_KINDS, { long_wait: back }, T0 + 62_000);
    expect(judged.lapsed.map((a) => a.kind)).toEqual(['many_waiting']);
    expect(judged.cleared).toEqual([]);
    expect(board.list('sales')).toEqual([
      { ...wait, queueId: 'sales', kind: 'long_wait', since: T0, acknowledged: { at: T0 + 5, by: sam } },
    ]);
    // The carried alert confirmed: its end later is an ordinary clear.
    expect(board.apply('sales', LINE_ALERT_KINDS, {}, T0 + 63_000).cleared.map((a) => a.kind)).toEqual([
      'long_wait',
    ]);
    // A queue whose rules went meanwhile: its carried alerts lapse at once.
    expect(board.clearQueue('support').lapsed.map((a) => a.kind)).toEqual(['unstaffed']);
    expect(board.releaseCarried()).toBe(false);
  });
});
