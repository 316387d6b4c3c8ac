// Types of change-text.js for the unit tests (the page itself is plain JavaScript, no build step).

export declare function fieldChanges(before: unknown, after: unknown): string[];
export declare function changedBy(
  by: { supervisor?: { name: string }; supervisorId?: string } | undefined,
  action?: string,
): string;
export declare function changeText(
  change: { action: string; subject: string; before?: unknown; after?: unknown },
  names: { queue: (id: string) => string; agent: (id: string) => string },
): string;
