/**
 * The agents' roster over the API (the real app, SQLite and agent-state log; fake Asterisk): supervisors put
 * shifts on it (all or none) and take one off, in the change log; agents read their own; a shift begun says
 * how it went (adherence); the staffing forecast sets the agents on shift beside the agents needed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/events/event-hub.js';
import { mayReceive } from '../../../src/http/plugins/events/index.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

let api: Awaited<ReturnType<typeof buildApi>>;
let told: StreamEvent[];
beforeEach(async () => {
  api = await buildApi({ moreAgentIds: ['agent3'] });
  told = [];
  api.hub.subscribe((event) => {
    if (event.type === 'shift.changed') told.push(event);
  });
});
afterEach(async () => {
  await api.app.close();
});

const HOUR = 3_600_000;
const MIN = 60_000;
const get = (url: string, token = SUPERVISOR) => api.app.inject({ url, headers: api.as(token) });
const post = (items: object[], token = SUPERVISOR) =>
  api.app.inject({ method: 'POST', url: '/api/shifts', headers: api.as(token), payload: { items } });
const iso = (ms: number) => new Date(ms).toISOString();

describe('the roster', () => {
  it("puts shifts on it and takes one off (change log); a shift begun says the agent's time staffed so far", async () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    // agent1 signed in 90 minutes ago and went on a break 30 minutes ago: an hour staffed of the shift's two.
    await api.agentLog.append({ agentId: 'agent1', at: now - 90 * MIN, from: 'logged_out', to: 'available' });
    await api.agentLog.append({
      agentId: 'agent1',
      at: now - 30 * MIN,
      from: 'available',
      to: 'not_ready',
      reason: 'break',
    });
    const sam = api.supervisorTokenOf('sam');
    const added = await post(
      [
        { agentId: 'agent1', start: iso(now - 2 * HOUR), end: iso(now + 6 * HOUR), note: ' early ' },
        { agentId: 'agent2', start: iso(now + 24 * HOUR), end: iso(now + 32 * HOUR) },
      ],
      sam,
    );
    expect(added.statusCode, added.body).toBe(201);
    const [early, tomorrow] = added.json().items;
    expect(early).toMatchObject({
      agentId: 'agent1',
      agentName: 'agent1',
      start: iso(now - 2 * HOUR),
      end: iso(now + 6 * HOUR),
      note: 'early',
      by: { id: 'sam', name: 'Sam Super' },
    });
    expect(tomorrow).toMatchObject({ agentId: 'agent2', note: null });

    const listed = await get(
      `/api/shifts?from=${encodeURIComponent(iso(now - 3 * HOUR))}&to=${encodeURIComponent(iso(now + 48 * HOUR))}`,
    );
    expect(listed.statusCode, listed.body).toBe(200);
    const items = listed.json().items;
    expect(items.map((s: { id: string }) => s.id)).toEqual([early.id, tomorrow.id]);
    expect(items[0].adherence.staffedSeconds).toBe(3600);
    expect(items[0].adherence.elapsedSeconds).toBeGreaterThanOrEqual(7200);
    expect(items[0].adherence.elapsedSeconds).toBeLessThan(7260);
    expect(items[0].adherence.percent).toBeCloseTo(50, 0);
    expect(items[1]).not.toHaveProperty('adherence'); // not begun
    // An agent reads their own, not a colleague's.
    const own = await get(
      `/api/shifts?from=${encodeURIComponent(iso(now - 3 * HOUR))}&to=${encodeURIComponent(iso(now + 48 * HOUR))}`,
      api.tokenOf('agent2'),
    );
    expect(own.json().items.map((s: { id: string }) => s.id)).toEqual([tomorrow.id]);
    expect((await get('/api/shifts?agentId=agent1', api.tokenOf('agent2'))).statusCode).toBe(403);

    const removed = await api.app.inject({
      method: 'DELETE',
      url: `/api/shifts/${tomorrow.id}`,
      headers: api.as(sam),
    });
    expect(removed.statusCode, removed.body).toBe(200);
    const again = await api.app.inject({
      method: 'DELETE',
      url: `/api/shifts/${tomorrow.id}`,
      headers: api.as(sam),
    });
    expect([again.statusCode, again.json().code]).toEqual([404, 'SHIFT_NOT_FOUND']);
    const changes = (await get('/api/changes')).json().changes as {
      action: string;
      subject: string;
      supervisor?: { id: string };
    }[];
    // Told live: those agents and the supervisors, not a colleague.
    expect(told.map((e) => e.data)).toEqual([
      { change: 'added', agentIds: ['agent1', 'agent2'] },
      { change: 'removed', agentIds: ['agent2'] },
    ]);
    expect(told.map((e) => mayReceive({ role: 'agent', agentId: 'agent1' }, e))).toEqual([true, false]);
    expect(told.map((e) => mayReceive({ role: 'supervisor' }, e))).toEqual([true, true]);
    expect(changes.filter((c) => c.action.startsWith('shift.')).map((c) => [c.action, c.subject])).toEqual([
      ['shift.removed', tomorrow.id],
      ['shift.added', '2 shifts'],
    ]);
    expect(
      (
        await post(
          [{ agentId: 'agent1', start: iso(now + 30 * HOUR), end: iso(now + 31 * HOUR) }],
          api.tokenOf('agent1'),
        )
      ).statusCode,
    ).toBe(403);
  });

  it('refuses a roster with any bad shift, naming each, and puts none of it on', async () => {
    const now = Date.now();
    await post([{ agentId: 'agent1', start: iso(now + HOUR), end: iso(now + 9 * HOUR) }]);
    const unknown = await post([{ agentId: 'nobody', start: iso(now + HOUR), end: iso(now + 2 * HOUR) }]);
    expect([unknown.statusCode, unknown.json()]).toEqual([
      400,
      { code: 'AGENT_NOT_FOUND', message: 'nothing was put on the roster: items.0.agentId: no agent nobody' },
    ]);
    const invalid = await post([
      { agentId: 'agent2', start: iso(now + HOUR), end: iso(now + 9 * HOUR) },
      { agentId: 'agent2', start: iso(now + 30 * HOUR), end: iso(now + 20 * HOUR) },
    ]);
    expect([invalid.statusCode, invalid.json().code]).toEqual([400, 'SHIFT_INVALID']);
    expect(invalid.json().message).toMatch(
      /^nothing was put on the roster: items\.1: ends \(.+\) before it starts/,
    );
    const overlap = await post([
      { agentId: 'agent1', start: iso(now + 8 * HOUR), end: iso(now + 12 * HOUR) },
    ]);
    expect([overlap.statusCode, overlap.json().code]).toEqual([409, 'SHIFT_OVERLAP']);
    expect(overlap.json().message).toContain('items.0: agent1 is on a shift then already');
    const items = (
      await get(
        `/api/shifts?from=${encodeURIComponent(iso(now))}&to=${encodeURIComponent(iso(now + 48 * HOUR))}`,
      )
    ).json().items;
    expect(items.map((s: { agentId: string }) => s.agentId)).toEqual(['agent1']);
    expect((await get('/api/shifts?from=2026-01-01&to=2026-03-01')).json().code).toBe('RANGE_TOO_LONG');
    expect((await get('/api/shifts?from=2026-03-02&to=2026-03-01')).statusCode).toBe(400);
  });

  it("puts a roster file on it: agents by id or name, the contact center's clock; a bad line refuses the file", async () => {
    const zone = api.acd.timeZone;
    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(Date.now() + 24 * HOUR);
    const roster = [
      'Employee;Day;Start;End;Activity',
      `agent1;${tomorrow};09:00;17:00;early`,
      `AGENT2;${tomorrow};22:00;06:00;night`,
    ].join('\r\n');
    const added = await api.app.inject({
      method: 'POST',
      url: '/api/shifts',
      headers: { ...api.as(SUPERVISOR), 'content-type': 'text/csv' },
      payload: roster,
    });
    expect(added.statusCode, added.body).toBe(201);
    const wall = (time: string, days = 0) => {
      // The instant the zone's clock shows then, found from the offset the zone has at that time.
      const asUtc = Date.parse(`${tomorrow}T${time}:00Z`) + days * 24 * HOUR;
      const offset = (at: number) => {
        const parts = new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
        }).formatToParts(at);
        const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
        return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute')) - at;
      };
      return iso(asUtc - offset(asUtc));
    };
    expect(
      added
        .json()
        .items.map((s: { agentId: string; start: string; end: string; note: string }) => [
          s.agentId,
          s.start,
          s.end,
          s.note,
        ]),
    ).toEqual([
      ['agent1', wall('09:00'), wall('17:00'), 'early'],
      ['agent2', wall('22:00'), wall('06:00', 1), 'night'],
    ]);
    // A line naming nobody, or clashing with a shift on the roster, refuses the file by its line.
    const refused = await api.app.inject({
      method: 'POST',
      url: '/api/shifts',
      headers: api.as(SUPERVISOR),
      payload: {
        itemsCsv: `agent,date,from,to\nagent2,${tomorrow},08:00,12:00\nnobody,${tomorrow},08:00,12:00\n`,
      },
    });
    expect(refused.json()).toEqual({
      code: 'AGENT_NOT_FOUND',
      message: 'nothing was put on the roster: line 3: agent: no agent nobody',
    });
    const clash = await api.app.inject({
      method: 'POST',
      url: '/api/shifts',
      headers: api.as(SUPERVISOR),
      payload: { itemsCsv: `agent,date,from,to\nagent1,${tomorrow},16:00,20:00\n` },
    });
    expect([clash.statusCode, clash.json().code]).toEqual([409, 'SHIFT_OVERLAP']);
    expect(clash.json().message).toMatch(
      /^nothing was put on the roster: line 2: agent1 is on a shift then already/,
    );
    const badTime = await api.app.inject({
      method: 'POST',
      url: '/api/shifts',
      headers: api.as(SUPERVISOR),
      payload: { itemsCsv: `agent,date,from,to\nagent1,${tomorrow},9am,12:00\n` },
    });
    expect([badTime.statusCode, badTime.json().code]).toEqual([400, 'INVALID_ROSTER_FILE']);
    const both = await api.app.inject({
      method: 'POST',
      url: '/api/shifts',
      headers: api.as(SUPERVISOR),
      payload: {
        items: [{ agentId: 'agent1', start: iso(Date.now()), end: iso(Date.now() + HOUR) }],
        itemsCsv: 'agent,date,from,to\n',
      },
    });
    expect([both.statusCode, both.json().message]).toEqual([400, 'give items or itemsCsv, not both']);
  });

  it('keeps breaks with a shift: adherence expects the agent away then, Now says what it plans and if the seat keeps to it', async () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    // agent1 staffed from 3 hours ago, through the hour's lunch that ended an hour ago, and on since.
    await api.agentLog.append({ agentId: 'agent1', at: now - 3 * HOUR, from: 'logged_out', to: 'available' });
    // agent2 staffed from 3 hours ago, away for the lunch, back after it; now on the break planned.
    await api.agentLog.append({ agentId: 'agent2', at: now - 3 * HOUR, from: 'logged_out', to: 'available' });
    await api.agentLog.append({
      agentId: 'agent2',
      at: now - 2 * HOUR,
      from: 'available',
      to: 'not_ready',
      reason: 'lunch',
    });
    await api.agentLog.append({ agentId: 'agent2', at: now - HOUR, from: 'not_ready', to: 'available' });
    api.acd.input({ type: 'agent', agentId: 'agent1', input: { type: 'login', endpoint: 'PJSIP/agent1' } });
    api.acd.input({ type: 'agent', agentId: 'agent2', input: { type: 'login', endpoint: 'PJSIP/agent2' } });
    const lunch = { start: iso(now - 2 * HOUR), end: iso(now - HOUR), label: ' Lunch ' };
    const coffee = { start: iso(now - 10 * MIN), end: iso(now + 5 * MIN) };
    const added = await post([
      { agentId: 'agent1', start: iso(now - 3 * HOUR), end: iso(now + 5 * HOUR), breaks: [coffee, lunch] },
      { agentId: 'agent2', start: iso(now - 3 * HOUR), end: iso(now + 5 * HOUR), breaks: [lunch, coffee] },
    ]);
    expect(added.statusCode, added.body).toBe(201);
    const kept = [
      { start: lunch.start, end: lunch.end, label: 'Lunch' },
      { start: coffee.start, end: coffee.end, label: null },
    ];
    expect(added.json().items.map((s: { breaks: unknown }) => s.breaks)).toEqual([kept, kept]);
    const change = (await get('/api/changes'))
      .json()
      .changes.find((c: { action: string }) => c.action === 'shift.added');
    expect(change.after.map((s: { breaks: unknown }) => s.breaks)).toEqual([kept, kept]);

    const [first, second] = (await get('/api/shifts')).json().items as {
      agentId: string;
      breaks: unknown;
      adherence: Record<string, number>;
      now: Record<string, unknown>;
    }[];
    expect(first!.breaks).toEqual(kept);
    // agent1: 3 hours gone, 70 minutes of them breaks, all staffed: 110 minutes kept of 180.
    expect(first!.adherence.breakSeconds).toBeCloseTo(70 * 60, -1);
    expect(first!.adherence.staffedOnBreakSeconds).toBeCloseTo(70 * 60, -1);
    expect(first!.adherence.staffedSeconds).toBeCloseTo(110 * 60, -1);
    expect(first!.adherence.percent).toBeCloseTo(61.1, 0);
    // agent2: away for lunch (kept), staffed through the coffee break so far (ten minutes not kept).
    expect(second!.adherence.staffedOnBreakSeconds).toBeCloseTo(10 * 60, -1);
    expect(second!.adherence.percent).toBeCloseTo(94.4, 0);
    // On the coffee break now, both seats ready: neither keeps to it.
    expect(first!.now).toEqual({
      activity: 'break',
      label: null,
      until: coffee.end,
      agentState: 'available',
      inAdherence: false,
    });
    api.acd.input({
      type: 'agent',
      agentId: 'agent2',
      input: { type: 'notReady', reason: 'break' },
    });
    const later = (await get('/api/shifts?agentId=agent2')).json().items[0];
    expect(later.now).toMatchObject({ activity: 'break', agentState: 'not_ready', inAdherence: true });

    // Staffing leaves an agent on a break out of the agents on shift.
    // The quarter hour holding the middle of lunch lies wholly inside it (on that instant's day).
    const midLunch = now - 1.5 * HOUR;
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: api.acd.timeZone }).format(midLunch);
    const rows = (await get(`/api/reports/staffing?queueId=sales&date=${day}&interval=15min`)).json()
      .rows as { start: string; onShift: number | null }[];
    const quarterOf = (t: number) =>
      rows.find((r) => Date.parse(r.start) <= t && t < Date.parse(r.start) + 15 * MIN);
    expect(quarterOf(midLunch)?.onShift).toBe(0);

    // Breaks that do not fit the shift refuse the roster, named.
    const bad = await post([
      {
        agentId: 'agent3',
        start: iso(now + 24 * HOUR),
        end: iso(now + 32 * HOUR),
        breaks: [{ start: iso(now + 23 * HOUR), end: iso(now + 24.5 * HOUR) }],
      },
    ]);
    expect([bad.statusCode, bad.json().code, bad.json().message]).toEqual([
      400,
      'SHIFT_INVALID',
      `nothing was put on the roster: items.0: break 1 (${iso(now + 23 * HOUR)} to ${iso(now + 24.5 * HOUR)}) is not inside the shift`,
    ]);
    // Removing the shift takes its breaks with it (in the change log's before).
    const gone = await api.app.inject({
      method: 'DELETE',
      url: `/api/shifts/${added.json().items[0].id}`,
      headers: api.as(SUPERVISOR),
    });
    expect(gone.json().breaks).toEqual(kept);
    expect((await get('/api/changes')).json().changes[0].before.breaks).toEqual(kept);
  });

  it('changes a shift: a lunch moved, a note; refused when a break falls outside, it clashes, or nothing is given', async () => {
    const day = Math.floor(Date.now() / HOUR) * HOUR + 24 * HOUR;
    const added = await post([
      {
        agentId: 'agent1',
        start: iso(day),
        end: iso(day + 8 * HOUR),
        note: 'early',
        breaks: [{ start: iso(day + 3 * HOUR), end: iso(day + 3.5 * HOUR), label: 'Lunch' }],
      },
      { agentId: 'agent1', start: iso(day + 10 * HOUR), end: iso(day + 14 * HOUR), note: 'second' },
    ]);
    expect(added.statusCode, added.body).toBe(201);
    const [first, second] = added.json().items as { id: string }[];
    told = [];
    const put = (id: string, payload: object, token = SUPERVISOR) =>
      api.app.inject({ method: 'PUT', url: `/api/shifts/${id}`, headers: api.as(token), payload });

    const lunch = { start: iso(day + 4 * HOUR), end: iso(day + 4.5 * HOUR), label: 'Lunch' };
    const moved = await put(first!.id, { breaks: [lunch], note: ' late ' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({
      id: first!.id,
      start: iso(day),
      end: iso(day + 8 * HOUR),
      note: 'late',
      breaks: [lunch],
    });
    const listed = await get(
      `/api/shifts?from=${encodeURIComponent(iso(day))}&to=${encodeURIComponent(iso(day + 12 * HOUR))}`,
    );
    expect(listed.json().items.map((s: { breaks: unknown; note: string }) => [s.note, s.breaks])).toEqual([
      ['late', [lunch]],
      ['second', []],
    ]);
    const change = (await get('/api/changes')).json().changes[0];
    expect(change).toMatchObject({
      action: 'shift.changed',
      subject: first!.id,
      before: { agentId: 'agent1', note: 'early', breaks: [{ start: iso(day + 3 * HOUR), label: 'Lunch' }] },
      after: { agentId: 'agent1', note: 'late', breaks: [lunch] },
    });
    expect(told.map((e) => e.data)).toEqual([{ change: 'changed', agentIds: ['agent1'] }]);

    // Ending at 11:00 leaves the 12:00 lunch outside: refused, nothing changed.
    const short = await put(first!.id, { end: iso(day + 2 * HOUR) });
    expect([short.statusCode, short.json().code, short.json().message]).toEqual([
      400,
      'SHIFT_INVALID',
      `nothing was changed: the shift: break 1 (${lunch.start} to ${lunch.end}) is not inside the shift`,
    ]);
    // Its end moved into the next shift: a clash.
    const long = await put(first!.id, { end: iso(day + 11 * HOUR) });
    expect([long.statusCode, long.json().code]).toEqual([409, 'SHIFT_OVERLAP']);
    expect(long.json().message).toBe(
      `nothing was changed: the shift: agent1 is on a shift then already (${iso(day + 10 * HOUR)} to ${iso(day + 14 * HOUR)})`,
    );
    // Shortened with the break dropped, and the note taken off: fine; the second shift untouched.
    const cut = await put(first!.id, { end: iso(day + 2 * HOUR), breaks: [], note: '' });
    expect(cut.statusCode, cut.body).toBe(200);
    expect(cut.json()).toMatchObject({ end: iso(day + 2 * HOUR), note: null, breaks: [] });
    expect((await put(second!.id, {})).json().code).toBe('REQUEST_INVALID');
    expect((await put('nope', { note: 'x' })).statusCode).toBe(404);
    expect((await put(second!.id, { note: 'x' }, api.tokenOf('agent1'))).statusCode).toBe(403);
    expect(told).toHaveLength(2); // the refusals told nobody
    // Cover for an agent off sick: the second shift given to agent2, told to both; the change log says who.
    const covered = await put(second!.id, { agentId: 'agent2' });
    expect(covered.statusCode, covered.body).toBe(200);
    expect(covered.json()).toMatchObject({ agentId: 'agent2', agentName: 'agent2', note: 'second' });
    expect(told.at(-1)?.data).toEqual({ change: 'changed', agentIds: ['agent1', 'agent2'] });
    expect((await get('/api/changes')).json().changes[0]).toMatchObject({
      action: 'shift.changed',
      before: { agentId: 'agent1' },
      after: { agentId: 'agent2' },
    });
    // agent2 cannot take the first one running into it; nobody is no agent.
    const clash = await put(first!.id, { agentId: 'agent2', end: iso(day + 11 * HOUR) });
    expect([clash.statusCode, clash.json().code]).toEqual([409, 'SHIFT_OVERLAP']);
    expect(clash.json().message).toContain('agent2 is on a shift then already');
    const nobody = await put(first!.id, { agentId: 'nobody' });
    expect([nobody.statusCode, nobody.json().code, nobody.json().message]).toEqual([
      400,
      'AGENT_NOT_FOUND',
      'nothing was changed: no agent nobody',
    ]);
    expect(told).toHaveLength(3);
  });

  it("reports adherence over a range: each shift begun and each agent's summed, as JSON and CSV", async () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    // agent1 staffed from 4 hours ago, away on the hour's lunch (3 to 2 hours ago).
    await api.agentLog.append({ agentId: 'agent1', at: now - 4 * HOUR, from: 'logged_out', to: 'available' });
    await api.agentLog.append({
      agentId: 'agent1',
      at: now - 3 * HOUR,
      from: 'available',
      to: 'not_ready',
      reason: 'lunch',
    });
    await api.agentLog.append({ agentId: 'agent1', at: now - 2 * HOUR, from: 'not_ready', to: 'available' });
    // agent2 never signed in.
    const added = await post([
      {
        agentId: 'agent1',
        start: iso(now - 4 * HOUR),
        end: iso(now - HOUR),
        breaks: [{ start: iso(now - 3 * HOUR), end: iso(now - 2 * HOUR), label: 'Lunch' }],
      },
      { agentId: 'agent2', start: iso(now - 2 * HOUR), end: iso(now - HOUR) },
      { agentId: 'agent2', start: iso(now + HOUR), end: iso(now + 2 * HOUR) }, // not begun: not counted
    ]);
    expect(added.statusCode, added.body).toBe(201);
    const range = `from=${encodeURIComponent(iso(now - 5 * HOUR))}&to=${encodeURIComponent(iso(now + 3 * HOUR))}`;
    const report = await get(`/api/shifts/adherence?${range}`);
    expect(report.statusCode, report.body).toBe(200);
    const body = report.json();
    expect(body.shifts.map((r: { agentId: string }) => r.agentId)).toEqual(['agent1', 'agent2']);
    expect(body.shifts[0]).toMatchObject({
      agentId: 'agent1',
      elapsedSeconds: 3 * 3600,
      workSeconds: 2 * 3600,
      breakSeconds: 3600,
      staffedSeconds: 2 * 3600,
      staffedOnBreakSeconds: 0,
      percent: 100,
      conformancePercent: 100,
    });
    expect(body.shifts[1]).toMatchObject({ agentId: 'agent2', staffedSeconds: 0, percent: 0 });
    expect(body.agents).toEqual([
      expect.objectContaining({ agentId: 'agent1', shifts: 1, percent: 100 }),
      expect.objectContaining({
        agentId: 'agent2',
        shifts: 1,
        elapsedSeconds: 3600,
        percent: 0,
        conformancePercent: 0,
      }),
    ]);
    const csv = await get(`/api/shifts/adherence?${range}&format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'shiftId,agentId,agentName,date,start,end,shifts,elapsedSeconds,workSeconds,breakSeconds,staffedSeconds,staffedOnBreakSeconds,percent,conformancePercent',
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 2)[0])).toEqual(['agent1', 'agent2']);
    // An agent reads their own only.
    const own = await get(`/api/shifts/adherence?${range}`, api.tokenOf('agent2'));
    expect(own.json().agents.map((a: { agentId: string }) => a.agentId)).toEqual(['agent2']);
    expect((await get(`/api/shifts/adherence?agentId=agent1`, api.tokenOf('agent2'))).statusCode).toBe(403);
    expect((await get('/api/shifts/adherence?from=2026-01-01&to=2026-03-01')).json().code).toBe(
      'RANGE_TOO_LONG',
    );
  });

  it("lists real-time adherence's exceptions over a range: each, and each agent's summed, as JSON and CSV", async () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    const log = api.exceptionLog;
    // agent1 off their roster for 20 minutes an hour ago; agent2 off it since 10 minutes ago, standing.
    const over = await log.opened(
      {
        agentId: 'agent1',
        shiftId: 's1',
        activity: 'break',
        label: 'Lunch',
        since: now - 60 * MIN,
        agentState: 'available',
      },
      now - 55 * MIN,
    );
    await log.ended(over, now - 40 * MIN, 'not_ready');
    await log.opened(
      {
        agentId: 'agent2',
        shiftId: 's2',
        activity: 'working',
        label: null,
        since: now - 10 * MIN,
        agentState: 'logged_out',
      },
      now - 5 * MIN,
    );
    const history = await get('/api/shifts/exceptions/history');
    expect(history.statusCode).toBe(200);
    const body = history.json();
    expect(body.items).toMatchObject([
      {
        agentId: 'agent1',
        activity: 'break',
        label: 'Lunch',
        since: iso(now - 60 * MIN),
        toldAt: iso(now - 55 * MIN),
        agentState: 'available',
        endedAt: iso(now - 40 * MIN),
        endedState: 'not_ready',
        seconds: 1200,
      },
      { agentId: 'agent2', activity: 'working', endedAt: null, endedState: null },
    ]);
    expect(body.items[1].seconds).toBeGreaterThanOrEqual(600);
    expect(body.items[1].seconds).toBeLessThan(620);
    expect(
      body.agents.map((a: { agentId: string; exceptions: number }) => [a.agentId, a.exceptions]),
    ).toEqual([
      ['agent1', 1],
      ['agent2', 1],
    ]);
    // An agent reads their own, not a colleague's.
    const own = await get('/api/shifts/exceptions/history', api.tokenOf('agent2'));
    expect(own.json().items.map((e: { agentId: string }) => e.agentId)).toEqual(['agent2']);
    expect(
      (await get('/api/shifts/exceptions/history?agentId=agent1', api.tokenOf('agent2'))).statusCode,
    ).toBe(403);
    // A range that ends before agent2's began has agent1's only; too long a range is refused.
    const early = await get(
      `/api/shifts/exceptions/history?from=${iso(now - 2 * HOUR)}&to=${iso(now - 30 * MIN)}`,
    );
    expect(early.json().items.map((e: { agentId: string }) => e.agentId)).toEqual(['agent1']);
    expect((await get('/api/shifts/exceptions/history?from=2026-01-01&to=2026-03-01')).json()).toMatchObject({
      code: 'RANGE_TOO_LONG',
    });
    // As a spreadsheet: a line per exception.
    const csv = await get('/api/shifts/exceptions/history?format=csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...lines] = csv.body.trimEnd().split('\r\n');
    expect(header).toBe(
      'id,agentId,agentName,shiftId,activity,label,since,toldAt,agentState,endedAt,endedState,seconds',
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`,agent1,agent1,s1,break,Lunch,${iso(now - 60 * MIN)},`);
  });

  it('copies days of the roster to later days: times, notes and breaks; a clash refuses it all, named', async () => {
    const dayOf = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: api.acd.timeZone }).format(ms);
    const tomorrow = Math.floor(Date.now() / HOUR) * HOUR + 24 * HOUR;
    const added = await post([
      {
        agentId: 'agent1',
        start: iso(tomorrow),
        end: iso(tomorrow + 8 * HOUR),
        note: 'early',
        breaks: [{ start: iso(tomorrow + 4 * HOUR), end: iso(tomorrow + 4.5 * HOUR), label: 'Lunch' }],
      },
      { agentId: 'agent2', start: iso(tomorrow + 24 * HOUR), end: iso(tomorrow + 30 * HOUR) },
    ]);
    expect(added.statusCode, added.body).toBe(201);
    const from = dayOf(tomorrow);
    const week = dayOf(tomorrow + 7 * 24 * HOUR);
    const copy = (payload: object, token = SUPERVISOR) =>
      api.app.inject({ method: 'POST', url: '/api/shifts/copy', headers: api.as(token), payload });
    told = [];
    // Only agent1's first: one shift.
    const one = await copy({ from, to: week, days: 1, agentId: 'agent1' });
    expect(one.statusCode, one.body).toBe(201);
    // Compared on the contact center's clock: a change of the clocks in the week keeps the hour.
    const clock = (iso: string) =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone: api.acd.timeZone,
        hour: '2-digit',
        minute: '2-digit',
      }).format(Date.parse(iso));
    const [copied] = one.json().items;
    expect([dayOf(Date.parse(copied.start)), clock(copied.start), clock(copied.end), copied.note]).toEqual([
      week,
      clock(iso(tomorrow)),
      clock(iso(tomorrow + 8 * HOUR)),
      'early',
    ]);
    expect(copied.breaks.map((b: { start: string; label: string }) => [clock(b.start), b.label])).toEqual([
      [clock(iso(tomorrow + 4 * HOUR)), 'Lunch'],
    ]);
    // The whole two days again: agent1's copy is on already, so nothing is copied, named.
    const clash = await copy({ from, to: week, days: 2 });
    expect([clash.statusCode, clash.json().code]).toEqual([409, 'SHIFT_OVERLAP']);
    expect(clash.json().message).toMatch(
      /^nothing was put on the roster: agent1's shift of \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: agent1 is on a shift then already/,
    );
    // Two weeks on: both.
    const fortnight = dayOf(tomorrow + 14 * 24 * HOUR);
    const both = await copy({ from, to: fortnight, days: 2 });
    expect(both.statusCode, both.body).toBe(201);
    expect(both.json().items.map((s: { agentId: string }) => s.agentId)).toEqual(['agent1', 'agent2']);
    const change = (await get('/api/changes')).json().changes[0];
    expect([change.action, change.subject]).toEqual([
      'shift.added',
      `2 shifts copied from ${from} to ${fortnight}`,
    ]);
    expect(told.map((e) => e.data)).toEqual([
      { change: 'added', agentIds: ['agent1'] },
      { change: 'added', agentIds: ['agent1', 'agent2'] },
    ]);
    // Refused: backwards, nothing there, an unknown agent, an agent's token.
    expect((await copy({ from: week, to: from })).json().message).toBe(
      'copy to a later day: to comes after from',
    );
    const none = await copy({
      from: fortnight,
      to: dayOf(tomorrow + 30 * 24 * HOUR),
      days: 1,
      agentId: 'agent3',
    });
    expect([none.statusCode, none.json().code]).toEqual([400, 'NO_SHIFTS']);
    expect((await copy({ from, to: week, agentId: 'nobody' })).json().code).toBe('AGENT_NOT_FOUND');
    expect((await copy({ from, to: week }, api.tokenOf('agent1'))).statusCode).toBe(403);
  });

  it('writes the roster out as a roster file that puts the same shifts back', async () => {
    const dayOf = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: api.acd.timeZone }).format(ms);
    const tomorrow = Math.floor(Date.now() / HOUR) * HOUR + 24 * HOUR;
    const shiftsIn = [
      {
        agentId: 'agent1',
        start: iso(tomorrow),
        end: iso(tomorrow + 8 * HOUR),
        note: 'early, then training',
        breaks: [{ start: iso(tomorrow + 4 * HOUR), end: iso(tomorrow + 4.5 * HOUR), label: 'Lunch' }],
      },
      { agentId: 'agent2', start: iso(tomorrow + 2 * HOUR), end: iso(tomorrow + 6 * HOUR) },
    ];
    expect((await post(shiftsIn)).statusCode).toBe(201);
    const day = dayOf(tomorrow);
    const last = dayOf(tomorrow + 8 * HOUR);
    const file = await get(`/api/shifts/file?from=${day}&to=${last}`);
    expect(file.statusCode, file.body).toBe(200);
    expect(file.headers['content-type']).toMatch(/^text\/csv/);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="roster-${day}-${last}.csv"`);
    const lines = file.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('agent,date,from,to,breaks,note');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['agent1', 'agent2']);
    // Taken off, then the file put back: the same shifts, breaks and notes.
    const listed = async () =>
      (
        await get(
          `/api/shifts?from=${encodeURIComponent(iso(tomorrow))}&to=${encodeURIComponent(iso(tomorrow + 9 * HOUR))}`,
        )
      ).json().items as {
        id: string;
        agentId: string;
        start: string;
        end: string;
        note: string | null;
        breaks: unknown;
      }[];
    const before = await listed();
    for (const s of before)
      await api.app.inject({ method: 'DELETE', url: `/api/shifts/${s.id}`, headers: api.as(SUPERVISOR) });
    const back = await api.app.inject({
      method: 'POST',
      url: '/api/shifts',
      headers: { ...api.as(SUPERVISOR), 'content-type': 'text/csv' },
      payload: file.body,
    });
    expect(back.statusCode, back.body).toBe(201);
    const strip = (items: Awaited<ReturnType<typeof listed>>) =>
      items.map(({ agentId, start, end, note, breaks }) => ({ agentId, start, end, note, breaks }));
    expect(strip(await listed())).toEqual(strip(before));
    // An agent's own; not a colleague's.
    const own = await get(`/api/shifts/file?from=${day}&to=${last}`, api.tokenOf('agent2'));
    expect(
      own.body
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['agent2']);
    expect((await get('/api/shifts/file?agentId=agent1', api.tokenOf('agent2'))).statusCode).toBe(403);
    expect((await get('/api/shifts/file?from=2026-01-01&to=2026-03-01')).json().code).toBe('RANGE_TOO_LONG');
  });

  it("sets the queue's agents on shift beside the agents needed in the staffing forecast", async () => {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: api.acd.timeZone }).format(Date.now());
    const staffing = async () =>
      (await get(`/api/reports/staffing?queueId=sales&date=${day}&interval=hour`)).json().rows as {
        start: string;
        onShift: number | null;
      }[];
    const before = await staffing();
    expect(before.every((r) => r.onShift === 0)).toBe(true);
    const [ten, eleven, twelve] = [before[10]!, before[11]!, before[12]!].map((r) => Date.parse(r.start));
    const added = await post([
      { agentId: 'agent2', start: iso(ten!), end: iso(twelve! + 30 * MIN) },
      { agentId: 'agent3', start: iso(eleven!), end: iso(twelve!) },
    ]);
    expect(added.statusCode, added.body).toBe(201);
    const rows = await staffing();
    expect(rows.slice(9, 14).map((r) => r.onShift)).toEqual([0, 1, 2, 0.5, 0]);
  });
});
