import { describe, expect, it } from 'vitest';
import { BridgeRecordings } from '../../../../src/calls/acd/bridge-recordings.js';
import { AriRequestError } from '../../../../src/telephony/ari/rest.js';
import type { Telephony } from '../../../../src/telephony/telephony.js';

/** A fake ARI that, like Asterisk, refuses a name until the recording holding it has cleaned up. */
function fakeAri() {
  const held = new Set<string>();
  const requests: Array<{ bridgeId: string; name: string; ifExists?: string }> = [];
  const ari = {
    async recordBridge(bridgeId: string, opts: { name: string; format: string; ifExists?: string }) {
      requests.push({ bridgeId, name: opts.name, ifExists: opts.ifExists });
      if (held.has(opts.name)) {
        throw new AriRequestError('POST', `/bridges/${bridgeId}/record`, 409, 'already in progress');
      }
      held.add(opts.name);
      return { name: opts.name, format: opts.format, state: 'recording' };
    },
  };
  return { telephony: { ari } as unknown as Pick<Telephony, 'ari'>, held, requests };
}

const finished = (name: string) => ({ type: 'recording.finished' as const, at: 0, name, failed: false });
const tick = () => new Promise((r) => setImmediate(r));

describe('BridgeRecordings', () => {
  it('starts the first part at once, appending', async () => {
    const { telephony, requests } = fakeAri();
    await new BridgeRecordings(telephony).start('call-1', '1', 'wav');
    expect(requests).toEqual([{ bridgeId: 'call-1', name: '1', ifExists: 'append' }]);
  });

  it('waits for the previous part to finish before starting the next, and never sees a 409', async () => {
    const { telephony, held, requests } = fakeAri();
    const recordings = new BridgeRecordings(telephony, 60_000);
    await recordings.start('call-1', '1', 'wav');
    let second = false;
    const next = recordings.start('call-1', '1', 'wav').then(() => {
      second = true;
    });
    await tick();
    expect(second).toBe(false);
    expect(requests).toHaveLength(1);
    held.delete('1');
    recordings.onEvent(finished('1'));
    await next;
    expect(second).toBe(true);
    expect(requests).toHaveLength(2);
  });

  it('on a 409 for a name it did not know was taken, waits for its end and asks once more', async () => {
    const { telephony, held, requests } = fakeAri();
    held.add('2'); // started before this service (or its event was lost)
    const recordings = new BridgeRecordings(telephony, 60_000);
    const next = recordings.start('call-2', '2', 'wav');
    await tick();
    expect(requests).toHaveLength(1);
    held.delete('2');
    recordings.onEvent(finished('2'));
    await next;
    expect(requests).toHaveLength(2);
  });

  it('gives up waiting for a lost event after the settle time and tries anyway', async () => {
    const { telephony, held, requests } = fakeAri();
    const recordings = new BridgeRecordings(telephony, 20);
    await recordings.start('call-3', '3', 'wav');
    held.delete('3'); // cleaned up, but the RecordingFinished never arrives
    await recordings.start('call-3', '3', 'wav');
    expect(requests).toHaveLength(2);
  });

  it('passes on refusals other than a taken name', async () => {
    const ari = {
      recordBridge: async () => {
        throw new AriRequestError('POST', '/bridges/x/record', 404, 'Bridge not found');
      },
    };
    const recordings = new BridgeRecordings({ ari } as unknown as Pick<Telephony, 'ari'>);
    await expect(recordings.start('x', '4', 'wav')).rejects.toThrow(/404/);
  });
});
