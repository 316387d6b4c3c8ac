import { open } from 'node:fs/promises';

/**
 * How long a WAV recording lasts, from its header and its size on disk: the length of a message Asterisk
 * finished while no run of the service listened (its RecordingFinished event, which says it, went to
 * nobody). The data is taken to run to the end of the file: a file Asterisk did not close cleanly has a
 * data size of 0 in its header. Undefined when there is no such file or it is not a WAV.
 */
export async function wavDurationMs(path: string): Promise<number | undefined> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(Math.min(size, 4096));
    await file.read(head, 0, head.length, 0);
    if (
      head.length < 12 ||
      head.toString('ascii', 0, 4) !== 'RIFF' ||
      head.toString('ascii', 8, 12) !== 'WAVE'
    )
      return undefined;
    let byteRate: number | undefined;
    // Chunks: 4-byte id, 4-byte little-endian size, the body padded to an even length.
    for (let at = 12; at + 8 <= head.length; ) {
      const id = head.toString('ascii', at, at + 4);
      const chunkSize = head.readUInt32LE(at + 4);
      if (id === 'fmt ' && at + 20 <= head.length) byteRate = head.readUInt32LE(at + 16);
      if (id === 'data') {
        if (!byteRate) return undefined;
        return Math.round(((size - (at + 8)) * 1000) / byteRate);
      }
      at += 8 + chunkSize + (chunkSize % 2);
    }
    return undefined;
  } finally {
    await file.close();
  }
}
