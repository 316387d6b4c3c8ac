/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process, SIPp callers on the carrier trunk,
 * a webhook receiver (HTTP on 127.0.0.1) standing in for a CRM.
 * The first call path end to end: INVITE → StasisStart → answer → prompt → hang-up → a closed interaction,
 * and the CRM told of each.
 */
import { createHmac } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsteriskSandbox } from '../../../scripts/sandbox/asterisk-sandbox.js';
import { startAsterisk, testConfig } from '../harness/asterisk.js';
import { ApiClient } from '../harness/api.js';
import { runSipp } from '../harness/sipp.js';
import { Receiver } from '../../unit/webhooks/receiver.js';
import { InteractionFields } from '../../../src/interactions/interaction-schema.js';
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

interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  payload: Record<string, unknown>;
}
interface Interaction {
  id: string;
  state: string;
  direction: string;
  trunk: string;
  callerNumber: string;
  dialedNumber: string;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  disposition: string;
  endedBy: string;
  timeline: TimelineEntry[];
}

let asterisk: AsteriskSandbox;
let service: ServiceProcess;
let crm: Receiver;
const CRM_SECRET = 'crm-shared-secret-for-tests';

async function allInteractions(base: string): Promise<{ items: Interaction[]; total: number }> {
  return (await getJson<{ items: Interaction[]; total: number }>(`${base}/api/interactions?limit=500`)).body;
}

async function detail(base: string, id: string): Promise<Interaction> {
  return (await getJson<Interaction>(`${base}/api/interactions/${id}`)).body;
}

beforeAll(async () => {
  asterisk = await startAsterisk(testConfig(), 'first-call-path');
  // The CRM is down for its first 4 requests: those deliveries are retried, and it rests the CRM meanwhile.
  crm = await new Receiver().listen();
  crm.answer = (_r, n) => (n <= 4 ? { status: 500, headers: {}, body: 'not yet' } : 200);
  const dataDir = newDataDir();
  const webhooks = [
    { id: 'crm', url: crm.url, events: ['interaction.closed'], secret: CRM_SECRET, retryBaseSeconds: 1 },
  ];
  service = spawnService(
    serviceEnv(dataDir, { CC_CONFIG: writeConfigFile(dataDir, { supervisorToken: TEST_SECRET, webhooks }) }),
  );
  await waitHealthy(service.baseUrl);
});

afterAll(async () => {
  await service?.stop();
  await asterisk?.stop();
  await crm?.close();
});

describe('first call path on a real Asterisk', () => {
  it('turns 20 SIPp calls (early hang-ups, full prompts, 5 at once) into exactly 20 complete interactions', async () => {
    const earlyCallers = Array.from({ length: 8 }, (_, i) => `+1555020${String(i).padStart(4, '0')}`);
    const patientCallers = Array.from({ length: 7 }, (_, i) => `+1555030${String(i).padStart(4, '0')}`);
    const burstCallers = Array.from({ length: 5 }, (_, i) => `+1555040${String(i).padStart(4, '0')}`);

    // Hang up 300 ms after answer, during hello-world (~1.1 s); two at a time.
    const early = await runSipp({
      scenario: 'caller-hangs-up',
      callers: earlyCallers,
      calls: 8,
      limit: 2,
      pauseMs: 300,
      dialed: '100',
    });
    // Stay on until the service hangs up after the prompt.
    const patient = await runSipp({
      scenario: 'caller-waits',
      callers: patientCallers,
      calls: 7,
      limit: 1,
      dialed: '200',
    });
    // Five at once.
    const burst = await runSipp({
      scenario: 'caller-waits',
      callers: burstCallers,
      calls: 5,
      limit: 5,
      rate: 50,
      dialed: '300',
    });
    expect([early, patient, burst].map((r) => [r.exitCode, r.successful, r.failed])).toEqual([
      [0, 8, 0],
      [0, 7, 0],
      [0, 5, 0],
    ]);

    const closed = await eventually(async () => {
      const list = await allInteractions(service.baseUrl);
      return list.items.length === 20 && list.items.every((i) => i.state === 'closed') ? list : undefined;
    }, '20 closed interactions');
    expect(closed.total).toBe(20);

    const byCaller = new Map(closed.items.map((i) => [i.callerNumber, i]));
    expect([...byCaller.keys()].sort()).toEqual([...earlyCallers, ...patientCallers, ...burstCallers].sort());

    for (const summary of closed.items) {
      const interaction = await detail(service.baseUrl, summary.id);
      const early = earlyCallers.includes(interaction.callerNumber);
      expect(interaction).toMatchObject({
        direction: 'inbound',
        trunk: 'carrier',
        state: 'closed',
        disposition: early ? 'caller-hangup' : 'completed',
        endedBy: early ? 'caller' : 'system',
      });
      expect(interaction.timeline.map((e) => e.type)).toEqual([
        'interaction.opened',
        'call.answered',
        'ivr.prompt.started',
        'ivr.prompt.finished',
        'call.hangup',
        'interaction.closed',
      ]);
      const finished = interaction.timeline.find((e) => e.type === 'ivr.prompt.finished')!;
      expect(finished.payload.outcome).toBe(early ? 'interrupted' : 'done');
      expect(finished.payload.media).toEqual(['sound:hello-world']);

      const started = Date.parse(interaction.startedAt);
      const answered = Date.parse(interaction.answeredAt!);
      const ended = Date.parse(interaction.endedAt!);
      expect(answered).toBeGreaterThanOrEqual(started);
      expect(ended).toBeGreaterThan(answered);
      const talked = ended - answered;
      // hello-world.gsm is about 1.1 s: a full prompt takes at least a second; an early hang-up ends well before.
      if (early) expect(talked).toBeLessThan(900);
      else expect(talked).toBeGreaterThan(900);
      // Sequence numbers are strictly increasing along the timeline.
      const seqs = interaction.timeline.map((e) => e.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
    }
    const dialed = closed.items.map((i) => i.dialedNumber);
    expect(dialed.filter((d) => d === '100')).toHaveLength(8);
    expect(dialed.filter((d) => d === '300')).toHaveLength(5);
  });

  it('tells the CRM webhook of each of those 20 calls as it ends, signed, retried after it failed', async () => {
    const calls = (await allInteractions(service.baseUrl)).items;
    expect(calls).toHaveLength(20);
    // 4 answered 500, then each of the 20 taken once.
    await crm.until(24, 30_000);
    const failed = crm.received.filter((r) => r.status === 500);
    const taken = crm.received.filter((r) => r.status === 200);
    expect(failed).toHaveLength(4);
    expect(taken).toHaveLength(20);
    expect(new Set(taken.map((r) => r.json.interactionId))).toEqual(new Set(calls.map((c) => c.id)));
    // Each that failed came again as its second attempt.
    for (const f of failed) {
      expect(taken.find((r) => r.json.deliveryId === f.json.deliveryId)?.json.attempt).toBe(2);
    }
    for (const r of taken) {
      const call = calls.find((c) => c.id === r.json.interactionId)!;
      expect(r.json.type).toBe('interaction.closed');
      // The interaction as the API gives it, field for field (one schema: InteractionFields).
      for (const field of Object.keys(InteractionFields))
        expect([field, r.json.interaction[field]]).toEqual([
          field,
          (call as unknown as Record<string, unknown>)[field],
        ]);
      expect(r.json.interaction).toMatchObject({ id: call.id, state: 'closed' });
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['x-cc-signature']))!;
      expect(createHmac('sha256', CRM_SECRET).update(`${t}.${r.body}`).digest('hex')).toBe(v1);
    }
    const hooks = await eventually(async () => {
      const { body } = await getJson<{ items: { delivered: number; pending: number; failed: number }[] }>(
        `${service.baseUrl}/api/webhooks`,
      );
      return body.items[0]?.delivered === 20 ? body : undefined;
    }, 'the 20 deliveries recorded as delivered');
    expect(hooks.items[0]).toMatchObject({
      delivered: 20,
      pending: 0,
      failed: 0,
      failingInARow: 0,
      restingUntil: null,
    });
  });

  it('rejects a call from an unknown source address with no interaction', async () => {
    const before = (await allInteractions(service.baseUrl)).total;
    const result = await runSipp({
      scenario: 'caller-rejected',
      localIp: '127.0.0.2',
      callers: ['+15550999999'],
      calls: 1,
    });
    expect(result).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect((await allInteractions(service.baseUrl)).total).toBe(before);
    expect(await asterisk.cli('core show channels count')).toMatch(/^0 active channels/m);
  });

  it('survives a malformed INVITE: no interaction, no crash, the next call still works', async () => {
    const before = (await allInteractions(service.baseUrl)).total;
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const reply = new Promise<string | undefined>((resolve) => {
      socket.once('message', (msg) => resolve(msg.toString()));
      setTimeout(() => resolve(undefined), 2000).unref();
    });
    // No Call-ID, no CSeq, a broken Via and a body shorter than its Content-Length.
    const garbage =
      'INVITE sip:100@127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP ???\r\nFrom: <sip:x@127.0.0.1>\r\nContent-Length: 999\r\n\r\nv=0';
    await new Promise<void>((resolve, reject) =>
      socket.send(garbage, 5060, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );
    const answer = await reply;
    socket.close();
    // PJSIP may answer 400 or drop it silently; either way it must not become a call.
    if (answer !== undefined) expect(answer).toMatch(/^SIP\/2\.0 4\d\d/);

    expect(await asterisk.cli('core show uptime')).toMatch(/System uptime/);
    const health = await getJson<{ status: string }>(`${service.baseUrl}/health`);
    expect(health).toMatchObject({ status: 200, body: { status: 'up' } });

    const next = await runSipp({
      scenario: 'caller-waits',
      callers: ['+15550123123'],
      calls: 1,
      dialed: '400',
    });
    expect(next).toMatchObject({ exitCode: 0, successful: 1 });
    const after = await eventually(async () => {
      const list = await allInteractions(service.baseUrl);
      return list.total === before + 1 && list.items[0]?.state === 'closed' ? list : undefined;
    }, 'the next call to be recorded');
    expect(after.items[0]).toMatchObject({ callerNumber: '+15550123123', disposition: 'completed' });
  });
  it('turns away a number a supervisor blocked, unanswered (403) and on record; lifted, its next call is taken', async () => {
    const api = new ApiClient(service.baseUrl);
    const blocked = await api.request<{ id: string; number: string }>('POST', '/api/blocked-numbers', {
      token: TEST_SECRET,
      body: { number: '+15550777777', reason: 'abusive to agents' },
    });
    expect(blocked).toMatchObject({ status: 201, body: { number: '+15550777777' } });
    const again = await api.request<{ code: string }>('POST', '/api/blocked-numbers', {
      token: TEST_SECRET,
      body: { number: '+15550777777', reason: 'twice' },
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'NUMBER_ALREADY_BLOCKED' } });
    const before = (await allInteractions(service.baseUrl)).total;

    // caller-rejected succeeds on a 403 (a 401 would be Asterisk's refusal of an unknown source, with no call).
    const refused = await runSipp({ scenario: 'caller-rejected', callers: ['+15550777777'], calls: 1 });
    expect(refused).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const turnedAway = await eventually(async () => {
      const list = await allInteractions(service.baseUrl);
      const row = list.total === before + 1 ? list.items[0] : undefined;
      return row?.state === 'closed' ? detail(service.baseUrl, row.id) : undefined;
    }, 'the blocked call to be on record');
    expect(turnedAway).toMatchObject({
      callerNumber: '+15550777777',
      disposition: 'rejected',
      answeredAt: null,
    });
    expect(turnedAway.timeline.find((e) => e.type === 'call.blocked')?.payload).toEqual({
      blockId: blocked.body.id,
      number: '+15550777777',
      reason: 'abusive to agents',
    });
    const list = await api.request<{ items: { id: string; turnedAway: number; lastTurnedAwayAt: string }[] }>(
      'GET',
      '/api/blocked-numbers',
      { token: TEST_SECRET },
    );
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: blocked.body.id, turnedAway: 1, lastTurnedAwayAt: expect.any(String) }),
    ]);

    const lifted = await api.request('DELETE', `/api/blocked-numbers/${blocked.body.id}`, {
      token: TEST_SECRET,
    });
    expect(lifted).toMatchObject({ status: 200, body: { liftedAt: expect.any(String) } });
    const next = await runSipp({
      scenario: 'caller-waits',
      callers: ['+15550777777'],
      calls: 1,
      dialed: '400',
    });
    expect(next).toMatchObject({ exitCode: 0, successful: 1 });
    const taken = await eventually(async () => {
      const latest = await allInteractions(service.baseUrl);
      return latest.total === before + 2 && latest.items[0]?.state === 'closed' ? latest.items[0] : undefined;
    }, 'the call after lifting to be recorded');
    expect(taken).toMatchObject({ callerNumber: '+15550777777', disposition: 'completed' });

    // A prefix block (a robocall campaign's range) turns away a number it starts with, on record as that block.
    const range = await api.request<{ id: string; number: string }>('POST', '/api/blocked-numbers', {
      token: TEST_SECRET,
      body: { number: '+1555 0666*', reason: 'robocall campaign' },
    });
    expect(range).toMatchObject({ status: 201, body: { number: '+15550666*' } });
    const fromRange = await runSipp({ scenario: 'caller-rejected', callers: ['+15550666123'], calls: 1 });
    expect(fromRange).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const rangeCall = await eventually(async () => {
      const list = await allInteractions(service.baseUrl);
      const row = list.total === before + 3 ? list.items[0] : undefined;
      return row?.state === 'closed' ? detail(service.baseUrl, row.id) : undefined;
    }, 'the call from the blocked range to be on record');
    expect(rangeCall).toMatchObject({ callerNumber: '+15550666123', disposition: 'rejected' });
    expect(rangeCall.timeline.find((e) => e.type === 'call.blocked')?.payload).toEqual({
      blockId: range.body.id,
      number: '+15550666*',
      reason: 'robocall campaign',
    });
    await api.request('DELETE', `/api/blocked-numbers/${range.body.id}`, { token: TEST_SECRET });
  });
});
