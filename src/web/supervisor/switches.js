// The wallboard's Switches: the switches IVR flows route on (config `switches`), each on or off, turned from
// here (PUT /api/switches/:id) and followed live (`switch.changed`). Hidden when none is configured.
import { ApiError, wallboardApi } from './api.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** How long a first click waits for its confirming second one. */
const CONFIRM_MS = 5000;
const time = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

/**
 * @typedef {{ id: string, name: string, description?: string, on: boolean, changedAt?: string,
 *   changedBy?: { id: string, name: string } }} Switch
 */

/**
 * Wires the Switches section. `showError` shows a failure the way the rest of the page does.
 * @param {{ showError: (message: string) => void }} page
 */
export function initSwitches(page) {
  const section = $('switches-section');
  const list = $('switches');
  /** @type {Map<string, Switch>} */
  let switches = new Map();
  const busy = new Set();
  /** Switches whose button was pressed once: every caller is affected, so a second press confirms. */
  const confirming = new Map();

  const render = () => {
    section.hidden = switches.size === 0;
    list.replaceChildren(
      ...[...switches.values()].map((s) => {
        const li = document.createElement('li');
        li.className = 'switch';
        li.dataset.switch = s.id;
        li.dataset.on = String(s.on);
        const name = document.createElement('strong');
        name.textContent = s.name;
        const state = document.createElement('span');
        state.className = 'switch-state';
        state.dataset.field = 'state';
        state.textContent = s.on ? 'On' : 'Off';
        const who = document.createElement('span');
        who.className = 'hint';
        who.dataset.field = 'changed';
        who.textContent = s.changedAt
          ? `${s.on ? 'Turned on' : 'Turned off'} ${time(s.changedAt)}${s.changedBy ? ` by ${s.changedBy.name}` : ''}`
          : 'Never turned on';
        const button = document.createElement('button');
        button.type = 'button';
        const asking = confirming.has(s.id);
        button.className = asking ? 'btn btn-stop' : s.on ? 'btn btn-primary' : 'btn';
        button.textContent = asking
          ? `Confirm: ${s.on ? 'turn off' : 'turn on'}`
          : s.on
            ? 'Turn off'
            : 'Turn on';
        button.dataset.switchSet = s.id;
        button.dataset.on = String(!s.on);
        button.disabled = busy.has(s.id);
        const text = document.createElement('div');
        text.className = 'switch-text';
        text.append(name, state, who);
        if (s.description) {
          const description = document.createElement('p');
          description.className = 'hint';
          description.textContent = s.description;
          text.append(description);
        }
        li.append(text, button);
        return li;
      }),
    );
  };

  list.addEventListener('click', async (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-switch-set]');
    if (!(button instanceof HTMLButtonElement)) return;
    const id = button.dataset.switchSet ?? '';
    if (!confirming.has(id)) {
      confirming.set(
        id,
        window.setTimeout(() => {
          confirming.delete(id);
          render();
        }, CONFIRM_MS),
      );
      render();
      return;
    }
    clearTimeout(confirming.get(id));
    confirming.delete(id);
    busy.add(id);
    render();
    try {
      const updated = await wallboardApi.setSwitch(id, button.dataset.on === 'true');
      switches.set(id, updated);
    } catch (error) {
      page.showError(`The switch was not set: ${error instanceof ApiError ? error.message : String(error)}`);
    } finally {
      busy.delete(id);
      render();
    }
  });

  return {
    /** Reads them all (at sign-in, and after the stream resumed: changes may have been missed). */
    async load() {
      const all = await wallboardApi.switches();
      switches = new Map(all.map((s) => [s.id, s]));
      render();
    },
    /** A `switch.changed` event (stamped `at`): another supervisor, or this one, turned it. */
    changed(data, at) {
      const s = switches.get(data.switchId);
      if (!s) return;
      const { changedBy: _was, ...rest } = s;
      const by = data.by?.supervisor;
      switches.set(s.id, { ...rest, on: data.on, changedAt: at, ...(by ? { changedBy: by } : {}) });
      render();
    },
    clear() {
      for (const timer of confirming.values()) clearTimeout(timer);
      confirming.clear();
      switches = new Map();
      render();
    },
    state: () => [...switches.values()],
  };
}
