/**
 * The right to erasure: a customer asks the contact center to erase what it holds about them. A supervisor
 * names their number (any form of it) and why; the recordings of their calls are deleted and their personal
 * data erased from the record (src/store/customer-erasure-log.ts), at once and all together. Refused while a
 * call or callback request of theirs is still open (it would write their data again as it goes on).
 */
import { unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import type { SupervisorRef } from '../acd/router-types.js';
import { MIN_ERASABLE_DIGITS } from '../interactions/erasure.js';
import type { CustomerErasureLog, ErasureDone, ErasureInventory } from '../store/customer-erasure-log.js';
import type { InteractionLog } from '../store/interaction-log.js';
import type { NumberPlan } from './number-plan.js';

export interface ErasureRequest {
  number: string;
  reason: string;
  supervisor?: SupervisorRef | undefined;
  /** Only say what would be erased. */
  dryRun?: boolean | undefined;
}

export type ErasureRefusal =
  | { code: 'NOT_A_CUSTOMER_NUMBER'; reason: string }
  | { code: 'REASON_HOLDS_NUMBER'; reason: string }
  | { code: 'CUSTOMER_IN_CONTACT'; reason: string; interactionIds: string[] };

export type ErasureOutcome =
  | { refused: ErasureRefusal }
  | { number: string; dryRun: true; found: ErasureInventory }
  | { number: string; dryRun: false; erased: ErasureDone };

function inContact(number: string, open: string[]): ErasureRefusal {
  const what = open.length === 1 ? 'a call or callback request' : `${open.length} calls or callback requests`;
  return {
    code: 'CUSTOMER_IN_CONTACT',
    reason: `${number} has ${what} still open (${open.join(', ')}): erase once it has ended, or cancel the callback request first`,
    interactionIds: open,
  };
}

export class CustomerErasure {
  constructor(
    private readonly deps: {
      store: Pick<CustomerErasureLog, 'inventory' | 'erase'>;
      log: Pick<InteractionLog, 'afterQueuedWrites' | 'writtenElsewhere'>;
      numbers: Pick<NumberPlan, 'canonical' | 'writtenForms'>;
      /** Where the recordings are on this host (absent: none are kept here). */
      recordingsDir: string | undefined;
      now: () => number;
      logger: Logger;
    },
  ) {}

  async erase(request: ErasureRequest): Promise<ErasureOutcome> {
    const { store, log, numbers, logger } = this.deps;
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
    // Their latest call's last writes may still be queued: erased with the rest, not written after.
    await log.afterQueuedWrites();
    const found = await store.inventory(forms);
    const open = found.interactions.filter((i) => i.state === 'open').map((i) => i.id);
    if (open.length > 0) return { refused: inContact(number, open) };
    if (request.dryRun) return { number, dryRun: true, found };
    // Files first, as the retention policy does: a row never outlives the note that its file is gone.
    for (const { recordingPath } of found.interactions) {
      if (!recordingPath || !this.deps.recordingsDir) continue;
      await unlink(join(this.deps.recordingsDir, basename(recordingPath))).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        },
      );
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
