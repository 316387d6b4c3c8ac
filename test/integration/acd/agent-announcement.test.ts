/**
 * Real parts: Asterisk 22 (sandbox root, its own sounds), the service as its own process, SIPp UAS desk
 * phones as the agents' devices and SIPp callers on the carrier trunk. A queue's `agentAnnouncement` is
 * played to the agent who answers before the caller is put through; an agent who hangs up during it sends
 * the caller back to the front of the line; a restart of the service during it still puts the caller through
 * (the agent comes back available, and is offered the caller afresh). A queue's own sounds (`announce.sounds`) are what its waiting
 * callers hear every N seconds. The announcement starts with a sound of the contact center's own
 * (`customSoundsDir`, played as `custom/<name>`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHoldMusic } from '../../../scripts/sandbox/moh.js';
import { eventually, TEST_SECRET } from '../harness/service.js';
import { interactionsOf, runIvrCaller } from '../ivr/ivr-harness.js';
import { runSipp } from '../harness/sipp.js';
import { callUntilAgentHangsUp, closedCallOf, type DeskRig, deskAgent, startDeskRig } from './desk-rig.js';

/** The contact center's own `sales` (a 2 s WAV written below), then Asterisk's agent-newlocation (3.3 s). */
const ANNOUNCEMENT = ['custom/sales', 'agent-newlocation'];
const ANNOUNCEMENT_SECONDS = 5.3;
/** "Hold time: zero seconds": queue-reporthold (1.1 s), digits/0 (0.9 s), queue-seconds (1.1 s). */
const WAIT_SECONDS_SAID = 3.1;
const customSounds = mkdtempSync(join(tmpdir(), 'cc-sounds-'));
const SALES = {
  id: 'sales',
  name: 'Sales',
  strategy: 'linear',
  wrapUpSeconds: 5,
  agentAnnouncement: ANNOUNCEMENT,
  // Then "hold time: N seconds" (the caller's wait, in numbers Asterisk says).
  agentAnnouncementWait: true,
};
/** Nobody takes its calls: its callers wait, hearing the periodic message alone (no position). */
const NOTICE = {
  id: 'notice',
  name: 'Notice',
  strategy: 'linear',
  announce: { everySeconds: 2, position: false, estimatedWait: false, sounds: ['beep'] },
};
const SETTINGS = {
  supervisorToken: TEST_SECRET,
  queues: [SALES, NOTICE],
  // Linear: quick first whenever quick is free.
  agents: [deskAgent('quick', 5351, 'sales', 1), deskAgent('bob', 5352, 'sales', 2)],
  routes: [
    { dialed: '610', queue: 'sales' },
    { dialed: '611', queue: 'notice' },
  ],
};

let rig: DeskRig;

beforeAll(async () => {
  writeHoldMusic(join(customSounds, 'sales.wav'), 2);
  // quick's phone answers and hangs up 1 s later, in the middle of the announcement; bob's talks 11 s.
  rig = await startDeskRig(
    'agent-announcement',
    SETTINGS,
    { quick: 1000, bob: 11_000 },
    { customSoundsDir: customSounds },
  );
});

afterAll(async () => {
  await rig?.stop();
});

/** A caller to the sales queue who stays on until the service hangs up (their agent did): the closed call. */
async function callSalesUntilAgentHangsUp(caller: string) {
  const call = await callUntilAgentHangsUp(rig.service, caller, '610', 50);
  expect(call).toMatchObject({ disposition: 'handled', endedBy: 'agent' });
  return call;
}

/** The agent's seat state now, as the service has it. */
const stateOf = async (agentId: string) => (await rig.api.agentState(agentId, rig.tokens[agentId]!)).type;

const secondsBetween = (a: { at: string } | undefined, b: { at: string } | undefined) =>
  (Date.parse(b?.at ?? '') - Date.parse(a?.at ?? '')) / 1000;

describe("the queue's announcement to the agent", () => {
  it('plays to the agent who answered before the caller is put through, and is no part of the talk time', async () => {
    await rig.api.seat('bob', rig.tokens.bob!, 'login');
    const call = await callSalesUntilAgentHangsUp('+15550161001');
    const types = call.timeline.map((e) => e.type);
    const offered = call.timeline.find((e) => e.type === 'acd.offered');
    const announced = call.timeline.find((e) => e.type === 'acd.agent.announced');
    const connected = call.timeline.find((e) => e.type === 'acd.connected');
    expect(announced?.payload).toEqual({
      queueId: 'sales',
      agentId: 'bob',
      sounds: ANNOUNCEMENT,
      waitSeconds: 0, // bob's phone answered at once
      outcome: 'played',
    });
    expect(types.indexOf('acd.offered')).toBeLessThan(types.indexOf('acd.agent.announced'));
    expect(types.indexOf('acd.agent.announced')).toBeLessThan(types.indexOf('acd.connected'));
    // Asterisk told its end only once it had played the sounds (and "hold time: zero seconds") through on
    // bob's answered leg.
    expect(secondsBetween(offered, announced)).toBeGreaterThan(
      ANNOUNCEMENT_SECONDS + WAIT_SECONDS_SAID - 0.5,
    );
    expect(secondsBetween(announced, connected)).toBeGreaterThanOrEqual(0);
    expect(secondsBetween(announced, connected)).toBeLessThan(1);
    // bob's phone hung up 11 s after answering: what the announcement left of it was the conversation.
    const talk = (call as unknown as { talkSeconds: number }).talkSeconds;
    const left = 11 - secondsBetween(offered, connected);
    expect(talk).toBeGreaterThan(left - 1);
    expect(talk).toBeLessThan(left + 1);
  });

  it('an agent hanging up during it sends the caller back to the front, to the next agent', async () => {
    await rig.api.seat('quick', rig.tokens.quick!, 'login');
    // bob is in wrap-up after the first call: quick, first in the line's order, is offered the caller.
    const call = await callSalesUntilAgentHangsUp('+15550161002');
    const offers = call.timeline.filter((e) => e.type === 'acd.offered').map((e) => e.payload.agentIds);
    expect(offers).toEqual([['quick'], ['bob']]);
    const requeued = call.timeline.find((e) => e.type === 'acd.requeued');
    expect(requeued?.payload).toEqual({
      queueId: 'sales',
      position: 1,
      agentId: 'quick',
      reason: 'the agent hung up during the announcement',
    });
    const enqueued = call.timeline.filter((e) => e.type === 'acd.enqueued').map((e) => e.payload.front);
    expect(enqueued).toEqual([undefined, true]); // back at the front of the line
    // Only bob heard it through; quick was never bridged to the caller.
    expect(
      call.timeline
        .filter((e) => e.type === 'acd.agent.announced')
        .map((e) => [e.payload.agentId, e.payload.outcome]),
    ).toEqual([['bob', 'played']]);
    expect(call.timeline.filter((e) => e.type === 'acd.connected').map((e) => e.payload.agentId)).toEqual([
      'bob',
    ]);
  });

  it("plays a queue's own sounds to its waiting callers every N seconds, each heard to its end", async () => {
    const caller = '+15550161003';
    await runSipp({ scenario: 'caller-hangs-up', dialed: '611', callers: [caller], pauseMs: 5000 });
    const call = await closedCallOf(rig.service, caller);
    expect(call.disposition).toBe('abandoned');
    const announced = call.timeline.filter((e) => e.type === 'acd.announced').map((e) => e.payload);
    expect(announced.length).toBeGreaterThanOrEqual(2);
    for (const payload of announced)
      expect(payload).toMatchObject({
        queueId: 'notice',
        positionSaid: false,
        waitSaid: false,
        sounds: ['beep'],
      });
    const prompts = call.timeline.filter((e) => e.type === 'ivr.prompt.started').map((e) => e.payload.media);
    expect(prompts.slice(0, 2)).toEqual([['sound:beep'], ['sound:beep']]);
    // Each one heard to its end (Asterisk's own sounds).
    const finished = call.timeline
      .filter((e) => e.type === 'ivr.prompt.finished')
      .map((e) => e.payload.outcome);
    expect(finished.slice(0, 2)).toEqual(['done', 'done']);
  });

  it("refuses a queue edit naming a sound Asterisk does not have, and keeps the queue's announcement", async () => {
    const put = (agentAnnouncement: string[]) =>
      rig.api.request<{ code: string; issues: { code: string; path: string }[] }>(
        'PUT',
        '/api/queues/sales',
        {
          token: TEST_SECRET,
          body: { ...SALES, agentAnnouncement },
        },
      );
    const typo = await put(['custom/salse']);
    expect(typo.status).toBe(400);
    expect(typo.body.issues).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_SOUND', path: 'queues[sales].agentAnnouncement[0]' }),
    ]);
    const kept = await rig.api.request<{ agentAnnouncement: string[] }>('GET', '/api/queues/sales', {
      token: TEST_SECRET,
    });
    expect(kept.body.agentAnnouncement).toEqual(ANNOUNCEMENT);
    // A file added to the folder while everything runs is found at once.
    writeHoldMusic(join(customSounds, 'salse.wav'), 1);
    expect((await put(['custom/salse'])).status).toBe(200);
  });
  it('a restart of the service during it: the caller is put through all the same, and nothing is left open', async () => {
    // bob alone in the line (standing alone too: whoever the tests before left logged in).
    if ((await stateOf('quick')) !== 'logged_out') await rig.api.seat('quick', rig.tokens.quick!, 'logout');
    if ((await stateOf('bob')) === 'logged_out') await rig.api.seat('bob', rig.tokens.bob!, 'login');
    await eventually(
      async () => ((await stateOf('bob')) === 'available' ? true : undefined),
      'bob ready after his wrap-up',
    );
    const caller = '+15550161009';
    const run = runIvrCaller({
      scenario: 'ivr-caller',
      caller,
      dialed: '610',
      actions: [],
      timeoutSeconds: 90,
    });
    // bob's phone answered and hears the announcement (5.3 s and the wait said): the service stops meanwhile.
    await eventually(async () => {
      const [call] = await interactionsOf(rig.service.baseUrl, caller);
      return call?.timeline.some((e) => e.type === 'acd.offered') ? true : undefined;
    }, 'the caller offered to bob');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await rig.restart();
    const done = await run;
    expect(done.successful, `SIPp: ${done.stderr}`).toBe(1);
    const call = await closedCallOf(rig.service, caller);
    expect(call).toMatchObject({ disposition: 'handled' });
    const types = call.timeline.map((e) => e.type);
    expect(types).toContain('call.adopted');
    expect(call.timeline.filter((e) => e.type === 'acd.connected').map((e) => e.payload.agentId)).toEqual([
      'bob',
    ]);
    // Nothing of it left open, and bob free again for the next call.
    const open = await rig.api.request<{ items: unknown[] }>('GET', '/api/interactions?state=open', {
      token: TEST_SECRET,
    });
    expect(open.body.items).toEqual([]);
    await eventually(
      async () => ((await stateOf('bob')) === 'available' ? true : undefined),
      'bob ready again',
    );
  });
});
