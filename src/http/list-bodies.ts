import { ApiError } from './errors.js';

/**
 * The furthest a page may start (`offset`): past every row a site keeps, and within what SQLite binds as an
 * integer (a larger number comes through as a float, which SQLite refuses as a mismatch: a 500).
 */
export const OFFSET_MAX = 1_000_000_000;

/**
 * A list a request gives typed (`items`) or as a CSV file (`itemsCsv`), one of the two: which it is, or the
 * refusal (400 `REQUEST_INVALID`) for both or neither. `what` names the list ("the shifts"), `file` the file
 * ("a roster file") in that refusal.
 */
export function typedOrFile<T>(
  body: { items?: T[] | undefined; itemsCsv?: string | undefined },
  what: string,
  file: string,
): { items: T[] } | { csv: string } {
  if (body.items && body.itemsCsv !== undefined)
    throw new ApiError(400, 'REQUEST_INVALID', 'give items or itemsCsv, not both');
  if (body.items) return { items: body.items };
  if (body.itemsCsv === undefined)
    throw new ApiError(
      400,
      'REQUEST_INVALID',
      `${what} are missing: give items (a list) or itemsCsv (${file})`,
    );
  return { csv: body.itemsCsv };
}
