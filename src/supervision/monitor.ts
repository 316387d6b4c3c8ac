/**
 * A supervisor monitoring an agent's call: listen (hears both sides, heard by nobody), whisper (heard by
 * the agent only, a coach), barge (heard by both). Pure: the state machine, the rules for who may be
 * monitored from which phone, and how the supervisor is connected in each mode. No I/O, clock given.
 */
import type { SupervisorRef } from '../acd/router-types.js';
import type { AgentSeatState } from '../agents/seat.js';

export type MonitorMode = 'listen' | 'whisper' | 'barge';

/** Where the supervisor hears the call: their own seat's phone, or a number on the trunk. */
export type SupervisorPhone = { type: 'agent'; agentId: string } | { type: 'number'; number: string };

export type MonitorState = 'ringing' | 'active' | 'ended';

/** The supervisor's leg of a monitor is the channel `monitor-<monitor id>` (its bridge has the same id). */
export const monitorLegId = (monitorId: string): string => `monitor-${monitorId}`;
export const isMonitorLeg = (channelId: string): boolean => channelId.startsWith('monitor-');

export interface Monitor {
  id: string;
  interactionId: string;
  /** The agent whose call is monitored (their leg is the one spied on). */
  agentId: string;
  mode: MonitorMode;
  phone: SupervisorPhone;
  /** Who monitors, when they signed in as themselves (absent: the supervisor token, nobody in particular). */
  supervisor?: SupervisorRef;
  state: MonitorState;
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  endedReason?: string;
}

export type MonitorInput =
  | { type: 'answered'; at: number }
  | { type: 'mode'; mode: MonitorMode }
  | { type: 'end'; at: number; reason: string };

/** A refused request or input: a searchable code and a sentence to act on. */
export interface MonitorRefusal {
  status: 400 | 404 | 409;
  code: string;
  reason: string;
}

export type MonitorStep =
  | { ok: true; monitor: Monitor; changed: boolean }
  | { ok: false; refusal: MonitorRefusal };

/**
 * ringing → active → ended, and ringing → ended; the mode may change while ringing (it applies at the
 * answer) or active. Nothing moves an ended monitor; a second answer is refused, not ignored.
 */
export function applyMonitorInput(monitor: Monitor, input: MonitorInput): MonitorStep {
  if (monitor.state === 'ended') {
    return refuse(
      409,
      'MONITOR_ENDED',
      `monitor ${monitor.id} has ended (${monitor.endedReason ?? 'ended'})`,
    );
  }
  switch (input.type) {
    case 'answered':
      if (monitor.state !== 'ringing') {
        return refuse(409, 'MONITOR_ALREADY_ACTIVE', `monitor ${monitor.id} is already active`);
      }
      return { ok: true, changed: true, monitor: { ...monitor, state: 'active', answeredAt: input.at } };
    case 'mode':
      if (input.mode === monitor.mode) return { ok: true, changed: false, monitor };
      return { ok: true, changed: true, monitor: { ...monitor, mode: input.mode } };
    case 'end':
      return {
        ok: true,
        changed: true,
        monitor: { ...monitor, state: 'ended', endedAt: input.at, endedReason: input.reason },
      };
  }
}

/**
 * How the supervisor is connected in each mode. Listen and whisper: a private bridge with a snoop on the
 * agent's channel that spies on both directions and whispers nothing, or into the audio going out to the
 * agent's phone only. Barge: the supervisor joins the call's own bridge, heard by both like a 3-way call.
 * (A snoop whispering both ways would be one mechanism for all three, but Asterisk mixes the whisper into
 * the agent's outgoing audio only some of the time: measured here, the caller did not hear it in about
 * one call in three.)
 */
export type MonitorMedia = { via: 'snoop'; spy: 'both'; whisper: 'none' | 'out' } | { via: 'call-bridge' };

export function monitorMedia(mode: MonitorMode): MonitorMedia {
  if (mode === 'barge') return { via: 'call-bridge' };
  return { via: 'snoop', spy: 'both', whisper: mode === 'listen' ? 'none' : 'out' };
}

/** The call a monitor may attach to: the agent talking (or holding) on it and their connected leg. */
export interface MonitoredCall {
  agentId: string;
  channelId: string;
  /** The agent is away from the caller (hold, a consultation): nobody to barge in on. */
  onHold?: boolean;
}

/** Why the supervisor may not barge into `call` now, or undefined. */
export function bargeRefusal(call: MonitoredCall): MonitorRefusal | undefined {
  if (!call.onHold) return undefined;
  return {
    status: 409,
    code: 'CALL_ON_HOLD',
    reason: `${call.agentId} has the caller on hold: barging in now would leave you alone with the caller under hold music; listen, or barge once they are back`,
  };
}

/** The id the timeline names a supervisor phone by. */
export const phoneId = (phone: SupervisorPhone): string =>
  phone.type === 'agent' ? phone.agentId : phone.number;

/**
 * Why a monitor of `interactionId` from `phone` cannot start, or undefined when it can.
 * - the call must have an agent in conversation (`call` found);
 * - a supervisor's own seat may be the phone only when the queues cannot ring it meanwhile (not
 *   available) and it is on no call, and never the monitored agent's own;
 * - one phone takes part in one monitor at a time.
 */
export function monitorRefusal(args: {
  interactionId: string;
  call: MonitoredCall | undefined;
  /** The mode asked for (default listen). */
  mode?: MonitorMode;
  phone: SupervisorPhone;
  /** The seat state of the phone's agent (type agent), undefined when there is no such agent. */
  phoneSeat: AgentSeatState | undefined;
  live: readonly Monitor[];
}): MonitorRefusal | undefined {
  const { interactionId, call, phone, phoneSeat, live } = args;
  if (!call) {
    return {
      status: 409,
      code: 'NO_AGENT_ON_CALL',
      reason: `no agent is in conversation on interaction ${interactionId} (it may be waiting, ringing or over)`,
    };
  }
  if (args.mode === 'barge') {
    const refusal = bargeRefusal(call);
    if (refusal) return refusal;
  }
  if (phone.type === 'agent') {
    if (!phoneSeat)
      return { status: 404, code: 'AGENT_NOT_FOUND', reason: `no agent with id ${phone.agentId}` };
    if (phone.agentId === call.agentId) {
      return {
        status: 400,
        code: 'CANNOT_MONITOR_SELF',
        reason: `${phone.agentId} is the agent on this call`,
      };
    }
    const state = phoneSeat.type;
    if (state === 'available') {
      return {
        status: 409,
        code: 'SUPERVISOR_SEAT_AVAILABLE',
        reason: `${phone.agentId} is available for calls: go not ready first, or a queue would ring that phone during the monitoring`,
      };
    }
    if (phoneSeat.type === 'wrap_up' && phoneSeat.after.type === 'available') {
      return {
        status: 409,
        code: 'SUPERVISOR_SEAT_AVAILABLE',
        reason: `${phone.agentId} is in wrap-up, which ends in available for calls: go not ready first, or a queue would ring that phone during the monitoring`,
      };
    }
    if (state === 'offered' || state === 'talking' || state === 'on_hold') {
      return {
        status: 409,
        code: 'SUPERVISOR_PHONE_BUSY',
        reason: `${phone.agentId} is ${state.replace('_', ' ')}: their phone is in use`,
      };
    }
  }
  const id = phoneId(phone);
  const busy = live.find(
    (m) => m.state !== 'ended' && phoneId(m.phone) === id && m.phone.type === phone.type,
  );
  if (busy) {
    return {
      status: 409,
      code: 'SUPERVISOR_PHONE_BUSY',
      reason: `${id} is already monitoring interaction ${busy.interactionId} (monitor ${busy.id}): stop that first`,
    };
  }
  return undefined;
}

/** A monitor's step as its call's timeline holds it (`supervisor.monitor`). */
export interface MonitorStepRecord {
  monitorId: string;
  agentId: string;
  phone: { type: string; id: string };
  mode: MonitorMode;
  step: 'ringing' | 'active' | 'mode' | 'ended';
  reason?: string;
  supervisor?: SupervisorRef;
}

/**
 * The monitors a timeline shows begun and never ended (their last step is not `ended`), each as its last
 * step: after a restart their phone and snoop are gone with the previous run, and their end is put on record.
 */
export function monitorsLeftOpen(steps: readonly MonitorStepRecord[]): MonitorStepRecord[] {
  const last = new Map<string, MonitorStepRecord>();
  for (const step of steps) last.set(step.monitorId, step);
  return [...last.values()].filter((step) => step.step !== 'ended');
}

/**
 * While an agent's phone takes part in a monitor the seat may not become available (log in, go ready):
 * a queue would ring a phone that is listening to another call. The rule that keeps it out at the start is
 * monitorRefusal's SUPERVISOR_SEAT_AVAILABLE.
 */
export function seatAvailabilityRefusal(
  agentId: string,
  live: readonly Monitor[],
): { code: string; reason: string } | undefined {
  const using = live.find(
    (m) => m.state !== 'ended' && m.phone.type === 'agent' && m.phone.agentId === agentId,
  );
  if (!using) return undefined;
  return {
    code: 'PHONE_IN_MONITOR',
    reason: `${agentId}'s phone is ${using.state === 'ringing' ? 'ringing for' : 'in'} monitor ${using.id} of interaction ${using.interactionId}: stop the monitor before taking calls`,
  };
}

function refuse(status: MonitorRefusal['status'], code: string, reason: string): MonitorStep {
  return { ok: false, refusal: { status, code, reason } };
}
