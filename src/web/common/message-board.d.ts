// Types of message-board.js for the unit tests (the pages themselves are plain JavaScript, no build step).

export interface SupervisorMessage {
  id: string;
  text: string;
  to: { type: string; queueId?: string; agentId?: string };
  sentAt: string;
  expiresAt: string;
  from: { id: string; name: string } | null;
  reaches: number;
  readBy: { agentId: string; at: string }[];
  replies?: { agentId: string; text: string; at: string }[];
}

export declare class MessageBoard {
  constructor(read: () => Promise<{ items: SupervisorMessage[] }>);
  byId: Map<string, SupervisorMessage>;
  load(): Promise<void>;
  apply(event: { type: string; data: Record<string, unknown> }): void;
  readBy(messageId: string, agentId: string, at: string): void;
  replied(reply: { messageId: string; agentId: string; text: string; at: string }): void;
  showing(now: number, keep?: (m: SupervisorMessage) => boolean): SupervisorMessage[];
  clear(): void;
}
