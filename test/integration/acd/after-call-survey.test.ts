/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process with the shipped `csat-survey`
 * flow, a SIPp UAS desk phone as the agent (answers, talks, hangs up) and a SIPp caller on the carrier
 * trunk pressing an RFC 2833 key. When the agent ends the conversation, the queue's after-call flow puts
 * the caller through the survey instead of hanging up, and the score is the call's `csat`.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from '../../../scripts/sandbox/paths.js';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import {
  eventually,
  newDataDir,
  type ServiceProcess,
  startService,
  TEST_SECRET,
} from '../harness/service.js';
import { type SippAgent, startSippAgent } from '../harness/sipp.js';
import { interactionsOf, runIvrCaller } from '../ivr/ivr-harness.js';
import { ApiClient } from '../harness/api.js';

const PASSWORD = 'agent-password';
const SETTINGS = {
  supervisorToken: TEST_SECRET,
  queues: [
    {
      id: 'support',
      name: 'Support',
      strategy: 'longest_idle',
      wrapUpSeconds: 0,
      afterCallFlow: 'csat-survey',
    },
  ],
  agents: [
    {
      id: 'ann',
      name: 'Ann',
      transport: 'udp',
      password: PASSWORD,
      contact: 'sip:ann@127.0.0.1:5341',
      queues: [{ queueId: 'support' }],
    },
  ],
  routes: [{ dialed: '600', queue: 'support' }],
};
const CALLER = '+15550188001';

let asterisk: AsteriskSandbox;
let service: ServiceProcess;
let phone: SippAgent;
const flowsDir = mkdtempSync(join(tmpdir(), 'cc-flows-survey-'));
const dataDir = newDataDir();

beforeAll(async () => {
  copyFileSync(join(REPO_DIR, 'ivr-flows', 'csat-survey.ts'), join(flowsDir, 'csat-survey.ts'));
  asterisk = await startAsterisk(testConfig({ agents: SETTINGS.agents }), 'after-call');
  service = await startService(SETTINGS, { CC_FLOWS_DIR: flowsDir }, dataDir);
  // Ann's desk phone answers and hangs up 3 s later: the agent ends the conversation.
  phone = startSippAgent({ port: 5341, scenario: 'callee-answers-hangs-up', pauseMs: 3000 });
  const api = new ApiClient(service.baseUrl);
  const token = await api.signIn('ann', PASSWORD);
  await api.seat('ann', token, 'login');
});

afterAll(async () => {
  await phone?.stop();
  await service?.stop();
  await asterisk?.stop();
});

describe('the after-call survey', () => {
  it('puts the caller through the survey when the agent hangs up, and stores the score as csat', async () => {
    // Connected at once; Ann hangs up at ~3 s; the survey asks, and the caller presses 4 at ~8 s.
    const run = await runIvrCaller({
      scenario: 'ivr-caller',
      caller: CALLER,
      dialed: '600',
      actions: [{ pause: 8000 }, { key: '4' }],
      timeoutSeconds: 40,
    });
    expect(run.successful, `SIPp: ${run.stderr}`).toBe(1); // the service's BYE after the thanks
    const call = await eventually(async () => {
      const [c] = await interactionsOf(service.baseUrl, CALLER);
      return c?.state === 'closed' ? c : undefined;
    }, 'the call to close');
    expect(call).toMatchObject({ disposition: 'handled', endedBy: 'agent', csat: 4 });
    const types = call.timeline.map((e) => e.type);
    expect(types.indexOf('ivr.started')).toBeGreaterThan(types.indexOf('acd.connected'));
    expect(call.timeline.find((e) => e.type === 'survey.result')?.payload).toMatchObject({ score: 4 });
    const talk = (call as unknown as { talkSeconds: number }).talkSeconds;
    expect(talk).toBeGreaterThan(2); // the conversation, not the survey after it
    expect(talk).toBeLessThan(6);
  });

  it('refuses a queue edit whose after-call flow is not among the flows loaded, and takes one that is', async () => {
    const api = new ApiClient(service.baseUrl);
    const support = { ...SETTINGS.queues[0] };
    const put = (afterCallFlow: string) =>
      api.request<{ code: string; issues: { code: string; path: string }[] }>('PUT', '/api/queues/support', {
        token: TEST_SECRET,
        body: { ...support, afterCallFlow },
      });
    const typo = await put('csat-survy');
    expect(typo.status).toBe(400);
    expect(typo.body.issues).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_FLOW', path: 'queues[support].afterCallFlow' }),
    ]);
    expect((await put('csat-survey')).status).toBe(200);
  });

  it('carries the survey on through a restart of the service: the caller is not cut off, the score is kept', async () => {
    const caller = '+15550188002';
    const running = runIvrCaller({
      scenario: 'ivr-caller',
      caller,
      dialed: '600',
      actions: [{ pause: 15000 }, { key: '5' }],
      timeoutSeconds: 50,
    });
    // Ann hangs up at ~3 s; once the survey has begun, the service restarts under it.
    await eventually(async () => {
      const [c] = await interactionsOf(service.baseUrl, caller);
      return c?.timeline.some((e) => e.type === 'ivr.started') ? c : undefined;
    }, 'the survey to begin');
    await service.stop();
    service = await startService(SETTINGS, { CC_FLOWS_DIR: flowsDir }, dataDir);
    const run = await running;
    expect(run.successful, `SIPp: ${run.stderr}`).toBe(1); // the new run's BYE after the thanks
    const call = await eventually(async () => {
      const [c] = await interactionsOf(service.baseUrl, caller);
      return c?.state === 'closed' ? c : undefined;
    }, 'the call to close');
    expect(call).toMatchObject({ disposition: 'handled', csat: 5 });
    const types = call.timeline.map((e) => e.type);
    expect(types).toContain('call.adopted');
    expect(types).not.toContain('interaction.lost');
    const talk = (call as unknown as { talkSeconds: number }).talkSeconds;
    expect(talk).toBeGreaterThan(2);
    expect(talk).toBeLessThan(6); // the conversation before the survey, not the restart or the survey
  });
});
