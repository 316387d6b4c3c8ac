// Types of call-end.js for the unit tests (the page itself is plain JavaScript, no build step).
export declare const NEWS_GRACE_MS: number;
export declare const LEFT_CONFERENCE: string;
export declare const YOU_HUNG_UP: string;
export declare const CALL_ENDED: string;
export declare const UNANSWERED: string;
export declare const STOPPED_RINGING: string;
export declare const RANG_OUT: string;
export declare function answeredByText(name: string): string;
export type Direction = 'inbound' | 'outbound';
export interface HangupNews {
  by: string;
  lineLost?: boolean;
}
export declare function hangupText(hangup: HangupNews, direction: Direction): string;
export declare function transferredText(target: string): string;
export declare class CallEnd {
  constructor(now?: () => number);
  begin(interactionId: string): void;
  byAgent(text: string): void;
  withdraw(text: string): void;
  ended(connected: boolean): void;
  heard(interactionId: string, hangup: HangupNews, direction: Direction): boolean;
  heardRing(interactionId: string, text: string): boolean;
  text(): string;
  textFor(interactionId: string): string;
}
