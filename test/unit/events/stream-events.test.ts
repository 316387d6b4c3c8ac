import { afterEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/events/event-hub.js';
import { StreamEventTypes } from '../../../src/events/stream-events.js';
import { buildApi } from '../http/http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>> | undefined;
afterEach(async () => {
  await api?.app.close();
  api = undefined;
});

describe('the live stream events', () => {
  it('each travel on their declared topic', () => {
    const hub = new EventHub(() => Date.parse('2026-12-02T10:00:00Z'), 10, 'throw');
    const seen = [
      hub.publish('queue.waiting', { queueId: 'sales', waiting: 2 }),
      hub.publish('call.held', { interactionId: 'i1', agentId: 'ann' }),
      hub.publish('agent.missed-call', {
        agentId: 'ann',
        interactionId: 'i1',
        queueId: 'q',
        ringSeconds: 15,
      }),
    ];
    expect(seen.map((e) => [e.seq, e.topic, e.type])).toEqual([
      [1, 'queue', 'queue.waiting'],
      [2, 'interaction', 'call.held'],
      [3, 'agent', 'agent.missed-call'],
    ]);
    for (const [type, { topic }] of Object.entries(StreamEventTypes)) {
      expect(['agent', 'queue', 'interaction'], type).toContain(topic);
    }
  });

  it('are checked against their schema when the hub is asked to (tests), naming the field', () => {
    const hub = new EventHub(Date.now, 10, 'throw');
    expect(() => hub.publish('queue.waiting', { queueId: 'sales', waiting: -1 })).toThrow(
      'stream event queue.waiting does not match its schema: /waiting',
    );
    expect(() => hub.publish('call.held', { interactionId: 'i1' } as never)).toThrow(/call\.held .*agentId/);
    expect(hub.lastSeq).toBe(0); // nothing malformed went out
    expect(new EventHub().publish('queue.waiting', { queueId: 'q', waiting: -1 }).seq).toBe(1); // unchecked
  });

  it('that stray from their schema are sent anyway and reported, when the hub reports (the service)', () => {
    const problems: string[] = [];
    const hub = new EventHub(Date.now, 10, (problem) => problems.push(problem));
    const seen: number[] = [];
    hub.subscribe((event) => seen.push(event.seq));
    hub.publish('queue.waiting', { queueId: 'sales', waiting: 2 });
    expect(problems).toEqual([]);
    hub.publish('queue.waiting', { queueId: 'sales', waiting: -1 });
    expect(seen).toEqual([1, 2]);
    expect(problems).toEqual([
      'stream event queue.waiting does not match its schema: /waiting Expected integer to be greater or equal to 0',
    ]);
  });

  it('are described at GET /api/events/schema: the envelope, and per type its topic and data', async () => {
    api = await buildApi();
    const reply = await api.app.inject({ url: '/api/events/schema' });
    expect(reply.statusCode).toBe(200);
    const body = reply.json() as {
      envelope: { properties: Record<string, unknown> };
      events: Record<string, { topic: string; data: { required?: string[]; description: string } }>;
    };
    expect(Object.keys(body.envelope.properties)).toEqual(['seq', 'stream', 'at', 'topic', 'type', 'data']);
    expect(Object.keys(body.events).sort()).toEqual(Object.keys(StreamEventTypes).sort());
    expect(body.events['agent.state']).toMatchObject({
      topic: 'agent',
      data: { required: ['agentId', 'from', 'to', 'callsHandledToday'] },
    });
    expect(body.events['monitor.changed']?.data.description).toMatch(/supervisors only/);
  });
});
