// The wallboard's agents of the queue chosen in Queue settings: each with penalty and order (Save, Remove),
// and an agent added. GET/PUT/DELETE /api/queues/:id/members[/:agentId]; followed live (`queue.members`):
// another supervisor's change shows here too.
import { ApiError, wallboardApi } from './api.js';
import { quietButton, setChoices } from './format.js';
import { memberFromText } from './queue-settings-text.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @typedef {{ agentId: string, penalty: number, order: number }} Member
 * @param {{ agents: () => { id: string, name: string }[], agentName: (agentId: string) => string,
 *   queueName: (queueId: string) => string, announce: (message: string) => void }} page
 */
export function initQueueMembers(page) {
  const part = $('queue-members-part');
  const chooser = /** @type {HTMLSelectElement} */ ($('queue-settings-queue'));
  const rows = $('queue-members-rows');
  const form = /** @type {HTMLFormElement} */ ($('queue-member-form'));
  const agent = /** @type {HTMLSelectElement} */ ($('queue-member-agent'));
  const penalty = /** @type {HTMLInputElement} */ ($('queue-member-penalty'));
  const order = /** @type {HTMLInputElement} */ ($('queue-member-order'));
  const add = /** @type {HTMLButtonElement} */ ($('queue-member-add'));
  const note = $('queue-members-note');

  /** The members of the queue shown, in the service's order; the queue they are of. */
  let members = /** @type {Member[]} */ ([]);
  let shownFor = '';
  /** Read for this queue last: an older read answering late is not shown. */
  let reading = '';

  const cell = (/** @type {Node | string} */ content, tag = 'td') => {
    const td = document.createElement(tag);
    if (tag === 'th') td.setAttribute('scope', 'row');
    td.append(content);
    return td;
  };
  const numberInput = (/** @type {string} */ label, /** @type {number} */ value) => {
    const field = document.createElement('input');
    Object.assign(field, { type: 'text', inputMode: 'numeric', size: 3, value: String(value) });
    field.setAttribute('aria-label', label);
    return field;
  };
  const button = (/** @type {string} */ text, /** @type {string} */ label) => {
    const b = quietButton(text, {}, label);
    b.className = 'btn';
    return b;
  };

  /** Sends a change; the list follows the service's answer (and the stream). A refusal is said. */
  const change = async (/** @type {() => Promise<string>} */ request) => {
    add.disabled = true;
    try {
      const said = await request();
      note.textContent = said;
      page.announce(said);
      await read(shownFor);
    } catch (error) {
      note.textContent = `Not changed: ${error instanceof ApiError ? error.message : String(error)}`;
    } finally {
      add.disabled = false;
    }
  };

  const render = () => {
    const queueName = page.queueName(shownFor);
    rows.replaceChildren(
      ...members.map((m) => {
        const name = page.agentName(m.agentId);
        const p = numberInput(`${name}'s penalty in ${queueName}`, m.penalty);
        const o = numberInput(`${name}'s order in ${queueName}`, m.order);
        const save = button('Save', `Save ${name}'s penalty and order in ${queueName}`);
        const remove = quietButton('Remove', {}, `Take ${name} out of ${queueName}`);
        save.addEventListener('click', () => {
          const typed = memberFromText(p.value, o.value);
          if ('problem' in typed) {
            note.textContent = `Not changed: ${typed.problem}`;
            return;
          }
          void change(async () => {
            const saved = await wallboardApi.setQueueMember(shownFor, m.agentId, typed.member);
            return `${name} in ${queueName}: penalty ${saved.penalty}, order ${saved.order}`;
          });
        });
        remove.addEventListener('click', () => {
          void change(async () => {
            await wallboardApi.removeQueueMember(shownFor, m.agentId);
            return `Took ${name} out of ${queueName}`;
          });
        });
        const tr = document.createElement('tr');
        tr.dataset.agent = m.agentId;
        tr.append(cell(name, 'th'), cell(p), cell(o), cell(save));
        tr.lastElementChild?.append(' ', remove);
        return tr;
      }),
    );
    const inQueue = new Set(members.map((m) => m.agentId));
    const others = page.agents().filter((a) => !inQueue.has(a.id));
    setChoices(
      agent,
      others.map((a) => new Option(a.name, a.id)),
    );
    add.disabled = others.length === 0;
  };

  /** Reads the queue's members and shows them (none for a queue not made yet). */
  const read = async (/** @type {string} */ queueId) => {
    reading = queueId;
    if (queueId === '') {
      part.hidden = true;
      shownFor = '';
      return;
    }
    try {
      const list = await wallboardApi.queueMembers(queueId);
      if (reading !== queueId) return;
      members = list;
      shownFor = queueId;
      part.hidden = false;
      render();
    } catch (error) {
      if (reading !== queueId) return;
      part.hidden = true;
      note.textContent = `Cannot read the agents of ${page.queueName(queueId)}: ${error instanceof ApiError ? error.message : String(error)}`;
    }
  };

  chooser.addEventListener('change', () => {
    note.textContent = '';
    void read(chooser.value);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const agentId = agent.value;
    if (!agentId || !shownFor) return;
    const typed = memberFromText(penalty.value, order.value);
    if ('problem' in typed) {
      note.textContent = `Not changed: ${typed.problem}`;
      return;
    }
    const name = page.agentName(agentId);
    const queueName = page.queueName(shownFor);
    void change(async () => {
      const saved = await wallboardApi.setQueueMember(shownFor, agentId, typed.member);
      penalty.value = '';
      order.value = '';
      return `Added ${name} to ${queueName} (penalty ${saved.penalty}, order ${saved.order})`;
    });
  });

  return {
    /** The definitions were read again: the chosen queue's agents are read again too. */
    refresh: () => void read(chooser.value),
    /** `queue.members` from the live stream: the list, if it is the queue shown. */
    changed: (/** @type {string} */ queueId, /** @type {Member[]} */ list) => {
      if (queueId !== shownFor) return;
      members = list;
      render();
    },
  };
}
