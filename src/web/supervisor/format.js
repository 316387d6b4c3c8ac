// Pure helpers of the wallboard: how figures are written, and how the API's several shapes of an agent's
// seat become one (unit-tested in test/unit/web/); and the one table-row builder its tables share.

import { DAYS, localDay, MONTHS } from '../common/calendar.js';
import { SEAT_LABELS } from '../common/seat-view.js';

/** Seat states as people say them (shared with the softphone page). */
export const STATE_LABELS = SEAT_LABELS;

/** @param {string} type */
export const stateLabel = (type) => STATE_LABELS[type] ?? type;

/**
 * Seconds as m:ss or h:mm:ss (negative and NaN show 0:00). Whole seconds of the value to a tenth: the reports
 * come rounded to tenths (a call's 5.96 s of talk is 6.0 in its agent's figures), and one call must read the
 * same in the call list and in the report.
 */
export function clock(seconds) {
  const s = Number.isFinite(seconds) ? Math.max(0, Math.floor(Math.round(seconds * 10) / 10)) : 0;
  const ss = String(s % 60).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}:${ss}`;
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${mm}:${ss}`;
}

/** A day as YYYY-MM-DD on this browser's calendar: the reports' and call history's default range. */
export { localDay };

/** Weekdays and months, as a date reads on the wallboard (shared with the softphone page). */
export { DAYS, MONTHS };

/** An instant (epoch ms) on this browser's clock, e.g. "Sun 6 Dec 10:00": when a callback is due. */
export function dateTimeLabel(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${DAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A table row: the first cell a row header, the rest data cells, each as text; `data` its data-* attributes.
 * (The one DOM helper here: it takes `document` from the page.)
 * @param {(string | number)[]} cells
 * @param {Record<string, string>} [data]
 */
export function tableRow(cells, data = {}) {
  const tr = document.createElement('tr');
  for (const [name, value] of Object.entries(data)) tr.dataset[name] = value;
  for (const [i, value] of cells.entries()) {
    const cell = document.createElement(i === 0 ? 'th' : 'td');
    if (i === 0) cell.setAttribute('scope', 'row');
    cell.textContent = String(value);
    tr.append(cell);
  }
  return tr;
}

/**
 * A select's options replaced (the wallboard's queues or agents changed); a choice made stays chosen while it
 * is still offered.
 * @param {HTMLSelectElement} select
 * @param {HTMLOptionElement[]} options
 */
export function setChoices(select, options) {
  const chosen = select.value;
  select.replaceChildren(...options);
  if (options.some((o) => o.value === chosen)) select.value = chosen;
}

/**
 * A quiet button: its label, its data attributes (what a list's click handler looks for), and a label for
 * screen readers when the visible one needs its row to make sense ("Show" → "Show the evaluations of …").
 * @param {string} label
 * @param {Record<string, string>} data
 * @param {string} [ariaLabel]
 */
export function quietButton(label, data, ariaLabel) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'btn btn-quiet';
  for (const [name, value] of Object.entries(data)) button.dataset[name] = value;
  button.textContent = label;
  if (ariaLabel) button.setAttribute('aria-label', ariaLabel);
  return button;
}

/** A duration that may be unknown (no call yet today): an en dash for null. */
export const duration = (seconds) => (seconds === null || seconds === undefined ? '–' : clock(seconds));

/** A percentage, whole (e.g. 87 %); an en dash for null (nothing to count yet). */
export function percent(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${Math.round(value)} %`;
}

/**
 * "My phone" as the monitor API takes it: digits only (a leading + and spaces, dashes, dots and brackets
 * are allowed and dropped) is a number; anything else an agent id. Empty: null.
 * @param {string} input
 * @returns {{ type: 'number', number: string } | { type: 'agent', agentId: string } | null}
 */
export function parsePhone(input) {
  const text = String(input ?? '').trim();
  if (!text) return null;
  const compact = text.replace(/[\s\-.()]/g, '');
  if (/^\+?\d+$/.test(compact)) return { type: 'number', number: compact.replace(/^\+/, '') };
  return { type: 'agent', agentId: text };
}

/**
 * One shape for a seat state, from any source: GET /api/agents (flat: interactionId, notReadyAfter), the
 * snapshot and `agent.state` events (the router's: call.interactionId, call.after), `agent.seat` (flat).
 * @returns {{ type: string, reason: string, interactionId: string, queueId: string, notReadyAfter: string }}
 */
export function normalizeSeat(state) {
  const s = state ?? { type: 'logged_out' };
  const after = s.call?.after ?? s.after;
  return {
    type: s.type ?? 'logged_out',
    reason: s.type === 'not_ready' ? (s.reason ?? '') : '',
    interactionId: s.interactionId ?? s.call?.interactionId ?? '',
    queueId: s.queueId ?? s.call?.queueId ?? '',
    notReadyAfter: s.notReadyAfter ?? (after?.type === 'not_ready' ? after.reason : ''),
  };
}

/** On a call a supervisor can listen to, whisper into or barge in on. */
export const onCall = (seat) =>
  (seat.type === 'talking' || seat.type === 'on_hold') && seat.interactionId !== '';

/** Monitor modes as buttons say them, and as the monitors list says what is going on. */
export const MODE_LABELS = { listen: 'Listen', whisper: 'Whisper', barge: 'Barge' };
export const MODE_DOING = { listen: 'Listening to', whisper: 'Whispering to', barge: 'Barged in on' };

/**
 * What a queue card warns of: a caller waiting longer than the queue's service-level threshold (already
 * outside it, whatever happens next), and the day's service level below the queue's target.
 * @param {{ longestWaitSeconds: number, serviceLevelSeconds?: number, serviceLevelPercent?: number | null,
 *   serviceLevelTargetPercent?: number | null }} figures
 * @returns {{ waitOver: boolean, belowTarget: boolean }}
 */
export function serviceLevelWarnings(figures) {
  const threshold = figures.serviceLevelSeconds;
  const target = figures.serviceLevelTargetPercent;
  const level = figures.serviceLevelPercent;
  return {
    waitOver: typeof threshold === 'number' && figures.longestWaitSeconds > threshold,
    belowTarget: typeof target === 'number' && typeof level === 'number' && level < target,
  };
}

const FLAG_REASONS = { abusive: 'abusive', spam: 'robocall or spam', prank: 'prank', other: 'other' };

/** An agent's flag on a caller: its reason in words (the wallboard's flagged list, a call's history). */
export function flagReasonText(reason) {
  return FLAG_REASONS[reason] ?? reason;
}

/**
 * A file the supervisor chose, as text: UTF-8, or the Windows code page when it is not valid UTF-8 (a
 * spreadsheet's plain "CSV"), rather than turning every accented name into a replacement character.
 * @param {Blob} file
 */
export async function readTextFile(file) {
  const bytes = await file.arrayBuffer();
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.includes('\uFFFD') ? new TextDecoder('windows-1252').decode(bytes) : text;
}
