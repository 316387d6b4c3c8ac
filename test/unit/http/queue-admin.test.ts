import { definitionVersion } from '../../../src/acd/definition-version.js';
import { MembershipStore } from '../../../src/store/queue-store.js';
/** Queue definitions edited over the API (the real app, an in-memory database). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
beforeEach(async () => {
  api = await buildApi();
});
afterEach(async () => {
  await api.app.close();
});

/** The supervisor's headers, with If-Match when the change is based on a version read. */
const asSupervisor = (ifMatch?: string) => ({
  ...api.as(SUPERVISOR),
  ...(ifMatch !== undefined ? { 'if-match': ifMatch } : {}),
});
const put = (id: string, body: object = {}, ifMatch?: string) =>
  api.app.inject({
    method: 'PUT',
    url: `/api/queues/${id}`,
    headers: asSupervisor(ifMatch),
    payload: { id, name: id, strategy: 'longest_idle', ...body },
  });
const del = (id: string, ifMatch?: string) =>
  api.app.inject({ method: 'DELETE', url: `/api/queues/${id}`, headers: asSupervisor(ifMatch) });
/** The queue's version as GET /api/queues/:id gives it (its ETag). */
const versionOf = async (id: string) =>
  (await api.app.inject({ url: `/api/queues/${id}`, headers: api.as(SUPERVISOR) })).headers.etag as string;
/** Queue changes made slow, as a file database's write (fsync) is: two sent together are in flight together. */
const slowStore = () => {
  type Store = { replace: (...args: unknown[]) => Promise<void> };
  const store = (api.queueAdmin as unknown as { store: Store }).store;
  const replace = store.replace.bind(store);
  store.replace = async (...args) => {
    await new Promise((r) => setTimeout(r, 20));
    return replace(...args);
  };
};
const ids = async () =>
  (await api.app.inject({ url: '/api/queues', headers: api.as(SUPERVISOR) }))
    .json()
    .map((q: { id: string }) => q.id);

describe('queue edits', () => {
  it('applies edits sent at the same time one after the other: none is lost', async () => {
    slowStore();
    const [a, b] = await Promise.all([put('support'), put('billing')]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect((await ids()).sort()).toEqual(['billing', 'sales', 'support']);
    expect(api.acd.router.queueIds().sort()).toEqual(['billing', 'sales', 'support']);
  });

  it("refuses a save or delete based on a version someone changed since (412), so nobody's change is lost unseen", async () => {
    await put('billing', { wrapUpSeconds: 10 });
    const etag = await versionOf('billing');
    expect(etag).toMatch(/^"[\w-]{16}"$/);
    // Read again unchanged: the same version (it does not depend on when or how often it is read).
    expect(await versionOf('billing')).toBe(etag);

    // Sam saves on what he read: taken, with the new version.
    const sams = await put('billing', { wrapUpSeconds: 30 }, etag);
    expect(sams.statusCode).toBe(200);
    expect(sams.headers.etag).not.toBe(etag);
    // Sue saves on the same read, after Sam: refused, Sam's change stands.
    const sues = await put('billing', { name: 'Billing', wrapUpSeconds: 10 }, etag);
    expect(sues.statusCode).toBe(412);
    expect(sues.json()).toMatchObject({ code: 'QUEUE_CHANGED' });
    expect(sues.json().message).toContain('changed since you read it');
    expect(api.queueAdmin.get('billing')).toMatchObject({ name: 'billing', wrapUpSeconds: 30 });
    // Nor may she delete it on that read; on the version in force (or `*`, weak or in a list) she may save.
    expect((await del('billing', etag)).statusCode).toBe(412);
    expect(await ids()).toContain('billing');
    for (const tag of [sams.headers.etag as string, '*', `"x", W/${sams.headers.etag}`]) {
      expect((await put('billing', { wrapUpSeconds: 30 }, tag)).statusCode).toBe(200);
    }
    // Without If-Match the last save wins, as before (scripts that do not read first).
    expect((await put('billing', { wrapUpSeconds: 5 })).statusCode).toBe(200);
    // A queue deleted since the read: refused too, not made again.
    const current = await versionOf('billing');
    expect((await del('billing')).statusCode).toBe(204);
    const gone = await put('billing', {}, current);
    expect(gone.statusCode).toBe(412);
    expect(gone.json().message).toContain('deleted since you read it');
    expect(await ids()).not.toContain('billing');
  });

  it('makes a queue with If-None-Match * only if there is none with its id: of two made at once one is taken, the other refused (412)', async () => {
    slowStore();
    const make = (name: string, ifNoneMatch = '*') =>
      api.app.inject({
        method: 'PUT',
        url: '/api/queues/billing',
        headers: { ...api.as(SUPERVISOR), 'if-none-match': ifNoneMatch },
        payload: { id: 'billing', name, strategy: 'longest_idle' },
      });
    const [sams, sues] = await Promise.all([make('Billing (Sam)'), make('Billing (Sue)')]);
    expect([sams.statusCode, sues.statusCode]).toEqual([200, 412]);
    expect(sues.json()).toEqual({
      code: 'QUEUE_EXISTS',
      message: 'a queue billing was made since you looked: read it and change that',
    });
    expect(api.queueAdmin.get('billing')?.name).toBe('Billing (Sam)');
    // Only `*` means "if absent" here: anything else is a bad request, changing nothing.
    expect((await make('Billing (Sue)', '"abc"')).statusCode).toBe(400);
    expect(api.queueAdmin.get('billing')?.name).toBe('Billing (Sam)');
  });

  it('takes one of two saves sent at once on the same version, and refuses the other (412)', async () => {
    slowStore();
    const etag = await versionOf('sales');
    const save = (wrapUpSeconds: number) =>
      put('sales', { ...api.queueAdmin.get('sales'), wrapUpSeconds }, etag);
    const [a, b] = await Promise.all([save(40), save(50)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 412]);
    expect(api.queueAdmin.get('sales')?.wrapUpSeconds).toBe(40);
  });

  it('refuses to delete a queue something still routes to (409 naming it), and deletes one nothing uses', async () => {
    const members = await del('sales');
    expect(members.statusCode).toBe(409);
    expect(members.json()).toMatchObject({ code: 'QUEUE_IN_USE' });
    expect(members.json().message).toContain('agent agent1');

    await put('billing');
    expect(
      (await put('support', { maxWaitSeconds: 60, overflowTarget: { type: 'queue', queueId: 'billing' } }))
        .statusCode,
    ).toBe(200);
    const target = await del('billing');
    expect(target.statusCode).toBe(409);
    expect(target.json().message).toContain('queue support');

    api.queueAdmin.usedElsewhere = (id) => (id === 'support' ? ['the route for 600'] : []);
    const routed = await del('support');
    expect(routed.statusCode).toBe(409);
    expect(routed.json().message).toContain('the route for 600');

    api.queueAdmin.usedElsewhere = () => [];
    expect((await del('support')).statusCode).toBe(204);
    expect((await del('billing')).statusCode).toBe(204);
    expect(await ids()).toEqual(['sales']);
  });
});

describe("a voicemail greeting checked against Asterisk's sounds", () => {
  const greeting = (...sounds: string[]) => ({ noAgentsFallback: { type: 'voicemail', greeting: sounds } });

  it('refuses a change naming a sound Asterisk lacks (400, nothing changed), takes one it has', async () => {
    api.queueAdmin.knownSounds = async () => new Set(['vm-intro', 'custom/closed']);
    const refused = await put('support', greeting('vm-intro', 'custom/clsoed'));
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'QUEUE_DEFINITION_INVALID' });
    expect(refused.json().message).toContain(
      'queues[support].noAgentsFallback.greeting[1]: no sound "custom/clsoed"',
    );
    expect(await ids()).toEqual(['sales']);
    expect(api.acd.router.queueIds()).toEqual(['sales']);

    expect((await put('support', greeting('vm-intro', 'custom/closed'))).statusCode).toBe(200);
    expect((await ids()).sort()).toEqual(['sales', 'support']);
  });

  it("reads the sounds at each change (a file added since is found) and leaves greetings unchecked when Asterisk's sounds are not known", async () => {
    const sounds = new Set(['vm-intro']);
    api.queueAdmin.knownSounds = async () => sounds;
    expect((await put('support', greeting('custom/new'))).statusCode).toBe(400);
    sounds.add('custom/new');
    expect((await put('support', greeting('custom/new'))).statusCode).toBe(200);

    api.queueAdmin.knownSounds = async () => undefined;
    expect((await put('billing', greeting('custom/anything'))).statusCode).toBe(200);
  });

  it("does not hold up a change to one queue over another queue's missing sound, and lists every missing one", async () => {
    api.queueAdmin.knownSounds = async () => undefined;
    expect((await put('support', greeting('custom/gone'))).statusCode).toBe(200);
    api.queueAdmin.knownSounds = async () => new Set(['vm-intro']);
    expect((await put('billing', greeting('vm-intro'))).statusCode).toBe(200);
    expect((await api.queueAdmin.missingReferences()).map((i) => i.path)).toEqual([
      'queues[support].noAgentsFallback.greeting[0]',
    ]);
  });
});

describe('an after-call flow checked against the flows loaded', () => {
  it('refuses a queue naming a flow not loaded (400, nothing changed), takes one loaded, and tells a flow gone since', async () => {
    const loaded = new Set(['csat-survey']);
    api.queueAdmin.knownFlows = () => loaded;
    const typo = await put('support', { afterCallFlow: 'csat-survy' });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().issues).toEqual([
      {
        code: 'UNKNOWN_FLOW',
        path: 'queues[support].afterCallFlow',
        message:
          'queues[support].afterCallFlow: no IVR flow "csat-survy" is loaded (GET /api/flows lists them)',
      },
    ]);
    expect(await ids()).toEqual(['sales']);
    expect((await put('support', { afterCallFlow: 'csat-survey' })).statusCode).toBe(200);

    loaded.delete('csat-survey');
    expect((await api.queueAdmin.missingReferences()).map((i) => i.code)).toEqual(['UNKNOWN_FLOW']);
    // Another queue's change is not held up by it.
    expect((await put('billing')).statusCode).toBe(200);
  });
});

describe("a queue's hold music class checked against Asterisk's classes", () => {
  const music = (musicOnHoldClass: string) => ({
    announce: { everySeconds: 30, position: true, estimatedWait: false, musicOnHoldClass },
  });

  it('refuses a class Asterisk does not define (400, nothing changed, the classes it has named), takes one it does', async () => {
    api.queueAdmin.knownHoldMusicClasses = () => new Set(['default', 'jazz']);
    const refused = await put('support', music('jaz'));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues).toEqual([
      {
        code: 'UNKNOWN_MUSIC_CLASS',
        path: 'queues[support].announce.musicOnHoldClass',
        message:
          'queues[support].announce.musicOnHoldClass: no hold music class "jaz" in Asterisk\'s musiconhold.conf (asterisk-config/musiconhold.conf; it has default, jazz)',
      },
    ]);
    expect(await ids()).toEqual(['sales']);
    expect((await put('support', music('jazz'))).statusCode).toBe(200);
    // Unknown classes (Asterisk configured some other way): not checked.
    api.queueAdmin.knownHoldMusicClasses = () => undefined;
    expect((await put('billing', music('anything'))).statusCode).toBe(200);
  });
});

describe('queue members edited over the API', () => {
  const member = (
    queueId: string,
    agentId: string,
    body: object = {},
    token = SUPERVISOR,
    ifMatch?: string,
  ) =>
    api.app.inject({
      method: 'PUT',
      url: `/api/queues/${queueId}/members/${agentId}`,
      headers: { ...api.as(token), ...(ifMatch !== undefined ? { 'if-match': ifMatch } : {}) },
      payload: body,
    });
  const unmember = (queueId: string, agentId: string, ifMatch?: string) =>
    api.app.inject({
      method: 'DELETE',
      url: `/api/queues/${queueId}/members/${agentId}`,
      headers: asSupervisor(ifMatch),
    });
  const members = async (queueId: string) =>
    (await api.app.inject({ url: `/api/queues/${queueId}/members`, headers: api.as(SUPERVISOR) })).json();
  /** A member as the API gives them: their place and its version. */
  const place = (agentId: string, penalty: number, order: number) => ({
    agentId,
    penalty,
    order,
    version: definitionVersion({ penalty, order }),
  });

  it('gives a queue made through the API its agents, and a caller waiting there is offered at once', async () => {
    expect((await put('support')).statusCode).toBe(200);
    expect(await members('support')).toEqual([]);
    const login = await api.app.inject({
      method: 'POST',
      url: '/api/agents/agent1/login',
      headers: api.as(api.tokenOf('agent1')),
    });
    expect(login.statusCode).toBe(200);
    api.acd.input({ type: 'callerArrived', interactionId: 'c1', queueId: 'support', callerNumber: '+1555' });
    expect(api.acd.router.seat('agent1')?.state.type).toBe('available'); // not a member: not offered
    const news: unknown[] = [];
    api.acd.hub.subscribe((e) => {
      if (e.type === 'queue.members') news.push(e.data);
    });

    const added = await member('support', 'agent1', { penalty: 2 });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toEqual(place('agent1', 2, 0));
    expect(added.headers.etag).toBe(`"${place('agent1', 2, 0).version}"`);
    expect(await members('support')).toEqual([place('agent1', 2, 0)]);
    expect(api.acd.router.seat('agent1')?.state).toMatchObject({ type: 'offered', interactionId: 'c1' });
    expect(news).toEqual([{ queueId: 'support', members: [place('agent1', 2, 0)] }]);
    // Still in sales too: a membership of one queue leaves the others alone.
    expect(api.acd.router.memberIds('sales')).toContain('agent1');

    expect((await unmember('support', 'agent1')).statusCode).toBe(204);
    expect(await members('support')).toEqual([]);
    expect(api.acd.router.memberIds('support')).toEqual([]);
  });

  it('refuses a change or removal based on a place someone changed or took away since (412), theirs standing', async () => {
    const [read] = (await members('sales')).filter((m: { agentId: string }) => m.agentId === 'agent1');
    expect(read).toEqual(place('agent1', 0, 0));
    // Another supervisor changes agent1's order (no If-Match: last save wins, as for scripts).
    expect((await member('sales', 'agent1', { penalty: 0, order: 3 })).statusCode).toBe(200);

    const stale = await member('sales', 'agent1', { penalty: 5 }, SUPERVISOR, `"${read.version}"`);
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: 'MEMBER_CHANGED' });
    expect(stale.json().message).toContain(place('agent1', 0, 3).version); // the version to read again
    const staleRemoval = await unmember('sales', 'agent1', `"${read.version}"`);
    expect(staleRemoval.statusCode).toBe(412);
    expect(await members('sales')).toContainEqual(place('agent1', 0, 3)); // theirs stands

    // On the version in force (as a weak tag, in a list, or `*`): taken.
    const now = `W/"${place('agent1', 0, 3).version}"`;
    const taken = await member('sales', 'agent1', { penalty: 5, order: 3 }, SUPERVISOR, `"x", ${now}`);
    expect(taken.statusCode).toBe(200);
    expect(taken.headers.etag).toBe(`"${place('agent1', 5, 3).version}"`);
    expect((await member('sales', 'agent1', { penalty: 4 }, SUPERVISOR, '*')).statusCode).toBe(200);

    // Taken out since: a change based on their place is refused, not an add; a removal the same.
    const { version } = place('agent1', 4, 0);
    expect((await unmember('sales', 'agent1', `"${version}"`)).statusCode).toBe(204);
    const gone = await member('sales', 'agent1', { penalty: 1 }, SUPERVISOR, `"${version}"`);
    expect(gone.statusCode).toBe(412);
    expect(gone.json().message).toBe('agent1 was taken out of queue sales since you read it');
    expect(await members('sales')).not.toContainEqual(expect.objectContaining({ agentId: 'agent1' }));
    expect((await member('sales', 'agent1', { penalty: 1 })).statusCode).toBe(200); // no If-Match: an add
  });

  it('adds an agent with If-None-Match * only if they are not in the queue yet (412 if someone added them)', async () => {
    const add = (penalty: number) =>
      api.app.inject({
        method: 'PUT',
        url: '/api/queues/support/members/agent2',
        headers: { ...api.as(SUPERVISOR), 'if-none-match': '*' },
        payload: { penalty },
      });
    expect((await put('support')).statusCode).toBe(200);
    expect(await members('support')).toEqual([]);
    expect((await add(2)).statusCode).toBe(200);
    const again = await add(7);
    expect(again.statusCode).toBe(412);
    expect(again.json()).toMatchObject({ code: 'MEMBER_EXISTS' });
    expect(await members('support')).toEqual([place('agent2', 2, 0)]); // the first add stands
  });

  it('refuses an unknown queue or agent (404), a bad penalty (400), an agent’s token (403)', async () => {
    expect((await member('nowhere', 'agent1')).json()).toMatchObject({ code: 'QUEUE_NOT_FOUND' });
    const listed = await api.app.inject({ url: '/api/queues/nowhere/members', headers: api.as(SUPERVISOR) });
    expect(listed.statusCode).toBe(404);
    expect(listed.json()).toMatchObject({ code: 'QUEUE_NOT_FOUND' });
    expect((await member('sales', 'nobody')).json()).toMatchObject({ code: 'AGENT_NOT_FOUND' });
    expect((await member('sales', 'nobody')).statusCode).toBe(404);
    expect((await member('sales', 'agent1', { penalty: 101 })).statusCode).toBe(400);
    expect((await member('sales', 'agent1', { skill: 3 })).statusCode).toBe(400);
    expect((await member('sales', 'agent1', {}, api.tokenOf('agent1'))).statusCode).toBe(403);
    await put('support');
    const notMember = await unmember('support', 'agent1');
    expect(notMember.statusCode).toBe(404);
    expect(notMember.json()).toMatchObject({ code: 'NOT_A_MEMBER' });
    expect(api.acd.router.memberIds('sales')).toContain('agent1'); // nothing changed
  });
});

describe('queue members through a restart', () => {
  it('keeps the memberships supervisors set over the config file’s', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cc-members-')), 'cc.sqlite');
    const first = await buildApi({ database: file });
    await first.app.inject({
      method: 'PUT',
      url: '/api/queues/support',
      headers: first.as(SUPERVISOR),
      payload: { id: 'support', name: 'support', strategy: 'longest_idle' },
    });
    const moved = await first.app.inject({
      method: 'PUT',
      url: '/api/queues/support/members/agent1',
      headers: first.as(SUPERVISOR),
      payload: { order: 3 },
    });
    expect(moved.statusCode).toBe(200);
    await first.app.inject({
      method: 'DELETE',
      url: '/api/queues/sales/members/agent1',
      headers: first.as(SUPERVISOR),
    });
    await first.app.close();
    const second = await buildApi({ database: file });
    try {
      expect(second.acd.router.memberIds('support')).toEqual(['agent1']);
      expect(second.acd.router.memberIds('sales')).not.toContain('agent1');
      // Another agent's memberships are still the config file's.
      expect(second.acd.router.memberIds('sales')).toContain('agent2');

      // Back to the file: agent1 is in sales again and out of support, now and after the next restart.
      const reset = await second.app.inject({
        method: 'DELETE',
        url: '/api/agents/agent1/memberships',
        headers: second.as(SUPERVISOR),
      });
      expect(reset.statusCode).toBe(200);
      expect(reset.json()).toEqual({
        agentId: 'agent1',
        queues: [{ queueId: 'sales', penalty: 0, order: 0 }],
      });
      expect(second.acd.router.memberIds('sales')).toContain('agent1');
      expect(second.acd.router.memberIds('support')).toEqual([]);
    } finally {
      await second.app.close();
    }
    const third = await buildApi({ database: file });
    try {
      expect(third.acd.router.memberIds('sales')).toContain('agent1');
      expect(third.acd.router.memberIds('support')).toEqual([]);
      // Nothing kept over the file for agent1: a later edit of the file applies to them.
      expect((await new MembershipStore(third.db).all()).has('agent1')).toBe(false);
      const refused = (url: string, token: string) =>
        third.app.inject({ method: 'DELETE', url, headers: third.as(token) });
      expect((await refused('/api/agents/nobody/memberships', SUPERVISOR)).statusCode).toBe(404);
      expect((await refused('/api/agents/agent1/memberships', third.tokenOf('agent1'))).statusCode).toBe(403);
    } finally {
      await third.app.close();
    }
  });
});

describe("an agent's skills edited over the API", () => {
  const setSkills = (agentId: string, skills: unknown, token = SUPERVISOR) =>
    api.app.inject({
      method: 'PUT',
      url: `/api/agents/${agentId}/skills`,
      headers: api.as(token),
      payload: { skills },
    });

  it('routes by them at once: a waiting caller who needs a skill is offered to the agent given it', async () => {
    expect((await put('spanish', { requiredSkills: { spanish: 3 } })).statusCode).toBe(200);
    await api.app.inject({
      method: 'PUT',
      url: '/api/queues/spanish/members/agent1',
      headers: api.as(SUPERVISOR),
      payload: {},
    });
    api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'login', endpoint: 'PJSIP/agent1' } });
    api.acd.input({ type: 'callerArrived', interactionId: 'c1', queueId: 'spanish', callerNumber: '+1555' });
    expect(api.acd.router.seat('agent1')?.state.type).toBe('available'); // no Spanish yet: not offered
    const news: unknown[] = [];
    api.acd.hub.subscribe((e) => {
      if (e.type === 'agent.skills') news.push(e.data);
    });

    const sam = api.supervisorTokenOf('sam');
    const saved = await setSkills('agent1', { spanish: 4, billing: 2 }, sam);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ agentId: 'agent1', skills: { spanish: 4, billing: 2 } });
    expect(api.acd.router.seat('agent1')?.state).toMatchObject({ type: 'offered', interactionId: 'c1' });
    expect(news).toEqual([{ agentId: 'agent1', skills: { spanish: 4, billing: 2 } }]);
    const agent = await api.app.inject({ url: '/api/agents/agent1', headers: api.as(SUPERVISOR) });
    expect(agent.json()).toMatchObject({ skills: { spanish: 4, billing: 2 } });
    const changes = await api.app.inject({
      url: '/api/changes?action=agent.skills.saved',
      headers: api.as(SUPERVISOR),
    });
    expect(changes.json().changes).toMatchObject([
      {
        action: 'agent.skills.saved',
        subject: 'agent1',
        by: { supervisor: { id: 'sam' } },
        before: {},
        after: { spanish: 4, billing: 2 },
      },
    ]);
  });

  it("refuses a change based on skills someone changed since (412), so nobody's change is lost unseen", async () => {
    const read = async (agentId = 'agent1') =>
      api.app.inject({ url: `/api/agents/${agentId}/skills`, headers: api.as(SUPERVISOR) });
    const first = await read();
    expect(first.json()).toEqual({ agentId: 'agent1', skills: {} });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{16}"$/);
    const based = (method: 'PUT' | 'DELETE', tag: string, skills?: object) =>
      api.app.inject({
        method,
        url: '/api/agents/agent1/skills',
        headers: { ...api.as(SUPERVISOR), 'if-match': tag },
        ...(skills ? { payload: { skills } } : {}),
      });
    // Sam saves on what he read: taken, with the new version; Sue, on the same read, is refused.
    const sams = await based('PUT', etag, { billing: 3 });
    expect(sams.statusCode).toBe(200);
    expect(sams.headers.etag).toBe((await read()).headers.etag);
    const sues = await based('PUT', etag, { spanish: 4 });
    expect(sues.statusCode).toBe(412);
    expect(sues.json()).toMatchObject({ code: 'SKILLS_CHANGED' });
    expect((await based('DELETE', etag)).statusCode).toBe(412);
    expect((await read()).json().skills).toEqual({ billing: 3 });
    // On the version in force she may; so may a change without If-Match (last save wins).
    expect((await based('PUT', sams.headers.etag as string, { billing: 3, spanish: 4 })).statusCode).toBe(
      200,
    );
    expect((await read()).json().skills).toEqual({ billing: 3, spanish: 4 });
    expect((await based('DELETE', (await read()).headers.etag as string)).statusCode).toBe(200);
    expect((await read()).json().skills).toEqual({});
    expect((await read('nobody')).statusCode).toBe(404);
  });

  it('refuses a skill name as the config would, a level out of range, an unknown agent and an agent', async () => {
    const bad = await setSkills('agent1', { Spanish: 4 });
    expect(bad.statusCode).toBe(400);
    expect((await setSkills('agent1', { spanish: 11 })).statusCode).toBe(400);
    expect((await setSkills('agent1', { spanish: 0 })).statusCode).toBe(400);
    expect((await setSkills('nobody', { spanish: 4 })).json()).toMatchObject({ code: 'AGENT_NOT_FOUND' });
    expect((await setSkills('agent1', { spanish: 4 }, api.tokenOf('agent1'))).statusCode).toBe(403);
    expect(
      (await api.app.inject({ url: '/api/agents/agent1', headers: api.as(SUPERVISOR) })).json().skills,
    ).toEqual({});
  });

  it("keeps them over the config file's through a restart, until put back to the file's", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cc-skills-')), 'cc.sqlite');
    const first = await buildApi({ database: file });
    await first.app.inject({
      method: 'PUT',
      url: '/api/agents/agent2/skills',
      headers: first.as(SUPERVISOR),
      payload: { skills: { french: 5 } },
    });
    await first.app.close();
    const second = await buildApi({ database: file });
    try {
      const skillsNow = async (agentId: string) =>
        (await second.app.inject({ url: `/api/agents/${agentId}`, headers: second.as(SUPERVISOR) })).json()
          .skills;
      expect(await skillsNow('agent2')).toEqual({ french: 5 });
      expect(await skillsNow('agent1')).toEqual({});
      const reset = await second.app.inject({
        method: 'DELETE',
        url: '/api/agents/agent2/skills',
        headers: second.as(SUPERVISOR),
      });
      expect(reset.json()).toEqual({ agentId: 'agent2', skills: {} });
      expect(await skillsNow('agent2')).toEqual({});
      expect((await new MembershipStore(second.db).allSkills()).has('agent2')).toBe(false);
    } finally {
      await second.app.close();
    }
  });
});

describe("a queue's line", () => {
  it('lists who waits for supervisors (in order, VIP first); agents are refused, an unknown queue is 404', async () => {
    api.acd.input({
      type: 'callerArrived',
      interactionId: 'c1',
      queueId: 'sales',
      callerNumber: '+15550000001',
    });
    api.acd.input({
      type: 'callerArrived',
      interactionId: 'c2',
      queueId: 'sales',
      callerNumber: '+15559990001',
    });
    const r = await api.app.inject({ url: '/api/queues/sales/line', headers: api.as(SUPERVISOR) });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.queueId).toBe('sales');
    // No call session behind these entries (router input only): no name to show.
    expect(body.places.map((p: { callerName: string }) => p.callerName)).toEqual(['', '']);
    expect(Date.parse(body.at)).toBeGreaterThan(0);
    expect(
      body.places.map((p: { interactionId: string; vip: boolean; position: number; state: string }) => [
        p.position,
        p.interactionId,
        p.vip,
        p.state,
      ]),
    ).toEqual([
      [1, 'c2', true, 'waiting'],
      [2, 'c1', false, 'waiting'],
    ]);
    const asAgent = await api.app.inject({
      url: '/api/queues/sales/line',
      headers: api.as(api.tokenOf('agent1')),
    });
    expect(asAgent.statusCode).toBe(403);
    const unknown = await api.app.inject({ url: '/api/queues/nope/line', headers: api.as(SUPERVISOR) });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('QUEUE_NOT_FOUND');
  });
});
