/**
 * Prompt catalogue from an Asterisk sounds directory: every sound file becomes a prompt name (its
 * path without extension, e.g. `hello-world`, `digits/1`).
 */
import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LANGUAGE_CODE } from '../ivr/check.js';

const SOUND_EXT = /\.(gsm|wav|wav16|ulaw|alaw|g722|g729|sln|sln16|sln48|ogg|mp3|siren7|siren14|h263|h264)$/i;

/** All prompt names below `dir` (recursively, following symlinked directories). */
export async function promptsFromSoundsDir(dir: string): Promise<Set<string>> {
  const out = new Set<string>();
  const walk = async (abs: string, rel: string, depth: number): Promise<void> => {
    if (depth > 8) return;
    let entries: string[];
    try {
      entries = await readdir(abs);
    } catch {
      return;
    }
    for (const name of entries) {
      const full = path.join(abs, name);
      let st: Awaited<ReturnType<typeof stat>>;
      try {
        st = await stat(full);
      } catch {
        continue; // dangling symlink
      }
      const relName = rel ? `${rel}/${name}` : name;
      if (st.isDirectory()) await walk(full, relName, depth + 1);
      else if (SOUND_EXT.test(name)) out.add(relName.replace(SOUND_EXT, ''));
    }
  };
  await walk(dir, '', 0);
  return out;
}

/**
 * Resolves `relPath` inside a chroot-style `root`, following symlinks the way they would resolve
 * inside it (Debian's `sounds/en` → `/etc/alternatives/asterisk-prompt-en` → `/usr/share/...`).
 */
export async function resolveInRoot(root: string, relPath: string): Promise<string> {
  let parts = relPath.split('/').filter(Boolean);
  let current = path.resolve(root);
  for (let hops = 0; parts.length > 0; ) {
    const name = parts.shift() as string;
    const next = path.join(current, name);
    let isLink = false;
    try {
      isLink = (await lstat(next)).isSymbolicLink();
    } catch {
      return path.join(next, ...parts);
    }
    if (!isLink) {
      current = next;
      continue;
    }
    if (++hops > 40) throw new Error(`too many symlinks resolving ${relPath} in ${root}`);
    const target = await readlink(next);
    const targetParts = target.split('/').filter(Boolean);
    if (path.isAbsolute(target)) current = path.resolve(root);
    parts = [...targetParts, ...parts];
  }
  return current;
}

/** The Asterisk root built by scripts/build-asterisk-root.sh. */
export function defaultAsteriskRoot(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.CC_ASTERISK_ROOT ??
    path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'contact-center', 'asterisk-root')
  );
}

/** Sounds directory of `language` inside an Asterisk root. */
export function soundsDirInRoot(root: string, language = 'en'): Promise<string> {
  return resolveInRoot(root, `usr/share/asterisk/sounds/${language}`);
}

/**
 * Where an Asterisk root's `custom/` sounds are, as a host path: its `sounds/custom` followed (Debian links it
 * to /usr/local/share/asterisk/sounds), where the sandbox puts the config's `customSoundsDir`.
 */
export function customSoundsDirInRoot(root: string): Promise<string> {
  return resolveInRoot(root, 'usr/share/asterisk/sounds/custom');
}

/** The languages an Asterisk root has sounds for (`en`, `en_US`, `es`…): its sounds folders named so. */
export async function languagesFromAsteriskRoot(root: string = defaultAsteriskRoot()): Promise<Set<string>> {
  const out = new Set<string>();
  let names: string[];
  try {
    names = await readdir(await resolveInRoot(root, 'usr/share/asterisk/sounds'));
  } catch {
    return out;
  }
  for (const name of names) {
    if (!LANGUAGE_CODE.test(name)) continue;
    const dir = await resolveInRoot(root, `usr/share/asterisk/sounds/${name}`);
    if (
      await stat(dir).then(
        (s) => s.isDirectory(),
        () => false,
      )
    )
      out.add(name);
  }
  return out;
}

/**
 * The sounds each language but English (Asterisk's default, what any missing sound falls back to) has of
 * its own: its Asterisk sounds, and the contact center's `custom/<name>` found in `<customDir>/<language>/`.
 */
export async function languagePromptsFromAsteriskRoot(
  root: string,
  languages: Iterable<string>,
  customDir?: string,
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const custom = customDir ?? (await customSoundsDirInRoot(root));
  for (const language of languages) {
    if (language === 'en' || language.startsWith('en_')) continue;
    const [own, recorded] = await Promise.all([
      promptsFromSoundsDir(await soundsDirInRoot(root, language)),
      promptsFromSoundsDir(path.join(custom, language)),
    ]);
    for (const name of recorded) own.add(`custom/${name}`);
    out.set(language, own);
  }
  return out;
}

/**
 * Prompt names available for `language` in an Asterisk root (empty set if none): the language's own, and
 * the contact center's as `custom/<name>` (Asterisk finds `custom/x` there when the language has none).
 */
export async function promptsFromAsteriskRoot(
  root: string = defaultAsteriskRoot(),
  language = 'en',
): Promise<Set<string>> {
  const [prompts, custom] = await Promise.all([
    promptsFromSoundsDir(await soundsDirInRoot(root, language)),
    promptsFromSoundsDir(await customSoundsDirInRoot(root)),
  ]);
  for (const name of custom) prompts.add(`custom/${name}`);
  return prompts;
}
