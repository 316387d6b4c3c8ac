import { startOfNextDay } from '../acd/site-day.js';

/** What every retention policy is set by: how many days (0 keeps for ever), and whose midnight. */
export interface RetentionPolicy {
  days: number;
  timeZone: string;
  now?: () => number;
}

/**
 * A retention policy's sweep, run at start-up and then every night at the site's midnight, one at a time:
 * `sweep` resolves with what the running one did; `stop` waits for it. `sweepAll` looks at `stopped`
 * between steps, so a long first sweep (years of calls) ends soon after a stop. Nothing runs at 0 days.
 */
export abstract class RetentionSweep {
  protected readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  protected stopped = false;

  constructor(private readonly policy: RetentionPolicy) {
    this.now = policy.now ?? Date.now;
  }

  /** What one sweep does: how many it dealt with. */
  protected abstract sweepAll(): Promise<number>;

  /** Sweeps now, then every night at the site's midnight. Does nothing when the policy is off (0 days). */
  start(): void {
    if (this.policy.days <= 0) return;
    void this.sweep();
    this.scheduleNext();
  }

  stop(): Promise<number | undefined> {
    this.stopped = true;
    clearTimeout(this.timer);
    return this.running ?? Promise.resolve(undefined);
  }

  /** Sweeps now (one sweep at a time): resolves with how many it dealt with. */
  sweep(): Promise<number> {
    this.running ??= this.sweepAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    const now = this.now();
    this.timer = setTimeout(() => {
      void this.sweep();
      this.scheduleNext();
    }, startOfNextDay(now, this.policy.timeZone) - now);
    this.timer.unref();
  }
}
