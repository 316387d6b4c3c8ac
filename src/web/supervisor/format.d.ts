// Types of format.js for the unit tests (the page itself is plain JavaScript, no build step).

export declare const STATE_LABELS: Record<string, string>;
export declare function stateLabel(type: string): string;
export declare function clock(seconds: number): string;
export declare function duration(seconds: number | null | undefined): string;
export declare function percent(value: number | null | undefined): string;
export declare function parsePhone(
  input: string,
): { type: 'number'; number: string } | { type: 'agent'; agentId: string } | null;
export interface Seat {
  type: string;
  reason: string;
  interactionId: string;
  queueId: string;
  notReadyAfter: string;
}
export declare function normalizeSeat(state: unknown): Seat;
export declare function onCall(seat: Seat): boolean;
export declare const MODE_LABELS: Record<'listen' | 'whisper' | 'barge', string>;
export declare const MODE_DOING: Record<'listen' | 'whisper' | 'barge', string>;
export declare function localDay(now?: Date): string;
export declare function dateTimeLabel(ms: number): string;
export declare function serviceLevelWarnings(figures: {
  longestWaitSeconds: number;
  serviceLevelSeconds?: number;
  serviceLevelPercent?: number | null;
  serviceLevelTargetPercent?: number | null;
}): { waitOver: boolean; belowTarget: boolean };
export declare function flagReasonText(reason: string): string;
export declare function readTextFile(file: Blob): Promise<string>;
