// The wallboard's Shifts: the agents' roster for a day (GET /api/shifts), each shift begun with how much of
// it the agent was there so far; Add puts one on (POST /api/shifts), a roster file many (itemsCsv), Remove
// takes one off (DELETE). Staffing's "On shift" column reads the same roster.
import { ApiError, shiftsApi } from './api.js';
import { localDay, quietButton, readTextFile, setChoices, tableRow } from './format.js';
import { adherenceText, shiftSpan, shiftTime } from '../common/shift-text.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @param {{ agents: () => { id: string, name: string }[], showError: (message: string) => void,
 *   announce: (message: string) => void }} page
 */
export function initShifts(page) {
  const form = /** @type {HTMLFormElement} */ ($('shift-form'));
  const day = /** @type {HTMLInputElement} */ ($('shift-day'));
  const agent = /** @type {HTMLSelectElement} */ ($('shift-agent'));
  const from = /** @type {HTMLInputElement} */ ($('shift-from'));
  const to = /** @type {HTMLInputElement} */ ($('shift-to'));
  const note = /** @type {HTMLInputElement} */ ($('shift-note'));
  const submit = /** @type {HTMLButtonElement} */ ($('shift-add'));
  const result = $('shift-result');
  const rosterForm = /** @type {HTMLFormElement} */ ($('roster-form'));
  const rosterFile = /** @type {HTMLInputElement} */ ($('roster-file'));
  const rosterAdd = /** @type {HTMLButtonElement} */ ($('roster-add'));
  const table = $('shifts');
  const rows = $('shift-rows');
  const empty = $('shifts-note');
  day.value ||= localDay();
  let generation = 0;
  const errorText = (error) => (error instanceof ApiError ? error.message : String(error));

  /** The day's roster, read again. */
  async function load() {
    const mine = ++generation;
    const shown = day.value;
    if (!shown) return;
    let items;
    try {
      items = (await shiftsApi.ofDay(shown)).items;
    } catch (error) {
      if (mine === generation) page.showError(`Cannot read the shifts: ${errorText(error)}`);
      return;
    }
    if (mine !== generation) return;
    rows.replaceChildren(
      ...items.map((s) => {
        const tr = tableRow(
          [
            s.agentName,
            shiftTime(s.start, shown),
            shiftTime(s.end, shown),
            s.note ?? '',
            adherenceText(s.adherence),
          ],
          { shift: s.id, agent: s.agentId },
        );
        const cell = document.createElement('td');
        cell.append(
          quietButton(
            'Remove',
            { removeShift: s.id },
            `Remove ${s.agentName}'s shift from ${shiftTime(s.start, shown)}`,
          ),
        );
        tr.append(cell);
        return tr;
      }),
    );
    table.hidden = items.length === 0;
    empty.textContent = items.length === 0 ? 'Nobody is on the roster that day.' : '';
  }

  day.addEventListener('change', () => void load());

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    result.textContent = '';
    try {
      const span = shiftSpan(day.value, from.value, to.value);
      const [made] = (
        await shiftsApi.add([
          { agentId: agent.value, ...span, ...(note.value.trim() ? { note: note.value } : {}) },
        ])
      ).items;
      result.textContent = `${made.agentName} is on shift ${shiftTime(made.start, day.value)}–${shiftTime(made.end, day.value)}.`;
      note.value = '';
      await load();
    } catch (error) {
      result.textContent = `Not added: ${errorText(error).replace(/^nothing was put on the roster: items\.0:? ?/, '')}`;
    } finally {
      submit.disabled = false;
    }
  });

  rosterForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = rosterFile.files?.[0];
    if (!chosen) return;
    rosterAdd.disabled = true;
    result.textContent = '';
    try {
      const text = await readTextFile(chosen);
      const { items } = await shiftsApi.addFile(text);
      result.textContent = `Put ${items.length} shift${items.length === 1 ? '' : 's'} from ${chosen.name} on the roster.`;
      rosterFile.value = '';
      await load();
    } catch (error) {
      result.textContent = `Nothing was put on the roster: ${errorText(error).replace(/^nothing was put on the roster: /, '')}`;
    } finally {
      rosterAdd.disabled = false;
    }
  });

  rows.addEventListener('click', async (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-remove-shift]');
    if (!(button instanceof HTMLButtonElement)) return;
    button.disabled = true;
    try {
      const removed = await shiftsApi.remove(button.dataset.removeShift ?? '');
      page.announce(`Removed ${removed.agentName}'s shift`);
      await load();
    } catch (error) {
      button.disabled = false;
      page.showError(`Cannot remove the shift: ${errorText(error)}`);
    }
  });

  return {
    load,
    /** The agent choices follow the wallboard's list; a choice made stays chosen. */
    refreshChoices() {
      setChoices(
        agent,
        page.agents().map((a) => new Option(a.name, a.id)),
      );
    },
    clear() {
      generation++;
      rows.replaceChildren();
      table.hidden = true;
      empty.textContent = '';
      result.textContent = '';
    },
  };
}
