import { describe, expect, it } from 'vitest';
import { lineView } from '../../../src/acd/line-view.js';
import { validateQueueSet } from '../../../src/acd/validate-queues.js';
import {
  nextWideningAt,
  penaltyBar,
  wideningAt,
  wideningIssues,
  widenSkills,
} from '../../../src/acd/widening.js';
import { Sim, T0, agentDef, offeredAgents, only, ofType, queueDef } from './helpers.js';

/** Billing calls: first-choice agents only at first; after 30 s a level less will do; after 60 s anyone. */
const WIDENING = [
  { afterSeconds: 0, maxPenalty: 0 },
  { afterSeconds: 30, lowerSkillsBy: 1 },
  { afterSeconds: 60, maxPenalty: 5, dropSkills: ['billing'] },
];
const billing = (extra = {}) =>
  queueDef({
    id: 'q',
    strategy: 'skills_based',
    requiredSkills: { billing: 3 },
    widening: WIDENING,
    ...extra,
  });
const agents = () => [
  agentDef('senior', [{ queueId: 'q' }], { skills: { billing: 3 } }),
  agentDef('junior', [{ queueId: 'q' }], { skills: { billing: 2 } }),
  agentDef('backup', [{ queueId: 'q', penalty: 5 }], { skills: { billing: 3 } }),
  agentDef('newbie', [{ queueId: 'q' }], { skills: {} }),
];

describe('widening: the steps folded', () => {
  const q = billing();
  it('reads the step in force at each wait, later fields over earlier ones, dropped skills added up', () => {
    expect(wideningAt(queueDef({ id: 'plain' }), 120_000)).toBeUndefined();
    expect(wideningAt(q, 0)).toEqual({ step: 0, afterSeconds: 0, maxPenalty: 0 });
    expect(wideningAt(q, 29_999)).toEqual({ step: 0, afterSeconds: 0, maxPenalty: 0 });
    expect(wideningAt(q, 30_000)).toEqual({ step: 1, afterSeconds: 30, maxPenalty: 0, lowerSkillsBy: 1 });
    expect(wideningAt(q, 90_000)).toEqual({
      step: 2,
      afterSeconds: 60,
      maxPenalty: 5,
      lowerSkillsBy: 1,
      dropSkills: ['billing'],
    });
    // No step at 0 s: nothing is in force before the first.
    const later = billing({ widening: [{ afterSeconds: 10, dropSkills: ['billing'] }] });
    expect(wideningAt(later, 9_000)).toBeUndefined();
    expect(nextWideningAt(later, T0, 9_000)).toBe(T0 + 10_000);
    expect(nextWideningAt(q, T0, 30_000)).toBe(T0 + 60_000);
    expect(nextWideningAt(q, T0, 60_000)).toBeUndefined();
  });

  it('lowers every level to 1 at least, drops the named skills, and bars penalties above the limit', () => {
    const need = { billing: 3, french: 1, vip: 5 };
    expect(widenSkills(need, undefined)).toBe(need);
    expect(widenSkills(need, { step: 0, afterSeconds: 5, lowerSkillsBy: 2, dropSkills: ['vip'] })).toEqual({
      billing: 1,
      french: 1,
    });
    expect(penaltyBar(5, undefined)).toBeUndefined();
    expect(penaltyBar(5, { step: 1, afterSeconds: 30, maxPenalty: 5 })).toBeUndefined();
    expect(penaltyBar(6, { step: 1, afterSeconds: 30, maxPenalty: 5 })).toBe(
      'penalty 6 above the 5 allowed after 30 s of waiting',
    );
  });

  it('refuses steps out of order, widening nothing, or narrowing an earlier one, each by its place', () => {
    expect(wideningIssues(WIDENING)).toEqual([]);
    expect(
      wideningIssues([
        { afterSeconds: 30, maxPenalty: 5, lowerSkillsBy: 2 },
        { afterSeconds: 30 },
        { afterSeconds: 60, maxPenalty: 1, lowerSkillsBy: 1 },
      ]).map(([path, code]) => `${path} ${code}`),
    ).toEqual([
      'widening[1].afterSeconds WIDENING_ORDER',
      'widening[1] WIDENING_EMPTY',
      'widening[2].maxPenalty WIDENING_NARROWS',
      'widening[2].lowerSkillsBy WIDENING_NARROWS',
    ]);
    const result = validateQueueSet([
      {
        id: 'q',
        name: 'Q',
        strategy: 'linear',
        widening: [{ afterSeconds: 10, maxPenalty: 2 }, { afterSeconds: 5 }],
      },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.message)).toEqual([
      'queues[q].widening[1].afterSeconds: 5 must be after the step before it (10)',
      'queues[q].widening[1]: widens nothing: give maxPenalty, lowerSkillsBy or dropSkills',
    ]);
    // The shape too: an unknown field, a skill name that is none.
    const shape = validateQueueSet([
      { id: 'q', name: 'Q', strategy: 'linear', widening: [{ afterSeconds: 1, dropSkills: ['Billing!'] }] },
    ]);
    expect(shape.ok).toBe(false);
  });
});

describe('QueueRouter: a queue that widens as the caller waits', () => {
  it('offers a first-choice agent at once, the widening at 0 s in the why, and nothing said', () => {
    const s = new Sim([billing()], agents());
    s.login('senior', 'junior', 'backup');
    const out = s.arrive('c1', 'q');
    const offer = only(out, 'offer');
    expect(offer.targets.map((t) => t.agentId)).toEqual(['senior']);
    expect(offer.why.widening).toEqual({ step: 0, afterSeconds: 0, maxPenalty: 0 });
    expect(offer.why.considered).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          agentId: 'backup',
          eligible: false,
          excludedBecause: 'penalty 5 above the 0 allowed after 0 s of waiting',
        }),
        expect.objectContaining({
          agentId: 'junior',
          eligible: false,
          excludedBecause: 'skill billing 2 < required 3',
        }),
      ]),
    );
    expect(ofType(out, 'widened')).toEqual([]);
  });

  it('keeps the caller for the first choice while others are free, then widens on its own timer and offers', () => {
    const s = new Sim([billing()], agents());
    s.login('junior', 'backup');
    const out = s.arrive('c1', 'q');
    expect(offeredAgents(out)).toEqual([]);
    expect(s.timers.get('widen:c1')).toBe(T0 + 30_000);

    const at30 = s.fire('widen:c1');
    expect(only(at30, 'widened')).toEqual({
      type: 'widened',
      interactionId: 'c1',
      queueId: 'q',
      widening: { step: 1, afterSeconds: 30, maxPenalty: 0, lowerSkillsBy: 1 },
    });
    // Said before the offer, which carries it in its why; the back-up agent is still barred.
    expect(at30.findIndex((d) => d.type === 'widened')).toBeLessThan(
      at30.findIndex((d) => d.type === 'offer'),
    );
    const offer = only(at30, 'offer');
    expect(offer.targets.map((t) => t.agentId)).toEqual(['junior']);
    expect(offer.why.widening).toMatchObject({ step: 1, lowerSkillsBy: 1 });
    expect(offer.why.considered).toContainEqual(
      expect.objectContaining({
        agentId: 'backup',
        excludedBecause: 'penalty 5 above the 0 allowed after 30 s of waiting',
      }),
    );
    // Its next step is still set: it widens further should this offer fail.
    expect(s.timers.get('widen:c1')).toBe(T0 + 60_000);
  });

  it('lets the back-up agents and agents without the skill in at the last step, the best skilled first', () => {
    const s = new Sim([billing()], agents());
    s.login('backup', 'newbie');
    s.arrive('c1', 'q');
    const at30 = s.fire('widen:c1');
    expect(ofType(at30, 'widened')).toHaveLength(1);
    expect(offeredAgents(at30)).toEqual([]);
    const newbie = ofType(s.log, 'offer');
    expect(newbie).toEqual([]);
    const at60 = s.fire('widen:c1');
    expect(only(at60, 'widened').widening).toEqual({
      step: 2,
      afterSeconds: 60,
      maxPenalty: 5,
      lowerSkillsBy: 1,
      dropSkills: ['billing'],
    });
    // Both may take it now; penalty tiers still come first, as without widening.
    expect(offeredAgents(at60)).toEqual(['newbie']);
    expect(only(at60, 'offer').why.considered).toContainEqual(
      expect.objectContaining({ agentId: 'backup', eligible: true }),
    );
    expect(s.timers.has('widen:c1')).toBe(false);
  });

  it('does not send a caller to the no-agents fallback while an agent its widening lets in is signed in', () => {
    const voicemail = { noAgentsFallback: { type: 'voicemail' as const } };
    // Only the newbie (no billing) is signed in: the last step drops billing, so the caller waits for it.
    const s = new Sim([billing(voicemail)], agents());
    s.login('newbie');
    const out = s.arrive('c1', 'q');
    expect(ofType(out, 'fallback')).toEqual([]);
    expect(ofType(out, 'enqueued')).toHaveLength(1);
    s.fire('widen:c1');
    expect(offeredAgents(s.fire('widen:c1'))).toEqual(['newbie']);
    // The newbie signing out leaves nobody who could ever take a waiting caller: the fallback, at once.
    const alone = new Sim([billing(voicemail)], agents());
    alone.login('newbie');
    expect(ofType(alone.arrive('c2', 'q'), 'fallback')).toEqual([]);
    expect(only(alone.agent('newbie', { type: 'logout' }), 'fallback')).toMatchObject({
      interactionId: 'c2',
      target: { type: 'voicemail' },
    });
    // A member whose penalty the last step still bars does not count either.
    const barred = new Sim(
      [
        billing({
          ...voicemail,
          widening: [
            { afterSeconds: 0, maxPenalty: 0 },
            { afterSeconds: 30, maxPenalty: 2 },
          ],
        }),
      ],
      agents(),
    );
    barred.login('backup');
    expect(only(barred.arrive('c4', 'q'), 'fallback').target).toEqual({ type: 'voicemail' });
    // Without widening, an agent lacking the skill does not count (as before).
    const plain = new Sim([billing({ ...voicemail, widening: undefined })], agents());
    plain.login('newbie');
    expect(only(plain.arrive('c3', 'q'), 'fallback').target).toEqual({ type: 'voicemail' });
  });

  it('says each step once, even when no agent is free as it comes', () => {
    const s = new Sim([billing()], agents());
    s.arrive('c1', 'q');
    s.runUntil(T0 + 120_000);
    expect(ofType(s.log, 'widened').map((d) => d.widening.step)).toEqual([1, 2]);
    s.login('newbie');
    expect(offeredAgents(s.log)).toEqual(['newbie']);
    expect(ofType(s.log, 'widened')).toHaveLength(2);
  });

  it('shows the widening in force and the time to the next step in the line', () => {
    const q = billing();
    const s = new Sim([q], agents());
    s.arrive('c1', 'q');
    s.advance(10_000);
    const [place] = lineView(s.router.waiting(s.now, 'q'), q, s.now);
    expect(place?.widening).toEqual({ step: 0, afterSeconds: 0, maxPenalty: 0 });
    expect(place?.widensInSeconds).toBe(20);
    s.runUntil(T0 + 61_000);
    const [after] = lineView(s.router.waiting(s.now, 'q'), q, s.now);
    expect(after?.widening?.step).toBe(2);
    expect(after?.widensInSeconds).toBeUndefined();
  });

  it('keeps a callback request as narrow as a call starts (nobody is on hold): never widened', () => {
    const q = billing({ exitKey: '1', exitTarget: { type: 'callback' } });
    const s = new Sim([q], agents());
    s.arrive('c1', 'q');
    s.send({ type: 'requestCallback', interactionId: 'c1' });
    s.login('junior', 'newbie', 'backup');
    s.runUntil(T0 + 120_000);
    expect(offeredAgents(s.log)).toEqual([]);
    expect(ofType(s.log, 'widened')).toEqual([]);
    s.login('senior');
    expect(offeredAgents(s.log)).toEqual(['senior']);
  });

  it('follows changed definitions without saying the step in force again, and sets no timer without widening', () => {
    const s = new Sim([billing()], agents());
    s.arrive('c1', 'q');
    s.runUntil(T0 + 31_000);
    expect(ofType(s.log, 'widened')).toHaveLength(1);
    s.send({ type: 'queuesChanged' });
    expect(ofType(s.log, 'widened')).toHaveLength(1);

    const plain = new Sim([queueDef({ id: 'q', requiredSkills: { billing: 3 } })], agents());
    plain.login('junior');
    plain.arrive('c1', 'q');
    expect([...plain.timers.keys()].filter((k) => k.startsWith('widen:'))).toEqual([]);
    plain.runUntil(T0 + 600_000);
    expect(offeredAgents(plain.log)).toEqual([]);
  });
});
