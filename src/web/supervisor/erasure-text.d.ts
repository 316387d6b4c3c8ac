// Types of erasure-text.js for the unit tests (the page itself is plain JavaScript, no build step).
export declare function erasureText(r: {
  number: string;
  dryRun: boolean;
  interactions: number;
  recordings: number;
  contacts: number;
  campaignContacts: number;
  campaignContactsCancelled: number;
  kept: { doNotCall: boolean; blocked: boolean };
}): string;
export declare function copyText(
  r: { number: string; interactions: unknown[]; directory: unknown[]; campaignContacts: unknown[] },
  file: string,
): string;
