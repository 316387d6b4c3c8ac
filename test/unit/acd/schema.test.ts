import { describe, expect, it } from 'vitest';
import { soundIssues, validateQueueDefinition, validateQueueSet } from '../../../src/acd/index.js';

const base = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  strategy: 'longest_idle',
  ...extra,
});

function issuesOf(input: unknown) {
  const result = validateQueueSet(input);
  return result.ok ? [] : result.issues;
}

describe('queue definition schema', () => {
  it('fills defaults', () => {
    const result = validateQueueDefinition(base('q'));
    expect(result.ok && result.value).toMatchObject({
      ringTimeoutSeconds: 20,
      wrapUpSeconds: 0,
      serviceLevelSeconds: 20,
      requiredSkills: {},
      vipNumbers: [],
      announce: { everySeconds: 0, musicOnHoldClass: 'default' },
    });
  });

  it.each([
    [{ ringTimeoutSeconds: 2 }, 'queues[q].ringTimeoutSeconds'],
    [{ strategy: 'fastest' }, 'queues[q].strategy'],
    [{ requiredSkills: { spanish: 11 } }, 'queues[q].requiredSkills.spanish'],
    [{ exitKey: '12' }, 'queues[q].exitKey'],
    [{ vipNumbers: ['abc'] }, 'queues[q].vipNumbers[0]'],
    [{ alerts: { waitSeconds: 0 } }, 'queues[q].alerts.waitSeconds'],
    [{ alerts: { waitSecs: 30 } }, 'queues[q].alerts.waitSecs'],
    [{ overflowTarget: { type: 'queue' } }, 'queues[q].overflowTarget.queueId'],
    [{ overflowTarget: { type: 'fax' } }, 'queues[q].overflowTarget.type'],
    [
      { callbackHours: { timeZone: 'UTC', windows: [{ days: ['mon'], start: '9:00', end: '17:00' }] } },
      'queues[q].callbackHours.windows[0].start',
    ],
    [{ colour: 'blue' }, 'queues[q].colour'],
    [
      { overflowTarget: { type: 'voicemail', greeting: ['../../etc/x'] } },
      'queues[q].overflowTarget.greeting[0]',
    ],
    [
      { overflowTarget: { type: 'voicemail', greeting: ['sound:x'] } },
      'queues[q].overflowTarget.greeting[0]',
    ],
    [{ overflowTarget: { type: 'voicemail', greeting: [] } }, 'queues[q].overflowTarget.greeting'],
    [{ exitTarget: { type: 'voicemail', maxSeconds: 2 } }, 'queues[q].exitTarget.maxSeconds'],
  ])('%j is reported at %s', (extra, path) => {
    const result = validateQueueDefinition(base('q', extra));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toContain(path);
    for (const i of result.issues) expect(i.message.startsWith(i.path)).toBe(true);
  });

  it('takes a voicemail target with its own greeting and longest message', () => {
    const target = {
      type: 'voicemail',
      mailbox: 'sales',
      greeting: ['custom/all-busy', 'vm-intro'],
      maxSeconds: 60,
    };
    const result = validateQueueDefinition(base('q', { overflowTarget: target }));
    expect(result.ok && result.value.overflowTarget).toEqual(target);
  });

  it('says what a greeting should be, not which regular expression it failed', () => {
    const target = { type: 'voicemail', greeting: ['../secret'] };
    const result = validateQueueDefinition(base('q', { overflowTarget: target }));
    expect(result.ok ? '' : result.issues[0]?.message).toBe(
      "queues[q].overflowTarget.greeting[0]: Expected an Asterisk sound name in its sounds directory, without extension (e.g. custom/all-busy): letters, digits, _ - . / and no '..'",
    );
  });

  it('names each voicemail greeting sound Asterisk does not have, in every target field', () => {
    const result = validateQueueDefinition(
      base('q', {
        maxWaitSeconds: 60,
        overflowTarget: { type: 'voicemail', greeting: ['custom/closed', 'vm-intro'] },
        noAgentsFallback: { type: 'voicemail', greeting: ['vm-intro'] },
        queueFullTarget: { type: 'voicemail' },
        exitKey: '0',
        exitTarget: { type: 'voicemail', greeting: ['custom/nobody', 'custom/closed'] },
      }),
    );
    if (!result.ok) throw new Error('the definition itself is valid');
    const issues = soundIssues(result.value, new Set(['vm-intro', 'beep']));
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['UNKNOWN_SOUND', 'queues[q].overflowTarget.greeting[0]'],
      ['UNKNOWN_SOUND', 'queues[q].exitTarget.greeting[0]'],
      ['UNKNOWN_SOUND', 'queues[q].exitTarget.greeting[1]'],
    ]);
    expect(issues[0]?.message).toBe(
      `queues[q].overflowTarget.greeting[0]: no sound "custom/closed" in Asterisk's sounds directory (add the file, without extension in the name, or fix the name)`,
    );
    expect(soundIssues(result.value, new Set(['vm-intro', 'custom/closed', 'custom/nobody']))).toEqual([]);
  });

  it("names the announcements' sounds Asterisk does not have, and refuses a name leaving the sounds directory", () => {
    const result = validateQueueDefinition(
      base('q', {
        agentAnnouncement: ['custom/queue-sales', 'beep'],
        announce: { everySeconds: 30, sounds: ['beep', 'custom/website'] },
      }),
    );
    if (!result.ok) throw new Error('the definition itself is valid');
    expect(soundIssues(result.value, new Set(['beep'])).map((i) => [i.code, i.path])).toEqual([
      ['UNKNOWN_SOUND', 'queues[q].announce.sounds[1]'],
      ['UNKNOWN_SOUND', 'queues[q].agentAnnouncement[0]'],
    ]);
    expect(soundIssues(result.value, new Set(['beep', 'custom/queue-sales', 'custom/website']))).toEqual([]);
    for (const agentAnnouncement of [['../../etc/passwd'], [], ['sound:beep']]) {
      const refused = validateQueueDefinition(base('q', { agentAnnouncement }));
      expect(refused.ok ? [] : refused.issues.map((i) => i.path)).toEqual(
        agentAnnouncement.length === 0 ? ['queues[q].agentAnnouncement'] : ['queues[q].agentAnnouncement[0]'],
      );
    }
  });

  it('lists the strategies when given one that does not exist', () => {
    const result = validateQueueDefinition(base('q', { strategy: 'fastest' }));
    expect(result.ok ? [] : result.issues.map((i) => i.message)).toEqual([
      'queues[q].strategy: Expected one of: "ring_all", "longest_idle", "fewest_calls", "round_robin", "linear", "random", "skills_based"',
    ]);
  });

  it('bounds the waits and the priority ageing that drive timers and ranks (a typo of 1e308 would never end)', () => {
    const messages = (extra: Record<string, unknown>) => {
      const result = validateQueueDefinition(base('q', extra));
      return result.ok ? [] : result.issues.map((i) => i.message);
    };
    expect(
      messages({
        maxWaitSeconds: 86_400,
        priorityAgeing: { everySeconds: 86_400, step: 1000, maxBonus: 1000 },
      }),
    ).toEqual([]);
    expect(messages({ maxWaitSeconds: 1e308 })).toEqual([
      'queues[q].maxWaitSeconds: Expected integer to be less or equal to 86400',
    ]);
    expect(messages({ priorityAgeing: { everySeconds: 86_401, step: 1001, maxBonus: 1001 } })).toEqual([
      'queues[q].priorityAgeing.everySeconds: Expected integer to be less or equal to 86400',
      'queues[q].priorityAgeing.step: Expected integer to be less or equal to 1000',
      'queues[q].priorityAgeing.maxBonus: Expected integer to be less or equal to 1000',
    ]);
  });

  it('explains an unknown target type by listing the allowed ones', () => {
    const result = validateQueueDefinition(base('q', { overflowTarget: { type: 'fax' } }));
    expect(result.ok ? '' : result.issues[0]?.message).toMatch(/queue, voicemail, callback, hangup/);
  });
});

describe('queue set validation', () => {
  it('accepts a consistent set', () => {
    expect(
      issuesOf([
        base('a', { maxWaitSeconds: 60, overflowTarget: { type: 'queue', queueId: 'b' } }),
        base('b', { noAgentsFallback: { type: 'voicemail' } }),
      ]),
    ).toEqual([]);
  });

  it.each([
    [
      'unknown overflow queue',
      [base('a', { maxWaitSeconds: 5, overflowTarget: { type: 'queue', queueId: 'zz' } })],
      'UNKNOWN_QUEUE',
      'queues[a].overflowTarget.queueId',
    ],
    [
      'unknown fallback queue',
      [base('a', { noAgentsFallback: { type: 'queue', queueId: 'zz' } })],
      'UNKNOWN_QUEUE',
      'queues[a].noAgentsFallback.queueId',
    ],
    [
      'self overflow',
      [base('a', { maxWaitSeconds: 5, overflowTarget: { type: 'queue', queueId: 'a' } })],
      'SELF_TARGET',
      'queues[a].overflowTarget.queueId',
    ],
    ['duplicate id', [base('a'), base('a')], 'DUPLICATE_QUEUE_ID', 'queues[a].id'],
    [
      'max wait without target',
      [base('a', { maxWaitSeconds: 5 })],
      'MISSING_OVERFLOW_TARGET',
      'queues[a].overflowTarget',
    ],
    [
      'target without max wait',
      [base('a', { overflowTarget: { type: 'hangup' } })],
      'MISSING_MAX_WAIT',
      'queues[a].maxWaitSeconds',
    ],
    ['exit key without target', [base('a', { exitKey: '0' })], 'INCOMPLETE_EXIT', 'queues[a].exitTarget'],
    [
      'service-level alert without a target',
      [base('a', { alerts: { belowServiceLevel: true } })],
      'MISSING_SERVICE_LEVEL_TARGET',
      'queues[a].alerts.belowServiceLevel',
    ],
    [
      'bad time zone',
      [
        base('a', {
          callbackHours: {
            timeZone: 'Mars/Olympus',
            windows: [{ days: ['mon'], start: '09:00', end: '17:00' }],
          },
        }),
      ],
      'INVALID_TIME_ZONE',
      'queues[a].callbackHours.timeZone',
    ],
    [
      'window end before start',
      [
        base('a', {
          callbackHours: { timeZone: 'UTC', windows: [{ days: ['mon'], start: '17:00', end: '09:00' }] },
        }),
      ],
      'INVALID_WINDOW',
      'queues[a].callbackHours.windows[0]',
    ],
    [
      'closed date not in the calendar',
      [
        base('a', {
          callbackHours: {
            timeZone: 'UTC',
            windows: [{ days: ['mon'], start: '09:00', end: '17:00' }],
            closedDates: [{ date: '2026-12-25' }, { date: '2026-02-30' }],
          },
        }),
      ],
      'INVALID_DATE',
      'queues[a].callbackHours.closedDates[1].date',
    ],
    [
      'closed date twice',
      [
        base('a', {
          callbackHours: {
            timeZone: 'UTC',
            windows: [{ days: ['mon'], start: '09:00', end: '17:00' }],
            closedDates: [{ date: '2026-12-25' }, { date: '2026-12-26' }, { date: '2026-12-25' }],
          },
        }),
      ],
      'INVALID_DATE',
      'queues[a].callbackHours.closedDates[2].date',
    ],
    ['bad number', [base('a', { maxLength: 0 })], 'SCHEMA_VIOLATION', 'queues[a].maxLength'],
  ])('%s', (_name, queues, code, path) => {
    expect(issuesOf(queues)).toContainEqual(expect.objectContaining({ code, path }));
  });

  it('detects overflow cycles across queues and names the route', () => {
    const issues = issuesOf([
      base('a', { maxWaitSeconds: 5, overflowTarget: { type: 'queue', queueId: 'b' } }),
      base('b', { noAgentsFallback: { type: 'queue', queueId: 'c' } }),
      base('c', { maxWaitSeconds: 5, overflowTarget: { type: 'queue', queueId: 'a' } }),
      base('d', { maxWaitSeconds: 5, overflowTarget: { type: 'queue', queueId: 'a' } }),
    ]);
    const cycles = issues.filter((i) => i.code === 'TARGET_CYCLE');
    expect(cycles).toHaveLength(1);
    expect(cycles[0]?.message).toContain(
      'a (overflowTarget) → b (noAgentsFallback) → c (overflowTarget) → a',
    );
  });

  it('an exit-key route back is not an automatic cycle', () => {
    expect(
      issuesOf([
        base('a', { maxWaitSeconds: 5, overflowTarget: { type: 'queue', queueId: 'b' } }),
        base('b', { exitKey: '0', exitTarget: { type: 'queue', queueId: 'a' } }),
      ]),
    ).toEqual([]);
  });

  it('names an item without an id by its index', () => {
    expect(issuesOf([{ name: 'x', strategy: 'linear' }]).map((i) => i.path)).toContain('queues[0].id');
  });
});
