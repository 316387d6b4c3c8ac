// Pure helpers of the wallboard's call history: how a call's outcome, its people and each entry of its
// timeline read to a supervisor. No DOM here (unit-tested in test/unit/web/).

import { languageText } from '../common/caller-data-text.js';
import { machineTimelineText } from '../common/machine-text.js';
import { clock, dateTimeLabel, flagReasonText } from './format.js';

/** How each disposition (the interaction's `disposition`) reads in the list; the API's filter takes the keys. */
export const OUTCOME_LABELS = {
  handled: 'Handled',
  abandoned: 'Abandoned',
  'caller-hangup': 'Caller hung up',
  completed: 'Completed',
  'callback-requested': 'Callback requested',
  'no-answer': 'No answer',
  voicemail: 'Voicemail',
  rejected: 'Turned away',
  failed: 'Failed',
  lost: 'Lost',
};

export const DIRECTION_LABELS = {
  inbound: 'Inbound',
  outbound: 'Outbound',
  callback: 'Callback',
  voicemail: 'Voicemail',
};

/**
 * The outcome of a call as the list shows it: in progress while open, else its disposition in words.
 * @param {{ state: string, disposition: string | null }} interaction
 */
export function outcomeLabel(interaction) {
  if (interaction.state === 'open') return interaction.direction === 'voicemail' ? 'Waiting' : 'In progress';
  const d = interaction.disposition ?? '';
  return OUTCOME_LABELS[d] ?? (d || '–');
}

/**
 * Who called (or was called): the name the carrier sent beside the number; "Withheld" without a number.
 * @param {{ callerName: string | null, callerNumber: string | null }} interaction
 */
export function callerLabel(interaction) {
  const number = interaction.callerNumber ?? '';
  const name = interaction.callerName ?? '';
  if (!number) return name || 'Withheld';
  return name && name !== number ? `${name} (${number})` : number;
}

/** An entry's time as an offset from the call's start (+m:ss), which is how a supervisor follows a call. */
export function offsetLabel(startedAt, at) {
  const ms = Date.parse(at) - Date.parse(startedAt);
  return `+${clock(Number.isFinite(ms) ? ms / 1000 : 0)}`;
}

const WHO_ENDED = { caller: 'The caller', agent: 'The agent', system: 'The service', asterisk: 'Asterisk' };
const ENDED_BY = { caller: 'Caller', agent: 'Agent', system: 'Service', asterisk: 'Asterisk' };

/** Who ended the call, as the call's figures say it. */
export const endedByLabel = (by) => (by ? (ENDED_BY[by] ?? by) : '–');

const seconds = (value) => (typeof value === 'number' ? clock(value) : '–');

/** What a transfer, conference or monitor phone was: an agent (by name), a queue (by name) or a number. */
function target(t, names) {
  if (!t) return 'someone';
  if (t.type === 'agent') return names.agent(t.id);
  if (t.type === 'queue') return `the ${names.queue(t.id)} queue`;
  return t.id;
}

/** Why a queue that calls back callers who give up did not call this one back. */
const NO_CALLBACK = {
  no_number: 'the number is withheld',
  not_allowed: 'the number may not be called',
  callback_open: 'a callback is open for the number already',
};

const withReason = (text, reason) => (reason ? `${text}: ${reason}` : text);

/**
 * Who booked or cancelled a callback: an agent by name, or a supervisor (by name if signed in as one); or the
 * queue, for a caller who gave up waiting; or an outbound campaign.
 */
/** A member of the call's bridge, as call.audio-restored names them. */
function memberLabel(m, names) {
  if (m.who === 'customer') return 'the customer';
  if (m.who === 'agent') return names.agent(m.id);
  if (m.who === 'party') return m.id;
  if (m.who === 'supervisor') return m.id ? `supervisor ${m.id}` : 'the supervisor';
  return `channel ${m.channelId}`;
}

/** Asterisk stopped sending audio to members once a third party joined; the service put them back. */
function audioRestoredText(p, names) {
  const list = (members) => {
    const labels = members.map((m) => memberLabel(m, names));
    return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}` : labels[0];
  };
  const when = p.during === 'barge' ? 'a supervisor barged in' : 'a party joined';
  const parts = [];
  if (p.restored.length > 0)
    parts.push(`Audio stopped reaching ${list(p.restored)} once ${when}: put back in the call, heard again`);
  if (p.stillSilent.length > 0)
    parts.push(
      `${p.restored.length > 0 ? 'still' : `Once ${when}, still`} no audio reaching ${list(p.stillSilent)}`,
    );
  return parts.join('; ');
}

function requesterLabel(by, names) {
  if (!by) return '';
  if (by.agentId) return names.agent(by.agentId);
  if (by.abandoned) return `the queue (the caller gave up after ${seconds(by.abandoned.waitedSeconds)})`;
  if (by.campaign) return `campaign ${by.campaign.name}`;
  return by.supervisor ? `supervisor ${by.supervisor.name}` : 'a supervisor';
}

/** A callback's step; one booked for later says when, for whom, by whom and what about. */
function callbackText(p, names) {
  const by = requesterLabel(p.by, names);
  if (p.step === 'requested' && typeof p.scheduledFor === 'number') {
    const kept = p.reservedFor
      ? `, kept for ${names.agent(p.reservedFor.agentId)} until ${dateTimeLabel(p.reservedFor.until)}`
      : '';
    const about = p.note ? `: “${p.note}”` : '';
    return `Callback booked${by ? ` by ${by}` : ''} for ${dateTimeLabel(p.scheduledFor)} to ${p.callerNumber ?? 'the caller'}${kept}${about}`;
  }
  const step = `Callback ${p.step}${p.attempt ? ` (attempt ${p.attempt})` : ''}${p.agentId ? `, ${names.agent(p.agentId)}` : ''}`;
  return withReason(p.step === 'closed' && by ? `${step} by ${by}` : step, p.reason);
}

const HELP_ENDED = {
  withdrawn: 'withdrawn',
  resolved: 'seen to',
  logged_out: 'ended: the agent logged out',
  service_restarted: 'ended: the service restarted',
};

/** A request for help on the call's timeline, in words. */
function helpText(p, agent) {
  const supervisor = p.supervisor ? p.supervisor.name : 'a supervisor';
  if (p.step === 'asked') return `${agent} asked for a supervisor's help${p.note ? `: "${p.note}"` : ''}`;
  if (p.step === 'taken') return `${supervisor} took on ${agent}'s request for help`;
  const how = HELP_ENDED[p.reason] ?? `ended (${p.reason})`;
  return `${agent}'s request for help ${how}${p.reason === 'resolved' ? ` by ${supervisor}` : ''}`;
}

/** How long before `at` an earlier instant was, in words ("3 days", "2 h", "5 min"). */
/**
 * What a queue's widening lets in, in a few words ("penalty up to 5, skills lowered by 1, spanish not
 * needed"), from an acd.widened payload, an offer's `why.widening` or a line place's `widening`.
 * @param {{ maxPenalty?: number, lowerSkillsBy?: number, dropSkills?: string[] }} w
 */
export function wideningText(w) {
  return [
    w.maxPenalty != null ? `penalty up to ${w.maxPenalty}` : '',
    w.lowerSkillsBy != null ? `skills lowered by ${w.lowerSkillsBy}` : '',
    w.dropSkills?.length ? `${w.dropSkills.join(', ')} not needed` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

function agoLabel(at, earlier) {
  const ms = Date.parse(at) - Date.parse(earlier);
  if (!Number.isFinite(ms)) return 'earlier';
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min earlier`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h earlier`;
  return `${Math.round(hours / 24)} days earlier`;
}

/** An agent's flag on the caller, and a supervisor's decision on it, in words. */
function flagText(p, agent) {
  if (p.step === 'raised')
    return `${agent} flagged the caller for blocking: ${flagReasonText(p.reason)}${p.note ? ` ("${p.note}")` : ''}`;
  const by = p.supervisor ? ` by ${p.supervisor.name}` : '';
  return p.step === 'blocked'
    ? `The number was blocked${by} (${agent}'s flag)`
    : `${agent}'s flag was dismissed${by}`;
}

/**
 * One timeline entry in words, and for an offer the candidates the router weighed ("why did this agent get
 * this call?"). Types this page does not know (a newer service) read as their type and fields.
 * @param {{ type: string, at?: string, payload: Record<string, any> }} entry
 * @param {{ agent: (id: string) => string, queue: (id: string) => string }} names
 * @returns {{ text: string, why?: string[] }}
 */
export function describeEntry(entry, names) {
  const p = entry.payload ?? {};
  const agent = () => names.agent(p.agentId);
  const queue = () => names.queue(p.queueId);
  switch (entry.type) {
    case 'interaction.opened':
      if (p.direction === 'inbound')
        return {
          text: `Call from ${callerLabel({ callerName: p.callerName ?? null, callerNumber: p.callerNumber ?? null })}${p.dialedNumber ? ` to ${p.dialedNumber}` : ''}`,
        };
      return { text: `${DIRECTION_LABELS[p.direction] ?? p.direction} started` };
    case 'call.answered':
      return { text: 'Answered' };
    case 'call.language':
      return { text: `Caller's language: ${languageText(p.language)}, from the number dialled` };
    case 'ivr.prompt.started':
      return { text: `Played ${(p.media ?? []).join(', ')}` };
    case 'ivr.prompt.finished':
      return { text: `Prompt ${p.outcome === 'done' ? 'finished' : p.outcome}` };
    case 'call.hangup':
      if (p.lineLost)
        return { text: "The caller's line went silent: Asterisk hung up after the trunk's media timeout" };
      return {
        text: `${WHO_ENDED[p.by] ?? p.by} hung up${p.causeText ? ` (${p.causeText})` : ''}`,
      };
    case 'interaction.closed':
      return {
        text: `Ended: ${OUTCOME_LABELS[p.disposition] ?? p.disposition}, after ${seconds(p.durationSeconds)}`,
      };
    case 'call.refused':
      return { text: withReason('Turned away (overloaded)', p.reason) };
    case 'call.blocked':
      return {
        text: `Turned away: the number is blocked${p.blockedBy ? ` by ${p.blockedBy.name}` : ''} ("${p.reason}")`,
      };
    case 'call.unserved':
      return { text: withReason('Turned away by Asterisk while the service was down', p.reason) };
    case 'interaction.lost':
      return { text: withReason('Lost', p.reason) };
    case 'acd.enqueued':
      return {
        text: `Entered ${queue()} at position ${p.position}, priority ${p.priority}${p.front ? ', at the front' : ''}`,
      };
    case 'call.adopted':
      return { text: withReason('Carried on after a restart of the service', p.reason) };
    case 'acd.offered': {
      const considered = Array.isArray(p.why?.considered) ? p.why.considered : [];
      const last = p.why?.lastAgent;
      const strategy = String(p.why?.strategy ?? '').replace(/_/g, '-');
      const direct = p.why?.reservedFor && String(p.why.rule ?? '').startsWith('direct_line:');
      return {
        text: last
          ? `Offered to ${names.agent(last.agentId)}, who last talked with this caller (${agoLabel(entry.at, last.servedAt)}), ahead of the ${strategy} strategy`
          : direct
            ? `Offered to ${names.agent(p.why.reservedFor.agentId)}, whose direct line the caller dialled, ahead of the ${strategy} strategy`
            : `Offered to ${(p.agentIds ?? []).map(names.agent).join(', ')} (${p.why?.rule || p.why?.strategy || 'no rule'})${p.why?.widening?.afterSeconds ? `, the queue widened after ${seconds(p.why.widening.afterSeconds)}: ${wideningText(p.why.widening)}` : ''}`,
        why: considered.map((c) => {
          if (!c.eligible)
            return `${names.agent(c.agentId)}: passed over, ${c.excludedBecause ?? String(c.state ?? '').replace(/_/g, ' ')}`;
          return `${names.agent(c.agentId)}: eligible${c.rule ? `, ${c.rule}` : ''}`;
        }),
      };
    }
    case 'acd.offer.cancelled':
      return { text: withReason(`Offer to ${agent()} withdrawn`, p.reason) };
    case 'acd.connected':
      return { text: `Connected to ${agent()} after ${seconds(p.waitSeconds)} in ${queue()}` };
    case 'acd.agent.announced':
      return {
        text:
          p.outcome === 'played'
            ? `${agent()} heard the ${queue()} announcement${p.waitSeconds != null ? ` (the caller's wait, ${seconds(p.waitSeconds)})` : ''} before being put through`
            : `${agent()} was put through without the ${queue()} announcement (it could not be played)`,
      };
    case 'acd.last_agent.awaited':
      return {
        text: `Kept for ${agent()}, who last talked with this caller (${agoLabel(entry.at, p.servedAt)}) and was busy, for up to ${seconds(Math.max(0, (Date.parse(p.until) - Date.parse(entry.at)) / 1000))} while others were free`,
      };
    case 'acd.widened':
      return {
        text: `After ${seconds(p.afterSeconds)} in ${queue()}, more agents may take the call: ${wideningText(p)}`,
      };
    case 'acd.rona':
      return { text: `${agent()} did not answer in ${p.ringSeconds} s (set not ready: missed)` };
    case 'acd.agent.lost':
      return {
        text: withReason(`${agent()}'s phone was lost; the caller went back to ${queue()}`, p.reason),
      };
    case 'acd.agent.unreachable':
      return { text: withReason(`${agent()}'s phone could not be rung`, p.reason) };
    case 'acd.requeued':
      return { text: withReason(`Back in ${queue()} at position ${p.position}`, p.reason) };
    case 'acd.abandoned':
      return {
        text: `Hung up after waiting ${seconds(p.waitSeconds)} in ${queue()}${p.wasRinging ? ', while an agent was rung' : ''}${
          p.noCallback ? `; not called back: ${NO_CALLBACK[p.noCallback] ?? p.noCallback}` : ''
        }`,
      };
    case 'acd.overflowed': {
      const to = p.target ?? {};
      const where = to.queueId
        ? `the ${names.queue(to.queueId)} queue`
        : ({ voicemail: 'voicemail', callback: 'a callback', hangup: 'a hang-up' }[to.type] ?? 'elsewhere');
      if (p.reason === 'moved')
        return {
          text: `Moved from ${names.queue(p.fromQueueId)} to ${where} by ${p.supervisor?.name ?? 'a supervisor'}`,
        };
      return { text: withReason(`Left ${names.queue(p.fromQueueId)} for ${where}`, p.reason) };
    }
    case 'acd.served_first':
      return { text: `Put first in line for ${queue()} by ${p.supervisor?.name ?? 'a supervisor'}` };
    case 'acd.announced': {
      const heard = [
        ...(p.positionSaid !== false ? [`position ${p.position}`] : []),
        ...((p.waitSaid ?? p.estimatedWaitSeconds != null)
          ? [`about ${seconds(p.estimatedWaitSeconds)} to wait`]
          : []),
        ...(Array.isArray(p.sounds) ? [`the queue's message (${p.sounds.join(', ')})`] : []),
      ];
      return { text: `Heard ${heard.join(', ')}` };
    }
    case 'acd.callback':
      return { text: callbackText(p, names) };
    case 'acd.answering-machine':
      return { text: machineTimelineText(p) };
    case 'acd.callback.unavailable':
      return {
        text: `No callback possible (${p.reason === 'no_number' ? 'number withheld' : 'number not allowed'})`,
      };
    case 'acd.wrapup.ended':
      return { text: `${agent()} finished wrap-up after ${seconds(p.wrapSeconds)}` };
    case 'recording.started':
      return { text: 'Recording started' };
    case 'recording.paused':
      return { text: `Recording paused by ${agent()}` };
    case 'recording.resumed':
      return {
        text: `Recording resumed${p.reason === 'handed_over' ? ' as the call was handed on' : ` by ${agent()}`} after ${seconds(p.pausedSeconds)}`,
      };
    case 'interaction.erased':
      if (p.retentionDays != null)
        return { text: `The caller's personal data was erased after ${p.retentionDays} days (retention)` };
      return {
        text: withReason(
          `The customer's personal data was erased at their request${p.supervisor?.name ? ` by ${p.supervisor.name}` : ''}`,
          p.reason,
        ),
      };
    case 'recording.deleted':
      return {
        text:
          p.reason === 'erasure'
            ? "Recording deleted with the customer's data (erased at their request)"
            : `Recording deleted after ${p.retentionDays} days (retention)`,
      };
    case 'call.error':
      return { text: `Error in ${p.operation}: ${p.message} (${p.code})` };
    case 'ivr.started':
      return { text: `IVR flow ${p.flowId}` };
    case 'ivr.step':
      if (p.kind === 'language' && p.outcome === 'set')
        return {
          text: `IVR ${p.stepId}: the caller hears ${languageText(p.detail?.language)} from here${p.next ? ` → ${p.next}` : ''}`,
        };
      return { text: `IVR ${p.stepId} (${p.kind}): ${p.outcome}${p.next ? ` → ${p.next}` : ''}` };
    case 'ivr.end':
      return { text: `IVR ended: ${p.action?.type ?? 'done'}` };
    case 'ivr.recording.started':
      return { text: 'Leaving a message' };
    case 'voicemail.recorded':
      return { text: `Message left (${seconds((p.durationMs ?? 0) / 1000)})` };
    case 'voicemail.worked':
      return { text: `Message worked${p.agentId ? ` by ${agent()}` : ''}: ${p.code}` };
    case 'survey.result':
      return { text: p.score === null ? 'Survey: no answer' : `Survey: scored ${p.score} of 5` };
    case 'ivr.transfer':
      return { text: withReason(`Transfer to ${p.number}: ${p.step}`, p.reason) };
    case 'agent.after-call':
      return {
        text: `${agent()} chose ${p.after?.type === 'not_ready' ? `not ready (${p.after.reason})` : 'ready'} after the call`,
      };
    case 'call.held':
      return { text: `${agent()} put the caller on hold` };
    case 'call.resumed':
      if (p.endedOnHold) return { text: `Ended on hold after ${seconds(p.heldSeconds)}` };
      if (p.handedOver) return { text: `${agent()} handed the call on from hold` };
      return { text: `${agent()} took the caller off hold after ${seconds(p.heldSeconds)}` };
    case 'call.transferred':
      return {
        text: withReason(
          `${agent()}: ${p.kind === 'consult' ? 'consulted' : 'blind'} transfer to ${target(p.target, names)}, ${p.step}${
            p.note ? ` (note: “${p.note}”)` : ''
          }`,
          p.reason,
        ),
      };
    case 'call.outbound':
      return { text: withReason(`${agent()} called ${p.number}: ${p.step}`, p.reason) };
    case 'call.conference':
      return {
        text: withReason(`${agent()}: conference with ${target(p.party, names)}, ${p.step}`, p.reason),
      };
    case 'call.audio-restored':
      return { text: audioRestoredText(p, names) };
    case 'call.rejoined':
      return { text: withReason(`${agent()} rejoining after a page reload: ${p.step}`, p.reason) };
    case 'supervisor.monitor':
      return {
        text: withReason(
          `Supervisor${p.supervisor ? ` ${p.supervisor.name}` : ''} ${p.mode} on ${agent()}'s call (phone ${target(p.phone, names)}): ${p.step}`,
          p.reason,
        ),
      };
    case 'agent.help':
      return { text: helpText(p, agent()) };
    case 'caller.flag':
      return { text: flagText(p, agent()) };
    case 'customer.do_not_call':
      return {
        text:
          p.step === 'removed'
            ? `Taken off the do-not-call list${p.supervisor ? ` by ${p.supervisor.name}` : ''} (the customer asked to be called again)`
            : `${p.agentId ? agent() : p.supervisor ? p.supervisor.name : 'A supervisor'} noted the customer asked not to be called${p.note ? ` ("${p.note}")` : ''}`,
      };
    case 'wrapup.saved':
      return { text: `${agent()}'s wrap-up: ${p.code}${p.notes ? ` — ${p.notes}` : ''}` };
    default:
      return { text: `${entry.type} ${JSON.stringify(p)}` };
  }
}
