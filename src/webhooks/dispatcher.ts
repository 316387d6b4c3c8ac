import type { Logger } from 'pino';
import type { WebhookConfig } from '../config/schema.js';
import type { WebhookDeliveryRow, WebhookOutbox } from '../store/webhook-outbox.js';
import {
  AGENT_STATE_EVENTS,
  type HELP_EVENTS,
  type OVERSTAY_EVENTS,
  attemptOutcome,
  deliveryBody,
  type QUEUE_ALERT_EVENTS,
  retryAfterSeconds,
  retryWaitMs,
  signature,
  testBody,
} from './delivery.js';

export type AttemptKind = 'delivered' | 'retry' | 'failed';

export interface WebhookDispatcherDeps {
  outbox: WebhookOutbox;
  webhooks: readonly WebhookConfig[];
  logger: Logger;
  now?: () => number;
  /** Delivered deliveries are forgotten this many days on (config retention.webhookDeliveriesDays). */
  keepDeliveredDays?: number;
}

const DAY_MS = 86_400_000;

/** A webhook's URL without credentials (what the API and the logs show), and the header they become. */
export function webhookTarget(url: string): { url: string; authorization?: string } {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { url };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return {
    url: parsed.toString(),
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  };
}

/** One webhook's dispatch state. */
class WebhookLane {
  readonly inFlight = new Set<number>();
  readonly target: { url: string; authorization?: string };
  timer: NodeJS.Timeout | undefined;
  pumping = false;
  again = false;
  readonly attempts: Record<AttemptKind, number> = { delivered: 0, retry: 0, failed: 0 };
  /** Attempts failed in a row, whatever delivery they were of (a 2xx resets it). */
  failingInARow = 0;
  /** While the receiver rests (it failed RECEIVER_DOWN_AFTER times in a row), nothing is sent to it. */
  restingUntil: number | undefined;
  /** Rests since the last delivery taken. */
  private rests = 0;

  constructor(readonly config: WebhookConfig) {
    this.target = webhookTarget(config.url);
  }

  /** How many attempts may start now: none while resting, one probe after a rest, else up to concurrency. */
  room(now: number): number {
    if (this.restingUntil !== undefined && now < this.restingUntil) return 0;
    const limit = this.failingInARow >= RECEIVER_DOWN_AFTER ? 1 : this.config.concurrency;
    return Math.max(0, limit - this.inFlight.size);
  }

  /** Whether an attempt starting now is a probe of a receiver taken for down. */
  get probing(): boolean {
    return this.failingInARow >= RECEIVER_DOWN_AFTER;
  }

  /**
   * An attempt's end. The receiver rests when failures reach RECEIVER_DOWN_AFTER in a row, and longer after
   * each probe that fails (as one delivery's retries); attempts that were already under way when it began
   * resting do not lengthen it.
   */
  ended(delivered: boolean, at: number, wasProbe: boolean): void {
    if (delivered) {
      this.failingInARow = 0;
      this.rests = 0;
      this.restingUntil = undefined;
      return;
    }
    this.failingInARow += 1;
    if (this.failingInARow === RECEIVER_DOWN_AFTER || wasProbe) {
      this.rests += 1;
      this.restingUntil = at + retryWaitMs(this.rests, this.config.retryBaseSeconds);
    }
  }
}

/**
 * Attempts failed in a row (any deliveries) after which the receiver is taken for down: nothing more is sent
 * until a rest has passed, then one delivery at a time until one is taken. A receiver that is down is not
 * sent every new call's event the moment it happens (they wait in line, nothing is lost).
 */
export const RECEIVER_DOWN_AFTER = 3;

const ERROR_TEXT_MAX = 300;

/**
 * Delivers the webhooks' outbox. Event-driven, no polling: it reads what is due when told a subscribed
 * event was written (`written`), when an attempt ends, and on one timer per webhook, set for its next retry
 * or the end of its receiver's rest.
 * Each webhook has `concurrency` deliveries in flight at most; a receiver that is down holds up only its
 * own. Every outcome is written before the next read, so a restart resumes where it stopped: a delivery in
 * flight then is sent again (at least once; the body's deliveryId lets a receiver drop the repeat).
 */
export class WebhookDispatcher {
  private readonly lanes = new Map<string, WebhookLane>();
  private readonly now: () => number;
  private stopped = false;
  private readonly settling = new Set<Promise<void>>();
  private pruneTimer: NodeJS.Timeout | undefined;
  /** Cuts the attempts in flight short when the service stops (they stay pending: sent again after). */
  private readonly stopping = new AbortController();

  constructor(private readonly deps: WebhookDispatcherDeps) {
    this.now = deps.now ?? Date.now;
    for (const config of deps.webhooks) this.lanes.set(config.id, new WebhookLane(config));
  }

  /** Writes the subscriptions (the trigger reads them) and sends whatever a previous run left pending. */
  async start(): Promise<void> {
    await this.deps.outbox.subscribe(this.deps.webhooks);
    this.wake();
    this.prune();
  }

  /** Forgets what was delivered before the retention period, now and once a day. */
  private prune(): void {
    if (this.stopped) return;
    const before = this.now() - (this.deps.keepDeliveredDays ?? 30) * DAY_MS;
    this.track(
      this.deps.outbox.pruneDelivered(before).then(
        (forgotten) => {
          if (forgotten > 0)
            this.deps.logger.info({ forgotten }, 'webhook deliveries past retention forgotten');
        },
        (error: unknown) => this.deps.logger.error({ err: error }, 'webhook deliveries could not be pruned'),
      ),
    );
    this.pruneTimer = setTimeout(() => this.prune(), DAY_MS);
    this.pruneTimer.unref();
  }

  /**
   * Has the logs tell this of each commit of an event its webhooks want (the triggers wrote the deliveries
   * with it): the timeline's subscribed types, queue alerts, and agent states when a webhook asks for them.
   */
  listenTo(sources: {
    interactions: {
      webhookEvents: { types: ReadonlySet<string>; written: (type: string) => void } | undefined;
    };
    alerts: { written: ((type: (typeof QUEUE_ALERT_EVENTS)[number]) => void) | undefined };
    agentStates: { written: (() => void) | undefined };
    help: { written: ((type: (typeof HELP_EVENTS)[number]) => void) | undefined };
    overstays?: { written: ((type: (typeof OVERSTAY_EVENTS)[number]) => void) | undefined };
  }): void {
    const types = this.eventTypes;
    sources.interactions.webhookEvents = { types, written: (type) => this.written(type) };
    sources.alerts.written = (type) => this.written(type);
    const [agentState] = AGENT_STATE_EVENTS;
    if (types.has(agentState)) sources.agentStates.written = () => this.written(agentState);
    sources.help.written = (type) => {
      if (types.has(type)) this.written(type);
    };
    if (sources.overstays)
      sources.overstays.written = (type) => {
        if (types.has(type)) this.written(type);
      };
  }

  /** Subscribed event types, for the log to say when to wake this. */
  get eventTypes(): ReadonlySet<string> {
    return new Set(this.deps.webhooks.flatMap((w) => w.events));
  }

  /** Something may be due: at start (all webhooks). */
  wake(webhookId?: string): void {
    for (const lane of this.lanes.values()) {
      if (webhookId === undefined || lane.config.id === webhookId) this.pump(lane);
    }
  }

  /**
   * A supervisor put a delivery back in line: they take the receiver for fixed, so a rest it is in ends now
   * (it is still tried one at a time until a delivery is taken).
   */
  redelivered(webhookId: string): void {
    const lane = this.lanes.get(webhookId);
    if (!lane) return;
    lane.restingUntil = undefined;
    this.pump(lane);
  }

  /** An event of this type was written: the webhooks subscribed to it have a delivery due. */
  written(type: string): void {
    for (const lane of this.lanes.values()) if (lane.config.events.includes(type)) this.pump(lane);
  }

  /** Each webhook's attempts since start, by outcome (for /metrics). */
  attempts(): { id: string; attempts: Record<AttemptKind, number>; inFlight: number }[] {
    return [...this.lanes.values()].map((l) => ({
      id: l.config.id,
      attempts: { ...l.attempts },
      inFlight: l.inFlight.size,
    }));
  }

  /** How a webhook's receiver is doing: attempts failed in a row, and until when it rests (epoch ms). */
  receiver(webhookId: string): { failingInARow: number; restingUntil: number | null } {
    const lane = this.lanes.get(webhookId);
    const resting = lane?.restingUntil;
    return {
      failingInARow: lane?.failingInARow ?? 0,
      restingUntil: resting !== undefined && resting > this.now() ? resting : null,
    };
  }

  has(webhookId: string): boolean {
    return this.lanes.has(webhookId);
  }

  /**
   * Stops sending: timers cleared, the attempts in flight cut short. Those stay pending on record and are
   * sent again by the next run: a stop does not wait on a receiver that is slow to answer.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    clearTimeout(this.pruneTimer);
    for (const lane of this.lanes.values()) clearTimeout(lane.timer);
    await Promise.allSettled([...this.settling]);
  }

  private pump(lane: WebhookLane): void {
    if (this.stopped) return;
    if (lane.pumping) {
      lane.again = true;
      return;
    }
    lane.pumping = true;
    const run = this.fill(lane)
      .catch((error: unknown) => {
        // The database is in trouble: the next write told of, or attempt ended, reads again.
        this.deps.logger.error({ err: error, webhookId: lane.config.id }, 'webhook outbox could not be read');
      })
      .finally(() => {
        lane.pumping = false;
        if (lane.again) {
          lane.again = false;
          this.pump(lane);
        }
      });
    this.track(run);
  }

  /** Starts what is due, as far as the lane has room, and sets its timer for what comes due next. */
  private async fill(lane: WebhookLane): Promise<void> {
    const { outbox } = this.deps;
    const room = lane.room(this.now());
    if (room > 0) {
      // Rows in flight are still pending on record: read past them.
      const due = await outbox.due(lane.config.id, this.now(), room + lane.inFlight.size);
      // What ended during the read counts: the receiver may have begun to rest.
      const roomNow = lane.room(this.now());
      for (const row of due.filter((r) => !lane.inFlight.has(r.id)).slice(0, roomNow)) {
        lane.inFlight.add(row.id);
        this.track(this.attempt(lane, row));
      }
    }
    clearTimeout(lane.timer);
    lane.timer = undefined;
    const now = this.now();
    const resting = lane.restingUntil !== undefined && now < lane.restingUntil;
    if (!resting && lane.room(now) === 0) return; // full: an attempt's end reads again
    const due = await outbox.nextDueAt(lane.config.id, [...lane.inFlight]);
    if (due === undefined || this.stopped) return;
    // Nothing goes to a resting receiver before its rest is over.
    const next = Math.max(due, lane.restingUntil ?? 0);
    const wait = Math.max(0, next - now);
    lane.timer = setTimeout(() => this.pump(lane), Math.min(wait, 2 ** 31 - 1));
    lane.timer.unref();
  }

  /**
   * POSTs one body to the webhook's receiver, signed: its HTTP status (null when no answer came), what went
   * wrong in words ('' when a 2xx came), and a Retry-After it asked for.
   */
  private async post(
    lane: WebhookLane,
    body: string,
    ids: { type: string; deliveryId: number },
  ): Promise<{ status: number | null; error: string; retryAfter?: number }> {
    const { config } = lane;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'contact-center-webhooks/1',
      'x-cc-webhook': config.id,
      'x-cc-event': ids.type,
      'x-cc-delivery': String(ids.deliveryId),
    };
    if (lane.target.authorization) headers.authorization = lane.target.authorization;
    if (config.secret)
      headers['x-cc-signature'] = signature(config.secret, body, Math.floor(this.now() / 1000));
    const timeout = AbortSignal.timeout(config.timeoutSeconds * 1000);
    try {
      const response = await fetch(lane.target.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.any([timeout, this.stopping.signal]),
      });
      const status = response.status;
      if (status >= 200 && status < 300) {
        await response.body?.cancel().catch(() => undefined);
        return { status, error: '' };
      }
      const text = await response.text().catch(() => '');
      return {
        status,
        error: `HTTP ${status}${text.trim() ? `: ${text.trim().slice(0, ERROR_TEXT_MAX)}` : ''}`,
        retryAfter: retryAfterSeconds(response.headers.get('retry-after'), this.now()),
      };
    } catch (caught) {
      // The timeout's own signal says it fired: undici's rejection does not always carry a TimeoutError
      // (aborted while the request was being written, it is "fetch failed" with the abort as its cause).
      if (timeout.aborted) return { status: null, error: `no answer within ${config.timeoutSeconds} s` };
      return { status: null, error: failureText(caught) };
    }
  }

  /**
   * Sends the webhook a `webhook.test` body now, as a delivery would go (signed, same headers), and says
   * how the receiver answered. Not kept and not retried: for ops checking a URL or a secret.
   */
  async sendTest(webhookId: string): Promise<{ status: number | null; error: string | null; ms: number }> {
    const lane = this.lanes.get(webhookId);
    if (!lane) throw new Error(`no webhook ${webhookId}`);
    const started = performance.now();
    const body = JSON.stringify(testBody(webhookId, this.now()));
    const { status, error } = await this.post(lane, body, { type: 'webhook.test', deliveryId: 0 });
    if (error === '') {
      // It answers: whatever rest it was in is over, and what waited for it goes now.
      lane.ended(true, this.now(), false);
      this.pump(lane);
    }
    return { status, error: error === '' ? null : error, ms: Math.round(performance.now() - started) };
  }

  private async attempt(lane: WebhookLane, row: WebhookDeliveryRow): Promise<void> {
    const { config } = lane;
    const attempt = row.attempts + 1;
    const wasProbe = lane.probing;
    const { status, error, retryAfter } = await this.post(lane, deliveryBody(row, attempt), {
      type: row.type,
      deliveryId: row.id,
    });
    if (this.stopped && status === null) {
      lane.inFlight.delete(row.id);
      return; // cut short by the stop: pending on record, sent again by the next run
    }
    const at = this.now();
    const outcome = attemptOutcome({
      status,
      attempt,
      maxAttempts: config.maxAttempts,
      retryBaseSeconds: config.retryBaseSeconds,
      retryAfterSeconds: retryAfter,
      now: at,
    });
    const log = this.deps.logger.child({
      webhookId: config.id,
      deliveryId: row.id,
      ...(row.interaction_id !== null ? { interactionId: row.interaction_id } : {}),
      ...(row.queue_alert_id !== null ? { queueAlertId: row.queue_alert_id } : {}),
      ...(row.agent_event_seq !== null
        ? {
            agentEventSeq: row.agent_event_seq,
            agentId: (JSON.parse(row.payload) as { agentId?: string }).agentId,
          }
        : {}),
      event: row.type,
      attempt,
    });
    try {
      if (outcome.kind === 'delivered') await this.deps.outbox.delivered(row.id, at, status!);
      else if (outcome.kind === 'retry') await this.deps.outbox.retry(row.id, at, outcome.at, status, error);
      else await this.deps.outbox.failed(row.id, at, status, error);
      lane.attempts[outcome.kind] += 1;
      const resting = lane.restingUntil;
      lane.ended(outcome.kind === 'delivered', at, wasProbe);
      if (lane.restingUntil !== undefined && lane.restingUntil !== resting)
        log.warn(
          { failingInARow: lane.failingInARow, restingUntil: new Date(lane.restingUntil).toISOString() },
          'webhook receiver failing: nothing more is sent to it until then, then one at a time',
        );
      if (outcome.kind === 'retry')
        log.warn(
          { error, retryAt: new Date(outcome.at).toISOString() },
          'webhook delivery failed; will retry',
        );
      else if (outcome.kind === 'failed') log.error({ error }, 'webhook delivery failed for the last time');
      else log.debug({ status }, 'webhook delivered');
    } catch (writeError) {
      // Not written: still pending on record, so it is sent again (the receiver may see it twice).
      log.error({ err: writeError, outcome: outcome.kind }, 'webhook delivery outcome could not be written');
    } finally {
      lane.inFlight.delete(row.id);
      this.pump(lane);
    }
  }

  private track(work: Promise<void>): void {
    this.settling.add(work);
    void work.finally(() => this.settling.delete(work));
  }
}

/** What went wrong with an attempt that got no HTTP answer, in words. */
function failureText(error: unknown): string {
  // fetch says "fetch failed"; what failed is in its cause (ECONNREFUSED, a bad port, a TLS error).
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code)
    return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`.slice(0, ERROR_TEXT_MAX);
  if (cause?.message) return cause.message.slice(0, ERROR_TEXT_MAX);
  return (error instanceof Error ? error.message : String(error)).slice(0, ERROR_TEXT_MAX);
}
