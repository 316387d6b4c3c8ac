// Outbound campaigns in words, for the wallboard's Campaigns section. Pure: no DOM, no requests.
import { clock, DAYS, MONTHS } from './format.js';

/** A campaign's status: running, paused, stopped, or done once every contact is accounted for. */
export function campaignStatusText(campaign) {
  if (campaign.status === 'stopped') return 'Stopped';
  if (campaign.finished) return 'Done';
  return campaign.status === 'paused' ? 'Paused' : 'Running';
}

/** "5 of 12 called · 1 in line · 6 to go": how far the list has come. */
export function campaignProgressText(campaign) {
  const c = campaign.counts;
  const total = c.pending + c.booked + c.reached + c.not_reached + c.skipped + c.cancelled;
  const called = c.reached + c.not_reached;
  const parts = [`${called} of ${total} called`];
  if (c.booked > 0) parts.push(`${c.booked} in line`);
  if (c.pending > 0) parts.push(`${c.pending} to go`);
  return parts.join(' · ');
}

const STATE_TEXT = {
  pending: 'to call',
  booked: 'in line',
  reached: 'reached',
  not_reached: 'not reached',
  skipped: 'skipped',
  cancelled: 'cancelled',
};

/** One contact: "3. Bob Best +15550200: reached by Anna (sale)", "… skipped: may not be called: …". */
export function contactText(contact, agentName) {
  const who = contact.name ? `${contact.name} ${contact.number}` : contact.number;
  const by = contact.conversation?.agentId ? ` by ${agentName(contact.conversation.agentId)}` : '';
  const code = contact.conversation?.wrapUpCode ? ` (${contact.conversation.wrapUpCode})` : '';
  const why = contact.reason ? `: ${contact.reason}` : '';
  return `${contact.seq}. ${who}: ${STATE_TEXT[contact.state] ?? contact.state}${by}${code}${why}`;
}

/**
 * What the calls came to: "2 conversations, 0:06 of talk (0:03 each) · outcomes: sale 1, none given 1 ·
 * agents: Anna 2", or "No conversation yet".
 */
export function campaignFiguresText(figures, agentName) {
  const n = figures.conversations;
  const heard = answersHeardText(figures.answers);
  if (n === 0) return `No conversation yet${heard}`;
  const talk = `${clock(figures.talkSeconds)} of talk (${clock(figures.talkSeconds / n)} each)`;
  const outcomes = figures.byWrapUpCode.map((s) => `${s.code ?? 'none given'} ${s.conversations}`).join(', ');
  const agents = figures.byAgent
    .map((s) => `${s.agentId ? agentName(s.agentId) : 'no agent'} ${s.conversations}`)
    .join(', ');
  return `${n} conversation${n === 1 ? '' : 's'}, ${talk} · outcomes: ${outcomes} · agents: ${agents}${heard}`;
}

/**
 * One day of a campaign's calls as the wallboard's table cells (its first the day itself): ["Mon 7 Dec", 12,
 * 5, 4, 1, 0, "2 (1 message)", 5, "12:30"].
 */
export function campaignDayCells(day) {
  const [y, m, d] = day.date.split('-').map(Number);
  const date = new Date(y, m - 1, d);
  const machines =
    day.messagesLeft > 0
      ? `${day.machines} (${day.messagesLeft} message${day.messagesLeft === 1 ? '' : 's'})`
      : String(day.machines);
  return [
    `${DAYS[date.getDay()]} ${d} ${MONTHS[m - 1]}`,
    day.attempts,
    day.connected,
    day.noAnswer,
    day.busy,
    day.failed,
    machines,
    day.conversations,
    clock(day.talkSeconds),
  ];
}

/** " · answers heard: 1 person, 2 machines (1 message left), 1 unsure", or nothing when none was listened to. */
function answersHeardText(answers) {
  if (!answers || answers.people + answers.machines + answers.unsure === 0) return '';
  const count = (k, one, many) => `${k} ${k === 1 ? one : many}`;
  const left =
    answers.messagesLeft > 0 ? ` (${count(answers.messagesLeft, 'message', 'messages')} left)` : '';
  return ` · answers heard: ${count(answers.people, 'person', 'people')}, ${count(answers.machines, 'machine', 'machines')}${left}, ${answers.unsure} unsure`;
}

/**
 * A refusal of a typed list names its lines as typed: the service's "contacts.1.number" or
 * "body/contacts/1/name" (the list's places, from 0) becomes "line 2's number", "line 2's name", by
 * `places` (each contact's line in the box; blank lines are not sent, so they differ).
 */
export function contactRefusalText(message, places) {
  return message.replace(
    /(?:body\/)?contacts[./](\d+)(?:[./](\w+))?/g,
    (_, n, field) => `line ${places[Number(n)] ?? Number(n) + 1}${field ? `'s ${field}` : ''}`,
  );
}

/** The contacts list's count line: "3 contacts", "100 of 20,000 shown", "None". */
export function contactsShownText(shown, total) {
  if (total === 0) return 'None';
  const n = (x) => x.toLocaleString('en-US');
  if (shown >= total) return `${n(total)} contact${total === 1 ? '' : 's'}`;
  return `${n(shown)} of ${n(total)} shown`;
}

/** A campaign id from its name: lower case, words joined by dashes (the API's id form). */
export function campaignIdOf(name) {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'campaign'
  );
}

/** What a campaign does about answering machines, in words ("A message left on answering machines: vm-goodbye"). */
export function answeringMachineText(setting) {
  if (setting?.action === 'hang_up') return 'Answering machines hung up on (tried again as no answer)';
  if (setting?.action === 'leave_message')
    return `A message left on answering machines: ${(setting.message ?? []).join(', ')}`;
  return 'Every answer put through (no answering-machine detection)';
}

/**
 * The answering-machine setting a form's choice and message box make: the sound names typed (parted by
 * spaces or commas) for leave_message; a string when the message is missing.
 * @returns {{ action: string, message?: string[] } | string}
 */
export function answeringMachineOf(action, messageText) {
  const message = messageText.split(/[\s,]+/).filter((s) => s !== '');
  if (action !== 'leave_message') return { action };
  if (message.length === 0)
    return 'Name the message to leave: the sounds to play, e.g. custom/renewal-reminder.';
  return { action, message };
}
