// When a callback is booked for, as both pages' forms offer and show it (no DOM here).

const MINUTE = 60_000;

/** A Date as a datetime-local input's value (the browser's local time, to the minute). */
export function localInputValue(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The form's first offer: this time tomorrow, on the next quarter hour. */
export function tomorrowThisTime(now = Date.now()) {
  const at = new Date(now + 24 * 60 * MINUTE);
  at.setMinutes(Math.ceil(at.getMinutes() / 15) * 15, 0, 0);
  return at;
}

/** The earliest a form lets one be booked for: a minute from now. */
export const earliestBooking = (now = Date.now()) => new Date(now + MINUTE);

/** "Sun 6 Dec, 10:00" in the reader's own locale (dateStyle cannot be mixed with weekday). */
export const callbackWhen = (iso) =>
  new Date(iso).toLocaleString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

/**
 * Where an open callback request stands, as `GET /api/callbacks` gives it: "booked for Mon 7 Dec, 10:00",
 * "next try …", "from … (callback hours)" when due outside them, "due now", or "being called now".
 */
export function callbackDueText(request) {
  const step = request.callback;
  if (request.state !== 'waiting') return 'being called now';
  if (step.callableFrom) return `from ${callbackWhen(step.callableFrom)} (callback hours)`;
  if (step.notBefore)
    return `${step.attempts === 0 ? 'booked for' : 'next try'} ${callbackWhen(step.notBefore)}`;
  return 'due now';
}

/**
 * What the call in the agent's screen pop carries out, when it is a callback (the screen pop's `request`):
 * "Campaign call (Renewals): account 1234, renewal due", "Callback: they gave up waiting after 0:42",
 * "Callback booked by a supervisor: wants the invoice"; '' for none.
 */
export function callbackRequestText(request) {
  if (!request) return '';
  const by = request.by;
  if (by?.campaign) {
    // The campaign's own name starts its note ("Renewals: account 1234"): said once.
    const prefix = `${by.campaign.name}: `;
    const note = request.note?.startsWith(prefix) ? request.note.slice(prefix.length) : '';
    return `Campaign call (${by.campaign.name})${note ? `: ${note}` : ''}`;
  }
  const about = request.note ? `: ${request.note}` : '';
  if (by?.abandoned) {
    const s = Math.round(by.abandoned.waitedSeconds);
    return `Callback: they gave up waiting after ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}${about}`;
  }
  if (by?.agentId) return `Callback booked by ${by.agentId}${about}`;
  if (by && 'supervisor' in by) return `Callback booked by ${by.supervisor?.name ?? 'a supervisor'}${about}`;
  return `Callback${about}`;
}
