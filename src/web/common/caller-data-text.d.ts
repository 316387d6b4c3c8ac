// Types of caller-data-text.js for the unit tests (the pages themselves are plain JavaScript, no build step).
export declare function languageText(code: unknown, locale?: string): string;
export declare function callerDataRows(
  data: Record<string, unknown> | null | undefined,
): { label: string; value: string }[];
