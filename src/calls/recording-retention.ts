/**
 * The retention policy for recordings (retention.recordingsDays): once a day, at the site's midnight, and at
 * start-up, the recordings of calls older than that are deleted, each with a `recording.deleted` entry on
 * its call's timeline; the record of the call itself stays. Files are removed before the row forgets them, so
 * a failure half-way leaves a row pointing at a missing file (the next sweep tidies it), never an orphan file.
 */
import type { Logger } from 'pino';
import { type RetentionPolicy, RetentionSweep } from './retention-sweep.js';
import { deleteRecordingFile } from './recording-files.js';
import type { InteractionLog } from '../store/interaction-log.js';

const DAY_MS = 86_400_000;
/** Rows read per step: a first sweep over years of calls goes in slices, not one query. */
const BATCH = 200;

export interface RecordingRetentionOptions extends RetentionPolicy {
  log: InteractionLog;
  logger: Logger;
  /** Where the recordings are on this host (the service's recordingsDir). */
  recordingsDir: string;
}

export class RecordingRetention extends RetentionSweep {
  constructor(private readonly o: RecordingRetentionOptions) {
    super(o);
  }

  protected async sweepAll(): Promise<number> {
    const before = this.now() - this.o.days * DAY_MS;
    let deleted = 0;
    try {
      for (;;) {
        const batch = await this.o.log.recordingsToExpire(before, BATCH);
        for (const { id, path } of batch) {
          if (this.stopped) return deleted;
          await this.expire(id, path);
          deleted++;
        }
        if (batch.length < BATCH) break;
      }
      if (deleted > 0) {
        this.o.logger.info({ deleted, retentionDays: this.o.days }, 'recordings past retention deleted');
      }
    } catch (error) {
      this.o.logger.error({ err: error, deleted }, 'recording retention sweep failed; tried again tonight');
    }
    return deleted;
  }

  private async expire(interactionId: string, path: string): Promise<void> {
    await deleteRecordingFile(this.o.recordingsDir, path);
    await this.o.log.record(
      interactionId,
      this.now(),
      { type: 'recording.deleted', payload: { path, reason: 'retention', retentionDays: this.o.days } },
      { recording_path: null },
    );
  }
}
