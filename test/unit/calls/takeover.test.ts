import { describe, expect, it } from 'vitest';
import type { InteractionEventRow, InteractionRow } from '../../../src/store/schema.js';
import { conversationTakeover, waitingCallerTakeover } from '../../../src/calls/takeover.js';

const row = (patch: Partial<InteractionRow> = {}): InteractionRow => ({
  id: 'i1',
  direction: 'inbound',
  state: 'open',
  channel_id: 'ch1',
  trunk: 'carrier',
  caller_number: '+1555',
  caller_name: null,
  dialed_number: '600',
  started_at: 1000,
  answered_at: 1010,
  ended_at: null,
  parent_id: null,
  enqueued_at: 1020,
  connected_at: null,
  ivr_path: '[]',
  queue_id: 'sales',
  agent_id: null,
  wait_seconds: null,
  talk_seconds: null,
  hold_seconds: null,
  wrap_seconds: null,
  disposition: null,
  abandoned: 0,
  ended_by: null,
  hangup_cause: null,
  recording_path: null,
  csat: null,
  caller_data: '{}',
  notes: null,
  wrap_up_code: null,
  ...patch,
});
let seq = 0;
const entry = (type: string, payload: Record<string, unknown> = {}): InteractionEventRow => ({
  seq: ++seq,
  interaction_id: 'i1',
  at: 1000 + seq,
  type,
  payload: JSON.stringify(payload),
});
const LIVE = new Set(['ch1']);
const enqueued = (queueId: string, extra: Record<string, unknown> = {}) =>
  entry('acd.enqueued', { queueId, position: 1, priority: 5, estimatedWaitSeconds: null, ...extra });

describe('waitingCallerTakeover (which call a new run takes over after a restart)', () => {
  it('takes a caller waiting in a queue, by the last queue it entered, with its own priority and skills', () => {
    const timeline = [
      entry('call.answered'),
      enqueued('sales', { basePriority: 2, skills: { es: 3 } }),
      entry('acd.overflowed'),
      enqueued('support', { basePriority: 2, skills: { es: 3 } }),
    ];
    expect(waitingCallerTakeover(row(), timeline, LIVE)).toEqual({
      channelId: 'ch1',
      queueId: 'support',
      enqueuedAt: 1020,
      priority: 2, // not the effective 5, which holds the VIP and ageing bonuses the router adds again
      skills: { es: 3 },
    });
  });

  it('takes an entry written before priority and skills were recorded, with the defaults', () => {
    expect(waitingCallerTakeover(row(), [enqueued('sales')], LIVE)).toEqual({
      channelId: 'ch1',
      queueId: 'sales',
      enqueuedAt: 1020,
    });
  });

  it.each([
    ['the channel is gone', row(), [enqueued('sales')], new Set<string>()],
    ['it was never queued (an IVR step)', row({ queue_id: null, enqueued_at: null }), [], LIVE],
    ['it was connected to an agent', row({ connected_at: 1030 }), [enqueued('sales')], LIVE],
    ['its agent connect was under way', row(), [enqueued('sales'), entry('acd.connected')], LIVE],
    [
      'the caller asked for a callback',
      row(),
      [enqueued('sales'), entry('acd.callback', { step: 'requested' })],
      LIVE,
    ],
    ['it is not an inbound call', row({ direction: 'callback' }), [enqueued('sales')], LIVE],
  ])('leaves it alone when %s', (_, r, timeline, live) => {
    expect(waitingCallerTakeover(r, timeline, live)).toBeUndefined();
  });
});

describe('conversationTakeover (which conversation a new run carries on after a restart)', () => {
  const talking = row({ connected_at: 1030, agent_id: 'ann' });
  const connected = () =>
    entry('acd.connected', { queueId: 'sales', agentId: 'ann', waitSeconds: 1, bridgeId: 'call-i1' });
  const LIVE2 = new Set(['ch1', 'agent-leg']);
  const BRIDGES = [{ id: 'call-i1', channelIds: ['ch1', 'agent-leg'] }];

  it('carries on a caller and an agent alone together in the call bridge', () => {
    expect(conversationTakeover(talking, [enqueued('sales'), connected()], LIVE2, BRIDGES)).toEqual({
      channelId: 'ch1',
      agentChannelId: 'agent-leg',
      agentId: 'ann',
      queueId: 'sales',
      bridgeId: 'call-i1',
      enqueuedAt: 1020,
      connectedAt: 1030,
    });
  });

  it('carries on a call that was held and resumed', () => {
    const timeline = [enqueued('sales'), connected(), entry('call.held'), entry('call.resumed')];
    expect(conversationTakeover(talking, timeline, LIVE2, BRIDGES)?.agentChannelId).toBe('agent-leg');
  });

  it.each([
    ['the agent leg is gone', [connected()], new Set(['ch1']), BRIDGES],
    [
      'a third party is in the bridge',
      [connected()],
      new Set(['ch1', 'agent-leg', 'x']),
      [{ id: 'call-i1', channelIds: ['ch1', 'agent-leg', 'x'] }],
    ],
    ['the bridge is gone', [connected()], LIVE2, []],
    ['the call is on hold', [connected(), entry('call.held')], LIVE2, BRIDGES],
    ['a transfer was under way', [connected(), entry('call.transferred')], LIVE2, BRIDGES],
    ['a conference was under way', [connected(), entry('call.conference')], LIVE2, BRIDGES],
    ['its agent was lost', [connected(), entry('acd.agent.lost')], LIVE2, BRIDGES],
    ['it was never connected', [enqueued('sales')], LIVE2, BRIDGES],
  ])('leaves it alone when %s', (_, timeline, live, bridges) => {
    expect(conversationTakeover(talking, timeline, live, bridges)).toBeUndefined();
  });
});
