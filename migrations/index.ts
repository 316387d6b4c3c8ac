import type { Migration } from 'kysely';
import * as interactions from './2026-11-30T0900_interactions.js';
import * as callbacks from './2026-11-30T1500_callbacks.js';
import * as callbackStepsIndex from './2026-12-01T1900_callback_steps_index.js';
import * as channelIndex from './2026-12-01T1800_channel_index.js';
import * as queuesAgents from './2026-11-30T1200_queues_agents.js';
import * as seat from './2026-12-01T1000_seat.js';
import * as serviceRuns from './2026-12-01T2000_service_runs.js';
import * as queueVisits from './2026-12-01T2100_queue_visits.js';

/**
 * Every migration, by its dated name. Listed statically (not read from the folder) so the same list works
 * under tsx, in the compiled dist/ and in the Docker image. Names sort in the order they must run.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-30T0900_interactions': interactions,
  '2026-11-30T1200_queues_agents': queuesAgents,
  '2026-11-30T1500_callbacks': callbacks,
  '2026-12-01T1000_seat': seat,
  '2026-12-01T1800_channel_index': channelIndex,
  '2026-12-01T1900_callback_steps_index': callbackStepsIndex,
  '2026-12-01T2000_service_runs': serviceRuns,
  '2026-12-01T2100_queue_visits': queueVisits,
};
