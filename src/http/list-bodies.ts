import { ApiError } from './errors.js';

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
