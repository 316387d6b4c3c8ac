import type { SupervisorRef } from '../acd/router-types.js';
import { recordedSupervisor } from './recorded-supervisor.js';

/**
 * A supervisor's "I'm on it" on something standing (a queue's alert, an agent's overstay): when, and who
 * (nobody in particular on the supervisor token). Alerts and overstays are taken on, refused, put on record
 * and taken back alike, so they share this.
 */
export interface TakenOn {
  at: number;
  by?: SupervisorRef;
}

export function takenOn(at: number, by?: SupervisorRef): TakenOn {
  return by ? { at, by } : { at };
}

/** The taking-on a record keeps (its time and the supervisor's id), as the `acknowledged` field it belongs in. */
export function recordedTakenOn(
  named: (id: string) => SupervisorRef | undefined,
  at: number | null,
  byId: string | null,
): { acknowledged?: TakenOn } {
  return at === null ? {} : { acknowledged: takenOn(at, recordedSupervisor(named, byId)) };
}

/** Why a second taking-on is refused: who took `what` on first, and when. */
export function takenOnAlready(what: string, taken: TakenOn): string {
  const who = taken.by?.name ?? 'a supervisor (on the supervisor token)';
  return `${who} took ${what} on at ${new Date(taken.at).toISOString()}`;
}

/** The same thing not taken on: a taking-on that could not be put on record is taken back. */
export function untaken<T extends { acknowledged?: TakenOn }>(thing: T): Omit<T, 'acknowledged'> {
  const { acknowledged: _taken, ...rest } = thing;
  return rest;
}

/** The `acknowledged` field as the API and the stream give it (times as ISO strings). */
export function takenOnDto(taken: TakenOn | undefined): {
  acknowledged?: { at: string; by?: SupervisorRef };
} {
  if (!taken) return {};
  return { acknowledged: { at: new Date(taken.at).toISOString(), ...(taken.by ? { by: taken.by } : {}) } };
}
