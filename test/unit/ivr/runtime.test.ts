import { describe, expect, it } from 'vitest';
import {
  answer,
  asDigits,
  asNumber,
  branch,
  callback,
  collect,
  dataDip,
  DEFAULT_ERROR_PROMPTS,
  defineFlow,
  type Flow,
  gotoFlow,
  hangup,
  type IvrEvent,
  mediaUri,
  menu,
  play,
  queue,
  runFlow,
  sayDigits,
  sayNumber,
  setData,
  simulate,
  transfer,
  voicemail,
  whenSwitch,
} from '../../../src/ivr/index.js';
import { fakePort } from './fake-port.js';

const stepEvents = (events: readonly IvrEvent[]) => events.filter((e) => e.type === 'ivr.step');

describe('runtime basics', () => {
  const flow = defineFlow({
    id: 'basics',
    entry: 'answer',
    steps: {
      answer: answer({ next: 'hi' }),
      hi: play(['hello-world', 'beep'], { next: 'num' }),
      num: sayNumber((ctx) => ctx.caller.length, { next: 'dig' }),
      dig: sayDigits('123', { next: 'mixed' }),
      mixed: play(['vm-youhave', asNumber(3), 'vm-messages', asDigits((ctx) => ctx.dialed)], { next: 'tag' }),
      tag: setData((ctx) => ({ seenAt: ctx.now, dialed: ctx.dialed }), { skills: { gold: 2 }, next: 'q' }),
      q: queue('support', { priority: (ctx) => (ctx.data.dialed === '800' ? 5 : 1), skills: { support: 1 } }),
    },
  });

  it('plays prompts, numbers and digits and ends in the queue with data and skills', async () => {
    const r = await simulate(flow, { caller: '5551234', dialed: '800', start: 1_000_000 });
    expect(r.prompts).toEqual([
      'hello-world',
      'beep',
      'number:7',
      'digits:123',
      'vm-youhave',
      'number:3',
      'vm-messages',
      'digits:800',
    ]);
    expect(r.action).toEqual({
      type: 'queue',
      queueId: 'support',
      priority: 5,
      skills: { gold: 2, support: 1 },
      data: { seenAt: 1_000_000 + 3000 + 600 + 1200 + (1500 + 600 + 1500 + 1200), dialed: '800' },
    });
    expect(r.path).toEqual(['answer', 'hi', 'num', 'dig', 'mixed', 'tag', 'q']);
  });

  it("queues the call on an agent's direct line when the flow names one (the account manager a dip found)", async () => {
    const direct = defineFlow({
      id: 'direct',
      entry: 'tag',
      steps: {
        tag: setData((ctx) => ({ manager: ctx.caller === '5551234' ? 'anna' : '' }), { next: 'q' }),
        q: queue('support', { agent: (ctx) => String(ctx.data.manager), agentWaitSeconds: 20 }),
      },
    });
    const theirs = await simulate(direct, { caller: '5551234', dialed: '800' });
    expect(theirs.action).toMatchObject({
      type: 'queue',
      queueId: 'support',
      directLine: { agentId: 'anna', waitSeconds: 20 },
    });
    expect(theirs.events.find((e) => e.type === 'ivr.step' && e.stepId === 'q')).toMatchObject({
      detail: { queue: 'support', agent: 'anna' },
    });
    // No manager found: the queue as usual.
    const nobody = await simulate(direct, { caller: '5550000', dialed: '800' });
    expect(nobody.action).not.toHaveProperty('directLine');
    // A fixed agent, waited for 30 s unless told.
    const fixed = defineFlow({ id: 'fixed', entry: 'q', steps: { q: queue('support', { agent: 'bob' }) } });
    expect((await simulate(fixed, { caller: '1', dialed: '2' })).action).toMatchObject({
      directLine: { agentId: 'bob', waitSeconds: 30 },
    });
  });

  it('mediaUri maps to ARI media URIs', () => {
    expect(mediaUri({ kind: 'sound', name: 'digits/1' })).toBe('sound:digits/1');
    expect(mediaUri({ kind: 'number', value: 42 })).toBe('number:42');
    expect(mediaUri({ kind: 'digits', value: '0#' })).toBe('digits:0#');
  });

  it('flows are frozen', () => {
    expect(Object.isFrozen(flow)).toBe(true);
    expect(Object.isFrozen(flow.steps)).toBe(true);
    expect(Object.isFrozen(flow.steps.hi)).toBe(true);
  });

  it('events carry timings from the port clock', async () => {
    const r = await simulate(flow, { caller: '5551234', start: 0 });
    const ev = stepEvents(r.events);
    expect(ev[1]).toMatchObject({
      stepId: 'hi',
      kind: 'play',
      outcome: 'played',
      next: 'num',
      at: 0,
      endedAt: 3000,
    });
  });
});

describe('collect', () => {
  const flow = defineFlow({
    id: 'collect',
    entry: 'acct',
    steps: {
      acct: collect({
        prompt: 'vm-password',
        into: 'account',
        min: 4,
        max: 6,
        retries: 1,
        validate: (d) => !d.startsWith('0'),
        next: 'done',
        onFail: 'fail',
      }),
      done: hangup(),
      fail: hangup('goodbye'),
    },
  });

  it('collects up to the terminator', async () => {
    const r = await simulate(flow, { digits: [{ at: 500, digits: '12345#' }] });
    expect(r.data.account).toBe('12345');
    expect(r.path).toEqual(['acct', 'done']);
  });

  it('stops at max digits', async () => {
    const r = await simulate(flow, { digits: [{ at: 500, digits: '9876543' }] });
    expect(r.data.account).toBe('987654');
  });

  it('too short, then failing validation, exhausts retries → onFail', async () => {
    const r = await simulate(flow, {
      digits: [
        { at: 500, digits: '12#' },
        { at: 5000, digits: '01234#' },
      ],
    });
    expect(r.path).toEqual(['acct', 'fail']);
    expect(r.data.account).toBeUndefined();
    expect(r.prompts.filter((p) => p === 'privacy-incorrect')).toHaveLength(1);
    expect(stepEvents(r.events)[0]).toMatchObject({
      outcome: 'failed',
      detail: { failed: ['invalid:12', 'invalid:01234'] },
    });
  });

  it('inter-digit timeout ends entry', async () => {
    const r = await simulate(flow, {
      digits: [
        { at: 500, digits: '1234' },
        { at: 10_000, digits: '5' },
      ],
    });
    expect(r.data.account).toBe('1234');
  });

  it('caller hanging up while typing → caller-hung-up', async () => {
    const r = await simulate(flow, { digits: [{ at: 500, digits: '12' }], hangupAt: 1500 });
    expect(r.action).toMatchObject({ type: 'caller-hung-up', atStep: 'acct' });
  });

  it('a throwing validate hook takes the error path', async () => {
    const bad = defineFlow({
      id: 'bad-validate',
      entry: 'c',
      steps: {
        c: collect({
          prompt: 'beep',
          into: 'x',
          validate: () => {
            throw new Error('boom');
          },
          next: 'd',
          onFail: 'd',
        }),
        d: hangup(),
      },
    });
    const r = await simulate(bad, { digits: [{ at: 100, digits: '1#' }] });
    expect(r.action).toMatchObject({ type: 'hangup', reason: 'error', error: 'validate threw: boom' });
    expect(r.path).toEqual(['c', '#error']);
    expect(r.prompts.slice(-3)).toEqual([...DEFAULT_ERROR_PROMPTS]);
  });
});

describe('menu', () => {
  const flow = defineFlow({
    id: 'menu',
    entry: 'm',
    steps: {
      m: menu({
        prompt: 'vm-options',
        options: { '1': 'a', '#': 'b' },
        retries: 0,
        timeoutMs: 2000,
        onFail: 'f',
      }),
      a: hangup(),
      b: hangup(),
      f: transfer('100'),
    },
  });

  it('a key during the prompt interrupts it', async () => {
    const r = await simulate(flow, { digits: [{ at: 300, digits: '#' }] });
    expect(r.path).toEqual(['m', 'b']);
    expect(r.plays[0]).toMatchObject({ interruptedBy: '#' });
    expect(r.durationMs).toBe(300);
  });

  it('retries: 0 fails on the first timeout', async () => {
    const r = await simulate(flow, {});
    expect(r.action).toEqual({ type: 'transfer', number: '100', data: {} });
    expect(r.durationMs).toBe(1500 + 2000);
  });
});

describe('data dip', () => {
  const make = (withFallback: boolean) =>
    defineFlow({
      id: `dip-${withFallback}`,
      entry: 'dip',
      steps: {
        dip: withFallback
          ? dataDip({
              request: (ctx) => ({ method: 'POST', url: 'http://x/lookup', body: { ani: ctx.caller } }),
              timeoutMs: 1000,
              map: (res) => {
                const b = res.body as { tier?: string };
                if (!b.tier) throw new Error('no tier');
                return { tier: b.tier };
              },
              next: 'ok',
              onFail: 'fallback',
            })
          : dataDip({
              request: () => ({ method: 'GET', url: 'http://x/lookup' }),
              map: () => ({}),
              next: 'ok',
            }),
        ok: queue('q'),
        fallback: queue('q', { priority: -1 }),
      },
    });

  it('maps a response into caller data', async () => {
    const r = await simulate(make(true), {
      dips: { 'http://x/lookup': { body: { tier: 'gold' }, latencyMs: 200 } },
    });
    expect(r.data).toEqual({ tier: 'gold' });
    expect(r.path).toEqual(['dip', 'ok']);
    expect(r.durationMs).toBe(200);
  });

  it('finds dips scripted by METHOD URL', async () => {
    const r = await simulate(make(true), { dips: { 'POST http://x/lookup': { body: { tier: 'gold' } } } });
    expect(r.path).toEqual(['dip', 'ok']);
  });

  it.each([
    ['timeout', 'timeout' as const, 'timeout after 1000 ms'],
    ['error', 'error' as const, 'error: connection refused'],
    ['404', { status: 404 }, 'http 404'],
    ['mapper throws', { body: {} }, 'map failed: no tier'],
  ])('%s → fallback branch', async (_name, answer, reason) => {
    const r = await simulate(make(true), { dips: { 'http://x/lookup': answer } });
    expect(r.path).toEqual(['dip', 'fallback']);
    expect(stepEvents(r.events)[0]).toMatchObject({ outcome: 'fallback', detail: { reason } });
  });

  it('without onFail a failed dip takes the default error path (apology + hangup)', async () => {
    const r = await simulate(make(false), { dips: { 'http://x/lookup': 'timeout' } });
    expect(r.action).toMatchObject({ type: 'hangup', reason: 'error' });
    expect(r.action.type === 'hangup' && r.action.error).toMatch(/no onFail/);
    expect(r.prompts).toEqual([...DEFAULT_ERROR_PROMPTS]);
    expect(r.durationMs).toBe(2000 + 3 * 1500);
  });

  it('a port that throws counts as a dip error', async () => {
    const port = fakePort({
      httpDip: async () => {
        throw new Error('socket hang up');
      },
    });
    const r = await runFlow(make(true), port, { callId: 'c1' });
    expect(r.path).toEqual(['dip', 'fallback']);
  });
});

describe('error handling', () => {
  it('branch returning a step outside its targets takes onError', async () => {
    const flow = defineFlow({
      id: 'b',
      entry: 'b',
      onError: 'oops',
      steps: {
        b: branch((ctx) => ctx.data.where as 'x', ['x']),
        x: hangup(),
        oops: hangup('im-sorry'),
      },
    });
    const r = await simulate(flow, { data: { where: 'nowhere' } });
    expect(r.path).toEqual(['b', 'oops']);
    expect(r.data.ivrError).toMatch(/branch chose 'nowhere'/);
  });

  it('a failing onError step falls through to the default error path', async () => {
    const flow = defineFlow({
      id: 'e',
      entry: 'q',
      onError: 'oops',
      steps: { q: queue('nope'), oops: play('missing-sound', { next: 'q' }) },
    });
    const r = await simulate(flow, { queues: new Set(['yes']), prompts: new Set(DEFAULT_ERROR_PROMPTS) });
    expect(r.path).toEqual(['q', 'oops', '#error']);
    expect(r.action).toMatchObject({ type: 'hangup', reason: 'error' });
    expect(r.prompts).toEqual([...DEFAULT_ERROR_PROMPTS]);
  });

  it('an endless loop is cut off by maxSteps and sent down the error path', async () => {
    const flow = defineFlow({
      id: 'loop',
      entry: 'a',
      steps: { a: setData({}, { next: 'b' }), b: setData({}, { next: 'a' }) },
    });
    const r = await simulate(flow, { maxSteps: 20 });
    expect(r.path).toHaveLength(21);
    expect(r.action).toMatchObject({
      type: 'hangup',
      reason: 'error',
      error: 'more than 20 steps executed (a loop?)',
    });
  });

  it('bad data from a hook takes the error path', async () => {
    const flow = defineFlow({
      id: 'd',
      entry: 's',
      steps: { s: setData(() => ({ when: new Date() as unknown as string }), { next: 'h' }), h: hangup() },
    });
    const r = await simulate(flow);
    expect(r.action).toMatchObject({
      type: 'hangup',
      reason: 'error',
      error: "setData: 'when' is not a string, finite number, boolean or null",
    });
  });

  it('a step id missing at run time (flow built without type checks) takes the error path', async () => {
    const flow = { ...defineFlow({ id: 'x', entry: 'a', steps: { a: hangup() } }), entry: 'zzz' } as Flow;
    const r = await simulate(flow);
    expect(r.action).toMatchObject({ type: 'hangup', reason: 'error', error: "flow 'x' has no step 'zzz'" });
  });

  it('a rejecting port.play takes the error path instead of throwing', async () => {
    const flow = defineFlow({ id: 'p', entry: 'p', steps: { p: play('beep', { next: 'h' }), h: hangup() } });
    let calls = 0;
    const port = fakePort({
      play: async () => {
        calls++;
        if (calls === 1) throw new Error('channel gone');
        return {};
      },
    });
    const events: IvrEvent[] = [];
    const r = await runFlow(flow, port, { callId: 'c' }, { onEvent: (e) => events.push(e) });
    expect(r.action).toMatchObject({
      type: 'hangup',
      reason: 'error',
      error: 'playback failed: channel gone',
    });
    expect(events.map((e) => (e.type === 'ivr.step' ? `${e.stepId}:${e.outcome}` : e.type))).toEqual([
      'p:error',
      '#error:apologized',
      'ivr.end',
    ]);
  });

  it('dials a transfer number written as people write it', async () => {
    const flow = defineFlow({ id: 't', entry: 't', steps: { t: transfer('+1 (555) 010-0199') } });
    expect((await simulate(flow)).action).toMatchObject({ type: 'transfer', number: '+15550100199' });
  });

  it('an invalid transfer number takes the error path', async () => {
    const flow = defineFlow({ id: 't', entry: 't', steps: { t: transfer((ctx) => ctx.data.to as string) } });
    const r = await simulate(flow, { data: { to: 'sip:evil' } });
    expect(r.action).toMatchObject({ type: 'hangup', reason: 'error' });
  });
});

describe('gotoFlow', () => {
  const second = defineFlow({
    id: 'second',
    entry: 's',
    steps: { s: play('beep', { next: 'q' }), q: queue('sales') },
  });
  const first = defineFlow({
    id: 'first',
    entry: 'tag',
    steps: { tag: setData({ from: 'first' }, { next: 'go' }), go: gotoFlow('second') },
  });

  it('continues in the other flow, keeping data, with qualified path entries', async () => {
    const r = await simulate(first, { flows: { second } });
    expect(r.path).toEqual(['tag', 'go', 'second:s', 'second:q']);
    expect(r.action).toMatchObject({ type: 'queue', queueId: 'sales', data: { from: 'first' } });
    expect(r.flowId).toBe('second');
    expect(stepEvents(r.events).map((e) => e.flowId)).toEqual(['first', 'first', 'second', 'second']);
  });

  it('uses the resolver, so a call entering later gets the newer version', async () => {
    const v2 = { ...second, version: 'v2' } as Flow;
    const r = await simulate(first, { flows: (id) => (id === 'second' ? v2 : undefined) });
    expect(stepEvents(r.events).at(-1)).toMatchObject({ flowVersion: 'v2' });
  });
});

describe('type safety of step targets', () => {
  it('a target that is not a step is a type error (checked by tsc)', () => {
    const f = () =>
      defineFlow({
        id: 't',
        entry: 'a',
        steps: {
          // @ts-expect-error 'nope' is not a step of this flow
          a: play('beep', { next: 'nope' }),
        },
      });
    expect(typeof f).toBe('function');
  });
});

describe('port edge cases', () => {
  it('a caller gone before answer ends as caller-hung-up at the answer step', async () => {
    const flow = defineFlow({ id: 'a', entry: 'a', steps: { a: answer({ next: 'h' }), h: hangup() } });
    const r = await runFlow(flow, fakePort({ answer: async () => ({ hungUp: true }) }), { callId: 'c' });
    expect(r.action).toEqual({ type: 'caller-hung-up', flowId: 'a', atStep: 'a', data: {} });
  });

  it('a failed recording takes the error path', async () => {
    const flow = defineFlow({ id: 'v', entry: 'v', steps: { v: voicemail({ prompt: [] }) } });
    const port = fakePort({
      record: async () => ({ recordingId: '', durationMs: 0, endedBy: 'silence', error: 'disk full' }),
    });
    const r = await runFlow(flow, port, { callId: 'c' });
    expect(r.action).toMatchObject({ type: 'hangup', reason: 'error', error: 'recording failed: disk full' });
  });

  it('keeps a recorded message, a confirmed callback and a given score when the closing prompt cannot play', async () => {
    const noThanks = new Set([
      'vm-intro',
      'beep',
      'telephone-number',
      'if-correct-press',
      'digits/1',
      'vm-press',
    ]);
    const vm = defineFlow({ id: 'v', entry: 'v', steps: { v: voicemail({ maxSeconds: 60 }) } });
    const left = await simulate(vm, { prompts: noThanks });
    expect(left.action).toMatchObject({ type: 'voicemail' });
    expect(stepEvents(left.events)[0]?.detail).toMatchObject({
      thanksNotHeard: expect.stringMatching(/vm-msgsaved/),
    });
    const cb = defineFlow({
      id: 'c',
      entry: 'c',
      steps: { c: callback({ queueId: 'sales', onFail: 'bye' }), bye: hangup() },
    });
    const asked = await simulate(cb, {
      caller: '5551234',
      prompts: noThanks,
      digits: [{ at: 3000, digits: '1' }],
    });
    expect(asked.action).toMatchObject({ type: 'callback', number: '5551234' });
  });

  it('records the message when the greeting cannot be played, saying why it was not heard', async () => {
    const noGreeting = new Set(['beep', 'vm-msgsaved', 'vm-goodbye']);
    const flow = defineFlow({
      id: 'v',
      entry: 'v',
      steps: { v: voicemail({ prompt: 'custom/gone', maxSeconds: 60 }) },
    });
    const r = await simulate(flow, { prompts: noGreeting, digits: [{ at: 3000, digits: '#' }] });
    expect(r.action).toMatchObject({ type: 'voicemail' });
    expect(r.recordings).toHaveLength(1);
    expect(stepEvents(r.events)[0]).toMatchObject({
      outcome: 'recorded',
      detail: { greetingNotHeard: expect.stringMatching(/custom\/gone/) },
    });
    expect(stepEvents(r.events)[0]?.detail).not.toHaveProperty('thanksNotHeard');
  });

  it('a caller who hangs up during the greeting leaves no message', async () => {
    const flow = defineFlow({ id: 'v', entry: 'v', steps: { v: voicemail({ maxSeconds: 60 }) } });
    const r = await simulate(flow, { hangupAt: 300 });
    expect(r.action).toMatchObject({ type: 'caller-hung-up', atStep: 'v' });
    expect(r.recordings).toEqual([]);
  });

  it('a recording ended with # plays the thanks and returns the recording', async () => {
    const flow = defineFlow({ id: 'v', entry: 'v', steps: { v: voicemail({ maxSeconds: 60 }) } });
    const r = await simulate(flow, { digits: [{ at: 4000, digits: '#' }] });
    expect(r.action).toMatchObject({ type: 'voicemail', durationMs: 4000 - 1500 - 500 });
    expect(r.recordings).toEqual([{ at: 1500, durationMs: 2000, endedBy: 'terminator' }]);
    expect(r.prompts).toEqual(['vm-intro', 'beep', 'vm-msgsaved', 'vm-goodbye']);
  });

  it('callback without caller id asks for a number, confirms it and returns it', async () => {
    const flow = defineFlow({
      id: 'cb',
      entry: 'cb',
      steps: { cb: callback({ onFail: 'bye', min: 4, max: 10 }), bye: hangup() },
    });
    const r = await simulate(flow, {
      caller: 'anonymous',
      digits: [
        { at: 500, digits: '55501#' },
        { at: 3000, digits: '1' },
      ],
    });
    expect(r.action).toEqual({ type: 'callback', number: '55501', data: { callbackNumber: '55501' } });
    expect(r.prompts[0]).toBe('vm-enter-num-to-call');
  });

  it('callback: a number the outbound rules bar is asked for again, as a mistyped one is', async () => {
    const flow = defineFlow({
      id: 'cb',
      entry: 'cb',
      steps: { cb: callback({ onFail: 'bye', min: 4, max: 12 }), bye: hangup() },
    });
    const r = await simulate(flow, {
      caller: '19005550100', // a premium-rate caller ID is not offered for confirmation either
      numberRefusal: (n) => (n.startsWith('1900') ? 'premium rate' : null),
      digits: [
        { at: 500, digits: '19005550199#' },
        { at: 6000, digits: '5551234#' },
        { at: 9000, digits: '1' },
      ],
    });
    expect(r.action).toMatchObject({ type: 'callback', number: '5551234' });
    expect(r.prompts.filter((p) => p === 'vm-enter-num-to-call')).toHaveLength(2);
  });

  it('transfer: a number the outbound rules bar fails the step (the flow’s error path)', async () => {
    const flow = defineFlow({ id: 't', entry: 't', steps: { t: transfer('19005550100') } });
    const r = await simulate(flow, { numberRefusal: (n) => (n.startsWith('1900') ? 'premium rate' : null) });
    expect(r.action.type).not.toBe('transfer');
    expect(JSON.stringify(r.steps.map((s) => s.event))).toContain(
      'transfer number may not be dialled: premium rate',
    );
  });

  it('transfer: checked by the transfer rules when they differ (a customer on the do-not-call list is put through to)', async () => {
    const flow = defineFlow({ id: 't', entry: 't', steps: { t: transfer('+15550100199') } });
    const asked = (n: string) => (n === '+15550100199' ? 'the customer asked not to be called' : null);
    const r = await simulate(flow, { numberRefusal: asked, transferRefusal: () => null });
    expect(r.action).toMatchObject({ type: 'transfer', number: '+15550100199' });
    const barred = await simulate(flow, { numberRefusal: () => null, transferRefusal: asked });
    expect(barred.action.type).not.toBe('transfer');
  });
});

describe('carrying a call on part-way through (resumeAt, after a restart of the service)', () => {
  const billing = defineFlow({
    id: 'billing',
    entry: 'ask',
    steps: {
      ask: menu({ prompt: 'vm-press', options: { '1': 'q' }, onFail: 'q' }),
      q: queue('billing', { skills: { billing: 1 } }),
    },
  });
  const main = defineFlow({
    id: 'main',
    entry: 'tag',
    steps: {
      tag: setData({ account: '42' }, { skills: { vip: 3 }, next: 'hello' }),
      hello: play('hello', { next: 'pick' }),
      pick: menu({ prompt: 'basic-pbx-ivr-main', options: { '1': 'tag2', '2': 'go' }, onFail: 'bye' }),
      tag2: setData({ picked: 'sales' }, { next: 'q' }),
      q: queue('sales'),
      go: gotoFlow('billing'),
      bye: hangup('goodbye'),
    },
  });

  it('starts at the given step with the data, skills and path so far, and the path goes on from them', async () => {
    const r = await simulate(main, {
      digits: [{ at: 500, digits: '1' }],
      resumeAt: {
        flow: main,
        stepId: 'pick',
        data: { account: '42' },
        skills: { vip: 3 },
        path: ['tag', 'hello'],
      },
    });
    expect(r.prompts[0]).toBe('basic-pbx-ivr-main'); // not the steps before it again
    expect(r.path).toEqual(['tag', 'hello', 'pick', 'tag2', 'q']);
    expect(r.action).toEqual({
      type: 'queue',
      queueId: 'sales',
      priority: 0,
      skills: { vip: 3 },
      data: { account: '42', picked: 'sales' },
    });
  });

  it('starts in a flow a goto-flow had entered, its steps still qualified against the entry flow', async () => {
    const r = await simulate(main, {
      flows: { billing },
      digits: [{ at: 500, digits: '1' }],
      resumeAt: { flow: billing, stepId: 'ask', data: {}, skills: {}, path: ['tag', 'hello', 'pick', 'go'] },
    });
    expect(r.path).toEqual(['tag', 'hello', 'pick', 'go', 'billing:ask', 'billing:q']);
    expect(stepEvents(r.events).at(0)).toMatchObject({ flowId: 'billing', stepId: 'ask', next: 'billing:q' });
  });

  it('goes on with the message a caller was leaving: no greeting or beep again, the same recording', async () => {
    const messages = defineFlow({
      id: 'messages',
      entry: 'vm',
      steps: {
        vm: voicemail({ prompt: 'vm-intro', thanks: 'vm-goodbye', mailbox: 'sales' }),
      },
    });
    const resumed = await simulate(messages, {
      resumeAt: {
        flow: messages,
        stepId: 'vm',
        data: {},
        skills: {},
        path: [],
        recordingUnderWay: 'vm-earlier',
      },
    });
    expect(resumed.prompts).toEqual(['vm-goodbye']);
    expect(resumed.recordings).toMatchObject([{ underWay: 'vm-earlier' }]);
    expect(resumed.action).toMatchObject({ type: 'voicemail', recordingId: 'vm-earlier', mailbox: 'sales' });
    expect(stepEvents(resumed.events)[0]?.detail).toMatchObject({ resumedAfterRestart: true });
    // Without it (and on a later visit to the step) the step greets, beeps and records anew.
    const fresh = await simulate(messages, {
      resumeAt: { flow: messages, stepId: 'vm', data: {}, skills: {}, path: [] },
    });
    expect(fresh.prompts).toEqual(['vm-intro', 'beep', 'vm-goodbye']);
    expect(fresh.action).toMatchObject({ type: 'voicemail', recordingId: 'sim-recording-1' });
  });

  it('offers the recording under way to the step resumed only, not to a later one', async () => {
    const twice = defineFlow({
      id: 'twice',
      entry: 'ask',
      steps: {
        ask: menu({ prompt: 'vm-press', options: { '1': 'vm' }, onFail: 'vm' }),
        vm: voicemail({ prompt: 'vm-intro', thanks: [] }),
      },
    });
    const r = await simulate(twice, {
      resumeAt: {
        flow: twice,
        stepId: 'ask',
        data: {},
        skills: {},
        path: [],
        recordingUnderWay: 'vm-earlier',
      },
    });
    expect(r.recordings).toHaveLength(1);
    expect(r.recordings[0]?.underWay).toBeUndefined();
    expect(r.prompts).toContain('vm-intro');
  });

  it('a step event carries the data and skills when the step changed them, and only then', async () => {
    const r = await simulate(main, { digits: [{ at: 3000, digits: '1' }] });
    const events = stepEvents(r.events);
    expect(events.map((e) => [e.stepId, e.data, e.skills])).toEqual([
      ['tag', { account: '42' }, { vip: 3 }],
      ['hello', undefined, undefined],
      ['pick', undefined, undefined],
      ['tag2', { account: '42', picked: 'sales' }, undefined],
      ['q', undefined, undefined],
    ]);
  });
});

describe('whenSwitch (a switch supervisors turn on and off)', () => {
  const flow = defineFlow({
    id: 'closure',
    entry: 'emergency',
    onError: 'sorry',
    steps: {
      emergency: whenSwitch('storm-closure', { on: 'closed', off: 'q' }),
      closed: hangup('goodbye'),
      q: queue('sales'),
      sorry: hangup('im-sorry'),
    },
  });

  it('takes `on` while the switch is on, `off` while it is off, and says which on the step', async () => {
    const on = await simulate(flow, { switches: { 'storm-closure': true } });
    expect(on.path).toEqual(['emergency', 'closed']);
    expect(on.action).toMatchObject({ type: 'hangup' });
    expect(stepEvents(on.events)[0]).toMatchObject({
      stepId: 'emergency',
      kind: 'switch',
      outcome: 'on',
      detail: { switch: 'storm-closure' },
    });
    const off = await simulate(flow, { switches: { 'storm-closure': false } });
    expect(off.path).toEqual(['emergency', 'q']);
    expect(off.action).toMatchObject({ type: 'queue', queueId: 'sales' });
  });

  it('a switch the service does not define takes the error path, naming it', async () => {
    const r = await simulate(flow, { switches: { other: true } });
    expect(r.path).toEqual(['emergency', 'sorry']);
    expect(stepEvents(r.events)[0]).toMatchObject({
      outcome: 'error',
      detail: { error: "unknown switch 'storm-closure'" },
    });
  });
});
