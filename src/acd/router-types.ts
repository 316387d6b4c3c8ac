import type { AfterWrapUp, AgentInput, AgentSeat, AgentSeatState, AgentStateType } from '../agents/seat.js';
import type { SkillMap } from '../agents/schema.js';
import type { CallbackClosedReason, CallbackOutcome, CallbackState } from './callback.js';
import type { LastAgent, Reservation, WaitingEntry } from './entries.js';
import type { QueueTarget, StrategyName } from './schema.js';
import type { Widening } from './widening.js';

/** Seat inputs as the orchestrator sends them; the router makes offers itself and resolves wrap-up time. */
export type AgentCommand =
  | Exclude<AgentInput, { type: 'offer' } | { type: 'hangup' }>
  | { type: 'hangup'; interactionId: string; wrapUpSeconds?: number };

export type RouterInput =
  | {
      type: 'callerArrived';
      interactionId: string;
      queueId: string;
      callerNumber: string;
      priority?: number;
      skills?: SkillMap;
      /**
       * Back in line after losing its agent mid-call: goes to the front (as after a ring-no-answer) and
       * keeps the time it first queued. `front: false` keeps the first arrival only (a caller taken over
       * after a restart of the service takes its place by that time, not ahead of everyone), and
       * `queueEnteredAt` when it entered this queue (its max wait runs from then, not from now); `talkedMs` the
       * time it spent talking to an agent since it first queued (not waiting: left out of its wait).
       */
      requeued?: { enqueuedAt: number; front?: boolean; queueEnteredAt?: number; talkedMs?: number };
      /** The agent the caller last talked with (looked up on record), for queues with `lastAgent` routing. */
      lastAgent?: LastAgent;
      /**
       * The caller dialled an agent's direct line (a route's `agent`): only that agent is offered the call
       * until `until`, then the queue's agents; given up should that agent let it ring out or decline it.
       */
      reservedFor?: Reservation;
    }
  /** The caller hung up (or was transferred away) while still waiting or ringing an agent. */
  | { type: 'callerLeft'; interactionId: string }
  | { type: 'dtmf'; interactionId: string; digit: string }
  /** The waiting caller accepted a callback offer; the entry keeps its place and the caller can hang up. */
  | {
      type: 'requestCallback';
      interactionId: string;
      /** The number to call back when it is not the caller's own (keyed in and confirmed in the IVR). */
      number?: string;
    }
  /**
   * A callback asked for a later time (an agent promised "I'll call you back tomorrow at 10", or a
   * supervisor set it up) on a call that has ended: it joins the queue's line at `at`, its place then that
   * of a caller arriving at `at`, and is carried out as any callback request from then on. `reservedFor`
   * makes it personal: only that agent (a member of the queue) is offered it until the reservation ends.
   */
  | {
      type: 'scheduleCallback';
      interactionId: string;
      queueId: string;
      callerNumber: string;
      /** Epoch ms, later than now. */
      at: number;
      priority?: number;
      skills?: SkillMap;
      reservedFor?: Reservation;
      /** Who asked and what for: kept on the request's record, not used for routing. */
      requestedBy: CallbackRequester;
      note?: string;
    }
  | { type: 'callbackResult'; interactionId: string; outcome: CallbackOutcome }
  | {
      type: 'cancelCallback';
      interactionId: string;
      /** Who cancelled it, when a person did (an agent or a supervisor): on the request's record. */
      cancelledBy?: CallbackRequester;
    }
  /**
   * A callback request from before a restart of the service, back in its queue with its first arrival (its
   * place in line) and its attempts (see callback-restore.ts); `callback` is pending or waiting to retry.
   */
  | {
      type: 'restoreCallback';
      interactionId: string;
      queueId: string;
      callerNumber: string;
      priority: number;
      skills: SkillMap;
      enqueuedAt: number;
      callback: CallbackState;
      /** The customer's last agent, for queues with `lastAgent` routing. */
      lastAgent?: LastAgent;
      /** A personal callback's reservation, as it was scheduled. */
      reservedFor?: Reservation;
      /** Booked by the queue for a caller who gave up waiting: cancelled when they reach an agent. */
      recovery?: boolean;
      /** A call of an outbound campaign: ranks after all other work. */
      campaign?: boolean;
    }
  | {
      type: 'agent';
      agentId: string;
      input: AgentCommand;
      /** Who asked, when it was not the agent (or the service): a supervisor, on the record with the change. */
      by?: 'supervisor';
      /** The supervisor by name, when they signed in as themselves. */
      supervisor?: SupervisorRef;
    }
  | { type: 'timerFired'; key: string }
  /**
   * A supervisor sends a caller waiting in line to another queue: it keeps its first arrival (its seniority),
   * and the new queue's max wait runs from now.
   */
  | { type: 'moveCaller'; interactionId: string; toQueueId: string; supervisor?: SupervisorRef }
  /** A supervisor puts a caller waiting in line first in its queue's line. */
  | { type: 'serveFirst'; interactionId: string; supervisor?: SupervisorRef }
  /**
   * A supervisor sends a callback request waiting in line (due, waiting to retry or booked for later) to
   * another queue: it keeps its place by first arrival, its time and its attempts.
   */
  | { type: 'moveCallback'; interactionId: string; toQueueId: string; supervisor?: SupervisorRef }
  /** Queue definitions were replaced (the router was rebuilt on its state): timers follow the new ones. */
  | { type: 'queuesChanged' };

export type RouterInputType = RouterInput['type'];

/** A named supervisor (config `supervisors`). */
export interface SupervisorRef {
  id: string;
  name: string;
}

/**
 * Who asked for (or cancelled) a callback: the agent, or a supervisor (named when signed in as one), by hand;
 * or the queue, for a caller who gave up after waiting `waitedSeconds` (its `abandonedCallback`); or an outbound
 * campaign, for one of its contacts.
 */
export type CallbackRequester =
  | { agentId: string }
  | { supervisor: SupervisorRef | null }
  | { abandoned: { waitedSeconds: number } }
  | { campaign: CampaignRef };

/** An outbound campaign (see campaigns.ts) by id and name, as its calls' requests name it. */
export interface CampaignRef {
  id: string;
  name: string;
}

/** Who changed a seat for its agent: a supervisor, named when they signed in as themselves. */
export interface SeatChanger {
  by: 'supervisor';
  supervisor?: SupervisorRef;
}

/** One agent as the router saw it when choosing whom to offer a call to. */
export interface ConsideredAgent {
  agentId: string;
  state: AgentStateType;
  reason?: string;
  eligible: boolean;
  excludedBecause?: string;
  score?: number;
  rule?: string;
}

export interface OfferWhy {
  strategy: StrategyName;
  /** The rule that ranked the winner first, e.g. "longest_idle: idle 42s". */
  rule: string;
  considered: ConsideredAgent[];
  /** Set when the queue's last-agent routing chose: the caller's last agent, offered ahead of the strategy. */
  lastAgent?: LastAgent;
  /** Set when a personal callback went to the agent it is kept for, ahead of the strategy. */
  reservedFor?: Reservation;
  /** Set when the queue's widening was in force for the caller (see widening.ts): who it let in. */
  widening?: Widening;
}

export interface OfferTarget {
  agentId: string;
  endpoint: string;
  autoAnswer: boolean;
}

export type CancelReason = 'answered_elsewhere' | 'caller_left' | 'ring_timeout' | 'callback_cancelled';

export type Decision =
  | {
      type: 'enqueued';
      interactionId: string;
      queueId: string;
      position: number;
      /** Effective: with the VIP and ageing bonuses. */
      priority: number;
      /** As given (route, IVR) and the extra skills asked for: what a restart needs to queue the caller again. */
      basePriority: number;
      skills: SkillMap;
      estimatedWaitSeconds: number | null;
      musicOnHoldClass: string;
      /** When the caller entered this queue (max wait runs from it), and whether it holds the front of the
       * line (an offer or its agent failed): kept on record so a restart puts it back the same way. */
      queueEnteredAt: number;
      front: boolean;
      /** A direct line's caller: kept for that agent until then (on record so a restart keeps it too). */
      reservedFor?: Reservation;
    }
  | {
      /** The agent chose what follows their call (not ready with a reason, or ready): kept on the call's record. */
      type: 'afterCallChosen';
      agentId: string;
      interactionId: string;
      after: AfterWrapUp;
    }
  | {
      type: 'offer';
      interactionId: string;
      queueId: string;
      targets: OfferTarget[];
      ringTimeoutSeconds: number;
      why: OfferWhy;
    }
  /** A callback reached the front with a free agent inside callback hours: ring the agent to preview it. */
  | {
      type: 'callbackDue';
      interactionId: string;
      queueId: string;
      callerNumber: string;
      attempt: number;
      targets: OfferTarget[];
      ringTimeoutSeconds: number;
      why: OfferWhy;
    }
  /** The agent accepted a callback: dial the customer and report `callbackResult`. */
  | {
      type: 'dialCallback';
      interactionId: string;
      queueId: string;
      agentId: string;
      callerNumber: string;
      attempt: number;
    }
  | { type: 'cancelOffer'; interactionId: string; agentId: string; reason: CancelReason }
  /**
   * Other agents are free, but the caller is held back for the agent they last talked with, who is on a call
   * or in wrap-up, until `until` at the latest (the queue's `lastAgent.waitSeconds`).
   */
  | {
      type: 'lastAgentAwaited';
      interactionId: string;
      queueId: string;
      agentId: string;
      servedAt: number;
      until: number;
    }
  /**
   * A waiting caller's queue widened who may take them: the step that came into force as they waited
   * (see widening.ts). Routing runs at once.
   */
  | { type: 'widened'; interactionId: string; queueId: string; widening: Widening }
  /** Bridge the caller to the agent who answered. */
  | { type: 'connect'; interactionId: string; queueId: string; agentId: string; waitedMs: number }
  | {
      type: 'announce';
      interactionId: string;
      queueId: string;
      position: number;
      estimatedWaitSeconds: number | null;
      sayPosition: boolean;
      sayEstimatedWait: boolean;
      /** The queue's own sounds, after the position and wait. */
      sounds: readonly string[];
      /** The queue's hold music, resumed once the announcement has been played. */
      musicOnHoldClass: string;
    }
  | {
      type: 'overflow';
      interactionId: string;
      fromQueueId: string;
      target: QueueTarget;
      /** max_wait: past the queue's max wait; moved: a supervisor sent the caller on. */
      reason: 'max_wait' | 'moved';
      /** Who moved it, when they signed in as themselves. */
      supervisor?: SupervisorRef;
    }
  /** A supervisor put the caller first in its queue's line. */
  | { type: 'servedFirst'; interactionId: string; queueId: string; supervisor?: SupervisorRef }
  | {
      type: 'fallback';
      interactionId: string;
      queueId: string;
      target: QueueTarget;
      reason: 'no_agents_logged_in';
    }
  | { type: 'exit'; interactionId: string; queueId: string; digit: string; target: QueueTarget }
  | {
      type: 'rejectedQueueFull';
      interactionId: string;
      queueId: string;
      maxLength: number;
      target: QueueTarget;
    }
  | {
      type: 'callbackRegistered';
      interactionId: string;
      queueId: string;
      position: number;
      /** What a restart needs to put the request back in line (see restoreCallback). */
      callerNumber: string;
      priority: number;
      skills: SkillMap;
      enqueuedAt: number;
    }
  /** A callback was scheduled for a later time (see the `scheduleCallback` input). */
  | {
      type: 'callbackScheduled';
      interactionId: string;
      queueId: string;
      callerNumber: string;
      at: number;
      priority: number;
      skills: SkillMap;
      reservedFor?: Reservation;
      requestedBy: CallbackRequester;
      note?: string;
    }
  | {
      type: 'callbackRestored';
      interactionId: string;
      queueId: string;
      position: number;
      attempts: number;
      /** Set when the request waits to retry until then (epoch ms). */
      notBefore: number | null;
    }
  | {
      type: 'callbackClosed';
      interactionId: string;
      queueId: string;
      reason: CallbackClosedReason;
      attempts: number;
      /** A person cancelled it (absent when it ended on its own). */
      cancelledBy?: CallbackRequester;
      /** Why, in words, when the reason alone does not say (not_allowed: what bars the number). */
      detail?: string;
    }
  /**
   * A callback target (exit key, overflow, queue full, no agents) met a caller with no number to call back
   * (withheld): the caller keeps its place in line (exit key, max wait), or, when it never had one (queue
   * full, no agents), leaves the queue with an apology.
   */
  | {
      type: 'callbackUnavailable';
      interactionId: string;
      queueId: string;
      /** Withheld, or barred by the outbound rules (premium rate...). */
      reason: 'no_number' | 'not_allowed';
      keepsWaiting: boolean;
      /** The queue's hold music, resumed after the apology when the caller keeps waiting. */
      musicOnHoldClass: string;
    }
  | { type: 'callbackRetryScheduled'; interactionId: string; queueId: string; at: number; attempts: number }
  /**
   * A supervisor moved a callback request to another queue: on its record with its time (so a restart puts it
   * back there, waiting as it waited); `releasedFrom`: the agent it was kept for, who is not in the new queue.
   */
  | {
      type: 'callbackMoved';
      interactionId: string;
      fromQueueId: string;
      toQueueId: string;
      position: number;
      attempts: number;
      /** It waits until then (its time, or its next attempt; epoch ms); null: due now. */
      notBefore: number | null;
      releasedFrom?: string;
      supervisor?: SupervisorRef;
    }
  /** A personal callback's agent declined it: it is the queue's now (on its record, so a restart keeps it so). */
  | { type: 'callbackReservationReleased'; interactionId: string; queueId: string; agentId: string }
  /** Ring-no-answer, for supervisors: the agent missed the call and was set not-ready. */
  | { type: 'rona'; interactionId: string; queueId: string; agentId: string; ringMs: number }
  | { type: 'requeuedAfterRona'; interactionId: string; queueId: string; position: number }
  | {
      type: 'requeuedAfterReject';
      interactionId: string;
      queueId: string;
      position: number;
      agentId: string;
      /** Declined by the agent or its phone, or the phone could not be rung at all. */
      reason: 'rejected' | 'unreachable';
    }
  | {
      type: 'abandoned';
      interactionId: string;
      queueId: string;
      waitedMs: number;
      wasRinging: boolean;
      /**
       * The queue calls back callers who give up (`abandonedCallback`) and this one waited long enough, but is
       * not called back: a withheld number, one that may not be called, or a callback open for it already.
       */
      noCallback?: 'no_number' | 'not_allowed' | 'callback_open';
    }
  | {
      type: 'agentStateChanged';
      agentId: string;
      from: AgentSeatState;
      to: AgentSeatState;
      at: number;
      /** A supervisor asked for it (absent: the agent or the service). */
      by?: 'supervisor';
      /** The supervisor by name, when they signed in as themselves. */
      supervisor?: SupervisorRef;
    }
  | { type: 'scheduleTimer'; key: string; at: number }
  | { type: 'cancelTimer'; key: string }
  | { type: 'refused'; input: RouterInputType; code: string; reason: string };

export type DecisionType = Decision['type'];

/** Everything the router knows that changes over time; plain data, safe to persist and restore. */
export interface RouterState {
  seats: Record<string, AgentSeat>;
  /** Waiting callers and callbacks, in insertion order (line order is computed, see entries.ts). */
  entries: WaitingEntry[];
  /** Round-robin memory per queue: the last agent offered. */
  roundRobin: Record<string, { agentId: string; order: number }>;
  /** Timers the router has asked for and not yet seen fire or cancelled: key → due time. */
  timers: Record<string, number>;
  /** Recent handle times (seconds) per queue for the wait estimate. */
  handleSamples: Record<string, number[]>;
}
