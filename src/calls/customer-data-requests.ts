/**
 * A customer's requests about their data. Access: a copy of everything the contact center holds about them.
 * Erasure: the recordings of their calls are deleted and their personal data erased from the record
 * (src/store/customer-data-log.ts), at once and all together; refused while a call or callback request of
 * theirs is still open (it would write their data again as it goes on). Either way a supervisor names their
 * number (any form of it) and why.
 */
import type { Logger } from 'pino';
import type { SupervisorRef } from '../acd/router-types.js';
import { MIN_ERASABLE_DIGITS } from '../interactions/erasure.js';
import type {
  CustomerDataLog,
  CustomerRecords,
  ErasureDone,
  ErasureInventory,
} from '../store/customer-data-log.js';
import type { InteractionLog } from '../store/interaction-log.js';
import type { NumberPlan } from './number-plan.js';
import { deleteRecordingFile } from './recording-files.js';

export interface DataRequest {
  number: string;
  reason: string;
  supervisor?: SupervisorRef | undefined;
}

export interface ErasureRequest extends DataRequest {
  /** Only say what would be erased. */
  dryRun?: boolean | undefined;
}

export type DataRequestRefusal =
  | { code: 'NOT_A_CUSTOMER_NUMBER'; reason: string }
  | { code: 'REASON_HOLDS_NUMBER'; reason: string }
  | { code: 'CUSTOMER_IN_CONTACT'; reason: string; interactionIds: string[] };

export type AccessOutcome = { refused: DataRequestRefusal } | { number: string; records: CustomerRecords };

export type ErasureOutcome =
  | { refused: DataRequestRefusal }
  | { number: string; dryRun: true; found: ErasureInventory }
  | { number: string; dryRun: false; erased: ErasureDone };

function inContact(number: string, open: string[]): DataRequestRefusal {
  const what = open.length === 1 ? 'a call or callback request' : `${open.length} calls or callback requests`;
  return {
    code: 'CUSTOMER_IN_CONTACT',
    reason: `${number} has ${what} still open (${open.join(', ')}): erase once it has ended, or cancel the callback request first`,
    interactionIds: open,
  };
}

export class CustomerDataRequests {
  constructor(
    private readonly deps: {
      store: Pick<CustomerDataLog, 'inventory' | 'erase' | 'records'>;
      log: Pick<InteractionLog, 'afterQueuedWrites' | 'writtenElsewhere'>;
      numbers: Pick<NumberPlan, 'canonical' | 'writtenForms'>;
      /** Where the recordings are on this host (absent: none are kept here). */
      recordingsDir: string | undefined;
      now: () => number;
      logger: Logger;
    },
  ) {}

  /** The number read, and every form of it on record; or why it cannot be asked about. */
  private check(request: DataRequest): { number: string; forms: string[] } | { refused: DataRequestRefusal } {
    const { numbers } = this.deps;
    const number = numbers.canonical(request.number);
    const digits = number.replace(/[^0-9]/g, '').length;
    if (digits < MIN_ERASABLE_DIGITS || !/^\+?[0-9]+$/.test(number)) {
      return {
        refused: {
          code: 'NOT_A_CUSTOMER_NUMBER',
          reason: `"${request.number}" is not a customer's phone number (${MIN_ERASABLE_DIGITS} digits at least, + before them allowed): an extension or short code would match other people's calls`,
        },
      };
    }
    const forms = numbers
      .writtenForms(request.number)
      .filter((f) => f.replace(/^\+/, '').length >= MIN_ERASABLE_DIGITS);
    if (forms.some((form) => request.reason.includes(form))) {
      return {
        refused: {
          code: 'REASON_HOLDS_NUMBER',
          reason:
            "reason: holds the customer's number, which the record would then keep: give the request's reference instead",
        },
      };
    }
    return { number, forms };
  }

  /** A copy of everything on record about the customer (open calls as they stand so far). */
  async access(request: DataRequest): Promise<AccessOutcome> {
    const checked = this.check(request);
    if ('refused' in checked) return checked;
    await this.deps.log.afterQueuedWrites();
    return { number: checked.number, records: await this.deps.store.records(checked.forms) };
  }

  async erase(request: ErasureRequest): Promise<ErasureOutcome> {
    const { store, log, logger } = this.deps;
    const checked = this.check(request);
    if ('refused' in checked) return checked;
    const { number, forms } = checked;
    // Their latest call's last writes may still be queued: erased with the rest, not written after.
    await log.afterQueuedWrites();
    const found = await store.inventory(forms);
    const open = found.interactions.filter((i) => i.state === 'open').map((i) => i.id);
    if (open.length > 0) return { refused: inContact(number, open) };
    if (request.dryRun) return { number, dryRun: true, found };
    // Files first, as the retention policy does: a row never outlives the note that its file is gone.
    for (const { recordingPath } of found.interactions) {
      if (!recordingPath || !this.deps.recordingsDir) continue;
      await deleteRecordingFile(this.deps.recordingsDir, recordingPath);
    }
    const erased = await store.erase(forms, this.deps.now(), {
      type: 'interaction.erased',
      payload: { reason: request.reason, ...(request.supervisor ? { supervisor: request.supervisor } : {}) },
    });
    // A call of theirs came in meanwhile: nothing was erased (the recordings of the calls before it were).
    if ('open' in erased) return { refused: inContact(number, erased.open) };
    if (erased.recordings > 0) log.writtenElsewhere('recording.deleted');
    if (erased.interactions > 0) log.writtenElsewhere('interaction.erased');
    logger.info(
      { ...erased, supervisorId: request.supervisor?.id },
      "a customer's data erased at their request",
    );
    return { number, dryRun: false, erased };
  }
}
