import { describe, expect, it } from 'vitest';
import { lineView } from '../../../src/acd/line-view.js';
import { Sim, T0, agentDef, offeredAgents, only, ofType, queueDef } from './helpers.js';

/** Linear: a1 whenever free, so only the direct line sends a caller to a2 meanwhile. */
const team = () => queueDef({ id: 'q', strategy: 'linear', ringTimeoutSeconds: 10 });
const agents = () => [
  agentDef('a1', [{ queueId: 'q', order: 1 }]),
  agentDef('a2', [{ queueId: 'q', order: 2 }]),
];
const line = { agentId: 'a2', until: T0 + 30_000 };

describe("QueueRouter: a caller to an agent's direct line", () => {
  it('is offered to that agent alone, ahead of the strategy, saying why', () => {
    const s = new Sim([team()], agents());
    s.login('a1', 'a2');
    const offer = only(s.arrive('c1', 'q', { reservedFor: line }), 'offer');
    expect(offer.targets.map((t) => t.agentId)).toEqual(['a2']);
    expect(offer.why.reservedFor).toEqual(line);
    expect(offer.why.rule).toBe(
      `direct_line: kept for this agent until ${new Date(line.until).toISOString()}`,
    );
    expect(offer.why.considered).toContainEqual(expect.objectContaining({ agentId: 'a1', eligible: true }));
  });

  it('says whom the caller is kept for as it joins the line (a restart keeps it from the record)', () => {
    const s = new Sim([team()], agents());
    expect(only(s.arrive('c1', 'q', { reservedFor: line }), 'enqueued').reservedFor).toEqual(line);
    expect(only(s.arrive('c2', 'q'), 'enqueued')).not.toHaveProperty('reservedFor');
  });

  it('waits for that agent while busy, then goes to the team when the wait is over', () => {
    const s = new Sim([team()], agents());
    s.login('a1', 'a2');
    s.agent('a1', { type: 'notReady', reason: 'break' });
    s.arrive('first', 'q');
    s.agent('a2', { type: 'answer', interactionId: 'first' });
    s.agent('a1', { type: 'ready' });
    s.log.length = 0;
    expect(offeredAgents(s.arrive('c2', 'q', { reservedFor: line }))).toEqual([]);
    const [place] = lineView(s.router.waiting(s.now, 'q'), team(), s.now);
    expect(place?.directLine).toEqual(line);
    // Someone else calling meanwhile is not held up behind it.
    expect(offeredAgents(s.arrive('c3', 'q'))).toEqual(['a1']);
    s.agent('a1', { type: 'answer', interactionId: 'c3' });
    s.agent('a1', { type: 'hangup', interactionId: 'c3' });
    s.advance(1);
    s.agent('a1', { type: 'ready' });
    expect(ofType(s.log, 'offer').filter((o) => o.interactionId === 'c2')).toEqual([]);
    const due = s.fire('reserved:c2');
    expect(s.now).toBe(line.until);
    expect(only(due, 'offer')).toMatchObject({ interactionId: 'c2', targets: [{ agentId: 'a1' }] });
    const [after] = lineView(s.router.waiting(s.now, 'q'), team(), s.now);
    expect(after?.directLine).toBeUndefined();
  });

  it('goes to the team at once when that agent lets it ring out, or declines it', () => {
    const rang = new Sim([team()], agents());
    rang.login('a1', 'a2');
    rang.arrive('c1', 'q', { reservedFor: line });
    const out = rang.fire('ring:c1');
    expect(ofType(out, 'rona').map((r) => r.agentId)).toEqual(['a2']);
    expect(only(out, 'offer')).toMatchObject({ interactionId: 'c1', targets: [{ agentId: 'a1' }] });
    expect(rang.timers.has('reserved:c1')).toBe(false);

    const declined = new Sim([team()], agents());
    declined.login('a1', 'a2');
    declined.arrive('c1', 'q', { reservedFor: line });
    const out2 = declined.agent('a2', { type: 'reject', interactionId: 'c1' });
    expect(only(out2, 'offer')).toMatchObject({ interactionId: 'c1', targets: [{ agentId: 'a1' }] });
  });
});
