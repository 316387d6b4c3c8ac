// The wallboard's Staffing section in words. Pure: no DOM, no requests.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

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

/**
 * A queue card's "Agents needed now": the figure, the note under it ("3 there · 12 calls in 30 min", or
 * "3 there, 1 short · ..."), and whether fewer are there than needed.
 */
export function staffingNowText(now) {
  if (!now) return { value: '…', note: '', short: false };
  const calls = `${count(now.callsLastHalfHour, 'call')} in 30 min`;
  if (now.agentsNeeded === null)
    return { value: '–', note: `${now.agentsStaffed} there · ${calls}, no AHT yet`, short: false };
  const missing = now.agentsNeeded - now.agentsStaffed;
  return {
    value: String(now.agentsNeeded),
    note: `${now.agentsStaffed} there${missing > 0 ? `, ${missing} short` : ''} · ${calls}`,
    short: missing > 0,
  };
}
