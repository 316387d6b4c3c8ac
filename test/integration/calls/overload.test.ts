/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process, SIPp callers on the carrier trunk.
 * The overload is real too: the test starves the service of CPU (SIGSTOP for 120 ms, SIGCONT for 20 ms,
 * over and over), so its event loop runs behind as on a machine with more calls than CPU. A caller who
 * arrives then is turned away at once with a 503 instead of being answered into silence, and the refusal is
 * on record; once the service catches up, calls come in again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import {
  eventually,
  getJson,
  type InteractionView,
  type ServiceProcess,
  startService,
  TEST_SECRET,
} from '../harness/service.js';
import { runSipp } from '../harness/sipp.js';

const LIMIT_MS = 40;
let asterisk: AsteriskSandbox;
let service: ServiceProcess;

const health = async () =>
  (await getJson<{ status: string; eventLoopLagMs: number }>(`${service.baseUrl}/health`)).body;

async function closedCallFrom(caller: string): Promise<InteractionView> {
  return eventually(async () => {
    const { body } = await getJson<{ items: InteractionView[] }>(
      `${service.baseUrl}/api/interactions?limit=50`,
    );
    const id = body.items.find((i) => i.callerNumber === caller)?.id;
    if (!id) return undefined;
    const detail = (await getJson<InteractionView>(`${service.baseUrl}/api/interactions/${id}`)).body;
    return detail.state === 'closed' ? detail : undefined;
  }, `the call from ${caller} to close`);
}

/** Stops and continues the service's process in turn until the returned function is called. */
function starve(pid: number, stoppedMs: number, runningMs: number): () => Promise<void> {
  let on = true;
  const done = (async () => {
    while (on) {
      process.kill(pid, 'SIGSTOP');
      await sleep(stoppedMs);
      process.kill(pid, 'SIGCONT');
      await sleep(runningMs);
    }
  })();
  return async () => {
    on = false;
    await done;
  };
}

beforeAll(async () => {
  asterisk = await startAsterisk(testConfig(), 'overload');
  service = await startService(
    { supervisorToken: TEST_SECRET },
    { CC_MAX_EVENT_LOOP_LAG_MS: String(LIMIT_MS) },
  );
});

afterAll(async () => {
  if (service?.child.pid) process.kill(service.child.pid, 'SIGCONT');
  await service?.stop();
  await asterisk?.stop();
});

describe('load shedding at the door (real Asterisk, SIPp, a CPU-starved service)', () => {
  it('turns a caller away with a 503 while the service runs behind, and lets calls in once it catches up', async () => {
    const stopStarving = starve(service.child.pid!, 120, 20);
    let turnedAway: Awaited<ReturnType<typeof runSipp>>;
    try {
      await sleep(1500); // long enough for most of a lag window to be late timers
      turnedAway = await runSipp({
        scenario: 'caller-turned-away',
        callers: ['+15550888001'],
        calls: 1,
        timeoutSeconds: 30,
      });
    } finally {
      await stopStarving();
    }
    expect(turnedAway).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const refused = await closedCallFrom('+15550888001');
    expect(refused).toMatchObject({ disposition: 'rejected', answeredAt: null });
    const why = refused.timeline.find((e) => e.type === 'call.refused')?.payload;
    expect(why?.reason).toMatch(/^overloaded: the service runs \d+ ms behind \(limit 40 ms\)$/);
    expect(why?.lagMs).toBeGreaterThan(LIMIT_MS);
    expect(refused.timeline.some((e) => e.type === 'call.answered')).toBe(false);

    // Caught up (the late timers age out of the lag windows): the next caller is answered as usual.
    await eventually(
      async () => ((await health()).eventLoopLagMs < LIMIT_MS / 2 ? true : undefined),
      'the service to catch up',
    );
    const next = await runSipp({ scenario: 'caller-hangs-up', callers: ['+15550888002'], pauseMs: 500 });
    expect(next).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const served = await closedCallFrom('+15550888002');
    expect(served.answeredAt).not.toBeNull();
    expect(served.timeline.some((e) => e.type === 'call.refused')).toBe(false);
  });
});
