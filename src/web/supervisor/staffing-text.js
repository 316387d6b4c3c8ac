// The wallboard's Staffing section in words. Pure: no DOM, no requests.
import { DAYS, MONTHS } from './format.js';

/** "Mon 30 Nov": a calendar date YYYY-MM-DD as a person reads it (the date alone, no time zone). */
export function dateText(date) {
  const d = new Date(`${date}T12:00:00Z`);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** A count with its noun, singular for one: "1 agent", "3 agents". */
const count = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** A figure with at most one decimal, as the service rounds it: "12", "4.5". */
const figure = (n) => String(Math.round(n * 10) / 10);

/**
 * How a day under way has run against its forecast, and what the rest of it needs then: " So far the day runs
 * 50 % above the forecast: the rest needs at most 4 agents at once." Nothing for a day to come.
 */
function runText(forecast) {
  const ratio = forecast.totals.runRatio;
  if (ratio === null || ratio === undefined) return '';
  const off = Math.round((ratio - 1) * 100);
  const run = off === 0 ? 'as forecast' : `${Math.abs(off)} % ${off > 0 ? 'above' : 'below'} the forecast`;
  const rest = forecast.rows.filter((r) => r.reforecastAgents !== null && r.reforecastAgents !== undefined);
  if (rest.length === 0) return ` The day ran ${run}.`;
  const most = Math.max(...rest.map((r) => r.reforecastAgents));
  return ` So far the day runs ${run}: the rest needs ${most === 0 ? 'no agent' : `at most ${count(most, 'agent')} at once`}.`;
}

/**
 * What a staffing forecast comes to, above its table: where it comes from, the day's calls, the most agents
 * an interval needs and the hours to schedule, and the intervals it could not forecast (and why).
 */
export function staffingSummaryText(forecast) {
  const t = forecast.totals;
  const from = forecast.historyDates.map(dateText).join(', ');
  const aim = `${figure(forecast.targetPercent)} % within ${forecast.serviceLevelSeconds} s`;
  const parts = [`Forecast from ${from} (${aim})`];
  if (t.calls === 0 && t.withoutForecast === forecast.rows.length) {
    return `${parts[0]}: none of those days has reached these hours yet, so there is nothing to forecast from.`;
  }
  parts.push(`${figure(t.calls)} calls expected`);
  if (t.peakAgents === 0) parts.push('no agent needed');
  else {
    parts.push(
      t.peakAgents === t.peakScheduled
        ? `at most ${count(t.peakAgents, 'agent')} at once`
        : `at most ${count(t.peakAgents, 'agent')} at once (${t.peakScheduled} to schedule)`,
    );
    parts.push(`${figure(t.scheduledHours)} agent hours to schedule`);
  }
  let text = `${parts[0]}: ${parts.slice(1).join('; ')}.`;
  text += runText(forecast);
  text += rosterText(forecast.rows);
  text += suggestionText(forecast.suggestedShifts ?? []);
  if (t.withoutForecast > 0) {
    const noHandle = forecast.rows.filter((r) => r.calls !== null && r.calls > 0 && r.agents === null).length;
    text += ` ${count(t.withoutForecast, 'interval')} without a forecast`;
    text +=
      noHandle > 0
        ? ` (${noHandle} with calls but none answered to take a handle time from: give one)`
        : ' (none of those days has reached them yet)';
    text += '.';
  }
  return text;
}

/** An interval the roster leaves short: fewer of the queue's agents on shift than it needs scheduled. */
export const rosterShort = (row) =>
  row.onShift !== null &&
  row.onShift !== undefined &&
  (row.scheduled ?? 0) > 0 &&
  row.onShift < row.scheduled;

/**
 * How the roster (Shifts) meets the agents to schedule: " The roster covers every interval that needs
 * agents." or " The roster is short in 5 of 12 intervals that need agents (most at 10:00: 1 on shift of 4 to
 * schedule)."; "" without a roster's figures or an interval that needs agents.
 */
function rosterText(rows) {
  const needing = rows.filter((r) => r.onShift !== null && r.onShift !== undefined && (r.scheduled ?? 0) > 0);
  if (needing.length === 0) return '';
  const short = needing.filter(rosterShort);
  if (short.length === 0) return ' The roster covers every interval that needs agents.';
  const worst = short.reduce((a, b) => (b.scheduled - b.onShift > a.scheduled - a.onShift ? b : a));
  const at = worst.localStart ? ` at ${worst.localStart.slice(11)}` : '';
  return ` The roster is short in ${short.length} of ${count(needing.length, 'interval')} that need${needing.length === 1 ? 's' : ''} agents (most${at}: ${figure(worst.onShift)} on shift of ${figure(worst.scheduled)} to schedule).`;
}

/**
 * The shifts to add so the roster covers the day: " To cover it, add 4 shifts: 3 × 09:00–17:00, 1 ×
 * 12:00–20:00." (times on the contact center's clock); "" for none.
 */
function suggestionText(suggested) {
  if (suggested.length === 0) return '';
  const total = suggested.reduce((sum, s) => sum + s.agents, 0);
  const clock = (local) => local.slice(11);
  const each = suggested.map((s) => `${s.agents} × ${clock(s.localStart)}–${clock(s.localEnd)}`);
  return ` To cover it, add ${count(total, 'shift')}: ${each.join(', ')}.`;
}

/**
 * A queue card's "Agents needed now": the figure, the note under it ("3 there · 12 calls in 30 min", or
 * "3 there, 1 short · ..."), and whether fewer are there than needed.
 */
export function staffingNowText(now) {
  if (!now) return { value: '…', note: '', short: false };
  const calls = `${count(now.callsLastHalfHour, 'call')} in 30 min`;
  if (now.agentsNeededOver !== undefined)
    return {
      value: `> ${now.agentsNeededOver}`,
      note: `${now.agentsStaffed} there · ${calls}, past what Erlang C counts to: check the handle time`,
      short: true,
    };
  if (now.agentsNeeded === null)
    return { value: '–', note: `${now.agentsStaffed} there · ${calls}, no AHT yet`, short: false };
  const missing = now.agentsNeeded - now.agentsStaffed;
  return {
    value: String(now.agentsNeeded),
    note: `${now.agentsStaffed} there${missing > 0 ? `, ${missing} short` : ''} · ${calls}`,
    short: missing > 0,
  };
}

/** `YYYY-MM-DD` and the 6 dates after it (the date alone: no zone, no DST). */
export function weekFrom(date) {
  const start = Date.parse(`${date}T12:00:00Z`);
  return Array.from({ length: 7 }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

/** Over the week's forecasts: "7 days from Mon 7 Dec: 812 calls expected; 214.5 agent hours to schedule." */
export function weekSummaryText(forecasts) {
  const calls = forecasts.reduce((sum, f) => sum + f.totals.calls, 0);
  const hours = forecasts.reduce((sum, f) => sum + f.totals.scheduledHours, 0);
  return `7 days from ${dateText(forecasts[0]?.date ?? '')}: ${figure(calls)} calls expected; ${figure(hours)} agent hours to schedule.`;
}
