import type { Decision, DecisionType, QueueTarget } from '../../acd/index.js';
import type { SupervisorRef } from '../../acd/router-types.js';
import { type AgentSeatState, seatInteractionId } from '../../agents/index.js';
import { isGone } from '../../telephony/ari/rest.js';
import type { CallSession } from '../call-session.js';
import type { AcdRuntime } from './acd-runtime.js';

type Handler<T extends DecisionType> = (
  decision: Extract<Decision, { type: T }>,
  acd: AcdRuntime,
) => Promise<void> | void;
type Handlers = { [T in DecisionType]: Handler<T> };

const callOf = (acd: AcdRuntime, interactionId: string): CallSession | undefined =>
  acd.calls.get(interactionId);

/** Said to a caller whose number cannot be called back when a callback was the way out: withheld, or barred. */
const NO_CALLBACK_MEDIA = {
  no_number: ['sound:im-sorry', 'sound:unidentified-no-callback'],
  not_allowed: ['sound:im-sorry'],
} as const;

/** Where a caller goes when the ACD lets go of it: another queue is the router's business; the rest is ours. */
async function leaveQueue(
  session: CallSession,
  target: QueueTarget,
  acd: AcdRuntime,
  apology: string[] = [],
): Promise<void> {
  // What the line was telling the caller (their position, a wait) no longer holds; a key they pressed acts now.
  await session.stopPrompts();
  if (target.type === 'queue' || target.type === 'callback') return; // the router moved the entry itself
  session.move('leave-queue');
  await session.stopMusicOnHold();
  if (apology.length > 0) await session.play(apology).catch(() => undefined);
  if (target.type === 'voicemail') {
    // The message is recorded as an IVR voicemail step records it (the calls service runs it).
    if (acd.leaveMessage && session.isLive) {
      const { type: _, ...settings } = target;
      await acd.leaveMessage(session, settings);
      return;
    }
    await session.play(['sound:vm-goodbye']).catch(() => undefined);
  } else {
    await session.play(['sound:queue-thankyou']).catch(() => undefined);
  }
  await session.hangup();
}

/**
 * The queue's hold music again after a prompt that interrupted it, unless the caller left that queue's line
 * while it played: an agent answered (music now would play into their conversation), or they went on to
 * another queue (whose own music has started).
 */
async function resumeHoldMusic(
  session: CallSession,
  d: { interactionId: string; queueId: string; musicOnHoldClass: string },
  acd: AcdRuntime,
): Promise<void> {
  if (session.state === 'queued' && acd.router.lineOf(d.interactionId) === d.queueId) {
    // A caller who hung up as the prompt ended has left Stasis before we hear of it: nothing to resume.
    await session.startMusicOnHold(d.musicOnHoldClass).catch((error: unknown) => {
      if (!isGone(error)) throw error;
    });
  }
}

/**
 * One small handler per router decision: each turns a decision into call-control verbs, timeline entries
 * and stream events. The map's type makes a decision without a handler a compile error.
 */
export const DECISION_HANDLERS: Handlers = {
  async enqueued(d, acd) {
    const session = callOf(acd, d.interactionId);
    if (!session) return;
    session.move('enqueue');
    void acd.options.log?.queueEntered(d.interactionId, d.queueId, acd.now()).catch(visitNotWritten(acd));
    void session.record(
      {
        type: 'acd.enqueued',
        payload: {
          queueId: d.queueId,
          position: d.position,
          priority: d.priority,
          estimatedWaitSeconds: d.estimatedWaitSeconds,
          basePriority: d.basePriority,
          skills: d.skills,
          queueEnteredAt: new Date(d.queueEnteredAt).toISOString(),
          ...(d.front ? { front: true } : {}),
          ...(d.reservedFor
            ? {
                reservedFor: {
                  agentId: d.reservedFor.agentId,
                  until: new Date(d.reservedFor.until).toISOString(),
                },
              }
            : {}),
        },
      },
      { queue_id: d.queueId, enqueued_at: session.queue?.enqueuedAt ?? acd.now() },
    );
    acd.hub.publish('acd.enqueued', { ...d });
    // Ring first: hold music is asked for after this pass's offer (if any) has gone out to the agent's phone;
    // the caller hears it while the phone rings, and the ring does not queue behind it.
    await Promise.resolve();
    await session.startMusicOnHold(d.musicOnHoldClass);
  },

  async offer(d, acd) {
    const session = callOf(acd, d.interactionId);
    if (!session?.isLive) return;
    // The phones are rung before the bookkeeping: the originate requests leave in this same tick.
    const ringing = Promise.all(
      d.targets.map((t) =>
        acd.originateLeg(d.interactionId, d.queueId, t.agentId, t.endpoint, d.ringTimeoutSeconds),
      ),
    );
    void session.record({
      type: 'acd.offered',
      payload: {
        queueId: d.queueId,
        agentIds: d.targets.map((t) => t.agentId),
        ringTimeoutSeconds: d.ringTimeoutSeconds,
        why: {
          strategy: d.why.strategy,
          rule: d.why.rule,
          // The router made these rows for this offer alone; written as they are (no copy per row).
          considered: d.why.considered as unknown as Record<string, unknown>[],
          ...(d.why.lastAgent
            ? {
                lastAgent: {
                  agentId: d.why.lastAgent.agentId,
                  servedAt: new Date(d.why.lastAgent.servedAt).toISOString(),
                },
              }
            : {}),
          ...(d.why.widening ? { widening: d.why.widening } : {}),
          ...(d.why.reservedFor
            ? {
                reservedFor: {
                  agentId: d.why.reservedFor.agentId,
                  until: new Date(d.why.reservedFor.until).toISOString(),
                },
              }
            : {}),
        },
      },
    });
    acd.hub.publish('acd.offered', {
      interactionId: d.interactionId,
      queueId: d.queueId,
      agentIds: d.targets.map((t) => t.agentId),
    });
    await ringing;
  },

  async cancelOffer(d, acd) {
    const leg = acd.legs.find(d.interactionId, d.agentId);
    callOf(acd, d.interactionId)?.record({
      type: 'acd.offer.cancelled',
      payload: { agentId: d.agentId, reason: d.reason },
    });
    if (leg) await acd.hangupLeg(leg);
  },

  async connect(d, acd) {
    const session = callOf(acd, d.interactionId);
    const leg = acd.legs.find(d.interactionId, d.agentId);
    if (!session?.isLive || !leg) return acd.connectFailed(d);
    const queue = acd.router.queue(d.queueId);
    const sounds = queue?.agentAnnouncement ?? [];
    const waitSeconds = queue?.agentAnnouncementWait ? Math.round(d.waitedMs / 1000) : undefined;
    if (sounds.length > 0 || waitSeconds !== undefined) {
      // The agent hears which queue the call comes from first; the caller stays on hold music meanwhile.
      const media = [
        ...sounds.map((s) => `sound:${s}`),
        ...(waitSeconds !== undefined ? waitMedia(waitSeconds) : []),
      ];
      const outcome = await acd.agentAnnouncements.play(leg, session, media);
      if (outcome === 'hung_up' || !session.isLive || acd.legs.get(leg.channelId) !== leg)
        return acd.connectFailed(d, undefined, 'the agent hung up during the announcement');
      void session.record({
        type: 'acd.agent.announced',
        payload: {
          queueId: d.queueId,
          agentId: d.agentId,
          sounds: [...sounds],
          ...(waitSeconds !== undefined ? { waitSeconds } : {}),
          outcome,
        },
      });
    }
    const bridgeId = `call-${d.interactionId}`;
    try {
      // An announcement still playing would hold the caller out of the bridge (Asterisk runs a channel's
      // requests in turn) and the agent would wait in silence for its end: it is cut short.
      await session.stopPrompts();
      await session.stopMusicOnHold();
      await acd.telephony.ari.createBridge({ bridgeId, type: 'mixing', name: bridgeId });
      acd.bridges.set(d.interactionId, bridgeId);
      await acd.telephony.ari.addToBridge(bridgeId, [session.channelId, leg.channelId]);
    } catch (error) {
      return acd.connectFailed(d, error);
    }
    // Either side may have hung up while the bridge was being made.
    if (!session.isLive || acd.legs.get(leg.channelId) !== leg) return acd.connectFailed(d);
    leg.state = 'connected';
    const at = acd.now();
    session.move('connect');
    void acd.options.log?.queueLeft(d.interactionId, at, 'answered', d.agentId).catch(visitNotWritten(acd));
    session.queue = {
      ...session.queue,
      queueId: d.queueId,
      enqueuedAt: session.queue?.enqueuedAt ?? at,
      agentId: d.agentId,
      connectedAt: at,
    };
    void session.record(
      {
        type: 'acd.connected',
        payload: { queueId: d.queueId, agentId: d.agentId, waitSeconds: d.waitedMs / 1000, bridgeId },
      },
      { agent_id: d.agentId, queue_id: d.queueId, wait_seconds: d.waitedMs / 1000, connected_at: at },
      at,
    );
    acd.hub.publish('acd.connected', {
      interactionId: d.interactionId,
      queueId: d.queueId,
      agentId: d.agentId,
    });
    await acd.recordings.start(session);
  },

  async announce(d, acd) {
    const session = callOf(acd, d.interactionId);
    if (!session?.isLive || session.state !== 'queued') return;
    const media: string[] = [];
    if (d.sayPosition) {
      media.push(
        ...(d.position <= 1
          ? ['sound:queue-youarenext']
          : ['sound:queue-thereare', `number:${d.position - 1}`, 'sound:queue-callswaiting']),
      );
    }
    const wait = d.sayEstimatedWait ? d.estimatedWaitSeconds : null;
    if (wait !== null) {
      media.push(
        'sound:queue-holdtime',
        `number:${Math.max(1, Math.round(wait / 60))}`,
        'sound:queue-minutes',
      );
    }
    media.push(...d.sounds.map((s) => `sound:${s}`));
    if (media.length === 0) return;
    void session.record({
      type: 'acd.announced',
      payload: {
        queueId: d.queueId,
        position: d.position,
        estimatedWaitSeconds: d.estimatedWaitSeconds,
        positionSaid: d.sayPosition,
        waitSaid: wait !== null,
        ...(d.sounds.length > 0 ? { sounds: [...d.sounds] } : {}),
      },
    });
    await session.stopMusicOnHold();
    await session.play(media).catch(() => undefined);
    await resumeHoldMusic(session, d, acd);
  },

  async overflow(d, acd) {
    const session = callOf(acd, d.interactionId);
    if (!session) return;
    flowedOut(acd, d.interactionId);
    sentOn(acd, d.interactionId, session, d.fromQueueId, d.target, d.reason, d.supervisor);
    await leaveQueue(session, d.target, acd);
  },

  servedFirst(d, acd) {
    const supervisor = d.supervisor ? { supervisor: { ...d.supervisor } } : {};
    callOf(acd, d.interactionId)?.record({
      type: 'acd.served_first',
      payload: { queueId: d.queueId, ...supervisor },
    });
    acd.hub.publish('acd.served_first', {
      interactionId: d.interactionId,
      queueId: d.queueId,
      ...supervisor,
    });
  },

  async fallback(d, acd) {
    const session = callOf(acd, d.interactionId);
    if (!session) return;
    // Sent on at the door (nobody logged in) or from the line (the last agent left): on the queue's figures
    // as offered and flowed out either way.
    void acd.options.log?.queueFlowedOut(d.interactionId, d.queueId, acd.now()).catch(visitNotWritten(acd));
    sentOn(acd, d.interactionId, session, d.queueId, d.target, d.reason);
    await leaveQueue(session, d.target, acd);
  },

  async exit(d, acd) {
    const session = callOf(acd, d.interactionId);
    if (!session) return;
    flowedOut(acd, d.interactionId);
    sentOn(acd, d.interactionId, session, d.queueId, d.target, `exit_key_${d.digit}`);
    await leaveQueue(session, d.target, acd);
  },

  async rejectedQueueFull(d, acd) {
    const session = callOf(acd, d.interactionId);
    if (!session) return;
    sentOn(acd, d.interactionId, session, d.queueId, d.target, 'queue_full');
    if (session.state === 'answered') session.move('enqueue'); // it never joined; leave-queue needs queued
    // Offered to the full queue and sent on at once: on that queue's figures as a flowed-out call.
    void acd.options.log?.queueFlowedOut(d.interactionId, d.queueId, acd.now()).catch(visitNotWritten(acd));
    await leaveQueue(session, d.target, acd);
  },

  afterCallChosen(d, acd) {
    // On the call's own record, so a restart carrying the call on (or one in the wrap-up after it, when the
    // caller is gone) keeps the agent's choice.
    const entry = {
      type: 'agent.after-call',
      payload: { agentId: d.agentId, after: { ...d.after } },
    } as const;
    const call = callOf(acd, d.interactionId);
    if (call) call.record(entry);
    else {
      void acd.options.log
        ?.record(d.interactionId, acd.now(), entry)
        .catch((error) =>
          acd.logger.warn({ err: error, agentId: d.agentId }, 'after-call choice not written'),
        );
    }
  },

  lastAgentAwaited(d, acd) {
    callOf(acd, d.interactionId)?.record({
      type: 'acd.last_agent.awaited',
      payload: {
        queueId: d.queueId,
        agentId: d.agentId,
        servedAt: new Date(d.servedAt).toISOString(),
        until: new Date(d.until).toISOString(),
      },
    });
  },

  widened(d, acd) {
    const payload = { queueId: d.queueId, ...d.widening };
    callOf(acd, d.interactionId)?.record({ type: 'acd.widened', payload });
    acd.hub.publish('acd.widened', { interactionId: d.interactionId, ...payload });
    acd.logger.info({ interactionId: d.interactionId, ...payload }, 'queue widened for the caller');
  },

  rona(d, acd) {
    callOf(acd, d.interactionId)?.record({
      type: 'acd.rona',
      payload: { queueId: d.queueId, agentId: d.agentId, ringSeconds: d.ringMs / 1000 },
    });
    acd.hub.publish('agent.missed-call', {
      agentId: d.agentId,
      interactionId: d.interactionId,
      queueId: d.queueId,
      ringSeconds: d.ringMs / 1000,
    });
  },

  requeuedAfterRona(d, acd) {
    callOf(acd, d.interactionId)?.record({
      type: 'acd.requeued',
      payload: { queueId: d.queueId, position: d.position, reason: 'rona' },
    });
  },

  requeuedAfterReject(d, acd) {
    callOf(acd, d.interactionId)?.record({
      type: 'acd.requeued',
      payload: { queueId: d.queueId, position: d.position, reason: d.reason, agentId: d.agentId },
    });
  },

  abandoned(d, acd) {
    void acd.options.log?.queueLeft(d.interactionId, acd.now(), 'abandoned').catch(visitNotWritten(acd));
    callOf(acd, d.interactionId)?.record({
      type: 'acd.abandoned',
      payload: {
        queueId: d.queueId,
        waitSeconds: d.waitedMs / 1000,
        wasRinging: d.wasRinging,
        ...(d.noCallback ? { noCallback: d.noCallback } : {}),
      },
    });
    acd.hub.publish('acd.abandoned', {
      interactionId: d.interactionId,
      queueId: d.queueId,
      waitSeconds: d.waitedMs / 1000,
    });
  },

  agentStateChanged(d, acd) {
    // The call it concerns (offered, talking, wrap-up), so an agent's lines join the call's in the logs.
    const interactionId = seatInteractionId(d.to) ?? seatInteractionId(d.from);
    acd.logger.info(
      { agentId: d.agentId, interactionId, from: d.from.type, to: d.to.type },
      'agent state changed',
    );
    if (d.to.type === 'wrap_up') acd.wrapStarted.set(d.agentId, d.at);
    const onCall = (state: AgentSeatState) => state.type === 'talking' || state.type === 'on_hold';
    if ((d.from.type === 'talking' || d.from.type === 'on_hold') && !onCall(d.to)) {
      // The agent's part of the call ended (the call may go on without them): its stay keeps their talk.
      const { call } = d.from;
      const holdMs = call.holdMs + (d.from.type === 'on_hold' ? d.at - d.from.heldAt : 0);
      void acd.options.log
        ?.agentLeftCall(call.interactionId, d.agentId, d.at, holdMs / 1000)
        .catch(visitNotWritten(acd));
    }
    const started = acd.wrapStarted.get(d.agentId);
    if (d.from.type === 'wrap_up' && d.to.type !== 'wrap_up' && started !== undefined) {
      acd.wrapStarted.delete(d.agentId);
      const wrapSeconds = (d.at - started) / 1000;
      const seatCall = d.from.interactionId;
      const log = acd.options.log;
      // The call closed when the caller left; its wrap-up figure arrives afterwards. Every agent who wrapped
      // it up adds theirs (a transfer's first and second agent, a conference party).
      // One read-and-add at a time per call: two wrap-ups ending together must both count.
      const previous = acd.wrapWrites.get(seatCall) ?? Promise.resolve();
      let interactionId = seatCall;
      const write = previous
        .then(() => log?.afterQueuedWrites())
        // A callback's wrap-up is its conversation's (the seat knew the call as the request).
        .then(async () => {
          interactionId = (await log?.callbackConversation(seatCall, d.agentId)) ?? seatCall;
          return log?.get(interactionId);
        })
        .then((row) =>
          log?.record(
            interactionId,
            d.at,
            { type: 'acd.wrapup.ended', payload: { agentId: d.agentId, wrapSeconds } },
            { wrap_seconds: (row?.wrap_seconds ?? 0) + wrapSeconds },
          ),
        )
        .then(() => log?.agentWrappedUp(interactionId, d.agentId, wrapSeconds))
        .then(
          () => undefined,
          (error) => acd.logger.warn({ err: error, agentId: d.agentId }, 'wrap-up time not written'),
        )
        .finally(() => {
          if (acd.wrapWrites.get(seatCall) === write) acd.wrapWrites.delete(seatCall);
        });
      acd.wrapWrites.set(seatCall, write);
    }
    acd.hub.publish(
      'agent.state',
      {
        agentId: d.agentId,
        from: { ...d.from },
        to: { ...d.to },
        // Every state change of every agent: the count alone, not a copy of the seat.
        callsHandledToday: acd.router.callsHandledToday(d.agentId),
        ...(d.by ? { by: d.by } : {}),
        ...(d.supervisor ? { supervisor: { ...d.supervisor } } : {}),
      },
      d.at,
    );
  },

  scheduleTimer(d, acd) {
    acd.timers.schedule(d.key, d.at);
  },

  cancelTimer(d, acd) {
    acd.timers.cancel(d.key);
  },

  refused() {
    // Logged where the input is known (AcdRuntime.input), with the call and agent it named.
  },

  // ---- callbacks: carried out by the callback runner (registered by the calls service)
  callbackRegistered(d, acd) {
    void acd.options.log?.queueLeft(d.interactionId, acd.now(), 'callback').catch(visitNotWritten(acd));
    acd.hub.publish('acd.callback', {
      interactionId: d.interactionId,
      queueId: d.queueId,
      step: 'requested',
    });
    acd.callbacks?.registered(d);
  },
  callbackScheduled(d, acd) {
    acd.callbacks?.scheduled(d);
  },
  callbackDue(d, acd) {
    acd.callbacks?.due(d);
  },
  dialCallback(d, acd) {
    acd.callbacks?.dial(d);
  },
  async callbackUnavailable(d, acd) {
    const session = callOf(acd, d.interactionId);
    if (!session) return;
    acd.logger.info({ ...d }, 'callback unavailable: the number cannot be called back');
    void session.record({
      type: 'acd.callback.unavailable',
      payload: { queueId: d.queueId, reason: d.reason, keepsWaiting: d.keepsWaiting },
    });
    if (!d.keepsWaiting) {
      if (session.state === 'answered') session.move('enqueue'); // never joined; leave-queue needs queued
      await leaveQueue(session, { type: 'hangup' }, acd, [...NO_CALLBACK_MEDIA[d.reason]]);
      return;
    }
    if (session.state !== 'queued') return;
    await session.stopMusicOnHold();
    await session.play([...NO_CALLBACK_MEDIA[d.reason]]).catch(() => undefined);
    await resumeHoldMusic(session, d, acd);
  },
  callbackClosed(d, acd) {
    acd.callbacks?.closed(d);
  },
  callbackRetryScheduled(d, acd) {
    acd.callbacks?.retryScheduled(d);
  },
  callbackRestored(d, acd) {
    acd.callbacks?.restored(d);
  },
  callbackReservationReleased(d, acd) {
    acd.callbacks?.reservationReleased(d);
  },
  callbackMoved(d, acd) {
    acd.callbacks?.moved(d);
  },
};

/** The caller left its queue unanswered for another destination: its stay there ends as flowed out. */
/**
 * The caller sent on from a queue (overflow, fallback, exit key, a full queue): on the call's record and the
 * live stream, where the queue's service level and alerts are read again (a call flowed out was not answered
 * in time).
 */
function sentOn(
  acd: AcdRuntime,
  interactionId: string,
  session: CallSession,
  fromQueueId: string,
  target: QueueTarget,
  reason: string,
  supervisor?: SupervisorRef,
): void {
  const by = supervisor ? { supervisor: { ...supervisor } } : {};
  void session.record({
    type: 'acd.overflowed',
    payload: { fromQueueId, target: { ...target }, reason, ...by },
  });
  acd.hub.publish('acd.overflowed', {
    interactionId,
    queueId: fromQueueId,
    target: { ...target },
    reason,
    ...by,
  });
}

function flowedOut(acd: AcdRuntime, interactionId: string): void {
  void acd.options.log?.queueLeft(interactionId, acd.now(), 'flowed_out').catch(visitNotWritten(acd));
}

/** A queue stay not written only skews the queue's figures; the call goes on. */
export const visitNotWritten = (acd: AcdRuntime) => (error: unknown) =>
  acd.logger.warn({ err: error }, 'queue stay not written');

/** "Hold time: 2 minutes 5 seconds", as app_queue's reportholdtime tells its members. */
export function waitMedia(seconds: number): string[] {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return [
    'sound:queue-reporthold',
    ...(minutes > 0
      ? [`number:${minutes}`, minutes === 1 ? 'sound:queue-minute' : 'sound:queue-minutes']
      : []),
    ...(rest > 0 || minutes === 0 ? [`number:${rest}`, 'sound:queue-seconds'] : []),
  ];
}
