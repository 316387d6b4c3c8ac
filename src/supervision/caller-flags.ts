/**
 * Agents flagging a caller for a supervisor to block (abusive, a robocall, a prank): agents may not block a
 * number themselves, since a block turns away every later call from it, but they are the ones who hear the
 * abuse. A flag names the call it came from; a supervisor blocks the number from it (which settles every
 * flag standing on that number) or dismisses it. Pure: flags and the clock in, decisions out.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { SupervisorRef } from '../acd/router-types.js';
import { blockPrefix, namesOneCaller } from './blocked-numbers.js';

export const FlagReasonSchema = Type.Union(
  [Type.Literal('abusive'), Type.Literal('spam'), Type.Literal('prank'), Type.Literal('other')],
  {
    description:
      'abusive: threatened or abused the agent; spam: a robocall or sales call; prank: a hoax or silent call; other: see the note',
  },
);
export type FlagReason = Static<typeof FlagReasonSchema>;

export const FLAG_NOTE_MAX = 200;

/** How each reason reads in a block made from the flag. */
export const FLAG_REASON_TEXT: Record<FlagReason, string> = {
  abusive: 'abusive to agents',
  spam: 'robocall or spam',
  prank: 'prank calls',
  other: 'flagged by an agent',
};

export interface FlagDecision {
  outcome: 'blocked' | 'dismissed';
  at: number;
  /** Who decided: absent on the supervisor token. */
  by?: SupervisorRef;
  /** The block that settled it (blocked). */
  blockId?: string;
}

export interface CallerFlag {
  id: string;
  /** The caller's number as the interaction keeps it (the numbering plan's form). */
  number: string;
  interactionId: string;
  agentId: string;
  reason: FlagReason;
  note: string | null;
  flaggedAt: number;
  decision?: FlagDecision;
}

export type FlagRefusal =
  | { code: 'FLAG_NO_NUMBER'; reason: string }
  | { code: 'FLAG_ALREADY_RAISED'; reason: string }
  | { code: 'FLAG_NOT_FOUND'; reason: string }
  | { code: 'NUMBER_ALREADY_BLOCKED'; reason: string };

/**
 * Whether a caller's number names one caller: digits (an optional +), at least 3. A withheld caller
 * ("anonymous", empty) does not: a block on that would turn away every withheld caller, which a supervisor
 * may still decide on the wallboard, but not from one agent's flag.
 */
export function flaggableNumber(number: string | null): number is string {
  return number !== null && namesOneCaller(number);
}

/** Whether a block's number (or prefix, `+1900*`) covers a flagged caller's number. */
function covers(blocked: string, number: string): boolean {
  const prefix = blockPrefix(blocked);
  return prefix === undefined ? blocked === number : number.startsWith(prefix);
}

/** The flags waiting for a supervisor. */
export class CallerFlagBoard {
  private readonly standing = new Map<string, CallerFlag>();

  constructor(standing: readonly CallerFlag[] = []) {
    for (const flag of standing) this.standing.set(flag.id, { ...flag });
  }

  /** Waiting now, the oldest first. */
  list(): CallerFlag[] {
    return [...this.standing.values()].sort((a, b) => a.flaggedAt - b.flaggedAt || a.id.localeCompare(b.id));
  }

  /** The flag `id` while it waits for a decision; refused once decided (or never raised). */
  waiting(id: string): { flag: CallerFlag } | { refused: FlagRefusal } {
    const flag = this.standing.get(id);
    if (flag) return { flag: { ...flag } };
    return {
      refused: {
        code: 'FLAG_NOT_FOUND',
        reason: `no flag ${id} waits for a decision (another supervisor may have decided it)`,
      },
    };
  }

  /**
   * An agent flags the caller of an interaction they took part in; `blockedBy` is the block standing on the
   * number already, if any (nothing left for a supervisor to decide).
   */
  raise(
    flag: Omit<CallerFlag, 'decision' | 'number'> & { number: string | null },
    blockedBy?: { reason: string; by?: SupervisorRef },
  ): { flag: CallerFlag } | { refused: FlagRefusal } {
    const { number } = flag;
    if (!flaggableNumber(number))
      return {
        refused: {
          code: 'FLAG_NO_NUMBER',
          reason:
            'the caller withheld their number, so there is no number to block from this call (a supervisor can block withheld callers as "anonymous")',
        },
      };
    if (blockedBy)
      return {
        refused: {
          code: 'NUMBER_ALREADY_BLOCKED',
          reason: `${number} is blocked already${blockedBy.by ? ` by ${blockedBy.by.name}` : ''} ("${blockedBy.reason}")`,
        },
      };
    for (const standing of this.standing.values())
      if (standing.interactionId === flag.interactionId)
        return {
          refused: {
            code: 'FLAG_ALREADY_RAISED',
            reason: `this call's caller is flagged already (by ${standing.agentId}), waiting for a supervisor`,
          },
        };
    const raised: CallerFlag = { ...flag, number, note: flag.note?.trim() || null };
    this.standing.set(raised.id, raised);
    return { flag: { ...raised } };
  }

  /**
   * A supervisor decides on a flag: dismissed settles that one; blocked settles every flag standing on its
   * number (the block covers them all).
   */
  decide(id: string, decision: FlagDecision): { flags: CallerFlag[] } | { refused: FlagRefusal } {
    const waiting = this.waiting(id);
    if ('refused' in waiting) return waiting;
    const number = decision.outcome === 'blocked' ? waiting.flag.number : undefined;
    return { flags: this.settle(number, id, decision) };
  }

  /**
   * A number blocked (from a flag or not): every flag standing on it is settled by that block; a prefix
   * block (`+1900*`) settles the flags on every number it covers.
   */
  numberBlocked(number: string, decision: FlagDecision): CallerFlag[] {
    return this.settle(number, undefined, decision);
  }

  /** Puts back flags whose decision, or raising, could not be put on record. */
  takeBack(flags: readonly CallerFlag[], raised = false): void {
    for (const flag of flags) {
      if (raised) this.standing.delete(flag.id);
      else {
        const { decision: _decision, ...standing } = flag;
        this.standing.set(flag.id, standing);
      }
    }
  }

  private settle(number: string | undefined, id: string | undefined, decision: FlagDecision): CallerFlag[] {
    const settled: CallerFlag[] = [];
    for (const flag of this.list()) {
      if (flag.id !== id && (number === undefined || !covers(number, flag.number))) continue;
      this.standing.delete(flag.id);
      settled.push({ ...flag, decision: { ...decision } });
    }
    return settled;
  }
}
