// The wallboard's "Erase a customer's data": Check says what is on record about a number (a dry run), then
// Erase, for that same number and reason only, erases it (POST /api/customers/erasures).
import { ApiError, wallboardApi } from './api.js';
import { erasureText } from './erasure-text.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {{ announce: (message: string) => void }} page */
export function initCustomerErasure(page) {
  const form = /** @type {HTMLFormElement} */ ($('erase-form'));
  const number = /** @type {HTMLInputElement} */ ($('erase-number'));
  const reason = /** @type {HTMLInputElement} */ ($('erase-reason'));
  const check = /** @type {HTMLButtonElement} */ ($('erase-check'));
  const erase = /** @type {HTMLButtonElement} */ ($('erase-submit'));
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
