/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process, two agent pages in headless
 * Debian Chromium, a SIPp carrier caller that talks and a SIPp customer (UAS) that answers and talks.
 *
 * A conference formed again and again on the same call, as agents do it: agent1 consults agent2 (reloading
 * the page meanwhile) and hands the caller over; agent2 adds a number and drops it, then adds agent1. Each
 * time the bridge turns from two-party into a conference, Asterisk re-joins the members already in it, and
 * now and then stopped sending audio to one of them (the host or the caller): the service checks and puts
 * such a member back (src/telephony/conference-media.ts). Asserted every round: both browsers receive audio
 * and Asterisk sends audio to the caller, then agent2 leaves agent1 with the caller.
 * Run inside the test namespace (scripts/in-netns.sh).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { waitForCallState, waitForMedia } from '../harness/browser.js';
import {
  selectAgentTarget,
  type TalkingCaller,
  type TalkingCustomer,
  talkingCaller,
  talkingCustomer,
  pageState as pageStateOf,
  waitForMediaOrReport,
  waitPage,
} from './seat-harness.js';
import { TEST_SECRET } from '../harness/service.js';
import {
  oneReadyOneOnBreak,
  type SeatRig,
  seatAgent,
  startSeatRig,
  supportQueueSettings,
  untilAgentState,
} from './seat-rig.js';

const SUPERVISOR = 'seat-conference-media-supervisor';
const A1 = seatAgent(1);
const A2 = seatAgent(2);
const SETTINGS = {
  ...supportQueueSettings(SUPERVISOR, [A1, A2], 60),
  outbound: { callerId: { mode: 'fixed', number: '+15550009999', name: 'Acme Support' } },
};
const ROUNDS = 4;

let rig: SeatRig;
let asterisk: AsteriskSandbox;
let p1: Page;
let p2: Page;
let customer: TalkingCustomer;
let caller: TalkingCaller | undefined;

const agentState = (id: string) => rig.agentState(id);
const untilState = (id: string, type: string) => untilAgentState(rig, id, type);

/**
 * RTP packets Asterisk has sent to the caller (the one carrier channel then in a bridge), from `pjsip show
 * channelstats`: BridgeId ChannelId UpTime Codec RxCount RxLost RxPct RxJitter TxCount ...
 */
async function sentToCaller(): Promise<number> {
  const lines = (await asterisk.cli('pjsip show channelstats')).split('\n');
  const row = lines
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[0]?.startsWith('call-') && f[1]?.startsWith('carrier-'));
  if (!row) throw new Error(`no caller in a bridge:\n${lines.join('\n')}`);
  return Number(row[8]);
}

/** Asterisk sends the caller audio: its count grows by a second's worth within 8 s (a repair included). */
async function callerHears(round: number): Promise<void> {
  const deadline = Date.now() + 8000;
  let last = '';
  while (Date.now() < deadline) {
    const first = await sentToCaller();
    await new Promise((r) => setTimeout(r, 1000));
    const grown = (await sentToCaller()) - first;
    if (grown >= 25) return;
    last = `${grown} packets in 1 s`;
  }
  throw new Error(
    `round ${round}: Asterisk sends the caller no audio (${last})\n${await asterisk.cli('pjsip show channelstats')}`,
  );
}

beforeAll(async () => {
  rig = await startSeatRig('seat-conference-media', SETTINGS, { recordings: true });
  ({ asterisk } = rig);
  customer = talkingCustomer(5070);
  p1 = await rig.openSeatPage(A1, { autoAnswer: true });
  p2 = await rig.openSeatPage(A2, { autoAnswer: true });
  await oneReadyOneOnBreak(rig, { page: p1, agent: A1 }, { page: p2, agent: A2 });
});

afterAll(async () => {
  caller?.stop();
  await customer?.stop();
  await rig?.stop();
});

describe('repeated conferences on one call on a real Asterisk, two browsers and SIPp', () => {
  it(`keeps every member hearing through ${ROUNDS} rounds of consult, handover, a number added and dropped, an agent added`, async () => {
    caller = talkingCaller({ number: '+15551110101', dialed: '500', seconds: 300 });
    await waitForCallState(p1, 'connected', 20_000);
    await waitPage(p1, (x) => x.seat.type === 'talking', 'agent1 talking');
    await waitForMedia(p1, { minGrowth: 25 });
    for (let round = 1; round <= ROUNDS; round++) {
      if ((await agentState(A2.id)).type !== 'available') {
        await p2.keyboard.press('r');
        await untilState(A2.id, 'available');
      }
      // agent1 consults agent2, reloads the page mid-consultation (it rings back in), and hands over.
      await selectAgentTarget(p1, A2.id);
      await p1.click('#consult');
      await waitForCallState(p2, 'connected', 20_000);
      await waitPage(p1, (x) => x.consult?.state === 'connected', 'consult connected');
      await p1.reload();
      await waitPage(
        p1,
        (x) => x.registration === 'registered' && x.signedInToApi,
        'agent1 signed in again after the reload',
        20_000,
      );
      await waitForCallState(p1, 'connected', 20_000);
      await waitPage(p1, (x) => x.consult?.state === 'connected', 'the consultation back after the reload');
      await p1.click('#consult-complete');
      await waitForCallState(p1, 'ended');
      await waitPage(p2, (x) => x.seat.type === 'talking', 'agent2 talking with the caller');
      await waitPage(p1, (x) => x.seat.type === 'wrap_up', 'agent1 in wrap-up');
      await p1.keyboard.press('r');
      await untilState(A1.id, 'available');
      // agent2 adds a number and drops it, then adds agent1: the bridge becomes a conference again.
      await p2.fill('#transfer-number', '+15552220002');
      await p2.keyboard.press('Escape');
      await p2.click('#conference');
      const withNumber = await waitPage(
        p2,
        (x) => x.parties.some((p) => p.state === 'joined'),
        'number joined',
      );
      await p2.click(`#parties button[data-channel="${withNumber.parties[0]!.channelId}"]`);
      await waitPage(p2, (x) => x.parties.length === 0, 'number dropped');
      await selectAgentTarget(p2, A1.id);
      await p2.click('#conference');
      await waitPage(p2, (x) => x.parties.some((p) => p.state === 'joined'), 'agent1 joined', 20_000);
      await waitForCallState(p1, 'connected');
      // Everyone hears: the joining agent, the host and the caller.
      await waitForMediaOrReport(p1, asterisk, { minGrowth: 25 });
      await waitForMediaOrReport(p2, asterisk, { minGrowth: 25 });
      await callerHears(round);
      // agent2 leaves agent1 with the caller; agent1 still hears them.
      await p2.click('#leave');
      await waitForCallState(p2, 'ended');
      await waitPage(p2, (x) => x.seat.type === 'wrap_up', 'agent2 in wrap-up');
      await waitPage(p1, (x) => x.seat.type === 'talking', 'agent1 talking with the caller again');
      await waitForMediaOrReport(p1, asterisk, { minGrowth: 25 });
      await callerHears(round);
    }
    expect(await agentState(A1.id)).toMatchObject({ type: 'talking' });
  }, 240_000);

  it("finds a member Asterisk sends nothing to (the caller's audio out muted over ARI), tries twice to put them back, and says so on the call's timeline", async () => {
    // The stall cannot be made to happen; a channel muted outwards looks the same to the check (Asterisk's
    // sent-packet count stands still) and stays so when put back, so the check ends saying it is still silent.
    const ari = (method: string, path: string) =>
      fetch(`http://127.0.0.1:8088/ari/${path}`, {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(`contact-center:${TEST_SECRET}`).toString('base64')}`,
        },
      });
    const channels = (await (await ari('GET', 'channels')).json()) as { id: string; name: string }[];
    const callerChannel = channels.find((c) => c.name.startsWith('PJSIP/carrier-'))!;
    expect(callerChannel).toBeDefined();
    const { interactionId } = (await pageStateOf(p1)).seat;
    const timeline = async () =>
      (
        await rig.api.request<{ timeline: { type: string; payload: unknown }[] }>(
          'GET',
          `/api/interactions/${interactionId}`,
          { token: SUPERVISOR },
        )
      ).body.timeline.filter((e) => e.type === 'call.audio-restored');
    // The same call's rounds above may have had a real stall put right: only the entries from here on count.
    const earlier = (await timeline()).length;
    expect((await ari('POST', `channels/${callerChannel.id}/mute?direction=out`)).status).toBe(204);
    await p1.fill('#transfer-number', '+15552220002');
    await p1.keyboard.press('Escape');
    await p1.click('#conference');
    const joined = await waitPage(p1, (x) => x.parties.some((p) => p.state === 'joined'), 'number joined');
    const deadline = Date.now() + 15_000;
    while ((await timeline()).length === earlier && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    const entries = (await timeline()).slice(earlier).map((e) => e.payload) as {
      restored: { who: string; id?: string; channelId: string }[];
    }[];
    expect(entries).toEqual([
      {
        during: 'conference',
        agentId: A1.id,
        // A real stall of another member in the same check (run 144: agent1's leg) is put back and heard
        // again; the muted caller is never among those.
        restored: entries[0]?.restored ?? [],
        stillSilent: [{ who: 'customer', channelId: callerChannel.id }],
      },
    ]);
    for (const member of entries[0]!.restored) {
      expect(member.channelId).not.toBe(callerChannel.id);
      // The conference's other members: agent1's leg, or the party added.
      expect(member.who === 'party' || (member.who === 'agent' && member.id === A1.id)).toBe(true);
    }
    // Unmuted, the caller hears again; the party dropped, agent1 and the caller talk on.
    expect((await ari('DELETE', `channels/${callerChannel.id}/mute?direction=out`)).status).toBe(204);
    await callerHears(ROUNDS + 1);
    await p1.click(`#parties button[data-channel="${joined.parties[0]!.channelId}"]`);
    await waitPage(p1, (x) => x.parties.length === 0, 'number dropped');
    await callerHears(ROUNDS + 2);
  }, 60_000);
});
