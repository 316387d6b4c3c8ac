import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ReasonCode } from '../../agents/schema.js';
import type { EventHub } from '../../events/event-hub.js';
import type { OverstayDto } from '../../http/plugins/overstays/schemas.js';
import type { BreakOverstayLog, OverstayRecord } from '../../store/break-overstay-log.js';
import type { SupervisorRef } from '../../acd/router-types.js';
import {
  BreakOverstayBoard,
  type EndedOverstay,
  OVERSTAY_LOST_IN_RESTART,
  type Overstay,
  type OverstayAcknowledgeRefusal,
  overSeconds,
} from '../../supervision/break-overstays.js';
import type { AcdRuntime } from '../acd/acd-runtime.js';
import { TimerTable } from '../acd/timer-table.js';
import { takenOnDto } from '../../supervision/taken-on.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** An overstay as the API and the stream show it: how far over so far (standing) or in all (ended). */
export function overstayDto(overstay: Overstay | OverstayRecord | EndedOverstay, now: number): OverstayDto {
  const endedAt = 'endedAt' in overstay ? overstay.endedAt : null;
  const endedTo = 'endedTo' in overstay ? overstay.endedTo : null;
  return {
    id: overstay.id,
    agentId: overstay.agentId,
    reason: overstay.reason,
    limitMinutes: overstay.limitMinutes,
    since: iso(overstay.since),
    dueAt: iso(overstay.dueAt),
    overSeconds: overSeconds(overstay, endedAt ?? now),
    ...takenOnDto(overstay.acknowledged),
    ...(endedAt !== null && endedTo !== null ? { ended: { at: iso(endedAt), to: endedTo } } : {}),
  };
}

export interface BreakWatchOptions {
  acd: Pick<AcdRuntime, 'router' | 'now'>;
  hub: EventHub;
  store: Pick<BreakOverstayLog, 'started' | 'ended' | 'open' | 'acknowledged'>;
  /** The site's reasons: those with `maxMinutes` are watched. */
  reasonCodes: readonly ReasonCode[];
  /** Every agent's id (the config's): whose seats a restart may have brought back not ready. */
  agentIds: () => readonly string[];
  logger: Logger;
  newId?: () => string;
}

/**
 * Agents' not readies past their reason's limit (src/supervision/break-overstays.ts): a timer at each one's
 * due time, no polling. An overstay is put on record when it begins and when the agent moves on, then told
 * on the stream (`agent.overstay`), so a wallboard never shows one the record does not have; webhooks hear
 * of both from the record.
 */
export class BreakWatch {
  private readonly board: BreakOverstayBoard;
  private readonly timers: TimerTable;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: BreakWatchOptions) {
    const limits = new Map(
      options.reasonCodes.flatMap((r) => (r.maxMinutes === undefined ? [] : [[r.code, r.maxMinutes]])),
    );
    this.board = new BreakOverstayBoard((reason) => limits.get(reason));
    this.timers = new TimerTable(
      (agentId) => this.due(agentId),
      () => options.acd.now(),
    );
  }

  /**
   * Overstays a previous run left standing are kept for agents still in that not ready (their seat came back
   * over a short restart); the others ended as `service_restarted` at `goneAt`, when that run was last known
   * alive. Every not ready the seats came back in is watched from when it began.
   */
  async restore(goneAt: number): Promise<void> {
    const seats = this.notReadySeats();
    const kept: Overstay[] = [];
    for (const record of await this.options.store.open()) {
      const seat = seats.find((s) => s.agentId === record.agentId);
      if (seat && seat.reason === record.reason && seat.since <= record.dueAt) {
        kept.push(record);
        continue;
      }
      const ended: EndedOverstay = {
        ...record,
        endedAt: Math.max(goneAt, record.dueAt),
        endedTo: OVERSTAY_LOST_IN_RESTART,
      };
      await this.options.store.ended(ended);
    }
    for (const wake of this.board.restore(kept, seats)) this.timers.schedule(wake.agentId, wake.wakeAt);
    if (kept.length > 0)
      this.options.logger.info(
        { overstays: kept.length },
        'agents over their not-ready limit kept over the restart',
      );
  }

  start(): void {
    this.unsubscribe = this.options.hub.subscribe((event) => {
      if (event.type !== 'agent.state') return;
      const data = event.data as { agentId: string; to: { type: string; reason?: string } };
      this.changed(data.agentId, data.to, Date.parse(event.at));
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.timers.clear();
  }

  /** Overstays standing now, the longest over first. */
  list(): Overstay[] {
    return this.board.list();
  }

  /**
   * A supervisor takes an agent's overstay on ("I'm on it"; `by` absent on the supervisor token): on record
   * before it is told on the stream (`agent.overstay`, state acknowledged), so every wallboard shows who.
   */
  async acknowledge(
    agentId: string,
    by?: SupervisorRef,
  ): Promise<{ overstay: Overstay } | { refused: OverstayAcknowledgeRefusal }> {
    const now = this.options.acd.now();
    const outcome = this.board.acknowledge(agentId, now, by);
    if ('refused' in outcome) return outcome;
    // Not on record, not taken on: the supervisor is told (500) and may try again.
    await this.options.store
      .acknowledged(outcome.overstay.id, now, by?.id ?? null)
      .catch((error: unknown) => {
        this.board.unacknowledge(agentId, outcome.overstay.id);
        throw error;
      });
    this.options.logger.info(
      { agentId, overstayId: outcome.overstay.id, supervisorId: by?.id ?? null },
      `overstay taken on by ${by?.name ?? 'the supervisor token'}`,
    );
    this.options.hub.publish('agent.overstay', {
      agentId,
      state: 'acknowledged',
      overstay: overstayDto(outcome.overstay, now),
    });
    return outcome;
  }

  private changed(agentId: string, to: { type: string; reason?: string }, at: number): void {
    const outcome = this.board.changed(agentId, to, at);
    if (outcome.wakeAt !== undefined) this.timers.schedule(agentId, outcome.wakeAt);
    else if (outcome.disarm) this.timers.cancel(agentId);
    const { ended } = outcome;
    if (!ended) return;
    const over = overSeconds(ended, ended.endedAt);
    this.options.store.ended(ended).then(
      () => {
        this.options.logger.info(
          { agentId, reason: ended.reason, overSeconds: over, to: ended.endedTo },
          `agent back from ${ended.reason}, ${over} s over its ${ended.limitMinutes} min`,
        );
        this.options.hub.publish('agent.overstay', {
          agentId,
          state: 'ended',
          overstay: overstayDto(ended, ended.endedAt),
        });
      },
      (error: unknown) => this.options.logger.error({ err: error, agentId }, 'overstay end not written'),
    );
  }

  private due(agentId: string): void {
    const now = this.options.acd.now();
    const overstay = this.board.due(agentId, now, (this.options.newId ?? randomUUID)());
    if (!overstay) return;
    this.options.store.started(overstay).then(
      () => {
        this.options.logger.warn(
          { agentId, reason: overstay.reason, limitMinutes: overstay.limitMinutes },
          `agent over the ${overstay.limitMinutes} min of ${overstay.reason}`,
        );
        this.options.hub.publish('agent.overstay', {
          agentId,
          state: 'started',
          overstay: overstayDto(overstay, now),
        });
      },
      (error: unknown) => this.options.logger.error({ err: error, agentId }, 'overstay not written'),
    );
  }

  /** Seats not ready now, with their reason and since. */
  private notReadySeats(): { agentId: string; reason: string; since: number }[] {
    return this.options.agentIds().flatMap((agentId) => {
      const seat = this.options.acd.router.seat(agentId);
      return seat?.state.type === 'not_ready'
        ? [{ agentId, reason: seat.state.reason, since: seat.stateSince }]
        : [];
    });
  }
}
