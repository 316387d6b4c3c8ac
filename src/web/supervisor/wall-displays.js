// The wallboard's Wall displays: links for screens on the floor. Each opens the wall display page with a
// key of its own (the queues' figures and the agents' states, no callers), so no supervisor's session sits
// on a screen anyone can walk up to; Withdraw ends it and blanks its screens at once. GET, POST and DELETE
// /api/wall-displays.
import { ApiError, wallboardApi } from './api.js';
import { renderStandingList } from './standing-list.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @typedef {{ id: string, name: string, link: string, createdAt: string,
 *   createdBy?: { id: string, name: string }, watching: number }} Display
 * @param {{ showError: (message: string) => void, announce: (message: string) => void }} page
 */
export function initWallDisplays(page) {
  const list = $('wall-displays');
  const form = /** @type {HTMLFormElement} */ ($('wall-display-form'));
  const name = /** @type {HTMLInputElement} */ ($('wall-display-name'));
  const note = $('wall-display-note');
  /** @type {Display[]} */
  let displays = [];
  const urlOf = (/** @type {Display} */ d) => new URL(d.link, location.origin).href;
  const describe = (/** @type {Display} */ d) =>
    `${d.name}: ${d.watching === 1 ? '1 screen shows it' : `${d.watching} screens show it`}, made ${new Date(d.createdAt).toLocaleDateString()}${d.createdBy ? ` by ${d.createdBy.name}` : ''}`;
  const failure = (error) => (error instanceof ApiError ? error.message : String(error));

  const render = () =>
    renderStandingList(
      list,
      JSON.stringify(displays),
      'No wall displays: make one for each screen on the floor.',
      displays.map((d) => ({
        id: d.id,
        idField: 'display',
        text: describe(d),
        note: urlOf(d),
        buttons: [
          { label: 'Copy link', action: 'copyDisplay', ariaLabel: `Copy the link of ${d.name}` },
          { label: 'Withdraw', action: 'withdrawDisplay', ariaLabel: `Withdraw the wall display ${d.name}` },
        ],
      })),
    );
  const load = async () => {
    displays = (await wallboardApi.wallDisplays()).items;
    render();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    note.textContent = '';
    try {
      const made = await wallboardApi.makeWallDisplay(name.value);
      name.value = '';
      note.textContent = `Made "${made.name}": open its link on the screen (Copy link).`;
      page.announce(`Wall display ${made.name} made`);
      await load();
    } catch (error) {
      note.textContent = `Not made: ${failure(error)}`;
    }
  });

  list.addEventListener('click', async (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button');
    if (!(button instanceof HTMLButtonElement)) return;
    const copy = button.dataset.copyDisplay;
    const withdraw = button.dataset.withdrawDisplay;
    const display = displays.find((d) => d.id === (copy ?? withdraw));
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
    if (!confirm(`Withdraw "${display.name}"? Its screens go blank and its link opens nothing any more.`))
      return;
    button.disabled = true;
    try {
      await wallboardApi.withdrawWallDisplay(display.id);
      note.textContent = `Withdrew "${display.name}".`;
      page.announce(`Wall display ${display.name} withdrawn`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404))
        page.showError(`Cannot withdraw the wall display: ${failure(error)}`);
    }
    button.disabled = false;
    await load().catch((error) => page.showError(`Cannot read the wall displays: ${failure(error)}`));
  });

  return {
    load,
    clear() {
      displays = [];
      note.textContent = '';
      render();
    },
  };
}
