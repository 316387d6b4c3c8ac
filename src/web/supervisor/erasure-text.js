// What an erasure found or did, in words (POST /api/customers/erasures' reply), for the wallboard's
// "Erase a customer's data". Pure: unit-tested (test/unit/web/supervisor-erasure-text.test.ts).

const many = (n, one, more = `${one}s`) => `${n} ${n === 1 ? one : more}`;

/**
 * @param {{ number: string, dryRun: boolean, interactions: number, recordings: number, contacts: number,
 *   campaignContacts: number, campaignContactsCancelled: number,
 *   kept: { doNotCall: boolean, blocked: boolean } }} r
 */
export function erasureText(r) {
  const parts = [
    `${many(r.interactions, 'call')} (${many(r.recordings, 'recording')})`,
    r.contacts ? many(r.contacts, 'directory entry', 'directory entries') : '',
    r.campaignContacts
      ? `${many(r.campaignContacts, 'campaign contact')}${r.campaignContactsCancelled ? ` (${r.campaignContactsCancelled} still to be called)` : ''}`
      : '',
  ].filter(Boolean);
  const kept = [r.kept.doNotCall ? 'the do-not-call list' : '', r.kept.blocked ? 'its block' : '']
    .filter(Boolean)
    .join(' and ');
  const keeps = kept
    ? ` ${kept.charAt(0).toUpperCase()}${kept.slice(1)} keep${r.kept.doNotCall && r.kept.blocked ? '' : 's'} the number.`
    : '';
  if (r.dryRun) {
    if (r.interactions + r.contacts + r.campaignContacts === 0)
      return `Nothing is on record about ${r.number}.${keeps}`;
    return `On record about ${r.number}: ${parts.join(', ')}. Erase deletes them for good.${keeps}`;
  }
  if (r.interactions + r.contacts + r.campaignContacts === 0)
    return `Nothing was left to erase about ${r.number}.${keeps}`;
  return `Erased ${r.number}'s data: ${parts.join(', ')}.${keeps}`;
}

/**
 * A copy of a customer's data taken (POST /api/customers/exports' reply), saved as `file`.
 * @param {{ number: string, interactions: unknown[], directory: unknown[], campaignContacts: unknown[] }} r
 * @param {string} file
 */
export function copyText(r, file) {
  const parts = [
    many(r.interactions.length, 'call'),
    r.directory.length ? many(r.directory.length, 'directory entry', 'directory entries') : '',
    r.campaignContacts.length ? many(r.campaignContacts.length, 'campaign contact') : '',
  ].filter(Boolean);
  return `A copy of what is on record about ${r.number} (${parts.join(', ')}) saved as ${file}.`;
}
