import { randomUUID } from 'node:crypto';
import {
  type CallbackOutcome,
  callbackAfterRestart,
  currentRequest,
  reservationAfterRestart,
  DEFAULT_CALLBACK_POLICY,
  type Decision,
} from '../../acd/index.js';
import {
  type DetectionInput,
  type DetectionState,
  type DetectionStep,
  detect,
  MACHINE_DETECTION,
  type MachineVerdict,
  startDetection,
} from '../../acd/machine-detection.js';
import type { AnsweringMachine } from '../../store/campaign-log.js';
import type { InteractionLog } from '../../store/interaction-log.js';
import type { TelephonyEvent } from '../../telephony/telephony.js';
import { CallSession } from '../call-session.js';
import type { AgentLeg } from './agent-legs.js';
import type { AcdRuntime, CallbackRunner } from './acd-runtime.js';

type DecisionOf<T extends Decision['type']> = Extract<Decision, { type: T }>;
/** What a customer's CallSession is built with (the calls service hands it over on their answer). */
type SessionDeps = ConstructorParameters<typeof CallSession>[3];

interface CustomerDial {
  channelId: string;
  routingId: string;
  queueId: string;
  agentId: string;
  callerNumber: string;
  attempt: number;
  bridgeId: string;
  answered: boolean;
  /** The agent hung up while the customer rang: the attempt ends now, as failed. */
  agentLeft?: boolean;
  /** Listening for an answering machine before the agent is put through (the campaign asks so). */
  detection?: Detection;
  /** The attempt's agent was let go before the customer's leg ended (an answering machine was found). */
  agentReleased?: boolean;
  /** The customer's leg has ended. */
  ended?: boolean;
}

interface Detection {
  setting: AnsweringMachine;
  state: DetectionState;
  timer?: NodeJS.Timeout;
  session: SessionDeps;
  /** Waiting for a machine's greeting to end (its beep) before the message: called when it does. */
  greetingEnded?: () => void;
}

/** Q.850 causes of a dial that never answered, as the callback policy counts them. */
function outcomeOf(cause: number | undefined): CallbackOutcome {
  if (cause === 17) return 'busy';
  if (cause === 18 || cause === 19 || cause === 16 || cause === 21) return 'no_answer';
  return 'failed';
}

/**
 * Carries out callbacks. The waiting caller's entry stays in the queue as a callback; when it reaches the
 * front and an agent is free (inside callback hours) the router rings the agent first; once the agent
 * answers, this dials the customer through the carrier trunk and bridges them. Each attempt is on the
 * original interaction's timeline; the conversation itself is a new 'callback' interaction linked to it.
 */
export class AcdCallbackRunner implements CallbackRunner {
  private readonly dials = new Map<string, CustomerDial>();

  constructor(
    private readonly acd: AcdRuntime,
    private readonly log: InteractionLog,
    private readonly trunk: string,
    /** The caller ID customers see (the outbound rules' `callerId`), with any channel variables it needs. */
    private readonly callerId: () => { callerId: string; variables: Record<string, string> } = () => ({
      callerId: 'contact-center',
      variables: {},
    }),
  ) {}

  private note(
    routingId: string,
    payload: Extract<Parameters<InteractionLog['record']>[2], { type: 'acd.callback' }>['payload'],
  ) {
    void this.log
      .record(routingId, this.acd.now(), { type: 'acd.callback', payload })
      .catch((error) =>
        this.acd.logger.error({ err: error, interactionId: routingId }, 'callback note failed'),
      );
    this.acd.hub.publish('acd.callback', { interactionId: routingId, ...payload });
    this.acd.logger.info({ interactionId: routingId, ...payload }, `callback ${payload.step}`);
  }

  registered(d: DecisionOf<'callbackRegistered'>): void {
    const session = this.acd.calls.get(d.interactionId);
    this.note(d.interactionId, {
      queueId: d.queueId,
      step: 'requested',
      callerNumber: d.callerNumber,
      priority: d.priority,
      skills: d.skills,
      enqueuedAt: d.enqueuedAt,
    });
    if (!session?.isLive) return;
    session.callbackRequested = true;
    void (async () => {
      await session.stopMusicOnHold();
      // Read the number back so the caller knows where the call will come, then let them go.
      const digits = d.callerNumber.replace(/[^0-9]/g, '');
      await session
        .play(['sound:auth-thankyou', ...(digits ? [`digits:${digits}`] : []), 'sound:vm-goodbye'])
        .catch(() => undefined);
      await session.hangup();
    })().catch((error) => session.logger.warn({ err: error }, 'callback confirmation failed'));
  }

  /** A callback for later: on the call's record (what a restart needs to put it back, who asked, why). */
  scheduled(d: DecisionOf<'callbackScheduled'>): void {
    this.note(d.interactionId, {
      queueId: d.queueId,
      step: 'requested',
      callerNumber: d.callerNumber,
      priority: d.priority,
      skills: d.skills,
      enqueuedAt: d.at,
      scheduledFor: d.at,
      retryAt: d.at,
      ...(d.reservedFor ? { reservedFor: d.reservedFor } : {}),
      by: d.requestedBy,
      ...(d.note ? { note: d.note } : {}),
      reason: `scheduled for ${new Date(d.at).toISOString()}`,
    });
  }

  due(d: DecisionOf<'callbackDue'>): void {
    this.note(d.interactionId, {
      queueId: d.queueId,
      step: 'due',
      attempt: d.attempt,
      agentId: d.targets[0]?.agentId,
    });
    for (const target of d.targets) {
      void this.acd.originateLeg(
        d.interactionId,
        d.queueId,
        target.agentId,
        target.endpoint,
        d.ringTimeoutSeconds,
        {
          callerNumber: d.callerNumber,
        },
      );
    }
  }

  /** The agent accepted the callback: bridge their leg and dial the customer into the same bridge. */
  dial(d: DecisionOf<'dialCallback'>): void {
    const leg = this.acd.legs.find(d.interactionId, d.agentId);
    const shown = this.callerId();
    this.note(d.interactionId, {
      queueId: d.queueId,
      step: 'dialing',
      attempt: d.attempt,
      agentId: d.agentId,
      callerId: shown.callerId,
    });
    if (!leg) return;
    const dial: CustomerDial = {
      channelId: `cb-${randomUUID()}`,
      routingId: d.interactionId,
      queueId: d.queueId,
      agentId: d.agentId,
      callerNumber: d.callerNumber,
      attempt: d.attempt,
      bridgeId: `callback-${d.interactionId}-${d.attempt}`,
      answered: false,
    };
    this.dials.set(dial.channelId, dial);
    void (async () => {
      // The agent hears which queue the callback is for (a desk phone shows no screen pop) before the
      // customer is dialled; one who hangs up meanwhile ends the attempt, no customer rung.
      if (!(await this.announce(d, leg))) {
        this.dials.delete(dial.channelId);
        this.finishAttempt(dial, 'failed', true);
        return;
      }
      const ari = this.acd.telephony.ari;
      await ari.createBridge({ bridgeId: dial.bridgeId, type: 'mixing', name: dial.bridgeId });
      await ari.addToBridge(dial.bridgeId, leg.channelId);
      await ari.startBridgeMoh(dial.bridgeId).catch(() => undefined); // the agent hears hold music while it rings
      await this.acd.telephony.originate({
        endpoint: this.acd.numbers.trunkEndpoint(d.callerNumber, this.trunk),
        channelId: dial.channelId,
        appArgs: ['callback-customer', d.interactionId, d.agentId].join(','),
        callerId: shown.callerId,
        ...(Object.keys(shown.variables).length > 0 ? { variables: shown.variables } : {}),
        timeout: 30,
      });
    })().catch((error) => {
      this.acd.logger.warn({ err: error, interactionId: d.interactionId }, 'callback dial failed');
      this.finishAttempt(dial, 'failed');
    });
  }

  /**
   * The queue's announcement to the agent (`agentAnnouncement`), on the request's record as heard or not;
   * false when the agent left during it.
   */
  private async announce(d: DecisionOf<'dialCallback'>, leg: AgentLeg): Promise<boolean> {
    const sounds = this.acd.router.queue(d.queueId)?.agentAnnouncement ?? [];
    if (sounds.length === 0) return true;
    const outcome = await this.acd.agentAnnouncements.play(
      leg,
      undefined,
      sounds.map((s) => `sound:${s}`),
    );
    if (outcome === 'hung_up' || this.acd.legs.get(leg.channelId) !== leg) return false;
    void this.log
      .record(d.interactionId, this.acd.now(), {
        type: 'acd.agent.announced',
        payload: { queueId: d.queueId, agentId: d.agentId, sounds: [...sounds], outcome },
      })
      .catch((error) =>
        this.acd.logger.error({ err: error, interactionId: d.interactionId }, 'announcement note failed'),
      );
    return true;
  }

  /**
   * What the campaign a callback request belongs to does about answering machines (undefined: not a
   * campaign's, so every answer is put through). Set by the service (src/service.ts).
   */
  answeringMachineOf: ((routingId: string) => Promise<AnsweringMachine | undefined>) | undefined;

  /**
   * The customer answered: put through to the agent at once, or first listened to for an answering machine
   * when its campaign asks so (src/acd/machine-detection.ts).
   */
  async customerAnswered(channelId: string, deps: SessionDeps): Promise<void> {
    const dial = this.dials.get(channelId);
    if (dial && !dial.detection) {
      const setting = await this.answeringMachineOf?.(dial.routingId).catch((error: unknown) => {
        this.acd.logger.warn(
          { err: error, interactionId: dial.routingId },
          "campaign's answering-machine setting not read: putting the call through",
        );
        return undefined;
      });
      if (setting && setting.action !== 'connect' && this.legOf(dial)) {
        this.listen(dial, setting, deps);
        return;
      }
    }
    await this.putThrough(channelId, deps);
  }

  private legOf(dial: CustomerDial): AgentLeg | undefined {
    return dial.agentLeft ? undefined : this.acd.legs.find(dial.routingId, dial.agentId);
  }

  /** Their conversation with the agent begins: a new interaction linked to the original call. */
  private async putThrough(channelId: string, deps: SessionDeps): Promise<void> {
    const dial = this.dials.get(channelId);
    const leg = dial && this.legOf(dial);
    if (!dial || !leg) {
      await this.acd.telephony.ari.hangup(channelId).catch(() => undefined);
      return;
    }
    dial.answered = true;
    const at = this.acd.now();
    const session = new CallSession(channelId, randomUUID(), at, deps, dial.callerNumber);
    session.routingId = dial.routingId;
    // The customer's name as the request has it (a campaign's list, a website's form): the agent sees it.
    const callerName = (await this.log.get(dial.routingId))?.caller_name;
    await this.log.open({
      id: session.interactionId,
      parentId: dial.routingId,
      direction: 'callback',
      channelId,
      trunk: this.trunk,
      callerNumber: dial.callerNumber,
      ...(callerName ? { callerName } : {}),
      startedAt: at,
    });
    session.move('answer');
    session.move('enqueue');
    session.move('connect');
    session.queue = { queueId: dial.queueId, enqueuedAt: at, agentId: dial.agentId, connectedAt: at };
    this.acd.calls.set(dial.routingId, session);
    session.onEnd(() => this.acd.releaseCaller(session));
    this.onSession?.(session);
    const ari = this.acd.telephony.ari;
    await ari.stopBridgeMoh(dial.bridgeId).catch(() => undefined);
    await ari.addToBridge(dial.bridgeId, channelId);
    this.acd.bridges.set(dial.routingId, dial.bridgeId);
    leg.state = 'connected';
    this.dials.delete(channelId);
    await session.record(
      {
        type: 'acd.connected',
        payload: { queueId: dial.queueId, agentId: dial.agentId, waitSeconds: 0, bridgeId: dial.bridgeId },
      },
      { agent_id: dial.agentId, queue_id: dial.queueId, connected_at: at, enqueued_at: at, answered_at: at },
      at,
    );
    this.note(dial.routingId, {
      queueId: dial.queueId,
      step: 'connected',
      attempt: dial.attempt,
      agentId: dial.agentId,
    });
    this.acd.input({ type: 'callbackResult', interactionId: dial.routingId, outcome: 'connected' });
    await this.acd.recordings.start(session);
  }

  /**
   * Puts the callback requests a previous run of the service left open back in line (the router's state
   * lives in memory): each keeps its first arrival, so its place, and its attempts. One whose own steps
   * say it is over, or that can no longer be carried out (its queue is gone, no number to call), is
   * closed with the reason on its timeline. Run once per run, when Asterisk first hears it (a restored
   * request may be due at once for an agent who kept their seat).
   */
  async restoreAfterRestart(): Promise<{ restored: number; closed: number }> {
    let restored = 0;
    let closed = 0;
    for (const open of await this.log.openCallbacks()) {
      const requested = currentRequest(open.steps)[0];
      const reservation = reservationAfterRestart(open.steps);
      const queueId = open.steps[open.steps.length - 1]?.queueId ?? '';
      const queue = this.acd.router.queue(queueId);
      const outcome = callbackAfterRestart(
        open.steps,
        queue?.callbackPolicy ?? DEFAULT_CALLBACK_POLICY,
        this.acd.now(),
      );
      if (outcome.type === 'none') continue;
      const callerNumber = requested?.callerNumber ?? open.callerNumber;
      let refusal: string | undefined;
      if (outcome.type === 'close') {
        this.closed({
          type: 'callbackClosed',
          interactionId: open.interactionId,
          queueId,
          reason: outcome.reason,
          attempts: outcome.attempts,
        });
      } else if (!callerNumber) {
        refusal = 'there is no number to call back';
      } else {
        // The request keeps the preference for the customer's last agent its caller had.
        const lastAgent = await this.acd.lastAgentOfNumber(callerNumber, open.interactionId);
        const refusals = this.acd.input({
          type: 'restoreCallback',
          ...(lastAgent ? { lastAgent } : {}),
          ...(reservation ? { reservedFor: reservation } : {}),
          // The queue's own callback for a caller who gave up: still cancelled if they reach an agent.
          ...(requested?.by && 'abandoned' in requested.by ? { recovery: true } : {}),
          // A campaign's call still gives way to all other work.
          ...(requested?.by && 'campaign' in requested.by ? { campaign: true } : {}),
          interactionId: open.interactionId,
          queueId,
          callerNumber,
          priority: requested?.priority ?? 0,
          skills: requested?.skills ?? {},
          enqueuedAt: requested?.enqueuedAt ?? open.enqueuedAt,
          callback: outcome.state,
        });
        refusal = refusals.map((r) => r.reason).join('; ') || undefined;
      }
      if (refusal) {
        this.note(open.interactionId, {
          queueId,
          step: 'closed',
          ...(outcome.type === 'restore' ? { attempt: outcome.state.attempts } : {}),
          reason: `could not be restored after a restart of the service: ${refusal}`,
        });
      }
      if (outcome.type === 'restore' && !refusal) restored++;
      else closed++;
    }
    if (restored + closed > 0) {
      this.acd.logger.info({ restored, closed }, 'callback requests from before the restart');
    }
    return { restored, closed };
  }

  /** Lets the calls service route the customer's later telephony events to its session. */
  onSession: ((session: CallSession) => void) | undefined;

  closed(d: DecisionOf<'callbackClosed'>): void {
    this.note(d.interactionId, {
      queueId: d.queueId,
      step: 'closed',
      attempt: d.attempts,
      reason: d.detail ? `${d.reason}: ${d.detail}` : d.reason,
      ...(d.cancelledBy ? { by: d.cancelledBy } : {}),
    });
  }

  retryScheduled(d: DecisionOf<'callbackRetryScheduled'>): void {
    this.note(d.interactionId, {
      queueId: d.queueId,
      step: 'retry-scheduled',
      attempt: d.attempts,
      reason: `next attempt at ${new Date(d.at).toISOString()}`,
      retryAt: d.at,
    });
  }

  reservationReleased(d: DecisionOf<'callbackReservationReleased'>): void {
    this.note(d.interactionId, {
      queueId: d.queueId,
      step: 'released',
      agentId: d.agentId,
      reason: 'the agent it was kept for declined it: any agent of the queue may take it',
    });
  }

  moved(d: DecisionOf<'callbackMoved'>): void {
    const by = d.supervisor ? ` by ${d.supervisor.name}` : '';
    if (d.releasedFrom !== undefined) {
      // Its own step first, so a restart does not keep it for that agent in a queue they are not in.
      this.note(d.interactionId, {
        queueId: d.fromQueueId,
        step: 'released',
        agentId: d.releasedFrom,
        reason: `moved to ${d.toQueueId}, which the agent it was kept for is not in: any agent of ${d.toQueueId} may take it`,
      });
    }
    this.note(d.interactionId, {
      queueId: d.toQueueId,
      fromQueueId: d.fromQueueId,
      step: 'moved',
      attempt: d.attempts,
      reason: `moved from ${d.fromQueueId} to ${d.toQueueId}${by}, number ${d.position} in line${d.notBefore === null ? '' : `; not before ${new Date(d.notBefore).toISOString()}`}`,
      by: { supervisor: d.supervisor ?? null },
      // Another restart puts it back in the queue it went to, waiting as it waited (callbackAfterRestart).
      ...(d.notBefore !== null ? { retryAt: d.notBefore } : {}),
    });
  }

  restored(d: DecisionOf<'callbackRestored'>): void {
    this.note(d.interactionId, {
      queueId: d.queueId,
      step: 'restored',
      attempt: d.attempts,
      reason:
        d.notBefore === null
          ? `back in line at position ${d.position} after a restart of the service`
          : `back in line after a restart of the service; next attempt at ${new Date(d.notBefore).toISOString()}`,
      // Another restart before then keeps the wait (callbackAfterRestart reads it).
      ...(d.notBefore !== null ? { retryAt: d.notBefore } : {}),
    });
  }

  channels(): string[] {
    return [...this.dials.keys()];
  }

  /**
   * The agent's leg ended after they answered, before the customer did: the customer's phone stops ringing
   * (nobody would be there to talk to) and the attempt ends as failed when their leg is gone.
   */
  agentLeft(routingId: string, agentId: string): void {
    for (const dial of this.dials.values()) {
      if (dial.routingId !== routingId || dial.agentId !== agentId || dial.answered) continue;
      if (dial.agentReleased) continue; // let go on purpose: the machine is left its message
      dial.agentLeft = true;
      void this.acd.telephony.ari.hangup(dial.channelId).catch(() => undefined);
    }
  }

  onEvent(event: TelephonyEvent): boolean {
    if (event.type === 'channel.talk') {
      const dial = this.dials.get(event.channelId);
      if (!dial?.detection) return false;
      if (!event.talking && dial.detection.greetingEnded) dial.detection.greetingEnded();
      else
        this.hear(
          dial,
          event.talking
            ? { type: 'talkStarted', at: event.at }
            : { type: 'talkFinished', at: event.at, talkMs: event.talkMs ?? 0 },
        );
      return true;
    }
    if (event.type !== 'channel.ended') return false;
    const dial = this.dials.get(event.channelId);
    if (!dial) return false;
    this.dials.delete(event.channelId);
    dial.ended = true;
    if (dial.detection) {
      clearTimeout(dial.detection.timer);
      dial.detection.greetingEnded?.();
    }
    if (!dial.answered && !dial.agentReleased)
      this.finishAttempt(dial, dial.agentLeft ? 'failed' : outcomeOf(event.cause), dial.agentLeft);
    return true;
  }

  /**
   * Listens to who answered before the agent is put through (the agent hears hold music meanwhile): talk
   * detection on the customer's channel, its events and timers fed to the pure detection.
   */
  private listen(dial: CustomerDial, setting: AnsweringMachine, session: SessionDeps): void {
    const step = startDetection(this.acd.now());
    dial.detection = { setting, state: step.state, session };
    this.answeringMachineNote(dial, { step: 'listening' });
    // Without talk events (the detection could not be set) nothing is heard: unsure, put through.
    void this.acd.telephony.ari
      .setVariable(dial.channelId, 'TALK_DETECT(set)', String(MACHINE_DETECTION.afterGreetingSilenceMs))
      .catch((error: unknown) =>
        this.acd.logger.warn(
          { err: error, interactionId: dial.routingId, callId: dial.channelId },
          'talk detection not set on the customer: the call will be put through',
        ),
      );
    this.follow(dial, step);
  }

  private hear(dial: CustomerDial, input: DetectionInput): void {
    const detection = dial.detection;
    if (!detection || detection.state.phase === 'decided' || dial.ended) return;
    const step = detect(detection.state, input);
    detection.state = step.state;
    this.follow(dial, step);
  }

  private follow(dial: CustomerDial, step: DetectionStep): void {
    const detection = dial.detection!;
    clearTimeout(detection.timer);
    if (step.verdict) {
      this.decided(dial, step.verdict);
      return;
    }
    if (step.wakeAt === undefined) return;
    detection.timer = setTimeout(
      () => this.hear(dial, { type: 'tick', at: this.acd.now() }),
      Math.max(0, step.wakeAt - this.acd.now()),
    );
  }

  /** A person (or unsure): put through; a machine: the agent let go, the machine hung up on or left the message. */
  private decided(dial: CustomerDial, verdict: MachineVerdict): void {
    const { setting, session } = dial.detection!;
    const action =
      verdict.kind !== 'machine'
        ? 'put_through'
        : setting.action === 'leave_message'
          ? 'leave_message'
          : 'hung_up';
    this.answeringMachineNote(dial, {
      step: 'detected',
      verdict: verdict.kind,
      reason: verdict.reason,
      afterMs: Math.round(verdict.afterMs),
      action,
    });
    const ari = this.acd.telephony.ari;
    if (action === 'put_through') {
      void ari.setVariable(dial.channelId, 'TALK_DETECT(remove)', '').catch(() => undefined);
      void this.putThrough(dial.channelId, session).catch((error: unknown) =>
        this.acd.logger.warn(
          { err: error, interactionId: dial.routingId },
          'callback customer not put through',
        ),
      );
      return;
    }
    // The agent need not wait for a machine: free for the next call now, with nothing to wrap up (they
    // talked to nobody).
    dial.agentReleased = true;
    this.releaseAgent(dial, this.acd.legs.find(dial.routingId, dial.agentId), 0);
    if (action === 'hung_up') {
      this.attemptResult(dial, 'machine');
      void ari.hangup(dial.channelId).catch(() => undefined);
      return;
    }
    void this.leaveMessage(dial, verdict, setting.message ?? []).catch((error: unknown) =>
      this.acd.logger.warn({ err: error, interactionId: dial.routingId }, 'message to the machine failed'),
    );
  }

  /**
   * After the machine's greeting (its end heard, or waited out), plays the campaign's message to it and
   * hangs up: the request closes as a message left, or, when the message could not be heard, is tried again
   * as a machine reached.
   */
  private async leaveMessage(dial: CustomerDial, verdict: MachineVerdict, message: string[]): Promise<void> {
    const detection = dial.detection!;
    if (!verdict.greetingOver && !dial.ended) {
      await new Promise<void>((resolve) => {
        const bound = setTimeout(() => detection.greetingEnded?.(), MACHINE_DETECTION.greetingEndMs);
        detection.greetingEnded = () => {
          detection.greetingEnded = undefined;
          clearTimeout(bound);
          resolve();
        };
      });
    }
    const ari = this.acd.telephony.ari;
    void ari.setVariable(dial.channelId, 'TALK_DETECT(remove)', '').catch(() => undefined);
    const outcome = dial.ended
      ? 'hung_up'
      : await this.acd.agentAnnouncements.playOn(
          dial.channelId,
          message.map((sound) => `sound:${sound}`),
          { interactionId: dial.routingId, callId: dial.channelId },
        );
    this.answeringMachineNote(dial, { step: 'message', outcome });
    this.attemptResult(dial, outcome === 'played' ? 'message_left' : 'machine');
    if (!dial.ended) await ari.hangup(dial.channelId).catch(() => undefined);
  }

  private answeringMachineNote(
    dial: CustomerDial,
    fields: Omit<
      Extract<Parameters<InteractionLog['record']>[2], { type: 'acd.answering-machine' }>['payload'],
      'queueId' | 'attempt' | 'agentId'
    >,
  ): void {
    const payload = { queueId: dial.queueId, attempt: dial.attempt, agentId: dial.agentId, ...fields };
    void this.log
      .record(dial.routingId, this.acd.now(), { type: 'acd.answering-machine', payload })
      .catch((error) =>
        this.acd.logger.error({ err: error, interactionId: dial.routingId }, 'answering-machine note failed'),
      );
    this.acd.hub.publish('acd.answering-machine', { interactionId: dial.routingId, ...payload });
    this.acd.logger.info(
      { interactionId: dial.routingId, agentId: dial.agentId, callId: dial.channelId, ...fields },
      fields.step === 'listening'
        ? 'campaign call answered: listening for an answering machine'
        : fields.step === 'detected'
          ? `campaign call answered by ${fields.verdict === 'machine' ? 'an answering machine' : fields.verdict === 'human' ? 'a person' : 'someone (unsure)'}`
          : `message to the answering machine: ${fields.outcome}`,
    );
  }

  /** A dial that did not reach the customer: report it (retry or close), free the agent. */
  private finishAttempt(dial: CustomerDial, outcome: CallbackOutcome, agentLeft = false): void {
    const leg = this.acd.legs.find(dial.routingId, dial.agentId);
    this.attemptResult(dial, outcome, agentLeft);
    this.releaseAgent(dial, leg);
  }

  /** The attempt's outcome on the request's record and to the router (retry, or close). */
  private attemptResult(dial: CustomerDial, outcome: CallbackOutcome, agentLeft = false): void {
    this.note(dial.routingId, {
      queueId: dial.queueId,
      step: 'dialing',
      attempt: dial.attempt,
      agentId: dial.agentId,
      reason: agentLeft ? `${outcome}: the agent hung up before the customer answered` : outcome,
    });
    this.acd.input({ type: 'callbackResult', interactionId: dial.routingId, outcome });
  }

  /** The attempt's agent free again: their seat out of the call, their leg hung up, the bridge gone. */
  private releaseAgent(dial: CustomerDial, leg: AgentLeg | undefined, wrapUpSeconds?: number): void {
    this.acd.input({
      type: 'agent',
      agentId: dial.agentId,
      input: {
        type: 'hangup',
        interactionId: dial.routingId,
        ...(wrapUpSeconds !== undefined ? { wrapUpSeconds } : {}),
      },
    });
    if (leg) void this.acd.hangupLeg(leg);
    void this.acd.telephony.ari.destroyBridge(dial.bridgeId).catch(() => undefined);
  }
}
