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
  /** Typed into since the field was filled: a change from the stream does not overwrite it. */
  let edited = false;
  /**
   * The version of the skills the field was filled with, read as it is filled: a change goes with it, so one
   * made on skills another supervisor changed meanwhile is refused instead of overwriting theirs unseen.
   */
  let version = /** @type {Promise<string | null>} */ (Promise.resolve(null));
  field.addEventListener('input', () => {
    edited = true;
  });

  /** The chosen agent's skills, in the field (unless being typed in) and in words. */
  const show = (force = false) => {
    const a = chosen();
    if (!a) {
      note.textContent = '';
      return;
    }
    if (force || (!edited && document.activeElement !== field)) {
      field.value = skillsText(a.skills ?? {}).replace(/^no skills$/, '');
      edited = false;
      version = wallboardApi
        .skillsRead(a.id)
        .then((read) => /** @type {string | null} */ (read.etag))
        .catch(() => null);
    }
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
      const reply = await request(a.id, await version);
      page.setSkills(a.id, reply.skills);
      show(true);
      const said = `${what} ${a.name}'s skills: ${skillsText(reply.skills)}`;
      note.textContent = said;
      page.announce(said);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'SKILLS_CHANGED') {
        // Theirs are said; the typing stays, and a second press is made knowing them.
        const now = await wallboardApi.skillsRead(a.id).catch(() => null);
        version = Promise.resolve(now?.etag ?? null);
        note.textContent = `Not saved: someone changed ${a.name}'s skills since you opened them${now ? `: now ${skillsText(now.data.skills)}` : ''}. Your typing is kept; press again to put yours in their place.`;
      } else {
        note.textContent = `Not saved: ${error instanceof ApiError ? error.message : String(error)}`;
      }
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
    void change('Saved', (id, based) => wallboardApi.setSkills(id, typed.skills, based));
  });
  reset.addEventListener(
    'click',
    () => void change('From the config file again:', (id, based) => wallboardApi.resetSkills(id, based)),
  );

  return {
    refreshChoices,
    /** `agent.skills` from the live stream: the model has the new map; the form follows it. */
    changed: (agentId) => {
      if (agentId === agent.value) show();
    },
  };
}
