/** How many recent handled calls feed the average handle time. */
export const HANDLE_SAMPLE_WINDOW = 20;

/** Mean of recent handle times (talk + wrap seconds), or the queue's configured default before any call. */
export function averageHandleSeconds(samples: readonly number[], fallbackSeconds: number): number {
  if (samples.length === 0) return fallbackSeconds;
  return samples.reduce((sum, s) => sum + s, 0) / samples.length;
}

/** Appends a sample, keeping only the most recent HANDLE_SAMPLE_WINDOW. */
export function addHandleSample(samples: readonly number[], seconds: number): number[] {
  return [...samples, seconds].slice(-HANDLE_SAMPLE_WINDOW);
}

/**
 * Estimated wait, in whole seconds:  EWT = ceil(position × AHT / agentsServing)
 *  - position: 1-based place in line (callbacks ahead count, they will take an agent too);
 *  - AHT: average handle time of recent calls in this queue (talk + wrap);
 *  - agentsServing: logged-in members not on a not-ready break (available, ringing, talking, wrapping).
 * Each serving agent frees up once per AHT on average, so the line advances agentsServing places per AHT.
 * Returns null when no agent is serving: any number would be a guess.
 */
export function estimateWaitSeconds(
  position: number,
  averageHandle: number,
  agentsServing: number,
): number | null {
  if (agentsServing <= 0) return null;
  return Math.ceil((Math.max(0, position) * averageHandle) / agentsServing);
}
