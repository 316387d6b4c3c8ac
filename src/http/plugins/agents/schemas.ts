import { type Static, Type } from '@sinclair/typebox';

export const AgentParams = Type.Object({ id: Type.String({ minLength: 1 }) });

export const SignInBody = Type.Object(
  { password: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);
export const SignInReply = Type.Object({
  token: Type.String(),
  agentId: Type.String(),
  expiresAt: Type.String({
    format: 'date-time',
    description: 'When the token runs out (http.agentTokenHours after sign-in): sign in again before',
  }),
});

export const NotReadyBody = Type.Object(
  { reason: Type.String({ minLength: 1, description: 'A selectable reason code, e.g. break, lunch' }) },
  { additionalProperties: false },
);
export const ExtendWrapUpBody = Type.Object(
  { seconds: Type.Integer({ minimum: 1, maximum: 3600 }) },
  { additionalProperties: false },
);

export const AgentStateBody = Type.Object({
  type: Type.String({ description: 'logged_out, available, not_ready, offered, talking, on_hold, wrap_up' }),
  reason: Type.Optional(Type.String()),
  interactionId: Type.Optional(Type.String()),
  until: Type.Optional(Type.String({ format: 'date-time' })),
  notReadyAfter: Type.Optional(
    Type.String({
      description: 'The reason the agent asked to go not ready with once this call (and its wrap-up) is over',
    }),
  ),
});

export const AgentBody = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    endpoint: Type.String(),
    skills: Type.Record(Type.String(), Type.Integer()),
    queues: Type.Array(Type.String()),
    state: AgentStateBody,
    stateSince: Type.String({ format: 'date-time' }),
    callsHandledToday: Type.Integer(),
  },
  { description: 'An agent seat with its live state' },
);
export type AgentDto = Static<typeof AgentBody>;

export const ReasonCodesReply = Type.Array(
  Type.Object({
    code: Type.String(),
    label: Type.String(),
    selectable: Type.Boolean(),
    maxMinutes: Type.Optional(
      Type.Integer({
        description: 'How long this not ready should last; past it the pages say how far over',
      }),
    ),
    phoneCode: Type.Optional(
      Type.String({ description: 'Dialled on a desk phone for not ready with this reason, e.g. *542' }),
    ),
  }),
);

export const PhoneCodesReply = Type.Object({
  items: Type.Array(
    Type.Object({
      action: Type.String({ description: 'login, logout, ready, notReady, wrapUpDone, help, withdrawHelp' }),
      code: Type.String({ description: 'What the agent dials, e.g. *51' }),
      does: Type.String(),
    }),
    { description: 'Empty when the codes are turned off (phoneCodes.enabled false)' },
  ),
});
