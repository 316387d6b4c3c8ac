/**
 * The retention policy for customers' personal data (retention.personalDataDays): once a day, at the site's
 * midnight, and at start-up, every closed call older than that loses its customer's number, name, data,
 * notes and recording, as an erasure at their request would (src/store/customer-data-log.ts), with an
 * `interaction.erased` entry saying why. What the call was (queue, agent, times, outcome) stays, so the
 * figures do. Files first, then the row, as the recordings' retention does.
 */
import type { Logger } from 'pino';
import { MIN_ERASABLE_DIGITS } from '../interactions/erasure.js';
import type { CustomerDataLog } from '../store/customer-data-log.js';
import type { InteractionLog } from '../store/interaction-log.js';
import { type RetentionPolicy, RetentionSweep } from './retention-sweep.js';
import type { NumberPlan } from './number-plan.js';
import { deleteRecordingFile } from './recording-files.js';

const DAY_MS = 86_400_000;
/** Calls read per step: a first sweep over years of calls goes in slices, not one query. */
const BATCH = 200;

export interface PersonalDataRetentionOptions extends RetentionPolicy {
  store: Pick<CustomerDataLog, 'personalDataToExpire' | 'anonymize'>;
  log: Pick<InteractionLog, 'writtenElsewhere'>;
  numbers: Pick<NumberPlan, 'writtenForms'>;
  logger: Logger;
  /** Where the recordings are on this host (absent: none are kept here). */
  recordingsDir: string | undefined;
}

export class PersonalDataRetention extends RetentionSweep {
  constructor(private readonly o: PersonalDataRetentionOptions) {
    super(o);
  }

  protected async sweepAll(): Promise<number> {
    const { store, numbers, days } = this.o;
    const at = this.now();
    const erased = {
      type: 'interaction.erased',
      payload: {
        reason: `personal data kept ${days} days (retention.personalDataDays)`,
        retentionDays: days,
      },
    } as const;
    let done = 0;
    let recordings = 0;
    try {
      for (;;) {
        const batch = await store.personalDataToExpire(at - days * DAY_MS, BATCH);
        for (const call of batch) {
          if (this.stopped) break;
          if (call.recordingPath && this.o.recordingsDir)
            await deleteRecordingFile(this.o.recordingsDir, call.recordingPath);
          const forms = call.customerNumber
            ? numbers
                .writtenForms(call.customerNumber)
                .filter((f) => f.replace(/^\+/, '').length >= MIN_ERASABLE_DIGITS)
            : [];
          if (!(await store.anonymize(call, forms, at, days, erased))) continue;
          done++;
          if (call.recordingPath) recordings++;
        }
        if (batch.length < BATCH || this.stopped) break;
      }
    } catch (error) {
      this.o.logger.error({ err: error, done }, 'personal data retention sweep failed; tried again tonight');
    }
    if (done > 0) {
      this.o.log.writtenElsewhere('interaction.erased');
      if (recordings > 0) this.o.log.writtenElsewhere('recording.deleted');
      this.o.logger.info(
        { calls: done, recordings, retentionDays: days },
        'personal data past retention erased',
      );
    }
    return done;
  }
}
