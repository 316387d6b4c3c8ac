import { readFileSync } from 'node:fs';

export interface WavFacts {
  /** One RIFF header whose sizes match the file (Asterisk writes them when it closes the file). */
  wellFormed: boolean;
  /** Audio length from the data chunk's size and the byte rate. */
  seconds: number;
}

/** Reads a recording's WAV header: enough to tell a closed, single-part file and how long it plays. */
export function readWav(path: string): WavFacts {
  const b = readFileSync(path);
  if (b.length < 44 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') {
    return { wellFormed: false, seconds: 0 };
  }
  const byteRate = b.readUInt32LE(28);
  let offset = 12;
  while (offset + 8 <= b.length) {
    const id = b.toString('ascii', offset, offset + 4);
    const size = b.readUInt32LE(offset + 4);
    if (id === 'data') {
      const actual = b.length - offset - 8;
      const headers = b.toString('latin1').split('RIFF').length - 1;
      return {
        wellFormed: size === actual && b.readUInt32LE(4) === b.length - 8 && headers === 1,
        seconds: actual / byteRate,
      };
    }
    offset += 8 + size;
  }
  return { wellFormed: false, seconds: 0 };
}
