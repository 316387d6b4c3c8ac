// The wallboard's Shifts: the agents' roster for a day (GET /api/shifts), each shift with its breaks, how much
// of it the agent was there so far, and Now: what it plans and whether the agent's live seat keeps to it
// (written again as seats change and as a break starts or ends); Add puts one on (POST /api/shifts), a
// roster file many (itemsCsv), Copy shifts puts days of it on again later (a week onto the next), Edit
// fills the form with one to change it (PUT), Remove takes one off (DELETE). Adherence over days and the seats
// off their roster now are shift-adherence.js's; Staffing's "On shift" column reads the same roster.
import { ApiError, shiftsApi } from './api.js';
import { localDay, quietButton, readTextFile, setChoices, stateLabel, tableRow } from './format.js';
import { dayAfter } from '../common/calendar.js';
import {
  adherenceText,
  breaksInput,
  breaksText,
  clockOf,
  nextPlanChange,
  readBreaks,
  shiftNow,
  shiftSpan,
  shiftTime,
  weekGrid,
} from '../common/shift-text.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @param {{ agents: () => { id: string, name: string }[], seatOf: (agentId: string) => string | undefined,
 *   showError: (message: string) => void, announce: (message: string) => void }} page
 */
export function initShifts(page) {
  const form = /** @type {HTMLFormElement} */ ($('shift-form'));
  const day = /** @type {HTMLInputElement} */ ($('shift-day'));
  const agent = /** @type {HTMLSelectElement} */ ($('shift-agent'));
  const from = /** @type {HTMLInputElement} */ ($('shift-from'));
  const to = /** @type {HTMLInputElement} */ ($('shift-to'));
  const note = /** @type {HTMLInputElement} */ ($('shift-note'));
  const breaksField = /** @type {HTMLInputElement} */ ($('shift-breaks'));
  const cancel = /** @type {HTMLButtonElement} */ ($('shift-cancel'));
  const submit = /** @type {HTMLButtonElement} */ ($('shift-add'));
  const result = $('shift-result');
  const rosterForm = /** @type {HTMLFormElement} */ ($('roster-form'));
  const rosterFile = /** @type {HTMLInputElement} */ ($('roster-file'));
  const rosterAdd = /** @type {HTMLButtonElement} */ ($('roster-add'));
  const copyForm = /** @type {HTMLFormElement} */ ($('shift-copy-form'));
  const copyFrom = /** @type {HTMLInputElement} */ ($('shift-copy-from'));
  const copyDays = /** @type {HTMLInputElement} */ ($('shift-copy-days'));
  const copyTo = /** @type {HTMLInputElement} */ ($('shift-copy-to'));
  const copyButton = /** @type {HTMLButtonElement} */ ($('shift-copy'));
  const weekButton = /** @type {HTMLButtonElement} */ ($('shift-week-show'));
  const rosterLink = /** @type {HTMLAnchorElement} */ ($('shift-file'));
  const weekTable = $('shift-week');
  const table = $('shifts');
  const rows = $('shift-rows');
  const empty = $('shifts-note');
  day.value ||= localDay();
  let generation = 0;
  /** The day's shifts shown, and the timer that writes Now again when a plan changes. */
  let shown = { day: '', items: /** @type {any[]} */ ([]) };
  let planTimer = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
  /** The shift the form changes (Edit), or none: the form adds one. */
  let editing = /** @type {any} */ (undefined);
  const errorText = (error) => (error instanceof ApiError ? error.message : String(error));

  /** The day's roster, read again. */
  async function load() {
    const mine = ++generation;
    const asked = day.value;
    if (!asked) return;
    let items;
    try {
      items = (await shiftsApi.ofDay(asked)).items;
    } catch (error) {
      if (mine === generation) page.showError(`Cannot read the shifts: ${errorText(error)}`);
      return;
    }
    if (mine !== generation) return;
    shown = { day: asked, items };
    rows.replaceChildren(
      ...items.map((s) => {
        const tr = tableRow(
          [
            s.agentName,
            shiftTime(s.start, asked),
            shiftTime(s.end, asked),
            breaksText(s.breaks, asked),
            s.note ?? '',
            adherenceText(s.adherence),
            '',
          ],
          { shift: s.id, agent: s.agentId },
        );
        const cell = document.createElement('td');
        cell.append(
          quietButton(
            'Edit',
            { editShift: s.id },
            `Edit ${s.agentName}'s shift from ${shiftTime(s.start, asked)}`,
          ),
          quietButton(
            'Remove',
            { removeShift: s.id },
            `Remove ${s.agentName}'s shift from ${shiftTime(s.start, asked)}`,
          ),
        );
        tr.append(cell);
        return tr;
      }),
    );
    table.hidden = items.length === 0;
    empty.textContent = items.length === 0 ? 'Nobody is on the roster that day.' : '';
    renderNow();
    if (weekButton.getAttribute('aria-pressed') === 'true') await loadWeek();
  }

  /** Week from this day: every agent's shifts over the 7 days from the day shown, as a grid. */
  async function loadWeek() {
    const first = day.value;
    if (!first) return;
    let items;
    try {
      items = (await shiftsApi.ofDays(first, dayAfter(first, 6))).items;
    } catch (error) {
      page.showError(`Cannot read the week's shifts: ${errorText(error)}`);
      return;
    }
    if (day.value !== first) return; // another day was chosen meanwhile: its read writes the grid
    const grid = weekGrid(items, first, page.agents());
    const th = (text) => {
      const cell = document.createElement('th');
      cell.scope = 'col';
      cell.textContent = text;
      return cell;
    };
    $('shift-week-head').replaceChildren(th('Agent'), ...grid.days.map(th), th('To work'));
    $('shift-week-rows').replaceChildren(
      ...grid.rows.map((r) => tableRow([r.name, ...r.cells, r.hours], { agent: r.agentId })),
    );
    const foot = tableRow(['On the roster', ...grid.onRoster.map(String), '']);
    $('shift-week-foot').replaceChildren(...foot.children);
    weekTable.hidden = false;
  }

  /**
   * Each shift's Now from its plan and the agent's live seat: "Working until 12:00 · Ready", "On break (Lunch)
   * until 12:30 · Talking · not as planned" (marked); blank outside the shift. Written again at the next
   * start or end of a shift or break shown.
   */
  function renderNow() {
    clearTimeout(planTimer);
    const at = Date.now();
    for (const s of shown.items) {
      const cell = rows.querySelector(`tr[data-shift="${CSS.escape(s.id)}"] td:nth-of-type(6)`);
      if (!(cell instanceof HTMLElement)) continue;
      const seat = page.seatOf(s.agentId) ?? 'logged_out';
      const now = shiftNow(s, seat, at, shown.day);
      const text = now ? `${now.text} · ${stateLabel(seat)}${now.kept ? '' : ' · not as planned'}` : '';
      if (cell.textContent !== text) cell.textContent = text;
      cell.classList.toggle('warn', now !== undefined && !now.kept);
    }
    const next = nextPlanChange(shown.items, at);
    // A timer past ~24 days fires at once in browsers: a plan that far off is read again on a later load.
    if (next !== undefined && next - at < 86_400_000) planTimer = setTimeout(renderNow, next - at + 50);
  }

  day.addEventListener('change', () => void load());

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    result.textContent = '';
    try {
      const span = shiftSpan(day.value, from.value, to.value);
      const read = readBreaks(breaksField.value, day.value, span);
      if ('problem' in read) {
        result.textContent = `${editing ? 'Not changed' : 'Not added'}: breaks: ${read.problem}`;
        return;
      }
      const { breaks } = read;
      const made = editing
        ? await shiftsApi.change(editing.id, { agentId: agent.value, ...span, note: note.value, breaks })
        : (
            await shiftsApi.add([
              {
                agentId: agent.value,
                ...span,
                ...(note.value.trim() ? { note: note.value } : {}),
                ...(breaks.length > 0 ? { breaks } : {}),
              },
            ])
          ).items[0];
      const madeBreaks = breaksText(made.breaks, day.value);
      const said = `shift ${shiftTime(made.start, day.value)}–${shiftTime(made.end, day.value)}${
        madeBreaks ? `, break${made.breaks.length > 1 ? 's' : ''} ${madeBreaks}` : ''
      }`;
      result.textContent = editing
        ? `Changed ${made.agentName}'s ${said}.`
        : `${made.agentName} is on ${said}.`;
      stopEditing();
      await load();
    } catch (error) {
      result.textContent = editing
        ? `Not changed: ${errorText(error).replace(/^nothing was changed: (the shift: )?/, '')}`
        : `Not added: ${errorText(error).replace(/^nothing was put on the roster: items\.0:? ?/, '')}`;
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

  /** The form back to adding a shift, emptied of the last one's note and breaks. */
  function stopEditing() {
    editing = undefined;
    submit.textContent = 'Add shift';
    cancel.hidden = true;
    note.value = '';
    breaksField.value = '';
  }

  /** Edit: the form takes the shift's times, breaks and note, and Save changes it. */
  function startEditing(s) {
    editing = s;
    day.value = localDay(new Date(s.start));
    agent.value = s.agentId; // another agent chosen takes the shift (cover)
    from.value = clockOf(s.start);
    to.value = clockOf(s.end);
    breaksField.value = breaksInput(s.breaks);
    note.value = s.note ?? '';
    submit.textContent = 'Save shift';
    cancel.hidden = false;
    result.textContent = `Editing ${s.agentName}'s shift from ${shiftTime(s.start, day.value)}.`;
    from.focus();
  }

  copyForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    copyButton.disabled = true;
    result.textContent = '';
    try {
      const { items } = await shiftsApi.copy(copyFrom.value, Number(copyDays.value), copyTo.value);
      result.textContent = `Copied ${items.length} shift${items.length === 1 ? '' : 's'} from ${copyFrom.value} to ${copyTo.value}.`;
      await load();
    } catch (error) {
      result.textContent = `Nothing was copied: ${errorText(error).replace(/^nothing was put on the roster: /, '')}`;
    } finally {
      copyButton.disabled = false;
    }
  });

  rosterLink.addEventListener('click', async (event) => {
    event.preventDefault();
    if (!day.value) return;
    try {
      await shiftsApi.saveRosterFile(day.value, dayAfter(day.value, 6));
    } catch (error) {
      page.showError(`Cannot download the roster: ${errorText(error)}`);
    }
  });

  weekButton.addEventListener('click', () => {
    const showing = weekButton.getAttribute('aria-pressed') !== 'true';
    weekButton.setAttribute('aria-pressed', String(showing));
    weekButton.textContent = showing ? 'Hide the week' : 'Week from this day';
    if (showing) void loadWeek();
    else weekTable.hidden = true;
  });

  cancel.addEventListener('click', () => {
    stopEditing();
    result.textContent = '';
  });

  rows.addEventListener('click', async (event) => {
    const edit = /** @type {HTMLElement} */ (event.target).closest('button[data-edit-shift]');
    if (edit instanceof HTMLButtonElement) {
      const s = shown.items.find((item) => item.id === edit.dataset.editShift);
      if (s) startEditing(s);
      return;
    }
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
    /** Seats changed (the live stream): Now follows them. */
    renderNow,
    /** The agent choices follow the wallboard's list; a choice made stays chosen. */
    refreshChoices() {
      setChoices(
        agent,
        page.agents().map((a) => new Option(a.name, a.id)),
      );
    },
    clear() {
      generation++;
      clearTimeout(planTimer);
      shown = { day: '', items: [] };
      stopEditing();
      weekButton.setAttribute('aria-pressed', 'false');
      weekButton.textContent = 'Week from this day';
      weekTable.hidden = true;
      rows.replaceChildren();
      table.hidden = true;
      empty.textContent = '';
      result.textContent = '';
    },
  };
}
