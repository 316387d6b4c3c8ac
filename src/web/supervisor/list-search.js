// Finding an entry in a long list on the wallboard (the do-not-call list of a CRM's thousands). Pure.

/**
 * Whether an entry matches what was typed: typed digits (spaces, dashes, brackets and a + left out) are
 * looked for in the number's digits, so "555 080" finds +15550809991; what was typed is also looked for in
 * the entry's words, case left aside ("letter" finds a note "by letter", "4711" a note "ticket 4711").
 * Nothing typed: everything matches.
 * @param {{ number: string, words: string }} entry
 * @param {string} typed
 */
export function matchesTyped(entry, typed) {
  const query = typed.trim();
  if (query === '') return true;
  if (entry.words.toLowerCase().includes(query.toLowerCase())) return true;
  if (!/^[+\d\s().-]+$/.test(query)) return false;
  const digits = query.replace(/\D/g, '');
  return digits === '' || entry.number.replace(/\D/g, '').includes(digits);
}
