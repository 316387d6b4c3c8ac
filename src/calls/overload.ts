/**
 * Load shedding at the door. When the service's event loop runs far behind (more calls than the CPU it has
 * can carry), or Asterisk takes long to carry out its requests, a newly arriving caller would be answered
 * and then wait in silence while the ring, the routing and every other call's events queue behind each
 * other. Refusing that caller at once with a 503 (congestion) lets the carrier send the call elsewhere and
 * keeps the calls already here moving.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * How far behind the event loop runs: the p99 of how late a 10 ms timer fired, over the current and the
 * last window (so a quiet moment right after a rotation does not hide a lasting lag).
 */
export class EventLoopLag {
  private readonly histogram: IntervalHistogram;
  private lastWindowMs = 0;
  private rotation: NodeJS.Timeout | undefined;

  constructor(
    private readonly windowMs = 2000,
    private readonly resolutionMs = 10,
  ) {
    this.histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  }

  start(): void {
    this.histogram.enable();
    this.rotation = setInterval(() => this.rotate(), this.windowMs);
    this.rotation.unref();
  }

  stop(): void {
    clearInterval(this.rotation);
    this.histogram.disable();
  }

  /** Starts a new window, keeping the one that ends as the last. */
  rotate(): void {
    this.lastWindowMs = this.currentWindowMs();
    this.histogram.reset();
  }

  recentMs(): number {
    return Math.max(this.lastWindowMs, this.currentWindowMs());
  }

  private currentWindowMs(): number {
    if (this.histogram.count === 0) return 0;
    // The histogram holds when each timer fired after it was set: the resolution itself is not lag.
    return Math.max(0, this.histogram.percentile(99) / 1e6 - this.resolutionMs);
  }
}

export interface AdmissionLimits {
  /** The service's own event loop (p99 lag, ms); 0 never refuses on it. */
  maxEventLoopLagMs: number;
  /** Asterisk's answers to ARI requests (median round trip, ms); 0 never refuses on it. */
  maxAriRoundTripMs: number;
}

export interface LoadReadings {
  eventLoopLagMs(): number;
  ariRoundTripMs(): number;
}

export interface Refusal {
  reason: string;
  lagMs: number;
  ariRoundTripMs: number;
}

/**
 * Whether a new call may come in now. Two places fall behind under load: the service's event loop (it has
 * more to do than CPU), and Asterisk (every request waits behind its busy threads while the service idles).
 */
export class CallAdmission {
  constructor(
    private readonly limits: AdmissionLimits,
    private readonly readings: LoadReadings,
  ) {}

  /** Why a new call is refused now, or undefined when it may come in. */
  refusal(): Refusal | undefined {
    const { maxEventLoopLagMs, maxAriRoundTripMs } = this.limits;
    if (maxEventLoopLagMs <= 0 && maxAriRoundTripMs <= 0) return undefined;
    const lagMs = Math.round(this.readings.eventLoopLagMs());
    const ariRoundTripMs = Math.round(this.readings.ariRoundTripMs());
    const reason =
      maxEventLoopLagMs > 0 && lagMs > maxEventLoopLagMs
        ? `overloaded: the service runs ${lagMs} ms behind (limit ${maxEventLoopLagMs} ms)`
        : maxAriRoundTripMs > 0 && ariRoundTripMs > maxAriRoundTripMs
          ? `overloaded: Asterisk takes ${ariRoundTripMs} ms to answer a request (median; limit ${maxAriRoundTripMs} ms)`
          : undefined;
    return reason ? { reason, lagMs, ariRoundTripMs } : undefined;
  }
}
