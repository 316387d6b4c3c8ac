// The wallboard's Callback list: customers to call back that never rang in (a website's form, a CRM's
// list): one per line, "number, name, what about", or a CSV file (read by the service, which names a bad
// line by its line in the file). The queue calls each when an agent is free, inside its callback hours
// (POST /api/callbacks; all or none: a bad line books nothing and is named).
import { ApiError, callbackApi } from './api.js';
import { readTextFile, setChoices } from './format.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** A line "number, name, what about" as a request; blank lines are none. */
export function callbackListItem(line) {
  const [number = '', name = '', ...about] = line.split(',').map((part) => part.trim());
  if (number === '') return undefined;
  const note = about.join(', ');
  return { number, ...(name ? { name } : {}), ...(note ? { note } : {}) };
}

/**
 * @param {{ queues: () => { id: string, name: string }[] }} page
 */
export function initCallbackList(page) {
  const form = /** @type {HTMLFormElement} */ ($('callback-list-form'));
  const queue = /** @type {HTMLSelectElement} */ ($('callback-list-queue'));
  const when = /** @type {HTMLInputElement} */ ($('callback-list-when'));
  const lines = /** @type {HTMLTextAreaElement} */ ($('callback-list-lines'));
  const file = /** @type {HTMLInputElement} */ ($('callback-list-file'));
  const submit = /** @type {HTMLButtonElement} */ ($('callback-list-submit'));
  const result = $('callback-list-result');

  /** The queue choices follow the wallboard's list; a choice made stays chosen. */
  const refreshChoices = () =>
    setChoices(
      queue,
      page.queues().map((q) => new Option(q.name, q.id)),
    );

  /** What was booked, in words, with (rarely) the lines the queue refused after the check. */
  const bookedText = (reply, lineOf) => {
    const booked = reply.items.length;
    const missed = (reply.notBooked ?? []).map((n) => `line ${lineOf(n)} was not booked: ${n.reason}`);
    return `Booked ${booked} callback${booked === 1 ? '' : 's'} in ${queue.selectedOptions[0]?.textContent ?? queue.value}${when.value ? ` from ${new Date(when.value).toLocaleString()}` : ''}: the queue calls each when an agent is free.${missed.length > 0 ? ` ${missed.join('; ')}.` : ''}`;
  };
  /** A refusal in words; `named` turns the service's places ("items.3.") into the lines typed. */
  const refusedText = (error, named = (message) => message) =>
    `Nothing was booked. ${(error instanceof ApiError ? named(error.message) : String(error)).replace(/^nothing was booked: /, '')}`;

  /** A CSV file, sent whole: the service reads it and names a bad line by its line in the file. */
  const bookFile = async (chosen) => {
    const text = await readTextFile(chosen);
    if (text.trim() === '') {
      result.textContent = `The file ${chosen.name} is empty.`;
      return;
    }
    try {
      const reply = await callbackApi.bookFile(
        queue.value,
        text,
        when.value ? new Date(when.value).toISOString() : undefined,
      );
      result.textContent = bookedText(reply, (n) => n.line ?? n.index + 2);
      file.value = '';
    } catch (error) {
      result.textContent = refusedText(error);
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (chosen) {
      submit.disabled = true;
      result.textContent = '';
      try {
        await bookFile(chosen);
      } finally {
        submit.disabled = false;
      }
      return;
    }
    // Line numbers as typed (blank lines counted), so a refusal points at the right one.
    const typed = lines.value.split('\n');
    const places = [];
    const items = [];
    typed.forEach((line, i) => {
      const item = callbackListItem(line);
      if (!item) return;
      places.push(i + 1);
      items.push(when.value ? { ...item, at: new Date(when.value).toISOString() } : item);
    });
    if (items.length === 0) {
      result.textContent = 'Type one customer per line: number, name, what about; or choose a CSV file.';
      return;
    }
    submit.disabled = true;
    result.textContent = '';
    try {
      const reply = await callbackApi.bookList(queue.value, items);
      // Rarely, a line the queue refused after the check (the same number booked by someone else meanwhile).
      result.textContent = bookedText(reply, (n) => places[n.index] ?? n.index + 1);
      // Only the lines not booked stay, to look at again.
      lines.value = (reply.notBooked ?? []).map((n) => typed[(places[n.index] ?? 0) - 1] ?? '').join('\n');
    } catch (error) {
      // "items.3.number: …" is line 4 as typed (or later, with blank lines).
      result.textContent = refusedText(error, (message) =>
        message.replace(/items\.(\d+)\./g, (_, n) => `line ${places[Number(n)] ?? Number(n) + 1}: `),
      );
    } finally {
      submit.disabled = false;
    }
  });

  return {
    refreshChoices,
    clear() {
      lines.value = '';
      file.value = '';
      result.textContent = '';
    },
  };
}
