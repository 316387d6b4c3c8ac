// An agent's skills as a supervisor types and reads them on the wallboard: "spanish 4, billing 2" (or
// "spanish:4"), names of lowercase letters, digits, _ or -, levels 1 to 10, as the API takes them.

const NAME = /^[a-z0-9_-]+$/;

/**
 * The skills map typed, or the first problem in words. Blank: no skills at all.
 * @param {string} text
 * @returns {{ skills: Record<string, number> } | { problem: string }}
 */
export function skillsFromText(text) {
  /** @type {Record<string, number>} */
  const skills = {};
  const entries = text
    .split(/[,;\n]/)
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const match = /^(\S+?)\s*[:= ]\s*(\S+)$/.exec(entry);
    if (!match) return { problem: `"${entry}": write a skill and its level, e.g. "spanish 4"` };
    const name = (match[1] ?? '').toLowerCase();
    const level = Number(match[2]);
    if (!NAME.test(name))
      return { problem: `"${match[1]}": a skill is lowercase letters, digits, _ or - (e.g. spanish)` };
    if (!Number.isInteger(level) || level < 1 || level > 10)
      return { problem: `${name}: the level is a whole number from 1 to 10, not "${match[2]}"` };
    if (name in skills) return { problem: `${name} is named twice` };
    skills[name] = level;
  }
  return { skills };
}

/**
 * A skills map in words, the highest level first: "spanish 4, billing 2"; "no skills" for none.
 * @param {Record<string, number>} skills
 */
export function skillsText(skills) {
  const list = Object.entries(skills).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return list.length === 0 ? 'no skills' : list.map(([name, level]) => `${name} ${level}`).join(', ');
}
