import { Type } from '@sinclair/typebox';
import { rangeQueryFields } from '../../dates.js';
import { takenOnBody } from '../../../interactions/events.js';
import { SupervisorRefBody } from '../supervisors/index.js';

/** A queue alert standing now: in the queue's figures, and (with its state) on the live stream. */
export const QueueAlertBody = Type.Object({
  queueId: Type.String({ minLength: 1 }),
  kind: Type.Union(
    [
      Type.Literal('long_wait'),
      Type.Literal('many_waiting'),
      Type.Literal('unstaffed'),
      Type.Literal('below_service_level'),
    ],
    {
      description:
        "long_wait: a caller waited past `alerts.waitSeconds`; many_waiting: `alerts.waitingCallers` or more wait; unstaffed: callers wait and no member can take them; below_service_level: today's service level is below the target",
    },
  ),
  since: Type.String({ format: 'date-time', description: 'When the condition began to hold' }),
  value: Type.Number({ description: 'What was measured when it was raised (seconds, callers, %)' }),
  threshold: Type.Number({ description: "The limit from the queue's `alerts` (or its target %)" }),
  message: Type.String(),
  acknowledged: Type.Optional(
    takenOnBody(
      'A supervisor took it on (POST /api/queues/:id/alerts/:kind/acknowledge): when, and who (absent on the supervisor token)',
    ),
  ),
});

/** An alert on record: when it was raised and cleared (null while it stands). */
export const QueueAlertRecordBody = Type.Object({
  queueId: Type.String(),
  kind: QueueAlertBody.properties.kind,
  raisedAt: Type.String({ format: 'date-time' }),
  clearedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'null while it stands',
  }),
  durationSeconds: Type.Number({ description: 'How long it stood (so far, while it stands)' }),
  value: Type.Number(),
  threshold: Type.Number(),
  message: Type.String(),
  acknowledgedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When a supervisor took it on; null: nobody did',
  }),
  acknowledgedBy: Type.Union([SupervisorRefBody, Type.Null()], {
    description: 'Who took it on; null on the supervisor token, or nobody',
  }),
});

export const QueueAlertListQuery = Type.Object({
  ...rangeQueryFields({ from: 'Alerts standing', to: 'Alerts raised' }),
  queueId: Type.Optional(Type.String({ minLength: 1 })),
  format: Type.Union([Type.Literal('json'), Type.Literal('csv')], {
    default: 'json',
    description:
      'csv: the same alerts as a spreadsheet file, one line each (acknowledgedBy: the name, acknowledgedById: the id)',
  }),
});
