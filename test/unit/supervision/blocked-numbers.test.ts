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

  it("refuses what is no caller's number (a name, a SIP address, a typo), which would never match a call; takes withheld callers as anonymous", () => {
    const list = new BlockList();
    for (const typed of ['John Smith', 'x', 'sip:bob@example.com', '12', '+']) {
      expect(list.add(block(typed, typed)), typed).toEqual({
        refused: {
          code: 'NUMBER_NOT_BLOCKABLE',
          reason: `"${typed}" is not a caller's number: give it as their calls show it (e.g. +15551234567), "anonymous" for every caller who withholds theirs, or a prefix ending in * (e.g. +1900*)`,
        },
      });
    }
    expect(list.standing(T)).toEqual([]);
    expect(list.add(block('b1', 'anonymous'))).toMatchObject({ block: { id: 'b1' } });
    expect(list.add(block('b2', '911'))).toMatchObject({ block: { id: 'b2' } }); // a short number names one caller
    expect(list.blocking('anonymous', T + 1)?.id).toBe('b1');
  });

  it('turns away every number a prefix block starts with; a block of the number itself, or a longer prefix, is the one that counts', () => {
    const list = new BlockList();
    expect(list.add(block('p1', '+1900*'))).toMatchObject({ block: { number: '+1900*' } });
    expect(list.blocking('+19005551234', T)?.id).toBe('p1');
    expect(list.blocking('+1900', T)?.id).toBe('p1');
    expect(list.blocking('+18005551234', T)).toBeUndefined();
    expect(list.blocking('+4419005551234', T)).toBeUndefined(); // +1900 inside another number is not its start
    list.add(block('p2', '+190055*'));
    expect(list.blocking('+19005551234', T)?.id).toBe('p2');
    expect(list.blocking('+19001111111', T)?.id).toBe('p1');
    // A number inside a blocked prefix may have its own block (its own reason, its own count).
    expect(list.add(block('n1', '+19005551234'))).toMatchObject({ block: { id: 'n1' } });
    expect(list.blocking('+19005551234', T)?.id).toBe('n1');
    expect(list.add(block('p3', '+1900*'))).toMatchObject({ refused: { code: 'NUMBER_ALREADY_BLOCKED' } });
    list.lift('p2', T + 1);
    expect(list.blocking('+19005559999', T + 2)?.id).toBe('p1');
  });

  it('refuses a prefix that is not in the international form, or too short to name a range', () => {
    const list = new BlockList();
    expect(list.add(block('p1', '+1*'))).toEqual({
      refused: {
        code: 'NUMBER_NOT_BLOCKABLE',
        reason:
          'a prefix block needs at least 4 digits after the + (e.g. +1900*): "+1*" would turn away too many callers',
      },
    });
    expect(list.add(block('p2', '0900*'))).toMatchObject({
      refused: { code: 'NUMBER_NOT_BLOCKABLE', reason: expect.stringContaining('international form') },
    });
    expect(list.add(block('p3', 'anonymous*'))).toMatchObject({ refused: { code: 'NUMBER_NOT_BLOCKABLE' } });
    expect(list.add(block('p4', '*'))).toMatchObject({ refused: { code: 'NUMBER_NOT_BLOCKABLE' } });
    expect(list.standing(T)).toEqual([]);
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
