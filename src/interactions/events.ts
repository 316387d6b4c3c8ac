import { type Static, type TObject, type TProperties, Type } from '@sinclair/typebox';
import { HelpEndReasonSchema } from '../supervision/help-requests.js';
import { FlagReasonSchema } from '../supervision/caller-flags.js';

/**
 * Every entry of an interaction's timeline, one schema each. The same schemas validate what the store
 * writes, type the code that writes it, and document GET /api/interactions/:id.
 */
const event = <T extends string, P extends TProperties>(type: T, payload: P, description: string) =>
  Type.Object(
    { type: Type.Literal(type), payload: Type.Object(payload, { additionalProperties: false }) },
    { description },
  );

/**
 * A named supervisor (config `supervisors`) as records, events and the API name them; `description` says in
 * what role. One schema for the timeline, the live stream and the API.
 */
export const supervisorRef = (description = 'A named supervisor (config `supervisors`)') =>
  Type.Object({ id: Type.String({ minLength: 1 }), name: Type.String() }, { description });

/** A supervisor's "I'm on it" on a queue's alert or an agent's overstay (src/supervision/taken-on.ts). */
export const takenOnBody = (description: string) =>
  Type.Object(
    {
      at: Type.String({ format: 'date-time' }),
      by: Type.Optional(supervisorRef('Who took it on; absent on the supervisor token')),
    },
    { description },
  );

/**
 * Who asked for (or cancelled) a callback: the agent, or a supervisor (null: on the shared token), by hand; or
 * the queue, for a caller who gave up after waiting `waitedSeconds` (its `abandonedCallback`); or an outbound
 * campaign, for one of its contacts.
 */
export const CallbackRequester = Type.Union([
  Type.Object({ agentId: Type.String() }),
  Type.Object({ supervisor: Type.Union([supervisorRef(), Type.Null()]) }),
  Type.Object({ abandoned: Type.Object({ waitedSeconds: Type.Number({ minimum: 0 }) }) }),
  Type.Object({ campaign: Type.Object({ id: Type.String(), name: Type.String() }) }),
]);

/** Who a channel in the call's bridge is, as the timeline names them. */
export const ConferenceMember = Type.Object(
  {
    who: Type.Union([
      Type.Literal('customer'),
      Type.Literal('agent'),
      Type.Literal('party'),
      Type.Literal('supervisor'),
      Type.Literal('other'),
    ]),
    /** The agent's id, the party's number or queue, the supervisor's id (absent for the customer). */
    id: Type.Optional(Type.String()),
    channelId: Type.String(),
  },
  { additionalProperties: false },
);
export type ConferenceMember = Static<typeof ConferenceMember>;

/** The longest note an agent may hand on with a blind transfer. */
export const TRANSFER_NOTE_MAX = 500;

/** Who ended a call (its caller's leg): one schema for the timeline and the live stream. */
export const EndedBy = Type.Union([
  Type.Literal('caller'),
  Type.Literal('system'),
  Type.Literal('agent'),
  Type.Literal('asterisk'),
]);

/** What an agent's seat goes to once a call (and its wrap-up) is over. */
const AfterCall = Type.Union([
  Type.Object({ type: Type.Literal('available') }),
  Type.Object({ type: Type.Literal('not_ready'), reason: Type.String() }),
]);

/** A queue's widening in force for a caller (src/acd/widening.ts): the step and what it lets in. */
export const WideningFields = {
  step: Type.Integer({ minimum: 0, description: "The step's place in the queue's `widening` (0-based)" }),
  afterSeconds: Type.Integer({ minimum: 0, description: 'The wait in the queue it comes into force after' }),
  maxPenalty: Type.Optional(Type.Integer({ minimum: 0 })),
  lowerSkillsBy: Type.Optional(Type.Integer({ minimum: 1 })),
  dropSkills: Type.Optional(Type.Array(Type.String())),
};

export const InteractionEventSchemas = {
  opened: event(
    'interaction.opened',
    {
      direction: Type.String(),
      channelId: Type.Optional(Type.String()),
      trunk: Type.Optional(Type.String()),
      callerNumber: Type.Optional(Type.String()),
      callerNumberAsDelivered: Type.Optional(
        Type.String({
          description:
            'The number as the carrier sent it (or the agent typed it), when the numbering plan read `callerNumber` from it',
        }),
      ),
      callerName: Type.Optional(Type.String()),
      dialedNumber: Type.Optional(Type.String()),
    },
    'A contact began: a call arrived on a trunk, or an outbound call or callback was started.',
  ),
  answered: event('call.answered', { channelId: Type.String() }, 'The service answered the call.'),
  language: event(
    'call.language',
    { language: Type.String(), by: Type.Literal('route') },
    "The caller's language, set by the dialled number's route (`routes[].language`) before anything was played.",
  ),
  promptStarted: event(
    'ivr.prompt.started',
    { media: Type.Array(Type.String()), playbackId: Type.String() },
    'A prompt began playing to the caller.',
  ),
  promptFinished: event(
    'ivr.prompt.finished',
    {
      media: Type.Array(Type.String()),
      playbackId: Type.String(),
      outcome: Type.Union([Type.Literal('done'), Type.Literal('interrupted'), Type.Literal('failed')]),
    },
    'A prompt ended: played to the end, cut short by the caller hanging up, or failed.',
  ),
  hangup: event(
    'call.hangup',
    {
      channelId: Type.String(),
      by: EndedBy,
      cause: Type.Optional(Type.Integer()),
      causeText: Type.Optional(Type.String()),
      lineLost: Type.Optional(
        Type.Boolean({
          description:
            "Asterisk hung up the caller's line: it sent no audio for the trunk's media timeout (its far end gone without a BYE)",
        }),
      ),
    },
    'A leg of the call hung up, and who hung it up.',
  ),
  closed: event(
    'interaction.closed',
    {
      disposition: Type.String(),
      endedBy: EndedBy,
      durationSeconds: Type.Number(),
    },
    'The contact is over; its figures are final.',
  ),
  refused: event(
    'call.refused',
    {
      reason: Type.String(),
      lagMs: Type.Number(),
      ariRoundTripMs: Type.Optional(Type.Number()),
    },
    "The call was turned away before it was answered (SIP 503, congestion) because the system was overloaded: the service's event loop ran `lagMs` behind, past `admission.maxEventLoopLagMs`, or Asterisk took `ariRoundTripMs` to answer a request, past `admission.maxAriRoundTripMs`. Both readings are kept (`ariRoundTripMs` is missing on calls refused before it was measured).",
  ),
  blocked: event(
    'call.blocked',
    {
      blockId: Type.String(),
      number: Type.String({ description: "The number as blocked (the numbering plan's form)" }),
      reason: Type.String(),
      blockedBy: Type.Optional(supervisorRef('Who blocked it, when they signed in as themselves')),
    },
    'The call was turned away before it was answered (SIP 403, rejected): a supervisor blocked its number (`GET /api/blocked-numbers`).',
  ),
  unserved: event(
    'call.unserved',
    {
      reason: Type.String(),
      importedAt: Type.Number(),
      note: Type.Optional(Type.String()),
    },
    "The call reached Asterisk while the service was not connected to it, so Asterisk turned it away on its own (SIP 503) and kept a note, which the service put on record when it was back (`importedAt`, epoch ms). The interaction's time is when Asterisk turned the call away. `note` holds Asterisk's note as written when part of it could not be read.",
  ),
  lost: event(
    'interaction.lost',
    { reason: Type.String() },
    'The service found the call gone without seeing it end (Asterisk restarted, or the service did).',
  ),
  enqueued: event(
    'acd.enqueued',
    {
      queueId: Type.String(),
      position: Type.Integer(),
      priority: Type.Number(),
      estimatedWaitSeconds: Type.Union([Type.Number(), Type.Null()]),
      basePriority: Type.Optional(Type.Number()),
      skills: Type.Optional(Type.Record(Type.String(), Type.Integer())),
      queueEnteredAt: Type.Optional(
        Type.String({
          description: 'When the caller entered this queue (ISO 8601); before a restart if taken over',
        }),
      ),
      front: Type.Optional(
        Type.Boolean({ description: 'It holds the front of the line (an offer or its agent failed)' }),
      ),
      reservedFor: Type.Optional(
        Type.Object(
          { agentId: Type.String(), until: Type.String() },
          { description: "A caller to an agent's direct line: kept for that agent until then (ISO 8601)" },
        ),
      ),
    },
    'The caller joined a queue at this position and priority (effective, with the VIP and ageing bonuses; `basePriority` and `skills` as the route or IVR gave them, absent before 2026-12-01; `queueEnteredAt` and `front`, absent before 2026-12-02, and `reservedFor`, let a restart put the caller back the same way).',
  ),
  adopted: event(
    'call.adopted',
    {
      reason: Type.String(),
      queueId: Type.Optional(Type.String()),
      flowId: Type.Optional(Type.String()),
      flowVersion: Type.Optional(Type.String()),
      versionGone: Type.Optional(Type.String()),
      stepId: Type.Optional(Type.String()),
      stepGone: Type.Optional(Type.String()),
      recordingUnderWay: Type.Optional(Type.String()),
    },
    'The service restarted during the call and the new run took it over: a caller waiting in a queue (hearing hold music throughout) back in line by its first arrival (`queueId`), a conversation with an agent carried on as it was (`queueId`), or a caller in the IVR carrying on at the step it was on (`flowId`, `stepId`) in the version of the flow it was in (`flowVersion`; `versionGone` names that version when it could not be run any more and the current one took over; `stepGone` names a step edited out of the flow since, when the caller starts the flow again instead; `recordingUnderWay` names the message the caller was leaving, which goes on being recorded).',
  ),
  widened: event(
    'acd.widened',
    { queueId: Type.String(), ...WideningFields },
    "The caller had waited `afterSeconds` in the queue: its widening's next step came into force, and agents it names may take the call now (`maxPenalty`: members up to that penalty; `lowerSkillsBy`: every skill level needed lowered by that, to 1 at least; `dropSkills`: skills no longer needed), as the queue's `widening` says, earlier steps included.",
  ),
  offered: event(
    'acd.offered',
    {
      queueId: Type.String(),
      agentIds: Type.Array(Type.String()),
      ringTimeoutSeconds: Type.Number(),
      why: Type.Object({
        strategy: Type.String(),
        rule: Type.String(),
        considered: Type.Array(Type.Record(Type.String(), Type.Unknown())),
        lastAgent: Type.Optional(
          Type.Object({
            agentId: Type.String(),
            servedAt: Type.String({ description: 'When their last conversation began (ISO 8601)' }),
          }),
        ),
        reservedFor: Type.Optional(
          Type.Object(
            {
              agentId: Type.String(),
              until: Type.String({ description: 'Kept for this agent alone until then (ISO 8601)' }),
            },
            {
              description:
                "Offered to this agent alone, ahead of the strategy: the caller dialled the agent's direct line, or a personal callback is kept for them",
            },
          ),
        ),
        widening: Type.Optional(
          Type.Object(WideningFields, {
            description: "The queue's widening in force for the caller when offered (as in acd.widened)",
          }),
        ),
      }),
    },
    "The call was offered to these agents; `why` lists every candidate, its state and score, and the rule. `why.lastAgent` is set when the queue's last-agent routing offered the caller to the agent they last talked with, ahead of the strategy.",
  ),
  lastAgentAwaited: event(
    'acd.last_agent.awaited',
    {
      queueId: Type.String(),
      agentId: Type.String(),
      servedAt: Type.String({ description: 'When their last conversation began (ISO 8601)' }),
      until: Type.String({ description: 'The latest the caller waits for them (ISO 8601)' }),
    },
    "Other agents were free, but the queue's last-agent routing held the caller back for the agent they last talked with, who was on a call or in wrap-up, until `until` at the latest; then any agent may take the call.",
  ),
  offerCancelled: event(
    'acd.offer.cancelled',
    { agentId: Type.String(), reason: Type.String() },
    'An offer was withdrawn: answered elsewhere, caller left, rang out.',
  ),
  connected: event(
    'acd.connected',
    { queueId: Type.String(), agentId: Type.String(), waitSeconds: Type.Number(), bridgeId: Type.String() },
    'The agent answered; caller and agent are bridged.',
  ),
  agentAnnounced: event(
    'acd.agent.announced',
    {
      queueId: Type.String(),
      agentId: Type.String(),
      sounds: Type.Array(Type.String()),
      waitSeconds: Type.Optional(Type.Number()),
      outcome: Type.Union([Type.Literal('played'), Type.Literal('failed')]),
    },
    "The agent who answered heard the queue's `agentAnnouncement` (and the caller's wait, `waitSeconds`, with `agentAnnouncementWait`) before the caller was put through (`failed`: Asterisk could not play it, or its end went unseen, and the caller was put through without it).",
  ),
  rona: event(
    'acd.rona',
    { queueId: Type.String(), agentId: Type.String(), ringSeconds: Type.Number() },
    'Ring-no-answer: the agent did not answer in time and was set not ready (missed).',
  ),
  agentLost: event(
    'acd.agent.lost',
    { queueId: Type.String(), agentId: Type.String(), reason: Type.String() },
    "The agent's phone went silent mid-call (page closed, crash, network) and its leg was ended: the caller goes back to the front of the queue; the agent is set not ready (connection_lost).",
  ),
  agentUnreachable: event(
    'acd.agent.unreachable',
    { queueId: Type.Optional(Type.String()), agentId: Type.String(), reason: Type.String() },
    "A call could not ring the agent's phone at all (not registered, unreachable, refused by the device): the agent is set not ready (phone_unreachable). For a queue offer the caller is offered to the next agent; for a transfer, consultation or conference that called the agent in, that step fails. `queueId` is absent for a call that did not come from a queue.",
  ),
  requeued: event(
    'acd.requeued',
    {
      queueId: Type.String(),
      position: Type.Integer(),
      reason: Type.String(),
      agentId: Type.Optional(Type.String()),
    },
    'The call went back into the queue (at the front) after an offer failed.',
  ),
  abandoned: event(
    'acd.abandoned',
    {
      queueId: Type.String(),
      waitSeconds: Type.Number(),
      wasRinging: Type.Boolean(),
      noCallback: Type.Optional(
        Type.Union([Type.Literal('no_number'), Type.Literal('not_allowed'), Type.Literal('callback_open')], {
          description:
            'The queue calls back callers who give up (abandonedCallback) but not this one: its number is withheld, may not be called, or has a callback open already',
        }),
      ),
    },
    'The caller hung up while waiting for an agent (a queue that calls back callers who give up books it next: `acd.callback` requested by `abandoned`).',
  ),
  overflowed: event(
    'acd.overflowed',
    {
      fromQueueId: Type.String(),
      target: Type.Record(Type.String(), Type.Unknown()),
      reason: Type.String(),
      supervisor: Type.Optional(
        supervisorRef('Who moved the caller (moved), when they signed in as themselves'),
      ),
    },
    'The call left its queue for another destination (max wait, no agents, exit key, queue full, moved by a supervisor).',
  ),
  servedFirst: event(
    'acd.served_first',
    {
      queueId: Type.String(),
      supervisor: Type.Optional(supervisorRef('Who put the caller first, when they signed in as themselves')),
    },
    "A supervisor put the waiting caller first in its queue's line.",
  ),
  announced: event(
    'acd.announced',
    {
      queueId: Type.String(),
      position: Type.Integer(),
      estimatedWaitSeconds: Type.Union([Type.Number(), Type.Null()]),
      positionSaid: Type.Optional(Type.Boolean()),
      waitSaid: Type.Optional(Type.Boolean()),
      sounds: Type.Optional(Type.Array(Type.String())),
    },
    "The caller heard their position (`positionSaid`), estimated wait (`waitSaid`) and/or the queue's own `sounds`. Records older than those two fields said the position always and the wait when it was known.",
  ),
  callback: event(
    'acd.callback',
    {
      queueId: Type.String(),
      step: Type.Union([
        Type.Literal('requested'),
        Type.Literal('due'),
        Type.Literal('dialing'),
        Type.Literal('connected'),
        Type.Literal('retry-scheduled'),
        Type.Literal('restored'),
        Type.Literal('released'),
        Type.Literal('moved'),
        Type.Literal('closed'),
      ]),
      attempt: Type.Optional(Type.Integer()),
      agentId: Type.Optional(Type.String()),
      reason: Type.Optional(Type.String()),
      // What it takes to put the request back in line after a restart (on `requested`; absent before 2026-12-01).
      callerNumber: Type.Optional(Type.String()),
      priority: Type.Optional(Type.Number()),
      skills: Type.Optional(Type.Record(Type.String(), Type.Integer())),
      enqueuedAt: Type.Optional(Type.Number()),
      /** On `moved`: the queue it left (`queueId` is the one it went to). */
      fromQueueId: Type.Optional(Type.String()),
      /** On `retry-scheduled`: when the next attempt may start (epoch ms); on `moved`, when it waits until. */
      retryAt: Type.Optional(Type.Number()),
      /** On `dialing`: the caller ID the customer is shown (the outbound rules' `callerId`). */
      callerId: Type.Optional(Type.String()),
      /** On `requested`, for a callback scheduled for a later time: that time (epoch ms; also `retryAt`). */
      scheduledFor: Type.Optional(Type.Number()),
      /** On `requested`: a personal callback, kept for that agent until `until` (epoch ms). */
      reservedFor: Type.Optional(Type.Object({ agentId: Type.String(), until: Type.Number() })),
      /** On `requested`: who scheduled it by hand; on `closed`: who cancelled it; on `moved`: who moved it. */
      by: Type.Optional(CallbackRequester),
      /** On `requested`: what a scheduled callback is about. */
      note: Type.Optional(Type.String()),
    },
    'A step of a callback: requested (with the number to call, priority, skills and first arrival, so a restart of the service can put it back in its place; a callback scheduled for later also has `scheduledFor`, who asked and why, and whom it is kept for), due, dialing the customer, connected, retry scheduled, restored (the service restarted and put the request back in its queue, keeping its place and attempts), released (the agent a personal callback was kept for declined it, or is not in the queue it was moved to: any agent of the queue may take it), moved (a supervisor sent it to another queue, `fromQueueId` → `queueId`, keeping its place, time and attempts), closed (with who cancelled it, if a person did).',
  ),
  answeringMachine: event(
    'acd.answering-machine',
    {
      queueId: Type.String(),
      attempt: Type.Integer(),
      agentId: Type.String(),
      step: Type.Union([Type.Literal('listening'), Type.Literal('detected'), Type.Literal('message')]),
      /** On `detected`: who answered, as judged from how they talked. */
      verdict: Type.Optional(
        Type.Union([Type.Literal('human'), Type.Literal('machine'), Type.Literal('unsure')]),
      ),
      /** On `detected`: why, in words. */
      reason: Type.Optional(Type.String()),
      /** On `detected`: from the answer to the verdict, ms. */
      afterMs: Type.Optional(Type.Integer({ minimum: 0 })),
      /** On `detected`: what was done. */
      action: Type.Optional(
        Type.Union([Type.Literal('put_through'), Type.Literal('hung_up'), Type.Literal('leave_message')]),
      ),
      /** On `message`: how the message to the machine went. */
      outcome: Type.Optional(
        Type.Union([Type.Literal('played'), Type.Literal('failed'), Type.Literal('hung_up')]),
      ),
    },
    "An outbound campaign's call listened to before it reached its agent (the campaign's `answeringMachine`): listening (the customer's line answered; the agent hears hold music), detected (a person, an answering machine, or unsure, and why; a person or unsure is put through, a machine hung up on or left the campaign's message, the agent freed at once), then for a message how it went (played to its end, could not be played, or the machine hung up first).",
  ),
  callbackUnavailable: event(
    'acd.callback.unavailable',
    {
      queueId: Type.String(),
      reason: Type.Union([Type.Literal('no_number'), Type.Literal('not_allowed')]),
      keepsWaiting: Type.Boolean(),
    },
    "The queue would have offered a callback (exit key, max wait, queue full, no agents) but the caller's number cannot be called back: withheld (`no_number`) or barred by the outbound rules (`not_allowed`). The caller heard so and kept their place in line (`keepsWaiting`), or, never in line, left with an apology.",
  ),
  wrapUpEnded: event(
    'acd.wrapup.ended',
    { agentId: Type.String(), wrapSeconds: Type.Number() },
    "The agent's wrap-up after the call ended; its length is the interaction's wrap seconds.",
  ),
  recording: event(
    'recording.started',
    { name: Type.String(), path: Type.String(), unconfirmed: Type.Optional(Type.Boolean()) },
    'Recording of the conversation began (caller and agent, mixed); `unconfirmed` when Asterisk did not answer the request in time (the file is linked in case it runs).',
  ),
  recordingPaused: event(
    'recording.paused',
    { agentId: Type.String() },
    "The agent (or a supervisor for them) paused the recording, e.g. while the caller gives card details: silence is recorded until it is resumed, so the file keeps the call's timing.",
  ),
  recordingResumed: event(
    'recording.resumed',
    {
      agentId: Type.String(),
      pausedSeconds: Type.Number(),
      reason: Type.Optional(Type.Literal('handed_over')),
    },
    'The recording was resumed after `pausedSeconds` of silence: by the agent (or a supervisor for them), or by itself as the agent handed the call on (`handed_over`: whoever has it next did not pause it).',
  ),
  recordingDeleted: event(
    'recording.deleted',
    {
      path: Type.String(),
      reason: Type.Union([Type.Literal('retention'), Type.Literal('erasure')]),
      retentionDays: Type.Optional(
        Type.Integer({ description: 'The policy it was deleted under (retention)' }),
      ),
    },
    "The call's recording was deleted: by the retention policy (retention.recordingsDays, or retention.personalDataDays with the rest of the customer's data), or when the customer's data was erased at their request (see interaction.erased); the record of the call stays.",
  ),
  erased: event(
    'interaction.erased',
    {
      reason: Type.String({
        description: "Why: as the supervisor gave it (e.g. the request's reference), or the retention policy",
      }),
      supervisor: Type.Optional(supervisorRef('Who erased it, when they signed in as themselves')),
      retentionDays: Type.Optional(
        Type.Integer({
          description: 'Erased by the retention policy (retention.personalDataDays), not a request',
        }),
      ),
    },
    "The customer's personal data was erased from this call, at their request (POST /api/customers/erasures) or once kept as long as the retention policy allows (retention.personalDataDays): their number, name, the data they gave, the notes on the call and its recording; every entry of this timeline that held any of it says [erased] instead. What the call was (queue, agent, times, outcome) stays.",
  ),
  error: event(
    'call.error',
    { operation: Type.String(), code: Type.String(), message: Type.String() },
    'A call-control step failed; what the service did about it follows in the timeline.',
  ),
  ivrStarted: event(
    'ivr.started',
    { flowId: Type.String(), flowVersion: Type.String() },
    'The call entered its entry flow (this version of it), once answered.',
  ),
  ivrStep: event(
    'ivr.step',
    {
      flowId: Type.String(),
      flowVersion: Type.String(),
      stepId: Type.String(),
      kind: Type.String(),
      outcome: Type.String(),
      next: Type.Optional(Type.String()),
      detail: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      skills: Type.Optional(Type.Record(Type.String(), Type.Number())),
      durationMs: Type.Number(),
    },
    "One IVR step ran: what it was, how it ended (option, timeout, fallback, error…) and where the call went next; `skills` when the step changed the routing skills (the caller data it gathered is the interaction's `callerData`).",
  ),
  ivrEnd: event(
    'ivr.end',
    {
      flowId: Type.String(),
      flowVersion: Type.String(),
      action: Type.Record(Type.String(), Type.Unknown()),
      path: Type.Array(Type.String()),
    },
    'The IVR flow ended with this final action (queue, voicemail, callback, transfer, survey, hang-up).',
  ),
  messageRecording: event(
    'ivr.recording.started',
    {
      /** Asterisk's name for it: the file is `<recordingName>.<format>` in the recordings directory. */
      recordingName: Type.String(),
      format: Type.String(),
    },
    'The caller is about to leave a message (a voicemail step): a restart of the service finds it by this name.',
  ),
  voicemail: event(
    'voicemail.recorded',
    {
      recordingId: Type.String(),
      path: Type.String(),
      durationMs: Type.Number(),
      endedBy: Type.Optional(Type.String()),
      mailbox: Type.Optional(Type.String()),
      /** On the call: the voicemail interaction opened for it. */
      voicemailInteractionId: Type.Optional(Type.String()),
      /** On the voicemail: the call it was left on. */
      callInteractionId: Type.Optional(Type.String()),
    },
    'The caller left a message; it is stored and linked to a voicemail interaction for an agent to work.',
  ),
  voicemailWorked: event(
    'voicemail.worked',
    {
      /** The agent who worked it (absent: closed by a supervisor). */
      agentId: Type.Optional(Type.String()),
      code: Type.String(),
      notes: Type.Optional(Type.String()),
    },
    'An agent (or a supervisor) worked the message: it is closed with a disposition code and notes.',
  ),
  survey: event(
    'survey.result',
    { flowId: Type.String(), score: Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()]) },
    'The caller rated the call (CSAT 1–5), or gave no answer (null).',
  ),
  transfer: event(
    'ivr.transfer',
    {
      number: Type.String(),
      step: Type.Union([
        Type.Literal('dialing'),
        Type.Literal('connected'),
        Type.Literal('failed'),
        Type.Literal('ended'),
      ]),
      channelId: Type.Optional(Type.String()),
      bridgeId: Type.Optional(Type.String()),
      reason: Type.Optional(Type.String()),
      /** With `dialing`: how long the far end may ring (a restarted service waits the time left). */
      ringSeconds: Type.Optional(Type.Number()),
    },
    'A transfer out of the IVR: dialing the number on the carrier trunk, connected (bridged), failed or ended.',
  ),
  // ---- the agent seat (src/calls/seat): call control asked for by the agent's page
  afterCall: event(
    'agent.after-call',
    {
      agentId: Type.String(),
      after: AfterCall,
    },
    'During the call the agent chose what follows it: not ready with a reason, or ready (a restart keeps it).',
  ),
  held: event(
    'call.held',
    { agentId: Type.String(), bridgeId: Type.String() },
    'The agent put the caller on hold: the agent left the bridge and the caller hears music on hold.',
  ),
  resumed: event(
    'call.resumed',
    {
      agentId: Type.String(),
      heldSeconds: Type.Number(),
      totalHoldSeconds: Type.Number(),
      endedOnHold: Type.Optional(Type.Boolean()),
      handedOver: Type.Optional(Type.Boolean()),
    },
    'The agent took the caller off hold (or the call ended while on hold: endedOnHold; or the agent gave the call away on hold, by a transfer or by leaving a conference: handedOver); hold time accumulates in hold_seconds.',
  ),
  seatTransfer: event(
    'call.transferred',
    {
      agentId: Type.String(),
      kind: Type.Union([Type.Literal('blind'), Type.Literal('consult')]),
      target: Type.Object({ type: Type.String(), id: Type.String() }),
      step: Type.Union([
        Type.Literal('requested'),
        Type.Literal('dialing'),
        Type.Literal('connected'),
        Type.Literal('completed'),
        Type.Literal('cancelled'),
        Type.Literal('failed'),
      ]),
      reason: Type.Optional(Type.String()),
      channelId: Type.Optional(Type.String()),
      note: Type.Optional(
        Type.String({
          maxLength: TRANSFER_NOTE_MAX,
          description:
            "The transferring agent's words for whoever takes the call next (on their caller's card as it rings)",
        }),
      ),
    },
    'A transfer the agent asked for: to another agent, a queue or a number; each step of it.',
  ),
  outbound: event(
    'call.outbound',
    {
      agentId: Type.String(),
      number: Type.String(),
      step: Type.Union([
        Type.Literal('requested'),
        Type.Literal('agent-answered'),
        Type.Literal('dialing'),
        Type.Literal('connected'),
        Type.Literal('failed'),
        Type.Literal('cancelled'),
      ]),
      /** How the agent placed it: click-to-dial on the page, or dialled on their own phone. */
      via: Type.Optional(Type.Union([Type.Literal('page'), Type.Literal('phone')])),
      callerId: Type.Optional(Type.String()),
      channelId: Type.Optional(Type.String()),
      reason: Type.Optional(Type.String()),
      /** With `requested`: what the seat goes to after the call, as it was when the agent placed it. */
      after: Type.Optional(AfterCall),
      /** With `dialing`: how long the customer is rung (seconds). */
      ringSeconds: Type.Optional(Type.Number()),
      /** With `dialing`: the ringback the agent hears meanwhile (absent if none could be played). */
      ringbackId: Type.Optional(Type.String()),
    },
    'A call the agent placed (click-to-dial, or dialled on their own phone): their phone rang and answered, the customer was dialled on the trunk (with this caller ID), connected, or did not answer.',
  ),
  conference: event(
    'call.conference',
    {
      agentId: Type.String(),
      party: Type.Object({ type: Type.String(), id: Type.String() }),
      step: Type.Union([
        Type.Literal('dialing'),
        Type.Literal('joined'),
        Type.Literal('failed'),
        Type.Literal('dropped'),
        Type.Literal('left'),
      ]),
      channelId: Type.Optional(Type.String()),
      reason: Type.Optional(Type.String()),
    },
    'A 3-way conference: a party dialled into the call, joined, failed, was dropped by the agent or hung up; or the agent left the other two talking.',
  ),
  rejoined: event(
    'call.rejoined',
    {
      agentId: Type.String(),
      step: Type.Union([Type.Literal('ringing'), Type.Literal('rejoined'), Type.Literal('gave-up')]),
      channelId: Type.Optional(Type.String()),
      reason: Type.Optional(Type.String()),
    },
    "The agent's page reloaded mid-call: their phone was rung again (the caller stays bridged on their old leg meanwhile) and rejoined; or the ring was given up (`reason`: not answered, could not be rung, or the service restarted while it rang).",
  ),
  audioRestored: event(
    'call.audio-restored',
    {
      during: Type.Union([Type.Literal('conference'), Type.Literal('barge')], {
        description: 'What made the call a conference: a party joining it, or a supervisor barging in',
      }),
      agentId: Type.Optional(
        Type.String({ description: 'The agent who added the party, or whose call it is' }),
      ),
      restored: Type.Array(ConferenceMember, {
        description: 'Members Asterisk had stopped sending audio to, put back in the bridge',
      }),
      stillSilent: Type.Array(ConferenceMember, {
        description: 'Members still sent nothing after the last try (left as they are)',
      }),
    },
    "Once a third party joined the call, Asterisk stopped sending audio to a member (they heard nothing for about a second); the service took them out of the call's bridge and put them back, which gives them their audio again.",
  ),
  monitor: event(
    'supervisor.monitor',
    {
      monitorId: Type.String(),
      /** The agent whose call is monitored. */
      agentId: Type.String(),
      phone: Type.Object({ type: Type.String(), id: Type.String() }),
      mode: Type.Union([Type.Literal('listen'), Type.Literal('whisper'), Type.Literal('barge')]),
      step: Type.Union([
        Type.Literal('ringing'),
        Type.Literal('active'),
        Type.Literal('mode'),
        Type.Literal('ended'),
      ]),
      reason: Type.Optional(Type.String()),
      /** Who monitors, when they signed in as themselves (absent: on the supervisor token). */
      supervisor: Type.Optional(supervisorRef('Who monitors, when they signed in as themselves')),
    },
    "A supervisor monitoring the agent's call: their phone rang, they were connected (listening, whispering to the agent, or barged in, heard by both), changed mode, or the monitoring ended.",
  ),
  help: event(
    'agent.help',
    {
      agentId: Type.String(),
      helpId: Type.String(),
      step: Type.Union([
        Type.Literal('asked'),
        Type.Literal('taken'),
        Type.Literal('unanswered'),
        Type.Literal('ended'),
      ]),
      note: Type.Optional(Type.String({ description: 'What the agent said they need (asked)' })),
      reason: Type.Optional(Type.Union(HelpEndReasonSchema.anyOf, { description: 'Why it ended (ended)' })),
      supervisor: Type.Optional(
        supervisorRef('Who took it on or saw to it, when they signed in as themselves'),
      ),
    },
    "The agent on this call asked a supervisor for help, a supervisor took the request on, nobody had within the site's helpUnansweredSeconds (unanswered), or it ended (withdrawn by the agent, resolved by a supervisor, the agent logged out).",
  ),
  callerFlag: event(
    'caller.flag',
    {
      flagId: Type.String(),
      agentId: Type.String({ description: 'The agent who flagged the caller' }),
      step: Type.Union([Type.Literal('raised'), Type.Literal('blocked'), Type.Literal('dismissed')]),
      reason: Type.Optional(Type.Union(FlagReasonSchema.anyOf, { description: 'Why (raised)' })),
      note: Type.Optional(Type.String({ description: "The agent's words (raised)" })),
      blockId: Type.Optional(Type.String({ description: 'The block made of it (blocked)' })),
      supervisor: Type.Optional(supervisorRef('Who decided, when they signed in as themselves')),
    },
    "An agent flagged this call's caller for a supervisor to block (abusive, spam, a prank), and what a supervisor decided: the number blocked, or the flag dismissed.",
  ),
  doNotCall: event(
    'customer.do_not_call',
    {
      entryId: Type.String(),
      step: Type.Union([Type.Literal('added'), Type.Literal('removed')]),
      agentId: Type.Optional(Type.String({ description: 'The agent who noted it on this call (added)' })),
      note: Type.Optional(Type.String({ description: "The agent's words (added)" })),
      supervisor: Type.Optional(supervisorRef('The supervisor, when they signed in as themselves')),
    },
    'The customer on this call asked not to be called: their number went on the do-not-call list (no calls out, no callbacks to it), and when it was removed (they asked to be called again).',
  ),
  wrapUp: event(
    'wrapup.saved',
    { agentId: Type.String(), code: Type.String(), notes: Type.Optional(Type.String()) },
    "The agent's wrap-up of the call: a disposition code and notes.",
  ),
} satisfies Record<string, TObject>;

export const InteractionEventSchema = Type.Union(Object.values(InteractionEventSchemas));
export type InteractionEvent = Static<typeof InteractionEventSchema>;
/** Every timeline event type, as webhooks name them. */
export const INTERACTION_EVENT_TYPES: readonly string[] = Object.values(InteractionEventSchemas).map(
  (schema) => schema.properties.type.const,
);
export type InteractionEventType = InteractionEvent['type'];
export type EndedBy = Static<typeof EndedBy>;

export type Disposition =
  | 'completed' // the service finished with the caller and hung up
  | 'caller-hangup' // the caller hung up before the service was done
  | 'abandoned' // the caller hung up while waiting for an agent
  | 'handled' // an agent talked to the caller
  | 'rejected' // refused before it began
  | 'lost' // gone without a hang-up being seen
  | 'callback-requested' // the caller left a callback request in the queue and hung up
  | 'failed' // the service could not carry the call
  | 'voicemail' // a message left in the IVR, waiting for an agent (direction 'voicemail')
  | 'no-answer'; // an outbound call whose customer never answered (busy, no answer, unreachable)
