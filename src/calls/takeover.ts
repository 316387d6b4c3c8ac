import { isMonitorLeg } from '../supervision/monitor.js';
import type { SkillMap } from '../agents/schema.js';
import type { AfterWrapUp } from '../agents/seat.js';
import type { CallerData, Skills } from '../ivr/types.js';
import type { InteractionEventRow, InteractionRow } from '../store/schema.js';

/** How a caller a previous run left waiting goes back in line. */
export interface WaitingCallerTakeover {
  channelId: string;
  queueId: string;
  enqueuedAt: number;
  /** When it entered that queue (its last `acd.enqueued`): its max wait there runs from then. */
  queueEnteredAt: number;
  priority?: number;
  skills?: SkillMap;
  /** Back in line after an offer failed (ring-no-answer, refused): the caller kept the front of the line. */
  front: boolean;
  /** Back in a queue after talking to an agent (a transfer to a queue, a lost agent): when it first did. */
  firstConnectedAt?: number;
  /** Time talked to agents since `enqueuedAt`: not part of the wait. */
  talkedMs?: number;
  /** Time talked to agents in every conversation so far: the call's talk time goes on from it. */
  talkedBeforeMs?: number;
  /** A direct line's caller still kept for its agent (the agent neither let it ring out nor declined it). */
  reservedFor?: { agentId: string; until: number };
}

/**
 * Whether a new run can take over a call a previous run left open, and how: only an inbound caller who was
 * answered and waiting in a queue (no callback asked for) and whose channel is still up. The queue,
 * priority and skills are those of the last `acd.enqueued` entry (an overflow moves the caller on); an
 * `acd.requeued` after it (an offer that failed) or an `acd.served_first` (a supervisor put the caller
 * first) kept the caller at the front of the line. A caller who
 * had talked to an agent before is waiting again when that entry comes after its last connect (a blind
 * transfer to a queue, a transfer nobody answered, a lost agent) and it is in no bridge (`bridged`): it
 * keeps its first connect (the call counts as handled) and the time it talked is no part of its wait; a
 * lost agent's caller had the front of the line.
 */
export function waitingCallerTakeover(
  row: InteractionRow,
  timeline: readonly InteractionEventRow[],
  liveChannels: ReadonlySet<string>,
  bridged: ReadonlySet<string> = new Set(),
): WaitingCallerTakeover | undefined {
  if (row.direction !== 'inbound' || !row.channel_id || !liveChannels.has(row.channel_id)) return undefined;
  if (!row.queue_id || row.enqueued_at === null) return undefined;
  if (timeline.some((e) => e.type === 'acd.callback')) return undefined;
  const enqueuedIndex = timeline.findLastIndex((e) => e.type === 'acd.enqueued');
  const connectedIndex = timeline.findLastIndex((e) => e.type === 'acd.connected');
  // Sent on from its last queue (overflow, exit key, no agents) to somewhere other than another queue.
  if (timeline.findLastIndex((e) => e.type === 'acd.overflowed') > enqueuedIndex) return undefined;
  const talkedBefore = row.connected_at !== null || connectedIndex >= 0;
  const waitingAgain = connectedIndex >= 0 && enqueuedIndex > connectedIndex && !bridged.has(row.channel_id);
  if (talkedBefore && !waitingAgain) return undefined;
  const enqueued = enqueuedIndex >= 0 ? timeline[enqueuedIndex] : undefined;
  const last = enqueued
    ? (JSON.parse(enqueued.payload) as {
        queueId?: string;
        basePriority?: number;
        skills?: SkillMap;
        queueEnteredAt?: string;
        front?: boolean;
        reservedFor?: { agentId: string; until: string };
      })
    : {};
  // Released once its agent let it ring out or declined it (the caller went back in line for the team).
  const reserved = last.reservedFor;
  const released =
    reserved !== undefined &&
    timeline
      .slice(enqueuedIndex + 1)
      .some(
        (e) =>
          (e.type === 'acd.requeued' || e.type === 'acd.rona') &&
          (JSON.parse(e.payload) as { agentId?: string }).agentId === reserved.agentId,
      );
  const until = reserved ? Date.parse(reserved.until) : Number.NaN;
  // A caller a previous restart already took over entered the queue before that one: its record says when.
  const enteredAt = last.queueEnteredAt ? Date.parse(last.queueEnteredAt) : Number.NaN;
  return {
    channelId: row.channel_id,
    queueId: last.queueId ?? row.queue_id,
    enqueuedAt: row.enqueued_at,
    queueEnteredAt: Number.isFinite(enteredAt) ? enteredAt : (enqueued?.at ?? row.enqueued_at),
    ...(last.basePriority !== undefined ? { priority: last.basePriority } : {}),
    ...(last.skills ? { skills: last.skills } : {}),
    front:
      last.front === true ||
      timeline
        .slice(enqueuedIndex + 1)
        .some((e) => e.type === 'acd.requeued' || e.type === 'acd.served_first') ||
      timeline.slice(connectedIndex + 1, enqueuedIndex).some((e) => e.type === 'acd.agent.lost'),
    ...(talkedBefore ? talkedSince(timeline, row.enqueued_at, row.connected_at) : {}),
    ...(reserved && !released && Number.isFinite(until)
      ? { reservedFor: { agentId: reserved.agentId, until } }
      : {}),
  };
}

/**
 * A caller back in line after conversations: its first connect, the time it talked since `enqueuedAt` (not
 * part of its wait), and in all (the call's talk so far). Each conversation runs from its connect to the
 * next time the caller was queued. A blind transfer to a queue starts the wait anew, so `enqueuedAt` may
 * come after every conversation: they still count as talk.
 */
function talkedSince(
  timeline: readonly InteractionEventRow[],
  enqueuedAt: number,
  firstConnectedAt: number | null,
): { firstConnectedAt: number; talkedMs?: number; talkedBeforeMs?: number } {
  let talkedMs = 0;
  let talkedBeforeMs = 0;
  let since: number | undefined;
  for (const e of timeline) {
    if (e.type === 'acd.connected') since = e.at;
    else if (e.type === 'acd.enqueued' && since !== undefined) {
      talkedMs += Math.max(0, e.at - Math.max(since, enqueuedAt));
      talkedBeforeMs += Math.max(0, e.at - since);
      since = undefined;
    }
  }
  const first = firstConnectedAt ?? timeline.find((e) => e.type === 'acd.connected')?.at ?? enqueuedAt;
  return {
    firstConnectedAt: first,
    ...(talkedMs > 0 ? { talkedMs } : {}),
    ...(talkedBeforeMs > 0 ? { talkedBeforeMs } : {}),
  };
}

/**
 * A consultation a restart interrupted: its state (the consulted party's leg, the ringback) was the previous
 * run's, so the new run ends it as a cancel would, and the agent is back with the caller.
 */
export interface ConsultationUnderWay {
  agentId: string;
  target: { type: string; id: string };
  /** The consultation's bridge, holding the agent's channel (and the consulted party's, if it answered). */
  bridgeId?: string;
}

/**
 * A conference a restart found under way. A party that had joined and is in the call's bridge with the
 * caller and the agent (`inBridge`) is kept: all three talk on, and the new run knows the party's leg
 * again. One still ringing (its ring timer died with the previous run), or one the new run cannot take
 * back, is let go (hung up with the other leftovers) and the agent talks on with the caller.
 */
export interface ConferenceUnderWay {
  agentId: string;
  party: { type: string; id: string };
  /** It had joined, or was still ringing. */
  joined: boolean;
  channelId?: string;
  /** Its channel is in the call's bridge now. */
  inBridge?: boolean;
  /**
   * A party agent's seat after the call: as they chose on it, else ready (only an available agent can be
   * called in, so that is what they were).
   */
  partyAfter?: AfterWrapUp;
}

/** How a conversation a previous run left up (caller and agent in their bridge) is carried on. */
export interface ConversationTakeover {
  channelId: string;
  agentChannelId: string;
  agentId: string;
  /** A queue call, or an agent's outbound call (the customer is the interaction's channel; no queue: ''). */
  direction: 'acd' | 'outbound';
  /**
   * A callback's conversation: the request it carries out, which the seat, the hold and wrap-up books know
   * the call by (its routing id).
   */
  routingId?: string;
  queueId: string;
  bridgeId: string;
  enqueuedAt: number;
  connectedAt: number;
  /** Hold time of the call before now (ms). */
  holdMs: number;
  /** Set when the caller is on hold: since when. */
  heldAt?: number;
  /** A consultation was under way (the caller on hold meanwhile): it ends, and the agent resumes the caller. */
  consultation?: ConsultationUnderWay;
  /** A conference was under way: its party is let go, the agent and the caller talk on. */
  conference?: ConferenceUnderWay;
  /** What the agent had chosen for after this call ("not ready after this call", or ready), if anything. */
  after?: AfterWrapUp;
  /** The recording was paused (and not resumed since): by whom, since when. */
  recordingPaused?: { agentId: string; at: number };
  /**
   * The agent was rejoining after a page reload: the previous run rang their device again on this channel,
   * and it had not taken the old leg's place. The call goes on on the old leg; this one is let go (the
   * sweep of the previous run's channels hangs it up); reloading the agent's page rejoins again.
   */
  rejoinGivenUp?: string;
}

/** Steps after which the conversation's parts were in the previous run's memory only. */
const CALL_CONTROL = new Set(['call.outbound', 'acd.agent.lost']);

/** Whether call control the previous run alone knew was going on since the connect: the steps above. */
function blockedSince(since: readonly InteractionEventRow[]): boolean {
  return since.some((e) => CALL_CONTROL.has(e.type));
}

/**
 * The channel of a rejoin after a page reload that was ringing the agent's device (its new leg had not
 * taken the old one's place), if the last rejoin step says so. A rejoin that did is done: the agent's new
 * leg is in the bridge, their device's like the old one.
 */
function rejoinRinging(since: readonly InteractionEventRow[]): string | undefined {
  const rejoin = since.findLast((e) => e.type === 'call.rejoined');
  if (!rejoin) return undefined;
  const { step, channelId } = JSON.parse(rejoin.payload) as { step?: string; channelId?: string };
  return step === 'ringing' ? channelId : undefined;
}

/** The steps that end a transfer or a conference: what is left is a two-party conversation again. */
const SETTLED: Record<string, readonly string[]> = {
  'call.transferred:blind': ['connected', 'failed'],
  'call.transferred:consult': ['completed', 'cancelled', 'failed'],
  'call.conference': ['left', 'dropped', 'failed'],
};

type UnderWay = 'no' | 'consultation' | 'conference' | 'other';

/**
 * Whether a transfer or a conference was under way (a target ringing, a consultation, a conference with
 * its parties): the last step of each since the connect says. A settled one (a blind transfer answered,
 * a consultation completed or cancelled, a conference left or its party dropped) left a conversation of
 * two, which the bridge must then show. A consultation or a conference alone can be ended by the new run;
 * anything else ('other') cannot.
 */

function callControlUnderWay(since: readonly InteractionEventRow[]): UnderWay {
  let underWay: UnderWay = 'no';
  for (const type of ['call.transferred', 'call.conference']) {
    const last = since.findLast((e) => e.type === type);
    if (!last) continue;
    const { kind, step } = JSON.parse(last.payload) as { kind?: string; step?: string };
    const settled = SETTLED[type === 'call.transferred' ? `${type}:${kind}` : type] ?? [];
    if (step && settled.includes(step)) continue;
    if (underWay !== 'no') return 'other';
    if (type === 'call.transferred' && kind === 'consult' && step) underWay = 'consultation';
    else if (type === 'call.conference' && (step === 'dialing' || step === 'joined')) underWay = 'conference';
    else return 'other';
  }
  return underWay;
}

/**
 * Whether a new run can carry on a conversation a previous run left up, and how: an inbound queue call
 * connected to an agent, a callback's conversation (the customer called back, connected to the agent like
 * a queue call), or an outbound call an agent placed that its customer answered (the customer is the
 * interaction's channel; the agent's leg must be the agent's own phone); both still on the line, with no
 * call control under way but a hold (a transfer ringing: its state was in the previous run's memory only;
 * see ringingTransferTakeover).
 *
 * A transfer or conference that had settled is no obstacle: the agent it left the caller with (the target
 * of a transfer, the party of a conference the agent left) is the one carried on; nor is a rejoin after a
 * page reload that was done. Nor is a consultation: the caller on hold, the agent's channel in the
 * consultation's bridge; it is carried on as a call on hold with the consultation to end
 * (`consultation`); nor a conference (`conference`), whose party is kept if it had joined and let go if it
 * still rang. Talking, caller and agent are alone together in the call's bridge (with a joined conference
 * party); on hold, the caller is alone in it (hearing its music) and the agent's one channel waits outside
 * every bridge, found by the agent's device (`endpointOf`).
 */
export function conversationTakeover(
  row: InteractionRow,
  timeline: readonly InteractionEventRow[],
  channels: readonly { id: string; name: string }[],
  bridges: readonly { id: string; channelIds: string[] }[],
  endpointOf: (agentId: string) => string | undefined,
): ConversationTakeover | undefined {
  const live = new Set(channels.map((c) => c.id));
  const outbound = row.direction === 'outbound';
  // A callback's conversation is connected as a queue call is (acd.connected, its queue and bridge).
  const callback = row.direction === 'callback' && row.parent_id !== null;
  if (!(row.direction === 'inbound' || outbound || callback)) return undefined;
  if (!row.channel_id || !live.has(row.channel_id)) return undefined;
  if ((!outbound && !row.queue_id) || row.connected_at === null || !row.agent_id) return undefined;
  const connectedAt = timeline.findLastIndex((e) =>
    outbound ? isOutboundConnect(e) : e.type === 'acd.connected',
  );
  if (connectedAt < 0) return undefined;
  const since = timeline.slice(connectedAt + 1);
  if (blockedSince(since)) return undefined;
  const underWay = callControlUnderWay(since);
  if (underWay === 'other') return undefined;
  // A rejoin still ringing is no leg of the call: the old one, still bridged, is the agent's.
  const rejoinGivenUp = rejoinRinging(since);
  if (rejoinGivenUp !== undefined) {
    channels = channels.filter((c) => c.id !== rejoinGivenUp);
    bridges = bridges.map((b) => ({ ...b, channelIds: b.channelIds.filter((id) => id !== rejoinGivenUp) }));
  }
  // After a transfer or a conference the agent is the one the row names now (the target), on a channel the
  // previous run dialled: the bridge must show that agent's device, not whoever else is left in it.
  // After a rejoin too: the channel in the bridge is the one the previous run rang the device on again.
  const handedOver = since.some(
    (e) => e.type === 'call.transferred' || e.type === 'call.conference' || e.type === 'call.rejoined',
  );
  const endpoint = endpointOf(row.agent_id);
  const isAgentDevice = (channelId: string | undefined) =>
    !!endpoint && !!channels.find((c) => c.id === channelId)?.name.startsWith(`${endpoint}-`);
  const lastHeld = since.findLastIndex((e) => e.type === 'call.held');
  const onHold = lastHeld >= 0 && !since.slice(lastHeld).some((e) => e.type === 'call.resumed');
  // An outbound call's bridge is the one the customer is in (the previous run made it for the call).
  const bridgeId = outbound
    ? bridges.find((b) => b.channelIds.includes(row.channel_id!))?.id
    : (JSON.parse(timeline[connectedAt]!.payload) as { bridgeId?: string }).bridgeId;
  // A supervisor barging in was this run's own doing: the call goes on without them (the sweep of
  // channels left by the previous run hangs their phone up).
  const found = bridges.find((b) => b.id === bridgeId);
  const bridge = found && { ...found, channelIds: found.channelIds.filter((id) => !isMonitorLeg(id)) };
  if (!bridgeId || !bridge?.channelIds.includes(row.channel_id)) return undefined;
  let agentChannelId: string | undefined;
  let consultBridgeId: string | undefined;
  if (!onHold && underWay === 'conference') {
    // The caller, the agent's one channel, and the party if it had joined.
    const agents = bridge.channelIds.filter((id) => isAgentDevice(id));
    if (agents.length !== 1 || bridge.channelIds.length > 3) return undefined;
    agentChannelId = agents[0];
  } else if (!onHold) {
    if (bridge.channelIds.length !== 2) return undefined;
    agentChannelId = bridge.channelIds.find((id) => id !== row.channel_id);
    // The agent's leg of an outbound call is their own phone (dialled, or the one that placed the call).
    if ((handedOver || outbound) && !isAgentDevice(agentChannelId)) return undefined;
  } else {
    if (bridge.channelIds.length !== 1) return undefined;
    // On hold the agent's channel is in no bridge; consulting, it is in the consultation's bridge.
    const elsewhere = new Map(
      bridges.filter((b) => b.id !== bridgeId).flatMap((b) => b.channelIds.map((id) => [id, b.id] as const)),
    );
    const waiting = channels.filter(
      (c) =>
        endpoint &&
        c.name.startsWith(`${endpoint}-`) &&
        (underWay === 'consultation' || !elsewhere.has(c.id)),
    );
    if (waiting.length !== 1) return undefined; // none, or more than one: which is the call's is unknown
    agentChannelId = waiting[0]!.id;
    consultBridgeId = elsewhere.get(agentChannelId);
  }
  if (underWay === 'consultation' && !onHold) return undefined; // a consultation puts the caller on hold
  if (underWay === 'conference' && onHold) return undefined;
  if (!agentChannelId || !live.has(agentChannelId)) return undefined;
  // An outbound call's seat was on it from the request, before the customer answered.
  const chosen = afterCallOf(outbound ? timeline : since, row.agent_id);
  return {
    channelId: row.channel_id,
    agentChannelId,
    agentId: row.agent_id,
    direction: outbound ? 'outbound' : 'acd',
    ...(callback ? { routingId: row.parent_id! } : {}),
    queueId: row.queue_id ?? '',
    bridgeId,
    enqueuedAt: row.enqueued_at ?? row.connected_at,
    connectedAt: row.connected_at,
    holdMs: (row.hold_seconds ?? 0) * 1000,
    ...(onHold ? { heldAt: since[lastHeld]!.at } : {}),
    ...recordingPausedOf(timeline),
    ...(underWay === 'consultation' ? { consultation: consultationOf(since, consultBridgeId) } : {}),
    ...(underWay === 'conference' ? { conference: conferenceOf(since, bridge.channelIds) } : {}),
    // Chosen during the call; else, for an outbound call, what the seat was when the agent placed it.
    ...(chosen.after ? chosen : outbound ? placedFrom(timeline, row.agent_id) : {}),
    ...(rejoinGivenUp !== undefined ? { rejoinGivenUp } : {}),
  };
}

/** An outbound call a previous run left ringing its customer (see outboundDiallingTakeover). */
export interface OutboundDiallingTakeover {
  /** The customer's channel, still ringing: the interaction's own. */
  channelId: string;
  /** The agent's phone, answered and alone in the call's bridge, hearing ringback. */
  agentChannelId: string;
  agentId: string;
  number: string;
  bridgeId: string;
  /** When the agent placed the call: their seat has been on it since. */
  requestedAt: number;
  /** When the previous run dialled the customer: the ring time left runs from there. */
  dialledAt: number;
  ringSeconds: number;
  /** The ringback the agent hears, to be stopped when the customer answers (none if it never started). */
  ringbackId?: string;
  /** What the agent had chosen for after this call, or what the seat was when they placed it. */
  after?: AfterWrapUp;
}

/** Steps that mean the seat was doing more with an outbound call than wait for its customer. */
const NOT_JUST_DIALLING = new Set([
  'call.held',
  'call.transferred',
  'call.conference',
  'call.rejoined',
  'acd.agent.lost',
]);

/**
 * Whether an outbound call the agent placed still rings its customer, and can be waited on as the previous
 * run waited: its last step is `dialing` (written with its ring time, so its ringback is on record too),
 * the customer's channel is live in no bridge, and the agent's phone, which answered, waits alone in the
 * call's bridge, with nothing else (a hold, a transfer) begun since.
 */
export function outboundDiallingTakeover(
  row: InteractionRow,
  timeline: readonly InteractionEventRow[],
  channels: readonly { id: string }[],
  bridges: readonly { id: string; channelIds: string[] }[],
): OutboundDiallingTakeover | undefined {
  if (row.direction !== 'outbound' || row.connected_at !== null || !row.agent_id || !row.channel_id) {
    return undefined;
  }
  const live = new Set(channels.map((c) => c.id));
  if (!live.has(row.channel_id) || bridges.some((b) => b.channelIds.includes(row.channel_id!))) {
    return undefined;
  }
  const steps = timeline.flatMap((e) =>
    e.type === 'call.outbound' ? [{ at: e.at, ...(JSON.parse(e.payload) as OutboundStepPayload) }] : [],
  );
  const requested = steps.find((s) => s.step === 'requested');
  const answered = steps.find((s) => s.step === 'agent-answered');
  const dialing = steps.at(-1);
  if (!requested || !answered?.channelId || dialing?.step !== 'dialing') return undefined;
  if (dialing.channelId !== row.channel_id || typeof dialing.ringSeconds !== 'number') return undefined;
  if (requested.agentId !== row.agent_id || dialing.agentId !== row.agent_id || !dialing.number) {
    return undefined;
  }
  if (timeline.some((e) => NOT_JUST_DIALLING.has(e.type))) return undefined;
  const agentChannelId = answered.channelId;
  const bridge = bridges.find((b) => b.channelIds.includes(agentChannelId));
  const inBridge = bridge?.channelIds.filter((id) => !isMonitorLeg(id));
  if (!live.has(agentChannelId) || !bridge || inBridge?.length !== 1) return undefined;
  const chosen = afterCallOf(timeline, row.agent_id);
  return {
    channelId: row.channel_id,
    agentChannelId,
    agentId: row.agent_id,
    number: dialing.number,
    bridgeId: bridge.id,
    requestedAt: requested.at,
    dialledAt: dialing.at,
    ringSeconds: dialing.ringSeconds,
    ...(dialing.ringbackId ? { ringbackId: dialing.ringbackId } : {}),
    ...(chosen.after ? chosen : placedFrom(timeline, row.agent_id)),
  };
}

interface OutboundStepPayload {
  agentId?: string;
  number?: string;
  step?: string;
  channelId?: string;
  ringSeconds?: number;
  ringbackId?: string;
}

/** Where an outbound call's seat was to go after it, as recorded when the agent placed it. */
function placedFrom(timeline: readonly InteractionEventRow[], agentId: string): { after?: AfterWrapUp } {
  const placed = timeline.find((e) => e.type === 'call.outbound');
  if (!placed) return {};
  const {
    agentId: by,
    step,
    after,
  } = JSON.parse(placed.payload) as {
    agentId?: string;
    step?: string;
    after?: AfterWrapUp;
  };
  return by === agentId && step === 'requested' && after ? { after } : {};
}

/** The agent's last choice for after the call, made since it connected. */
/** The agent's last word on what follows the call (`agent.after-call`), if they said any. */
/** A recording paused and not resumed since, as the timeline tells. */
function recordingPausedOf(timeline: readonly InteractionEventRow[]): {
  recordingPaused?: { agentId: string; at: number };
} {
  const paused = timeline.findLastIndex((e) => e.type === 'recording.paused');
  if (paused < 0 || timeline.findLastIndex((e) => e.type === 'recording.resumed') > paused) return {};
  const entry = timeline[paused]!;
  const { agentId } = JSON.parse(entry.payload) as { agentId?: string };
  return { recordingPaused: { agentId: agentId ?? '', at: entry.at } };
}

export function afterCallOf(since: readonly InteractionEventRow[], agentId: string): { after?: AfterWrapUp } {
  for (let i = since.length - 1; i >= 0; i--) {
    const e = since[i]!;
    if (e.type !== 'agent.after-call') continue;
    const chosen = JSON.parse(e.payload) as { agentId?: string; after?: AfterWrapUp };
    if (chosen.agentId === agentId && chosen.after) return { after: chosen.after };
  }
  return {};
}

/** The step at which an outbound call's customer answered and joined the agent: its connect. */
function isOutboundConnect(e: InteractionEventRow): boolean {
  return e.type === 'call.outbound' && (JSON.parse(e.payload) as { step?: string }).step === 'connected';
}

/** The conference under way, from its last step: its party, and whether that is in the call's bridge. */
function conferenceOf(
  since: readonly InteractionEventRow[],
  inCallBridge: readonly string[],
): ConferenceUnderWay {
  const last = since.findLast((e) => e.type === 'call.conference')!;
  const { agentId, party, step, channelId } = JSON.parse(last.payload) as ConferenceUnderWay & {
    step: string;
  };
  return {
    agentId,
    party,
    joined: step === 'joined',
    ...(channelId ? { channelId, inBridge: inCallBridge.includes(channelId) } : {}),
    ...(party.type === 'agent'
      ? { partyAfter: afterCallOf(since, party.id).after ?? { type: 'available' as const } }
      : {}),
  };
}

/** The consultation under way, from its last step: what the new run ends. */
function consultationOf(
  since: readonly InteractionEventRow[],
  bridgeId: string | undefined,
): ConsultationUnderWay {
  const last = since.findLast((e) => e.type === 'call.transferred')!;
  const { agentId, target } = JSON.parse(last.payload) as {
    agentId: string;
    target: { type: string; id: string };
  };
  return { agentId, target, ...(bridgeId ? { bridgeId } : {}) };
}

/** A blind transfer a restart found ringing its target: the caller alone in the call's bridge. */
export interface RingingTransferTakeover {
  channelId: string;
  /** The call's bridge, where the caller hears hold music: it goes, as the caller leaves it for the queue. */
  bridgeId: string;
  /** The queue the call came from: an unanswered transfer puts the caller back in it. */
  queueId: string;
  agentId: string;
  target: { type: string; id: string };
  firstConnectedAt: number;
}

/**
 * Whether a call was in a blind transfer whose target was still ringing (to an agent or a number): the
 * ringing leg and its timer were the previous run's, so the new run fails the transfer as an unanswered
 * one fails (the caller back in the queue it came from, a new arrival there; the ringing leg is hung up
 * with the previous run's leftovers). The call bridge must hold the caller alone.
 */
export function ringingTransferTakeover(
  row: InteractionRow,
  timeline: readonly InteractionEventRow[],
  channels: readonly { id: string; name: string }[],
  bridges: readonly { id: string; channelIds: string[] }[],
): RingingTransferTakeover | undefined {
  const live = new Set(channels.map((c) => c.id));
  if (row.direction !== 'inbound' || !row.channel_id || !live.has(row.channel_id)) return undefined;
  if (!row.queue_id || row.connected_at === null) return undefined;
  const connectedAt = timeline.findLastIndex((e) => e.type === 'acd.connected');
  if (connectedAt < 0) return undefined;
  const since = timeline.slice(connectedAt + 1);
  if (blockedSince(since) || since.some((e) => e.type === 'acd.enqueued')) return undefined;
  const lastConference = since.findLast((e) => e.type === 'call.conference');
  if (lastConference) return undefined; // a conference since: who is where is not this rule's to say
  const last = since.findLast((e) => e.type === 'call.transferred');
  if (!last) return undefined;
  const { agentId, kind, step, target } = JSON.parse(last.payload) as {
    agentId?: string;
    kind?: string;
    step?: string;
    target?: { type: string; id: string };
  };
  if (kind !== 'blind' || (step !== 'requested' && step !== 'dialing')) return undefined;
  if (!agentId || !target || target.type === 'queue') return undefined;
  const { bridgeId } = JSON.parse(timeline[connectedAt]!.payload) as { bridgeId?: string };
  const bridge = bridges.find((b) => b.id === bridgeId);
  const inIt = bridge?.channelIds.filter((id) => !isMonitorLeg(id)) ?? [];
  if (!bridgeId || inIt.length !== 1 || inIt[0] !== row.channel_id) return undefined;
  return {
    channelId: row.channel_id,
    bridgeId,
    queueId: row.queue_id,
    agentId,
    target,
    firstConnectedAt: row.connected_at,
  };
}

/** A caller an IVR flow had transferred out to a number, talking to the far end (see ivrTransferTakeover). */
export interface IvrTransferTakeover {
  channelId: string;
  number: string;
  /** The far end's leg, dialled on the trunk by the previous run. */
  legId: string;
  bridgeId: string;
}

/**
 * Whether a caller an IVR flow transferred out (`ivr.transfer` connected, not ended) is still talking to
 * the far end: both legs live and alone together in the transfer's bridge. The new run only has to watch
 * for either side hanging up, as the previous one did. A transfer still dialling is
 * ivrTransferDiallingTakeover's.
 */
export function ivrTransferTakeover(
  row: InteractionRow,
  timeline: readonly InteractionEventRow[],
  channels: readonly { id: string }[],
  bridges: readonly { id: string; channelIds: string[] }[],
): IvrTransferTakeover | undefined {
  const live = new Set(channels.map((c) => c.id));
  if (row.direction !== 'inbound' || !row.channel_id || !live.has(row.channel_id)) return undefined;
  const last = timeline.findLast((e) => e.type === 'ivr.transfer');
  if (!last) return undefined;
  const { number, step, channelId, bridgeId } = JSON.parse(last.payload) as {
    number: string;
    step: string;
    channelId?: string;
    bridgeId?: string;
  };
  if (step !== 'connected' || !channelId || !bridgeId || !live.has(channelId)) return undefined;
  const inIt = bridges.find((b) => b.id === bridgeId)?.channelIds.filter((id) => !isMonitorLeg(id)) ?? [];
  if (inIt.length !== 2 || !inIt.includes(row.channel_id) || !inIt.includes(channelId)) return undefined;
  return { channelId: row.channel_id, number, legId: channelId, bridgeId };
}

/** A caller an IVR flow was transferring out, the far end still ringing (see ivrTransferDiallingTakeover). */
export interface IvrTransferDiallingTakeover {
  channelId: string;
  number: string;
  /** The far end's leg, dialled on the trunk by the previous run and still ringing. */
  legId: string;
  /** When the previous run dialled it: the ring time left runs from there. */
  dialledAt: number;
  /** The ring time the transfer gave the far end, seconds (absent in timelines before it was written). */
  ringSeconds?: number;
  /**
   * The far end's leg is gone: it answered while no run could take the call (Asterisk drops a leg that
   * answers into an application nobody is connected to), or gave up. The new run dials it again.
   */
  legGone?: true;
  /** The caller's number, the caller ID a dial again shows. */
  callerNumber: string;
}

/**
 * Whether a caller an IVR flow was transferring out (`ivr.transfer` dialing, not yet connected nor
 * failed) still hears ringback: the caller live, in no bridge. While the far end still rings, the new run
 * waits for it to answer as the previous one did, for the ring time left; when its leg is gone meanwhile
 * (`legGone`), the new run dials it again rather than drop a caller who is still waiting to be put through.
 */
export function ivrTransferDiallingTakeover(
  row: InteractionRow,
  timeline: readonly InteractionEventRow[],
  live: ReadonlySet<string>,
  bridged: ReadonlySet<string>,
): IvrTransferDiallingTakeover | undefined {
  if (row.direction !== 'inbound' || !row.channel_id || !live.has(row.channel_id)) return undefined;
  if (bridged.has(row.channel_id)) return undefined;
  const at = timeline.findLastIndex((e) => e.type === 'ivr.transfer');
  if (at < 0 || timeline.slice(at + 1).some((e) => e.type === 'call.error')) return undefined;
  const last = timeline[at]!;
  const { number, step, channelId, ringSeconds } = JSON.parse(last.payload) as {
    number?: string;
    step?: string;
    channelId?: string;
    ringSeconds?: number;
  };
  if (step !== 'dialing' || !number || !channelId) return undefined;
  return {
    channelId: row.channel_id,
    number,
    legId: channelId,
    dialledAt: last.at,
    ...(typeof ringSeconds === 'number' ? { ringSeconds } : {}),
    ...(live.has(channelId) ? {} : { legGone: true as const }),
    callerNumber: row.caller_number ?? '',
  };
}

/** Where in its flows a caller a previous run left in the IVR carries on. */
export interface IvrPosition {
  flowId: string;
  /** The version of that flow the caller was in, when known: it carries on in that one if it can be had. */
  flowVersion?: string;
  /** The step to run next; absent when the step the caller was on failed (`failed`). */
  stepId?: string;
  /** The last step failed with this error: the caller carries on in its flow's error step. */
  failed?: string;
}

/** How a caller a previous run left part-way through an IVR flow carries on. */
export interface IvrCallerTakeover {
  channelId: string;
  /** The flow the call started in (the route's); step ids of other flows are qualified against it. */
  entryFlowId: string;
  /** The version of it the call started on. */
  entryFlowVersion?: string;
  at: IvrPosition;
  data: CallerData;
  skills: Skills;
  path: string[];
  /** Prompts the previous run started and never saw end: Asterisk may still be playing them. */
  promptsPlaying: string[];
  /** The message the caller was leaving in the step under way (its recording's name), if any. */
  recordingUnderWay?: string;
  /**
   * The caller had talked to an agent before this flow (an after-call survey, or a voicemail after being
   * sent back to a queue): the call stays handled, its talk time from the first connect to the flow's start.
   */
  conversation?: { queueId: string; enqueuedAt: number; firstConnectedAt: number; talkEndedAt: number };
}

interface StepPayload {
  flowId: string;
  flowVersion?: string;
  stepId: string;
  kind: string;
  outcome: string;
  next?: string;
  skills?: Skills;
  detail?: { error?: unknown };
}

/**
 * Whether a new run can carry on a caller a previous run left in an IVR flow, and from where: an answered
 * inbound caller, still on the line, whose flow started (`ivr.started`) and had not ended (no `ivr.end`;
 * after it the flow's outcome was being carried out, e.g. a voicemail being stored or a transfer dialled,
 * which only the previous run knew). The caller picks up at the step the last `ivr.step` led to, with the
 * caller data (written as it grew) and skills gathered so far; the step under way at the restart is run
 * again from its start (a menu is heard again: keys pressed while no run listened are gone).
 */
export function ivrCallerTakeover(
  row: InteractionRow,
  timeline: readonly InteractionEventRow[],
  liveChannels: ReadonlySet<string>,
): IvrCallerTakeover | undefined {
  if (!row.channel_id || !liveChannels.has(row.channel_id)) return undefined;
  const where = ivrPosition(row, timeline);
  if (!where) return undefined;
  const { recording, ...rest } = where;
  const firstConnect = timeline.find((e) => e.type === 'acd.connected')?.at ?? row.connected_at;
  const started = timeline.findLast((e) => e.type === 'ivr.started');
  const conversation =
    firstConnect !== null && firstConnect !== undefined && row.queue_id && started
      ? {
          queueId: row.queue_id,
          enqueuedAt: row.enqueued_at ?? firstConnect,
          firstConnectedAt: firstConnect,
          talkEndedAt: Math.max(firstConnect, started.at),
        }
      : undefined;
  return {
    channelId: row.channel_id,
    ...rest,
    ...(recording ? { recordingUnderWay: recording.name } : {}),
    ...(conversation ? { conversation } : {}),
  };
}

/** A message a caller was leaving when the previous run stopped, who hung up before this run began. */
export interface MessageLeftWhileAway {
  recordingName: string;
  format: string;
  /** The voicemail step it was left in. */
  at: IvrPosition;
  data: CallerData;
  path: string[];
}

/**
 * The caller of an IVR call a previous run left was recording a message (a voicemail step had named its
 * recording, and that step had not ended) and is gone now: Asterisk kept what they said, which is the
 * message (as a caller hanging up after speaking is the usual end of one). Whether the file exists is for
 * the caller of this to check.
 */
export function messageLeftWhileAway(
  row: InteractionRow,
  timeline: readonly InteractionEventRow[],
  liveChannels: ReadonlySet<string>,
): MessageLeftWhileAway | undefined {
  if (row.channel_id && liveChannels.has(row.channel_id)) return undefined;
  const where = ivrPosition(row, timeline);
  if (!where?.recording) return undefined;
  return {
    recordingName: where.recording.name,
    format: where.recording.format,
    at: where.at,
    data: where.data,
    path: where.path,
  };
}

/** Where in its flows an IVR call a previous run left was (see ivrCallerTakeover); live or not. */
function ivrPosition(
  row: InteractionRow,
  whole: readonly InteractionEventRow[],
):
  | (Omit<IvrCallerTakeover, 'channelId' | 'recordingUnderWay'> & {
      recording?: { name: string; format: string };
    })
  | undefined {
  if (row.direction !== 'inbound') return undefined;
  if (row.answered_at === null) return undefined;
  // The flow the caller is in is the last one started: the entry flow, or the voicemail a queue sent them
  // on to (max wait, exit key...), after their stay there; a caller queued after its flow is not in one.
  const startedIndex = whole.findLastIndex((e) => e.type === 'ivr.started');
  if (startedIndex < 0) return undefined;
  // A caller who talked to an agent is in a flow only if it began after the last conversation (the queue's
  // after-call survey; a voicemail after being sent back to a queue).
  const connectedIndex = whole.findLastIndex((e) => e.type === 'acd.connected');
  const talked = row.connected_at !== null || connectedIndex >= 0;
  if (talked && (connectedIndex < 0 || startedIndex < connectedIndex)) return undefined;
  const afterCall = talked && whole.findLastIndex((e) => e.type === 'acd.enqueued') < connectedIndex;
  if (row.enqueued_at !== null && !afterCall && !sentOnFromQueue(whole, startedIndex)) return undefined;
  const timeline = whole.slice(startedIndex);
  const started = timeline[0]!;
  if (timeline.some((e) => e.type === 'ivr.end' || e.type === 'call.error')) return undefined;
  const { flowId: entryFlowId, flowVersion: entryFlowVersion } = JSON.parse(started.payload) as {
    flowId: string;
    flowVersion?: string;
  };
  const steps = timeline
    .filter((e) => e.type === 'ivr.step')
    .map((e) => JSON.parse(e.payload) as StepPayload);
  const last = steps.at(-1);
  let at: IvrPosition;
  let data = parseObject(row.caller_data) as CallerData;
  if (!last) {
    at = { flowId: entryFlowId, ...(entryFlowVersion ? { flowVersion: entryFlowVersion } : {}) };
  } else if (last.next !== undefined) {
    at = nextPosition(entryFlowId, last, last.next);
    // Still in the flow of the last step: its version (a goto-flow's target was looked up when reached).
    if (at.flowId === last.flowId && last.flowVersion) at.flowVersion = last.flowVersion;
  } else if (last.outcome === 'error') {
    const failed = typeof last.detail?.error === 'string' ? last.detail.error : 'step failed';
    at = { flowId: last.flowId, failed, ...(last.flowVersion ? { flowVersion: last.flowVersion } : {}) };
    data = { ...data, ivrError: failed };
  } else {
    return undefined; // the step ended the flow (the end entry was not written yet)
  }
  const skills = steps.findLast((s) => s.skills !== undefined)?.skills ?? {};
  const path = parseArray(row.ivr_path);
  const promptsPlaying = new Set<string>();
  for (const e of timeline) {
    const { playbackId } = JSON.parse(e.payload) as { playbackId?: string };
    if (!playbackId) continue;
    if (e.type === 'ivr.prompt.started') promptsPlaying.add(playbackId);
    else if (e.type === 'ivr.prompt.finished') promptsPlaying.delete(playbackId);
  }
  // A recording named after the last step ended belongs to the step under way (a voicemail step).
  const afterLastStep = timeline.slice(timeline.findLastIndex((e) => e.type === 'ivr.step') + 1);
  const named = afterLastStep.findLast((e) => e.type === 'ivr.recording.started');
  const recording =
    named && at.failed === undefined
      ? (JSON.parse(named.payload) as { recordingName: string; format: string })
      : undefined;
  return {
    entryFlowId,
    ...(entryFlowVersion ? { entryFlowVersion } : {}),
    at,
    data,
    skills: { ...skills },
    path,
    promptsPlaying: [...promptsPlaying],
    ...(recording ? { recording: { name: recording.recordingName, format: recording.format } } : {}),
  };
}

/** The flow started at `startedIndex` is where the caller's queue sent it on: it left the queue before. */
function sentOnFromQueue(timeline: readonly InteractionEventRow[], startedIndex: number): boolean {
  const enqueued = timeline.findLastIndex((e) => e.type === 'acd.enqueued');
  const left = timeline.findLastIndex((e) => e.type === 'acd.overflowed');
  return enqueued < left && left < startedIndex;
}

/**
 * The step a step event's `next` names. Ids are written qualified (`flow:step`) outside the entry flow;
 * flow ids hold no `:`, step ids may, so a plain step's `next` stays in its own flow and only a
 * `goto-flow`'s is split.
 */
function nextPosition(entryFlowId: string, step: StepPayload, next: string): IvrPosition {
  if (step.kind === 'goto-flow') {
    const colon = next.indexOf(':');
    return colon < 0
      ? { flowId: entryFlowId, stepId: next }
      : { flowId: next.slice(0, colon), stepId: next.slice(colon + 1) };
  }
  if (step.flowId === entryFlowId) return { flowId: entryFlowId, stepId: next };
  return { flowId: step.flowId, stepId: next.slice(step.flowId.length + 1) };
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function parseArray(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
