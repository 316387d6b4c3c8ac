/** The do-not-call list (pure): one entry per number, refusals with who noted it, removal and take-backs. */
import { describe, expect, it } from 'vitest';
import {
  type DoNotCallEntry,
  DoNotCallList,
  doNotCallReason,
  readDoNotCallFile,
} from '../../../src/supervision/do-not-call.js';

const AT = Date.parse('2026-12-06T10:00:00Z');
const entry = (over: Partial<DoNotCallEntry> = {}): DoNotCallEntry => ({
  id: 'e1',
  number: '+15551230000',
  note: null,
  addedAt: AT,
  by: { type: 'agent', agentId: 'anna' },
  interactionId: 'i1',
  ...over,
});

describe('the do-not-call list', () => {
  it('takes a number once, says who noted it, and refuses a second entry naming the first', () => {
    const list = new DoNotCallList();
    expect(list.add(entry())).toEqual({ entry: entry() });
    expect(list.on('+15551230000')?.id).toBe('e1');
    const twice = list.add(entry({ id: 'e2', by: { type: 'supervisor' } }));
    expect(twice).toEqual({
      refused: {
        code: 'NUMBER_ALREADY_DO_NOT_CALL',
        reason: '+15551230000 is on the do-not-call list already, noted by anna on 2026-12-06',
        entry: entry(),
      },
    });
    expect(doNotCallReason(entry({ note: 'asked twice' }), (id) => (id === 'anna' ? 'Anna Allen' : id))).toBe(
      'the customer asked not to be called: +15551230000 is on the do-not-call list, noted by Anna Allen on 2026-12-06 ("asked twice")',
    );
    expect(
      doNotCallReason(entry({ by: { type: 'supervisor', supervisor: { id: 'sam', name: 'Sam Super' } } })),
    ).toBe(
      'the customer asked not to be called: +15551230000 is on the do-not-call list, added by Sam Super on 2026-12-06',
    );
    expect(doNotCallReason(entry({ by: { type: 'supervisor' } }))).toContain('added by a supervisor on');
  });

  it('refuses a number nobody could call', () => {
    for (const number of ['anonymous', '+44', 'sip:bob'])
      expect(new DoNotCallList().add(entry({ number }))).toMatchObject({
        refused: { code: 'NUMBER_NOT_CALLABLE' },
      });
    expect(new DoNotCallList().add(entry({ number: '+447700900123' }))).toHaveProperty('entry');
  });

  it('removes an entry (who, when), restores it when its write failed, and drops an addition taken back', () => {
    const list = new DoNotCallList([entry(), entry({ id: 'old', number: '+15550000001', removedAt: AT })]);
    expect(list.standing().map((e) => e.id)).toEqual(['e1']); // a removed one is not loaded as standing
    const sam = { id: 'sam', name: 'Sam Super' };
    const removed = list.remove('e1', AT + 1000, sam);
    expect(removed).toEqual({ entry: { ...entry(), removedAt: AT + 1000, removedBy: sam } });
    expect(list.on('+15551230000')).toBeUndefined();
    expect(list.remove('e1', AT + 2000)).toMatchObject({ refused: { code: 'DO_NOT_CALL_NOT_FOUND' } });
    list.restore((removed as { entry: DoNotCallEntry }).entry);
    expect(list.on('+15551230000')).toEqual(entry());
    list.drop(entry({ id: 'other' })); // not the standing one: kept
    expect(list.on('+15551230000')?.id).toBe('e1');
    list.drop(entry());
    expect(list.standing()).toEqual([]);
  });

  it('takes a file of numbers all or none: one nobody could call refuses the lot; listed ones are counted, not added twice', () => {
    const list = new DoNotCallList([entry({ id: 'a', number: '+15550100' })]);
    const many = (numbers: string[]) => numbers.map((n, i) => entry({ id: `f${i}`, number: n }));
    expect(list.addMany(many(['+15550200', 'anonymous', '+15550300']), (i) => `line ${i + 2}`)).toEqual({
      problems: ['line 3: "anonymous" is not a number the contact center could call'],
    });
    expect(list.standing().map((e) => e.number)).toEqual(['+15550100']);
    const outcome = list.addMany(many(['+15550200', '+15550100', '+15550200', '+15550300']), String);
    expect('added' in outcome && outcome.added.map((e) => e.number)).toEqual(['+15550200', '+15550300']);
    expect(outcome).toMatchObject({ alreadyListed: 2 });
    expect(list.on('+15550200')?.id).toBe('f0');
    // Taken back when their write failed: the earlier entry stays.
    list.dropAll('added' in outcome ? outcome.added : []);
    expect(list.standing().map((e) => e.number)).toEqual(['+15550100']);
  });

  it('reads a file of numbers with an optional note; another column refuses it', () => {
    expect(readDoNotCallFile('Telephone,Reason\n+15550100,opted out\n+15550200,\n')).toEqual({
      rows: [
        { number: '+15550100', note: 'opted out' },
        { number: '+15550200', note: '' },
      ],
      lines: [2, 3],
    });
    expect(readDoNotCallFile('number,email\n+15550100,a@b.c\n')).toEqual({
      problems: [
        'line 1: the column "email" is not one a do-not-call file has: number (required), note (leave it out, or name it note to keep it with the number)',
      ],
    });
    expect(readDoNotCallFile('number\n+15550100\n+15550200\n', 1)).toEqual({
      problems: ['the file has 2 numbers: at most 1 a request (split it in parts)'],
    });
  });
});
