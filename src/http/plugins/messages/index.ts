import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AgentDefinition } from '../../../agents/schema.js';
import type { EventHub } from '../../../events/event-hub.js';
import type { AgentMessageLog } from '../../../store/agent-message-log.js';
import {
  type AgentMessage,
  DEFAULT_MESSAGE_MINUTES,
  messageReaches,
} from '../../../supervision/agent-messages.js';
import { type ApiAuth, supervisorOf } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import {
  type AgentMessageDto,
  AgentMessageBody,
  MessageListBody,
  MessageParams,
  MessageReadBody,
  MessageReplyBody,
  SendMessageBody,
  SendReplyBody,
} from './schemas.js';

export interface MessagesPluginOptions {
  auth: ApiAuth;
  hub: EventHub;
  messages: Pick<AgentMessageLog, 'sent' | 'withdraw' | 'live' | 'read' | 'reply'>;
  agents: () => AgentDefinition[];
  /** An agent's queues now (supervisors change memberships over the API). */
  queuesOf: (agentId: string) => readonly string[];
  /** A queue's members now (how many agents a queue's message is for). */
  membersOf: (queueId: string) => readonly string[];
  queueExists: (queueId: string) => boolean;
  now: () => number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A message as shown: `reaches` agents now; `readBy` those who took it in and `replies` what agents answered
 * (default: all on record; an agent is shown only their own).
 */
export function messageDto(message: AgentMessage, reaches: number, onlyAgent?: string): AgentMessageDto {
  const theirs = <T extends { agentId: string }>(list: readonly T[] = []) =>
    onlyAgent === undefined ? list : list.filter((x) => x.agentId === onlyAgent);
  return {
    id: message.id,
    text: message.text,
    to: message.to,
    sentAt: iso(message.sentAt),
    expiresAt: iso(message.expiresAt),
    from: message.from ?? null,
    reaches,
    readBy: theirs(message.readBy).map((r) => ({ agentId: r.agentId, at: iso(r.at) })),
    replies: theirs(message.replies).map((r) => ({ agentId: r.agentId, text: r.text, at: iso(r.at) })),
  };
}

/** Supervisors' messages to agents: sent, listed (an agent sees those for them), withdrawn. */
export const messagesPlugin: FastifyPluginAsyncTypebox<MessagesPluginOptions> = async (app, opts) => {
  const { auth, hub } = opts;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
  const isFor = (message: AgentMessage, agentId: string) =>
    messageReaches(message, { id: agentId, queues: opts.queuesOf(agentId) });
  /** How many agents the message is for now (a queue's: its members now). */
  const reaches = ({ to }: AgentMessage) =>
    to.type === 'all' ? opts.agents().length : to.type === 'agent' ? 1 : opts.membersOf(to.queueId).length;
  /** The message showing now for the agent, or a 404 that says why it may not be. */
  const liveFor = async (messageId: string, agentId: string, now: number) => {
    const message = (await opts.messages.live(now)).find((m) => m.id === messageId && isFor(m, agentId));
    if (!message)
      throw new ApiError(
        404,
        'MESSAGE_NOT_FOUND',
        `no message ${messageId} is showing for ${agentId} (it may have run out or been withdrawn)`,
      );
    return message;
  };
  /** The agent's reading, told on the stream the first time. */
  const toldRead = (
    messageId: string,
    agentId: string,
    read: { at: number; first: boolean },
    log: { info: (o: object, msg: string) => void },
  ) => {
    const body = { messageId, agentId, readAt: iso(read.at) };
    if (read.first) {
      log.info({ messageId, agentId }, 'message taken in by the agent');
      hub.publish('message.read', body);
    }
    return body;
  };

  app.post(
    '/api/messages',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          "Send agents a message (supervisors): every agent, a queue's members or one agent read it on their softphones until it runs out (minutes, default 60) or is withdrawn",
        body: SendMessageBody,
        response: { 201: AgentMessageBody, ...errors },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const { text, to, minutes = DEFAULT_MESSAGE_MINUTES } = request.body;
      if (to.type === 'queue' && !opts.queueExists(to.queueId))
        throw new ApiError(404, 'QUEUE_NOT_FOUND', `no queue with id ${to.queueId}`);
      if (to.type === 'agent' && !opts.agents().some((a) => a.id === to.agentId))
        throw new ApiError(404, 'AGENT_NOT_FOUND', `no agent with id ${to.agentId}`);
      if (text.trim() === '') throw new ApiError(400, 'MESSAGE_EMPTY', 'the message says nothing');
      const sentAt = opts.now();
      const from = supervisorOf(principal);
      const message: AgentMessage = {
        id: randomUUID(),
        text: text.trim(),
        to,
        sentAt,
        expiresAt: sentAt + minutes * 60_000,
        ...(from ? { from } : {}),
      };
      await opts.messages.sent(message);
      request.log.info(
        { messageId: message.id, to, supervisorId: from?.id ?? null },
        'message sent to agents',
      );
      const dto = messageDto(message, reaches(message));
      hub.publish('message.sent', { message: dto });
      return reply.code(201).send(dto);
    },
  );

  app.get(
    '/api/messages',
    {
      schema: {
        tags: ['supervisors'],
        summary: 'Messages to agents showing now (supervisors: all; an agent: those for them)',
        response: { 200: MessageListBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      const live = await opts.messages.live(opts.now());
      if (principal.role !== 'agent') return { items: live.map((m) => messageDto(m, reaches(m))) };
      // An agent: the messages for them, whether they took each in and what they replied (not others').
      const { agentId } = principal;
      const me = { id: agentId, queues: opts.queuesOf(agentId) };
      return {
        items: live.filter((m) => messageReaches(m, me)).map((m) => messageDto(m, reaches(m), agentId)),
      };
    },
  );

  app.delete(
    '/api/messages/:id',
    {
      schema: {
        tags: ['supervisors'],
        summary: 'Withdraw a message: it stops showing on every softphone (supervisors)',
        params: MessageParams,
        response: { 200: AgentMessageBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const message = await opts.messages.withdraw(request.params.id, opts.now(), supervisorOf(principal));
      if (!message)
        throw new ApiError(
          404,
          'MESSAGE_NOT_FOUND',
          `no message ${request.params.id} is showing (it may have run out or been withdrawn)`,
        );
      hub.publish('message.withdrawn', { messageId: message.id, to: message.to });
      return messageDto(message, reaches(message));
    },
  );

  app.post(
    '/api/messages/:id/read',
    {
      schema: {
        tags: ['agents'],
        summary:
          'The agent took the message in ("Got it"): it stops showing on their softphones, and supervisors see who has read it (the agent it is for; again: the first time stands)',
        params: MessageParams,
        response: { 200: MessageReadBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      if (principal.role !== 'agent')
        throw new ApiError(403, 'FORBIDDEN', 'only an agent a message is for takes it in');
      const { agentId } = principal;
      const now = opts.now();
      const message = await liveFor(request.params.id, agentId, now);
      const read = await opts.messages.read(message.id, agentId, now);
      return toldRead(message.id, agentId, read, request.log);
    },
  );

  app.post(
    '/api/messages/:id/replies',
    {
      schema: {
        tags: ['agents'],
        summary:
          'The agent answers a message ("I can stay until 7"): the supervisors see it under the message. It takes the message in, as "Got it" does (the agent it is for; each reply is kept)',
        params: MessageParams,
        body: SendReplyBody,
        response: { 201: MessageReplyBody, ...errors },
      },
    },
    async (request, reply) => {
      const principal = auth.signedIn(request);
      if (principal.role !== 'agent')
        throw new ApiError(403, 'FORBIDDEN', 'only an agent a message is for replies to it');
      const { agentId } = principal;
      const text = request.body.text.trim();
      if (text === '') throw new ApiError(400, 'REPLY_EMPTY', 'the reply says nothing');
      const at = opts.now();
      const message = await liveFor(request.params.id, agentId, at);
      const { read } = await opts.messages.reply(message.id, { agentId, text, at });
      const body = { messageId: message.id, agentId, text, at: iso(at) };
      request.log.info({ messageId: message.id, agentId }, 'agent replied to a message');
      toldRead(message.id, agentId, read, request.log);
      hub.publish('message.replied', body);
      return reply.code(201).send(body);
    },
  );
};
