// A queue's settings as the wallboard's form shows and takes them: the everyday ones each in a field (text,
// as typed), everything else the definition holds (callback hours, widening, alerts…) as JSON beside them,
// so a save sends the whole definition and loses nothing the form has no field for. The service validates
// the result with every other queue (PUT /api/queues/:id) and names any problem by its place.
import { skillsFromText, skillsText } from './skills-text.js';

/** The strategies in words, in the order the form offers them. */
export const STRATEGY_LABELS = {
  longest_idle: 'Longest idle first',
  skills_based: 'Skills: best level first, then longest idle',
  ring_all: 'Ring every free agent',
  fewest_calls: 'Fewest calls today first',
  round_robin: 'Round robin (carries on after the last)',
  linear: 'In the members’ order',
  random: 'Random',
};

/** Where a caller goes when the queue gives up on them, as the form's choice. */
export const TARGET_LABELS = { voicemail: 'Voicemail', callback: 'Offer a callback', hangup: 'Hang up' };

/** Definition fields the form has its own field for (the JSON beside it may not hold them). */
export const FORM_KEYS = [
  'id',
  'name',
  'strategy',
  'requiredSkills',
  'ringTimeoutSeconds',
  'wrapUpSeconds',
  'serviceLevelSeconds',
  'serviceLevelTargetPercent',
  'maxWaitSeconds',
  'overflowTarget',
  'maxLength',
  'queueFullTarget',
  'noAgentsFallback',
  'announce',
  'exitKey',
  'exitTarget',
  'vipNumbers',
];

/**
 * @typedef {{ type: 'queue', queueId: string } | { type: 'voicemail', mailbox?: string, greeting?: string[],
 *   maxSeconds?: number } | { type: 'callback' } | { type: 'hangup' }} QueueTarget
 * @typedef {{ id: string, name: string, strategy: string, [key: string]: unknown }} QueueDefinition
 * @typedef {{ id: string, name: string, strategy: string, skills: string, ringTimeout: string,
 *   wrapUp: string, serviceLevel: string, serviceLevelTarget: string, maxWait: string, overflow: string,
 *   maxLength: string, whenFull: string, noAgents: string, announceEvery: string, announcePosition: boolean,
 *   announceWait: boolean, announceSounds: string, holdMusic: string, exitKey: string, exitTarget: string,
 *   vipNumbers: string }} QueueSettings
 */

/**
 * A target as the form's choice: '' none, 'queue:<id>', 'voicemail', 'callback' or 'hangup'.
 * @param {QueueTarget | undefined} target
 */
export function targetChoice(target) {
  if (!target) return '';
  return target.type === 'queue' ? `queue:${target.queueId}` : target.type;
}

/**
 * The form's choice as a target. A voicemail target keeps its mailbox, greeting and longest message from
 * the definition before (the form does not show them).
 * @param {string} choice
 * @param {QueueTarget | undefined} before
 * @returns {QueueTarget | undefined}
 */
export function targetFromChoice(choice, before) {
  if (choice === '') return undefined;
  if (choice.startsWith('queue:')) return { type: 'queue', queueId: choice.slice('queue:'.length) };
  if (choice === 'voicemail') return before?.type === 'voicemail' ? { ...before } : { type: 'voicemail' };
  if (choice === 'callback' || choice === 'hangup') return { type: choice };
  throw new Error(`not a target choice: ${choice}`);
}

/** @param {unknown} n */
const numberText = (n) => (typeof n === 'number' ? String(n) : '');

/**
 * A definition as the form's fields and the JSON of the rest.
 * @param {QueueDefinition} queue
 * @returns {{ fields: QueueSettings, rest: string }}
 */
export function settingsOf(queue) {
  const announce = /** @type {Record<string, unknown>} */ (queue.announce ?? {});
  const fields = {
    id: queue.id,
    name: queue.name,
    strategy: queue.strategy,
    skills: skillsText(/** @type {Record<string, number>} */ (queue.requiredSkills ?? {})).replace(
      /^no skills$/,
      '',
    ),
    ringTimeout: numberText(queue.ringTimeoutSeconds),
    wrapUp: numberText(queue.wrapUpSeconds),
    serviceLevel: numberText(queue.serviceLevelSeconds),
    serviceLevelTarget: numberText(queue.serviceLevelTargetPercent),
    maxWait: numberText(queue.maxWaitSeconds),
    overflow: targetChoice(/** @type {QueueTarget | undefined} */ (queue.overflowTarget)),
    maxLength: numberText(queue.maxLength),
    whenFull: targetChoice(/** @type {QueueTarget | undefined} */ (queue.queueFullTarget)),
    noAgents: targetChoice(/** @type {QueueTarget | undefined} */ (queue.noAgentsFallback)),
    announceEvery: numberText(announce.everySeconds),
    announcePosition: announce.position !== false,
    announceWait: announce.estimatedWait === true,
    announceSounds: Array.isArray(announce.sounds) ? announce.sounds.join(', ') : '',
    holdMusic: typeof announce.musicOnHoldClass === 'string' ? announce.musicOnHoldClass : '',
    exitKey: typeof queue.exitKey === 'string' ? queue.exitKey : '',
    exitTarget: targetChoice(/** @type {QueueTarget | undefined} */ (queue.exitTarget)),
    vipNumbers: Array.isArray(queue.vipNumbers) ? queue.vipNumbers.join(', ') : '',
  };
  const rest = Object.fromEntries(Object.entries(queue).filter(([key]) => !FORM_KEYS.includes(key)));
  return { fields, rest: Object.keys(rest).length === 0 ? '' : JSON.stringify(rest, null, 2) };
}

/**
 * A whole number of seconds (or a count) typed in a field: blank is "not set".
 * @param {string} text
 * @param {string} label
 * @returns {{ value: number | undefined } | { problem: string }}
 */
function wholeNumber(text, label) {
  const t = text.trim();
  if (t === '') return { value: undefined };
  if (!/^\d+$/.test(t)) return { problem: `${label}: a whole number, not "${t}"` };
  return { value: Number(t) };
}

/** @param {string} text */
const list = (text) =>
  text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The definition the form says, or the first problem the form itself can see (the rest is the service's to
 * check). A field left blank is not set (the service's default applies); the rest's JSON must be an object
 * and not hold a field the form has.
 * @param {QueueSettings} fields
 * @param {string} restText
 * @param {QueueDefinition | undefined} before the definition as it was (undefined for a new queue)
 * @returns {{ queue: QueueDefinition } | { problem: string }}
 */
export function queueFromSettings(fields, restText, before) {
  /** @type {Record<string, unknown>} */
  let rest = {};
  if (restText.trim() !== '') {
    try {
      rest = JSON.parse(restText);
    } catch (error) {
      return { problem: `Other settings: not JSON (${error instanceof Error ? error.message : error})` };
    }
    if (rest === null || typeof rest !== 'object' || Array.isArray(rest))
      return { problem: 'Other settings: a JSON object ({ … }), or nothing' };
    const taken = Object.keys(rest).filter((key) => FORM_KEYS.includes(key));
    if (taken.length > 0)
      return {
        problem: `Other settings: ${taken.join(', ')} ${taken.length === 1 ? 'has its' : 'have their'} own field above`,
      };
  }
  const id = fields.id.trim();
  if (id === '') return { problem: 'Id: the queue needs one (letters, digits, _ or -)' };
  const skills = skillsFromText(fields.skills);
  if ('problem' in skills) return { problem: `Skills needed: ${skills.problem}` };
  /** @type {Record<string, number | undefined>} */
  const numbers = {};
  for (const [key, text, label] of /** @type {const} */ ([
    ['ringTimeoutSeconds', fields.ringTimeout, 'Ring for'],
    ['wrapUpSeconds', fields.wrapUp, 'Wrap-up'],
    ['serviceLevelSeconds', fields.serviceLevel, 'Service level'],
    ['serviceLevelTargetPercent', fields.serviceLevelTarget, 'Service level target'],
    ['maxWaitSeconds', fields.maxWait, 'Longest wait'],
    ['maxLength', fields.maxLength, 'Most waiting'],
    ['everySeconds', fields.announceEvery, 'Announce every'],
  ])) {
    const n = wholeNumber(text, label);
    if ('problem' in n) return n;
    numbers[key] = n.value;
  }
  // The service refuses either without the other; said here in the form's words.
  if (fields.overflow !== '' && numbers.maxWaitSeconds === undefined)
    return { problem: 'Longest wait: give it, or choose "—" for where callers go after it' };
  if (fields.overflow === '' && numbers.maxWaitSeconds !== undefined)
    return { problem: `Longest wait: choose where callers go after ${numbers.maxWaitSeconds} s` };
  const exitKey = fields.exitKey.trim();
  if (exitKey !== '' && fields.exitTarget === '')
    return { problem: `Exit key: choose where a caller who presses ${exitKey} goes` };
  if (exitKey === '' && fields.exitTarget !== '')
    return { problem: 'Exit key: give the key (a digit, * or #) that takes callers there' };

  const beforeAnnounce = /** @type {Record<string, unknown>} */ (before?.announce ?? {});
  /** @type {Record<string, unknown>} */
  const announce = {
    ...beforeAnnounce,
    everySeconds: numbers.everySeconds ?? 0,
    position: fields.announcePosition,
    estimatedWait: fields.announceWait,
  };
  const sounds = list(fields.announceSounds);
  if (sounds.length > 0) announce.sounds = sounds;
  else delete announce.sounds;
  if (fields.holdMusic.trim() !== '') announce.musicOnHoldClass = fields.holdMusic.trim();
  else delete announce.musicOnHoldClass;

  const target = (/** @type {string} */ choice, /** @type {string} */ key) =>
    targetFromChoice(choice, /** @type {QueueTarget | undefined} */ (before?.[key]));
  /** @type {Record<string, unknown>} */
  const queue = {
    ...rest,
    id,
    name: fields.name.trim(),
    strategy: fields.strategy,
    requiredSkills: skills.skills,
    ringTimeoutSeconds: numbers.ringTimeoutSeconds,
    wrapUpSeconds: numbers.wrapUpSeconds,
    serviceLevelSeconds: numbers.serviceLevelSeconds,
    serviceLevelTargetPercent: numbers.serviceLevelTargetPercent,
    maxWaitSeconds: numbers.maxWaitSeconds,
    overflowTarget: target(fields.overflow, 'overflowTarget'),
    maxLength: numbers.maxLength,
    queueFullTarget: target(fields.whenFull, 'queueFullTarget'),
    noAgentsFallback: target(fields.noAgents, 'noAgentsFallback'),
    announce,
    exitKey: exitKey === '' ? undefined : exitKey,
    exitTarget: target(fields.exitTarget, 'exitTarget'),
    vipNumbers: list(fields.vipNumbers),
  };
  for (const key of Object.keys(queue)) if (queue[key] === undefined) delete queue[key];
  return { queue: /** @type {QueueDefinition} */ (queue) };
}

/**
 * What a saved queue does, in a line: "Sales: longest idle first, rings 20 s, wrap-up 10 s, service level
 * 80% in 20 s, after 300 s to voicemail".
 * @param {QueueDefinition} queue
 * @param {(id: string) => string} queueName
 */
export function queueSummary(queue, queueName) {
  const strategy = /** @type {Record<string, string>} */ (STRATEGY_LABELS)[queue.strategy] ?? queue.strategy;
  const parts = [strategy.charAt(0).toLowerCase() + strategy.slice(1)];
  const skills = /** @type {Record<string, number>} */ (queue.requiredSkills ?? {});
  if (Object.keys(skills).length > 0) parts.push(`needs ${skillsText(skills)}`);
  if (typeof queue.ringTimeoutSeconds === 'number') parts.push(`rings ${queue.ringTimeoutSeconds} s`);
  if (typeof queue.wrapUpSeconds === 'number' && queue.wrapUpSeconds > 0)
    parts.push(`wrap-up ${queue.wrapUpSeconds} s`);
  if (typeof queue.serviceLevelSeconds === 'number')
    parts.push(
      typeof queue.serviceLevelTargetPercent === 'number'
        ? `service level ${queue.serviceLevelTargetPercent}% in ${queue.serviceLevelSeconds} s`
        : `service level in ${queue.serviceLevelSeconds} s`,
    );
  const where = (/** @type {QueueTarget | undefined} */ t) => {
    if (!t) return '';
    if (t.type === 'queue') return `to ${queueName(t.queueId)}`;
    return t.type === 'callback' ? 'offered a callback' : t.type === 'hangup' ? 'hung up on' : 'to voicemail';
  };
  if (typeof queue.maxWaitSeconds === 'number')
    parts.push(
      `after ${queue.maxWaitSeconds} s ${where(/** @type {QueueTarget | undefined} */ (queue.overflowTarget))}`,
    );
  return `${queue.name}: ${parts.join(', ')}`;
}

/**
 * A member's penalty and order as typed (blank: 0), or the problem in words.
 * @param {string} penalty
 * @param {string} order
 * @returns {{ member: { penalty: number, order: number } } | { problem: string }}
 */
export function memberFromText(penalty, order) {
  const p = wholeNumber(penalty, 'Penalty');
  if ('problem' in p) return p;
  if ((p.value ?? 0) > 100) return { problem: `Penalty: 0 to 100 (lower is offered first), not ${p.value}` };
  const o = wholeNumber(order, 'Order');
  if ('problem' in o) return o;
  return { member: { penalty: p.value ?? 0, order: o.value ?? 0 } };
}
