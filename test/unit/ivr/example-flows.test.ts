import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import afterHours from '../../../ivr-flows/after-hours.js';
import csat from '../../../ivr-flows/csat-survey.js';
import main from '../../../ivr-flows/main.js';
import { type CallerScript, checkFlow, type Flow, simulate } from '../../../src/ivr/index.js';

const flows: Record<string, Flow> = { main, 'after-hours': afterHours, 'csat-survey': csat };
const CALLER = '+15551234567';
const CRM = `http://crm.internal/api/customers/by-phone/${encodeURIComponent(CALLER)}`;
// Tuesday 2026-12-01 10:00 in New York
const OPEN = '2026-12-01T15:00:00Z';

/** The opening-hours step's event (the emergency switch comes before it). */
const hoursStep = (r: { events: readonly { type: string; stepId?: string }[] }) =>
  r.events.find((e) => e.type === 'ivr.step' && e.stepId === 'hours');

function call(script: CallerScript) {
  return simulate(main, {
    start: OPEN,
    caller: CALLER,
    flows,
    dips: { [CRM]: { body: { vip: false } } },
    switches: { 'emergency-closure': false },
    ...script,
  });
}

describe('example flows', () => {
  it("pass the static checks with the example config's queues and switches", () => {
    const example = JSON.parse(readFileSync('config.example.json', 'utf8')) as {
      queues: { id: string }[];
      switches: { id: string }[];
    };
    for (const flow of Object.values(flows)) {
      const issues = checkFlow(flow, {
        queues: new Set(example.queues.map((q) => q.id)),
        switches: new Set(example.switches.map((s) => s.id)),
        flows: new Set(Object.keys(flows)),
      });
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    }
  });
});

describe('main flow: welcome, language, main menu', () => {
  it('routes 1 (English) then 1 to the sales queue with English + sales skills', async () => {
    const r = await call({
      digits: [
        { at: 3000, digits: '1' },
        { at: 4000, digits: '1' },
      ],
    });
    expect(r.action).toMatchObject({
      type: 'queue',
      queueId: 'sales',
      priority: 0,
      skills: { english: 1, sales: 1 },
    });
    expect(r.path).toEqual([
      'emergency',
      'hours',
      'identify',
      'vipLookup',
      'welcome',
      'language',
      'english',
      'mainMenu',
      'sales',
    ]);
    expect(r.prompts).toContain('hello');
    expect(r.prompts).toContain('basic-pbx-ivr-main');
    expect(r.data).toMatchObject({ language: 'en', menuChoice: '1', vip: false });
  });

  it.each([
    ['2', 'support'],
    ['3', 'billing'],
    ['0', 'support'],
  ])('main menu key %s goes to the %s queue', async (key, queueId) => {
    const r = await call({
      digits: [
        { at: 3000, digits: '1' },
        { at: 4000, digits: key },
      ],
    });
    expect(r.action).toMatchObject({ type: 'queue', queueId, skills: { [queueId]: 1 } });
  });

  it('Spanish sets data and the spanish skill', async () => {
    const r = await call({
      digits: [
        { at: 3000, digits: '2' },
        { at: 4000, digits: '2' },
      ],
    });
    expect(r.action).toMatchObject({ type: 'queue', queueId: 'support', skills: { spanish: 1, support: 1 } });
    expect(r.data.language).toBe('es');
    expect(r.action.type === 'queue' && 'english' in r.action.skills).toBe(false);
  });

  it('no language choice defaults to English after the retry', async () => {
    // language prompt 4 × 1.5 s from 1.55 s, 4 s timeout, then once more; menu key much later
    const r = await call({ digits: [{ at: 30_000, digits: '3' }] });
    expect(r.path.slice(0, 8)).toEqual([
      'emergency',
      'hours',
      'identify',
      'vipLookup',
      'welcome',
      'language',
      'english',
      'mainMenu',
    ]);
    expect(r.action).toMatchObject({ type: 'queue', queueId: 'billing' });
  });

  it('an invalid key plays the invalid prompt and offers the menu again', async () => {
    const r = await call({
      digits: [
        { at: 3000, digits: '1' },
        { at: 4000, digits: '7' },
        { at: 7000, digits: '2' },
      ],
    });
    expect(r.action).toMatchObject({ type: 'queue', queueId: 'support' });
    expect(r.prompts.filter((p) => p === 'basic-pbx-ivr-main')).toHaveLength(2);
    expect(r.prompts).toContain('pm-invalid-option');
    const menuEvent = r.events.find((e) => e.type === 'ivr.step' && e.stepId === 'mainMenu');
    expect(menuEvent).toMatchObject({
      outcome: 'option',
      detail: { key: '2', attempts: 2, failed: ['invalid:7'] },
    });
  });

  it('the repeat key replays the menu without using up an attempt', async () => {
    const r = await call({
      digits: [
        { at: 3000, digits: '1' },
        { at: 4000, digits: '*' },
        { at: 5000, digits: '3' },
      ],
    });
    expect(r.action).toMatchObject({ type: 'queue', queueId: 'billing' });
    expect(r.prompts.filter((p) => p === 'basic-pbx-ivr-main')).toHaveLength(2);
    expect(r.prompts).not.toContain('pm-invalid-option');
  });

  it('timeouts until retries are exhausted go to onFail (support)', async () => {
    const r = await call({ digits: [{ at: 3000, digits: '1' }] });
    expect(r.action).toMatchObject({ type: 'queue', queueId: 'support' });
    expect(r.prompts.filter((p) => p === 'basic-pbx-ivr-main')).toHaveLength(3);
    expect(r.prompts.filter((p) => p === 'please-try-again')).toHaveLength(2);
    const menuEvent = r.events.find((e) => e.type === 'ivr.step' && e.stepId === 'mainMenu');
    expect(menuEvent).toMatchObject({
      outcome: 'failed',
      next: 'support',
      detail: { failed: ['timeout', 'timeout', 'timeout'] },
    });
  });

  it('invalid keys until retries are exhausted go to onFail', async () => {
    const r = await call({
      digits: [
        { at: 3000, digits: '1' },
        { at: 4000, digits: '9' },
        { at: 7000, digits: '8' },
        { at: 10_000, digits: '7' },
      ],
    });
    expect(r.action).toMatchObject({ type: 'queue', queueId: 'support' });
    expect(r.prompts.filter((p) => p === 'pm-invalid-option')).toHaveLength(2);
  });

  it('caller hanging up mid-menu ends with caller-hung-up at that step', async () => {
    const r = await call({ digits: [{ at: 3000, digits: '1' }], hangupAt: 4200 });
    expect(r.action).toMatchObject({ type: 'caller-hung-up', flowId: 'main', atStep: 'mainMenu' });
    expect(r.durationMs).toBe(4200);
    const last = r.events.filter((e) => e.type === 'ivr.step').at(-1);
    expect(last).toMatchObject({ stepId: 'mainMenu', outcome: 'caller-hung-up' });
  });

  it('emits an ivr.step event for every step and an ivr.end with the action', async () => {
    const r = await call({
      digits: [
        { at: 3000, digits: '1' },
        { at: 4000, digits: '1' },
      ],
    });
    const steps = r.events.filter((e) => e.type === 'ivr.step');
    expect(steps.map((e) => e.stepId)).toEqual(r.path);
    expect(steps.every((e) => e.flowId === 'main' && e.callId === 'sim-call')).toBe(true);
    expect(r.events.at(-1)).toMatchObject({ type: 'ivr.end', action: { type: 'queue', queueId: 'sales' } });
  });
});

describe('main flow: VIP lookup', () => {
  it('a VIP caller gets priority 10 and their CRM data', async () => {
    const r = await call({
      dips: { [CRM]: { body: { vip: true, name: 'Ada Lovelace', accountId: 'A-42' } } },
      digits: [
        { at: 3000, digits: '1' },
        { at: 4000, digits: '3' },
      ],
    });
    expect(r.action).toMatchObject({ type: 'queue', queueId: 'billing', priority: 10 });
    expect(r.data).toMatchObject({ vip: true, customerName: 'Ada Lovelace', accountId: 'A-42' });
  });

  it('a CRM timeout falls back to normal priority after 1.5 s', async () => {
    const r = await call({
      dips: { [CRM]: { body: { vip: true }, latencyMs: 5000 } },
      digits: [
        { at: 4000, digits: '1' },
        { at: 5000, digits: '1' },
      ],
    });
    expect(r.action).toMatchObject({ type: 'queue', priority: 0 });
    expect(r.dips).toEqual([{ at: 0, url: CRM, method: 'GET', result: 'timeout' }]);
    const dip = r.events.find((e) => e.type === 'ivr.step' && e.stepId === 'vipLookup');
    expect(dip).toMatchObject({
      outcome: 'fallback',
      next: 'welcome',
      detail: { reason: 'timeout after 1500 ms' },
    });
    expect(r.plays[0]?.at).toBe(1500);
  });

  it('a CRM error or 500 falls back too', async () => {
    for (const answer of ['error', { status: 500 }] as const) {
      const r = await call({
        dips: { [CRM]: answer },
        digits: [
          { at: 3000, digits: '1' },
          { at: 4000, digits: '1' },
        ],
      });
      expect(r.action).toMatchObject({ type: 'queue', queueId: 'sales', priority: 0 });
      expect(r.path).toContain('welcome');
    }
  });
});

describe('main flow: the emergency closure switch', () => {
  it('on: every caller gets the after-hours choices at once, even in opening hours, told why', async () => {
    const r = await call({ switches: { 'emergency-closure': true }, hangupAt: 60_000 });
    expect(r.path.slice(0, 4)).toEqual([
      'emergency',
      'emergencyClosed',
      'afterHours',
      'after-hours:closedMessage',
    ]);
    expect(r.path).not.toContain('hours');
    expect(r.action).toMatchObject({
      type: 'voicemail',
      mailbox: 'after-hours',
      data: { closedReason: 'emergency' },
    });
    expect(r.events[0]).toMatchObject({
      stepId: 'emergency',
      outcome: 'on',
      detail: { switch: 'emergency-closure' },
    });
  });

  it('off: the opening hours decide, as before', async () => {
    const r = await call({ hangupAt: 500 });
    expect(r.events[0]).toMatchObject({ stepId: 'emergency', outcome: 'off', next: 'hours' });
    expect(hoursStep(r)).toMatchObject({ outcome: 'open' });
  });
});

describe('main flow: business hours and holidays', () => {
  it('after hours goes to the after-hours flow and takes a voicemail', async () => {
    // Monday 22:00 New York; no key in the choice menu → message
    const r = await call({ start: '2026-12-01T03:00:00Z', hangupAt: 60_000 });
    expect(r.path.slice(0, 5)).toEqual([
      'emergency',
      'hours',
      'closed',
      'afterHours',
      'after-hours:closedMessage',
    ]);
    expect(r.action).toMatchObject({
      type: 'voicemail',
      mailbox: 'after-hours',
      data: { closedReason: 'after-hours' },
    });
    expect(r.prompts).toContain('vm-intro');
    expect(r.recordings).toHaveLength(1);
  });

  it('Saturday afternoon is closed, Saturday morning open', async () => {
    const sat = await call({ start: '2026-12-05T19:00:00Z', hangupAt: 1000 }); // 14:00 EST
    expect(hoursStep(sat)).toMatchObject({ stepId: 'hours', outcome: 'closed' });
    const satMorning = await call({ start: '2026-12-05T15:00:00Z', hangupAt: 1000 }); // 10:00 EST
    expect(hoursStep(satMorning)).toMatchObject({ stepId: 'hours', outcome: 'open' });
  });

  it('Christmas Day is a holiday even within weekday hours', async () => {
    const r = await call({ start: '2026-12-25T15:00:00Z', hangupAt: 60_000 });
    expect(hoursStep(r)).toMatchObject({
      stepId: 'hours',
      outcome: 'holiday',
      detail: { holiday: 'Christmas Day' },
    });
    expect(r.path).toContain('holiday');
    expect(r.data.closedReason).toBe('holiday');
  });

  it('Christmas Eve is open in the morning only', async () => {
    const morning = await call({ start: '2026-12-24T15:00:00Z', hangupAt: 500 }); // 10:00 EST
    expect(hoursStep(morning)).toMatchObject({ outcome: 'open' });
    const afternoon = await call({ start: '2026-12-24T19:00:00Z', hangupAt: 500 }); // 14:00 EST
    expect(hoursStep(afternoon)).toMatchObject({ outcome: 'holiday' });
  });

  it('uses New York time across the DST change (08:00 local both sides)', async () => {
    const summer = await call({ start: '2026-07-01T12:30:00Z', hangupAt: 500 }); // 08:30 EDT
    expect(hoursStep(summer)).toMatchObject({ outcome: 'open' });
    const winter = await call({ start: '2026-12-01T12:30:00Z', hangupAt: 500 }); // 07:30 EST
    expect(hoursStep(winter)).toMatchObject({ outcome: 'closed' });
  });
});

describe('main flow: error paths', () => {
  it('a missing prompt takes the flow onError step, never silence', async () => {
    const prompts = new Set([
      'hello',
      'vm-press',
      'digits/1',
      'digits/2',
      'im-sorry',
      'please-try-call-later',
      'goodbye',
    ]);
    const r = await call({ prompts, digits: [{ at: 3000, digits: '1' }] });
    expect(r.path.slice(-2)).toEqual(['mainMenu', 'sorry']);
    expect(r.action).toMatchObject({ type: 'hangup', reason: 'flow' });
    expect(r.data.ivrError).toMatch(/basic-pbx-ivr-main/);
    expect(r.prompts.slice(-3)).toEqual(['im-sorry', 'please-try-call-later', 'goodbye']);
    const failed = r.events.find((e) => e.type === 'ivr.step' && e.outcome === 'error');
    expect(failed).toMatchObject({ stepId: 'mainMenu' });
  });

  it('an unknown queue at run time takes onError', async () => {
    const r = await call({
      queues: new Set(['support']),
      digits: [
        { at: 3000, digits: '1' },
        { at: 4000, digits: '1' },
      ],
    });
    expect(r.path.slice(-2)).toEqual(['sales', 'sorry']);
    expect(r.data.ivrError).toBe("unknown queue 'sales'");
  });

  it('goto to a flow that is not loaded takes onError', async () => {
    const r = await simulate(main, {
      start: '2026-12-01T03:00:00Z',
      caller: CALLER,
      flows: { main },
      switches: { 'emergency-closure': false },
    });
    expect(r.path).toEqual(['emergency', 'hours', 'closed', 'afterHours', 'sorry']);
    expect(r.data.ivrError).toBe("unknown flow 'after-hours'");
  });

  it('a withheld number skips the CRM lookup', async () => {
    const r = await call({
      caller: '',
      digits: [
        { at: 3000, digits: '1' },
        { at: 4000, digits: '1' },
      ],
    });
    expect(r.path.slice(0, 4)).toEqual(['emergency', 'hours', 'identify', 'welcome']);
    expect(r.dips).toEqual([]);
    expect(r.action).toMatchObject({ type: 'queue', queueId: 'sales', priority: 0 });
  });
});

describe('after-hours flow', () => {
  it('2 → callback to the confirmed caller number', async () => {
    const r = await simulate(afterHours, {
      caller: CALLER,
      digits: [
        { at: 3500, digits: '2' },
        { at: 5000, digits: '1' },
      ],
    });
    expect(r.action).toEqual({
      type: 'callback',
      number: '15551234567',
      queueId: 'support',
      data: { callbackNumber: '15551234567' },
    });
    expect(r.prompts).toContain('digits:15551234567');
  });

  it('callback: rejecting the read-back asks for another number and confirms it', async () => {
    const r = await simulate(afterHours, {
      caller: CALLER,
      digits: [
        { at: 3500, digits: '2' },
        { at: 5000, digits: '2' }, // not my number
        { at: 7000, digits: '5559876543#' },
        { at: 12_000, digits: '1' },
      ],
    });
    expect(r.action).toMatchObject({ type: 'callback', number: '5559876543' });
    expect(r.prompts).toContain('vm-enter-num-to-call');
    expect(r.prompts).toContain('digits:5559876543');
  });

  it('callback: no usable number after the retries falls back to voicemail', async () => {
    const r = await simulate(afterHours, {
      caller: CALLER,
      digits: [
        { at: 3500, digits: '2' },
        { at: 5000, digits: '3' },
      ],
      hangupAt: 200_000,
    });
    expect(r.path).toContain('callMeBack');
    expect(r.path.at(-1)).toBe('message');
    expect(r.action.type).toBe('voicemail');
  });

  it('withheld caller id goes straight to voicemail; hanging up after speaking still leaves the message', async () => {
    const r = await simulate(afterHours, { caller: '', speakMs: 20_000, hangupAt: 15_000 });
    expect(r.path).toEqual(['closedMessage', 'withCallerId', 'message']);
    expect(r.action).toMatchObject({
      type: 'voicemail',
      recordingId: 'sim-recording-1',
      mailbox: 'after-hours',
    });
    expect(r.recordings[0]).toMatchObject({ endedBy: 'hangup' });
    expect(r.prompts).not.toContain('vm-msgsaved');
  });

  it('a voicemail ended by silence plays the thanks', async () => {
    const r = await simulate(afterHours, { caller: '', speakMs: 4000 });
    expect(r.action).toMatchObject({ type: 'voicemail', durationMs: 9000 });
    expect(r.prompts.slice(-2)).toEqual(['vm-msgsaved', 'vm-goodbye']);
  });

  it('caller hanging up before the beep is caller-hung-up, not a voicemail', async () => {
    const r = await simulate(afterHours, { caller: '', hangupAt: 3500 });
    expect(r.action).toMatchObject({ type: 'caller-hung-up', atStep: 'message' });
  });
});

describe('csat survey flow', () => {
  it('returns the score as data', async () => {
    const r = await simulate(csat, { digits: [{ at: 2000, digits: '4' }] });
    expect(r.action).toEqual({ type: 'survey-result', score: 4, data: { csat: 4 } });
    expect(r.prompts.slice(-2)).toEqual(['auth-thankyou', 'goodbye']);
  });

  it('an invalid key is refused and the question repeated', async () => {
    const r = await simulate(csat, {
      digits: [
        { at: 1000, digits: '9' },
        { at: 12_000, digits: '5' },
      ],
    });
    expect(r.action).toMatchObject({ type: 'survey-result', score: 5 });
    expect(r.prompts).toContain('pm-invalid-option');
  });

  it('no answer gives a null score', async () => {
    const r = await simulate(csat, {});
    expect(r.action).toEqual({ type: 'survey-result', score: null, data: {} });
  });

  it('hanging up during the thanks keeps the score', async () => {
    const r = await simulate(csat, { digits: [{ at: 2000, digits: '2' }], hangupAt: 2500 });
    expect(r.action).toMatchObject({ type: 'survey-result', score: 2 });
  });

  it('hanging up before answering is caller-hung-up', async () => {
    const r = await simulate(csat, { hangupAt: 3000 });
    expect(r.action).toMatchObject({ type: 'caller-hung-up', atStep: 'rate' });
  });
});
