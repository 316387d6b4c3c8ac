/**
 * Server-side call control for an agent's current call: hold / resume, rejoin after a reload, blind and
 * consulted transfer, 3-way conference, outbound dialling and pausing the recording. The agent's page asks over REST; each verb
 * (one module each, built here from the same dependencies) changes the bridges through ARI, feeds the seat
 * state machine through the ACD runtime and writes every step to the interaction's timeline.
 * This class is only the facade the HTTP plugin and the service use.
 */
import type { ConferenceMember } from '../../interactions/events.js';
import { createConference } from './conference.js';
import { agentLegOf, conferenceMemberOf } from './current-call.js';
import { createHold } from './hold.js';
import { createLegHook } from './leg-hook.js';
import { createDial, createPhoneDial } from './outbound.js';
import { OutboundPolicy } from './outbound-policy.js';
import { createOutboundLegs } from './outbound-legs.js';
import { SeatRefusal, type TransferTarget } from './refusal.js';
import { createRecordingPause } from './recording-pause.js';
import { createRejoin } from './rejoin.js';
import type { SeatCallsOptions, SeatDeps } from './seat-deps.js';
import { SeatRecord } from './seat-record.js';
import { createBlindTransfer } from './transfer-blind.js';
import { createConsultTransfer } from './transfer-consult.js';

export { SeatRefusal, type TransferTarget } from './refusal.js';
export type { SeatCallsOptions } from './seat-deps.js';

export class SeatCalls {
  readonly hold: (agentId: string, interactionId: string) => Promise<void>;
  readonly resume: (agentId: string, interactionId: string) => Promise<void>;
  readonly rejoin: (agentId: string, interactionId: string) => Promise<void>;
  /** Pause / resume the call's recording (silence is recorded meanwhile). */
  readonly pauseRecording: (agentId: string, interactionId: string) => Promise<void>;
  readonly resumeRecording: (agentId: string, interactionId: string) => Promise<void>;
  readonly recordingState: (interactionId: string) => {
    recording: boolean;
    paused?: { agentId: string; at: number };
  };
  readonly transfer: (
    agentId: string,
    interactionId: string,
    target: TransferTarget,
    note?: string,
  ) => Promise<void>;
  readonly dial: (agentId: string, rawNumber: string) => Promise<{ interactionId: string }>;
  /** A call the agent's desk phone or own softphone placed itself (it arrives through the dialplan). */
  readonly placedFromPhone: (
    channelId: string,
    endpointName: string,
    dialled: string,
  ) => Promise<{ interactionId: string } | { refused: SeatRefusal }>;
  readonly consult: (agentId: string, interactionId: string, target: TransferTarget) => Promise<void>;
  readonly completeConsult: (agentId: string, interactionId: string) => Promise<void>;
  readonly cancelConsult: (agentId: string, interactionId: string) => Promise<void>;
  readonly consultation: (interactionId: string) => { target: string; state: 'dialing' | 'connected' } | null;
  readonly parties: (
    interactionId: string,
  ) => { channelId: string; type: string; id: string; state: string }[];
  readonly conference: (
    agentId: string,
    interactionId: string,
    target: TransferTarget,
  ) => Promise<{ channelId: string }>;
  readonly dropParty: (agentId: string, interactionId: string, channelId: string) => Promise<void>;
  readonly leaveConference: (agentId: string, interactionId: string) => Promise<void>;
  /** The agent in conversation on a call (talking or holding) and their connected leg, for a monitor. */
  readonly agentInConversation: (
    interactionId: string,
  ) => { agentId: string; channelId: string; onHold: boolean } | undefined;
  private readonly deps: SeatDeps;

  /**
   * Tells the seat whether a supervisor is barging into a call: the agent may not then leave the caller
   * alone with them (hold, consult). Set by the service, which builds the monitors after the seat.
   */
  set barging(barging: (interactionId: string) => boolean) {
    this.deps.barging = barging;
  }

  /** Tells the seat which channels are supervisors' phones (set by the service, as `barging`). */
  set supervisorOn(supervisorOn: SeatDeps['supervisorOn']) {
    this.deps.supervisorOn = supervisorOn;
  }

  /** Who a channel in the call's bridge is, as the timeline names them. */
  conferenceMemberOf(interactionId: string, channelId: string): ConferenceMember {
    return conferenceMemberOf(this.deps, interactionId, channelId);
  }

  constructor(o: SeatCallsOptions) {
    const deps: SeatDeps = {
      options: o,
      acd: o.acd,
      policy: o.policy ?? new OutboundPolicy(),
      record: new SeatRecord(),
      barging: () => false,
      supervisorOn: () => undefined,
    };
    this.deps = deps;
    const holding = createHold(deps);
    const rejoin = createRejoin(deps);
    const blind = createBlindTransfer(deps);
    const consult = createConsultTransfer(deps, holding);
    const conference = createConference(deps);
    const outbound = createOutboundLegs(deps);
    o.acd.seatLegs = createLegHook(deps, { rejoin, blind, consult, conference, outbound, hold: holding });
    o.acd.seatHolds = {
      adopt: holding.adopt,
      resume: (agentId, interactionId) => this.resume(agentId, interactionId),
    };
    o.acd.seatConference = { keep: conference.keep };
    o.acd.seatOutbound = { resumeDialling: outbound.resumeDialling };

    const one = oneAtATimePerCall();
    this.hold = one(holding.hold);
    this.resume = one(holding.resume);
    this.rejoin = rejoin.rejoin;
    const recording = createRecordingPause(deps);
    this.pauseRecording = one(recording.pauseRecording);
    this.resumeRecording = one(recording.resumeRecording);
    this.recordingState = recording.recordingState;
    this.transfer = one(blind.transfer);
    this.dial = createDial(deps);
    this.placedFromPhone = createPhoneDial(deps, outbound);
    this.consult = one(consult.consult);
    this.completeConsult = one(consult.completeConsult);
    this.cancelConsult = one(consult.cancelConsult);
    this.consultation = consult.consultation;
    this.parties = conference.parties;
    this.conference = one(conference.conference);
    this.dropParty = one(conference.dropParty);
    this.leaveConference = one(conference.leaveConference);
    this.agentInConversation = (interactionId) => {
      for (const agent of o.agents()) {
        const state = o.acd.router.seat(agent.id)?.state;
        if (!state || (state.type !== 'talking' && state.type !== 'on_hold')) continue;
        if (state.call.interactionId !== interactionId) continue;
        const leg = agentLegOf(deps, interactionId, agent.id);
        if (leg?.state === 'connected' && !leg.hangupRequested)
          return { agentId: agent.id, channelId: leg.channelId, onHold: state.type === 'on_hold' };
      }
      return undefined;
    };
  }
}

/**
 * Call-control verbs check the call's state, then make several Asterisk requests before the state moves
 * on: a second request on the same call in between (a double click, a key pressed twice) would pass the
 * check and fail half-way inside Asterisk. It is refused instead, with a reason.
 */
function oneAtATimePerCall() {
  const busy = new Set<string>();
  return <A extends unknown[], R>(verb: (agentId: string, interactionId: string, ...rest: A) => Promise<R>) =>
    async (agentId: string, interactionId: string, ...rest: A): Promise<R> => {
      if (busy.has(interactionId)) {
        throw new SeatRefusal(
          409,
          'CALL_CONTROL_IN_PROGRESS',
          'another action on this call is still under way: try again when it is done',
        );
      }
      busy.add(interactionId);
      try {
        return await verb(agentId, interactionId, ...rest);
      } finally {
        busy.delete(interactionId);
      }
    };
}
