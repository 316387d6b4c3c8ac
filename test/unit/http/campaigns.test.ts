/**
 * Outbound campaigns over the API (the real app, ACD, campaign dialer and log; fake Asterisk): made with a
 * list (a bad line refuses it, barred and repeated numbers skipped with why), paced one call per free agent
 * as callback requests of the queue ranked after inbound work, paused, resumed, stopped (what was not called
 * cancelled), contacts added; outcomes as the requests close; supervisors only, in the change log.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamEvent } from '../../../src/events/event-hub.js';
import { mayReceive } from '../../../src/http/plugins/events/index.js';
import pino from 'pino';
import { CONTACTS_PER_REQUEST } from '../../../src/acd/campaigns.js';
import { CampaignDialer } from '../../../src/calls/acd/campaign-dialer.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
let told: StreamEvent[];
beforeEach(async () => {
  api = await buildApi();
  told = [];
  api.hub.subscribe((event) => {
    if (event.type === 'campaign.changed') told.push(event);
  });
});
afterEach(async () => {
  await api.app.close();
});

const sup = () => api.as(SUPERVISOR);
const post = (url: string, payload?: object, headers = sup()) =>
  api.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
const get = (url: string) => api.app.inject({ method: 'GET', url, headers: sup() });
const contactsOf = async (id: string, state?: string) =>
  (await get(`/api/campaigns/${id}/contacts${state ? `?state=${state}` : ''}`)).json().items as {
    seq: number;
    number: string;
    state: string;
    reason: string | null;
    interactionId: string | null;
  }[];
const ready = (agentId: string) => {
  api.acd.input({ type: 'agent', agentId, input: { type: 'login', endpoint: `PJSIP/${agentId}` } });
  api.acd.input({ type: 'agent', agentId, input: { type: 'ready' } });
};
const LIST = [
  { number: '+15550100', name: 'Ann Able', note: 'renewal due 12/31' },
  { number: '+15550200', name: 'Bob Best' },
  { number: '+15550300', name: 'Cy Cole' },
];

describe('outbound campaigns', () => {
  it('refuses what is not a campaign, with the reason, and adds nothing', async () => {
    const agent = await post(
      '/api/campaigns',
      { id: 'c', name: 'C', queueId: 'sales', contacts: LIST },
      {
        authorization: `Bearer ${api.tokenOf('agent1')}`,
      },
    );
    expect(agent.statusCode).toBe(403);
    const bad = await post('/api/campaigns', {
      id: 'c',
      name: 'C',
      queueId: 'sales',
      contacts: [...LIST, { number: 'ring me' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'INVALID_CONTACTS',
      message: 'nothing was added: contacts.3.number: "ring me" is not a phone number',
    });
    expect((await get('/api/campaigns/c')).statusCode).toBe(404);
    const noQueue = await post('/api/campaigns', { id: 'c', name: 'C', queueId: 'nope', contacts: LIST });
    expect(noQueue.json()).toMatchObject({ code: 'QUEUE_NOT_FOUND' });
    const noList = await post('/api/campaigns', { id: 'c', name: 'C', queueId: 'sales', contacts: [] });
    expect(noList.statusCode).toBe(400);
    expect((await get('/api/campaigns')).json()).toEqual({ items: [] });
  });

  it("calls one contact per free agent, in line as the queue's; pauses, resumes and stops", async () => {
    // A customer who asked not to be called is skipped; one listed twice too.
    expect((await post('/api/do-not-call', { number: '+15550200' })).statusCode).toBe(201);
    const made = await post('/api/campaigns', {
      id: 'renewals',
      name: 'Renewals',
      queueId: 'sales',
      contacts: [...LIST, { number: '+15550100', name: 'Ann twice' }],
    });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({
      id: 'renewals',
      status: 'running',
      finished: false,
      counts: { pending: 2, skipped: 2, booked: 0 },
    });
    expect((await contactsOf('renewals', 'skipped')).map((c) => [c.seq, c.reason])).toEqual([
      [2, expect.stringMatching(/^may not be called: .*do-not-call/)],
      [4, 'the number is in this campaign already'],
    ]);
    // Nobody is free: nothing is booked.
    await new Promise((r) => setTimeout(r, 20));
    expect((await contactsOf('renewals', 'booked')).length).toBe(0);

    // agent1 is free: one call is booked, the first contact, as a callback request of the queue.
    ready('agent1');
    await vi.waitFor(async () => expect((await contactsOf('renewals', 'booked')).length).toBe(1));
    const [first] = await contactsOf('renewals', 'booked');
    expect(first).toMatchObject({ seq: 1, number: '+15550100' });
    const line = (await get('/api/queues/sales/line')).json();
    expect(line.places).toEqual([
      expect.objectContaining({
        interactionId: first!.interactionId,
        callerName: 'Ann Able', // the name on the request (the line was blank for one)
        callback: expect.objectContaining({ campaign: true }),
      }),
    ]);
    // Its request says who asked and what for, as the agent's screen pop shows it.
    const timeline = (await get(`/api/interactions/${first!.interactionId}`)).json().timeline as {
      type: string;
      payload: Record<string, unknown>;
    }[];
    expect(timeline.find((e) => e.type === 'acd.callback')?.payload).toMatchObject({
      step: 'requested',
      by: { campaign: { id: 'renewals', name: 'Renewals' } },
      note: 'Renewals: renewal due 12/31',
    });
    // Still one: the booked call is the work for that one free agent.
    await new Promise((r) => setTimeout(r, 20));
    expect((await get('/api/campaigns/renewals')).json().counts).toMatchObject({ booked: 1, pending: 1 });

    // Paused: the next agent who frees up gets nothing new; resumed, they do.
    expect((await post('/api/campaigns/renewals/pause')).json()).toMatchObject({ status: 'paused' });
    expect((await post('/api/campaigns/renewals/pause')).json()).toMatchObject({
      code: 'CAMPAIGN_NOT_RUNNING',
    });
    ready('agent2');
    await new Promise((r) => setTimeout(r, 20));
    expect((await get('/api/campaigns/renewals')).json().counts).toMatchObject({ booked: 1, pending: 1 });
    expect((await post('/api/campaigns/renewals/resume')).json()).toMatchObject({ status: 'running' });
    await vi.waitFor(async () =>
      expect((await get('/api/campaigns/renewals')).json().counts).toMatchObject({ booked: 2, pending: 0 }),
    );

    // Stopped: the calls in line not dialling yet are cancelled, and say so.
    const stopped = await post('/api/campaigns/renewals/stop');
    expect(stopped.json()).toMatchObject({ status: 'stopped', finished: true });
    await vi.waitFor(async () =>
      expect((await get('/api/campaigns/renewals')).json().counts).toMatchObject({
        booked: 0,
        cancelled: 2,
        skipped: 2,
      }),
    );
    expect((await contactsOf('renewals', 'cancelled')).map((c) => c.reason)).toEqual([
      'the campaign was stopped',
      'the campaign was stopped',
    ]);
    expect((await post('/api/campaigns/renewals/resume')).json()).toMatchObject({ code: 'CAMPAIGN_STOPPED' });
    expect(
      (await post('/api/campaigns/renewals/contacts', { contacts: [{ number: '+15550400' }] })).json(),
    ).toMatchObject({ code: 'CAMPAIGN_STOPPED' });
    expect(api.acd.router.waiting(Date.now(), 'sales')).toEqual([]);

    // Supervisors were told at each change; an agent is not (whom a campaign calls is theirs).
    expect(told.length).toBeGreaterThanOrEqual(5);
    expect(mayReceive({ role: 'supervisor' }, told[0]!)).toBe(true);
    expect(mayReceive({ role: 'agent', agentId: 'agent1' }, told[0]!)).toBe(false);
    const changes = (await get('/api/changes')).json().changes.map((c: { action: string }) => c.action);
    expect(changes).toEqual(
      expect.arrayContaining(['campaign.created', 'campaign.paused', 'campaign.resumed', 'campaign.stopped']),
    );
  });

  it('gives a contact its outcome as its request closes, and takes more contacts after', async () => {
    ready('agent1');
    await post('/api/campaigns', {
      id: 'win-back',
      name: 'Win back',
      queueId: 'sales',
      contacts: [LIST[0]!],
    });
    await vi.waitFor(async () => expect((await contactsOf('win-back', 'booked')).length).toBe(1));
    const [booked] = await contactsOf('win-back', 'booked');
    // A supervisor cancels that callback by hand: the contact is cancelled, the campaign finished.
    const cancel = await api.app.inject({
      method: 'DELETE',
      url: `/api/interactions/${booked!.interactionId}/callback`,
      headers: sup(),
    });
    expect(cancel.statusCode).toBe(200);
    await vi.waitFor(async () =>
      expect((await get('/api/campaigns/win-back')).json()).toMatchObject({
        finished: true,
        counts: { cancelled: 1, booked: 0 },
      }),
    );
    // More contacts: the repeated number is skipped, the new one called, the campaign open again.
    const added = await post('/api/campaigns/win-back/contacts', {
      contacts: [{ number: '+15550100' }, { number: '+15550500', name: 'Dunn, Dee' }],
    });
    expect(added.statusCode).toBe(200);
    expect(added.json().counts).toMatchObject({ skipped: 1 });
    await vi.waitFor(async () => expect((await contactsOf('win-back', 'booked')).length).toBe(1));
    const all = await contactsOf('win-back');
    expect(all.map((c) => [c.seq, c.number, c.state])).toEqual([
      [1, '+15550100', 'cancelled'],
      [2, '+15550100', 'skipped'],
      [3, '+15550500', 'booked'],
    ]);
    expect((await get('/api/campaigns/win-back')).json().finished).toBe(false);

    // The results as a spreadsheet file: every contact, one line each, its conversation's fields as columns.
    const csv = await get('/api/campaigns/win-back/contacts?format=csv&limit=1');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="campaign-win-back.csv"');
    const [header, ...lines] = csv.body.trimEnd().split('\r\n');
    expect(header).toBe(
      'seq,number,name,note,state,reason,interactionId,bookedAt,closedAt,conversationId,agentId,wrapUpCode',
    );
    expect(lines).toHaveLength(3); // limit does not apply to the file
    const cells = lines.map((line) => line.split(','));
    expect(cells[0]!.slice(0, 6)).toEqual([
      '1',
      '+15550100',
      'Ann Able',
      'renewal due 12/31',
      'cancelled',
      all[0]!.reason ?? '',
    ]);
    expect(cells[0]![6]).toBe(booked!.interactionId);
    expect(cells[0]!.slice(9)).toEqual(['', '', '']); // never reached: no conversation
    expect(lines[2]).toMatch(/^3,\+15550500,"Dunn, Dee",,booked,/);
    const skipped = await get('/api/campaigns/win-back/contacts?format=csv&state=skipped');
    expect(skipped.headers['content-disposition']).toContain('campaign-win-back-skipped.csv');
    const skippedLines = skipped.body.trimEnd().split('\r\n').slice(1);
    expect(skippedLines).toHaveLength(1);
    expect(skippedLines[0]).toMatch(/^2,\+15550100,,,skipped,/);
  });

  it('says what its calls came to: conversations and talk time, by wrap-up code and by agent', async () => {
    expect((await get('/api/campaigns/nope/figures')).statusCode).toBe(404);
    ready('agent1');
    ready('agent2');
    await post('/api/campaigns', { id: 'renewals', name: 'Renewals', queueId: 'sales', contacts: LIST });
    await vi.waitFor(async () => expect((await contactsOf('renewals', 'booked')).length).toBe(2));
    const { byDay: none, ...before } = (await get('/api/campaigns/renewals/figures')).json();
    expect(none.every((d: { attempts: number; conversations: number }) => d.conversations === 0)).toBe(true);
    expect(before).toEqual({
      campaignId: 'renewals',
      conversations: 0,
      talkSeconds: 0,
      byWrapUpCode: [],
      byAgent: [],
      answers: { people: 0, machines: 0, unsure: 0, messagesLeft: 0 },
    });
    // The customers answered: two conversations ended (a sale by agent1, none given by agent2), one goes on.
    const [ann, bob] = await contactsOf('renewals', 'booked');
    const start = Date.now() - 300_000;
    const conversation = async (
      request: string,
      agentId: string,
      ended?: { talk: number; code?: string },
    ) => {
      const id = await api.log.open({ parentId: request, direction: 'callback', startedAt: start });
      await api.log.record(
        id,
        start + 1000,
        {
          type: 'acd.connected',
          payload: { agentId, queueId: 'sales', waitSeconds: 1, bridgeId: `b-${id}` },
        },
        { agent_id: agentId },
      );
      if (ended)
        await api.log.closeIfOpen(
          id,
          start + 1000 + ended.talk * 1000,
          { type: 'call.hangup', payload: { channelId: 'customer', by: 'caller' } },
          { talk_seconds: ended.talk, ...(ended.code ? { wrap_up_code: ended.code } : {}) },
        );
    };
    await conversation(ann!.interactionId!, 'agent1', { talk: 95, code: 'sale' });
    await conversation(bob!.interactionId!, 'agent2', { talk: 30 });
    await conversation(bob!.interactionId!, 'agent1');
    // What answering-machine detection heard: Ann a person; Bob's machine left the message on one attempt,
    // unsure on the next.
    const heard = (request: string, payload: Record<string, unknown>) =>
      api.log.record(request, start, {
        type: 'acd.answering-machine',
        payload: { queueId: 'sales', attempt: 1, agentId: 'agent1', ...payload } as never,
      });
    await heard(ann!.interactionId!, { step: 'detected', verdict: 'human', action: 'put_through' });
    await heard(bob!.interactionId!, { step: 'detected', verdict: 'machine', action: 'leave_message' });
    await heard(bob!.interactionId!, { step: 'message', outcome: 'played' });
    await heard(bob!.interactionId!, {
      step: 'detected',
      verdict: 'unsure',
      action: 'put_through',
      attempt: 2,
    });
    // Another campaign's conversation does not count here.
    await post('/api/campaigns', {
      id: 'other',
      name: 'Other',
      queueId: 'sales',
      contacts: [{ number: '+15550900' }],
    });
    const { byDay, ...after } = (await get('/api/campaigns/renewals/figures')).json();
    // Day by day: all of it on the day the conversations began (the contact center's, UTC here).
    expect(byDay.filter((d: { conversations: number }) => d.conversations > 0)).toEqual([
      expect.objectContaining({
        date: new Date(start).toISOString().slice(0, 10),
        conversations: 3,
        talkSeconds: 125,
        people: 1,
        machines: 1,
        unsure: 1,
        messagesLeft: 1,
      }),
    ]);
    expect(after).toEqual({
      campaignId: 'renewals',
      conversations: 3,
      talkSeconds: 125,
      byWrapUpCode: [
        { code: null, conversations: 2, talkSeconds: 30 },
        { code: 'sale', conversations: 1, talkSeconds: 95 },
      ],
      byAgent: [
        { agentId: 'agent1', conversations: 2, talkSeconds: 95 },
        { agentId: 'agent2', conversations: 1, talkSeconds: 30 },
      ],
      answers: { people: 1, machines: 1, unsure: 1, messagesLeft: 1 },
    });
    // Supervisors only.
    expect(
      (
        await api.app.inject({
          method: 'GET',
          url: '/api/campaigns/renewals/figures',
          headers: api.as(api.tokenOf('agent1')),
        })
      ).statusCode,
    ).toBe(403);
  });

  it('gives its agents a script: on the caller card of its calls, changed for the calls after, in the change log', async () => {
    const made = await post('/api/campaigns', {
      id: 'scripted',
      name: 'Scripted',
      queueId: 'sales',
      contacts: [LIST[0]!],
      script: '  Hello, this is ACME about your renewal.\nAsk: still at the same address?  ',
    });
    expect(made.statusCode).toBe(201);
    expect(made.json().script).toBe(
      'Hello, this is ACME about your renewal.\nAsk: still at the same address?',
    );
    ready('agent1');
    await vi.waitFor(async () => expect((await contactsOf('scripted', 'booked')).length).toBe(1));
    const [booked] = await contactsOf('scripted', 'booked');
    // The customer answered: the agent's caller card carries the script with the request.
    const call = await api.log.open({
      parentId: booked!.interactionId!,
      direction: 'callback',
      startedAt: Date.now(),
    });
    const pop = async () =>
      (
        await api.app.inject({
          method: 'GET',
          url: `/api/calls/${call}/screen-pop`,
          headers: sup(),
        })
      ).json().request;
    expect(await pop()).toEqual({
      by: { campaign: { id: 'scripted', name: 'Scripted' } },
      note: 'Scripted: renewal due 12/31',
      script: 'Hello, this is ACME about your renewal.\nAsk: still at the same address?',
    });

    // Corrected: the next look at the card reads the new one; removed: none. Each change is on record.
    const put = (script: unknown, headers = sup()) =>
      api.app.inject({
        method: 'PUT',
        url: '/api/campaigns/scripted/script',
        headers,
        payload: { script },
      });
    expect((await put('Hello, ACME here.')).json()).toMatchObject({
      id: 'scripted',
      script: 'Hello, ACME here.',
    });
    expect((await pop()).script).toBe('Hello, ACME here.');
    expect(told.at(-1)?.data).toMatchObject({ campaign: { id: 'scripted', script: 'Hello, ACME here.' } });
    expect((await put('   ')).json().script).toBeNull();
    expect(await pop()).not.toHaveProperty('script');
    const changes = (await get('/api/changes?action=campaign.script.changed')).json().changes as {
      before: unknown;
      after: unknown;
    }[];
    expect(changes.map((c) => [c.before, c.after])).toEqual([
      [{ script: 'Hello, ACME here.' }, { script: null }],
      [
        { script: 'Hello, this is ACME about your renewal.\nAsk: still at the same address?' },
        { script: 'Hello, ACME here.' },
      ],
    ]);

    // Refused: too long, by an agent, on a stopped campaign, on none.
    expect((await put('x'.repeat(4001))).statusCode).toBe(400);
    expect((await put('Hi', api.as(api.tokenOf('agent1')))).statusCode).toBe(403);
    expect((await post('/api/campaigns/scripted/stop')).statusCode).toBe(200);
    expect((await put('Hi')).json()).toMatchObject({ code: 'CAMPAIGN_STOPPED' });
    const none = await api.app.inject({
      method: 'PUT',
      url: '/api/campaigns/nope/script',
      headers: sup(),
      payload: { script: 'Hi' },
    });
    expect(none.statusCode).toBe(404);
  });

  it("gives a queue's free agent to a newer campaign when the older one has nobody left to call", async () => {
    // The older campaign's only customer asked not to be called: nothing for it to book.
    expect((await post('/api/do-not-call', { number: LIST[0]!.number })).statusCode).toBe(201);
    const older = await post('/api/campaigns', {
      id: 'older',
      name: 'Older',
      queueId: 'sales',
      contacts: [LIST[0]!],
    });
    expect(older.json().counts).toMatchObject({ pending: 0, skipped: 1 });
    expect(
      (await post('/api/campaigns', { id: 'newer', name: 'Newer', queueId: 'sales', contacts: [LIST[1]!] }))
        .statusCode,
    ).toBe(201);
    ready('agent1');
    await vi.waitFor(async () => expect((await contactsOf('newer', 'booked')).length).toBe(1));
  });

  it('listens for answering machines as set: made with it, changed, refused when wrong, in the change log', async () => {
    const make = (answeringMachine?: object) =>
      post('/api/campaigns', {
        id: 'reminders',
        name: 'Reminders',
        queueId: 'sales',
        contacts: [LIST[0]!],
        ...(answeringMachine ? { answeringMachine } : {}),
      });
    // Refused, and nothing made: a message missing, a message with no use, a sound that is no sound name.
    expect((await make({ action: 'leave_message' })).json()).toMatchObject({
      code: 'MESSAGE_REQUIRED',
      message: 'answeringMachine.message: leave_message needs the message to leave (the sounds to play)',
    });
    expect((await make({ action: 'hang_up', message: ['beep'] })).json()).toMatchObject({
      code: 'MESSAGE_NOT_USED',
      message: 'answeringMachine.message: only leave_message plays a message (the action is hang_up)',
    });
    expect((await make({ action: 'leave_message', message: ['../etc/passwd'] })).statusCode).toBe(400);
    expect((await make({ action: 'guess' })).statusCode).toBe(400);
    // Where Asterisk's sounds are known, a message naming one it lacks is refused, each named by its place.
    api.queueAdmin.knownSounds = async () => new Set(['vm-goodbye', 'custom/reminder']);
    expect(
      (await make({ action: 'leave_message', message: ['custom/reminder', 'custom/nothing'] })).json(),
    ).toEqual({
      code: 'UNKNOWN_SOUND',
      message:
        'answeringMachine.message.1: no sound "custom/nothing" in Asterisk\'s sounds directory (add the file, without extension in the name, or fix the name)',
    });
    expect((await get('/api/campaigns/reminders')).statusCode).toBe(404);

    const made = await make({ action: 'leave_message', message: ['custom/reminder', 'vm-goodbye'] });
    expect(made.statusCode).toBe(201);
    expect(made.json().answeringMachine).toEqual({
      action: 'leave_message',
      message: ['custom/reminder', 'vm-goodbye'],
    });
    // Its booked call: the setting the runner reads when the customer answers (a call of no campaign: none).
    ready('agent1');
    await vi.waitFor(async () => expect((await contactsOf('reminders', 'booked')).length).toBe(1));
    const [booked] = await contactsOf('reminders', 'booked');
    expect(await api.campaigns.answeringMachineOf(booked!.interactionId!)).toEqual({
      action: 'leave_message',
      message: ['custom/reminder', 'vm-goodbye'],
    });
    expect(await api.campaigns.answeringMachineOf('no-such-call')).toBeUndefined();
    // Without a setting, every answer is put through, as before.
    const plain = await post('/api/campaigns', {
      id: 'plain',
      name: 'Plain',
      queueId: 'sales',
      contacts: [LIST[1]!],
    });
    expect(plain.json().answeringMachine).toEqual({ action: 'connect' });

    const put = (payload: object, headers = sup()) =>
      api.app.inject({ method: 'PUT', url: '/api/campaigns/reminders/answering-machine', headers, payload });
    const changed = await put({ action: 'hang_up' });
    expect(changed.json()).toMatchObject({ id: 'reminders', answeringMachine: { action: 'hang_up' } });
    expect(changed.json().answeringMachine).not.toHaveProperty('message');
    expect(await api.campaigns.answeringMachineOf(booked!.interactionId!)).toEqual({ action: 'hang_up' });
    expect(told.at(-1)?.data).toMatchObject({
      campaign: { id: 'reminders', answeringMachine: { action: 'hang_up' } },
    });
    expect((await put({ action: 'leave_message' })).json()).toMatchObject({ code: 'MESSAGE_REQUIRED' });
    expect((await put({ action: 'connect' }, api.as(api.tokenOf('agent1')))).statusCode).toBe(403);
    const changes = (await get('/api/changes?action=campaign.answering-machine.changed')).json().changes as {
      subject: string;
      before: unknown;
      after: unknown;
    }[];
    expect(changes.map((c) => [c.subject, c.before, c.after])).toEqual([
      [
        'reminders',
        { action: 'leave_message', message: ['custom/reminder', 'vm-goodbye'] },
        { action: 'hang_up' },
      ],
    ]);
    const created = (await get('/api/changes?action=campaign.created')).json().changes as { after: object }[];
    expect(created.find((c) => 'answeringMachine' in c.after)?.after).toMatchObject({
      answeringMachine: { action: 'leave_message', message: ['custom/reminder', 'vm-goodbye'] },
    });
    expect((await post('/api/campaigns/reminders/stop')).statusCode).toBe(200);
    expect((await put({ action: 'connect' })).json()).toMatchObject({ code: 'CAMPAIGN_STOPPED' });
    const none = await api.app.inject({
      method: 'PUT',
      url: '/api/campaigns/nope/answering-machine',
      headers: sup(),
      payload: { action: 'connect' },
    });
    expect(none.statusCode).toBe(404);
  });

  it('settles after a restart: a request closed meanwhile gives its outcome, one never in line is called again', async () => {
    ready('agent1');
    await post('/api/campaigns', { id: 'restart', name: 'Restart', queueId: 'sales', contacts: LIST });
    await vi.waitFor(async () => expect((await contactsOf('restart', 'booked')).length).toBe(1));
    const [booked] = await contactsOf('restart', 'booked');
    // The service goes down (its dialer with it); the request closes while nobody watches for it.
    api.campaigns.stop();
    api.acd.input({ type: 'cancelCallback', interactionId: booked!.interactionId! });
    // And a contact was marked booked, its request written, but never put in line (a crash in between).
    const [, second] = await contactsOf('restart', 'pending');
    const [orphan] = await api.log.recordCallbackRequests([{ callerNumber: second!.number }], Date.now());
    await api.campaignStore.markBooked('restart', second!.seq, orphan!, Date.now());
    await api.log.afterQueuedWrites();

    // The next run: nobody is free now, so nothing new is booked while it settles.
    expect(
      api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'notReady', reason: 'break' } }),
    ).toEqual([]);
    expect(api.acd.router.seat('agent1')?.state.type).toBe('not_ready');
    const next = new CampaignDialer({
      acd: api.acd,
      log: api.log,
      store: api.campaignStore,
      logger: pino({ level: 'silent' }),
      publish: () => undefined,
    });
    await next.start();
    await vi.waitFor(async () =>
      expect((await contactsOf('restart')).map((c) => [c.seq, c.state])).toEqual([
        [1, 'cancelled'],
        [2, 'pending'],
        [3, 'pending'],
      ]),
    );
    next.stop();
  });

  it('takes its customers from a CSV file, refused whole by line, and reads its own export back', async () => {
    expect((await post('/api/do-not-call', { number: '+15550200' })).statusCode).toBe(201);
    // A European spreadsheet's file: semicolons, a quoted note over two lines, a number asked not to be called.
    const file = [
      'Phone;Customer;Notes',
      '+15550100;Smith, Jo;"renewal due;\nask for Jo"',
      '+15550200;Bob Best;',
      '',
      '+15550300;=HYPERLINK("http://x");',
    ].join('\r\n');
    const made = await post('/api/campaigns', {
      id: 'file',
      name: 'File',
      queueId: 'sales',
      contactsCsv: file,
    });
    expect(made.statusCode).toBe(201);
    expect(made.json().counts).toMatchObject({ pending: 2, skipped: 1 });
    expect((await contactsOf('file')).map((c) => [c.seq, c.number, c.state])).toEqual([
      [1, '+15550100', 'pending'],
      [2, '+15550200', 'skipped'],
      [3, '+15550300', 'pending'],
    ]);

    // Refused whole, by the file's line: a column that is no customer field, a number that is no number.
    const refusals = [
      [
        { contactsCsv: 'number,email\n+15550400,a@b.c\n' },
        'INVALID_CONTACT_FILE',
        /line 1: the column "email"/,
      ],
      [
        { contactsCsv: 'number,name\n+15550400,Ann\n\nnot a number,Bo\n' },
        'INVALID_CONTACTS',
        /^nothing was added: line 4: "not a number" is not a phone number$/,
      ],
      [{ contactsCsv: 'number\n+15550400\n', contacts: LIST }, 'CONTACTS_TWICE', /not both/],
      [{}, 'CONTACTS_REQUIRED', /contacts \(a list\) or contactsCsv \(a CSV file\)/],
    ] as const;
    for (const [body, code, message] of refusals) {
      const refused = await post('/api/campaigns', { id: 'bad', name: 'Bad', queueId: 'sales', ...body });
      expect(refused.statusCode, code).toBe(400);
      expect(refused.json().code).toBe(code);
      expect(refused.json().message).toMatch(message);
    }
    expect((await get('/api/campaigns/bad')).statusCode).toBe(404);
    const refusedAdd = await api.app.inject({
      method: 'POST',
      url: '/api/campaigns/file/contacts',
      headers: { ...sup(), 'content-type': 'text/csv' },
      payload: 'number\n+15550400\n+15550500,extra\n',
    });
    expect(refusedAdd.json()).toMatchObject({ code: 'INVALID_CONTACT_FILE' });
    expect(refusedAdd.json().message).toMatch(/line 3: 2 fields where the first line names 1 column/);
    expect((await contactsOf('file')).length).toBe(3);

    // A file as the body itself (curl --data-binary @list.csv): added after what the campaign has.
    const added = await api.app.inject({
      method: 'POST',
      url: '/api/campaigns/file/contacts',
      headers: { ...sup(), 'content-type': 'text/csv' },
      payload: 'number,name\n+15550400,Dee\n+15550100,Jo again\n',
    });
    expect(added.statusCode).toBe(200);
    expect((await contactsOf('file')).map((c) => [c.seq, c.number, c.state])).toEqual([
      [1, '+15550100', 'pending'],
      [2, '+15550200', 'skipped'],
      [3, '+15550300', 'pending'],
      [4, '+15550400', 'pending'],
      [5, '+15550100', 'skipped'],
    ]);

    // The export keeps the formula as text ('=…), and reads back into a new campaign as the customers were.
    const exported = (await get('/api/campaigns/file/contacts?format=csv&state=pending')).body;
    expect(exported).toContain(`+15550300,"'=HYPERLINK(""http://x"")",`);
    const again = await post('/api/campaigns', {
      id: 'again',
      name: 'Again',
      queueId: 'sales',
      contactsCsv: exported,
    });
    expect(again.statusCode).toBe(201);
    const customers = (await get('/api/campaigns/again/contacts'))
      .json()
      .items.map((c: { number: string; name: string | null; note: string | null }) => [
        c.number,
        c.name,
        c.note,
      ]);
    expect(customers).toEqual([
      ['+15550100', 'Smith, Jo', 'renewal due;\nask for Jo'],
      ['+15550300', '=HYPERLINK("http://x")', null],
      ['+15550400', 'Dee', null],
    ]);
  });

  it('takes a file of the most customers a request may add, past the default body limit', async () => {
    const lines = Array.from(
      { length: CONTACTS_PER_REQUEST },
      (_, i) => `+1555${String(i).padStart(7, '0')},Customer ${i},"account ${i}, renewal due 31 Dec"`,
    );
    const file = ['number,name,note', ...lines].join('\n');
    expect(file.length).toBeGreaterThan(1024 * 1024);
    const made = await post('/api/campaigns', {
      id: 'big',
      name: 'Big',
      queueId: 'sales',
      contactsCsv: file,
    });
    expect(made.statusCode).toBe(201);
    expect(made.json().counts).toMatchObject({ pending: CONTACTS_PER_REQUEST, skipped: 0 });
    const last = (await get(`/api/campaigns/big/contacts?offset=${CONTACTS_PER_REQUEST - 1}`)).json();
    expect(last.items).toEqual([
      expect.objectContaining({
        seq: CONTACTS_PER_REQUEST,
        number: `+1555${String(CONTACTS_PER_REQUEST - 1).padStart(7, '0')}`,
        note: `account ${CONTACTS_PER_REQUEST - 1}, renewal due 31 Dec`,
      }),
    ]);
    // One more is refused, saying so.
    const over = await post('/api/campaigns', {
      id: 'bigger',
      name: 'Bigger',
      queueId: 'sales',
      contactsCsv: `${file}\n+19990000000`,
    });
    expect(over.json()).toMatchObject({ code: 'INVALID_CONTACT_FILE' });
    expect(over.json().message).toContain(`at most ${CONTACTS_PER_REQUEST} a request`);
  });
});
