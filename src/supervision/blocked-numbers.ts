/**
 * Numbers supervisors block: an abusive caller, a robocaller flooding a queue. A call from a blocked number
 * is turned away before it is answered, and is on record as such. A block may name a prefix instead
 * (`+1900*`: a range a robocall campaign spoofs, premium-rate numbers), in the international form only.
 * Pure: which block stands for a number now, and the rules for adding and lifting one. Carried out in
 * src/calls/blocked-callers.ts.
 */
import type { SupervisorRef } from '../acd/router-types.js';

export const BLOCK_REASON_MAX = 200;
/** The longest a block may be set for; without `until` it stands until lifted. */
export const BLOCK_HOURS_MAX = 24 * 365;

export interface NumberBlock {
  id: string;
  /**
   * In the numbering plan's one form, as callers' numbers are matched; or a prefix ending in `*` (`+1900*`),
   * which blocks every number that starts with it.
   */
  number: string;
  reason: string;
  blockedAt: number;
  /** When it runs out; null: until a supervisor lifts it. */
  until: number | null;
  /** Who blocked it: absent on the supervisor token. */
  by?: SupervisorRef;
  /** Calls turned away by it, and when the last was. */
  turnedAway: number;
  lastTurnedAwayAt: number | null;
  /** Set once lifted. */
  liftedAt?: number;
  liftedBy?: SupervisorRef;
}

export type BlockRefusal =
  | { code: 'NUMBER_ALREADY_BLOCKED'; reason: string }
  | { code: 'NUMBER_NOT_BLOCKABLE'; reason: string }
  | { code: 'BLOCK_REASON_EMPTY'; reason: string }
  | { code: 'BLOCK_NOT_FOUND'; reason: string };

type Outcome = { block: NumberBlock } | { refused: BlockRefusal };

const standsAt = (block: NumberBlock, now: number) =>
  block.liftedAt === undefined && (block.until === null || block.until > now);

/** The digits a prefix block names (`+1900` of `+1900*`), or undefined for a block of one number. */
export function blockPrefix(number: string): string | undefined {
  return number.endsWith('*') ? number.slice(0, -1) : undefined;
}

/** A number that names one caller: digits (an optional +), at least 3 (no name, SIP address or "anonymous"). */
export function namesOneCaller(number: string): boolean {
  return /^\+?\d{3,}$/.test(number);
}

/** What withheld callers' calls carry as their number: a block on it turns every one of them away. */
export const WITHHELD_NUMBER = 'anonymous';

/** The shortest prefix a block may name: `+1*` would turn away a whole country. */
export const BLOCK_PREFIX_MIN_DIGITS = 4;

/** Why a prefix cannot be blocked, or null when it can: the international form, at least 4 digits. */
export function prefixRefusal(prefix: string): string | null {
  if (!/^\+\d+$/.test(prefix))
    return `a prefix block names the start of numbers in the international form, + and digits, then * (e.g. +1900*), not "${prefix}*"`;
  if (prefix.length - 1 < BLOCK_PREFIX_MIN_DIGITS)
    return `a prefix block needs at least ${BLOCK_PREFIX_MIN_DIGITS} digits after the + (e.g. +1900*): "${prefix}*" would turn away too many callers`;
  return null;
}

/** The blocks standing, one per number at most; a block that ran out is simply no longer one. */
export class BlockList {
  private readonly blocks = new Map<string, NumberBlock>();

  constructor(standing: readonly NumberBlock[] = []) {
    for (const block of standing) this.blocks.set(block.id, { ...block });
  }

  /** Standing at `now`, the newest first. */
  standing(now: number): NumberBlock[] {
    this.forgetEnded(now);
    return [...this.blocks.values()].sort((a, b) => b.blockedAt - a.blockedAt || a.id.localeCompare(b.id));
  }

  /**
   * The block turning `number` away at `now`, if any: a block of that number, else the longest prefix
   * block it starts with.
   */
  blocking(number: string, now: number): NumberBlock | undefined {
    if (number === '') return undefined;
    let prefixed: NumberBlock | undefined;
    for (const block of this.blocks.values()) {
      if (!standsAt(block, now)) continue;
      if (block.number === number) return block;
      const prefix = blockPrefix(block.number);
      if (
        prefix !== undefined &&
        number.startsWith(prefix) &&
        (!prefixed || block.number.length > prefixed.number.length)
      )
        prefixed = block;
    }
    return prefixed;
  }

  /** The block standing on exactly this number or prefix (not a wider prefix covering it). */
  private standingOn(number: string, now: number): NumberBlock | undefined {
    for (const block of this.blocks.values())
      if (block.number === number && standsAt(block, now)) return block;
    return undefined;
  }

  add(block: Omit<NumberBlock, 'turnedAway' | 'lastTurnedAwayAt'>): Outcome {
    if (block.number === '')
      return {
        refused: { code: 'NUMBER_NOT_BLOCKABLE', reason: 'no number to block: give the caller’s number' },
      };
    const prefix = blockPrefix(block.number);
    const badPrefix = prefix === undefined ? null : prefixRefusal(prefix);
    if (badPrefix) return { refused: { code: 'NUMBER_NOT_BLOCKABLE', reason: badPrefix } };
    // Anything else would be kept and never match a call: a name or a typo typed for a number.
    if (prefix === undefined && !namesOneCaller(block.number) && block.number !== WITHHELD_NUMBER)
      return {
        refused: {
          code: 'NUMBER_NOT_BLOCKABLE',
          reason: `"${block.number}" is not a caller's number: give it as their calls show it (e.g. +15551234567), "${WITHHELD_NUMBER}" for every caller who withholds theirs, or a prefix ending in * (e.g. +1900*)`,
        },
      };
    if (block.reason.trim() === '')
      return { refused: { code: 'BLOCK_REASON_EMPTY', reason: 'say why the number is blocked' } };
    // A number inside a prefix already blocked may still get a block of its own (say, until lifted).
    const standing = this.standingOn(block.number, block.blockedAt);
    if (standing) {
      const by = standing.by ? ` by ${standing.by.name}` : '';
      return {
        refused: {
          code: 'NUMBER_ALREADY_BLOCKED',
          reason: `${block.number} is blocked already${by} ("${standing.reason}")`,
        },
      };
    }
    const added: NumberBlock = {
      ...block,
      reason: block.reason.trim(),
      turnedAway: 0,
      lastTurnedAwayAt: null,
    };
    this.blocks.set(added.id, added);
    return { block: { ...added } };
  }

  lift(id: string, at: number, by?: SupervisorRef): Outcome {
    const block = this.blocks.get(id);
    if (!block || !standsAt(block, at))
      return {
        refused: {
          code: 'BLOCK_NOT_FOUND',
          reason: `no block ${id} stands (it may have run out or been lifted)`,
        },
      };
    this.blocks.delete(id);
    return { block: { ...block, liftedAt: at, ...(by ? { liftedBy: by } : {}) } };
  }

  /** Takes back a block just added (it could not be put on record). */
  remove(id: string): void {
    this.blocks.delete(id);
  }

  /** Puts back a block just lifted, as it stood (the lifting could not be put on record). */
  restore(block: NumberBlock): void {
    const { liftedAt: _at, liftedBy: _by, ...standing } = block;
    this.blocks.set(block.id, standing);
  }

  /** A call the block turned away: counted. */
  turnedAway(id: string, at: number): NumberBlock | undefined {
    const block = this.blocks.get(id);
    if (!block) return undefined;
    block.turnedAway += 1;
    block.lastTurnedAwayAt = at;
    return { ...block };
  }

  private forgetEnded(now: number): void {
    for (const [id, block] of this.blocks) if (!standsAt(block, now)) this.blocks.delete(id);
  }
}
