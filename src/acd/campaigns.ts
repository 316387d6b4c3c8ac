/**
 * Outbound campaigns (progressive dialling, blended with inbound): a list of customers a queue's agents call
 * while they have nothing else to do. The campaign dialer books one contact at a time per free agent as a
 * callback request of the queue, so each call is carried out as any callback is (the agent rung first and
 * shown who, then the customer dialled; the queue's callback hours as calling hours; its retry policy for
 * no answer and busy; the outbound rules and the do-not-call list checked at each turn), and it ranks after
 * every caller and callback request (entries.ts), so inbound work always goes first.
 *
 * Pure: the rules for a contact list, a campaign's status and a contact's outcome; the dialer
 * (src/calls/acd/campaign-dialer.ts) carries them out.
 */
import { canCallBack, type CallbackClosedReason } from './callback.js';

export type CampaignStatus = 'running' | 'paused' | 'stopped';
export type CampaignAction = 'pause' | 'resume' | 'stop';

/**
 * A contact's life: pending (not called yet) → booked (its callback request is in the queue's line) →
 * reached, not reached (the attempts ran out), skipped (a number that may not be called, a duplicate) or
 * cancelled (the campaign stopped, or a person cancelled its request).
 */
export type ContactState = 'pending' | 'booked' | 'reached' | 'not_reached' | 'skipped' | 'cancelled';

/** The most contacts one request may add (a campaign may take several). */
export const CONTACTS_PER_REQUEST = 20_000;

/** The longest a contact's fields may be, in characters. */
export const CONTACT_LIMITS = { number: 32, name: 120, note: 500 } as const;

export interface ContactInput {
  number: string;
  name?: string;
  /** What the agent is shown about this customer (an account, why the call). */
  note?: string;
}

export interface CheckedContact {
  /** Its place in the campaign: contacts are called in this order. */
  seq: number;
  number: string;
  name: string | null;
  note: string | null;
  state: 'pending' | 'skipped';
  /** Why it is skipped. */
  reason: string | null;
}

export interface ContactChecks {
  /** The number in the site's one form (NumberPlan.canonical). */
  canonical(number: string): string;
  /** Why the number may not be called now (the outbound rules, blocked, do not call), or undefined. */
  refusal(number: string): string | undefined;
}

/**
 * A list as uploaded, checked: each number in the site's form, in the list's order after the campaign's
 * `existing` contacts. One that is no phone number refuses the whole list, each named by its place (nothing
 * is half added); one that may not be called, or is in the campaign already, is kept as skipped with why, so
 * the list's every line is accounted for.
 */
export function checkContacts(
  items: readonly ContactInput[],
  existing: { numbers: ReadonlySet<string>; lastSeq: number },
  checks: ContactChecks,
  /** How a problem names the contact: by its place in the request, or its line in a file. */
  placeOf: (index: number) => string = (i) => `contacts.${i}.number`,
): { contacts: CheckedContact[] } | { problems: string[] } {
  const problems: string[] = [];
  const seen = new Set(existing.numbers);
  const contacts = items.map((item, i): CheckedContact => {
    const number = checks.canonical(item.number);
    const base = {
      seq: existing.lastSeq + i + 1,
      number,
      name: item.name?.trim() || null,
      note: item.note?.trim() || null,
    };
    if (!canCallBack(number)) {
      problems.push(`${placeOf(i)}: "${item.number}" is not a phone number`);
      return { ...base, state: 'skipped', reason: null };
    }
    const refused = checks.refusal(number);
    const duplicate = seen.has(number);
    seen.add(number);
    if (duplicate) return { ...base, state: 'skipped', reason: 'the number is in this campaign already' };
    if (refused) return { ...base, state: 'skipped', reason: `may not be called: ${refused}` };
    return { ...base, state: 'pending', reason: null };
  });
  return problems.length > 0 ? { problems } : { contacts };
}

export type StatusChange =
  | { status: CampaignStatus }
  | {
      refused: { code: 'CAMPAIGN_STOPPED' | 'CAMPAIGN_NOT_PAUSED' | 'CAMPAIGN_NOT_RUNNING'; reason: string };
    };

/** Pause (book no more calls; those booked carry on), resume, or stop for good (what is not called is cancelled). */
export function changeStatus(status: CampaignStatus, action: CampaignAction): StatusChange {
  if (status === 'stopped')
    return { refused: { code: 'CAMPAIGN_STOPPED', reason: `the campaign is stopped: it cannot ${action}` } };
  if (action === 'stop') return { status: 'stopped' };
  if (action === 'pause') {
    if (status !== 'running')
      return { refused: { code: 'CAMPAIGN_NOT_RUNNING', reason: 'the campaign is paused already' } };
    return { status: 'paused' };
  }
  if (status !== 'paused')
    return { refused: { code: 'CAMPAIGN_NOT_PAUSED', reason: 'the campaign is running already' } };
  return { status: 'running' };
}

/**
 * A booked contact's outcome once its callback request closed: `reason` and `detail` as the request was
 * closed (the router's callbackClosed, or its note on record, "not_allowed: on the do-not-call list").
 */
export function contactOutcome(
  reason: CallbackClosedReason,
  detail?: string,
): { state: 'reached' | 'not_reached' | 'skipped' | 'cancelled'; reason: string | null } {
  switch (reason) {
    case 'completed':
      return { state: 'reached', reason: null };
    case 'max_attempts':
      return {
        state: 'not_reached',
        reason:
          'not reached (no answer, busy, failed or an answering machine) in the attempts the queue allows',
      };
    case 'message_left':
      return {
        state: 'not_reached',
        reason: "an answering machine answered: the campaign's message was left",
      };
    case 'not_allowed':
      return { state: 'skipped', reason: `may not be called: ${detail || 'barred when its turn came'}` };
    case 'cancelled':
      return { state: 'cancelled', reason: detail ? `cancelled: ${detail}` : 'cancelled' };
  }
}

/** The reason word of a callback request's closing note on record ("not_allowed: …" → not_allowed). */
export function closedReasonOf(note: string): { reason: CallbackClosedReason; detail?: string } | undefined {
  const [word, ...rest] = note.split(':');
  const reasons: readonly string[] = [
    'completed',
    'max_attempts',
    'cancelled',
    'not_allowed',
    'message_left',
  ] satisfies CallbackClosedReason[];
  if (!word || !reasons.includes(word)) return undefined;
  const detail = rest.join(':').trim();
  return { reason: word as CallbackClosedReason, ...(detail ? { detail } : {}) };
}

/**
 * Progressive pacing: one call per agent free now, less the work already in the queue's line to take
 * them and the calls being booked. Never more calls than agents, so no customer answers to silence.
 */
export function callsToPlace(spare: { free: number; waiting: number }, booking: number): number {
  return Math.max(0, spare.free - spare.waiting - booking);
}

export type ContactCounts = Record<ContactState, number>;

export function noContacts(): ContactCounts {
  return { pending: 0, booked: 0, reached: 0, not_reached: 0, skipped: 0, cancelled: 0 };
}

/** Every contact called (or accounted for): nothing pending, nothing in line. */
export function isFinished(counts: ContactCounts): boolean {
  return counts.pending === 0 && counts.booked === 0;
}

/** A step on a campaign request's record, as the day figures read it (acd.callback, acd.answering-machine). */
export interface CampaignStepOnRecord {
  at: number;
  type: string;
  step: string | null;
  reason: string | null;
  verdict: string | null;
  outcome: string | null;
}

/** What a campaign's calls came to on one of the contact center's days. */
export interface CampaignDay {
  /** YYYY-MM-DD on the contact center's clock. */
  date: string;
  /** Customers dialled (each attempt). */
  attempts: number;
  /** Answered and put through to the agent. */
  connected: number;
  noAnswer: number;
  busy: number;
  /** Not dialled through: the carrier refused, the agent left before the customer answered. */
  failed: number;
  /** Answering-machine detection's verdicts, and the messages left on machines. */
  people: number;
  machines: number;
  unsure: number;
  messagesLeft: number;
  /** Conversations begun that day, and their talk time. */
  conversations: number;
  talkSeconds: number;
}

const newDay = (date: string): CampaignDay => ({
  date,
  attempts: 0,
  connected: 0,
  noAnswer: 0,
  busy: 0,
  failed: 0,
  people: 0,
  machines: 0,
  unsure: 0,
  messagesLeft: 0,
  conversations: 0,
  talkSeconds: 0,
});

/**
 * A campaign's calls day by day, from its requests' steps (an attempt's start is its `dialing` step without a
 * result; its result the same step with one, "busy", "no_answer", "failed: …") and its conversations; each
 * counted on the day it happened (`dayOf`). Days with nothing are left out; the oldest first.
 */
export function campaignDays(
  steps: readonly CampaignStepOnRecord[],
  conversations: readonly { at: number; talkSeconds: number | null }[],
  dayOf: (at: number) => string,
): CampaignDay[] {
  const days = new Map<string, CampaignDay>();
  const on = (at: number) => {
    const date = dayOf(at);
    const day = days.get(date) ?? newDay(date);
    days.set(date, day);
    return day;
  };
  for (const s of steps) {
    if (s.type === 'acd.callback' && s.step === 'dialing') {
      const word = s.reason?.split(':')[0];
      if (word === undefined) on(s.at).attempts++;
      else if (word === 'no_answer') on(s.at).noAnswer++;
      else if (word === 'busy') on(s.at).busy++;
      else if (word === 'failed') on(s.at).failed++;
      // machine and message_left: counted from the detection's own steps below
    } else if (s.type === 'acd.callback' && s.step === 'connected') on(s.at).connected++;
    else if (s.type === 'acd.answering-machine' && s.step === 'detected') {
      if (s.verdict === 'human') on(s.at).people++;
      else if (s.verdict === 'machine') on(s.at).machines++;
      else if (s.verdict === 'unsure') on(s.at).unsure++;
    } else if (s.type === 'acd.answering-machine' && s.step === 'message' && s.outcome === 'played')
      on(s.at).messagesLeft++;
  }
  for (const c of conversations) {
    const day = on(c.at);
    day.conversations++;
    day.talkSeconds += Math.round(c.talkSeconds ?? 0);
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}
