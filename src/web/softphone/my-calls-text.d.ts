// Types of my-calls-text.js for the unit tests (the page itself is plain JavaScript, no build step).
export interface MyCall {
  state: string;
  direction: string;
  disposition: string | null;
  endedBy: string | null;
  lineLost?: boolean;
  callerNumber: string | null;
  callerName: string | null;
  dialedNumber: string | null;
  talkSeconds: number | null;
  wrapUpCode: string | null;
  agentId: string | null;
}
export declare function talkTime(seconds: number | null): string;
export declare function myCallEnd(
  call: Pick<MyCall, 'state' | 'direction' | 'disposition' | 'endedBy' | 'lineLost'>,
): string;
export declare function myCallLine(
  call: MyCall,
  o?: { me?: string; codeLabels?: Record<string, string>; agentName?: (id: string) => string },
): { who: string; what: string; number: string };
