import { createHmac } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { describe, expect, it } from 'vitest';
import '../../../src/events/event-hub.js'; // registers the date-time format TypeBox checks with
import {
  attemptOutcome,
  deliveryBody,
  retryAfterSeconds,
  retryWaitMs,
  signature,
  WebhookDeliveryBodySchema,
} from '../../../src/webhooks/delivery.js';
import { webhookTarget } from '../../../src/webhooks/dispatcher.js';

const stored = {
  id: 7,
  webhook_id: 'crm',
  event_seq: 42,
  interaction_id: 'i-1',
  queue_alert_id: null,
  agent_event_seq: null,
  type: 'interaction.closed',
  at: Date.UTC(2026, 11, 5, 9, 30),
  payload: JSON.stringify({ disposition: 'answered', endedBy: 'caller', durationSeconds: 61.5 }),
  interaction: JSON.stringify({
    id: 'i-1',
    direction: 'inbound',
    state: 'closed',
    parentId: null,
    callerNumber: '+447700900123',
    callerName: 'Ada',
    dialedNumber: '200',
    trunk: 'carrier',
    startedAt: Date.UTC(2026, 11, 5, 9, 29),
    answeredAt: Date.UTC(2026, 11, 5, 9, 29, 1),
    enqueuedAt: null,
    connectedAt: Date.UTC(2026, 11, 5, 9, 29, 10),
    endedAt: Date.UTC(2026, 11, 5, 9, 30),
    queueId: 'sales',
    agentId: 'agent1',
    waitSeconds: 9,
    talkSeconds: 50,
    holdSeconds: null,
    wrapSeconds: null,
    disposition: 'answered',
    abandoned: 0,
    endedBy: 'caller',
    hangupCause: '16 Normal Clearing',
    recorded: 1,
    csat: null,
    wrapUpCode: null,
    notes: null,
    callerData: { account: '991' },
  }),
  attempts: 2,
  help_request_id: null,
  overstay_id: null,
};

describe('webhook delivery body', () => {
  it('carries the event and the interaction with ISO times and true/false flags, matching its schema', () => {
    const body = JSON.parse(deliveryBody(stored, 3));
    expect(TypeCompiler.Compile(WebhookDeliveryBodySchema).Errors(body).First()).toBeUndefined();
    expect(body).toMatchObject({
      deliveryId: 7,
      webhook: 'crm',
      attempt: 3,
      type: 'interaction.closed',
      at: '2026-12-05T09:30:00.000Z',
      seq: 42,
      interactionId: 'i-1',
      event: { disposition: 'answered', durationSeconds: 61.5 },
    });
    expect(body.interaction).toMatchObject({
      callerNumber: '+447700900123',
      startedAt: '2026-12-05T09:29:00.000Z',
      enqueuedAt: null,
      connectedAt: '2026-12-05T09:29:10.000Z',
      abandoned: false,
      recorded: true,
      callerData: { account: '991' },
    });
  });

  it("carries an agent's state change, wrap-up's end as ISO time, absent fields as null", () => {
    const at = Date.UTC(2026, 11, 5, 9, 31);
    const change = {
      ...stored,
      event_seq: null,
      interaction_id: null,
      interaction: null,
      agent_event_seq: 9001,
      type: 'agent.state.changed',
      at,
      payload: JSON.stringify({
        seq: 9001,
        agentId: 'agent1',
        at,
        from: 'talking',
        to: 'wrap_up',
        reason: null,
        interactionId: 'i-1',
        until: at + 30_000,
        changedBy: null,
        changedBySupervisor: null,
      }),
    };
    const body = JSON.parse(deliveryBody(change, 1));
    expect(TypeCompiler.Compile(WebhookDeliveryBodySchema).Errors(body).First()).toBeUndefined();
    expect(body).toEqual({
      deliveryId: 7,
      webhook: 'crm',
      attempt: 1,
      at: '2026-12-05T09:31:00.000Z',
      type: 'agent.state.changed',
      agentState: {
        seq: 9001,
        agentId: 'agent1',
        from: 'talking',
        to: 'wrap_up',
        reason: null,
        interactionId: 'i-1',
        wrapUpUntil: '2026-12-05T09:31:30.000Z',
        changedBy: null,
        changedBySupervisor: null,
      },
    });
  });

  it("carries an agent's request for help as it stood: times as ISO, what has not happened as null", () => {
    const asked = Date.UTC(2026, 11, 5, 9, 32);
    const help = {
      ...stored,
      event_seq: null,
      interaction_id: null,
      interaction: null,
      help_request_id: 'h-1',
      type: 'agent.help.taken',
      at: asked + 20_000,
      payload: JSON.stringify({
        id: 'h-1',
        agentId: 'agent1',
        interactionId: 'i-1',
        note: 'refund over my limit',
        askedAt: asked,
        takenAt: asked + 20_000,
        takenBy: 'sam',
        endedAt: null,
        endReason: null,
        endedBy: null,
      }),
    };
    const body = JSON.parse(deliveryBody(help, 1));
    expect(TypeCompiler.Compile(WebhookDeliveryBodySchema).Errors(body).First()).toBeUndefined();
    expect(body).toMatchObject({
      type: 'agent.help.taken',
      help: {
        id: 'h-1',
        agentId: 'agent1',
        interactionId: 'i-1',
        note: 'refund over my limit',
        askedAt: '2026-12-05T09:32:00.000Z',
        takenAt: '2026-12-05T09:32:20.000Z',
        takenBy: 'sam',
        endedAt: null,
        endReason: null,
        endedBy: null,
      },
    });
  });

  it('carries a not ready past its limit: its limit as it was, how far over once it ended', () => {
    const since = Date.UTC(2026, 11, 5, 10, 0);
    const dueAt = since + 15 * 60_000;
    const overstay = (type: string, endedAt: number | null, endedTo: string | null) => ({
      ...stored,
      event_seq: null,
      interaction_id: null,
      interaction: null,
      overstay_id: 'o-1',
      type,
      at: endedAt ?? dueAt,
      payload: JSON.stringify({
        id: 'o-1',
        agentId: 'agent1',
        reason: 'break',
        limitMinutes: 15,
        since,
        dueAt,
        endedAt,
        endedTo,
      }),
    });
    const compiled = TypeCompiler.Compile(WebhookDeliveryBodySchema);
    const started = JSON.parse(deliveryBody(overstay('agent.overstay.started', null, null), 1));
    expect(compiled.Errors(started).First()).toBeUndefined();
    expect(started).toMatchObject({
      type: 'agent.overstay.started',
      at: '2026-12-05T10:15:00.000Z',
      overstay: {
        agentId: 'agent1',
        reason: 'break',
        limitMinutes: 15,
        since: '2026-12-05T10:00:00.000Z',
        dueAt: '2026-12-05T10:15:00.000Z',
        endedAt: null,
        endedTo: null,
        overSeconds: 0,
      },
    });
    const ended = JSON.parse(deliveryBody(overstay('agent.overstay.ended', dueAt + 305_500, 'available'), 2));
    expect(compiled.Errors(ended).First()).toBeUndefined();
    expect(ended).toMatchObject({
      type: 'agent.overstay.ended',
      attempt: 2,
      overstay: { endedAt: '2026-12-05T10:20:05.500Z', endedTo: 'available', overSeconds: 305 },
    });
  });
});

describe('webhook signature', () => {
  it('is an HMAC-SHA256 of "<t>.<body>" a receiver can check, and changes with the body or the time', () => {
    const header = signature('a-secret-of-16-chars', '{"a":1}', 1_764_926_400);
    const expected = createHmac('sha256', 'a-secret-of-16-chars').update('1764926400.{"a":1}').digest('hex');
    expect(header).toBe(`t=1764926400,v1=${expected}`);
    expect(signature('a-secret-of-16-chars', '{"a":2}', 1_764_926_400)).not.toBe(header);
    expect(signature('a-secret-of-16-chars', '{"a":1}', 1_764_926_401)).not.toBe(header);
  });
});

describe('webhook retries', () => {
  it('wait the base, then four times longer each time, up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((n) => retryWaitMs(n, 10))).toEqual([
      10_000, 40_000, 160_000, 640_000, 2_560_000, 3_600_000, 3_600_000,
    ]);
  });

  it("take a receiver's Retry-After instead (at least 1 s, at most an hour)", () => {
    expect(retryWaitMs(1, 10, 120)).toBe(120_000);
    expect(retryWaitMs(5, 10, 0)).toBe(1000);
    expect(retryWaitMs(1, 10, 86_400)).toBe(3_600_000);
    const now = Date.UTC(2026, 11, 5, 9, 0, 0);
    expect(retryAfterSeconds('30', now)).toBe(30);
    expect(retryAfterSeconds('Sat, 05 Dec 2026 09:01:00 GMT', now)).toBe(60);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(null, now)).toBeUndefined();
  });

  it('end a delivery on a 2xx, retry anything else until the last attempt, then give up', () => {
    const base = { maxAttempts: 3, retryBaseSeconds: 10, now: 1_000_000 };
    expect(attemptOutcome({ ...base, status: 204, attempt: 1 })).toEqual({ kind: 'delivered' });
    expect(attemptOutcome({ ...base, status: 500, attempt: 1 })).toEqual({ kind: 'retry', at: 1_010_000 });
    expect(attemptOutcome({ ...base, status: null, attempt: 2 })).toEqual({ kind: 'retry', at: 1_040_000 });
    expect(attemptOutcome({ ...base, status: 301, attempt: 2, retryAfterSeconds: 5 })).toEqual({
      kind: 'retry',
      at: 1_005_000,
    });
    expect(attemptOutcome({ ...base, status: 400, attempt: 3 })).toEqual({ kind: 'failed' });
    expect(attemptOutcome({ ...base, status: 200, attempt: 3 })).toEqual({ kind: 'delivered' });
  });
});

describe('webhook target', () => {
  it('takes credentials out of the URL into a Basic authorization header', () => {
    expect(webhookTarget('https://crm.example.com/hooks?x=1')).toEqual({
      url: 'https://crm.example.com/hooks?x=1',
    });
    expect(webhookTarget('https://us%40er:p%3Ass@crm.example.com/hooks')).toEqual({
      url: 'https://crm.example.com/hooks',
      authorization: `Basic ${Buffer.from('us@er:p:ss').toString('base64')}`,
    });
  });
});
