/** The wallboard's Queue settings in and out of its form (src/web/supervisor/queue-settings-text.js). */
import { describe, expect, it } from 'vitest';
import { validateQueueSet } from '../../../src/acd/validate-queues.js';
import {
  FORM_KEYS,
  memberFromText,
  type QueueDefinition,
  type QueueSettings,
  queueFromSettings,
  queueSummary,
  settingsOf,
  targetChoice,
  targetFromChoice,
} from '../../../src/web/supervisor/queue-settings-text.js';

/** A queue as the service gives it (defaults filled in), with something in every field the form has. */
const sales = (): QueueDefinition => {
  const checked = validateQueueSet([
    {
      id: 'sales',
      name: 'Sales',
      strategy: 'skills_based',
      requiredSkills: { spanish: 4, billing: 2 },
      ringTimeoutSeconds: 15,
      wrapUpSeconds: 30,
      serviceLevelSeconds: 20,
      serviceLevelTargetPercent: 80,
      maxWaitSeconds: 300,
      overflowTarget: { type: 'voicemail', mailbox: 'sales', greeting: ['custom/closed'], maxSeconds: 60 },
      maxLength: 20,
      queueFullTarget: { type: 'queue', queueId: 'support' },
      noAgentsFallback: { type: 'callback' },
      announce: { everySeconds: 45, position: false, estimatedWait: true, sounds: ['custom/web'] },
      exitKey: '0',
      exitTarget: { type: 'hangup' },
      vipNumbers: ['+15550100199', '+15550100200'],
      callbackHours: {
        timeZone: 'Europe/London',
        windows: [{ days: ['mon'], start: '09:00', end: '17:00' }],
      },
      widening: [{ afterSeconds: 30, lowerSkillsBy: 1 }],
    },
    { id: 'support', name: 'Support', strategy: 'longest_idle' },
  ]);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value[0] as unknown as QueueDefinition;
};

describe("a queue's settings in the wallboard's form", () => {
  it('shows each everyday setting in its field and the rest as JSON, and gives the same queue back', () => {
    const queue = sales();
    const { fields, rest } = settingsOf(queue);
    expect(fields).toEqual({
      id: 'sales',
      name: 'Sales',
      strategy: 'skills_based',
      skills: 'spanish 4, billing 2',
      ringTimeout: '15',
      wrapUp: '30',
      serviceLevel: '20',
      serviceLevelTarget: '80',
      maxWait: '300',
      overflow: 'voicemail',
      maxLength: '20',
      whenFull: 'queue:support',
      noAgents: 'callback',
      announceEvery: '45',
      announcePosition: false,
      announceWait: true,
      announceSounds: 'custom/web',
      holdMusic: 'default',
      exitKey: '0',
      exitTarget: 'hangup',
      vipNumbers: '+15550100199, +15550100200',
    });
    const restObject = JSON.parse(rest);
    expect(Object.keys(restObject).some((key) => FORM_KEYS.includes(key))).toBe(false);
    expect(restObject).toMatchObject({ callbackHours: queue.callbackHours, widening: queue.widening });
    // Saved unchanged, it is the same queue (the voicemail's mailbox and greeting kept though not shown).
    expect(queueFromSettings(fields, rest, queue)).toEqual({ queue });
  });

  it('changes what was typed, and a field left blank is not set', () => {
    const queue = sales();
    const { fields, rest } = settingsOf(queue);
    const typed: QueueSettings = {
      ...fields,
      strategy: 'ring_all',
      skills: '',
      ringTimeout: ' 25 ',
      serviceLevelTarget: '',
      maxWait: '',
      overflow: '',
      whenFull: 'hangup',
      noAgents: 'queue:support',
      announceSounds: '',
      holdMusic: '',
      exitKey: '',
      exitTarget: '',
      vipNumbers: '+15550100300;+15550100301\n',
    };
    const made = queueFromSettings(typed, rest, queue);
    if (!('queue' in made)) throw new Error(made.problem);
    expect(made.queue).toMatchObject({
      strategy: 'ring_all',
      requiredSkills: {},
      ringTimeoutSeconds: 25,
      queueFullTarget: { type: 'hangup' },
      noAgentsFallback: { type: 'queue', queueId: 'support' },
      announce: { everySeconds: 45, position: false, estimatedWait: true },
      vipNumbers: ['+15550100300', '+15550100301'],
      callbackHours: queue.callbackHours,
    });
    for (const gone of [
      'serviceLevelTargetPercent',
      'maxWaitSeconds',
      'overflowTarget',
      'exitKey',
      'exitTarget',
    ])
      expect(made.queue).not.toHaveProperty(gone);
    expect(made.queue.announce).toEqual({ everySeconds: 45, position: false, estimatedWait: true });
    // What the service would hold: the service's own check takes it.
    expect(
      validateQueueSet([made.queue, { id: 'support', name: 'Support', strategy: 'longest_idle' }]).ok,
    ).toBe(true);
  });

  it('makes a new queue from a blank form, the service filling in its defaults', () => {
    const blank = settingsOf({ id: '', name: '', strategy: 'longest_idle' });
    expect(blank.rest).toBe('');
    const made = queueFromSettings({ ...blank.fields, id: 'billing', name: 'Billing' }, '', undefined);
    expect(made).toEqual({
      queue: {
        id: 'billing',
        name: 'Billing',
        strategy: 'longest_idle',
        requiredSkills: {},
        announce: { everySeconds: 0, position: true, estimatedWait: false },
        vipNumbers: [],
      },
    });
    const checked = validateQueueSet(['queue' in made ? made.queue : null]);
    expect(checked.ok && checked.value[0]).toMatchObject({ ringTimeoutSeconds: 20, serviceLevelSeconds: 20 });
  });

  it('refuses what the form itself can see is wrong, by the field in its words', () => {
    const queue = sales();
    const { fields, rest } = settingsOf(queue);
    const problem = (over: Partial<QueueSettings>, restText = rest) => {
      const made = queueFromSettings({ ...fields, ...over }, restText, queue);
      return 'problem' in made ? made.problem : 'taken';
    };
    expect(problem({ ringTimeout: '20s' })).toBe('Ring for: a whole number, not "20s"');
    expect(problem({ wrapUp: '-5' })).toBe('Wrap-up: a whole number, not "-5"');
    expect(problem({ skills: 'spanish' })).toBe(
      'Skills needed: "spanish": write a skill and its level, e.g. "spanish 4"',
    );
    expect(problem({ maxWait: '' })).toBe(
      'Longest wait: give it, or choose "—" for where callers go after it',
    );
    expect(problem({ overflow: '' })).toBe('Longest wait: choose where callers go after 300 s');
    expect(problem({ exitTarget: '' })).toBe('Exit key: choose where a caller who presses 0 goes');
    expect(problem({ exitKey: '' })).toBe(
      'Exit key: give the key (a digit, * or #) that takes callers there',
    );
    expect(problem({ id: '  ' })).toBe('Id: the queue needs one (letters, digits, _ or -)');
    expect(problem({}, '{ "callbackHours": ')).toMatch(/^Other settings: not JSON \(/);
    expect(problem({}, '[1]')).toBe('Other settings: a JSON object ({ … }), or nothing');
    expect(problem({}, '{ "strategy": "random", "announce": {} }')).toBe(
      'Other settings: strategy, announce have their own field above',
    );
    expect(problem({}, '')).toBe('taken');
  });

  it('turns a target into the choice and back, a voicemail keeping its settings', () => {
    expect(targetChoice(undefined)).toBe('');
    expect(targetChoice({ type: 'queue', queueId: 'support' })).toBe('queue:support');
    expect(targetFromChoice('queue:support', { type: 'hangup' })).toEqual({
      type: 'queue',
      queueId: 'support',
    });
    expect(targetFromChoice('voicemail', { type: 'voicemail', mailbox: 'm1' })).toEqual({
      type: 'voicemail',
      mailbox: 'm1',
    });
    expect(targetFromChoice('voicemail', { type: 'callback' })).toEqual({ type: 'voicemail' });
    expect(targetFromChoice('', { type: 'callback' })).toBeUndefined();
    expect(() => targetFromChoice('elsewhere', undefined)).toThrow(/not a target choice/);
  });

  it("takes a member's penalty and order as typed, blank as 0", () => {
    expect(memberFromText('2', '')).toEqual({ member: { penalty: 2, order: 0 } });
    expect(memberFromText(' ', ' 3 ')).toEqual({ member: { penalty: 0, order: 3 } });
    expect(memberFromText('101', '0')).toEqual({
      problem: 'Penalty: 0 to 100 (lower is offered first), not 101',
    });
    expect(memberFromText('1.5', '0')).toEqual({ problem: 'Penalty: a whole number, not "1.5"' });
    expect(memberFromText('0', 'first')).toEqual({ problem: 'Order: a whole number, not "first"' });
  });

  it('says what a saved queue does in a line', () => {
    expect(queueSummary(sales(), (id) => (id === 'support' ? 'Support' : id))).toBe(
      'Sales: skills: best level first, then longest idle, needs spanish 4, billing 2, rings 15 s, wrap-up 30 s, service level 80% in 20 s, after 300 s to voicemail',
    );
    expect(
      queueSummary(
        {
          id: 'b',
          name: 'Billing',
          strategy: 'random',
          maxWaitSeconds: 60,
          overflowTarget: { type: 'queue', queueId: 'support' },
        },
        () => 'Support',
      ),
    ).toBe('Billing: random, after 60 s to Support');
  });
});
