// The wallboard's Quality: each agent's call evaluations over the last 30 days (how many, the average,
// passes, critical fails, not read yet), the lowest average first; read again when one is scored, read or
// withdrawn (GET /api/evaluations/summary, `evaluation.*`).
import { ApiError, evaluationApi } from './api.js';
import { tableRow } from './format.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** Events come in bursts (a supervisor scoring several calls): one read for a burst. */
const DEBOUNCE_MS = 300;

/** @param {{ showError: (message: string) => void, agentName: (agentId: string) => string }} page */
export function initQuality(page) {
  const table = $('quality');
  const rows = $('quality-rows');
  const note = $('quality-note');
  let generation = 0;
  let timer = 0;

  async function load() {
    const mine = ++generation;
    let summary;
    try {
      summary = await evaluationApi.summary();
    } catch (error) {
      if (mine === generation)
        page.showError(
          `Cannot read the evaluations: ${error instanceof ApiError ? error.message : String(error)}`,
        );
      return;
    }
    if (mine !== generation) return;
    rows.replaceChildren(
      ...summary.agents.map((a) =>
        tableRow(
          [
            page.agentName(a.agentId),
            a.evaluations,
            `${a.averageScore}%`,
            a.passed,
            a.criticalFailed,
            a.unacknowledged,
          ],
          { agent: a.agentId },
        ),
      ),
    );
    table.hidden = summary.agents.length === 0;
    note.textContent = summary.agents.length === 0 ? 'No call evaluated in the last 30 days.' : '';
  }

  return {
    load,
    onEvent() {
      clearTimeout(timer);
      timer = window.setTimeout(() => load().catch(() => undefined), DEBOUNCE_MS);
    },
    clear() {
      generation++;
      clearTimeout(timer);
      rows.replaceChildren();
      table.hidden = true;
      note.textContent = '';
    },
  };
}
