import { lstatSync, readlinkSync, rmdirSync, type Stats, symlinkSync, unlinkSync } from 'node:fs';

/** Makes `path` a symlink to `target`, replacing an empty directory; a directory with files is refused. */
export function linkDirectory(path: string, target: string): void {
  const stat = lstatIfExists(path);
  if (stat?.isSymbolicLink()) {
    if (readlinkSync(path) === target) return;
    unlinkSync(path);
  } else if (stat?.isDirectory()) {
    try {
      rmdirSync(path);
    } catch (error) {
      throw new Error(`cannot link ${path} to ${target}: ${(error as Error).message} (move its files first)`);
    }
  }
  symlinkSync(target, path);
}

function lstatIfExists(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
