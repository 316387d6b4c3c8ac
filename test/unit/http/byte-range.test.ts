import { describe, expect, it } from 'vitest';
import { parseByteRange } from '../../../src/http/byte-range.js';

describe('parseByteRange (seeking in a recording)', () => {
  it.each([
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=100-', { start: 100, end: 999 }],
    ['bytes=900-5000', { start: 900, end: 999 }], // past the end: up to the end
    ['bytes=-200', { start: 800, end: 999 }], // the last 200 bytes
    ['bytes=-5000', { start: 0, end: 999 }],
    [' bytes=5-5 ', { start: 5, end: 5 }],
    ['bytes=1000-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    [undefined, undefined],
    ['bytes=-', undefined],
    ['bytes=9-3', undefined], // not a valid range: the whole file
    ['bytes=0-1,5-6', undefined], // several ranges: the whole file
    ['items=0-5', undefined],
  ] as const)('%j of 1000 bytes → %j', (header, expected) => {
    expect(parseByteRange(header, 1000)).toEqual(expected);
  });
});
