// The words of the softphone's "My calls today" list: one line a call of the agent's, from its record.

/** @param {number | null} seconds as m:ss (h:mm:ss past the hour) */
export function talkTime(seconds) {
  if (seconds === null || seconds === undefined) return '';
  const s = Math.round(seconds);
  const pad = (n) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

const DIRECTION = { inbound: 'In', outbound: 'Out', callback: 'Callback' };

/**
 * Why one of the agent's calls ended, as the call panel said it then (the list holds the calls they took
 * last, so an agent's hang-up is theirs).
 * @param {{ state: string, direction: string, disposition: string | null, endedBy: string | null,
 *   lineLost?: boolean }} call
 */
export function myCallEnd(call) {
  if (call.state === 'open') return 'On now';
  const out = call.direction !== 'inbound';
  switch (call.disposition) {
    case 'handled':
      if (call.lineLost) return out ? 'Line lost' : "Caller's line lost";
      if (call.endedBy === 'caller') return out ? 'They hung up' : 'Caller hung up';
      if (call.endedBy === 'agent') return 'You hung up';
      return 'Ended';
    case 'no-answer':
      return 'No answer';
    case 'lost':
      return 'Cut off';
    case 'failed':
      return 'Failed';
    default:
      return call.disposition ?? 'Ended';
  }
}

/**
 * One call as the list shows it: who (name and number), and the rest on one line ("In · 3:12 · Caller
 * hung up · Follow up"); `number` is what Call back dials ('' when there is none). A call the agent took
 * part in but another agent had last (it rang them too, they passed it on) says who had it, not that
 * agent's talk time or wrap-up; one nobody took was missed.
 * @param {{ state: string, direction: string, disposition: string | null, endedBy: string | null,
 *   lineLost?: boolean, callerNumber: string | null, callerName: string | null, dialedNumber: string | null,
 *   talkSeconds: number | null, wrapUpCode: string | null, agentId: string | null }} call
 * @param {{ me?: string, codeLabels?: Record<string, string>, agentName?: (id: string) => string }} [o]
 */
export function myCallLine(call, o = {}) {
  const codeLabels = o.codeLabels ?? {};
  // The customer's number in the numbering plan's form (on a call out too: who was called), else as dialled.
  const number = call.callerNumber ?? call.dialedNumber ?? '';
  const name = call.callerName ?? '';
  const who = name && number ? `${name} (${number})` : name || number || 'Unknown caller';
  const direction = DIRECTION[call.direction] ?? call.direction;
  if (o.me !== undefined && call.agentId !== o.me) {
    const other = call.agentId ? `last with ${o.agentName?.(call.agentId) ?? call.agentId}` : 'Missed';
    const gaveUp = !call.agentId && call.disposition === 'abandoned' ? 'Caller hung up before answer' : '';
    const open = call.state === 'open' ? 'On now' : '';
    return { who, what: [direction, other, gaveUp, open].filter((part) => part).join(' · '), number };
  }
  const talk = talkTime(call.talkSeconds);
  const code = call.wrapUpCode ? (codeLabels[call.wrapUpCode] ?? call.wrapUpCode) : '';
  const what = [direction, talk, myCallEnd(call), code].filter((part) => part).join(' · ');
  return { who, what, number };
}
