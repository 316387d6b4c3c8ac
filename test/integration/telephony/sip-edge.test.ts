/**
 * Real parts: Asterisk 22 (sandbox root), the SIP edge (Debian's Kamailio, with sip-edge/kamailio.cfg
 * rendered from this test's config), the service as its own process, SIPp carriers and customer, a SIPp
 * desk phone, and raw UDP from other loopback addresses standing in for strangers and scanners.
 * Carriers' calls go through the edge to Asterisk; anyone else is refused or ignored there; Asterisk's calls
 * out leave through it; with Asterisk down the edge answers 503 itself, and calls pass again once it is back.
 */
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { SipEdge } from '../../../scripts/sandbox/sip-edge.js';
import { ApiClient } from '../harness/api.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import {
  eventually,
  newDataDir,
  type ServiceProcess,
  serviceEnv,
  spawnService,
  waitHealthy,
  writeConfigFile,
} from '../harness/service.js';
import { runSipp, startSippAgent } from '../harness/sipp.js';

const SUPERVISOR = 'sip-edge-supervisor-token';
const EDGE_PORT = 5087;
const EDGE = `127.0.0.1:${EDGE_PORT}`;
const FLOOD_REQUESTS = 10;
const DESK = { id: 'desk1', name: 'Desk One', transport: 'udp', password: 'desk1-secret-pw' };
const SETTINGS = {
  supervisorToken: SUPERVISOR,
  agents: [DESK],
  sipEdge: {
    host: '127.0.0.1',
    port: EDGE_PORT,
    carriers: [{ id: 'acme', addresses: ['127.0.0.1'] }],
    floodRequests: FLOOD_REQUESTS,
  },
  outbound: { callerId: { mode: 'fixed', number: '+15550009999', name: 'Acme Support' } },
};
const INSTANCE = 'sip-edge';

interface Interaction {
  id: string;
  state: string;
  direction: string;
  trunk: string;
  callerNumber: string | null;
  disposition: string | null;
}

const config = testConfig({ agents: SETTINGS.agents, sipEdge: SETTINGS.sipEdge });
let asterisk: AsteriskSandbox;
let edge: SipEdge;
let service: ServiceProcess;
let api: ApiClient;
let serviceSettings: Record<string, string>;

async function interactionsFrom(number: string): Promise<Interaction[]> {
  const { body } = await api.request<{ items: Interaction[] }>(
    'GET',
    `/api/interactions?callerNumber=${encodeURIComponent(number)}`,
    { token: SUPERVISOR },
  );
  return body.items;
}

/** The call from `number`, once closed (it is put on record as it ends, or when the service is back). */
async function closedCallFrom(number: string): Promise<Interaction> {
  return eventually(async () => {
    const [latest] = await interactionsFrom(number);
    return latest?.state === 'closed' ? latest : undefined;
  }, `the call from ${number} on record, closed`);
}

let sequence = 0;
/**
 * Sends `count` SIP requests from `ip` to the edge as fast as they go, and gathers every answer's status
 * line for `listenMs` after the last.
 */
async function sendRaw(
  ip: string,
  options: { method?: 'OPTIONS' | 'INVITE'; count?: number; userAgent?: string; listenMs?: number } = {},
): Promise<string[]> {
  const socket = createSocket('udp4');
  const answers: string[] = [];
  socket.on('message', (message) => answers.push(message.toString('utf8').split('\r\n')[0] ?? ''));
  await new Promise<void>((resolve) => socket.bind(0, ip, () => resolve()));
  const { port } = socket.address();
  const method = options.method ?? 'OPTIONS';
  try {
    for (let i = 0; i < (options.count ?? 1); i++) {
      const n = ++sequence;
      const request = [
        `${method} sip:100@${EDGE} SIP/2.0`,
        `Via: SIP/2.0/UDP ${ip}:${port};branch=z9hG4bK-edge-test-${n};rport`,
        `From: <sip:+15559990000@${ip}>;tag=t${n}`,
        `To: <sip:100@${EDGE}>`,
        `Call-ID: edge-test-${n}@${ip}`,
        `CSeq: 1 ${method}`,
        `Contact: <sip:+15559990000@${ip}:${port}>`,
        'Max-Forwards: 70',
        ...(options.userAgent ? [`User-Agent: ${options.userAgent}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      await new Promise<void>((resolve, reject) =>
        socket.send(request, EDGE_PORT, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
      );
    }
    await new Promise((r) => setTimeout(r, options.listenMs ?? 1000));
    return answers;
  } finally {
    socket.close();
  }
}

beforeAll(async () => {
  asterisk = await startAsterisk(config, INSTANCE);
  edge = new SipEdge(config, asterisk.hostPath('edge'));
  await edge.start();
  const dataDir = newDataDir();
  serviceSettings = serviceEnv(dataDir, { CC_CONFIG: writeConfigFile(dataDir, SETTINGS) });
  service = spawnService(serviceSettings);
  await waitHealthy(service.baseUrl);
  api = new ApiClient(service.baseUrl);
});

afterAll(async () => {
  await service?.stop();
  await edge?.stop();
  await asterisk?.stop();
});

describe('the SIP edge (Kamailio) in front of a real Asterisk', () => {
  it("takes a carrier's calls to Asterisk: answered, served and on record like any call", async () => {
    const callers = ['+15554440001', '+15554440002', '+15554440003'];
    const result = await runSipp({
      scenario: 'caller-hangs-up',
      target: EDGE,
      callers,
      calls: 3,
      limit: 3,
      pauseMs: 500,
    });
    expect(result).toMatchObject({ exitCode: 0, successful: 3, failed: 0 });
    for (const caller of callers) {
      const call = await closedCallFrom(caller);
      expect(call).toMatchObject({ direction: 'inbound', trunk: 'acme', callerNumber: caller });
    }
    // A carrier cannot name itself otherwise: the edge replaces the header with its own.
    const spoofer = '+15554440008';
    const spoofed = await runSipp({
      scenario: 'caller-hangs-up',
      target: EDGE,
      callers: [spoofer],
      pauseMs: 300,
      transform: (text) =>
        text.replace('Max-Forwards: 70', 'Max-Forwards: 70\n      X-CC-Carrier: someone-else'),
    });
    expect(spoofed).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(await closedCallFrom(spoofer)).toMatchObject({ trunk: 'acme', callerNumber: spoofer });
  });

  it('takes a carrier calling over TCP the same way, its hang-up crossing back over its connection', async () => {
    const caller = '+15554440010';
    // The caller's BYE goes over TCP to the edge, then over UDP to Asterisk; the 200 OK back over TCP.
    const result = await runSipp({
      scenario: 'caller-hangs-up',
      target: EDGE,
      callers: [caller],
      pauseMs: 800,
      tcp: true,
    });
    expect(result, result.stderr).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(await closedCallFrom(caller)).toMatchObject({
      direction: 'inbound',
      trunk: 'acme',
      callerNumber: caller,
      disposition: expect.not.stringMatching(/^(lost|failed)$/),
      endedBy: 'caller',
    });
    // A stranger over TCP gets the same 403.
    const stranger = await runSipp({
      scenario: 'caller-rejected',
      target: EDGE,
      localIp: '127.0.0.2',
      callers: ['+15554440098'],
      tcp: true,
    });
    expect(stranger).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
  });

  it('refuses a call from an address that is not a carrier: 403 at the edge, nothing reaches Asterisk', async () => {
    const stranger = '+15554440099';
    const result = await runSipp({
      scenario: 'caller-rejected',
      target: EDGE,
      localIp: '127.0.0.2',
      callers: [stranger],
    });
    expect(result).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(await sendRaw('127.0.0.2', { method: 'INVITE' })).toEqual([
      'SIP/2.0 403 Not a carrier of this contact center',
    ]);
    // Nothing was opened for it: the same number straight from a carrier would have been.
    expect(await interactionsFrom(stranger)).toEqual([]);
  });

  it('ignores a flood past its limit and a scanner at once, while carriers go on being served', async () => {
    const flood = await sendRaw('127.0.0.3', { count: 60 });
    // The first requests of the 2 s window are answered 403, the rest get no answer at all.
    expect(flood.length).toBeGreaterThanOrEqual(1);
    expect(flood.length).toBeLessThanOrEqual(FLOOD_REQUESTS + 2);
    expect(new Set(flood)).toEqual(new Set(['SIP/2.0 403 Not a carrier of this contact center']));
    // A known scanner's User-Agent gets silence; the same request without it gets its 403.
    expect(await sendRaw('127.0.0.4', { userAgent: 'friendly-scanner' })).toEqual([]);
    expect(await sendRaw('127.0.0.4', { userAgent: 'sipvicious' })).toEqual([]);
    expect(await sendRaw('127.0.0.5', { userAgent: 'Some Phone 1.0' })).toEqual([
      'SIP/2.0 403 Not a carrier of this contact center',
    ]);
    // The carrier's own keep-alive is answered by the edge while Asterisk is up.
    expect(await sendRaw('127.0.0.1')).toEqual(['SIP/2.0 200 OK']);
    const result = await runSipp({
      scenario: 'caller-hangs-up',
      target: EDGE,
      callers: ['+15554440004'],
      pauseMs: 300,
    });
    expect(result).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
  });

  it("sends Asterisk's calls out to the carrier through the edge, and the customer's hang-up back through it", async () => {
    const customer = startSippAgent({ port: 5070, scenario: 'carrier-answers-via-edge', pauseMs: 2000 });
    try {
      const token = await api.signIn(DESK.id, DESK.password);
      await api.seat(DESK.id, token, 'login');
      await api.seat(DESK.id, token, 'not-ready', { reason: 'break' });
      const dialled = await runSipp({
        scenario: 'desk-phone-dials',
        dialed: '+15553330001',
        fill: { AGENT: DESK.id, PASSWORD: DESK.password },
        timeoutSeconds: 30,
      });
      expect(dialled).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
      const outbound = await eventually(async () => {
        const { body } = await api.request<{ items: Interaction[] }>(
          'GET',
          '/api/interactions?direction=outbound',
          { token: SUPERVISOR },
        );
        return body.items[0]?.state === 'closed' ? body.items[0] : undefined;
      }, 'the outbound call to close');
      expect(outbound).toMatchObject({ callerNumber: '+15553330001', disposition: 'handled' });
    } finally {
      // The customer's scenario fails a call whose INVITE lacks the edge's Record-Route.
      const counts = await customer.stop();
      expect(customer.errors()).toBe('');
      expect(counts).toEqual({ successful: 1, failed: 0 });
    }
  });

  it('answers 503 itself while Asterisk is down, so carriers fail over; calls pass again once it is back', async () => {
    await asterisk.stop();
    // The edge's probes find Asterisk gone within a few seconds; from then on it answers at once.
    const answer = await eventually(async () => {
      const [first] = await sendRaw('127.0.0.1', { method: 'INVITE', listenMs: 300 });
      return first === 'SIP/2.0 503 No PBX up' ? first : undefined;
    }, 'the edge to answer 503 by itself');
    expect(answer).toBe('SIP/2.0 503 No PBX up');
    expect(await sendRaw('127.0.0.1')).toEqual(['SIP/2.0 503 No PBX up']);
    const turnedAway = await runSipp({
      scenario: 'caller-turned-away',
      target: EDGE,
      callers: ['+15554440005'],
    });
    expect(turnedAway).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });

    asterisk = await startAsterisk(config, INSTANCE);
    await waitHealthy(service.baseUrl);
    const caller = '+15554440006';
    await eventually(
      async () => {
        const result = await runSipp({
          scenario: 'caller-hangs-up',
          target: EDGE,
          callers: [caller],
          pauseMs: 300,
        });
        return result.successful === 1 ? result : undefined;
      },
      'a carrier call through the edge once Asterisk is back',
      30_000,
    );
    const call = await closedCallFrom(caller);
    expect(call).toMatchObject({ direction: 'inbound', trunk: 'acme', callerNumber: caller });
  });

  it("passes Asterisk's own 503 (no service) on to the carrier as a 503, and the call is on record once the service is back", async () => {
    await service.stop();
    const caller = '+15554440007';
    const run = await runSipp({
      scenario: 'caller-turned-away',
      target: EDGE,
      callers: [caller],
      timeoutSeconds: 15,
    });
    // The scenario succeeds on a 503 only: a proxy would make it a 500 (RFC 3261 16.7), telling a carrier less.
    expect(run).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });

    service = spawnService(serviceSettings);
    await waitHealthy(service.baseUrl);
    const call = await closedCallFrom(caller);
    // Named from Asterisk's own note of the call, which has the edge's name for the carrier.
    expect(call).toMatchObject({
      direction: 'inbound',
      trunk: 'acme',
      callerNumber: caller,
      disposition: 'rejected',
    });
  });

  it('says on /health and /metrics whether the edge answers, since carriers reach nobody without it', async () => {
    const health = async () => {
      const response = await fetch(`${service.baseUrl}/health`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(
      await eventually(
        async () => ((await health()).body.sipEdge === 'up' ? health() : undefined),
        'edge up',
      ),
    ).toMatchObject({ status: 200, body: { status: 'up', sipEdge: 'up' } });
    await edge.stop();
    const down = await eventually(async () => {
      const now = await health();
      return now.body.sipEdge === 'down' ? now : undefined;
    }, 'the service to find the edge gone');
    expect(down).toMatchObject({
      status: 503,
      body: { status: 'degraded', ari: 'up', ami: 'up', sipEdge: 'down' },
    });
    const text = await (
      await fetch(`${service.baseUrl}/metrics`, { headers: { authorization: `Bearer ${SUPERVISOR}` } })
    ).text();
    expect(text).toContain('cc_up{link="sip_edge"} 0\n');

    edge = new SipEdge(config, asterisk.hostPath('edge'));
    await edge.start();
    await eventually(
      async () => ((await health()).body.sipEdge === 'up' ? true : undefined),
      'edge up again',
    );
    expect(await health()).toMatchObject({ status: 200, body: { status: 'up' } });
  });
});
