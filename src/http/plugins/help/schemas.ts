import { type Static, Type } from '@sinclair/typebox';
import { rangeQueryFields } from '../../dates.js';
import { supervisorRef } from '../../../interactions/events.js';
import { HELP_NOTE_MAX, HelpEndReasonSchema } from '../../../supervision/help-requests.js';

const Instant = Type.String({ format: 'date-time' });

/** An agent's request for a supervisor's help, as the API, the live stream and the snapshot show it. */
export const HelpRequestBody = Type.Object({
  id: Type.String(),
  agentId: Type.String(),
  interactionId: Type.Union([Type.String(), Type.Null()], {
    description: 'The call the agent was on when asking; null: between calls',
  }),
  note: Type.Union([Type.String(), Type.Null()], { description: 'What the agent said they need' }),
  askedAt: Instant,
  taken: Type.Union(
    [
      Type.Object({
        at: Instant,
        by: Type.Optional(supervisorRef('Who is on it (absent: on the supervisor token)')),
      }),
      Type.Null(),
    ],
    { description: 'A supervisor took it on; null: still waiting for one' },
  ),
  unansweredAt: Type.Optional(
    Type.String({
      format: 'date-time',
      description:
        "When nobody had taken it on within the site's helpUnansweredSeconds (said once); absent otherwise",
    }),
  ),
  ended: Type.Optional(
    Type.Object(
      {
        at: Instant,
        reason: Type.Union(HelpEndReasonSchema.anyOf, {
          description:
            'withdrawn by the agent, resolved by a supervisor, the agent logged out, or the service stopped while it stood and the agent was gone after',
        }),
        by: Type.Optional(supervisorRef('The supervisor who saw to it (resolved)')),
      },
      { description: 'Absent while it stands' },
    ),
  ),
});
export type HelpRequestDto = Static<typeof HelpRequestBody>;

export const AskHelpBody = Type.Object(
  {
    note: Type.Optional(
      Type.String({
        maxLength: HELP_NOTE_MAX,
        description: 'What the agent needs, in a few words (a refund over my limit, abusive caller)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const HelpListBody = Type.Object({
  items: Type.Array(HelpRequestBody, { description: 'Open requests, the longest waiting first' }),
});

export const HelpHistoryQuery = Type.Object({
  ...rangeQueryFields({ from: 'Asked', to: 'Asked' }),
  agentId: Type.Optional(Type.String({ minLength: 1 })),
});
