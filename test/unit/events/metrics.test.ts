import { afterEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/events/event-hub.js';
import { type MetricsGauges, renderMetrics, StreamCounters } from '../../../src/events/metrics.js';
import { buildApi, SUPERVISOR } from '../http/http-harness.js';

const gauges: MetricsGauges = {
  up: { ari: true, ami: false, db: true },
  activeCalls: 3,
  eventLoopLagMs: 1.25,
  ariRoundTripMs: 2,
  queues: [
    {
      id: 'sales',
      waiting: 2,
      callbacksWaiting: 1,
      callbacksScheduled: 3,
      longestWaitSeconds: 41.5,
      alerts: { long_wait: true, unstaffed: false },
    },
  ],
  webhooks: [
    {
      id: 'crm',
      pending: 4,
      failed: 1,
      oldestPendingSeconds: 95,
      attempts: { delivered: 20, retry: 3, failed: 1 },
    },
  ],
  agentsByState: { available: 1, not_ready: 2 },
  notReadyByReason: { lunch: 1, 'say "hi"': 1 },
  help: { waiting: 2, taken: 1 },
  overLimitByReason: { break: 1, lunch: 0 },
  process: { residentBytes: 100, heapUsedBytes: 50, cpuSeconds: 1.5, startedAt: 1_700_000_000_500 },
};

let api: Awaited<ReturnType<typeof buildApi>> | undefined;
afterEach(async () => {
  await api?.app.close();
  api = undefined;
});

describe('metrics', () => {
  it('count calls per queue from the live stream, and render families with HELP, TYPE and escaped labels', () => {
    const hub = new EventHub(Date.now, 100, 'throw');
    const counters = new StreamCounters(hub);
    hub.publish('acd.offered', { interactionId: 'i1', queueId: 'sales', agentIds: ['a1', 'a2'] });
    hub.publish('acd.connected', { interactionId: 'i1', queueId: 'sales', agentId: 'a1' });
    hub.publish('acd.abandoned', { interactionId: 'i2', queueId: 'sales', waitSeconds: 4 });
    hub.publish('acd.abandoned', { interactionId: 'i3', queueId: 'support', waitSeconds: 9 });
    hub.publish('acd.overflowed', {
      interactionId: 'i5',
      queueId: 'sales',
      target: { type: 'queue', queueId: 'support' },
      reason: 'max_wait',
    });
    hub.publish('queue.waiting', { queueId: 'sales', waiting: 0 }); // a gauge's news: not counted
    counters.stop();
    hub.publish('acd.abandoned', { interactionId: 'i4', queueId: 'sales', waitSeconds: 1 }); // after stop
    const text = renderMetrics(gauges, counters.snapshot());
    expect(text).toContain('# TYPE cc_queue_abandoned_total counter\n');
    expect(text).toContain(
      'cc_queue_abandoned_total{queue="sales"} 1\ncc_queue_abandoned_total{queue="support"} 1\n',
    );
    expect(text).toContain('cc_queue_offers_total{queue="sales"} 2\n');
    expect(text).toContain('cc_help_requests{state="waiting"} 2\ncc_help_requests{state="taken"} 1\n');
    expect(text).toContain(
      '# TYPE cc_agents_over_limit gauge\ncc_agents_over_limit{reason="break"} 1\ncc_agents_over_limit{reason="lunch"} 0\n',
    );
    expect(text).toContain('cc_queue_flowed_out_total{queue="sales"} 1\n');
    expect(text).toContain('cc_queue_answered_total{queue="sales"} 1\n');
    expect(text).toContain('cc_up{link="ari"} 1\ncc_up{link="ami"} 0\ncc_up{link="db"} 1\n');
    expect(text).not.toContain('link="sip_edge"'); // none configured
    const withEdge = renderMetrics({ ...gauges, up: { ...gauges.up, sip_edge: false } }, counters.snapshot());
    expect(withEdge).toContain('cc_up{link="db"} 1\ncc_up{link="sip_edge"} 0\n');
    expect(text).toContain('# TYPE cc_queue_waiting gauge\ncc_queue_waiting{queue="sales"} 2\n');
    expect(text).toContain('cc_queue_longest_wait_seconds{queue="sales"} 41.5\n');
    expect(text).toContain('cc_queue_callbacks_scheduled{queue="sales"} 3\n');
    expect(text).toContain('cc_agents_not_ready{reason="say \\"hi\\""} 1\n');
    expect(text).toContain('process_start_time_seconds 1700000000\n');
    expect(text).not.toContain('cc_database_backup'); // none scheduled
    const backedUp = renderMetrics(
      { ...gauges, backup: { lastSuccessAt: 1_765_000_000_500, failing: true } },
      new Map(),
    );
    expect(backedUp).toContain(
      '# TYPE cc_database_backup_last_success_timestamp_seconds gauge\ncc_database_backup_last_success_timestamp_seconds 1765000000\n',
    );
    expect(backedUp).toContain('cc_database_backup_failing 1\n');
    expect(renderMetrics({ ...gauges, backup: { failing: false } }, new Map())).toContain(
      'cc_database_backup_failing 0\n',
    );
    expect(text).toContain('cc_webhook_pending{webhook="crm"} 4\n');
    expect(text).toContain('cc_webhook_failed{webhook="crm"} 1\n');
    expect(text).toContain('cc_webhook_oldest_pending_seconds{webhook="crm"} 95\n');
    expect(text).toContain('# TYPE cc_webhook_attempts_total counter\n');
    expect(text).toContain(
      'cc_webhook_attempts_total{webhook="crm",outcome="delivered"} 20\ncc_webhook_attempts_total{webhook="crm",outcome="retry"} 3\n',
    );
    // Every sample line is `name{labels} number`, every family declared once.
    const samples = text.split('\n').filter((l) => l && !l.startsWith('#'));
    for (const line of samples) expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? -?[0-9.e+]+$/);
    const types = text.split('\n').filter((l) => l.startsWith('# TYPE'));
    expect(new Set(types).size).toBe(types.length);
  });

  it('are served at GET /metrics to supervisors only, as Prometheus text', async () => {
    api = await buildApi();
    expect((await api.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect(
      (await api.app.inject({ url: '/metrics', headers: api.as(api.tokenOf('agent1')) })).statusCode,
    ).toBe(403);
    const reply = await api.app.inject({ url: '/metrics', headers: api.as(SUPERVISOR) });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(reply.body).toContain('cc_queue_waiting{queue="sales"} 0\n');
    // Both harness agents have never logged in.
    expect(reply.body).toContain('cc_agents{state="logged_out"} 2\n');
    expect(reply.body).toMatch(/process_resident_memory_bytes \d+/);
  });
});
