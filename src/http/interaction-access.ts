import type { InteractionLog } from '../store/interaction-log.js';
import type { InteractionRow } from '../store/schema.js';
import type { Principal } from './auth.js';
import { ApiError } from './errors.js';

/**
 * Whether an agent may read an interaction (its record, screen pop, recording): callers' numbers, what
 * they said and their recordings are personal data. An agent sees the calls they took part in (their
 * last agent, or named anywhere on the timeline: offered, transferred away, conferenced in), the call on
 * their seat now, and voicemails (the team's shared work queue). Supervisors see everything.
 */
export async function agentMayRead(
  log: Pick<InteractionLog, 'agentTookPart'>,
  row: InteractionRow,
  agentId: string,
  onTheirSeat = false,
): Promise<boolean> {
  if (row.direction === 'voicemail' || row.agent_id === agentId || onTheirSeat) return true;
  return log.agentTookPart(row.id, agentId);
}

/**
 * The interaction named, as the one asking may see it: 404 when there is none, 403 when an agent may not
 * (agentMayRead; `theirsAnyway` for another reason it is theirs: the call on their seat, the customer on
 * their line). Read after the writes already queued: what the service acknowledged is what a reader sees.
 */
export async function interactionFor(
  log: Pick<InteractionLog, 'afterQueuedWrites' | 'get' | 'agentTookPart'>,
  principal: Principal,
  id: string,
  theirsAnyway = false,
): Promise<InteractionRow> {
  await log.afterQueuedWrites();
  const row = await log.get(id);
  if (!row) throw new ApiError(404, 'INTERACTION_NOT_FOUND', `no interaction with id ${id}`);
  if (principal.role === 'agent' && !(await agentMayRead(log, row, principal.agentId, theirsAnyway))) {
    throw new ApiError(403, 'FORBIDDEN', `interaction ${id} is not one you took part in`);
  }
  return row;
}
