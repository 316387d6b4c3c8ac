import { AriRequestError } from '../../telephony/ari/rest.js';
import type { Telephony, TelephonyEvent } from '../../telephony/telephony.js';

/**
 * Starts the recordings of connected calls' bridges, one file per interaction.
 *
 * Asterisk keeps a recording's name taken until that recording has cleaned up, which happens a moment
 * after its bridge is destroyed. A call connected a second time (sent back to a queue by a transfer)
 * appends to the same name, so it first waits for the previous part's RecordingFinished; were the name
 * still taken (409), it waits for that event and asks once more. Without this the second conversation
 * went unrecorded whenever the next agent answered faster than Asterisk cleaned up.
 */
export class BridgeRecordings {
  /** Names started here whose RecordingFinished/Failed has not arrived. */
  private readonly unfinished = new Set<string>();
  private readonly waiters = new Map<string, Array<() => void>>();

  constructor(
    private readonly telephony: Pick<Telephony, 'ari'>,
    /** How long to wait for a previous part's end before trying anyway (a lost event must not stop recording). */
    private readonly settleMs = 5000,
  ) {}

  /** Notes recordings ending. Never consumes the event: others may wait for the same recording. */
  onEvent(event: TelephonyEvent): void {
    if (event.type !== 'recording.finished') return;
    this.unfinished.delete(event.name);
    const waiting = this.waiters.get(event.name);
    this.waiters.delete(event.name);
    for (const wake of waiting ?? []) wake();
  }

  async start(bridgeId: string, name: string, format: string): Promise<void> {
    await this.finished(name);
    const record = () => this.telephony.ari.recordBridge(bridgeId, { name, format, ifExists: 'append' });
    try {
      await record();
    } catch (error) {
      if (!(error instanceof AriRequestError && error.status === 409)) throw error;
      this.unfinished.add(name);
      await this.finished(name);
      await record();
    }
    this.unfinished.add(name);
  }

  private finished(name: string): Promise<void> {
    if (!this.unfinished.has(name)) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const list = this.waiters.get(name);
        if (list)
          this.waiters.set(
            name,
            list.filter((w) => w !== wake),
          );
        resolve();
      }, this.settleMs);
      timer.unref();
      this.waiters.set(name, [...(this.waiters.get(name) ?? []), wake]);
    });
  }
}
