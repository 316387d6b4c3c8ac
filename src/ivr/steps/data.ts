/** Caller data: the `set` step (`setData`), the `dip` step (`dataDip`) and the checks on what flows hand back. */
import type {
  CallerData,
  Computed,
  DataValue,
  DipResult,
  DipStep,
  LanguageStep,
  SetDataStep,
  Skills,
} from '../types.js';
import { LANGUAGE_CODE } from '../check.js';
import {
  computedValue,
  errorMessage,
  HANGUP,
  hook,
  type StepOutcome,
  type StepScope,
  StepFailure,
} from './handler.js';

function isDataValue(v: unknown): v is DataValue {
  return (
    v === null ||
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    (typeof v === 'number' && Number.isFinite(v))
  );
}

/** Checks a hook's result is caller data; `undefined` values are dropped. */
function checkData(value: unknown, what: string): CallerData {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new StepFailure(`${what} must return an object of caller data`);
  }
  const out: CallerData = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (!isDataValue(v))
      throw new StepFailure(`${what}: '${k}' is not a string, finite number, boolean or null`);
    out[k] = v;
  }
  return out;
}

function checkSkills(value: unknown, what: string): Skills {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new StepFailure(`${what} must be an object of skill levels`);
  }
  const out: Skills = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new StepFailure(`${what}: skill '${k}' is not a number`);
    out[k] = v;
  }
  return out;
}

/** A step's optional `skills`, computed and checked; `{}` when the step has none. */
export function stepSkills(scope: StepScope, what: string, skills: Computed<Skills> | undefined): Skills {
  return skills === undefined ? {} : checkSkills(computedValue(scope, what, skills), what);
}

export async function runSetData(step: SetDataStep, scope: StepScope): Promise<StepOutcome> {
  const data = checkData(computedValue(scope, 'setData', step.values), 'setData');
  const skills = stepSkills(scope, 'setData skills', step.skills);
  scope.data = { ...scope.data, ...data };
  scope.skills = { ...scope.skills, ...skills };
  return {
    next: step.next,
    outcome: 'set',
    detail: { keys: Object.keys(data), skills: Object.keys(skills) },
  };
}

export async function runSetLanguage(step: LanguageStep, scope: StepScope): Promise<StepOutcome> {
  const language = computedValue(scope, 'setLanguage', step.language);
  if (typeof language !== 'string' || !LANGUAGE_CODE.test(language)) {
    throw new StepFailure(
      `setLanguage: '${String(language)}' is not a language code such as 'es' or 'en_US'`,
    );
  }
  const skills = stepSkills(scope, 'setLanguage skills', step.skills);
  let r: Awaited<ReturnType<StepScope['port']['setLanguage']>>;
  try {
    r = await scope.port.setLanguage(language);
  } catch (e) {
    throw new StepFailure(`cannot set the language to '${language}': ${errorMessage(e)}`);
  }
  if (r.hungUp) throw HANGUP;
  scope.data = { ...scope.data, language };
  scope.skills = { ...scope.skills, ...skills };
  return { next: step.next, outcome: 'set', detail: { language, skills: Object.keys(skills) } };
}

export async function runDataDip(step: DipStep, scope: StepScope): Promise<StepOutcome> {
  const spec = hook('dataDip request', () => step.request(scope.ctx()));
  if (
    !spec ||
    typeof spec.url !== 'string' ||
    spec.url === '' ||
    (spec.method !== 'GET' && spec.method !== 'POST')
  ) {
    throw new StepFailure('dataDip request must have a url and method GET or POST');
  }
  let res: DipResult;
  try {
    res = await scope.port.httpDip({ ...spec, timeoutMs: step.timeoutMs });
  } catch (e) {
    res = { kind: 'error', message: errorMessage(e) };
  }
  let reason: string;
  if (res.kind === 'response' && res.status >= 200 && res.status < 300) {
    const response = { status: res.status, body: res.body };
    try {
      const mapped = checkData(step.map(response, scope.ctx()), 'dataDip map');
      scope.data = { ...scope.data, ...mapped };
      return {
        next: step.next,
        outcome: 'ok',
        detail: { url: spec.url, status: res.status, keys: Object.keys(mapped) },
      };
    } catch (e) {
      reason = `map failed: ${errorMessage(e)}`;
    }
  } else if (res.kind === 'response') {
    reason = `http ${res.status}`;
  } else if (res.kind === 'timeout') {
    reason = `timeout after ${step.timeoutMs} ms`;
  } else {
    reason = `error: ${res.message}`;
  }
  // A failed dip is an expected event when the flow says where to go; only without onFail is it an error.
  if (step.onFail !== undefined)
    return { next: step.onFail, outcome: 'fallback', detail: { url: spec.url, reason } };
  throw new StepFailure(`data dip ${spec.url} failed (${reason}) and the step has no onFail`);
}
