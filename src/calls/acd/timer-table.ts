/**
 * The longest a Node timer waits: a longer delay is taken as 1 ms (with a TimeoutOverflowWarning). A time
 * further off (a callback booked for next month) is waited for in steps of this.
 */
export const LONGEST_TIMER_MS = 2_147_483_647;

/** A delay as a Node timer keeps it: never below 0, never past the longest (whoever fires then looks again). */
export const timerDelay = (ms: number): number => Math.min(Math.max(0, ms), LONGEST_TIMER_MS);

/**
 * Real timers for the pure router's `scheduleTimer` decisions: one per key, replaced when rescheduled,
 * fired back as an input. The router owns the meaning of each timer; this only keeps time.
 */
export class TimerTable {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly fire: (key: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  schedule(key: string, at: number): void {
    this.cancel(key);
    const delay = timerDelay(at - this.now());
    this.timers.set(
      key,
      setTimeout(() => {
        // Node may run a timer a millisecond before the wall clock reaches `at`; the router would refuse
        // that as not due, and nothing would ever fire the key again (an agent left in wrap-up for good).
        // A time past the longest wait ends up here too, for its next step.
        if (this.now() < at) {
          this.schedule(key, at);
          return;
        }
        this.timers.delete(key);
        this.fire(key);
      }, delay),
    );
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  get size(): number {
    return this.timers.size;
  }
}
