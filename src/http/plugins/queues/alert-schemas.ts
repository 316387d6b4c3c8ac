import { Type } from '@sinclair/typebox';

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
});
