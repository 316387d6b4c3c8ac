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
import { NightlyJob } from './nightly-job.js';
import type { NumberPlan } from './number-plan.js';
import { deleteRecordingFile } from './recording-files.js';

const DAY_MS = 86_400_000;
/** Calls read per step: a first sweep over years of calls goes in slices, not one query. */
const BATCH = 200;

export interface PersonalDataRetentionOptions {
  store: Pick<CustomerDataLog, 'personalDataToExpire' | 'anonymize'>;
  log: Pick<InteractionLog, 'writtenElsewhere'>;
  numbers: Pick<NumberPlan, 'writtenForms'>;
  logger: Logger;
  /** Where the recordings are on this host (absent: none are kept here). */
  recordingsDir: string | undefined;
  days: number;
  timeZone: string;
  now?: () => number;
}

export class PersonalDataRetention {
  private readonly job: NightlyJob;
  private readonly now: () => number;

  constructor(private readonly o: PersonalDataRetentionOptions) {
    this.now = o.now ?? Date.now;
    this.job = new NightlyJob({ timeZone: o.timeZone, now: this.now, run: () => this.sweepAll() });
  }

  /** Sweeps now, then every night at the site's midnight. Does nothing when the policy is off (0 days). */
  start(): void {
    if (this.o.days > 0) this.job.start();
  }

  stop(): Promise<number | undefined> {
    return this.job.stop();
  }

  /** Erases the personal data of every call past retention; resolves with how many calls. */
  sweep(): Promise<number> {
    return this.job.sweep();
  }

  private async sweepAll(): Promise<number> {
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
          if (this.job.stopped) break;
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
        if (batch.length < BATCH || this.job.stopped) break;
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
