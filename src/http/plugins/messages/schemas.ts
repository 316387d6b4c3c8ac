import { type Static, Type } from '@sinclair/typebox';
import { supervisorRef } from '../../../interactions/events.js';
import { MESSAGE_REPLY_MAX, MESSAGE_TEXT_MAX } from '../../../supervision/agent-messages.js';

const Instant = Type.String({ format: 'date-time' });

export const MessageTargetBody = Type.Union(
  [
    Type.Object({ type: Type.Literal('all') }, { additionalProperties: false }),
    Type.Object(
      { type: Type.Literal('queue'), queueId: Type.String({ minLength: 1 }) },
      { additionalProperties: false },
    ),
    Type.Object(
      { type: Type.Literal('agent'), agentId: Type.String({ minLength: 1 }) },
      { additionalProperties: false },
    ),
  ],
  { description: "Who sees it: every agent, a queue's members, or one agent" },
);

/** A supervisor's message to agents, as the API, the live stream and the pages show it. */
export const AgentMessageBody = Type.Object({
  id: Type.String(),
  text: Type.String(),
  to: MessageTargetBody,
  sentAt: Instant,
  expiresAt: Type.String({ format: 'date-time', description: 'When it stops showing' }),
  from: Type.Union([supervisorRef('Who sent it'), Type.Null()], {
    description: 'The supervisor who sent it; null on the supervisor token',
  }),
  reaches: Type.Integer({
    minimum: 0,
    description: "How many agents it is for now: every agent, a queue's members, or 1",
  }),
  readBy: Type.Array(Type.Object({ agentId: Type.String(), at: Instant }), {
    description:
      'The agents who took it in ("Got it" on the softphone), the first first; an agent sees only their own',
  }),
  replies: Type.Array(Type.Object({ agentId: Type.String(), text: Type.String(), at: Instant }), {
    description: 'What agents answered, oldest first; an agent sees only their own',
  }),
});
export type AgentMessageDto = Static<typeof AgentMessageBody>;

export const SendMessageBody = Type.Object(
  {
    text: Type.String({
      minLength: 1,
      maxLength: MESSAGE_TEXT_MAX,
      description:
        'What agents read, e.g. "The billing system is down: take a number and promise a callback"',
    }),
    to: MessageTargetBody,
    minutes: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1440, description: 'How long it shows (default 60)' }),
    ),
  },
  { additionalProperties: false },
);

export const MessageParams = Type.Object({ id: Type.String({ minLength: 1 }) });

/** An agent took a message in. */
export const MessageReadBody = Type.Object({
  messageId: Type.String(),
  agentId: Type.String(),
  readAt: Type.String({ format: 'date-time', description: 'The first time the agent took it in' }),
});
/** An agent's reply to a message, as the API and the live stream give it. */
export const MessageReplyBody = Type.Object({
  messageId: Type.String(),
  agentId: Type.String(),
  text: Type.String(),
  at: Instant,
});

export const SendReplyBody = Type.Object(
  {
    text: Type.String({
      minLength: 1,
      maxLength: MESSAGE_REPLY_MAX,
      description: 'What the agent answers, e.g. "I can stay until 7"',
    }),
  },
  { additionalProperties: false },
);

export const MessageListBody = Type.Object({
  items: Type.Array(AgentMessageBody, {
    description: 'Messages showing now, oldest first (an agent: those for them)',
  }),
});
