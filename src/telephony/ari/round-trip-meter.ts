/**
 * How long Asterisk has lately taken to answer the service's ARI requests: the median round trip over the
 * current and the last window. A saturated Asterisk (more calls than the CPU it has) shows here before
 * anywhere else: every answer, ring and bridge waits behind its busy threads, while the service's own
 * event loop may be idle.
 *
 * Round trips go into log-spaced buckets (each 20% wider than the one before, from 0.1 ms to beyond a
 * minute), so recording is O(1) and reading is a walk over ~80 counters, cheap enough to ask on every
 * arriving call. A reading is the upper edge of the bucket the median falls in: within 20%.
 */
const FIRST_EDGE_MS = 0.1;
const GROWTH = 1.2;
const BUCKETS = 80;
const LOG_GROWTH = Math.log(GROWTH);

function bucketOf(ms: number): number {
  if (!(ms > FIRST_EDGE_MS)) return 0;
  return Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / FIRST_EDGE_MS) / LOG_GROWTH));
}

const upperEdgeMs = (bucket: number) => FIRST_EDGE_MS * GROWTH ** bucket;

export class RoundTripMeter {
  private current = new Uint32Array(BUCKETS);
  private last = new Uint32Array(BUCKETS);
  private currentCount = 0;
  private lastCount = 0;
  private windowStartedAt: number;

  constructor(
    private readonly options: {
      /** Each window's length (the reading covers one to two of them). */
      windowMs?: number;
      /** Fewer round trips than this in both windows tell nothing: the reading is 0. */
      minSamples?: number;
      now?: () => number;
    } = {},
  ) {
    this.windowStartedAt = this.now();
  }

  record(ms: number): void {
    this.roll();
    this.current[bucketOf(ms)]! += 1;
    this.currentCount++;
  }

  /** The median round trip of the last one to two windows in ms, or 0 while there are too few to tell. */
  recentMedianMs(): number {
    this.roll();
    const total = this.currentCount + this.lastCount;
    if (total === 0 || total < (this.options.minSamples ?? 3)) return 0;
    const rank = Math.ceil(total / 2);
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.current[b]! + this.last[b]!;
      if (seen >= rank) return Math.round(upperEdgeMs(b) * 10) / 10;
    }
    return Math.round(upperEdgeMs(BUCKETS - 1) * 10) / 10;
  }

  private get windowMs(): number {
    return this.options.windowMs ?? 2000;
  }

  private now(): number {
    return (this.options.now ?? performance.now.bind(performance))();
  }

  /** Starts a new window when the current one is over (both are cleared after a quiet spell). */
  private roll(): void {
    const elapsed = this.now() - this.windowStartedAt;
    if (elapsed < this.windowMs) return;
    const quiet = elapsed >= 2 * this.windowMs;
    [this.last, this.current] = [this.current, this.last];
    this.lastCount = quiet ? 0 : this.currentCount;
    if (quiet) this.last.fill(0);
    this.current.fill(0);
    this.currentCount = 0;
    this.windowStartedAt += quiet ? elapsed : this.windowMs;
  }
}
