/**
 * GET /api/webhooks, a webhook's deliveries and redelivery, on the real app, log and dispatcher, with a
 * real receiver on 127.0.0.1.
 */
import { createHmac } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookDeliveryBodySchema } from '../../../src/webhooks/delivery.js';
import type { WebhookConfig } from '../../../src/config/schema.js';
import { Receiver } from '../webhooks/receiver.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>> | undefined;
let crm: Receiver | undefined;
afterEach(async () => {
  await api?.app.close();
  await crm?.close();
  api = undefined;
  crm = undefined;
});

const hook = (url: string): WebhookConfig => ({
  id: 'crm',
  url,
  events: ['interaction.closed'],
  secret: 'receiver-shared-secret',
  timeoutSeconds: 5,
  maxAttempts: 1,
  retryBaseSeconds: 1,
  concurrency: 4,
});

type Delivery = {
  status: string;
  agentId: string | null;
  interactionId: string | null;
  body: { agentState?: object };
};

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A call that ends unanswered, straight on the log. */
async function endedCall(log: NonNullable<typeof api>['log'], caller: string): Promise<string> {
  const at = Date.now();
  const id = await log.open({ direction: 'inbound', callerNumber: caller, startedAt: at });
  await log.closeIfOpen(
    id,
    at + 2000,
    {
      type: 'interaction.closed',
      payload: { disposition: 'abandoned', endedBy: 'caller', durationSeconds: 2 },
    },
    { disposition: 'abandoned', ended_by: 'caller' },
  );
  return id;
}

describe('webhooks API', () => {
  it('lists the webhooks (no credentials shown) with their deliveries, to supervisors only', async () => {
    crm = await new Receiver().listen();
    const url = crm.url.replace('http://', 'http://crm-user:crm-pass@');
    api = await buildApi({ webhooks: [hook(url)] });
    expect((await api.app.inject({ url: '/api/webhooks' })).statusCode).toBe(401);
    const asAgent = await api.app.inject({ url: '/api/webhooks', headers: api.as(api.tokenOf('agent1')) });
    expect(asAgent.statusCode).toBe(403);
    const id = await endedCall(api.log, '+15551230001');
    await crm.until(1);
    expect(crm.received[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('crm-user:crm-pass').toString('base64')}`,
    );
    const list = await eventually(
      async () => (await api!.app.inject({ url: '/api/webhooks', headers: api!.as(SUPERVISOR) })).json(),
      (body) => body.items[0]?.delivered === 1,
    );
    expect(list.items).toEqual([
      {
        id: 'crm',
        url: crm.url,
        events: ['interaction.closed'],
        queues: null,
        signed: true,
        maxAttempts: 1,
        pending: 0,
        failed: 0,
        delivered: 1,
        lastDeliveredAt: expect.stringMatching(/Z$/),
        lastFailure: null,
        failingInARow: 0,
        restingUntil: null,
      },
    ]);
    const deliveries = await api.app.inject({
      url: '/api/webhooks/crm/deliveries',
      headers: api.as(SUPERVISOR),
    });
    expect(deliveries.statusCode).toBe(200);
    const [delivery] = deliveries.json().items;
    expect(delivery).toMatchObject({
      webhookId: 'crm',
      interactionId: id,
      queueAlertId: null,
      agentId: null,
      type: 'interaction.closed',
      status: 'delivered',
      attempts: 1,
      lastStatus: 200,
      nextAttemptAt: null,
    });
    // The body shown is the one POSTed (but for the attempt it would be).
    const sent = crm.received[0]!.json;
    expect({ ...delivery.body, attempt: 1 }).toEqual(sent);
    expect(delivery.body.interaction).toMatchObject({
      callerNumber: '+15551230001',
      disposition: 'abandoned',
    });
  });

  it('redelivers a failed delivery at once, on record as the supervisor’s; refuses unknown ones by name', async () => {
    crm = await new Receiver().listen();
    crm.answer = () => ({ status: 500, headers: {}, body: 'CRM is down' });
    api = await buildApi({ webhooks: [hook(crm.url)] });
    await endedCall(api.log, '+15551230002');
    await crm.until(1);
    const failed = await eventually(
      async () =>
        (
          await api!.app.inject({
            url: '/api/webhooks/crm/deliveries?status=failed',
            headers: api!.as(SUPERVISOR),
          })
        ).json().items,
      (items) => items.length === 1,
    );
    expect(failed[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastStatus: 500,
      lastError: 'HTTP 500: CRM is down',
    });
    const listed = (await api.app.inject({ url: '/api/webhooks', headers: api.as(SUPERVISOR) })).json()
      .items[0];
    expect(listed).toMatchObject({ failed: 1, lastFailure: { status: 500, error: 'HTTP 500: CRM is down' } });
    // /metrics shows it waiting for someone.
    const metrics = (await api.app.inject({ url: '/metrics', headers: api.as(SUPERVISOR) })).body;
    expect(metrics).toContain('cc_webhook_failed{webhook="crm"} 1\n');
    expect(metrics).toContain('cc_webhook_attempts_total{webhook="crm",outcome="failed"} 1\n');

    crm.answer = () => 200;
    const redeliver = (path: string, token = SUPERVISOR) =>
      api!.app.inject({ method: 'POST', url: path, headers: api!.as(token) });
    expect(
      (await redeliver(`/api/webhooks/crm/deliveries/${failed[0].id}/redeliver`, api.tokenOf('agent1')))
        .statusCode,
    ).toBe(403);
    const unknownHook = await redeliver(`/api/webhooks/erp/deliveries/${failed[0].id}/redeliver`);
    expect(unknownHook.statusCode).toBe(404);
    expect(unknownHook.json().message).toBe('no webhook erp; configured: crm');
    const unknownDelivery = await redeliver('/api/webhooks/crm/deliveries/999/redeliver');
    expect(unknownDelivery.statusCode).toBe(404);
    expect(unknownDelivery.json().message).toBe('webhook crm has no delivery 999');
    const again = await redeliver(
      `/api/webhooks/crm/deliveries/${failed[0].id}/redeliver`,
      api.supervisorTokenOf('sam'),
    );
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'pending', attempts: 0 });
    await crm.until(2);
    const [delivered] = await eventually(
      async () =>
        (await api!.app.inject({ url: '/api/webhooks/crm/deliveries', headers: api!.as(SUPERVISOR) })).json()
          .items,
      (items) => items[0]?.status === 'delivered',
    );
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200, lastError: null });
    const changes = (await api.app.inject({ url: '/api/changes', headers: api.as(SUPERVISOR) })).json();
    expect(changes.changes[0]).toMatchObject({
      action: 'webhook.redelivered',
      subject: `crm/${failed[0].id}`,
      by: { supervisor: { id: 'sam' } },
    });
  });

  it('sends a signed test on demand and says how the receiver answered, keeping nothing', async () => {
    crm = await new Receiver().listen();
    api = await buildApi({ webhooks: [hook(crm.url)] });
    const test = (token = SUPERVISOR, id = 'crm') =>
      api!.app.inject({ method: 'POST', url: `/api/webhooks/${id}/test`, headers: api!.as(token) });
    expect((await test(api.tokenOf('agent1'))).statusCode).toBe(403);
    expect((await test(SUPERVISOR, 'erp')).statusCode).toBe(404);
    const ok = await test();
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ reached: true, status: 200, error: null });
    expect(ok.json().ms).toBeGreaterThanOrEqual(0);
    expect(crm.received).toHaveLength(1);
    const sent = crm.received[0]!;
    expect(TypeCompiler.Compile(WebhookDeliveryBodySchema).Errors(sent.json).First()).toBeUndefined();
    expect(sent.json).toMatchObject({ type: 'webhook.test', webhook: 'crm', deliveryId: 0 });
    expect(sent.headers['x-cc-event']).toBe('webhook.test');
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(sent.headers['x-cc-signature']))!;
    expect(createHmac('sha256', 'receiver-shared-secret').update(`${t}.${sent.body}`).digest('hex')).toBe(v1);
    crm.answer = () => ({ status: 401, headers: {}, body: 'bad signature' });
    expect((await test()).json()).toMatchObject({
      reached: false,
      status: 401,
      error: 'HTTP 401: bad signature',
    });
    // A test is no delivery: nothing on record, nothing retried.
    expect(
      (await api.app.inject({ url: '/api/webhooks/crm/deliveries', headers: api.as(SUPERVISOR) })).json()
        .items,
    ).toEqual([]);
  });

  it("sends agents' state changes made through the API, listed by agent; a queue filter is shown", async () => {
    crm = await new Receiver().listen();
    api = await buildApi({
      webhooks: [
        { ...hook(crm.url), id: 'wfm', events: ['agent.state.changed'] },
        { ...hook(crm.url), id: 'sales-crm', queues: ['sales'] },
      ],
    });
    const post = (path: string, payload?: object) =>
      api!.app.inject({
        method: 'POST',
        url: `/api/agents/agent1/${path}`,
        headers: api!.as(api!.tokenOf('agent1')),
        ...(payload ? { payload } : {}),
      });
    expect((await post('login')).statusCode).toBe(200);
    expect((await post('not-ready', { reason: 'lunch' })).statusCode).toBe(200);
    await crm.until(2);
    const list = (await api.app.inject({ url: '/api/webhooks', headers: api.as(SUPERVISOR) })).json();
    expect(list.items.map((w: { id: string; queues: string[] | null }) => [w.id, w.queues])).toEqual([
      ['wfm', null],
      ['sales-crm', ['sales']],
    ]);
    const deliveries = await eventually(
      async () =>
        (await api!.app.inject({ url: '/api/webhooks/wfm/deliveries', headers: api!.as(SUPERVISOR) })).json()
          .items,
      (items: Delivery[]) => items.length === 2 && items.every((d) => d.status === 'delivered'),
    );
    // Newest first.
    expect(deliveries.map((d) => [d.agentId, d.interactionId, d.body.agentState])).toEqual([
      [
        'agent1',
        null,
        expect.objectContaining({ agentId: 'agent1', from: 'available', to: 'not_ready', reason: 'lunch' }),
      ],
      ['agent1', null, expect.objectContaining({ agentId: 'agent1', from: 'logged_out', to: 'available' })],
    ]);
    expect(
      (
        await api.app.inject({ url: '/api/webhooks/sales-crm/deliveries', headers: api.as(SUPERVISOR) })
      ).json().items,
    ).toEqual([]);
  });

  it('lists none when none is configured', async () => {
    api = await buildApi();
    const reply = await api.app.inject({ url: '/api/webhooks', headers: api.as(SUPERVISOR) });
    expect(reply.json()).toEqual({ items: [] });
    expect(
      (await api.app.inject({ url: '/api/webhooks/crm/deliveries', headers: api.as(SUPERVISOR) })).json()
        .message,
    ).toBe('no webhook crm (none is configured)');
  });
});
