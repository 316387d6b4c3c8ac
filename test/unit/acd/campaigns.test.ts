/**
 * Outbound campaigns' pure rules: a contact list checked (no phone number refuses the list by place; a
 * number that may not be called or listed twice kept as skipped, with why), status changes and their
 * refusals, a contact's outcome from its callback request's closing, progressive pacing; and, in the pure
 * router, a campaign's call ranking after every caller and callback request, kept so through a restart.
 */
import { describe, expect, it } from 'vitest';
import {
  campaignDays,
  callsToPlace,
  changeStatus,
  checkContacts,
  closedReasonOf,
  contactOutcome,
  isFinished,
  noContacts,
} from '../../../src/acd/campaigns.js';
import { lineView } from '../../../src/acd/line-view.js';
import { newCallback } from '../../../src/acd/callback.js';
import { agentDef, only, queueDef, Sim } from './helpers.js';

const checks = {
  canonical: (n: string) => n.replace(/[\s-]/g, ''),
  refusal: (n: string) => (n.startsWith('+1900') ? 'premium rate numbers are not called' : undefined),
};

describe('a campaign contact list', () => {
  it('keeps every line in order: numbers in the site form, barred and repeated ones skipped with why', () => {
    const result = checkContacts(
      [
        { number: '+1 555 0100', name: ' Ann ', note: 'renewal due' },
        { number: '+19005550000', name: 'Premium' },
        { number: '+1555-0100', name: 'Ann again' },
        { number: '+15550200' },
      ],
      { numbers: new Set(['+15550200']), lastSeq: 7 },
      checks,
    );
    expect(result).toEqual({
      contacts: [
        { seq: 8, number: '+15550100', name: 'Ann', note: 'renewal due', state: 'pending', reason: null },
        {
          seq: 9,
          number: '+19005550000',
          name: 'Premium',
          note: null,
          state: 'skipped',
          reason: 'may not be called: premium rate numbers are not called',
        },
        {
          seq: 10,
          number: '+15550100',
          name: 'Ann again',
          note: null,
          state: 'skipped',
          reason: 'the number is in this campaign already',
        },
        {
          seq: 11,
          number: '+15550200',
          name: null,
          note: null,
          state: 'skipped',
          reason: 'the number is in this campaign already',
        },
      ],
    });
  });

  it('refuses the whole list when a line is no phone number, naming each by its place', () => {
    const result = checkContacts(
      [{ number: '+15550100' }, { number: 'call me' }, { number: 'x1' }],
      { numbers: new Set(), lastSeq: 0 },
      checks,
    );
    expect(result).toEqual({
      problems: [
        'contacts.1.number: "call me" is not a phone number',
        'contacts.2.number: "x1" is not a phone number',
      ],
    });
  });
});

describe('a campaign status', () => {
  it('pauses, resumes and stops; refuses what does not follow, with the reason', () => {
    expect(changeStatus('running', 'pause')).toEqual({ status: 'paused' });
    expect(changeStatus('paused', 'resume')).toEqual({ status: 'running' });
    expect(changeStatus('paused', 'stop')).toEqual({ status: 'stopped' });
    expect(changeStatus('running', 'stop')).toEqual({ status: 'stopped' });
    expect(changeStatus('paused', 'pause')).toMatchObject({ refused: { code: 'CAMPAIGN_NOT_RUNNING' } });
    expect(changeStatus('running', 'resume')).toMatchObject({ refused: { code: 'CAMPAIGN_NOT_PAUSED' } });
    expect(changeStatus('stopped', 'resume')).toEqual({
      refused: { code: 'CAMPAIGN_STOPPED', reason: 'the campaign is stopped: it cannot resume' },
    });
  });

  it('is finished once nothing is pending or in line', () => {
    expect(isFinished(noContacts())).toBe(true);
    expect(isFinished({ ...noContacts(), reached: 3, booked: 1 })).toBe(false);
    expect(isFinished({ ...noContacts(), pending: 1 })).toBe(false);
    expect(isFinished({ ...noContacts(), reached: 2, not_reached: 1, skipped: 1, cancelled: 1 })).toBe(true);
  });
});

describe("a contact's outcome", () => {
  it('follows how its callback request closed, as decided or as its record says', () => {
    expect(contactOutcome('completed')).toEqual({ state: 'reached', reason: null });
    expect(contactOutcome('max_attempts').state).toBe('not_reached');
    expect(contactOutcome('not_allowed', 'on the do-not-call list')).toEqual({
      state: 'skipped',
      reason: 'may not be called: on the do-not-call list',
    });
    expect(contactOutcome('cancelled')).toEqual({ state: 'cancelled', reason: 'cancelled' });
    expect(closedReasonOf('not_allowed: on the do-not-call list: asked 2026-12-01')).toEqual({
      reason: 'not_allowed',
      detail: 'on the do-not-call list: asked 2026-12-01',
    });
    expect(closedReasonOf('max_attempts')).toEqual({ reason: 'max_attempts' });
    expect(closedReasonOf('message_left')).toEqual({ reason: 'message_left' });
    expect(campaignDays([], [], () => 'x')).toEqual([]);
    expect(contactOutcome('message_left')).toEqual({
      state: 'not_reached',
      reason: "an answering machine answered: the campaign's message was left",
    });
    expect(closedReasonOf('could not be restored after a restart')).toBeUndefined();
  });
});

describe("a campaign's calls day by day", () => {
  it('counts each attempt and its result, what detection heard and the conversations on the day they happened', () => {
    const day = (at: number) => new Date(at).toISOString().slice(0, 10);
    const D1 = Date.parse('2026-12-07T10:00:00Z');
    const D2 = Date.parse('2026-12-08T10:00:00Z');
    const step = (at: number, type: string, fields: Record<string, string>) => ({
      at,
      type,
      step: fields.step ?? null,
      reason: fields.reason ?? null,
      verdict: fields.verdict ?? null,
      outcome: fields.outcome ?? null,
    });
    const dialing = (at: number, reason?: string) =>
      step(at, 'acd.callback', { step: 'dialing', ...(reason ? { reason } : {}) });
    const heard = (at: number, fields: Record<string, string>) => step(at, 'acd.answering-machine', fields);
    const days = campaignDays(
      [
        step(D1 - 1000, 'acd.callback', { step: 'requested' }),
        dialing(D1),
        dialing(D1 + 30_000, 'no_answer'),
        dialing(D1 + 60_000),
        dialing(D1 + 62_000, 'busy'),
        dialing(D1 + 90_000),
        dialing(D1 + 95_000, 'failed: the agent hung up before the customer answered'),
        // The next day: a machine left the message, a person put through.
        dialing(D2),
        heard(D2 + 1000, { step: 'listening' }),
        heard(D2 + 2500, { step: 'detected', verdict: 'machine' }),
        heard(D2 + 6000, { step: 'message', outcome: 'played' }),
        dialing(D2 + 6000, 'message_left'),
        dialing(D2 + 60_000),
        heard(D2 + 61_400, { step: 'detected', verdict: 'human' }),
        step(D2 + 61_500, 'acd.callback', { step: 'connected' }),
        heard(D2 + 90_000, { step: 'detected', verdict: 'unsure' }),
      ],
      [
        { at: D2 + 61_500, talkSeconds: 95.4 },
        { at: D2 + 200_000, talkSeconds: null },
      ],
      day,
    );
    expect(days).toEqual([
      {
        date: '2026-12-07',
        attempts: 3,
        connected: 0,
        noAnswer: 1,
        busy: 1,
        failed: 1,
        people: 0,
        machines: 0,
        unsure: 0,
        messagesLeft: 0,
        conversations: 0,
        talkSeconds: 0,
      },
      {
        date: '2026-12-08',
        attempts: 2,
        connected: 1,
        noAnswer: 0,
        busy: 0,
        failed: 0,
        people: 1,
        machines: 1,
        unsure: 1,
        messagesLeft: 1,
        conversations: 2,
        talkSeconds: 95,
      },
    ]);
  });
});

describe('progressive pacing', () => {
  it('places one call per free agent, less the work in line and the calls being booked', () => {
    expect(callsToPlace({ free: 3, waiting: 0 }, 0)).toBe(3);
    expect(callsToPlace({ free: 3, waiting: 1 }, 1)).toBe(1);
    expect(callsToPlace({ free: 1, waiting: 2 }, 0)).toBe(0);
    expect(callsToPlace({ free: 0, waiting: 0 }, 0)).toBe(0);
  });
});

describe("a campaign's call in the router", () => {
  const campaign = { campaign: { id: 'renewals', name: 'Renewals' } };

  it('ranks after every caller and callback request, even one that rang out, and says so in the line', () => {
    const sim = new Sim([queueDef({ id: 'q' })], [agentDef('a1', ['q'])]);
    sim.send({
      type: 'scheduleCallback',
      interactionId: 'camp-1',
      queueId: 'q',
      callerNumber: '+15550100',
      at: sim.now + 100,
      requestedBy: campaign,
      note: 'Renewals: account 1',
    });
    sim.advance(100);
    sim.fire('cbretry:camp-1');
    sim.arrive('caller', 'q', { callerNumber: '+15550999', priority: -5 });
    const line = lineView(sim.router.waiting(sim.now, 'q'), sim.router.queue('q')!, sim.now);
    expect(line.map((p) => p.interactionId)).toEqual(['caller', 'camp-1']);
    expect(line[1]?.callback).toMatchObject({ campaign: true, status: 'pending' });
    expect(sim.router.spareAgents('q', sim.now)).toEqual({ free: 0, waiting: 2 });
    // The agent, free, gets the caller (the lower priority one) first; the campaign's call after.
    sim.login('a1');
    expect(only(sim.log, 'offer').interactionId).toBe('caller');
    expect(sim.router.spareAgents('q', sim.now)).toEqual({ free: 0, waiting: 1 });
  });

  it('waits while its customer is in a queue as a caller, and is cancelled when they reach an agent', () => {
    const sim = new Sim([queueDef({ id: 'q' }), queueDef({ id: 'in' })], [agentDef('a1', ['q', 'in'])]);
    sim.send({
      type: 'scheduleCallback',
      interactionId: 'camp-1',
      queueId: 'q',
      callerNumber: '+15550100',
      at: sim.now + 100,
      requestedBy: campaign,
    });
    // The customer rings in before their campaign call is made (nobody free yet).
    sim.arrive('they-call', 'in', { callerNumber: '+15550100' });
    sim.advance(100);
    sim.fire('cbretry:camp-1');
    sim.login('a1');
    // The agent gets the caller, not a call out to the same customer, who is busy on the line.
    expect(only(sim.log, 'offer').interactionId).toBe('they-call');
    const answered = sim.agent('a1', { type: 'answer', interactionId: 'they-call' });
    expect(only(answered, 'callbackClosed')).toMatchObject({
      interactionId: 'camp-1',
      reason: 'cancelled',
      detail: 'they called in and reached a1 (call they-call): no need to call them',
    });
    expect(sim.router.waiting(sim.now)).toEqual([]);
  });

  it('keeps ranking last after a restart, and a call booked far ahead is no work waiting now', () => {
    const sim = new Sim([queueDef({ id: 'q' })], [agentDef('a1', ['q'])]);
    sim.send({
      type: 'restoreCallback',
      interactionId: 'camp-1',
      queueId: 'q',
      callerNumber: '+15550100',
      priority: 0,
      skills: {},
      enqueuedAt: sim.now - 60_000,
      callback: newCallback(sim.now - 60_000),
      campaign: true,
    });
    sim.arrive('caller', 'q');
    expect(sim.router.waiting(sim.now, 'q').map((e) => e.interactionId)).toEqual(['caller', 'camp-1']);
    sim.send({
      type: 'scheduleCallback',
      interactionId: 'later',
      queueId: 'q',
      callerNumber: '+15550101',
      at: sim.now + 3_600_000,
      requestedBy: campaign,
    });
    expect(sim.router.spareAgents('q', sim.now)).toEqual({ free: 0, waiting: 2 });
  });
});
