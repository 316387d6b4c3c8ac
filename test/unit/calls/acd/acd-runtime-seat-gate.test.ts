import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { AgentCommand } from '../../../../src/acd/router-types.js';
import { AcdRuntime } from '../../../../src/calls/acd/acd-runtime.js';
import type { Telephony } from '../../../../src/telephony/telephony.js';
import { agentDef, queueDef } from '../../acd/helpers.js';

describe('a seat gate (a supervisor phone in a monitor)', () => {
  it('refuses log-in and ready with its reason while it says so, and lets them through after', () => {
    const acd = new AcdRuntime({
      telephony: { ari: {} } as unknown as Telephony,
      hub: { publish() {} } as never,
      logger: pino({ level: 'silent' }),
      queues: [queueDef({ id: 'q' })],
      agents: [agentDef('sue', ['q'])],
    });
    let monitoring = true;
    acd.seatGate = (agentId) =>
      monitoring ? { code: 'PHONE_IN_MONITOR', reason: `${agentId}'s phone is in a monitor` } : undefined;
    const sue = (input: AgentCommand) => acd.input({ type: 'agent', agentId: 'sue', input });

    expect(sue({ type: 'login', endpoint: 'PJSIP/sue' })).toEqual([
      { code: 'PHONE_IN_MONITOR', reason: "sue's phone is in a monitor" },
    ]);
    expect(acd.router.seat('sue')?.state.type ?? 'logged_out').toBe('logged_out');

    monitoring = false;
    expect(sue({ type: 'login', endpoint: 'PJSIP/sue' })).toEqual([]);
    expect(sue({ type: 'notReady', reason: 'break' })).toEqual([]);
    monitoring = true;
    expect(sue({ type: 'ready' })).toEqual([
      { code: 'PHONE_IN_MONITOR', reason: "sue's phone is in a monitor" },
    ]);
    expect(acd.router.seat('sue')?.state).toEqual({ type: 'not_ready', reason: 'break' });
    // Going (or staying) not ready is never in the way.
    expect(sue({ type: 'notReady', reason: 'coaching' })).toEqual([]);
    monitoring = false;
    expect(sue({ type: 'ready' })).toEqual([]);
    expect(acd.router.seat('sue')?.state.type).toBe('available');
    acd.stop();
  });
});
