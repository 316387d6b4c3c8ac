/**
 * Codes an agent dials on a desk phone (or a third-party softphone) to work their seat without the
 * softphone page: log in and out, ready, not ready with a reason, end wrap-up, ask a supervisor for help.
 * Pure: which code was dialled and what the phone hears after it. Carried out in src/calls/seat/phone-codes.ts.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { ReasonCode } from './schema.js';
import type { AgentStateType } from './seat.js';

const code = (fallback: string, description: string) =>
  Type.String({
    pattern: '^\\*[0-9]{1,4}$',
    patternHint: 'a star (*) and 1 to 4 digits, e.g. *51',
    default: fallback,
    description,
  });

export const PhoneCodesSchema = Type.Object(
  {
    enabled: Type.Boolean({
      default: true,
      description: 'false: every number an agent dials goes to the outbound checks as a number to call',
    }),
    login: code('*51', 'Log the seat in from this phone: available at once'),
    logout: code('*52', 'Log the seat out'),
    ready: code('*53', 'Ready for calls (in wrap-up: ends it)'),
    notReady: code(
      '*54',
      "Not ready: alone the first reason (break), followed by a reason's digits that reason (*542: lunch)",
    ),
    wrapUpDone: code('*55', 'End wrap-up now: available, or not ready if that was chosen during the call'),
    help: code('*56', 'Ask a supervisor for help'),
    withdrawHelp: code('*57', 'Withdraw the request for help'),
  },
  {
    additionalProperties: false,
    default: {},
    description:
      'Codes an agent dials on a desk phone to work their seat without the softphone page; the phone hears a confirmation, or an error tone and why',
  },
);
export type PhoneCodes = Static<typeof PhoneCodesSchema>;
type CodeName = Exclude<keyof PhoneCodes, 'enabled'>;
const CODE_NAMES: readonly CodeName[] = [
  'login',
  'logout',
  'ready',
  'notReady',
  'wrapUpDone',
  'help',
  'withdrawHelp',
];

export type PhoneCodeAction =
  | { type: 'login' }
  | { type: 'logout' }
  | { type: 'ready' }
  | { type: 'notReady'; reason: string }
  | { type: 'wrapUpDone' }
  | { type: 'help' }
  | { type: 'withdrawHelp' };

/** Reasons an agent may choose (a system reason such as `missed` has no digits and cannot be dialled). */
const dialable = (reasons: readonly ReasonCode[]) => reasons.filter((r) => r.selectable !== false);

/**
 * What a number dialled on an agent's phone asks for: an action, a code with digits naming no reason
 * (refused), or nothing (not a code: an ordinary number to call).
 */
export function readPhoneCode(
  dialled: string,
  codes: PhoneCodes,
  reasons: readonly ReasonCode[],
): { action: PhoneCodeAction } | { refused: { code: 'REASON_UNKNOWN'; reason: string } } | undefined {
  if (!codes.enabled) return undefined;
  for (const name of CODE_NAMES) {
    if (name !== 'notReady' && dialled === codes[name]) return { action: { type: name } };
  }
  if (!dialled.startsWith(codes.notReady)) return undefined;
  const digits = dialled.slice(codes.notReady.length);
  const choices = dialable(reasons);
  const reason = digits === '' ? choices[0] : choices.find((r) => r.digits === digits);
  if (reason) return { action: { type: 'notReady', reason: reason.code } };
  if (!/^[0-9]+$/.test(digits)) return undefined; // *54# and such: not this code
  const known = choices.flatMap((r) => {
    const code = notReadyCode(codes, r);
    return code ? [`${code} ${r.code}`] : [];
  });
  return {
    refused: {
      code: 'REASON_UNKNOWN',
      reason: `no reason has digits ${digits} (${known.join(', ') || 'no reason has digits'})`,
    },
  };
}

/** The code dialled for not ready with `reason`; undefined when it cannot be dialled. */
export function notReadyCode(codes: PhoneCodes, reason: ReasonCode): string | undefined {
  if (!codes.enabled || reason.selectable === false || reason.digits === undefined) return undefined;
  return `${codes.notReady}${reason.digits}`;
}

/** Every code with what it does, for an agent's card beside the phone (GET /api/phone-codes). */
export function phoneCodeList(
  codes: PhoneCodes,
  reasons: readonly ReasonCode[],
): { action: string; code: string; does: string }[] {
  if (!codes.enabled) return [];
  const list = CODE_NAMES.map((name) => ({
    action: name,
    code: codes[name],
    does: PhoneCodesSchema.properties[name].description ?? name,
  }));
  for (const reason of dialable(reasons)) {
    const code = notReadyCode(codes, reason);
    if (code) list.push({ action: 'notReady', code, does: `Not ready: ${reason.label}` });
  }
  return list;
}

/**
 * Codes that cannot all be told apart: the same code twice, or one that is the not-ready code followed by
 * digits (it would be read as a reason). One message per problem, naming the fields.
 */
export function phoneCodeProblems(codes: PhoneCodes, path = 'phoneCodes'): string[] {
  const problems: string[] = [];
  const firstOf = new Map<string, CodeName>();
  for (const name of CODE_NAMES) {
    const value = codes[name];
    const first = firstOf.get(value);
    if (first) problems.push(`${path}.${name}: ${value} is ${path}.${first} already; give each its own code`);
    else firstOf.set(value, name);
    if (name !== 'notReady' && value !== codes.notReady && value.startsWith(codes.notReady))
      problems.push(
        `${path}.${name}: ${value} starts with the not-ready code ${codes.notReady} and would be read as a reason's digits`,
      );
  }
  return problems;
}

/**
 * What the phone hears: a confirmation of what was done, or the error tone and then where the seat stands
 * (logged off, do not disturb on or off), so an agent at a desk phone without a screen knows. Asterisk's
 * own sounds. `state`: the seat's state after a refusal of a seat command (absent: no seat state to tell).
 */
export function phoneCodeSounds(
  heard: { done: PhoneCodeAction } | { refused: string; state?: AgentStateType },
): string[] {
  if ('done' in heard) {
    switch (heard.done.type) {
      case 'login':
        return ['agent-loginok'];
      case 'logout':
        return ['agent-loggedoff'];
      // Not ready is the desk phone's do-not-disturb: "Do not disturb. Activated."
      case 'notReady':
        return ['do-not-disturb', 'activated'];
      case 'ready':
        return ['do-not-disturb', 'de-activated'];
      case 'withdrawHelp':
        return ['cancelled'];
      default:
        return ['beep'];
    }
  }
  if (heard.refused === 'REASON_UNKNOWN') return ['beeperr', 'invalid'];
  if (heard.refused === 'NOT_LOGGED_IN' || heard.state === 'logged_out')
    return ['beeperr', 'agent-loggedoff'];
  if (heard.state === 'available') return ['beeperr', 'do-not-disturb', 'de-activated'];
  if (heard.state === 'not_ready') return ['beeperr', 'do-not-disturb', 'activated'];
  return ['beeperr', 'im-sorry'];
}
