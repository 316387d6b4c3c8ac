/**
 * Erasing a customer's personal data at their request (the right to erasure): what replaces it on record,
 * and how a timeline entry is cleaned of it. Pure: the store applies it (src/store/customer-data-log.ts).
 */

/** What stands where the customer's data was. */
export const ERASED = '[erased]';

/**
 * Payload fields that hold what the customer said, keyed in or gave, or what was written about them (a
 * wrap-up's notes, a callback's note, the data an IVR gathered): erased whatever they hold.
 */
const PERSONAL_FIELDS: ReadonlySet<string> = new Set([
  'callerName',
  'callerData',
  'note',
  'notes',
  'digits',
  'detail',
]);

/** The fewest digits a number must have to be erased: a short code or extension would match too much. */
export const MIN_ERASABLE_DIGITS = 6;

/** A personal field's value that says anything (not empty, not erased already). */
function holdsSomething(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || v === ERASED) return false;
  return typeof v !== 'object' || Object.keys(v).length > 0;
}

/**
 * A timeline entry's payload with the customer's data erased: any string holding one of the number's
 * `forms` (E.164, national…; see NumberPlan.writtenForms) and every personal field become ERASED. The rest
 * (queues, agents, times, outcomes) stays, so the figures and the record of what happened stay whole.
 */
export function scrubPayload(value: unknown, forms: readonly string[]): { value: unknown; changed: boolean } {
  let changed = false;
  const walk = (v: unknown, key?: string): unknown => {
    if (key !== undefined && PERSONAL_FIELDS.has(key) && holdsSomething(v)) {
      changed = true;
      return ERASED;
    }
    if (typeof v === 'string') {
      if (forms.some((form) => v.includes(form))) {
        changed = true;
        return ERASED;
      }
      return v;
    }
    if (Array.isArray(v)) return v.map((item) => walk(item));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk(item, k);
      return out;
    }
    return v;
  };
  const scrubbed = walk(value);
  return { value: changed ? scrubbed : value, changed };
}

/** A number as the change log names an erasure: enough to tell requests apart, not to call anyone. */
export function maskNumber(number: string): string {
  if (number.length <= 6) return '•'.repeat(number.length);
  return `${number.slice(0, 4)}${'•'.repeat(number.length - 6)}${number.slice(-2)}`;
}
