/** The block list's rules: one standing block per number, a block that runs out stops turning callers away. */
import { describe, expect, it } from 'vitest';
import { BlockList } from '../../../src/supervision/blocked-numbers.js';

const T = Date.parse('2026-12-05T10:00:00Z');
const sam = { id: 'sam', name: 'Sam Super' };
const block = (id: string, number: string, until: number | null = null) => ({
  id,
  number,
  reason: 'robocalls',
  blockedAt: T,
  until,
  by: sam,
});

describe('BlockList', () => {
  it('turns a number away while its block stands, until it runs out', () => {
    const list = new BlockList();
    expect(list.add(block('b1', '+15550001111', T + 3_600_000))).toMatchObject({ block: { turnedAway: 0 } });
    expect(list.blocking('+15550001111', T + 1000)?.id).toBe('b1');
    expect(list.blocking('+15550002222', T + 1000)).toBeUndefined();
    expect(list.blocking('+15550001111', T + 3_600_000)).toBeUndefined();
    expect(list.standing(T + 3_600_000)).toEqual([]);
  });

  it('refuses a second block of a number, a blank reason and no number, and blocks again once it ran out', () => {
    const list = new BlockList();
    list.add(block('b1', '+15550001111', T + 60_000));
    expect(list.add(block('b2', '+15550001111'))).toEqual({
      refused: {
        code: 'NUMBER_ALREADY_BLOCKED',
        reason: '+15550001111 is blocked already by Sam Super ("robocalls")',
      },
    });
    expect(list.add({ ...block('b3', '+15550003333'), reason: '  ' })).toMatchObject({
      refused: { code: 'BLOCK_REASON_EMPTY' },
    });
    expect(list.add(block('b4', ''))).toMatchObject({ refused: { code: 'NUMBER_NOT_BLOCKABLE' } });
    expect(list.add({ ...block('b5', '+15550001111'), blockedAt: T + 60_000 })).toMatchObject({
      block: { id: 'b5' },
    });
  });

  it('counts the calls a block turned away, and lifts it once', () => {
    const list = new BlockList([{ ...block('b1', 'anonymous'), turnedAway: 2, lastTurnedAwayAt: T }]);
    expect(list.turnedAway('b1', T + 5000)).toMatchObject({ turnedAway: 3, lastTurnedAwayAt: T + 5000 });
    expect(list.lift('b1', T + 6000, sam)).toMatchObject({
      block: { liftedAt: T + 6000, liftedBy: sam, turnedAway: 3 },
    });
    expect(list.blocking('anonymous', T + 7000)).toBeUndefined();
    expect(list.lift('b1', T + 8000)).toMatchObject({ refused: { code: 'BLOCK_NOT_FOUND' } });
  });
});
