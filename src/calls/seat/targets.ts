/** Who a transfer, consult or conference may reach, and the seat a target agent holds while rung. */
import { seatInput, wrapUpSeconds } from './current-call.js';
import { SeatRefusal, type TransferTarget } from './refusal.js';
import type { SeatDeps } from './seat-deps.js';
import type { SeatLeg } from './seat-record.js';

/** A number the outbound policy refuses is a 403 with the policy's reason. */
export function checkNumber(deps: SeatDeps, number: string): void {
  const why = deps.policy.refusal(number);
  if (why) throw new SeatRefusal(403, 'DESTINATION_NOT_ALLOWED', why);
}

/** Where a consult / conference target is dialled, after the checks; reserves a target agent's seat. */
export function resolveParty(
  deps: SeatDeps,
  agentId: string,
  interactionId: string,
  target: TransferTarget,
): { endpoint: string; targetId: string } {
  if (target.type === 'queue') {
    throw new SeatRefusal(
      400,
      'TARGET_INVALID',
      'consult and conference take an agent or a number, not a queue',
    );
  }
  if (target.type === 'number') {
    checkNumber(deps, target.number);
    return {
      endpoint: deps.acd.numbers.trunkEndpoint(target.number, deps.options.trunk),
      targetId: target.number,
    };
  }
  if (target.agentId === agentId) {
    throw new SeatRefusal(400, 'TRANSFER_TO_SELF', 'you are already on this call');
  }
  const definition = deps.options.agents().find((a) => a.id === target.agentId);
  if (!definition) throw new SeatRefusal(404, 'AGENT_NOT_FOUND', `no agent with id ${target.agentId}`);
  const state = deps.acd.router.seat(target.agentId)?.state.type ?? 'logged_out';
  if (state !== 'available') {
    throw new SeatRefusal(
      409,
      'TARGET_AGENT_NOT_AVAILABLE',
      `${target.agentId} is ${state.replace('_', ' ')}; only an available agent can be called in`,
    );
  }
  // Reserved now, so the router does not offer the seat another call while it rings.
  seatInput(deps, {
    type: 'agent',
    agentId: target.agentId,
    input: { type: 'outboundStart', interactionId },
  });
  return { endpoint: definition.endpoint, targetId: target.agentId };
}

/**
 * Frees a target agent's reserved seat after its transfer, consult or conference leg ends: with the queue's
 * wrap-up when they talked (`wrapUp`), at once when they never answered, and not ready (phone_unreachable)
 * when their phone could not be rung at all, so no caller or colleague is sent to it again.
 */
export function freeTargetSeat(deps: SeatDeps, leg: SeatLeg, wrapUp: boolean): void {
  if (leg.target.type !== 'agent') return;
  const { agentId } = leg.target;
  // An agent who let go of the call already (left the conference, handed it on) is in wrap-up or beyond:
  // their leg ending after that frees nothing.
  const state = deps.acd.router.seat(agentId)?.state;
  const onThisCall =
    (state?.type === 'talking' || state?.type === 'on_hold') &&
    state.call.interactionId === leg.interactionId;
  if (!onThisCall) return;
  deps.acd.endReservedCall(
    agentId,
    leg.interactionId,
    wrapUp
      ? { wrapUpSeconds: wrapUpSeconds(deps, agentId, leg.queueId) }
      : { unreachable: leg.unreachable, queueId: leg.queueId },
  );
}
