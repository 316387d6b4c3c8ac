/**
 * Gives back their audio to the members of a conference Asterisk stopped sending to.
 *
 * Why: when a third channel joins a two-party bridge, Asterisk moves the bridge from its two-party
 * technology to softmix and re-joins the members already in it. Now and then (Asterisk 22.x; in our stress
 * runs about one conference in fifteen, more often the first ones after Asterisk starts) one of those
 * members stops hearing anything: its channel still talks into the mix and its thread still reads, but
 * Asterisk sends it no more RTP (its sent-packet count stands still while the others' grow, measured with
 * `pjsip show channelstats` and `rtp set debug`). Nothing is logged. Taking that channel out of the bridge
 * and putting it back gives it a fresh place in the mix, and its audio back (measured: 0 → 50 packets/s).
 *
 * How: softmix sends every member a frame each 20 ms, silence included, so once a conference has formed, a
 * member whose count did not grow over the window while another member's did is stuck. Checked once when a
 * conference forms (not polled); each rejoin re-forms the mix, so the check runs again after it, a bounded
 * number of times.
 */

/** What the check needs from Asterisk (ARI behind it in the service; fakes in the unit tests). */
export interface ConferenceMediaPorts {
  /** The channels in the bridge now ([] when it is gone). */
  bridgeChannels(bridgeId: string): Promise<string[]>;
  /** RTP packets Asterisk has sent to the channel so far; undefined when it has no RTP (or is gone). */
  sentPackets(channelId: string): Promise<number | undefined>;
  /** Out of the bridge. */
  leave(bridgeId: string, channelId: string): Promise<void>;
  /** Into the bridge: false when the channel or the bridge is gone (nothing to put back); throws otherwise. */
  join(bridgeId: string, channelId: string): Promise<boolean>;
  wait(ms: number): Promise<void>;
}

export interface ConferenceMediaOptions {
  /** How long each look at the counts lasts. */
  windowMs?: number;
  /** Looks at most (each after a rejoin): a member still silent after that is left as it is. */
  looks?: number;
}

export interface ConferenceMediaOutcome {
  /** Channels taken out and put back, in order (one may appear twice). */
  rejoined: string[];
  /**
   * Channels still not sent anything at the last look (left as they are), and one Asterisk would not take
   * back into the bridge after it left (the check stops there: the error says why).
   */
  stillSilent: string[];
  /** Why a member taken out could not be put back (absent when none failed). */
  joinError?: unknown;
}

/** Tries to put a member back this many times: out of the bridge, it hears nothing at all. */
const JOIN_TRIES = 3;

/** A softmix bridge sends a member one frame per 20 ms. */
const FRAME_MS = 20;

export async function restoreConferenceMedia(
  ports: ConferenceMediaPorts,
  bridgeId: string,
  options: ConferenceMediaOptions = {},
): Promise<ConferenceMediaOutcome> {
  const windowMs = options.windowMs ?? 1000;
  const looks = options.looks ?? 3;
  const expected = windowMs / FRAME_MS;
  const rejoined: string[] = [];
  let stillSilent: string[] = [];
  for (let look = 0; look < looks; look++) {
    stillSilent = [];
    const before = await counts(ports, await ports.bridgeChannels(bridgeId));
    if (before.size < 3) break; // not a conference (any more): the two-party bridge sends only what it gets
    await ports.wait(windowMs);
    const present = new Set(await ports.bridgeChannels(bridgeId));
    if (present.size < 3) break;
    const after = await counts(
      ports,
      [...before.keys()].filter((c) => present.has(c)),
    );
    const grown = [...after].map(
      ([channel, sent]) => [channel, sent - (before.get(channel) ?? sent)] as const,
    );
    // The mix runs (some member got its share): one that got almost nothing is stuck.
    const mixing = grown.some(([, n]) => n >= expected / 2);
    stillSilent = mixing ? grown.filter(([, n]) => n < expected / 5).map(([channel]) => channel) : [];
    if (stillSilent.length === 0 || look === looks - 1) break;
    for (const channel of stillSilent) {
      await ports.leave(bridgeId, channel);
      const joined = await joinAgain(ports, bridgeId, channel);
      if (joined === 'gone') continue; // hung up meanwhile: nobody to put back
      if (joined !== 'joined') return { rejoined, stillSilent: [channel], joinError: joined.error };
      rejoined.push(channel);
    }
  }
  return { rejoined, stillSilent };
}

/** Puts a member back, trying again after a failure (not once it is gone); the last error if all failed. */
async function joinAgain(
  ports: ConferenceMediaPorts,
  bridgeId: string,
  channel: string,
): Promise<'joined' | 'gone' | { error: unknown }> {
  let error: unknown;
  for (let attempt = 1; attempt <= JOIN_TRIES; attempt++) {
    try {
      return (await ports.join(bridgeId, channel)) ? 'joined' : 'gone';
    } catch (caught) {
      error = caught;
      if (attempt < JOIN_TRIES) await ports.wait(100 * attempt);
    }
  }
  return { error };
}

async function counts(ports: ConferenceMediaPorts, channels: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const channel of channels) {
    const sent = await ports.sentPackets(channel);
    if (sent !== undefined) out.set(channel, sent);
  }
  return out;
}
