import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { withoutSeparators } from '../acd/callback.js';
import type { SupervisorRef } from '../acd/router-types.js';
import type { BlockedNumberLog } from '../store/blocked-number-log.js';
import {
  BlockList,
  type BlockRefusal,
  type NumberBlock,
  WITHHELD_NUMBER,
} from '../supervision/blocked-numbers.js';

type Outcome = { block: NumberBlock } | { refused: BlockRefusal };

/**
 * The numbers supervisors blocked, as the service holds them: each decision of the block list
 * (src/supervision/blocked-numbers.ts) is put on record before it is told, and one that cannot be is taken
 * back (a block, or its lifting, that a restart would forget does not stand); calls ask it whether their
 * caller is turned away, which is counted on the block.
 */
export class BlockedCallers {
  private list = new BlockList();

  constructor(
    private readonly options: {
      store: Pick<BlockedNumberLog, 'added' | 'lifted' | 'turnedAway' | 'standing'>;
      /** Reads a number typed by a supervisor in the numbering plan's one form, as callers' are. */
      canonical: (number: string) => string;
      now: () => number;
      logger: Logger;
      /** Told of each call a block turned away (the wallboard's count, live). */
      turnedAwayBy?: (block: NumberBlock) => void;
    },
  ) {}

  /** The blocks standing, from the record (at start: kept through a restart). */
  async load(): Promise<void> {
    this.list = new BlockList(await this.options.store.standing(this.options.now()));
  }

  standing(): NumberBlock[] {
    return this.list.standing(this.options.now());
  }

  async block(
    input: { number: string; reason: string; hours?: number },
    by?: SupervisorRef,
  ): Promise<Outcome> {
    const now = this.options.now();
    // A prefix (`+1900*`) is taken as typed: the numbering plan reads whole numbers.
    const typed = input.number.trim();
    const outcome = this.list.add({
      id: randomUUID(),
      number: typed.endsWith('*')
        ? withoutSeparators(typed)
        : typed.toLowerCase() === WITHHELD_NUMBER
          ? WITHHELD_NUMBER // "Anonymous" as typed: calls carry it in lower case
          : this.options.canonical(input.number),
      reason: input.reason,
      blockedAt: now,
      until: input.hours === undefined ? null : now + input.hours * 3_600_000,
      ...(by ? { by } : {}),
    });
    if ('block' in outcome) {
      const { block } = outcome;
      await this.onRecord(this.options.store.added(block), () => this.list.remove(block.id));
    }
    return outcome;
  }

  async lift(id: string, by?: SupervisorRef): Promise<Outcome> {
    const outcome = this.list.lift(id, this.options.now(), by);
    if ('block' in outcome) {
      const { block } = outcome;
      await this.onRecord(this.options.store.lifted(block), () => this.list.restore(block));
    }
    return outcome;
  }

  /** Waits for the write; should it fail, the change is taken back before the error goes on. */
  private async onRecord(write: Promise<void>, takeBack: () => void): Promise<void> {
    try {
      await write;
    } catch (error) {
      takeBack();
      throw error;
    }
  }

  /** The block standing on `number` now (in any form the numbering plan reads), if any. Not counted. */
  standingOn(number: string): NumberBlock | undefined {
    return this.list.blocking(this.options.canonical(number), this.options.now());
  }

  /**
   * Why the site may not call `number` back (a block stands on it), in words; null when none does. Not
   * counted: nobody called.
   */
  refusal(number: string): string | null {
    const block = this.list.blocking(this.options.canonical(number), this.options.now());
    if (!block) return null;
    return `the number is blocked${block.by ? ` by ${block.by.name}` : ''} (${JSON.stringify(block.reason)})`;
  }

  /**
   * The block turning away a caller from `number` now, counted; undefined when none stands. Synchronous:
   * the call is turned away at once; the count reaches the record after.
   */
  turnsAway(number: string, context: { callId: string; interactionId: string }): NumberBlock | undefined {
    const now = this.options.now();
    const standing = this.list.blocking(number, now);
    const block = standing && this.list.turnedAway(standing.id, now);
    if (!block) return undefined;
    this.options.store
      .turnedAway(block)
      .catch((error: unknown) =>
        this.options.logger.error({ ...context, blockId: block.id, err: error }, 'blocked call not counted'),
      );
    this.options.turnedAwayBy?.(block);
    return block;
  }
}
