/**
 * Every event of the live stream (WebSocket /api/events), one TypeBox schema each: the data a publisher must
 * pass (checked when it compiles), what clients read (served at GET /api/events/schema), and what the tests
 * validate published events against. The topic each type travels on is declared here too.
 */
import { BlockedNumberBody } from '../http/plugins/blocked-numbers/schemas.js';
import { CampaignBody } from '../http/plugins/campaigns/schemas.js';
import { CallerFlagBody } from '../http/plugins/caller-flags/schemas.js';
import { DoNotCallBody } from '../http/plugins/do-not-call/schemas.js';
import { EvaluationBody } from '../http/plugins/evaluations/schemas.js';
import { SignInLiftedBody, SignInLockBody } from '../http/plugins/sign-in-locks/schemas.js';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { QueueTargetSchema } from '../acd/schema.js';
import { AGENT_STATE_TYPES } from '../agents/seat.js';
import { EndedBy, InteractionEventSchemas, supervisorRef } from '../interactions/events.js';
import { AgentStateBody } from '../http/plugins/agents/schemas.js';
import { MonitorBody } from '../http/plugins/monitors/schemas.js';
import { HelpRequestBody } from '../http/plugins/help/schemas.js';
import { OverstayBody } from '../http/plugins/overstays/schemas.js';
import {
  AgentMessageBody,
  MessageReadBody,
  MessageReplyBody,
  MessageTargetBody,
} from '../http/plugins/messages/schemas.js';
import { AdherenceExceptionBody } from '../http/plugins/shifts/schemas.js';
import { QueueAlertBody } from '../http/plugins/queues/alert-schemas.js';
import type { Topic } from './event-hub.js';

const Id = Type.String({ minLength: 1 });
/** An agent seat state as the ACD holds it: its type, and per type its call, reason, until. */
const SeatState = Type.Object(
  { type: Type.Union(AGENT_STATE_TYPES.map((t) => Type.Literal(t))) },
  {
    additionalProperties: true,
    description: 'A seat state: type, plus reason / call / interactionId / until',
  },
);
const OnCall = { interactionId: Id, agentId: Id };
/** What a transfer, consultation or conference reaches: a colleague's call's phone number is not shown to other agents. */
const TargetType = Type.Union([Type.Literal('agent'), Type.Literal('queue'), Type.Literal('number')], {
  description: 'what `to`, `target` or `party` names: an agent, a queue or a phone number',
});

function stream<T extends TSchema>(topic: Topic, data: T, description: string) {
  return { topic, data: { ...data, description } as T };
}

export const StreamEventTypes = {
  'agent.state': stream(
    'agent',
    Type.Object({
      agentId: Id,
      from: SeatState,
      to: SeatState,
      callsHandledToday: Type.Integer({
        minimum: 0,
        description: 'ACD calls completed today, after this change',
      }),
      by: Type.Optional(
        Type.Literal('supervisor', {
          description: 'A supervisor made this change for the agent (absent: the agent or the service)',
        }),
      ),
      supervisor: Type.Optional(
        supervisorRef('The supervisor who made it, when they signed in as themselves'),
      ),
    }),
    "An agent's seat changed state (the ACD's state machine): logged in or out, ready, not ready, offered, talking, on hold, wrap-up.",
  ),
  'agent.seat': stream(
    'agent',
    Type.Object({ agentId: Id, state: AgentStateBody }),
    'News about a seat that is no new state: a not-ready asked for during the call, a wrap-up extended.',
  ),
  'agent.missed-call': stream(
    'agent',
    Type.Object({ agentId: Id, interactionId: Id, queueId: Id, ringSeconds: Type.Number() }),
    "An offer rang out on the agent's phone (ring no answer): the caller went back to the front of the queue.",
  ),
  'agent.help': stream(
    'agent',
    Type.Object({
      agentId: Id,
      state: Type.Union([
        Type.Literal('asked'),
        Type.Literal('taken'),
        Type.Literal('unanswered'),
        Type.Literal('ended'),
      ]),
      help: HelpRequestBody,
    }),
    "An agent asked a supervisor for help, a supervisor took the request on, nobody had within the site's helpUnansweredSeconds (unanswered, said once), or it ended. Supervisors see every agent's; an agent only their own.",
  ),
  'agent.overstay': stream(
    'agent',
    Type.Object({
      agentId: Id,
      state: Type.Union([Type.Literal('started'), Type.Literal('acknowledged'), Type.Literal('ended')]),
      overstay: OverstayBody,
    }),
    "An agent's not ready ran past its reason's limit (a 15-minute break at minute 15), a supervisor took it on, or the agent moved on from it. Supervisors see every agent's; an agent only their own.",
  ),
  'message.sent': stream(
    'agent',
    Type.Object({ message: AgentMessageBody }),
    "A supervisor sent agents a message (every agent's, a queue's or one agent's; an agent is sent only another agent's messages to them).",
  ),
  'message.read': stream(
    'agent',
    MessageReadBody,
    'An agent took in a message ("Got it"), the first time. Supervisors see every agent\'s; an agent only their own.',
  ),
  'message.replied': stream(
    'agent',
    MessageReplyBody,
    'An agent replied to a message (which takes it in, as "Got it" does: a first reading is also `message.read`). Supervisors see every agent\'s; an agent only their own.',
  ),
  'message.withdrawn': stream(
    'agent',
    Type.Object({ messageId: Id, to: MessageTargetBody }),
    'A supervisor withdrew a message: it stops showing.',
  ),
  'queue.waiting': stream(
    'queue',
    Type.Object({ queueId: Id, waiting: Type.Integer({ minimum: 0 }) }),
    'How many callers are on the line waiting in the queue, whenever it changes.',
  ),
  'queue.members': stream(
    'queue',
    Type.Object({
      queueId: Id,
      members: Type.Array(
        Type.Object({
          agentId: Id,
          penalty: Type.Integer(),
          order: Type.Integer(),
          version: Type.String({
            description: "The version of the agent's place in the queue: If-Match for changing it",
          }),
        }),
      ),
    }),
    "A supervisor changed the queue's agents (added one, changed a penalty or order, took one out): its members now.",
  ),
  'flow.changed': stream(
    'queue',
    Type.Object({
      file: Type.String(),
      change: Type.Union([Type.Literal('loaded'), Type.Literal('refused'), Type.Literal('removed')]),
      flowId: Type.Optional(Type.String()),
      version: Type.Optional(
        Type.String({ description: 'loaded: the version now serving; refused: the one refused' }),
      ),
      serving: Type.Optional(Type.String({ description: 'refused: the version that keeps serving, if any' })),
      errors: Type.Optional(Type.Array(Type.String(), { description: 'refused: `file:line: message` each' })),
    }),
    'An IVR flow file was loaded (its new version serves from the next step a caller takes), refused (the errors; the last good version keeps serving) or removed (GET /api/flows for them all).',
  ),
  'queue.defined': stream(
    'queue',
    Type.Object({ queueId: Id, name: Type.Optional(Type.String()), deleted: Type.Boolean() }),
    "A supervisor created, changed or deleted a queue (GET /api/queues/:id for the definition, which holds VIP callers' numbers): its figures and callers waiting follow the new one at once.",
  ),
  'agent.skills': stream(
    'queue',
    Type.Object({ agentId: Id, skills: Type.Record(Type.String(), Type.Integer()) }),
    "A supervisor changed an agent's skills (or put the config file's back): skills-based routing uses them at once.",
  ),
  'queue.alert': stream(
    'queue',
    Type.Composite([
      QueueAlertBody,
      Type.Object({
        state: Type.Union([Type.Literal('raised'), Type.Literal('cleared'), Type.Literal('acknowledged')]),
      }),
    ]),
    "A queue's alert (its `alerts` rules) was raised, taken on by a supervisor (acknowledged), or cleared once the condition no longer held.",
  ),
  'evaluation.created': stream(
    'agent',
    Type.Object({ agentId: Id, evaluation: EvaluationBody }),
    'A supervisor scored an agent on a call (quality evaluation): the agent and supervisors only.',
  ),
  'evaluation.acknowledged': stream(
    'agent',
    Type.Object({ agentId: Id, evaluation: EvaluationBody }),
    'The agent read their evaluation, with their reply if any: the agent and supervisors only.',
  ),
  'evaluation.withdrawn': stream(
    'agent',
    Type.Object({ agentId: Id, evaluation: EvaluationBody }),
    'A supervisor withdrew an evaluation scored in error: the agent and supervisors only.',
  ),
  'shift.changed': stream(
    'agent',
    Type.Object({
      change: Type.Union([Type.Literal('added'), Type.Literal('changed'), Type.Literal('removed')]),
      agentIds: Type.Array(Id, { description: 'The agents whose roster changed' }),
    }),
    'Shifts were put on the roster, one changed or taken off (read it again: GET /api/shifts): those agents and supervisors only.',
  ),
  'shift.adherence': stream(
    'agent',
    Type.Object({
      inAdherence: Type.Boolean({
        description:
          'false: the seat has been off the roster for the grace period; true: it keeps to it again',
      }),
      exception: AdherenceExceptionBody,
    }),
    "Real-time adherence: an agent's seat off their roster (signed out or not ready while to work, on calls on a break) past the grace period, or back on it: the agent and supervisors only.",
  ),
  'campaign.changed': stream(
    'queue',
    Type.Object({ campaign: CampaignBody }),
    "An outbound campaign started, paused, resumed, stopped, given contacts, or a contact's state changed (booked, reached, not reached, skipped): supervisors only.",
  ),
  'number.blocked': stream(
    'queue',
    Type.Object({ block: BlockedNumberBody }),
    "A supervisor blocked a caller's number: its calls are turned away unanswered (supervisors only).",
  ),
  'number.flagged': stream(
    'queue',
    Type.Object({ flag: CallerFlagBody }),
    'An agent flagged a caller for a supervisor to block (abusive, spam, a prank): waiting for a decision (supervisors only).',
  ),
  'number.flags-decided': stream(
    'queue',
    Type.Object({ flags: Type.Array(CallerFlagBody) }),
    "A supervisor decided on agents' flags: the number blocked (every flag on it settled) or a flag dismissed (supervisors only).",
  ),
  'number.do-not-call': stream(
    'queue',
    Type.Object({ entry: DoNotCallBody }),
    "A customer asked not to be called: their number is on the do-not-call list (agents' calls out and callbacks to it are refused; supervisors only).",
  ),
  'number.do-not-call.file': stream(
    'queue',
    Type.Object({
      added: Type.Integer(),
      alreadyListed: Type.Integer(),
    }),
    'A supervisor put a file of numbers on the do-not-call list: `added` new, `alreadyListed` left as they were (supervisors only; read the list again).',
  ),
  'number.callable': stream(
    'queue',
    Type.Object({ entry: DoNotCallBody }),
    'A supervisor took a number off the do-not-call list: it may be called again (supervisors only).',
  ),
  'number.turned-away': stream(
    'queue',
    Type.Object({ block: BlockedNumberBody }),
    'A call from a blocked number was turned away; `block` carries the count (supervisors only).',
  ),
  'number.unblocked': stream(
    'queue',
    Type.Object({ block: BlockedNumberBody }),
    "A supervisor lifted a number's block (supervisors only).",
  ),
  'signin.locked': stream(
    'queue',
    Type.Object({ lock: SignInLockBody }),
    'Too many wrong passwords (API sign-ins or SIP): an account from an address, or a whole address, is locked until `until` (supervisors only).',
  ),
  'signin.unlocked': stream(
    'queue',
    SignInLiftedBody,
    'A supervisor lifted a sign-in lock before it ran out (supervisors only).',
  ),
  'switch.changed': stream(
    'queue',
    Type.Object({
      switchId: Id,
      on: Type.Boolean(),
      by: Type.Object(
        { supervisor: Type.Optional(supervisorRef()) },
        { description: 'Who: a named supervisor; empty on the supervisor token' },
      ),
    }),
    'A supervisor turned a switch on or off (config `switches`): IVR flows route every new caller by it from now.',
  ),
  'day.started': stream(
    'queue',
    Type.Object({
      startedAt: Type.String({ format: 'date-time', description: 'Midnight in the time zone (UTC)' }),
      timeZone: Type.String(),
    }),
    "Midnight in the contact center's time zone: today's figures (queue statistics, agents' calls handled, personal stats) start again; pages read them afresh.",
  ),
  'acd.enqueued': stream(
    'interaction',
    Type.Object(
      {
        interactionId: Id,
        queueId: Id,
        position: Type.Integer({ minimum: 1 }),
        priority: Type.Number(),
        estimatedWaitSeconds: Type.Union([Type.Number(), Type.Null()]),
      },
      { additionalProperties: true },
    ),
    'A caller entered a queue, at this position and effective priority.',
  ),
  'acd.widened': stream(
    'interaction',
    Type.Composite([Type.Object({ interactionId: Id }), InteractionEventSchemas.widened.properties.payload]),
    "A waiting caller's queue widened who may take them (its `widening`'s next step): routing looks again at once.",
  ),
  'acd.offered': stream(
    'interaction',
    Type.Object({ interactionId: Id, queueId: Id, agentIds: Type.Array(Id) }),
    "The call rings these agents' phones.",
  ),
  'acd.connected': stream(
    'interaction',
    Type.Object({ interactionId: Id, queueId: Id, agentId: Id }),
    'The agent answered; caller and agent are talking.',
  ),
  'acd.abandoned': stream(
    'interaction',
    Type.Object({ interactionId: Id, queueId: Id, waitSeconds: Type.Number() }),
    'The caller hung up while waiting in the queue.',
  ),
  'acd.served_first': stream(
    'interaction',
    Type.Object({
      interactionId: Id,
      queueId: Id,
      supervisor: Type.Optional(supervisorRef('Who put the caller first, when they signed in as themselves')),
    }),
    "A supervisor put a waiting caller first in the queue's line.",
  ),
  'acd.overflowed': stream(
    'interaction',
    Type.Object({
      interactionId: Id,
      queueId: Id,
      target: QueueTargetSchema,
      reason: Type.String({ description: 'max_wait, no_agents, exit_key_<digit>, queue_full, moved, …' }),
      supervisor: Type.Optional(
        supervisorRef('Who moved the caller (moved), when they signed in as themselves'),
      ),
    }),
    'The caller was sent on from the queue (`queueId`) to `target`: the queue’s figures count it as flowed out.',
  ),
  'acd.callback': stream(
    'interaction',
    Type.Composite([Type.Object({ interactionId: Id }), InteractionEventSchemas.callback.properties.payload]),
    'A step of a callback (requested, due, dialing, connected, retry-scheduled, restored, closed).',
  ),
  'acd.answering-machine': stream(
    'interaction',
    Type.Composite([
      Type.Object({ interactionId: Id }),
      InteractionEventSchemas.answeringMachine.properties.payload,
    ]),
    "A campaign's call listened to for an answering machine: who answered and what was done, or how the message to a machine went.",
  ),
  'acd.agent.unreachable': stream(
    'interaction',
    Type.Object({ ...OnCall, queueId: Type.Optional(Id), reason: Type.String() }),
    "The agent's phone could not be rung; the agent is set not ready and the caller offered elsewhere.",
  ),
  'acd.agent.lost': stream(
    'interaction',
    Type.Object({ ...OnCall, queueId: Id }),
    "The agent's phone went mid-call; the caller is back at the front of the queue.",
  ),
  'call.hangup': stream(
    'interaction',
    Type.Object({
      ...OnCall,
      by: EndedBy,
      lineLost: Type.Optional(
        Type.Boolean({
          description:
            "Asterisk hung up the caller's line: it sent no audio for the trunk's media timeout (its far end gone without a BYE)",
        }),
      ),
    }),
    "The call an agent was on ended from the caller's side (or the service's): the agent's page says why (the caller hung up, the line was lost) as it goes to wrap-up.",
  ),
  'call.held': stream('interaction', Type.Object(OnCall), 'The agent put the caller on hold.'),
  'call.resumed': stream(
    'interaction',
    Type.Object({ ...OnCall, heldSeconds: Type.Number() }),
    'The agent took the caller off hold.',
  ),
  'call.recording': stream(
    'interaction',
    Type.Object({ ...OnCall, paused: Type.Boolean() }),
    "The call's recording was paused (`paused`) or resumed by its agent (`agentId`) or a supervisor for them.",
  ),
  'call.transferred': stream(
    'interaction',
    Type.Object({
      ...OnCall,
      from: Id,
      to: Id,
      targetType: TargetType,
    }),
    'The call went from one agent (`agentId`, also `from`) to another agent, a queue or a number.',
  ),
  'call.consult': stream(
    'interaction',
    Type.Object({
      ...OnCall,
      step: Type.String({ description: 'dialing, connected, cancelled, failed, …' }),
      target: Type.Optional(Id),
      targetType: Type.Optional(TargetType),
    }),
    'A consultation the agent started before transferring: its steps.',
  ),
  'call.conference': stream(
    'interaction',
    Type.Object({
      ...OnCall,
      step: Type.String({ description: 'dialing, joined, failed, dropped, left' }),
      channelId: Type.Optional(Id),
      party: Type.Optional(Id),
      targetType: Type.Optional(TargetType),
    }),
    'A party called into the conversation (or the agent leaving it): its steps.',
  ),
  'call.outbound': stream(
    'interaction',
    Type.Object({
      ...OnCall,
      step: Type.String({ description: 'requested, connected' }),
      number: Type.Optional(Type.String()),
    }),
    'A call an agent placed.',
  ),
  'call.audio-restored': stream(
    'interaction',
    Type.Object({
      ...OnCall,
      during: InteractionEventSchemas.audioRestored.properties.payload.properties.during,
      restored: InteractionEventSchemas.audioRestored.properties.payload.properties.restored,
      stillSilent: InteractionEventSchemas.audioRestored.properties.payload.properties.stillSilent,
    }),
    "Once a third party joined the call, Asterisk had stopped sending audio to members of it: put back in the call's bridge (restored), or still silent after the last try. As on the call's timeline.",
  ),
  'call.rejoined': stream(
    'interaction',
    Type.Object({
      ...OnCall,
      step: Type.Union([Type.Literal('rejoined'), Type.Literal('gave-up')], {
        description: "rejoined: the agent's phone is back on the call; gave-up: its ring ended unanswered",
      }),
      reason: Type.Optional(Type.String({ description: 'why a rejoin was given up' })),
    }),
    "After a page reload mid-call the agent's phone was rung again: it came back to the call (the caller stayed on the line), or the ring was given up and the page may ask again.",
  ),
  'call.unserved': stream(
    'interaction',
    Type.Object({
      interactionId: Id,
      callerNumber: Type.Optional(Type.String()),
      dialedNumber: Type.Optional(Type.String()),
      reason: Type.String(),
    }),
    'A call Asterisk turned away while the service was not connected, now on record.',
  ),
  'monitor.changed': stream(
    'interaction',
    Type.Object({ interactionId: Id, monitor: MonitorBody }),
    'A supervisor monitor rang, connected, changed mode or ended (supervisors only).',
  ),
  'voicemail.left': stream(
    'interaction',
    Type.Object({
      interactionId: Id,
      callerNumber: Type.String(),
      durationMs: Type.Number({ minimum: 0 }),
    }),
    "A caller left a voicemail (the team's shared work).",
  ),
  'voicemail.worked': stream(
    'interaction',
    Type.Object({ interactionId: Id, agentId: Type.Optional(Id) }),
    'A voicemail was worked and closed.',
  ),
};

/**
 * The first message of a stream a client joins without `since` (or too far behind to resume): where things
 * stand, from which the events that follow carry on. Its `stream` and `seq` are the envelope's.
 */
export const StreamSnapshotSchema = Type.Object({
  type: Type.Literal('snapshot'),
  stream: Type.String(),
  seq: Type.Integer({ description: 'The last event before the snapshot: resume after it' }),
  agents: Type.Array(
    Type.Object({
      id: Id,
      name: Type.String({ description: 'The name people know the agent by' }),
      seat: Type.Optional(
        Type.Object(
          { state: SeatState },
          { additionalProperties: true, description: "The agent's seat as the ACD holds it" },
        ),
      ),
      help: Type.Optional(
        Type.Union([HelpRequestBody, Type.Null()], {
          description:
            "The agent's request for help standing now (agent.help carries its changes); an agent sees only their own",
        }),
      ),
      overstay: Type.Optional(
        Type.Union([OverstayBody, Type.Null()], {
          description:
            "The agent's not ready past its limit standing now, with who took it on (agent.overstay carries its changes); an agent sees only their own",
        }),
      ),
    }),
  ),
  queues: Type.Array(
    Type.Object({
      id: Id,
      name: Type.String({
        description: 'The name people know the queue by (queue.defined carries its changes)',
      }),
      waiting: Type.Integer({
        minimum: 0,
        description: 'Callers on the line (as queue.waiting counts them)',
      }),
      alerts: Type.Array(QueueAlertBody, {
        description: 'Its alerts standing now (queue.alert carries their changes)',
      }),
    }),
  ),
});
export type StreamSnapshot = Static<typeof StreamSnapshotSchema>;

export type StreamEventType = keyof typeof StreamEventTypes;
export type StreamEventData<T extends StreamEventType> = Static<(typeof StreamEventTypes)[T]['data']>;
