// The wallboard's reports: a range of days, per day or hour; the queue and agent reports as tables and as CSV
// files (GET /api/reports/queues|agents); the queue alerts that stood in those days (GET /api/alerts); agents'
// requests for help asked in them (GET /api/help/history); breaks overstayed (GET /api/overstays/history). Dates are the contact center's own days (its time zone).
import { ApiError, reportApi } from './api.js';
import { dateTimeLabel, duration, localDay, percent, tableRow } from './format.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * Wires the reports section. `signedIn()` says whether a token is set (links are only given then);
 * `showError` shows a failure the way the rest of the page does; `agentName` names an agent's rows and
 * `reasonLabel` a not-ready reason.
 * @param {{ signedIn: () => boolean, showError: (message: string) => void, agentName: (id: string) => string, reasonLabel: (code: string) => string }} page
 */
export function initReports(page) {
  const form = /** @type {HTMLFormElement} */ ($('report-form'));
  const from = /** @type {HTMLInputElement} */ ($('report-from'));
  const to = /** @type {HTMLInputElement} */ ($('report-to'));
  const interval = /** @type {HTMLSelectElement} */ ($('report-interval'));
  const queuesCsv = /** @type {HTMLAnchorElement} */ ($('report-queues-csv'));
  const agentsCsv = /** @type {HTMLAnchorElement} */ ($('report-agents-csv'));
  const alertsCsv = /** @type {HTMLAnchorElement} */ ($('report-alerts-csv'));
  const note = $('report-note');
  from.value ||= localDay();
  to.value ||= localDay();

  const range = () => ({ from: from.value, to: to.value, interval: interval.value });
  const csvLinks = [
    [queuesCsv, 'queues'],
    [agentsCsv, 'agents'],
    [alertsCsv, 'alerts'],
  ];
  const refreshLinks = () => {
    // ISO dates compare as text: a range that ends before it starts gives no file, only a refusal.
    const ok = page.signedIn() && from.value !== '' && to.value !== '' && from.value <= to.value;
    for (const [link, kind] of csvLinks) {
      // Without a range or token the link stays inert (aria-disabled: not clickable) on the bare endpoint;
      // a click downloads the file with the token in the header (see the click handler).
      link.setAttribute(
        'href',
        ok
          ? reportApi.csvLink(kind, range())
          : kind === 'alerts'
            ? '/api/alerts?format=csv'
            : `/api/reports/${kind}?format=csv`,
      );
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

  /** A report's interval in words. */
  const INTERVAL_LABELS = { day: 'day', hour: 'hour', '30min': 'half hour', '15min': 'quarter hour' };

  /** A queue alert's kind in words. */
  const ALERT_LABELS = {
    long_wait: 'Long wait',
    many_waiting: 'Many waiting',
    unstaffed: 'Nobody to take calls',
    below_service_level: 'Below service level',
  };

  /** How a request for help ended, in words. */
  const HELP_ENDINGS = {
    withdrawn: 'Withdrawn',
    resolved: 'Seen to',
    logged_out: 'Agent logged out',
    service_restarted: 'Service restarted',
  };

  /** "3 · 2 called back, 1 failed": requested, then how those that ended did ('–' with none). */
  const callbacksCell = (row) => {
    const ended = [
      row.callbacksCompleted ? `${row.callbacksCompleted} called back` : '',
      row.callbacksFailed ? `${row.callbacksFailed} failed` : '',
      row.callbacksCancelled ? `${row.callbacksCancelled} cancelled` : '',
    ].filter(Boolean);
    if (!row.callbacksRequested && ended.length === 0) return '–';
    return `${row.callbacksRequested ?? 0}${ended.length ? ` · ${ended.join(', ')}` : ''}`;
  };

  /** The two reports on screen: how each is asked for and how a row of it reads. */
  const kinds = {
    queues: {
      table: $('report'),
      rows: $('report-rows'),
      read: reportApi.queues,
      key: (row) => ({ queue: row.queueId }),
      cells: (row) => [
        row.queueId,
        row.localStart,
        row.offered,
        row.answered,
        row.abandoned,
        row.flowedOut,
        // Short of the queue's aim: said in words, beside the figure.
        row.belowServiceLevelTarget
          ? `${percent(row.serviceLevelPercent)} (below ${percent(row.serviceLevelTargetPercent)})`
          : percent(row.serviceLevelPercent),
        duration(row.asaSeconds),
        duration(row.ahtSeconds),
        percent(row.abandonRatePercent),
        callbacksCell(row),
      ],
    },
    alerts: {
      table: $('report-alerts'),
      rows: $('report-alert-rows'),
      read: async (r) => ({ rows: (await reportApi.alerts(r)).items }),
      key: (row) => ({ queue: row.queueId, kind: row.kind }),
      cells: (row) => [
        row.queueId,
        ALERT_LABELS[row.kind] ?? row.kind,
        dateTimeLabel(Date.parse(row.raisedAt)),
        row.clearedAt ? dateTimeLabel(Date.parse(row.clearedAt)) : 'standing',
        duration(row.durationSeconds),
        row.message,
        // Who took it on, and how long after it was raised.
        row.acknowledgedAt
          ? `${row.acknowledgedBy?.name ?? 'A supervisor'} after ${duration((Date.parse(row.acknowledgedAt) - Date.parse(row.raisedAt)) / 1000)}`
          : '–',
      ],
      told: (report) => `${report.rows.length} alerts`,
    },
    help: {
      table: $('report-help'),
      rows: $('report-help-rows'),
      read: async (r) => ({ rows: (await reportApi.help(r)).items }),
      key: (row) => ({ agent: row.agentId }),
      cells: (row) => [
        page.agentName(row.agentId),
        dateTimeLabel(Date.parse(row.askedAt)),
        row.interactionId ? 'on a call' : 'between calls',
        row.note ?? '–',
        // Who came, and how long the agent waited for them.
        row.taken
          ? `${row.taken.by?.name ?? 'A supervisor'} after ${duration((Date.parse(row.taken.at) - Date.parse(row.askedAt)) / 1000)}`
          : '–',
        row.ended
          ? `${HELP_ENDINGS[row.ended.reason] ?? row.ended.reason}${row.ended.by ? ` by ${row.ended.by.name}` : ''} after ${duration((Date.parse(row.ended.at) - Date.parse(row.askedAt)) / 1000)}`
          : 'standing',
      ],
      told: (report) => `${report.rows.length} requests for help`,
    },
    overstays: {
      table: $('report-overstays'),
      rows: $('report-overstay-rows'),
      read: async (r) => {
        const { items, totals } = await reportApi.overstays(r);
        return { rows: items, totals };
      },
      key: (row) => ({ agent: row.agentId }),
      cells: (row) => [
        page.agentName(row.agentId),
        `${page.reasonLabel(row.reason)} (${row.limitMinutes} min)`,
        dateTimeLabel(Date.parse(row.dueAt)),
        row.ended
          ? `${dateTimeLabel(Date.parse(row.ended.at))}${row.ended.to === 'service_restarted' ? ' (service restarted)' : ''}`
          : 'not yet',
        duration(row.overSeconds),
        // Who went over to the agent, and how long after they were due back.
        row.acknowledged
          ? `${row.acknowledged.by?.name ?? 'A supervisor'} after ${duration((Date.parse(row.acknowledged.at) - Date.parse(row.dueAt)) / 1000)}`
          : '–',
      ],
      // Who overstays most, over the whole range: a team lead's first question.
      told: (report) => {
        const most = report.totals[0];
        const n = report.rows.length;
        return n === 0
          ? 'No break overstayed'
          : `${n} overstayed; most time over: ${page.agentName(most.agentId)}, ${duration(most.overSeconds)} in ${most.count}`;
      },
    },
    agents: {
      table: $('report-agents'),
      rows: $('report-agent-rows'),
      read: reportApi.agents,
      key: (row) => ({ agent: row.agentId }),
      cells: (row) => {
        const s = row.secondsInState ?? {};
        return [
          page.agentName(row.agentId),
          row.localStart,
          row.handled,
          duration(row.talkSeconds),
          duration(row.holdSeconds),
          duration(row.ahtSeconds),
          row.missed,
          duration(s.available ?? 0),
          duration((s.offered ?? 0) + (s.talking ?? 0) + (s.on_hold ?? 0)),
          duration(s.wrap_up ?? 0),
          duration(s.not_ready ?? 0),
          // Breaks overstayed: how many, and their time over ("2 · 7:30"); 0 for none.
          row.overstays ? `${row.overstays} · ${duration(row.overstaySeconds)}` : '0',
        ];
      },
    },
  };

  /** Shows one report for the range; a refusal or failure takes that report's last figures off screen. */
  async function show(kind) {
    const { table: shown, rows: body, read, key, cells, told } = kinds[kind];
    refreshLinks();
    note.textContent = 'Loading…';
    // A table shown before keeps its figures until the new ones come: marked busy meanwhile, so neither a
    // screen reader nor a test takes them for this request's.
    shown.setAttribute('aria-busy', 'true');
    try {
      const report = await read(range());
      body.replaceChildren(...report.rows.map((row) => tableRow(cells(row), key(row))));
      shown.hidden = false;
      note.textContent = told
        ? told(report)
        : `${report.rows.length} rows, per ${INTERVAL_LABELS[report.interval] ?? report.interval}, in ${report.timeZone}`;
    } catch (error) {
      // The last report's figures would read as this range's: they go.
      body.replaceChildren();
      shown.hidden = true;
      note.textContent = '';
      page.showError(
        `Cannot read the report: ${error instanceof ApiError ? `${error.message} (${error.code})` : String(error)}`,
      );
    } finally {
      shown.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show('queues').catch(() => undefined);
  });
  $('report-show-agents').addEventListener('click', () => show('agents').catch(() => undefined));
  $('report-show-alerts').addEventListener('click', () => show('alerts').catch(() => undefined));
  $('report-show-help').addEventListener('click', () => show('help').catch(() => undefined));
  $('report-show-overstays').addEventListener('click', () => show('overstays').catch(() => undefined));
  /** Signed out: nothing of the last report stays on screen, and the links lose the token. */
  const clear = () => {
    for (const { table: shown, rows: body } of Object.values(kinds)) {
      body.replaceChildren();
      shown.hidden = true;
    }
    note.textContent = '';
    refreshLinks();
  };
  return { refreshLinks, clear };
}
