/**
 * Report bodies (reports, the alerts on record): JSON with its envelope, or CSV, streamed in chunks of rows
 * with the event loop let go in between.
 */
import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import type { TObject } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';

/** Rows a report sends per chunk, the event loop let go in between. */
const ROWS_PER_CHUNK = 500;

/**
 * A report's body as a stream of chunks of rows, the event loop let go between them: serialized in one
 * go, a month of hours for 40 agents (30,000 rows) held every call's events up for half a second. The
 * body is what the route's response schema documents.
 */
function paced<T>(head: string, rows: readonly T[], line: (row: T) => string, between: string, tail: string) {
  return Readable.from(
    (async function* () {
      yield head;
      for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) {
        if (i > 0) await setImmediate();
        yield (i > 0 ? between : '') +
          rows
            .slice(i, i + ROWS_PER_CHUNK)
            .map(line)
            .join(between);
      }
      yield tail;
    })(),
    { objectMode: false },
  );
}

export function sendJson<T, P>(
  reply: FastifyReply,
  envelope: Record<string, unknown>,
  rows: readonly T[],
  present: (row: T) => P,
): FastifyReply {
  const head = `${JSON.stringify(envelope).slice(0, -1)},"rows":[`;
  return reply
    .type('application/json; charset=utf-8')
    .send(paced(head, rows, (row) => JSON.stringify(present(row)), ',', ']}'));
}

/**
 * The columns a CSV always has, from its row's schema: one per property, in the schema's order, but for
 * open-ended maps (seconds per not-ready reason), whose columns come from the rows. A file with no rows
 * still has its header, so a spreadsheet or an import reads it as empty rather than malformed.
 */
export function csvColumns(row: TObject, replace: Record<string, readonly string[]> = {}): string[] {
  return Object.entries(row.properties).flatMap(([key, schema]) => {
    if (replace[key]) return [...replace[key]];
    return schema.type === 'object' && !schema.properties ? [] : [key];
  });
}

/**
 * Text a spreadsheet would run as a formula when the file is opened (a caller's display name or a note of
 * "=HYPERLINK(…)", "@SUM(…)", "+cmd|…"): such a cell is written with a leading apostrophe, kept as text.
 * A number, signed or written with separators ("+1 555 0100", "-3"), is left as it is.
 */
const FORMULA = /^[=@\t\r]|^[+-](?![\d\s().-]*$)/;

/**
 * Rows as CSV (RFC 4180): `columns` first (see csvColumns), then any a row adds: nested figures (seconds per
 * state, per reason) become one column each.
 */
export function sendCsv<T>(
  reply: FastifyReply,
  filename: string,
  columns: readonly string[],
  rows: readonly T[],
  present: (row: T) => Record<string, unknown>,
): FastifyReply {
  const flatten = (row: T) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(present(row))) {
      if (value && typeof value === 'object') {
        for (const [inner, v] of Object.entries(value)) out[`${key}.${inner}`] = v;
      } else out[key] = value;
    }
    return out;
  };
  // Every row's columns first (not-ready reasons differ from row to row), then the lines.
  const header = [...new Set([...columns, ...rows.flatMap((row) => Object.keys(flatten(row)))])];
  const cell = (value: unknown): string => {
    const raw = value === null || value === undefined ? '' : String(value);
    const text = FORMULA.test(raw) ? `'${raw}` : raw;
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const line = (row: T) => {
    const flat = flatten(row);
    return header.map((c) => cell(flat[c] ?? (c.includes('.') ? 0 : ''))).join(',');
  };
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename.replaceAll(':', '')}"`)
    .send(paced(`${header.join(',')}\r\n`, rows, line, '\r\n', rows.length > 0 ? '\r\n' : ''));
}
