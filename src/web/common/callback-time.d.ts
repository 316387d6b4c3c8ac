// Types of callback-time.js for the unit tests (the pages themselves are plain JavaScript, no build step).

export declare function localInputValue(date: Date): string;
export declare function tomorrowThisTime(now?: number): Date;
export declare function earliestBooking(now?: number): Date;
export declare function callbackWhen(iso: string): string;
export declare function callbackDueText(request: {
  state: string;
  callback: { attempts: number; notBefore?: string; callableFrom?: string };
}): string;
export declare function callbackRequestText(
  request: {
    by?:
      | { agentId: string }
      | { supervisor: { id: string; name: string } | null }
      | { abandoned: { waitedSeconds: number } }
      | { campaign: { id: string; name: string } };
    note?: string;
  } | null,
): string;
