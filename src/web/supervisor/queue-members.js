// The wallboard's agents of the queue chosen in Queue settings: each with penalty and order (Save, Remove),
// and an agent added. GET/PUT/DELETE /api/queues/:id/members[/:agentId]; followed live (`queue.members`):
// another supervisor's change shows here too, but not over a row being typed in, whose Save is refused
// (412 MEMBER_CHANGED, said with theirs) if the agent's place changed since the row showed it.
import { ApiError, wallboardApi } from './api.js';
import { quietButton, setChoices } from './format.js';
import { memberFromText } from './queue-settings-text.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @typedef {{ agentId: string, penalty: number, order: number, version: string }} Member
 * @typedef {{ tr: HTMLTableRowElement, p: HTMLInputElement, o: HTMLInputElement, shown: Member,
 *   edited: boolean }} Row a member's row: its fields, the place they were filled with, typed into since
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
  /**
   * Lists of the queue shown the live stream brought: a read answering after one came was served before it
   * or alongside it, so the stream's list (as new, and kept up to date by the events after it) stays.
   */
  let streamLists = 0;
  /**
   * The rows of the queue shown, by agent, kept from one showing to the next: a change from the stream does
   * not take the typing (or the focus) from a row being edited, and a save goes with the version of the place
   * its row was filled with, so one made on a place another supervisor changed meanwhile is refused.
   * @type {Map<string, Row>}
   */
  const shownRows = new Map();
  /** The agent this page is adding now: their coming into the list is not someone else's doing. */
  let adding = '';

  const cell = (/** @type {Node | string} */ content, tag = 'td') => {
    const td = document.createElement(tag);
    if (tag === 'th') td.setAttribute('scope', 'row');
    td.append(content);
    return td;
  };
  const numberInput = () => {
    const field = document.createElement('input');
    Object.assign(field, { type: 'text', inputMode: 'numeric', size: 3 });
    return field;
  };
  const button = (/** @type {string} */ text) => {
    const b = quietButton(text, {});
    b.className = 'btn';
    return b;
  };
  const placeText = (/** @type {Member} */ m) => `penalty ${m.penalty}, order ${m.order}`;

  /**
   * Sends a change made from a row (or the add form); the list follows the service's answer (and the stream).
   * A place changed or gone since the row was filled is said, the typing kept, and a second press is made
   * knowing it. Any other refusal is said.
   */
  const change = async (
    /** @type {Row | null} */ row,
    /** @type {() => Promise<string>} */ request,
    againText = 'Your typing is kept; press again to put yours in their place.',
  ) => {
    add.disabled = true;
    try {
      const said = await request();
      if (row) row.edited = false; // the row shows what the service holds now
      note.textContent = said;
      page.announce(said);
      await read(shownFor);
    } catch (error) {
      if (row && error instanceof ApiError && error.code === 'MEMBER_CHANGED') {
        const { agentId } = row.shown;
        const name = page.agentName(agentId);
        const queueName = page.queueName(shownFor);
        const now = (await wallboardApi.queueMembers(shownFor).catch(() => [])).find(
          (/** @type {Member} */ m) => m.agentId === agentId,
        );
        if (now) row.shown = now;
        note.textContent = now
          ? `Not changed: someone changed ${name} in ${queueName} since you opened it: now ${placeText(now)}. ${againText}`
          : `Not changed: someone took ${name} out of ${queueName} since you opened it.`;
        if (!now) await read(shownFor);
      } else {
        note.textContent = `Not changed: ${error instanceof ApiError ? error.message : String(error)}`;
      }
    } finally {
      add.disabled = false;
    }
  };

  /** A member's row, made the first time they are shown; filled with their place unless being typed in. */
  const rowFor = (/** @type {Member} */ m) => {
    let row = shownRows.get(m.agentId);
    if (!row) {
      const tr = document.createElement('tr');
      tr.dataset.agent = m.agentId;
      const made = /** @type {Row} */ ({ tr, p: numberInput(), o: numberInput(), shown: m, edited: false });
      const save = button('Save');
      const remove = quietButton('Remove', {});
      for (const field of [made.p, made.o]) field.addEventListener('input', () => (made.edited = true));
      /** @param {(name: string, queueName: string) => Promise<string>} request @param {string} [again] */
      const act = (request, again) => {
        const name = page.agentName(m.agentId);
        const queueName = page.queueName(shownFor);
        void change(made, () => request(name, queueName), again);
      };
      save.addEventListener('click', () => {
        const typed = memberFromText(made.p.value, made.o.value);
        if ('problem' in typed) {
          note.textContent = `Not changed: ${typed.problem}`;
          return;
        }
        act(async (name, queueName) => {
          const version = made.shown.version;
          const saved = await wallboardApi.setQueueMember(shownFor, m.agentId, typed.member, version);
          return `${name} in ${queueName}: ${placeText(saved)}`;
        });
      });
      remove.addEventListener('click', () =>
        act(async (name, queueName) => {
          await wallboardApi.removeQueueMember(shownFor, m.agentId, made.shown.version);
          return `Took ${name} out of ${queueName}`;
        }, 'Press Remove again to take them out all the same.'),
      );
      tr.append(cell(page.agentName(m.agentId), 'th'), cell(made.p), cell(made.o), cell(save));
      tr.lastElementChild?.append(' ', remove);
      shownRows.set(m.agentId, made);
      row = made;
    }
    const name = page.agentName(m.agentId);
    const queueName = page.queueName(shownFor);
    row.p.setAttribute('aria-label', `${name}'s penalty in ${queueName}`);
    row.o.setAttribute('aria-label', `${name}'s order in ${queueName}`);
    row.tr
      .querySelector('button')
      ?.setAttribute('aria-label', `Save ${name}'s penalty and order in ${queueName}`);
    row.tr.querySelector('.btn-quiet')?.setAttribute('aria-label', `Take ${name} out of ${queueName}`);
    if (!row.edited) {
      row.p.value = String(m.penalty);
      row.o.value = String(m.order);
      row.shown = m;
    } else if (m.version !== row.shown.version) {
      note.textContent = `Someone changed ${name} in ${queueName}: now ${placeText(m)}. Your typing is kept; Save puts yours in their place.`;
    }
    return row;
  };

  const render = () => {
    const wanted = members.map(rowFor);
    const inQueue = new Set(members.map((m) => m.agentId));
    for (const [agentId, row] of shownRows) {
      if (inQueue.has(agentId)) continue;
      shownRows.delete(agentId);
      if (row.edited)
        note.textContent = `Someone took ${page.agentName(agentId)} out of ${page.queueName(shownFor)}; your typing for them is dropped.`;
    }
    const shownNow = [...rows.children];
    if (shownNow.length !== wanted.length || wanted.some((row, i) => shownNow[i] !== row.tr)) {
      // Put in the service's order; the field typed in keeps the focus and its caret.
      const active = document.activeElement;
      const caret = active instanceof HTMLInputElement ? [active.selectionStart, active.selectionEnd] : null;
      rows.replaceChildren(...wanted.map((row) => row.tr));
      if (active instanceof HTMLInputElement && active.isConnected && rows.contains(active)) {
        active.focus();
        if (caret) active.setSelectionRange(caret[0], caret[1]);
      }
    }
    const others = page.agents().filter((a) => !inQueue.has(a.id));
    const chosenToAdd = agent.value;
    setChoices(
      agent,
      others.map((a) => new Option(a.name, a.id)),
    );
    if (chosenToAdd && inQueue.has(chosenToAdd) && chosenToAdd !== adding) {
      // Someone else added the agent chosen here: Add must not go to whoever the list now starts with.
      agent.selectedIndex = -1;
      note.textContent = `Someone added ${page.agentName(chosenToAdd)} to ${page.queueName(shownFor)} meanwhile (their row shows their penalty and order); choose who to add.`;
    }
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
    const streamed = streamLists;
    try {
      const list = await wallboardApi.queueMembers(queueId);
      if (reading !== queueId) return;
      // Run 164: a read after this page's own change answered after the stream had told of another
      // supervisor adding the agent chosen here, and put the list of before back (the agent offered again).
      if (shownFor === queueId && streamLists !== streamed) return;
      if (shownFor !== queueId) shownRows.clear(); // another queue's rows
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
    if (!shownFor) return;
    if (!agentId) {
      note.textContent = 'Not changed: choose who to add.';
      return;
    }
    const typed = memberFromText(penalty.value, order.value);
    if ('problem' in typed) {
      note.textContent = `Not changed: ${typed.problem}`;
      return;
    }
    const name = page.agentName(agentId);
    const queueName = page.queueName(shownFor);
    adding = agentId;
    void change(null, async () => {
      const saved = await wallboardApi.addQueueMember(shownFor, agentId, typed.member).catch((error) => {
        // Added by someone else meanwhile: their place stands (its row comes from the stream), not overwritten.
        if (!(error instanceof ApiError) || error.code !== 'MEMBER_EXISTS') throw error;
        throw new ApiError(
          error.status,
          error.code,
          `someone added ${name} to ${queueName} meanwhile (their row shows their penalty and order)`,
        );
      });
      penalty.value = '';
      order.value = '';
      return `Added ${name} to ${queueName} (penalty ${saved.penalty}, order ${saved.order})`;
    }).finally(() => {
      adding = '';
    });
  });

  return {
    /** The definitions were read again: the chosen queue's agents are read again too. */
    refresh: () => void read(chooser.value),
    /** `queue.members` from the live stream: the list, if it is the queue shown. */
    changed: (/** @type {string} */ queueId, /** @type {Member[]} */ list) => {
      if (queueId !== shownFor) return;
      streamLists++;
      members = list;
      render();
    },
  };
}
