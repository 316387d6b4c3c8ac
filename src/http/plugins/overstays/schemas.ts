import { type Static, Type } from '@sinclair/typebox';
import { takenOnBody } from '../../../interactions/events.js';
import { rangeQueryFields } from '../../dates.js';

const Instant = Type.String({ format: 'date-time' });

/** A not ready past its reason's limit, as the API and the live stream show it. */
export const OverstayBody = Type.Object({
  id: Type.String(),
  agentId: Type.String(),
  reason: Type.String({ description: 'The not-ready reason code, e.g. break' }),
  limitMinutes: Type.Integer({
    minimum: 1,
    description: "The reason's limit (maxMinutes) when the not ready began",
  }),
  since: Type.String({ format: 'date-time', description: 'When the not ready began' }),
  dueAt: Type.String({ format: 'date-time', description: 'When the agent was due back: the overstay began' }),
  overSeconds: Type.Integer({
    minimum: 0,
    description: 'How far over the limit: so far while it stands, in all once it ended',
  }),
  acknowledged: Type.Optional(takenOnBody('A supervisor took it on ("I\'m on it"); absent while nobody has')),
  ended: Type.Optional(
    Type.Object(
      {
        at: Instant,
        to: Type.String({
          description:
            'The state the agent went to (available, not_ready for another reason, logged_out, …), or service_restarted: the service was away when it ended',
        }),
      },
      { description: 'Absent while it stands' },
    ),
  ),
});
export type OverstayDto = Static<typeof OverstayBody>;

export const OverstayListBody = Type.Object({
  items: Type.Array(OverstayBody, { description: 'Overstays standing now, the longest over first' }),
});

export const OverstayAgentParams = Type.Object({ agentId: Type.String({ minLength: 1 }) });

export const OverstayHistoryQuery = Type.Object({
  ...rangeQueryFields({ from: 'Came due', to: 'Came due' }),
  agentId: Type.Optional(Type.String({ minLength: 1 })),
});

export const OverstayHistoryBody = Type.Object({
  items: Type.Array(OverstayBody, { description: 'Overstays that came due in the range, oldest first' }),
  totals: Type.Array(
    Type.Object({
      agentId: Type.String(),
      count: Type.Integer({ minimum: 0 }),
      overSeconds: Type.Integer({ minimum: 0, description: 'Time over the limits in all' }),
      longestSeconds: Type.Integer({ minimum: 0 }),
    }),
    {
      description:
        'Per agent over the whole range (not only the items listed), the most time over first: a standing overstay counts up to now',
    },
  ),
});
