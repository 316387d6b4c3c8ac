import { startOfNextDay } from '../acd/site-day.js';

/**
 * A sweep run at start-up and then every night at the site's midnight (a retention policy), one at a time:
 * `sweep` resolves with what the running one did; `stop` waits for it. Its `run` looks at `stopped` between
 * steps, so a long first sweep (years of calls) ends soon after a stop.
 */
export class NightlyJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private isStopped = false;

  constructor(private readonly o: { timeZone: string; now: () => number; run: () => Promise<number> }) {}

  get stopped(): boolean {
    return this.isStopped;
  }

  start(): void {
    void this.sweep();
    this.scheduleNext();
  }

  stop(): Promise<number | undefined> {
    this.isStopped = true;
    clearTimeout(this.timer);
    return this.running ?? Promise.resolve(undefined);
  }

  sweep(): Promise<number> {
    this.running ??= this.o.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private scheduleNext(): void {
    if (this.isStopped) return;
    const now = this.o.now();
    this.timer = setTimeout(() => {
      void this.sweep();
      this.scheduleNext();
    }, startOfNextDay(now, this.o.timeZone) - now);
    this.timer.unref();
  }
}
