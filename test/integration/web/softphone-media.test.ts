/**
 * Real parts: Asterisk 22 (sandbox root) with a WebRTC agent endpoint, the service as its own process
 * (serving /softphone/ and /api/softphone/config), headless Debian Chromium running the SIP.js page.
 * The test drives Asterisk itself over ARI (its own Stasis app, not the service's): it rings the agent's
 * page, plays a long prompt to it, and checks that RTP flows both ways (browser getStats and Asterisk's
 * channelstats), that the page can hang up, and that a wrong password gives a clear message.
 * Run inside the test network namespace (scripts/in-netns.sh), else ICE cannot connect on loopback.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import {
  launchBrowser,
  openAgentPage,
  openSoftphone,
  pageLog,
  screenshot,
  signIn,
  softphoneState,
  softphoneStats,
  waitForCallState,
  waitForMedia,
} from '../harness/browser.js';
import {
  eventually,
  getJson,
  newDataDir,
  type ServiceProcess,
  serviceEnv,
  spawnService,
  TEST_SECRET,
  waitHealthy,
  writeConfigFile,
} from '../harness/service.js';

const AGENT = { id: 'agent1', name: 'Agent One', transport: 'webrtc', password: 'agent1-secret-pw' } as const;
const ARI = 'http://127.0.0.1:8088/ari';
const APP = 'softphone-test';
const AUTH = `Basic ${Buffer.from(`contact-center:${TEST_SECRET}`).toString('base64')}`;

interface AriEvent {
  type: string;
  channel?: { id: string; name: string; state: string };
  [key: string]: unknown;
}

let asterisk: AsteriskSandbox;
let service: ServiceProcess;
let browser: Browser;
let events: WebSocket;
const received: AriEvent[] = [];

async function ari<T = unknown>(method: string, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${ARI}${path}`, { method, headers: { authorization: AUTH } });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

function waitEvent(match: (e: AriEvent) => boolean, what: string, timeoutMs = 15_000): Promise<AriEvent> {
  return eventually(async () => received.find(match), what, timeoutMs);
}

/** Rings PJSIP/agent1 into this test's own Stasis app; resolves with the channel id. */
async function ringAgent(callerId: string): Promise<string> {
  const query = new URLSearchParams({ endpoint: `PJSIP/${AGENT.id}`, app: APP, callerId, timeout: '30' });
  const { status, body } = await ari<{ id: string }>('POST', `/channels?${query}`);
  expect(status).toBe(200);
  return body.id;
}

async function channelGone(id: string): Promise<void> {
  await eventually(
    async () => ((await ari('GET', `/channels/${id}`)).status === 404 ? true : undefined),
    `${id} gone`,
  );
}

/** `pjsip show channelstats`: the receive and transmit packet counts of the agent's channel. */
async function asteriskPacketCounts(): Promise<{ rx: number; tx: number; line: string }> {
  const out = await asterisk.cli('pjsip show channelstats');
  const line = out.split('\n').find((l) => l.includes(`${AGENT.id}-`));
  if (!line) throw new Error(`no ${AGENT.id} channel in channelstats:\n${out}`);
  // ... ChannelId UpTime Codec | Receive: Count Lost Pct Jitter | Transmit: Count Lost Pct Jitter | RTT
  const match = line.match(/\d\d:\d\d:\d\d\s+\S+\s+(\d+)\s+\d+\s+\d+\s+[\d.]+\s+(\d+)/);
  if (!match) throw new Error(`cannot read channelstats line: ${line}\n${out}`);
  return { rx: Number(match[1]), tx: Number(match[2]), line };
}

beforeAll(async () => {
  const agents = [AGENT];
  asterisk = await startAsterisk(testConfig({ agents }), 'softphone-media');
  const dataDir = newDataDir();
  service = spawnService(serviceEnv(dataDir, { CC_CONFIG: writeConfigFile(dataDir, { agents }) }));
  await waitHealthy(service.baseUrl);
  events = new WebSocket(`ws://127.0.0.1:8088/ari/events?app=${APP}&api_key=contact-center:${TEST_SECRET}`);
  events.on('message', (data) => received.push(JSON.parse(String(data)) as AriEvent));
  await new Promise<void>((resolve, reject) => {
    events.once('open', () => resolve());
    events.once('error', reject);
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await asterisk?.cli('channel request hangup all').catch(() => undefined);
  await browser?.close();
  events?.close();
  await service?.stop();
  await asterisk?.stop();
});

describe('softphone page on a real Asterisk and Chromium', () => {
  let page: Page;

  it('serves the page, SIP.js and the softphone config', async () => {
    const config = await getJson<{ sipWsUrl: string; sipDomain: string; iceServers: unknown[] }>(
      `${service.baseUrl}/api/softphone/config`,
    );
    expect(config).toEqual({
      status: 200,
      body: { sipWsUrl: 'ws://127.0.0.1:8088/ws', sipDomain: '127.0.0.1', iceServers: [] },
    });
    const html = await fetch(`${service.baseUrl}/softphone/`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('<script type="module" src="./app.js">');
    const sip = await fetch(`${service.baseUrl}/vendor/sip.js/index.js`);
    expect(sip.status).toBe(200);
    expect(sip.headers.get('content-type')).toMatch(/javascript/);
  });

  it('signs in and registers agent1', async () => {
    page = await openAgentPage(browser, service.baseUrl, {
      agentId: AGENT.id,
      password: AGENT.password,
      autoAnswer: true,
    });
    expect(await softphoneState(page)).toMatchObject({
      registration: 'registered',
      call: 'idle',
      autoAnswer: true,
    });
    await expect(page.textContent('#registration')).resolves.toBe('Registered');
    const contacts = await asterisk.cli(`pjsip show aor ${AGENT.id}`);
    expect(contacts).toMatch(new RegExp(`Contact:\\s+${AGENT.id}/sip:`));
    await screenshot(page, 'softphone-idle');
  });

  it('auto-answers an ARI call, hears Asterisk and is heard (RTP both ways), and hangs up from the page', async () => {
    received.length = 0;
    const channelId = await ringAgent('"Test Caller" <+15551234567>');
    await waitEvent((e) => e.type === 'StasisStart' && e.channel?.id === channelId, 'StasisStart (answered)');
    await waitForCallState(page, 'connected');
    expect((await softphoneState(page)).caller).toEqual({ number: '+15551234567', name: 'Test Caller' });
    await expect(page.textContent('#call-state')).resolves.toBe('Connected');

    const play = await ari<{ id: string }>('POST', `/channels/${channelId}/play?media=sound:demo-congrats`);
    expect(play.status).toBe(201);

    const { first, last } = await waitForMedia(page, { minGrowth: 25 });
    expect(last.iceState).toMatch(/^(connected|completed)$/);
    expect(last.dtlsState).toBe('connected');
    expect(last.inboundPackets).toBeGreaterThan(first.inboundPackets);
    expect(last.outboundPackets).toBeGreaterThan(first.outboundPackets);
    // The prompt is not silence: the browser's receiver measured sound.
    await eventually(
      async () => ((await softphoneStats(page)).audioLevel > 0.001 ? true : undefined),
      'a non-silent audio level at the browser',
    );

    const counts = await eventually(async () => {
      const c = await asteriskPacketCounts();
      return c.rx > 25 && c.tx > 25 ? c : undefined;
    }, 'pjsip channelstats to count packets both ways');
    expect(counts.rx).toBeGreaterThan(25);
    expect(counts.tx).toBeGreaterThan(25);

    await page.waitForTimeout(1200); // the timer shows a running call in the screenshot
    await expect(page.textContent('#timer')).resolves.not.toBe('00:00');
    await screenshot(page, 'softphone-in-call');

    await page.click('#hangup');
    await waitEvent(
      (e) => e.type === 'StasisEnd' && e.channel?.id === channelId,
      'StasisEnd after the page hung up',
    );
    await channelGone(channelId);
    await waitForCallState(page, 'ended');
    expect(await asterisk.cli('core show channels count')).toMatch(/^0 active channels/m);
  });

  it('rings with the caller shown, answers with A, sends DTMF, mutes with M and hangs up with H', async () => {
    await page.uncheck('#auto-answer');
    await waitForCallState(page, 'idle', 10_000);
    received.length = 0;
    const channelId = await ringAgent('"Ringing Test" <+15559876543>');
    await waitForCallState(page, 'ringing');
    await expect(page.textContent('#caller-name')).resolves.toBe('Ringing Test');
    await expect(page.textContent('#caller-number')).resolves.toBe('+15559876543');
    await expect(page.isEnabled('#answer')).resolves.toBe(true);
    await screenshot(page, 'softphone-ringing');

    await page.keyboard.press('a');
    await waitEvent((e) => e.type === 'StasisStart' && e.channel?.id === channelId, 'StasisStart after A');
    await waitForCallState(page, 'connected');
    await ari('POST', `/channels/${channelId}/play?media=sound:demo-congrats`);
    await waitForMedia(page);

    // DTMF from the keypad (click) and the keyboard reaches Asterisk as digits on the channel.
    await page.click('#keypad [data-tone="5"]');
    await page.keyboard.press('#');
    await waitEvent(
      (e) => e.type === 'ChannelDtmfReceived' && e.channel?.id === channelId && e.digit === '5',
      'DTMF 5 at Asterisk',
    );
    await waitEvent(
      (e) => e.type === 'ChannelDtmfReceived' && e.channel?.id === channelId && e.digit === '#',
      'DTMF # at Asterisk',
    );
    await expect(page.textContent('#dtmf-sent')).resolves.toBe('5#');

    await page.keyboard.press('m');
    expect((await softphoneState(page)).muted).toBe(true);
    await expect(page.getAttribute('#mute', 'aria-pressed')).resolves.toBe('true');
    await page.keyboard.press('m');
    expect((await softphoneState(page)).muted).toBe(false);

    await page.keyboard.press('h');
    await channelGone(channelId);
    await waitForCallState(page, 'ended');
  });

  it('shows a missed call when the ringing stops before it is answered', async () => {
    await waitForCallState(page, 'idle', 10_000);
    const channelId = await ringAgent('"Impatient" <+15550000001>');
    await waitForCallState(page, 'ringing');
    expect((await ari('DELETE', `/channels/${channelId}`)).status).toBe(204);
    await waitForCallState(page, 'ended');
    // Rung by ARI itself, with no ACD to say why it stopped (the caller, a colleague, ring-no-answer): it
    // says no more than it knows. (With the ACD it says why: web/seat-ring-ends.)
    await expect(page.textContent('#caller-number')).resolves.toBe('Stopped ringing');
    await expect(page.isEnabled('#answer')).resolves.toBe(false);
    await channelGone(channelId);
  });

  it('looks sane on a narrow screen', async () => {
    const narrow = await openAgentPage(browser, service.baseUrl, {
      agentId: AGENT.id,
      password: AGENT.password,
      viewport: { width: 390, height: 844 },
    });
    await screenshot(narrow, 'softphone-narrow');
    // This registration replaces the first page's (aor max_contacts=1, remove_existing=yes).
    await narrow.context().close();
  });

  it('says clearly when the password is wrong', async () => {
    const wrong = await openSoftphone(browser, service.baseUrl);
    const state = await signIn(wrong, AGENT.id, 'not-the-password');
    expect(state.registration, pageLog(wrong)).toBe('failed');
    expect(state.error).toMatch(/wrong agent id or SIP password \(40[13] /);
    await expect(wrong.isVisible('#error')).resolves.toBe(true);
    await expect(wrong.textContent('#error-text')).resolves.toMatch(
      /Sign-in failed: wrong agent id or SIP password/,
    );
    await expect(wrong.textContent('#registration')).resolves.toBe('Not registered');
    await screenshot(wrong, 'softphone-wrong-password');
    await wrong.context().close();
  });
});
