// The wallboard's Help wanted: agents who asked a supervisor for help, the longest waiting first, each with
// what about and on which call; Take it ("I'm coming": the agent and every wallboard see who), Listen to
// the call (rings My phone, as the agent row's Listen does), Reply in a few words (a message to that agent,
// on their softphone for 15 minutes: "take the refund, I approve it"), and Done once seen to. Followed live
// (`agent.help`, the stream's snapshot); hidden when nobody asks.
import { ApiError, wallboardApi } from './api.js';
import { clock } from './format.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const time = (iso) => new Date(iso).toLocaleTimeString();

/**
 * @typedef {{ id: string, agentId: string, interactionId: string | null, note: string | null, askedAt: string,
 *   taken: { at: string, by?: { id: string, name: string } } | null, unansweredAt?: string,
 *   ended?: object }} HelpRequest
 * @param {{ agentName: (agentId: string) => string, onCall: (agentId: string, interactionId: string) => boolean,
 *   listen: (agentId: string, interactionId: string) => void, announce: (message: string) => void,
 *   showError: (message: string) => void }} page
 */
export function initHelpWanted(page) {
  const section = $('help-section');
  const list = $('help-requests');
  /** @type {Map<string, HelpRequest>} by agent */
  let requests = new Map();
  const busy = new Set();

  const render = () => {
    const open = [...requests.values()].sort((a, b) => Date.parse(a.askedAt) - Date.parse(b.askedAt));
    section.hidden = open.length === 0;
    const key = JSON.stringify([
      open,
      [...busy],
      open.map((r) => r.interactionId && page.onCall(r.agentId, r.interactionId)),
    ]);
    if (list.dataset.key === key) return;
    list.dataset.key = key;
    // A reply being typed survives the list being rebuilt (a request taken on, another asked meanwhile).
    const typing = new Map(
      [...list.querySelectorAll('input[data-help-reply-text]')].map((input) => [
        /** @type {HTMLInputElement} */ (input).dataset.helpReplyText,
        /** @type {HTMLInputElement} */ (input).value,
      ]),
    );
    const focused = /** @type {HTMLElement | null} */ (document.activeElement)?.dataset?.helpReplyText;
    list.replaceChildren(
      ...open.map((r) => {
        const name = page.agentName(r.agentId);
        const li = document.createElement('li');
        li.className = 'help-request';
        li.dataset.agent = r.agentId;
        li.dataset.taken = String(r.taken !== null);
        // Nobody took it on within the site's time: marked until someone does.
        li.dataset.unanswered = String(!r.taken && r.unansweredAt !== undefined);
        const who = document.createElement('strong');
        who.textContent = name;
        const what = document.createElement('span');
        what.dataset.field = 'what';
        what.textContent = ` asks for help since ${time(r.askedAt)}${r.interactionId ? ' on a call' : ''}${r.note ? `: "${r.note}"` : ''}`;
        // How long the agent has waited for someone (ticking; see tick), until a supervisor takes it on.
        const waited = document.createElement('span');
        waited.className = 'help-waited';
        waited.dataset.field = 'waited';
        if (!r.taken) waited.dataset.asked = String(Date.parse(r.askedAt));
        const status = document.createElement('span');
        status.className = 'help-taken';
        status.dataset.field = 'taken';
        status.textContent = r.taken
          ? `${r.taken.by?.name ?? 'A supervisor'} is on it (since ${time(r.taken.at)})`
          : r.unansweredAt
            ? 'nobody has taken it on'
            : '';
        const buttons = [];
        const button = (text, action, label) => {
          const b = document.createElement('button');
          b.type = 'button';
          b.className = 'btn';
          b.textContent = text;
          b.dataset.helpAction = action;
          b.dataset.agent = r.agentId;
          b.setAttribute('aria-label', label);
          b.disabled = busy.has(r.agentId);
          buttons.push(b);
        };
        if (!r.taken) button('Take it', 'take', `Take ${name}'s request for help`);
        if (r.interactionId && page.onCall(r.agentId, r.interactionId)) {
          button('Listen', 'listen', `Listen to ${name}'s call`);
        }
        button('Done', 'done', `${name}'s request for help is seen to`);
        const reply = document.createElement('form');
        reply.className = 'help-reply';
        reply.dataset.agent = r.agentId;
        const text = document.createElement('input');
        text.type = 'text';
        text.maxLength = 500;
        text.placeholder = 'Reply: their softphone shows it';
        text.autocomplete = 'off';
        text.dataset.helpReplyText = r.agentId;
        text.setAttribute('aria-label', `Reply to ${name}`);
        text.value = typing.get(r.agentId) ?? '';
        const send = document.createElement('button');
        send.type = 'submit';
        send.className = 'btn';
        send.textContent = 'Reply';
        send.dataset.helpReply = r.agentId;
        send.disabled = busy.has(`reply:${r.agentId}`);
        reply.append(text, ' ', send);
        li.append(who, what, ' ', waited, status, ...buttons, reply);
        return li;
      }),
    );
    if (focused)
      /** @type {HTMLElement | null} */ (
        list.querySelector(`input[data-help-reply-text="${CSS.escape(focused)}"]`)
      )?.focus();
  };

  list.addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = /** @type {HTMLElement} */ (event.target);
    const agentId = form.dataset.agent ?? '';
    const input = /** @type {HTMLInputElement | null} */ (form.querySelector('input[data-help-reply-text]'));
    const typed = input?.value.trim() ?? '';
    if (!agentId || !typed || busy.has(`reply:${agentId}`)) return;
    busy.add(`reply:${agentId}`);
    render();
    try {
      await wallboardApi.sendMessage({ text: typed, to: { type: 'agent', agentId }, minutes: 15 });
      const now = /** @type {HTMLInputElement | null} */ (
        list.querySelector(`input[data-help-reply-text="${CSS.escape(agentId)}"]`)
      );
      // Cleared only if it still holds what was sent (the next words may be typed already).
      if (now && now.value.trim() === typed) now.value = '';
      page.announce(`Reply sent to ${page.agentName(agentId)}`);
    } catch (error) {
      page.showError(
        `Cannot reply to ${page.agentName(agentId)}: ${error instanceof ApiError ? error.message : String(error)}`,
      );
    } finally {
      busy.delete(`reply:${agentId}`);
      render();
    }
  });

  const act = async (agentId, what, action) => {
    const name = page.agentName(agentId);
    busy.add(agentId);
    render();
    try {
      const reply = await action();
      if (reply.ended) requests.delete(agentId);
      else requests.set(agentId, reply);
      page.announce(`${name}: ${what}`);
    } catch (error) {
      page.showError(
        `Cannot ${what === 'taken on' ? 'take on' : 'close'} ${name}'s request for help: ${error instanceof ApiError ? error.message : String(error)}`,
      );
    } finally {
      busy.delete(agentId);
      render();
    }
  };

  list.addEventListener('click', (event) => {
    const b = /** @type {HTMLElement} */ (event.target).closest('button[data-help-action]');
    if (!(b instanceof HTMLButtonElement)) return;
    const agentId = b.dataset.agent ?? '';
    const request = requests.get(agentId);
    if (!request) return;
    if (b.dataset.helpAction === 'take') act(agentId, 'taken on', () => wallboardApi.takeHelp(agentId));
    else if (b.dataset.helpAction === 'done') act(agentId, 'seen to', () => wallboardApi.endHelp(agentId));
    else if (b.dataset.helpAction === 'listen' && request.interactionId)
      page.listen(agentId, request.interactionId);
  });

  return {
    render,
    /** The agent's request standing, if any (their row in Agents says so). */
    of: (agentId) => requests.get(agentId),
    /** Each waiting request's wait, on the server's clock (`now`), every second with the wallboard's ticks. */
    tick(now) {
      for (const span of list.querySelectorAll('[data-asked]')) {
        const seconds = Math.max(0, (now - Number(/** @type {HTMLElement} */ (span).dataset.asked)) / 1000);
        const text = `waiting ${clock(seconds)}`;
        if (span.textContent !== text) span.textContent = text;
      }
    },
    /** Every agent's request standing, from the stream's snapshot. */
    fromSnapshot(agents) {
      requests = new Map(
        (agents ?? [])
          .filter((a) => a.help && !a.help.ended)
          .map((a) => [a.id, /** @type {HelpRequest} */ (a.help)]),
      );
      render();
    },
    /** An `agent.help` event. */
    onEvent(data) {
      if (data.state === 'ended') requests.delete(data.agentId);
      else requests.set(data.agentId, data.help);
      if (data.state === 'asked') {
        page.announce(
          `${page.agentName(data.agentId)} asks for help${data.help.note ? `: ${data.help.note}` : ''}`,
        );
      } else if (data.state === 'unanswered') {
        page.announce(`${page.agentName(data.agentId)} still waits for help: nobody has taken it on`);
      }
      render();
    },
    clear() {
      requests = new Map();
      render();
    },
  };
}
