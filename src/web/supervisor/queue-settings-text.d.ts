// Types of queue-settings-text.js for the unit tests (the page itself is plain JavaScript, no build step).

export type QueueTarget =
  | { type: 'queue'; queueId: string }
  | { type: 'voicemail'; mailbox?: string; greeting?: string[]; maxSeconds?: number }
  | { type: 'callback' }
  | { type: 'hangup' };
export interface QueueDefinition {
  id: string;
  name: string;
  strategy: string;
  [key: string]: unknown;
}
export interface QueueSettings {
  id: string;
  name: string;
  strategy: string;
  skills: string;
  ringTimeout: string;
  wrapUp: string;
  serviceLevel: string;
  serviceLevelTarget: string;
  maxWait: string;
  overflow: string;
  maxLength: string;
  whenFull: string;
  noAgents: string;
  announceEvery: string;
  announcePosition: boolean;
  announceWait: boolean;
  announceSounds: string;
  holdMusic: string;
  exitKey: string;
  exitTarget: string;
  vipNumbers: string;
}
export declare const STRATEGY_LABELS: Record<string, string>;
export declare const TARGET_LABELS: Record<string, string>;
export declare const FORM_KEYS: string[];
export declare function targetChoice(target: QueueTarget | undefined): string;
export declare function targetFromChoice(
  choice: string,
  before: QueueTarget | undefined,
): QueueTarget | undefined;
export declare function settingsOf(queue: QueueDefinition): { fields: QueueSettings; rest: string };
export declare function queueFromSettings(
  fields: QueueSettings,
  restText: string,
  before: QueueDefinition | undefined,
): { queue: QueueDefinition } | { problem: string };
export declare function queueSummary(queue: QueueDefinition, queueName: (id: string) => string): string;
export declare function memberFromText(
  penalty: string,
  order: string,
): { member: { penalty: number; order: number } } | { problem: string };
