import type { SkillMap } from '../agents/schema.js';
import type { InteractionEventRow, InteractionRow } from '../store/schema.js';

/** How a caller a previous run left waiting goes back in line. */
export interface WaitingCallerTakeover {
  channelId: string;
  queueId: string;
  enqueuedAt: number;
  priority?: number;
  skills?: SkillMap;
}

/**
 * Whether a new run can take over a call a previous run left open, and how: only an inbound caller who was
 * answered and waiting in a queue (never connected, no callback asked for) and whose channel is still up.
 * Anywhere else (an IVR step, a conversation) the call cannot be picked up mid-step. The queue, priority
 * and skills are those of the last `acd.enqueued` entry (an overflow moves the caller on).
 */
export function waitingCallerTakeover(
  row: InteractionRow,
  timeline: readonly InteractionEventRow[],
  liveChannels: ReadonlySet<string>,
): WaitingCallerTakeover | undefined {
  if (row.direction !== 'inbound' || !row.channel_id || !liveChannels.has(row.channel_id)) return undefined;
  if (!row.queue_id || row.enqueued_at === null || row.connected_at !== null) return undefined;
  if (timeline.some((e) => e.type === 'acd.callback' || e.type === 'acd.connected')) return undefined;
  const enqueued = timeline.findLast((e) => e.type === 'acd.enqueued');
  const last = enqueued
    ? (JSON.parse(enqueued.payload) as { queueId?: string; basePriority?: number; skills?: SkillMap })
    : {};
  return {
    channelId: row.channel_id,
    queueId: last.queueId ?? row.queue_id,
    enqueuedAt: row.enqueued_at,
    ...(last.basePriority !== undefined ? { priority: last.basePriority } : {}),
    ...(last.skills ? { skills: last.skills } : {}),
  };
}
