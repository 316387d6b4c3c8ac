/**
 * One byte range of a `Range: bytes=…` request header (RFC 9110 §14), so a browser's <audio> element can
 * seek in a long recording without fetching it from the start. Several ranges, or a header that is not a
 * bytes range, are ignored (the whole file is sent, which the RFC allows); a range past the end is
 * unsatisfiable (416).
 */
export type ByteRange = { start: number; end: number } | 'unsatisfiable' | undefined;

export function parseByteRange(header: string | undefined, size: number): ByteRange {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return undefined;
  if (first === '') {
    // The last N bytes.
    const n = Number(last);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined; // not a valid range: ignored
  return { start, end };
}
