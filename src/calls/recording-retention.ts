/**
 * The retention policy for recordings (retention.recordingsDays): once a day, at the site's midnight, and at
 * start-up, the recordings of calls older than that are deleted, each with a `recording.deleted` entry on
 * its call's timeline; the record of the call itself stays. Files are removed before the row forgets them, so
 * a failure half-way leaves a row pointing at a missing file (the next sweep tidies it), never an orphan file.
 */
import { unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import { startOfNextDay } from '../acd/site-day.js';
import type { InteractionLog } from '../store/interaction-log.js';

const DAY_MS = 86_400_000;
/** Rows read per step: a first sweep over years of calls goes in slices, not one query. */
const BATCH = 200;

export interface RecordingRetentionOptions {
  log: InteractionLog;
  logger: Logger;
  /** Where the recordings are on this host (the service's recordingsDir). */
  recordingsDir: string;
  days: number;
  timeZone: string;
  now?: () => number;
}

export class RecordingRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly o: RecordingRetentionOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Sweeps now, then every night at the site's midnight. Does nothing when retention is off (0 days). */
  start(): void {
    if (this.o.days <= 0) return;
    void this.sweep();
    this.scheduleNext();
  }

  stop(): Promise<number | undefined> {
    this.stopped = true;
    clearTimeout(this.timer);
    return this.running ?? Promise.resolve(undefined);
  }

  /** Deletes every recording past retention; resolves with how many. One sweep at a time. */
  sweep(): Promise<number> {
    this.running ??= this.sweepAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweepAll(): Promise<number> {
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
    // The stored name is ours, but a path from a database row never leaves the recordings folder.
    const file = join(this.o.recordingsDir, basename(path));
    await unlink(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await this.o.log.record(
      interactionId,
      this.now(),
      { type: 'recording.deleted', payload: { path, reason: 'retention', retentionDays: this.o.days } },
      { recording_path: null },
    );
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    const now = this.now();
    this.timer = setTimeout(() => {
      void this.sweep();
      this.scheduleNext();
    }, startOfNextDay(now, this.o.timeZone) - now);
    this.timer.unref();
  }
}
