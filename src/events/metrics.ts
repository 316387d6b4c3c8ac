/**
 * Operational metrics in Prometheus' text format (GET /metrics): counters kept from the live event stream
 * since the service started, and gauges read at scrape time. Pure apart from the hub subscription: the
 * gauges are handed in, and the text is built from plain numbers.
 */
import type { EventHub, StreamEvent } from './event-hub.js';

export interface MetricsGauges {
  /** sip_edge: only with a SIP edge configured. */
  up: { ari: boolean; ami: boolean; db: boolean; sip_edge?: boolean };
  activeCalls: number;
  eventLoopLagMs: number;
  ariRoundTripMs: number;
  queues: {
    id: string;
    waiting: number;
    callbacksWaiting: number;
    callbacksScheduled: number;
    longestWaitSeconds: number;
    /** Per alert kind the queue's rules watch for: whether it stands now. */
    alerts: Record<string, boolean>;
  }[];
  /** Per webhook: deliveries pending and failed, the age of the oldest pending event, attempts since start. */
  webhooks: {
    id: string;
    pending: number;
    failed: number;
    oldestPendingSeconds?: number;
    attempts: Record<string, number>;
  }[];
  /** Seats per state, and not-ready seats per reason. */
  agentsByState: Record<string, number>;
  notReadyByReason: Record<string, number>;
  /** Agents' requests for help standing: waiting for a supervisor, and taken on by one. */
  help: { waiting: number; taken: number };
  /** Per reason with a time limit: agents past it now. */
  overLimitByReason: Record<string, number>;
  process: { residentBytes: number; heapUsedBytes: number; cpuSeconds: number; startedAt: number };
  /** The service's scheduled database backups (absent: none configured): the last good one, and failing. */
  backup?: { lastSuccessAt?: number; failing: boolean };
}

type Labels = Record<string, string>;

/** Which stream events each counter counts. */
const COUNTED: Record<string, string> = {
  'acd.enqueued': 'cc_queue_entered_total',
  'acd.offered': 'cc_queue_offers_total',
  'acd.connected': 'cc_queue_answered_total',
  'acd.abandoned': 'cc_queue_abandoned_total',
  'acd.overflowed': 'cc_queue_flowed_out_total',
  'agent.missed-call': 'cc_queue_ring_no_answer_total',
  'acd.agent.lost': 'cc_agent_phone_lost_total',
  'voicemail.left': 'cc_voicemails_total',
};

/** Counters from the stream: calls offered to agents, answered, abandoned, ring-no-answers, per queue. */
export class StreamCounters {
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly unsubscribe: () => void;

  constructor(hub: EventHub) {
    this.unsubscribe = hub.subscribe((event) => this.count(event));
  }

  stop(): void {
    this.unsubscribe();
  }

  /** name → (labels as key → value) */
  snapshot(): Map<string, Map<string, number>> {
    return this.counts;
  }

  private count(event: StreamEvent): void {
    const name = COUNTED[event.type];
    if (!name) return;
    const data = event.data as { queueId?: string; agentIds?: string[] };
    // An offer rings every agent it names (ring-all): one per phone rung.
    const by = event.type === 'acd.offered' ? (data.agentIds?.length ?? 1) : 1;
    this.add(name, data.queueId !== undefined ? { queue: data.queueId } : {}, by);
  }

  private add(name: string, labels: Labels, by = 1): void {
    const series = this.counts.get(name) ?? new Map<string, number>();
    const key = labelText(labels);
    series.set(key, (series.get(key) ?? 0) + by);
    this.counts.set(name, series);
  }
}

const HELP: Record<string, [type: 'counter' | 'gauge', help: string]> = {
  cc_up: ['gauge', 'Whether the link is up (ari, ami, db, sip_edge)'],
  cc_active_calls: ['gauge', 'Calls in progress'],
  cc_event_loop_lag_ms: ['gauge', "How far behind the service's event loop runs (p99, last 2-4 s)"],
  cc_ari_round_trip_ms: ['gauge', 'Median ARI request round trip (last 2-4 s)'],
  cc_queue_waiting: ['gauge', 'Callers on the line waiting in the queue'],
  cc_queue_callbacks_waiting: ['gauge', 'Callback requests due in the queue (or between attempts)'],
  cc_queue_callbacks_scheduled: ['gauge', 'Callbacks scheduled in the queue for a later time not come yet'],
  cc_queue_longest_wait_seconds: ['gauge', 'How long the longest-waiting caller has waited'],
  cc_queue_alert: [
    'gauge',
    "Whether the queue's alert of this kind stands (the kinds its `alerts` rules watch)",
  ],
  cc_webhook_pending: ['gauge', 'Webhook deliveries not taken yet (being tried, or waiting to be retried)'],
  cc_webhook_failed: [
    'gauge',
    'Webhook deliveries given up after every attempt, still on record (redeliver them)',
  ],
  cc_webhook_oldest_pending_seconds: [
    'gauge',
    'How long ago the event of the oldest pending delivery happened',
  ],
  cc_webhook_attempts_total: [
    'counter',
    'Webhook delivery attempts since the service started, by outcome: delivered, retry (failed, tried again later), failed (the last)',
  ],
  cc_help_requests: [
    'gauge',
    "Agents' requests for a supervisor's help standing, waiting for a supervisor or taken on by one",
  ],
  cc_agents_over_limit: [
    'gauge',
    "Agents whose not ready has run past its reason's limit, per reason (the reasons with a limit)",
  ],
  cc_database_backup_last_success_timestamp_seconds: [
    'gauge',
    'When the newest database backup was taken (Unix time): alert when it is older than the interval',
  ],
  cc_database_backup_failing: [
    'gauge',
    '1 while the last scheduled database backup failed (retried within the hour)',
  ],
  cc_agents: ['gauge', 'Agent seats per state'],
  cc_agents_not_ready: ['gauge', 'Not-ready agent seats per reason'],
  cc_queue_entered_total: ['counter', 'Callers that entered the queue, since the service started'],
  cc_queue_offers_total: ['counter', "Offers rung on agents' phones"],
  cc_queue_answered_total: ['counter', 'Callers answered by an agent'],
  cc_queue_abandoned_total: ['counter', 'Callers who hung up while waiting'],
  cc_queue_flowed_out_total: [
    'counter',
    'Callers sent on from the queue (overflow at max wait, no agents, exit key, queue full)',
  ],
  cc_queue_ring_no_answer_total: ['counter', 'Offers that rang out (the caller went back to the front)'],
  cc_agent_phone_lost_total: ['counter', "Agents' phones lost mid-call (the caller was put back in line)"],
  cc_voicemails_total: ['counter', 'Voicemails left'],
  process_resident_memory_bytes: ['gauge', 'Resident memory of the service process'],
  nodejs_heap_used_bytes: ['gauge', 'V8 heap in use'],
  process_cpu_seconds_total: ['counter', 'User and system CPU time of the service process'],
  process_start_time_seconds: ['gauge', 'When the service process started (Unix time)'],
};

/** The exposition text (format 0.0.4): every family with HELP and TYPE, then its samples. */
export function renderMetrics(gauges: MetricsGauges, counters: Map<string, Map<string, number>>): string {
  const families = new Map<string, [labels: string, value: number][]>();
  const put = (name: string, labels: Labels, value: number) => {
    const samples = families.get(name) ?? [];
    samples.push([labelText(labels), value]);
    families.set(name, samples);
  };
  for (const [link, up] of Object.entries(gauges.up)) put('cc_up', { link }, up ? 1 : 0);
  put('cc_active_calls', {}, gauges.activeCalls);
  put('cc_event_loop_lag_ms', {}, gauges.eventLoopLagMs);
  put('cc_ari_round_trip_ms', {}, gauges.ariRoundTripMs);
  for (const q of gauges.queues) {
    put('cc_queue_waiting', { queue: q.id }, q.waiting);
    put('cc_queue_callbacks_waiting', { queue: q.id }, q.callbacksWaiting);
    put('cc_queue_callbacks_scheduled', { queue: q.id }, q.callbacksScheduled);
    put('cc_queue_longest_wait_seconds', { queue: q.id }, q.longestWaitSeconds);
    for (const [kind, standing] of Object.entries(q.alerts)) {
      put('cc_queue_alert', { queue: q.id, kind }, standing ? 1 : 0);
    }
  }
  put('cc_help_requests', { state: 'waiting' }, gauges.help.waiting);
  put('cc_help_requests', { state: 'taken' }, gauges.help.taken);
  for (const [reason, n] of Object.entries(gauges.overLimitByReason))
    put('cc_agents_over_limit', { reason }, n);
  for (const w of gauges.webhooks) {
    put('cc_webhook_pending', { webhook: w.id }, w.pending);
    put('cc_webhook_failed', { webhook: w.id }, w.failed);
    if (w.oldestPendingSeconds !== undefined)
      put('cc_webhook_oldest_pending_seconds', { webhook: w.id }, w.oldestPendingSeconds);
    for (const [outcome, n] of Object.entries(w.attempts))
      put('cc_webhook_attempts_total', { webhook: w.id, outcome }, n);
  }
  for (const [state, n] of Object.entries(gauges.agentsByState)) put('cc_agents', { state }, n);
  for (const [reason, n] of Object.entries(gauges.notReadyByReason))
    put('cc_agents_not_ready', { reason }, n);
  for (const [name, series] of counters) {
    families.set(
      name,
      [...series].map(([labels, value]) => [labels, value] as [string, number]),
    );
  }
  if (gauges.backup) {
    if (gauges.backup.lastSuccessAt !== undefined)
      put(
        'cc_database_backup_last_success_timestamp_seconds',
        {},
        Math.floor(gauges.backup.lastSuccessAt / 1000),
      );
    put('cc_database_backup_failing', {}, gauges.backup.failing ? 1 : 0);
  }
  put('process_resident_memory_bytes', {}, gauges.process.residentBytes);
  put('nodejs_heap_used_bytes', {}, gauges.process.heapUsedBytes);
  put('process_cpu_seconds_total', {}, gauges.process.cpuSeconds);
  put('process_start_time_seconds', {}, Math.floor(gauges.process.startedAt / 1000));

  const lines: string[] = [];
  for (const [name, samples] of families) {
    const [type, help] = HELP[name] ?? ['gauge', name];
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${formatNumber(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const quote = (v: string) => v.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
  return `{${entries.map(([k, v]) => `${k}="${quote(v)}"`).join(',')}}`;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(Math.round(value * 1000) / 1000);
}
