import { describe, expect, it } from 'vitest';
import {
  type ConferenceMediaPorts,
  restoreConferenceMedia,
} from '../../../src/telephony/conference-media.js';

/**
 * A fake bridge: each channel's sent count grows by `rate` packets per second of waiting (50 for a
 * member the mix sends to, 0 for a stuck one); a rejoin applies what `onRejoin` says, and with `heardOnceBack`
 * a member put back gets its 50 a second again.
 */
function fakeBridge(
  rates: Record<string, number>,
  options: {
    noRtp?: string[];
    onRejoin?: (channel: string) => void;
    heardOnceBack?: boolean;
    leaveAfterWait?: string;
    /** Per channel: how many tries at putting it back fail first, or 'gone' (hung up once out). */
    joinFails?: Record<string, number | 'gone'>;
  } = {},
) {
  const sent = new Map(Object.keys(rates).map((c) => [c, 100]));
  const members = new Set(Object.keys(rates));
  const calls: string[] = [];
  const ports: ConferenceMediaPorts = {
    bridgeChannels: async () => [...members],
    sentPackets: async (channel) => (options.noRtp?.includes(channel) ? undefined : sent.get(channel)),
    leave: async (_bridge, channel) => {
      members.delete(channel);
    },
    join: async (_bridge, channel) => {
      const fails = options.joinFails?.[channel];
      if (fails === 'gone') return false;
      if (fails !== undefined && fails > 0) {
        options.joinFails![channel] = fails - 1;
        calls.push(`join ${channel} refused`);
        throw new Error('Asterisk refused');
      }
      members.add(channel);
      calls.push(`rejoin ${channel}`);
      options.onRejoin?.(channel);
      if (options.heardOnceBack) rates[channel] = 50;
      return true;
    },
    wait: async (ms) => {
      calls.push(`wait ${ms}`);
      for (const [channel, rate] of Object.entries(rates)) {
        sent.set(channel, (sent.get(channel) ?? 0) + (rate * ms) / 1000);
      }
      if (options.leaveAfterWait) members.delete(options.leaveAfterWait);
    },
  };
  return { ports, calls, rates };
}

describe('restoreConferenceMedia', () => {
  it('leaves a conference alone when Asterisk sends to every member', async () => {
    const { ports, calls } = fakeBridge({ caller: 50, host: 50, party: 50 });
    await expect(restoreConferenceMedia(ports, 'b')).resolves.toEqual({ rejoined: [], stillSilent: [] });
    expect(calls).toEqual(['wait 1000']);
  });

  it('puts back a member Asterisk stopped sending to, then looks again and stops once it hears', async () => {
    const bridge = fakeBridge({ caller: 50, host: 0, party: 50 }, { heardOnceBack: true });
    await expect(restoreConferenceMedia(bridge.ports, 'b')).resolves.toEqual({
      rejoined: ['host'],
      stillSilent: [],
    });
    expect(bridge.calls).toEqual(['wait 1000', 'rejoin host', 'wait 1000']);
  });

  it('puts back every stuck member, and gives up on one still silent after the last look', async () => {
    const { ports, calls } = fakeBridge({ caller: 0, host: 0, party: 50 });
    const outcome = await restoreConferenceMedia(ports, 'b', { looks: 2, windowMs: 500 });
    expect(outcome).toEqual({ rejoined: ['caller', 'host'], stillSilent: ['caller', 'host'] });
    expect(calls).toEqual(['wait 500', 'rejoin caller', 'rejoin host', 'wait 500']);
  });

  it('does nothing when no member hears anything (the mix itself is not running: nothing to compare)', async () => {
    const { ports, calls } = fakeBridge({ caller: 0, host: 0, party: 0 });
    await expect(restoreConferenceMedia(ports, 'b')).resolves.toEqual({ rejoined: [], stillSilent: [] });
    expect(calls).toEqual(['wait 1000']);
  });

  it('counts only members with RTP, and a member who got a little (not nothing) is not stuck', async () => {
    // The announcer (no RTP) is not judged; 15 packets a second is a slow member, not a stuck one.
    const { ports, calls } = fakeBridge(
      { caller: 50, host: 15, party: 50, announcer: 0 },
      { noRtp: ['announcer'] },
    );
    await expect(restoreConferenceMedia(ports, 'b')).resolves.toEqual({ rejoined: [], stillSilent: [] });
    expect(calls).toEqual(['wait 1000']);
  });

  it('stops when the bridge is no longer a conference (a member left during the look)', async () => {
    const { ports, calls } = fakeBridge({ caller: 50, host: 0, party: 50 }, { leaveAfterWait: 'party' });
    await expect(restoreConferenceMedia(ports, 'b')).resolves.toEqual({ rejoined: [], stillSilent: [] });
    expect(calls).toEqual(['wait 1000']);
  });

  it('says nothing is silent when the conference ends during the look after a rejoin (unknown, not silent)', async () => {
    let rejoins = 0;
    const bridge = fakeBridge(
      { caller: 0, host: 50, party: 50 },
      {
        onRejoin: () => {
          rejoins += 1;
        },
      },
    );
    const ports = {
      ...bridge.ports,
      bridgeChannels: async () => (rejoins > 0 ? ['caller', 'host'] : ['caller', 'host', 'party']),
    };
    await expect(restoreConferenceMedia(ports, 'b')).resolves.toEqual({
      rejoined: ['caller'],
      stillSilent: [],
    });
  });

  it('tries again to put back a member Asterisk would not take back at once (out, it hears nothing at all)', async () => {
    const bridge = fakeBridge(
      { caller: 50, host: 0, party: 50 },
      {
        joinFails: { host: 1 },
        heardOnceBack: true,
      },
    );
    await expect(restoreConferenceMedia(bridge.ports, 'b')).resolves.toEqual({
      rejoined: ['host'],
      stillSilent: [],
    });
    expect(bridge.calls).toEqual(['wait 1000', 'join host refused', 'wait 100', 'rejoin host', 'wait 1000']);
  });

  it('stops, saying who is left out and why, when a member cannot be put back after three tries', async () => {
    const { ports, calls } = fakeBridge({ caller: 0, host: 0, party: 50 }, { joinFails: { caller: 5 } });
    const outcome = await restoreConferenceMedia(ports, 'b');
    expect(outcome).toEqual({
      rejoined: [],
      stillSilent: ['caller'],
      joinError: new Error('Asterisk refused'),
    });
    // The host, stuck too, is not taken out after that: one member out of the bridge is enough.
    expect(calls).toEqual([
      'wait 1000',
      'join caller refused',
      'wait 100',
      'join caller refused',
      'wait 200',
      'join caller refused',
    ]);
  });

  it('goes on without a member who hung up once out of the bridge (nobody to put back)', async () => {
    const bridge = fakeBridge(
      { caller: 0, host: 0, party: 50, other: 50 },
      {
        joinFails: { caller: 'gone' },
        heardOnceBack: true,
      },
    );
    await expect(restoreConferenceMedia(bridge.ports, 'b')).resolves.toEqual({
      rejoined: ['host'],
      stillSilent: [],
    });
    expect(bridge.calls).toEqual(['wait 1000', 'rejoin host', 'wait 1000']);
  });

  it('does not look at a two-party bridge at all (it sends only what the other side sends)', async () => {
    const { ports, calls } = fakeBridge({ caller: 0, host: 50 });
    await expect(restoreConferenceMedia(ports, 'b')).resolves.toEqual({ rejoined: [], stillSilent: [] });
    expect(calls).toEqual([]);
  });
});
