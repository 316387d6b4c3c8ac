/** Agent seat commands over the API (the real app, an in-memory database). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/events/event-hub.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
beforeEach(async () => {
  api = await buildApi();
});
afterEach(async () => {
  await api.app.close();
});

describe('seat news that is no new state', () => {
  it('tells the live stream of a wrap-up extended by a supervisor (agent.seat with the new end)', async () => {
    const seen: StreamEvent[] = [];
    api.acd.hub.subscribe((e) => seen.push(e));
    api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'login', endpoint: 'PJSIP/agent1' } });
    api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'outboundStart', interactionId: 'x' } });
    api.acd.input({
      type: 'agent',
      agentId: 'agent1',
      input: { type: 'hangup', interactionId: 'x', wrapUpSeconds: 30 },
    });
    const until = api.acd.router.seat('agent1')!.state as { until: number };
    const r = await api.app.inject({
      method: 'POST',
      url: '/api/agents/agent1/wrap-up/extend',
      headers: api.as(SUPERVISOR),
      payload: { seconds: 60 },
    });
    expect(r.statusCode).toBe(200);
    const news = seen.filter((e) => e.type === 'agent.seat');
    expect(news).toHaveLength(1);
    expect(news[0]!.data).toMatchObject({
      agentId: 'agent1',
      state: { type: 'wrap_up', until: new Date(until.until + 60_000).toISOString() },
    });
  });
});
