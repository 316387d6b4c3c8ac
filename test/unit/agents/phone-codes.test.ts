/** The codes an agent dials on a desk phone: which one was dialled, clashes refused, what the phone hears. */
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  notReadyCode,
  type PhoneCodes,
  PhoneCodesSchema,
  phoneCodeList,
  phoneCodeProblems,
  phoneCodeSounds,
  readPhoneCode,
} from '../../../src/agents/phone-codes.js';
import { DEFAULT_REASON_CODES, validateReasonCodes } from '../../../src/agents/schema.js';

const codes = (over: Partial<PhoneCodes> = {}): PhoneCodes => ({
  ...(Value.Default(PhoneCodesSchema, {}) as PhoneCodes),
  ...over,
});
const reasons = DEFAULT_REASON_CODES;

describe('readPhoneCode', () => {
  it('reads each default code as its action', () => {
    expect(readPhoneCode('*51', codes(), reasons)).toEqual({ action: { type: 'login' } });
    expect(readPhoneCode('*52', codes(), reasons)).toEqual({ action: { type: 'logout' } });
    expect(readPhoneCode('*53', codes(), reasons)).toEqual({ action: { type: 'ready' } });
    expect(readPhoneCode('*55', codes(), reasons)).toEqual({ action: { type: 'wrapUpDone' } });
    expect(readPhoneCode('*56', codes(), reasons)).toEqual({ action: { type: 'help' } });
    expect(readPhoneCode('*57', codes(), reasons)).toEqual({ action: { type: 'withdrawHelp' } });
  });

  it("reads not ready alone as the first reason agents choose, and with a reason's digits as that reason", () => {
    expect(readPhoneCode('*54', codes(), reasons)).toEqual({ action: { type: 'notReady', reason: 'break' } });
    expect(readPhoneCode('*542', codes(), reasons)).toEqual({
      action: { type: 'notReady', reason: 'lunch' },
    });
    expect(readPhoneCode('*544', codes(), reasons)).toEqual({
      action: { type: 'notReady', reason: 'training' },
    });
  });

  it('refuses digits naming no reason, listing the ones there are', () => {
    const read = readPhoneCode('*549', codes(), reasons);
    expect(read).toEqual({
      refused: {
        code: 'REASON_UNKNOWN',
        reason: 'no reason has digits 9 (*541 break, *542 lunch, *543 meeting, *544 training)',
      },
    });
  });

  it('leaves ordinary numbers, other star codes and everything when turned off to the outbound checks', () => {
    expect(readPhoneCode('+15551234567', codes(), reasons)).toBeUndefined();
    expect(readPhoneCode('*50', codes(), reasons)).toBeUndefined();
    expect(readPhoneCode('*54#', codes(), reasons)).toBeUndefined();
    expect(readPhoneCode('*51', codes({ enabled: false }), reasons)).toBeUndefined();
  });

  it('reads codes an operator chose', () => {
    const mine = codes({ login: '*7', notReady: '*80' });
    expect(readPhoneCode('*7', mine, reasons)).toEqual({ action: { type: 'login' } });
    expect(readPhoneCode('*51', mine, reasons)).toBeUndefined();
    expect(readPhoneCode('*803', mine, reasons)).toEqual({ action: { type: 'notReady', reason: 'meeting' } });
  });
});

describe('phoneCodeProblems', () => {
  it('finds none in the defaults', () => {
    expect(phoneCodeProblems(codes())).toEqual([]);
  });

  it('refuses a code given twice and one that would be read as a reason, by field', () => {
    expect(phoneCodeProblems(codes({ ready: '*51', help: '*541' }))).toEqual([
      'phoneCodes.ready: *51 is phoneCodes.login already; give each its own code',
      "phoneCodes.help: *541 starts with the not-ready code *54 and would be read as a reason's digits",
    ]);
  });

  it('refuses a code that is not a star and digits (schema)', () => {
    expect(Value.Check(PhoneCodesSchema, codes({ login: '51' }))).toBe(false);
    expect(Value.Check(PhoneCodesSchema, codes({ login: '*51#' }))).toBe(false);
  });
});

describe('phoneCodeSounds', () => {
  it('confirms what was done', () => {
    expect(phoneCodeSounds({ done: { type: 'login' } })).toEqual(['agent-loginok']);
    expect(phoneCodeSounds({ done: { type: 'logout' } })).toEqual(['agent-loggedoff']);
    expect(phoneCodeSounds({ done: { type: 'notReady', reason: 'lunch' } })).toEqual([
      'do-not-disturb',
      'activated',
    ]);
    expect(phoneCodeSounds({ done: { type: 'ready' } })).toEqual(['do-not-disturb', 'de-activated']);
    expect(phoneCodeSounds({ done: { type: 'help' } })).toEqual(['beep']);
    expect(phoneCodeSounds({ done: { type: 'withdrawHelp' } })).toEqual(['cancelled']);
  });

  it('answers a refusal with the error tone and where the seat stands', () => {
    expect(phoneCodeSounds({ refused: 'AGENT_LOGGED_OUT', state: 'logged_out' })).toEqual([
      'beeperr',
      'agent-loggedoff',
    ]);
    expect(phoneCodeSounds({ refused: 'NOT_LOGGED_IN' })).toEqual(['beeperr', 'agent-loggedoff']);
    expect(phoneCodeSounds({ refused: 'AGENT_ALREADY_AVAILABLE', state: 'available' })).toEqual([
      'beeperr',
      'do-not-disturb',
      'de-activated',
    ]);
    expect(phoneCodeSounds({ refused: 'AGENT_BUSY', state: 'offered' })).toEqual(['beeperr', 'im-sorry']);
    expect(phoneCodeSounds({ refused: 'REASON_UNKNOWN' })).toEqual(['beeperr', 'invalid']);
    expect(phoneCodeSounds({ refused: 'HELP_ALREADY_ASKED' })).toEqual(['beeperr', 'im-sorry']);
  });
});

describe('the card beside the phone', () => {
  it('lists every code and each reason that can be dialled', () => {
    const list = phoneCodeList(codes(), reasons);
    expect(list.map((c) => `${c.code} ${c.action}`)).toEqual([
      '*51 login',
      '*52 logout',
      '*53 ready',
      '*54 notReady',
      '*55 wrapUpDone',
      '*56 help',
      '*57 withdrawHelp',
      '*541 notReady',
      '*542 notReady',
      '*543 notReady',
      '*544 notReady',
    ]);
    expect(list.find((c) => c.code === '*542')?.does).toBe('Not ready: Lunch');
    expect(phoneCodeList(codes({ enabled: false }), reasons)).toEqual([]);
  });

  it('gives no code for a reason only the system sets', () => {
    const missed = reasons.find((r) => r.code === 'missed')!;
    expect(notReadyCode(codes(), missed)).toBeUndefined();
    expect(notReadyCode(codes(), reasons[1]!)).toBe('*542');
  });
});

describe("reasons' digits", () => {
  it('refuses the same digits twice and digits on a reason agents cannot choose', () => {
    const result = validateReasonCodes([
      { code: 'break', label: 'Break', digits: '1' },
      { code: 'smoke', label: 'Smoke', digits: '1' },
      { code: 'audit', label: 'Audit', selectable: false, digits: '7' },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.message)).toEqual([
      'reasonCodes[1].digits: "1" dials another reason already',
      'reasonCodes[2].digits: a reason agents cannot choose cannot be dialled either',
    ]);
  });
});
