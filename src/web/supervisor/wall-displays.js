// The wallboard's Wall displays: links for screens on the floor. Each opens the wall display page with a
// key of its own (the queues' figures and the agents' states, no callers), so no supervisor's session sits
// on a screen anyone can walk up to. A team's screen shows the queues ticked (and the agents in them), none
// ticked every queue; Change queues sets them again with the same link; Withdraw ends it and blanks its
// screens at once. GET, POST, PUT …/queues and DELETE /api/wall-displays.
import { ApiError, wallboardApi } from './api.js';
import { renderStandingList } from './standing-list.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @typedef {{ id: string, name: string, link: string, createdAt: string,
 *   createdBy?: { id: string, name: string }, queueIds?: string[], watching: number }} Display
 * @param {{ showError: (message: string) => void, announce: (message: string) => void,
 *   queues: () => { id: string, name: string }[] }} page
 */
export function initWallDisplays(page) {
  const list = $('wall-displays');
  const form = /** @type {HTMLFormElement} */ ($('wall-display-form'));
  const name = /** @type {HTMLInputElement} */ ($('wall-display-name'));
  const nameLabel = $('wall-display-name-label');
  const queueBoxes = $('wall-display-queues');
  const submit = /** @type {HTMLButtonElement} */ ($('wall-display-make'));
  const cancel = /** @type {HTMLButtonElement} */ ($('wall-display-cancel'));
  const note = $('wall-display-note');
  /** @type {Display[]} */
  let displays = [];
  /** The display whose queues the form is changing; null: the form makes a new one. */
  /** @type {Display | null} */
  let changing = null;
  const urlOf = (/** @type {Display} */ d) => new URL(d.link, location.origin).href;
  const queueName = (id) => page.queues().find((q) => q.id === id)?.name ?? id;
  const shows = (/** @type {Display} */ d) =>
    d.queueIds ? d.queueIds.map(queueName).join(', ') : 'every queue';
  const describe = (/** @type {Display} */ d) =>
    `${d.name} (${shows(d)}): ${d.watching === 1 ? '1 screen shows it' : `${d.watching} screens show it`}, made ${new Date(d.createdAt).toLocaleDateString()}${d.createdBy ? ` by ${d.createdBy.name}` : ''}`;
  const failure = (error) => (error instanceof ApiError ? error.message : String(error));

  const render = () =>
    renderStandingList(
      list,
      JSON.stringify([displays, page.queues()]),
      'No wall displays: make one for each screen on the floor.',
      displays.map((d) => ({
        id: d.id,
        idField: 'display',
        text: describe(d),
        note: urlOf(d),
        buttons: [
          { label: 'Copy link', action: 'copyDisplay', ariaLabel: `Copy the link of ${d.name}` },
          { label: 'Change queues', action: 'changeDisplay', ariaLabel: `Change the queues ${d.name} shows` },
          { label: 'Withdraw', action: 'withdrawDisplay', ariaLabel: `Withdraw the wall display ${d.name}` },
        ],
      })),
    );

  /** The queue boxes, ticked as they were (or as `ticked` says), for the queues there are now. */
  const refreshChoices = (/** @type {string[] | undefined} */ ticked) => {
    const was = ticked ?? chosenQueues() ?? [];
    queueBoxes.replaceChildren(
      ...page.queues().map((q) => {
        const box = Object.assign(document.createElement('input'), { type: 'checkbox', value: q.id });
        box.checked = was.includes(q.id);
        const label = document.createElement('label');
        label.append(box, ` ${q.name}`);
        return label;
      }),
    );
    render();
  };
  /** The queues ticked; undefined when none is: every queue. */
  const chosenQueues = () => {
    const ids = [...queueBoxes.querySelectorAll('input:checked')].map(
      (b) => /** @type {HTMLInputElement} */ (b).value,
    );
    return ids.length ? ids : undefined;
  };
  const makeMode = () => {
    changing = null;
    name.hidden = false;
    nameLabel.hidden = false;
    name.required = true;
    submit.textContent = 'Make link';
    cancel.hidden = true;
  };

  const load = async () => {
    displays = (await wallboardApi.wallDisplays()).items;
    render();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    note.textContent = '';
    const queueIds = chosenQueues();
    try {
      if (changing) {
        const changed = await wallboardApi.showWallDisplayQueues(changing.id, queueIds ?? null);
        note.textContent = `"${changed.name}" shows ${shows(changed)} now: its screens too.`;
        page.announce(`Wall display ${changed.name} shows ${shows(changed)}`);
        makeMode();
      } else {
        const made = await wallboardApi.makeWallDisplay(name.value, queueIds);
        name.value = '';
        note.textContent = `Made "${made.name}" (${shows(made)}): open its link on the screen (Copy link).`;
        page.announce(`Wall display ${made.name} made`);
      }
      refreshChoices([]);
      await load();
    } catch (error) {
      note.textContent = `${changing ? 'Not changed' : 'Not made'}: ${failure(error)}`;
    }
  });
  cancel.addEventListener('click', () => {
    makeMode();
    refreshChoices([]);
    note.textContent = '';
  });

  list.addEventListener('click', async (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button');
    if (!(button instanceof HTMLButtonElement)) return;
    const { copyDisplay: copy, changeDisplay: change, withdrawDisplay: withdraw } = button.dataset;
    const display = displays.find((d) => d.id === (copy ?? change ?? withdraw));
    if (!display) return;
    if (copy) {
      try {
        await navigator.clipboard.writeText(urlOf(display));
        note.textContent = `The link of "${display.name}" is copied: open it on the screen.`;
      } catch {
        // Clipboard refused (not https, no permission): the link is on the line to select by hand.
        note.textContent = `Copy the link of "${display.name}" from its line.`;
      }
      return;
    }
    if (change) {
      changing = display;
      name.hidden = true;
      nameLabel.hidden = true;
      name.required = false;
      submit.textContent = `Save the queues of ${display.name}`;
      cancel.hidden = false;
      refreshChoices(display.queueIds ?? []);
      note.textContent = `Tick the queues "${display.name}" shows (none: every queue), then save.`;
      return;
    }
    if (!confirm(`Withdraw "${display.name}"? Its screens go blank and its link opens nothing any more.`))
      return;
    button.disabled = true;
    try {
      await wallboardApi.withdrawWallDisplay(display.id);
      note.textContent = `Withdrew "${display.name}".`;
      page.announce(`Wall display ${display.name} withdrawn`);
      if (changing?.id === display.id) makeMode();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404))
        page.showError(`Cannot withdraw the wall display: ${failure(error)}`);
    }
    button.disabled = false;
    await load().catch((error) => page.showError(`Cannot read the wall displays: ${failure(error)}`));
  });

  return {
    load,
    refreshChoices: () => refreshChoices(),
    clear() {
      displays = [];
      note.textContent = '';
      makeMode();
      render();
    },
  };
}
