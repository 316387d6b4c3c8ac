/**
 * Outbound calls, two ways in. Click-to-dial: the agent's own phone rings first (the page answers it on its
 * own, it asked), hears ringback, then the customer is dialled on the trunk with the configured caller ID
 * and bridged in. Placed from the phone: a desk phone or third-party softphone dials a number itself; the
 * dialplan hands that channel to the service, which answers it and carries on as if click-to-dial's phone
 * had just answered. Both go through the same checks and the same interaction; what happens to the two
 * legs once dialled is in outbound-legs.ts.
 */
import { randomUUID } from 'node:crypto';
import { CallSession } from '../call-session.js';
import { seatInput } from './current-call.js';
import { dialLeg, newLeg, watchCallerEnd } from './legs.js';
import type { OutboundLegs } from './outbound-legs.js';
import { OutboundPolicy } from './outbound-policy.js';
import { SeatRefusal } from './refusal.js';
import type { SeatDeps } from './seat-deps.js';
import type { SeatLeg } from './seat-record.js';
import { checkNumber } from './targets.js';
import { agentOfPhone } from './phone-codes.js';

/** An outbound interaction opened, its bridge made, the seat busy (outboundStart); the agent leg is next. */
interface OpenedOutbound {
  agentLeg: SeatLeg;
  endpoint: string;
  number: string;
  /** Closes the interaction as never connected, frees the seat, with the reason on the timeline. */
  fail(reason: string, phoneUnreachable?: string): Promise<void>;
}

/** The checks both ways share: the agent exists, may place a call now, and may dial this number. */
function checkAgent(deps: SeatDeps, agentId: string, number: string): { endpoint: string } {
  const definition = deps.options.agents().find((a) => a.id === agentId);
  const seat = deps.acd.router.seat(agentId);
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
  // A call out only: a transfer, consult or conference reaches a number for the customer already on the line.
  const asked = deps.options.doNotCall?.(number);
  if (asked) throw new SeatRefusal(403, 'NUMBER_DO_NOT_CALL', asked);
  return { endpoint: definition.endpoint };
}

/**
 * A new 'outbound' interaction carries the whole call (its channel is the customer's, chosen up front); the
 * seat is busy from the start (outboundStart). `via` says how the agent placed it, for the timeline.
 */
async function openOutbound(
  deps: SeatDeps,
  agentId: string,
  rawNumber: string,
  via: 'page' | 'phone',
  agentChannel?: string,
): Promise<OpenedOutbound> {
  const { acd, options } = deps;
  const number = OutboundPolicy.normalise(rawNumber);
  const { endpoint } = checkAgent(deps, agentId, number);
  const interactionId = randomUUID();
  const at = acd.now();
  seatInput(deps, { type: 'agent', agentId, input: { type: 'outboundStart', interactionId } });
  // Where the seat goes after this call (back to ready, or to the not-ready it was in), on the record so a
  // restart carrying the call on keeps it.
  const seatNow = acd.router.seat(agentId)?.state;
  const after = seatNow && 'call' in seatNow ? { ...seatNow.call.after } : undefined;
  const caller = deps.policy.callerId();
  const customerChannel = `out-${randomUUID()}`;
  // Dialled as typed; matched (contact, history, a callback for them) in the numbering plan's form.
  const customer = acd.numbers.read(number);
  const session = new CallSession(
    customerChannel,
    interactionId,
    at,
    { telephony: acd.telephony, log: options.log, logger: options.logger, now: acd.now },
    customer.number,
  );
  session.unansweredDisposition = 'no-answer';
  await session.enqueueWrite('interaction.opened', () =>
    options.log.open({
      id: interactionId,
      direction: 'outbound',
      channelId: customerChannel,
      trunk: options.trunk,
      callerNumber: customer.number,
      callerNumberAsDelivered: customer.asDelivered,
      dialedNumber: number,
      startedAt: at,
    }),
  );
  void session.record(
    {
      type: 'call.outbound',
      payload: {
        agentId,
        number,
        step: 'requested',
        via,
        callerId: caller.shown,
        ...(after ? { after } : {}),
      },
    },
    { agent_id: agentId },
    at,
  );
  acd.calls.set(interactionId, session);
  session.onEnd(() => acd.releaseCaller(session));
  watchCallerEnd(deps, session);
  /** `phoneUnreachable`: the agent's own phone could not be rung, so the seat goes not ready. */
  const fail = async (reason: string, phoneUnreachable?: string) => {
    void session.record({ type: 'call.outbound', payload: { agentId, number, step: 'failed', reason } });
    acd.endReservedCall(agentId, interactionId, { unreachable: phoneUnreachable });
    await session.markFailed(acd.now(), reason).catch(() => undefined);
  };
  const bridgeId = `call-${interactionId}`;
  try {
    await acd.telephony.ari.createBridge({ bridgeId, type: 'mixing', name: bridgeId });
  } catch (error) {
    await fail(`bridge: ${(error as Error).message}`);
    throw error;
  }
  acd.bridges.set(interactionId, bridgeId);
  const agentLeg = newLeg('outbound-agent', interactionId, agentId, { type: 'number', number });
  if (agentChannel) agentLeg.channelId = agentChannel;
  agentLeg.customerChannel = customerChannel;
  acd.hub.publish('call.outbound', { interactionId, agentId, number, step: 'requested' });
  return { agentLeg, endpoint, number, fail };
}

export function createDial(deps: SeatDeps) {
  return async function dial(agentId: string, rawNumber: string): Promise<{ interactionId: string }> {
    const { agentLeg, endpoint, number, fail } = await openOutbound(deps, agentId, rawNumber, 'page');
    const ok = await dialLeg(
      deps,
      agentLeg,
      endpoint,
      `"${number}" <${number}>`,
      { 'PJSIP_HEADER(add,X-Seat-Call)': 'outbound' },
      20,
    );
    if (!ok) {
      await fail('your phone could not be rung (is the softphone registered?)', agentLeg.unreachable);
      throw new SeatRefusal(
        409,
        'AGENT_PHONE_UNREACHABLE',
        'your phone could not be rung: is the softphone signed in?',
      );
    }
    return { interactionId: agentLeg.interactionId };
  };
}

/** How a refused call placed from a phone is turned down: the SIP answer the phone shows. */
function hangupReasonFor(refusal: SeatRefusal): 'busy' | 'rejected' | 'unallocated' {
  if (refusal.code === 'AGENT_BUSY') return 'busy'; // 486: the seat is on a call or in wrap-up
  if (refusal.code === 'DESTINATION_NOT_ALLOWED') return 'unallocated'; // 404: not a number agents may dial
  return 'rejected'; // 403: unknown agent or seat logged out
}

/**
 * A call the agent's own phone placed (dialplan `agent-outbound`, with the phone's endpoint name and the
 * digits dialled). Refusals are answered in SIP (busy, not found, forbidden) and logged with their reason.
 */
export function createPhoneDial(deps: SeatDeps, legs: OutboundLegs) {
  const { acd, record, options } = deps;

  return async function placedFromPhone(
    channelId: string,
    endpointName: string,
    dialled: string,
  ): Promise<{ interactionId: string } | { refused: SeatRefusal }> {
    const agent = agentOfPhone(options.agents(), endpointName);
    let opened: OpenedOutbound;
    try {
      if (!agent)
        throw new SeatRefusal(403, 'AGENT_NOT_FOUND', `no agent seat uses endpoint ${endpointName}`);
      opened = await openOutbound(deps, agent.id, dialled, 'phone', channelId);
    } catch (error) {
      const refusal =
        error instanceof SeatRefusal
          ? error
          : new SeatRefusal(500, 'OUTBOUND_FAILED', (error as Error).message);
      options.logger.warn(
        { callId: channelId, agentId: agent?.id, endpoint: endpointName, dialled, code: refusal.code },
        `call placed from the phone refused: ${refusal.message}`,
      );
      await acd.telephony.ari.hangup(channelId, hangupReasonFor(refusal)).catch(() => undefined);
      return { refused: refusal };
    }
    const { agentLeg, fail } = opened;
    // Known as a seat leg before the answer, so a phone hung up meanwhile ends the attempt (agentEnded).
    record.legs.set(channelId, agentLeg);
    try {
      await acd.telephony.ari.answer(channelId);
    } catch (error) {
      if (record.legs.has(channelId)) {
        record.legs.delete(channelId);
        await fail(`the phone's call could not be answered: ${(error as Error).message}`);
      }
      return { interactionId: agentLeg.interactionId };
    }
    if (record.legs.has(channelId)) legs.agentAnswered(agentLeg);
    return { interactionId: agentLeg.interactionId };
  };
}
