// Types of staffing-text.js for the unit tests (the pages themselves are plain JavaScript, no build step).

export declare function dateText(date: string): string;
export declare function staffingSummaryText(forecast: {
  historyDates: string[];
  targetPercent: number;
  serviceLevelSeconds: number;
  totals: {
    calls: number;
    peakAgents: number;
    peakScheduled: number;
    scheduledHours: number;
    withoutForecast: number;
    runRatio?: number | null;
  };
  rows: StaffingRowShown[];
  suggestedShifts?: { localStart: string; localEnd: string; agents: number }[];
}): string;
export interface StaffingRowShown {
  calls: number | null;
  agents: number | null;
  reforecastAgents?: number | null;
  scheduled?: number | null;
  onShift?: number | null;
  localStart?: string;
}
export declare function rosterShort(row: StaffingRowShown): boolean;
export declare function staffingNowText(
  now:
    | {
        callsLastHalfHour: number;
        agentsNeeded: number | null;
        agentsNeededOver?: number;
        agentsStaffed: number;
      }
    | undefined,
): { value: string; note: string; short: boolean };
export declare function weekFrom(date: string): string[];
export declare function weekSummaryText(
  forecasts: { date: string; totals: { calls: number; scheduledHours: number } }[],
): string;
