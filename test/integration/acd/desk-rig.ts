/**
 * The rig of the ACD tests whose agents sit at desk phones: Asterisk 22 (sandbox root), the service as its own
 * process, one SIPp UAS phone per agent that answers and hangs up after a while (the agent ends the
 * conversation), every agent signed in; and a caller who stays on until that happens.
 */
import { expect } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { ApiClient } from '../harness/api.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import { eventually, newDataDir, type ServiceProcess, startService } from '../harness/service.js';
import { type SippAgent, startSippAgent } from '../harness/sipp.js';
import { type Interaction, interactionsOf, runIvrCaller } from '../ivr/ivr-harness.js';

export const DESK_PASSWORD = 'agent-password';

/** An agent at a desk phone (a static contact on 127.0.0.1:`port`) in one queue, at `order` in its line. */
export const deskAgent = (id: string, port: number, queueId: string, order: number) => ({
  id,
  name: id,
  transport: 'udp',
  password: DESK_PASSWORD,
  contact: `sip:${id}@127.0.0.1:${port}`,
  queues: [{ queueId, order }],
});

export interface DeskRig {
  service: ServiceProcess;
  api: ApiClient;
  /** Each agent's bearer token. */
  tokens: Record<string, string>;
  /** Stops the service and starts it again on the same data (a short restart); Asterisk and phones stay. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts it all; `hangUpAfterMs` is, per agent id, how long its phone talks before hanging up. Agents are
 * signed in, not logged in: each test logs in whom it needs.
 */
export async function startDeskRig(
  instance: string,
  settings: { agents: ReturnType<typeof deskAgent>[] } & Record<string, unknown>,
  hangUpAfterMs: Record<string, number>,
  options: { customSoundsDir?: string; env?: Record<string, string> } = {},
): Promise<DeskRig> {
  const asterisk: AsteriskSandbox = await startAsterisk(
    testConfig({ agents: settings.agents }),
    instance,
    options.customSoundsDir ? { customSoundsDir: options.customSoundsDir } : {},
  );
  const dataDir = newDataDir();
  const env = options.env ?? {};
  const service = await startService(settings, env, dataDir);
  const phones: SippAgent[] = settings.agents.map((agent) =>
    startSippAgent({
      port: Number(agent.contact.split(':').at(-1)),
      scenario: 'callee-answers-hangs-up',
      pauseMs: hangUpAfterMs[agent.id] ?? 4000,
    }),
  );
  const api = new ApiClient(service.baseUrl);
  const tokens: Record<string, string> = {};
  for (const agent of settings.agents) tokens[agent.id] = await api.signIn(agent.id, DESK_PASSWORD);
  const rig: DeskRig = {
    service,
    api,
    tokens,
    async restart() {
      await rig.service.stop();
      rig.service = await startService(settings, env, dataDir);
      rig.api = new ApiClient(rig.service.baseUrl);
    },
    async stop() {
      for (const phone of phones) await phone.stop();
      await rig.service.stop();
      await asterisk.stop();
    },
  };
  return rig;
}

/** The caller's latest call, once closed. */
export const closedCallOf = (service: ServiceProcess, caller: string): Promise<Interaction> =>
  eventually(async () => {
    const [latest] = await interactionsOf(service.baseUrl, caller);
    return latest?.state === 'closed' ? latest : undefined;
  }, `the call of ${caller} to close`);

/** A caller to `dialed` who stays on until the service hangs up (their agent did): the closed call. */
export async function callUntilAgentHangsUp(
  service: ServiceProcess,
  caller: string,
  dialed: string,
  timeoutSeconds = 60,
): Promise<Interaction> {
  const run = await runIvrCaller({ scenario: 'ivr-caller', caller, dialed, actions: [], timeoutSeconds });
  expect(run.successful, `SIPp: ${run.stderr}`).toBe(1); // the service's BYE once the agent hung up
  return closedCallOf(service, caller);
}
