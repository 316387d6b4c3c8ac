/**
 * The do-not-call list: customers who asked not to be called. An agent notes it on the call where the
 * customer asked (or a supervisor adds a number); from then on the contact center does not call the number:
 * agents' calls out to it are refused, and no callback to it is booked or dialled. Their own calls in are
 * answered as any. A supervisor removes an entry when the customer asks to be called again. Pure: state in,
 * decisions out.
 */
import { type ListFile, NUMBER_COLUMN_NAMES, readListFile } from '../acd/list-file.js';
import type { SupervisorRef } from '../acd/router-types.js';
import { flaggableNumber } from './caller-flags.js';

export const DO_NOT_CALL_NOTE_MAX = 200;
/** The most numbers one file may put on the list (a list may take several). */
export const DO_NOT_CALL_FILE_ROWS = 20_000;

/**
 * Numbers not to call as a spreadsheet file (see list-file.ts): a CRM's opt-outs, a registry's extract.
 * `number` (required; or phone, telephone, mobile...) and `note` (or notes, comment...).
 */
export function readDoNotCallFile(
  text: string,
  maxRows: number = DO_NOT_CALL_FILE_ROWS,
): ListFile<'number' | 'note'> | { problems: string[] } {
  return readListFile<'number' | 'note'>(text, {
    what: 'a do-not-call file',
    row: 'number',
    required: 'number',
    columns: {
      number: { names: NUMBER_COLUMN_NAMES, max: 64 },
      note: { names: ['note', 'notes', 'comment', 'comments', 'reason'], max: DO_NOT_CALL_NOTE_MAX },
    },
    // The list's own export (GET /api/do-not-call?format=csv): its other columns are not the number's.
    passOver: new Set(['addedat', 'addedby', 'interactionid', 'id']),
    unknownHint: '(leave it out, or name it note to keep it with the number)',
    maxRows,
  });
}

/** Who put a number on the list: the agent on the customer's call, or a supervisor (none: the token). */
export type DoNotCallBy =
  | { type: 'agent'; agentId: string }
  | { type: 'supervisor'; supervisor?: SupervisorRef };

export interface DoNotCallEntry {
  id: string;
  /** In the numbering plan's one form, as callbacks' and dialled numbers are matched. */
  number: string;
  note: string | null;
  addedAt: number;
  by: DoNotCallBy;
  /** The call on which the customer asked; null when a supervisor added the number. */
  interactionId: string | null;
  removedAt?: number;
  /** Who removed it; absent on the supervisor token. */
  removedBy?: SupervisorRef;
}

export type DoNotCallRefusal =
  | { code: 'NUMBER_NOT_CALLABLE'; reason: string }
  | { code: 'NUMBER_ALREADY_DO_NOT_CALL'; reason: string; entry: DoNotCallEntry }
  | { code: 'DO_NOT_CALL_NOT_FOUND'; reason: string };

type Outcome = { entry: DoNotCallEntry } | { refused: DoNotCallRefusal };

/** Who put it there and when, in words: "noted by Anna Allen on 2026-12-06". */
export function doNotCallWho(entry: DoNotCallEntry, agentName: (id: string) => string = (id) => id): string {
  const day = new Date(entry.addedAt).toISOString().slice(0, 10);
  const who =
    entry.by.type === 'agent'
      ? `noted by ${agentName(entry.by.agentId)}`
      : `added by ${entry.by.supervisor?.name ?? 'a supervisor'}`;
  return `${who} on ${day}`;
}

/** Why the number may not be called, in words, for a refusal: the customer's own request and who noted it. */
export function doNotCallReason(entry: DoNotCallEntry, agentName?: (id: string) => string): string {
  const note = entry.note ? ` (${JSON.stringify(entry.note)})` : '';
  return `the customer asked not to be called: ${entry.number} is on the do-not-call list, ${doNotCallWho(entry, agentName)}${note}`;
}

/** The numbers standing on the list, one entry each. */
export class DoNotCallList {
  private readonly byNumber = new Map<string, DoNotCallEntry>();

  constructor(standing: readonly DoNotCallEntry[] = []) {
    for (const entry of standing) if (entry.removedAt === undefined) this.byNumber.set(entry.number, entry);
  }

  standing(): DoNotCallEntry[] {
    return [...this.byNumber.values()].sort((a, b) => b.addedAt - a.addedAt);
  }

  /** The entry on `number` (in the plan's form), if it stands. */
  on(number: string): DoNotCallEntry | undefined {
    return this.byNumber.get(number);
  }

  add(entry: DoNotCallEntry): Outcome {
    // A number that names one caller is one the contact center could call (a withheld caller has none).
    if (!flaggableNumber(entry.number)) {
      return {
        refused: {
          code: 'NUMBER_NOT_CALLABLE',
          reason: `"${entry.number}" is not a number the contact center could call (a withheld caller has none)`,
        },
      };
    }
    const standing = this.byNumber.get(entry.number);
    if (standing) {
      return {
        refused: {
          code: 'NUMBER_ALREADY_DO_NOT_CALL',
          reason: `${entry.number} is on the do-not-call list already, ${doNotCallWho(standing)}`,
          entry: standing,
        },
      };
    }
    this.byNumber.set(entry.number, entry);
    return { entry };
  }

  /**
   * Many numbers at once (a file): all or none. A number no one could call refuses the lot, each named by
   * `placeOf` (nothing changes); one on the list already, or twice in these, is counted and left as it is.
   */
  addMany(
    entries: readonly DoNotCallEntry[],
    placeOf: (index: number) => string,
  ): { added: DoNotCallEntry[]; alreadyListed: number } | { problems: string[] } {
    const problems = entries.flatMap((e, i) =>
      flaggableNumber(e.number)
        ? []
        : [`${placeOf(i)}: "${e.number}" is not a number the contact center could call`],
    );
    if (problems.length > 0) return { problems };
    const added: DoNotCallEntry[] = [];
    for (const entry of entries) {
      if (this.byNumber.has(entry.number)) continue;
      this.byNumber.set(entry.number, entry);
      added.push(entry);
    }
    return { added, alreadyListed: entries.length - added.length };
  }

  /** The customer asked to be called again: off the list. */
  remove(id: string, at: number, by?: SupervisorRef): Outcome {
    const standing = [...this.byNumber.values()].find((e) => e.id === id);
    if (!standing) {
      return {
        refused: {
          code: 'DO_NOT_CALL_NOT_FOUND',
          reason: `no do-not-call entry ${id} stands (removed already?)`,
        },
      };
    }
    this.byNumber.delete(standing.number);
    return { entry: { ...standing, removedAt: at, ...(by ? { removedBy: by } : {}) } };
  }

  /** Takes additions back (their write failed). */
  dropAll(entries: readonly DoNotCallEntry[]): void {
    for (const entry of entries) this.drop(entry);
  }

  /** Takes an addition back (its write failed). */
  drop(entry: DoNotCallEntry): void {
    if (this.byNumber.get(entry.number)?.id === entry.id) this.byNumber.delete(entry.number);
  }

  /** Puts a removed entry back (the removal's write failed). */
  restore(entry: DoNotCallEntry): void {
    const { removedAt: _at, removedBy: _by, ...standing } = entry;
    this.byNumber.set(entry.number, standing);
  }
}
