// What both pages show alike: the seat states in words, and the server's clock as the page sees it.

/** Seat states as people say them; a page shows the words, not only a colour. */
export const SEAT_LABELS = {
  logged_out: 'Logged out',
  available: 'Ready',
  not_ready: 'Not ready',
  offered: 'Ringing',
  talking: 'Talking',
  on_hold: 'On hold',
  wrap_up: 'Wrap-up',
};

/**
 * The reason line under a seat's state: the not-ready reason, or a not ready the agent asked for after the
 * call under way; empty otherwise. `label` turns a reason code into its words.
 * @param {{ type: string, reason: string, notReadyAfter: string }} seat
 * @param {(code: string) => string} label
 */
export function seatReasonText(seat, label) {
  if (seat.type === 'not_ready') return label(seat.reason);
  return seat.notReadyAfter ? `Not ready (${label(seat.notReadyAfter)}) after this call` : '';
}

/**
 * A not ready whose reason has a time limit (`maxMinutes`, a 15-minute break): when it is due to end and
 * how many seconds past that the agent is (0 within it). Undefined for any other seat or reason.
 * @param {{ type: string, reason: string }} seat
 * @param {number} since when the seat went not ready (epoch ms, the server's clock)
 * @param {{ code: string, maxMinutes?: number }[]} reasons
 * @param {number} now
 * @returns {{ maxMinutes: number, until: number, overSeconds: number } | undefined}
 */
export function notReadyLimit(seat, since, reasons, now) {
  if (seat.type !== 'not_ready') return undefined;
  const maxMinutes = reasons.find((r) => r.code === seat.reason)?.maxMinutes;
  if (!maxMinutes) return undefined;
  const until = since + maxMinutes * 60_000;
  return { maxMinutes, until, overSeconds: Math.max(0, Math.floor((now - until) / 1000)) };
}

/**
 * Who set a seat's new state for its agent, as an `agent.state` event says: the supervisor's name when they
 * signed in as themselves, "a supervisor" when on the supervisor token; empty for the agent's own change.
 * @param {{ by?: string, supervisor?: { name: string } }} data
 */
export function changedByName(data) {
  if (data.by !== 'supervisor') return '';
  return data.supervisor?.name || 'a supervisor';
}

/**
 * The server's clock as this page sees it: seat times come stamped by the server, and a PC clock a minute
 * off would show a 60 s wrap-up as over from the start, or every agent a minute longer in their state. Estimated from the live stream's events: an event
 * arrives a little after its stamp, so the largest (stamp − arrival) of the latest ones is the closest.
 */
export const serverClock = {
  samples: /** @type {number[]} */ ([]),
  offset: 0,
  observe(stampedAt) {
    if (!Number.isFinite(stampedAt)) return;
    this.samples = [...this.samples.slice(-19), stampedAt - Date.now()];
    this.offset = Math.max(...this.samples);
  },
  now() {
    return Date.now() + this.offset;
  },
};
