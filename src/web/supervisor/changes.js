// The wallboard's Changes list: what supervisors changed (GET /api/changes), who, when; 25 at a time.
import { ApiError, wallboardApi } from './api.js';
import { changedBy, changeText } from './change-text.js';
import { tableRow } from './format.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/**
 * Wires the Changes section. `showError` shows a failure the way the rest of the page does; `agentName` and
 * `queueName` name what a change is about.
 * @param {{ showError: (message: string) => void, agentName: (id: string) => string,
 *   queueName: (id: string) => string }} page
 */
export function initChanges(page) {
  const table = $('changes');
  const rows = $('changes-rows');
  const note = $('changes-note');
  const more = /** @type {HTMLButtonElement} */ ($('changes-more'));
  const names = { agent: page.agentName, queue: page.queueName };
  /** @type {number | undefined} the next page's `before` */
  let next;
  let shown = 0;

  const read = async (before) => {
    try {
      const reply = await wallboardApi.changes(before);
      if (before === undefined) rows.replaceChildren();
      for (const change of reply.changes) {
        rows.append(
          tableRow([when(change.at), changedBy(change.by, change.action), changeText(change, names)], {
            seq: String(change.seq),
            action: change.action,
          }),
        );
      }
      shown = before === undefined ? reply.changes.length : shown + reply.changes.length;
      next = reply.next;
      table.hidden = shown === 0;
      more.hidden = next === undefined;
      note.textContent = shown === 0 ? 'No change on record.' : `${shown} shown, newest first`;
    } catch (error) {
      page.showError(`Changes: ${error instanceof ApiError ? error.message : String(error)}`);
    }
  };
  $('changes-show').addEventListener('click', () => read(undefined));
  more.addEventListener('click', () => {
    if (next !== undefined) read(next);
  });

  return {
    /** Forgets what was shown (sign-out: the next person at this browser sees nothing of it). */
    clear() {
      rows.replaceChildren();
      table.hidden = true;
      more.hidden = true;
      note.textContent = '';
      next = undefined;
      shown = 0;
    },
  };
}
