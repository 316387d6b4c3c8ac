// On the softphone's caller card: flag the caller for a supervisor to block (abusive, a robocall, a prank),
// with a few words. Agents may not block a number themselves (a block turns away every later call from it);
// the flag goes to every wallboard, and the call's record keeps it. POST /api/interactions/:id/flag.

/** Whether a number names one caller, as the service reads it (src/supervision/caller-flags.ts). */
export const namesACaller = (number) => Boolean(number) && /^\+?\d{3,}$/.test(number);
const REASON_TEXT = { abusive: 'abusive', spam: 'robocall or spam', prank: 'prank', other: 'other' };

/** A flag's reason in words. */
export const flagReasonText = (reason) => REASON_TEXT[reason] ?? reason;

/**
 * @param {{ form: HTMLFormElement, reason: HTMLSelectElement, note: HTMLInputElement,
 *   send: HTMLButtonElement, status: HTMLElement, interactionId: () => string,
 *   callerNumber: () => string | null,
 *   flag: (interactionId: string, body: { reason: string, note?: string }) => Promise<{ reason: string, flaggedAt: string }>,
 *   showError: (message: string) => void }} page
 */
export function initCallerFlag(page) {
  /** The calls this page flagged, by interaction: what the service answered. */
  const flagged = new Map();
  let busy = false;
  const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

  const render = () => {
    const id = page.interactionId();
    const done = id ? flagged.get(id) : undefined;
    const number = page.callerNumber();
    const withheld = !namesACaller(number);
    page.form.hidden = !id || done !== undefined;
    page.send.disabled = busy || withheld;
    page.send.title = withheld
      ? 'The caller withheld their number: there is no number to block'
      : 'Ask a supervisor to block this number';
    page.status.hidden = done === undefined;
    page.status.textContent = done
      ? `Flagged for a supervisor to block (${flagReasonText(done.reason)}) at ${time(done.flaggedAt)}`
      : '';
  };

  page.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = page.interactionId();
    if (!id || busy) return;
    busy = true;
    render();
    try {
      const note = page.note.value.trim();
      const flag = await page.flag(id, { reason: page.reason.value, ...(note ? { note } : {}) });
      flagged.set(id, flag);
      page.note.value = '';
    } catch (error) {
      page.showError(`Cannot flag the caller: ${error.message}`);
    } finally {
      busy = false;
      render();
    }
  });

  return {
    render,
    /** Flags waiting on the caller (the screen pop's): this page's own, after a reload, show as flagged. */
    known(flags) {
      for (const f of flags) if (!flagged.has(f.interactionId)) flagged.set(f.interactionId, f);
    },
    clear() {
      flagged.clear();
      page.note.value = '';
      render();
    },
  };
}
