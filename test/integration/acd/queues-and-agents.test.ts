/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process, SIPp callers on the carrier trunk,
 * and SIPp UAS "desk phones" as the agents' devices (udp endpoints with static contacts); webhook receivers
 * (HTTP on 127.0.0.1) standing in for a workforce-management tool and a sales CRM.
 * The ACD end to end: strategy order, VIP, RONA, overflow, abandon, skills, recording, APIs, event stream.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
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
import { readPcm, readWav, toneLevel } from '../harness/wav.js';
import { Receiver } from '../../unit/webhooks/receiver.js';

const SUPERVISOR = 'supervisor-token-for-tests';
const PASSWORD = 'agent-password';
const agentPort = (n: number) => 5300 + n;
const agent = (n: number, skills: Record<string, number>, queues: string[]) => ({
  id: `a${n}`,
  name: `Agent ${n}`,
  transport: 'udp',
  password: PASSWORD,
  contact: `sip:a${n}@127.0.0.1:${agentPort(n)}`,
  skills,
  queues: queues.map((queueId) => ({ queueId })),
});

const SETTINGS = {
  supervisorToken: SUPERVISOR,
  // North America's plan: the VIP case's caller presents its number nationally (1 555 999 0001).
  numbering: { countryCode: '1', internationalPrefix: '011', trunkPrefix: '1', nationalNumberLengths: [10] },
  queues: [
    {
      id: 'sales',
      name: 'Sales',
      strategy: 'longest_idle',
      ringTimeoutSeconds: 5,
      wrapUpSeconds: 0,
      vipNumbers: ['+15559990001'],
    },
    {
      id: 'support',
      name: 'Support',
      strategy: 'skills_based',
      requiredSkills: { support: 2 },
      ringTimeoutSeconds: 5,
      wrapUpSeconds: 1,
    },
    {
      id: 'billing',
      name: 'Billing',
      strategy: 'ring_all',
      ringTimeoutSeconds: 5,
      maxWaitSeconds: 3,
      overflowTarget: { type: 'queue', queueId: 'support' },
    },
    {
      id: 'announced',
      name: 'Announced',
      strategy: 'linear',
      announce: { everySeconds: 2, position: true, estimatedWait: false },
    },
  ],
  agents: [
    agent(1, { sales: 5 }, ['sales']),
    agent(2, { sales: 3 }, ['sales']),
    agent(3, { sales: 4 }, ['sales']),
    agent(4, { support: 5 }, ['support']),
    agent(5, { support: 1 }, ['support']),
  ],
  routes: [
    { dialed: '200', queue: 'sales' },
    { dialed: '300', queue: 'support' },
    { dialed: '400', queue: 'billing' },
    { dialed: '600', queue: 'announced' },
  ],
};

interface Timeline {
  type: string;
  at: string;
  payload: Record<string, unknown>;
}
interface Interaction {
  id: string;
  state: string;
  callerNumber: string;
  disposition: string | null;
  agentId: string | null;
  queueId: string | null;
  abandoned: boolean;
  waitSeconds: number | null;
  talkSeconds: number | null;
  recording: string | null;
  timeline: Timeline[];
}

let asterisk: AsteriskSandbox;
let recordingsDir: string;
let service: ServiceProcess;
let api: ApiClient;
const phones: SippAgent[] = [];
const tokens: Record<string, string> = {};

async function closedInteraction(callerNumber: string): Promise<Interaction> {
  return eventually(
    async () => {
      const row = await latestInteraction(callerNumber);
      if (row?.state !== 'closed') return undefined;
      return (await api.request<Interaction>('GET', `/api/interactions/${row.id}`, { token: SUPERVISOR }))
        .body;
    },
    `interaction of ${callerNumber} to close`,
    40_000,
  );
}

/** The newest interaction of a caller, open or closed (undefined before the service has it). */
async function latestInteraction(callerNumber: string): Promise<Interaction | undefined> {
  const list = await api.request<{ items: Interaction[] }>(
    'GET',
    `/api/interactions?callerNumber=${encodeURIComponent(callerNumber)}`,
    { token: SUPERVISOR },
  );
  return list.body.items[0];
}

const agentState = (id: string) => api.agentState(id, SUPERVISOR);

async function ready(...ids: string[]) {
  for (const id of ids) await api.seat(id, tokens[id]!, 'ready');
}
async function notReady(...ids: string[]) {
  for (const id of ids) {
    const state = await agentState(id);
    if (state.type !== 'not_ready') await api.seat(id, tokens[id]!, 'not-ready', { reason: 'break' });
  }
}
const types = (i: Interaction) => i.timeline.map((e) => e.type);

/** Every agent state change goes to the workforce-management tool; the sales CRM hears of sales calls only. */
let wfm: Receiver;
let salesCrm: Receiver;

beforeAll(async () => {
  const config = testConfig({ agents: SETTINGS.agents });
  const dataDir = newDataDir();
  recordingsDir = join(dataDir, 'recordings');
  asterisk = await startAsterisk(config, 'acd', { recordingsDir });
  wfm = await new Receiver().listen();
  salesCrm = await new Receiver().listen();
  const webhooks = [
    { id: 'wfm', url: wfm.url, events: ['agent.state.changed'] },
    { id: 'sales-crm', url: salesCrm.url, events: ['interaction.closed'], queues: ['sales'] },
  ];
  service = spawnService(
    serviceEnv(dataDir, {
      CC_CONFIG: writeConfigFile(dataDir, { ...SETTINGS, webhooks }),
      CC_RECORDINGS_DIR: recordingsDir,
    }),
  );
  await waitHealthy(service.baseUrl);
  api = new ApiClient(service.baseUrl);
  phones.push(startSippAgent({ port: agentPort(1), scenario: 'agent-answers' }));
  phones.push(startSippAgent({ port: agentPort(2), scenario: 'agent-answers' }));
  phones.push(startSippAgent({ port: agentPort(3), scenario: 'agent-no-answer' }));
  phones.push(startSippAgent({ port: agentPort(4), scenario: 'agent-answers' }));
  phones.push(startSippAgent({ port: agentPort(5), scenario: 'agent-answers' }));
  for (const a of SETTINGS.agents) {
    tokens[a.id] = await api.signIn(a.id, PASSWORD);
    await api.seat(a.id, tokens[a.id]!, 'login');
    // Signing in makes a seat available; each test makes ready exactly the agents it needs.
    await api.seat(a.id, tokens[a.id]!, 'not-ready', { reason: 'break' });
  }
});

afterAll(async () => {
  for (const phone of phones) await phone.stop();
  await service?.stop();
  await asterisk?.stop();
  await wfm?.close();
  await salesCrm?.close();
});

describe('ACD on a real Asterisk', () => {
  it('offers each caller to the longest-idle ready agent, bridges, records, and explains why', async () => {
    await ready('a1');
    await new Promise((r) => setTimeout(r, 200));
    await ready('a2'); // a1 has been idle longer
    const run = await runSipp({
      scenario: 'caller-hangs-up',
      dialed: '200',
      callers: ['+15550001001', '+15550001002'],
      calls: 2,
      limit: 2,
      rate: 5,
      pauseMs: 3000,
      talks: true,
    });
    expect(run).toMatchObject({ exitCode: 0, successful: 2 });

    // In the order they entered the queue: a busy machine may hand SIPp's two INVITEs, 200 ms apart, to
    // the service the other way round (seen once in a full run), and then the second caller is first.
    const enqueuedAt = (call: Interaction) =>
      Date.parse(call.timeline.find((e) => e.type === 'acd.enqueued')?.at ?? '');
    const [first, second] = [
      await closedInteraction('+15550001001'),
      await closedInteraction('+15550001002'),
    ].sort((a, b) => enqueuedAt(a) - enqueuedAt(b)) as [Interaction, Interaction];
    expect(enqueuedAt(first)).toBeLessThan(enqueuedAt(second));
    expect([first.agentId, second.agentId]).toEqual(['a1', 'a2']);
    for (const call of [first, second]) {
      expect(call).toMatchObject({ disposition: 'handled', queueId: 'sales', abandoned: false });
      expect(types(call)).toEqual(
        expect.arrayContaining(['acd.enqueued', 'acd.offered', 'acd.connected', 'recording.started']),
      );
      expect(call.waitSeconds!).toBeLessThan(2);
      expect(call.talkSeconds!).toBeGreaterThan(1.5);
      const file = join(recordingsDir, call.recording!);
      expect(existsSync(file)).toBe(true);
      // The caller talked the whole time it was connected: the recording is as long, and closed.
      const wav = await eventually(async () => {
        const w = readWav(file);
        return w.wellFormed && w.seconds > 0.8 * call.talkSeconds! ? w : undefined;
      }, `the recording of ${call.callerNumber} to last the conversation`);
      expect(wav.seconds).toBeLessThan(call.talkSeconds! + 1);
      // Playback through the API: the same bytes, as audio, for a supervisor or the agent who took it;
      // nobody else, and never with the bearer token in the URL (an <audio> element uses ?play=).
      const url = `${service.baseUrl}/api/interactions/${call.id}/recording`;
      expect((await fetch(url)).status).toBe(401);
      const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
      const other = call.agentId === 'a1' ? 'a2' : 'a1';
      expect((await fetch(url, bearer(tokens[other]!))).status).toBe(403);
      const inUrl = await fetch(`${url}?token=${encodeURIComponent(tokens[call.agentId!]!)}`);
      expect(inUrl.status).toBe(401);
      expect(await inUrl.json()).toMatchObject({ code: 'TOKEN_IN_URL' });
      const mine = await fetch(url, bearer(tokens[call.agentId!]!));
      expect(mine.status).toBe(200);
      await mine.arrayBuffer();
      const played = await fetch(url, { headers: { authorization: `Bearer ${SUPERVISOR}` } });
      expect(played.status).toBe(200);
      expect(played.headers.get('content-type')).toBe('audio/wav');
      const bytes = Buffer.from(await played.arrayBuffer());
      expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
      expect(bytes.length).toBe(statSync(file).size);
      expect(played.headers.get('accept-ranges')).toBe('bytes');
      // Seeking: a player asks for a part; past the end is refused.
      const part = await fetch(url, {
        headers: { authorization: `Bearer ${SUPERVISOR}`, range: 'bytes=100-1099' },
      });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${bytes.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 1100))).toBe(true);
      const beyond = await fetch(url, {
        headers: { authorization: `Bearer ${SUPERVISOR}`, range: `bytes=${bytes.length}-` },
      });
      expect(beyond.status).toBe(416);
      expect(beyond.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    }
    // An agent's list holds only the calls they handled; asking for another agent's is refused.
    const listOf = (token: string, query = '') =>
      api.request<{ items: { id: string; agentId: string | null }[] }>('GET', `/api/interactions${query}`, {
        token,
      });
    const a1List = await listOf(tokens.a1!);
    expect(a1List.status).toBe(200);
    expect(a1List.body.items.map((i) => i.id)).toContain(first.id);
    expect(a1List.body.items.every((i) => i.agentId === 'a1')).toBe(true);
    expect((await listOf(tokens.a1!, '?agentId=a2')).status).toBe(403);
    expect((await api.request('GET', '/api/interactions')).status).toBe(401);
    const why = first.timeline.find((e) => e.type === 'acd.offered')!.payload.why as {
      strategy: string;
      rule: string;
      considered: { agentId: string; eligible: boolean }[];
    };
    expect(why.strategy).toBe('longest_idle');
    expect(why.considered.map((c) => c.agentId).sort()).toEqual(['a1', 'a2', 'a3']);
    expect(why.rule).toMatch(/idle/);
    const a1 = await api.request<{ state: { type: string }; callsHandledToday: number }>(
      'GET',
      '/api/agents/a1',
      { token: tokens.a1 },
    );
    expect(a1.body).toMatchObject({ state: { type: 'available' }, callsHandledToday: 1 });
  });

  it('takes a VIP caller before a caller who was waiting longer (its number sent nationally, listed as +1…)', async () => {
    await notReady('a1', 'a2');
    const normal = runSipp({
      scenario: 'caller-hangs-up',
      dialed: '200',
      callers: ['+15550002001'],
      pauseMs: 7000,
    });
    await new Promise((r) => setTimeout(r, 800));
    const vip = runSipp({
      scenario: 'caller-hangs-up',
      dialed: '200',
      callers: ['15559990001'],
      pauseMs: 5000,
    });
    await new Promise((r) => setTimeout(r, 800));
    await ready('a1');
    await new Promise((r) => setTimeout(r, 500));
    await ready('a2');
    // SIPp's own word first: a caller that never reached Asterisk says why here, not as a timeout below.
    for (const run of await Promise.all([normal, vip])) {
      expect(run, run.stderr).toMatchObject({ exitCode: 0, successful: 1 });
    }
    const vipCall = await closedInteraction('+15559990001');
    const normalCall = await closedInteraction('+15550002001');
    expect(vipCall.agentId).toBe('a1');
    expect(normalCall.agentId).toBe('a2');
    const enqueued = vipCall.timeline.find((e) => e.type === 'acd.enqueued')!.payload;
    // The VIP went straight to the front, by its bonus: the list's +1… matched the national form.
    expect(enqueued).toMatchObject({ position: 1, basePriority: 0, priority: 10 });
    // On record in E.164, with the form the carrier sent; found by either.
    expect(vipCall.callerNumber).toBe('+15559990001');
    expect(vipCall.timeline[0]).toMatchObject({
      type: 'interaction.opened',
      payload: { callerNumber: '+15559990001', callerNumberAsDelivered: '15559990001' },
    });
    expect((await latestInteraction('555-999-0001'))?.id).toBe(vipCall.id);
    expect(normalCall.timeline[0]!.payload.callerNumberAsDelivered).toBeUndefined();
  });

  it('puts a ring-no-answer call back at the front and the agent on not ready (missed)', async () => {
    await notReady('a1', 'a2');
    await ready('a3'); // its phone rings forever
    const caller = runSipp({
      scenario: 'caller-hangs-up',
      dialed: '200',
      callers: ['+15550003001'],
      pauseMs: 12_000,
    });
    await eventually(
      async () => ((await agentState('a3')).type === 'not_ready' ? true : undefined),
      'a3 to be set not ready after RONA',
      15_000,
    );
    expect(await agentState('a3')).toEqual({ type: 'not_ready', reason: 'missed' });
    await ready('a1');
    await caller;
    const call = await closedInteraction('+15550003001');
    expect(call.agentId).toBe('a1');
    const t = types(call);
    expect(t.indexOf('acd.rona')).toBeGreaterThan(t.indexOf('acd.offered'));
    const requeued = call.timeline.find((e) => e.type === 'acd.requeued')!;
    expect(requeued.payload).toMatchObject({ reason: 'rona', position: 1 });
    const offers = call.timeline.filter((e) => e.type === 'acd.offered').map((e) => e.payload.agentIds);
    expect(offers).toEqual([['a3'], ['a1']]);
  });

  it('overflows at max wait into a skills-based queue, skipping an agent below the required level', async () => {
    await notReady('a1', 'a2', 'a3');
    await ready('a5');
    await new Promise((r) => setTimeout(r, 100));
    await ready('a4');
    const run = await runSipp({
      scenario: 'caller-hangs-up',
      dialed: '400',
      callers: ['+15550004001'],
      pauseMs: 6000,
    });
    expect(run.successful).toBe(1);
    const call = await closedInteraction('+15550004001');
    expect(call).toMatchObject({ agentId: 'a4', queueId: 'support', disposition: 'handled' });
    const overflow = call.timeline.find((e) => e.type === 'acd.overflowed')!;
    expect(overflow.payload).toMatchObject({
      fromQueueId: 'billing',
      reason: 'max_wait',
      target: { type: 'queue', queueId: 'support' },
    });
    const why = call.timeline.find((e) => e.type === 'acd.offered')!.payload.why as {
      considered: { agentId: string; eligible: boolean }[];
    };
    expect(why.considered.find((c) => c.agentId === 'a5')).toMatchObject({ eligible: false });
    // Support has a 1 s wrap-up: the agent is in wrap-up after the call, and its length lands on the interaction.
    const wrapped = await eventually(async () => {
      const i = (
        await api.request<Interaction & { wrapSeconds: number | null }>(
          'GET',
          `/api/interactions/${call.id}`,
          {
            token: SUPERVISOR,
          },
        )
      ).body;
      return i.wrapSeconds !== null ? i : undefined;
    }, 'the wrap-up time to be written');
    expect(wrapped.wrapSeconds).toBeGreaterThanOrEqual(0.9);
    expect(wrapped.wrapSeconds).toBeLessThan(2);
    expect(wrapped.timeline.map((e) => e.type)).toContain('acd.wrapup.ended');
    expect((await agentState('a4')).type).toBe('available');
  });

  it('offers a waiting caller to an agent the moment a supervisor gives them the skill the queue needs', async () => {
    await notReady('a4');
    expect((await agentState('a5')).type).toBe('available'); // support 1: below the queue's 2
    const run = runSipp({
      scenario: 'caller-hangs-up',
      dialed: '300',
      callers: ['+15550004002'],
      pauseMs: 8000,
    });
    const waiting = await eventually(async () => {
      const { body } = await api.request<{ places: unknown[] }>('GET', '/api/queues/support/line', {
        token: SUPERVISOR,
      });
      return body.places.length === 1 ? body.places : undefined;
    }, 'the caller to wait in support');
    expect(waiting).toHaveLength(1);
    expect((await agentState('a5')).type).toBe('available'); // not offered: below the required level
    const raised = await api.request('PUT', '/api/agents/a5/skills', {
      token: SUPERVISOR,
      body: { skills: { support: 3 } },
    });
    expect(raised).toMatchObject({ status: 200, body: { agentId: 'a5', skills: { support: 3 } } });
    expect((await run).successful).toBe(1);
    const call = await closedInteraction('+15550004002');
    expect(call).toMatchObject({ agentId: 'a5', queueId: 'support', disposition: 'handled' });
    const why = call.timeline.find((e) => e.type === 'acd.offered')!.payload.why as {
      considered: { agentId: string; eligible: boolean }[];
    };
    expect(why.considered.find((c) => c.agentId === 'a5')).toMatchObject({ eligible: true });
    // Back to the config file's level for the cases after this one.
    const reset = await api.request('DELETE', '/api/agents/a5/skills', { token: SUPERVISOR });
    expect(reset).toMatchObject({ status: 200, body: { skills: { support: 1 } } });
    await ready('a4');
  });

  it('records an abandoned call with its wait time', async () => {
    await notReady('a1', 'a2', 'a3');
    await runSipp({ scenario: 'caller-hangs-up', dialed: '200', callers: ['+15550005001'], pauseMs: 1500 });
    const call = await closedInteraction('+15550005001');
    expect(call).toMatchObject({ disposition: 'abandoned', abandoned: true, agentId: null });
    expect(call.waitSeconds!).toBeGreaterThan(1.2);
    expect(call.waitSeconds!).toBeLessThan(3);
    expect(types(call)).toContain('acd.abandoned');
  });

  it('tells a waiting caller their position every N seconds, between stretches of hold music', async () => {
    await runSipp({ scenario: 'caller-hangs-up', dialed: '600', callers: ['+15550007001'], pauseMs: 5500 });
    const call = await closedInteraction('+15550007001');
    expect(call.disposition).toBe('abandoned');
    const announced = call.timeline.filter((e) => e.type === 'acd.announced');
    expect(announced.length).toBeGreaterThanOrEqual(2);
    expect(announced[0]!.payload).toMatchObject({ queueId: 'announced', position: 1 });
    const prompts = call.timeline.filter((e) => e.type === 'ivr.prompt.started').map((e) => e.payload.media);
    expect(prompts[0]).toEqual(['sound:queue-youarenext']);
  });

  it('connects a caller whose agent answers during an announcement at once, cutting the announcement short', async () => {
    // "You are next..." lasts 5.4 s; an agent answering 0.2 s into it must not wait in silence for its end.
    await notReady('a4');
    const member = await api.request('PUT', '/api/queues/announced/members/a4', {
      token: SUPERVISOR,
      body: {},
    });
    expect(member.status).toBe(200);
    try {
      const caller = '+15550007002';
      const run = runSipp({ scenario: 'caller-hangs-up', dialed: '600', callers: [caller], pauseMs: 9000 });
      const announcing = await eventually(async () => {
        const row = await latestInteraction(caller);
        if (!row) return undefined;
        const detail = await api.request<Interaction>('GET', `/api/interactions/${row.id}`, {
          token: SUPERVISOR,
        });
        return detail.body.timeline.find((e) => e.type === 'ivr.prompt.started');
      }, 'the first announcement to start');
      expect(announcing.payload.media).toEqual(['sound:queue-youarenext']);
      await ready('a4');
      expect((await run).successful).toBe(1);
      const call = await closedInteraction(caller);
      expect(call).toMatchObject({ agentId: 'a4', disposition: 'handled', queueId: 'announced' });
      const connected = call.timeline.find((e) => e.type === 'acd.connected')!;
      const cutShort = Date.parse(connected.at) - Date.parse(announcing.at);
      expect(cutShort).toBeLessThan(4000);
      // Nobody talks over the conversation: no announcement after it began.
      const later = call.timeline.filter(
        (e) => e.type === 'ivr.prompt.started' && Date.parse(e.at) > Date.parse(connected.at),
      );
      expect(later).toEqual([]);
    } finally {
      await api.request('DELETE', '/api/queues/announced/members/a4', { token: SUPERVISOR });
      await notReady('a4');
    }
  });

  it('routes a burst of 20 calls over two queues, each to an eligible agent', async () => {
    await ready('a1', 'a2');
    await notReady('a5');
    const sales = Array.from({ length: 14 }, (_, i) => `+1555100${String(i).padStart(4, '0')}`);
    const support = Array.from({ length: 6 }, (_, i) => `+1555200${String(i).padStart(4, '0')}`);
    const [s, p] = await Promise.all([
      runSipp({
        scenario: 'caller-hangs-up',
        dialed: '200',
        callers: sales,
        calls: 14,
        limit: 4,
        rate: 4,
        pauseMs: 2500,
        timeoutSeconds: 90,
      }),
      runSipp({
        scenario: 'caller-hangs-up',
        dialed: '300',
        callers: support,
        calls: 6,
        limit: 2,
        rate: 2,
        pauseMs: 2500,
        timeoutSeconds: 90,
      }),
    ]);
    expect([s.successful, p.successful]).toEqual([14, 6]);
    for (const number of sales) {
      const call = await closedInteraction(number);
      expect(call.queueId).toBe('sales');
      if (call.agentId !== null) expect(['a1', 'a2']).toContain(call.agentId);
      else expect(call.disposition).toBe('abandoned');
    }
    for (const number of support) {
      const call = await closedInteraction(number);
      if (call.agentId !== null) expect(call.agentId).toBe('a4');
    }
    const handled = (
      await api.request<{ total: number }>('GET', '/api/interactions?disposition=handled&limit=1', {
        token: SUPERVISOR,
      })
    ).body.total;
    expect(handled).toBeGreaterThanOrEqual(10);
  });

  it('serves queue statistics derived from the interaction log', async () => {
    const { status, body } = await api.request<Record<string, unknown>>('GET', '/api/queues/sales/stats', {
      token: SUPERVISOR,
    });
    expect(status).toBe(200);
    const handledSales = (
      await api.request<{ total: number }>(
        'GET',
        '/api/interactions?queueId=sales&disposition=handled&limit=1',
        { token: SUPERVISOR },
      )
    ).body.total;
    const abandonedSales = (
      await api.request<{ total: number }>(
        'GET',
        '/api/interactions?queueId=sales&disposition=abandoned&limit=1',
        { token: SUPERVISOR },
      )
    ).body.total;
    expect(body).toMatchObject({
      queueId: 'sales',
      waiting: 0,
      answered: handledSales,
      abandoned: abandonedSales,
    });
    expect(body.asaSeconds).toEqual(expect.any(Number));
    expect(body.serviceLevelPercent).toEqual(expect.any(Number));
  });

  it("reports today per queue as the live figures have it, and every agent's calls, as JSON and CSV", async () => {
    const range = `from=${new Date(Date.now() - 60_000).toISOString()}&to=${new Date().toISOString()}&interval=day`;
    const report = await api.request<{ rows: Record<string, unknown>[] }>(
      'GET',
      `/api/reports/queues?${range}`,
      {
        token: SUPERVISOR,
      },
    );
    expect(report.status).toBe(200);
    expect(report.body.rows.map((r) => r.queueId)).toEqual(SETTINGS.queues.map((q) => q.id));
    for (const row of report.body.rows) {
      const live = await api.request<Record<string, unknown>>('GET', `/api/queues/${row.queueId}/stats`, {
        token: SUPERVISOR,
      });
      const figures = ['offered', 'answered', 'abandoned', 'flowedOut'] as const;
      expect(Object.fromEntries(figures.map((f) => [f, row[f]])), String(row.queueId)).toEqual(
        Object.fromEntries(figures.map((f) => [f, live.body[f]])),
      );
    }
    expect(report.body.rows.find((r) => r.queueId === 'sales')?.answered).toBeGreaterThan(0);

    const agents = await api.request<{ rows: { agentId: string; handled: number; missed: number }[] }>(
      'GET',
      `/api/reports/agents?${range}`,
      { token: SUPERVISOR },
    );
    const handled = (
      await api.request<{ total: number }>('GET', '/api/interactions?disposition=handled&limit=1', {
        token: SUPERVISOR,
      })
    ).body.total;
    expect(agents.body.rows.reduce((sum, r) => sum + r.handled, 0)).toBe(handled);
    expect(agents.body.rows.reduce((sum, r) => sum + r.missed, 0)).toBeGreaterThanOrEqual(1); // the RONA above

    const csv = await fetch(`${service.baseUrl}/api/reports/queues?${range}&format=csv`, {
      headers: { authorization: `Bearer ${SUPERVISOR}` },
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^queueId,start,end,localStart,offered,answered,/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(SETTINGS.queues.map((q) => q.id));
  });

  it('exposes Prometheus metrics that agree with the queue figures', async () => {
    const scrape = await fetch(`${service.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${SUPERVISOR}` },
    });
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    const sample = (series: string) =>
      Number(text.match(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm'))?.[1]);
    for (const queue of ['sales', 'support']) {
      const live = await api.request<{ answered: number; abandoned: number }>(
        'GET',
        `/api/queues/${queue}/stats`,
        {
          token: SUPERVISOR,
        },
      );
      expect(sample(`cc_queue_answered_total{queue="${queue}"}`), queue).toBe(live.body.answered);
    }
    expect(sample('cc_queue_ring_no_answer_total{queue="sales"}')).toBeGreaterThanOrEqual(1);
    expect(sample('cc_up{link="ari"}')).toBe(1);
    expect(sample('cc_queue_waiting{queue="sales"}')).toBe(0);
  });

  it('refuses illegal seat changes and bad credentials with clear errors', async () => {
    expect(
      (await api.request('POST', '/api/agents/a3/wrap-up/done', { token: tokens.a3 })).body,
    ).toMatchObject({ code: expect.any(String), message: expect.stringMatching(/.+/) });
    expect((await api.request('POST', '/api/agents/a3/wrap-up/done', { token: tokens.a3 })).status).toBe(409);
    expect((await api.request('POST', '/api/agents/a1/ready', { token: tokens.a2 })).status).toBe(403);
    expect((await api.request('POST', '/api/agents/a1/ready')).status).toBe(401);
    expect(
      (await api.request('POST', '/api/agents/a1/session', { body: { password: 'wrong' } })).body,
    ).toMatchObject({ code: 'SIGN_IN_FAILED' });
    expect(
      (
        await api.request('POST', '/api/agents/a1/not-ready', {
          token: tokens.a1,
          body: { reason: 'missed' },
        })
      ).body,
    ).toMatchObject({ code: 'REASON_UNKNOWN' });
  });

  it('validates queue edits as a set: a bad one changes nothing, a good one applies live', async () => {
    // Definitions hold VIP callers' numbers: supervisors only.
    expect((await api.request('GET', '/api/queues/billing')).status).toBe(401);
    expect((await api.request('GET', '/api/queues', { token: tokens.a1 })).status).toBe(403);
    const before = (await api.request('GET', '/api/queues/billing', { token: SUPERVISOR })).body;
    const bad = await api.request<{ code: string; issues: { path: string }[] }>(
      'PUT',
      '/api/queues/billing',
      {
        token: SUPERVISOR,
        body: { ...before, overflowTarget: { type: 'queue', queueId: 'nowhere' } },
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('QUEUE_DEFINITION_INVALID');
    expect(JSON.stringify(bad.body.issues)).toContain('nowhere');
    expect((await api.request('GET', '/api/queues/billing', { token: SUPERVISOR })).body).toEqual(before);
    // A voicemail greeting is looked up in the sandbox Asterisk's own sounds: a typo is refused.
    const voicemail = (greeting: string[]) => ({
      token: SUPERVISOR,
      body: { ...before, noAgentsFallback: { type: 'voicemail', greeting } },
    });
    const typo = await api.request<{ code: string; issues: { code: string; path: string }[] }>(
      'PUT',
      '/api/queues/billing',
      voicemail(['vm-intro', 'vm-intr']),
    );
    expect(typo.status).toBe(400);
    expect(typo.body.issues).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_SOUND',
        path: 'queues[billing].noAgentsFallback.greeting[1]',
      }),
    ]);
    expect((await api.request('GET', '/api/queues/billing', { token: SUPERVISOR })).body).toEqual(before);
    expect((await api.request('PUT', '/api/queues/billing', voicemail(['vm-intro']))).status).toBe(200);
    // A hold music class is looked up in the classes asterisk-config/ gives Asterisk: an unknown one (which
    // Asterisk would swap for its default without a word) is refused, naming those there are.
    const current = (await api.request('GET', '/api/queues/billing', { token: SUPERVISOR })).body as object;
    const jazz = await api.request<{ issues: { code: string; message: string }[] }>(
      'PUT',
      '/api/queues/billing',
      {
        token: SUPERVISOR,
        body: {
          ...current,
          announce: { everySeconds: 30, position: true, estimatedWait: false, musicOnHoldClass: 'jazz' },
        },
      },
    );
    expect(jazz.status).toBe(400);
    expect(jazz.body.issues).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_MUSIC_CLASS',
        message: expect.stringContaining('it has default'),
      }),
    ]);
    expect((await api.request('GET', '/api/queues/billing', { token: SUPERVISOR })).body).toEqual(current);
    const unauth = await api.request('PUT', '/api/queues/billing', { token: tokens.a1, body: before });
    expect(unauth.status).toBe(403);
    const good = await api.request('PUT', '/api/queues/billing', {
      token: SUPERVISOR,
      body: { ...before, name: 'Billing desk' },
    });
    expect(good.status).toBe(200);
    expect(
      (await api.request<{ name: string }>('GET', '/api/queues/billing', { token: SUPERVISOR })).body.name,
    ).toBe('Billing desk');
  });

  it('streams agent events with sequence numbers and lets a client resume from its last one', async () => {
    const received: { seq?: number; stream?: string; type: string; data?: { agentId?: string } }[] = [];
    // Signed as a browser signs (the token as a subprotocol; it cannot send a header)...
    const ws = new WebSocket(`${service.baseUrl.replace('http', 'ws')}/api/events`, [
      'cc-events',
      `bearer.${Buffer.from(SUPERVISOR).toString('base64url')}`,
    ]);
    ws.on('message', (m) => received.push(JSON.parse(m.toString())));
    await eventually(async () => (received.length > 0 ? true : undefined), 'the snapshot');
    expect(received[0]).toMatchObject({
      type: 'snapshot',
      stream: expect.any(String),
      seq: expect.any(Number),
    });
    expect(ws.protocol).toBe('cc-events'); // the token is not echoed back
    const snapshot = received[0]!;
    await api.seat('a2', tokens.a2!, 'not-ready', { reason: 'lunch' });
    await eventually(
      async () =>
        received.some((e) => e.type === 'agent.state' && e.data?.agentId === 'a2') ? true : undefined,
      'a2 state event',
    );
    ws.close();
    const live = received.filter((e) => e.type !== 'snapshot');
    expect(live.map((e) => e.seq)).toEqual(live.map((_, i) => snapshot.seq! + 1 + i));

    await api.seat('a2', tokens.a2!, 'ready'); // happens while the client is away
    const resumed: typeof received = [];
    // ...and as any other client does (the Authorization header).
    const again = new WebSocket(
      `${service.baseUrl.replace('http', 'ws')}/api/events?stream=${snapshot.stream}&since=${live.at(-1)!.seq}`,
      { headers: { authorization: `Bearer ${SUPERVISOR}` } },
    );
    again.on('message', (m) => resumed.push(JSON.parse(m.toString())));
    await eventually(async () => (resumed.length > 0 ? true : undefined), 'the missed events');
    again.close();
    expect(resumed[0]).toMatchObject({
      type: 'agent.state',
      seq: live.at(-1)!.seq! + 1,
      data: { agentId: 'a2' },
    });
  });

  it("pauses the recording for card details: silence in the file meanwhile, the call's timing kept, on the timeline", async () => {
    await notReady('a2', 'a3');
    if ((await agentState('a1')).type !== 'available') await ready('a1');
    const caller = '+15550008001';
    const run = runSipp({
      scenario: 'caller-hangs-up',
      dialed: '200',
      callers: [caller],
      pauseMs: 8000,
      talks: true,
    });
    const url = (id: string, verb = '') => `/api/calls/${id}/recording${verb}`;
    const connected = await eventually(async () => {
      const row = await latestInteraction(caller);
      if (!row) return undefined;
      const state = await api.request<{ recording: boolean; paused: boolean }>('GET', url(row.id), {
        token: tokens.a1,
      });
      return state.body.recording ? row : undefined;
    }, 'the call to be connected and recorded');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await api.request('POST', url(connected.id, '/pause'), { token: tokens.a1 })).status).toBe(200);
    // Twice is refused with the reason; so is an agent who is not on the call.
    const again = await api.request<{ code: string }>('POST', url(connected.id, '/pause'), {
      token: tokens.a1,
    });
    expect([again.status, again.body.code]).toEqual([409, 'RECORDING_ALREADY_PAUSED']);
    const other = await api.request<{ code: string }>('POST', url(connected.id, '/resume'), {
      token: tokens.a2,
    });
    expect(other.status).toBe(409);
    expect((await api.request('GET', url(connected.id), { token: tokens.a1 })).body).toMatchObject({
      recording: true,
      paused: true,
      pausedBy: 'a1',
    });
    await new Promise((r) => setTimeout(r, 2500));
    expect((await api.request('POST', url(connected.id, '/resume'), { token: tokens.a1 })).status).toBe(200);
    expect((await run).successful).toBe(1);

    const call = await closedInteraction(caller);
    expect(call).toMatchObject({ agentId: 'a1', disposition: 'handled' });
    const at = (type: string) => Date.parse(call.timeline.find((e) => e.type === type)!.at) / 1000;
    const [started, paused, resumed] = [
      at('recording.started'),
      at('recording.paused'),
      at('recording.resumed'),
    ];
    expect(call.timeline.find((e) => e.type === 'recording.resumed')!.payload).toMatchObject({
      agentId: 'a1',
    });
    expect(resumed - paused).toBeGreaterThan(2);
    const file = join(recordingsDir, call.recording!);
    const pcm = await eventually(async () => {
      const w = readWav(file);
      return w.wellFormed && w.seconds > resumed - started + 1.5 ? readPcm(file) : undefined;
    }, 'the recording to be closed');
    // The caller's 440 Hz tone: in the file before the pause and after it, silence in between (the file's
    // clock is the call's: the paused stretch sits where it happened).
    const level = (from: number, to: number) => toneLevel(pcm, 440, from - started, to - started);
    const before = level(started + 0.3, paused - 0.3);
    const during = level(paused + 0.4, resumed - 0.4);
    const after = level(resumed + 0.4, resumed + 1.4);
    expect(before).toBeGreaterThan(1e-4);
    expect(during).toBeLessThan(before / 100);
    expect(after).toBeGreaterThan(before / 10);
  });

  it("tells the workforce-management tool every agent's state changes, and the sales CRM of sales calls only", async () => {
    type Change = { seq: number; agentId: string; from: string; to: string; reason: string | null };
    // Whatever is still on its way once the agents are as they now are.
    const now = await Promise.all(SETTINGS.agents.map(async (a) => [a.id, (await agentState(a.id)).type]));
    const changes = await eventually(
      async () => {
        const all = wfm.received.map((r) => r.json.agentState as Change).sort((a, b) => a.seq - b.seq);
        const last = (id: string) => all.filter((c) => c.agentId === id).at(-1)?.to;
        return now.every(([id, state]) => last(id!) === state) ? all : undefined;
      },
      "the agents' changes delivered",
      20_000,
    );
    expect(wfm.received.every((r) => r.json.type === 'agent.state.changed' && r.status === 200)).toBe(true);
    expect(new Set(changes.map((c) => c.seq)).size).toBe(changes.length);
    // Each agent's changes follow on one from another: none missing, from their login on.
    for (const a of SETTINGS.agents) {
      const own = changes.filter((c) => c.agentId === a.id);
      expect(own[0]).toMatchObject({ from: 'logged_out', to: 'available' });
      for (let i = 1; i < own.length; i++) expect(own[i]!.from).toBe(own[i - 1]!.to);
    }
    // Support's calls end in a second of wrap-up.
    expect(changes).toContainEqual(
      expect.objectContaining({ agentId: 'a4', from: 'talking', to: 'wrap_up' }),
    );
    // a3's phone never answers: ring-no-answer set it not ready, reason missed.
    expect(changes).toContainEqual(
      expect.objectContaining({ agentId: 'a3', from: 'offered', to: 'not_ready', reason: 'missed' }),
    );
    // The sales CRM: every sales call that ended, and no other queue's.
    const sales = await api.request<{ items: { id: string }[]; total: number }>(
      'GET',
      '/api/interactions?queueId=sales&state=closed&limit=500',
      { token: SUPERVISOR },
    );
    const told = await eventually(
      async () => (salesCrm.received.length >= sales.body.total ? salesCrm.received : undefined),
      'the sales calls delivered',
      20_000,
    );
    expect(sales.body.total).toBeGreaterThan(5);
    expect(told.map((r) => r.json.interaction.queueId)).toEqual(Array(told.length).fill('sales'));
    expect(new Set(told.map((r) => r.json.interactionId))).toEqual(
      new Set(sales.body.items.map((i) => i.id)),
    );
  });

  it("erases a caller's data at their request: the real recording gone, playback refused, the call's record kept", async () => {
    const call = await closedInteraction('+15550001001');
    const file = join(recordingsDir, call.recording!);
    expect(existsSync(file)).toBe(true);
    const erase = (body: object) =>
      api.request<Record<string, unknown>>('POST', '/api/customers/erasures', { token: SUPERVISOR, body });
    const asked = await erase({ number: '+15550001001', reason: 'request 118', dryRun: true });
    expect(asked.body).toMatchObject({ dryRun: true, interactions: 1, recordings: 1 });
    expect(existsSync(file)).toBe(true);
    const done = await erase({ number: '+15550001001', reason: 'request 118' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ dryRun: false, interactions: 1, recordings: 1 });
    expect(existsSync(file)).toBe(false);
    const played = await fetch(`${service.baseUrl}/api/interactions/${call.id}/recording`, {
      headers: { authorization: `Bearer ${SUPERVISOR}` },
    });
    expect(played.status).toBe(410);
    const after = await api.request<Interaction>('GET', `/api/interactions/${call.id}`, {
      token: SUPERVISOR,
    });
    expect(after.body).toMatchObject({ callerNumber: null, queueId: 'sales', agentId: call.agentId });
    expect(JSON.stringify(after.body)).not.toContain('15550001001');
    expect(after.body.timeline.at(-1)).toMatchObject({
      type: 'interaction.erased',
      payload: { reason: 'request 118' },
    });
    // Searched by the number, nothing of theirs is found any more.
    const found = await api.request<{ total: number }>(
      'GET',
      '/api/interactions?callerNumber=%2B15550001001',
      {
        token: SUPERVISOR,
      },
    );
    expect(found.body.total).toBe(0);
  });
});
