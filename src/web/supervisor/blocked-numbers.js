// The wallboard's Blocked numbers: block a caller's number (an abusive caller, a robocaller flooding a
// queue) for a while or until lifted, and the blocks standing with how many calls each turned away and
// Lift. GET/POST/DELETE /api/blocked-numbers; followed live (`number.blocked`, `number.unblocked`).
import { ApiError, wallboardApi } from './api.js';
import { renderStandingList } from './standing-list.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const when = (iso) =>
  new Date(iso).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/**
 * @typedef {{ id: string, number: string, reason: string, blockedAt: string, until: string | null,
 *   by: { id: string, name: string } | null, turnedAway: number, lastTurnedAwayAt: string | null }} Block
 * @param {{ showError: (message: string) => void, announce: (message: string) => void }} page
 */
export function initBlockedNumbers(page) {
  const form = /** @type {HTMLFormElement} */ ($('block-form'));
  const number = /** @type {HTMLInputElement} */ ($('block-number'));
  const reason = /** @type {HTMLInputElement} */ ($('block-reason'));
  const hours = /** @type {HTMLSelectElement} */ ($('block-hours'));
  const submit = /** @type {HTMLButtonElement} */ ($('block-submit'));
  const list = $('blocked-numbers');
  /** @type {Map<string, Block>} */
  const blocks = new Map();

  const describe = (/** @type {Block} */ b) => {
    const by = b.by?.name ?? 'the supervisor token';
    const until = b.until ? `until ${when(b.until)}` : 'until lifted';
    const calls =
      b.turnedAway === 0
        ? 'no call turned away yet'
        : `${b.turnedAway} call${b.turnedAway === 1 ? '' : 's'} turned away, the last ${when(b.lastTurnedAwayAt ?? b.blockedAt)}`;
    return `${b.number}: ${b.reason} (by ${by}, ${when(b.blockedAt)}, ${until}; ${calls})`;
  };

  const render = () => {
    const now = Date.now();
    for (const [id, b] of blocks) if (b.until && Date.parse(b.until) <= now) blocks.delete(id); // ran out
    const standing = [...blocks.values()].sort((a, b) => Date.parse(b.blockedAt) - Date.parse(a.blockedAt));
    renderStandingList(
      list,
      JSON.stringify(standing.map((b) => [b.id, b.turnedAway])),
      'No number is blocked.',
      standing.map((b) => ({
        id: b.id,
        idField: 'block',
        text: describe(b),
        button: { label: 'Lift', action: 'lift', ariaLabel: `Lift the block on ${b.number}` },
      })),
    );
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const chosen = Number(hours.value);
      /** @type {Block} */
      const block = await wallboardApi.blockNumber({
        number: number.value.trim(),
        reason: reason.value.trim(),
        ...(chosen > 0 ? { hours: chosen } : {}),
      });
      blocks.set(block.id, block);
      number.value = '';
      reason.value = '';
      page.announce(`${block.number} is blocked`);
      render();
    } catch (error) {
      page.showError(`Cannot block the number: ${error instanceof ApiError ? error.message : String(error)}`);
    } finally {
      submit.disabled = false;
    }
  });

  list.addEventListener('click', async (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-lift]');
    if (!(button instanceof HTMLButtonElement)) return;
    const id = button.dataset.lift ?? '';
    button.disabled = true;
    try {
      const lifted = await wallboardApi.liftBlock(id);
      blocks.delete(id);
      page.announce(`The block on ${lifted.number} is lifted`);
    } catch (error) {
      // Gone already (run out, lifted elsewhere): the list follows the service.
      if (error instanceof ApiError && error.status === 404) blocks.delete(id);
      else
        page.showError(`Cannot lift the block: ${error instanceof ApiError ? error.message : String(error)}`);
    }
    render();
  });

  return {
    render,
    async load() {
      const { items } = await wallboardApi.blockedNumbers();
      blocks.clear();
      for (const b of items) blocks.set(b.id, b);
      render();
    },
    /** A `number.blocked`, `number.turned-away` (its count) or `number.unblocked` event. */
    onEvent(event) {
      const block = event.data.block;
      if (event.type === 'number.unblocked') blocks.delete(block.id);
      else blocks.set(block.id, block);
      render();
    },
    clear() {
      blocks.clear();
      number.value = '';
      reason.value = '';
      render();
    },
  };
}
