/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process (stopped and started again on
 * the same database), SIPp UAS desk phones as the agents and a SIPp caller on the carrier trunk. Agents
 * keep their seats through a short restart of the service and take the next call without signing in
 * again; after a longer absence they start logged out.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
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
import { runSipp, type SippAgent, startSippAgent } from '../harness/sipp.js';

const PASSWORD = 'agent-password';
const SUPERVISOR = 'supervisor-token-for-tests';
const SETTINGS = {
  supervisorToken: SUPERVISOR,
  queues: [{ id: 'sales', name: 'Sales', strategy: 'longest_idle', ringTimeoutSeconds: 5, wrapUpSeconds: 0 }],
  agents: ['ann', 'bob'].map((id, i) => ({
    id,
    name: id,
    transport: 'udp',
    password: PASSWORD,
    contact: `sip:${id}@127.0.0.1:${5331 + i}`,
    queues: [{ queueId: 'sales' }],
  })),
  routes: [{ dialed: '600', queue: 'sales' }],
};

interface Seat {
  state: { type: string; reason?: string };
}

let asterisk: AsteriskSandbox;
let service: ServiceProcess;
let api: ApiClient;
const dataDir = newDataDir();
const phones: SippAgent[] = [];
const tokens: Record<string, string> = {};

async function restartService(env: Record<string, string> = {}): Promise<void> {
  await service.stop();
  service = spawnService(serviceEnv(dataDir, { CC_CONFIG: writeConfigFile(dataDir, SETTINGS), ...env }));
  await waitHealthy(service.baseUrl);
  api = new ApiClient(service.baseUrl);
}

const seatOf = async (id: string) =>
  (await api.request<Seat>('GET', `/api/agents/${id}`, { token: tokens[id] })).body.state;

beforeAll(async () => {
  asterisk = await startAsterisk(testConfig({ agents: SETTINGS.agents }), 'seats-restart');
  service = spawnService(serviceEnv(dataDir, { CC_CONFIG: writeConfigFile(dataDir, SETTINGS) }));
  await waitHealthy(service.baseUrl);
  api = new ApiClient(service.baseUrl);
  phones.push(startSippAgent({ port: 5331, scenario: 'agent-answers' }));
  phones.push(startSippAgent({ port: 5332, scenario: 'agent-answers' }));
  for (const id of ['ann', 'bob']) tokens[id] = await api.signIn(id, PASSWORD);
});

afterAll(async () => {
  for (const phone of phones) await phone.stop();
  await service?.stop();
  await asterisk?.stop();
});

describe('agent seats through a restart of the service', () => {
  it('keeps each agent as they were through a short restart, and routes the next call to them', async () => {
    await api.seat('ann', tokens.ann!, 'login');
    await api.seat('bob', tokens.bob!, 'login');
    await api.seat('bob', tokens.bob!, 'not-ready', { reason: 'lunch' });

    await restartService();
    // The same tokens still work (they are signed, not sessions) and the seats are as they were.
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    expect(await seatOf('bob')).toMatchObject({ type: 'not_ready', reason: 'lunch' });

    // A caller reaches Ann's phone with nobody signing in again.
    const caller = '+15550007001';
    const run = await runSipp({
      scenario: 'caller-hangs-up',
      dialed: '600',
      callers: [caller],
      pauseMs: 2500,
    });
    expect(run).toMatchObject({ exitCode: 0, successful: 1 });
    const handled = await eventually(async () => {
      const list = await api.request<{
        items: { id: string; state: string; agentId: string | null; disposition: string | null }[];
      }>('GET', `/api/interactions?callerNumber=${encodeURIComponent(caller)}`, { token: SUPERVISOR });
      const row = list.body.items[0];
      return row?.state === 'closed' ? row : undefined;
    }, 'the call after the restart to close');
    expect(handled).toMatchObject({ agentId: 'ann', disposition: 'handled' });
  });

  it('starts everyone logged out after a longer absence than the configured one', async () => {
    expect(await seatOf('ann')).toEqual({ type: 'available' });
    await service.stop();
    await sleep(2500);
    await restartService({ CC_KEEP_SEATS_SECONDS: '1' });
    expect(await seatOf('ann')).toEqual({ type: 'logged_out' });
    expect(await seatOf('bob')).toEqual({ type: 'logged_out' });
  });
});
