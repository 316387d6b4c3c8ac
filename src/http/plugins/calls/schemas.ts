import { Type } from '@sinclair/typebox';
import { CallbackRequestBody } from '../callbacks/schemas.js';
import { CallerFlagBody } from '../caller-flags/schemas.js';
import { DoNotCallBody } from '../do-not-call/schemas.js';
import { InteractionBody } from '../interactions/schemas.js';
import { CallbackRequester, TRANSFER_NOTE_MAX } from '../../../interactions/events.js';

export const CallParams = Type.Object({ interactionId: Type.String({ minLength: 1 }) });
export const ContactParams = Type.Object({ number: Type.String({ minLength: 1, maxLength: 32 }) });

export const TransferBody = Type.Object(
  {
    type: Type.Union([Type.Literal('agent'), Type.Literal('queue'), Type.Literal('number')]),
    agentId: Type.Optional(Type.String({ minLength: 1 })),
    queueId: Type.Optional(Type.String({ minLength: 1 })),
    number: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    note: Type.Optional(
      Type.String({
        maxLength: TRANSFER_NOTE_MAX,
        description:
          "For whoever takes the call next (on their caller's card as it rings), e.g. what the caller wants",
      }),
    ),
  },
  { additionalProperties: false },
);

export const TransferTargetsReply = Type.Object({
  agents: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), state: Type.String() })),
  queues: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
});

export const ContactBody = Type.Object({
  number: Type.String(),
  name: Type.String(),
  notes: Type.Union([Type.String(), Type.Null()]),
});

const SeatInteraction = Type.Intersect([
  InteractionBody,
  Type.Object({
    wrapUpCode: Type.Union([Type.String(), Type.Null()]),
    agentName: Type.Union([Type.String(), Type.Null()], {
      description: "The name of the interaction's agent (agentId), as the agent's page shows them",
    }),
  }),
]);

/** A flag on the caller waiting for a supervisor, with the flagging agent's name. */
const PopFlag = Type.Object({ ...CallerFlagBody.properties, agentName: Type.String() });

export const ScreenPopReply = Type.Object({
  interaction: SeatInteraction,
  contact: Type.Union([ContactBody, Type.Null()]),
  recent: Type.Array(SeatInteraction),
  callbacks: Type.Array(CallbackRequestBody, {
    description:
      'Callbacks open for this number (booked for later, due, or between attempts): the customer got through meanwhile, so the agent may cancel one',
  }),
  flags: Type.Array(PopFlag, {
    description:
      "Agents' flags on this number waiting for a supervisor to block it (abusive, spam, a prank), this call's own too: the agent is warned",
  }),
  request: Type.Union(
    [
      Type.Object({
        by: Type.Optional(CallbackRequester),
        note: Type.Optional(Type.String()),
        script: Type.Optional(
          Type.String({
            description: "An outbound campaign's call: what its agents say (the campaign's script)",
          }),
        ),
      }),
      Type.Null(),
    ],
    {
      description:
        'The callback request this call carries out (its preview ringing the agent, or the conversation): who asked (an agent, a supervisor, the queue, an outbound campaign) and what for',
    },
  ),
  crmLink: Type.Union(
    [
      Type.Object({
        url: Type.String({
          description: "The CRM page of this caller, the call's values in it (config `crmLink`)",
        }),
        label: Type.String(),
      }),
      Type.Null(),
    ],
    { description: "A link to the caller in the company's CRM; null when none is configured" },
  ),
  handoff: Type.Union(
    [
      Type.Object({
        agentId: Type.String(),
        agentName: Type.String(),
        kind: Type.Union([Type.Literal('blind'), Type.Literal('consult')]),
        note: Type.Optional(Type.String()),
        at: Type.String({ format: 'date-time' }),
      }),
      Type.Null(),
    ],
    {
      description:
        "The call's last transfer: the agent who passed it on, and their note for whoever takes it next",
    },
  ),
  doNotCall: Type.Union(
    [
      Type.Composite([
        DoNotCallBody,
        Type.Object({ text: Type.String({ description: 'Who noted it and when, in words' }) }),
      ]),
      Type.Null(),
    ],
    {
      description:
        'The customer asked not to be called (the do-not-call list): the agent may talk to them now, but not call them back',
    },
  ),
});

export const WrapUpBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 32 }),
    notes: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

export const WrapUpCodesReply = Type.Array(Type.Object({ code: Type.String(), label: Type.String() }));

export const StatsReply = Type.Object({
  since: Type.String({ format: 'date-time' }),
  handled: Type.Integer(),
  averageHandleSeconds: Type.Union([Type.Number(), Type.Null()]),
  averageTalkSeconds: Type.Union([Type.Number(), Type.Null()]),
  holdSeconds: Type.Number(),
  secondsInState: Type.Record(Type.String(), Type.Number()),
});

export const OutboundBody = Type.Object(
  {
    number: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'The customer number, e.g. +15551230000',
    }),
    agentId: Type.Optional(
      Type.String({ minLength: 1, description: 'Supervisors only: the agent placing it' }),
    ),
  },
  { additionalProperties: false },
);

export const PartyBody = Type.Object(
  {
    type: Type.Union([Type.Literal('agent'), Type.Literal('number')]),
    agentId: Type.Optional(Type.String({ minLength: 1 })),
    number: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);

export const PartiesReply = Type.Array(
  Type.Object({ channelId: Type.String(), type: Type.String(), id: Type.String(), state: Type.String() }),
);

export const RecordingReply = Type.Object(
  {
    recording: Type.Boolean({ description: 'Whether the conversation is being recorded' }),
    paused: Type.Boolean({ description: 'Paused: silence is recorded until it is resumed' }),
    pausedBy: Type.Optional(Type.String({ description: 'The agent it was paused for' })),
    pausedAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const ConsultReply = Type.Object(
  {
    consult: Type.Union([
      Type.Null(),
      Type.Object({
        target: Type.String({ description: 'The agent id or number being consulted' }),
        state: Type.Union([Type.Literal('dialing'), Type.Literal('connected')]),
      }),
    ]),
  },
  { description: 'The consultation under way on the call (the caller on hold), or null' },
);
