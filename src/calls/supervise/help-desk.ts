import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SupervisorRef } from '../../acd/router-types.js';
import { seatInteractionId } from '../../agents/seat.js';
import type { EventHub } from '../../events/event-hub.js';
import type { HelpRequestDto } from '../../http/plugins/help/schemas.js';
import type { HelpRequestLog } from '../../store/help-request-log.js';
import { requestOf } from '../../store/help-request-log.js';
import type { InteractionLog } from '../../store/interaction-log.js';
import {
  type EndedHelpRequest,
  type HelpEndReason,
  type HelpRefusal,
  type HelpRequest,
  HelpRequestBoard,
} from '../../supervision/help-requests.js';
import type { AcdRuntime } from '../acd/acd-runtime.js';
import { TimerTable } from '../acd/timer-table.js';

const iso = (ms: number) => new Date(ms).toISOString();
const ON_A_CALL: ReadonlySet<string> = new Set(['talking', 'on_hold', 'wrap_up']);

/** A request as the API, the live stream and the snapshot show it. */
export function helpDto(request: HelpRequest | EndedHelpRequest): HelpRequestDto {
  return {
    id: request.id,
    agentId: request.agentId,
    interactionId: request.interactionId,
    note: request.note,
    askedAt: iso(request.askedAt),
    taken: request.taken
      ? { at: iso(request.taken.at), ...(request.taken.by ? { by: request.taken.by } : {}) }
      : null,
    ...(request.unansweredAt !== undefined ? { unansweredAt: iso(request.unansweredAt) } : {}),
    ...('ended' in request
      ? {
          ended: {
            at: iso(request.ended.at),
            reason: request.ended.reason,
            ...(request.ended.by ? { by: request.ended.by } : {}),
          },
        }
      : {}),
  };
}

export interface HelpDeskOptions {
  acd: Pick<AcdRuntime, 'router' | 'now'>;
  hub: EventHub;
  log: Pick<InteractionLog, 'record'>;
  store: Pick<HelpRequestLog, 'asked' | 'taken' | 'unanswered' | 'ended' | 'open'>;
  /** A request nobody took on this long (ms) is said unanswered, once; 0 or absent: never. */
  unansweredAfterMs?: number;
  /** A supervisor's name by id, for requests a previous run left taken on. */
  supervisor: (id: string) => SupervisorRef | undefined;
  logger: Logger;
  newId?: () => string;
}

type Outcome<T> = { request: T } | { refused: HelpRefusal };

/**
 * Agents asking a supervisor for help: the board's decisions (src/supervision/help-requests.ts) put on
 * record, on the call's timeline when the agent was on one, and on the live stream (`agent.help`), in that
 * order, so a wallboard never shows a request the record does not have. A request ends by itself when its
 * agent logs out (nobody is left to help).
 */
export class HelpDesk {
  private readonly board = new HelpRequestBoard();
  private unsubscribe: (() => void) | undefined;
  /** Per agent: the timer that says their open request unanswered when its time is up. */
  private readonly unansweredTimers: TimerTable;

  constructor(private readonly options: HelpDeskOptions) {
    this.unansweredTimers = new TimerTable(
      (agentId) =>
        void this.sayUnanswered(agentId).catch((error: unknown) =>
          options.logger.error({ err: error, agentId }, 'request for help not said unanswered'),
        ),
      () => options.acd.now(),
    );
  }

  /**
   * Requests a previous run left open: kept for agents whose seat came back signed in (a short restart), ended
   * as `service_restarted` at `goneAt` (when that run was last known alive) for the others.
   */
  async restore(goneAt: number): Promise<void> {
    const kept: HelpRequest[] = [];
    for (const record of await this.options.store.open()) {
      const request = requestOf(record, this.options.supervisor);
      if (this.loggedIn(request.agentId)) {
        kept.push(request);
        continue;
      }
      const ended: EndedHelpRequest = {
        ...request,
        ended: { at: Math.max(goneAt, request.askedAt), reason: 'service_restarted' },
      };
      await this.options.store.ended(ended);
      this.onTimeline(ended, ended.ended.at, { step: 'ended', reason: 'service_restarted' });
    }
    this.board.restore(kept);
    // Time that passed while the service was down counts: one overdue is said at once (once: a mark on
    // record before the restart came back with it).
    for (const request of kept) this.armUnanswered(request.agentId);
    if (kept.length > 0)
      this.options.logger.info({ helpRequests: kept.length }, 'requests for help kept over the restart');
  }

  start(): void {
    this.unsubscribe = this.options.hub.subscribe((event) => {
      if (event.type !== 'agent.state') return;
      const data = event.data as { agentId: string; to: { type: string } };
      if (data.to.type !== 'logged_out' || !this.board.of(data.agentId)) return;
      void this.end(data.agentId, 'logged_out').catch((error: unknown) =>
        this.options.logger.error(
          { err: error, agentId: data.agentId },
          'request for help not ended at logout',
        ),
      );
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unansweredTimers.clear();
  }

  /** Every open request, the longest waiting first. */
  list(): HelpRequest[] {
    return this.board.list();
  }

  of(agentId: string): HelpRequest | undefined {
    return this.board.of(agentId);
  }

  async ask(agentId: string, note: string | null): Promise<Outcome<HelpRequest>> {
    const seat = this.options.acd.router.seat(agentId);
    const outcome = this.board.ask({
      id: (this.options.newId ?? randomUUID)(),
      agentId,
      loggedIn: this.loggedIn(agentId),
      // The call they are on or wrapping up; not one still ringing them, which they know nothing of yet.
      interactionId: seat && ON_A_CALL.has(seat.state.type) ? (seatInteractionId(seat.state) ?? null) : null,
      note,
      at: this.options.acd.now(),
    });
    if ('refused' in outcome) return outcome;
    const { request } = outcome;
    await this.options.store.asked(request);
    this.onTimeline(request, request.askedAt, {
      step: 'asked',
      ...(request.note ? { note: request.note } : {}),
    });
    this.options.logger.warn(
      { agentId, interactionId: request.interactionId, helpId: request.id },
      `agent asks for help${request.note ? `: ${request.note}` : ''}`,
    );
    this.options.hub.publish('agent.help', { agentId, state: 'asked', help: helpDto(request) });
    this.armUnanswered(agentId);
    return outcome;
  }

  /** A supervisor takes the agent's request on (`by` absent on the supervisor token). */
  async take(agentId: string, by?: SupervisorRef): Promise<Outcome<HelpRequest>> {
    const outcome = this.board.take(agentId, this.options.acd.now(), by);
    if ('refused' in outcome) return outcome;
    this.unansweredTimers.cancel(agentId);
    const { request } = outcome;
    await this.options.store.taken(request);
    this.onTimeline(request, request.taken?.at ?? this.options.acd.now(), { step: 'taken' }, by);
    this.options.logger.info(
      { agentId, interactionId: request.interactionId, helpId: request.id, supervisorId: by?.id ?? null },
      `request for help taken on by ${by?.name ?? 'the supervisor token'}`,
    );
    this.options.hub.publish('agent.help', { agentId, state: 'taken', help: helpDto(request) });
    return outcome;
  }

  /** The request ends: withdrawn by the agent, resolved by a supervisor, or its agent logged out. */
  async end(agentId: string, reason: HelpEndReason, by?: SupervisorRef): Promise<Outcome<EndedHelpRequest>> {
    const outcome = this.board.end(agentId, this.options.acd.now(), reason, by);
    if ('refused' in outcome) return outcome;
    this.unansweredTimers.cancel(agentId);
    const { request } = outcome;
    await this.options.store.ended(request);
    this.onTimeline(request, request.ended.at, { step: 'ended', reason }, by);
    this.options.logger.info(
      { agentId, interactionId: request.interactionId, helpId: request.id, reason },
      'request for help ended',
    );
    this.options.hub.publish('agent.help', { agentId, state: 'ended', help: helpDto(request) });
    return outcome;
  }

  /** Sets the agent's open request to be said unanswered when its time is up (none when off or said). */
  private armUnanswered(agentId: string): void {
    const due = this.board.unansweredDue(agentId, this.unansweredAfterMs);
    if (this.unansweredAfterMs > 0 && due !== undefined) this.unansweredTimers.schedule(agentId, due);
    else this.unansweredTimers.cancel(agentId);
  }

  private get unansweredAfterMs(): number {
    return this.options.unansweredAfterMs ?? 0;
  }

  /** Nobody took the agent's request on in time: on record (webhooks), on the call, on the stream. */
  private async sayUnanswered(agentId: string): Promise<void> {
    const request = this.board.unanswered(agentId, this.options.acd.now(), this.unansweredAfterMs);
    if (!request || request.unansweredAt === undefined) return;
    await this.options.store.unanswered(request);
    this.onTimeline(request, request.unansweredAt, { step: 'unanswered' });
    this.options.logger.warn(
      {
        agentId,
        interactionId: request.interactionId,
        helpId: request.id,
        waitedMs: request.unansweredAt - request.askedAt,
      },
      'request for help not taken on by any supervisor in time',
    );
    this.options.hub.publish('agent.help', { agentId, state: 'unanswered', help: helpDto(request) });
  }

  private loggedIn(agentId: string): boolean {
    const type = this.options.acd.router.seat(agentId)?.state.type;
    return type !== undefined && type !== 'logged_out';
  }

  /** The call the agent asked on keeps the request's steps, so its record says why a supervisor joined. */
  private onTimeline(
    request: HelpRequest,
    at: number,
    step:
      | { step: 'asked'; note?: string }
      | { step: 'taken' }
      | { step: 'unanswered' }
      | { step: 'ended'; reason: HelpEndReason },
    by?: SupervisorRef,
  ): void {
    if (request.interactionId === null) return;
    void this.options.log
      .record(request.interactionId, at, {
        type: 'agent.help',
        payload: {
          agentId: request.agentId,
          helpId: request.id,
          ...step,
          ...(by ? { supervisor: by } : {}),
        },
      })
      .catch((error: unknown) =>
        this.options.logger.error(
          { err: error, agentId: request.agentId, interactionId: request.interactionId },
          'request for help not put on the call timeline',
        ),
      );
  }
}
