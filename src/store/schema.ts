import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AdminAction } from '../supervision/admin-changes.js';
import type { HelpEndReason } from '../supervision/help-requests.js';
import type { FlagReason } from '../supervision/caller-flags.js';
import type { QueueAlertKind } from '../acd/alerts.js';
import type { AnsweringMachineAction } from '../acd/machine-detection.js';
import type { AgentStateType } from '../agents/seat.js';

/** Table types for kysely: a query naming a missing column or the wrong type does not compile. */
export interface InteractionsTable {
  id: string;
  /**
   * callback: a callback's conversation (its parent the call that asked), or a callback asked for outside any
   * call (a web form, a CRM, a list; POST /api/callbacks): no parent, closed as `callback-requested`.
   */
  direction: 'inbound' | 'outbound' | 'callback' | 'voicemail';
  state: 'open' | 'closed';
  channel_id: string | null;
  trunk: string | null;
  caller_number: string | null;
  caller_name: string | null;
  dialed_number: string | null;
  /** Epoch milliseconds. */
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  /** The interaction this one continues (a callback's conversation points at the call that asked for it). */
  parent_id?: string | null;
  enqueued_at: number | null;
  connected_at: number | null;
  /** JSON array of IVR step ids. */
  ivr_path: Generated<string>;
  queue_id: string | null;
  agent_id: string | null;
  wait_seconds: number | null;
  talk_seconds: number | null;
  hold_seconds: number | null;
  wrap_seconds: number | null;
  disposition: string | null;
  abandoned: Generated<0 | 1>;
  ended_by: string | null;
  hangup_cause: string | null;
  recording_path: string | null;
  csat: number | null;
  /** JSON object: data the caller gave (shown in the agent's screen pop). */
  caller_data: Generated<string>;
  notes: string | null;
  /** The agent's wrap-up disposition code (see GET /api/wrap-up-codes). */
  wrap_up_code?: string | null;
}

export interface InteractionEventsTable {
  seq: Generated<number>;
  interaction_id: string;
  at: number;
  type: string;
  /** JSON object. */
  payload: string;
}

/** Real-time adherence's exceptions: a seat off its roster past the grace period (migration 2026-12-07T1100). */
export interface AdherenceExceptionsTable {
  id: Generated<number>;
  agent_id: string;
  shift_id: string;
  /** What the roster planned: 'working' or 'break'. */
  activity: 'working' | 'break';
  /** The break's label. */
  label: string | null;
  /** When the seat stopped keeping to the roster. */
  began_at: number;
  /** When supervisors were told (the grace period after began_at). */
  told_at: number;
  /** The seat as last told while off the roster. */
  agent_state: AgentStateType;
  /** When it kept to the roster again (null: still off it). */
  ended_at: number | null;
  /** The seat then. */
  ended_state: AgentStateType | null;
}

/** An agent's queue memberships as changed through the API (migration 2026-12-02T1500). */
export interface AgentMembershipsTable {
  agent_id: string;
  /** JSON QueueMembership[], validated before it is written. */
  queues: string;
  updated_at: number;
}

/** Agents' skills set through the API (migration 2026-12-05T2000). */
export interface AgentSkillsTable {
  agent_id: string;
  /** JSON SkillMap, validated before it is written. */
  skills: string;
  updated_at: number;
}

/** Each agent's sign-out count, which their API tokens are signed with (migration 2026-12-02T2100). */
export interface AgentSignOutsTable {
  agent_id: string;
  generation: number;
  signed_out_at: number;
}

export interface QueuesTable {
  id: string;
  /** JSON QueueDefinition, validated before it is written. */
  definition: string;
  /** 'config' when the config file defines it, 'api' when created or edited through the API. */
  source: 'config' | 'api';
  updated_at: number;
}

export interface AgentEventsTable {
  seq: Generated<number>;
  agent_id: string;
  at: number;
  from_state: string;
  to_state: string;
  reason: string | null;
  interaction_id: string | null;
  /** Into wrap-up: when it was due to end (migration 2026-12-02T2200); null for every other change. */
  until: number | null;
  /** `supervisor`: a supervisor made the change for the agent (migration 2026-12-04T0900); else null. */
  changed_by: 'supervisor' | null;
  /** The supervisor's id when they signed in as themselves (migration 2026-12-04T1200); else null. */
  changed_by_supervisor: string | null;
}

/** One row per run of the service (epoch ms). */
export interface ServiceRunsTable {
  id: string;
  started_at: number;
  /** Last heartbeat of the run. */
  alive_at: number;
  /** Set when the run stopped cleanly. */
  stopped_at: number | null;
}

/** A call's stay in one queue (an overflow makes a second one, in the next queue). Epoch ms. */
export interface QueueVisitsTable {
  id: Generated<number>;
  interaction_id: string;
  queue_id: string;
  entered_at: number;
  answered_at: number | null;
  left_at: number | null;
  /** How the stay ended; null while the caller is still in the queue. */
  outcome: 'answered' | 'abandoned' | 'flowed_out' | 'callback' | null;
  /** The agent who answered it (migration 2026-12-03T0900; null before, and while unanswered). */
  agent_id: string | null;
  /**
   * That agent's part of the call, in seconds: talk from the answer until they left it (hung up, sent the
   * caller on), the hold within it, and their wrap-up. Null until each is known, and on older stays.
   */
  talk_seconds: number | null;
  hold_seconds: number | null;
  wrap_seconds: number | null;
}

/**
 * An agent's part of a call they handed straight to a colleague, when no queue stay keeps it (migration
 * 2026-12-03T1900): from when they answered (or the colleague before them left, if later) until they let go.
 */
export interface AgentCallPartsTable {
  id: Generated<number>;
  interaction_id: string;
  agent_id: string;
  answered_at: number;
  left_at: number;
  /** Seconds from `answered_at` to `left_at`, holds included (as a queue stay's talk). */
  talk_seconds: number;
  hold_seconds: number;
}

/** Caller directory for the agent's screen pop. */
export interface ContactsTable {
  number: string;
  name: string;
  notes: string | null;
  updated_at: number;
}

export interface Database {
  interactions: InteractionsTable;
  interaction_events: InteractionEventsTable;
  adherence_exceptions: AdherenceExceptionsTable;
  queues: QueuesTable;
  agent_events: AgentEventsTable;
  contacts: ContactsTable;
  queue_alerts: QueueAlertsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_queue_filters: WebhookQueueFiltersTable;
  service_runs: ServiceRunsTable;
  queue_visits: QueueVisitsTable;
  agent_call_parts: AgentCallPartsTable;
  /** Filled by a trigger on interaction_events (migration 2026-12-02T0100): never written by the service. */
  interaction_agents: InteractionAgentsTable;
  flow_versions: FlowVersionsTable;
  agent_memberships: AgentMembershipsTable;
  agent_skills: AgentSkillsTable;
  agent_sign_outs: AgentSignOutsTable;
  flow_type_checks: FlowTypeChecksTable;
  admin_changes: AdminChangesTable;
  switches: SwitchesTable;
  help_requests: HelpRequestsTable;
  agent_messages: AgentMessagesTable;
  agent_message_reads: AgentMessageReadsTable;
  agent_message_replies: AgentMessageRepliesTable;
  blocked_numbers: BlockedNumbersTable;
  caller_flags: CallerFlagsTable;
  do_not_call: DoNotCallTable;
  evaluations: EvaluationsTable;
  shifts: ShiftsTable;
  shift_breaks: ShiftBreaksTable;
  campaigns: CampaignsTable;
  campaign_contacts: CampaignContactsTable;
  sign_in_locks: SignInLocksTable;
  break_overstays: BreakOverstaysTable;
  wall_displays: WallDisplaysTable;
}

/** Wall displays made and withdrawn (migration 2026-12-07T1500); those not withdrawn stand. */
export interface WallDisplaysTable {
  display_id: string;
  name: string;
  created_at: number;
  /** The supervisor who made it; null on the supervisor token. */
  created_by: string | null;
  /** The queues it shows, a JSON array of ids; null: every queue. */
  queue_ids: string | null;
  withdrawn_at: number | null;
  /** The supervisor who withdrew it; null on the supervisor token (or standing). */
  withdrawn_by: string | null;
}

/** Each switch's state as last set (migration 2026-12-04T1400); a switch with no row is off. */
export interface SwitchesTable {
  id: string;
  /** 1 on, 0 off. */
  on: number;
  changed_at: number;
  /** The supervisor who set it; null on the supervisor token. */
  changed_by_supervisor: string | null;
}

/** Which timeline event types each configured webhook wants (written from the config at start). */
/** The queues a webhook is limited to (config `webhooks[].queues`; no row: every queue). */
export interface WebhookQueueFiltersTable {
  webhook_id: string;
  queue_id: string;
}

export interface WebhookSubscriptionsTable {
  type: string;
  webhook_id: string;
}

/** The webhooks' outbox and each delivery's state (migration 2026-12-05T1200; a trigger writes it). */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: string;
  /** A timeline event's seq (interaction_events.seq) and interaction; null for a queue alert's. */
  event_seq: number | null;
  interaction_id: string | null;
  /** A queue alert's id (queue_alerts.id), for queue.alert.raised / cleared; null for a timeline event's. */
  queue_alert_id: number | null;
  /** An agent state change's agent_events.seq, for agent.state.changed (migration 2026-12-05T1400). */
  agent_event_seq: number | null;
  /** An agent's request for help (help_requests.id), for agent.help.* (migration 2026-12-05T1700). */
  help_request_id: string | null;
  /** A not ready past its limit (break_overstays.id), for agent.overstay.* (migration 2026-12-06T0000). */
  overstay_id: string | null;
  type: string;
  /** When the event happened (epoch ms). */
  at: number;
  /** JSON: the event's payload (a queue alert's: the alert as it stood). */
  payload: string;
  /** JSON: the interaction's row as it stood when the event was written; null for a queue alert's. */
  interaction: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Generated<number>;
  /** When a pending delivery is next tried; null once delivered or failed. */
  next_attempt_at: number | null;
  created_at: number;
  last_attempt_at: number | null;
  /** The HTTP status of the last attempt; null when it got no answer. */
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
}

/** Queue alerts as they stood (migration 2026-12-05T1000). */
export interface QueueAlertsTable {
  id: Generated<number>;
  queue_id: string;
  kind: QueueAlertKind;
  raised_at: number;
  /** Null while it stands. */
  cleared_at: number | null;
  value: number;
  threshold: number;
  message: string;
  /** When a supervisor took it on (migration 2026-12-05T1500); null: nobody has. */
  acknowledged_at: number | null;
  /** Who: the supervisor's id; null on the supervisor token (or nobody). */
  acknowledged_by: string | null;
}

/** Who took in each message ("Got it"), the first time (migration 2026-12-06T0100). */
export interface AgentMessageReadsTable {
  message_id: string;
  agent_id: string;
  read_at: number;
}

/** Agents' replies to a message, each kept (migration 2026-12-06T0200). */
export interface AgentMessageRepliesTable {
  id: Generated<number>;
  message_id: string;
  agent_id: string;
  text: string;
  replied_at: number;
}

/** Supervisors' messages to agents (migration 2026-12-05T1800). */
export interface AgentMessagesTable {
  id: string;
  text: string;
  target_type: 'all' | 'queue' | 'agent';
  /** The queue's or the agent's id; null for everyone. */
  target_id: string | null;
  sent_at: number;
  /** The supervisor's id; null on the supervisor token. */
  sent_by: string | null;
  expires_at: number;
  withdrawn_at: number | null;
  withdrawn_by: string | null;
}

/** Numbers supervisors blocked (migration 2026-12-05T1900). */
export interface BlockedNumbersTable {
  id: string;
  number: string;
  reason: string;
  blocked_at: number;
  /** The supervisor's id; null on the supervisor token. */
  blocked_by: string | null;
  /** When it runs out; null: until lifted. */
  until: number | null;
  lifted_at: number | null;
  lifted_by: string | null;
  turned_away: Generated<number>;
  last_turned_away_at: number | null;
}

/** Sign-ins locked after wrong passwords, and their lifting (migration 2026-12-06T0700). */
export interface SignInLocksTable {
  seq: Generated<number>;
  /** `<account key>@<address>`, or `*@<address>` for a whole address. */
  lock_id: string;
  /** The account as JSON (`{"type":"agent","agentId":…}`…); `null` (JSON) for a whole address. */
  account: string;
  address: string;
  failures: number;
  strike: number;
  /** Where the last wrong password came in: api or sip. */
  channel: string;
  locked_at: number;
  until: number;
  lifted_at: number | null;
  /** The supervisor who lifted it; null on the supervisor token (or not lifted). */
  lifted_by: string | null;
}

/** Quality evaluations (migration 2026-12-06T0800): a supervisor's score of an agent on a call. */
export interface EvaluationsTable {
  id: string;
  interaction_id: string;
  agent_id: string;
  form_id: string;
  form_name: string;
  pass_mark: number;
  /** JSON AnsweredQuestion[]: the form's questions as asked, with their answers. */
  answers: string;
  score: number;
  /** 1 passed, 0 not. */
  passed: number;
  /** JSON string[]: the critical questions answered "no". */
  critical_failed: string;
  comment: string | null;
  at: number;
  /** The supervisor who scored it; null on the supervisor token. */
  by_supervisor: string | null;
  acknowledged_at: number | null;
  reply: string | null;
  withdrawn_at: number | null;
  withdrawn_by: string | null;
}

/** Customers who asked not to be called (migration 2026-12-06T0600). */
export interface DoNotCallTable {
  id: string;
  number: string;
  note: string | null;
  added_at: number;
  /** The agent who noted it on the customer's call; null when a supervisor added it. */
  added_by_agent: string | null;
  /** The supervisor who added it; null for an agent's, or on the supervisor token. */
  added_by_supervisor: string | null;
  interaction_id: string | null;
  removed_at: number | null;
  /** The supervisor who removed it; null on the supervisor token (or while it stands). */
  removed_by: string | null;
}

/** Not-ready periods past their reason's limit, with the limit that applied (migration 2026-12-06T0000). */
export interface BreakOverstaysTable {
  id: string;
  agent_id: string;
  reason: string;
  limit_minutes: number;
  not_ready_since: number;
  due_at: number;
  ended_at: number | null;
  /** The seat state the agent went to, or service_restarted; null while it stands. */
  ended_to: string | null;
  /** When a supervisor took it on (migration 2026-12-06T0300); null: nobody has. */
  acknowledged_at: number | null;
  /** Who: the supervisor's id; null on the supervisor token (or nobody). */
  acknowledged_by: string | null;
}

/** Agents' flags on callers for a supervisor to block, and each decision (migration 2026-12-06T0400). */
export interface CallerFlagsTable {
  id: string;
  number: string;
  interaction_id: string;
  agent_id: string;
  reason: FlagReason;
  note: string | null;
  flagged_at: number;
  decided_at: number | null;
  decision: 'blocked' | 'dismissed' | null;
  /** The supervisor's id; null on the supervisor token (or not decided). */
  decided_by: string | null;
  /** The block that settled it (blocked). */
  block_id: string | null;
}

/** Agents' requests for a supervisor's help (migration 2026-12-05T1600). */
export interface HelpRequestsTable {
  id: string;
  agent_id: string;
  interaction_id: string | null;
  note: string | null;
  asked_at: number;
  taken_at: number | null;
  /** The supervisor's id; null on the supervisor token (or nobody yet). */
  taken_by: string | null;
  ended_at: number | null;
  end_reason: HelpEndReason | null;
  /** The supervisor who resolved it; null otherwise. */
  ended_by: string | null;
  /** When it was said unanswered (nobody had taken it on in time); null otherwise. */
  unanswered_at: number | null;
}

/** Supervisors' changes to how the contact center runs (migration 2026-12-04T1300). */
export interface AdminChangesTable {
  seq: Generated<number>;
  at: number;
  /** The supervisor who made it; null on the supervisor token (nobody in particular). */
  supervisor_id: string | null;
  action: AdminAction;
  subject: string;
  /** JSON of what it was before / is after; null when there was or is nothing. */
  before: string | null;
  after: string | null;
}

/** A flow source that passed the type check against one flow API (migration 2026-12-03T1000). */
export interface FlowTypeChecksTable {
  /** sha256 (hex) of the flow file's text. */
  source_sha256: string;
  /** The flow API, compiler and options it was checked against (`FlowTypeChecker.apiFingerprint`). */
  api_fingerprint: string;
  checked_at: number;
}

/** One row per IVR flow version that went live from its file (migration 2026-12-02T1000). */
export interface FlowVersionsTable {
  /** File name inside the flows directory. */
  file: string;
  /** Content hash of `source` (the `flowVersion` calls record). */
  version: string;
  flow_id: string;
  source: string;
  first_loaded_at: number;
  /** Last time this version went live from its file (a revert to it moves this forward). */
  last_loaded_at: number;
}

/** One row per agent who took part in an interaction (named anywhere on its timeline, or its last agent). */
export interface InteractionAgentsTable {
  interaction_id: string;
  agent_id: string;
}

export type InteractionRow = Selectable<InteractionsTable>;
export type NewInteractionRow = Insertable<InteractionsTable>;
export type InteractionPatch = Updateable<InteractionsTable>;
export type InteractionEventRow = Selectable<InteractionEventsTable>;

/** Outbound campaigns (migration 2026-12-06T1000). */
export interface CampaignsTable {
  id: string;
  name: string;
  queue_id: string;
  status: 'running' | 'paused' | 'stopped';
  created_at: number;
  /** The supervisor who made it; null on the supervisor token. */
  created_by: string | null;
  changed_at: number;
  /** When its last contact was accounted for (or it stopped). */
  finished_at: number | null;
  /** What its agents say on each call (migration 2026-12-06T1400); null: none. */
  script: string | null;
  /** What it does when an answering machine answers (migration 2026-12-07T1000). */
  answering_machine: Generated<AnsweringMachineAction>;
  /** On 'leave_message': the sounds of the message, a JSON array of sound names; else null. */
  machine_message: string | null;
}

/** A campaign's customers, in the order they are called. */
export interface CampaignContactsTable {
  campaign_id: string;
  seq: number;
  number: string;
  name: string | null;
  note: string | null;
  state: 'pending' | 'booked' | 'reached' | 'not_reached' | 'skipped' | 'cancelled';
  reason: string | null;
  /** The callback request interaction its calls are on, once booked. */
  interaction_id: string | null;
  booked_at: number | null;
  closed_at: number | null;
}

export interface ShiftsTable {
  id: string;
  agent_id: string;
  start_at: number;
  end_at: number;
  note: string | null;
  created_at: number;
  /** The supervisor who put it on the roster; null on the supervisor token. */
  created_by: string | null;
}

export interface ShiftBreaksTable {
  shift_id: string;
  start_at: number;
  end_at: number;
  label: string | null;
}
