import { describe, expect, it } from 'vitest';
import type { InteractionEventRow, InteractionRow } from '../../../src/store/schema.js';
import {
  conversationTakeover,
  ivrCallerTakeover,
  ivrTransferDiallingTakeover,
  ivrTransferTakeover,
  messageLeftWhileAway,
  outboundDiallingTakeover,
  ringingTransferTakeover,
  waitingCallerTakeover,
} from '../../../src/calls/takeover.js';

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
      front: false,
    });
  });

  it('takes an entry written before priority and skills were recorded, with the defaults', () => {
    const only = enqueued('sales');
    expect(waitingCallerTakeover(row(), [only], LIVE)).toEqual({
      channelId: 'ch1',
      queueId: 'sales',
      enqueuedAt: 1020,
      queueEnteredAt: only.at,
      front: false,
    });
  });

  it('keeps the front of the line for a caller whose offer failed in that queue, not in one left before', () => {
    const rona = entry('acd.requeued', { queueId: 'sales', position: 1, reason: 'rona' });
    expect(waitingCallerTakeover(row(), [enqueued('sales'), entry('acd.offered'), rona], LIVE)?.front).toBe(
      true,
    );
    const thenOverflowed = [enqueued('sales'), rona, entry('acd.overflowed'), enqueued('support')];
    expect(waitingCallerTakeover(row(), thenOverflowed, LIVE)?.front).toBe(false);
  });

  it('keeps the front of the line for a caller a supervisor put first there, not in a queue it was moved from', () => {
    const first = entry('acd.served_first', { queueId: 'sales' });
    expect(waitingCallerTakeover(row(), [enqueued('sales'), first], LIVE)?.front).toBe(true);
    const moved = entry('acd.overflowed', {
      fromQueueId: 'sales',
      target: { type: 'queue', queueId: 'support' },
      reason: 'moved',
    });
    const thenMoved = [enqueued('sales'), first, moved, enqueued('support')];
    expect(waitingCallerTakeover(row(), thenMoved, LIVE)).toMatchObject({ queueId: 'support', front: false });
  });

  it('keeps when the caller entered the queue and its front place through a second restart', () => {
    // The first restart took the caller over: its new acd.enqueued names when it entered and its place.
    const firstEntered = new Date(900).toISOString();
    const timeline = [
      enqueued('sales'),
      entry('acd.requeued', { queueId: 'sales', position: 1, reason: 'rona' }),
      entry('call.adopted', { reason: 'restart', queueId: 'sales' }),
      enqueued('sales', { queueEnteredAt: firstEntered, front: true }),
    ];
    expect(waitingCallerTakeover(row(), timeline, LIVE)).toMatchObject({ queueEnteredAt: 900, front: true });
    // An entry from before these were recorded: from the entry's own time, as before.
    expect(waitingCallerTakeover(row(), [enqueued('sales')], LIVE)).toMatchObject({ front: false });
  });

  it("keeps a direct line's caller for its agent until the time on record, unless that agent let it ring out or declined it", () => {
    const kept = { agentId: 'anna', until: new Date(60_000).toISOString() };
    const timeline = [enqueued('sales', { reservedFor: kept }), entry('acd.offered')];
    expect(waitingCallerTakeover(row(), timeline, LIVE)?.reservedFor).toEqual({
      agentId: 'anna',
      until: 60_000,
    });
    // Another agent's failed offer does not release it; Anna's does (rona, or requeued as she declined).
    const others = entry('acd.requeued', { queueId: 'sales', position: 1, reason: 'rona', agentId: 'boris' });
    expect(waitingCallerTakeover(row(), [...timeline, others], LIVE)?.reservedFor).toEqual({
      agentId: 'anna',
      until: 60_000,
    });
    for (const release of [
      entry('acd.rona', { queueId: 'sales', agentId: 'anna', ringSeconds: 20 }),
      entry('acd.requeued', { queueId: 'sales', position: 1, reason: 'rejected', agentId: 'anna' }),
    ]) {
      expect(waitingCallerTakeover(row(), [...timeline, release], LIVE)).not.toHaveProperty('reservedFor');
    }
    // Sent to another queue since: that entry has none.
    const moved = [...timeline, entry('acd.overflowed'), enqueued('support')];
    expect(waitingCallerTakeover(row(), moved, LIVE)).not.toHaveProperty('reservedFor');
  });

  it('takes a caller a blind transfer put in another queue: a new arrival there, the call already handled, its talk so far kept', () => {
    const connected = entry('acd.connected', { agentId: 'ann', bridgeId: 'call-i1' });
    seq += 30_000; // 30 s with Ann before she sent the caller on
    const toBilling = enqueued('billing');
    const timeline = [
      enqueued('sales'),
      connected,
      entry('call.transferred', {
        kind: 'blind',
        target: { type: 'queue', id: 'billing' },
        step: 'requested',
      }),
      toBilling,
      entry('call.transferred', {
        kind: 'blind',
        target: { type: 'queue', id: 'billing' },
        step: 'completed',
      }),
    ];
    const r = row({ connected_at: connected.at, agent_id: 'ann', enqueued_at: toBilling.at });
    expect(waitingCallerTakeover(r, timeline, LIVE, new Set())).toEqual({
      channelId: 'ch1',
      queueId: 'billing',
      enqueuedAt: toBilling.at,
      queueEnteredAt: toBilling.at,
      front: false,
      firstConnectedAt: connected.at,
      // Ann's conversation came before the wait in billing began: talk, though none of the wait's.
      talkedBeforeMs: toBilling.at - connected.at,
    });
  });

  it('takes a caller whose agent was lost: at the front, the time it talked kept out of its wait', () => {
    const first = enqueued('sales');
    const connected = entry('acd.connected', { agentId: 'ann', bridgeId: 'call-i1' });
    const lost = entry('acd.agent.lost', { agentId: 'ann', queueId: 'sales' });
    seq += 9; // 9 ms of conversation before the agent was found lost
    const again = enqueued('sales');
    const r = row({ connected_at: connected.at, agent_id: 'ann', enqueued_at: 1020 });
    expect(waitingCallerTakeover(r, [first, connected, lost, again], LIVE, new Set())).toMatchObject({
      queueId: 'sales',
      enqueuedAt: 1020, // its first arrival: the place in line
      front: true,
      firstConnectedAt: connected.at,
      talkedMs: again.at - connected.at,
    });
  });

  it('leaves a caller queued again alone while the bridge still holds it (the requeue was not done)', () => {
    const connected = entry('acd.connected', { agentId: 'ann', bridgeId: 'call-i1' });
    const r = row({ connected_at: connected.at, agent_id: 'ann' });
    const timeline = [enqueued('sales'), connected, entry('acd.agent.lost'), enqueued('sales')];
    expect(waitingCallerTakeover(r, timeline, LIVE, new Set(['ch1']))).toBeUndefined();
    expect(waitingCallerTakeover(r, timeline, LIVE, new Set(['other']))).toBeDefined();
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
      direction: 'acd',
      bridgeId: 'call-i1',
      enqueuedAt: 1020,
      connectedAt: 1030,
      holdMs: 4000,
    });
  });

  it("keeps the agent's last choice for after the call, made since it connected", () => {
    const chose = (agentId: string, after: object) => entry('agent.after-call', { agentId, after });
    const timeline = [
      enqueued('sales'),
      chose('ann', { type: 'not_ready', reason: 'meeting' }), // before this conversation: not its
      connected(),
      chose('ann', { type: 'not_ready', reason: 'lunch' }),
      chose('bob', { type: 'available' }),
    ];
    expect(takeover(timeline)?.after).toEqual({ type: 'not_ready', reason: 'lunch' });
    expect(takeover([...timeline, chose('ann', { type: 'available' })])?.after).toEqual({
      type: 'available',
    });
    expect(takeover([enqueued('sales'), connected()])).not.toHaveProperty('after');
  });

  /** Ann's outbound call to +1555, its customer answered (connected_at): the interaction is the customer's. */
  const placed = row({
    direction: 'outbound',
    channel_id: 'ch1',
    queue_id: null,
    enqueued_at: null,
    connected_at: 1030,
    agent_id: 'ann',
  });
  const step = (s: string, more = {}) =>
    entry('call.outbound', { agentId: 'ann', number: '+1555', step: s, ...more });

  it('carries on an outbound call the customer answered: the agent’s own phone and the customer in its bridge', () => {
    const steps = [
      step('requested'),
      step('agent-answered'),
      step('dialing'),
      step('connected', { channelId: 'ch1' }),
    ];
    const bridges = [{ id: 'call-i1', channelIds: ['agent-leg', 'ch1'] }];
    expect(conversationTakeover(placed, steps, CHANNELS, bridges, endpointOf)).toEqual({
      channelId: 'ch1',
      agentChannelId: 'agent-leg',
      agentId: 'ann',
      direction: 'outbound',
      queueId: '',
      bridgeId: 'call-i1',
      enqueuedAt: 1030,
      connectedAt: 1030,
      holdMs: 0,
    });
    // On hold: the customer alone in the bridge, the agent's phone outside it.
    const held = entry('call.held');
    expect(
      conversationTakeover(
        placed,
        [...steps, held],
        CHANNELS,
        [{ id: 'call-i1', channelIds: ['ch1'] }],
        endpointOf,
      ),
    ).toMatchObject({ direction: 'outbound', agentChannelId: 'agent-leg', heldAt: held.at });
    // Not while the customer still rang: that is outboundDiallingTakeover's (below).
    expect(conversationTakeover(placed, steps.slice(0, 3), CHANNELS, bridges, endpointOf)).toBeUndefined();
    // Not when the other channel in the bridge is not the agent's phone.
    const stranger = [CALLER, channel('agent-leg', 'PJSIP/bob-00000009')];
    expect(conversationTakeover(placed, steps, stranger, bridges, endpointOf)).toBeUndefined();
  });

  it('keeps where an outbound call’s seat goes after it: as placed, or as the agent chose on the call', () => {
    const bridges = [{ id: 'call-i1', channelIds: ['agent-leg', 'ch1'] }];
    const calling = (requested: Record<string, unknown>, ...more: InteractionEventRow[]) =>
      conversationTakeover(
        placed,
        [
          step('requested', requested),
          step('agent-answered'),
          ...more,
          step('connected', { channelId: 'ch1' }),
        ],
        CHANNELS,
        bridges,
        endpointOf,
      );
    // Placed while ready: ready again after it; placed while not ready (say, making calls): back to that.
    expect(calling({ after: { type: 'available' } })?.after).toEqual({ type: 'available' });
    expect(calling({ after: { type: 'not_ready', reason: 'outbound' } })?.after).toEqual({
      type: 'not_ready',
      reason: 'outbound',
    });
    // The agent's word while the customer's phone still rang counts over how it was placed.
    const chose = entry('agent.after-call', {
      agentId: 'ann',
      after: { type: 'not_ready', reason: 'lunch' },
    });
    expect(calling({ after: { type: 'available' } }, chose)?.after).toEqual({
      type: 'not_ready',
      reason: 'lunch',
    });
    // A request written before the seat's state was on it: nothing to keep (the seat's own default).
    expect(calling({})).not.toHaveProperty('after');
  });

  it('carries on a callback’s conversation, known to the seat by the request it carries out', () => {
    const calledBack = row({
      direction: 'callback',
      parent_id: 'request-1',
      connected_at: 1030,
      agent_id: 'ann',
    });
    expect(conversationTakeover(calledBack, [connected()], CHANNELS, BRIDGES, endpointOf)).toMatchObject({
      channelId: 'ch1',
      agentChannelId: 'agent-leg',
      direction: 'acd',
      routingId: 'request-1',
      queueId: 'sales',
    });
    // An inbound call is known by its own id.
    expect(takeover([connected()])?.routingId).toBeUndefined();
    // Without the request it carries out it is no callback conversation this knows.
    const orphan = row({ direction: 'callback', parent_id: null, connected_at: 1030, agent_id: 'ann' });
    expect(conversationTakeover(orphan, [connected()], CHANNELS, BRIDGES, endpointOf)).toBeUndefined();
  });

  it('carries on a call the agent rejoined after a page reload, on the new leg that took the old one’s place', () => {
    const rejoined = [
      connected(),
      entry('call.rejoined', { agentId: 'ann', step: 'ringing', channelId: 'seat-new' }),
      entry('call.rejoined', { agentId: 'ann', step: 'rejoined', channelId: 'seat-new' }),
    ];
    const newLeg = channel('seat-new', 'PJSIP/ann-00000005');
    expect(
      takeover(rejoined, [CALLER, newLeg], [{ id: 'call-i1', channelIds: ['ch1', 'seat-new'] }]),
    ).toMatchObject({
      agentChannelId: 'seat-new',
      agentId: 'ann',
    });
  });

  describe('a rejoin after a page reload still ringing the agent (the new leg not in the old one’s place yet)', () => {
    const ringing = entry('call.rejoined', { agentId: 'ann', step: 'ringing', channelId: 'seat-new' });
    const newLeg = channel('seat-new', 'PJSIP/ann-00000005');

    it('carries the call on, on the old leg still bridged, and names the rejoin to give up', () => {
      // Before, the caller was cut off: the call was closed as lost.
      expect(takeover([connected(), ringing], [...CHANNELS, newLeg], BRIDGES)).toMatchObject({
        channelId: 'ch1',
        agentChannelId: 'agent-leg',
        agentId: 'ann',
        rejoinGivenUp: 'seat-new',
      });
    });

    it('on hold too: the ringing device is not taken for the agent’s leg', () => {
      expect(
        takeover([connected(), entry('call.held'), ringing], [...CHANNELS, newLeg], HELD_BRIDGES),
      ).toMatchObject({ agentChannelId: 'agent-leg', rejoinGivenUp: 'seat-new' });
    });

    it('once given up, a later restart carries the call on as any other', () => {
      const gaveUp = entry('call.rejoined', { agentId: 'ann', step: 'gave-up', channelId: 'seat-new' });
      const found = takeover([connected(), ringing, gaveUp], CHANNELS, BRIDGES);
      expect(found).toMatchObject({ agentChannelId: 'agent-leg' });
      expect(found?.rejoinGivenUp).toBeUndefined();
    });
  });

  it('carries on a conversation a supervisor was barging into, without the supervisor', () => {
    const barged = [{ id: 'call-i1', channelIds: ['ch1', 'monitor-m1', 'agent-leg'] }];
    const supervisor = channel('monitor-m1', 'PJSIP/sue-00000003');
    expect(takeover([connected()], [...CHANNELS, supervisor], barged)).toMatchObject({
      channelId: 'ch1',
      agentChannelId: 'agent-leg',
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

  const transferred = (kind: string, step: string, type = 'agent') =>
    entry('call.transferred', { agentId: 'ann', kind, target: { type, id: 'bob' }, step });
  const conference = (step: string) =>
    entry('call.conference', { agentId: 'ann', party: { type: 'agent', id: 'bob' }, step });
  const BOB = channel('bob-leg', 'PJSIP/bob-00000004');
  const handedToBob = row({ connected_at: 1030, agent_id: 'bob', hold_seconds: 4 });
  const endpoints = (agentId: string) => `PJSIP/${agentId}`;

  it.each([
    [
      'a blind transfer the target answered',
      [transferred('blind', 'requested'), transferred('blind', 'connected')],
    ],
    ['a consultation completed', [transferred('consult', 'connected'), transferred('consult', 'completed')]],
    ['a conference the agent left to its party', [conference('joined'), conference('left')]],
  ])('carries on the agent the caller was left with after %s', (_, steps) => {
    const bridges = [{ id: 'call-i1', channelIds: ['ch1', 'bob-leg'] }];
    expect(
      conversationTakeover(handedToBob, [connected(), ...steps], [CALLER, BOB], bridges, endpoints),
    ).toMatchObject({ agentId: 'bob', agentChannelId: 'bob-leg', bridgeId: 'call-i1', holdMs: 4000 });
  });

  it('carries on the target of a transfer who had put the caller on hold since', () => {
    const held = entry('call.held', { agentId: 'bob' });
    const steps = [connected(), transferred('blind', 'connected'), held];
    expect(
      conversationTakeover(handedToBob, steps, [CALLER, AGENT, BOB], HELD_BRIDGES, endpoints),
    ).toMatchObject({ agentId: 'bob', agentChannelId: 'bob-leg', heldAt: held.at });
  });

  it('leaves it alone when the transfer settled but the bridge holds another agent than the one the row names', () => {
    const steps = [connected(), transferred('blind', 'connected')];
    expect(conversationTakeover(handedToBob, steps, CHANNELS, BRIDGES, endpoints)).toBeUndefined();
  });

  it.each([
    ['answered', ['requested', 'dialing', 'connected'], ['agent-leg', 'bob-leg']],
    ['still ringing', ['requested', 'dialing'], ['agent-leg']],
  ])(
    'carries on a call whose consultation was under way (%s) as held, with the consultation to end',
    (_, stepsDone, inConsult) => {
      const held = entry('call.held');
      const timeline = [connected(), held, ...stepsDone.map((step) => transferred('consult', step))];
      const bridges = [...HELD_BRIDGES, { id: 'consult-i1', channelIds: inConsult }];
      expect(takeover(timeline, [...CHANNELS, BOB], bridges)).toMatchObject({
        agentId: 'ann',
        agentChannelId: 'agent-leg',
        heldAt: held.at,
        consultation: { agentId: 'ann', target: { type: 'agent', id: 'bob' }, bridgeId: 'consult-i1' },
      });
    },
  );

  it.each([
    ['joined', ['ch1', 'agent-leg', 'bob-leg'], true],
    ['still ringing', ['ch1', 'agent-leg'], false],
  ])(
    'carries on a call whose conference party had %s, saying whether the party is in the bridge',
    (_, inBridge, joined) => {
      const party = (step: string) =>
        entry('call.conference', {
          agentId: 'ann',
          party: { type: 'agent', id: 'bob' },
          step,
          channelId: 'bob-leg',
        });
      const timeline = [connected(), party('dialing'), ...(joined ? [party('joined')] : [])];
      expect(takeover(timeline, [...CHANNELS, BOB], [{ id: 'call-i1', channelIds: inBridge }])).toMatchObject(
        {
          agentId: 'ann',
          agentChannelId: 'agent-leg',
          // Joined and in the bridge: kept (the seat knows its leg again); still ringing: let go.
          conference: {
            agentId: 'ann',
            party: { type: 'agent', id: 'bob' },
            joined,
            channelId: 'bob-leg',
            inBridge: joined,
          },
        },
      );
    },
  );

  it('keeps where a conference party agent goes after the call: ready, as called in, or as they chose', () => {
    const party = (step: string) =>
      entry('call.conference', {
        agentId: 'ann',
        party: { type: 'agent', id: 'bob' },
        step,
        channelId: 'bob-leg',
      });
    const bridges = [{ id: 'call-i1', channelIds: ['ch1', 'agent-leg', 'bob-leg'] }];
    const joined = [connected(), party('dialing'), party('joined')];
    expect(takeover(joined, [...CHANNELS, BOB], bridges)?.conference?.partyAfter).toEqual({
      type: 'available',
    });
    const bobChose = entry('agent.after-call', {
      agentId: 'bob',
      after: { type: 'not_ready', reason: 'lunch' },
    });
    const annChose = entry('agent.after-call', {
      agentId: 'ann',
      after: { type: 'not_ready', reason: 'break' },
    });
    const chosen = takeover([...joined, bobChose, annChose], [...CHANNELS, BOB], bridges);
    expect(chosen?.conference?.partyAfter).toEqual({ type: 'not_ready', reason: 'lunch' });
    expect(chosen?.after).toEqual({ type: 'not_ready', reason: 'break' });
    // A number called in has no seat.
    const number = entry('call.conference', {
      agentId: 'ann',
      party: { type: 'number', id: '+1555' },
      step: 'joined',
      channelId: 'bob-leg',
    });
    expect(takeover([connected(), number], [...CHANNELS, BOB], bridges)?.conference).not.toHaveProperty(
      'partyAfter',
    );
  });

  it('leaves a consultation alone when the log does not have the caller on hold for it', () => {
    const timeline = [connected(), transferred('consult', 'dialing')];
    const bridges = [...HELD_BRIDGES, { id: 'consult-i1', channelIds: ['agent-leg'] }];
    expect(takeover(timeline, CHANNELS, bridges)).toBeUndefined();
  });

  it('carries on the agent after a consultation they cancelled or a conference party they dropped', () => {
    for (const steps of [
      [transferred('consult', 'connected'), transferred('consult', 'cancelled')],
      [conference('joined'), conference('dropped')],
    ]) {
      expect(takeover([connected(), ...steps])).toMatchObject({
        agentId: 'ann',
        agentChannelId: 'agent-leg',
      });
    }
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
    [
      'a blind transfer was ringing its target (the caller alone with music)',
      [connected(), transferred('blind', 'requested'), transferred('blind', 'dialing')],
      CHANNELS,
      HELD_BRIDGES,
    ],
    [
      'a consultation was under way (its connected step is not the end of it)',
      [connected(), transferred('consult', 'dialing'), transferred('consult', 'connected')],
      CHANNELS,
      BRIDGES,
    ],
    [
      'a conference had the caller and two others than the agent in the bridge',
      [connected(), conference('dialing'), conference('joined')],
      [...CHANNELS, BOB, channel('x')],
      [{ id: 'call-i1', channelIds: ['ch1', 'agent-leg', 'bob-leg', 'x'] }],
    ],
    [
      'a conference was under way with the caller on hold',
      [connected(), entry('call.held'), conference('dialing')],
      CHANNELS,
      HELD_BRIDGES,
    ],
    [
      'a blind transfer to a number was answered: the caller talks to no agent',
      [connected(), transferred('blind', 'connected', 'number')],
      [CALLER, channel('out-leg', 'PJSIP/carrier-00000009')],
      [{ id: 'call-i1', channelIds: ['ch1', 'out-leg'] }],
    ],

    ['its agent was lost', [connected(), entry('acd.agent.lost')], CHANNELS, BRIDGES],
    ['it was never connected', [enqueued('sales')], CHANNELS, BRIDGES],
    [
      'the agent was rejoining after a page reload, but the old leg is gone from the bridge',
      [connected(), entry('call.rejoined', { agentId: 'ann', step: 'ringing', channelId: 'seat-new' })],
      [CALLER, channel('seat-new', 'PJSIP/ann-00000005')],
      HELD_BRIDGES,
    ],
    [
      'the agent had rejoined but another device than theirs is in the bridge',
      [
        connected(),
        entry('call.rejoined', { agentId: 'ann', step: 'ringing', channelId: 'seat-new' }),
        entry('call.rejoined', { agentId: 'ann', step: 'rejoined', channelId: 'seat-new' }),
      ],
      [CALLER, channel('seat-new', 'PJSIP/bob-00000005')],
      [{ id: 'call-i1', channelIds: ['ch1', 'seat-new'] }],
    ],
  ])('leaves it alone when %s', (_, timeline, channels, bridges) => {
    expect(takeover(timeline, channels, bridges)).toBeUndefined();
  });
});

describe('ringingTransferTakeover (a blind transfer the restart found ringing its target)', () => {
  const connected = entry('acd.connected', { queueId: 'sales', agentId: 'ann', bridgeId: 'call-i1' });
  const r = row({ connected_at: connected.at, agent_id: 'ann' });
  const blind = (step: string, type = 'agent') =>
    entry('call.transferred', { agentId: 'ann', kind: 'blind', target: { type, id: 'cara' }, step });
  const CALLER = { id: 'ch1', name: 'PJSIP/carrier-00000001' };
  const RINGING = { id: 'seat-x', name: 'PJSIP/cara-00000005' };
  const ALONE = [{ id: 'call-i1', channelIds: ['ch1'] }];

  it('fails it back to the queue the call came from, as an unanswered transfer', () => {
    const timeline = [enqueued('sales'), connected, blind('requested'), blind('dialing')];
    expect(ringingTransferTakeover(r, timeline, [CALLER, RINGING], ALONE)).toEqual({
      channelId: 'ch1',
      bridgeId: 'call-i1',
      queueId: 'sales',
      agentId: 'ann',
      target: { type: 'agent', id: 'cara' },
      firstConnectedAt: connected.at,
    });
  });

  it.each([
    ['the target answered (a conversation)', [connected, blind('dialing'), blind('connected')], ALONE],
    ['it was a transfer to a queue', [connected, blind('requested', 'queue')], ALONE],
    ['it failed already', [connected, blind('dialing'), blind('failed')], ALONE],
    [
      'someone is in the bridge with the caller',
      [connected, blind('dialing')],
      [{ id: 'call-i1', channelIds: ['ch1', 'seat-x'] }],
    ],
    ['the bridge is gone', [connected, blind('dialing')], []],
    ['there was no transfer', [connected], ALONE],
  ])('leaves it alone when %s', (_, timeline, bridges) => {
    expect(ringingTransferTakeover(r, timeline, [CALLER, RINGING], bridges)).toBeUndefined();
  });
});

describe('ivrCallerTakeover (where a caller a previous run left in the IVR carries on)', () => {
  const inIvr = (patch: Partial<InteractionRow> = {}) =>
    row({ enqueued_at: null, queue_id: null, dialed_number: '100', ...patch });
  const started = () => entry('ivr.started', { flowId: 'main', flowVersion: 'v1' });
  const step = (flowId: string, stepId: string, kind: string, outcome: string, more = {}) =>
    entry('ivr.step', { flowId, flowVersion: 'v1', stepId, kind, outcome, durationMs: 5, ...more });

  it('carries on at the step the last one led to, with the data, skills and path so far', () => {
    const timeline = [
      entry('call.answered'),
      started(),
      step('main', 'tag', 'set', 'set', { next: 'hello', skills: { billing: 2 } }),
      step('main', 'hello', 'play', 'played', { next: 'menu' }),
    ];
    const r = inIvr({ caller_data: '{"account":"42"}', ivr_path: '["tag","hello"]' });
    expect(ivrCallerTakeover(r, timeline, LIVE)).toEqual({
      channelId: 'ch1',
      entryFlowId: 'main',
      entryFlowVersion: 'v1',
      at: { flowId: 'main', stepId: 'menu', flowVersion: 'v1' }, // the version it was in
      data: { account: '42' },
      skills: { billing: 2 },
      path: ['tag', 'hello'],
      promptsPlaying: [],
    });
  });

  it("carries on a queue's after-call survey the agent left the caller in, as the handled call it was", () => {
    const connected = entry('acd.connected', {
      queueId: 'sales',
      agentId: 'ann',
      waitSeconds: 3,
      bridgeId: 'b',
    });
    const survey = entry('ivr.started', { flowId: 'survey', flowVersion: 'v1' });
    const timeline = [
      started(),
      entry('ivr.end', { outcome: 'queue' }),
      enqueued('sales'),
      connected,
      survey,
      step('survey', 'ask', 'menu', 'digit', { next: 'thanks' }),
    ];
    const talked = inIvr({
      queue_id: 'sales',
      enqueued_at: 1020,
      connected_at: connected.at,
      agent_id: 'ann',
    });
    expect(ivrCallerTakeover(talked, timeline, LIVE)).toMatchObject({
      entryFlowId: 'survey',
      at: { flowId: 'survey', stepId: 'thanks' },
      conversation: { queueId: 'sales', firstConnectedAt: connected.at, talkEndedAt: survey.at },
    });
    // Still talking to the agent (the entry flow was before the conversation): not an IVR caller.
    expect(ivrCallerTakeover(talked, timeline.slice(0, 4), LIVE)).toBeUndefined();
    // The survey over: nothing to carry on in it.
    expect(
      ivrCallerTakeover(talked, [...timeline, entry('ivr.end', { outcome: 'hangup' })], LIVE),
    ).toBeUndefined();
  });

  it('names the prompts it started and never saw end (Asterisk may still be playing them)', () => {
    const prompt = (type: string, playbackId: string) => entry(type, { media: ['sound:x'], playbackId });
    const timeline = [
      started(),
      prompt('ivr.prompt.started', 'p1'),
      prompt('ivr.prompt.finished', 'p1'),
      step('main', 'hello', 'play', 'played', { next: 'menu' }),
      prompt('ivr.prompt.started', 'p2'),
    ];
    expect(ivrCallerTakeover(inIvr(), timeline, LIVE)?.promptsPlaying).toEqual(['p2']);
  });

  it('starts at the entry flow’s entry when the restart came during the first step', () => {
    const r = ivrCallerTakeover(inIvr(), [entry('call.answered'), started()], LIVE);
    expect(r).toMatchObject({ entryFlowId: 'main', at: { flowId: 'main' }, data: {}, skills: {}, path: [] });
    expect(r?.at.stepId).toBeUndefined();
  });

  it('follows the flows a goto-flow entered, and a step id with a colon stays in its own flow', () => {
    const intoOther = [started(), step('main', 'go', 'goto-flow', 'goto', { next: 'billing:start' })];
    expect(ivrCallerTakeover(inIvr(), intoOther, LIVE)?.at).toEqual({ flowId: 'billing', stepId: 'start' });
    const inOther = [...intoOther, step('billing', 'start', 'play', 'played', { next: 'billing:ask' })];
    // Inside the flow it went to, the version it ran there (the goto looked up the one current then).
    expect(ivrCallerTakeover(inIvr(), inOther, LIVE)?.at).toEqual({
      flowId: 'billing',
      stepId: 'ask',
      flowVersion: 'v1',
    });
    const back = [...inOther, step('billing', 'ask', 'goto-flow', 'goto', { next: 'welcome' })];
    expect(ivrCallerTakeover(inIvr(), back, LIVE)?.at).toEqual({ flowId: 'main', stepId: 'welcome' });
    const colon = [started(), step('main', 'hi', 'play', 'played', { next: 'ask:account' })];
    expect(ivrCallerTakeover(inIvr(), colon, LIVE)?.at).toEqual({
      flowId: 'main',
      stepId: 'ask:account',
      flowVersion: 'v1',
    });
  });

  it('after a failed step, carries on in the error step with the error in the data, as the flow would have', () => {
    const timeline = [started(), step('main', 'dip', 'dip', 'error', { detail: { error: 'CRM down' } })];
    expect(ivrCallerTakeover(inIvr({ caller_data: '{"a":1}' }), timeline, LIVE)).toMatchObject({
      at: { flowId: 'main', failed: 'CRM down' },
      data: { a: 1, ivrError: 'CRM down' },
    });
  });

  it('takes the skills of the last step that changed them', () => {
    const timeline = [
      started(),
      step('main', 'a', 'set', 'set', { next: 'b', skills: { es: 1 } }),
      step('main', 'b', 'set', 'set', { next: 'c', skills: { es: 1, vip: 3 } }),
      step('main', 'c', 'play', 'played', { next: 'd' }),
    ];
    expect(ivrCallerTakeover(inIvr(), timeline, LIVE)?.skills).toEqual({ es: 1, vip: 3 });
  });

  it('leaves alone a call whose flow ended, failed outside the flow, or never started one', () => {
    const ended = [started(), step('main', 'q', 'queue', 'queued'), entry('ivr.end', { flowId: 'main' })];
    expect(ivrCallerTakeover(inIvr(), ended, LIVE)).toBeUndefined();
    // the end step ran but the end entry was not written before the stop
    expect(ivrCallerTakeover(inIvr(), ended.slice(0, 2), LIVE)).toBeUndefined();
    expect(ivrCallerTakeover(inIvr(), [started(), entry('call.error')], LIVE)).toBeUndefined();
    expect(ivrCallerTakeover(inIvr(), [entry('call.answered')], LIVE)).toBeUndefined();
  });

  it('leaves alone a caller who is gone, not answered, queued, connected or not inbound', () => {
    const timeline = [started(), step('main', 'hi', 'play', 'played', { next: 'menu' })];
    expect(ivrCallerTakeover(inIvr(), timeline, new Set())).toBeUndefined();
    expect(ivrCallerTakeover(inIvr({ answered_at: null }), timeline, LIVE)).toBeUndefined();
    expect(ivrCallerTakeover(inIvr({ enqueued_at: 1020 }), timeline, LIVE)).toBeUndefined();
    expect(ivrCallerTakeover(inIvr({ connected_at: 1030 }), timeline, LIVE)).toBeUndefined();
    expect(ivrCallerTakeover(inIvr({ direction: 'outbound' }), timeline, LIVE)).toBeUndefined();
  });

  it('names the message the caller was leaving in the step under way, and only that step’s', () => {
    const named = (recordingName: string) => entry('ivr.recording.started', { recordingName, format: 'wav' });
    const leaving = [started(), step('main', 'hi', 'play', 'played', { next: 'vm' }), named('vm-1')];
    expect(ivrCallerTakeover(inIvr(), leaving, LIVE)).toMatchObject({
      at: { flowId: 'main', stepId: 'vm' },
      recordingUnderWay: 'vm-1',
    });
    // A recording that failed its step, then the error path: the message is not under way any more.
    const failed = [...leaving, step('main', 'vm', 'voicemail', 'error', { detail: { error: 'disk full' } })];
    expect(ivrCallerTakeover(inIvr(), failed, LIVE)?.recordingUnderWay).toBeUndefined();
    const later = [...failed.slice(0, 3), step('main', 'vm', 'voicemail', 'error', { next: 'sorry' })];
    expect(ivrCallerTakeover(inIvr(), later, LIVE)?.recordingUnderWay).toBeUndefined();
  });

  it('carries on the message of a caller a queue sent to voicemail, in that flow (its mailbox in the version)', () => {
    const timeline = [
      entry('call.answered'),
      started(),
      step('main', 'q', 'queue', 'queued'),
      entry('ivr.end', { flowId: 'main' }),
      enqueued('sales'),
      entry('acd.overflowed', { fromQueueId: 'sales', target: { type: 'voicemail' }, reason: 'max_wait' }),
      entry('ivr.started', { flowId: 'queue-voicemail', flowVersion: 'builtin:sales-msgs' }),
      entry('ivr.recording.started', { recordingName: 'vm-9', format: 'wav' }),
    ];
    const r = inIvr({ enqueued_at: 1020, queue_id: 'sales' });
    expect(ivrCallerTakeover(r, timeline, LIVE)).toMatchObject({
      entryFlowId: 'queue-voicemail',
      entryFlowVersion: 'builtin:sales-msgs',
      at: { flowId: 'queue-voicemail', flowVersion: 'builtin:sales-msgs' },
      recordingUnderWay: 'vm-9',
    });
    // Not a caller waiting in the queue any more: not put back in line.
    expect(waitingCallerTakeover(r, timeline, LIVE)).toBeUndefined();
    // Without the overflow, a caller queued after its flow is the queue's, not the IVR's.
    const queued = timeline.slice(0, 5);
    expect(ivrCallerTakeover(r, queued, LIVE)).toBeUndefined();
    expect(waitingCallerTakeover(r, queued, LIVE)).toMatchObject({ queueId: 'sales' });
  });

  it('reads an unreadable data or path column as empty rather than failing the takeover', () => {
    const timeline = [started(), step('main', 'hi', 'play', 'played', { next: 'menu' })];
    const r = ivrCallerTakeover(inIvr({ caller_data: 'not json', ivr_path: '{"a":1}' }), timeline, LIVE);
    expect(r).toMatchObject({ data: {}, path: [] });
  });
});

describe('messageLeftWhileAway (a caller who hung up while the service was away, mid-message)', () => {
  const inIvr = (patch: Partial<InteractionRow> = {}) =>
    row({ enqueued_at: null, queue_id: null, dialed_number: '100', ...patch });
  const timeline = [
    entry('call.answered'),
    entry('ivr.started', { flowId: 'main', flowVersion: 'v1' }),
    entry('ivr.step', {
      flowId: 'main',
      flowVersion: 'v1',
      stepId: 'hi',
      kind: 'play',
      outcome: 'played',
      next: 'vm',
      durationMs: 5,
    }),
    entry('ivr.recording.started', { recordingName: 'vm-1', format: 'wav' }),
  ];

  it('names the recording, the step it was left in, and the data and path so far', () => {
    const r = inIvr({ caller_data: '{"account":"42"}', ivr_path: '["hi"]' });
    expect(messageLeftWhileAway(r, timeline, new Set())).toEqual({
      recordingName: 'vm-1',
      format: 'wav',
      at: { flowId: 'main', stepId: 'vm', flowVersion: 'v1' },
      data: { account: '42' },
      path: ['hi'],
    });
  });

  it('is not for a caller still on the line (carried on instead), nor for a call with no message under way', () => {
    expect(messageLeftWhileAway(inIvr(), timeline, LIVE)).toBeUndefined();
    expect(messageLeftWhileAway(inIvr(), timeline.slice(0, 3), new Set())).toBeUndefined();
    const stored = [
      ...timeline,
      entry('ivr.step', { flowId: 'main', stepId: 'vm', kind: 'voicemail', outcome: 'recorded' }),
    ];
    expect(messageLeftWhileAway(inIvr(), stored, new Set())).toBeUndefined();
  });
});

describe('ivrTransferTakeover (a caller the IVR transferred out, talking to the far end)', () => {
  const answeredCall = row({ enqueued_at: null, queue_id: null });
  const xfer = (step: string, more = {}) =>
    entry('ivr.transfer', { number: '5551234', step, channelId: 'xfer-1', ...more });
  const connected = [
    entry('ivr.started', { flowId: 'out' }),
    entry('ivr.end', { flowId: 'out' }),
    xfer('dialing'),
    xfer('connected', { bridgeId: 'xfer-i1' }),
  ];
  const BOTH = [{ id: 'ch1' }, { id: 'xfer-1' }];
  const BRIDGED = [{ id: 'xfer-i1', channelIds: ['ch1', 'xfer-1'] }];

  it('carries on a connected transfer whose two legs are alone together in its bridge', () => {
    expect(ivrTransferTakeover(answeredCall, connected, BOTH, BRIDGED)).toEqual({
      channelId: 'ch1',
      number: '5551234',
      legId: 'xfer-1',
      bridgeId: 'xfer-i1',
    });
  });

  it.each([
    ['it was still dialling (ivrTransferDiallingTakeover has that)', connected.slice(0, 3), BOTH, BRIDGED],
    ['it had ended', [...connected, xfer('ended', { bridgeId: 'xfer-i1' })], BOTH, BRIDGED],
    ['the far end is gone', connected, [{ id: 'ch1' }], [{ id: 'xfer-i1', channelIds: ['ch1'] }]],
    ['the caller is gone', connected, [{ id: 'xfer-1' }], [{ id: 'xfer-i1', channelIds: ['xfer-1'] }]],
    [
      'the bridge holds someone else too',
      connected,
      [...BOTH, { id: 'x' }],
      [{ id: 'xfer-i1', channelIds: ['ch1', 'xfer-1', 'x'] }],
    ],
    ['there was no transfer', connected.slice(0, 2), BOTH, BRIDGED],
  ])('leaves it alone when %s', (_, timeline, channels, bridges) => {
    expect(ivrTransferTakeover(answeredCall, timeline, channels, bridges)).toBeUndefined();
  });
});

describe('ivrTransferDiallingTakeover (a caller the IVR was transferring out, the far end still ringing)', () => {
  const answeredCall = row({ enqueued_at: null, queue_id: null });
  const xfer = (step: string, more = {}) =>
    entry('ivr.transfer', { number: '5551234', step, channelId: 'xfer-1', ...more });
  const dialling = [entry('ivr.started', { flowId: 'out' }), entry('ivr.end', { flowId: 'out' })];
  const dial = xfer('dialing', { ringSeconds: 25 });
  dialling.push(dial);
  const BOTH = new Set(['ch1', 'xfer-1']);
  const NONE = new Set<string>();

  it('waits on for a far end that still rings, from when it was dialled', () => {
    expect(ivrTransferDiallingTakeover(answeredCall, dialling, BOTH, NONE)).toEqual({
      channelId: 'ch1',
      number: '5551234',
      legId: 'xfer-1',
      dialledAt: dial.at,
      ringSeconds: 25,
      callerNumber: '+1555',
    });
  });

  it("dials again when the far end's leg is gone (it answered, or gave up, while no run could take it)", () => {
    expect(ivrTransferDiallingTakeover(answeredCall, dialling, new Set(['ch1']), NONE)).toEqual({
      channelId: 'ch1',
      number: '5551234',
      legId: 'xfer-1',
      dialledAt: dial.at,
      ringSeconds: 25,
      legGone: true,
      callerNumber: '+1555',
    });
  });

  it('takes a dialling written before the ring time was (the default ring time then)', () => {
    const old = [...dialling.slice(0, 2), xfer('dialing')];
    expect(ivrTransferDiallingTakeover(answeredCall, old, BOTH, NONE)).toEqual({
      channelId: 'ch1',
      number: '5551234',
      legId: 'xfer-1',
      dialledAt: old[2]!.at,
      callerNumber: '+1555',
    });
  });

  it.each([
    ['it had connected', [...dialling, xfer('connected', { bridgeId: 'xfer-i1' })], BOTH, NONE],
    ['it had failed', [...dialling, xfer('failed', { reason: 'no answer' })], BOTH, NONE],
    ['an apology was under way', [...dialling, entry('call.error', { operation: 'transfer' })], BOTH, NONE],
    ['the caller is gone', dialling, new Set(['xfer-1']), NONE],
    ['the caller is in a bridge', dialling, BOTH, new Set(['ch1'])],
    ['there was no transfer', dialling.slice(0, 2), BOTH, NONE],
  ])('leaves it alone when %s', (_, timeline, live, bridged) => {
    expect(ivrTransferDiallingTakeover(answeredCall, timeline, live, bridged)).toBeUndefined();
  });

  it('is not for an outbound call', () => {
    expect(ivrTransferDiallingTakeover(row({ direction: 'outbound' }), dialling, BOTH, NONE)).toBeUndefined();
  });
});

describe('outboundDiallingTakeover (an outbound call the restart found ringing its customer)', () => {
  const ringing = row({
    direction: 'outbound',
    channel_id: 'out-1',
    queue_id: null,
    enqueued_at: null,
    answered_at: null,
    agent_id: 'ann',
  });
  const step = (s: string, more = {}) =>
    entry('call.outbound', { agentId: 'ann', number: '+1555', step: s, ...more });
  const requested = step('requested', { via: 'page', after: { type: 'available' } });
  const answered = step('agent-answered', { channelId: 'seat-a' });
  const dial = step('dialing', { channelId: 'out-1', ringSeconds: 30, ringbackId: 'ringback-1' });
  const timeline = [requested, answered, dial];
  const CHANNELS = [{ id: 'out-1' }, { id: 'seat-a' }];
  const BRIDGES = [{ id: 'call-i1', channelIds: ['seat-a'] }];

  it('waits on the customer for the ring time left, the agent in the call’s bridge with their ringback', () => {
    expect(outboundDiallingTakeover(ringing, timeline, CHANNELS, BRIDGES)).toEqual({
      channelId: 'out-1',
      agentChannelId: 'seat-a',
      agentId: 'ann',
      number: '+1555',
      bridgeId: 'call-i1',
      requestedAt: requested.at,
      dialledAt: dial.at,
      ringSeconds: 30,
      ringbackId: 'ringback-1',
      after: { type: 'available' },
    });
  });

  it('keeps the agent’s word on what follows over how the call was placed; no ringback if none played', () => {
    const chose = entry('agent.after-call', {
      agentId: 'ann',
      after: { type: 'not_ready', reason: 'lunch' },
    });
    const silent = step('dialing', { channelId: 'out-1', ringSeconds: 30 });
    const found = outboundDiallingTakeover(ringing, [requested, answered, chose, silent], CHANNELS, BRIDGES);
    expect(found?.after).toEqual({ type: 'not_ready', reason: 'lunch' });
    expect(found).not.toHaveProperty('ringbackId');
  });

  it('takes a supervisor listening in the agent’s bridge as no obstacle', () => {
    const bridges = [{ id: 'call-i1', channelIds: ['seat-a', 'monitor-snoop-x'] }];
    expect(outboundDiallingTakeover(ringing, timeline, CHANNELS, bridges)?.bridgeId).toBe('call-i1');
  });

  it.each([
    ['the customer answered', timeline, row({ ...ringing, connected_at: 2000 }), CHANNELS, BRIDGES],
    ['it had failed', [...timeline, step('failed', { reason: 'busy' })], ringing, CHANNELS, BRIDGES],
    ['the customer was not dialled yet', [requested, answered], ringing, CHANNELS, BRIDGES],
    [
      'the dialing was written before its ring time and ringback were',
      [requested, answered, step('dialing', { channelId: 'out-1' })],
      ringing,
      CHANNELS,
      BRIDGES,
    ],
    [
      'the dialing was another channel’s',
      [requested, answered, step('dialing', { channelId: 'out-2', ringSeconds: 30 })],
      ringing,
      CHANNELS,
      BRIDGES,
    ],
    ['the agent’s phone never answered', [requested, dial], ringing, CHANNELS, BRIDGES],
    ['the customer’s channel is gone', timeline, ringing, [{ id: 'seat-a' }], BRIDGES],
    ['the agent’s phone is gone', timeline, ringing, [{ id: 'out-1' }], BRIDGES],
    ['the agent’s phone is in no bridge', timeline, ringing, CHANNELS, []],
    [
      'someone else is in the agent’s bridge',
      timeline,
      ringing,
      CHANNELS,
      [{ id: 'call-i1', channelIds: ['seat-a', 'stranger'] }],
    ],
    [
      'the customer is in a bridge already',
      timeline,
      ringing,
      CHANNELS,
      [...BRIDGES, { id: 'other', channelIds: ['out-1'] }],
    ],
    ['the agent put the call on hold', [...timeline, entry('call.held')], ringing, CHANNELS, BRIDGES],
    ['another agent’s record', timeline, row({ ...ringing, agent_id: 'bob' }), CHANNELS, BRIDGES],
    ['it is not an outbound call', timeline, row({ ...ringing, direction: 'inbound' }), CHANNELS, BRIDGES],
  ])('leaves it alone when %s', (_, steps, call, channels, bridges) => {
    expect(outboundDiallingTakeover(call, steps, channels, bridges)).toBeUndefined();
  });
});
