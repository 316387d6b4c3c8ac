import type { AgentSeat, AgentStateType } from '../agents/seat.js';
import { AGENT_STATE_TYPES } from '../agents/seat.js';
import { scheduledForLater, type WaitingEntry } from './entries.js';
import type { QueueRouter } from './router.js';

/** Minimal record of one queued interaction, as the store would keep it. */
export interface InteractionRecord {
  queueId: string;
  enqueuedAt: number;
  answeredAt?: number;
  endedAt?: number;
  abandoned: boolean;
  /** Left this queue unanswered for somewhere else (overflow, exit key, no agents, queue full). */
  flowedOut?: boolean;
  talkSeconds: number;
  wrapSeconds: number;
}

export interface AgentStateCounts {
  loggedIn: number;
  byState: Record<AgentStateType, number>;
  /** Not-ready agents per reason code, e.g. { lunch: 2, missed: 1 }. */
  notReadyByReason: Record<string, number>;
}

export interface QueueStats {
  queueId: string;
  /** Callers waiting now (callbacks counted separately). */
  waiting: number;
  /** Callback requests due (or being attempted, or waiting between attempts). */
  callbacksWaiting: number;
  /** Callbacks scheduled for a later time that has not come yet. */
  callbacksScheduled: number;
  longestWaitSeconds: number;
  agents: AgentStateCounts;
  /** Records in the window that were answered, abandoned, or are still open. */
  offered: number;
  answered: number;
  /** Answered within serviceLevelSeconds of entering the queue. */
  answeredWithinServiceLevel: number;
  abandoned: number;
  /** Left this queue unanswered for another destination (overflow, exit key, no agents). */
  flowedOut: number;
  /**
   * % answered within serviceLevelSeconds of the calls that finished here (answered + abandoned + flowed
   * out: a call sent elsewhere was not answered in time in this queue); null with none.
   */
  serviceLevelPercent: number | null;
  /** The queue's threshold (a caller waiting longer is already outside the service level) and target. */
  serviceLevelSeconds: number;
  serviceLevelTargetPercent: number | null;
  /** Average speed of answer (seconds), over answered calls. */
  asaSeconds: number | null;
  /** Average handle time = talk + wrap (seconds), over answered calls that have ended. */
  ahtSeconds: number | null;
  /** % abandoned of (answered + abandoned). */
  abandonRatePercent: number | null;
}

export interface QueueStatsInput {
  queueId: string;
  serviceLevelSeconds: number;
  serviceLevelTargetPercent?: number;
  records: readonly InteractionRecord[];
  /** Current line (any queues; filtered by queueId). */
  entries: readonly WaitingEntry[];
  /** Seats of the queue's members. */
  memberSeats: readonly AgentSeat[];
  now: number;
  /** Only records enqueued at or after this instant count (e.g. start of day); default all. */
  since?: number;
  /** Abandons quicker than this are ignored for SL and abandon rate (caller hung up at once). Default 0. */
  shortAbandonSeconds?: number;
}

const mean = (values: number[]): number | null =>
  values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;

const percent = (part: number, whole: number): number | null => (whole === 0 ? null : (part / whole) * 100);

/** Average handle time (talk and wrap-up, seconds) of the answered calls among `records` that have ended. */
export const ahtOf = (records: readonly InteractionRecord[]): number | null =>
  mean(
    records
      .filter((r) => r.answeredAt !== undefined && r.endedAt !== undefined)
      .map((r) => r.talkSeconds + r.wrapSeconds),
  );

export function countAgentStates(seats: readonly AgentSeat[]): AgentStateCounts {
  const byState = Object.fromEntries(AGENT_STATE_TYPES.map((s) => [s, 0])) as Record<AgentStateType, number>;
  const notReadyByReason: Record<string, number> = {};
  for (const seat of seats) {
    byState[seat.state.type] += 1;
    if (seat.state.type === 'not_ready') {
      notReadyByReason[seat.state.reason] = (notReadyByReason[seat.state.reason] ?? 0) + 1;
    }
  }
  return { loggedIn: seats.length - byState.logged_out, byState, notReadyByReason };
}

/** Live statistics for one queue from interaction records plus the router's current entries and seats. */
export function computeQueueStats(input: QueueStatsInput): QueueStats {
  const since = input.since ?? Number.NEGATIVE_INFINITY;
  const shortAbandonMs = (input.shortAbandonSeconds ?? 0) * 1000;
  const records = input.records.filter((r) => r.queueId === input.queueId && r.enqueuedAt >= since);
  const answered = records.filter((r) => r.answeredAt !== undefined);
  const abandoned = records.filter(
    (r) =>
      r.abandoned && r.answeredAt === undefined && (r.endedAt ?? input.now) - r.enqueuedAt >= shortAbandonMs,
  );
  const flowedOut = records.filter((r) => r.flowedOut && r.answeredAt === undefined);
  const finished = answered.length + abandoned.length + flowedOut.length;
  const slMs = input.serviceLevelSeconds * 1000;
  const withinSl = answered.filter((r) => (r.answeredAt as number) - r.enqueuedAt <= slMs).length;
  const callers = input.entries.filter((e) => e.queueId === input.queueId && e.kind === 'caller');
  const oldest = callers.reduce((min, e) => Math.min(min, e.enqueuedAt), input.now);
  return {
    queueId: input.queueId,
    waiting: callers.length,
    callbacksWaiting: input.entries.filter(
      (e) => e.queueId === input.queueId && e.kind === 'callback' && !scheduledForLater(e),
    ).length,
    callbacksScheduled: input.entries.filter((e) => e.queueId === input.queueId && scheduledForLater(e))
      .length,
    longestWaitSeconds: Math.max(0, (input.now - oldest) / 1000),
    agents: countAgentStates(input.memberSeats),
    offered: records.length,
    answered: answered.length,
    answeredWithinServiceLevel: withinSl,
    abandoned: abandoned.length,
    flowedOut: flowedOut.length,
    serviceLevelPercent: percent(withinSl, finished),
    serviceLevelSeconds: input.serviceLevelSeconds,
    serviceLevelTargetPercent: input.serviceLevelTargetPercent ?? null,
    asaSeconds: mean(answered.map((r) => ((r.answeredAt as number) - r.enqueuedAt) / 1000)),
    ahtSeconds: ahtOf(answered),
    abandonRatePercent: percent(abandoned.length, answered.length + abandoned.length),
  };
}

/** Stats for every queue of a router, from its current state plus interaction records. */
export function computeRouterStats(
  router: QueueRouter,
  records: readonly InteractionRecord[],
  now: number,
  options: { since?: number; shortAbandonSeconds?: number } = {},
): QueueStats[] {
  const state = router.snapshot();
  return router.queueIds().map((queueId) =>
    computeQueueStats({
      queueId,
      serviceLevelSeconds: router.queue(queueId)?.serviceLevelSeconds ?? 20,
      serviceLevelTargetPercent: router.queue(queueId)?.serviceLevelTargetPercent,
      records,
      entries: state.entries,
      memberSeats: router.memberIds(queueId).flatMap((id) => (state.seats[id] ? [state.seats[id]] : [])),
      now,
      ...options,
    }),
  );
}
