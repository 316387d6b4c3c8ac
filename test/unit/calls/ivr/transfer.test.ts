/**
 * A transfer out of the IVR, carried on after a restart: connected, which side hangs up first ends the
 * other; still ringing, the far end is waited on for the ring time left.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallSession } from '../../../../src/calls/call-session.js';
import { carryOnTransfer, transferCall } from '../../../../src/calls/ivr/transfer.js';
import { AriRequestError } from '../../../../src/telephony/ari/rest.js';

function parts(leg: { state: string } | 'gone' = { state: 'Ringing' }) {
  const telephony = new EventEmitter();
  const requests: string[] = [];
  Object.assign(telephony, {
    originate: async (req: { channelId: string }) => {
      requests.push(`originate ${req.channelId}`);
    },
    ari: {
      getChannel: async (id: string) => {
        requests.push(`getChannel ${id}`);
        if (leg === 'gone') throw new AriRequestError('GET', `/channels/${id}`, 404, 'Channel not found');
        return { id, ...leg };
      },
      ring: async (id: string) => {
        requests.push(`ring ${id}`);
      },
      createBridge: async (o: { bridgeId: string }) => {
        requests.push(`createBridge ${o.bridgeId}`);
      },
      addToBridge: async (id: string, channels: string[]) => {
        requests.push(`addToBridge ${id} ${channels.join(' ')}`);
      },
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
    channelId: 'caller-1',
    interactionId: 'i1',
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

describe('a transfer out of the IVR still ringing the far end when the service restarted', () => {
  afterEach(() => vi.useRealTimers());
  const RESUME = { legId: 'xfer-1', dialledAt: 100_000 };
  const apologies: string[] = [];
  const options = (telephony: EventEmitter, now = 105_000) => ({
    telephony: telephony as never,
    number: '+1555',
    trunk: '',
    callerId: '',
    ringSeconds: 25,
    resume: RESUME,
    now: () => now,
    apologize: async (error: Error) => {
      apologies.push(error.message);
    },
  });

  it('connects the far end when it answers: no second dial, no second "dialing" on the timeline', async () => {
    const { telephony, requests, timeline, session } = parts();
    const done = transferCall(session, options(telephony));
    await vi.waitFor(() => expect(requests).toContain('getChannel xfer-1'));
    telephony.emit('event', { type: 'call.arrived', at: 0, channelId: 'xfer-1' });
    await vi.waitFor(() => expect(timeline.at(-1)?.payload).toMatchObject({ step: 'connected' }));
    telephony.emit('event', { type: 'channel.ended', at: 0, channelId: 'xfer-1', cause: 16, causeText: '' });
    await done;
    expect(timeline.map((e) => e.payload.step)).toEqual(['connected', 'ended']);
    expect(requests).toEqual([
      'getChannel xfer-1',
      'createBridge xfer-i1',
      'addToBridge xfer-i1 caller-1 xfer-1',
      'hangup caller',
      'destroyBridge xfer-i1',
    ]);
  });

  it('connects at once a far end that answered before this run was listening', async () => {
    const { telephony, requests, timeline, session } = parts({ state: 'Up' });
    const done = transferCall(session, options(telephony));
    await vi.waitFor(() => expect(timeline.at(-1)?.payload).toMatchObject({ step: 'connected' }));
    expect(requests).toContain('addToBridge xfer-i1 caller-1 xfer-1');
    telephony.emit('event', { type: 'channel.ended', at: 0, channelId: 'xfer-1', cause: 16, causeText: '' });
    await done;
    expect(timeline.at(-1)?.payload).toMatchObject({ step: 'ended', reason: 'far end hung up' });
  });

  it('apologises to the caller when the far end is gone already', async () => {
    apologies.length = 0;
    const { telephony, requests, timeline, session } = parts('gone');
    await transferCall(session, options(telephony));
    expect(timeline.at(-1)?.payload).toMatchObject({
      step: 'failed',
      reason: 'no answer, busy or unreachable',
    });
    expect(apologies).toEqual(['transfer to +1555 failed: no answer, busy or unreachable']);
    expect(requests).not.toContain('originate xfer-1');
  });

  it('gives up after the ring time left since the previous run dialled, not a whole new one', async () => {
    vi.useFakeTimers();
    apologies.length = 0;
    const { telephony, requests, timeline, session } = parts();
    // Dialled 20 s ago with 25 s to ring: 25 + 5 (the backstop's margin) - 20 = 10 s left.
    const done = transferCall(session, options(telephony, RESUME.dialledAt + 20_000));
    await vi.advanceTimersByTimeAsync(9_900);
    expect(timeline).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    await done;
    expect(timeline.at(-1)?.payload).toMatchObject({ step: 'failed', reason: 'no answer' });
    expect(requests).toContain('hangup xfer-1');
  });
});
