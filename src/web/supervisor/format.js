// Pure helpers of the wallboard: how figures are written, and how the API's several shapes of an agent's
// seat become one. No DOM here (unit-tested in test/unit/web/).

import { SEAT_LABELS } from '../common/seat-view.js';

/** Seat states as people say them (shared with the softphone page). */
export const STATE_LABELS = SEAT_LABELS;

/** @param {string} type */
export const stateLabel = (type) => STATE_LABELS[type] ?? type;

/** Seconds as m:ss or h:mm:ss (negative and NaN show 0:00). */
export function clock(seconds) {
  const s = Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : 0;
  const ss = String(s % 60).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}:${ss}`;
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${mm}:${ss}`;
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
