// The supervisors' messages to agents a page shows: as the service lists them (GET /api/messages), followed
// on the live stream (`message.sent`, `message.withdrawn`, `message.read`, `message.replied`). The softphone
// and the wallboard each render theirs.

/**
 * @typedef {{ id: string, text: string, to: { type: string, queueId?: string, agentId?: string },
 *   sentAt: string, expiresAt: string, from: { id: string, name: string } | null, reaches: number,
 *   readBy: { agentId: string, at: string }[], replies?: { agentId: string, text: string, at: string }[] }}
 *   SupervisorMessage
 */
export class MessageBoard {
  /** @param {() => Promise<{ items: SupervisorMessage[] }>} read */
  constructor(read) {
    this.read = read;
    /** @type {Map<string, SupervisorMessage>} */
    this.byId = new Map();
  }

  async load() {
    this.byId = new Map((await this.read()).items.map((m) => [m.id, m]));
  }

  /** A `message.sent`, `message.read`, `message.replied` or `message.withdrawn` event. */
  apply(event) {
    if (event.type === 'message.sent') this.byId.set(event.data.message.id, event.data.message);
    else if (event.type === 'message.read')
      this.readBy(event.data.messageId, event.data.agentId, event.data.readAt);
    else if (event.type === 'message.replied') this.replied(event.data);
    else if (event.type === 'message.withdrawn') this.byId.delete(event.data.messageId);
  }

  /** An agent's reply (each is kept; one already shown is not added twice). */
  replied({ messageId, agentId, text, at }) {
    const message = this.byId.get(messageId);
    const replies = message?.replies ?? [];
    if (!message || replies.some((r) => r.agentId === agentId && r.at === at)) return;
    this.byId.set(messageId, { ...message, replies: [...replies, { agentId, text, at }] });
  }

  /** The agent took the message in (the first time counts). */
  readBy(messageId, agentId, at) {
    const message = this.byId.get(messageId);
    if (!message || (message.readBy ?? []).some((r) => r.agentId === agentId)) return;
    this.byId.set(messageId, { ...message, readBy: [...(message.readBy ?? []), { agentId, at }] });
  }

  /**
   * Those showing at `now` (not run out) that `keep` keeps, the oldest first.
   * @param {number} now
   * @param {(m: SupervisorMessage) => boolean} [keep]
   */
  showing(now, keep = () => true) {
    return [...this.byId.values()]
      .filter((m) => Date.parse(m.expiresAt) > now && keep(m))
      .sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt));
  }

  clear() {
    this.byId = new Map();
  }
}
