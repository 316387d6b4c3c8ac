// On the softphone: supervisors' messages to this agent (to everyone, one of their queues, or them), shown
// until they run out, are withdrawn, or the agent dismisses them (kept in this browser). Read at sign-in
// and after the stream resumed (GET /api/messages lists those for this agent); followed on `message.*`.

import { MessageBoard } from '../common/message-board.js';

const DISMISSED_KEY = 'softphone.dismissedMessages';

/**
 * @typedef {import('../common/message-board.js').SupervisorMessage} SupervisorMessage
 * @param {{ list: HTMLElement, read: () => Promise<{ items: SupervisorMessage[] }>, agentId: () => string,
 *   queues: () => string[], now: () => number }} page
 */
export function initSupervisorMessages(page) {
  const messages = new MessageBoard(page.read);
  const dismissed = new Set(JSON.parse(localStorage.getItem(DISMISSED_KEY) ?? '[]'));
  const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const forMe = (/** @type {SupervisorMessage} */ m) =>
    m.to.type === 'all' ||
    (m.to.type === 'queue' ? page.queues().includes(m.to.queueId) : m.to.agentId === page.agentId());

  const render = () => {
    const now = page.now();
    const showing = messages.showing(now, (m) => forMe(m) && !dismissed.has(m.id));
    const key = showing.map((m) => m.id).join(',');
    page.list.hidden = showing.length === 0;
    if (page.list.dataset.key === key) return;
    page.list.dataset.key = key;
    page.list.replaceChildren(
      ...showing.map((m) => {
        const li = document.createElement('li');
        li.dataset.message = m.id;
        li.dataset.to = m.to.type;
        const from = document.createElement('strong');
        const scope =
          m.to.type === 'agent' ? ' (to you)' : m.to.type === 'queue' ? ` (to ${m.to.queueId})` : '';
        from.textContent = `${m.from?.name ?? 'Supervisor'}, ${time(m.sentAt)}${scope}: `;
        const text = document.createElement('span');
        text.dataset.field = 'text';
        text.textContent = m.text;
        const dismiss = document.createElement('button');
        dismiss.type = 'button';
        dismiss.className = 'btn btn-quiet';
        dismiss.textContent = 'Dismiss';
        dismiss.setAttribute('aria-label', `Dismiss the message from ${m.from?.name ?? 'a supervisor'}`);
        dismiss.addEventListener('click', () => {
          dismissed.add(m.id);
          // Only ids of messages still known: the list does not grow for ever.
          localStorage.setItem(
            DISMISSED_KEY,
            JSON.stringify([...dismissed].filter((id) => messages.byId.has(id))),
          );
          render();
        });
        li.append(from, text, ' ', dismiss);
        return li;
      }),
    );
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
      render();
    },
  };
}
