/**
 * Real parts: Asterisk 22 (sandbox root) with its TLS listener for the softphone's wss, the service as its own
 * process serving https, openssl making the certificate, a SIPp caller on the carrier trunk, and headless
 * Debian Chromium running the SIP.js page from 198.18.0.2, the test namespace's own non-loopback address:
 * to the browser that is another machine, where a page gets the microphone only over https.
 * Run inside the test network namespace (scripts/in-netns.sh).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSoftphone, signIn, softphoneState, waitForCallState, waitForMedia } from '../harness/browser.js';
import {
  type ServiceProcess,
  serviceEnv,
  spawnService,
  waitHealthy,
  writeConfigFile,
} from '../harness/service.js';
import { talkingCaller, waitPage } from './seat-harness.js';
import { logInReady, type SeatRig, seatAgent, startSeatRig, supportQueueSettings } from './seat-rig.js';

/** The address an agent's browser reaches the contact center at (not loopback: not a secure origin). */
const HOST = '198.18.0.2';
const HTTPS_PORT = '3443';
const WSS_PORT = 8089;
const SUPERVISOR = 'tls-supervisor-token-0001';
const agent = seatAgent(1);

let rig: SeatRig;
let certFile: string;
let keyFile: string;
let plain: ServiceProcess | undefined;

/** A self-signed certificate for HOST, as `scripts/make-cert.sh` makes one. */
function makeCertificate(): { certFile: string; keyFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cc-tls-'));
  const files = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
  execFileSync(join(process.cwd(), 'scripts', 'make-cert.sh'), [HOST, dir], { stdio: 'pipe' });
  return files;
}

/** Connects with TLS, trusting only the test certificate; resolves with whether it verified and its SHA-256. */
function tlsHandshake(port: number): Promise<{ authorized: boolean; fingerprint: string; error?: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: HOST, port, ca: readFileSync(certFile), rejectUnauthorized: false },
      () => {
        resolve({
          authorized: socket.authorized,
          fingerprint: socket.getPeerCertificate().fingerprint256,
          error: socket.authorizationError?.toString(),
        });
        socket.end();
      },
    );
    socket.once('error', reject);
  });
}

beforeAll(async () => {
  ({ certFile, keyFile } = makeCertificate());
  const tlsEnv = {
    CC_HTTP_HOST: HOST,
    CC_HTTP_PORT: HTTPS_PORT,
    CC_HTTP_TLS_CERT: certFile,
    CC_HTTP_TLS_KEY: keyFile,
  };
  // The test's own requests trust whatever the service presents (Node's fetch takes no CA of its own);
  // the certificate itself is checked strictly by tlsHandshake.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  rig = await startSeatRig('softphone-tls', supportQueueSettings(SUPERVISOR, [agent]), {
    env: tlsEnv,
    http: { host: HOST, port: Number(HTTPS_PORT), tls: { certFile, keyFile } },
  });
});

afterAll(async () => {
  await plain?.stop();
  await rig?.stop();
});

describe('softphone for an agent on another machine: https pages, wss to Asterisk (real Asterisk, SIPp, Chromium)', () => {
  let page: Page;

  it('serves the pages and API over https, and Asterisk serves the same certificate for wss', async () => {
    const expected = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256'])
      .toString()
      .replace(/^.*=/, '')
      .trim();
    const service = await tlsHandshake(Number(HTTPS_PORT));
    expect(service).toMatchObject({ authorized: true, fingerprint: expected });
    const asterisk = await tlsHandshake(WSS_PORT);
    expect(asterisk).toMatchObject({ authorized: true, fingerprint: expected });

    expect(rig.service.baseUrl).toBe(`https://${HOST}:${HTTPS_PORT}`);
    const config = await rig.api.request('GET', '/api/softphone/config');
    expect(config).toEqual({
      status: 200,
      body: { sipWsUrl: `wss://${HOST}:${WSS_PORT}/ws`, sipDomain: '127.0.0.1', iceServers: [] },
    });
    // The port speaks TLS only: a plain request gets no page.
    await expect(fetch(`http://${HOST}:${HTTPS_PORT}/health`)).rejects.toThrow();
  });

  it('registers over wss, takes a queue call and carries media both ways', async () => {
    page = await rig.openSeatPage(agent, { autoAnswer: true, ignoreHTTPSErrors: true });
    expect(await page.evaluate(() => [window.isSecureContext, location.origin])).toEqual([
      true,
      `https://${HOST}:${HTTPS_PORT}`,
    ]);
    await logInReady(rig, page, agent.id);

    const caller = talkingCaller({ number: '+15557770001', dialed: '500', seconds: 30 });
    try {
      await waitForCallState(page, 'connected');
      const { first, last } = await waitForMedia(page, { minGrowth: 25 });
      expect(last.dtlsState).toBe('connected');
      expect(last.inboundPackets).toBeGreaterThan(first.inboundPackets);
      expect(last.outboundPackets).toBeGreaterThan(first.outboundPackets);
      const interactionId = (await waitPage(page, (s) => s.interactionId !== '', 'the call on the seat'))
        .interactionId;
      await page.click('#hangup');
      await expect(caller.exited).resolves.toBe(0);
      const closed = await rig.closed(interactionId);
      expect(closed).toMatchObject({ agentId: agent.id, callerNumber: '+15557770001', endedBy: 'agent' });
    } finally {
      caller.stop();
    }
  });

  it('refuses to sign in on a plain-http page opened from another machine, saying why', async () => {
    await page.context().close();
    await rig.service.stop();
    const dataDir = rig.service.dataDir;
    plain = spawnService(
      serviceEnv(dataDir, {
        CC_CONFIG: writeConfigFile(dataDir, supportQueueSettings(SUPERVISOR, [agent])),
        CC_HTTP_HOST: HOST,
        CC_HTTP_PORT: HTTPS_PORT,
      }),
    );
    await waitHealthy(plain.baseUrl);
    expect(plain.baseUrl).toBe(`http://${HOST}:${HTTPS_PORT}`);

    // Asterisk's contact for the agent as the first page left it; a registration would replace it.
    const contactOf = async () =>
      (await rig.asterisk.cli(`pjsip show aor ${agent.id}`)).match(/Contact:\s+\S+/g)?.join() ?? 'none';
    const before = await contactOf();
    const insecure = await openSoftphone(rig.browser, plain.baseUrl);
    const state = await signIn(insecure, agent.id, agent.password);
    expect(state.registration).toBe('failed');
    expect(state.error).toMatch(/This page is not secure \(http:\/\/198\.18\.0\.2:3443\).*microphone.*https/);
    await expect(insecure.textContent('#error-text')).resolves.toMatch(/not secure/);
    // The page never reached Asterisk: the agent's contact is still the one from before.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await contactOf()).toBe(before);
    expect((await softphoneState(insecure)).registration).toBe('failed');
    await insecure.context().close();
  });
});
