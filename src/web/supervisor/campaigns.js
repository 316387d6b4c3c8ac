// The wallboard's Campaigns: outbound campaigns a queue's agents call while free, inbound work first
// (GET/POST /api/campaigns, …/contacts, …/pause|resume|stop). Started from a list typed or pasted one
// customer per line ("number, name, what about"), followed live (`campaign.changed`).
import { ApiError, campaignApi } from './api.js';
import { callbackListItem } from './callback-list.js';
import {
  campaignFiguresText,
  campaignIdOf,
  campaignProgressText,
  campaignStatusText,
  contactText,
} from './campaign-text.js';
import { quietButton, setChoices, tableRow } from './format.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

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
  const submit = /** @type {HTMLButtonElement} */ ($('campaign-submit'));
  const result = $('campaign-result');
  const table = $('campaigns');
  const rows = $('campaign-rows');
  const detail = $('campaign-detail');
  const detailTitle = $('campaign-detail-title');
  const contactList = $('campaign-contacts');
  const csv = /** @type {HTMLAnchorElement} */ ($('campaign-csv'));
  const figuresLine = $('campaign-figures');
  /** @type {Map<string, any>} */
  const campaigns = new Map();
  /** The campaign whose contacts are shown, if any. */
  let shown = '';
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
    shown = id;
    const c = campaigns.get(id);
    detail.hidden = false;
    detailTitle.textContent = `Contacts of ${c?.name ?? id}`;
    // The file needs the token in a header: a click downloads it (below); the address is for show.
    csv.setAttribute('href', campaignApi.csvLink(id));
    const [reply, figures] = await Promise.all([campaignApi.contacts(id), campaignApi.figures(id)]);
    if (shown !== id) return;
    figuresLine.textContent = campaignFiguresText(figures, page.agentName);
    contactList.replaceChildren(
      ...reply.items.map((contact) => {
        const li = document.createElement('li');
        li.dataset.contact = String(contact.seq);
        li.dataset.state = contact.state;
        li.textContent = contactText(contact, page.agentName);
        return li;
      }),
    );
    if (reply.total > reply.items.length) {
      const more = document.createElement('li');
      more.className = 'none';
      more.textContent = `… and ${reply.total - reply.items.length} more`;
      contactList.append(more);
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const typed = lines.value.split('\n');
    const contacts = typed.map(callbackListItem).filter((item) => item !== undefined);
    if (contacts.length === 0) {
      result.textContent = 'Type one customer per line: number, name, what about.';
      return;
    }
    submit.disabled = true;
    result.textContent = '';
    try {
      const title = name.value.trim();
      const made = await campaignApi.start({
        id: campaignIdOf(title),
        name: title,
        queueId: queue.value,
        contacts,
      });
      campaigns.set(made.id, made);
      const skipped = made.counts.skipped;
      result.textContent = `Started ${made.name} with ${contacts.length} customer${contacts.length === 1 ? '' : 's'}${skipped > 0 ? ` (${skipped} skipped: see Contacts)` : ''}: ${page.queueName(made.queueId)}'s agents call them when free, callers first.`;
      page.announce(`Campaign ${made.name} started`);
      name.value = '';
      lines.value = '';
      render();
    } catch (error) {
      // A refused list says which line (contacts.N, counted from 0 over the lines given).
      result.textContent = `Not started: ${errorText(error)}`;
    } finally {
      submit.disabled = false;
    }
  });

  csv.addEventListener('click', async (event) => {
    event.preventDefault();
    if (!shown) return;
    try {
      await campaignApi.saveCsv(shown);
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
      render();
    },
  };
}
