// The wallboard's Queue settings: a queue's definition in a form (the everyday settings each in a field, the
// rest as JSON), saved whole with PUT /api/queues/:id, which checks it with every other queue and changes
// nothing on a refusal; a new queue; a queue deleted once nothing routes to it. Followed live
// (`queue.defined`): another supervisor's change shows here too, unless this form has unsaved typing.
import { ApiError, wallboardApi } from './api.js';
import { setChoices } from './format.js';
import {
  STRATEGY_LABELS,
  TARGET_LABELS,
  queueFromSettings,
  queueSummary,
  settingsOf,
} from './queue-settings-text.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const input = (id) => /** @type {HTMLInputElement} */ ($(id));
/** The choice for a queue not made yet. */
const NEW = '';

/**
 * @typedef {import('./queue-settings-text.js').QueueDefinition} QueueDefinition
 * @typedef {import('./queue-settings-text.js').QueueSettings} QueueSettings
 */

/**
 * @param {{ reloadDefinitions: () => Promise<void>, announce: (message: string) => void }} page
 */
export function initQueueSettings(page) {
  const form = /** @type {HTMLFormElement} */ ($('queue-settings-form'));
  const chooser = /** @type {HTMLSelectElement} */ ($('queue-settings-queue'));
  const strategy = /** @type {HTMLSelectElement} */ ($('queue-settings-strategy'));
  const rest = /** @type {HTMLTextAreaElement} */ ($('queue-settings-rest'));
  const save = /** @type {HTMLButtonElement} */ ($('queue-settings-save'));
  const remove = /** @type {HTMLButtonElement} */ ($('queue-settings-delete'));
  const discard = /** @type {HTMLButtonElement} */ ($('queue-settings-discard'));
  const note = $('queue-settings-note');
  const targets = /** @type {HTMLSelectElement[]} */ ([...form.querySelectorAll('select[data-targets]')]);

  /** The field of each setting. */
  const fields = {
    id: input('queue-settings-id'),
    name: input('queue-settings-name'),
    skills: input('queue-settings-skills'),
    ringTimeout: input('queue-settings-ring'),
    wrapUp: input('queue-settings-wrap'),
    serviceLevel: input('queue-settings-sl'),
    serviceLevelTarget: input('queue-settings-sl-target'),
    maxWait: input('queue-settings-max-wait'),
    overflow: /** @type {HTMLSelectElement} */ ($('queue-settings-overflow')),
    maxLength: input('queue-settings-max-length'),
    whenFull: /** @type {HTMLSelectElement} */ ($('queue-settings-full')),
    noAgents: /** @type {HTMLSelectElement} */ ($('queue-settings-no-agents')),
    announceEvery: input('queue-settings-announce'),
    announceSounds: input('queue-settings-sounds'),
    holdMusic: input('queue-settings-music'),
    exitKey: input('queue-settings-exit-key'),
    exitTarget: /** @type {HTMLSelectElement} */ ($('queue-settings-exit')),
    vipNumbers: input('queue-settings-vip'),
  };
  const position = input('queue-settings-position');
  const estimatedWait = input('queue-settings-wait');

  strategy.replaceChildren(
    ...Object.entries(STRATEGY_LABELS).map(([value, label]) => new Option(label, value)),
  );

  /** @type {QueueDefinition[]} in the order of GET /api/queues */
  let queues = [];
  /** Typed into since the queue was shown: a change from the stream does not overwrite it. */
  let edited = false;
  /**
   * The shown queue's version, read as it is shown: a save or delete goes with it, so one made on a queue
   * another supervisor changed meanwhile is refused instead of overwriting their change unseen.
   */
  let version = /** @type {Promise<string | null>} */ (Promise.resolve(null));
  /** The queue to choose once the definitions are read again (one just made; none once one is deleted). */
  let chooseNext = /** @type {string | undefined} */ (undefined);

  const chosen = () => queues.find((q) => q.id === chooser.value);
  const nameOf = (id) => queues.find((q) => q.id === id)?.name ?? id;

  /** Every target select: none, each queue but this one, voicemail, a callback, hang up. */
  const fillTargets = (ownId) => {
    for (const select of targets) {
      setChoices(select, [
        new Option('—', ''),
        ...queues.filter((q) => q.id !== ownId).map((q) => new Option(`queue ${q.name}`, `queue:${q.id}`)),
        ...Object.entries(TARGET_LABELS).map(([value, label]) => new Option(label, value)),
      ]);
    }
  };

  /** The chosen queue's settings in the form (a new queue: the form empty but for the defaults). */
  const show = () => {
    const queue = chosen();
    fillTargets(queue?.id ?? '');
    const { fields: values, rest: restText } = queue
      ? settingsOf(queue)
      : settingsOf({ id: '', name: '', strategy: 'longest_idle' });
    for (const [key, field] of Object.entries(fields)) field.value = /** @type {any} */ (values)[key];
    strategy.value = values.strategy;
    position.checked = values.announcePosition;
    estimatedWait.checked = values.announceWait;
    rest.value = restText;
    fields.id.readOnly = queue !== undefined;
    remove.hidden = queue === undefined;
    edited = false;
    version = queue ? wallboardApi.queueVersion(queue.id).catch(() => null) : Promise.resolve(null);
  };

  /** The queue choices follow the service's list; a choice made stays chosen. */
  const refresh = (/** @type {QueueDefinition[]} */ list) => {
    queues = list;
    const was = chooseNext ?? chooser.value;
    chooseNext = undefined;
    chooser.replaceChildren(...queues.map((q) => new Option(q.name, q.id)), new Option('A new queue…', NEW));
    chooser.value = queues.some((q) => q.id === was) || was === NEW ? was : (queues[0]?.id ?? NEW);
    if (!edited) show();
    else fillTargets(chosen()?.id ?? '');
  };

  form.addEventListener('input', () => {
    edited = true;
  });
  chooser.addEventListener('change', () => {
    note.textContent = '';
    show();
  });
  // The typing goes; the queue as it is now comes back (after a save refused because it changed meanwhile).
  discard.addEventListener('click', () => {
    note.textContent = '';
    show();
  });

  /** Saves or deletes, then reads every definition again; a refusal leaves the form as typed. */
  const act = async (
    /** @type {string} */ refused,
    /** @type {() => Promise<{ said: string, choose: string }>} */ request,
  ) => {
    save.disabled = true;
    remove.disabled = true;
    try {
      const { said, choose } = await request();
      edited = false;
      chooseNext = choose;
      await page.reloadDefinitions();
      note.textContent = said;
      page.announce(said);
    } catch (error) {
      const code = error instanceof ApiError ? error.code : '';
      note.textContent =
        code === 'QUEUE_CHANGED'
          ? `${refused}: someone changed ${chosen()?.name ?? 'the queue'} since you opened it. Your typing is kept here; Discard changes shows theirs.`
          : code === 'QUEUE_EXISTS'
            ? `${refused}: someone made a queue with this id meanwhile. Your typing is kept here; choose the queue to see theirs.`
            : `${refused}: ${error instanceof ApiError ? error.message : String(error)}`;
    } finally {
      save.disabled = false;
      remove.disabled = false;
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const before = chosen();
    /** @type {QueueSettings} */
    const values = {
      ...Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, field.value])),
      strategy: strategy.value,
      announcePosition: position.checked,
      announceWait: estimatedWait.checked,
    };
    const made = queueFromSettings(values, rest.value, before);
    if ('problem' in made) {
      note.textContent = `Not saved: ${made.problem}`;
      return;
    }
    if (!before && queues.some((q) => q.id === made.queue.id)) {
      note.textContent = `Not saved: there is a queue ${made.queue.id} already (choose it to change it)`;
      return;
    }
    void act('Not saved', async () => {
      const saved = before
        ? await wallboardApi.saveQueue(made.queue, await version)
        : await wallboardApi.makeQueue(made.queue);
      return { said: `Saved ${queueSummary(saved, nameOf)}`, choose: saved.id };
    });
  });

  remove.addEventListener('click', () => {
    const queue = chosen();
    if (!queue) return;
    if (!window.confirm(`Delete the queue ${queue.name}? Its definition goes; its calls stay on record.`))
      return;
    void act('Not deleted', async () => {
      await wallboardApi.deleteQueue(queue.id, await version);
      return { said: `Deleted the queue ${queue.name}`, choose: NEW };
    });
  });

  return { refresh };
}
