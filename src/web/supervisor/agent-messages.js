// The wallboard's Message agents: a message every agent, a queue's members or one agent read on their
// softphones ("The billing system is down: take a number and promise a callback") for a while, and the
// messages showing now, who has read each and what agents replied, with Withdraw. POST/GET/DELETE
// /api/messages; followed live (`message.*`; a reply is also said to screen readers).
import { MessageBoard } from '../common/message-board.js';
import { ApiError, wallboardApi } from './api.js';
import { setChoices } from './format.js';
import { renderStandingList } from './standing-list.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * @typedef {import('../common/message-board.js').SupervisorMessage} Message
 * @param {{ queues: () => { id: string, name: string }[], agents: () => { id: string, name: string }[],
 *   showError: (message: string) => void, announce: (message: string) => void }} page
 */
export function initAgentMessages(page) {
  const form = /** @type {HTMLFormElement} */ ($('message-form'));
  const to = /** @type {HTMLSelectElement} */ ($('message-to'));
  const text = /** @type {HTMLTextAreaElement} */ ($('message-text'));
  const minutes = /** @type {HTMLSelectElement} */ ($('message-minutes'));
  const submit = /** @type {HTMLButtonElement} */ ($('message-submit'));
  const list = $('messages');
  const messages = new MessageBoard(wallboardApi.messages);

  const whom = (/** @type {Message['to']} */ target) => {
    if (target.type === 'queue')
      return page.queues().find((q) => q.id === target.queueId)?.name ?? target.queueId;
    if (target.type === 'agent')
      return page.agents().find((a) => a.id === target.agentId)?.name ?? target.agentId;
    return 'everyone';
  };

  /** Everyone, each queue, each agent; a choice made stays chosen. */
  const refreshChoices = () =>
    setChoices(to, [
      new Option('Everyone', 'all'),
      ...page.queues().map((q) => new Option(`Queue: ${q.name}`, `queue:${q.id}`)),
      ...page.agents().map((a) => new Option(`Agent: ${a.name}`, `agent:${a.id}`)),
    ]);

  const agentName = (agentId) => page.agents().find((a) => a.id === agentId)?.name ?? agentId;
  /**
   * "read by 1 of 3: Anna Allen" (the names in the order they read it), "read by 0 of 3"; then each reply,
   * "Anna Allen at 03:15 PM: “I can stay until 7”".
   */
  const readNote = (/** @type {Message} */ m) => {
    const readers = (m.readBy ?? []).map((r) => agentName(r.agentId));
    const of = m.reaches ?? 0;
    const read =
      readers.length === 0
        ? `read by 0 of ${of}`
        : `read by ${readers.length} of ${Math.max(of, readers.length)}: ${readers.join(', ')}`;
    const replies = (m.replies ?? []).map((r) => `${agentName(r.agentId)} at ${time(r.at)}: “${r.text}”`);
    return [read, ...replies].join(' · ');
  };

  const render = () => {
    const now = Date.now();
    const showing = messages.showing(now);
    renderStandingList(
      list,
      JSON.stringify([
        showing.map((m) => [m.id, (m.readBy ?? []).length, (m.replies ?? []).length]),
        page.queues().length,
        page.agents().length,
      ]),
      'No message is showing.',
      showing.map((m) => ({
        id: m.id,
        idField: 'message',
        text: `To ${whom(m.to)}, from ${m.from?.name ?? 'the supervisor token'} at ${time(m.sentAt)}, until ${time(m.expiresAt)}: ${m.text}`,
        note: readNote(m),
        buttons: [
          { label: 'Withdraw', action: 'withdraw', ariaLabel: `Withdraw the message to ${whom(m.to)}` },
        ],
      })),
    );
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const [type, id] = to.value.split(':');
    const target =
      type === 'queue' ? { type, queueId: id } : type === 'agent' ? { type, agentId: id } : { type: 'all' };
    submit.disabled = true;
    const typed = text.value;
    try {
      const sent = await wallboardApi.sendMessage({
        text: typed,
        to: target,
        minutes: Number(minutes.value),
      });
      messages.apply({ type: 'message.sent', data: { message: sent } });
      // Cleared only if it still holds what was sent: the next message may be typed already (the stream
      // can show this one before its reply comes).
      if (text.value === typed) text.value = '';
      page.announce(`Message sent to ${whom(sent.to)}`);
      render();
    } catch (error) {
      page.showError(`Cannot send the message: ${error instanceof ApiError ? error.message : String(error)}`);
    } finally {
      submit.disabled = false;
    }
  });

  list.addEventListener('click', async (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-withdraw]');
    if (!(button instanceof HTMLButtonElement)) return;
    const id = button.dataset.withdraw ?? '';
    button.disabled = true;
    try {
      await wallboardApi.withdrawMessage(id);
      messages.apply({ type: 'message.withdrawn', data: { messageId: id } });
      render();
    } catch (error) {
      // Gone already (run out, withdrawn elsewhere): the list follows the service.
      if (error instanceof ApiError && error.status === 404)
        messages.apply({ type: 'message.withdrawn', data: { messageId: id } });
      else
        page.showError(
          `Cannot withdraw the message: ${error instanceof ApiError ? error.message : String(error)}`,
        );
      render();
    }
  });

  return {
    refreshChoices,
    render,
    async load() {
      await messages.load();
      render();
    },
    /** A `message.sent`, `message.read`, `message.replied` or `message.withdrawn` event. */
    onEvent(event) {
      messages.apply(event);
      if (event.type === 'message.replied')
        page.announce(`${agentName(event.data.agentId)} replied to a message: ${event.data.text}`);
      render();
    },
    clear() {
      messages.clear();
      text.value = '';
      render();
    },
  };
}
