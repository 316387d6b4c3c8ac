/**
 * Real parts: Asterisk 22 (sandbox root) with a WebRTC agent, the service as its own process, the agent page
 * in headless Debian Chromium (SIP.js + the service API), SIPp carrier callers that talk (PCMU as RTP).
 * A network blip on the phone server's WebSocket in the middle of a call: the page reconnects and registers
 * again on its own, the call stays up with its media (getStats), the server's seat and interaction are
 * untouched, and the call still ends properly from either side afterwards. The drop is made from inside
 * the page (its SIP WebSocket closed as a failing network closes it). Run inside the test namespace.
 * Then the media path itself goes away for good (the page's UDP port blackholed with tc, as when a laptop
 * leaves its Wi-Fi): the page restarts ICE with a re-INVITE and the audio comes back on a new path.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, softphoneStats, waitForCallState, waitForMedia } from '../harness/browser.js';
import { eventually } from '../harness/service.js';
import { blackholeUdpPort } from '../harness/udp-blackhole.js';
import { pageState, type TalkingCaller, talkingCaller, waitPage } from './seat-harness.js';
import { logInReady, type SeatRig, seatAgent, startSeatRig, supportQueueSettings } from './seat-rig.js';

const SUPERVISOR = 'seat-blip-supervisor';
const A1 = seatAgent(1);
const SETTINGS = supportQueueSettings(SUPERVISOR, [A1]);

let rig: SeatRig;
let page: Page;
const callers: TalkingCaller[] = [];
const lifts: (() => void)[] = [];

/** A caller into the queue, answered by the page (auto-answer) with media flowing; its interaction id. */
async function connectedCall(number: string): Promise<string> {
  await waitPage(page, (s) => s.seat.type === 'available' && s.call !== 'connected', 'agent free');
  callers.push(talkingCaller({ number, dialed: '500' }));
  await waitForCallState(page, 'connected', 20_000);
  const s = await waitPage(page, (x) => x.seat.type === 'talking' && x.interactionId !== '', 'talking');
  await waitForMedia(page, { minGrowth: 25 });
  return s.seat.interactionId;
}

/** Closes the page's SIP WebSocket as a network failure would, and waits until it is registered again. */
async function blip(reconnectsBefore: number): Promise<void> {
  await page.evaluate(() =>
    (window as unknown as { softphone: { dropSipTransport(): void } }).softphone.dropSipTransport(),
  );
  const s = await waitPage(
    page,
    (x) => x.sipReconnects === reconnectsBefore + 1 && x.registration === 'registered',
    'reconnected and registered again',
    20_000,
  );
  expect(s.error).toBeNull();
  // Its media path never broke: nothing to restart.
  expect(s.iceRestarts).toBe(0);
}

beforeAll(async () => {
  rig = await startSeatRig('seat-network-blip', SETTINGS);
  page = await rig.openSeatPage(A1, { autoAnswer: true });
  await logInReady(rig, page, A1.id);
});

afterAll(async () => {
  for (const lift of lifts) lift();
  for (const c of callers) c.stop();
  await rig?.stop();
});

describe('a network blip on the softphone mid-call, on a real Asterisk with a browser and SIPp callers', () => {
  it('reconnects and registers again while the call and its media carry on; hold and the agent’s hang-up still work', async () => {
    const id = await connectedCall('+15554440001');
    await blip(0);
    // The call never left the page or the server, and audio still arrives.
    expect((await waitPage(page, (x) => x.call === 'connected', 'still connected')).interactionId).toBe(id);
    await waitForMedia(page, { minGrowth: 25 });
    expect(await rig.agentState(A1.id)).toMatchObject({ type: 'talking', interactionId: id });
    expect(await rig.asterisk.cli('pjsip show contacts')).toMatch(/agent1\/sip:/);
    await screenshot(page, 'seat-after-network-blip');
    // Server-side call control is untouched by the drop.
    await page.keyboard.press('o');
    await waitPage(page, (x) => x.seat.type === 'on_hold', 'on hold');
    await page.keyboard.press('o');
    await waitPage(page, (x) => x.seat.type === 'talking', 'resumed');
    await waitForMedia(page, { minGrowth: 25 });
    // The agent's hang-up is a BYE on the new socket: it reaches Asterisk and the caller.
    await page.click('#hangup');
    const done = await rig.closed(id);
    expect(done).toMatchObject({ disposition: 'handled', endedBy: 'agent', agentId: A1.id });
    expect(done.holdSeconds).toBeGreaterThan(0);
    expect(await callers.at(-1)!.exited).toBe(0);
  });

  it('after a blip, a caller who hangs up ends the call on the page too', async () => {
    const id = await connectedCall('+15554440002');
    await blip(1);
    await waitForMedia(page, { minGrowth: 25 });
    // The caller hangs up (their channel, on the carrier trunk).
    const channels = await rig.asterisk.cli('core show channels concise');
    const callerChannel = /^(PJSIP\/carrier-[^!]+)!/m.exec(channels)?.[1];
    expect(callerChannel).toBeDefined();
    await rig.asterisk.cli(`channel request hangup ${callerChannel}`);
    await waitForCallState(page, 'ended', 10_000);
    const done = await rig.closed(id);
    expect(done).toMatchObject({ endedBy: 'caller', agentId: A1.id });
    await waitPage(page, (x) => x.seat.type === 'available' && x.call !== 'connected', 'free again');
    // Nothing is left over in Asterisk: no agent channel talking to nobody.
    await eventually(
      async () =>
        /PJSIP\/agent1-/.test(await rig.asterisk.cli('core show channels concise')) ? undefined : true,
      'no agent channel left',
    );
  });

  it('when the call’s media path is gone for good, restarts ICE and the audio comes back on a new path, same call', async () => {
    const id = await connectedCall('+15554440003');
    const before = await softphoneStats(page);
    expect(before.iceState).toMatch(/connected|completed/);
    expect(before.localPort).toBeGreaterThan(0);
    expect((await pageState(page)).iceRestarts).toBe(0);
    // The page's UDP port stops working (packets go out, none arrive), and stays dead.
    lifts.push(blackholeUdpPort(before.localPort));
    const restored = await waitPage(
      page,
      (x) => x.iceRestarts >= 1 && x.mediaPath === 'ok' && x.call === 'connected',
      'ICE restarted and the audio path back',
      30_000,
    );
    expect(restored.interactionId).toBe(id);
    const { last } = await waitForMedia(page, { minGrowth: 25 });
    // A new pair of addresses carries it: the old port is still dead.
    expect(last.localPort).toBeGreaterThan(0);
    expect(last.localPort).not.toBe(before.localPort);
    expect(last.iceState).toMatch(/connected|completed/);
    expect(await rig.agentState(A1.id)).toMatchObject({ type: 'talking', interactionId: id });
    await page.click('#hangup');
    expect(await rig.closed(id)).toMatchObject({ disposition: 'handled', endedBy: 'agent', agentId: A1.id });
  });
});
