// The wallboard's Staffing section: how many agents a queue needs in each interval of a day to meet its
// service level (GET /api/reports/staffing: Erlang C over a forecast from the same weekday in the weeks
// before), as a table and as a CSV file. A day gone by shows the calls that came and the agents that were
// there beside the forecast: where it was short-staffed.
import { ApiError, staffingApi } from './api.js';
import { duration, localDay, percent, setChoices, tableRow } from './format.js';
import { dateText, rosterShort, staffingSummaryText, weekFrom, weekSummaryText } from './staffing-text.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @param {{ queues: () => { id: string, name: string }[], signedIn: () => boolean, showError: (message: string) => void }} page
 */
export function initStaffing(page) {
  const form = /** @type {HTMLFormElement} */ ($('staffing-form'));
  const queue = /** @type {HTMLSelectElement} */ ($('staffing-queue'));
  const date = /** @type {HTMLInputElement} */ ($('staffing-date'));
  const interval = /** @type {HTMLSelectElement} */ ($('staffing-interval'));
  const weeks = /** @type {HTMLInputElement} */ ($('staffing-weeks'));
  const shrinkage = /** @type {HTMLInputElement} */ ($('staffing-shrinkage'));
  const occupancy = /** @type {HTMLInputElement} */ ($('staffing-occupancy'));
  const handle = /** @type {HTMLInputElement} */ ($('staffing-handle'));
  const shiftHours = /** @type {HTMLInputElement} */ ($('staffing-shift-hours'));
  const csv = /** @type {HTMLAnchorElement} */ ($('staffing-csv'));
  const note = $('staffing-note');
  const table = $('staffing');
  const rows = $('staffing-rows');
  const days = $('staffing-days');
  const dayRows = $('staffing-day-rows');
  // Tomorrow by default: the day a team lead staffs next.
  date.value ||= localDay(new Date(Date.now() + 86_400_000));

  /** What the form asks for (an empty occupancy: no cap; an empty handle time: the history's). */
  const asked = () => ({
    queueId: queue.value,
    date: date.value,
    interval: interval.value,
    weeks: weeks.value,
    shrinkagePercent: shrinkage.value || '0',
    ...(occupancy.value ? { maxOccupancyPercent: occupancy.value } : {}),
    ...(handle.value ? { handleSeconds: handle.value } : {}),
    ...(shiftHours.value ? { shiftHours: shiftHours.value } : {}),
  });
  const refreshLink = () => {
    const ok = page.signedIn() && queue.value !== '' && date.value !== '' && form.checkValidity();
    csv.setAttribute('href', ok ? staffingApi.csvLink(asked()) : '/api/reports/staffing?format=csv');
    csv.setAttribute('aria-disabled', String(!ok));
  };
  form.addEventListener('change', refreshLink);
  csv.addEventListener('click', async (event) => {
    event.preventDefault();
    if (csv.getAttribute('aria-disabled') === 'true') return;
    try {
      await staffingApi.saveCsv(asked());
    } catch (error) {
      page.showError(`Cannot download the staffing: ${errorText(error)}`);
    }
  });

  const errorText = (error) =>
    error instanceof ApiError ? `${error.message} (${error.code})` : String(error);
  /** A figure or a dash for none. */
  const orDash = (value) => (value === null || value === undefined ? '–' : String(value));

  /** Shows one table (a day's intervals, or a week's days), the other hidden: `work` fills it and says what it came to. */
  const showing = async (shown, work) => {
    if (!form.reportValidity()) return;
    refreshLink();
    note.textContent = 'Working it out…';
    shown.setAttribute('aria-busy', 'true');
    for (const other of [table, days]) if (other !== shown) other.hidden = true;
    try {
      note.textContent = await work();
      shown.hidden = false;
    } catch (error) {
      rows.replaceChildren();
      dayRows.replaceChildren();
      shown.hidden = true;
      note.textContent = `Cannot forecast: ${errorText(error)}`;
    } finally {
      shown.removeAttribute('aria-busy');
    }
  };

  // A week to schedule: each day's forecast, one after the other (each reads its weeks of history).
  $('staffing-week').addEventListener('click', () =>
    showing(days, async () => {
      const forecasts = [];
      for (const day of weekFrom(date.value))
        forecasts.push(await staffingApi.read({ ...asked(), date: day }));
      dayRows.replaceChildren(
        ...forecasts.map((f) =>
          tableRow(
            [
              dateText(f.date),
              String(f.totals.calls),
              String(f.totals.peakAgents),
              String(f.totals.peakScheduled),
              String(f.totals.scheduledHours),
              String(f.totals.withoutForecast),
            ],
            { date: f.date },
          ),
        ),
      );
      return weekSummaryText(forecasts);
    }),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    showing(table, async () => {
      const forecast = await staffingApi.read(asked());
      rows.replaceChildren(
        ...forecast.rows.map((row) =>
          tableRow(
            [
              // The wall-clock time alone: every row is on the day asked for.
              row.localStart.slice(11),
              orDash(row.calls),
              duration(row.handleSeconds),
              orDash(row.agents),
              orDash(row.scheduled),
              orDash(row.onShift),
              // Nobody needed (no calls expected): no service level, wait or occupancy to speak of.
              row.agents === 0 ? '–' : percent(row.serviceLevelPercent),
              row.agents === 0 ? '–' : duration(row.asaSeconds),
              row.agents === 0 ? '–' : percent(row.occupancyPercent),
              orDash(row.actualCalls),
              orDash(row.actualAgents),
              orDash(row.reforecastAgents),
            ],
            { start: row.localStart.slice(11), ...(rosterShort(row) ? { short: 'true' } : {}) },
          ),
        ),
      );
      // The roster short of the agents to schedule: its On shift cell marked.
      for (const tr of rows.querySelectorAll('tr[data-short]')) tr.children[5]?.classList.add('warn');
      return staffingSummaryText(forecast);
    });
  });

  return {
    /** The queue choices follow the wallboard's list; a choice made stays chosen. */
    refreshChoices() {
      setChoices(
        queue,
        page.queues().map((q) => new Option(q.name, q.id)),
      );
      refreshLink();
    },
    /** Signed out: the figures go, and the link loses the token. */
    clear() {
      rows.replaceChildren();
      dayRows.replaceChildren();
      table.hidden = true;
      days.hidden = true;
      note.textContent = '';
      refreshLink();
    },
  };
}
