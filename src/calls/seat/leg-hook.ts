/**
 * The ACD's `seatLegs` hook: answers and ends of the legs the seat dialled itself are routed to the verb
 * that dialled them (by the leg's purpose); anything else is the ACD's own.
 */
import { isDeviceLoss, type TelephonyEvent } from '../../telephony/telephony.js';
import type { AcdRuntime } from '../acd/acd-runtime.js';
import { unreachableReason } from '../phone-reach.js';
import type { ConferenceVerbs } from './conference.js';
import type { HoldVerbs } from './hold.js';
import type { OutboundLegs } from './outbound-legs.js';
import type { RejoinVerbs } from './rejoin.js';
import type { SeatDeps } from './seat-deps.js';
import type { BlindTransferVerbs } from './transfer-blind.js';
import type { ConsultVerbs } from './transfer-consult.js';

export interface LegHandlers {
  rejoin: RejoinVerbs;
  blind: BlindTransferVerbs;
  consult: ConsultVerbs;
  conference: ConferenceVerbs;
  outbound: OutboundLegs;
  hold: HoldVerbs;
}

export function createLegHook(deps: SeatDeps, h: LegHandlers): NonNullable<AcdRuntime['seatLegs']> {
  const { record } = deps;

  function answered(channelId: string): boolean {
    if (h.rejoin.answered(channelId)) return true;
    const leg = record.legs.get(channelId);
    if (!leg) return false;
    clearTimeout(leg.timer);
    if (leg.purpose === 'outbound-agent') h.outbound.agentAnswered(leg);
    else if (leg.purpose === 'outbound-customer') h.outbound.customerAnswered(leg);
    else if (leg.purpose === 'consult') h.consult.answered(leg);
    else if (leg.purpose === 'conference') h.conference.answered(leg);
    else h.blind.answered(leg);
    return true;
  }

  function onEvent(event: TelephonyEvent): boolean {
    const own = 'channelId' in event ? record.legs.get(event.channelId) : undefined;
    // The customer's leg of an outbound call is the interaction's caller: all its events matter.
    if (own?.purpose === 'outbound-customer') return h.outbound.customerEvent(own, event);
    if (event.type === 'channel.hangup-requested' && own) {
      if (isDeviceLoss(event)) own.deviceLost = true;
      return true;
    }
    if (event.type !== 'channel.ended' && event.type !== 'channel.left-app') return false;
    const notAnswered = unreachableReason(event) ?? "the agent's phone did not answer";
    if (h.rejoin.ended(event.channelId, notAnswered)) return true;
    const leg = record.legs.get(event.channelId);
    if (!leg) return false;
    if (leg.state === 'ringing') leg.unreachable ??= unreachableReason(event);
    if (leg.purpose === 'outbound-agent') h.outbound.agentEnded(leg);
    else if (leg.purpose === 'consult') h.consult.ended(leg);
    else if (leg.purpose === 'conference') h.conference.ended(leg, event);
    else h.blind.ended(leg, event);
    return true;
  }

  /** Before a call whose agent's phone was lost goes back to the queue: what the seat had going ends. */
  async function agentLost(interactionId: string): Promise<void> {
    await Promise.all([
      h.consult.agentLost(interactionId),
      h.conference.agentLost(interactionId),
      h.hold.agentLost(interactionId),
    ]);
  }

  return { answered, onEvent, agentLost, channels: () => [...record.legs.keys()] };
}
