/** Finding an entry in a long wallboard list: by the digits of its number, or by its words. */
import { describe, expect, it } from 'vitest';
import { matchesTyped } from '../../../src/web/supervisor/list-search.js';

const entry = { number: '+15550809992', words: 'Müller, by letter added by Sam Super' };

describe('finding a listed number', () => {
  it('looks for typed digits in the number, however they are written, and in the words', () => {
    expect(matchesTyped(entry, '080 999')).toBe(true);
    expect(matchesTyped(entry, '(555) 080-9992')).toBe(true);
    expect(matchesTyped(entry, '+1555')).toBe(true);
    expect(matchesTyped(entry, '7777')).toBe(false);
    // Digits are looked for in the words too (a ticket in the note).
    expect(matchesTyped({ number: '+15550000000', words: 'ticket 4711' }, '4711')).toBe(true);
    expect(matchesTyped({ number: '+15550000000', words: 'ticket 4711' }, '4712')).toBe(false);
  });

  it('looks for anything else in the words, case left aside; nothing typed matches all', () => {
    expect(matchesTyped(entry, 'LETTER')).toBe(true);
    expect(matchesTyped(entry, 'müller')).toBe(true);
    expect(matchesTyped(entry, 'sam super')).toBe(true);
    expect(matchesTyped(entry, 'e-mail')).toBe(false);
    expect(matchesTyped(entry, '   ')).toBe(true);
    // Only separators: no digits to look for, so nothing is ruled out.
    expect(matchesTyped(entry, ' - ')).toBe(true);
  });
});
