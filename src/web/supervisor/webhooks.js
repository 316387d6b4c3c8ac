// The wallboard's Webhooks: the systems told of each call (config `webhooks`), how their deliveries stand,
// and the ones that failed every attempt, each put back in line with Redeliver (GET /api/webhooks,
// /api/webhooks/:id/deliveries, POST …/redeliver). Read at sign-in and on Refresh; hidden when none is configured.
import { ApiError, wallboardApi } from './api.js';
import { tableRow } from './format.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
/** Failed deliveries listed per webhook, newest first. */
const FAILED_SHOWN = 50;

/**
 * @typedef {{ id: string, url: string, events: string[], queues: string[] | null, signed: boolean, pending: number, failed: number,
 *   delivered: number, lastDeliveredAt: string | null,
 *   lastFailure: { at: string, status: number | null, error: string } | null,
 *   restingUntil: string | null }} Webhook
 * @typedef {{ id: number, webhookId: string, interactionId: string, type: string, at: string,
 *   attempts: number, lastError: string | null, lastAttemptAt: string | null,
 *   body: { interaction?: { callerNumber: string | null }, queueAlert?: { queueId: string },
 *     agentState?: { agentId: string }, help?: { agentId: string } } }} Delivery
 */

/** What a delivery is about: the caller of a call's event, the queue of a queue alert's, the agent of a state. */
const about = (/** @type {Delivery} */ d) =>
  d.body.queueAlert
    ? `queue ${d.body.queueAlert.queueId}`
    : d.body.agentState
      ? `agent ${d.body.agentState.agentId}`
      : d.body.help
        ? `agent ${d.body.help.agentId} (help)`
        : (d.body.interaction?.callerNumber ?? '–');

/**
 * Wires the Webhooks section. `showError` shows a failure the way the rest of the page does.
 * @param {{ showError: (message: string) => void }} page
 */
export function initWebhooks(page) {
  const section = $('webhooks-section');
  const rows = $('webhook-rows');
  const failedTable = $('webhook-failed');
  const failedRows = $('webhook-failed-rows');
  const note = $('webhooks-note');
  /** @type {Webhook[]} */
  let webhooks = [];
  /** Deliveries put back in line from here since the last read: "Back in line" on their row. */
  const resent = new Set();
  /** Webhooks whose test is under way. */
  const testing = new Set();
  const testResult = $('webhook-test-result');

  const describe = (error) => (error instanceof ApiError ? error.message : String(error));

  const render = (/** @type {Delivery[]} */ failed) => {
    section.hidden = webhooks.length === 0;
    rows.replaceChildren(
      ...webhooks.map((w) => {
        const tr = tableRow(
          [
            w.id,
            w.url,
            w.events.join(', ') + (w.queues ? ` (queues ${w.queues.join(', ')})` : ''),
            w.delivered,
            w.pending,
            w.failed,
            (w.lastFailure ? `${when(w.lastFailure.at)}: ${w.lastFailure.error}` : '–') +
              (w.restingUntil ? ` (failing: resting until ${when(w.restingUntil)})` : ''),
          ],
          { webhook: w.id, failed: String(w.failed) },
        );
        const cell = document.createElement('td');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'btn btn-quiet';
        button.dataset.test = w.id;
        button.textContent = 'Send test';
        button.disabled = testing.has(w.id);
        cell.append(button);
        tr.append(cell);
        return tr;
      }),
    );
    failedRows.replaceChildren(
      ...failed.map((d) => {
        const tr = tableRow([d.webhookId, d.type, when(d.at), about(d), d.attempts, d.lastError ?? ''], {
          delivery: String(d.id),
          webhook: d.webhookId,
        });
        const cell = document.createElement('td');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'btn';
        button.dataset.redeliver = String(d.id);
        button.dataset.webhook = d.webhookId;
        button.textContent = resent.has(d.id) ? 'Back in line' : 'Redeliver';
        button.disabled = resent.has(d.id);
        cell.append(button);
        tr.append(cell);
        return tr;
      }),
    );
    failedTable.hidden = failed.length === 0;
    const failing = webhooks.reduce((n, w) => n + w.failed, 0);
    note.textContent =
      webhooks.length === 0
        ? ''
        : failing === 0
          ? 'No delivery has failed.'
          : `${failing} deliver${failing === 1 ? 'y' : 'ies'} failed every attempt: redeliver once the receiver is fixed.`;
  };

  let shownFailed = /** @type {Delivery[]} */ ([]);

  const load = async () => {
    const reply = await wallboardApi.webhooks();
    webhooks = reply.items;
    const failed = [];
    for (const w of webhooks) {
      if (w.failed === 0) continue;
      failed.push(...(await wallboardApi.webhookDeliveries(w.id, 'failed', FAILED_SHOWN)).items);
    }
    resent.clear();
    shownFailed = failed;
    render(failed);
  };

  $('webhooks-refresh').addEventListener('click', () => {
    load().catch((error) => page.showError(`Webhooks: ${describe(error)}`));
  });
  rows.addEventListener('click', async (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-test]');
    if (!(button instanceof HTMLButtonElement)) return;
    const id = button.dataset.test ?? '';
    testing.add(id);
    render(shownFailed);
    testResult.textContent = `Sending ${id} a test…`;
    try {
      const result = await wallboardApi.testWebhook(id);
      testResult.textContent = result.reached
        ? `${id} answered ${result.status} in ${result.ms} ms.`
        : `${id} was not reached: ${result.error}`;
      testResult.dataset.reached = String(result.reached);
    } catch (error) {
      testResult.textContent = '';
      page.showError(`The test was not sent: ${describe(error)}`);
    } finally {
      testing.delete(id);
      render(shownFailed);
    }
  });
  failedRows.addEventListener('click', async (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-redeliver]');
    if (!(button instanceof HTMLButtonElement)) return;
    const id = Number(button.dataset.redeliver);
    button.disabled = true;
    try {
      await wallboardApi.redeliver(button.dataset.webhook ?? '', id);
      resent.add(id);
    } catch (error) {
      page.showError(`The delivery was not put back in line: ${describe(error)}`);
    }
    render(shownFailed);
  });

  return {
    /** Reads them (at sign-in, and on Refresh). */
    load,
    clear() {
      testResult.textContent = '';
      webhooks = [];
      shownFailed = [];
      resent.clear();
      render([]);
    },
  };
}
