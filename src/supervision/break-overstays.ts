/**
 * Not-ready periods that outrun their reason's time limit (a 15-minute break taken for 25): when each is due
 * back, when it becomes an overstay, and how far over it ran once the agent moved on. Pure: seat changes,
 * reason limits and the clock in, decisions out; the watch (src/calls/supervise/break-watch.ts) keeps the
 * timers, the record and the stream.
 */
import type { SupervisorRef } from '../acd/router-types.js';
import { type TakenOn, takenOn, takenOnAlready, untaken } from './taken-on.js';

/** A not ready whose reason has a limit (`maxMinutes`): when it began and when the agent is due back. */
export interface LimitedNotReady {
  agentId: string;
  reason: string;
  limitMinutes: number;
  since: number;
  dueAt: number;
}

/** A limited not ready past its due time: an overstay, standing from `dueAt`. */
export interface Overstay extends LimitedNotReady {
  id: string;
  /** A supervisor took it on ("I'm on it"): when, and who (absent on the supervisor token). */
  acknowledged?: TakenOn;
}

/** Why taking an overstay on is refused. */
export type OverstayAcknowledgeRefusal =
  | { code: 'OVERSTAY_NOT_STANDING'; reason: string }
  | { code: 'OVERSTAY_ACKNOWLEDGED'; reason: string };

/** What ended an overstay: the seat state the agent moved to, or a restart that lost track of it. */
export type OverstayEnd = string;
export const OVERSTAY_LOST_IN_RESTART = 'service_restarted';

export interface EndedOverstay extends Overstay {
  endedAt: number;
  /** The state the agent went to (`available`, `not_ready` for another reason, `logged_out`, …). */
  endedTo: OverstayEnd;
}

/** How long an overstay ran (or has run so far) past its due time, in whole seconds. */
export function overSeconds(overstay: Pick<Overstay, 'dueAt'>, until: number): number {
  return Math.max(0, Math.floor((until - overstay.dueAt) / 1000));
}

/** A seat state as the stream tells it: its type and, not ready, its reason. */
export interface SeatStateFact {
  type: string;
  reason?: string;
}

/** What a seat change means for its agent: a due time to wake at, a period no longer watched, an overstay ended. */
export interface SeatChangeOutcome {
  /** A new limited not ready began: wake at this time (then call `due`). */
  wakeAt?: number;
  /** The agent left the period being watched: its wake-up is no longer wanted. */
  disarm?: true;
  ended?: EndedOverstay;
}

/**
 * Every agent's limited not ready being watched and the overstays standing. A reason change (break → lunch)
 * is a new period with the new reason's limit, as the pages count it; the same reason told again changes
 * nothing.
 */
export class BreakOverstayBoard {
  private readonly watched = new Map<string, LimitedNotReady>();
  private readonly standing = new Map<string, Overstay>();

  /** `limitOf`: a reason's `maxMinutes` (undefined: no limit, e.g. a meeting or `missed`). */
  constructor(private readonly limitOf: (reason: string) => number | undefined) {}

  /** The agent's seat became `to` at `at`. */
  changed(agentId: string, to: SeatStateFact, at: number): SeatChangeOutcome {
    const current = this.watched.get(agentId);
    if (to.type === 'not_ready' && current && current.reason === to.reason) return {};
    const outcome: SeatChangeOutcome = {};
    if (current) {
      this.watched.delete(agentId);
      outcome.disarm = true;
    }
    const open = this.standing.get(agentId);
    if (open) {
      this.standing.delete(agentId);
      outcome.ended = { ...open, endedAt: at, endedTo: to.type };
    }
    const period = this.period(agentId, to, at);
    if (period) {
      this.watched.set(agentId, period);
      delete outcome.disarm;
      outcome.wakeAt = period.dueAt;
    }
    return outcome;
  }

  /**
   * The wake-up for the agent came: the overstay begins now if the watched period is due and none stands
   * (undefined otherwise: the agent moved on, or it came early).
   */
  due(agentId: string, at: number, id: string): Overstay | undefined {
    const period = this.watched.get(agentId);
    if (!period || at < period.dueAt || this.standing.has(agentId)) return undefined;
    const overstay = { ...period, id };
    this.standing.set(agentId, overstay);
    return overstay;
  }

  /**
   * After a restart: `kept` are overstays a previous run left standing whose agents are still in that not
   * ready; `seats` the agents not ready now with their reason and since. Returns the wake-ups to set (an
   * already due one at once).
   */
  restore(
    kept: readonly Overstay[],
    seats: readonly { agentId: string; reason: string; since: number }[],
  ): { agentId: string; wakeAt: number }[] {
    for (const overstay of kept) this.standing.set(overstay.agentId, overstay);
    const wakes: { agentId: string; wakeAt: number }[] = [];
    for (const seat of seats) {
      const kept = this.standing.get(seat.agentId);
      const period =
        kept ?? this.period(seat.agentId, { type: 'not_ready', reason: seat.reason }, seat.since);
      if (!period) continue;
      this.watched.set(seat.agentId, {
        agentId: period.agentId,
        reason: period.reason,
        limitMinutes: period.limitMinutes,
        since: period.since,
        dueAt: period.dueAt,
      });
      if (!kept) wakes.push({ agentId: seat.agentId, wakeAt: period.dueAt });
    }
    return wakes;
  }

  /**
   * A supervisor takes the agent's standing overstay on: the others see who. Refused when none stands (the
   * agent came back meanwhile) or someone took it on already (their name in the reason).
   */
  acknowledge(
    agentId: string,
    at: number,
    by?: SupervisorRef,
  ): { overstay: Overstay } | { refused: OverstayAcknowledgeRefusal } {
    const overstay = this.standing.get(agentId);
    if (!overstay)
      return {
        refused: {
          code: 'OVERSTAY_NOT_STANDING',
          reason: `${agentId} is not over a not-ready limit (they may be back)`,
        },
      };
    if (overstay.acknowledged) {
      return {
        refused: { code: 'OVERSTAY_ACKNOWLEDGED', reason: takenOnAlready('this', overstay.acknowledged) },
      };
    }
    const taken = { ...overstay, acknowledged: takenOn(at, by) };
    this.standing.set(agentId, taken);
    return { overstay: taken };
  }

  /** Takes back a taking-on that could not be put on record (the overstay stands as it was). */
  unacknowledge(agentId: string, id: string): void {
    const overstay = this.standing.get(agentId);
    if (overstay?.id !== id) return;
    this.standing.set(agentId, untaken(overstay));
  }

  /** Overstays standing now, the longest over first. */
  list(): Overstay[] {
    return [...this.standing.values()].sort(
      (a, b) => a.dueAt - b.dueAt || a.agentId.localeCompare(b.agentId),
    );
  }

  of(agentId: string): Overstay | undefined {
    return this.standing.get(agentId);
  }

  private period(agentId: string, to: SeatStateFact, since: number): LimitedNotReady | undefined {
    if (to.type !== 'not_ready' || to.reason === undefined) return undefined;
    const limitMinutes = this.limitOf(to.reason);
    if (limitMinutes === undefined) return undefined;
    return { agentId, reason: to.reason, limitMinutes, since, dueAt: since + limitMinutes * 60_000 };
  }
}
