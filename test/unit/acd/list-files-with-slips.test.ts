/**
 * The spreadsheet files supervisors upload (callback lists, campaign contacts, rosters, do-not-call lists)
 * come from CRMs, registries and hand edits: cut off, re-saved with other line ends or separators, a byte
 * order mark, a stray quote, a misspelt column, a field pasted a hundred times. Each reader takes such a file
 * or refuses it with problems in words (by line where there is one): it never throws, and never says
 * "undefined" or "NaN".
 */
import { describe, expect, it } from 'vitest';
import { readCallbackFile } from '../../../src/acd/callback-file.js';
import { readContactFile } from '../../../src/acd/contact-file.js';
import { readRosterFile } from '../../../src/agents/roster-file.js';
import { readDoNotCallFile } from '../../../src/supervision/do-not-call.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const ZONE = 'Europe/London';

const readers: { name: string; good: string; read: (text: string) => object }[] = [
  {
    name: 'callback list',
    good: 'number,name,at,agent,note\n+15550100199,Ada Lovelace,2026-12-08 10:00,agent1,question about the bill\n"+1 555 010 0200","Grace, Hopper",,,"said ""call after 5"""\n',
    read: (text) => readCallbackFile(text, ZONE, NOW),
  },
  {
    name: 'campaign contacts',
    good: 'number,name,note\n+15550100199,Ada Lovelace,renewal due 31 Dec\n+15550100200,Grace Hopper,\n',
    read: (text) => readContactFile(text),
  },
  {
    name: 'roster',
    good: 'agent,date,from,to,breaks,note\nagent1,2026-12-08,09:00,17:30,12:00-12:30 Lunch; 15:00-15:15,late\nagent2,2026-12-08,22:00,06:00,,night\n',
    read: (text) => readRosterFile(text, ZONE),
  },
  {
    name: 'do-not-call list',
    good: 'number,note\n+15550100199,letter of 1 December\n07700 900123,\n',
    read: (text) => readDoNotCallFile(text),
  },
];

/** What happens to such files on their way: each from the good one. */
function slips(good: string): { what: string; text: string }[] {
  const lines = good.split('\n');
  const out = [
    { what: 'empty', text: '' },
    { what: 'blank lines only', text: '\n \n\t\n' },
    { what: 'the header only', text: `${lines[0]}\n` },
    { what: 'a byte order mark', text: `\uFEFF${good}` },
    { what: 'CRLF line ends', text: good.replaceAll('\n', '\r\n') },
    { what: 'CR line ends', text: good.replaceAll('\n', '\r') },
    { what: 'semicolons', text: good.replaceAll(',', ';') },
    { what: 'tabs', text: good.replaceAll(',', '\t') },
    { what: 'a misspelt column', text: good.replace(/^[a-z]+/, (c) => `${c}x`) },
    { what: 'a stray quote', text: good.replace('\n', '\n"') },
    { what: 'an unclosed quote at the end', text: `${good}"+1555` },
    { what: 'extra columns', text: good.replaceAll('\n', ',extra,more\n') },
    { what: 'a field pasted a hundred times', text: good.replace('\n', `\n${'x'.repeat(100_000)}`) },
    { what: 'NUL bytes and emoji', text: good.replace('\n', '\n\u0000📞\u0000') },
    { what: 'a lone surrogate', text: good.replace('\n', '\n\uD800') },
    { what: 'the same line 30,000 times', text: lines[0] + `\n${lines[1]}`.repeat(30_000) },
  ];
  for (const [i, line] of lines.entries()) {
    if (line)
      out.push({
        what: `line ${i + 1} cut off`,
        text: lines.map((l, j) => (j === i ? l.slice(0, l.length / 2) : l)).join('\n'),
      });
  }
  return out;
}

describe('list files with slips', () => {
  for (const reader of readers) {
    it(`${reader.name}: taken, or refused in words, never thrown`, () => {
      const good = reader.read(reader.good);
      expect(good, 'the good file').not.toHaveProperty('problems');
      const failures: string[] = [];
      let refused = 0;
      for (const slip of slips(reader.good)) {
        let result: object;
        try {
          result = reader.read(slip.text);
        } catch (error) {
          failures.push(`${slip.what}: threw ${String(error)}`);
          continue;
        }
        if (!('problems' in result)) continue;
        refused++;
        const problems = result.problems as unknown[];
        if (problems.length === 0) failures.push(`${slip.what}: refused without a word`);
        for (const problem of problems) {
          if (typeof problem !== 'string' || problem.trim() === '' || /undefined|NaN|\[object/.test(problem))
            failures.push(`${slip.what}: ${JSON.stringify(problem).slice(0, 200)}`);
        }
      }
      expect(failures).toEqual([]);
      expect(refused).toBeGreaterThan(5);
    });
  }
});
