// Types of shift-text.js for the unit tests (the pages themselves are plain JavaScript, no build step).
export declare function hoursText(seconds: number): string;
export declare function adherenceText(
  adherence:
    | {
        elapsedSeconds: number;
        staffedSeconds: number;
        breakSeconds?: number;
        staffedOnBreakSeconds?: number;
        percent: number | null;
      }
    | undefined,
): string;
export interface ShiftBreakShown {
  start: string;
  end: string;
  label: string | null;
}
export interface ShiftShown {
  start: string;
  end: string;
  breaks: ShiftBreakShown[];
}
export declare function breaksText(breaks: ShiftBreakShown[], day: string): string;
export declare function plannedNow(
  shift: ShiftShown,
  at: number,
):
  | { activity: 'working'; until: string }
  | { activity: 'break'; until: string; label: string | null }
  | undefined;
export declare function shiftNow(
  shift: ShiftShown,
  seatState: string,
  at: number,
  day: string,
): { text: string; kept: boolean } | undefined;
export declare function nextPlanChange(shifts: ShiftShown[], at: number): number | undefined;
export declare function shiftSpan(day: string, from: string, to: string): { start: string; end: string };
export declare function shiftTime(iso: string, day: string): string;
export declare function readBreaks(
  text: string,
  day: string,
  shift: { start: string },
): { breaks: { start: string; end: string; label?: string }[] } | { problem: string };
export declare function breaksInput(breaks: ShiftBreakShown[]): string;
export declare function adherenceCells(a: {
  shifts: number;
  workSeconds: number;
  staffedSeconds: number;
  breakSeconds: number;
  staffedOnBreakSeconds: number;
  percent: number | null;
  conformancePercent: number | null;
}): string[];
export declare function scheduleLines(
  shifts: { start: string; end: string; note: string | null; breaks?: ShiftBreakShown[] }[],
): string[];
export declare function weekGrid(
  shifts: { agentId: string; start: string; end: string; breaks?: { start: string; end: string }[] }[],
  firstDay: string,
  agents: { id: string; name: string }[],
): {
  days: string[];
  rows: { agentId: string; name: string; cells: string[]; hours: string }[];
  onRoster: number[];
};
export declare function exceptionsText(
  items: {
    agentId: string;
    activity: 'working' | 'break';
    label: string | null;
    agentState: string;
    since: string;
  }[],
  graceSeconds: number,
  nameOf: (agentId: string) => string,
  stateLabel: (state: string) => string,
): string;
export declare function offRosterText(
  e: { activity: 'working' | 'break'; label: string | null; agentState: string; since: string },
  stateLabel: (state: string) => string,
): string;
export declare function exceptionCells(
  e: {
    activity: 'working' | 'break';
    label: string | null;
    since: string;
    endedAt: string | null;
    seconds: number;
    agentState: string;
    endedState: string | null;
  },
  stateLabel: (state: string) => string,
): string[];
