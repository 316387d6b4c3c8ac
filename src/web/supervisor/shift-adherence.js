// The wallboard's adherence (in the Shifts section): Adherence over days (GET /api/shifts/adherence: each
// agent's shifts begun in those days, summed, with its CSV), the times seats were off their roster in those
// days (GET /api/shifts/exceptions/history, with its CSV), and the seats off their roster now, past the
// grace period (GET /api/shifts/exceptions at sign-in, then shift.adherence live).
import { ApiError, shiftsApi } from './api.js';
import { localDay, stateLabel, tableRow } from './format.js';
import { dayAfter } from '../common/calendar.js';
import { adherenceCells, exceptionCells, exceptionsText } from '../common/shift-text.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @param {{ agents: () => { id: string, name: string }[], showError: (message: string) => void,
 *   announce: (message: string) => void }} page
 */
export function initShiftAdherence(page) {
  const adherenceForm = /** @type {HTMLFormElement} */ ($('adherence-form'));
  const adherenceFrom = /** @type {HTMLInputElement} */ ($('adherence-from'));
  const adherenceTo = /** @type {HTMLInputElement} */ ($('adherence-to'));
  const adherenceCsv = /** @type {HTMLAnchorElement} */ ($('adherence-csv'));
  const adherenceTable = $('adherence');
  const adherenceRows = $('adherence-rows');
  const adherenceNote = $('adherence-note');
  const exceptionsLine = $('adherence-exceptions');
  const historyTable = $('exception-history');
  const historyRows = $('exception-history-rows');
  const historyNote = $('exception-history-note');
  const historyCsv = /** @type {HTMLAnchorElement} */ ($('exception-history-csv'));
  /** Real-time adherence: the seats off their roster past the grace period, by agent. */
  let exceptions = { graceSeconds: 0, byAgent: new Map() };
  const errorText = (error) => (error instanceof ApiError ? error.message : String(error));
  // The last 7 days by default.
  adherenceFrom.value ||= dayAfter(localDay(), -6);
  adherenceTo.value ||= localDay();

  /** The seats off their roster, read (at sign-in, on a roster change) or told (shift.adherence). */
  function renderExceptions() {
    const name = (id) => page.agents().find((a) => a.id === id)?.name ?? id;
    const text = exceptionsText([...exceptions.byAgent.values()], exceptions.graceSeconds, name, stateLabel);
    exceptionsLine.textContent = text;
    exceptionsLine.hidden = text === '';
  }

  async function loadExceptions() {
    try {
      const list = await shiftsApi.exceptions();
      exceptions = {
        graceSeconds: list.graceSeconds,
        byAgent: new Map(list.items.map((e) => [e.agentId, e])),
      };
      renderExceptions();
    } catch {
      // Not watched here (404), or a read that failed: the line stays as it was; the stream tells changes.
    }
  }

  adherenceForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    adherenceNote.textContent = '';
    try {
      const report = await shiftsApi.adherence(adherenceFrom.value, adherenceTo.value);
      adherenceRows.replaceChildren(
        ...report.agents.map((a) => tableRow([a.agentName, ...adherenceCells(a)], { agent: a.agentId })),
      );
      adherenceTable.hidden = report.agents.length === 0;
      adherenceNote.textContent =
        report.agents.length === 0
          ? 'No shift begun in those days.'
          : `${report.shifts.length} shift${report.shifts.length === 1 ? '' : 's'} begun in those days.`;
    } catch (error) {
      adherenceTable.hidden = true;
      adherenceNote.textContent = `Cannot read the adherence: ${errorText(error)}`;
    }
    await showHistory();
  });

  /** The times seats were off their roster in the days chosen, each with its agent. */
  async function showHistory() {
    // The last reading's note stays until the new one is in: read again (a roster change), it does not blink.
    try {
      const history = await shiftsApi.exceptionHistory(adherenceFrom.value, adherenceTo.value);
      historyRows.replaceChildren(
        ...history.items.map((e) =>
          tableRow([e.agentName, ...exceptionCells(e, stateLabel)], {
            agent: e.agentId,
            exception: String(e.id),
          }),
        ),
      );
      historyTable.hidden = history.items.length === 0;
      historyNote.textContent =
        history.items.length === 0
          ? 'Nobody was off their roster past the grace period in those days.'
          : history.agents
              .map((a) => `${a.agentName} ${a.exceptions} time${a.exceptions === 1 ? '' : 's'}`)
              .join(' · ');
    } catch (error) {
      historyTable.hidden = true;
      historyNote.textContent = `Cannot read the exceptions: ${errorText(error)}`;
    }
  }
  historyCsv.addEventListener('click', async (event) => {
    event.preventDefault();
    try {
      await shiftsApi.saveExceptionHistoryCsv(adherenceFrom.value, adherenceTo.value);
    } catch (error) {
      page.showError(`Cannot download the exceptions: ${errorText(error)}`);
    }
  });
  adherenceCsv.addEventListener('click', async (event) => {
    event.preventDefault();
    try {
      await shiftsApi.saveAdherenceCsv(adherenceFrom.value, adherenceTo.value);
    } catch (error) {
      page.showError(`Cannot download the adherence: ${errorText(error)}`);
    }
  });

  return {
    /** The seats off their roster now (sign-in, a roster change). */
    load: loadExceptions,
    /** shift.adherence: an agent's seat off their roster past the grace period, or back on it. */
    onAdherence(data) {
      if (data.inAdherence) exceptions.byAgent.delete(data.exception.agentId);
      else exceptions.byAgent.set(data.exception.agentId, data.exception);
      renderExceptions();
      if (!data.inAdherence) page.announce(exceptionsLine.textContent ?? '');
    },
    /** Signed out: the figures go. */
    clear() {
      adherenceRows.replaceChildren();
      adherenceTable.hidden = true;
      adherenceNote.textContent = '';
      historyRows.replaceChildren();
      historyTable.hidden = true;
      historyNote.textContent = '';
      exceptions = { graceSeconds: 0, byAgent: new Map() };
      renderExceptions();
    },
  };
}
