import { type Static, type TObject, type TProperties, Type } from '@sinclair/typebox';

/**
 * Every entry of an interaction's timeline, one schema each. The same schemas validate what the store
 * writes, type the code that writes it, and document GET /api/interactions/:id.
 */
const event = <T extends string, P extends TProperties>(type: T, payload: P, description: string) =>
  Type.Object(
    { type: Type.Literal(type), payload: Type.Object(payload, { additionalProperties: false }) },
    { description },
  );

const EndedBy = Type.Union([
  Type.Literal('caller'),
  Type.Literal('system'),
  Type.Literal('agent'),
  Type.Literal('asterisk'),
]);

export const InteractionEventSchemas = {
  opened: event(
    'interaction.opened',
    {
      direction: Type.String(),
      channelId: Type.Optional(Type.String()),
      trunk: Type.Optional(Type.String()),
      callerNumber: Type.Optional(Type.String()),
      callerName: Type.Optional(Type.String()),
      dialedNumber: Type.Optional(Type.String()),
    },
    'A contact began: a call arrived on a trunk, or an outbound call or callback was started.',
  ),
  answered: event('call.answered', { channelId: Type.String() }, 'The service answered the call.'),
  promptStarted: event(
    'ivr.prompt.started',
    { media: Type.Array(Type.String()), playbackId: Type.String() },
    'A prompt began playing to the caller.',
  ),
  promptFinished: event(
    'ivr.prompt.finished',
    {
      media: Type.Array(Type.String()),
      playbackId: Type.String(),
      outcome: Type.Union([Type.Literal('done'), Type.Literal('interrupted'), Type.Literal('failed')]),
    },
    'A prompt ended: played to the end, cut short by the caller hanging up, or failed.',
  ),
  hangup: event(
    'call.hangup',
    {
      channelId: Type.String(),
      by: EndedBy,
      cause: Type.Optional(Type.Integer()),
      causeText: Type.Optional(Type.String()),
    },
    'A leg of the call hung up, and who hung it up.',
  ),
  closed: event(
    'interaction.closed',
    {
      disposition: Type.String(),
      endedBy: EndedBy,
      durationSeconds: Type.Number(),
    },
    'The contact is over; its figures are final.',
  ),
  lost: event(
    'interaction.lost',
    { reason: Type.String() },
    'The service found the call gone without seeing it end (Asterisk restarted, or the service did).',
  ),
  error: event(
    'call.error',
    { operation: Type.String(), code: Type.String(), message: Type.String() },
    'A call-control step failed; what the service did about it follows in the timeline.',
  ),
} satisfies Record<string, TObject>;

export const InteractionEventSchema = Type.Union(Object.values(InteractionEventSchemas));
export type InteractionEvent = Static<typeof InteractionEventSchema>;
export type InteractionEventType = InteractionEvent['type'];
export type EndedBy = Static<typeof EndedBy>;

export type Disposition =
  | 'completed' // the service finished with the caller and hung up
  | 'caller-hangup' // the caller hung up before the service was done
  | 'abandoned' // the caller hung up while waiting for an agent
  | 'handled' // an agent talked to the caller
  | 'rejected' // refused before it began
  | 'lost' // gone without a hang-up being seen
  | 'failed'; // the service could not carry the call
