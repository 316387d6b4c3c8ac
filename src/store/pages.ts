import { setImmediate } from 'node:timers/promises';

/** Rows a long read (a report over a year) takes per turn of the event loop: a few milliseconds' work. */
export const REPORT_PAGE_ROWS = 1000;

/**
 * A long read as pages, the event loop let go between them so calls' events go first. `read(after)` gives
 * up to `pageSize` rows in key order, starting after the key of the last row read (undefined: the first
 * page). It must seek by that key alone: with the range's own lower bound in the query as well, SQLite
 * seeks to the bound and steps over every row read so far, page after page.
 */
export async function* keysetPages<Row, Key>(
  read: (after: Key | undefined) => Promise<Row[]>,
  keyOf: (row: Row) => Key,
  pageSize: number,
): AsyncGenerator<Row[]> {
  let after: Key | undefined;
  for (;;) {
    const rows = await read(after);
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (rows.length < pageSize || last === undefined) return;
    after = keyOf(last);
    await setImmediate();
  }
}
