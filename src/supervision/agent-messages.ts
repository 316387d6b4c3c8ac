/**
 * Supervisors' messages to agents ("the billing system is down: take a number and promise a callback"): to
 * everyone, to a queue's members, or to one agent, shown on their softphones until it runs out or is
 * withdrawn. Pure: messages and the clock in, who sees what out.
 */
import type { SupervisorRef } from '../acd/router-types.js';

export const MESSAGE_TEXT_MAX = 500;
/** A reply is a line or two ("I can stay until 7"), not a letter. */
export const MESSAGE_REPLY_MAX = 300;
/** How long a message shows when the supervisor does not say. */
export const DEFAULT_MESSAGE_MINUTES = 60;

export type MessageTarget =
  | { type: 'all' }
  | { type: 'queue'; queueId: string }
  | { type: 'agent'; agentId: string };

export interface AgentMessage {
  id: string;
  text: string;
  to: MessageTarget;
  sentAt: number;
  expiresAt: number;
  /** The supervisor who sent it; absent on the supervisor token. */
  from?: SupervisorRef;
  withdrawnAt?: number;
  /** The agents who took it in ("Got it"), the first time each, in that order. */
  readBy?: MessageRead[];
  /** What agents answered, oldest first. */
  replies?: MessageReply[];
}

export interface MessageReply {
  agentId: string;
  text: string;
  at: number;
}

export interface MessageRead {
  agentId: string;
  at: number;
}

/** Whether the message is for this agent (a queue's: its members now). */
export function messageReaches(
  message: Pick<AgentMessage, 'to'>,
  agent: { id: string; queues: readonly string[] },
) {
  const to = message.to;
  return (
    to.type === 'all' || (to.type === 'queue' ? agent.queues.includes(to.queueId) : to.agentId === agent.id)
  );
}

/** Still showing at `now`: neither withdrawn nor run out. */
export function isLive(message: Pick<AgentMessage, 'expiresAt' | 'withdrawnAt'>, now: number): boolean {
  return message.withdrawnAt === undefined && message.expiresAt > now;
}
