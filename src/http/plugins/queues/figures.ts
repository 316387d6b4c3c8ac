/**
 * A queue's live figures (GET /api/queues/:id/stats, and the wall display's board): since midnight in the
 * site's time zone, derived from the interaction log, so they survive restarts and queue reloads.
 */
import { type Static, Type } from '@sinclair/typebox';
import { ahtOf, computeQueueStats, type InteractionRecord } from '../../../acd/index.js';
import { aimOf, LIVE_WINDOW_MS, staffingNow } from '../../../acd/staffing.js';
import type { AcdRuntime } from '../../../calls/acd/acd-runtime.js';
import type { QueueAdmin } from '../../../calls/acd/queue-admin.js';
import { alertDto, type QueueAlertWatch } from '../../../calls/acd/queue-alert-watch.js';
import { ApiError } from '../../errors.js';
import { QueueAlertBody } from './alert-schemas.js';

export const QueueStatsBody = Type.Object({
  queueId: Type.String(),
  waiting: Type.Integer(),
  callbacksWaiting: Type.Integer({
    description: 'Callback requests due, being attempted or waiting between attempts',
  }),
  callbacksScheduled: Type.Integer({ description: 'Callbacks scheduled for a later time not come yet' }),
  longestWaitSeconds: Type.Number(),
  agents: Type.Object({
    loggedIn: Type.Integer(),
    byState: Type.Record(Type.String(), Type.Integer()),
    notReadyByReason: Type.Record(Type.String(), Type.Integer()),
  }),
  offered: Type.Integer(),
  answered: Type.Integer(),
  abandoned: Type.Integer(),
  serviceLevelPercent: Type.Union([Type.Number(), Type.Null()]),
  serviceLevelSeconds: Type.Integer({
    description: "The queue's service-level threshold: a caller waiting longer is outside it",
  }),
  serviceLevelTargetPercent: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The service level the queue aims for (80 for "80/20"); null when it has none',
  }),
  asaSeconds: Type.Union([Type.Number(), Type.Null()]),
  ahtSeconds: Type.Union([Type.Number(), Type.Null()]),
  abandonRatePercent: Type.Union([Type.Number(), Type.Null()]),
  flowedOut: Type.Integer({
    description:
      'Calls that left this queue unanswered for another destination (overflow, exit key, no agents)',
  }),
  alerts: Type.Array(QueueAlertBody, { description: "The queue's alerts standing now (its `alerts` rules)" }),
  staffingNow: Type.Object(
    {
      callsLastHalfHour: Type.Integer({ description: 'Calls that entered the queue in the last 30 minutes' }),
      agentsNeeded: Type.Union([Type.Integer(), Type.Null()], {
        description:
          "Agents Erlang C asks for at that rate with today's AHT to meet the queue's aim (80 % without one); null: calls but no AHT yet, or more than Erlang C counts to (then agentsNeededOver)",
      }),
      agentsNeededOver: Type.Optional(
        Type.Integer({
          description:
            'Present when the need is past what Erlang C counts to: more than this many agents (check the calls and handle time)',
        }),
      ),
      agentsStaffed: Type.Integer({ description: 'Members free, on calls or in wrap-up now' }),
    },
    { description: 'The need now against who is there (see GET /api/reports/staffing for a whole day)' },
  ),
});
export type QueueStats = Static<typeof QueueStatsBody>;

export interface QueueFiguresSources {
  acd: AcdRuntime;
  admin: Pick<QueueAdmin, 'get'>;
  alerts?: Pick<QueueAlertWatch, 'active'> | undefined;
  /** The queue's interaction records since a time (the interaction log's, as it stands now). */
  records: (queueId: string, since: number) => Promise<InteractionRecord[]>;
}

/** The queue's figures now; 404 QUEUE_NOT_FOUND for a queue not defined. */
export const queueFigures =
  ({ acd, admin, alerts, records: recordsSince }: QueueFiguresSources) =>
  async (queueId: string): Promise<QueueStats> => {
    const queue = admin.get(queueId);
    if (!queue) throw new ApiError(404, 'QUEUE_NOT_FOUND', `no queue with id ${queueId}`);
    const since = acd.today();
    const now = acd.now();
    // From midnight for the day's figures (computeQueueStats keeps to `since`), or the last half hour if
    // midnight is nearer: the need now counts the calls of that whole half hour.
    const records = await recordsSince(queueId, Math.min(since, now - LIVE_WINDOW_MS));
    const figures = computeQueueStats({
      queueId,
      serviceLevelSeconds: queue.serviceLevelSeconds,
      serviceLevelTargetPercent: queue.serviceLevelTargetPercent,
      records,
      entries: acd.router.waiting(now, queueId),
      memberSeats: acd.router.memberIds(queueId).flatMap((id) => acd.router.seat(id) ?? []),
      now,
      since,
    });
    const ours = records.filter((r) => r.queueId === queueId);
    return {
      ...figures,
      alerts: (alerts?.active(queueId) ?? []).map(alertDto),
      staffingNow: staffingNow({
        enqueuedAt: ours.map((r) => r.enqueuedAt),
        now,
        // Today's AHT; just after midnight, with none yet, the last half hour's before it.
        handleSeconds: figures.ahtSeconds ?? ahtOf(ours),
        aim: aimOf(queue),
        byState: figures.agents.byState,
      }),
    };
  };
