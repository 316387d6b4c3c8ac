// The wallboard's Do not call: customers who asked not to be called (noted by agents on their calls, or
// added here), and Remove when one asks to be called again. GET/POST/DELETE /api/do-not-call; followed live
// (`number.do-not-call`, `number.callable`).
import { ApiError, wallboardApi } from './api.js';
import { renderStandingList } from './standing-list.js';

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
  /** @type {Map<string, Entry>} */
  const entries = new Map();
  const errorText = (error) => (error instanceof ApiError ? error.message : String(error));

  const who = (/** @type {Entry} */ e) =>
    e.by.type === 'agent'
      ? `noted by ${page.agentName(e.by.agentId)} on a call`
      : `added by ${e.by.supervisor?.name ?? 'the supervisor token'}`;

  const render = () => {
    const standing = [...entries.values()].sort((a, b) => Date.parse(b.addedAt) - Date.parse(a.addedAt));
    renderStandingList(
      list,
      JSON.stringify(standing.map((e) => e.id)),
      'Nobody asked not to be called.',
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
    async load() {
      const standing = await wallboardApi.doNotCall();
      entries.clear();
      for (const e of standing.items) entries.set(e.id, e);
      render();
    },
    /** `number.do-not-call` or `number.callable`. */
    onEvent(event) {
      const entry = event.data.entry;
      if (event.type === 'number.callable') entries.delete(entry.id);
      else entries.set(entry.id, entry);
      render();
    },
    clear() {
      entries.clear();
      number.value = '';
      note.value = '';
      render();
    },
  };
}
