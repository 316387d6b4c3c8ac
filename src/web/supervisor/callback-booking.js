// The call detail's Callback part: a callback booked for the call shows when, for whom, with Cancel; a call
// that has ended (or a voicemail) may be booked one: a time, its queue (the call's by default), the agent
// it is kept for (anyone by default) and what it is about. The queue rings the agent when it is due, then
// dials the customer (POST / DELETE /api/interactions/:id/callback).
import {
  callbackDueText,
  callbackWhen,
  earliestBooking,
  localInputValue,
  tomorrowThisTime,
} from '../common/callback-time.js';
import { ApiError, callbackApi } from './api.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @param {{
 *   agentName: (id: string) => string,
 *   queueName: (id: string) => string,
 *   agents: () => { id: string, name: string }[],
 *   queues: () => { id: string, name: string }[],
 *   changed: (interactionId: string) => void,
 * }} page
 */
export function initCallbackBooking(page) {
  const part = $('call-callback');
  const openNote = $('call-callback-open');
  const cancel = /** @type {HTMLButtonElement} */ ($('call-callback-cancel'));
  const form = /** @type {HTMLFormElement} */ ($('call-callback-form'));
  const when = /** @type {HTMLInputElement} */ ($('call-callback-when'));
  const queue = /** @type {HTMLSelectElement} */ ($('call-callback-queue'));
  const agent = /** @type {HTMLSelectElement} */ ($('call-callback-agent'));
  const note = /** @type {HTMLInputElement} */ ($('call-callback-note'));
  const result = $('call-callback-result');
  /** The call shown, and whether a form of it is being filled in (a re-read of the call keeps it). */
  let callId = '';
  let generation = 0;

  const describe = (error) =>
    error instanceof ApiError ? `${error.message} (${error.code})` : String(error);

  function fresh(call) {
    when.value = localInputValue(tomorrowThisTime());
    when.min = localInputValue(earliestBooking());
    queue.replaceChildren(
      new Option(call.queueId ? `The call's (${page.queueName(call.queueId)})` : 'Choose…', ''),
      ...page.queues().map((q) => new Option(q.name, q.id)),
    );
    agent.replaceChildren(
      new Option('anyone in the queue', ''),
      ...page.agents().map((a) => new Option(a.name, a.id)),
    );
    note.value = '';
  }

  /** Shows the part for the call opened (or read again as it goes on): its open callback, or the form. */
  async function show(call) {
    const mine = ++generation;
    const same = call.id === callId;
    callId = call.id;
    if (!same) result.textContent = '';
    let open;
    try {
      open = (await callbackApi.list()).items.find((r) => r.interactionId === call.id);
    } catch (error) {
      if (mine !== generation) return;
      part.hidden = false;
      result.textContent = `The callbacks cannot be read: ${describe(error)}`;
      return;
    }
    if (mine !== generation) return;
    const bookable = call.state === 'closed' || call.direction === 'voicemail';
    part.hidden = !open && !bookable;
    openNote.hidden = !open;
    cancel.hidden = !open;
    cancel.disabled = open?.state === 'dialing';
    form.hidden = Boolean(open) || !bookable;
    if (open) {
      const kept = open.callback.reservedFor
        ? `, kept for ${page.agentName(open.callback.reservedFor.agentId)}`
        : '';
      openNote.textContent = `A callback to ${open.number} is ${callbackDueText(open)} (${page.queueName(open.queueId)}${kept}).`;
    } else if (!same || form.hidden) fresh(call);
  }

  function hide() {
    generation++;
    callId = '';
    part.hidden = true;
  }

  cancel.addEventListener('click', async () => {
    const id = callId;
    cancel.disabled = true;
    try {
      await callbackApi.cancel(id);
      result.textContent = 'Callback cancelled.';
      page.changed(id);
    } catch (error) {
      cancel.disabled = false;
      result.textContent = `Not cancelled: ${describe(error)}`;
    }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const id = callId;
    const at = new Date(when.value);
    if (Number.isNaN(at.getTime())) {
      result.textContent = 'Choose a day and a time.';
      return;
    }
    const body = {
      at: at.toISOString(),
      ...(queue.value ? { queueId: queue.value } : {}),
      ...(agent.value ? { agentId: agent.value } : {}),
      ...(note.value.trim() ? { note: note.value.trim() } : {}),
    };
    try {
      const booked = await callbackApi.book(id, body);
      result.textContent = `Callback booked for ${callbackWhen(booked.callback.notBefore)}.`;
      page.changed(id);
    } catch (error) {
      result.textContent = `Not booked: ${describe(error)}`;
    }
  });

  return { show, hide };
}
