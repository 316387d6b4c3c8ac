// Types of call-history.js for the unit tests (the page itself is plain JavaScript, no build step).

export declare const OUTCOME_LABELS: Record<string, string>;
export declare const DIRECTION_LABELS: Record<string, string>;
export declare function outcomeLabel(interaction: {
  state: string;
  direction?: string;
  disposition: string | null;
}): string;
export declare function callerLabel(interaction: {
  callerName: string | null;
  callerNumber: string | null;
}): string;
export declare function offsetLabel(startedAt: string, at: string): string;
export declare function describeEntry(
  entry: { type: string; at?: string; payload: Record<string, unknown> },
  names: { agent: (id: string) => string; queue: (id: string) => string },
): { text: string; why?: string[] };
export declare function endedByLabel(by: string | null): string;
export declare function wideningText(w: {
  maxPenalty?: number;
  lowerSkillsBy?: number;
  dropSkills?: string[];
}): string;
