/**
 * A random day in the router (seeded, the same every run): agents sign in and out, go ready and on breaks,
 * answer, let ring, reject and hang up; callers arrive in two queues with priorities, give up, overflow, ask
 * for a callback (then dialled: answered, not, busy, failed);
 * time runs and timers fire. Whatever the order, after every step: the router has not thrown; an offer
 * goes only to agents it leaves ringing for that call; no agent talks on two calls; no call that ended is
 * offered again; the line holds only callers still waiting; nothing its state allows is refused.
 */
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/acd/index.js';
import { agentDef, queueDef, Sim, seededRng } from './helpers.js';

const AGENTS = ['a1', 'a2', 'a3', 'a4', 'a5'];

function day(seed: number, steps: number): { problems: string[]; seen: Map<string, number> } {
  const random = seededRng(seed);
  const pick = <T>(items: readonly T[]): T | undefined =>
    items.length ? items[Math.floor(random() * items.length)] : undefined;
  const sim = new Sim(
    [
      queueDef({
        id: 'sales',
        strategy: 'longest_idle',
        ringTimeoutSeconds: 15,
        wrapUpSeconds: 10,
        maxWaitSeconds: 90,
        overflowTarget: { type: 'queue', queueId: 'support' },
      }),
      queueDef({ id: 'support', strategy: 'ring_all', ringTimeoutSeconds: 20, wrapUpSeconds: 5 }),
    ],
    AGENTS.map((id, i) => agentDef(id, i % 2 === 0 ? ['sales', 'support'] : ['support'])),
    seededRng(seed + 1),
  );
  const problems: string[] = [];
  const talking = new Map<string, string>(); // agent → call
  const dialling = new Set<string>(); // callbacks whose customer is being dialled
  const ended = new Set<string>();
  const arrived = new Set<string>();
  let callers = 0;

  const seen = new Map<string, number>(); // decisions by type: the day went everywhere
  const check = (what: string, decisions: Decision[]) => {
    for (const d of decisions) {
      seen.set(d.type, (seen.get(d.type) ?? 0) + 1);
      if (d.type === 'offer' || d.type === 'callbackDue') {
        if (ended.has(d.interactionId)) problems.push(`${what}: offered ${d.interactionId}, which had ended`);
        for (const { agentId } of d.targets) {
          const seat = sim.router.seat(agentId)?.state;
          if (seat?.type !== 'offered' || seat.interactionId !== d.interactionId)
            problems.push(`${what}: offered ${d.interactionId} to ${agentId}, left ${JSON.stringify(seat)}`);
          if (talking.has(agentId))
            problems.push(`${what}: offered ${d.interactionId} to ${agentId} mid-call`);
        }
      }
      if (d.type === 'connect') {
        if (talking.has(d.agentId)) problems.push(`${what}: ${d.agentId} connected to a second call`);
        talking.set(d.agentId, d.interactionId);
        ended.add(d.interactionId); // out of the line for good
      }
      if (d.type === 'abandoned') ended.add(d.interactionId);
      if (d.type === 'dialCallback') dialling.add(d.interactionId);
      if (d.type === 'callbackClosed') ended.add(d.interactionId);
      // Every input here is one its state allows (picked from the seats as they stand): none is refused.
      if (d.type === 'refused') problems.push(`${what}: refused (${d.code}: ${d.reason})`);
    }
  };
  const send = (what: string, act: () => Decision[]) => {
    try {
      check(what, act());
    } catch (error) {
      problems.push(`${what}: threw ${String(error)}`);
    }
  };
  const inState = (type: string) => AGENTS.filter((id) => sim.router.seat(id)?.state.type === type);
  const ringingFor = (agentId: string, call: string) => {
    const state = sim.router.seat(agentId)?.state;
    return state?.type === 'offered' && state.interactionId === call;
  };

  for (let step = 0; step < steps && problems.length === 0; step++) {
    const roll = random();
    if (roll < 0.1) {
      const id = pick(inState('logged_out'));
      if (id) send(`${id} logs in`, () => sim.agent(id, { type: 'login', endpoint: `PJSIP/${id}` }));
    } else if (roll < 0.18) {
      const id = pick(inState('not_ready'));
      if (id) send(`${id} ready`, () => sim.agent(id, { type: 'ready' }));
    } else if (roll < 0.23) {
      const id = pick(inState('available'));
      if (id) send(`${id} on a break`, () => sim.agent(id, { type: 'notReady', reason: 'break' }));
    } else if (roll < 0.26) {
      const id = pick([...inState('available'), ...inState('not_ready')]);
      if (id) send(`${id} logs out`, () => sim.agent(id, { type: 'logout' }));
    } else if (roll < 0.45) {
      const id = `c${++callers}`;
      arrived.add(id);
      const queueId = random() < 0.6 ? 'sales' : 'support';
      send(`${id} arrives in ${queueId}`, () =>
        sim.arrive(id, queueId, { priority: Math.floor(random() * 3) }),
      );
    } else if (roll < 0.52) {
      // A caller on the line (one who asked for a callback has hung up already, keeping their place).
      const id = pick(
        sim.router
          .waiting(sim.now)
          .filter((e) => e.kind === 'caller' && !e.callback)
          .map((e) => e.interactionId),
      );
      if (id) {
        ended.add(id);
        send(`${id} hangs up waiting`, () => sim.send({ type: 'callerLeft', interactionId: id }));
      }
    } else if (roll < 0.66) {
      const id = pick(inState('offered'));
      const state = id ? sim.router.seat(id)?.state : undefined;
      if (id && state?.type === 'offered') {
        const call = state.interactionId;
        send(`${id} answers ${call}`, () => sim.agent(id, { type: 'answer', interactionId: call }));
      }
    } else if (roll < 0.7) {
      const id = pick(inState('offered'));
      const state = id ? sim.router.seat(id)?.state : undefined;
      if (id && state?.type === 'offered') {
        const call = state.interactionId;
        send(`${id} rejects ${call}`, () => sim.agent(id, { type: 'reject', interactionId: call }));
      }
    } else if (roll < 0.82) {
      const id = pick([...talking.keys()]);
      const call = id ? talking.get(id) : undefined;
      if (id && call) {
        talking.delete(id);
        send(`${id} hangs up ${call}`, () => sim.agent(id, { type: 'hangup', interactionId: call }));
      }
    } else if (roll < 0.86) {
      const id = pick(inState('wrap_up'));
      if (id) send(`${id} done wrapping up`, () => sim.agent(id, { type: 'wrapUpDone' }));
    } else if (roll < 0.89) {
      // A caller waiting (not ringing) takes the offer of a callback and keeps their place.
      const id = pick(
        sim.router
          .waiting(sim.now)
          .filter(
            (e) => e.kind === 'caller' && !inState('offered').some((a) => ringingFor(a, e.interactionId)),
          )
          .map((e) => e.interactionId),
      );
      if (id)
        send(`${id} asks for a callback`, () => sim.send({ type: 'requestCallback', interactionId: id }));
    } else if (roll < 0.92) {
      const id = pick([...dialling]);
      if (id) {
        dialling.delete(id);
        const outcome = pick(['connected', 'no_answer', 'busy', 'failed'] as const) ?? 'failed';
        send(`callback ${id} dialled: ${outcome}`, () =>
          sim.send({ type: 'callbackResult', interactionId: id, outcome }),
        );
      }
    } else {
      // Time runs: each timer due fires in its turn, checked as it fires.
      const until = sim.now + Math.floor(random() * 30_000);
      for (;;) {
        const next = [...sim.timers].filter(([, at]) => at <= until).sort((a, b) => a[1] - b[1])[0];
        if (!next) break;
        send(`timer ${next[0]} fires`, () => sim.fire(next[0]));
      }
      sim.advance(until - sim.now);
    }
    // The line holds only callers that arrived and have not ended.
    for (const e of sim.router.waiting(sim.now)) {
      if (!arrived.has(e.interactionId) || ended.has(e.interactionId))
        problems.push(`after step ${step}: ${e.interactionId} still in the line of ${e.queueId}`);
    }
  }
  return { problems, seen };
}

describe('a random day in the router', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`keeps its promises (seed ${seed}, 3,000 steps)`, () => {
      const { problems, seen } = day(seed, 3000);
      expect(problems).toEqual([]);
      for (const type of [
        'offer',
        'connect',
        'rona',
        'abandoned',
        'overflow',
        'requeuedAfterReject',
        'callbackRegistered',
        'callbackDue',
        'dialCallback',
      ])
        expect(seen.get(type) ?? 0, type).toBeGreaterThan(0);
    });
  }
});
