/** Exponential backoff with jitter for reconnecting to Asterisk: quick at first, never a storm. */
export class Backoff {
  private attempt = 0;
  constructor(
    private readonly initialMs = 200,
    private readonly maxMs = 5000,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt++;
    return Math.round(base / 2 + (base / 2) * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}
