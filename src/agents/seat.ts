/**
 * Data types for one agent seat: its state, the inputs it accepts and the effects a transition asks for.
 * Everything here is plain JSON-serialisable data so the orchestrator can persist and replay it.
 */

/** What the seat does once wrap-up ends: become available, or go not-ready (agent asked during the call). */
export type AfterWrapUp = { type: 'available' } | { type: 'not_ready'; reason: string };

export interface ActiveCall {
  interactionId: string;
  /** Null for outbound calls placed by the agent outside any queue. */
  queueId: string | null;
  direction: 'acd' | 'outbound';
  answeredAt: number;
  /** Hold time accumulated before the current hold period. */
  holdMs: number;
  after: AfterWrapUp;
}

export type AgentSeatState =
  | { type: 'logged_out' }
  | { type: 'available' }
  | { type: 'not_ready'; reason: string }
  | { type: 'offered'; interactionId: string; queueId: string; offeredAt: number }
  | { type: 'talking'; call: ActiveCall }
  | { type: 'on_hold'; call: ActiveCall; heldAt: number }
  | {
      type: 'wrap_up';
      interactionId: string;
      queueId: string | null;
      until: number;
      after: AfterWrapUp;
    };

export type AgentStateType = AgentSeatState['type'];

export const AGENT_STATE_TYPES: readonly AgentStateType[] = [
  'logged_out',
  'available',
  'not_ready',
  'offered',
  'talking',
  'on_hold',
  'wrap_up',
];

export interface AgentSeat {
  agentId: string;
  /** Device the agent logged in from; null while logged out. */
  endpoint: string | null;
  state: AgentSeatState;
  /** When the current state began (time-in-state). */
  stateSince: number;
  /** When the agent last became available; the longest-idle strategy ranks by this. Null when not available. */
  availableSince: number | null;
  lastCallEndedAt: number | null;
  /** ACD calls completed since the last `resetDailyCounters`; used by the fewest-calls strategy. */
  callsHandledToday: number;
}

export type AgentInput =
  | { type: 'login'; endpoint: string }
  | { type: 'logout' }
  | { type: 'ready' }
  | { type: 'notReady'; reason: string }
  | { type: 'offer'; interactionId: string; queueId: string; autoAnswer?: boolean }
  | { type: 'answer'; interactionId: string }
  | { type: 'reject'; interactionId: string }
  /** Ring-no-answer (RONA): the offer rang out; the seat goes not-ready with reason `missed`. */
  | { type: 'ringTimeout'; interactionId: string }
  /**
   * The phone could not be rung at all (not registered, transport gone, refused by the device rather than
   * by the agent): the seat goes not-ready with reason `phone_unreachable`, so no further call is sent to it.
   */
  | { type: 'unreachable'; interactionId: string }
  /**
   * The agent's phone, which an offer could not ring or Asterisk found gone, answers Asterisk again (a desk
   * phone's OPTIONS): a seat the system set aside for that (not ready, `phone_unreachable`) is ready again.
   */
  | { type: 'phoneReachable' }
  /** The offer was withdrawn (caller hung up, another ring-all agent answered, overflow). */
  | { type: 'offerCancelled'; interactionId: string }
  | { type: 'hold'; interactionId: string }
  | { type: 'resume'; interactionId: string }
  /** Call ended; `wrapUpSeconds` is resolved by the caller (agent override, else queue setting). 0 skips wrap-up. */
  | { type: 'hangup'; interactionId: string; wrapUpSeconds: number }
  | { type: 'extendWrapUp'; seconds: number }
  | { type: 'wrapUpExpired' }
  | { type: 'wrapUpDone' }
  /** The agent places a call themselves; the seat is busy and receives no ACD offers until it ends (via hangup). */
  | { type: 'outboundStart'; interactionId: string }
  /** Midnight in the site's time zone; the orchestrator decides when that is. */
  | { type: 'resetDailyCounters' }
  /**
   * A queue call, or an outbound call the agent placed, the service took over after a restart: the seat,
   * not ready since the restart (`service_restarted`), is talking on it again, answered when it first was.
   */
  | {
      type: 'resumeAfterRestart';
      interactionId: string;
      /** Absent (or null) for an outbound call. */
      queueId: string | null;
      /** Default 'acd'. */
      direction?: 'acd' | 'outbound';
      answeredAt: number;
      /** Hold time of the call so far (ms). */
      holdMs?: number;
      /** Set when the caller is on hold: since when. */
      heldAt?: number;
      /** What the agent had chosen for after this call before the restart, when it was recorded. */
      after?: AfterWrapUp;
    };

export type AgentInputType = AgentInput['type'];

export const AGENT_INPUT_TYPES: readonly AgentInputType[] = [
  'login',
  'logout',
  'ready',
  'notReady',
  'offer',
  'answer',
  'reject',
  'ringTimeout',
  'unreachable',
  'phoneReachable',
  'offerCancelled',
  'hold',
  'resume',
  'hangup',
  'extendWrapUp',
  'wrapUpExpired',
  'wrapUpDone',
  'outboundStart',
  'resetDailyCounters',
  'resumeAfterRestart',
];

export type AgentEffect =
  | { type: 'startWrapUpTimer'; agentId: string; until: number }
  | { type: 'cancelWrapUpTimer'; agentId: string }
  /** The seat just became available: the router should try to route to it now. */
  | { type: 'agentFreed'; agentId: string }
  /** Ask the device to answer on its own (auto-answer agents). */
  | { type: 'autoAnswer'; agentId: string; interactionId: string }
  | { type: 'offerAccepted'; agentId: string; interactionId: string; queueId: string }
  | { type: 'offerDeclined'; agentId: string; interactionId: string; queueId: string }
  | { type: 'offerMissed'; agentId: string; interactionId: string; queueId: string }
  /** The offer never reached the phone; not the agent's choice, so the caller may be offered to it again. */
  | { type: 'offerFailed'; agentId: string; interactionId: string; queueId: string }
  | { type: 'offerWithdrawn'; agentId: string; interactionId: string; queueId: string }
  | {
      type: 'callEnded';
      agentId: string;
      interactionId: string;
      queueId: string | null;
      direction: 'acd' | 'outbound';
      talkMs: number;
      holdMs: number;
    };

export interface TransitionOk {
  ok: true;
  seat: AgentSeat;
  effects: AgentEffect[];
}

export interface TransitionRefused {
  ok: false;
  /** Searchable, e.g. `AGENT_NOT_AVAILABLE`. */
  code: string;
  /** Human sentence naming the state and the input. */
  reason: string;
  state: AgentStateType;
  input: AgentInputType;
}

export type TransitionResult = TransitionOk | TransitionRefused;

/** The interaction a seat is on (offered, talking, on hold, wrapping up), if any. */
export function seatInteractionId(state: AgentSeatState): string | undefined {
  if ('interactionId' in state) return state.interactionId;
  if ('call' in state) return state.call.interactionId;
  return undefined;
}

/** A seat's state as pages, the API and the stream show it: its type and, per type, its details. */
export interface SeatStateView {
  type: AgentStateType;
  reason?: string;
  interactionId?: string;
  /** When the wrap-up ends (ISO time). */
  until?: string;
  /** The reason the agent asked to go not ready with once this call (and its wrap-up) is over. */
  notReadyAfter?: string;
}

export function seatStateView(state: AgentSeatState): SeatStateView {
  const after = state.type === 'wrap_up' ? state.after : 'call' in state ? state.call.after : undefined;
  return {
    type: state.type,
    reason: state.type === 'not_ready' ? state.reason : undefined,
    interactionId: seatInteractionId(state),
    until: state.type === 'wrap_up' ? new Date(state.until).toISOString() : undefined,
    notReadyAfter: after?.type === 'not_ready' ? after.reason : undefined,
  };
}

export function createSeat(agentId: string, now: number): AgentSeat {
  return {
    agentId,
    endpoint: null,
    state: { type: 'logged_out' },
    stateSince: now,
    availableSince: null,
    lastCallEndedAt: null,
    callsHandledToday: 0,
  };
}

/** True when the seat may take a new ACD offer. */
export function isSeatFree(seat: AgentSeat): boolean {
  return seat.state.type === 'available';
}

export function isLoggedIn(seat: AgentSeat): boolean {
  return seat.state.type !== 'logged_out';
}
