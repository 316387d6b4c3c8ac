import { processTimeZone, startOfDay, startOfNextDay } from '../../acd/site-day.js';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type {
  AgentCommand,
  Decision,
  LastAgent,
  QueueDefinition,
  QueueVoicemailSettings,
  RouterInput,
  RouterState,
  SeatChanger,
} from '../../acd/index.js';
import { canCallBack, emptyRouterState, QueueRouter, timerKey } from '../../acd/index.js';
import {
  type AgentDefinition,
  LOST_REASON,
  RESTART_REASON,
  UNREACHABLE_REASON,
} from '../../agents/schema.js';
import { type AgentInput, type AgentSeat, seatInteractionId, seatStateView } from '../../agents/seat.js';
import type { EventHub } from '../../events/event-hub.js';
import type { InteractionLog } from '../../store/interaction-log.js';
import { isGone } from '../../telephony/ari/rest.js';
import {
  isDeviceLoss,
  type PhoneReach,
  type Telephony,
  type TelephonyEvent,
} from '../../telephony/telephony.js';
import { type CallSession, callerIdOf } from '../call-session.js';
import type { ConferenceUnderWay, ConversationTakeover, OutboundDiallingTakeover } from '../takeover.js';
import { refusedCallReason, unreachableReason } from '../phone-reach.js';
import { AgentAnnouncements } from './agent-announcements.js';
import { AgentLegs } from './agent-legs.js';
import { CallRecordings } from './call-recordings.js';
import { DECISION_HANDLERS, visitNotWritten } from './decision-handlers.js';
import { TimerTable } from './timer-table.js';
import { NumberPlan } from '../number-plan.js';

export interface AcdRuntimeOptions {
  telephony: Telephony;
  hub: EventHub;
  logger: Logger;
  queues: QueueDefinition[];
  agents: AgentDefinition[];
  now?: () => number;
  rng?: () => number;
  /** The contact center's time zone: its days start at that zone's midnight (default: the process's). */
  timeZone?: string;
  /** Recording file format for connected calls; undefined disables recording. */
  recordingFormat?: string;
  /** Where figures that arrive after a call closed are written (wrap-up time). */
  log?: InteractionLog;
  /** Seats to start with (agents kept through a restart, see seat-restore.ts); the others start logged out. */
  seats?: Record<string, AgentSeat>;
  /** Of those, agents held not ready only for a conversation the new run may carry on (RestoredSeats). */
  seatsHeldForCalls?: readonly string[];
  /** The outbound rules: why a number may not be called back, or null (see QueueRouterOptions). */
  numberRefusal?: (number: string) => string | null;
  /** The site's numbering plan: caller numbers and VIP lists are matched in its one form (NumberPlan). */
  numbers?: NumberPlan;
}

type DecisionOf<T extends Decision['type']> = Extract<Decision, { type: T }>;

/** Carries out callbacks: dialling the agent, then the customer, and reporting each attempt. */
export interface CallbackRunner {
  registered(d: DecisionOf<'callbackRegistered'>): void;
  scheduled(d: DecisionOf<'callbackScheduled'>): void;
  due(d: DecisionOf<'callbackDue'>): void;
  dial(d: DecisionOf<'dialCallback'>): void;
  closed(d: DecisionOf<'callbackClosed'>): void;
  retryScheduled(d: DecisionOf<'callbackRetryScheduled'>): void;
  restored(d: DecisionOf<'callbackRestored'>): void;
  reservationReleased(d: DecisionOf<'callbackReservationReleased'>): void;
  moved(d: DecisionOf<'callbackMoved'>): void;
  /** Telephony events for the customer legs it dials; true when the event was one of them. */
  onEvent(event: TelephonyEvent): boolean;
  /** The customer legs it is dialling now (checked after a reconnect: one that ended unseen is told). */
  channels(): string[];
  /** The agent's leg of a callback ended after the agent answered, before the customer did. */
  agentLeft(routingId: string, agentId: string): void;
}

export interface AcdRefusal {
  code: string;
  reason: string;
}

/** The seat inputs that make an agent take calls: refused while its phone is in a supervisor's monitor. */
const BECOMES_READY: ReadonlySet<AgentInput['type']> = new Set(['ready', 'login', 'phoneReachable']);

/**
 * Carries out the pure QueueRouter's decisions on real calls: music on hold, originating agent legs,
 * bridging, recording, announcements, timers. Every router input happens here, on the event that caused
 * it, and the decisions it returns are executed at once — no polling anywhere.
 */
export class AcdRuntime {
  router: QueueRouter;
  readonly legs = new AgentLegs();
  readonly calls = new Map<string, CallSession>();
  readonly bridges = new Map<string, string>();
  /** Calls whose end already releases them from the ACD. */
  private readonly watched = new WeakSet<CallSession>();
  readonly recordings: CallRecordings;
  /** Queues' announcements to the agent who answered, before the caller is put through. */
  readonly agentAnnouncements: AgentAnnouncements;
  readonly timers: TimerTable;
  callbacks: CallbackRunner | undefined;
  /** When each agent in wrap-up entered it, to write the call's wrap-up seconds when it ends. */
  readonly wrapStarted = new Map<string, number>();
  /** The wrap-up time being added to each call's record, so the next adds after it (decision-handlers.ts). */
  readonly wrapWrites = new Map<string, Promise<void>>();
  /**
   * Legs the agent seat dials itself (transfer targets, consultations): they enter Stasis as `agent-leg`
   * but are not the router's offers, so the seat (src/calls/seat) handles them when this says so.
   */
  /**
   * Puts a caller whose agent ended the conversation through the queue's after-call flow (set by the calls
   * service, which runs flows): true when it took the caller on.
   */
  afterCall: ((session: CallSession, flowId: string) => boolean) | undefined;
  /**
   * Lets a caller a queue sent to voicemail leave a message (set by the calls service, which runs the
   * recording as an IVR voicemail step). Unset: the caller hears goodbye.
   */
  leaveMessage: ((session: CallSession, voicemail: QueueVoicemailSettings) => Promise<void>) | undefined;

  seatLegs:
    | {
        answered(channelId: string): boolean;
        onEvent(event: TelephonyEvent): boolean;
        /** The agent's phone is gone: ends the seat's consultation, conference parties and hold first. */
        agentLost(interactionId: string): Promise<void>;
        /** The channels of the legs the seat dialled, still in flight. */
        channels(): string[];
      }
    | undefined;
  /**
   * Why a seat may not become available now though its own state allows it (its phone is busy outside the
   * ACD: a supervisor's monitor); consulted for log-in and ready. Set by the service.
   */
  seatGate: ((agentId: string) => AcdRefusal | undefined) | undefined;
  /** The seat's hold books and resume (src/calls/seat/hold.ts), for a held call carried on after a restart. */
  seatHolds:
    | {
        adopt(session: CallSession, agentId: string, heldAt: number): void;
        resume(agentId: string, interactionId: string): Promise<void>;
      }
    | undefined;
  /**
   * The seat's conference verbs for a conference a restart found with its party joined: true when the
   * party's leg is known again (a party agent's seat back on the call), false to let the party go.
   */
  seatConference:
    | { keep(session: CallSession, conference: ConferenceUnderWay, queueId: string): boolean }
    | undefined;
  /** The seat's outbound legs, for an outbound call a restart found still ringing its customer. */
  seatOutbound:
    | { resumeDialling(session: CallSession, call: OutboundDiallingTakeover): Promise<void> }
    | undefined;
  readonly now: () => number;
  readonly timeZone: string;
  private readonly rng: () => number;
  /** The site's numbering plan (config `numbering`): every number the contact center matches is in its form. */
  readonly numbers: NumberPlan;

  /** Agents held for a conversation a restart may carry on, until the calls are reconciled. */
  private seatsHeldForCalls: readonly string[];

  constructor(readonly options: AcdRuntimeOptions) {
    this.seatsHeldForCalls = options.seatsHeldForCalls ?? [];
    this.now = options.now ?? Date.now;
    this.timeZone = options.timeZone ?? processTimeZone();
    this.rng = options.rng ?? Math.random;
    const restoredWraps = wrapUpTimers(options.seats ?? {});
    this.numbers = options.numbers ?? NumberPlan.asDelivered;
    this.router = new QueueRouter({
      queues: this.queuesAsRouted(options.queues),
      agents: options.agents,
      rng: this.rng,
      state: options.seats
        ? { ...emptyRouterState(), seats: options.seats, timers: restoredWraps }
        : undefined,
      seatsSince: this.now(),
      ...(options.numberRefusal ? { numberRefusal: options.numberRefusal } : {}),
    });
    this.recordings = new CallRecordings(options.telephony, options.recordingFormat);
    this.agentAnnouncements = new AgentAnnouncements(options.telephony, options.logger);
    this.timers = new TimerTable((key) => this.input({ type: 'timerFired', key }), this.now);
    // Wrap-ups a restart gave back: they end when they were due to, and their time counts from their start.
    for (const [key, at] of Object.entries(restoredWraps)) this.timers.schedule(key, at);
    for (const seat of Object.values(options.seats ?? {})) {
      if (seat.state.type === 'wrap_up') this.wrapStarted.set(seat.agentId, seat.stateSince);
    }
    this.scheduleDailyReset();
  }

  /** When the contact center's current day began (midnight in its time zone): where "today" figures start. */
  today(): number {
    return startOfDay(this.now(), this.timeZone);
  }

  /** "Today" for the fewest-calls strategy ends at the site's midnight: every seat's count starts again. */
  private dailyReset: NodeJS.Timeout | undefined;
  private scheduleDailyReset(): void {
    const now = this.now();
    const midnight = startOfNextDay(now, this.timeZone);
    this.dailyReset = setTimeout(() => {
      if (this.now() >= midnight) {
        for (const agent of this.options.agents) {
          this.input({ type: 'agent', agentId: agent.id, input: { type: 'resetDailyCounters' } });
        }
        // Wallboards and softphones show "today": they read their figures afresh.
        this.hub.publish('day.started', {
          startedAt: new Date(midnight).toISOString(),
          timeZone: this.timeZone,
        });
      }
      this.scheduleDailyReset(); // (or, run early, wait on to midnight)
    }, midnight - now);
    this.dailyReset.unref();
  }

  get telephony(): Telephony {
    return this.options.telephony;
  }

  get logger(): Logger {
    return this.options.logger;
  }

  get hub(): EventHub {
    return this.options.hub;
  }

  /** The definitions as the router matches them: VIP numbers in the plan's one form, as callers arrive in it. */
  private queuesAsRouted(queues: QueueDefinition[]): QueueDefinition[] {
    return queues.map((q) =>
      q.vipNumbers?.length ? { ...q, vipNumbers: q.vipNumbers.map((n) => this.numbers.canonical(n)) } : q,
    );
  }

  /** Swaps queue or agent definitions in, keeping every waiting caller and seat state. */
  reconfigure(queues: QueueDefinition[], agents: AgentDefinition[]): void {
    const state: RouterState = this.router.snapshot();
    this.router = new QueueRouter({
      queues: this.queuesAsRouted(queues),
      agents,
      rng: this.rng,
      state,
      seatsSince: this.now(),
      ...(this.options.numberRefusal ? { numberRefusal: this.options.numberRefusal } : {}),
    });
    this.options.queues = queues;
    this.options.agents = agents;
    this.input({ type: 'queuesChanged' }); // timers follow the new rules, and routing runs at once
    for (const listener of this.reconfigureListeners) listener();
  }

  private readonly reconfigureListeners = new Set<() => void>();
  /** Tells `listener` each time queue or agent definitions are swapped in (reconfigure). */
  onReconfigure(listener: () => void): () => void {
    this.reconfigureListeners.add(listener);
    return () => this.reconfigureListeners.delete(listener);
  }

  /**
   * Feeds one input to the router and carries out what it decides. Returns the refusals, if any. `from`
   * 'request': a person asked (an agent's or supervisor's API call), whose refusal is their answer (a 409),
   * logged as news; the service's own inputs refused are logged as warnings, as they point at a fault.
   */
  input(input: RouterInput, from: 'service' | 'request' = 'service'): AcdRefusal[] {
    if (input.type === 'agent' && BECOMES_READY.has(input.input.type)) {
      const refusal = this.seatGate?.(input.agentId);
      if (refusal) return [refusal];
    }
    if (input.type === 'agent' && input.input.type === 'ready' && this.phonesGone.has(input.agentId)) {
      // Said, not done and undone: the seat would be set aside again at once.
      return [
        {
          code: 'PHONE_UNREACHABLE',
          reason: `${input.agentId}'s phone does not answer the phone server (it stopped answering its checks, or is not registered): the seat is made ready by itself once it answers`,
        },
      ];
    }
    const decisions = this.router.handle(input, this.now());
    for (const d of decisions) if (d.type === 'refused') this.logRefusal(input, d, from);
    try {
      return this.carryOut(decisions);
    } finally {
      this.publishWaitingCounts();
      for (const listener of this.decisionListeners) listener(decisions);
      if (input.type === 'agent') this.setAsideIfPhoneGone(input.agentId);
    }
  }

  private readonly decisionListeners = new Set<(decisions: readonly Decision[]) => void>();
  /**
   * Tells `listener` what the router decided on each input, once carried out (the campaign dialer books
   * calls as agents free up). It must not feed the router from inside: it runs within `input`.
   */
  onDecisions(listener: (decisions: readonly Decision[]) => void): () => void {
    this.decisionListeners.add(listener);
    return () => this.decisionListeners.delete(listener);
  }

  /** The interaction of the call on the agent's seat now (offered, talking, on hold, wrapping up), if any. */
  seatInteraction(agentId: string): string | undefined {
    const seat = this.router.seat(agentId);
    return seat && seatInteractionId(seat.state);
  }

  /**
   * One command to an agent's seat from the agent (their page, their phone) or a supervisor for them;
   * refusals come back with the router's code and reason. A change that is no new state (a wrap-up
   * extended, a not ready asked for after the call) still reaches the agent's pages and the wallboards as
   * `agent.seat`: `agent.state` is sent for new states only.
   */
  seatCommand(agentId: string, input: AgentCommand, changer?: SeatChanger): AcdRefusal[] {
    const before = this.router.seat(agentId)?.state.type;
    const refusals = this.input({ type: 'agent', agentId, input, ...changer }, 'request');
    const seat = this.router.seat(agentId);
    if (refusals.length === 0 && seat && seat.state.type === before)
      this.hub.publish('agent.seat', { agentId, state: { ...seatStateView(seat.state) } });
    return refusals;
  }

  /** A refused input, with the call and the agent it named, so its line joins theirs in the logs. */
  private logRefusal(input: RouterInput, refusal: AcdRefusal, from: 'service' | 'request'): void {
    const inner = input.type === 'agent' ? input.input : input;
    const interactionId = 'interactionId' in inner ? inner.interactionId : undefined;
    this.logger[from === 'request' ? 'info' : 'warn'](
      {
        input: input.type === 'agent' ? `agent ${input.input.type}` : input.type,
        agentId: input.type === 'agent' ? input.agentId : undefined,
        interactionId,
        code: refusal.code,
        reason: refusal.reason,
      },
      'ACD refused an input',
    );
  }

  private carryOut(decisions: Decision[]): AcdRefusal[] {
    const refusals: AcdRefusal[] = [];
    for (const decision of decisions) {
      if (decision.type === 'refused') refusals.push(decision);
      this.execute(decision);
    }
    return refusals;
  }

  /** Last published callers-waiting count per queue: agents' pages show it as a call-waiting indicator. */
  private readonly waitingCounts = new Map<string, number>();

  private publishWaitingCounts(): void {
    const counts = this.router.callersWaiting();
    for (const queueId of this.router.queueIds()) {
      const waiting = counts.get(queueId) ?? 0;
      if ((this.waitingCounts.get(queueId) ?? 0) === waiting) continue;
      this.waitingCounts.set(queueId, waiting);
      this.hub.publish('queue.waiting', { queueId, waiting });
    }
  }

  private execute(decision: Decision): void {
    const handler = DECISION_HANDLERS[decision.type] as (
      d: Decision,
      acd: AcdRuntime,
    ) => Promise<void> | void;
    const failed = (error: unknown) => {
      const interactionId = 'interactionId' in decision ? decision.interactionId : undefined;
      this.logger.error({ err: error, decision: decision.type, interactionId }, 'ACD decision failed');
    };
    // Called synchronously so each handler's timeline entry is queued in decision order, before the
    // event that caused it finishes (e.g. an abandon is written before the interaction closes).
    try {
      const result = handler(decision, this);
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  // ---- callers

  /**
   * The agent this number last talked with, looked up on record for queues with last-agent routing (over the
   * longest `lastAgent.withinDays` of any queue: an overflow may lead to another), `interactionId` (the call
   * or request asking) left out. Undefined at once, with no lookup, while no queue routes that way, so a
   * caller is enqueued in the same tick as before. A lookup that fails costs the caller the preference, not
   * its place.
   */
  lastAgentOfNumber(number: string, interactionId: string): Promise<LastAgent | undefined> | undefined {
    const log = this.options.log;
    let days = 0;
    for (const queueId of this.router.queueIds())
      days = Math.max(days, this.router.queue(queueId)?.lastAgent?.withinDays ?? 0);
    if (!log || days === 0 || !canCallBack(number)) return undefined;
    return log.lastAgentOf(number, this.now() - days * 86_400_000, interactionId).catch((error: unknown) => {
      this.logger.warn(
        { err: error, interactionId },
        'last agent not looked up: the strategy alone routes this caller',
      );
      return undefined;
    });
  }

  /**
   * enqueue, for a caller arriving at a queue (a route, an IVR step, a takeover): with its last agent looked
   * up first where a queue routes so (else at once, in this tick). Nothing is enqueued for a caller who hung
   * up during the look-up.
   */
  enqueueArriving(
    session: CallSession,
    queueId: string,
    {
      directLine,
      ...options
    }: Pick<Extract<RouterInput, { type: 'callerArrived' }>, 'priority' | 'skills' | 'requeued'> & {
      /**
       * An agent's direct line (a route's or a flow's `agent`): that agent alone for `waitSeconds`; or, for a
       * caller a restart took over, until the time it was kept for them before.
       */
      directLine?: { agentId: string; waitSeconds: number } | { agentId: string; until: number } | undefined;
    } = {},
  ): AcdRefusal[] | Promise<AcdRefusal[]> {
    const reservedFor = directLine && this.directLine(queueId, directLine, session);
    const input = reservedFor ? { ...options, reservedFor } : options;
    const lookup = this.lastAgentOfNumber(session.callerNumber, session.interactionId);
    if (!lookup) return this.enqueue(session, queueId, input);
    return lookup.then((lastAgent) =>
      session.isEnded
        ? []
        : this.enqueue(session, queueId, { ...input, ...(lastAgent ? { lastAgent } : {}) }),
    );
  }

  /** Puts an answered caller into a queue. Returns the router's refusal if it would not take the call. */
  enqueue(
    session: CallSession,
    queueId: string,
    options: Pick<
      Extract<RouterInput, { type: 'callerArrived' }>,
      'priority' | 'skills' | 'requeued' | 'lastAgent' | 'reservedFor'
    > = {},
  ): AcdRefusal[] {
    this.calls.set(session.routingId, session);
    const firstConnectedAt = session.queue?.firstConnectedAt ?? session.queue?.connectedAt;
    const talkedBeforeMs = session.queue?.talkedBeforeMs;
    session.queue = {
      queueId,
      enqueuedAt: options.requeued?.enqueuedAt ?? this.now(),
      ...(firstConnectedAt !== undefined ? { firstConnectedAt } : {}),
      ...(talkedBeforeMs !== undefined ? { talkedBeforeMs } : {}),
      ...(options.requeued?.talkedMs ? { talkedMs: options.requeued.talkedMs } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.skills !== undefined ? { skills: options.skills } : {}),
    };
    this.releaseWhenEnded(session);
    return this.input({
      type: 'callerArrived',
      interactionId: session.routingId,
      queueId,
      callerNumber: session.callerNumber,
      priority: options.priority,
      skills: options.skills,
      requeued: options.requeued,
      ...(options.lastAgent ? { lastAgent: options.lastAgent } : {}),
      ...(options.reservedFor ? { reservedFor: options.reservedFor } : {}),
    });
  }

  /**
   * The reservation a caller to an agent's direct line gets: that agent alone until `waitSeconds` from now.
   * None (straight to the team, said in the call's log) when the agent is logged out or not in the queue:
   * nobody would answer for them meanwhile.
   */
  private directLine(
    queueId: string,
    line: { agentId: string; waitSeconds: number } | { agentId: string; until: number },
    session: Pick<CallSession, 'logger'>,
  ): { agentId: string; until: number } | undefined {
    const seat = this.router.seat(line.agentId);
    const member = this.router.memberIds(queueId).includes(line.agentId);
    if (!seat || seat.state.type === 'logged_out' || !member) {
      session.logger.info(
        { agentId: line.agentId, queueId, member, state: seat?.state.type },
        "direct line's agent cannot take calls now: the team answers",
      );
      return undefined;
    }
    return {
      agentId: line.agentId,
      until: 'until' in line ? line.until : this.now() + line.waitSeconds * 1000,
    };
  }

  /**
   * Takes a connected caller off its conversation and puts it into a queue (a blind transfer to a queue, a
   * transfer nobody answered, a lost agent). The old bridge is destroyed first: the next connect makes one
   * with the same id.
   */
  async requeue(
    session: CallSession,
    queueId: string,
    options: Pick<Extract<RouterInput, { type: 'callerArrived' }>, 'priority' | 'skills' | 'requeued'> = {},
  ): Promise<AcdRefusal[]> {
    const bridgeId = this.bridges.get(session.routingId);
    if (bridgeId) {
      this.bridges.delete(session.routingId);
      await this.telephony.ari.destroyBridge(bridgeId).catch(() => undefined);
    }
    session.releaseFromAgent();
    // The conversation that just ended counts as talk; the wait that follows does not.
    const q = session.queue;
    if (q?.connectedAt !== undefined) {
      q.firstConnectedAt ??= q.connectedAt;
      q.talkedBeforeMs = (q.talkedBeforeMs ?? 0) + Math.max(0, this.now() - q.connectedAt);
      q.connectedAt = undefined;
    }
    return this.enqueue(session, queueId, options);
  }

  /**
   * Carries on a conversation a previous run left up (see conversationTakeover): the agent's seat, not ready
   * since the restart cut it, is talking on it again; the agent's leg and the call's bridge are known again,
   * so either side hanging up ends it as any conversation ends (wrap-up, figures). The recording goes on by
   * itself (MixMonitor runs on the caller's channel in Asterisk). Refused when the seat is not waiting for it.
   */
  resumeConversation(session: CallSession, call: Omit<ConversationTakeover, 'channelId'>): AcdRefusal[] {
    const id = session.routingId;
    const refusals = this.seatBackOnCall(call.agentId, {
      interactionId: id,
      queueId: call.direction === 'outbound' ? null : call.queueId,
      direction: call.direction,
      answeredAt: call.connectedAt,
      holdMs: call.holdMs,
      ...(call.heldAt !== undefined ? { heldAt: call.heldAt } : {}),
      ...(call.after ? { after: call.after } : {}),
    });
    if (refusals.length > 0) return refusals;
    // On hold: the seat's books know the hold again, so resume works and a hold the call ends in counts.
    if (call.heldAt !== undefined) this.seatHolds?.adopt(session, call.agentId, call.heldAt);
    this.calls.set(id, session);
    session.queue = {
      queueId: call.queueId,
      enqueuedAt: call.enqueuedAt,
      agentId: call.agentId,
      connectedAt: call.connectedAt,
    };
    this.releaseWhenEnded(session);
    this.legs.add({
      channelId: call.agentChannelId,
      interactionId: id,
      agentId: call.agentId,
      queueId: call.queueId,
      state: 'connected',
      hangupRequested: false,
      offeredAt: call.connectedAt,
    });
    this.bridges.set(id, call.bridgeId);
    this.recordings.adopt(session.channelId, call.recordingPaused); // the previous run's MixMonitor goes on
    if (call.consultation) void this.endConsultationAfterRestart(session, call);
    if (call.conference) {
      const { conference } = call;
      // A party that had joined talks on with the other two when the seat can know its leg again.
      const kept =
        conference.joined &&
        conference.inBridge &&
        this.seatConference?.keep(session, conference, call.queueId);
      if (!kept) this.letConferencePartyGo(session, conference);
    }
    return [];
  }

  /**
   * An outbound call a restart found still ringing its customer (outboundDiallingTakeover): the agent's
   * seat is on it again (since they placed it), their answered phone is the call's agent leg in its bridge,
   * and the seat's outbound legs wait on the customer. Refused when no seat module is there to wait.
   */
  resumeOutboundDialling(session: CallSession, call: OutboundDiallingTakeover): AcdRefusal[] {
    const id = session.routingId;
    if (!this.seatOutbound) {
      return [{ code: 'NO_SEAT_CALLS', reason: 'no seat module to carry an outbound call on' }];
    }
    const refusals = this.seatBackOnCall(call.agentId, {
      interactionId: id,
      queueId: null,
      direction: 'outbound',
      answeredAt: call.requestedAt,
      ...(call.after ? { after: call.after } : {}),
    });
    if (refusals.length > 0) return refusals;
    this.calls.set(id, session);
    this.releaseWhenEnded(session);
    this.legs.add({
      channelId: call.agentChannelId,
      interactionId: id,
      agentId: call.agentId,
      queueId: '',
      state: 'connected',
      hangupRequested: false,
      offeredAt: call.requestedAt,
    });
    this.bridges.set(id, call.bridgeId);
    void this.seatOutbound
      .resumeDialling(session, call)
      .catch((error) =>
        this.logger.error({ err: error, interactionId: id }, 'carrying on an outbound call failed'),
      );
    return [];
  }

  /** The seat, not ready since a restart cut its call, is on that call again (refusals if it may not be). */
  private seatBackOnCall(
    agentId: string,
    call: Omit<Extract<AgentInput, { type: 'resumeAfterRestart' }>, 'type'>,
  ): AcdRefusal[] {
    return this.input({ type: 'agent', agentId, input: { type: 'resumeAfterRestart', ...call } });
  }

  /**
   * A conference a restart interrupted: its party's leg is hung up with the previous run's other leftovers,
   * so it is on the timeline as let go (dropped, or failed if it still rang).
   */
  private letConferencePartyGo(session: CallSession, conference: ConferenceUnderWay): void {
    const step = conference.joined ? 'dropped' : 'failed';
    const channel = conference.channelId ? { channelId: conference.channelId } : {};
    void session.record({
      type: 'call.conference',
      payload: {
        agentId: conference.agentId,
        party: conference.party,
        step,
        ...channel,
        reason: 'the service restarted during the conference',
      },
    });
    this.hub.publish('call.conference', {
      interactionId: session.routingId,
      agentId: conference.agentId,
      step,
      party: conference.party.id,
      // The party as the timeline kept it (read back after the restart).
      ...(conference.party.type === 'number' || conference.party.type === 'agent'
        ? { targetType: conference.party.type }
        : {}),
      ...channel,
    });
  }

  /**
   * A consultation a restart interrupted ends as a cancel would: the agent's channel leaves the
   * consultation's bridge (the consulted party's leg, left by the previous run, is hung up with its other
   * leftovers) and the agent is back with the caller, the hold ending there.
   */
  private async endConsultationAfterRestart(
    session: CallSession,
    call: Pick<ConversationTakeover, 'agentId' | 'agentChannelId' | 'consultation'>,
  ): Promise<void> {
    const { agentId, agentChannelId, consultation } = call;
    if (!consultation) return;
    const ari = this.telephony.ari;
    if (consultation.bridgeId) {
      await ari.removeFromBridge(consultation.bridgeId, agentChannelId).catch(() => undefined);
      await ari.destroyBridge(consultation.bridgeId).catch(() => undefined);
    }
    void session.record({
      type: 'call.transferred',
      payload: {
        agentId,
        kind: 'consult',
        target: consultation.target,
        step: 'cancelled',
        reason: 'the service restarted during the consultation',
      },
    });
    this.hub.publish('call.consult', { interactionId: session.routingId, agentId, step: 'cancelled' });
    await this.seatHolds
      ?.resume(agentId, session.routingId)
      .catch((error) =>
        session.logger.warn(
          { err: error, agentId },
          'could not take the caller off hold after the interrupted consultation; the agent can resume it',
        ),
      );
  }

  /** Takes the caller out of its conversation's bridge (the agent has gone), back under the service's control. */
  async leaveBridge(session: CallSession): Promise<void> {
    const bridgeId = this.bridges.get(session.routingId);
    if (!bridgeId) return;
    this.bridges.delete(session.routingId);
    await this.telephony.ari.destroyBridge(bridgeId).catch(() => undefined);
  }

  /** Once per call: a caller queued again (transfer, lost agent) is still released once when it ends. */
  private releaseWhenEnded(session: CallSession): void {
    if (this.watched.has(session)) return;
    this.watched.add(session);
    session.onEnd(() => this.releaseCaller(session));
  }

  digit(session: CallSession, digit: string): void {
    if (session.state === 'queued') this.input({ type: 'dtmf', interactionId: session.routingId, digit });
  }

  /** The caller's leg is gone: tell the router (abandon or end of conversation) and clean up the legs. */
  releaseCaller(session: CallSession): void {
    const id = session.routingId;
    // A callback's leg is not the caller's who asked for it: they hang up after asking, and it rings on.
    // (The callback's own conversation, on the same routing id, ends with its legs as any call does.)
    const legs = this.legs.forInteraction(id).filter((l) => !(l.callback && session.callbackRequested));
    // An answered leg not bridged yet is the conversation too: the seat is talking on it already.
    const connected = legs.find((l) => l.state === 'connected' || l.state === 'answered');
    if (connected) {
      // The conversation is over: the agent is told why (before their phone's hang-up, which says nothing
      // of it), goes to wrap-up, their leg is hung up, the bridge torn down.
      const ended = session.endedAs;
      if (ended)
        this.hub.publish('call.hangup', {
          interactionId: id,
          agentId: connected.agentId,
          by: ended.by,
          ...(ended.lineLost ? { lineLost: true } : {}),
        });
      this.input({ type: 'agent', agentId: connected.agentId, input: { type: 'hangup', interactionId: id } });
    } else if (this.router.callerInLine(id)) {
      this.input({ type: 'callerLeft', interactionId: id });
    }
    // Otherwise the call had left every line already (its agent hung up first, a transfer took it out of
    // the ACD, a callback request waits on without its caller): there is no abandon to tell.
    for (const leg of legs) void this.hangupLeg(leg);
    const bridgeId = this.bridges.get(id);
    if (bridgeId) {
      this.bridges.delete(id);
      void this.telephony.ari.destroyBridge(bridgeId).catch(() => undefined);
    }
    this.calls.delete(id);
  }

  // ---- agent legs

  async originateLeg(
    interactionId: string,
    queueId: string,
    agentId: string,
    endpoint: string,
    ringSeconds: number,
    /** A callback rings the agent first, with no caller on the line. */
    callback?: { callerNumber: string },
  ): Promise<void> {
    const session = this.calls.get(interactionId);
    if (!callback && !session?.isLive) return;
    const channelId = `leg-${randomUUID()}`;
    this.legs.add({
      channelId,
      interactionId,
      agentId,
      queueId,
      state: 'ringing',
      hangupRequested: false,
      offeredAt: this.now(),
      ...(callback ? { callback: true } : {}),
    });
    try {
      await this.telephony.originate({
        endpoint,
        channelId,
        appArgs: ['agent-leg', interactionId, agentId].join(','),
        callerId: callback ? callerIdOf(callback.callerNumber) : (session?.legCallerId ?? 'unknown'),
        // The softphone reads this header to show the screen pop as soon as the call rings.
        variables: { 'PJSIP_HEADER(add,X-Interaction-Id)': interactionId },
        // The router's own ring timer decides RONA; Asterisk's timeout is only a backstop.
        timeout: ringSeconds + 10,
      });
    } catch (error) {
      this.legs.remove(channelId);
      const refused = refusedCallReason(endpoint, error);
      if (refused) {
        // Asterisk answered that it could not create the call (no registered contact, unknown endpoint).
        this.agentUnreachable(agentId, interactionId, queueId, refused);
        return;
      }
      // Asterisk itself did not answer (down, restarting): not the phone's fault, so the seat stays ready.
      this.logger.warn(
        { err: error, interactionId, agentId },
        'could not reach Asterisk to ring the agent; treating it as a reject',
      );
      this.input({ type: 'agent', agentId, input: { type: 'reject', interactionId } });
    }
  }

  async hangupLeg(leg: { channelId: string; hangupRequested: boolean }): Promise<void> {
    if (leg.hangupRequested) return;
    leg.hangupRequested = true;
    await this.telephony.ari.hangup(leg.channelId).catch((error) => {
      if (!isGone(error))
        this.logger.warn({ err: error, channelId: leg.channelId }, 'agent leg hang-up failed');
    });
  }

  /** An originated agent leg entered Stasis: the agent answered. */
  legAnswered(channelId: string): void {
    if (this.seatLegs?.answered(channelId)) return;
    const leg = this.legs.get(channelId);
    if (!leg) {
      void this.telephony.ari.hangup(channelId).catch(() => undefined);
      return;
    }
    leg.state = 'answered';
    const refusals = this.input({
      type: 'agent',
      agentId: leg.agentId,
      input: { type: 'answer', interactionId: leg.interactionId },
    });
    if (refusals.length > 0) {
      this.logger.warn(
        { interactionId: leg.interactionId, agentId: leg.agentId, refusals },
        'answer refused; hanging up the agent leg',
      );
      void this.hangupLeg(leg);
    }
  }

  /** Telephony events about agent legs. Returns true when the event belonged to one. */
  onLegEvent(event: TelephonyEvent): boolean {
    this.recordings.onEvent(event);
    if (this.agentAnnouncements.onEvent(event)) return true;
    if (this.callbacks?.onEvent(event)) return true;
    if (this.seatLegs?.onEvent(event)) return true;
    if (event.type === 'channel.hangup-requested') {
      const leg = this.legs.get(event.channelId);
      if (leg && isDeviceLoss(event)) leg.deviceLost = true;
      return leg !== undefined;
    }
    if (event.type !== 'channel.ended' && event.type !== 'channel.left-app') return false;
    const leg = this.legs.get(event.channelId);
    if (!leg) return false;
    this.legs.remove(event.channelId);
    if (leg.hangupRequested) return true;
    const session = this.calls.get(leg.interactionId);
    const unreachable = leg.state === 'ringing' ? unreachableReason(event) : undefined;
    if (leg.state === 'connected' && leg.deviceLost && session?.isLive && session.queue?.queueId) {
      this.agentLost(leg.agentId, leg.interactionId, session, session.queue.queueId);
    } else if (leg.state === 'connected') {
      // The agent hung up on the caller: the conversation ends for both; the agent goes to wrap-up.
      this.input({
        type: 'agent',
        agentId: leg.agentId,
        input: { type: 'hangup', interactionId: leg.interactionId },
      });
      if (session?.isLive) {
        session.endedByAgent = true;
        // The queue's after-call flow (a survey) carries the caller on; otherwise the call is over.
        const flowId = this.router.queue(leg.queueId)?.afterCallFlow;
        if (!flowId || !this.afterCall?.(session, flowId)) void session.hangup();
      }
    } else if (leg.state === 'answered') {
      // Answered, then gone before the call was bridged: a callback's agent whose customer still rings (a
      // queue call's connect sees the leg gone and puts the caller back in line itself).
      this.callbacks?.agentLeft(leg.interactionId, leg.agentId);
    } else if (unreachable) {
      this.agentUnreachable(leg.agentId, leg.interactionId, leg.queueId, unreachable);
    } else if (leg.state === 'ringing') {
      // Declined before answering (busy, rejected, no answer from the phone): the router re-offers.
      this.input({
        type: 'agent',
        agentId: leg.agentId,
        input: { type: 'reject', interactionId: leg.interactionId },
      });
    }
    return true;
  }

  /**
   * An offer could not ring the agent's phone at all. Not the agent's choice, but a phone that cannot ring
   * must not stay "available": every following caller would be offered to it first and wait for nothing.
   * The seat goes not ready (phone_unreachable) and the router offers the caller to the next agent.
   */
  private agentUnreachable(agentId: string, interactionId: string, queueId: string, reason: string): void {
    this.reportUnreachable(agentId, interactionId, reason, queueId);
    this.input({ type: 'agent', agentId, input: { type: 'unreachable', interactionId } });
  }

  /**
   * Ends the call a seat held as its own (outboundStart: an agent called in by a colleague's transfer,
   * consultation or conference, or dialling out from the page), with `wrapUpSeconds` (default none). When
   * `unreachable` says why its phone could not be rung, the seat goes not ready, as after an offer.
   */
  endReservedCall(
    agentId: string,
    interactionId: string,
    end: { wrapUpSeconds?: number; unreachable?: string; queueId?: string } = {},
  ): void {
    if (end.unreachable) {
      this.reportUnreachable(agentId, interactionId, end.unreachable, end.queueId);
      this.input({ type: 'agent', agentId, input: { type: 'notReady', reason: UNREACHABLE_REASON } });
    }
    const wrapUpSeconds = end.unreachable ? 0 : (end.wrapUpSeconds ?? 0);
    this.input({ type: 'agent', agentId, input: { type: 'hangup', interactionId, wrapUpSeconds } });
  }

  private reportUnreachable(
    agentId: string,
    interactionId: string,
    reason: string,
    queueId: string | undefined,
  ): void {
    const session = this.calls.get(interactionId);
    (session?.logger ?? this.logger).warn(
      { interactionId, agentId, queueId, reason },
      "could not ring the agent's phone; the agent is set not ready",
    );
    void session?.record({ type: 'acd.agent.unreachable', payload: { agentId, queueId, reason } });
    this.hub.publish('acd.agent.unreachable', { interactionId, agentId, queueId, reason });
  }

  /** Phones Asterisk last said cannot be rung (quiet to its OPTIONS, unregistered), by endpoint (agent id). */
  private readonly phonesGone = new Set<string>();

  /**
   * A phone Asterisk asks whether it is there stopped answering (or unregistered), or answered again. An
   * available agent whose phone stopped is set not ready (phone_unreachable) at once, as an offer to it
   * would: the wallboard, the queue's figures and the flows' look at the queue then count only agents who can
   * be rung; so is one who becomes available later (logs in, ends a wrap-up) while it stays gone, and ready
   * is refused with the reason.
   * One set aside for that phone (by this or by an offer that could not ring it) is ready again once it
   * answers, and routing runs: a phone that missed an OPTIONS under load, or was unplugged a moment, costs
   * the agent no calls until they notice. A seat on a call, or on a break of the agent's own, is left alone.
   */
  phoneReach(reach: PhoneReach): void {
    const agentId = reach.endpoint;
    if (!reach.reachable) {
      this.phonesGone.add(agentId);
      this.setAsideIfPhoneGone(agentId);
      return;
    }
    this.phonesGone.delete(agentId);
    const state = this.router.seat(agentId)?.state;
    if (state?.type !== 'not_ready' || state.reason !== UNREACHABLE_REASON) return;
    const refusals = this.input({ type: 'agent', agentId, input: { type: 'phoneReachable' } });
    if (refusals.length === 0) this.logger.info({ agentId }, "the agent's phone answers again: ready again");
  }

  private setAsideIfPhoneGone(agentId: string): void {
    if (!this.phonesGone.has(agentId) || this.router.seat(agentId)?.state.type !== 'available') return;
    this.logger.info({ agentId }, "the agent's phone does not answer: set not ready");
    this.input({ type: 'agent', agentId, input: { type: 'notReady', reason: UNREACHABLE_REASON } });
  }

  /**
   * The agent's phone stopped sending audio mid-call (its page closed or crashed, its network went) and
   * Asterisk ended the leg: the caller is not hung up on but goes back to the front of the queue, keeping
   * the time it first queued; the agent is set not ready (connection lost) with no wrap-up, so no new call
   * is offered to a phone that is not there. Also for an agent who took the call by a transfer.
   */
  agentLost(agentId: string, interactionId: string, session: CallSession, queueId: string): void {
    session.logger.warn(
      { agentId, queueId },
      "agent's phone lost mid-call; the caller goes back to the queue",
    );
    void session.record({
      type: 'acd.agent.lost',
      payload: { agentId, queueId, reason: "no audio from the agent's phone" },
    });
    this.hub.publish('acd.agent.lost', { interactionId, agentId, queueId });
    this.input({ type: 'agent', agentId, input: { type: 'notReady', reason: LOST_REASON } });
    this.input({ type: 'agent', agentId, input: { type: 'hangup', interactionId, wrapUpSeconds: 0 } });
    const enqueuedAt = session.queue?.enqueuedAt ?? this.now();
    const { priority, skills, connectedAt } = session.queue ?? {};
    // The conversation that just broke off was no waiting: the wait reported at the next answer leaves it out.
    const talkedMs =
      (session.queue?.talkedMs ?? 0) + (connectedAt !== undefined ? this.now() - connectedAt : 0);
    void (async () => {
      await this.seatLegs
        ?.agentLost(interactionId)
        .catch((error) =>
          session.logger.warn(
            { err: error, agentId },
            "could not end the lost agent's consultation or conference",
          ),
        );
      await this.requeue(session, queueId, { priority, skills, requeued: { enqueuedAt, talkedMs } });
    })();
  }

  /**
   * The agent answered but could not be bridged to the caller: one of them hung up in between, or Asterisk
   * refused. Nobody is left in between: the seat's call ends (wrap-up, as after any call it answered), the
   * agent's leg is hung up, and a caller still on the line goes back to the front of the queue with its
   * place, priority and skills.
   */
  async connectFailed(
    d: { interactionId: string; queueId: string; agentId: string },
    error?: unknown,
    reason = 'could not bridge the caller to the agent who answered',
  ) {
    const { interactionId, agentId } = d;
    const seat = this.router.seat(agentId)?.state;
    if (seat?.type === 'talking' && seat.call.interactionId === interactionId) {
      this.input({ type: 'agent', agentId, input: { type: 'hangup', interactionId } });
    }
    const leg = this.legs.find(interactionId, agentId);
    if (leg) await this.hangupLeg(leg);
    const session = this.calls.get(interactionId);
    if (!session?.isLive) {
      // The caller hung up as the agent answered: the router had already taken them out of the line, so
      // no abandon decision comes; the stay in the queue ends here, as abandoned.
      void this.options.log?.queueLeft(interactionId, this.now(), 'abandoned').catch(visitNotWritten(this));
      return;
    }
    session.logger.warn({ agentId, err: error }, `${reason}; the caller goes back to the front`);
    const { priority, skills, enqueuedAt } = session.queue ?? { enqueuedAt: this.now() };
    await this.requeue(session, d.queueId, { priority, skills, requeued: { enqueuedAt } });
    const position = this.router
      .waiting(this.now(), d.queueId)
      .findIndex((e) => e.interactionId === interactionId);
    void session.record({
      type: 'acd.requeued',
      payload: { queueId: d.queueId, position: Math.max(1, position + 1), reason, agentId },
    });
  }

  /**
   * Once the calls a previous run left are reconciled: agents held not ready only for a conversation that
   * was not carried on (it had ended, or could not be) are logged out, as the restart's seat rules say.
   * An agent who has since chosen a state themselves, or is back on their call, is left alone.
   */
  releaseSeatsHeldForCalls(): void {
    const held = this.seatsHeldForCalls;
    this.seatsHeldForCalls = [];
    for (const agentId of held) {
      const state = this.router.seat(agentId)?.state;
      if (state?.type !== 'not_ready' || state.reason !== RESTART_REASON) continue;
      this.logger.info({ agentId }, 'agent held for a call the restart did not carry on: logged out');
      this.input({ type: 'agent', agentId, input: { type: 'logout' } });
    }
  }

  stop(): void {
    this.timers.clear();
    clearTimeout(this.dailyReset);
  }
}

/** The router's wrap-up timers for seats that start in wrap-up (given back by a restart). */
function wrapUpTimers(seats: Record<string, AgentSeat>): Record<string, number> {
  const timers: Record<string, number> = {};
  for (const seat of Object.values(seats)) {
    if (seat.state.type === 'wrap_up') timers[timerKey('wrap', seat.agentId)] = seat.state.until;
  }
  return timers;
}
