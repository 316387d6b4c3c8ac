import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SupervisorRef } from '../acd/router-types.js';
import type { DoNotCallLog } from '../store/do-not-call-log.js';
import type { InteractionLog } from '../store/interaction-log.js';
import {
  type DoNotCallBy,
  type DoNotCallEntry,
  DoNotCallList,
  type DoNotCallRefusal,
  doNotCallReason,
} from '../supervision/do-not-call.js';

type Outcome = { entry: DoNotCallEntry } | { refused: DoNotCallRefusal };

/**
 * The do-not-call list as the service holds it: each decision of the list (src/supervision/do-not-call.ts)
 * is put on record before it counts, and one that cannot be is taken back (a request a restart would forget
 * does not stand); an entry noted on a call is kept on that call's timeline too, with its removal. Agents'
 * calls out and callbacks ask it whether a number may be called.
 */
export class DoNotCallNumbers {
  private list = new DoNotCallList();

  constructor(
    private readonly options: {
      store: Pick<DoNotCallLog, 'added' | 'addedMany' | 'removed' | 'standing'>;
      log: Pick<InteractionLog, 'record'>;
      /** Reads a number in the numbering plan's one form, as callers' and dialled numbers are. */
      canonical: (number: string) => string;
      /** An agent's name by id, for the reason a refusal gives. */
      agentName: (agentId: string) => string;
      now: () => number;
      logger: Logger;
      newId?: () => string;
    },
  ) {}

  /** The entries standing, from the record (at start: kept through a restart). */
  async load(): Promise<void> {
    this.list = new DoNotCallList(await this.options.store.standing());
  }

  standing(): DoNotCallEntry[] {
    return this.list.standing();
  }

  /** The entry on `number` (in any form the numbering plan reads), if one stands. */
  on(number: string): DoNotCallEntry | undefined {
    return this.list.on(this.options.canonical(number));
  }

  /** Why the contact center may not call `number` (the customer asked not to be), or null when it may. */
  refusal(number: string): string | null {
    const entry = this.on(number);
    return entry ? doNotCallReason(entry, this.options.agentName) : null;
  }

  /** Puts `number` on the list: by the agent on the customer's call (`interactionId`), or a supervisor. */
  async add(
    input: { number: string; note: string | null; interactionId: string | null },
    by: DoNotCallBy,
  ): Promise<Outcome> {
    const outcome = this.list.add({
      id: (this.options.newId ?? randomUUID)(),
      number: this.options.canonical(input.number),
      note: input.note,
      addedAt: this.options.now(),
      by,
      interactionId: input.interactionId,
    });
    if ('refused' in outcome) return outcome;
    const { entry } = outcome;
    try {
      await this.options.store.added(entry);
    } catch (error) {
      this.list.drop(entry);
      throw error;
    }
    this.onTimeline(entry, entry.addedAt, {
      step: 'added',
      ...(by.type === 'agent' ? { agentId: by.agentId } : by.supervisor ? { supervisor: by.supervisor } : {}),
      ...(entry.note ? { note: entry.note } : {}),
    });
    this.options.logger.info(
      {
        entryId: entry.id,
        interactionId: entry.interactionId,
        ...(by.type === 'agent' ? { agentId: by.agentId } : {}),
      },
      'number put on the do-not-call list',
    );
    return outcome;
  }

  /**
   * A supervisor's file of numbers (see DoNotCallList.addMany): all on record together before they count, or
   * none. `placeOf` names a number in a refusal (its line in the file).
   */
  async addMany(
    inputs: readonly { number: string; note: string | null }[],
    by: DoNotCallBy,
    placeOf: (index: number) => string,
  ): Promise<{ added: DoNotCallEntry[]; alreadyListed: number } | { problems: string[] }> {
    const at = this.options.now();
    const newId = this.options.newId ?? randomUUID;
    const outcome = this.list.addMany(
      inputs.map((input) => ({
        id: newId(),
        number: this.options.canonical(input.number),
        note: input.note,
        addedAt: at,
        by,
        interactionId: null,
      })),
      placeOf,
    );
    if ('problems' in outcome) return outcome;
    try {
      await this.options.store.addedMany(outcome.added);
    } catch (error) {
      this.list.dropAll(outcome.added);
      throw error;
    }
    this.options.logger.info(
      { added: outcome.added.length, alreadyListed: outcome.alreadyListed },
      'numbers put on the do-not-call list from a file',
    );
    return outcome;
  }

  /** The customer asked to be called again: a supervisor takes the number off the list. */
  async remove(id: string, by?: SupervisorRef): Promise<Outcome> {
    const outcome = this.list.remove(id, this.options.now(), by);
    if ('refused' in outcome) return outcome;
    const { entry } = outcome;
    try {
      await this.options.store.removed(entry);
    } catch (error) {
      this.list.restore(entry);
      throw error;
    }
    this.onTimeline(entry, entry.removedAt ?? this.options.now(), {
      step: 'removed',
      ...(by ? { supervisor: by } : {}),
    });
    return outcome;
  }

  /** An entry noted on a call is on that call's timeline, and so is its removal. */
  private onTimeline(
    entry: DoNotCallEntry,
    at: number,
    payload: { step: 'added' | 'removed'; agentId?: string; supervisor?: SupervisorRef; note?: string },
  ): void {
    if (entry.interactionId === null) return;
    this.options.log
      .record(entry.interactionId, at, {
        type: 'customer.do_not_call',
        payload: { entryId: entry.id, ...payload },
      })
      .catch((error: unknown) =>
        this.options.logger.error(
          { err: error, interactionId: entry.interactionId, entryId: entry.id },
          "do-not-call entry not kept on the call's timeline",
        ),
      );
  }
}
