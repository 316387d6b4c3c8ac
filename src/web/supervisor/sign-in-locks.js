// The wallboard's Sign-in locks: who is kept out after too many wrong passwords (the API's sign-ins or the
// phone server's SIP), from where and until when, and Lift. GET /api/sign-in-locks, DELETE
// /api/sign-in-locks/:id; followed live (`signin.locked`, `signin.unlocked`).
import { ApiError, wallboardApi } from './api.js';
import { renderStandingList } from './standing-list.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * @typedef {{ id: string, account?: { type: string, agentId?: string, supervisorId?: string },
 *   address: string, failures: number, strike: number, lockedAt: string, until: string,
 *   channel: 'api' | 'sip', text: string }} Lock
 * @param {{ showError: (message: string) => void, announce: (message: string) => void,
 *   agentName: (agentId: string) => string }} page
 */
export function initSignInLocks(page) {
  const list = $('sign-in-locks');
  /** @type {Map<string, Lock>} */
  const locks = new Map();

  /** Who, by name where the wallboard knows the agent: "Anna Allen from 10.0.0.9". */
  const who = (/** @type {Lock} */ l) =>
    l.account?.type === 'agent' && l.account.agentId
      ? `${page.agentName(l.account.agentId)} from ${l.address}`
      : l.text;
  const describe = (/** @type {Lock} */ l) =>
    `${who(l)}: ${l.failures} wrong passwords${l.channel === 'sip' ? ' (the last on the phone)' : ''}, locked until ${time(l.until)}${l.strike > 1 ? ` (lock ${l.strike} in a row)` : ''}`;

  const render = () => {
    const now = Date.now();
    for (const [id, l] of locks) if (Date.parse(l.until) <= now) locks.delete(id); // ran out
    const standing = [...locks.values()].sort((a, b) => Date.parse(b.lockedAt) - Date.parse(a.lockedAt));
    renderStandingList(
      list,
      JSON.stringify(standing.map((l) => [l.id, l.until, l.channel])),
      'Nobody is locked out.',
      standing.map((l) => ({
        id: l.id,
        idField: 'lock',
        text: describe(l),
        buttons: [{ label: 'Lift', action: 'liftLock', ariaLabel: `Lift the sign-in lock on ${who(l)}` }],
      })),
    );
  };

  list.addEventListener('click', async (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-lift-lock]');
    if (!(button instanceof HTMLButtonElement)) return;
    const id = button.dataset.liftLock ?? '';
    const lock = locks.get(id);
    button.disabled = true;
    try {
      await wallboardApi.liftSignInLock(id);
      locks.delete(id);
      page.announce(`The sign-in lock on ${lock ? who(lock) : id} is lifted`);
    } catch (error) {
      // Ran out or lifted elsewhere: the list follows the service.
      if (error instanceof ApiError && error.status === 404) locks.delete(id);
      else
        page.showError(`Cannot lift the lock: ${error instanceof ApiError ? error.message : String(error)}`);
    }
    button.disabled = false;
    render();
  });

  return {
    render,
    async load() {
      const standing = await wallboardApi.signInLocks();
      locks.clear();
      for (const l of standing.items) locks.set(l.id, l);
      render();
    },
    /** `signin.locked` or `signin.unlocked`. */
    onEvent(event) {
      const lock = event.data.lock;
      if (event.type === 'signin.unlocked') locks.delete(lock.id);
      else {
        page.announce(`Sign-in locked: ${who(lock)}, ${lock.failures} wrong passwords`);
        locks.set(lock.id, lock);
      }
      render();
    },
    clear() {
      locks.clear();
      render();
    },
  };
}
