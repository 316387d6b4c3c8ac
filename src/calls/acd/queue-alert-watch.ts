/**
 * Raises and clears queue alerts (src/acd/alerts.ts) as things happen: the line's conditions on the stream's
 * own news (a caller joining or leaving, a seat changing state, members changing), a wait crossing its limit
 * at the instant it does (one timer per queue, set for that instant), the day's service level each time a
 * call of the queue is answered or lost. Each change goes out on the live stream as `queue.alert`.
 */
import type { Logger } from 'pino';
import {
  type AcknowledgeRefusal,
  type AlertChange,
  LINE_ALERT_KINDS,
  lineConditions,
  nextLongWaitAt,
  type QueueAlert,
  QueueAlertBoard,
  type QueueAlertKind,
  RECORD_ALERT_KINDS,
  serviceLevelConditions,
} from '../../acd/alerts.js';
import { computeQueueStats, countAgentStates, type InteractionRecord } from '../../acd/stats.js';
import type { SupervisorRef } from '../../acd/router-types.js';
import type { EventHub, StreamEvent } from '../../events/event-hub.js';
import type { QueueAlertLog, QueueAlertRecord } from '../../store/queue-alert-log.js';
import { recordedTakenOn, takenOnDto } from '../../supervision/taken-on.js';
import type { AcdRuntime } from './acd-runtime.js';

/** An alert as the stream and the API give it (QueueAlertBody). */
export const alertDto = (alert: QueueAlert) => ({
  queueId: alert.queueId,
  kind: alert.kind,
  since: new Date(alert.since).toISOString(),
  value: alert.value,
  threshold: alert.threshold,
  message: alert.message,
  ...takenOnDto(alert.acknowledged),
});

/** The least time between two reads of a queue's service level from the log. */
export const LEVEL_READ_GAP_MS = 5_000;
/**
 * How long alerts carried over a restart wait for the callers the previous run left waiting to be back in
 * line (`callersBack`), when Asterisk does not come back sooner: then they are judged on what is there.
 */
export const CARRIED_ALERTS_WAIT_MS = 30_000;

export interface QueueAlertWatchOptions {
  acd: Pick<AcdRuntime, 'router' | 'now' | 'today' | 'onReconfigure'>;
  hub: EventHub;
  logger: Logger;
  /** A queue's stays since an instant, from the record (as the queue figures read them). */
  records: (queueId: string, since: number) => Promise<InteractionRecord[]>;
  /** Where each alert raised, cleared and taken on is kept (GET /api/alerts); absent: not kept. */
  alertLog?: Pick<QueueAlertLog, 'raised' | 'cleared' | 'acknowledged' | 'open'>;
  /** A supervisor's name by id (who took an alert on, read back after a restart). */
  supervisor?: (id: string) => SupervisorRef | undefined;
}

export class QueueAlertWatch {
  private readonly board = new QueueAlertBoard();
  private readonly lineDue = new Set<string>();
  private readonly waitTimers = new Map<string, NodeJS.Timeout>();
  /** A service-level read under way per queue, and whether another was asked for meanwhile. */
  private readonly levelReads = new Map<string, { again: boolean }>();
  /** When each queue's service level was last read, and the read put off until the gap has passed. */
  private readonly levelReadAt = new Map<string, number>();
  private readonly levelLater = new Map<string, NodeJS.Timeout>();
  private unsubscribe: (() => void) | undefined;
  private offReconfigure: (() => void) | undefined;
  /** When the previous run was last known alive: an alert it left that no longer holds ended then. */
  private goneAt: number | undefined;
  private carriedWait: NodeJS.Timeout | undefined;

  constructor(private readonly options: QueueAlertWatchOptions) {}

  /**
   * Takes the alerts a previous run left standing (before `start`): each goes on as the same alert, with
   * its raising and who took it on, if it holds once the callers that run left waiting are back in line
   * (`callersBack`); one that does not is closed at `goneAt`, when that run was last known alive (what the
   * service could not watch while it was away is not claimed).
   */
  async restore(goneAt: number): Promise<void> {
    const open = (await this.options.alertLog?.open()) ?? [];
    if (open.length === 0) return;
    this.goneAt = goneAt;
    this.board.restore(open.map((record) => this.carriedAlert(record)));
    this.options.logger.info(
      { alerts: open.length },
      'queue alerts standing before the restart carried over',
    );
    this.carriedWait = setTimeout(() => this.callersBack(), CARRIED_ALERTS_WAIT_MS);
    this.carriedWait.unref();
  }

  /** The callers a previous run left waiting are back in line (or never will be): carried alerts are judged. */
  callersBack(): void {
    clearTimeout(this.carriedWait);
    this.carriedWait = undefined;
    if (this.board.releaseCarried()) this.everyQueue();
  }

  start(): void {
    this.unsubscribe = this.options.hub.subscribe((event) => this.onEvent(event));
    this.offReconfigure = this.options.acd.onReconfigure(() => this.everyQueue());
    this.everyQueue();
  }

  stop(): void {
    this.unsubscribe?.();
    this.offReconfigure?.();
    clearTimeout(this.carriedWait);
    for (const timer of [...this.waitTimers.values(), ...this.levelLater.values()]) clearTimeout(timer);
    this.waitTimers.clear();
    this.levelLater.clear();
  }

  /** The alerts standing now (one queue's, or all). */
  active(queueId?: string): QueueAlert[] {
    return this.board.list(queueId);
  }

  /**
   * A supervisor takes a standing alert on ("I'm on it"; `by` absent on the supervisor token): on record
   * before it is told on the stream (`queue.alert`, state acknowledged), so every wallboard shows who.
   */
  async acknowledge(
    queueId: string,
    kind: QueueAlertKind,
    by?: SupervisorRef,
  ): Promise<{ alert: QueueAlert } | { refused: AcknowledgeRefusal }> {
    const at = this.options.acd.now();
    const outcome = this.board.acknowledge(queueId, kind, at, by);
    if ('refused' in outcome) return outcome;
    // Not on record, not taken on: the supervisor is told (500) and may try again.
    await this.options.alertLog?.acknowledged(queueId, kind, at, by?.id ?? null).catch((error: unknown) => {
      this.board.unacknowledge(queueId, kind, outcome.alert.since);
      throw error;
    });
    this.options.logger.info(
      { queueId, alert: kind, supervisorId: by?.id ?? null },
      `queue alert acknowledged by ${by?.name ?? 'the supervisor token'}`,
    );
    this.options.hub.publish('queue.alert', { ...alertDto(outcome.alert), state: 'acknowledged' });
    return outcome;
  }

  private rulesOf(queueId: string) {
    return this.options.acd.router.queue(queueId)?.alerts;
  }

  private onEvent(event: StreamEvent): void {
    const data = event.data as { queueId?: string; agentId?: string };
    switch (event.type) {
      case 'queue.waiting':
      case 'queue.members':
        if (data.queueId) this.line(data.queueId);
        return;
      case 'agent.state': {
        const { router } = this.options.acd;
        for (const queueId of router.queueIds()) {
          if (this.rulesOf(queueId) && data.agentId && router.memberIds(queueId).includes(data.agentId)) {
            this.line(queueId);
          }
        }
        return;
      }
      case 'acd.connected':
      case 'acd.abandoned':
      case 'acd.overflowed': // flowed out: not answered in time, the level drops
        if (data.queueId) this.serviceLevel(data.queueId);
        return;
      case 'day.started':
        this.everyQueue();
        return;
    }
  }

  private everyQueue(): void {
    // A queue deleted, or its rules taken away: its alerts end.
    for (const alert of this.board.list()) {
      if (!this.rulesOf(alert.queueId))
        this.publish(this.board.clearQueue(alert.queueId), this.options.acd.now());
    }
    for (const queueId of this.options.acd.router.queueIds()) {
      this.line(queueId);
      this.serviceLevel(queueId);
    }
  }

  /** Reads the queue's line once the news being told now is all in (several events of one change). */
  private line(queueId: string): void {
    if (!this.rulesOf(queueId) && this.board.list(queueId).length === 0) return;
    if (this.lineDue.size === 0) queueMicrotask(() => this.readLines());
    this.lineDue.add(queueId);
  }

  private readLines(): void {
    const due = [...this.lineDue];
    this.lineDue.clear();
    for (const queueId of due) this.readLine(queueId);
  }

  private readLine(queueId: string): void {
    const { router } = this.options.acd;
    const rules = this.rulesOf(queueId) ?? {};
    const now = this.options.acd.now();
    const { waiting, oldestEnqueuedAt } = router.callerLine(queueId);
    const seats = router.memberIds(queueId).flatMap((id) => router.seat(id) ?? []);
    const held = lineConditions(rules, { waiting, oldestEnqueuedAt, agents: countAgentStates(seats) }, now);
    this.publish(this.board.apply(queueId, LINE_ALERT_KINDS, held, now), now);
    clearTimeout(this.waitTimers.get(queueId));
    this.waitTimers.delete(queueId);
    const next = nextLongWaitAt(rules, oldestEnqueuedAt, now);
    if (next !== undefined) {
      const timer = setTimeout(() => this.line(queueId), next - now);
      timer.unref();
      this.waitTimers.set(queueId, timer);
    }
  }

  private serviceLevel(queueId: string): void {
    const rules = this.rulesOf(queueId);
    if (!rules?.belowServiceLevel && this.board.list(queueId).length === 0) return;
    const reading = this.levelReads.get(queueId);
    if (reading) {
      reading.again = true;
      return;
    }
    // It reads the day's stays of the queue on the thread that routes calls: on a busy day, at most one
    // read per LEVEL_READ_GAP_MS, the news that came meanwhile read together at its end.
    if (this.levelLater.has(queueId)) return;
    const wait = (this.levelReadAt.get(queueId) ?? Number.NEGATIVE_INFINITY) + LEVEL_READ_GAP_MS - Date.now();
    if (wait > 0) {
      const later = setTimeout(() => {
        this.levelLater.delete(queueId);
        this.serviceLevel(queueId);
      }, wait);
      later.unref();
      this.levelLater.set(queueId, later);
      return;
    }
    this.levelReadAt.set(queueId, Date.now());
    const state = { again: false };
    this.levelReads.set(queueId, state);
    void this.readServiceLevel(queueId)
      .catch((error) =>
        this.options.logger.warn({ err: error, queueId }, 'queue alert: the service level not read'),
      )
      .finally(() => {
        this.levelReads.delete(queueId);
        if (state.again) this.serviceLevel(queueId);
      });
  }

  private async readServiceLevel(queueId: string): Promise<void> {
    const { acd } = this.options;
    const since = acd.today();
    const records = await this.options.records(queueId, since);
    const queue = acd.router.queue(queueId);
    const now = acd.now();
    const stats = computeQueueStats({
      queueId,
      serviceLevelSeconds: queue?.serviceLevelSeconds ?? 20,
      records,
      entries: [],
      memberSeats: [],
      now,
      since,
    });
    const held = serviceLevelConditions(
      queue?.alerts ?? {},
      queue?.serviceLevelTargetPercent,
      stats.serviceLevelPercent,
    );
    this.publish(this.board.apply(queueId, RECORD_ALERT_KINDS, held, now), now);
  }

  private carriedAlert(record: QueueAlertRecord): QueueAlert {
    return {
      queueId: record.queueId,
      kind: record.kind,
      since: record.raisedAt,
      value: record.value,
      threshold: record.threshold,
      message: record.message,
      ...recordedTakenOn(
        this.options.supervisor ?? (() => undefined),
        record.acknowledgedAt,
        record.acknowledgedBy,
      ),
    };
  }

  private publish(change: AlertChange, at: number): void {
    const { hub, logger, alertLog } = this.options;
    const kept = (write: Promise<void> | undefined, alert: QueueAlert) =>
      write?.catch((error) =>
        logger.error(
          { err: error, queueId: alert.queueId, alert: alert.kind },
          'queue alert not put on record',
        ),
      );
    for (const [state, alerts] of [
      ['raised', change.raised],
      ['cleared', change.cleared],
    ] as const) {
      for (const alert of alerts) {
        const { queueId, kind, value, threshold, message } = alert;
        logger[state === 'raised' ? 'warn' : 'info'](
          { queueId, alert: kind, value, threshold },
          `queue alert ${state}: ${message}`,
        );
        void kept(
          state === 'raised' ? alertLog?.raised(alert) : alertLog?.cleared(alert.queueId, alert.kind, at),
          alert,
        );
        hub.publish('queue.alert', { ...alertDto(alert), state });
      }
    }
    for (const alert of change.lapsed) {
      logger.info(
        { queueId: alert.queueId, alert: alert.kind },
        `queue alert from before the restart no longer holds: ${alert.message}`,
      );
      const endedAt = Math.max(this.goneAt ?? at, alert.since);
      void kept(alertLog?.cleared(alert.queueId, alert.kind, endedAt), alert);
      hub.publish('queue.alert', { ...alertDto(alert), state: 'cleared' });
    }
  }
}
