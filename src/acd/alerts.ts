/**
 * Queue alerts (a queue's `alerts` rules): the conditions supervisors are warned of, raised the moment one
 * holds and cleared the moment it no longer does. Pure: facts and the clock in, alerts out.
 */
import { type TakenOn, takenOn, takenOnAlready, untaken } from '../supervision/taken-on.js';
import type { SupervisorRef } from './router-types.js';
import type { AgentStateCounts } from './stats.js';
import type { QueueAlertRules } from './schema.js';

export const QUEUE_ALERT_KINDS = ['long_wait', 'many_waiting', 'unstaffed', 'below_service_level'] as const;
export type QueueAlertKind = (typeof QUEUE_ALERT_KINDS)[number];
/** Read from the router's line and seats at once; the service level from the day's record (a query). */
export const LINE_ALERT_KINDS: readonly QueueAlertKind[] = ['long_wait', 'many_waiting', 'unstaffed'];
export const RECORD_ALERT_KINDS: readonly QueueAlertKind[] = ['below_service_level'];

/** A condition that holds now: what was measured, against what, in words. */
export interface AlertCondition {
  value: number;
  threshold: number;
  message: string;
  /** When it began to hold, when that is known (a wait crossing its limit); else when it was seen. */
  since?: number;
}

export interface QueueAlert extends AlertCondition {
  queueId: string;
  kind: QueueAlertKind;
  since: number;
  /** A supervisor took it on ("I'm on it"): when, and who (absent on the supervisor token). */
  acknowledged?: TakenOn;
}

/** Why an acknowledgement is refused. */
export type AcknowledgeRefusal =
  | { code: 'ALERT_NOT_STANDING'; reason: string }
  | { code: 'ALERT_ACKNOWLEDGED'; reason: string };

/** The kinds a queue's rules watch for. */
export function watchedAlertKinds(rules: QueueAlertRules | undefined): QueueAlertKind[] {
  if (!rules) return [];
  return QUEUE_ALERT_KINDS.filter((kind) =>
    kind === 'long_wait'
      ? rules.waitSeconds !== undefined
      : kind === 'many_waiting'
        ? rules.waitingCallers !== undefined
        : kind === 'unstaffed'
          ? rules.unstaffed === true
          : rules.belowServiceLevel === true,
  );
}

/** What the line and the members' seats say now. */
export interface LineFacts {
  /** Callers on the line waiting (callback requests wait without anyone on the line: not counted). */
  waiting: number;
  /** When the caller waiting longest entered the queue; null with none waiting. */
  oldestEnqueuedAt: number | null;
  agents: AgentStateCounts;
}

const clock = (seconds: number) => {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
const callers = (n: number) => `${n} caller${n === 1 ? '' : 's'}`;

/** The line's conditions that hold now under the rules. */
export function lineConditions(
  rules: QueueAlertRules,
  facts: LineFacts,
  now: number,
): Partial<Record<QueueAlertKind, AlertCondition>> {
  const held: Partial<Record<QueueAlertKind, AlertCondition>> = {};
  if (rules.waitSeconds !== undefined && facts.oldestEnqueuedAt !== null) {
    const waited = (now - facts.oldestEnqueuedAt) / 1000;
    if (waited >= rules.waitSeconds) {
      held.long_wait = {
        value: Math.floor(waited),
        threshold: rules.waitSeconds,
        message: `a caller has waited ${clock(waited)} (the limit is ${clock(rules.waitSeconds)})`,
        since: facts.oldestEnqueuedAt + rules.waitSeconds * 1000,
      };
    }
  }
  if (rules.waitingCallers !== undefined && facts.waiting >= rules.waitingCallers) {
    held.many_waiting = {
      value: facts.waiting,
      threshold: rules.waitingCallers,
      message: `${callers(facts.waiting)} waiting (the limit is ${rules.waitingCallers})`,
    };
  }
  if (rules.unstaffed && facts.waiting > 0) {
    const { byState, loggedIn } = facts.agents;
    const canTake = loggedIn - byState.not_ready;
    if (canTake <= 0) {
      held.unstaffed = {
        value: facts.waiting,
        threshold: 0,
        message:
          loggedIn === 0
            ? `${callers(facts.waiting)} waiting and no agent of the queue is logged in`
            : `${callers(facts.waiting)} waiting and every agent of the queue logged in is not ready (${loggedIn})`,
      };
    }
  }
  return held;
}

/** Whether today's service level is below the queue's target (null: nothing finished today yet). */
export function serviceLevelConditions(
  rules: QueueAlertRules,
  targetPercent: number | undefined,
  serviceLevelPercent: number | null,
): Partial<Record<QueueAlertKind, AlertCondition>> {
  if (!rules.belowServiceLevel || targetPercent === undefined || serviceLevelPercent === null) return {};
  if (serviceLevelPercent >= targetPercent) return {};
  const level = Math.floor(serviceLevelPercent);
  return {
    below_service_level: {
      value: level,
      threshold: targetPercent,
      message: `today's service level is ${level} % (the target is ${targetPercent} %)`,
    },
  };
}

/** When a waiting caller will cross the wait limit (to wake then), if that is still to come. */
export function nextLongWaitAt(
  rules: QueueAlertRules,
  oldestEnqueuedAt: number | null,
  now: number,
): number | undefined {
  if (rules.waitSeconds === undefined || oldestEnqueuedAt === null) return undefined;
  const at = oldestEnqueuedAt + rules.waitSeconds * 1000;
  return at > now ? at : undefined;
}

const standingKey = (queueId: string, kind: QueueAlertKind) => `${queueId}\u0000${kind}`;

/** What an evaluation changed. `lapsed`: alerts carried over a restart that no longer hold. */
export interface AlertChange {
  raised: QueueAlert[];
  cleared: QueueAlert[];
  lapsed: QueueAlert[];
}

/** The alerts standing now, per queue and kind; each evaluation says what it raised and cleared. */
export class QueueAlertBoard {
  private readonly standing = new Map<string, QueueAlert>();
  /**
   * Alerts a previous run left standing, not yet seen to hold in this one. Until `releaseCarried` (the
   * callers that run left waiting are back in line) one that does not hold is kept: an empty line just after
   * a restart is not the condition ending.
   */
  private readonly carried = new Set<string>();
  private holdCarried = false;

  /** Takes the alerts a previous run left standing (as on record, acknowledgements included). */
  restore(alerts: readonly QueueAlert[]): void {
    for (const alert of alerts) {
      const key = standingKey(alert.queueId, alert.kind);
      this.standing.set(key, alert);
      this.carried.add(key);
    }
    this.holdCarried = this.carried.size > 0;
  }

  /** From now on a carried alert found not to hold lapses. Whether any is still unconfirmed. */
  releaseCarried(): boolean {
    this.holdCarried = false;
    return this.carried.size > 0;
  }

  /**
   * Takes an evaluation of `kinds` for a queue: a kind among them that holds is raised (if it was not
   * standing), one that does not is cleared. Kinds not evaluated stay as they are.
   */
  apply(
    queueId: string,
    kinds: readonly QueueAlertKind[],
    held: Partial<Record<QueueAlertKind, AlertCondition>>,
    now: number,
  ): AlertChange {
    const change: AlertChange = { raised: [], cleared: [], lapsed: [] };
    for (const kind of kinds) {
      const key = standingKey(queueId, kind);
      const was = this.standing.get(key);
      const condition = held[kind];
      if (condition && !was) {
        const alert = { ...condition, queueId, kind, since: condition.since ?? now };
        this.standing.set(key, alert);
        change.raised.push(alert);
      } else if (condition && was) {
        this.carried.delete(key); // it holds in this run too: the same alert goes on
      } else if (!condition && was) {
        const carried = this.carried.has(key);
        if (carried && this.holdCarried) continue;
        this.standing.delete(key);
        this.carried.delete(key);
        (carried ? change.lapsed : change.cleared).push(was);
      }
    }
    return change;
  }

  /**
   * A supervisor takes the standing alert on: the others see who. Refused when it does not stand (cleared
   * meanwhile: nothing to take on) or someone took it on already (their name in the reason). An alert that
   * clears and is raised again is a new one, not taken on.
   */
  acknowledge(
    queueId: string,
    kind: QueueAlertKind,
    at: number,
    by?: SupervisorRef,
  ): { alert: QueueAlert } | { refused: AcknowledgeRefusal } {
    const key = standingKey(queueId, kind);
    const alert = this.standing.get(key);
    if (!alert) {
      return {
        refused: {
          code: 'ALERT_NOT_STANDING',
          reason: `queue ${queueId} has no ${kind} alert standing (it may have cleared)`,
        },
      };
    }
    if (alert.acknowledged) {
      return {
        refused: { code: 'ALERT_ACKNOWLEDGED', reason: takenOnAlready('this alert', alert.acknowledged) },
      };
    }
    const taken = { ...alert, acknowledged: takenOn(at, by) };
    this.standing.set(key, taken);
    return { alert: taken };
  }

  /** Takes back a taking-on that could not be put on record (the alert stands as it was). */
  unacknowledge(queueId: string, kind: QueueAlertKind, since: number): void {
    const key = standingKey(queueId, kind);
    const alert = this.standing.get(key);
    if (alert?.since !== since) return;
    this.standing.set(key, untaken(alert));
  }

  /** Clears every alert of a queue (its rules taken away, or the queue deleted), carried ones too. */
  clearQueue(queueId: string): AlertChange {
    const hold = this.holdCarried;
    this.holdCarried = false;
    const change = this.apply(queueId, QUEUE_ALERT_KINDS, {}, 0);
    this.holdCarried = hold;
    return change;
  }

  list(queueId?: string): QueueAlert[] {
    return [...this.standing.values()].filter((a) => queueId === undefined || a.queueId === queueId);
  }
}
