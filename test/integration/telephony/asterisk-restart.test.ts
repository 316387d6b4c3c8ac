/**
 * Real parts: Asterisk 22 (sandbox root, stopped and started again mid-test), the service as its own
 * process (killed with SIGKILL mid-test), SIPp callers. What the service acknowledged must survive both.
 */
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import { runSipp } from '../harness/sipp.js';
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

interface Interaction {
  id: string;
  state: string;
  callerNumber: string;
  disposition: string | null;
  timeline?: { type: string; payload: Record<string, unknown> }[];
}

const config = testConfig();
let asterisk: AsteriskSandbox;
let service: ServiceProcess;
let env: Record<string, string>;

async function list(): Promise<Interaction[]> {
  return (await getJson<{ items: Interaction[] }>(`${service.baseUrl}/api/interactions?limit=500`)).body
    .items;
}

async function byCaller(number: string): Promise<Interaction | undefined> {
  const found = (await list()).find((i) => i.callerNumber === number);
  return found && (await getJson<Interaction>(`${service.baseUrl}/api/interactions/${found.id}`)).body;
}

beforeAll(async () => {
  asterisk = await startAsterisk(config, 'restart');
  const dataDir = newDataDir();
  // A 30 s welcome prompt keeps calls up long enough to be cut by a restart.
  env = serviceEnv(dataDir, {
    CC_CONFIG: writeConfigFile(dataDir, {
      prompts: { welcome: 'sound:demo-congrats' },
      supervisorToken: TEST_SECRET,
    }),
  });
  service = spawnService(env);
  await waitHealthy(service.baseUrl);
});

afterAll(async () => {
  await service?.stop();
  await asterisk?.stop();
});

describe('Asterisk restart and service crash', () => {
  it('reports ARI and AMI down while Asterisk is gone, closes the cut call as lost, and takes the next call', async () => {
    const cut = runSipp({ scenario: 'caller-waits', callers: ['+15550700001'], timeoutSeconds: 8 });
    await eventually(
      async () =>
        (await byCaller('+15550700001'))?.timeline?.some((e) => e.type === 'ivr.prompt.started')
          ? true
          : undefined,
      'the call to reach its prompt',
    );

    // ARI requests travel over the request WebSockets while Asterisk is up.
    const health = async () =>
      (
        await getJson<{ ari: string; ami: string; db: string; ariRequests: string }>(
          `${service.baseUrl}/health`,
        )
      ).body;
    expect((await health()).ariRequests).toBe('websocket');

    await asterisk.kill();
    const down = await eventually(async () => {
      const { status, body } = await getJson<{ ari: string; ami: string; db: string; ariRequests: string }>(
        `${service.baseUrl}/health`,
      );
      // Each connection notices on its own, the request sockets too (then requests fall back to HTTP).
      const allDown = body.ari === 'down' && body.ami === 'down' && body.ariRequests === 'http';
      return status === 503 && allDown ? body : undefined;
    }, '/health to report Asterisk down');
    expect(down.db).toBe('up');
    await cut; // SIPp gives up on its own (-timeout); the call is gone either way

    await asterisk.start();
    await waitHealthy(service.baseUrl);
    // The request sockets redial and pass their probe again.
    await eventually(
      async () => ((await health()).ariRequests === 'websocket' ? true : undefined),
      'ARI requests back on WebSockets',
    );

    // The call that was up when Asterisk died is closed as lost once the service reconnects and reconciles.
    const lost = await eventually(async () => {
      const i = await byCaller('+15550700001');
      return i?.state === 'closed' ? i : undefined;
    }, 'the cut call to be closed');
    expect(lost.disposition).toBe('lost');
    expect(lost.timeline!.map((e) => e.type).slice(-2)).toEqual(['interaction.lost', 'interaction.closed']);

    const next = await runSipp({ scenario: 'caller-hangs-up', callers: ['+15550700002'], pauseMs: 500 });
    expect(next).toMatchObject({ exitCode: 0, successful: 1 });
    const after = await eventually(async () => {
      const i = await byCaller('+15550700002');
      return i?.state === 'closed' ? i : undefined;
    }, 'the next call to be recorded');
    expect(after.disposition).toBe('caller-hangup');
  });

  it('keeps every acknowledged write through kill -9, and closes the orphaned call on restart', async () => {
    const ongoing = runSipp({ scenario: 'caller-waits', callers: ['+15550700003'], timeoutSeconds: 40 });
    const acknowledged = await eventually(async () => {
      const i = await byCaller('+15550700003');
      return i?.timeline?.some((e) => e.type === 'ivr.prompt.started') ? i : undefined;
    }, 'the call to reach its prompt');

    service.child.kill('SIGKILL');
    await service.exited;

    // Straight from the file, with no service running: everything the API showed is on disk.
    const db = new SQLite(env.CC_DB_PATH!, { readonly: true });
    const row = db.prepare('select state from interactions where id = ?').get(acknowledged.id) as {
      state: string;
    };
    const types = (
      db
        .prepare('select type from interaction_events where interaction_id = ? order by seq')
        .all(acknowledged.id) as { type: string }[]
    ).map((r) => r.type);
    const total = (db.prepare('select count(*) as n from interactions').get() as { n: number }).n;
    db.close();
    expect(row.state).toBe('open');
    expect(types).toEqual(acknowledged.timeline!.map((e) => e.type));
    expect(total).toBe(3);

    // A new service process finds the call it did not start: closes it as lost and hangs the channel up.
    service = spawnService(env);
    await waitHealthy(service.baseUrl);
    const closed = await eventually(async () => {
      const i = await byCaller('+15550700003');
      return i?.state === 'closed' ? i : undefined;
    }, 'the orphaned call to be closed');
    expect(closed.disposition).toBe('lost');
    const sipp = await ongoing;
    expect(sipp).toMatchObject({ exitCode: 0, successful: 1 }); // the caller got a BYE, not silence
    expect(await asterisk.cli('core show channels count')).toMatch(/^0 active channels/m);
  });
});
