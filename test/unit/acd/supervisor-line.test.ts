import { describe, expect, it } from 'vitest';
import { Sim, T0, agentDef, only, ofType, queueDef } from './helpers.js';

const sam = { id: 'sam', name: 'Sam Super' };

/** Two queues, each with an agent logged in but not ready: callers wait in line. */
function twoQueues(extra: ReturnType<typeof queueDef>[] = []) {
  const sim = new Sim(
    [queueDef({ id: 'sales', maxWaitSeconds: 300 }), queueDef({ id: 'support', maxLength: 2 }), ...extra],
    [agentDef('ann', ['sales']), agentDef('bob', ['support'])],
  );
  sim.login('ann', 'bob');
  sim.agent('ann', { type: 'notReady', reason: 'break' });
  sim.agent('bob', { type: 'notReady', reason: 'break' });
  return sim;
}
const line = (sim: Sim, queueId: string) => sim.router.waiting(sim.now, queueId).map((e) => e.interactionId);

describe('a supervisor moves a waiting caller', () => {
  it('to another queue, keeping the time they waited; the new queue is the one they wait in from now', () => {
    const sim = twoQueues();
    sim.arrive('c1', 'support');
    sim.arrive('c2', 'sales');
    sim.advance(30_000);
    const out = sim.send({ type: 'moveCaller', interactionId: 'c2', toQueueId: 'support', supervisor: sam });
    expect(only(out, 'overflow')).toEqual({
      type: 'overflow',
      interactionId: 'c2',
      fromQueueId: 'sales',
      target: { type: 'queue', queueId: 'support' },
      reason: 'moved',
      supervisor: sam,
    });
    expect(only(out, 'enqueued')).toMatchObject({
      queueId: 'support',
      position: 2,
      queueEnteredAt: T0 + 30_000,
    });
    expect(line(sim, 'sales')).toEqual([]);
    expect(line(sim, 'support')).toEqual(['c1', 'c2']);
    expect(sim.router.waiting(sim.now, 'support')[1]).toMatchObject({
      enqueuedAt: T0,
      queueEnteredAt: T0 + 30_000,
    });
    // Its old queue's max wait goes with it: support has none.
    expect(ofType(out, 'scheduleTimer').filter((t) => t.key === 'maxwait:c2')).toEqual([]);
  });

  it('is refused: nobody to take them there, a full queue, the same queue, an unknown one, a caller being rung, no caller', () => {
    const sim = twoQueues([queueDef({ id: 'empty' })]);
    sim.arrive('c1', 'sales');
    const refused = (input: { interactionId: string; toQueueId: string }) =>
      only(sim.send({ type: 'moveCaller', ...input }), 'refused').code;
    expect(refused({ interactionId: 'c1', toQueueId: 'empty' })).toBe('QUEUE_UNSTAFFED');
    expect(refused({ interactionId: 'c1', toQueueId: 'sales' })).toBe('SAME_QUEUE');
    expect(refused({ interactionId: 'c1', toQueueId: 'nowhere' })).toBe('UNKNOWN_QUEUE');
    expect(refused({ interactionId: 'gone', toQueueId: 'support' })).toBe('NOT_WAITING');
    sim.arrive('s1', 'support');
    sim.arrive('s2', 'support');
    expect(refused({ interactionId: 'c1', toQueueId: 'support' })).toBe('QUEUE_FULL');
    expect(line(sim, 'sales')).toEqual(['c1']); // nothing moved
    sim.agent('ann', { type: 'ready' });
    expect(sim.router.waiting(sim.now, 'sales')[0]?.status.type).toBe('offering');
    expect(refused({ interactionId: 'c1', toQueueId: 'support' })).toBe('CALLER_RINGING');
  });

  it('into a queue with a free agent: offered at once', () => {
    const sim = twoQueues();
    sim.agent('bob', { type: 'ready' });
    sim.arrive('c1', 'sales');
    const out = sim.send({ type: 'moveCaller', interactionId: 'c1', toQueueId: 'support' });
    expect(only(out, 'offer')).toMatchObject({
      interactionId: 'c1',
      queueId: 'support',
      targets: [{ agentId: 'bob' }],
    });
    expect(only(out, 'overflow')).not.toHaveProperty('supervisor');
  });
});

describe('a supervisor puts a waiting caller first', () => {
  it('ahead of everyone, the last put first ahead of those before; offered first when an agent is free', () => {
    const sim = twoQueues();
    for (const id of ['c1', 'c2', 'c3', 'c4']) {
      sim.arrive(id, 'sales', id === 'c2' ? { priority: 5 } : {});
      sim.advance(1000);
    }
    expect(line(sim, 'sales')).toEqual(['c2', 'c1', 'c3', 'c4']);
    const out = sim.send({ type: 'serveFirst', interactionId: 'c4', supervisor: sam });
    expect(only(out, 'servedFirst')).toEqual({
      type: 'servedFirst',
      interactionId: 'c4',
      queueId: 'sales',
      supervisor: sam,
    });
    expect(line(sim, 'sales')).toEqual(['c4', 'c2', 'c1', 'c3']);
    expect(sim.router.waiting(sim.now, 'sales')[0]).toMatchObject({
      putFirst: { at: T0 + 4000, by: sam },
      enqueuedAt: T0 + 3000,
    });
    sim.advance(1000);
    sim.send({ type: 'serveFirst', interactionId: 'c3' });
    expect(line(sim, 'sales')).toEqual(['c3', 'c4', 'c2', 'c1']);
    expect(only(sim.send({ type: 'serveFirst', interactionId: 'c3' }), 'refused').code).toBe('ALREADY_FIRST');
    const offered = sim.agent('ann', { type: 'ready' });
    expect(only(offered, 'offer').interactionId).toBe('c3');
    expect(only(sim.send({ type: 'serveFirst', interactionId: 'c3' }), 'refused').code).toBe(
      'CALLER_RINGING',
    );
  });

  it('not carried to another queue it is moved to', () => {
    const sim = twoQueues();
    sim.arrive('s1', 'support');
    sim.advance(1000);
    sim.arrive('c1', 'sales');
    sim.arrive('c2', 'sales');
    sim.send({ type: 'serveFirst', interactionId: 'c2' });
    sim.send({ type: 'moveCaller', interactionId: 'c2', toQueueId: 'support' });
    expect(line(sim, 'support')).toEqual(['s1', 'c2']);
    expect(sim.router.waiting(sim.now, 'support')[1]).not.toHaveProperty('putFirst');
  });
});
