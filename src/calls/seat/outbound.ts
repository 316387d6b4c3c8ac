/**
 * Outbound (click-to-dial): the agent's own phone rings first (the page answers it on its own, it asked),
 * hears ringback, then the customer is dialled on the trunk with the configured caller ID and bridged in.
 * What happens to the two legs once dialled is in outbound-legs.ts.
 */
import { randomUUID } from 'node:crypto';
import { CallSession } from '../call-session.js';
import { seatInput } from './current-call.js';
import { dialLeg, newLeg, watchCallerEnd } from './legs.js';
import { OutboundPolicy } from './outbound-policy.js';
import { SeatRefusal } from './refusal.js';
import type { SeatDeps } from './seat-deps.js';
import { checkNumber } from './targets.js';

/**
 * A new 'outbound' interaction carries the whole call; the seat is busy from the start (outboundStart).
 */
export function createDial(deps: SeatDeps) {
  const { acd, options } = deps;

  return async function dial(agentId: string, rawNumber: string): Promise<{ interactionId: string }> {
    const number = OutboundPolicy.normalise(rawNumber);
    const definition = options.agents().find((a) => a.id === agentId);
    const seat = acd.router.seat(agentId);
    if (!definition || !seat) throw new SeatRefusal(404, 'AGENT_NOT_FOUND', `no agent with id ${agentId}`);
    const state = seat.state.type;
    if (state !== 'available' && state !== 'not_ready') {
      throw new SeatRefusal(
        409,
        state === 'logged_out' ? 'AGENT_LOGGED_OUT' : 'AGENT_BUSY',
        state === 'logged_out'
          ? 'log the seat in before placing a call'
          : `you are ${state.replace('_', ' ')}; finish that first (calls can be placed when ready or not ready)`,
      );
    }
    checkNumber(deps, number);
    const interactionId = randomUUID();
    const at = acd.now();
    seatInput(deps, { type: 'agent', agentId, input: { type: 'outboundStart', interactionId } });
    const caller = deps.policy.callerId();
    const customerChannel = `out-${randomUUID()}`;
    const session = new CallSession(
      customerChannel,
      interactionId,
      at,
      { telephony: acd.telephony, log: options.log, logger: options.logger, now: acd.now },
      number,
    );
    session.unansweredDisposition = 'no-answer';
    await session.enqueueWrite('interaction.opened', () =>
      options.log.open({
        id: interactionId,
        direction: 'outbound',
        channelId: customerChannel,
        trunk: options.trunk,
        callerNumber: number,
        dialedNumber: number,
        startedAt: at,
      }),
    );
    void session.record(
      { type: 'call.outbound', payload: { agentId, number, step: 'requested', callerId: caller.shown } },
      { agent_id: agentId },
      at,
    );
    acd.calls.set(interactionId, session);
    session.onEnd(() => acd.releaseCaller(session));
    watchCallerEnd(deps, session);
    const bridgeId = `call-${interactionId}`;
    const failEarly = async (reason: string) => {
      void session.record({ type: 'call.outbound', payload: { agentId, number, step: 'failed', reason } });
      acd.input({ type: 'agent', agentId, input: { type: 'hangup', interactionId, wrapUpSeconds: 0 } });
      await session.markLost(acd.now(), reason).catch(() => undefined);
    };
    try {
      await acd.telephony.ari.createBridge({ bridgeId, type: 'mixing', name: bridgeId });
    } catch (error) {
      await failEarly(`bridge: ${(error as Error).message}`);
      throw error;
    }
    acd.bridges.set(interactionId, bridgeId);
    const agentLeg = newLeg('outbound-agent', interactionId, agentId, { type: 'number', number });
    agentLeg.customerChannel = customerChannel;
    const ok = await dialLeg(
      deps,
      agentLeg,
      definition.endpoint,
      `"${number}" <${number}>`,
      {
        'PJSIP_HEADER(add,X-Seat-Call)': 'outbound',
      },
      20,
    );
    if (!ok) {
      await failEarly('your phone could not be rung (is the softphone registered?)');
      throw new SeatRefusal(
        409,
        'AGENT_PHONE_UNREACHABLE',
        'your phone could not be rung: is the softphone signed in?',
      );
    }
    acd.hub.publish('interaction', 'call.outbound', {
      interactionId,
      agentId,
      number,
      step: 'requested',
    });
    return { interactionId };
  };
}
