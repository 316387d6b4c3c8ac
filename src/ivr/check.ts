/**
 * Static checks of a flow against a catalogue of what exists (queues, prompts, flows). Run by the
 * loader before a flow goes live, and by `flow check`.
 */
import { scheduleProblems } from './hours.js';
import { DTMF_KEYS, type Dtmf, type Flow, type PromptSpec, type Step, type StepKind } from './types.js';

export interface Catalogue {
  /** Queue ids the ACD knows. Unchecked when absent. */
  readonly queues?: ReadonlySet<string>;
  /** Sound names Asterisk can play (`hello-world`, `digits/1`). Unchecked when absent. */
  readonly prompts?: ReadonlySet<string>;
  /** Flow ids that `gotoFlow` may name. Unchecked when absent. */
  readonly flows?: ReadonlySet<string>;
  /** Switch ids the service defines (config `switches`). Unchecked when absent. */
  readonly switches?: ReadonlySet<string>;
  /** Agent ids a direct line (`queue(…, { agent })`) may name. Unchecked when absent. */
  readonly agents?: ReadonlySet<string>;
  /** Languages Asterisk has sounds for (`en`, `es`, `en_US`). Unchecked when absent. */
  readonly languages?: ReadonlySet<string>;
  /**
   * The sounds each language has of its own (Asterisk's, and the contact center's as `custom/<name>` from its
   * `<language>/` folder): a prompt a caller hears after `setLanguage` that its language lacks is played in
   * English, which the check warns of. Unchecked for a language not in it.
   */
  readonly languagePrompts?: ReadonlyMap<string, ReadonlySet<string>>;
}

/** A language as Asterisk names its sounds' folders: `es`, `en_US`, `fr_CA`. */
export const LANGUAGE_CODE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

export interface FlowIssue {
  readonly severity: 'error' | 'warning';
  readonly flowId: string;
  /** Step the problem is in, if any. */
  readonly stepId?: string;
  readonly message: string;
  /** The offending literal (prompt name, queue id, key…), so the loader can point at its line. */
  readonly value?: string;
}

export const STEP_KINDS: readonly StepKind[] = [
  'answer',
  'play',
  'collect',
  'menu',
  'set',
  'language',
  'dip',
  'hours',
  'switch',
  'queue-check',
  'branch',
  'goto-flow',
  'queue',
  'voicemail',
  'callback',
  'transfer',
  'survey',
  'hangup',
];

/** Kinds that can end the flow (or leave it). */
export const TERMINAL_KINDS: ReadonlySet<StepKind> = new Set([
  'goto-flow',
  'queue',
  'voicemail',
  'callback',
  'transfer',
  'survey',
  'hangup',
]);

/** Step ids a step may continue to, with the field naming each. */
export function stepTargets(step: Step): { field: string; target: string }[] {
  switch (step.kind) {
    case 'answer':
    case 'play':
    case 'set':
    case 'language':
      return [{ field: 'next', target: step.next }];
    case 'collect':
      return [
        { field: 'next', target: step.next },
        { field: 'onFail', target: step.onFail },
      ];
    case 'menu':
      return [
        ...Object.entries(step.options).map(([k, t]) => ({ field: `options['${k}']`, target: t as string })),
        { field: 'onFail', target: step.onFail },
      ];
    case 'dip':
      return [
        { field: 'next', target: step.next },
        ...(step.onFail !== undefined ? [{ field: 'onFail', target: step.onFail }] : []),
      ];
    case 'switch':
      return [
        { field: 'on', target: step.on },
        { field: 'off', target: step.off },
      ];
    case 'queue-check':
      return [
        { field: 'yes', target: step.yes },
        { field: 'no', target: step.no },
      ];
    case 'hours':
      return [
        { field: 'open', target: step.open },
        { field: 'closed', target: step.closed },
        ...(step.holiday !== undefined ? [{ field: 'holiday', target: step.holiday }] : []),
      ];
    case 'branch':
      return step.targets.map((t, i) => ({ field: `targets[${i}]`, target: t }));
    case 'callback':
      return [{ field: 'onFail', target: step.onFail }];
    default:
      return [];
  }
}

/** Every prompt list of a step (static parts only). */
export function stepPrompts(step: Step): readonly PromptSpec[] {
  switch (step.kind) {
    case 'play':
    case 'queue':
    case 'transfer':
    case 'hangup':
      return step.prompts;
    case 'collect':
    case 'menu':
      return [...step.prompts, ...step.invalidPrompts, ...step.timeoutPrompts];
    case 'voicemail':
      return [...step.prompts, ...step.thanks];
    case 'callback':
      return [
        ...step.confirmPrompts,
        { kind: 'digits', value: '0' },
        ...step.confirmKeyPrompts,
        ...step.enterPrompts,
        ...step.thanks,
      ];
    case 'survey':
      return [...step.prompts, ...step.invalidPrompts, ...step.thanks];
    default:
      return [];
  }
}

const isKey = (k: unknown): k is Dtmf =>
  typeof k === 'string' && (DTMF_KEYS as readonly string[]).includes(k);
const isCount = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 0;
const isPositive = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n > 0;

/** All problems found; an empty list means the flow may go live. */
export function checkFlow(flow: Flow, catalogue: Catalogue = {}): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const err = (message: string, stepId?: string, value?: string) =>
    issues.push({
      severity: 'error',
      flowId: flow.id,
      message,
      ...(stepId !== undefined ? { stepId } : {}),
      ...(value !== undefined ? { value } : {}),
    });
  const warn = (message: string, stepId?: string, value?: string) =>
    issues.push({
      severity: 'warning',
      flowId: flow.id,
      message,
      ...(stepId !== undefined ? { stepId } : {}),
      ...(value !== undefined ? { value } : {}),
    });

  if (typeof flow.id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(flow.id)) {
    err(`flow id '${String(flow.id)}' must be letters, digits, '-', '_' or '.'`, undefined, String(flow.id));
  }
  const steps = flow.steps;
  const has = (id: string) => Object.hasOwn(steps, id);
  if (!has(flow.entry)) err(`entry '${flow.entry}' is not a step of this flow`, undefined, flow.entry);
  if (flow.onError !== undefined && !has(flow.onError)) {
    err(`onError '${flow.onError}' is not a step of this flow`, undefined, flow.onError);
  }

  let needsDigitSounds = false;
  for (const [id, step] of Object.entries(steps)) {
    if (!step || !STEP_KINDS.includes(step.kind)) {
      err(`step '${id}' is not a flow step (use the builders: play, menu, queue…)`, id);
      continue;
    }
    for (const { field, target } of stepTargets(step)) {
      if (typeof target !== 'string' || !has(target)) {
        err(`${field} names step '${String(target)}', which does not exist`, id, String(target));
      }
    }
    for (const p of stepPrompts(step)) {
      if (typeof p === 'string' || p.kind === 'sound') {
        const name = typeof p === 'string' ? p : p.name;
        if (catalogue.prompts && !catalogue.prompts.has(name)) err(`unknown prompt '${name}'`, id, name);
      } else {
        needsDigitSounds = true;
      }
    }

    /** A time callers are given to answer: > 0, and a second at least (ms, not seconds, is easy to miss). */
    const callerTime = (ms: number, name: string) => {
      if (!isPositive(ms)) err(`${name} must be > 0`, id);
      else if (ms < 1000)
        warn(`${name} is ${ms} ms: callers get under a second (milliseconds, not seconds?)`, id);
    };
    switch (step.kind) {
      case 'menu': {
        const keys = Object.keys(step.options);
        if (keys.length === 0) err('menu has no options', id);
        for (const k of keys) {
          if (!isKey(k)) err(`option '${k}' can never be chosen: a menu takes one key (0-9, *, #)`, id, k);
          if (k === step.repeatKey) err(`option '${k}' can never be chosen: it is the repeat key`, id, k);
        }
        if (step.repeatKey !== undefined && !isKey(step.repeatKey))
          err(`repeatKey '${step.repeatKey}' is not a key`, id);
        if (!isCount(step.retries)) err('retries must be a whole number ≥ 0', id);
        callerTime(step.timeoutMs, 'timeoutMs');
        if (step.prompts.length === 0) warn('menu has no prompt: callers will hear silence', id);
        break;
      }
      case 'collect': {
        if (!isCount(step.min) || step.min < 1) err('min must be a whole number ≥ 1', id);
        if (!isCount(step.max) || step.max < step.min)
          err(`max (${step.max}) must be ≥ min (${step.min})`, id);
        if (step.terminator !== null && !isKey(step.terminator))
          err(`terminator '${step.terminator}' is not a key`, id);
        if (step.terminator !== null && /^[0-9]$/.test(step.terminator)) {
          err(
            `terminator '${step.terminator}' is a digit: callers could never enter it`,
            id,
            step.terminator,
          );
        }
        if (!isCount(step.retries)) err('retries must be a whole number ≥ 0', id);
        callerTime(step.timeoutMs, 'timeoutMs');
        callerTime(step.interDigitTimeoutMs, 'interDigitTimeoutMs');
        if (!step.into) err('collect needs an `into` data key', id);
        if (step.prompts.length === 0) warn('collect has no prompt: callers will hear silence', id);
        break;
      }
      case 'dip':
        if (!isPositive(step.timeoutMs) || step.timeoutMs > 10_000) {
          err(`timeoutMs ${step.timeoutMs} must be between 1 and 10000: callers are waiting in silence`, id);
        }
        if (step.onFail === undefined) warn('data dip has no onFail: a failure takes the error path', id);
        break;
      case 'hours':
        for (const p of scheduleProblems(step.schedule)) err(p, id);
        break;
      case 'language':
        // A computed language is checked when the call gets there (the error path if it is no code).
        if (typeof step.language !== 'string') break;
        if (!LANGUAGE_CODE.test(step.language)) {
          err(
            `language '${step.language}' is not a language code such as 'es' or 'en_US'`,
            id,
            step.language,
          );
        } else if (catalogue.languages && !catalogue.languages.has(step.language)) {
          err(
            `no sounds for language '${step.language}' in Asterisk (there are: ${[...catalogue.languages].sort().join(', ')}): callers would hear English`,
            id,
            step.language,
          );
        }
        break;
      case 'switch':
        if (catalogue.switches && !catalogue.switches.has(step.switchId)) {
          err(
            `unknown switch '${step.switchId}' (define it in the config's switches first)`,
            id,
            step.switchId,
          );
        }
        break;
      case 'branch':
        if (step.targets.length === 0) err('branch has no targets', id);
        break;
      case 'queue-check':
        if (catalogue.queues && !catalogue.queues.has(step.queueId))
          err(`unknown queue '${step.queueId}'`, id, step.queueId);
        if (typeof step.when !== 'function') err('whenQueue needs a `when` test of the queue', id);
        break;
      case 'goto-flow':
        if (catalogue.flows && !catalogue.flows.has(step.flowId))
          err(`unknown flow '${step.flowId}'`, id, step.flowId);
        break;
      case 'queue':
        if (catalogue.queues && !catalogue.queues.has(step.queueId))
          err(`unknown queue '${step.queueId}'`, id, step.queueId);
        if (typeof step.priority === 'number' && !Number.isFinite(step.priority))
          err('priority must be a number', id);
        if (
          step.agentWaitSeconds !== undefined &&
          !(
            Number.isInteger(step.agentWaitSeconds) &&
            step.agentWaitSeconds >= 1 &&
            step.agentWaitSeconds <= 600
          )
        )
          err('agentWaitSeconds must be a whole number of seconds from 1 to 600', id);
        if (step.agentWaitSeconds !== undefined && step.agent === undefined)
          err('agentWaitSeconds is only for a direct line (agent)', id);
        if (typeof step.agent === 'string' && catalogue.agents && !catalogue.agents.has(step.agent))
          err(`unknown agent '${step.agent}'`, id, step.agent);
        break;
      case 'callback':
        // The request waits in a queue's line and that queue's agents call back: without one it would be
        // confirmed to the caller, then dropped.
        if (step.queueId === undefined) err('callback needs queueId: the queue whose agents call back', id);
        else if (catalogue.queues && !catalogue.queues.has(step.queueId)) {
          err(`unknown queue '${step.queueId}'`, id, step.queueId);
        }
        if (!isKey(step.confirmKey)) err(`confirmKey '${step.confirmKey}' is not a key`, id);
        if (!isCount(step.min) || step.min < 1 || !isCount(step.max) || step.max < step.min) {
          err('min/max must be whole numbers with 1 ≤ min ≤ max', id);
        }
        if (!isCount(step.retries)) err('retries must be a whole number ≥ 0', id);
        callerTime(step.timeoutMs, 'timeoutMs');
        break;
      case 'survey':
        if (!isCount(step.retries)) err('retries must be a whole number ≥ 0', id);
        callerTime(step.timeoutMs, 'timeoutMs');
        if (!step.into) err('survey needs an `into` data key', id);
        break;
      case 'voicemail':
        if (!isPositive(step.maxMs) || !isPositive(step.silenceMs))
          err('maxSeconds and silenceSeconds must be > 0', id);
        break;
      default:
        break;
    }
  }

  if (needsDigitSounds && catalogue.prompts) {
    for (const d of ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) {
      if (!catalogue.prompts.has(`digits/${d}`)) {
        err(`numbers/digits are read out but prompt 'digits/${d}' is missing`, undefined, `digits/${d}`);
      }
    }
  }

  for (const w of untranslatedPrompts(flow, catalogue)) warn(w.message, w.stepId, w.value);

  // Reachability from entry (and onError, which any step may fall into).
  const reachable = new Set<string>();
  const todo = [flow.entry, ...(flow.onError !== undefined ? [flow.onError] : [])].filter(has);
  while (todo.length > 0) {
    const id = todo.pop() as string;
    if (reachable.has(id)) continue;
    reachable.add(id);
    const step = steps[id];
    if (step && STEP_KINDS.includes(step.kind))
      for (const { target } of stepTargets(step)) if (has(target)) todo.push(target);
  }
  for (const id of Object.keys(steps)) {
    if (!reachable.has(id)) err(`step '${id}' is unreachable from entry '${flow.entry}'`, id);
  }

  // Every reachable step must be able to end the call; otherwise callers loop until the step limit.
  const canEnd = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of reachable) {
      if (canEnd.has(id)) continue;
      const step = steps[id];
      if (!step || !STEP_KINDS.includes(step.kind)) continue;
      if (TERMINAL_KINDS.has(step.kind) || stepTargets(step).some((t) => canEnd.has(t.target))) {
        canEnd.add(id);
        changed = true;
      }
    }
  }
  for (const id of reachable) {
    const step = steps[id];
    if (step && STEP_KINDS.includes(step.kind) && !canEnd.has(id)) {
      err(`step '${id}' can never lead to the end of the call (a loop with no way out)`, id);
    }
  }
  return issues;
}

/**
 * Prompts a caller hears after a `setLanguage` step whose language has no such sound of its own (Asterisk
 * then plays the English one): once per step and prompt, from every step the language step leads to.
 */
function untranslatedPrompts(
  flow: Flow,
  catalogue: Catalogue,
): { stepId: string; message: string; value: string }[] {
  const out: { stepId: string; message: string; value: string }[] = [];
  const seen = new Set<string>();
  for (const [stepId, step] of Object.entries(flow.steps)) {
    if (step?.kind !== 'language' || typeof step.language !== 'string') continue;
    const language = step.language;
    const own = catalogue.languagePrompts?.get(language);
    if (!own) continue;
    const todo = [step.next];
    const visited = new Set<string>();
    while (todo.length > 0) {
      const id = todo.pop() as string;
      const next = flow.steps[id];
      if (visited.has(id) || !next || !STEP_KINDS.includes(next.kind)) continue;
      visited.add(id);
      // Another language step decides from there on.
      if (next.kind === 'language') continue;
      for (const p of stepPrompts(next)) {
        if (typeof p !== 'string' && p.kind !== 'sound') continue;
        const name = typeof p === 'string' ? p : p.name;
        const key = `${id}\u0000${name}\u0000${language}`;
        if (own.has(name) || seen.has(key) || (catalogue.prompts && !catalogue.prompts.has(name))) continue;
        seen.add(key);
        out.push({
          stepId: id,
          value: name,
          message: `prompt '${name}' has no ${language} sound: callers who hear ${language} from step '${stepId}' hear it in English${name.startsWith('custom/') ? ` (record it as ${language}/${name.slice('custom/'.length)} in the sounds folder)` : ''}`,
        });
      }
      for (const { target } of stepTargets(next)) todo.push(target);
    }
  }
  return out;
}

/** Issue as `flow/step: message`. */
export function formatIssue(issue: FlowIssue): string {
  return `${issue.severity === 'warning' ? 'warning: ' : ''}${issue.stepId !== undefined ? `step '${issue.stepId}': ` : ''}${issue.message}`;
}
