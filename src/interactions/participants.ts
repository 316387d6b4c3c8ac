import type { InteractionEventRow } from '../store/schema.js';

/**
 * Whether a timeline entry names this agent as taking part in the call: offered it, connected, held,
 * transferred or conferenced it, called in by a transfer or conference, or wrapping it up.
 */
export function namesAgent(payload: unknown, agentId: string): boolean {
  if (!payload || typeof payload !== 'object') return false;
  const p = payload as {
    agentId?: unknown;
    agentIds?: unknown;
    target?: { type?: unknown; id?: unknown };
    party?: { type?: unknown; id?: unknown };
  };
  if (p.agentId === agentId) return true;
  if (Array.isArray(p.agentIds) && p.agentIds.includes(agentId)) return true;
  const calledIn = (x: { type?: unknown; id?: unknown } | undefined) =>
    x?.type === 'agent' && x.id === agentId;
  return calledIn(p.target) || calledIn(p.party);
}

/** Whether the agent took part in the interaction at any point of its timeline (not only its last agent). */
export function agentTookPart(timeline: readonly InteractionEventRow[], agentId: string): boolean {
  return timeline.some((e) => {
    try {
      return namesAgent(JSON.parse(e.payload), agentId);
    } catch {
      return false;
    }
  });
}

/** Entries whose `agentId` talked on the call (not merely had it offered). */
const HANDLED = new Set([
  'acd.connected',
  'call.transferred',
  'call.conference',
  'call.outbound',
  'wrapup.saved',
]);

/** Whether the agent talked on the interaction at some point (connected, transferred it on, conferenced). */
export function agentHandled(timeline: readonly InteractionEventRow[], agentId: string): boolean {
  return timeline.some((e) => {
    if (!HANDLED.has(e.type)) return false;
    try {
      return (JSON.parse(e.payload) as { agentId?: unknown }).agentId === agentId;
    } catch {
      return false;
    }
  });
}
