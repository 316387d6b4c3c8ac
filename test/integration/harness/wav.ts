import { readFileSync, writeFileSync } from 'node:fs';

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

/** A 16-bit PCM WAV's samples (first channel) and rate: what Asterisk's wav (slin 8 kHz) recordings hold. */
export function readPcm(path: string): { rate: number; samples: Int16Array } {
  const b = readFileSync(path);
  const channels = b.readUInt16LE(22);
  const rate = b.readUInt32LE(24);
  let offset = 12;
  while (offset + 8 <= b.length) {
    const id = b.toString('ascii', offset, offset + 4);
    const size = b.readUInt32LE(offset + 4);
    if (id === 'data') {
      const end = Math.min(b.length, offset + 8 + size);
      const count = Math.floor((end - offset - 8) / (2 * channels));
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) samples[i] = b.readInt16LE(offset + 8 + i * 2 * channels);
      return { rate, samples };
    }
    offset += 8 + size;
  }
  throw new Error(`${path}: no data chunk`);
}

/**
 * The power of one frequency (Goertzel) between two times of a recording, per sample: how loud a test tone
 * is in that stretch, whatever else plays beside it.
 */
export function toneLevel(
  pcm: { rate: number; samples: Int16Array },
  hz: number,
  fromS: number,
  toS: number,
): number {
  const from = Math.max(0, Math.floor(fromS * pcm.rate));
  const to = Math.min(pcm.samples.length, Math.floor(toS * pcm.rate));
  if (to <= from)
    throw new Error(`no samples between ${fromS}s and ${toS}s (recording ${pcm.samples.length / pcm.rate}s)`);
  // Blocks of 20 ms, so a tone that comes in bursts is not averaged against its own phase.
  const block = Math.floor(pcm.rate / 50);
  const k = 2 * Math.cos((2 * Math.PI * hz) / pcm.rate);
  let total = 0;
  let blocks = 0;
  for (let start = from; start + block <= to; start += block) {
    let s1 = 0;
    let s2 = 0;
    for (let i = start; i < start + block; i++) {
      const s0 = pcm.samples[i]! / 32768 + k * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    total += (s1 * s1 + s2 * s2 - k * s1 * s2) / block;
    blocks++;
  }
  return total / Math.max(1, blocks);
}

/** Writes a 16-bit mono WAV of `hz` in bursts (on/off ms): a fake microphone Chromium loops. */
export function toneBurstWav(
  path: string,
  hz: number,
  onMs = 300,
  offMs = 200,
  seconds = 4,
  rate = 48_000,
): string {
  const count = seconds * rate;
  const data = Buffer.alloc(count * 2);
  const period = ((onMs + offMs) * rate) / 1000;
  const on = (onMs * rate) / 1000;
  const ramp = rate / 100; // 10 ms fades: a hard edge would click across the whole spectrum
  for (let i = 0; i < count; i++) {
    const t = i % period;
    const envelope = t >= on ? 0 : Math.min(1, t / ramp, (on - t) / ramp);
    const v = 0.5 * envelope * Math.sin((2 * Math.PI * hz * i) / rate);
    data.writeInt16LE(Math.round(v * 32767), i * 2);
  }
  writeFileSync(path, pcmWav(data, rate));
  return path;
}

/** A mono 16-bit PCM WAV file's bytes: the 44-byte header, then `data` (little-endian samples). */
export function pcmWav(data: Buffer, rate: number): Buffer {
  return monoWav(data, rate, 'pcm16');
}

/**
 * A mono WAV file's bytes: 16-bit PCM (format tag 1), or 8-bit μ-law (format tag 7, with the extra format
 * field and the fact chunk a non-PCM WAV carries).
 */
function monoWav(data: Buffer, rate: number, format: 'pcm16' | 'mulaw'): Buffer {
  const mulaw = format === 'mulaw';
  const sampleBytes = mulaw ? 1 : 2;
  const fmtSize = mulaw ? 18 : 16;
  const dataAt = 20 + fmtSize + (mulaw ? 12 : 0);
  const header = Buffer.alloc(dataAt + 8);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(dataAt + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(fmtSize, 16);
  header.writeUInt16LE(mulaw ? 7 : 1, 20);
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * sampleBytes, 28); // byte rate
  header.writeUInt16LE(sampleBytes, 32); // block align
  header.writeUInt16LE(sampleBytes * 8, 34);
  if (mulaw) {
    header.writeUInt16LE(0, 36); // no extra format bytes
    header.write('fact', 38, 'ascii');
    header.writeUInt32LE(4, 42);
    header.writeUInt32LE(data.length, 46); // samples
  }
  header.write('data', dataAt, 'ascii');
  header.writeUInt32LE(data.length, dataAt + 4);
  return Buffer.concat([header, data]);
}

/** G.711 μ-law of one 16-bit sample (the ITU reference's segment encoding). */
function muLaw(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(Math.abs(Math.round(sample)), CLIP) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  magnitude = sign | (exponent << 4) | mantissa;
  return ~magnitude & 0xff;
}

/**
 * A sine tone as an 8 kHz mono μ-law WAV (format tag 7, with the fact chunk a non-PCM WAV carries): what
 * SIPp's rtp_stream plays as PCMU. `volume` is the amplitude as a fraction of full scale (0: silence).
 */
export function muLawToneWav(seconds: number, hz: number, volume: number, toneSeconds = seconds): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(seconds * rate);
  const toneSamples = toneSeconds * rate;
  for (let i = 0; i < data.length; i++) {
    // After `toneSeconds`, silence that is still sent (a phone's line is quiet, not gone).
    data[i] = muLaw(i < toneSamples ? volume * 32767 * Math.sin((2 * Math.PI * hz * i) / rate) : 0);
  }
  return monoWav(data, rate, 'mulaw');
}
