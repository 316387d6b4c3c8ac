/**
 * Real parts: Asterisk 22 (sandbox root) with the carrier trunk's media timeout at 4 s
 * (`asterisk.trunkMediaTimeoutSeconds`), the service as its own process, two SIPp callers on the trunk
 * waiting in a queue nobody answers: one whose line sends no audio (its far end gone without a BYE) and one
 * who talks (PCMU as RTP). The silent line is hung up by Asterisk and put on record as such; the talking
 * caller waits on past the timeout until they hang up themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { LINE_LOST } from '../../../src/calls/call-session.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import {
  closedCallFrom as closedCall,
  type ServiceProcess,
  startService,
  TEST_SECRET,
} from '../harness/service.js';
import { runSipp } from '../harness/sipp.js';

const MEDIA_TIMEOUT_SECONDS = 4;
let asterisk: AsteriskSandbox;
let service: ServiceProcess;

beforeAll(async () => {
  asterisk = await startAsterisk(
    testConfig({ asterisk: { trunkMediaTimeoutSeconds: MEDIA_TIMEOUT_SECONDS } }),
    'silent-line',
  );
  service = await startService({
    supervisorToken: TEST_SECRET,
    queues: [{ id: 'lines', name: 'Lines', strategy: 'longest_idle' }],
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
});
