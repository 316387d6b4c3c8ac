import type { Logger } from 'pino';
import type { EventHub } from '../events/event-hub.js';
import type { InteractionLog } from '../store/interaction-log.js';
import type { TelephonyStatus } from '../telephony/telephony.js';
import type { UnservedCallNote } from '../telephony/unserved-notes.js';
import { NumberPlan } from './number-plan.js';

/** What the importer needs of Telephony: the links' status and Asterisk's notes. */
export interface UnservedCallSource {
  unservedCalls(): Promise<UnservedCallNote[]>;
  forgetUnservedCall(channelId: string): Promise<void>;
  status(): TelephonyStatus;
  on(event: 'status', listener: (status: TelephonyStatus) => void): unknown;
}

export interface UnservedCallsOptions {
  telephony: UnservedCallSource;
  log: InteractionLog;
  hub: EventHub;
  logger: Logger;
  now?: () => number;
  /** The numbering plan the caller's number is put on record in (as every call's is). */
  numbers?: NumberPlan;
  /**
   * A second look this long after Asterisk is reachable again (default 10 s): a call that found no service
   * a moment before the application registered may still be writing its note at the first look.
   */
  secondLookMs?: number;
}

export const UNSERVED_REASON = 'the service was not connected to Asterisk';

/**
 * Calls Asterisk turned away on its own while the service was not connected (down, restarting, or cut off
 * from ARI) are not lost: the dialplan notes each in AstDB, and this puts every note on record as a closed
 * inbound interaction (disposition `rejected`, `call.unserved` on its timeline) once ARI and AMI are both
 * up again, then deletes the note. A note is deleted only after its record is committed, and the record is
 * written once per channel, so an import cut short anywhere neither loses a call nor records it twice.
 */
export class UnservedCallImporter {
  private readonly now: () => number;
  private running: Promise<number> | undefined;
  private again = false;
  private ready = false;
  private secondLook: NodeJS.Timeout | undefined;

  constructor(private readonly options: UnservedCallsOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.options.telephony.on('status', (status) => this.onStatus(status));
    this.onStatus(this.options.telephony.status());
  }

  /** Stops looking; resolves once an import under way has finished (before the database closes). */
  async stop(): Promise<void> {
    clearTimeout(this.secondLook);
    this.again = false;
    await this.running;
  }

  /** Imports every note Asterisk holds now; resolves with how many calls were put on record. */
  importNow(): Promise<number> {
    if (this.running) {
      this.again = true; // notes written after the running pass listed them
      return this.running;
    }
    this.running = this.importAll().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.importNow();
      }
    });
    return this.running;
  }

  private onStatus(status: TelephonyStatus): void {
    const ready = status.ari === 'up' && status.ami === 'up';
    if (ready && !this.ready) {
      void this.importNow();
      clearTimeout(this.secondLook);
      this.secondLook = setTimeout(() => void this.importNow(), this.options.secondLookMs ?? 10_000);
      this.secondLook.unref();
    }
    this.ready = ready;
  }

  private async importAll(): Promise<number> {
    const { telephony, logger } = this.options;
    let notes: UnservedCallNote[];
    try {
      notes = await telephony.unservedCalls();
    } catch (error) {
      // The notes stay in Asterisk; the next time ARI and AMI are both up, they are read again.
      logger.warn({ err: error }, 'could not read the calls Asterisk turned away while the service was away');
      return 0;
    }
    let recorded = 0;
    for (const note of notes) {
      try {
        if (await this.importOne(note)) recorded++;
        await telephony.forgetUnservedCall(note.channelId);
      } catch (error) {
        logger.error(
          { err: error, callId: note.channelId },
          'could not put a call Asterisk turned away on record; its note stays in Asterisk',
        );
      }
    }
    if (notes.length > 0) {
      logger.warn(
        { recorded, notes: notes.length },
        'put on record the calls Asterisk turned away while the service was not connected',
      );
    }
    return recorded;
  }

  private async importOne(note: UnservedCallNote): Promise<boolean> {
    const { log, hub, logger } = this.options;
    const importedAt = this.now();
    const at = note.at ?? importedAt;
    const caller = (this.options.numbers ?? NumberPlan.asDelivered).read(note.callerNumber ?? '');
    const interactionId = await log.recordTurnedAway(
      {
        direction: 'inbound',
        channelId: note.channelId,
        trunk: note.trunk,
        callerNumber: caller.number || undefined,
        callerNumberAsDelivered: caller.asDelivered,
        callerName: note.callerName,
        dialedNumber: note.dialedNumber,
        startedAt: at,
      },
      {
        type: 'call.unserved',
        payload: {
          reason: UNSERVED_REASON,
          importedAt,
          ...(note.unreadable ? { note: note.unreadable } : {}),
        },
      },
      { disposition: 'rejected', hangupCause: 'service unavailable' },
    );
    if (!interactionId) return false; // on record already: an earlier import stopped before deleting the note
    if (note.unreadable) {
      logger.warn(
        { callId: note.channelId, interactionId, note: note.unreadable },
        'part of the note was unreadable',
      );
    }
    hub.publish(
      'call.unserved',
      {
        interactionId,
        callerNumber: caller.number || undefined,
        dialedNumber: note.dialedNumber,
        reason: UNSERVED_REASON,
      },
      at,
    );
    return true;
  }
}
