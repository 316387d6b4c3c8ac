/**
 * Real parts: Asterisk 22 (sandbox root) with two WebRTC agents whose endpoints end a leg after 5 s without
 * audio (`agentMediaTimeoutSeconds`), the service as its own process, both agent pages in headless Debian
 * Chromium (SIP.js), a SIPp carrier caller that talks (PCMU as RTP). Run inside the test namespace.
 *
 * agent1's page dies in the middle of a call (closed without a BYE, as a crash or a lost laptop does): the
 * caller must not be hung up on nor left with dead air, but go back to the front of the queue and reach
 * agent2, with media, on the same interaction and recording; agent1 is set not ready (connection_lost).
 * The same holds for an agent who took the call by a blind transfer: agent2's page dies after agent1
 * transferred the caller to it, and the caller goes back to the queue and on to agent1. And for an agent
 * who dies while consulting: the consultation ends (agent2 is freed) and the caller is re-queued, to agent2;
 * likewise in a 3-way conference.
 *
 * The caller's side lost instead (the carrier trunk's media timeout, 6 s here; a SIPp caller whose line
 * sends no audio): agent1's page says the caller's line was lost, in the call panel and in the wrap-up.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioSeconds, waitForCallState, waitForMedia } from '../harness/browser.js';
import { eventually } from '../harness/service.js';
import { runSipp } from '../harness/sipp.js';
import { readWav } from '../harness/wav.js';
import { selectAgentTarget, type TalkingCaller, talkingCaller, waitPage } from './seat-harness.js';
import {
  oneReadyOneOnBreak,
  type SeatInteraction,
  type SeatRig,
  seatAgent,
  startSeatRig,
} from './seat-rig.js';

const SUPERVISOR = 'seat-lost-supervisor';
const A1 = seatAgent(1);
const A2 = seatAgent(2);
const SETTINGS = {
  supervisorToken: SUPERVISOR,
  queues: [
    { id: 'support', name: 'Support', strategy: 'longest_idle', ringTimeoutSeconds: 15, wrapUpSeconds: 30 },
  ],
  agents: [A1, A2],
  routes: [{ dialed: '500', queue: 'support' }],
};

const CALLER_MEDIA_TIMEOUT_SECONDS = 6;
let rig: SeatRig;
let p1: Page;
let p2: Page;
const callers: TalkingCaller[] = [];

beforeAll(async () => {
  rig = await startSeatRig('seat-agent-lost', SETTINGS, {
    recordings: true,
    // 5 s, not less: a conference party's page on a loaded 2-core machine took about 3 s to send its first
    // audio once, and its leg was taken for lost too.
    // The callers here talk all along (their audio loops), so only the silent one below meets the trunk's.
    asterisk: { agentMediaTimeoutSeconds: 5, trunkMediaTimeoutSeconds: CALLER_MEDIA_TIMEOUT_SECONDS },
  });
  p1 = await rig.openSeatPage(A1, { autoAnswer: true });
  p2 = await rig.openSeatPage(A2, { autoAnswer: true });
  // agent2 on a break, so the call goes to agent1.
  await oneReadyOneOnBreak(rig, { page: p1, agent: A1 }, { page: p2, agent: A2 });
});

afterAll(async () => {
  // The service's log, for a failure's post-mortem.
  if (rig) writeFileSync(join(tmpdir(), 'seat-agent-lost-service.log'), rig.service.output());
  for (const caller of callers) caller.stop();
  await rig?.stop();
});

/** Waits for agent1's page to be connected and talking; the call's interaction id. */
async function talkingOn(page: Page): Promise<string> {
  await waitForCallState(page, 'connected', 20_000);
  const s = await waitPage(page, (x) => x.seat.type === 'talking' && x.interactionId !== '', 'agent talking');
  return s.seat.interactionId;
}

/** A new caller rings agent1's page, which agent1 answers by hand; the call's interaction id. */
async function answeredByAgent1(number: string): Promise<string> {
  callers.push(talkingCaller({ number, dialed: '500' }));
  await waitForCallState(p1, 'ringing', 20_000);
  await p1.keyboard.press('a');
  return talkingOn(p1);
}

type Row = Awaited<ReturnType<SeatRig['interaction']>>;
const offersOf = (row: Row) =>
  row.timeline.filter((e) => e.type === 'acd.offered').map((e) => e.payload.agentIds);

/** Agent1's page has died mid-call: the caller is offered again (to agent2). */
async function offeredAgain(id: string): Promise<Row> {
  const row = await eventually(
    async () => {
      const r = await rig.interaction(id);
      return offersOf(r).length === 2 ? r : undefined;
    },
    'the caller offered again',
    20_000,
  );
  expect(offersOf(row)).toEqual([[A1.id], [A2.id]]);
  expect(row.timeline.find((e) => e.type === 'acd.agent.lost')?.payload).toMatchObject({ agentId: A1.id });
  return row;
}

/** Agent2 talks with the re-queued caller (with media) and hangs up; agent1 stays not ready. */
async function agent2Finishes(id: string): Promise<void> {
  await waitPage(
    p2,
    (x) => x.seat.type === 'talking' && x.call === 'connected',
    'agent2 talking to the caller',
  );
  await waitForMedia(p2, { minGrowth: 25 });
  expect(await rig.agentState(A1.id)).toMatchObject({ type: 'not_ready', reason: 'connection_lost' });
  await p2.keyboard.press('h');
  const done = await rig.closed(id);
  expect(done).toMatchObject({ agentId: A2.id, disposition: 'handled' });
}

describe("an agent's phone lost mid-call", () => {
  it('puts the caller back at the front of the queue to the next agent, and agent1 not ready', async () => {
    callers.push(talkingCaller({ number: '+15557770001', dialed: '500' }));
    const id = await talkingOn(p1);
    await waitForMedia(p1, { minGrowth: 25 });
    const token2 = await rig.api.signIn(A2.id, A2.password);
    await rig.api.seat(A2.id, token2, 'ready');

    // The page dies: no BYE, no unregister; its audio stops.
    await p1.close();
    // Asterisk ends the silent leg after 5 s; the caller is offered to agent2, whose page answers.
    await waitForCallState(p2, 'connected', 20_000);
    await waitPage(p2, (x) => x.seat.type === 'talking' && x.interactionId === id, 'agent2 talking');
    await waitForMedia(p2, { minGrowth: 25 });

    const row = await rig.interaction(id);
    expect(row.state).toBe('open');
    expect(row.agentId).toBe(A2.id);
    const lost = row.timeline.find((e) => e.type === 'acd.agent.lost');
    expect(lost?.payload).toMatchObject({ agentId: A1.id, queueId: 'support' });
    expect(row.timeline.filter((e) => e.type === 'acd.offered').map((e) => e.payload.agentIds)).toEqual([
      [A1.id],
      [A2.id],
    ]);
    // The wait reported at the second answer is the caller's waiting only: the first conversation (agent1's
    // media, then Asterisk's 5 s media timeout) is left out. That timeout runs from agent1's last packet,
    // which can come a little before the connect was written (2.99 s of a 3 s timeout seen on a loaded
    // machine): counting it in would make the wait ~5 s longer, which the half second allowed here cannot hide.
    const connected = row.timeline.filter((e) => e.type === 'acd.connected');
    const enqueued = Date.parse(row.timeline.find((e) => e.type === 'acd.enqueued')!.at);
    const [first, second] = connected.map((e) => ({
      at: Date.parse(e.at),
      wait: Number(e.payload.waitSeconds),
    }));
    expect(second!.wait).toBeGreaterThanOrEqual(first!.wait);
    expect(second!.wait).toBeLessThan((second!.at - enqueued) / 1000 - 4.5);
    expect((row as SeatInteraction & { waitSeconds: number }).waitSeconds).toBe(second!.wait);
    // agent1: not ready with the system's reason, no wrap-up to sit through.
    expect(await rig.agentState(A1.id)).toMatchObject({ type: 'not_ready', reason: 'connection_lost' });
    // agent1 comes back on a new page: it says why they are not ready, and they can make themselves ready.
    p1 = await rig.openSeatPage(A1);
    await waitPage(p1, (x) => x.seat.type === 'not_ready', 'agent1 back, not ready');
    await expect(p1.textContent('#seat-reason')).resolves.toBe('Phone lost during a call');
    await p1.keyboard.press('r');
    await waitPage(p1, (x) => x.seat.type === 'available', 'agent1 ready again');

    // The caller talks to agent2 until they hang up; one recording holds both conversations.
    await p2.keyboard.press('h');
    const done = await rig.closed(id);
    expect(done).toMatchObject({ agentId: A2.id, disposition: 'handled', recording: `${id}.wav` });
    const file = join(rig.recordingsDir!, `${id}.wav`);
    const wav = await eventually(async () => {
      const w = readWav(file);
      return w.wellFormed ? w : undefined;
    }, 'the recording closed');
    expect(wav.seconds).toBeGreaterThan(3);
  });

  it('does the same for an agent who took the call by a blind transfer', async () => {
    await waitPage(p1, (x) => x.seat.type === 'available', 'agent1 available');
    // agent1's new page does not answer by itself.
    const id = await answeredByAgent1('+15557770002');
    // agent2 ends the first call's wrap-up and takes the transfer.
    await p2.keyboard.press('d');
    await waitPage(p2, (x) => x.seat.type === 'available', 'agent2 available');
    await selectAgentTarget(p1, A2.id);
    await p1.click('#transfer');
    await waitForCallState(p2, 'connected', 20_000);
    await waitPage(p2, (x) => x.seat.type === 'talking' && x.interactionId === id, 'agent2 talking');
    await waitForMedia(p2, { minGrowth: 25 });
    expect(await rig.agentState(A1.id)).toMatchObject({ type: 'wrap_up' });

    await p2.close();
    // The caller is back in the queue (agent1 is in wrap-up, nobody else is ready) and still on the line.
    // The re-queue follows the lost event once the seat's own legs are cleared: wait for both.
    const lost = await eventually(
      async () => {
        const row = await rig.interaction(id);
        const requeued = row.timeline.filter((e) => e.type === 'acd.enqueued').length === 2;
        return requeued && row.timeline.some((e) => e.type === 'acd.agent.lost') ? row : undefined;
      },
      'the lost agent and the re-queue on the timeline',
      20_000,
    );
    expect(lost.state).toBe('open');
    expect(lost.timeline.find((e) => e.type === 'acd.agent.lost')?.payload).toMatchObject({
      agentId: A2.id,
      queueId: 'support',
    });
    expect(lost.timeline.filter((e) => e.type === 'acd.enqueued')).toHaveLength(2);
    expect(await rig.agentState(A2.id)).toMatchObject({ type: 'not_ready', reason: 'connection_lost' });

    // agent1 ends the wrap-up and gets the caller again.
    await p1.keyboard.press('d');
    await waitForCallState(p1, 'ringing', 20_000);
    await p1.keyboard.press('a');
    await waitForCallState(p1, 'connected', 20_000);
    await waitPage(p1, (x) => x.seat.type === 'talking' && x.interactionId === id, 'agent1 talking again');
    await waitForMedia(p1, { minGrowth: 25 });
    await p1.keyboard.press('h');
    const done = await rig.closed(id);
    expect(done).toMatchObject({ agentId: A1.id, disposition: 'handled' });
  });

  it('ends the consultation of an agent whose phone is lost, and re-queues the caller', async () => {
    p2 = await rig.openSeatPage(A2, { autoAnswer: true });
    await waitPage(p2, (x) => x.seat.type === 'not_ready', 'agent2 back, not ready');
    await p1.keyboard.press('d');
    await waitPage(p1, (x) => x.seat.type === 'available', 'agent1 available');
    const id = await answeredByAgent1('+15557770003');
    await p2.keyboard.press('r');
    await waitPage(p2, (x) => x.seat.type === 'available', 'agent2 ready');
    await selectAgentTarget(p1, A2.id);
    await p1.click('#consult');
    await waitForCallState(p2, 'connected', 20_000);
    await waitPage(p1, (x) => x.consult?.state === 'connected', 'consulting agent2');

    await p1.close();
    // The consultation ends with agent1's leg; the caller is offered again, and agent2 is free to take it.
    const row = await offeredAgain(id);
    const consultSteps = row.timeline
      .filter((e) => e.type === 'call.transferred')
      .map((e) => [e.payload.step, e.payload.reason]);
    expect(consultSteps).toContainEqual(['failed', "the consulting agent's phone was lost"]);
    // The caller was on hold during the consultation: that hold ends in the books when they leave it.
    const resumed = row.timeline.find((e) => e.type === 'call.resumed');
    expect(resumed?.payload).toMatchObject({ agentId: A1.id });
    expect(Number(resumed?.payload.heldSeconds)).toBeGreaterThan(0);
    await agent2Finishes(id);
  });

  it('hangs up the conference party of an agent whose phone is lost, and re-queues the caller', async () => {
    p1 = await rig.openSeatPage(A1, { autoAnswer: true });
    await waitPage(p1, (x) => x.seat.type === 'not_ready', 'agent1 back, not ready');
    await p1.keyboard.press('r');
    await waitPage(p1, (x) => x.seat.type === 'available', 'agent1 available');
    callers.push(talkingCaller({ number: '+15557770004', dialed: '500' }));
    const id = await talkingOn(p1);
    await p2.keyboard.press('d');
    await waitPage(p2, (x) => x.seat.type === 'available', 'agent2 available');
    await selectAgentTarget(p1, A2.id);
    await p1.click('#conference');
    await waitPage(p1, (x) => x.parties.some((p) => p.state === 'joined'), 'agent2 joined', 20_000);
    await waitForCallState(p2, 'connected', 20_000);

    await p1.close();
    const row = await offeredAgain(id);
    const steps = row.timeline
      .filter((e) => e.type === 'call.conference')
      .map((e) => [e.payload.step, e.payload.reason]);
    expect(steps).toContainEqual(['dropped', "the agent's phone was lost"]);
    await agent2Finishes(id);
  });
});

describe("the caller's line lost mid-call", () => {
  it("tells the agent's page the caller's line was lost, in the call panel and the wrap-up", async () => {
    p1 = await rig.openSeatPage(A1, { autoAnswer: true });
    await waitPage(p1, (x) => x.seat.type === 'not_ready', 'agent1 back, not ready');
    await p2.keyboard.press('d');
    await waitPage(p2, (x) => x.seat.type === 'available', 'agent2 done with the last call');
    await rig.api.seat(A2.id, await rig.api.signIn(A2.id, A2.password), 'not-ready', { reason: 'break' });
    await p1.keyboard.press('r');
    await waitPage(p1, (x) => x.seat.type === 'available', 'agent1 available');
    // Answered by the service and at once by agent1's page; then no sound from the caller's side.
    const silent = runSipp({ scenario: 'caller-waits', callers: ['+15557770005'], dialed: '500' });
    const id = await talkingOn(p1);
    const ended = await waitPage(
      p1,
      (x) => x.callEnd !== '',
      "the caller's line hung up by Asterisk",
      (CALLER_MEDIA_TIMEOUT_SECONDS + 15) * 1000,
    );
    const words = "The caller's line was lost: no sound came from it";
    expect(ended.callEnd).toBe(words);
    await waitPage(p1, (x) => x.seat.type === 'wrap_up', 'agent1 wrapping up');
    await expect(p1.textContent('#wrap-ended')).resolves.toBe(words);
    // The caller's SIPp took Asterisk's BYE: the end came from the far side, not from SIPp.
    expect(await silent).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const row = await rig.closed(id);
    expect(row).toMatchObject({ agentId: A1.id, disposition: 'handled', endedBy: 'caller' });
    expect(row.timeline.find((e) => e.type === 'call.hangup')?.payload).toMatchObject({ lineLost: true });
    // On agent1's calls today too, with its recording to play from there.
    await p1.click('#my-calls summary');
    const listed = await waitPage(p1, (x) => x.myCalls.some((c) => c.id === id), "the call on agent1's list");
    expect(listed.myCalls.find((c) => c.id === id)?.what).toMatch(/^In · 0:\d\d · Caller's line lost$/);
    const item = `#my-calls-list li[data-id="${id}"]`;
    await p1.click(`${item} .my-call-play`);
    expect(await audioSeconds(p1, `${item} audio`)).toBeGreaterThan(1);
  });
});
