/** The wallboard's "Erase a customer's data" in words (src/web/supervisor/erasure-text.js). */
import { describe, expect, it } from 'vitest';
import { copyText, erasureText } from '../../../src/web/supervisor/erasure-text.js';

const reply = (over: Partial<Parameters<typeof erasureText>[0]> = {}) => ({
  number: '+447700900123',
  dryRun: true,
  interactions: 3,
  recordings: 1,
  contacts: 1,
  campaignContacts: 2,
  campaignContactsCancelled: 1,
  kept: { doNotCall: false, blocked: false },
  ...over,
});

describe('an erasure in words', () => {
  it('says what is on record before, and what was erased after, with what keeps the number', () => {
    expect(erasureText(reply())).toBe(
      'On record about +447700900123: 3 calls (1 recording), 1 directory entry, 2 campaign contacts (1 still to be called). Erase deletes them for good.',
    );
    expect(
      erasureText(
        reply({ dryRun: false, contacts: 0, campaignContacts: 0, kept: { doNotCall: true, blocked: false } }),
      ),
    ).toBe("Erased +447700900123's data: 3 calls (1 recording). The do-not-call list keeps the number.");
    expect(
      erasureText(
        reply({
          interactions: 1,
          recordings: 0,
          contacts: 2,
          campaignContacts: 0,
          kept: { doNotCall: true, blocked: true },
        }),
      ),
    ).toBe(
      'On record about +447700900123: 1 call (0 recordings), 2 directory entries. Erase deletes them for good. The do-not-call list and its block keep the number.',
    );
  });

  it('says when nothing is, or was, on record', () => {
    const none = {
      interactions: 0,
      recordings: 0,
      contacts: 0,
      campaignContacts: 0,
      campaignContactsCancelled: 0,
    };
    expect(erasureText(reply(none))).toBe('Nothing is on record about +447700900123.');
    expect(erasureText(reply({ ...none, dryRun: false, kept: { doNotCall: false, blocked: true } }))).toBe(
      'Nothing was left to erase about +447700900123. Its block keeps the number.',
    );
  });

  it('says what a copy holds and where it was saved', () => {
    expect(
      copyText(
        { number: '+447700900123', interactions: [1, 2], directory: [1], campaignContacts: [] },
        'customer-447700900123.json',
      ),
    ).toBe(
      'A copy of what is on record about +447700900123 (2 calls, 1 directory entry) saved as customer-447700900123.json.',
    );
  });
});
