/**
 * Wall displays over the API (the real app, router, event hub, auth and SQLite log; fake Asterisk): a
 * supervisor makes a link, the link's key opens the board and its stream and nothing else, the board holds
 * no caller's number or name, the stream follows the floor, and a withdrawal ends it at once and for good
 * (through a restart too).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type WallBoard, WallBoardBody } from '../../../src/http/plugins/wall/schemas.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
const dirs: string[] = [];
afterEach(async () => {
  await api.app.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const boardShape = TypeCompiler.Compile(WallBoardBody);
const CALLER = '+15550107734';

const make = (name: string, token: string) =>
  api.app.inject({ method: 'POST', url: '/api/wall-displays', headers: api.as(token), payload: { name } });
const keyOf = (link: string) => decodeURIComponent(link.slice(link.indexOf('#key=') + 5));
const board = (key: string) => api.app.inject({ url: '/api/wall/board', headers: api.as(key) });
const arrive = (interactionId: string) =>
  api.acd.input({
    type: 'callerArrived',
    interactionId,
    queueId: 'sales',
    callerNumber: CALLER,
    callerName: 'Pat Caller',
  } as never);

/** What a screen is sent: a board, or why it is closed. */
type Message = Partial<WallBoard> & { type: string; code?: string };

/** A screen on the board's stream: every message it got, and how it was closed. */
function screen(base: string, key: string, options: { autoPong?: boolean } = {}) {
  const messages: Message[] = [];
  const ws = new WebSocket(
    `${base.replace('http', 'ws')}/api/wall/stream`,
    ['cc-events', `bearer.${Buffer.from(key).toString('base64url')}`],
    options,
  );
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString())));
  const next = async (count: number) => {
    for (let i = 0; i < 250 && messages.length < count; i++) await new Promise((r) => setTimeout(r, 20));
    return messages[count - 1];
  };
  return { ws, messages, closed, next };
}

describe('wall displays', () => {
  it("open the board with their link's key and nothing else; no caller is on it", async () => {
    api = await buildApi();
    api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'login', endpoint: 'PJSIP/agent1' } });
    api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'notReady', reason: 'lunch' } });
    // An id nothing else on the board can hold by chance (display ids and times are hex and digits).
    arrive('call-qwz');

    const made = await make('  Billing floor TV ', api.supervisorTokenOf('sam'));
    expect(made.statusCode).toBe(201);
    const display = made.json();
    expect(display).toMatchObject({
      name: 'Billing floor TV',
      createdBy: { id: 'sam', name: 'Sam Super' },
      watching: 0,
    });
    expect(display.link).toMatch(/^\/wall\/#key=wall~wd-[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    const key = keyOf(display.link);

    const shown = await board(key);
    expect(shown.statusCode).toBe(200);
    const body = shown.json();
    expect(boardShape.Check(body)).toBe(true);
    expect(body.display).toEqual({ id: display.id, name: 'Billing floor TV' });
    expect(body.queues).toHaveLength(1);
    expect(body.queues[0]).toMatchObject({
      id: 'sales',
      name: 'Sales',
      waiting: 1,
      agents: { loggedIn: 1, byState: { not_ready: 1 } },
    });
    expect(body.agents).toEqual([
      {
        id: 'agent1',
        name: 'agent1',
        state: 'not_ready',
        reason: 'lunch',
        reasonLabel: 'Lunch',
        since: expect.any(String),
      },
    ]);
    // The supervisors' own line view has the caller; the wall's board does not.
    const line = await api.app.inject({ url: '/api/queues/sales/line', headers: api.as(SUPERVISOR) });
    expect(line.body).toContain('5550107734');
    expect(shown.body).not.toContain('5550107734');
    expect(shown.body).not.toContain('Pat');
    expect(shown.body).not.toContain('call-qwz');

    // The key opens nothing else, and says so.
    for (const url of ['/api/queues', '/api/queues/sales/line', '/api/interactions', '/api/wall-displays']) {
      const other = await api.app.inject({ url, headers: api.as(key) });
      expect([url, other.statusCode, other.json().code]).toEqual([url, 403, 'DISPLAY_ONLY']);
    }
    expect((await api.app.inject({ url: '/api/queues', headers: api.as(key) })).json().message).toBe(
      "a wall display's link opens the wall display (/wall/) and nothing else: sign in as a supervisor or an agent for the rest",
    );
    // Nor does anything else open the board: a supervisor's token, an agent's, a forged or altered key.
    const [id, sig] = key.slice('wall~'.length).split('.') as [string, string];
    for (const other of [
      SUPERVISOR,
      api.tokenOf('agent1'),
      `wall~${id}.${'A'.repeat(43)}`,
      `wall~wd-0.${sig}`,
    ]) {
      const refused = await board(other);
      expect([refused.statusCode, refused.json().code]).toEqual([401, 'DISPLAY_KEY_INVALID']);
    }
    const none = await api.app.inject({ url: '/api/wall/board' });
    expect(none.json().message).toMatch(/^open the wall display with its link/);
    // Making and listing displays is the supervisors'.
    expect((await make('Agent TV', api.tokenOf('agent1'))).statusCode).toBe(403);
    const list = await api.app.inject({ url: '/api/wall-displays', headers: api.as(SUPERVISOR) });
    expect(list.json().items).toEqual([display]);
    const changes = await api.app.inject({ url: '/api/changes', headers: api.as(SUPERVISOR) });
    expect(changes.json().changes).toContainEqual(
      expect.objectContaining({
        action: 'wall-display.made',
        subject: display.id,
        after: { name: 'Billing floor TV' },
        by: { supervisor: { id: 'sam', name: 'Sam Super' } },
      }),
    );
  });

  it('refuse a blank, overlong or two-line name, and a name one standing has', async () => {
    api = await buildApi();
    const refusal = async (name: unknown) => {
      const answer = await api.app.inject({
        method: 'POST',
        url: '/api/wall-displays',
        headers: api.as(SUPERVISOR),
        payload: { name },
      });
      return [answer.statusCode, answer.json().code];
    };
    expect(await refusal('')).toEqual([400, 'REQUEST_INVALID']);
    expect(await refusal('   ')).toEqual([400, 'DISPLAY_NAME_INVALID']);
    expect(await refusal('x'.repeat(81))).toEqual([400, 'DISPLAY_NAME_INVALID']);
    expect(await refusal('Floor\nTV')).toEqual([400, 'DISPLAY_NAME_INVALID']);
    expect((await make('Floor TV', SUPERVISOR)).statusCode).toBe(201);
    const taken = await make('floor tv', SUPERVISOR);
    expect([taken.statusCode, taken.json()]).toEqual([
      409,
      {
        code: 'DISPLAY_NAME_TAKEN',
        message:
          'a wall display named "Floor TV" stands already: give this one another name, or use that one\'s link',
      },
    ]);
    const extra = await api.app.inject({
      method: 'POST',
      url: '/api/wall-displays',
      headers: api.as(SUPERVISOR),
      payload: { name: 'Lobby', key: 'mine' },
    });
    expect(extra.statusCode).toBe(400);
    const list = await api.app.inject({ url: '/api/wall-displays', headers: api.as(SUPERVISOR) });
    expect(list.json().items.map((d: { name: string }) => d.name)).toEqual(['Floor TV']);
  });

  it('stream the board as the floor changes; a withdrawal ends the screen with words, at once', async () => {
    api = await buildApi();
    const base = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const display = (await make('Corridor', SUPERVISOR)).json();
    const tv = screen(base, keyOf(display.link));
    const first = await tv.next(1);
    expect(first).toMatchObject({ type: 'board', display: { name: 'Corridor' } });
    expect(boardShape.Check(first)).toBe(true);
    expect(first?.queues?.[0]?.waiting).toBe(0);

    arrive('c7');
    const second = await tv.next(2);
    expect(second?.queues?.[0]?.waiting).toBe(1);
    // An agent signing in is offered the caller at once: the wall shows them ringing.
    api.acd.input({ type: 'agent', agentId: 'agent2', input: { type: 'login', endpoint: 'PJSIP/agent2' } });
    const third = await tv.next(3);
    expect(third?.agents?.map((a) => [a.id, a.state])).toEqual([['agent2', 'offered']]);
    expect(JSON.stringify(tv.messages)).not.toContain('5550107734');
    const listed = await api.app.inject({ url: '/api/wall-displays', headers: api.as(SUPERVISOR) });
    expect(listed.json().items[0].watching).toBe(1);

    const withdrawn = await api.app.inject({
      method: 'DELETE',
      url: `/api/wall-displays/${display.id}`,
      headers: api.as(api.supervisorTokenOf('tess')),
    });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json()).toMatchObject({
      display: { id: display.id, name: 'Corridor' },
      by: { id: 'tess' },
    });
    expect(await tv.closed).toBe(4401);
    expect(tv.messages.at(-1)).toEqual({
      type: 'error',
      code: 'DISPLAY_WITHDRAWN',
      message:
        'this wall display was withdrawn by a supervisor: ask one for a new link (wallboard, Wall displays)',
    });
    const after = await board(keyOf(display.link));
    expect([after.statusCode, after.json().code]).toEqual([401, 'DISPLAY_WITHDRAWN']);
    const again = screen(base, keyOf(display.link));
    expect(await again.closed).toBe(4401);
    expect(again.messages).toEqual([expect.objectContaining({ type: 'error', code: 'DISPLAY_WITHDRAWN' })]);
    const twice = await api.app.inject({
      method: 'DELETE',
      url: `/api/wall-displays/${display.id}`,
      headers: api.as(SUPERVISOR),
    });
    expect([twice.statusCode, twice.json().code]).toEqual([404, 'DISPLAY_NOT_FOUND']);
  });

  it("show a team's queues and the agents in them; their queues change with the same link, live", async () => {
    api = await buildApi({ moreQueueIds: ['support'] });
    const base = await api.app.listen({ host: '127.0.0.1', port: 0 });
    for (const agentId of ['agent1', 'agent2']) {
      api.acd.input({ type: 'agent', agentId, input: { type: 'login', endpoint: `PJSIP/${agentId}` } });
      api.acd.input({ type: 'agent', agentId, input: { type: 'notReady', reason: 'break' } });
    }
    const refused = await api.app.inject({
      method: 'POST',
      url: '/api/wall-displays',
      headers: api.as(SUPERVISOR),
      payload: { name: 'Team', queueIds: ['support', 'nope'] },
    });
    expect([refused.statusCode, refused.json()]).toEqual([
      400,
      { code: 'DISPLAY_QUEUES_INVALID', message: 'no queue "nope": the queues are sales, support' },
    ]);
    const made = await api.app.inject({
      method: 'POST',
      url: '/api/wall-displays',
      headers: api.as(SUPERVISOR),
      payload: { name: 'Support team', queueIds: ['support'] },
    });
    expect(made.json()).toMatchObject({ name: 'Support team', queueIds: ['support'] });
    const display = made.json();
    const key = keyOf(display.link);
    // Support has no members: its screen shows its queue only, and nobody.
    const support = (await board(key)).json();
    expect(support.queues.map((q: { id: string }) => q.id)).toEqual(['support']);
    expect(support.agents).toEqual([]);

    const tv = screen(base, key);
    expect((await tv.next(1))?.queues?.map((q) => q.id)).toEqual(['support']);
    const changeTo = (queueIds: string[] | null, token = api.supervisorTokenOf('sam')) =>
      api.app.inject({
        method: 'PUT',
        url: `/api/wall-displays/${display.id}/queues`,
        headers: api.as(token),
        payload: { queueIds },
      });
    const changed = await changeTo(['sales']);
    expect(changed.json()).toMatchObject({ id: display.id, queueIds: ['sales'], link: display.link });
    // The screen is sent its new board at once: Sales, and its members.
    const now = await tv.next(2);
    expect(now?.queues?.map((q) => q.id)).toEqual(['sales']);
    expect(now?.agents?.map((a) => a.id)).toEqual(['agent1', 'agent2']);
    expect((await changeTo(['nope'])).json().code).toBe('DISPLAY_QUEUES_INVALID');
    expect((await changeTo([])).statusCode).toBe(400);
    expect((await changeTo(null, api.tokenOf('agent1'))).statusCode).toBe(403);
    const all = await changeTo(null);
    expect(all.json()).not.toHaveProperty('queueIds');
    expect((await tv.next(3))?.queues?.map((q) => q.id)).toEqual(['sales', 'support']);
    const gone = await api.app.inject({
      method: 'PUT',
      url: '/api/wall-displays/wd-0/queues',
      headers: api.as(SUPERVISOR),
      payload: { queueIds: null },
    });
    expect([gone.statusCode, gone.json().code]).toEqual([404, 'DISPLAY_NOT_FOUND']);
    const changes = await api.app.inject({
      url: '/api/changes?action=wall-display.queues',
      headers: api.as(SUPERVISOR),
    });
    expect(
      changes.json().changes.map((c: { before: unknown; after: unknown }) => [c.before, c.after]),
    ).toEqual([
      [{ name: 'Support team', queueIds: ['sales'] }, { name: 'Support team' }],
      [
        { name: 'Support team', queueIds: ['support'] },
        { name: 'Support team', queueIds: ['sales'] },
      ],
    ]);
    tv.ws.close();
  });

  it("keep a screen that answers the stream's pings, and drop one that went away without a close", async () => {
    api = await buildApi({ streamHeartbeatMs: 100 });
    const base = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const key = keyOf((await make('Lobby', SUPERVISOR)).json().link);
    const on = screen(base, key);
    const off = screen(base, key, { autoPong: false }); // a TV switched off at the wall: no close, no answers
    await Promise.all([on.next(1), off.next(1)]);
    expect(await off.closed).toBe(1006);
    // Ten heartbeats on, the one that answers is still there, and still told of changes.
    await new Promise((r) => setTimeout(r, 1000));
    arrive('c9');
    expect((await on.next(2))?.queues?.[0]?.waiting).toBe(1);
    const listed = await api.app.inject({ url: '/api/wall-displays', headers: api.as(SUPERVISOR) });
    expect(listed.json().items[0].watching).toBe(1);
    on.ws.close();
  });

  it('stand through a restart until withdrawn', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wall-'));
    dirs.push(dir);
    const database = join(dir, 'cc.sqlite');
    api = await buildApi({ database });
    const kept = (await make('Team A', api.supervisorTokenOf('sam'))).json();
    const team = (
      await api.app.inject({
        method: 'POST',
        url: '/api/wall-displays',
        headers: api.as(SUPERVISOR),
        payload: { name: 'Team C', queueIds: ['sales'] },
      })
    ).json();
    const gone = (await make('Team B', SUPERVISOR)).json();
    await api.app.inject({
      method: 'DELETE',
      url: `/api/wall-displays/${gone.id}`,
      headers: api.as(SUPERVISOR),
    });
    await api.app.close();

    api = await buildApi({ database });
    const list = await api.app.inject({ url: '/api/wall-displays', headers: api.as(SUPERVISOR) });
    const byName = (items: { name: string }[]) => [...items].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(list.json().items)).toEqual([kept, team]);
    expect((await board(keyOf(kept.link))).statusCode).toBe(200);
    expect((await board(keyOf(gone.link))).json().code).toBe('DISPLAY_WITHDRAWN');
  });
});
