/** A transfer out of the IVR, carried on after a restart: which side hangs up first ends the other. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { CallSession } from '../../../../src/calls/call-session.js';
import { carryOnTransfer } from '../../../../src/calls/ivr/transfer.js';

function parts() {
  const telephony = new EventEmitter();
  const requests: string[] = [];
  Object.assign(telephony, {
    ari: {
      hangup: async (id: string) => {
        requests.push(`hangup ${id}`);
      },
      destroyBridge: async (id: string) => {
        requests.push(`destroyBridge ${id}`);
      },
    },
  });
  const ends: (() => void)[] = [];
  const timeline: { type: string; payload: Record<string, unknown> }[] = [];
  const session = {
    isLive: true,
    isEnded: false,
    logger: { warn() {} },
    onEnd: (f: () => void) => ends.push(f),
    record: async (e: { type: string; payload: Record<string, unknown> }) => {
      timeline.push(e);
    },
    hangup: async () => {
      requests.push('hangup caller');
    },
  } as unknown as CallSession;
  return { telephony, requests, timeline, session };
}

const TRANSFER = { number: '+1555', legId: 'xfer-1', bridgeId: 'b1' };
/** The channel listing after a reconnect, with these channels in it. */
const listing = (...ids: string[]) => ({
  type: 'resync',
  at: 0,
  channels: ids.map((id) => ({ id, name: 'x', createdAt: 0 })),
  bridges: [],
});

describe('a transfer out of the IVR carried on after a restart', () => {
  it('ends for the caller when the far end hung up while the link to Asterisk was down', async () => {
    const { telephony, requests, timeline, session } = parts();
    const done = carryOnTransfer(session, { telephony: telephony as never, ...TRANSFER });
    // A reconnect's listing without the far end's leg: it is gone, and nobody saw its end.
    telephony.emit('event', listing('caller-1'));
    await done;
    expect(timeline.at(-1)?.payload).toMatchObject({ step: 'ended', reason: 'far end hung up' });
    expect(requests).toEqual(['hangup caller', 'destroyBridge b1']);
  });

  it('goes on while the listing still has the far end', async () => {
    const { telephony, requests, session } = parts();
    const done = carryOnTransfer(session, { telephony: telephony as never, ...TRANSFER });
    telephony.emit('event', listing('xfer-1'));
    await new Promise((r) => setTimeout(r, 10));
    expect(requests).toEqual([]);
    telephony.emit('event', { type: 'channel.ended', at: 0, channelId: 'xfer-1', cause: 16, causeText: '' });
    await done;
    expect(requests).toEqual(['hangup caller', 'destroyBridge b1']);
  });
});
