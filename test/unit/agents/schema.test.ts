import { describe, expect, it } from 'vitest';
import { validateAgentDefinitions, validateReasonCodes } from '../../../src/agents/index.js';

describe('agent definitions and reason codes', () => {
  const agent = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    name: id,
    endpoint: `PJSIP/${id}`,
    ...extra,
  });

  it('fills defaults and accepts memberships of known queues', () => {
    const result = validateAgentDefinitions(
      [agent('a1', { queues: [{ queueId: 'q', penalty: 1 }] })],
      new Set(['q']),
    );
    expect(result.ok && result.value[0]).toMatchObject({
      skills: {},
      autoAnswer: false,
      queues: [{ queueId: 'q', penalty: 1 }],
    });
  });

  it.each([
    [[agent('a1', { endpoint: 'agent1' })], 'SCHEMA_VIOLATION', 'agents[a1].endpoint'],
    [[agent('a1', { skills: { spanish: 0 } })], 'SCHEMA_VIOLATION', 'agents[a1].skills.spanish'],
    [[agent('a1', { queues: [{ queueId: 'nope' }] })], 'UNKNOWN_QUEUE', 'agents[a1].queues[0].queueId'],
    [
      [agent('a1', { queues: [{ queueId: 'q' }, { queueId: 'q' }] })],
      'DUPLICATE_MEMBERSHIP',
      'agents[a1].queues[1].queueId',
    ],
    [[agent('a1'), agent('a1')], 'DUPLICATE_AGENT_ID', 'agents[a1].id'],
    [[agent('a1'), agent('a2', { endpoint: 'PJSIP/a1' })], 'DUPLICATE_ENDPOINT', 'agents[a2].endpoint'],
    [[{ name: 'x', endpoint: 'PJSIP/x' }], 'SCHEMA_VIOLATION', 'agents[0].id'],
  ])('%j → %s at %s', (agents, code, path) => {
    const result = validateAgentDefinitions(agents, new Set(['q']));
    expect(result.ok ? [] : result.issues).toContainEqual(expect.objectContaining({ code, path }));
  });

  it('reason codes always include the reserved system ones and reject duplicates', () => {
    const ok = validateReasonCodes([{ code: 'lunch', label: 'Lunch' }]);
    expect(ok.ok && ok.value.map((r) => r.code)).toEqual([
      'lunch',
      'missed',
      'connection_lost',
      'phone_unreachable',
      'service_restarted',
    ]);
    expect(ok.ok && ok.value.filter((r) => r.selectable).map((r) => r.code)).toEqual(['lunch']);
    const dup = validateReasonCodes([
      { code: 'lunch', label: 'Lunch' },
      { code: 'lunch', label: 'Again' },
    ]);
    expect(dup.ok ? [] : dup.issues).toContainEqual(
      expect.objectContaining({ code: 'DUPLICATE_REASON_CODE', path: 'reasonCodes[1].code' }),
    );
    const bad = validateReasonCodes([{ code: 'Lunch Break', label: 'x' }]);
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toContain('reasonCodes[0].code');
  });
});
