/** The wallboard's skills field: what a supervisor types, read as the API's map, and a map read back in words. */
import { describe, expect, it } from 'vitest';
import { skillsFromText, skillsText } from '../../../src/web/supervisor/skills-text.js';

describe('skills typed on the wallboard', () => {
  it('reads "name level" pairs however they are separated', () => {
    expect(skillsFromText('spanish 4, billing 2')).toEqual({ skills: { spanish: 4, billing: 2 } });
    expect(skillsFromText(' Spanish:4;billing=10 \n vip-line 1 ')).toEqual({
      skills: { spanish: 4, billing: 10, 'vip-line': 1 },
    });
    expect(skillsFromText('   ')).toEqual({ skills: {} });
  });

  it('names the first entry it cannot take', () => {
    expect(skillsFromText('spanish')).toEqual({
      problem: '"spanish": write a skill and its level, e.g. "spanish 4"',
    });
    expect(skillsFromText('spanish 11')).toEqual({
      problem: 'spanish: the level is a whole number from 1 to 10, not "11"',
    });
    expect(skillsFromText('billing 2, spanish 0')).toEqual({
      problem: 'spanish: the level is a whole number from 1 to 10, not "0"',
    });
    expect(skillsFromText('spanish 2.5')).toMatchObject({ problem: expect.stringContaining('"2.5"') });
    expect(skillsFromText('español 3')).toEqual({
      problem: '"español": a skill is lowercase letters, digits, _ or - (e.g. spanish)',
    });
    expect(skillsFromText('sales 3, Sales 4')).toEqual({ problem: 'sales is named twice' });
  });

  it('reads a map back, the highest level first', () => {
    expect(skillsText({ billing: 2, spanish: 4, sales: 4 })).toBe('sales 4, spanish 4, billing 2');
    expect(skillsText({})).toBe('no skills');
    expect(skillsFromText(skillsText({ billing: 2, spanish: 4 }))).toEqual({
      skills: { spanish: 4, billing: 2 },
    });
  });
});
