import { describe, expect, it } from 'vitest';
import { queueVersion } from '../../../src/acd/queue-version.js';
import type { QueueDefinition } from '../../../src/acd/schema.js';

describe('queueVersion', () => {
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
    expect(queueVersion(reordered)).toBe(queueVersion(queue));
    expect(queueVersion({ ...queue, maxWaitSeconds: undefined } as QueueDefinition)).toBe(
      queueVersion(queue),
    );
  });

  it('changes with any setting, nested ones and list order too', () => {
    const versions = [
      queue,
      { ...queue, wrapUpSeconds: 11 },
      { ...queue, overflowTarget: { type: 'queue', queueId: 'billing' } },
      { ...queue, vipNumbers: ['+1555', '+1666'] },
      { ...queue, vipNumbers: ['+1666', '+1555'] },
    ].map((q) => queueVersion(q as QueueDefinition));
    expect(new Set(versions).size).toBe(versions.length);
  });
});
