import { unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * Deletes a recording's file from the recordings folder; one already gone is no error. The stored name is
 * ours, but a path from a database row never leaves the folder.
 */
export async function deleteRecordingFile(recordingsDir: string, path: string): Promise<void> {
  await unlink(join(recordingsDir, basename(path))).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
