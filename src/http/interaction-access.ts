import type { InteractionLog } from '../store/interaction-log.js';
import type { InteractionRow } from '../store/schema.js';

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
