import { describe, expect, it } from 'vitest';
import { definitionVersion } from '../../../src/acd/definition-version.js';
import type { QueueDefinition } from '../../../src/acd/schema.js';

describe('definitionVersion', () => {
  const queue = {
    id: 'support',
    name: 'Support',
    strategy: 'longest_idle',
    wrapUpSeconds: 10,
    overflowTarget: { type: 'queue', queueId: 'sales' },
  } as unknown as QueueDefinition;

  it('is the same for the same settings in any key order (as read back from the store)', () => {
    const reordered = JSON.parse(
      '{"overflowTarget":{"queueId":"sales","type":"queue"},"wrapUpSeconds":10,"strategy":"longest_idle","name":"Support","id":"support"}',
    );
    expect(definitionVersion(reordered)).toBe(definitionVersion(queue));
    expect(definitionVersion({ ...queue, maxWaitSeconds: undefined })).toBe(definitionVersion(queue));
  });

  it("is an agent's skill map's too: the same skills in any order, another level not", () => {
    expect(definitionVersion({ billing: 3, spanish: 4 })).toBe(definitionVersion({ spanish: 4, billing: 3 }));
    expect(definitionVersion({ billing: 3 })).not.toBe(definitionVersion({ billing: 4 }));
    expect(definitionVersion({})).not.toBe(definitionVersion({ billing: 3 }));
  });

  it('changes with any setting, nested ones and list order too', () => {
    const versions = [
      queue,
      { ...queue, wrapUpSeconds: 11 },
      { ...queue, overflowTarget: { type: 'queue', queueId: 'billing' } },
      { ...queue, vipNumbers: ['+1555', '+1666'] },
      { ...queue, vipNumbers: ['+1666', '+1555'] },
    ].map((q) => definitionVersion(q));
    expect(new Set(versions).size).toBe(versions.length);
  });
});
