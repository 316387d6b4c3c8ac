// The wallboard's "A customer's data": Download a copy of what is on record about a number (POST
// /api/customers/exports); Check says what an erasure would take (a dry run), then Erase, for that same
// number and reason only, erases it (POST /api/customers/erasures).
import { ApiError, wallboardApi } from './api.js';
import { copyText, erasureText } from './erasure-text.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {{ announce: (message: string) => void }} page */
export function initCustomerData(page) {
  const form = /** @type {HTMLFormElement} */ ($('erase-form'));
  const number = /** @type {HTMLInputElement} */ ($('erase-number'));
  const reason = /** @type {HTMLInputElement} */ ($('erase-reason'));
  const check = /** @type {HTMLButtonElement} */ ($('erase-check'));
  const erase = /** @type {HTMLButtonElement} */ ($('erase-submit'));
  const copy = /** @type {HTMLButtonElement} */ ($('erase-copy'));
  const result = $('erase-result');
  /** What was checked last: Erase is for it alone, so nobody erases a number they did not look at. */
  let checked = '';
  const asked = () => JSON.stringify([number.value.trim(), reason.value.trim()]);
  const errorText = (error) => (error instanceof ApiError ? error.message : String(error));

  const send = async (dryRun) => {
    check.disabled = true;
    erase.disabled = true;
    try {
      const reply = await wallboardApi.eraseCustomer({
        number: number.value.trim(),
        reason: reason.value.trim(),
        dryRun,
      });
      const text = erasureText(reply);
      result.textContent = text;
      if (dryRun) {
        checked = asked();
        erase.disabled = reply.interactions + reply.contacts + reply.campaignContacts === 0;
      } else {
        checked = '';
        form.reset();
        page.announce(text);
      }
    } catch (error) {
      checked = '';
      result.textContent = errorText(error);
    } finally {
      check.disabled = false;
    }
  };

  // The copy is a file for the customer: saved by the browser, not shown on the board.
  copy.addEventListener('click', async () => {
    if (!form.reportValidity()) return;
    copy.disabled = true;
    try {
      const reply = await wallboardApi.customerCopy({
        number: number.value.trim(),
        reason: reason.value.trim(),
      });
      const name = `customer-${reply.number.replace(/[^0-9]/g, '')}.json`;
      const link = document.createElement('a');
      link.href = URL.createObjectURL(
        new Blob([JSON.stringify(reply, null, 2)], { type: 'application/json' }),
      );
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      result.textContent = copyText(reply, name);
    } catch (error) {
      result.textContent = errorText(error);
    } finally {
      copy.disabled = false;
    }
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send(true);
  });
  erase.addEventListener('click', () => {
    if (checked === asked()) void send(false);
  });
  for (const input of [number, reason]) {
    input.addEventListener('input', () => {
      erase.disabled = checked !== asked();
    });
  }
}
