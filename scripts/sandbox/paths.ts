import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or installed app) root: the nearest folder above this file holding package.json. */
function findRepoDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const REPO_DIR = findRepoDir();

/** The Asterisk root built by scripts/build-asterisk-root.sh (outside the repository, never committed). */
export function asteriskRootDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CC_ASTERISK_ROOT) return resolve(env.CC_ASTERISK_ROOT);
  const cache = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cache, 'contact-center', 'asterisk-root');
}
