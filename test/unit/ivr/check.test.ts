import { describe, expect, it } from 'vitest';
import {
  asNumber,
  businessHours,
  callback,
  type Catalogue,
  checkFlow,
  collect,
  defineFlow,
  type Flow,
  gotoFlow,
  hangup,
  menu,
  play,
  queue,
  setData,
  whenSwitch,
} from '../../../src/ivr/index.js';

const catalogue = {
  queues: new Set(['sales', 'support']),
  prompts: new Set(['hello-world', 'goodbye', 'beep', ...'0123456789'.split('').map((d) => `digits/${d}`)]),
  flows: new Set(['main', 'other']),
};

const errors = (flow: Flow, cat: Catalogue = catalogue) =>
  checkFlow(flow, cat)
    .filter((i) => i.severity === 'error')
    .map((i) => `${i.stepId ?? '-'}: ${i.message}`);

describe('checkFlow: switches', () => {
  it('refuses a switch the service does not define, naming it; takes a defined one and checks both ways out', () => {
    const flow = defineFlow({
      id: 'main',
      entry: 's',
      steps: { s: whenSwitch('storm', { on: 'bye', off: 'q' }), q: queue('sales'), bye: hangup('goodbye') },
    });
    expect(errors(flow, { ...catalogue, switches: new Set(['storm']) })).toEqual([]);
    expect(errors(flow, { ...catalogue, switches: new Set(['fire-drill']) })).toEqual([
      "s: unknown switch 'storm' (define it in the config's switches first)",
    ]);
    const dangling = defineFlow({
      id: 'main',
      entry: 's',
      steps: { s: whenSwitch('storm', { on: 'nowhere' as 'q', off: 'q' }), q: queue('sales') },
    });
    expect(errors(dangling, { ...catalogue, switches: new Set(['storm']) }).join('\n')).toMatch(/nowhere/);
  });
});

describe("checkFlow: an agent's direct line", () => {
  it('names an agent it does not know, and a wait out of bounds or without an agent', () => {
    const flow = defineFlow({
      id: 'main',
      entry: 'a',
      steps: {
        a: menu({
          prompt: 'beep',
          invalid: 'beep',
          options: { '1': 'b', '2': 'c', '3': 'd' },
          onFail: 'd',
        }),
        b: queue('sales', { agent: 'anna', agentWaitSeconds: 20 }),
        c: queue('sales', { agent: 'zoe', agentWaitSeconds: 601 }),
        d: queue('sales', { agentWaitSeconds: 20 }),
      },
    });
    expect(errors(flow, { ...catalogue, agents: new Set(['anna']) })).toEqual([
      'c: agentWaitSeconds must be a whole number of seconds from 1 to 600',
      "c: unknown agent 'zoe'",
      'd: agentWaitSeconds is only for a direct line (agent)',
    ]);
    // Computed (from a dip): checked when the call is queued, not here.
    const computed = defineFlow({
      id: 'main',
      entry: 'q',
      steps: { q: queue('sales', { agent: (ctx) => String(ctx.data.manager ?? '') }) },
    });
    expect(errors(computed, { ...catalogue, agents: new Set(['anna']) })).toEqual([]);
  });
});

describe('checkFlow', () => {
  it('accepts a good flow', () => {
    const flow = defineFlow({
      id: 'main',
      entry: 'hi',
      steps: { hi: play('hello-world', { next: 'q' }), q: queue('sales') },
    });
    expect(checkFlow(flow, catalogue)).toEqual([]);
  });

  it('reports unknown queues, prompts and flows with the offending value', () => {
    const flow = defineFlow({
      id: 'main',
      entry: 'hi',
      steps: {
        hi: play(['hello-world', 'welcome'], { next: 'm' }),
        m: menu({ prompt: 'beep', options: { '1': 'q', '2': 'g', '3': 'cb' }, onFail: 'bye' }),
        q: queue('salez'),
        g: gotoFlow('nowhere'),
        cb: callback({ queueId: 'billing', thanks: 'goodbye', onFail: 'bye' }),
        bye: hangup('goodbye'),
      },
    });
    const issues = checkFlow(flow, catalogue).filter((i) => i.severity === 'error');
    expect(issues).toContainEqual(
      expect.objectContaining({ stepId: 'hi', message: "unknown prompt 'welcome'", value: 'welcome' }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ stepId: 'q', message: "unknown queue 'salez'", value: 'salez' }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ stepId: 'g', message: "unknown flow 'nowhere'", value: 'nowhere' }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ stepId: 'cb', message: "unknown queue 'billing'" }),
    );
    const noQueue = defineFlow({
      id: 'x',
      entry: 'cb',
      steps: { cb: callback({ thanks: 'goodbye', onFail: 'bye' }), bye: hangup('goodbye') },
    });
    expect(checkFlow(noQueue, catalogue).filter((i) => i.severity === 'error')).toContainEqual(
      expect.objectContaining({
        stepId: 'cb',
        message: 'callback needs queueId: the queue whose agents call back',
      }),
    );
    // default invalid prompt of the menu and default callback prompts are checked too
    expect(issues.map((i) => i.value)).toEqual(
      expect.arrayContaining(['pm-invalid-option', 'telephone-number']),
    );
  });

  it('skips categories the catalogue does not list', () => {
    const flow = defineFlow({ id: 'x', entry: 'q', steps: { q: queue('anything', { prompt: 'whatever' }) } });
    expect(checkFlow(flow, {})).toEqual([]);
  });

  it('reports unreachable steps', () => {
    const flow = defineFlow({
      id: 'main',
      entry: 'hi',
      steps: {
        hi: play('hello-world', { next: 'q' }),
        q: queue('sales'),
        orphan: hangup(),
        orphan2: play('beep', { next: 'orphan' }),
      },
    });
    expect(errors(flow)).toEqual([
      "orphan: step 'orphan' is unreachable from entry 'hi'",
      "orphan2: step 'orphan2' is unreachable from entry 'hi'",
    ]);
  });

  it('counts the onError step and what it leads to as reachable', () => {
    const flow = defineFlow({
      id: 'main',
      entry: 'q',
      onError: 'sorry',
      steps: { q: queue('sales'), sorry: play('beep', { next: 'bye' }), bye: hangup() },
    });
    expect(errors(flow)).toEqual([]);
  });

  it('reports menu options that can never be chosen', () => {
    const flow = defineFlow({
      id: 'main',
      entry: 'm',
      steps: {
        m: menu({
          prompt: 'beep',
          invalid: 'beep',
          options: { '1': 'q', '*': 'q', ...({ '12': 'q' } as object) },
          repeatKey: '*',
          onFail: 'q',
        }),
        q: queue('sales'),
      },
    });
    expect(errors(flow).sort()).toEqual([
      "m: option '*' can never be chosen: it is the repeat key",
      "m: option '12' can never be chosen: a menu takes one key (0-9, *, #)",
    ]);
  });

  it('reports targets and entry that do not exist (flows built without the type checker)', () => {
    const base = defineFlow({
      id: 'main',
      entry: 'a',
      steps: { a: play('beep', { next: 'b' }), b: hangup() },
    });
    const broken = {
      ...base,
      entry: 'nope',
      onError: 'gone',
      steps: { ...base.steps, a: play('beep', { next: 'zz' }) },
    } as Flow;
    expect(errors(broken)).toEqual(
      expect.arrayContaining([
        "-: entry 'nope' is not a step of this flow",
        "-: onError 'gone' is not a step of this flow",
        "a: next names step 'zz', which does not exist",
      ]),
    );
  });

  it('reports loops with no way out', () => {
    const flow = defineFlow({
      id: 'main',
      entry: 'a',
      steps: { a: play('beep', { next: 'b' }), b: setData({ x: 1 }, { next: 'a' }) },
    });
    expect(errors(flow)).toEqual([
      "a: step 'a' can never lead to the end of the call (a loop with no way out)",
      "b: step 'b' can never lead to the end of the call (a loop with no way out)",
    ]);
  });

  it('reports bad schedules', () => {
    const flow = defineFlow({
      id: 'main',
      entry: 'h',
      steps: {
        h: businessHours({
          timeZone: 'Mars/Olympus',
          weekly: { mon: ['09:00-17:00', '18:00-17:00'], ...({ fun: ['09:00-10:00'] } as object) },
          holidays: ['2026-02-30', { date: '2026-12-24', hours: ['9-12'] }],
          open: 'q',
          closed: 'q',
        }),
        q: queue('sales'),
      },
    });
    expect(errors(flow)).toEqual([
      "h: unknown time zone 'Mars/Olympus'",
      "h: bad time range '18:00-17:00' on mon (use 'HH:MM-HH:MM', start before end)",
      "h: unknown weekday 'fun' (use mon, tue, wed, thu, fri, sat, sun)",
      "h: bad holiday date '2026-02-30' (use YYYY-MM-DD)",
      "h: bad time range '9-12' on holiday 2026-12-24",
    ]);
  });

  it('reports collect parameter mistakes', () => {
    const flow = defineFlow({
      id: 'main',
      entry: 'c',
      steps: {
        c: collect({
          prompt: 'beep',
          invalid: 'beep',
          into: 'x',
          min: 5,
          max: 3,
          terminator: '5',
          next: 'q',
          onFail: 'q',
        }),
        q: queue('sales'),
      },
    });
    expect(errors(flow)).toEqual([
      'c: max (3) must be ≥ min (5)',
      "c: terminator '5' is a digit: callers could never enter it",
    ]);
  });

  it('requires the digit sounds when numbers are read out', () => {
    const flow = defineFlow({
      id: 'main',
      entry: 'p',
      steps: { p: play(asNumber(5), { next: 'q' }), q: queue('sales') },
    });
    expect(errors(flow, { ...catalogue, prompts: new Set(['beep']) })).toContain(
      "-: numbers/digits are read out but prompt 'digits/0' is missing",
    );
    expect(errors(flow)).toEqual([]);
  });

  it('refuses a callback step callers get no time in, and warns of a time under a second (ms, not s?)', () => {
    const flow = (timeoutMs: number) =>
      defineFlow({
        id: 'main',
        entry: 'c',
        steps: {
          c: callback({ queueId: 'sales', onFail: 'm', timeoutMs }),
          m: menu({ prompt: 'beep', options: { '1': 'q' }, onFail: 'q', timeoutMs: 6 }),
          q: queue('sales'),
        },
      });
    const queues = { queues: catalogue.queues }; // prompts not checked here
    expect(errors(flow(0), queues)).toEqual(['c: timeoutMs must be > 0']);
    expect(errors(flow(-5), queues)).toEqual(['c: timeoutMs must be > 0']);
    const warnings = checkFlow(flow(6), queues)
      .filter((i) => i.severity === 'warning')
      .map((i) => `${i.stepId}: ${i.message}`);
    expect(warnings).toEqual([
      'c: timeoutMs is 6 ms: callers get under a second (milliseconds, not seconds?)',
      'm: timeoutMs is 6 ms: callers get under a second (milliseconds, not seconds?)',
    ]);
    expect(errors(flow(6000), queues)).toEqual([]);
  });

  it('warns (without failing) about a dip without fallback and a silent menu', () => {
    const flow = defineFlow({
      id: 'main',
      entry: 'm',
      steps: { m: menu({ prompt: [], invalid: [], options: { '1': 'q' }, onFail: 'q' }), q: queue('sales') },
    });
    const issues = checkFlow(flow, catalogue);
    expect(issues).toEqual([expect.objectContaining({ severity: 'warning', stepId: 'm' })]);
  });
});
