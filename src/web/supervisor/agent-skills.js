// The wallboard's Agent skills: what each agent is skilled in (skills-based queues offer a caller to the
// agents with the skills they need, best level first), changed live: PUT /api/agents/:id/skills saves the
// whole map, DELETE puts the config file's back. Followed live (`agent.skills`): another supervisor's change
// shows here too.
import { ApiError, wallboardApi } from './api.js';
import { skillsFromText, skillsText } from './skills-text.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @param {{ agents: () => { id: string, name: string, skills?: Record<string, number> }[],
 *   setSkills: (agentId: string, skills: Record<string, number>) => void,
 *   announce: (message: string) => void }} page
 */
export function initAgentSkills(page) {
  const form = /** @type {HTMLFormElement} */ ($('skills-form'));
  const agent = /** @type {HTMLSelectElement} */ ($('skills-agent'));
  const field = /** @type {HTMLInputElement} */ ($('skills-text'));
  const save = /** @type {HTMLButtonElement} */ ($('skills-save'));
  const reset = /** @type {HTMLButtonElement} */ ($('skills-reset'));
  const note = $('skills-note');

  const chosen = () => page.agents().find((a) => a.id === agent.value);
  /** The chosen agent's skills, in the field (unless being typed in) and in words. */
  const show = (force = false) => {
    const a = chosen();
    if (!a) {
      note.textContent = '';
      return;
    }
    if (force || document.activeElement !== field)
      field.value = skillsText(a.skills ?? {}).replace(/^no skills$/, '');
    note.textContent = `${a.name}: ${skillsText(a.skills ?? {})}`;
  };

  /** The agent choices follow the wallboard's list; a choice made stays chosen. */
  const refreshChoices = () => {
    const was = agent.value;
    const list = page.agents();
    agent.replaceChildren(...list.map((a) => new Option(a.name, a.id)));
    if (list.some((a) => a.id === was)) agent.value = was;
    show();
  };
  agent.addEventListener('change', () => show(true));

  /** Saves (or resets) and shows what the service now holds; a refusal leaves the field as typed. */
  const change = async (what, request) => {
    const a = chosen();
    if (!a) return;
    save.disabled = true;
    reset.disabled = true;
    try {
      const reply = await request(a.id);
      page.setSkills(a.id, reply.skills);
      show(true);
      const said = `${what} ${a.name}'s skills: ${skillsText(reply.skills)}`;
      note.textContent = said;
      page.announce(said);
    } catch (error) {
      note.textContent = `Not saved: ${error instanceof ApiError ? error.message : String(error)}`;
    } finally {
      save.disabled = false;
      reset.disabled = false;
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const typed = skillsFromText(field.value);
    if ('problem' in typed) {
      note.textContent = `Not saved: ${typed.problem}`;
      return;
    }
    void change('Saved', (id) => wallboardApi.setSkills(id, typed.skills));
  });
  reset.addEventListener('click', () => void change('From the config file again:', wallboardApi.resetSkills));

  return {
    refreshChoices,
    /** `agent.skills` from the live stream: the model has the new map; the form follows it. */
    changed: (agentId) => {
      if (agentId === agent.value) show();
    },
  };
}
