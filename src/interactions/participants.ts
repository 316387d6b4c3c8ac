import type { InteractionEventRow } from '../store/schema.js';

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
