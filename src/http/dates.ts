import { Type } from '@sinclair/typebox';
import { startOfDate, startOfNextDay } from '../acd/site-day.js';
import { ApiError } from './errors.js';

/**
 * A query's time bound: an instant (ISO 8601 with its offset), or a calendar date `YYYY-MM-DD`, read as a
 * whole day of the contact center's time zone. One schema, so every filter and report takes both.
 */
export const InstantOrDate = (description: string) =>
  Type.Union([Type.String({ format: 'date-time' }), Type.String({ format: 'date' })], { description });

/**
 * A list's range and length, described by what its bound is on (`Asked`, `Came due`): `from` and `to` as
 * instants or dates (see rangeOrToday: today up to now when absent), and `limit`.
 */
export const rangeQueryFields = (bound: { from: string; to: string }) => ({
  from: Type.Optional(
    InstantOrDate(
      `${bound.from} at or after: an instant (ISO 8601), or a date YYYY-MM-DD from that day's start in the contact center's time zone (default: today)`,
    ),
  ),
  to: Type.Optional(
    InstantOrDate(`${bound.to} before: an instant, or a date to the end of that day (default: now)`),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
});

const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** A range's start: the instant, or the start of the date's day. */
export function rangeStart(value: string, timeZone: string): number {
  return isDate(value) ? startOfDate(value, timeZone) : Date.parse(value);
}

/** A range's (exclusive) end: the instant, or the end of the date's day (the date included). */
export function rangeEnd(value: string, timeZone: string): number {
  return isDate(value) ? startOfNextDay(startOfDate(value, timeZone), timeZone) : Date.parse(value);
}

/**
 * Refuses a query's range that is backwards or empty (400 `code`, with the reason): it would list nothing,
 * which reads as "nothing happened". A bound not given (undefined) is not checked.
 */
export function checkRange(
  from: number | undefined,
  to: number | undefined,
  q: { from?: string; to?: string },
  code = 'RANGE_INVALID',
): void {
  if (from !== undefined && to !== undefined && !(to > from)) {
    throw new ApiError(400, code, `to (${q.to ?? 'now'}) must be after from (${q.from ?? 'today'})`);
  }
}

/**
 * A list's range from its query: `from` (an instant or a date) or today's start, `to` or just after now;
 * refused (400) when it ends before it starts.
 */
export function rangeOrToday(
  q: { from?: string; to?: string },
  clock: { readonly timeZone: string; today(): number; now(): number },
): { from: number; to: number } {
  const from = q.from ? rangeStart(q.from, clock.timeZone) : clock.today();
  const to = q.to ? rangeEnd(q.to, clock.timeZone) : clock.now() + 1;
  checkRange(from, to, q);
  return { from, to };
}

/** Epoch ms as ISO 8601, null kept: the API's optional instants. */
export const isoOrNull = (ms: number | null): string | null =>
  ms === null ? null : new Date(ms).toISOString();
