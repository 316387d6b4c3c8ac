import type { Migration } from 'kysely';
import * as interactions from './2026-11-30T0900_interactions.js';
import * as callbacks from './2026-11-30T1500_callbacks.js';
import * as callbackStepsIndex from './2026-12-01T1900_callback_steps_index.js';
import * as channelIndex from './2026-12-01T1800_channel_index.js';
import * as queuesAgents from './2026-11-30T1200_queues_agents.js';
import * as seat from './2026-12-01T1000_seat.js';
import * as serviceRuns from './2026-12-01T2000_service_runs.js';
import * as queueVisits from './2026-12-01T2100_queue_visits.js';
import * as interactionAgents from './2026-12-02T0100_interaction_agents.js';
import * as flowVersions from './2026-12-02T1000_flow_versions.js';
import * as reportIndexes from './2026-12-02T1200_report_indexes.js';
import * as longLogIndexes from './2026-12-02T1300_long_log_indexes.js';
import * as interactionListIndexes from './2026-12-02T1400_interaction_list_indexes.js';
import * as agentMemberships from './2026-12-02T1500_agent_memberships.js';
import * as agentSignOuts from './2026-12-02T2100_agent_sign_outs.js';
import * as agentEventUntil from './2026-12-02T2200_agent_event_until.js';
import * as queueVisitHandling from './2026-12-03T0900_queue_visit_handling.js';
import * as flowTypeChecks from './2026-12-03T1000_flow_type_checks.js';
import * as handledCallsIndex from './2026-12-03T1100_handled_calls_index.js';
import * as agentCallParts from './2026-12-03T1900_agent_call_parts.js';
import * as agentEventChangedBy from './2026-12-04T0900_agent_event_changed_by.js';
import * as agentEventChangedBySupervisor from './2026-12-04T1200_agent_event_changed_by_supervisor.js';
import * as adminChanges from './2026-12-04T1300_admin_changes.js';
import * as switches from './2026-12-04T1400_switches.js';
import * as callbackStepsByTime from './2026-12-05T0000_callback_steps_by_time.js';
import * as queueAlerts from './2026-12-05T1000_queue_alerts.js';
import * as webhookDeliveries from './2026-12-05T1200_webhook_deliveries.js';
import * as webhookAgentStatesQueueFilters from './2026-12-05T1400_webhook_agent_states_queue_filters.js';
import * as queueAlertAcknowledgements from './2026-12-05T1500_queue_alert_acknowledgements.js';
import * as helpRequests from './2026-12-05T1600_help_requests.js';
import * as webhookHelpRequests from './2026-12-05T1700_webhook_help_requests.js';
import * as agentMessages from './2026-12-05T1800_agent_messages.js';
import * as blockedNumbers from './2026-12-05T1900_blocked_numbers.js';
import * as agentSkills from './2026-12-05T2000_agent_skills.js';
import * as breakOverstays from './2026-12-06T0000_break_overstays.js';
import * as agentMessageReads from './2026-12-06T0100_agent_message_reads.js';
import * as agentMessageReplies from './2026-12-06T0200_agent_message_replies.js';
import * as breakOverstayAcknowledgements from './2026-12-06T0300_break_overstay_acknowledgements.js';
import * as callerFlags from './2026-12-06T0400_caller_flags.js';
import * as overstayAcknowledgedWebhook from './2026-12-06T0500_overstay_acknowledged_webhook.js';
import * as doNotCall from './2026-12-06T0600_do_not_call.js';
import * as evaluations from './2026-12-06T0800_evaluations.js';
import * as campaigns from './2026-12-06T1000_campaigns.js';
import * as campaignScripts from './2026-12-06T1400_campaign_scripts.js';
import * as shifts from './2026-12-06T1800_shifts.js';
import * as shiftBreaks from './2026-12-07T0900_shift_breaks.js';
import * as campaignAnsweringMachines from './2026-12-07T1000_campaign_answering_machines.js';
import * as adherenceExceptions from './2026-12-07T1100_adherence_exceptions.js';
import * as customerNumberIndexes from './2026-12-07T1200_customer_number_indexes.js';
import * as helpUnanswered from './2026-12-07T1300_help_unanswered.js';
import * as storedQueueBounds from './2026-12-07T1400_stored_queue_bounds.js';
import * as wallDisplays from './2026-12-07T1500_wall_displays.js';
import * as signInLocks from './2026-12-06T0700_sign_in_locks.js';

/**
 * Every migration, by its dated name. Listed statically (not read from the folder) so the same list works
 * under tsx, in the compiled dist/ and in the Docker image. Names sort in the order they must run.
 */
export const migrations: Record<string, Migration> = Object.fromEntries(
  Object.entries({
    '2026-11-30T0900_interactions': interactions,
    '2026-11-30T1200_queues_agents': queuesAgents,
    '2026-11-30T1500_callbacks': callbacks,
    '2026-12-01T1000_seat': seat,
    '2026-12-01T1800_channel_index': channelIndex,
    '2026-12-01T1900_callback_steps_index': callbackStepsIndex,
    '2026-12-01T2000_service_runs': serviceRuns,
    '2026-12-01T2100_queue_visits': queueVisits,
    '2026-12-02T0100_interaction_agents': interactionAgents,
    '2026-12-02T1000_flow_versions': flowVersions,
    '2026-12-02T1200_report_indexes': reportIndexes,
    '2026-12-02T1300_long_log_indexes': longLogIndexes,
    '2026-12-02T1400_interaction_list_indexes': interactionListIndexes,
    '2026-12-02T1500_agent_memberships': agentMemberships,
    '2026-12-02T2100_agent_sign_outs': agentSignOuts,
    '2026-12-02T2200_agent_event_until': agentEventUntil,
    '2026-12-03T0900_queue_visit_handling': queueVisitHandling,
    '2026-12-03T1000_flow_type_checks': flowTypeChecks,
    '2026-12-03T1100_handled_calls_index': handledCallsIndex,
    '2026-12-03T1900_agent_call_parts': agentCallParts,
    '2026-12-04T0900_agent_event_changed_by': agentEventChangedBy,
    '2026-12-04T1200_agent_event_changed_by_supervisor': agentEventChangedBySupervisor,
    '2026-12-04T1300_admin_changes': adminChanges,
    '2026-12-04T1400_switches': switches,
    '2026-12-05T0000_callback_steps_by_time': callbackStepsByTime,
    '2026-12-05T1000_queue_alerts': queueAlerts,
    '2026-12-05T1200_webhook_deliveries': webhookDeliveries,
    '2026-12-05T1400_webhook_agent_states_queue_filters': webhookAgentStatesQueueFilters,
    '2026-12-05T1500_queue_alert_acknowledgements': queueAlertAcknowledgements,
    '2026-12-05T1600_help_requests': helpRequests,
    '2026-12-05T1700_webhook_help_requests': webhookHelpRequests,
    '2026-12-05T1800_agent_messages': agentMessages,
    '2026-12-05T1900_blocked_numbers': blockedNumbers,
    '2026-12-05T2000_agent_skills': agentSkills,
    '2026-12-06T0000_break_overstays': breakOverstays,
    '2026-12-06T0100_agent_message_reads': agentMessageReads,
    '2026-12-06T0200_agent_message_replies': agentMessageReplies,
    '2026-12-06T0300_break_overstay_acknowledgements': breakOverstayAcknowledgements,
    '2026-12-06T0400_caller_flags': callerFlags,
    '2026-12-06T0500_overstay_acknowledged_webhook': overstayAcknowledgedWebhook,
    '2026-12-06T0600_do_not_call': doNotCall,
    '2026-12-06T0700_sign_in_locks': signInLocks,
    '2026-12-06T0800_evaluations': evaluations,
    '2026-12-06T1000_campaigns': campaigns,
    '2026-12-06T1400_campaign_scripts': campaignScripts,
    '2026-12-06T1800_shifts': shifts,
    '2026-12-07T0900_shift_breaks': shiftBreaks,
    '2026-12-07T1000_campaign_answering_machines': campaignAnsweringMachines,
    '2026-12-07T1100_adherence_exceptions': adherenceExceptions,
    '2026-12-07T1200_customer_number_indexes': customerNumberIndexes,
    '2026-12-07T1300_help_unanswered': helpUnanswered,
    '2026-12-07T1400_stored_queue_bounds': storedQueueBounds,
    '2026-12-07T1500_wall_displays': wallDisplays,
  }).map(([name, migration]) => [name, inOneTransaction(migration)]),
);

/**
 * Each migration's steps all happen or none do. SQLite's DDL is transactional, but kysely runs a
 * migration's statements one by one there: a process killed half-way through one (a long backfill) would
 * leave its first tables behind unrecorded, and every later start would fail on "already exists".
 */
export function inOneTransaction(migration: Migration): Migration {
  return {
    up: (db) => db.transaction().execute((trx) => migration.up(trx)),
    ...(migration.down ? { down: (db) => db.transaction().execute((trx) => migration.down!(trx)) } : {}),
  };
}
