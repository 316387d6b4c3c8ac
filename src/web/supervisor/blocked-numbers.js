// The wallboard's Blocked numbers: block a caller's number (an abusive caller, a robocaller flooding a
// queue) for a while or until lifted, and the blocks standing with how many calls each turned away and
// Lift. GET/POST/DELETE /api/blocked-numbers; followed live (`number.blocked`, `number.unblocked`).
// Below, the callers agents flagged for blocking: Block (for the time chosen in the form) or Dismiss.
// GET /api/caller-flags, POST /api/caller-flags/:id/block|dismiss; live (`number.flagged`,
// `number.flags-decided`).
import { ApiError, wallboardApi } from './api.js';
import { flagReasonText } from './format.js';
import { renderStandingList } from './standing-list.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const when = (iso) =>
  new Date(iso).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/**
 * @typedef {{ id: string, number: string, reason: string, blockedAt: string, until: string | null,
 *   by: { id: string, name: string } | null, turnedAway: number, lastTurnedAwayAt: string | null }} Block
 * @typedef {{ id: string, number: string, interactionId: string, agentId: string, reason: string,
 *   note: string | null, flaggedAt: string }} Flag
 * @param {{ showError: (message: string) => void, announce: (message: string) => void,
 *   agentName: (agentId: string) => string }} page
 */
export function initBlockedNumbers(page) {
  const form = /** @type {HTMLFormElement} */ ($('block-form'));
  const number = /** @type {HTMLInputElement} */ ($('block-number'));
  const reason = /** @type {HTMLInputElement} */ ($('block-reason'));
  const hours = /** @type {HTMLSelectElement} */ ($('block-hours'));
  const submit = /** @type {HTMLButtonElement} */ ($('block-submit'));
  const list = $('blocked-numbers');
  const flagList = $('caller-flags');
  /** @type {Map<string, Block>} */
  const blocks = new Map();
  /** @type {Map<string, Flag>} */
  const flags = new Map();
  const errorText = (error) => (error instanceof ApiError ? error.message : String(error));

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
        buttons: [{ label: 'Lift', action: 'lift', ariaLabel: `Lift the block on ${b.number}` }],
      })),
    );
    const waiting = [...flags.values()].sort((a, b) => Date.parse(a.flaggedAt) - Date.parse(b.flaggedAt));
    renderStandingList(
      flagList,
      JSON.stringify(waiting.map((f) => f.id)),
      'No caller is flagged.',
      waiting.map((f) => ({
        id: f.id,
        idField: 'flag',
        text: `${f.number}: ${flagReasonText(f.reason)} (flagged by ${page.agentName(f.agentId)}, ${when(f.flaggedAt)})`,
        ...(f.note ? { note: `“${f.note}”` } : {}),
        buttons: [
          {
            label: 'Block',
            action: 'flagBlock',
            ariaLabel: `Block ${f.number}, flagged by ${page.agentName(f.agentId)}`,
          },
          { label: 'Dismiss', action: 'flagDismiss', ariaLabel: `Dismiss the flag on ${f.number}` },
        ],
      })),
    );
  };

  flagList.addEventListener('click', async (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest(
      'button[data-flag-block], button[data-flag-dismiss]',
    );
    if (!(button instanceof HTMLButtonElement)) return;
    const blocking = button.dataset.flagBlock !== undefined;
    const id = (blocking ? button.dataset.flagBlock : button.dataset.flagDismiss) ?? '';
    const flag = flags.get(id);
    button.disabled = true;
    try {
      if (blocking) {
        const chosen = Number(hours.value);
        const decided = await wallboardApi.blockFlagged(id, chosen > 0 ? { hours: chosen } : {});
        blocks.set(decided.block.id, decided.block);
        for (const f of decided.flags) flags.delete(f.id);
        page.announce(`${decided.block.number} is blocked`);
      } else {
        const decided = await wallboardApi.dismissFlag(id);
        for (const f of decided.flags) flags.delete(f.id);
        page.announce(`The flag on ${flag?.number ?? 'the caller'} is dismissed`);
      }
    } catch (error) {
      // Decided elsewhere: the list follows the service.
      if (error instanceof ApiError && error.status === 404) flags.delete(id);
      else
        page.showError(`Cannot ${blocking ? 'block the number' : 'dismiss the flag'}: ${errorText(error)}`);
    }
    button.disabled = false;
    render();
  });

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
      const [blocked, flagged] = await Promise.all([
        wallboardApi.blockedNumbers(),
        wallboardApi.callerFlags(),
      ]);
      blocks.clear();
      for (const b of blocked.items) blocks.set(b.id, b);
      flags.clear();
      for (const f of flagged.items) flags.set(f.id, f);
      render();
    },
    /**
     * A `number.blocked`, `number.turned-away` (its count) or `number.unblocked` event; `number.flagged` or
     * `number.flags-decided` for the flags.
     */
    onEvent(event) {
      if (event.type === 'number.flagged') {
        const flag = event.data.flag;
        if (!flags.has(flag.id))
          page.announce(
            `${page.agentName(flag.agentId)} flagged ${flag.number} (${flagReasonText(flag.reason)})`,
          );
        flags.set(flag.id, flag);
      } else if (event.type === 'number.flags-decided') {
        for (const f of event.data.flags) flags.delete(f.id);
      } else if (event.type === 'number.unblocked') blocks.delete(event.data.block.id);
      else blocks.set(event.data.block.id, event.data.block);
      render();
    },
    clear() {
      flags.clear();
      blocks.clear();
      number.value = '';
      reason.value = '';
      render();
    },
  };
}
