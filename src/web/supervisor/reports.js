// The wallboard's reports: a range of days, per day or hour; the queue report as a table, both reports as CSV
// files (GET /api/reports/queues|agents). Dates are the contact center's own days (its time zone).
import { ApiError, reportApi } from './api.js';
import { duration, percent } from './format.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** Today as YYYY-MM-DD on this browser's calendar (the default range; the service rounds to its own days). */
function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Wires the reports section. `signedIn()` says whether a token is set (links are only given then);
 * `showError` shows a failure the way the rest of the page does.
 * @param {{ signedIn: () => boolean, showError: (message: string) => void }} page
 */
export function initReports(page) {
  const form = /** @type {HTMLFormElement} */ ($('report-form'));
  const from = /** @type {HTMLInputElement} */ ($('report-from'));
  const to = /** @type {HTMLInputElement} */ ($('report-to'));
  const interval = /** @type {HTMLSelectElement} */ ($('report-interval'));
  const queuesCsv = /** @type {HTMLAnchorElement} */ ($('report-queues-csv'));
  const agentsCsv = /** @type {HTMLAnchorElement} */ ($('report-agents-csv'));
  const table = $('report');
  const rows = $('report-rows');
  const note = $('report-note');
  from.value ||= today();
  to.value ||= today();

  const range = () => ({ from: from.value, to: to.value, interval: interval.value });
  const csvLinks = [
    [queuesCsv, 'queues'],
    [agentsCsv, 'agents'],
  ];
  const refreshLinks = () => {
    // ISO dates compare as text: a range that ends before it starts gives no file, only a refusal.
    const ok = page.signedIn() && from.value !== '' && to.value !== '' && from.value <= to.value;
    for (const [link, kind] of csvLinks) {
      // Without a range or token the link stays inert (aria-disabled: not clickable) on the bare endpoint;
      // a click downloads the file with the token in the header (see the click handler).
      link.setAttribute('href', ok ? reportApi.csvLink(kind, range()) : `/api/reports/${kind}?format=csv`);
      link.setAttribute('aria-disabled', String(!ok));
    }
  };
  for (const input of [from, to, interval]) input.addEventListener('change', refreshLinks);
  for (const [link, kind] of csvLinks) {
    link.addEventListener('click', async (event) => {
      event.preventDefault();
      if (link.getAttribute('aria-disabled') === 'true') return;
      try {
        await reportApi.saveCsv(kind, range());
      } catch (error) {
        page.showError(error instanceof ApiError ? error.message : String(error));
      }
    });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    refreshLinks();
    note.textContent = 'Loading…';
    try {
      const report = await reportApi.queues(range());
      rows.replaceChildren(
        ...report.rows.map((row) => {
          const tr = document.createElement('tr');
          tr.dataset.queue = row.queueId;
          const cells = [
            row.queueId,
            row.localStart,
            row.offered,
            row.answered,
            row.abandoned,
            row.flowedOut,
            percent(row.serviceLevelPercent),
            duration(row.asaSeconds),
            duration(row.ahtSeconds),
            percent(row.abandonRatePercent),
          ];
          for (const [i, value] of cells.entries()) {
            const cell = document.createElement(i === 0 ? 'th' : 'td');
            if (i === 0) cell.setAttribute('scope', 'row');
            cell.textContent = String(value);
            tr.append(cell);
          }
          return tr;
        }),
      );
      table.hidden = false;
      note.textContent = `${report.rows.length} rows, per ${report.interval}, in ${report.timeZone}`;
    } catch (error) {
      // The last report's figures would read as this range's: they go.
      rows.replaceChildren();
      table.hidden = true;
      note.textContent = '';
      page.showError(
        `Cannot read the report: ${error instanceof ApiError ? `${error.message} (${error.code})` : String(error)}`,
      );
    }
  });
  /** Signed out: nothing of the last report stays on screen, and the links lose the token. */
  const clear = () => {
    rows.replaceChildren();
    table.hidden = true;
    note.textContent = '';
    refreshLinks();
  };
  return { refreshLinks, clear };
}
