/**
 * Real parts: Asterisk 22 (sandbox root), the service as its own process, a SIPp UAC standing in for an
 * agent's desk phone (a udp endpoint on its own SIP credentials, answering the digest challenge), and a
 * SIPp UAS customer on the carrier's address 127.0.0.1:5070. A number dialled on the phone itself goes
 * dialplan → Stasis (agent-outbound) → the service's outbound checks → the customer on the trunk with the
 * configured caller ID, bridged, recorded on an outbound interaction; refusals come back as SIP answers.
 * Then phones that cannot be rung (not registered; a SIPp UAS answering 503), reached by a queue offer and
 * by a colleague's consultation, conference and blind transfer (the colleague a SIPp UAS desk phone that
 * answers). Run inside the test namespace (scripts/in-netns.sh).
 */
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

const SUPERVISOR = 'desk-phone-supervisor';
const DESK = {
  id: 'desk1',
  name: 'Desk One',
  transport: 'udp',
  password: 'desk1-secret-pw',
  queues: [{ queueId: 'support' }],
};
/** A desk phone with a static contact (a SIPp UAS) that answers every INVITE 503. */
const BROKEN = {
  id: 'desk2',
  name: 'Desk Two',
  transport: 'udp',
  password: 'desk2-secret-pw',
  contact: 'sip:desk2@127.0.0.1:5082',
  queues: [{ queueId: 'field' }],
};
/** A desk phone with a static contact (a SIPp UAS) that answers every call and stays on. */
const COLLEAGUE = {
  id: 'desk3',
  name: 'Desk Three',
  transport: 'udp',
  password: 'desk3-secret-pw',
  contact: 'sip:desk3@127.0.0.1:5083',
  queues: [{ queueId: 'help' }],
};
const SETTINGS = {
  supervisorToken: SUPERVISOR,
  queues: [
    { id: 'support', name: 'Support', strategy: 'longest_idle', ringTimeoutSeconds: 15 },
    { id: 'field', name: 'Field', strategy: 'longest_idle', ringTimeoutSeconds: 15 },
    { id: 'help', name: 'Help', strategy: 'longest_idle', ringTimeoutSeconds: 15 },
  ],
  agents: [DESK, BROKEN, COLLEAGUE],
  routes: [
    { dialed: '500', queue: 'support' },
    { dialed: '600', queue: 'field' },
    { dialed: '700', queue: 'help' },
  ],
  outbound: { callerId: { mode: 'fixed', number: '+15550009999', name: 'Acme Support' } },
};
const CUSTOMER = '+15553330001';

interface Interaction {
  id: string;
  direction: string;
  state: string;
  agentId: string | null;
  callerNumber: string | null;
  disposition: string | null;
  talkSeconds: number | null;
  recording: string | null;
  timeline: { type: string; payload: Record<string, unknown> }[];
}

let asterisk: AsteriskSandbox;
let service: ServiceProcess;
let api: ApiClient;
let customer: SippAgent;
let token = '';

const seatOf = (agentId: string) => api.agentState(agentId, SUPERVISOR);
const agentState = async () => (await seatOf(DESK.id)).type;
const outboundCalls = async () =>
  (
    await api.request<{ items: Interaction[]; total: number }>(
      'GET',
      '/api/interactions?direction=outbound',
      {
        token: SUPERVISOR,
      },
    )
  ).body;

/** The desk phone dials `number`; `final` set: the call is expected to be turned down with that code. */
const deskDials = (number: string, final?: number) =>
  runSipp({
    scenario: final ? 'desk-phone-refused' : 'desk-phone-dials',
    dialed: number,
    fill: { AGENT: DESK.id, PASSWORD: DESK.password, ...(final ? { FINAL: String(final) } : {}) },
    timeoutSeconds: 30,
  });

/**
 * A caller to `dialed` whose only agent's phone cannot be rung: the seat is set not ready
 * (phone_unreachable) at once, the caller waits and hangs up, offered exactly once. Returns the
 * timeline's `acd.agent.unreachable` payload.
 */
async function callReachesNobody(dialed: string, caller: string, agentId: string) {
  const call = runSipp({ scenario: 'caller-hangs-up', dialed, pauseMs: 4000, callers: [caller] });
  const seat = await eventually(async () => {
    const state = await seatOf(agentId);
    return state.type === 'not_ready' ? state : undefined;
  }, `${agentId} to be set not ready`);
  expect(seat.reason).toBe('phone_unreachable');
  expect(await call).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
  const closed = await eventually(async () => {
    const { body } = await api.request<{ items: Interaction[] }>(
      'GET',
      `/api/interactions?direction=inbound`,
      { token: SUPERVISOR },
    );
    const id = body.items.find((i) => i.callerNumber === caller)?.id;
    if (!id) return undefined;
    const detail = (await api.request<Interaction>('GET', `/api/interactions/${id}`, { token: SUPERVISOR }))
      .body;
    return detail.state === 'closed' ? detail : undefined;
  }, `the call from ${caller} to close`);
  // Offered once, the phone could not be rung, nobody else to ring: the caller waited and hung up.
  expect(closed).toMatchObject({ disposition: 'abandoned', agentId: null });
  expect(closed.timeline.filter((e) => e.type === 'acd.offered')).toHaveLength(1);
  const unreachable = closed.timeline.find((e) => e.type === 'acd.agent.unreachable')?.payload;
  expect(unreachable).toMatchObject({ agentId, queueId: expect.any(String) });
  return unreachable as { reason: string };
}

beforeAll(async () => {
  asterisk = await startAsterisk(testConfig({ agents: SETTINGS.agents }), 'desk-phone-outbound');
  const dataDir = newDataDir();
  service = spawnService(serviceEnv(dataDir, { CC_CONFIG: writeConfigFile(dataDir, SETTINGS) }));
  await waitHealthy(service.baseUrl);
  api = new ApiClient(service.baseUrl);
  customer = startSippAgent({ port: 5070, scenario: 'callee-answers-hangs-up', pauseMs: 3000 });
  token = await api.signIn(DESK.id, DESK.password);
});

afterAll(async () => {
  await asterisk?.cli('channel request hangup all').catch(() => undefined);
  await customer?.stop();
  await service?.stop();
  await asterisk?.stop();
});

describe('calls placed from an agent desk phone, on a real Asterisk with SIPp phone and customer', () => {
  it('refuses while the seat is logged out: 403 to the phone, no call on the trunk, nothing opened', async () => {
    expect(await agentState()).toBe('logged_out');
    const result = await deskDials(CUSTOMER, 403);
    expect(result).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect((await outboundCalls()).total).toBe(0);
  });

  it('dials the customer with the configured caller ID, bridges and records the call as the agent’s', async () => {
    await api.seat(DESK.id, token, 'login');
    await api.seat(DESK.id, token, 'not-ready', { reason: 'break' });
    const placing = deskDials(CUSTOMER);
    // While the customer talks: the desk phone and the trunk leg share the interaction's bridge.
    const bridged = await eventually(async () => {
      const shown = await asterisk.cli('bridge show all');
      const id = /call-([0-9a-f-]{36})/.exec(shown)?.[1];
      const members = id ? await asterisk.cli(`bridge show call-${id}`) : '';
      return /PJSIP\/desk1-/.test(members) && /PJSIP\/carrier-/.test(members) ? members : undefined;
    }, 'desk phone and customer bridged');
    expect(bridged).toMatch(/PJSIP\/desk1-/);
    expect(await agentState()).toBe('talking');
    expect(await placing).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });

    const call = await eventually(async () => {
      const list = await outboundCalls();
      const id = list.items[0]?.id;
      if (!id) return undefined;
      const detail = (await api.request<Interaction>('GET', `/api/interactions/${id}`, { token: SUPERVISOR }))
        .body;
      return detail.state === 'closed' ? detail : undefined;
    }, 'the outbound interaction to close');
    expect(call).toMatchObject({
      direction: 'outbound',
      agentId: DESK.id,
      callerNumber: CUSTOMER,
      disposition: 'handled',
    });
    expect(call.talkSeconds).toBeGreaterThanOrEqual(1);
    expect(call.recording).toBe(`${call.id}.wav`);
    const steps = call.timeline.filter((e) => e.type === 'call.outbound').map((e) => e.payload.step);
    expect(steps).toEqual(['requested', 'agent-answered', 'dialing', 'connected']);
    const requested = call.timeline.find((e) => e.type === 'call.outbound')!.payload;
    expect(requested).toMatchObject({ via: 'phone', callerId: expect.stringContaining('+15550009999') });
    // The seat was busy with it and is free again afterwards (outbound calls have no wrap-up here).
    await eventually(async () => ((await agentState()) === 'not_ready' ? true : undefined), 'seat freed');
    expect((await customer.stop()).successful).toBe(1);
    customer = startSippAgent({ port: 5070, scenario: 'callee-answers-hangs-up', pauseMs: 3000 });
  });

  it('refuses a barred number with 404 and leaves the seat as it was', async () => {
    const before = (await outboundCalls()).total;
    const result = await deskDials('+19005550100', 404);
    expect(result).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect((await outboundCalls()).total).toBe(before);
    expect(await agentState()).toBe('not_ready');
  });

  it('a ready agent whose phone cannot be rung (not registered) is set not ready, and the caller keeps waiting', async () => {
    await api.seat(DESK.id, token, 'ready');
    expect(await agentState()).toBe('available');
    const unreachable = await callReachesNobody('500', '+15553334444', DESK.id);
    // Asterisk could not create the call at all: the endpoint has no registered contact.
    expect(unreachable.reason).toMatch(/could not call PJSIP\/desk1/);
  });

  it('click-to-dial from a seat whose phone is not registered: refused, and the seat is set not ready', async () => {
    await api.seat(DESK.id, token, 'ready');
    expect(await agentState()).toBe('available');
    const { status, body } = await api.request<{ code: string }>('POST', '/api/calls/outbound', {
      token,
      body: { number: CUSTOMER },
    });
    expect(status).toBe(409);
    expect(body.code).toBe('AGENT_PHONE_UNREACHABLE');
    expect(await seatOf(DESK.id)).toMatchObject({ type: 'not_ready', reason: 'phone_unreachable' });
  });

  it('a phone that turns the call away as out of service (503) is set not ready the same way', async () => {
    const phone = startSippAgent({ port: 5082, scenario: 'phone-out-of-service' });
    try {
      const brokenToken = await api.signIn(BROKEN.id, BROKEN.password);
      await api.seat(BROKEN.id, brokenToken, 'login'); // logging in makes the seat available
      const unreachable = await callReachesNobody('600', '+15553335555', BROKEN.id);
      // The phone was rung and answered 503, which Asterisk maps to a congestion cause.
      expect(unreachable.reason).toMatch(/\(cause 34\)|\(cause 42\)/);
    } finally {
      await phone.stop();
    }
  });
});

describe("an agent works their seat from the desk phone's keypad (real Asterisk, SIPp phone)", () => {
  /** What the service says came of each code dialled so far: dialled, what it did or refused, what the phone heard. */
  const codeLines = () =>
    service
      .output()
      .split('\n')
      .filter((line) => line.includes('code dialled on the phone'))
      .map((line) => JSON.parse(line) as { dialled: string; code?: string; sounds: string[]; heard: string });
  const dials = async (code: string) => {
    const before = codeLines().length;
    // Answered, told, hung up by Asterisk: the phone sees 200 then a BYE.
    const result = await deskDials(code);
    expect(result, result.stderr).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    // The service's line may reach its output pipe just after the phone has seen the BYE (a busy machine).
    const line = await eventually(
      async () => (codeLines().length > before ? codeLines().at(-1) : undefined),
      `the service's line for ${code}`,
      5_000,
    );
    expect(line).toMatchObject({ dialled: code, heard: 'played' });
    return line;
  };
  type HelpItem = { agentId: string };

  it('logs in and out, goes not ready with a reason and ready, asks for help and withdraws it, each heard on the phone', async () => {
    const calls = (await api.request<{ total: number }>('GET', '/api/interactions', { token: SUPERVISOR }))
      .body.total;
    expect(await dials('*52')).toMatchObject({ sounds: ['agent-loggedoff'] });
    expect(await agentState()).toBe('logged_out');
    // Refused while logged out: the error tone, then that the agent is logged off.
    expect(await dials('*53')).toMatchObject({
      code: 'AGENT_LOGGED_OUT',
      sounds: ['beeperr', 'agent-loggedoff'],
    });
    expect(await agentState()).toBe('logged_out');
    expect(await dials('*51')).toMatchObject({ sounds: ['agent-loginok'] });
    expect(await agentState()).toBe('available');
    expect(await dials('*542')).toMatchObject({ sounds: ['do-not-disturb', 'activated'] });
    expect(await seatOf(DESK.id)).toMatchObject({ type: 'not_ready', reason: 'lunch' });
    expect(await dials('*549')).toMatchObject({ code: 'REASON_UNKNOWN', sounds: ['beeperr', 'invalid'] });
    expect(await seatOf(DESK.id)).toMatchObject({ type: 'not_ready', reason: 'lunch' });

    expect(await dials('*56')).toMatchObject({ sounds: ['beep'] });
    const open = await api.request<{ items: HelpItem[] }>('GET', '/api/help', { token: SUPERVISOR });
    expect(open.body.items.map((i) => i.agentId)).toEqual([DESK.id]);
    expect(await dials('*57')).toMatchObject({ sounds: ['cancelled'] });
    const none = await api.request<{ items: HelpItem[] }>('GET', '/api/help', { token: SUPERVISOR });
    expect(none.body.items).toEqual([]);

    expect(await dials('*53')).toMatchObject({ sounds: ['do-not-disturb', 'de-activated'] });
    expect(await agentState()).toBe('available');
    expect(await dials('*52')).toMatchObject({ sounds: ['agent-loggedoff'] });
    expect(await agentState()).toBe('logged_out');
    // A code is no contact with a customer: no interaction was opened for any of them.
    expect(
      (await api.request<{ total: number }>('GET', '/api/interactions', { token: SUPERVISOR })).body.total,
    ).toBe(calls);
  });
});

describe('a colleague calls in an agent whose phone cannot be rung (real Asterisk, SIPp phones)', () => {
  let colleaguePhone: SippAgent;
  let colleagueToken = '';
  let interactionId = '';
  let caller: ReturnType<typeof runSipp>;

  beforeAll(async () => {
    colleaguePhone = startSippAgent({ port: 5083, scenario: 'agent-answers' });
    colleagueToken = await api.signIn(COLLEAGUE.id, COLLEAGUE.password);
    await api.seat(COLLEAGUE.id, colleagueToken, 'login');
    // The caller stays on the line until the end of this block (then every channel is hung up).
    caller = runSipp({
      scenario: 'caller-waits',
      dialed: '700',
      callers: ['+15553336666'],
      timeoutSeconds: 90,
    });
    const talking = await eventually(async () => {
      const state = await seatOf(COLLEAGUE.id);
      return state.type === 'talking' ? state : undefined;
    }, 'the colleague to take the call');
    interactionId = talking.interactionId!;
  });

  afterAll(async () => {
    await asterisk.cli('channel request hangup all').catch(() => undefined);
    await caller;
    await colleaguePhone?.stop();
  });

  /** The target is ready; the colleague's request about it is sent as the colleague. */
  async function callIn(verb: 'consult' | 'conference' | 'transfer', target: string) {
    const targetToken = await api.signIn(target, target === DESK.id ? DESK.password : BROKEN.password);
    const before = (await seatOf(target)).type;
    if (before !== 'available')
      await api.seat(target, targetToken, before === 'logged_out' ? 'login' : 'ready');
    expect((await seatOf(target)).type).toBe('available');
    return api.request<{ code?: string; message?: string }>('POST', `/api/calls/${interactionId}/${verb}`, {
      token: colleagueToken,
      body: { type: 'agent', agentId: target },
    });
  }

  const notReadyUnreachable = (agentId: string) =>
    eventually(async () => {
      const state = await seatOf(agentId);
      return state.type === 'not_ready' ? state : undefined;
    }, `${agentId} to be set not ready`);

  const timeline = async () =>
    (await api.request<Interaction>('GET', `/api/interactions/${interactionId}`, { token: SUPERVISOR })).body
      .timeline;

  it('a consultation with a phone that is not registered: refused at once, the target not ready, the colleague back with the caller', async () => {
    const { status, body } = await callIn('consult', DESK.id);
    expect(status).toBe(409);
    expect(body.code).toBe('TARGET_UNREACHABLE');
    expect(body.message).toMatch(/could not call PJSIP\/desk1/);
    expect(await notReadyUnreachable(DESK.id)).toMatchObject({ reason: 'phone_unreachable' });
    // The caller was taken off hold again: the colleague talks to them.
    expect(await seatOf(COLLEAGUE.id)).toMatchObject({ type: 'talking', interactionId });
    const consult = (await timeline())
      .filter((e) => e.type === 'call.transferred')
      .map((e) => e.payload.step);
    expect(consult).toEqual(['requested', 'failed']);
  });

  it('a consultation with a phone that answers 503: the target is set not ready once its leg fails', async () => {
    const phone = startSippAgent({ port: 5082, scenario: 'phone-out-of-service' });
    try {
      // The call is placed (Asterisk accepts it); the phone turns it away afterwards.
      const { status } = await callIn('consult', BROKEN.id);
      expect(status).toBe(200);
      expect(await notReadyUnreachable(BROKEN.id)).toMatchObject({ reason: 'phone_unreachable' });
      const failed = await eventually(
        async () =>
          (await timeline()).find(
            (e) =>
              e.type === 'call.transferred' &&
              e.payload.step === 'failed' &&
              (e.payload.target as { id: string }).id === BROKEN.id,
          ),
        'the consultation to fail',
      );
      expect(failed.payload).toMatchObject({ step: 'failed', target: { type: 'agent', id: BROKEN.id } });
      expect(failed.payload.reason).toMatch(/could not be rung: .*\(cause (34|42)\)/);
      await eventually(
        async () => ((await seatOf(COLLEAGUE.id)).type === 'talking' ? true : undefined),
        'the colleague to be back with the caller',
      );
    } finally {
      await phone.stop();
    }
  });

  it('a conference with a phone that is not registered: refused, the target not ready', async () => {
    const { status, body } = await callIn('conference', DESK.id);
    expect(status).toBe(409);
    expect(body.code).toBe('TARGET_UNREACHABLE');
    expect(await notReadyUnreachable(DESK.id)).toMatchObject({ reason: 'phone_unreachable' });
    expect((await seatOf(COLLEAGUE.id)).type).toBe('talking');
  });

  it('a blind transfer to a phone that is not registered: refused at once, the target not ready, the colleague still with the caller', async () => {
    const { status, body } = await callIn('transfer', DESK.id);
    expect(status).toBe(409);
    expect(body.code).toBe('TARGET_UNREACHABLE');
    expect(body.message).toMatch(/still on the call/);
    expect(await notReadyUnreachable(DESK.id)).toMatchObject({ reason: 'phone_unreachable' });
    // Nobody was rung, so the colleague was never released: still talking to the same caller.
    expect(await seatOf(COLLEAGUE.id)).toMatchObject({ type: 'talking', interactionId });
    const events = await eventually(async () => {
      const all = await timeline();
      return all.some(
        (e) => e.type === 'call.transferred' && e.payload.kind === 'blind' && e.payload.step === 'failed',
      )
        ? all
        : undefined;
    }, 'the transfer to fail');
    // One "unreachable" record per attempt on a phone that could not be rung (desk1 three times, desk2 once).
    const unreachable = events
      .filter((e) => e.type === 'acd.agent.unreachable')
      .map((e) => e.payload.agentId);
    expect(unreachable).toEqual([DESK.id, BROKEN.id, DESK.id, DESK.id]);
    // The colleague's leg was never hung up: no wrap-up, no new offer of this caller.
    expect(events.filter((e) => e.type === 'acd.offered')).toHaveLength(1);
    expect(await seatOf(COLLEAGUE.id)).toMatchObject({ type: 'talking', interactionId });
  });
});
