// On the softphone: supervisors' messages to this agent (to everyone, one of their queues, or them), shown
// until they run out, are withdrawn, or the agent takes them in ("Got it": POST /api/messages/:id/read, so
// the supervisor sees who has read it and no other browser of theirs shows it again) or answers ("Reply":
// POST /api/messages/:id/replies, which takes it in too; the page says what was sent). Read at sign-in and
// after the stream resumed (GET /api/messages lists those for this agent); followed on `message.*`.

import { MessageBoard } from '../common/message-board.js';

/**
 * @typedef {import('../common/message-board.js').SupervisorMessage} SupervisorMessage
 * @param {{ list: HTMLElement, read: () => Promise<{ items: SupervisorMessage[] }>, agentId: () => string,
 *   queues: () => string[], now: () => number,
 *   markRead: (messageId: string) => Promise<{ readAt: string }>,
 *   reply: (messageId: string, text: string) => Promise<{ at: string, text: string }>,
 *   replyNote: HTMLElement, showError: (message: string) => void }} page
 */
export function initSupervisorMessages(page) {
  const messages = new MessageBoard(page.read);
  const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const forMe = (/** @type {SupervisorMessage} */ m) =>
    m.to.type === 'all' ||
    (m.to.type === 'queue' ? page.queues().includes(m.to.queueId) : m.to.agentId === page.agentId());
  const readByMe = (/** @type {SupervisorMessage} */ m) =>
    (m.readBy ?? []).some((r) => r.agentId === page.agentId());

  /** Withdrawn or run out meanwhile (404): it goes all the same; anything else is said. */
  const failed = (/** @type {SupervisorMessage} */ m, what, error) => {
    if (error?.status === 404) {
      messages.apply({ type: 'message.withdrawn', data: { messageId: m.id } });
      return true;
    }
    page.showError(`Cannot ${what}: ${error?.message ?? error}`);
    return false;
  };

  /** "Reply": a line to type the answer in, under the message; sent, the message is taken in. */
  const replyForm = (/** @type {SupervisorMessage} */ m, opener) => {
    const who = m.from?.name ?? 'the supervisor';
    const form = document.createElement('form');
    form.className = 'message-reply';
    form.hidden = true;
    const input = document.createElement('input');
    input.type = 'text';
    input.maxLength = 300;
    input.required = true;
    input.dataset.replyText = m.id;
    input.placeholder = 'Your answer';
    input.setAttribute('aria-label', `Your reply to ${who}`);
    const send = document.createElement('button');
    send.type = 'submit';
    send.className = 'btn btn-quiet';
    send.textContent = 'Send';
    send.dataset.replySend = m.id;
    form.append(input, send);
    opener.addEventListener('click', () => {
      form.hidden = false;
      opener.hidden = true;
      input.focus();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (input.value.trim() === '') return;
      send.disabled = true;
      try {
        const sent = await page.reply(m.id, input.value);
        messages.readBy(m.id, page.agentId(), sent.at);
        page.replyNote.textContent = `You replied to ${who} at ${time(sent.at)}: “${sent.text}”`;
        page.replyNote.hidden = false;
      } catch (error) {
        if (!failed(m, 'send the reply', error)) send.disabled = false;
      }
      render();
    });
    return form;
  };

  /** One message's line: who sent it, its words, Got it and Reply. */
  const messageItem = (/** @type {SupervisorMessage} */ m) => {
    const li = document.createElement('li');
    li.dataset.message = m.id;
    li.dataset.to = m.to.type;
    const from = document.createElement('strong');
    const scope = m.to.type === 'agent' ? ' (to you)' : m.to.type === 'queue' ? ` (to ${m.to.queueId})` : '';
    from.textContent = `${m.from?.name ?? 'Supervisor'}, ${time(m.sentAt)}${scope}: `;
    const text = document.createElement('span');
    text.dataset.field = 'text';
    text.textContent = m.text;
    const gotIt = document.createElement('button');
    gotIt.type = 'button';
    gotIt.className = 'btn btn-quiet';
    gotIt.textContent = 'Got it';
    gotIt.dataset.read = m.id;
    gotIt.setAttribute('aria-label', `Got it: the message from ${m.from?.name ?? 'a supervisor'}`);
    gotIt.addEventListener('click', async () => {
      gotIt.disabled = true;
      try {
        const { readAt } = await page.markRead(m.id);
        messages.readBy(m.id, page.agentId(), readAt);
      } catch (error) {
        if (!failed(m, 'mark the message read', error)) gotIt.disabled = false;
      }
      render();
    });
    const reply = document.createElement('button');
    reply.type = 'button';
    reply.className = 'btn btn-quiet';
    reply.textContent = 'Reply';
    reply.dataset.replyOpen = m.id;
    reply.setAttribute('aria-label', `Reply to ${m.from?.name ?? 'the supervisor'}`);
    li.append(from, text, ' ', gotIt, ' ', reply, replyForm(m, reply));
    return li;
  };

  const render = () => {
    const now = page.now();
    const showing = messages.showing(now, (m) => forMe(m) && !readByMe(m));
    const key = showing.map((m) => m.id).join(',');
    page.list.hidden = showing.length === 0;
    if (page.list.dataset.key === key) return;
    page.list.dataset.key = key;
    // A line still showing is kept as it is: a reply being typed in it survives a message coming or going.
    const shown = new Map(
      [...page.list.children].map((li) => [/** @type {HTMLElement} */ (li).dataset.message, li]),
    );
    page.list.replaceChildren(...showing.map((m) => shown.get(m.id) ?? messageItem(m)));
  };

  return {
    render,
    async load() {
      await messages.load();
      render();
    },
    /** A `message.sent` or `message.withdrawn` event. */
    onEvent(event) {
      messages.apply(event);
      render();
    },
    clear() {
      messages.clear();
      page.replyNote.hidden = true;
      page.replyNote.textContent = '';
      render();
    },
  };
}
