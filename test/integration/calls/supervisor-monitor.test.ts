/**
 * Real parts: Asterisk 22 (sandbox root) recording calls, the service as its own process, a SIPp caller
 * who stays silent, and two headless Chromium instances running the SIP.js softphone page, each with a
 * fake microphone playing its own tone: agent1 (600 Hz) takes the call from the queue; agent2, not signed
 * in to the queue (a supervisor's seat, 1,500 Hz), is the phone the supervisor monitors from.
 *
 * The supervisor uses the wallboard page (/supervisor/). What is heard, where, in each mode: listen, the supervisor hears the agent and the agent hears nothing;
 * whisper, the agent hears the supervisor; barge, the caller hears the supervisor too: the call's recording
 * (MixMonitor on the caller's channel: what the caller heard) holds 1,500 Hz in the barge stretch only.
 * Run inside the test network namespace (scripts/in-netns.sh), else ICE cannot connect on loopback.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH, openAgentPage, softphoneStats } from '../harness/browser.js';
import { eventually } from '../harness/service.js';
import { pcmuWav, runSipp } from '../harness/sipp.js';
import { readPcm, readWav, toneBurstWav, toneLevel } from '../harness/wav.js';
import { logInReady, type SeatRig, seatAgent, startSeatRig, supportQueueSettings } from '../web/seat-rig.js';
import { waitPage } from '../web/seat-harness.js';

const TOKEN = 'supervise-test-token';
const AGENT = seatAgent(1);
const SUPERVISOR_SEAT = seatAgent(2, []);
/** The supervisor signs in to the wallboard as themselves: the monitors are on record as theirs. */
const SAM = { id: 'sam', name: 'Sam Super', password: 'sam-secret-pw' };
// Apart, and neither a harmonic of the other, so one is never measured as the other.
const AGENT_HZ = 600;
const SUPERVISOR_HZ = 1500;

let rig: SeatRig;
const browsers: Browser[] = [];

/** Chromium whose fake microphone plays `hz` in bursts (a steady tone would be taken for noise). */
async function browserWithTone(hz: number): Promise<Browser> {
  const wav = toneBurstWav(join(mkdtempSync(join(tmpdir(), 'tone-')), `${hz}.wav`), hz);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${wav}`],
  });
  browsers.push(browser);
  return browser;
}

async function seatPage(browser: Browser, agent: { id: string; password: string }): Promise<Page> {
  const page = await openAgentPage(browser, rig.service.baseUrl, {
    agentId: agent.id,
    password: agent.password,
    autoAnswer: true,
    // Tones, not speech: Chromium's echo canceller takes a periodic tone it hears back for an echo.
    rawMicrophone: true,
  });
  await waitPage(page, (s) => s.signedInToApi && s.streamUp, 'API session and live event stream');
  return page;
}

/** The loudest inbound audio level the page measured over `ms` (getStats audioLevel, 0..1). */
async function loudest(page: Page, ms = 2000): Promise<number> {
  let max = 0;
  for (const end = Date.now() + ms; Date.now() < end; ) {
    max = Math.max(max, (await softphoneStats(page)).audioLevel);
    await new Promise((r) => setTimeout(r, 100));
  }
  return max;
}

interface Wallboard {
  supervisor: {
    state(): {
      monitors: { id: string; agentId: string; state: string; mode: string }[];
      monitorsNote: string;
    };
  };
}

const api = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, token = TOKEN) =>
  rig.api.request<T>(method, path, { token, body });

beforeAll(async () => {
  const settings = { ...supportQueueSettings(TOKEN, [AGENT, SUPERVISOR_SEAT]), supervisors: [SAM] };
  rig = await startSeatRig('supervise-monitor', settings, {
    recordings: true,
    browser: false,
  });
});

afterAll(async () => {
  for (const browser of browsers) await browser.close().catch(() => undefined);
  await rig?.stop();
});

describe('supervisor listen, whisper and barge on real Asterisk, SIPp and Chromium', () => {
  it("is heard by nobody, then by the agent, then by the caller too (the call's recording)", async () => {
    const agentPage = await seatPage(await browserWithTone(AGENT_HZ), AGENT);
    const supervisorBrowser = await browserWithTone(SUPERVISOR_HZ);
    const supervisorPage = await seatPage(supervisorBrowser, SUPERVISOR_SEAT);
    await logInReady(rig, agentPage, AGENT.id);

    // The caller's phone sends RTP carrying silence, as phones do (audio Asterisk mixes a whisper into).
    const caller = runSipp({
      scenario: 'caller-waits',
      dialed: '500',
      callers: ['+15550107001'],
      timeoutSeconds: 90,
      transform: (text) =>
        text.replace(
          '<recv request="BYE"',
          `<nop><action><exec rtp_stream="${pcmuWav(0)},-1,0"/></action></nop>\n  <recv request="BYE"`,
        ),
    });
    const { interactionId: id } = await waitPage(
      agentPage,
      (s) => s.seat.type === 'talking',
      'agent1 talking',
    );
    expect(id).toBeTruthy();
    // The page says talking as the agent answers; the call has an agent in conversation once it is bridged
    // (run 142: a monitor asked between the two was refused NO_AGENT_ON_CALL, as it should be).
    await eventually(
      async () =>
        (await api<{ connectedAt: string | null }>('GET', `/api/interactions/${id}`)).body.connectedAt
          ? true
          : undefined,
      'the caller and agent1 bridged',
    );

    // Refused with a reason: an agent's token, the monitored agent's own phone, a call with no agent on it.
    const agentToken = await rig.api.signIn(AGENT.id, AGENT.password);
    const listen = { mode: 'listen', phone: { type: 'agent', agentId: SUPERVISOR_SEAT.id } };
    expect((await api('POST', `/api/calls/${id}/monitor`, listen, agentToken)).status).toBe(403);
    expect(
      (
        await api('POST', `/api/calls/${id}/monitor`, {
          ...listen,
          phone: { type: 'agent', agentId: AGENT.id },
        })
      ).body,
    ).toMatchObject({ code: 'CANNOT_MONITOR_SELF' });
    expect((await api('POST', '/api/calls/no-such-call/monitor', listen)).body).toMatchObject({
      code: 'NO_AGENT_ON_CALL',
    });

    // The supervisor works from the wallboard, with agent2's seat as their phone.
    const board = await supervisorBrowser.newPage();
    await board.goto(`${rig.service.baseUrl}/supervisor/`);
    await board.fill('#supervisor-id', SAM.id);
    await board.fill('#password', SAM.password);
    await board.click('#sign-in-button');
    await board.waitForSelector('#board:not([hidden])');
    await board.fill('#my-phone', SUPERVISOR_SEAT.id);
    const monitors = () => board.evaluate(() => (window as unknown as Wallboard).supervisor.state().monitors);
    const modeButton = (monitorId: string, mode: string) =>
      `#monitors button[data-monitor="${monitorId}"][data-set-mode="${mode}"]`;

    // Listen: the supervisor's phone rings (auto-answered) and hears the agent; the agent hears nothing.
    await board.click(`#agent-rows tr[data-agent="${AGENT.id}"] button[data-mode="listen"]`);
    const { id: monitorId } = await eventually(
      async () => (await monitors()).find((m) => m.state === 'active' && m.agentId === AGENT.id),
      'the wallboard shows the monitor active',
    );
    expect((await api<{ id: string; mode: string }[]>('GET', '/api/monitors')).body).toMatchObject([
      {
        id: monitorId,
        mode: 'listen',
        phone: { type: 'agent', agentId: SUPERVISOR_SEAT.id },
        supervisor: { id: SAM.id, name: SAM.name },
      },
    ]);
    // Every supervisor sees every monitor; Sam's own says so.
    expect((await board.textContent(`#monitors li[data-monitor="${monitorId}"] .monitor-text`))?.trim()).toBe(
      `You: Listening to ${AGENT.name} · on ${SUPERVISOR_SEAT.id}`,
    );
    await eventually(
      async () => ((await loudest(supervisorPage, 500)) > 0.02 ? true : undefined),
      'the supervisor hears the agent',
    );
    expect(await loudest(agentPage)).toBeLessThan(0.01);

    // The supervisor's seat may not take calls while its phone listens (a queue would ring that phone).
    const supervisorToken = await rig.api.signIn(SUPERVISOR_SEAT.id, SUPERVISOR_SEAT.password);
    expect(
      await rig.api.request('POST', `/api/agents/${SUPERVISOR_SEAT.id}/login`, { token: supervisorToken }),
    ).toMatchObject({ status: 409, body: { code: 'PHONE_IN_MONITOR' } });
    expect((await rig.agentState(SUPERVISOR_SEAT.id)).type).toBe('logged_out');

    // Whisper: now the agent hears the supervisor.
    await board.click(modeButton(monitorId, 'whisper'));
    await board.waitForSelector(`${modeButton(monitorId, 'whisper')}[aria-pressed="true"]`);
    expect((await api('GET', '/api/monitors')).body).toMatchObject([{ mode: 'whisper', state: 'active' }]);
    await eventually(
      async () => ((await loudest(agentPage, 500)) > 0.02 ? true : undefined),
      'the agent hears the supervisor whisper',
    );
    await new Promise((r) => setTimeout(r, 3000));

    // Barge: the caller hears the supervisor too (checked in the recording below).
    await board.click(modeButton(monitorId, 'barge'));
    await board.waitForSelector(`${modeButton(monitorId, 'barge')}[aria-pressed="true"]`);
    // Meanwhile the agent may not leave the caller alone with the supervisor under hold music.
    expect(await api('POST', `/api/calls/${id}/hold`, undefined, agentToken)).toMatchObject({
      status: 409,
      body: { code: 'SUPERVISOR_BARGING' },
    });
    await new Promise((r) => setTimeout(r, 3500));

    await board.click(`#monitors button[data-monitor="${monitorId}"][data-stop]`);
    await board.waitForSelector('#monitors li.empty');
    expect((await api('GET', '/api/monitors')).body).toEqual([]);
    await waitPage(supervisorPage, (s) => s.call !== 'connected', "the supervisor's phone hung up");
    const note = () => board.evaluate(() => (window as unknown as Wallboard).supervisor.state().monitorsNote);
    expect(await note()).toBe(''); // stopped from this page: nothing to explain

    // A monitor ended elsewhere (here: through the API) is explained on the page, where it is seen.
    await board.click(`#agent-rows tr[data-agent="${AGENT.id}"] button[data-mode="listen"]`);
    const { id: second } = await eventually(
      async () => (await monitors()).find((m) => m.state === 'active' && m.id !== monitorId),
      'a second monitor active',
    );
    expect((await api('DELETE', `/api/monitors/${second}`)).status).toBe(204);
    await eventually(
      async () => ((await note()).startsWith(`Monitoring of ${AGENT.name}`) ? true : undefined),
      'the wallboard to say the monitor ended',
    );
    expect(await board.isVisible('#monitors-note')).toBe(true);
    await waitPage(supervisorPage, (s) => s.call !== 'connected', "the supervisor's phone hung up again");
    expect((await rig.agentState(AGENT.id)).type).toBe('talking'); // the call goes on without them

    await agentPage.click('#hangup');
    expect((await caller).exitCode).toBe(0);
    const call = await rig.closed(id);
    const monitorSteps = call.timeline.filter((e) => e.type === 'supervisor.monitor');
    expect(monitorSteps.map((e) => `${e.payload.step} ${e.payload.mode}`)).toEqual([
      'ringing listen',
      'active listen',
      'mode whisper',
      'mode barge',
      'ended barge',
      'ringing listen',
      'active listen',
      'ended listen',
    ]);
    // Each step on record as Sam's.
    expect(new Set(monitorSteps.map((e) => JSON.stringify(e.payload.supervisor)))).toEqual(
      new Set([JSON.stringify({ id: SAM.id, name: SAM.name })]),
    );

    // The agent is not shown who listened.
    const seenByAgent = await api<{ timeline: { type: string }[] }>(
      'GET',
      `/api/interactions/${id}`,
      undefined,
      agentToken,
    );
    expect(seenByAgent.status).toBe(200);
    expect(seenByAgent.body.timeline.some((e) => e.type === 'supervisor.monitor')).toBe(false);

    // What the caller heard: the supervisor's tone in the barge stretch only, the agent's throughout.
    const file = join(rig.recordingsDir!, `${id}.wav`);
    await eventually(async () => (readWav(file).wellFormed ? true : undefined), 'recording closed');
    const pcm = readPcm(file);
    const at = (step: string) =>
      Date.parse(
        call.timeline.find(
          (e) => e.type === 'supervisor.monitor' && `${e.payload.step} ${e.payload.mode}` === step,
        )!.at,
      );
    const start = Date.parse(call.timeline.find((e) => e.type === 'recording.started')!.at);
    // A stretch less its edges: the file may start a few hundred ms after its step's time on a busy machine,
    // so the end of one stretch would take in the start of the next (the barge heard "while whispering").
    const window = (from: string, to: string) =>
      [(at(from) - start) / 1000 + 0.8, (at(to) - start) / 1000 - 0.8] as const;
    const level = (hz: number, [from, to]: readonly [number, number]) => toneLevel(pcm, hz, from, to);
    const listening = window('active listen', 'mode whisper');
    const whispering = window('mode whisper', 'mode barge');
    const barging = window('mode barge', 'ended barge');
    const levels = {
      supervisor: [
        level(SUPERVISOR_HZ, listening),
        level(SUPERVISOR_HZ, whispering),
        level(SUPERVISOR_HZ, barging),
      ],
      agent: [level(AGENT_HZ, listening), level(AGENT_HZ, whispering), level(AGENT_HZ, barging)],
    };
    const [heardListening, heardWhispering, heardBarging] = levels.supervisor;
    expect(heardBarging, JSON.stringify(levels)).toBeGreaterThan(
      5 * Math.max(heardListening!, heardWhispering!),
    );
    expect(Math.min(...levels.agent), JSON.stringify(levels)).toBeGreaterThan(heardListening! * 20);
  }, 150_000);
});
