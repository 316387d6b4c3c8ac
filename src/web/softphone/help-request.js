// On the softphone: asking a supervisor for help (a refund over the agent's limit, an abusive caller, a question
// nobody trained them for), on a call or between calls, with a few words; then who is on it. The request is
// the agent's own: read from the stream's snapshot, followed on `agent.help`, withdrawn with Withdraw.

/**
 * @typedef {{ id: string, agentId: string, note: string | null, askedAt: string,
 *   taken: { at: string, by?: { id: string, name: string } } | null, unansweredAt?: string,
 *   ended?: object }} HelpRequest
 * @param {{ form: HTMLFormElement, note: HTMLInputElement, ask: HTMLButtonElement, status: HTMLElement,
 *   withdraw: HTMLButtonElement, agentId: () => string, loggedIn: () => boolean,
 *   send: { ask: (agentId: string, note: string) => Promise<HelpRequest>, withdraw: (agentId: string) => Promise<HelpRequest> },
 *   showError: (message: string) => void }} page
 */
export function initHelpRequest(page) {
  /** @type {HelpRequest | null} */
  let request = null;
  let busy = false;
  const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

  const render = () => {
    const open = request !== null;
    page.form.hidden = open;
    page.ask.disabled = busy || !page.loggedIn();
    page.note.disabled = !page.loggedIn();
    page.status.hidden = !open;
    page.withdraw.hidden = !open;
    page.withdraw.disabled = busy;
    if (!request) {
      page.status.textContent = '';
      return;
    }
    page.status.dataset.taken = String(request.taken !== null);
    page.status.dataset.unanswered = String(!request.taken && request.unansweredAt !== undefined);
    const about = request.note ? ` ("${request.note}")` : '';
    page.status.textContent = request.taken
      ? `${request.taken.by?.name ?? 'A supervisor'} is on it${about} (since ${time(request.taken.at)})`
      : request.unansweredAt
        ? `Help asked at ${time(request.askedAt)}${about}: no supervisor has taken it on yet; they have been told again`
        : `Help asked at ${time(request.askedAt)}${about}: waiting for a supervisor`;
  };

  /** Runs one request to the service, the buttons held meanwhile. */
  const sending = async (what, action) => {
    busy = true;
    render();
    try {
      const reply = await action();
      request = reply.ended ? null : reply;
    } catch (error) {
      page.showError(`Cannot ${what}: ${error.message}`);
    } finally {
      busy = false;
      render();
    }
  };

  page.form.addEventListener('submit', (event) => {
    event.preventDefault();
    sending('ask for help', () => page.send.ask(page.agentId(), page.note.value.trim())).then(() => {
      if (request) page.note.value = '';
    });
  });
  page.withdraw.addEventListener('click', () => {
    sending('withdraw the request for help', () => page.send.withdraw(page.agentId()));
  });

  return {
    render,
    /** The agent's own request as the snapshot has it (null: none). */
    fromSnapshot(help) {
      request = help && !help.ended ? help : null;
      render();
    },
    /** An `agent.help` event (the stream sends an agent only their own). */
    onEvent(data) {
      if (data.agentId !== page.agentId()) return;
      request = data.state === 'ended' ? null : data.help;
      render();
    },
    clear() {
      request = null;
      render();
    },
  };
}
