// The wallboard's Staffing section: how many agents a queue needs in each interval of a day to meet its
// service level (GET /api/reports/staffing: Erlang C over a forecast from the same weekday in the weeks
// before), as a table and as a CSV file. A day gone by shows the calls that came and the agents that were
// there beside the forecast: where it was short-staffed.
import { ApiError, staffingApi } from './api.js';
import { duration, localDay, percent, setChoices, tableRow } from './format.js';
import { staffingSummaryText } from './staffing-text.js';

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
  const csv = /** @type {HTMLAnchorElement} */ ($('staffing-csv'));
  const note = $('staffing-note');
  const table = $('staffing');
  const rows = $('staffing-rows');
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

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    refreshLink();
    note.textContent = 'Working it out…';
    table.setAttribute('aria-busy', 'true');
    try {
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
              // Nobody needed (no calls expected): no service level, wait or occupancy to speak of.
              row.agents === 0 ? '–' : percent(row.serviceLevelPercent),
              row.agents === 0 ? '–' : duration(row.asaSeconds),
              row.agents === 0 ? '–' : percent(row.occupancyPercent),
              orDash(row.actualCalls),
              orDash(row.actualAgents),
            ],
            { start: row.localStart.slice(11) },
          ),
        ),
      );
      table.hidden = false;
      note.textContent = staffingSummaryText(forecast);
    } catch (error) {
      rows.replaceChildren();
      table.hidden = true;
      note.textContent = `Cannot forecast: ${errorText(error)}`;
    } finally {
      table.removeAttribute('aria-busy');
    }
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
      table.hidden = true;
      note.textContent = '';
      refreshLink();
    },
  };
}
