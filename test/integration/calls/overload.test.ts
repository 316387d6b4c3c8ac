/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process, SIPp callers on the carrier trunk.
 * The overload is real too: first the test starves the service of CPU (SIGSTOP for 120 ms, SIGCONT for
 * 20 ms, over and over), so its event loop runs behind as on a machine with more calls than CPU; then it
 * caps Asterisk to 2% (1% if that is not slow enough here) of a core with a cgroup CFS quota, so every ARI request waits while the service
 * idles (SIGSTOP would not do there: requests follow Asterisk's own events, so they land in its running
 * slices and stay fast). A caller who arrives then is
 * turned away at once with a 503 instead of being answered into silence, and the refusal is on record;
 * once the starved process catches up, calls come in again. With no service connected at all, Asterisk's
 * dialplan turns the caller away with a 503 as well, so a carrier can route the call to a backup.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import { capCpu } from '../harness/cpu-cap.js';
import {
  closedCallFrom as closedCall,
  eventually,
  getJson,
  type InteractionView,
  type ServiceProcess,
  startService,
  TEST_SECRET,
} from '../harness/service.js';
import { runSipp } from '../harness/sipp.js';

const LIMIT_MS = 40;
const ARI_LIMIT_MS = 20;
/**
 * Asterisk's CPU while its callers arrive, gentlest first: far less than a handful of calls needs, but how
 * much less depends on the machine. On one 2-core machine 1% made the callers let in before any slowness
 * was measured fare at random (answers past the service's 5 s request timeout, a link lost: about half the
 * runs failed) and 3% sometimes left Asterisk quick enough for no refusal, while 2% passed 8 of 8 runs; on
 * another, 2% never slowed it enough (no refusal in 3 of 3 runs) and 1% passed. So the case tries 2%, and
 * only when no caller was refused (Asterisk still quick) tries again at 1%.
 */
const ASTERISK_CPU_PERCENTS = [2, 1];
let liftCap: (() => void) | undefined;
let asterisk: AsteriskSandbox;
let service: ServiceProcess;

const health = async () =>
  (
    await getJson<{ status: string; eventLoopLagMs: number; ariRoundTripMs: number }>(
      `${service.baseUrl}/health`,
    )
  ).body;

const closedCallFrom = (caller: string) => closedCall(service.baseUrl, caller);

/** Stops and continues a process in turn until the returned function is called. */
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
});

afterEach(async () => {
  if (service?.child.pid) process.kill(service.child.pid, 'SIGCONT');
  liftCap?.();
  await service?.stop();
});

afterAll(async () => {
  await asterisk?.stop();
});

/** The next caller is answered as usual, with no refusal on record. */
async function expectAnsweredAgain(caller: string): Promise<void> {
  const next = await runSipp({ scenario: 'caller-hangs-up', callers: [caller], pauseMs: 500 });
  expect(next).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
  const served = await closedCallFrom(caller);
  expect(served.answeredAt).not.toBeNull();
  expect(served.timeline.some((e) => e.type === 'call.refused')).toBe(false);
}

/**
 * Once the starved process has caught up (`caughtUp` waits for it), callers are let in again. On a machine
 * busy with other tests the door may still read a real spike past its limit as the next caller arrives
 * (seen in a full run: 48 ms against 40, the health having read under 20 just before), so a caller turned
 * away must have been turned away for a reading over `limit` (`reading` names it in the refusal), and the
 * next of up to three callers tries again; one of them must be answered, with no refusal on record.
 */
async function expectLetInAgain(
  callers: readonly string[],
  caughtUp: () => Promise<unknown>,
  reading: 'lagMs' | 'ariRoundTripMs',
  limit: number,
): Promise<void> {
  const story: string[] = [];
  for (const caller of callers) {
    await caughtUp();
    const run = await runSipp({
      scenario: 'caller-answered-or-turned-away',
      callers: [caller],
      pauseMs: 500,
      timeoutSeconds: 30,
    });
    expect(run, run.stderr).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const call = await closedCallFrom(caller);
    const refusal = call.timeline.find((e) => e.type === 'call.refused')?.payload;
    if (call.answeredAt !== null) {
      expect(refusal, story.join('; ')).toBeUndefined();
      return;
    }
    expect(call.disposition).toBe('rejected');
    expect(Number(refusal?.[reading]), JSON.stringify(refusal)).toBeGreaterThan(limit);
    story.push(`${caller} turned away: ${String(refusal?.reason)}`);
  }
  expect.fail(`no caller was let in again: ${story.join('; ')}`);
}

describe('the door with no service behind it (real Asterisk, SIPp)', () => {
  it('answers a carrier call with 503 while the service is not connected, and puts it on record once the service is back', async () => {
    // No service runs yet in this file: Stasis() finds no application and the dialplan hangs up with
    // congestion. A plain Hangup() would send 603 Decline, which tells a carrier not to try elsewhere.
    const before = Date.now();
    const run = await runSipp({
      scenario: 'caller-turned-away',
      callers: ['+15550888300'],
      calls: 1,
      timeoutSeconds: 15,
      // A caller name holding the note's separator and a comma, as a carrier may send.
      transform: (text) => text.replace('"Caller"', '"Smith, Jane | VIP"'),
    });
    expect(run.stderr).not.toMatch(/603 Decline/);
    expect(run).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(await asterisk.cli('database show cc-unserved')).toMatch(/^1 results found/m);

    // The service comes up and puts the call on record from Asterisk's note, then deletes the note.
    service = await startService({ supervisorToken: TEST_SECRET });
    const unserved = await closedCallFrom('+15550888300');
    expect(unserved).toMatchObject({
      direction: 'inbound',
      trunk: 'carrier',
      callerName: 'Smith, Jane | VIP',
      dialedNumber: '100',
      disposition: 'rejected',
      answeredAt: null,
    });
    const startedAt = Date.parse(String(unserved.startedAt));
    expect(startedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(startedAt).toBeLessThan(Date.now());
    expect(unserved.timeline.map((e) => e.type)).toEqual([
      'interaction.opened',
      'call.unserved',
      'interaction.closed',
    ]);
    expect(unserved.timeline[1]?.payload).toMatchObject({
      reason: 'the service was not connected to Asterisk',
    });
    await eventually(
      async () =>
        (await asterisk.cli('database show cc-unserved')).match(/^0 results found/m) ? true : undefined,
      "Asterisk's note to be deleted",
    );

    // Restarted on the same database: the record stands, once, and calls come in as usual.
    await service.stop();
    service = await startService(
      { supervisorToken: TEST_SECRET },
      { CC_DATA_DIR: service.dataDir, CC_DB_PATH: service.dbPath },
    );
    await expectAnsweredAgain('+15550888301');
    const { body } = await getJson<{ items: InteractionView[] }>(
      `${service.baseUrl}/api/interactions?callerNumber=${encodeURIComponent('+15550888300')}`,
    );
    expect(body.items).toHaveLength(1);
  });
});

describe('load shedding at the door (real Asterisk, SIPp, a CPU-starved service)', () => {
  it('turns a caller away with a 503 while the service runs behind, and lets calls in once it catches up', async () => {
    service = await startService(
      { supervisorToken: TEST_SECRET },
      { CC_MAX_EVENT_LOOP_LAG_MS: String(LIMIT_MS), CC_MAX_ARI_ROUND_TRIP_MS: '0' },
    );
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

    // Caught up (the late timers age out of the lag windows): callers are answered as usual again.
    await expectLetInAgain(
      ['+15550888002', '+15550888003', '+15550888004'],
      () =>
        eventually(
          async () => ((await health()).eventLoopLagMs < LIMIT_MS / 2 ? true : undefined),
          'the service to catch up',
        ),
      'lagMs',
      LIMIT_MS,
    );
  });
});

describe('load shedding at the door (real Asterisk, SIPp, Asterisk capped to 1–2% of a core)', () => {
  it('turns callers away with a 503 while Asterisk is slow to answer requests, though the service idles', async () => {
    service = await startService(
      {
        supervisorToken: TEST_SECRET,
        // Callers let in wait in a queue nobody answers until they hang up themselves. With the welcome
        // prompt instead, a caller answered quickly (as Asterisk's cap eased) heard it end and was hung up
        // on before the scenario's own BYE (seen once in a full run: SIPp's "unexpected BYE").
        queues: [{ id: 'hold', name: 'Hold', strategy: 'ring_all' }],
        routes: [{ dialed: '100', queue: 'hold' }],
      },
      { CC_MAX_EVENT_LOOP_LAG_MS: '0', CC_MAX_ARI_ROUND_TRIP_MS: String(ARI_LIMIT_MS) },
    );
    /** Eight callers while Asterisk is capped at `percent`: each one's closed call, as the API gives it. */
    const callersAgainstCap = async (percent: number, attempt: number) => {
      const callers = Array.from({ length: 8 }, (_, i) => `+155508881${attempt}${i}`);
      // The earlier requests age out first, so the first caller meets a door with nothing measured.
      await eventually(
        async () => ((await health()).ariRoundTripMs === 0 ? true : undefined),
        'the earlier round trips to age out',
      );
      liftCap = capCpu(asterisk.pid!, percent);
      let run: Awaited<ReturnType<typeof runSipp>>;
      try {
        // Four callers a second: the first ones are let in (nothing measured yet) and their requests crawl.
        run = await runSipp({
          scenario: 'caller-answered-or-turned-away',
          callers,
          calls: callers.length,
          limit: callers.length,
          rate: 4,
          pauseMs: 2000,
          timeoutSeconds: 60,
          // A starved Asterisk answered one caller's BYE after SIPp's default ~15 s of retries (seen once
          // in a full run, at 1%); 8 retries wait about 27 s. The door, not the BYE, is under test.
          maxNonInviteRetrans: 8,
        });
      } finally {
        liftCap();
        liftCap = undefined;
      }
      expect(run, run.stderr).toMatchObject({ exitCode: 0, successful: callers.length, failed: 0 });
      return Promise.all(callers.map(closedCallFrom));
    };
    let records: Awaited<ReturnType<typeof callersAgainstCap>> = [];
    for (const [attempt, percent] of ASTERISK_CPU_PERCENTS.entries()) {
      records = await callersAgainstCap(percent, attempt);
      if (records.some((r) => r.disposition === 'rejected')) break;
    }

    // Every caller is on record, either answered or refused with the reason; none is lost.
    const refused = records.filter((r) => r.disposition === 'rejected');
    const answered = records.filter((r) => r.answeredAt !== null);
    // In the order their calls reached the service: a starved Asterisk may hand SIPp's INVITEs to the
    // application out of the order they were sent (seen once in CI: the fourth to sixth callers first).
    const byArrival = [...records].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    const firstArrival = Date.parse(byArrival[0]!.startedAt);
    // On failure, say when each caller arrived, what they got and what the door saw.
    const story = JSON.stringify(
      byArrival.map((r) => [
        r.callerNumber,
        Date.parse(r.startedAt) - firstArrival,
        r.disposition,
        r.timeline.find((e) => e.type === 'call.refused')?.payload,
      ]),
    );
    expect(refused.length + answered.length, story).toBe(records.length);
    expect(byArrival[0]!.answeredAt, story).not.toBeNull(); // the door was open until slowness was seen
    expect(refused.length, story).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.answeredAt).toBeNull();
      const why = r.timeline.find((e) => e.type === 'call.refused')?.payload;
      expect(why?.reason).toMatch(
        /^overloaded: Asterisk takes \d+ ms to answer a request \(median; limit 20 ms\)$/,
      );
      expect(why?.ariRoundTripMs).toBeGreaterThan(ARI_LIMIT_MS);
      expect(r.timeline.some((e) => e.type === 'call.answered')).toBe(false);
    }

    // Asterisk caught up (the slow round trips age out): callers are answered as usual again.
    await expectLetInAgain(
      ['+15550888200', '+15550888201', '+15550888202'],
      () =>
        eventually(
          async () => ((await health()).ariRoundTripMs < ARI_LIMIT_MS ? true : undefined),
          'Asterisk to catch up',
        ),
      'ariRoundTripMs',
      ARI_LIMIT_MS,
    );
  });
});
