import { lstatSync, mkdirSync, mkdtempSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkDirectory } from '../../../scripts/sandbox/link-directory.js';

describe('linkDirectory (the recordings spool in a container, where a bind mount is not allowed)', () => {
  const fresh = () => mkdtempSync(join(tmpdir(), 'link-dir-'));

  it('replaces the empty spool directory the config step created with a link to the recordings', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'spool'));
    linkDirectory(join(dir, 'spool'), join(dir, 'recordings'));
    expect(lstatSync(join(dir, 'spool')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'spool'))).toBe(join(dir, 'recordings'));
  });

  it('keeps a link that already points there and re-points one that does not', () => {
    const dir = fresh();
    symlinkSync(join(dir, 'old'), join(dir, 'spool'));
    linkDirectory(join(dir, 'spool'), join(dir, 'recordings'));
    expect(readlinkSync(join(dir, 'spool'))).toBe(join(dir, 'recordings'));
    linkDirectory(join(dir, 'spool'), join(dir, 'recordings'));
    expect(readlinkSync(join(dir, 'spool'))).toBe(join(dir, 'recordings'));
  });

  it('refuses to replace a spool that holds files, naming both paths, and leaves the files alone', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'spool'));
    writeFileSync(join(dir, 'spool', 'call.wav'), 'RIFF');
    expect(() => linkDirectory(join(dir, 'spool'), join(dir, 'recordings'))).toThrow(
      /cannot link .*spool to .*recordings.*move its files first/,
    );
    expect(lstatSync(join(dir, 'spool', 'call.wav')).isFile()).toBe(true);
  });
});
