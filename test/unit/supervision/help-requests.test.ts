/** The help board's rules (pure): one open request per agent, one supervisor on it, every refusal with its code. */
import { describe, expect, it } from 'vitest';
import { HelpRequestBoard } from '../../../src/supervision/help-requests.js';

const SAM = { id: 'sam', name: 'Sam Super' };
const asking = (agentId: string, at: number, extra: object = {}) => ({
  id: `h-${agentId}-${at}`,
  agentId,
  loggedIn: true,
  interactionId: null,
  note: null,
  at,
  ...extra,
});

describe('HelpRequestBoard', () => {
  it('takes one request per agent, lists the longest waiting first, and keeps a blank note as none', () => {
    const board = new HelpRequestBoard();
    expect(board.ask(asking('b', 20, { note: '   ' }))).toMatchObject({ request: { note: null } });
    expect(board.ask(asking('a', 10, { note: ' refund ', interactionId: 'c1' }))).toMatchObject({
      request: { note: 'refund', interactionId: 'c1' },
    });
    expect(board.list().map((r) => r.agentId)).toEqual(['a', 'b']);
    expect(board.ask(asking('a', 30))).toEqual({
      refused: {
        code: 'HELP_ALREADY_ASKED',
        reason: 'a asked for help already (still waiting for a supervisor)',
      },
    });
    expect(board.ask(asking('c', 30, { loggedIn: false }))).toMatchObject({
      refused: { code: 'NOT_LOGGED_IN' },
    });
    expect(board.of('c')).toBeUndefined();
  });

  it('lets one supervisor take a request on, names them to the next, and ends it once', () => {
    const board = new HelpRequestBoard();
    board.ask(asking('a', 10));
    expect(board.take('z', 11)).toMatchObject({ refused: { code: 'HELP_NOT_ASKED' } });
    expect(board.take('a', 12, SAM)).toMatchObject({ request: { taken: { at: 12, by: SAM } } });
    expect(board.take('a', 13)).toEqual({
      refused: { code: 'HELP_TAKEN', reason: "Sam Super is on a's request for help already" },
    });
    expect(board.ask(asking('a', 14))).toMatchObject({
      refused: { reason: 'a asked for help already, and Sam Super is on it' },
    });
    expect(board.end('a', 15, 'resolved', SAM)).toMatchObject({
      request: { taken: { by: SAM }, ended: { at: 15, reason: 'resolved', by: SAM } },
    });
    expect(board.end('a', 16, 'withdrawn')).toMatchObject({ refused: { code: 'HELP_NOT_ASKED' } });
    expect(board.list()).toEqual([]);
    // Once ended, the agent may ask again.
    expect(board.ask(asking('a', 17))).toHaveProperty('request');
  });

  it('says a request nobody took on unanswered once its time is up, once, and never one taken on', () => {
    const board = new HelpRequestBoard();
    board.ask(asking('a', 1_000));
    board.ask(asking('b', 2_000));
    expect(board.unansweredDue('a', 60_000)).toBe(61_000);
    expect(board.unanswered('a', 60_999, 60_000)).toBeUndefined(); // not yet
    expect(board.unanswered('a', 61_000, 60_000)).toMatchObject({ agentId: 'a', unansweredAt: 61_000 });
    expect(board.of('a')?.unansweredAt).toBe(61_000);
    expect(board.unansweredDue('a', 60_000)).toBeUndefined();
    expect(board.unanswered('a', 90_000, 60_000)).toBeUndefined(); // said already
    // Taken on, it is answered; taken on after being said unanswered, it keeps when that was.
    board.take('b', 30_000, SAM);
    expect(board.unansweredDue('b', 60_000)).toBeUndefined();
    expect(board.unanswered('b', 62_000, 60_000)).toBeUndefined();
    expect(board.take('a', 70_000, SAM)).toMatchObject({
      request: { unansweredAt: 61_000, taken: { at: 70_000 } },
    });
    expect(board.unanswered('nobody', 62_000, 60_000)).toBeUndefined();
  });

  it('takes back what a previous run left open', () => {
    const board = new HelpRequestBoard();
    board.restore([{ id: 'h1', agentId: 'a', interactionId: null, note: 'x', askedAt: 5, taken: { at: 6 } }]);
    expect(board.take('a', 7)).toMatchObject({
      refused: { code: 'HELP_TAKEN', reason: "a supervisor is on a's request for help already" },
    });
  });
});
