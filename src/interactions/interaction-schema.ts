import { type TSchema, Type } from '@sinclair/typebox';

/**
 * An interaction's fields as the API (GET /api/interactions) and the webhooks' bodies both give them: one
 * set of names, types and descriptions, so a CRM reading a webhook and one reading the API read the same.
 * Each adds what only it has (the API: the channel, the IVR path, the recording's file; a webhook: whether
 * a recording is kept).
 */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Instant = (description: string) =>
  Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description });

export const InteractionDirection = Type.Union(
  [Type.Literal('inbound'), Type.Literal('outbound'), Type.Literal('callback'), Type.Literal('voicemail')],
  {
    description:
      'inbound, outbound, callback (a callback’s conversation, its parent the call that asked; or, with no parent and closed as callback-requested, one asked for outside any call: POST /api/callbacks) or voicemail',
  },
);

export const InteractionFields = {
  id: Type.String(),
  direction: InteractionDirection,
  state: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  parentId: Nullable(
    Type.String({
      description: 'The interaction this one continues, e.g. the call that asked for a callback',
    }),
  ),
  callerNumber: Nullable(
    Type.String({ description: 'In the numbering plan’s form (E.164 with `numbering`)' }),
  ),
  callerName: Nullable(Type.String()),
  dialedNumber: Nullable(Type.String()),
  trunk: Nullable(Type.String()),
  startedAt: Type.String({ format: 'date-time' }),
  answeredAt: Instant('When the service answered the call'),
  enqueuedAt: Instant('When it first entered a queue'),
  connectedAt: Instant('When an agent first took it'),
  endedAt: Instant('When it ended; null while open'),
  queueId: Nullable(Type.String()),
  agentId: Nullable(Type.String({ description: 'The agent who took it last' })),
  waitSeconds: Nullable(Type.Number()),
  talkSeconds: Nullable(Type.Number()),
  holdSeconds: Nullable(Type.Number()),
  wrapSeconds: Nullable(Type.Number()),
  disposition: Nullable(Type.String()),
  abandoned: Type.Boolean(),
  endedBy: Nullable(Type.String()),
  hangupCause: Nullable(Type.String()),
  csat: Nullable(Type.Integer({ minimum: 1, maximum: 5, description: 'The caller’s survey score' })),
  wrapUpCode: Nullable(Type.String({ description: "The agent's disposition code from wrap-up" })),
  notes: Nullable(Type.String()),
  callerData: Type.Record(Type.String(), Type.Unknown(), { description: 'What the caller gave in the IVR' }),
};
