/**
 * The replies sent as plain JSON (src/http/plain-json.ts: no fast-json-stringify, whose union handling
 * compiled validators on first use and held the event loop) still are exactly what their schemas document.
 */
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { ScreenPopReply } from '../../../src/http/plugins/calls/schemas.js';
import { HealthBody } from '../../../src/http/plugins/health/index.js';
import {
  InteractionDetailBody,
  InteractionListBody,
} from '../../../src/http/plugins/interactions/schemas.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

const T0 = Date.parse('2026-12-03T09:00:00Z');

describe('replies sent as plain JSON', () => {
  it('match their documented schemas: an interaction with a varied timeline, the list, the health check, the screen pop', async () => {
    const api = await buildApi();
    const id = await api.log.open({ direction: 'inbound', callerNumber: '+15551230000', startedAt: T0 });
    await api.log.record(id, T0 + 1000, { type: 'call.answered', payload: { channelId: 'c1' } });
    await api.log.record(id, T0 + 2000, {
      type: 'acd.connected',
      payload: { queueId: 'sales', agentId: 'agent1', waitSeconds: 1, bridgeId: 'b' },
    });
    await api.log.record(
      id,
      T0 + 9000,
      {
        type: 'interaction.closed',
        payload: { disposition: 'handled', endedBy: 'caller', durationSeconds: 9 },
      },
      { state: 'closed', ended_at: T0 + 9000, disposition: 'handled', talk_seconds: 7 },
    );
    await api.log.afterQueuedWrites();
    const get = (url: string) => api.app.inject({ url, headers: { authorization: `Bearer ${SUPERVISOR}` } });

    const detail = await get(`/api/interactions/${id}`);
    expect(detail.statusCode).toBe(200);
    const body = detail.json();
    expect([...Value.Errors(InteractionDetailBody, body)].map((e) => `${e.path} ${e.message}`)).toEqual([]);
    expect(body.timeline.map((e: { type: string }) => e.type)).toEqual([
      'interaction.opened',
      'call.answered',
      'acd.connected',
      'interaction.closed',
    ]);
    expect(body.timeline[2].payload).toEqual({
      queueId: 'sales',
      agentId: 'agent1',
      waitSeconds: 1,
      bridgeId: 'b',
    });
    expect(body).toMatchObject({
      id,
      state: 'closed',
      talkSeconds: 7,
      startedAt: new Date(T0).toISOString(),
    });

    const list = await get('/api/interactions');
    expect(list.statusCode).toBe(200);
    expect([...Value.Errors(InteractionListBody, list.json())].map((e) => `${e.path} ${e.message}`)).toEqual(
      [],
    );
    expect(list.json()).toMatchObject({ total: 1, items: [{ id, disposition: 'handled' }] });

    const health = await get('/health');
    expect([...Value.Errors(HealthBody, health.json())].map((e) => `${e.path} ${e.message}`)).toEqual([]);

    // The agent's screen pop: the call, the caller's contact (field by field: no row columns) and history.
    await api.log.saveContact({ number: '+15551230000', name: 'Ada Lovelace', notes: 'prefers email' }, T0);
    const next = await api.log.open({
      direction: 'inbound',
      callerNumber: '+15551230000',
      startedAt: T0 + 60_000,
    });
    await api.log.afterQueuedWrites();
    const pop = await get(`/api/calls/${next}/screen-pop`);
    expect(pop.statusCode).toBe(200);
    expect([...Value.Errors(ScreenPopReply, pop.json())].map((e) => `${e.path} ${e.message}`)).toEqual([]);
    expect(pop.json().contact).toEqual({
      number: '+15551230000',
      name: 'Ada Lovelace',
      notes: 'prefers email',
    });
    expect(pop.json().recent.map((r: { id: string }) => r.id)).toEqual([id]);
    // The same fields as the interaction's own reply (no store columns), and no more.
    const fields = new Set([...Object.keys(body).filter((k) => k !== 'timeline'), 'wrapUpCode', 'agentName']);
    expect(pop.json().interaction.agentName).toBeNull(); // nobody has answered this one
    expect(Object.keys(pop.json().interaction).sort()).toEqual([...fields].sort());
  });
});
