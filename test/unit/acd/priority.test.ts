import { describe, expect, it } from 'vitest';
import { type WaitingEntry, effectivePriority, sortEntries } from '../../../src/acd/index.js';
import { Sim, T0, agentDef, ofType, only, queueDef } from './helpers.js';

function entry(id: string, extra: Partial<WaitingEntry> = {}): WaitingEntry {
  return {
    interactionId: id,
    queueId: 'q',
    kind: 'caller',
    callerNumber: '1',
    basePriority: 0,
    vip: false,
    requiredSkills: {},
    enqueuedAt: T0,
    queueEnteredAt: T0,
    frontOfLine: false,
    talkedMs: 0,
    ronaCount: 0,
    declinedBy: [],
    status: { type: 'waiting' },
    callback: null,
    ...extra,
  };
}

describe('line order', () => {
  const queue = queueDef({ id: 'q', vipPriorityBonus: 10, priorityAgeing: { everySeconds: 60, step: 1 } });
  const order = (entries: WaitingEntry[], now = T0) =>
    sortEntries(entries, () => queue, now).map((e) => e.interactionId);

  it.each([
    [
      'priority desc',
      [entry('low', { basePriority: 1 }), entry('high', { basePriority: 5 })],
      ['high', 'low'],
    ],
    ['then arrival asc', [entry('late', { enqueuedAt: T0 + 1 }), entry('early')], ['early', 'late']],
    ['VIP bonus', [entry('p5', { basePriority: 5 }), entry('vip', { vip: true })], ['vip', 'p5']],
    [
      'RONA front of line beats priority',
      [entry('p9', { basePriority: 9 }), entry('rona', { frontOfLine: true, enqueuedAt: T0 + 5 })],
      ['rona', 'p9'],
    ],
  ] as const)('%s', (_name, entries, expected) => {
    expect(order([...entries])).toEqual(expected);
  });

  it('ageing adds +step every N seconds waited, from first arrival, capped by maxBonus', () => {
    const capped = queueDef({ id: 'q', priorityAgeing: { everySeconds: 60, step: 2, maxBonus: 5 } });
    const e = entry('e', { basePriority: 1 });
    expect(effectivePriority(e, capped, T0 + 59_000)).toBe(1);
    expect(effectivePriority(e, capped, T0 + 60_000)).toBe(3);
    expect(effectivePriority(e, capped, T0 + 120_000)).toBe(5);
    expect(effectivePriority(e, capped, T0 + 3_600_000)).toBe(6);
  });

  it('an old low-priority caller eventually passes new high-priority arrivals', () => {
    const old = entry('old', { basePriority: 0 });
    const fresh = (at: number) => entry(`new@${at}`, { basePriority: 3, enqueuedAt: at });
    expect(order([old, fresh(T0 + 60_000)], T0 + 60_000)[0]).toBe('new@1704704460000');
    // after 3 minutes old has +3 = fresh arrivals' 3; tie broken by arrival: old first
    expect(order([old, fresh(T0 + 180_000)], T0 + 180_000)[0]).toBe('old');
    expect(order([old, fresh(T0 + 240_000)], T0 + 240_000)[0]).toBe('old');
  });
});

describe('priority through the router', () => {
  it('VIP numbers jump the line and report their effective priority', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', vipNumbers: ['+15557777'], vipPriorityBonus: 50 })],
      [agentDef('a1', ['q'])],
    );
    sim.arrive('c1', 'q', { priority: 10 });
    const vip = only(sim.arrive('c2', 'q', { callerNumber: '+15557777' }), 'enqueued');
    expect(vip).toMatchObject({ position: 1, priority: 50 });
    sim.login('a1');
    expect(only(sim.log, 'offer').interactionId).toBe('c2');
  });

  it('VIP is per queue: a caller who overflows is a VIP where the new queue lists the number, and only there', () => {
    const overflow = { maxWaitSeconds: 60, overflowTarget: { type: 'queue', queueId: 'back' } } as const;
    const sim = new Sim(
      [
        queueDef({ id: 'front', ...overflow, vipNumbers: ['+1555000'], vipPriorityBonus: 10 }),
        queueDef({ id: 'back', vipNumbers: ['+1555999'], vipPriorityBonus: 50 }),
      ],
      [agentDef('a1', ['front', 'back'])],
    );
    sim.arrive('listedInBack', 'front', { callerNumber: '+1555999' });
    sim.arrive('listedInFront', 'front', { callerNumber: '+1555000' });
    const moved = ofType(sim.fire('maxwait:listedInBack'), 'enqueued'); // both are overdue: both move
    expect(moved.find((d) => d.interactionId === 'listedInBack')).toMatchObject({
      queueId: 'back',
      priority: 50,
    });
    expect(moved.find((d) => d.interactionId === 'listedInFront')).toMatchObject({
      queueId: 'back',
      priority: 0,
    });
  });

  it('with ageing, a caller waiting long enough is served before a stream of newer high-priority callers', () => {
    const sim = new Sim(
      [queueDef({ id: 'q', priorityAgeing: { everySeconds: 30, step: 1 } })],
      [agentDef('a1', ['q'])],
    );
    sim.login('a1');
    sim.arrive('busy', 'q');
    sim.agent('a1', { type: 'answer', interactionId: 'busy' });
    sim.arrive('old', 'q', { priority: 0 });
    const served: string[] = [];
    for (let i = 0; i < 10; i++) {
      sim.advance(30_000);
      sim.arrive(`hi${i}`, 'q', { priority: 2 });
      const current = i === 0 ? 'busy' : served.at(-1)!;
      const out = sim.agent('a1', { type: 'hangup', interactionId: current });
      const offer = only(out, 'offer');
      served.push(offer.interactionId);
      sim.agent('a1', { type: 'answer', interactionId: offer.interactionId });
    }
    // without ageing "old" would never be served while priority-2 callers keep arriving
    expect(served).toContain('old');
    expect(served.indexOf('old')).toBeLessThanOrEqual(3);
  });

  it('without ageing the low-priority caller starves under the same load (control)', () => {
    const sim = new Sim([queueDef({ id: 'q' })], [agentDef('a1', ['q'])]);
    sim.login('a1');
    sim.arrive('busy', 'q');
    sim.agent('a1', { type: 'answer', interactionId: 'busy' });
    sim.arrive('old', 'q', { priority: 0 });
    let current = 'busy';
    const served: string[] = [];
    for (let i = 0; i < 10; i++) {
      sim.advance(30_000);
      sim.arrive(`hi${i}`, 'q', { priority: 2 });
      const offer = only(sim.agent('a1', { type: 'hangup', interactionId: current }), 'offer');
      served.push(offer.interactionId);
      current = offer.interactionId;
      sim.agent('a1', { type: 'answer', interactionId: current });
    }
    expect(served).not.toContain('old');
  });
});
