/**
 * A desk phone that stops answering Asterisk (AMI ContactStatus Unreachable) sets its free agent aside; one
 * answering again (Reachable) makes the agent the system set aside for it ready again. An agent's own not
 * ready, a seat on a call, another phone and a phone in a supervisor's monitor change nothing.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AgentCommand } from '../../../../src/acd/router-types.js';
import { UNREACHABLE_REASON } from '../../../../src/agents/schema.js';
import { AcdRuntime } from '../../../../src/calls/acd/acd-runtime.js';
import type { Telephony } from '../../../../src/telephony/telephony.js';
import { agentDef, queueDef } from '../../acd/helpers.js';

function runtime() {
  const published: { type: string; data: unknown }[] = [];
  const acd = new AcdRuntime({
    telephony: { ari: {} } as unknown as Telephony,
    hub: { publish: (type: string, data: unknown) => published.push({ type, data }) } as never,
    logger: pino({ level: 'silent' }),
    queues: [queueDef({ id: 'q' })],
    agents: [agentDef('sue', ['q']), agentDef('tom', ['q'])],
  });
  const seat = (agentId: string, input: AgentCommand) => acd.input({ type: 'agent', agentId, input });
  for (const agentId of ['sue', 'tom']) seat(agentId, { type: 'login', endpoint: `PJSIP/${agentId}` });
  return { acd, seat, published };
}

describe("a desk phone that answers again (the runtime's side)", () => {
  it('makes its agent ready again when the system had set them aside for it, and says so on the stream', () => {
    const { acd, seat, published } = runtime();
    seat('tom', { type: 'notReady', reason: UNREACHABLE_REASON });
    // Sue's phone stops answering while she is free: she is set aside at once, not at the next offer.
    published.length = 0;
    acd.phoneReach({ endpoint: 'sue', reachable: false });
    expect(acd.router.seat('sue')?.state).toEqual({ type: 'not_ready', reason: UNREACHABLE_REASON });
    expect(published.find((e) => e.type === 'agent.state')?.data).toMatchObject({
      agentId: 'sue',
      from: { type: 'available' },
      to: { type: 'not_ready', reason: UNREACHABLE_REASON },
    });
    acd.phoneReach({ endpoint: 'sue', reachable: false });
    expect(acd.router.seat('sue')?.state).toEqual({ type: 'not_ready', reason: UNREACHABLE_REASON });
    published.length = 0;

    acd.phoneReach({ endpoint: 'sue', reachable: true });
    expect(acd.router.seat('sue')?.state).toEqual({ type: 'available' });
    expect(published.find((e) => e.type === 'agent.state')?.data).toMatchObject({
      agentId: 'sue',
      from: { type: 'not_ready', reason: UNREACHABLE_REASON },
      to: { type: 'available' },
    });
    // Only that phone's agent.
    expect(acd.router.seat('tom')?.state).toEqual({ type: 'not_ready', reason: UNREACHABLE_REASON });
    acd.stop();
  });

  it("leaves an agent's own not ready, a ready agent, a seat on a call and an unknown phone alone", () => {
    const { acd, seat, published } = runtime();
    seat('sue', { type: 'notReady', reason: 'lunch' });
    seat('tom', { type: 'outboundStart', interactionId: 'out-1' });
    published.length = 0;
    for (const reachable of [false, true]) {
      acd.phoneReach({ endpoint: 'sue', reachable });
      acd.phoneReach({ endpoint: 'tom', reachable });
      acd.phoneReach({ endpoint: 'nobody', reachable });
    }
    expect(acd.router.seat('sue')?.state).toEqual({ type: 'not_ready', reason: 'lunch' });
    expect(acd.router.seat('tom')?.state.type).toBe('talking');
    expect(published.filter((e) => e.type === 'agent.state')).toEqual([]);
    // A free agent whose phone answers (again or for the first time) stays as they are.
    seat('tom', { type: 'hangup', interactionId: 'out-1', wrapUpSeconds: 0 });
    seat('tom', { type: 'ready' });
    acd.phoneReach({ endpoint: 'tom', reachable: true });
    expect(acd.router.seat('tom')?.state).toEqual({ type: 'available' });
    acd.stop();
  });

  it('sets aside an agent who logs in while their phone is known gone, and refuses their ready with why', () => {
    const { acd, seat } = runtime();
    seat('sue', { type: 'logout' });
    acd.phoneReach({ endpoint: 'sue', reachable: false });
    expect(seat('sue', { type: 'login', endpoint: 'PJSIP/sue' })).toEqual([]);
    expect(acd.router.seat('sue')?.state).toEqual({ type: 'not_ready', reason: UNREACHABLE_REASON });
    // The agent's own break, then ready: refused while the phone is gone, the break kept.
    seat('sue', { type: 'notReady', reason: 'break' });
    expect(seat('sue', { type: 'ready' })).toEqual([
      { code: 'PHONE_UNREACHABLE', reason: expect.stringContaining("sue's phone does not answer") },
    ]);
    expect(acd.router.seat('sue')?.state).toEqual({ type: 'not_ready', reason: 'break' });
    acd.phoneReach({ endpoint: 'sue', reachable: true });
    // Answering again readies only a seat the system set aside: the break stays the agent's.
    expect(acd.router.seat('sue')?.state).toEqual({ type: 'not_ready', reason: 'break' });
    seat('sue', { type: 'notReady', reason: UNREACHABLE_REASON });
    acd.phoneReach({ endpoint: 'sue', reachable: true });
    expect(acd.router.seat('sue')?.state).toEqual({ type: 'available' });
    // Once it answers, ready is ready.
    seat('sue', { type: 'notReady', reason: 'break' });
    seat('sue', { type: 'ready' });
    expect(acd.router.seat('sue')?.state).toEqual({ type: 'available' });
    acd.stop();
  });

  it("keeps the agent aside while their phone is in a supervisor's monitor", () => {
    const { acd, seat } = runtime();
    seat('sue', { type: 'notReady', reason: UNREACHABLE_REASON });
    acd.seatGate = (agentId) => ({ code: 'PHONE_IN_MONITOR', reason: `${agentId}'s phone is in a monitor` });
    acd.phoneReach({ endpoint: 'sue', reachable: true });
    expect(acd.router.seat('sue')?.state).toEqual({ type: 'not_ready', reason: UNREACHABLE_REASON });
    acd.stop();
  });
});
