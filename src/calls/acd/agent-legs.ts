/** One ringing or connected agent leg: the channel the ACD originated to an agent's device. */
export interface AgentLeg {
  channelId: string;
  interactionId: string;
  agentId: string;
  queueId: string;
  state: 'ringing' | 'answered' | 'connected';
  /** We asked Asterisk to hang it up (offer withdrawn, call over): its end is expected, not a refusal. */
  hangupRequested: boolean;
  offeredAt: number;
  /** Asterisk's channel driver gave up on the agent's device (no audio for rtp_timeout, transport gone). */
  deviceLost?: boolean;
  /** Rings the agent for a callback request: it outlives the caller's own hang-up after asking for it. */
  callback?: boolean;
}

/** The agent legs in flight, found by channel or by (interaction, agent). */
export class AgentLegs {
  private readonly byChannel = new Map<string, AgentLeg>();

  add(leg: AgentLeg): void {
    this.byChannel.set(leg.channelId, leg);
  }

  get(channelId: string): AgentLeg | undefined {
    return this.byChannel.get(channelId);
  }

  find(interactionId: string, agentId: string): AgentLeg | undefined {
    for (const leg of this.byChannel.values()) {
      if (leg.interactionId === interactionId && leg.agentId === agentId) return leg;
    }
    return undefined;
  }

  forInteraction(interactionId: string): AgentLeg[] {
    return [...this.byChannel.values()].filter((l) => l.interactionId === interactionId);
  }

  remove(channelId: string): void {
    this.byChannel.delete(channelId);
  }

  all(): AgentLeg[] {
    return [...this.byChannel.values()];
  }
}
