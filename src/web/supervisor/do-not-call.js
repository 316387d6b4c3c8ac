// The wallboard's Do not call: customers who asked not to be called (noted by agents on their calls, or
// added here, one or a CSV file of them), and Remove when one asks to be called again.
// GET/POST/DELETE /api/do-not-call, POST /api/do-not-call/file; followed live (`number.do-not-call`,
// `number.callable`, `number.do-not-call.file`).
import { ApiError, wallboardApi } from './api.js';
import { readTextFile } from './format.js';
import { matchesTyped } from './list-search.js';
import { renderStandingList } from './standing-list.js';

/** The newest entries the list shows: a list of thousands (a file) stays quick to draw. */
const SHOWN = 200;

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const day = (iso) =>
  new Date(iso).toLocaleDateString([], { month: 'short', day: 'numeric', year: 'numeric' });

/**
 * @typedef {{ id: string, number: string, note: string | null, addedAt: string,
 *   by: { type: 'agent', agentId: string } | { type: 'supervisor', supervisor?: { id: string, name: string } },
 *   interactionId: string | null }} Entry
 * @param {{ showError: (message: string) => void, announce: (message: string) => void,
 *   agentName: (agentId: string) => string }} page
 */
export function initDoNotCall(page) {
  const form = /** @type {HTMLFormElement} */ ($('dnc-form'));
  const number = /** @type {HTMLInputElement} */ ($('dnc-number'));
  const note = /** @type {HTMLInputElement} */ ($('dnc-note'));
  const submit = /** @type {HTMLButtonElement} */ ($('dnc-submit'));
  const list = $('do-not-call');
  const fileForm = /** @type {HTMLFormElement} */ ($('dnc-file-form'));
  const file = /** @type {HTMLInputElement} */ ($('dnc-file'));
  const fileSubmit = /** @type {HTMLButtonElement} */ ($('dnc-file-submit'));
  const fileResult = $('dnc-file-result');
  const count = $('dnc-count');
  const csv = $('dnc-csv');
  const find = /** @type {HTMLInputElement} */ ($('dnc-find'));
  /** @type {Map<string, Entry>} */
  const entries = new Map();
  const errorText = (error) => (error instanceof ApiError ? error.message : String(error));

  const who = (/** @type {Entry} */ e) =>
    e.by.type === 'agent'
      ? `noted by ${page.agentName(e.by.agentId)} on a call`
      : `added by ${e.by.supervisor?.name ?? 'the supervisor token'}`;

  const render = () => {
    const all = [...entries.values()].sort((a, b) => Date.parse(b.addedAt) - Date.parse(a.addedAt));
    // What the supervisor looks for: a number's digits, or words of its note or who added it.
    const typed = find.value;
    const found = all.filter((e) =>
      matchesTyped({ number: e.number, words: `${e.note ?? ''} ${who(e)}` }, typed),
    );
    const standing = found.slice(0, SHOWN);
    const total = all.length.toLocaleString('en-US');
    count.textContent =
      typed.trim() !== ''
        ? found.length === 0
          ? `None of the ${total} numbers on the list matches “${typed.trim()}”`
          : `${found.length.toLocaleString('en-US')} of ${total} match${found.length > SHOWN ? `: the newest ${SHOWN} shown` : ''}`
        : all.length > SHOWN
          ? `${total} numbers on the list: the newest ${SHOWN} shown`
          : '';
    renderStandingList(
      list,
      JSON.stringify(standing.map((e) => e.id)),
      typed.trim() !== '' && all.length > 0 ? 'No number matches.' : 'Nobody asked not to be called.',
      standing.map((e) => ({
        id: e.id,
        idField: 'dnc',
        text: `${e.number}: ${who(e)}, ${day(e.addedAt)}`,
        ...(e.note ? { note: `“${e.note}”` } : {}),
        buttons: [
          { label: 'Remove', action: 'dncRemove', ariaLabel: `Take ${e.number} off the do-not-call list` },
        ],
      })),
    );
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const typed = note.value.trim();
      /** @type {Entry} */
      const entry = await wallboardApi.addDoNotCall({
        number: number.value.trim(),
        ...(typed ? { note: typed } : {}),
      });
      entries.set(entry.id, entry);
      number.value = '';
      note.value = '';
      page.announce(`${entry.number} is on the do-not-call list`);
      render();
    } catch (error) {
      page.showError(`Cannot add the number: ${errorText(error)}`);
    } finally {
      submit.disabled = false;
    }
  });

  find.addEventListener('input', () => render());

  // The file needs the token in a header: a click downloads it; the address is for show.
  csv.addEventListener('click', async (event) => {
    event.preventDefault();
    try {
      await wallboardApi.saveDoNotCallCsv();
    } catch (error) {
      page.showError(`Cannot download the list: ${errorText(error)}`);
    }
  });

  const load = async () => {
    const standing = await wallboardApi.doNotCall();
    entries.clear();
    for (const e of standing.items) entries.set(e.id, e);
    render();
  };

  fileForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return;
    fileSubmit.disabled = true;
    fileResult.textContent = '';
    try {
      const result = await wallboardApi.addDoNotCallFile(await readTextFile(chosen));
      fileResult.textContent = `Added ${result.added} number${result.added === 1 ? '' : 's'} from ${chosen.name}${result.alreadyListed ? ` (${result.alreadyListed} on the list already)` : ''}.`;
      page.announce(`${result.added} numbers put on the do-not-call list`);
      file.value = '';
      await load();
    } catch (error) {
      fileResult.textContent = `Nothing added: ${errorText(error)}`;
    } finally {
      fileSubmit.disabled = false;
    }
  });

  list.addEventListener('click', async (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-dnc-remove]');
    if (!(button instanceof HTMLButtonElement)) return;
    const id = button.dataset.dncRemove ?? '';
    button.disabled = true;
    try {
      const removed = await wallboardApi.removeDoNotCall(id);
      entries.delete(id);
      page.announce(`${removed.number} may be called again`);
    } catch (error) {
      // Removed elsewhere: the list follows the service.
      if (error instanceof ApiError && error.status === 404) entries.delete(id);
      else page.showError(`Cannot remove the number: ${errorText(error)}`);
    }
    render();
  });

  return {
    load,
    /** `number.do-not-call`, `number.callable`, or `number.do-not-call.file` (read the list again). */
    onEvent(event) {
      if (event.type === 'number.do-not-call.file') {
        load().catch((error) => page.showError(`Cannot read the do-not-call list: ${errorText(error)}`));
        return;
      }
      const entry = event.data.entry;
      if (event.type === 'number.callable') entries.delete(entry.id);
      else entries.set(entry.id, entry);
      render();
    },
    clear() {
      entries.clear();
      number.value = '';
      note.value = '';
      find.value = '';
      fileResult.textContent = '';
      render();
    },
  };
}
