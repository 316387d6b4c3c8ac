import { describe, expect, it } from 'vitest';
import {
  recordedTakenOn,
  takenOn,
  takenOnAlready,
  takenOnDto,
  untaken,
} from '../../../src/supervision/taken-on.js';

const sam = { id: 'sam', name: 'Sam Super' };
const named = (id: string) => (id === 'sam' ? sam : undefined);
const at = Date.parse('2026-12-05T14:03:00Z');

describe('taken on ("I\'m on it")', () => {
  it('names the supervisor only when there is one', () => {
    expect(takenOn(at, sam)).toEqual({ at, by: sam });
    expect(takenOn(at)).toEqual({ at });
    expect('by' in takenOn(at)).toBe(false);
  });

  it('reads a record: a configured supervisor by name, one since removed by the id kept, none for the token', () => {
    expect(recordedTakenOn(named, at, 'sam')).toEqual({ acknowledged: { at, by: sam } });
    expect(recordedTakenOn(named, at, 'gone')).toEqual({
      acknowledged: { at, by: { id: 'gone', name: 'gone' } },
    });
    expect(recordedTakenOn(named, at, null)).toEqual({ acknowledged: { at } });
    expect(recordedTakenOn(named, null, null)).toEqual({});
  });

  it('says who took it on first, and when', () => {
    expect(takenOnAlready('this alert', takenOn(at, sam))).toBe(
      'Sam Super took this alert on at 2026-12-05T14:03:00.000Z',
    );
    expect(takenOnAlready('this', takenOn(at))).toBe(
      'a supervisor (on the supervisor token) took this on at 2026-12-05T14:03:00.000Z',
    );
  });

  it('takes a taking-on back, leaving the rest as it was', () => {
    const alert = { queueId: 'sales', since: 5, acknowledged: takenOn(at, sam) };
    expect(untaken(alert)).toEqual({ queueId: 'sales', since: 5 });
    expect(alert.acknowledged).toEqual({ at, by: sam });
  });

  it('gives times as ISO strings to the API and the stream', () => {
    expect(takenOnDto(takenOn(at, sam))).toEqual({
      acknowledged: { at: '2026-12-05T14:03:00.000Z', by: sam },
    });
    expect(takenOnDto(takenOn(at))).toEqual({ acknowledged: { at: '2026-12-05T14:03:00.000Z' } });
    expect(takenOnDto(undefined)).toEqual({});
  });
});
