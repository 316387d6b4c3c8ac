/**
 * Real parts: Asterisk 22 (sandbox root) with the carrier trunk's media timeout at 4 s
 * (`asterisk.trunkMediaTimeoutSeconds`), the service as its own process, two SIPp callers on the trunk
 * waiting in a queue nobody answers: one whose line sends no audio (its far end gone without a BYE) and one
 * who talks (PCMU as RTP). The silent line is hung up by Asterisk and put on record as such; the talking
 * caller waits on past the timeout until they hang up themselves. Then a call out: an agent at a desk phone
 * (a SIPp UAS that answers) calls a customer (a SIPp UAS on the carrier's address) who answers and sends no
 * audio: Asterisk hangs the customer up the same way, and the call out is on record as a line lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { LINE_LOST } from '../../../src/calls/call-session.js';
import { DESK_PASSWORD, deskAgent } from '../acd/desk-rig.js';
import { ApiClient } from '../harness/api.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import {
  closedCallFrom as closedCall,
  eventually,
  type InteractionView,
  type ServiceProcess,
  startService,
  TEST_SECRET,
} from '../harness/service.js';
import { runSipp, startSippAgent } from '../harness/sipp.js';

const MEDIA_TIMEOUT_SECONDS = 4;
/** Her own queue: she never takes the waiting callers of the first case. */
const ANN = deskAgent('ann', 5386, 'outbound-only', 1);
let asterisk: AsteriskSandbox;
let service: ServiceProcess;

beforeAll(async () => {
  asterisk = await startAsterisk(
    testConfig({ agents: [ANN], asterisk: { trunkMediaTimeoutSeconds: MEDIA_TIMEOUT_SECONDS } }),
    'silent-line',
  );
  service = await startService({
    supervisorToken: TEST_SECRET,
    queues: [
      { id: 'lines', name: 'Lines', strategy: 'longest_idle' },
      { id: 'outbound-only', name: 'Outbound only', strategy: 'longest_idle' },
    ],
    agents: [ANN],
    routes: [{ dialed: '300', queue: 'lines' }],
  });
});

afterAll(async () => {
  await service?.stop();
  await asterisk?.stop();
});

const closedCallFrom = (caller: string) => closedCall(service.baseUrl, caller);

describe("the carrier trunk's media timeout", () => {
  it('hangs up a waiting caller whose line sends no audio, on record as such; a talking caller waits on', async () => {
    const silent = '+15550777001';
    const talking = '+15550777002';
    const started = Date.now();
    const [silentRun, talkingRun] = await Promise.all([
      // Stays on the line, sending nothing, until the far end hangs up (at most 60 s).
      runSipp({ scenario: 'caller-waits', callers: [silent], dialed: '300' }),
      // Talks all along, and hangs up after 10 s: well past the timeout.
      runSipp({
        scenario: 'caller-hangs-up',
        callers: [talking],
        dialed: '300',
        talks: true,
        pauseMs: 10_000,
      }),
    ]);
    // The silent caller's SIPp took Asterisk's BYE: the call ended from the service's side, not SIPp's.
    expect(silentRun).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(talkingRun).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });

    const gone = await closedCallFrom(silent);
    expect(gone).toMatchObject({
      disposition: 'abandoned',
      endedBy: 'caller',
      hangupCause: expect.stringContaining(LINE_LOST),
    });
    // Waited the timeout (Asterisk checks about once a second), not the SIPp's own 60 s.
    expect(gone.waitSeconds).toBeGreaterThanOrEqual(MEDIA_TIMEOUT_SECONDS - 1);
    expect(gone.waitSeconds).toBeLessThan(MEDIA_TIMEOUT_SECONDS + 6);
    const hangup = gone.timeline.find((e) => e.type === 'call.hangup');
    expect(hangup?.payload).toMatchObject({ by: 'caller', causeText: LINE_LOST, lineLost: true });

    const stayed = await closedCallFrom(talking);
    expect(stayed).toMatchObject({ disposition: 'abandoned', endedBy: 'caller' });
    expect(stayed.hangupCause ?? '').not.toContain(LINE_LOST);
    expect(stayed.timeline.find((e) => e.type === 'call.hangup')?.payload).not.toHaveProperty('lineLost');
    expect(stayed.waitSeconds).toBeGreaterThanOrEqual(9);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
  });

  it("hangs up a call out whose customer's line goes silent, on record as a line lost", async () => {
    const api = new ApiClient(service.baseUrl);
    // Ann's desk phone and the customer both answer and stay on until the far end hangs up; neither sends audio,
    // but only the customer's leg is the carrier trunk's (the media timeout is the trunk's).
    const phone = startSippAgent({ port: 5386, scenario: 'agent-answers' });
    const customer = startSippAgent({ port: 5070, scenario: 'agent-answers' });
    try {
      const token = await api.signIn(ANN.id, DESK_PASSWORD);
      await api.seat(ANN.id, token, 'login');
      const placed = await api.request<{ interactionId: string }>('POST', '/api/calls/outbound', {
        token,
        body: { number: '+15550777003' },
      });
      expect(placed.status).toBe(200);
      const ended = await eventually(
        async () => {
          const { body } = await api.request<InteractionView>(
            'GET',
            `/api/interactions/${placed.body.interactionId}`,
            { token: TEST_SECRET },
          );
          return body.state === 'closed' ? body : undefined;
        },
        'the call out to close',
        30_000,
      );
      expect(ended).toMatchObject({
        direction: 'outbound',
        agentId: ANN.id,
        disposition: 'handled',
        endedBy: 'caller',
        hangupCause: expect.stringContaining(LINE_LOST),
      });
      const hangup = ended.timeline.find((e) => e.type === 'call.hangup');
      expect(hangup?.payload).toMatchObject({ by: 'caller', causeText: LINE_LOST, lineLost: true });
      // Cut at the timeout after the customer answered, not when either SIPp gave up.
      expect(ended.talkSeconds).toBeGreaterThanOrEqual(MEDIA_TIMEOUT_SECONDS - 1);
      expect(ended.talkSeconds).toBeLessThan(MEDIA_TIMEOUT_SECONDS + 6);
    } finally {
      await phone.stop();
      await customer.stop();
    }
  });
});
