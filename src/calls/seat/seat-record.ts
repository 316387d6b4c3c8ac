/**
 * The seat's per-call record: what every verb reads and writes about the calls it touches (holds, the legs
 * it dialled itself, rejoins, consultations, ringback tones). One instance, shared, so no verb re-derives it.
 */
import type { TransferTarget } from './refusal.js';

/** A leg the seat can hang up as expected: the ACD's agent leg or one of the seat's own. */
export type LegRef = { channelId: string; hangupRequested: boolean; state: string };

export interface HeldCall {
  agentId: string;
  heldAt: number;
}

/**
 * A leg the seat dialled itself: a transfer target (blind), a consulted party, a conference party, or an
 * outbound call's two legs (the agent's phone, then the customer on the trunk).
 */
export interface SeatLeg {
  purpose: 'transfer' | 'consult' | 'conference' | 'outbound-agent' | 'outbound-customer';
  channelId: string;
  interactionId: string;
  target: TransferTarget;
  fromAgentId: string;
  /** The queue the call came from (its wrap-up time applies to the target agent). */
  queueId: string | undefined;
  state: 'ringing' | 'connected';
  hangupRequested: boolean;
  timer: NodeJS.Timeout | undefined;
  /** outbound-agent: the customer's channel id, chosen up front (it is the interaction's channel). */
  customerChannel?: string;
  /** Asterisk gave up on the target's phone (no audio): the caller is not hung up on but re-queued. */
  deviceLost?: boolean;
  /** A conference party the agent dropped (already on the timeline). */
  dropped?: boolean;
  /**
   * Why the phone could not be rung at all (Asterisk refused the call, or the leg ended with a cause that
   * never reached the phone). An agent's seat then goes not ready instead of back to available.
   */
  unreachable?: string;
}

/** A page reload's new agent leg, ringing to take the old leg's place. */
export interface PendingRejoin {
  agentId: string;
  interactionId: string;
  oldChannelId: string;
}

/** A consultation in progress: the consulted party's leg and the private bridge the agent talks in. */
export interface Consultation {
  leg: SeatLeg;
  bridgeId: string;
  agentId: string;
  /** The consultation put the caller on hold, so ending it takes them off; one held already stays held. */
  resumeAfter: boolean;
}

export class SeatRecord {
  /** By interaction: who put the caller on hold and when. */
  readonly held = new Map<string, HeldCall>();
  /** By interaction: hold seconds so far (saves reading them back from the log). */
  readonly holdTotals = new Map<string, number>();
  /** Interactions whose end already accounts for a hold in progress (one listener each). */
  readonly holdEndWatched = new Set<string>();
  /** By channel: the legs the seat dialled itself. */
  readonly legs = new Map<string, SeatLeg>();
  /** By the new leg's channel. */
  readonly rejoins = new Map<string, PendingRejoin>();
  /** By interaction. */
  readonly consults = new Map<string, Consultation>();
  /** Ringback playbacks: by consult bridge, or by interaction for an outbound call. */
  readonly ringbacks = new Map<string, string | undefined>();
  /** Interactions whose caller's end already takes the seat's legs down (one listener each). */
  readonly callerWatched = new Set<string>();
}
