// Callbacks the agent books: "I'll call you back tomorrow at ten". The wrap-up (and Last call) card books
// one on the call just ended, kept for this agent by default (anyone in the queue may take it an hour
// after it is due); the queue rings this agent when it is due, then dials the customer. The My callbacks
// card lists the ones kept for this agent, soonest first, each with Cancel.
import {
  callbackDueText,
  callbackWhen,
  earliestBooking,
  localInputValue,
  tomorrowThisTime,
} from '../common/callback-time.js';
import { callbackApi } from './api.js';

/**
 * A button that cancels an open callback request (not while its customer is being dialled); `done` runs
 * once it is cancelled.
 */
export function cancelButton(request, label, done, showError) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'btn btn-quiet';
  button.textContent = label;
  button.disabled = request.state === 'dialing';
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await callbackApi.cancel(request.interactionId);
    } catch (error) {
      button.disabled = false;
      showError(error);
      return;
    }
    await done();
  });
  return button;
}

/**
 * @param {{
 *   form: HTMLFormElement, when: HTMLInputElement, mine: HTMLInputElement, note: HTMLInputElement,
 *   queue: HTMLSelectElement, queues: () => string[],
 *   booked: HTMLElement, details: HTMLDetailsElement,
 *   card: HTMLElement, list: HTMLElement, count: HTMLElement,
 *   target: () => string | undefined,
 *   agentId: () => string,
 *   showError: (message: string) => void,
 *   describe: (error: unknown) => string,
 * }} o
 */
export function createCallbackPanel(o) {
  /** @type {any[]} */
  let items = [];
  let loading = Promise.resolve();
  /** The call the form was last opened for: a new call gets a fresh form. */
  let formFor;

  /** A fresh form for the call: tomorrow at this time, rounded to the quarter hour, kept for me. */
  function prepare(interactionId) {
    if (formFor === interactionId) return;
    formFor = interactionId;
    o.when.value = localInputValue(tomorrowThisTime());
    o.when.min = localInputValue(earliestBooking());
    o.mine.checked = true;
    o.note.value = '';
    // The call's own queue by default; an outbound call waited in none, so the agent names one of theirs.
    o.queue.replaceChildren(
      new Option("The call's queue", ''),
      ...o.queues().map((id) => new Option(id, id)),
    );
    o.booked.textContent = '';
    o.details.open = false;
  }

  o.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const interactionId = o.target();
    if (!interactionId) return;
    const at = new Date(o.when.value); // the input's local time
    if (Number.isNaN(at.getTime())) {
      o.booked.textContent = 'Choose a day and a time.';
      return;
    }
    const body = {
      at: at.toISOString(),
      ...(o.queue.value ? { queueId: o.queue.value } : {}),
      ...(o.mine.checked ? { agentId: o.agentId() } : {}),
      ...(o.note.value.trim() ? { note: o.note.value.trim() } : {}),
    };
    const button = o.form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    let booked;
    try {
      booked = await callbackApi.schedule(interactionId, body);
    } catch (error) {
      o.booked.textContent = `Not booked: ${o.describe(error)}`;
      return;
    } finally {
      if (button) button.disabled = false;
    }
    const step = booked.callback;
    o.booked.textContent = `Callback booked for ${callbackWhen(step.notBefore)}${step.reservedFor ? ', kept for you' : ''}${
      step.callableFrom
        ? `; that is outside the queue's callback hours, so it is called from ${callbackWhen(step.callableFrom)}`
        : ''
    }.`;
    await refresh();
  });

  function render() {
    o.count.textContent = String(items.length);
    o.card.dataset.count = String(items.length);
    if (items.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'hint';
      empty.textContent = 'No callbacks booked for you.';
      o.list.replaceChildren(empty);
      return;
    }
    o.list.replaceChildren(...items.map(row));
  }

  function row(item) {
    const li = document.createElement('li');
    li.className = 'callback';
    li.dataset.id = item.interactionId;
    const due = document.createElement('strong');
    due.className = 'callback-due';
    due.textContent = callbackDueText(item);
    const number = document.createElement('span');
    number.className = 'callback-number';
    number.textContent = item.number;
    const cancel = cancelButton(item, 'Cancel', refresh, (error) =>
      o.showError(`Cannot cancel the callback: ${o.describe(error)}`),
    );
    li.append(due, ' ', number, ' ', cancel);
    return li;
  }

  /** Reads the callbacks kept for this agent again (sign-in, a stream snapshot, a callback's step). */
  function refresh() {
    loading = loading.then(async () => {
      try {
        const list = await callbackApi.mine();
        // Soonest first: those due now, then by their time.
        items = list.items.sort(
          (a, b) => Date.parse(a.callback.notBefore ?? 0) - Date.parse(b.callback.notBefore ?? 0),
        );
        o.card.hidden = false;
        render();
      } catch (error) {
        o.showError(`Cannot load your callbacks: ${o.describe(error)}`);
      }
    });
    return loading;
  }

  return {
    prepare,
    refresh,
    items: () => items.map((i) => ({ id: i.interactionId, due: i.callback.notBefore })),
  };
}
