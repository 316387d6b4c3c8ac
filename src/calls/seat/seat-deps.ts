/** What every seat verb is built from: the configuration it was given and the shared per-call record. */
import type { Logger } from 'pino';
import type { AgentDefinition } from '../../agents/schema.js';
import type { ConferenceMember } from '../../interactions/events.js';
import type { InteractionLog } from '../../store/interaction-log.js';
import type { AcdRuntime } from '../acd/acd-runtime.js';
import type { OutboundPolicy } from './outbound-policy.js';
import type { SeatRecord } from './seat-record.js';

export interface SeatCallsOptions {
  acd: AcdRuntime;
  log: InteractionLog;
  logger: Logger;
  agents: () => AgentDefinition[];
  /** Trunk endpoint for numbers, e.g. `carrier` (dialled as PJSIP/<number>@carrier). */
  trunk: string;
  /** Which numbers agents may dial and the caller ID customers see (config `outbound`). */
  policy?: OutboundPolicy;
  /** How long a transfer target rings before the transfer fails. */
  ringSeconds?: number;
  /** Why a number may not be called out (the customer asked not to be: the do-not-call list), or null. */
  doNotCall?: (number: string) => string | null;
}

export interface SeatDeps {
  options: SeatCallsOptions;
  acd: AcdRuntime;
  policy: OutboundPolicy;
  record: SeatRecord;
  /** Whether a supervisor is barging into the call (set by the service once monitors exist). */
  barging: (interactionId: string) => boolean;
  /** The supervisor whose phone this channel is, if any (set by the service once monitors exist). */
  supervisorOn: (channelId: string) => ConferenceMember | undefined;
}
