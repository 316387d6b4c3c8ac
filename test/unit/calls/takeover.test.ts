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
      enqueuedAt: 1020, // the first arrival, in any queue: the place in line
      queueEnteredAt: timeline[3]!.at, // into support: its max wait runs from here
      priority: 2, // not the effective 5, which holds the VIP and ageing bonuses the router adds again
      skills: { es: 3 },
    });
  });

  it('takes an entry written before priority and skills were recorded, with the defaults', () => {
    const only = enqueued('sales');
    expect(waitingCallerTakeover(row(), [only], LIVE)).toEqual({
      channelId: 'ch1',
      queueId: 'sales',
      enqueuedAt: 1020,
      queueEnteredAt: only.at,
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
  const talking = row({ connected_at: 1030, agent_id: 'ann', hold_seconds: 4 });
  const connected = () =>
    entry('acd.connected', { queueId: 'sales', agentId: 'ann', waitSeconds: 1, bridgeId: 'call-i1' });
  const channel = (id: string, name = `PJSIP/${id}-00000001`) => ({ id, name });
  const CALLER = channel('ch1', 'PJSIP/carrier-00000001');
  const AGENT = channel('agent-leg', 'PJSIP/ann-00000002');
  const CHANNELS = [CALLER, AGENT];
  const BRIDGES = [{ id: 'call-i1', channelIds: ['ch1', 'agent-leg'] }];
  const HELD_BRIDGES = [{ id: 'call-i1', channelIds: ['ch1'] }];
  const endpointOf = (agentId: string) => (agentId === 'ann' ? 'PJSIP/ann' : undefined);
  const takeover = (
    timeline: InteractionEventRow[],
    channels = CHANNELS,
    bridges: { id: string; channelIds: string[] }[] = BRIDGES,
  ) => conversationTakeover(talking, timeline, channels, bridges, endpointOf);

  it('carries on a caller and an agent alone together in the call bridge, with the hold time so far', () => {
    expect(takeover([enqueued('sales'), connected()])).toEqual({
      channelId: 'ch1',
      agentChannelId: 'agent-leg',
      agentId: 'ann',
      queueId: 'sales',
      bridgeId: 'call-i1',
      enqueuedAt: 1020,
      connectedAt: 1030,
      holdMs: 4000,
    });
  });

  it('carries on a call that was held and resumed as talking', () => {
    const timeline = [enqueued('sales'), connected(), entry('call.held'), entry('call.resumed')];
    const result = takeover(timeline);
    expect(result?.agentChannelId).toBe('agent-leg');
    expect(result?.heldAt).toBeUndefined();
  });

  it('carries on a call on hold: the caller alone in the bridge, the agent’s one channel outside it', () => {
    const held = entry('call.held');
    const result = takeover(
      [connected(), entry('call.held'), entry('call.resumed'), held],
      CHANNELS,
      HELD_BRIDGES,
    );
    expect(result).toMatchObject({ agentChannelId: 'agent-leg', heldAt: held.at, holdMs: 4000 });
  });

  it.each([
    ['the agent leg is gone', [connected()], [CALLER], BRIDGES],
    [
      'a third party is in the bridge',
      [connected()],
      [...CHANNELS, channel('x')],
      [{ id: 'call-i1', channelIds: ['ch1', 'agent-leg', 'x'] }],
    ],
    ['the bridge is gone', [connected()], CHANNELS, []],
    ['the log says talking but the bridge holds the caller alone', [connected()], CHANNELS, HELD_BRIDGES],
    [
      'the log says on hold but the agent is in the bridge',
      [connected(), entry('call.held')],
      CHANNELS,
      BRIDGES,
    ],
    [
      'on hold, the agent has no channel outside a bridge',
      [connected(), entry('call.held')],
      [CALLER],
      HELD_BRIDGES,
    ],
    [
      'on hold, the agent has two channels outside a bridge (which is the call’s?)',
      [connected(), entry('call.held')],
      [...CHANNELS, channel('agent-leg-2', 'PJSIP/ann-00000003')],
      HELD_BRIDGES,
    ],
    ['a transfer was under way', [connected(), entry('call.transferred')], CHANNELS, BRIDGES],
    ['a conference was under way', [connected(), entry('call.conference')], CHANNELS, BRIDGES],
    ['its agent was lost', [connected(), entry('acd.agent.lost')], CHANNELS, BRIDGES],
    ['it was never connected', [enqueued('sales')], CHANNELS, BRIDGES],
  ])('leaves it alone when %s', (_, timeline, channels, bridges) => {
    expect(takeover(timeline, channels, bridges)).toBeUndefined();
  });
});
