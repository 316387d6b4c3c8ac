import { writeFileSync } from 'node:fs';

/**
 * Debian's Asterisk packages ship no music-on-hold files (lab notes, gotcha 12): callers would wait in
 * silence. This writes a soft, repeating chime as 8 kHz 16-bit mono WAV, which format_wav plays.
 */
export function writeHoldMusic(path: string, seconds = 12): void {
  const rate = 8000;
  const samples = rate * seconds;
  const data = Buffer.alloc(samples * 2);
  const notes = [523.25, 659.25, 783.99, 659.25]; // C5 E5 G5 E5, one per half second
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    const noteIndex = Math.floor(t * 2) % notes.length;
    const inNote = (t * 2) % 1; // 0..1 within the note
    const envelope = Math.exp(-4 * inNote); // a soft decay per note
    const value = Math.sin(2 * Math.PI * notes[noteIndex]! * t) * envelope * 0.25;
    data.writeInt16LE(Math.round(value * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
}
