/** When a callback is booked for, as the pages' forms offer it (src/web/common/callback-time.js). */
import { describe, expect, it } from 'vitest';
import {
  callbackDueText,
  callbackRequestText,
  callbackWhen,
  earliestBooking,
  localInputValue,
  tomorrowThisTime,
} from '../../../src/web/common/callback-time.js';

describe('callback booking times', () => {
  it('writes a time as a datetime-local value, on the local clock, to the minute', () => {
    expect(localInputValue(new Date(2026, 0, 5, 9, 7, 59))).toBe('2026-01-05T09:07');
    expect(localInputValue(new Date(2026, 11, 31, 23, 0))).toBe('2026-12-31T23:00');
  });

  it('offers this time tomorrow on the next quarter hour, and a minute from now at the earliest', () => {
    const now = new Date(2026, 11, 4, 10, 7, 30).getTime();
    expect(localInputValue(tomorrowThisTime(now))).toBe('2026-12-05T10:15');
    expect(localInputValue(tomorrowThisTime(new Date(2026, 11, 4, 10, 45).getTime()))).toBe(
      '2026-12-05T10:45',
    );
    // 23:50 rounds up into the next hour (and day).
    expect(localInputValue(tomorrowThisTime(new Date(2026, 11, 4, 23, 50).getTime()))).toBe(
      '2026-12-06T00:00',
    );
    expect(earliestBooking(now).getTime()).toBe(now + 60_000);
  });
});

describe('where an open callback stands, in words', () => {
  const when = (iso: string) => callbackWhen(iso);
  it('says booked for its time, the next try, its callback hours, due now or being called', () => {
    const at = '2026-12-07T09:00:00.000Z';
    expect(callbackDueText({ state: 'waiting', callback: { attempts: 0, notBefore: at } })).toBe(
      `booked for ${when(at)}`,
    );
    expect(callbackDueText({ state: 'waiting', callback: { attempts: 1, notBefore: at } })).toBe(
      `next try ${when(at)}`,
    );
    expect(
      callbackDueText({ state: 'waiting', callback: { attempts: 0, notBefore: at, callableFrom: at } }),
    ).toBe(`from ${when(at)} (callback hours)`);
    expect(callbackDueText({ state: 'waiting', callback: { attempts: 0 } })).toBe('due now');
    expect(callbackDueText({ state: 'ringing', callback: { attempts: 0, notBefore: at } })).toBe(
      'being called now',
    );
  });
});

describe("what a callback call carries out, in the agent's screen pop", () => {
  it('names the campaign with the contact note, who booked it, or that the caller gave up', () => {
    const campaign = { campaign: { id: 'renewals', name: 'Renewals' } };
    expect(callbackRequestText({ by: campaign, note: 'Renewals: account 1234' })).toBe(
      'Campaign call (Renewals): account 1234',
    );
    expect(callbackRequestText({ by: campaign, note: 'Renewals' })).toBe('Campaign call (Renewals)');
    expect(callbackRequestText({ by: { abandoned: { waitedSeconds: 42.4 } } })).toBe(
      'Callback: they gave up waiting after 0:42',
    );
    expect(
      callbackRequestText({ by: { supervisor: { id: 'sam', name: 'Sam Super' } }, note: 'invoice' }),
    ).toBe('Callback booked by Sam Super: invoice');
    expect(callbackRequestText({ by: { supervisor: null } })).toBe('Callback booked by a supervisor');
    expect(callbackRequestText({ by: { agentId: 'agent1' }, note: 'wants a quote' })).toBe(
      'Callback booked by agent1: wants a quote',
    );
    expect(callbackRequestText(null)).toBe('');
  });
});
