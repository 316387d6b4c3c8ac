// The wallboard's Campaigns: outbound campaigns a queue's agents call while free, inbound work first
// (GET/POST /api/campaigns, …/contacts, …/pause|resume|stop). Started, and given more customers, from a
// list typed or pasted one customer per line ("number, name, what about") or from a CSV file (read by the
// service, which names a bad line by its line in the file); followed live (`campaign.changed`).
import { ApiError, campaignApi } from './api.js';
import { callbackListItem } from './callback-list.js';
import {
  answeringMachineOf,
  answeringMachineText,
  campaignDayCells,
  campaignFiguresText,
  campaignIdOf,
  campaignProgressText,
  campaignStatusText,
  contactRefusalText,
  contactsShownText,
  contactText,
} from './campaign-text.js';
import { quietButton, readTextFile, setChoices, tableRow } from './format.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** All a campaign's contacts, whatever their state. */
const totalOf = (counts) => Object.values(counts).reduce((sum, n) => sum + n, 0);

/**
 * What a form's customers are: its CSV file if one is chosen (sent whole, as text), else the typed lines,
 * each with its line number as typed, so a refusal can name it. A string when there are none.
 * @param {HTMLTextAreaElement} lines
 * @param {HTMLInputElement} file
 * @returns {Promise<{ body: object, places: number[] } | string>}
 */
async function customersOf(lines, file) {
  const chosen = file.files?.[0];
  if (chosen) {
    const text = await readTextFile(chosen);
    if (text.trim() === '') return `The file ${chosen.name} is empty.`;
    return { body: { contactsCsv: text }, places: [] };
  }
  const places = [];
  const contacts = [];
  lines.value.split('\n').forEach((line, i) => {
    const item = callbackListItem(line);
    if (!item) return;
    places.push(i + 1);
    contacts.push(item);
  });
  if (contacts.length === 0)
    return 'Type one customer per line (number, name, what about), or choose a CSV file.';
  return { body: { contacts }, places };
}

/**
 * @param {{ queues: () => { id: string, name: string }[], queueName: (id: string) => string,
 *   agentName: (id: string) => string, showError: (message: string) => void,
 *   announce: (message: string) => void }} page
 */
export function initCampaigns(page) {
  const form = /** @type {HTMLFormElement} */ ($('campaign-form'));
  const name = /** @type {HTMLInputElement} */ ($('campaign-name'));
  const queue = /** @type {HTMLSelectElement} */ ($('campaign-queue'));
  const lines = /** @type {HTMLTextAreaElement} */ ($('campaign-lines'));
  const file = /** @type {HTMLInputElement} */ ($('campaign-file'));
  const script = /** @type {HTMLTextAreaElement} */ ($('campaign-script'));
  const submit = /** @type {HTMLButtonElement} */ ($('campaign-submit'));
  const result = $('campaign-result');
  const table = $('campaigns');
  const rows = $('campaign-rows');
  const detail = $('campaign-detail');
  const detailTitle = $('campaign-detail-title');
  const contactList = $('campaign-contacts');
  const csv = /** @type {HTMLAnchorElement} */ ($('campaign-csv'));
  const figuresLine = $('campaign-figures');
  const daysTable = $('campaign-days');
  const dayRows = $('campaign-day-rows');
  const stateFilter = /** @type {HTMLSelectElement} */ ($('campaign-contact-state'));
  const countLine = $('campaign-contacts-count');
  const more = /** @type {HTMLButtonElement} */ ($('campaign-contacts-more'));
  const scriptForm = /** @type {HTMLFormElement} */ ($('campaign-script-form'));
  const scriptEdit = /** @type {HTMLTextAreaElement} */ ($('campaign-script-edit'));
  const scriptSave = /** @type {HTMLButtonElement} */ ($('campaign-script-save'));
  const scriptResult = $('campaign-script-result');
  const machine = /** @type {HTMLSelectElement} */ ($('campaign-machine'));
  const machineMessage = /** @type {HTMLInputElement} */ ($('campaign-machine-message'));
  const machineForm = /** @type {HTMLFormElement} */ ($('campaign-machine-form'));
  const machineEdit = /** @type {HTMLSelectElement} */ ($('campaign-edit-machine'));
  const machineEditMessage = /** @type {HTMLInputElement} */ ($('campaign-edit-machine-message'));
  const machineSave = /** @type {HTMLButtonElement} */ ($('campaign-machine-save'));
  const machineResult = $('campaign-machine-result');
  // The message box only for leave_message.
  const followChoice = (select, box) => {
    const sync = () => {
      box.hidden = select.value !== 'leave_message';
      /** @type {HTMLElement} */ (box.previousElementSibling).hidden = box.hidden;
    };
    select.addEventListener('change', sync);
    sync();
    return sync;
  };
  followChoice(machine, machineMessage);
  const syncMachineEdit = followChoice(machineEdit, machineEditMessage);
  const addForm = /** @type {HTMLFormElement} */ ($('campaign-add-form'));
  const addLines = /** @type {HTMLTextAreaElement} */ ($('campaign-add-lines'));
  const addFile = /** @type {HTMLInputElement} */ ($('campaign-add-file'));
  const addSubmit = /** @type {HTMLButtonElement} */ ($('campaign-add-submit'));
  const addResult = $('campaign-add-result');
  /** @type {Map<string, any>} */
  const campaigns = new Map();
  /** The campaign whose contacts are shown, if any. */
  let shown = '';
  /** How many of its contacts (in the state chosen) the list shows: a live refresh keeps as many. */
  let listed = 0;
  const PAGE = 100;
  const errorText = (error) => (error instanceof ApiError ? error.message : String(error));

  /** The queue choices follow the wallboard's list; a choice made stays chosen. */
  const refreshChoices = () =>
    setChoices(
      queue,
      page.queues().map((q) => new Option(q.name, q.id)),
    );

  const render = () => {
    const list = [...campaigns.values()].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    table.hidden = list.length === 0;
    rows.replaceChildren(
      ...list.map((c) => {
        const tr = tableRow(
          [
            c.name,
            page.queueName(c.queueId),
            campaignStatusText(c),
            campaignProgressText(c),
            c.counts.reached,
            c.counts.not_reached,
            c.counts.skipped,
          ],
          { campaign: c.id },
        );
        const cell = document.createElement('td');
        const actions =
          c.status === 'stopped'
            ? []
            : [
                c.status === 'paused'
                  ? quietButton('Resume', { campaignAction: 'resume', campaign: c.id }, `Resume ${c.name}`)
                  : quietButton('Pause', { campaignAction: 'pause', campaign: c.id }, `Pause ${c.name}`),
                quietButton('Stop', { campaignAction: 'stop', campaign: c.id }, `Stop ${c.name} for good`),
              ];
        cell.append(
          quietButton('Contacts', { campaignContacts: c.id }, `The contacts of ${c.name}`),
          ...actions,
        );
        tr.append(cell);
        return tr;
      }),
    );
  };

  const showContacts = async (id) => {
    const c = campaigns.get(id);
    if (shown !== id) {
      addResult.textContent = '';
      scriptResult.textContent = '';
      scriptEdit.value = c?.script ?? '';
      machineResult.textContent = '';
      machineEdit.value = c?.answeringMachine?.action ?? 'connect';
      machineEditMessage.value = (c?.answeringMachine?.message ?? []).join(' ');
      syncMachineEdit();
      stateFilter.value = '';
      listed = 0;
    }
    shown = id;
    detail.hidden = false;
    detailTitle.textContent = `Contacts of ${c?.name ?? id}`;
    // A stopped campaign takes no more customers, and makes no more calls to say anything on.
    addForm.hidden = c?.status === 'stopped';
    scriptForm.hidden = c?.status === 'stopped';
    machineForm.hidden = c?.status === 'stopped';
    const state = stateFilter.value;
    // The file needs the token in a header: a click downloads it (below); the address is for show.
    csv.setAttribute('href', campaignApi.csvLink(id, state));
    csv.textContent = state ? 'These contacts as CSV' : 'Every contact as CSV';
    const [reply, figures] = await Promise.all([
      campaignApi.contacts(id, { state, limit: Math.min(1000, Math.max(PAGE, listed)) }),
      campaignApi.figures(id),
    ]);
    if (shown !== id || stateFilter.value !== state) return;
    figuresLine.textContent = campaignFiguresText(figures, page.agentName);
    dayRows.replaceChildren(
      ...(figures.byDay ?? []).map((d) => tableRow(campaignDayCells(d), { day: d.date })),
    );
    daysTable.hidden = dayRows.childElementCount === 0;
    contactList.replaceChildren(...reply.items.map(contactItem));
    listed = reply.items.length;
    showCount(reply.total);
  };

  const contactItem = (contact) => {
    const li = document.createElement('li');
    li.dataset.contact = String(contact.seq);
    li.dataset.state = contact.state;
    li.textContent = contactText(contact, page.agentName);
    return li;
  };
  /** "100 of 20,000 shown", and Show more while there are more. */
  const showCount = (total) => {
    countLine.textContent = contactsShownText(listed, total);
    more.hidden = listed >= total;
  };

  stateFilter.addEventListener('change', () => {
    if (!shown) return;
    listed = 0;
    showContacts(shown).catch((error) => page.showError(`Cannot read the contacts: ${errorText(error)}`));
  });

  more.addEventListener('click', async () => {
    const id = shown;
    const state = stateFilter.value;
    more.disabled = true;
    try {
      const reply = await campaignApi.contacts(id, { state, offset: listed });
      if (shown !== id || stateFilter.value !== state) return;
      contactList.append(...reply.items.map(contactItem));
      listed += reply.items.length;
      showCount(reply.total);
    } catch (error) {
      page.showError(`Cannot read the contacts: ${errorText(error)}`);
    } finally {
      more.disabled = false;
    }
  });

  const customersText = (n) => `${n} customer${n === 1 ? '' : 's'}`;

  /**
   * A form that sends customers, typed or a CSV file: `send(body)` gives the words for what it did; a
   * refusal follows `refused` ("Not started"), naming typed lines as typed.
   */
  const onCustomersForm = (target, { lines, file, button, out, refused, send }) =>
    target.addEventListener('submit', async (event) => {
      event.preventDefault();
      button.disabled = true;
      out.textContent = '';
      try {
        const customers = await customersOf(lines, file);
        if (typeof customers === 'string') {
          out.textContent = customers;
          return;
        }
        try {
          out.textContent = await send(customers.body);
          lines.value = '';
          file.value = '';
        } catch (error) {
          out.textContent = `${refused}: ${contactRefusalText(errorText(error), customers.places)}`;
        }
      } finally {
        button.disabled = false;
      }
    });

  onCustomersForm(form, {
    lines,
    file,
    button: submit,
    out: result,
    refused: 'Not started',
    send: async (body) => {
      const title = name.value.trim();
      const answeringMachine = answeringMachineOf(machine.value, machineMessage.value);
      if (typeof answeringMachine === 'string') throw new Error(answeringMachine);
      const made = await campaignApi.start({
        id: campaignIdOf(title),
        name: title,
        queueId: queue.value,
        ...body,
        ...(script.value.trim() ? { script: script.value } : {}),
        ...(answeringMachine.action !== 'connect' ? { answeringMachine } : {}),
      });
      campaigns.set(made.id, made);
      page.announce(`Campaign ${made.name} started`);
      name.value = '';
      script.value = '';
      render();
      const machines =
        made.answeringMachine.action === 'connect' ? '' : ` ${answeringMachineText(made.answeringMachine)}.`;
      const skipped = made.counts.skipped;
      return `Started ${made.name} with ${customersText(totalOf(made.counts))}${skipped > 0 ? ` (${skipped} skipped: see Contacts)` : ''}: ${page.queueName(made.queueId)}'s agents call them when free, callers first.${machines}`;
    },
  });

  machineForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = shown;
    if (!id) return;
    const setting = answeringMachineOf(machineEdit.value, machineEditMessage.value);
    if (typeof setting === 'string') {
      machineResult.textContent = `Not saved: ${setting}`;
      return;
    }
    machineSave.disabled = true;
    machineResult.textContent = '';
    try {
      const after = await campaignApi.setAnsweringMachine(id, setting);
      campaigns.set(after.id, after);
      machineResult.textContent = `Saved: ${answeringMachineText(after.answeringMachine)}, for the calls answered from now on.`;
    } catch (error) {
      machineResult.textContent = `Not saved: ${errorText(error)}`;
    } finally {
      machineSave.disabled = false;
    }
  });

  scriptForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = shown;
    if (!id) return;
    scriptSave.disabled = true;
    scriptResult.textContent = '';
    try {
      const after = await campaignApi.setScript(id, scriptEdit.value.trim() || null);
      campaigns.set(after.id, after);
      scriptResult.textContent = after.script
        ? 'Saved: the calls that ring from now on show it.'
        : 'No script now: the calls that ring from now on show none.';
    } catch (error) {
      scriptResult.textContent = `Not saved: ${errorText(error)}`;
    } finally {
      scriptSave.disabled = false;
    }
  });

  onCustomersForm(addForm, {
    lines: addLines,
    file: addFile,
    button: addSubmit,
    out: addResult,
    refused: 'Nothing added',
    send: async (body) => {
      const id = shown;
      const before = campaigns.get(id);
      const after = await campaignApi.addContacts(id, body);
      campaigns.set(after.id, after);
      render();
      showContacts(id).catch((error) => page.showError(`Cannot read the contacts: ${errorText(error)}`));
      const added = totalOf(after.counts) - totalOf(before?.counts ?? after.counts);
      const skipped = after.counts.skipped - (before?.counts.skipped ?? after.counts.skipped);
      page.announce(`${customersText(added)} added to ${after.name}`);
      return `Added ${customersText(added)} to ${after.name}${skipped > 0 ? ` (${skipped} skipped)` : ''}: called after those it has.`;
    },
  });

  csv.addEventListener('click', async (event) => {
    event.preventDefault();
    if (!shown) return;
    try {
      await campaignApi.saveCsv(shown, stateFilter.value);
    } catch (error) {
      page.showError(`Cannot download the contacts: ${errorText(error)}`);
    }
  });

  rows.addEventListener('click', async (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const contactsButton = target.closest('button[data-campaign-contacts]');
    if (contactsButton instanceof HTMLButtonElement) {
      showContacts(contactsButton.dataset.campaignContacts ?? '').catch((error) =>
        page.showError(`Cannot read the contacts: ${errorText(error)}`),
      );
      return;
    }
    const button = target.closest('button[data-campaign-action]');
    if (!(button instanceof HTMLButtonElement)) return;
    const id = button.dataset.campaign ?? '';
    const action = button.dataset.campaignAction ?? '';
    button.disabled = true;
    try {
      const changed = await campaignApi.act(id, action);
      campaigns.set(changed.id, changed);
      page.announce(`${changed.name}: ${campaignStatusText(changed).toLowerCase()}`);
    } catch (error) {
      page.showError(`Cannot ${action} the campaign: ${errorText(error)}`);
    }
    render();
  });

  return {
    refreshChoices,
    async load() {
      const reply = await campaignApi.list();
      campaigns.clear();
      for (const c of reply.items) campaigns.set(c.id, c);
      render();
    },
    /** `campaign.changed` */
    onEvent(event) {
      const c = event.data.campaign;
      campaigns.set(c.id, c);
      render();
      if (shown === c.id) showContacts(c.id).catch(() => undefined);
    },
    clear() {
      campaigns.clear();
      shown = '';
      detail.hidden = true;
      contactList.replaceChildren();
      result.textContent = '';
      addResult.textContent = '';
      scriptResult.textContent = '';
      render();
    },
  };
}
