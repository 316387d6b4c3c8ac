import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SupervisorRef } from '../../acd/router-types.js';
import type { EventHub } from '../../events/event-hub.js';
import type { CallerFlagDto } from '../../http/plugins/caller-flags/schemas.js';
import type { CallerFlagLog } from '../../store/caller-flag-log.js';
import type { InteractionLog } from '../../store/interaction-log.js';
import { BLOCK_REASON_MAX, type BlockRefusal, type NumberBlock } from '../../supervision/blocked-numbers.js';
import {
  type CallerFlag,
  CallerFlagBoard,
  FLAG_REASON_TEXT,
  type FlagDecision,
  type FlagReason,
  type FlagRefusal,
} from '../../supervision/caller-flags.js';
import type { BlockedCallers } from '../blocked-callers.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** A flag as the API, the live stream and the wallboard show it. */
export function flagDto(flag: CallerFlag): CallerFlagDto {
  return {
    id: flag.id,
    number: flag.number,
    interactionId: flag.interactionId,
    agentId: flag.agentId,
    reason: flag.reason,
    note: flag.note,
    flaggedAt: iso(flag.flaggedAt),
    ...(flag.decision
      ? {
          decision: {
            outcome: flag.decision.outcome,
            at: iso(flag.decision.at),
            ...(flag.decision.by ? { by: flag.decision.by } : {}),
            ...(flag.decision.blockId ? { blockId: flag.decision.blockId } : {}),
          },
        }
      : {}),
  };
}

/** The reason a block made from a flag carries: the flag's, and who flagged. */
export function blockReasonOf(flag: CallerFlag): string {
  const text = `${FLAG_REASON_TEXT[flag.reason]} (flagged by ${flag.agentId}${flag.note ? `: ${flag.note}` : ''})`;
  return text.length <= BLOCK_REASON_MAX ? text : `${text.slice(0, BLOCK_REASON_MAX - 1)}…`;
}

export interface CallerFlagDeskOptions {
  store: Pick<CallerFlagLog, 'raised' | 'decided' | 'standing'>;
  blocked: Pick<BlockedCallers, 'block' | 'standingOn'>;
  log: Pick<InteractionLog, 'record'>;
  hub: EventHub;
  now: () => number;
  logger: Logger;
  newId?: () => string;
}

type Refusal = FlagRefusal | BlockRefusal;

/**
 * Agents' flags on callers, as the service holds them: each decision of the board
 * (src/supervision/caller-flags.ts) is put on record before it is told (on the live stream, `number.flagged`
 * and `number.flags-decided`, supervisors only), and one that cannot be is taken back. A flag is also kept on
 * its call's timeline. A number blocked any way (from a flag or on the wallboard) settles the flags on it.
 */
export class CallerFlagDesk {
  private board = new CallerFlagBoard();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: CallerFlagDeskOptions) {}

  /** The flags still waiting, from the record (kept through a restart). */
  async load(): Promise<void> {
    this.board = new CallerFlagBoard(await this.options.store.standing());
  }

  /** Settles the flags on a number blocked on the wallboard (POST /api/blocked-numbers). */
  start(): void {
    this.unsubscribe = this.options.hub.subscribe((event) => {
      if (event.type !== 'number.blocked') return;
      const { block } = event.data as { block: { id: string; number: string; by: SupervisorRef | null } };
      const decision: FlagDecision = {
        outcome: 'blocked',
        at: this.options.now(),
        blockId: block.id,
        ...(block.by ? { by: block.by } : {}),
      };
      const flags = this.board.numberBlocked(block.number, decision);
      if (flags.length === 0) return;
      void this.decided(flags).catch((error: unknown) =>
        this.options.logger.error(
          { err: error, blockId: block.id, flagIds: flags.map((f) => f.id) },
          'flags on a blocked number not settled on record',
        ),
      );
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  list(): CallerFlag[] {
    return this.board.list();
  }

  /** An agent flags the caller of a call they took part in (the caller checked by the API). */
  async raise(
    interaction: { id: string; callerNumber: string | null },
    agentId: string,
    reason: FlagReason,
    note: string | null,
  ): Promise<{ flag: CallerFlag } | { refused: Refusal }> {
    const standingBlock =
      interaction.callerNumber === null
        ? undefined
        : this.options.blocked.standingOn(interaction.callerNumber);
    const outcome = this.board.raise(
      {
        id: (this.options.newId ?? randomUUID)(),
        number: interaction.callerNumber,
        interactionId: interaction.id,
        agentId,
        reason,
        note,
        flaggedAt: this.options.now(),
      },
      standingBlock,
    );
    if ('refused' in outcome) return outcome;
    const { flag } = outcome;
    try {
      await this.options.store.raised(flag);
    } catch (error) {
      this.board.takeBack([flag], true);
      throw error;
    }
    this.onTimeline(flag, flag.flaggedAt, {
      step: 'raised',
      reason: flag.reason,
      ...(flag.note ? { note: flag.note } : {}),
    });
    this.options.logger.warn(
      { agentId, interactionId: flag.interactionId, flagId: flag.id, reason },
      'agent flagged a caller for a supervisor to block',
    );
    this.options.hub.publish('number.flagged', { flag: flagDto(flag) });
    return outcome;
  }

  /**
   * A supervisor blocks the flagged number (for `hours`, or until lifted), which settles every flag on it.
   * `block` is the new block, or the one that stood already (`created` false: blocked meanwhile).
   */
  async block(
    id: string,
    hours: number | undefined,
    by?: SupervisorRef,
  ): Promise<{ flags: CallerFlag[]; block: NumberBlock; created: boolean } | { refused: Refusal }> {
    const waiting = this.board.waiting(id);
    if ('refused' in waiting) return waiting;
    const { flag } = waiting;
    let block = this.options.blocked.standingOn(flag.number);
    const created = block === undefined;
    if (!block) {
      const made = await this.options.blocked.block(
        { number: flag.number, reason: blockReasonOf(flag), ...(hours === undefined ? {} : { hours }) },
        by,
      );
      if ('refused' in made) return made;
      block = made.block;
    }
    const decided = this.board.decide(id, {
      outcome: 'blocked',
      at: this.options.now(),
      blockId: block.id,
      ...(by ? { by } : {}),
    });
    if ('refused' in decided) return decided;
    await this.decided(decided.flags);
    return { flags: decided.flags, block, created };
  }

  /** A supervisor dismisses a flag: the number is not blocked. */
  async dismiss(id: string, by?: SupervisorRef): Promise<{ flags: CallerFlag[] } | { refused: Refusal }> {
    const decided = this.board.decide(id, {
      outcome: 'dismissed',
      at: this.options.now(),
      ...(by ? { by } : {}),
    });
    if ('refused' in decided) return decided;
    await this.decided(decided.flags);
    return decided;
  }

  /** Puts decisions on record (taken back should that fail), then on the timelines and the stream. */
  private async decided(flags: CallerFlag[]): Promise<void> {
    try {
      await this.options.store.decided(flags);
    } catch (error) {
      this.board.takeBack(flags);
      throw error;
    }
    for (const flag of flags) {
      const decision = flag.decision!;
      this.onTimeline(flag, decision.at, {
        step: decision.outcome,
        ...(decision.blockId ? { blockId: decision.blockId } : {}),
        ...(decision.by ? { supervisor: decision.by } : {}),
      });
      this.options.logger.info(
        { interactionId: flag.interactionId, flagId: flag.id, supervisorId: decision.by?.id ?? null },
        `caller flag ${decision.outcome}`,
      );
    }
    this.options.hub.publish('number.flags-decided', { flags: flags.map(flagDto) });
  }

  private onTimeline(
    flag: CallerFlag,
    at: number,
    payload: {
      step: 'raised' | 'blocked' | 'dismissed';
      reason?: FlagReason;
      note?: string;
      blockId?: string;
      supervisor?: SupervisorRef;
    },
  ): void {
    this.options.log
      .record(flag.interactionId, at, {
        type: 'caller.flag',
        payload: { flagId: flag.id, agentId: flag.agentId, ...payload },
      })
      .catch((error: unknown) =>
        this.options.logger.error(
          { err: error, interactionId: flag.interactionId, flagId: flag.id },
          "caller flag not kept on the call's timeline",
        ),
      );
  }
}
