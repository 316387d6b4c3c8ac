// Types of seat-view.js for the unit tests (the pages themselves are plain JavaScript, no build step).

export declare const SEAT_LABELS: Record<string, string>;
export declare function seatReasonText(
  seat: { type: string; reason: string; notReadyAfter: string },
  label: (code: string) => string,
): string;
export declare function notReadyLimit(
  seat: { type: string; reason: string },
  since: number,
  reasons: { code: string; maxMinutes?: number }[],
  now: number,
): { maxMinutes: number; until: number; overSeconds: number } | undefined;
export declare function changedByName(data: { by?: string; supervisor?: { name: string } }): string;
export declare const serverClock: { offset: number; observe(stampedAt: number): void; now(): number };
