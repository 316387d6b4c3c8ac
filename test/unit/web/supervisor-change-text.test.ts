/** The wallboard's Changes list in words (src/web/supervisor/change-text.js). */
import { describe, expect, it } from 'vitest';
import { changedBy, changeText, fieldChanges } from '../../../src/web/supervisor/change-text.js';

const names = {
  queue: (id: string) => ({ sales: 'Sales', support: 'Support' })[id] ?? id,
  agent: (id: string) => ({ anna: 'Anna Allen' })[id] ?? id,
};
const say = (action: string, subject: string, before?: unknown, after?: unknown) =>
  changeText({ action, subject, ...(before ? { before } : {}), ...(after ? { after } : {}) }, names);

describe("a supervisor's change in words", () => {
  it('names what a queue edit changed, field by field', () => {
    const before = { id: 'sales', name: 'Sales', ringTimeoutSeconds: 20, vipNumbers: ['+1555'] };
    const after = { id: 'sales', name: 'Sales', ringTimeoutSeconds: 15, wrapUpSeconds: 10 };
    expect(say('queue.saved', 'sales', before, after)).toBe(
      'Changed queue Sales: ringTimeoutSeconds 20 → 15; vipNumbers ["+1555"] → none; wrapUpSeconds none → 10',
    );
    expect(say('queue.saved', 'sales', undefined, after)).toBe('Created queue Sales');
    expect(say('queue.deleted', 'support', before)).toBe('Deleted queue Support');
    expect(fieldChanges({ a: { x: 'y'.repeat(80) } }, {})[0]).toMatch(/^a \{"x":"y{51}… → none$/);
  });

  it('names a shift put on and taken off the roster, with its breaks', () => {
    const shift = { agentId: 'anna', start: '2026-12-07T09:00:00.000Z', end: '2026-12-07T17:00:00.000Z' };
    expect(say('shift.added', '1 shift', undefined, [{ ...shift, note: null }])).toBe(
      'Put Anna Allen on a shift 2026-12-07 09:00–17:00 UTC',
    );
    const night = {
      agentId: 'anna',
      start: '2026-12-07T22:00:00.000Z',
      end: '2026-12-08T06:00:00.000Z',
      breaks: [
        { start: '2026-12-07T23:30:00.000Z', end: '2026-12-08T00:15:00.000Z', label: 'Meal' },
        { start: '2026-12-08T03:00:00.000Z', end: '2026-12-08T03:15:00.000Z', label: null },
      ],
    };
    expect(say('shift.removed', 'id-1', night)).toBe(
      "Took Anna Allen's shift 2026-12-07 22:00–2026-12-08 06:00 UTC, breaks 23:30–2026-12-08 00:15 Meal, 2026-12-08 03:00–03:15 off the roster",
    );
    expect(say('shift.added', '2 shifts', undefined, [shift, shift])).toBe('Put 2 shifts on the roster');
    expect(
      say('shift.added', '2 shifts copied from 2026-12-07 to 2026-12-14', undefined, [shift, shift]),
    ).toBe('Copied 2 shifts from 2026-12-07 to 2026-12-14');
    const lunch = { start: '2026-12-07T12:00:00.000Z', end: '2026-12-07T12:30:00.000Z', label: 'Lunch' };
    expect(
      say('shift.changed', 'id-2', { ...shift, note: null }, { ...shift, note: 'late', breaks: [lunch] }),
    ).toBe(
      "Changed Anna Allen's shift 2026-12-07 09:00–17:00 UTC to 2026-12-07 09:00–17:00 UTC, break 12:00–12:30 Lunch (note: late)",
    );
    expect(say('shift.changed', 'id-2', shift, { ...shift, agentId: 'boris' })).toBe(
      "Changed Anna Allen's shift 2026-12-07 09:00–17:00 UTC to 2026-12-07 09:00–17:00 UTC, now boris's",
    );
  });

  it('names members added, changed and taken out, and memberships put back', () => {
    expect(say('queue.member.saved', 'sales/anna', undefined, { penalty: 2, order: 0 })).toBe(
      'Added Anna Allen to Sales (penalty 2, order 0)',
    );
    expect(say('queue.member.saved', 'sales/anna', { penalty: 2, order: 0 }, { penalty: 3, order: 0 })).toBe(
      'Changed Anna Allen in Sales: penalty 2 → 3',
    );
    expect(say('queue.member.removed', 'sales/anna', { penalty: 3, order: 0 })).toBe(
      'Took Anna Allen out of Sales',
    );
    expect(say('agent.memberships.reset', 'anna', [], [{ queueId: 'sales' }, { queueId: 'support' }])).toBe(
      "Put Anna Allen back on the config file's queues: Sales, Support",
    );
    expect(say('agent.memberships.reset', 'anna', [{ queueId: 'sales' }], [])).toBe(
      "Put Anna Allen back on the config file's queues: none",
    );
  });

  it('names flows reloaded with the refused files, sessions ended, and an action it does not know as it is', () => {
    const files = [
      { file: 'main.flow.ts', ok: true },
      { file: 'broken.flow.ts', ok: false },
    ];
    expect(say('flows.reloaded', 'flows', undefined, files)).toBe(
      'Reloaded the IVR flows: 1 loaded, 1 refused (broken.flow.ts: the last good version serves)',
    );
    expect(say('flows.reloaded', 'flows', undefined, [files[0]])).toBe('Reloaded the IVR flows: 1 loaded');
    expect(say('supervisor.sessions.ended', 'supervisors')).toBe('Ended every supervisor session');
    expect(say('supervisor.signed-out', 'tess')).toBe('Signed supervisor tess out');
    expect(say('switch.set', 'emergency-closure', { on: false }, { on: true })).toBe(
      'Turned switch emergency-closure on',
    );
    expect(say('switch.set', 'emergency-closure', { on: true }, { on: false })).toBe(
      'Turned switch emergency-closure off',
    );
    expect(
      say('number.blocked', '+15550777777', undefined, {
        reason: 'abusive to agents',
        until: '2026-12-06T14:30:00.000Z',
      }),
    ).toBe('Blocked +15550777777 (abusive to agents) until 2026-12-06 14:30 UTC');
    expect(say('number.blocked', '+15550777777', undefined, { reason: 'spam', until: null })).toBe(
      'Blocked +15550777777 (spam)',
    );
    expect(say('number.unblocked', '+15550777777', { reason: 'spam' })).toBe(
      'Lifted the block on +15550777777',
    );
    expect(say('agent.skills.saved', 'anna', { spanish: 2 }, { spanish: 4, billing: 1 })).toBe(
      "Set Anna Allen's skills: billing 1, spanish 4 (were spanish 2)",
    );
    expect(say('agent.skills.reset', 'anna', { spanish: 4 }, {})).toBe(
      "Put Anna Allen back on the config file's skills: none",
    );
    expect(say('sign-in.unlocked', 'anna@10.0.0.9', { failures: 5 })).toBe(
      'Lifted the sign-in lock on Anna Allen from 10.0.0.9',
    );
    expect(say('sign-in.unlocked', '~sam@2001:db8::7')).toBe(
      'Lifted the sign-in lock on supervisor sam from 2001:db8::7',
    );
    expect(say('sign-in.unlocked', '*@10.0.0.66')).toBe('Lifted the lock on every sign-in from 10.0.0.66');
    expect(say('wall-display.made', 'wd-1', undefined, { name: 'Billing floor TV' })).toBe(
      'Made a wall display "Billing floor TV"',
    );
    expect(say('wall-display.made', 'wd-2', undefined, { name: 'Team A', queueIds: ['sales', 'x'] })).toBe(
      'Made a wall display "Team A" (Sales, x)',
    );
    expect(
      say('wall-display.queues', 'wd-2', { name: 'Team A', queueIds: ['sales'] }, { name: 'Team A' }),
    ).toBe('Wall display "Team A" shows every queue (was Sales)');
    expect(
      say(
        'wall-display.queues',
        'wd-2',
        { name: 'Team A' },
        { name: 'Team A', queueIds: ['sales', 'support'] },
      ),
    ).toBe('Wall display "Team A" shows Sales, Support (was every queue)');
    expect(say('wall-display.withdrawn', 'wd-1', { name: 'Billing floor TV' })).toBe(
      'Withdrew the wall display "Billing floor TV": its link opens nothing now',
    );
    expect(say('sign-in.unlocked', '~@10.0.0.5')).toBe(
      'Lifted the sign-in lock on the supervisor token from 10.0.0.5',
    );
    expect(say('number.do-not-call', '+15550777777', undefined, { note: 'letter of 1 Dec' })).toBe(
      'Put +15550777777 on the do-not-call list (letter of 1 Dec)',
    );
    expect(say('number.do-not-call.removed', '+15550777777', { note: null })).toBe(
      'Took +15550777777 off the do-not-call list',
    );
    expect(
      say('customer.erased', '+447•••••••23', undefined, {
        reason: 'request 2026-118',
        erased: { interactions: 3, recordings: 1 },
      }),
    ).toBe(
      'Erased the data of the customer +447•••••••23 at their request (request 2026-118): 3 calls, 1 recording',
    );
    expect(
      say('evaluation.withdrawn', 'e1', {
        agentId: 'anna',
        formName: 'Call review',
        score: 62.5,
        interactionId: 'i1',
      }),
    ).toBe('Withdrew the evaluation of Anna Allen (Call review, 62.5%)');
    expect(say('evaluation.withdrawn', 'e1')).toBe('Withdrew the evaluation of an agent');
    expect(
      say('campaign.created', 'renewals', undefined, { name: 'Renewals', queueId: 'sales', contacts: 120 }),
    ).toBe('Started campaign Renewals on Sales with 120 contacts');
    expect(say('campaign.contacts.added', 'renewals', undefined, { contacts: 3 })).toBe(
      'Added 3 contacts to campaign renewals',
    );
    expect(say('campaign.script.changed', 'renewals', { script: null }, { script: 'Hello' })).toBe(
      'Gave the script of campaign renewals',
    );
    expect(say('campaign.script.changed', 'renewals', { script: 'Hi' }, { script: 'Hello' })).toBe(
      'Changed the script of campaign renewals',
    );
    expect(say('campaign.script.changed', 'renewals', { script: 'Hi' }, { script: null })).toBe(
      'Removed the script of campaign renewals',
    );
    const machines = (after: object) =>
      say('campaign.answering-machine.changed', 'renewals', { action: 'connect' }, after);
    expect(machines({ action: 'hang_up' })).toBe('Set campaign renewals to hang up on answering machines');
    expect(machines({ action: 'leave_message', message: ['custom/reminder', 'vm-goodbye'] })).toBe(
      'Set campaign renewals to leave a message on answering machines (custom/reminder, vm-goodbye)',
    );
    expect(machines({ action: 'connect' })).toBe('Set campaign renewals to put every answer through');
    expect(say('number.do-not-call.file', '2 numbers', undefined, { added: 2, alreadyListed: 1 })).toBe(
      'Put 2 numbers on the do-not-call list from a file (1 listed already)',
    );
    expect(say('number.do-not-call.file', '1 number', undefined, { added: 1, alreadyListed: 0 })).toBe(
      'Put 1 number on the do-not-call list from a file',
    );
    expect(say('campaign.stopped', 'renewals')).toBe('Stopped campaign renewals');
    expect(say('campaign.paused', 'renewals')).toBe('Paused campaign renewals');
    expect(say('queue.renamed', 'sales')).toBe('queue.renamed sales');
  });

  it('says who: the supervisor by name, by id when no longer configured, else the token', () => {
    expect(changedBy({ supervisor: { name: 'Sam Super' } })).toBe('Sam Super');
    expect(changedBy({ supervisorId: 'gone' })).toBe('gone');
    expect(changedBy({})).toBe('Supervisor token');
  });
});
