// Types of shift-text.js for the unit tests (the pages themselves are plain JavaScript, no build step).
export declare function hoursText(seconds: number): string;
export declare function adherenceText(
  adherence: { elapsedSeconds: number; staffedSeconds: number; percent: number | null } | undefined,
): string;
export declare function shiftSpan(day: string, from: string, to: string): { start: string; end: string };
export declare function shiftTime(iso: string, day: string): string;
