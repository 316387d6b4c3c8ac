import type { BlockedCallers } from './blocked-callers.js';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { InteractionLog } from '../store/interaction-log.js';
import type { InteractionRow } from '../store/schema.js';
import type { Telephony, TelephonyEvent } from '../telephony/telephony.js';
import type { RouteConfig } from '../config/schema.js';
import type { AcdRuntime } from './acd/acd-runtime.js';
import type { AcdCallbackRunner } from './acd/callback-runner.js';
import { CallSession } from './call-session.js';
import { DIRECT_LINE_WAIT_SECONDS } from '../ivr/types.js';
import { rejoinGivenUp } from './seat/rejoin.js';
import {
  failRingingTransfer,
  resumeConversation,
  resumeQueueScript,
  runQueueScript,
  runWelcomeScript,
} from './inbound-call.js';
import {
  carryOnTransferDialling,
  type IvrDeps,
  keepMessageLeftWhileAway,
  resumeFlowScript,
  runAfterCallFlow,
  runFlowScript,
  leaveQueueVoicemail,
  withBuiltInFlows,
} from './ivr/flow-script.js';
import { MONITOR_LEG_KIND, MONITOR_SNOOP_KIND } from './supervise/call-monitors.js';
import { carryOnTransfer, TRANSFER_LEG_KIND } from './ivr/transfer.js';
import type { CallAdmission } from './overload.js';
import {
  conversationTakeover,
  ivrCallerTakeover,
  ivrTransferDiallingTakeover,
  ivrTransferTakeover,
  outboundDiallingTakeover,
  messageLeftWhileAway,
  ringingTransferTakeover,
  waitingCallerTakeover,
} from './takeover.js';

export interface CallsServiceOptions {
  telephony: Telephony;
  log: InteractionLog;
  logger: Logger;
  welcomeMedia: string[];
  acd: AcdRuntime;
  callbacks?: AcdCallbackRunner;
  routes: RouteConfig[];
  /** IVR flows for routes with `flow` (absent: such calls hear an apology). */
  ivr?: Omit<IvrDeps, 'telephony' | 'log' | 'logger' | 'acd'>;
  /** Numbers supervisors blocked: their calls are turned away unanswered. Absent: none is. */
  blockedCallers?: Pick<BlockedCallers, 'turnsAway'>;
  /** Calls an agent's own phone places (dialplan kind `agent-outbound`); absent: refused. */
  placedFromPhone?: (channelId: string, endpointName: string, dialled: string) => Promise<unknown>;
  /** Load shedding: trunk calls arriving while this refuses are turned away (absent: all come in). */
  admission?: CallAdmission;
  /** Told once every call a previous run left is carried on or closed (the first sync with Asterisk). */
  previousCallsSettled?: () => void;
  now?: () => number;
}

/** The first route whose dialed number matches (`*` matches any). */
export function routeFor(routes: RouteConfig[], dialed: string): RouteConfig | undefined {
  return routes.find((r) => r.dialed === dialed) ?? routes.find((r) => r.dialed === '*');
}

/**
 * Turns telephony events into calls: opens an interaction per arriving call, runs its script, routes each
 * event to the call it belongs to, and reconciles with Asterisk after every reconnect.
 */
export class CallsService {
  private readonly sessions = new Map<string, CallSession>();
  /** Far-end legs of IVR transfers taken over from a previous run (carryOnTransfer watches them). */
  private readonly carriedOnTransferLegs = new Set<string>();
  /**
   * The calls and legs known when the last channel listing was asked for: only those can be judged by it
   * (one that came after may be missing from it though alive).
   */
  private atResync = { calls: new Set<string>(), legs: new Set<string>() };
  private readonly now: () => number;
  private readonly startedAt: number;
  private firstSync = true;
  /** Ends of channels no call owned, seen while a reconcile runs (see 'resync'). */
  private endedWhileReconciling: Map<string, TelephonyEvent> | undefined;
  /** The flows callers a previous run left in the IVR carry on in: the files' and the built-in ones. */
  private readonly flowsAfterRestart = withBuiltInFlows(() => this.options.ivr?.flows);

  constructor(private readonly options: CallsServiceOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  start(): void {
    const { acd, telephony, log, logger } = this.options;
    // A queue's after-call flow (a survey) takes over a caller whose agent ended the conversation.
    acd.afterCall = (session, flowId) => {
      const ivr = this.options.ivr;
      if (!ivr?.flows?.getFlow(flowId)) {
        session.logger.warn({ flowId }, 'the after-call flow is not loaded; hanging up as usual');
        return false;
      }
      void runAfterCallFlow(
        session,
        { ...ivr, telephony, log, logger, acd },
        { flowId, caller: session.callerNumber, dialed: '' },
      );
      return true;
    };
    // A queue's voicemail target: the caller leaves a message, kept as an IVR voicemail step keeps it.
    acd.leaveMessage = async (session, voicemail) => {
      // The number the caller dialled goes on the message, as an IVR flow's voicemail puts it.
      const row = await log.get(session.interactionId).catch(() => undefined);
      await leaveQueueVoicemail(
        session,
        { flows: undefined, ...this.options.ivr, telephony, log, logger, acd },
        { caller: session.callerNumber, dialed: row?.dialed_number ?? '' },
        voicemail,
      );
    };
    if (this.options.callbacks) {
      this.options.callbacks.onSession = (session) => this.sessions.set(session.channelId, session);
    }
    this.options.telephony.on('event', (event) => {
      this.handle(event).catch((error) =>
        this.options.logger.error({ err: error, event: event.type }, 'event handling failed'),
      );
    });
  }

  get activeCalls(): number {
    return this.sessions.size;
  }

  /** Resolves when every live call has closed its interaction (for graceful shutdown and tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.closed));
  }

  private async handle(event: TelephonyEvent): Promise<void> {
    if (this.options.acd.onLegEvent(event)) return;
    switch (event.type) {
      case 'call.arrived':
        return this.arrive(event);
      case 'resync.started':
        // From the listing on: an end of a channel no call owns yet may be one the reconcile takes over.
        this.endedWhileReconciling ??= new Map();
        this.atResync = {
          calls: new Set(this.sessions.keys()),
          legs: new Set([
            ...this.options.acd.legs.all().map((l) => l.channelId),
            ...(this.options.acd.seatLegs?.channels() ?? []),
            // A callback's customer leg that rang out or was busy while the link was down.
            ...(this.options.acd.callbacks?.channels() ?? []),
          ]),
        };
        return;
      case 'resync':
        try {
          await this.reconcile(event);
        } finally {
          // Calls taken over whose channel ended meanwhile (after the listing): their end is told now,
          // so none stays on as a caller nobody is on the line for.
          const ended = this.endedWhileReconciling;
          this.endedWhileReconciling = undefined;
          for (const [channelId, end] of ended ?? [])
            if (this.sessions.has(channelId)) await this.handle(end);
        }
        return;
      case 'playback.finished': {
        for (const session of this.sessions.values()) {
          if (session.ownsPlayback(event.playbackId)) session.onTelephonyEvent(event);
        }
        return;
      }
      case 'channel.left-app':
      case 'channel.ended': {
        const session = this.sessions.get(event.channelId);
        if (!session) {
          // A call a previous run left may end while this run is still taking calls over: kept for it.
          this.endedWhileReconciling?.set(event.channelId, event);
          return;
        }
        session.onTelephonyEvent(event);
        await session.closed;
        this.sessions.delete(event.channelId);
        return;
      }
      default: {
        if ('channelId' in event) this.sessions.get(event.channelId)?.onTelephonyEvent(event);
      }
    }
  }

  private async arrive(event: Extract<TelephonyEvent, { type: 'call.arrived' }>): Promise<void> {
    const { logger, telephony, log } = this.options;
    if (event.kind === 'agent-leg') {
      this.options.acd.legAnswered(event.channelId);
      return;
    }
    if (event.kind === 'callback-customer' && this.options.callbacks) {
      await this.options.callbacks.customerAnswered(event.channelId, {
        telephony,
        log,
        logger,
        now: this.now,
      });
      return;
    }
    if (event.kind === TRANSFER_LEG_KIND) return; // an IVR transfer leg: src/calls/ivr/transfer.ts has it
    // A supervisor's phone or a snoop on an agent's leg: src/calls/supervise/call-monitors.ts has them.
    if (event.kind === MONITOR_LEG_KIND || event.kind === MONITOR_SNOOP_KIND) return;
    if (event.kind === 'agent-outbound' && this.options.placedFromPhone) {
      const [endpointName = '', dialled = event.exten] = event.args;
      await this.options.placedFromPhone(event.channelId, endpointName, dialled);
      return;
    }
    if (event.kind !== 'inbound') {
      logger.warn({ callId: event.channelId, kind: event.kind }, 'call kind not handled; hanging up');
      await telephony.ari.hangup(event.channelId, 'congestion').catch(() => undefined);
      return;
    }
    if (this.sessions.has(event.channelId)) {
      logger.warn(
        { callId: event.channelId },
        'channel entered the application twice; the first entry stands',
      );
      return;
    }
    const [trunk, dialed] = event.args;
    // Matched everywhere (VIP, contacts, history, last agent, callbacks) in the numbering plan's one form.
    const caller = this.options.acd.numbers.read(event.callerNumber);
    // The session exists before any await, so a hang-up that arrives while the row is being written
    // still finds its call; the row's insert is the first write in the call's ordered queue.
    const session = new CallSession(
      event.channelId,
      randomUUID(),
      event.at,
      { telephony, log, logger, now: this.now },
      caller.number,
      event.callerName,
    );
    this.sessions.set(event.channelId, session);
    void session.enqueueWrite('interaction.opened', () =>
      log.open({
        id: session.interactionId,
        direction: 'inbound',
        channelId: event.channelId,
        trunk,
        callerNumber: caller.number || undefined,
        callerNumberAsDelivered: caller.asDelivered,
        callerName: event.callerName || undefined,
        dialedNumber: dialed ?? event.exten,
        startedAt: event.at,
      }),
    );
    const dialedNumber = dialed ?? event.exten;
    const refused = this.options.admission?.refusal();
    if (refused) {
      // On record like any call, then a 503 before answering: the carrier can try elsewhere.
      session.logger.warn({ caller: caller.number, dialed: dialedNumber, ...refused }, 'call refused');
      session.unansweredDisposition = 'rejected';
      void session.record({ type: 'call.refused', payload: refused });
      await telephony.ari.hangup(event.channelId, 'congestion').catch(() => undefined);
      return;
    }
    const block = this.options.blockedCallers?.turnsAway(caller.number, {
      callId: event.channelId,
      interactionId: session.interactionId,
    });
    if (block) {
      // On record like any call, then refused before answering: a robocaller is not billed a second.
      session.logger.info(
        { caller: caller.number, dialed: dialedNumber, blockId: block.id },
        'blocked caller turned away',
      );
      session.unansweredDisposition = 'rejected';
      void session.record({
        type: 'call.blocked',
        payload: {
          blockId: block.id,
          number: block.number,
          reason: block.reason,
          ...(block.by ? { blockedBy: { ...block.by } } : {}),
        },
      });
      await telephony.ari.hangup(event.channelId, 'rejected').catch(() => undefined);
      return;
    }
    const route = routeFor(this.options.routes, dialedNumber);
    session.logger.info({ caller: caller.number, dialed: dialedNumber, trunk, route }, 'call arrived');
    const language = route?.language ? await this.speakRouteLanguage(session, route.language) : undefined;
    if (route?.flow) {
      await runFlowScript(
        session,
        { flows: undefined, ...this.options.ivr, telephony, log, logger, acd: this.options.acd },
        {
          flowId: route.flow,
          caller: caller.number,
          callerName: event.callerName,
          dialed: dialedNumber,
          trunk,
          ...(language ? { data: { language } } : {}),
        },
      );
    } else if (route?.queue) {
      await runQueueScript(session, this.options.acd, {
        queueId: route.queue,
        priority: route.priority,
        ...(route.skills ? { skills: route.skills } : {}),
        ...(route.agent
          ? {
              directLine: {
                agentId: route.agent,
                waitSeconds: route.agentWaitSeconds ?? DIRECT_LINE_WAIT_SECONDS,
              },
            }
          : {}),
      });
    } else {
      await runWelcomeScript(session, { welcomeMedia: this.options.welcomeMedia });
    }
  }

  /**
   * A route's language (a Spanish line): set on the channel before anything is played, so the caller hears it
   * from the first prompt; on record, and the caller data the flow and the agent's screen pop start from.
   * Undefined when it could not be set (the caller gone already, or Asterisk refusing: they hear the default).
   */
  private async speakRouteLanguage(session: CallSession, language: string): Promise<string | undefined> {
    try {
      await session.setLanguage(language);
    } catch (error) {
      if (!session.isEnded) session.logger.warn({ err: error, language }, "the route's language was not set");
      return undefined;
    }
    void session.record(
      { type: 'call.language', payload: { language, by: 'route' } },
      { caller_data: JSON.stringify({ language }) },
    );
    return language;
  }

  /**
   * A call a previous run left open, taken over instead of hung up on (rules in takeover.ts): a caller
   * waiting in a queue goes back in line by their first arrival; a conversation with an agent (a queue
   * call, a callback's, an agent's outbound call) goes on, the agent talking on it again; a caller in the
   * IVR carries on at the step it was on (a message they were leaving goes on being recorded), or talks on
   * with the number the flow transferred them to (or waits on for it to answer). Calls anywhere else (call
   * control under way, a flow's outcome being carried out) cannot be picked up mid-way and are closed as
   * lost, as is a caller who hung up mid-message meanwhile, whose message is kept. True when this run now
   * owns the call.
   */
  private async takeOver(
    row: InteractionRow,
    live: Set<string>,
    { channels, bridges }: Extract<TelephonyEvent, { type: 'resync' }>,
  ): Promise<boolean> {
    const { logger, telephony, log, acd } = this.options;
    const timeline = await log.timeline(row.id);
    const session = (channelId: string) =>
      new CallSession(
        channelId,
        row.id,
        row.started_at,
        { telephony, log, logger, now: this.now },
        row.caller_number ?? '',
        row.caller_name ?? '',
      );
    /** This run owns the call from here. */
    const adopt = (channelId: string) => {
      const call = session(channelId);
      this.sessions.set(channelId, call);
      return call;
    };
    const bridged = new Set(bridges.flatMap((b) => b.channelIds));
    const waiting = waitingCallerTakeover(row, timeline, live, bridged);
    if (waiting) {
      const call = adopt(waiting.channelId);
      call.logger.warn(
        { queueId: waiting.queueId },
        'took over a caller waiting in a queue from a previous run',
      );
      await resumeQueueScript(call, acd, waiting);
      return true;
    }
    const inIvr = ivrCallerTakeover(row, timeline, live);
    if (inIvr) {
      const call = adopt(inIvr.channelId);
      const { channelId: _, entryFlowId, conversation, ...resume } = inIvr;
      // An after-call survey (or a message after talking): the call stays the handled one it was.
      if (conversation) call.queue = { ...conversation };
      // Not awaited: the flow runs for as long as the caller is in it.
      void resumeFlowScript(
        call,
        { ...this.options.ivr, flows: this.flowsAfterRestart, telephony, log, logger, acd },
        {
          flowId: entryFlowId,
          caller: row.caller_number ?? '',
          callerName: row.caller_name ?? undefined,
          dialed: row.dialed_number ?? '',
          trunk: row.trunk ?? undefined,
        },
        resume,
      );
      return true;
    }
    /** A caller the IVR transferred out: its far end's leg is this run's to watch, not a leftover. */
    const carryOnTransferLeg = (
      t: { channelId: string; legId: string; number: string },
      reason: string,
      run: (call: CallSession) => Promise<void>,
    ) => {
      const call = adopt(t.channelId);
      call.move('answer'); // answered by the previous run
      this.carriedOnTransferLegs.add(t.legId);
      void call.record({ type: 'call.adopted', payload: { reason } });
      call.logger.warn({ number: t.number, legId: t.legId }, `took over from a previous run: ${reason}`);
      void run(call).finally(() => this.carriedOnTransferLegs.delete(t.legId));
      return true;
    };
    const transferred = ivrTransferTakeover(row, timeline, channels, bridges);
    if (transferred) {
      return carryOnTransferLeg(
        transferred,
        'the service restarted while the IVR had the caller transferred out',
        (call) => carryOnTransfer(call, { telephony, ...transferred }),
      );
    }
    const dialling = ivrTransferDiallingTakeover(row, timeline, live, bridged);
    if (dialling) {
      return carryOnTransferLeg(
        dialling,
        dialling.legGone
          ? 'the service restarted while the IVR was transferring the caller out, and the far end was lost meanwhile (it answered or gave up while no run could take it): dialled again'
          : 'the service restarted while the IVR was transferring the caller out',
        (call) =>
          carryOnTransferDialling(
            call,
            { telephony, now: this.now, trunk: this.options.ivr?.trunk, acd },
            dialling,
          ),
      );
    }
    const left = messageLeftWhileAway(row, timeline, live);
    if (left) {
      // The caller is gone, their message is not: kept, and the call closed as lost below.
      await keepMessageLeftWhileAway(
        { ...this.options.ivr, flows: this.flowsAfterRestart, log, logger, acd },
        row,
        left,
        this.now(),
      );
      return false;
    }
    const outboundRinging = outboundDiallingTakeover(row, timeline, channels, bridges);
    if (outboundRinging) {
      // Not one of this service's sessions, as no outbound call is: the seat's legs have it.
      const call = session(outboundRinging.channelId);
      const refusals = acd.resumeOutboundDialling(call, outboundRinging);
      if (refusals.length > 0) {
        call.logger.warn({ refusals }, 'could not carry on an outbound call still ringing');
        return false;
      }
      void call.record({
        type: 'call.adopted',
        payload: { reason: 'the service restarted while the outbound call rang the customer' },
      });
      call.logger.warn(
        { agentId: outboundRinging.agentId },
        'carried on an outbound call still ringing its customer from a previous run',
      );
      return true;
    }
    const talking = conversationTakeover(
      row,
      timeline,
      channels,
      bridges,
      (agentId) => acd.options.agents.find((a) => a.id === agentId)?.endpoint,
    );
    if (!talking) {
      const ringing = ringingTransferTakeover(row, timeline, channels, bridges);
      if (!ringing) return false;
      const call = adopt(ringing.channelId);
      call.logger.warn(
        { target: ringing.target },
        'a blind transfer was ringing when the service restarted; the caller goes back to the queue',
      );
      await failRingingTransfer(call, acd, ringing);
      return true;
    }
    const call = session(talking.channelId);
    if (talking.routingId) call.routingId = talking.routingId; // a callback's conversation
    const refusals = resumeConversation(call, acd, talking);
    if (refusals.length > 0) {
      call.logger.warn({ refusals }, 'could not carry on a conversation from a previous run');
      return false;
    }
    this.sessions.set(call.channelId, call);
    call.logger.warn({ agentId: talking.agentId }, 'carried on a conversation from a previous run');
    if (talking.rejoinGivenUp !== undefined) {
      // Its channel is the previous run's, hung up with the others below; the page asks again (its Rejoin).
      rejoinGivenUp(acd, call, {
        interactionId: call.routingId,
        agentId: talking.agentId,
        channelId: talking.rejoinGivenUp,
        reason: "the service restarted while the agent's device rang",
      });
      call.logger.warn(
        { agentId: talking.agentId, rejoinChannelId: talking.rejoinGivenUp },
        "the agent's rejoin was ringing when the service restarted: the call goes on on their old leg",
      );
    }
    return true;
  }

  /**
   * After a (re)connect: calls whose channel no longer exists ended while we could not see it; open
   * interactions with no live call belong to a previous run of the service; channels nobody owns that
   * predate this service are leftovers and are hung up so they do not sit in Stasis forever.
   */
  private async reconcile(event: Extract<TelephonyEvent, { type: 'resync' }>): Promise<void> {
    const live = new Set(event.channels.map((c) => c.id));
    for (const [channelId, session] of this.sessions) {
      if (live.has(channelId)) {
        void session.checkPlaybacksAfterGap().catch(() => undefined);
        continue;
      }
      // Arrived while the listing was on its way: alive, just not in it.
      if (!this.atResync.calls.has(channelId)) continue;
      await session.markLost(event.at, 'channel gone after reconnect to Asterisk');
      this.sessions.delete(channelId);
    }
    // Agent and seat legs that ended unseen: their end is told now, so no seat stays on a call for ever.
    for (const channelId of this.atResync.legs) {
      if (live.has(channelId)) continue;
      this.options.acd.onLegEvent({
        type: 'channel.ended',
        at: event.at,
        channelId,
        cause: 0,
        causeText: 'gone while the link to Asterisk was down',
      });
    }
    this.atResync = { calls: new Set(), legs: new Set() };
    if (!this.firstSync) return;
    this.firstSync = false;
    try {
      await this.settlePreviousRun(event, live);
    } finally {
      // Every call the previous run left is carried on or closed (or, should that fail part-way, given up
      // on, the error logged): agents held only for one are done waiting, and the service says it is ready.
      this.options.acd.releaseSeatsHeldForCalls?.();
      this.options.previousCallsSettled?.();
    }
  }

  /** The first reconcile after a start: each call a previous run left taken over or closed as lost. */
  private async settlePreviousRun(
    event: Extract<TelephonyEvent, { type: 'resync' }>,
    live: Set<string>,
  ): Promise<void> {
    const { logger, log, telephony } = this.options;
    const owned = new Set([...this.sessions.values()].map((s) => s.interactionId));
    for (const row of await log.listOpen()) {
      if (owned.has(row.id)) continue;
      // Only calls a previous run left: this run's own (an agent's outbound call, say) are not in `sessions`.
      if (row.started_at >= this.startedAt) continue;
      if (row.direction === 'voicemail') continue; // a message waiting for an agent, not a call
      if (await this.takeOver(row, live, event)) continue;
      const at = this.now();
      await log.record(row.id, at, {
        type: 'interaction.lost',
        payload: { reason: 'service restarted during the call' },
      });
      await log.record(
        row.id,
        at,
        {
          type: 'interaction.closed',
          payload: { disposition: 'lost', endedBy: 'system', durationSeconds: (at - row.started_at) / 1000 },
        },
        {
          state: 'closed',
          ended_at: at,
          disposition: 'lost',
          ended_by: 'system',
          hangup_cause: 'service restarted',
        },
      );
      // A caller still in a queue's line left it unserved: on that queue's figures as abandoned.
      await log.queueLeft(row.id, at, 'abandoned');
      logger.warn(
        { interactionId: row.id, callId: row.channel_id },
        'closed an interaction left open by a previous run',
      );
      if (row.channel_id && live.has(row.channel_id)) {
        await telephony.ari.hangup(row.channel_id).catch(() => undefined);
      }
    }
    // The seat's legs: a conference party kept through the restart.
    const seatLegs = new Set(this.options.acd.seatLegs?.channels() ?? []);
    for (const channel of event.channels) {
      const ours =
        this.sessions.has(channel.id) ||
        this.options.acd.legs.get(channel.id) !== undefined ||
        this.carriedOnTransferLegs.has(channel.id) ||
        seatLegs.has(channel.id);
      if (!ours && channel.createdAt < this.startedAt) {
        logger.warn(
          { callId: channel.id },
          'hanging up a channel left over from before this service started',
        );
        await telephony.ari.hangup(channel.id).catch(() => undefined);
      }
    }
  }
}
