// Types of machine-text.js for the unit tests (the pages themselves are plain JavaScript, no build step).
export interface AnsweringMachineStep {
  step: string;
  verdict?: string;
  reason?: string;
  afterMs?: number;
  action?: string;
  outcome?: string;
}
export declare function machineTimelineText(p: AnsweringMachineStep): string;
export declare function machineNoteText(p: AnsweringMachineStep): string;
