import { describe, expect, it } from 'vitest';
import { CallerFlagBoard, flaggableNumber } from '../../../src/supervision/caller-flags.js';

const sam = { id: 'sam', name: 'Sam Super' };
const raise = (board: CallerFlagBoard, id: string, number: string | null, interactionId = `call-${id}`) =>
  board.raise({
    id,
    number,
    interactionId,
    agentId: 'ann',
    reason: 'abusive',
    note: null,
    flaggedAt: Number(id.slice(1)),
  });

describe('callers flagged by agents', () => {
  it('takes a number that names one caller, not a withheld one', () => {
    expect(['+15551230000', '5551230', '123'].map(flaggableNumber)).toEqual([true, true, true]);
    expect(['anonymous', '', '12', 'sip:bob', null].map(flaggableNumber)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('refuses a withheld caller, a second flag on the same call and a number blocked already', () => {
    const board = new CallerFlagBoard();
    expect(raise(board, 'f1', 'anonymous')).toMatchObject({ refused: { code: 'FLAG_NO_NUMBER' } });
    expect(raise(board, 'f2', '+1555')).toMatchObject({ flag: { id: 'f2', number: '+1555' } });
    expect(raise(board, 'f3', '+1555', 'call-f2')).toMatchObject({
      refused: { code: 'FLAG_ALREADY_RAISED', reason: expect.stringContaining('by ann') },
    });
    const blocked = board.raise(
      {
        id: 'f4',
        number: '+1666',
        interactionId: 'c4',
        agentId: 'ann',
        reason: 'spam',
        note: '  ',
        flaggedAt: 4,
      },
      { reason: 'robocaller', by: sam },
    );
    expect(blocked).toEqual({
      refused: {
        code: 'NUMBER_ALREADY_BLOCKED',
        reason: '+1666 is blocked already by Sam Super ("robocaller")',
      },
    });
    expect(board.list().map((f) => f.id)).toEqual(['f2']);
  });

  it('a block settles every flag on the number; a dismissal only its own', () => {
    const board = new CallerFlagBoard();
    raise(board, 'f1', '+1555');
    raise(board, 'f2', '+1666');
    raise(board, 'f3', '+1555');
    raise(board, 'f4', '+1777');
    const blocked = board.decide('f3', { outcome: 'blocked', at: 10, by: sam, blockId: 'b1' });
    expect('flags' in blocked && blocked.flags.map((f) => [f.id, f.decision?.blockId])).toEqual([
      ['f1', 'b1'],
      ['f3', 'b1'],
    ]);
    const dismissed = board.decide('f2', { outcome: 'dismissed', at: 11 });
    expect('flags' in dismissed && dismissed.flags.map((f) => [f.id, f.decision?.outcome])).toEqual([
      ['f2', 'dismissed'],
    ]);
    expect(board.decide('f1', { outcome: 'dismissed', at: 12 })).toMatchObject({
      refused: { code: 'FLAG_NOT_FOUND' },
    });
    expect(
      board.numberBlocked('+1777', { outcome: 'blocked', at: 13, blockId: 'b2' }).map((f) => f.id),
    ).toEqual(['f4']);
    expect(board.list()).toEqual([]);
    // A prefix block settles the flags on every number it covers, and no other.
    raise(board, 'f5', '+19005551234');
    raise(board, 'f6', '+18005551234');
    const covered = board.numberBlocked('+1900*', { outcome: 'blocked', at: 14, blockId: 'b3' });
    expect(covered.map((f) => f.id)).toEqual(['f5']);
    expect(board.list().map((f) => f.id)).toEqual(['f6']);
  });

  it('takes back a decision or a raising that could not be put on record', () => {
    const board = new CallerFlagBoard();
    raise(board, 'f1', '+1555');
    const outcome = board.decide('f1', { outcome: 'dismissed', at: 5 });
    if (!('flags' in outcome)) throw new Error('refused');
    board.takeBack(outcome.flags);
    expect(board.list()).toEqual([expect.not.objectContaining({ decision: expect.anything() })]);
    const raised = raise(board, 'f2', '+1666');
    if (!('flag' in raised)) throw new Error('refused');
    board.takeBack([raised.flag], true);
    expect(board.list().map((f) => f.id)).toEqual(['f1']);
  });
});
