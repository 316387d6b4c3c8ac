import { readFileSync } from 'node:fs';

/** The last lines of a log, for an error saying why a process did not start ('' when there is none). */
export function logTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
