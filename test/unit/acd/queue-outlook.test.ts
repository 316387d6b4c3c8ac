/** How a queue stands for a caller about to join it (an IVR flow's whenQueue): QueueRouter.outlook. */
import { describe, expect, it } from 'vitest';
import { agentDef, queueDef, Sim } from './helpers.js';

const support = () => queueDef({ id: 'q', strategy: 'longest_idle', defaultHandleSeconds: 120 });
const agents = () => [
  agentDef('en1', ['q']),
  agentDef('es1', ['q'], { skills: { spanish: 3 } }),
  agentDef('es2', ['q'], { skills: { spanish: 1 } }),
];

describe('QueueRouter.outlook', () => {
  it("counts who is in line, the agents on who could take the caller and those free, and a newcomer's wait", () => {
    const s = new Sim([support()], agents());
    expect(s.router.outlook('q')).toEqual({
      waiting: 0,
      agentsOn: 0,
      agentsFree: 0,
      estimatedWaitSeconds: null,
    });
    s.login('en1', 'es1', 'es2');
    expect(s.router.outlook('q')).toEqual({
      waiting: 0,
      agentsOn: 3,
      agentsFree: 3,
      estimatedWaitSeconds: 40,
    });
    // Only the Spanish speakers count for a Spanish caller; es2's level 1 is not enough for level 2.
    expect(s.router.outlook('q', { spanish: 2 })).toEqual({
      waiting: 0,
      agentsOn: 1,
      agentsFree: 1,
      estimatedWaitSeconds: 120,
    });
    s.agent('es1', { type: 'notReady', reason: 'break' });
    // On a break: still on (the queue is staffed), not free, not serving (no estimate to give).
    expect(s.router.outlook('q', { spanish: 2 })).toEqual({
      waiting: 0,
      agentsOn: 1,
      agentsFree: 0,
      estimatedWaitSeconds: null,
    });
    s.agent('en1', { type: 'notReady', reason: 'break' });
    s.agent('es2', { type: 'notReady', reason: 'break' });
    s.arrive('c1', 'q');
    s.arrive('c2', 'q');
    s.agent('en1', { type: 'ready' });
    // en1 rings for c1; c2 still waits: two in line (the ringing one included), the third caller's wait.
    expect(s.router.outlook('q')).toMatchObject({ waiting: 2, agentsOn: 3, agentsFree: 0 });
    expect(s.router.outlook('q')?.estimatedWaitSeconds).toBe(360);
  });

  it('is undefined for a queue there is not', () => {
    expect(new Sim([support()], agents()).router.outlook('nope')).toBeUndefined();
  });
});
