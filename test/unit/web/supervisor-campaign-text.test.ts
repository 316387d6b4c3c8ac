/** The wallboard's Campaigns section in words: status, progress, each contact, an id from a name. */
import { describe, expect, it } from 'vitest';
import {
  answeringMachineOf,
  answeringMachineText,
  campaignDayCells,
  campaignFiguresText,
  campaignIdOf,
  campaignProgressText,
  campaignStatusText,
  contactRefusalText,
  contactsShownText,
  contactText,
} from '../../../src/web/supervisor/campaign-text.js';

const counts = { pending: 6, booked: 1, reached: 4, not_reached: 1, skipped: 2, cancelled: 0 };
const names = (id: string) => ({ anna: 'Anna Allen' })[id] ?? id;

describe('an outbound campaign in words', () => {
  it("writes a day of its calls as the table's cells", () => {
    const day = {
      date: '2026-12-07',
      attempts: 12,
      connected: 5,
      noAnswer: 4,
      busy: 1,
      failed: 0,
      people: 5,
      machines: 2,
      unsure: 0,
      messagesLeft: 1,
      conversations: 5,
      talkSeconds: 750,
    };
    expect(campaignDayCells(day)).toEqual(['Mon 7 Dec', 12, 5, 4, 1, 0, '2 (1 message)', 5, '12:30']);
    expect(campaignDayCells({ ...day, machines: 0, messagesLeft: 0 })[6]).toBe('0');
  });

  it('says what it does about answering machines, and reads the form into a setting', () => {
    expect(answeringMachineText({ action: 'connect' })).toBe(
      'Every answer put through (no answering-machine detection)',
    );
    expect(answeringMachineText(undefined)).toBe('Every answer put through (no answering-machine detection)');
    expect(answeringMachineText({ action: 'hang_up' })).toBe(
      'Answering machines hung up on (tried again as no answer)',
    );
    expect(answeringMachineText({ action: 'leave_message', message: ['custom/reminder', 'beep'] })).toBe(
      'A message left on answering machines: custom/reminder, beep',
    );
    expect(answeringMachineOf('leave_message', ' custom/reminder,  beep ')).toEqual({
      action: 'leave_message',
      message: ['custom/reminder', 'beep'],
    });
    expect(answeringMachineOf('leave_message', ' , ')).toBe(
      'Name the message to leave: the sounds to play, e.g. custom/renewal-reminder.',
    );
    // A message typed for another choice is not sent (the service would refuse it).
    expect(answeringMachineOf('hang_up', 'beep')).toEqual({ action: 'hang_up' });
    expect(answeringMachineOf('connect', '')).toEqual({ action: 'connect' });
  });

  it('says what its calls came to: conversations, talk, outcomes, agents', () => {
    const none = { conversations: 0, talkSeconds: 0, byWrapUpCode: [], byAgent: [] };
    expect(campaignFiguresText(none, names)).toBe('No conversation yet');
    // Answering-machine detection: what it heard, when it listened at all.
    const answers = { people: 1, machines: 2, unsure: 0, messagesLeft: 1 };
    expect(campaignFiguresText({ ...none, answers }, names)).toBe(
      'No conversation yet · answers heard: 1 person, 2 machines (1 message left), 0 unsure',
    );
    expect(
      campaignFiguresText(
        { ...none, answers: { people: 3, machines: 1, unsure: 1, messagesLeft: 0 } },
        names,
      ),
    ).toBe('No conversation yet · answers heard: 3 people, 1 machine, 1 unsure');
    expect(
      campaignFiguresText(
        { ...none, answers: { people: 0, machines: 0, unsure: 0, messagesLeft: 0 } },
        names,
      ),
    ).toBe('No conversation yet');
    expect(
      campaignFiguresText(
        {
          conversations: 3,
          talkSeconds: 185,
          byWrapUpCode: [
            { code: 'sale', conversations: 2, talkSeconds: 155 },
            { code: null, conversations: 1, talkSeconds: 30 },
          ],
          byAgent: [
            { agentId: 'anna', conversations: 2, talkSeconds: 125 },
            { agentId: 'bo', conversations: 1, talkSeconds: 60 },
          ],
        },
        names,
      ),
    ).toBe(
      '3 conversations, 3:05 of talk (1:01 each) · outcomes: sale 2, none given 1 · agents: Anna Allen 2, bo 1',
    );
    expect(
      campaignFiguresText(
        {
          conversations: 1,
          talkSeconds: 42,
          byWrapUpCode: [{ code: null, conversations: 1, talkSeconds: 42 }],
          byAgent: [{ agentId: 'anna', conversations: 1, talkSeconds: 42 }],
        },
        names,
      ),
    ).toBe('1 conversation, 0:42 of talk (0:42 each) · outcomes: none given 1 · agents: Anna Allen 1');
  });

  it('says its status and how far its list has come', () => {
    expect(campaignStatusText({ status: 'running', finished: false })).toBe('Running');
    expect(campaignStatusText({ status: 'paused', finished: false })).toBe('Paused');
    expect(campaignStatusText({ status: 'running', finished: true })).toBe('Done');
    expect(campaignStatusText({ status: 'stopped', finished: true })).toBe('Stopped');
    expect(campaignProgressText({ counts })).toBe('5 of 14 called · 1 in line · 6 to go');
    expect(campaignProgressText({ counts: { ...counts, pending: 0, booked: 0 } })).toBe('5 of 7 called');
  });

  it('says each contact: whom, how it went, by whom, the wrap-up, why not', () => {
    const base = { seq: 3, number: '+15550200', name: 'Bob Best', reason: null, conversation: null };
    expect(
      contactText(
        { ...base, state: 'reached', conversation: { agentId: 'anna', wrapUpCode: 'sale' } },
        names,
      ),
    ).toBe('3. Bob Best +15550200: reached by Anna Allen (sale)');
    expect(
      contactText({ ...base, name: null, state: 'skipped', reason: 'may not be called: do not call' }, names),
    ).toBe('3. +15550200: skipped: may not be called: do not call');
    expect(contactText({ ...base, state: 'pending' }, names)).toBe('3. Bob Best +15550200: to call');
  });

  it('makes an id from a name', () => {
    expect(campaignIdOf('Renewals – December 2026!')).toBe('renewals-december-2026');
    expect(campaignIdOf('***')).toBe('campaign');
  });

  it('names a refused typed line as it was typed, not by its place in the list sent', () => {
    // Lines 1, 3 and 4 were sent (line 2 was blank): the list's second is line 3.
    const places = [1, 3, 4];
    expect(
      contactRefusalText('nothing was added: contacts.1.number: "x" is not a phone number', places),
    ).toBe('nothing was added: line 3\'s number: "x" is not a phone number');
    expect(contactRefusalText('body/contacts/2/name must NOT have more than 120 characters', places)).toBe(
      "line 4's name must NOT have more than 120 characters",
    );
    // A file's refusal names its own lines already: left as it is.
    expect(contactRefusalText('nothing was added: line 7: no number', [])).toBe(
      'nothing was added: line 7: no number',
    );
  });

  it('counts the contacts shown of those in the state chosen', () => {
    expect(contactsShownText(0, 0)).toBe('None');
    expect(contactsShownText(1, 1)).toBe('1 contact');
    expect(contactsShownText(6, 6)).toBe('6 contacts');
    expect(contactsShownText(100, 20000)).toBe('100 of 20,000 shown');
  });
});
