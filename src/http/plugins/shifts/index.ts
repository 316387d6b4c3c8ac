/**
 * The agents' roster: supervisors put shifts on it with their breaks (a list at once: a week's roster, all or
 * none) and take one off; everyone signed in reads it, an agent their own. A shift begun says how it went so
 * far (adherence: staffed while to work, away on its breaks), and one under way what it plans now and
 * whether the agent's seat keeps to it. The staffing forecast sets the agents on shift beside the agents
 * needed (see reports/staffing.ts).
 */
import { randomUUID } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { staffedIn as staffedSecondsOf } from '../../../acd/staffing.js';
import { dateAfter, dateOf, startOfDate, startOfDay, startOfNextDay } from '../../../acd/site-day.js';
import {
  adherence,
  adherenceOver,
  breaksOf,
  copiedShifts,
  keepingTo,
  type Shift,
  type ShiftInput,
  shiftProblems,
  workingSpans,
} from '../../../agents/shifts.js';
import type { AgentSeat } from '../../../agents/seat.js';
import { type AdherenceWatch, exceptionDto } from '../../../calls/supervise/adherence-watch.js';
import type { AdherenceExceptionLog } from '../../../store/adherence-exception-log.js';
import { agentIdNamed } from '../../../agents/named.js';
import { ROSTER_FILE_BYTES, readRosterFile, rosterFileLines } from '../../../agents/roster-file.js';
import { listed } from '../../../acd/list-file.js';
import { typedOrFile } from '../../list-bodies.js';
import type { EventHub } from '../../../events/event-hub.js';
import type { AgentEventLog } from '../../../store/agent-event-log.js';
import type { ShiftLog, ShiftOnRecord } from '../../../store/shift-log.js';
import type { RecordChange } from '../../admin-audit.js';
import { type ApiAuth, type Principal, supervisorOf } from '../../auth.js';
import { checkRange, rangeEnd, rangeStart } from '../../dates.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { foldAgentChanges } from '../reports/agent-changes.js';
import { csvColumns, sendCsv } from '../../report-bodies.js';
import {
  AdherenceExceptionList,
  AdherenceQuery,
  AdherenceReport,
  ExceptionHistory,
  ExceptionHistoryQuery,
  ExceptionHistoryRow,
  type NewShifts,
  NewShiftsBody,
  RosterFileQuery,
  RosterFileRow,
  ShiftBody,
  ShiftAdherenceRow,
  ShiftChangeBody,
  ShiftCopyBody,
  ShiftList,
  ShiftParams,
  ShiftQuery,
} from './schemas.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Whose shifts a read is of: an agent's own (a colleague's refused), or the supervisor's choice (all: none). */
function readerOf(principal: Principal, asked: string | undefined, what: string): string | undefined {
  if (principal.role === 'agent' && asked !== undefined && asked !== principal.agentId)
    throw new ApiError(403, 'FORBIDDEN', `an agent sees their own ${what}, not a colleague's`);
  return principal.role === 'agent' ? principal.agentId : asked;
}

/** A read's range: after its start, and at most MAX_RANGE_DAYS long. */
function checkRoster(from: number, to: number, q: { from?: string; to?: string }, what: string): void {
  checkRange(from, to, q);
  if (to - from > MAX_RANGE_DAYS * 86_400_000)
    throw new ApiError(400, 'RANGE_TOO_LONG', `read at most ${MAX_RANGE_DAYS} days of ${what} at once`);
}

/** Adherence figures with their seconds whole (the agent log folds to fractions of a second). */
function wholeSeconds<T extends ReturnType<typeof adherenceOver>>(figures: T): T {
  return {
    ...figures,
    elapsedSeconds: Math.round(figures.elapsedSeconds),
    workSeconds: Math.round(figures.workSeconds),
    breakSeconds: Math.round(figures.breakSeconds),
    staffedSeconds: Math.round(figures.staffedSeconds),
    staffedOnBreakSeconds: Math.round(figures.staffedOnBreakSeconds),
  };
}
/** The most days one read of the roster spans (a month and a bit). */
const MAX_RANGE_DAYS = 35;

export const shiftsPlugin: FastifyPluginAsyncTypebox<{
  auth: ApiAuth;
  hub: EventHub;
  shifts: Pick<ShiftLog, 'added' | 'byId' | 'changed' | 'removed' | 'overlapping'>;
  agentLog: Pick<AgentEventLog, 'lastBefore' | 'changePages'>;
  agents: () => readonly { id: string; name: string }[];
  /** Real-time adherence's exceptions now (GET /api/shifts/exceptions); absent: not watched. */
  adherence?: {
    watch: Pick<AdherenceWatch, 'standing'>;
    graceSeconds: number;
    /** The exceptions on record (GET /api/shifts/exceptions/history). */
    record?: Pick<AdherenceExceptionLog, 'between'>;
  };
  /** The agent's seat now, for a shift under way. */
  seat: (agentId: string) => Pick<AgentSeat, 'state'> | undefined;
  timeZone: string;
  recordChange: RecordChange;
  now?: () => number;
}> = async (
  app,
  { auth, hub, shifts, agentLog, agents, seat, adherence: watched, timeZone, recordChange, now = Date.now },
) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const nameOf = (agentId: string) => agents().find((a) => a.id === agentId)?.name ?? agentId;
  /** A read over the last days: the range asked for, or the last 7 days to the end of today; checked. */
  const pastDays = (q: { from?: string; to?: string }, at: number, what: string) => {
    const from = q.from ? rangeStart(q.from, timeZone) : startOfDay(at - 6 * 86_400_000, timeZone);
    const to = q.to ? rangeEnd(q.to, timeZone) : startOfNextDay(at, timeZone);
    checkRoster(from, to, q, what);
    return { from, to };
  };
  /** What a shift under way at `at` plans, and whether the agent's seat keeps to it. */
  const nowOf = (s: Shift, at: number) => {
    const state = seat(s.agentId)?.state.type ?? 'logged_out';
    const keeping = keepingTo([s], state, at);
    if (!keeping) return undefined;
    const { planned } = keeping;
    return {
      activity: planned.activity,
      label: planned.activity === 'break' ? planned.label : null,
      until: iso(planned.until),
      agentState: state,
      inAdherence: keeping.kept,
    };
  };

  /** A shift as the API shows it; with `begun`, how it went up to `begun.at` and what it plans then. */
  const dto = (s: ShiftOnRecord, begun?: { staffed: { working: number; onBreak: number }; at: number }) => {
    const planned = begun ? nowOf(s, begun.at) : undefined;
    return {
      id: s.id,
      agentId: s.agentId,
      agentName: nameOf(s.agentId),
      start: iso(s.start),
      end: iso(s.end),
      note: s.note,
      breaks: s.breaks.map((b) => ({ start: iso(b.start), end: iso(b.end), label: b.label })),
      createdAt: iso(s.createdAt),
      ...(s.by ? { by: s.by } : {}),
      ...(begun ? { adherence: adherence(s, begun.staffed, begun.at) } : {}),
      ...(planned ? { now: planned } : {}),
    };
  };

  /** The agent's seconds staffed in the shift so far: while to work, and on its breaks. */
  const staffedIn = async (s: Shift, at: number): Promise<{ working: number; onBreak: number }> => {
    const until = Math.min(at, s.end);
    // The shift's spans in order (working and breaks side by side), folded in one read of the agent's log.
    const spans = [
      ...workingSpans(s).map((w) => ({ ...w, onBreak: false })),
      ...s.breaks.map((b) => ({ start: b.start, end: b.end, onBreak: true })),
    ].sort((a, b) => a.start - b.start);
    const fold = await foldAgentChanges(agentLog, s.agentId, spans, until);
    const staffed = { working: 0, onBreak: 0 };
    fold.finish([]).forEach((row, i) => {
      staffed[spans[i]?.onBreak ? 'onBreak' : 'working'] += staffedSecondsOf(row.secondsInState ?? {});
    });
    return staffed;
  };

  app.get(
    '/api/shifts',
    {
      schema: {
        tags: ['agents', 'supervisors'],
        summary:
          "The roster: shifts running in a time (default today), by start, each begun with its adherence so far (the agent's time staffed against the time gone by); supervisors every agent's, an agent their own",
        querystring: ShiftQuery,
        response: { 200: ShiftList, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const agentId = readerOf(auth.signedIn(request), q.agentId, 'shifts');
      const at = now();
      const from = q.from ? rangeStart(q.from, timeZone) : startOfDay(at, timeZone);
      const to = q.to ? rangeEnd(q.to, timeZone) : startOfNextDay(from, timeZone);
      checkRoster(from, to, q, 'the roster');
      const found = await shifts.overlapping(from, to, agentId);
      const items = [];
      for (const s of found) {
        items.push(dto(s, s.start < at ? { staffed: await staffedIn(s, at), at } : undefined));
        await setImmediate(); // a month's roster reads each shift's agent log: let other work in between
      }
      return { items };
    },
  );

  app.get(
    '/api/shifts/exceptions',
    {
      schema: {
        tags: ['supervisors', 'agents'],
        summary:
          "Real-time adherence: the agents whose seat has been off their roster (signed out or not ready while to work, on calls on a break) past the grace period, now, the longest first (shift.adherence tells each change); supervisors every agent's, an agent their own",
        response: { 200: AdherenceExceptionList, ...errors },
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      if (!watched) throw new ApiError(404, 'NOT_WATCHED', 'real-time adherence is not watched here');
      const items = watched.watch
        .standing()
        .filter((e) => principal.role !== 'agent' || e.agentId === principal.agentId)
        .map(exceptionDto);
      return { graceSeconds: watched.graceSeconds, items };
    },
  );

  app.get(
    '/api/shifts/exceptions/history',
    {
      schema: {
        tags: ['supervisors', 'agents'],
        summary:
          "Real-time adherence's exceptions over a range (default the last 7 days): each time a seat was off its roster past the grace period, from when to when and how the seat was, and each agent's count and time summed; supervisors every agent's, an agent their own; as JSON or CSV (a line per exception)",
        querystring: ExceptionHistoryQuery,
        response: { 200: ExceptionHistory, ...errors },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const agentId = readerOf(auth.signedIn(request), q.agentId, 'exceptions');
      if (!watched?.record) throw new ApiError(404, 'NOT_WATCHED', 'real-time adherence is not kept here');
      const at = now();
      const { from, to } = pastDays(q, at, 'exceptions');
      const items = (await watched.record.between(from, to, agentId)).map((e) => ({
        id: e.id,
        agentId: e.agentId,
        agentName: nameOf(e.agentId),
        shiftId: e.shiftId,
        activity: e.activity,
        label: e.label,
        since: iso(e.since),
        toldAt: iso(e.toldAt),
        agentState: e.agentState,
        endedAt: e.endedAt === null ? null : iso(e.endedAt),
        endedState: e.endedState,
        seconds: Math.round(((e.endedAt ?? at) - e.since) / 1000),
      }));
      if (q.format === 'csv')
        return sendCsv(
          reply,
          `adherence-exceptions${agentId ? `-${agentId}` : ''}-${dateOf(from, timeZone)}-${dateOf(to - 1, timeZone)}.csv`,
          csvColumns(ExceptionHistoryRow),
          items,
          (row) => row,
        );
      const byAgent = new Map<
        string,
        { agentId: string; agentName: string; exceptions: number; seconds: number }
      >();
      for (const e of items) {
        const sum = byAgent.get(e.agentId) ?? {
          agentId: e.agentId,
          agentName: e.agentName,
          exceptions: 0,
          seconds: 0,
        };
        sum.exceptions += 1;
        sum.seconds += e.seconds;
        byAgent.set(e.agentId, sum);
      }
      const agentRows = [...byAgent.values()].sort(
        (a, b) => b.seconds - a.seconds || a.agentName.localeCompare(b.agentName),
      );
      return { from: iso(from), to: iso(to), agents: agentRows, items };
    },
  );

  app.get(
    '/api/shifts/file',
    {
      schema: {
        tags: ['supervisors', 'agents'],
        summary:
          "The roster as a roster file (CSV: agent, date, from, to, breaks, note), the shifts starting in those days (default the 7 from today): edited in a spreadsheet and put back (POST /api/shifts), or kept; supervisors every agent's, an agent their own",
        querystring: RosterFileQuery,
        response: { 200: Type.String({ description: 'text/csv' }), ...errors },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const agentId = readerOf(auth.signedIn(request), q.agentId, 'shifts');
      const firstDay = q.from ?? dateOf(now(), timeZone);
      const lastDay = q.to ?? dateAfter(firstDay, 6);
      const from = startOfDate(firstDay, timeZone);
      const to = startOfNextDay(startOfDate(lastDay, timeZone), timeZone);
      checkRoster(from, to, q, 'the roster');
      const starting = (await shifts.overlapping(from, to, agentId)).filter((s) => s.start >= from);
      return sendCsv(
        reply,
        `roster${agentId ? `-${agentId}` : ''}-${firstDay}-${lastDay}.csv`,
        csvColumns(RosterFileRow),
        rosterFileLines(starting, timeZone),
        (line) => ({ ...line }),
      );
    },
  );

  app.get(
    '/api/shifts/adherence',
    {
      schema: {
        tags: ['supervisors', 'agents'],
        summary:
          "Schedule adherence over a range (default the last 7 days): each shift begun with its time to work, on breaks and staffed, its adherence and conformance, and each agent's summed; supervisors every agent's, an agent their own; as JSON or CSV (a line per shift)",
        querystring: AdherenceQuery,
        response: { 200: AdherenceReport, ...errors },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const agentId = readerOf(auth.signedIn(request), q.agentId, 'adherence');
      const at = now();
      const { from, to } = pastDays(q, at, 'adherence');
      // A shift counts in the range it starts in, once begun.
      const begun = (await shifts.overlapping(from, to, agentId)).filter(
        (s) => s.start >= from && s.start < to && s.start < at,
      );
      const rows = [];
      for (const s of begun) {
        const { percent: _, ...figures } = adherence(s, await staffedIn(s, at), at);
        rows.push({
          shiftId: s.id,
          agentId: s.agentId,
          agentName: nameOf(s.agentId),
          date: dateOf(s.start, timeZone),
          start: iso(s.start),
          end: iso(s.end),
          ...wholeSeconds(adherenceOver([figures])),
        });
        await setImmediate(); // each shift reads its agent's log: let other work in between
      }
      if (q.format === 'csv')
        return sendCsv(
          reply,
          `adherence${agentId ? `-${agentId}` : ''}-${dateOf(from, timeZone)}-${dateOf(to - 1, timeZone)}.csv`,
          csvColumns(ShiftAdherenceRow),
          rows,
          (row) => row,
        );
      const byAgent = new Map<string, typeof rows>();
      for (const row of rows) byAgent.set(row.agentId, [...(byAgent.get(row.agentId) ?? []), row]);
      const agentRows = [...byAgent].map(([id, own]) => ({
        agentId: id,
        agentName: nameOf(id),
        ...wholeSeconds(adherenceOver(own)),
      }));
      agentRows.sort((a, b) => a.agentName.localeCompare(b.agentName));
      return { from: iso(from), to: iso(to), agents: agentRows, shifts: rows };
    },
  );

  /** The shifts asked for, typed (items) or a roster file (itemsCsv), each with its place for a refusal. */
  const shiftsAsked = (body: NewShifts): { asked: ShiftInput[]; place: (i: number) => string } => {
    const given = typedOrFile(body, 'the shifts', 'a roster file');
    if ('items' in given)
      return {
        asked: given.items.map((item) => ({
          agentId: item.agentId,
          start: Date.parse(item.start),
          end: Date.parse(item.end),
          ...(item.note?.trim() ? { note: item.note.trim() } : {}),
          ...(item.breaks
            ? {
                breaks: item.breaks.map((b) => ({
                  start: Date.parse(b.start),
                  end: Date.parse(b.end),
                  label: b.label,
                })),
              }
            : {}),
        })),
        place: (i) => `items.${i}`,
      };
    const file = readRosterFile(given.csv, timeZone);
    if ('problems' in file)
      throw new ApiError(
        400,
        'INVALID_ROSTER_FILE',
        `nothing was put on the roster: ${file.problems.join('; ')}`,
      );
    return {
      asked: file.shifts.map(({ agent, ...shift }) => ({ agentId: agentIdNamed(agents(), agent), ...shift })),
      place: (i) => `line ${file.lines[i]}`,
    };
  };

  // A roster file may come as it is (curl --data-binary @roster.csv -H 'content-type: text/csv').
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: ROSTER_FILE_BYTES },
    (_r, body, done) => done(null, { itemsCsv: body }),
  );

  app.post(
    '/api/shifts/copy',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          "Copy days of the roster to later days (supervisors; last week's onto next week): every shift starting in `days` days from `from` (or one agent's) put on again from `to`, at the same times on the contact center's clock with its note and breaks. All or none: a copy clashing with a shift there already refuses, named",
        body: ShiftCopyBody,
        response: { 201: ShiftList, ...errors },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const { from, to, agentId } = request.body;
      const days = request.body.days ?? 7;
      const at = now();
      const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
      if (Number.isNaN(dayMs(from)) || Number.isNaN(dayMs(to)))
        throw new ApiError(400, 'SHIFT_INVALID', 'from and to are days written 2026-12-07');
      const offset = Math.round((dayMs(to) - dayMs(from)) / 86_400_000);
      if (offset <= 0) throw new ApiError(400, 'SHIFT_INVALID', 'copy to a later day: to comes after from');
      if (agentId !== undefined && !agents().some((a) => a.id === agentId))
        throw new ApiError(400, 'AGENT_NOT_FOUND', `no agent ${agentId}`);
      const start = startOfDate(from, timeZone);
      const end = startOfDate(dateAfter(from, days), timeZone);
      const source = (await shifts.overlapping(start, end, agentId)).filter((s) => s.start >= start);
      if (source.length === 0)
        throw new ApiError(
          400,
          'NO_SHIFTS',
          `no shift starts in the ${days} day${days === 1 ? '' : 's'} from ${from}${agentId ? ` for ${nameOf(agentId)}` : ''}: nothing to copy`,
        );
      const place = (i: number) => {
        const s = source[i] as Shift;
        return `${nameOf(s.agentId)}'s shift of ${dateOf(s.start, timeZone)} ${iso(s.start).slice(11, 16)} UTC`;
      };
      const items = await putOnRoster(
        principal,
        copiedShifts(source, offset, timeZone),
        place,
        at,
        `${source.length} shift${source.length === 1 ? '' : 's'} copied from ${from} to ${to}`,
      );
      return reply.status(201).send({ items });
    },
  );

  /** A shift as the change log keeps it. */
  const logged = (s: ReturnType<typeof dto>) => ({
    agentId: s.agentId,
    start: s.start,
    end: s.end,
    note: s.note,
    ...(s.breaks.length > 0 ? { breaks: s.breaks } : {}),
  });

  /** The roster's refusal of shifts: 400 for a shift that is wrong in itself, else 409 for a clash. */
  const refusal = (problems: ReturnType<typeof shiftProblems>, nothing: string) => {
    const code = problems.some((p) => p.code === 'SHIFT_INVALID') ? 'SHIFT_INVALID' : 'SHIFT_OVERLAP';
    return new ApiError(
      code === 'SHIFT_INVALID' ? 400 : 409,
      code,
      `${nothing}: ${listed(problems.map((p) => p.reason)).join('; ')}`,
    );
  };

  /**
   * Shifts put on the roster, all or none (checked against the roster and each other), in the change log
   * (`subject`: what they are), told live; the shifts as the API shows them.
   */
  const putOnRoster = async (
    principal: Principal,
    asked: readonly ShiftInput[],
    place: (i: number) => string,
    at: number,
    subject = `${asked.length} shift${asked.length === 1 ? '' : 's'}`,
  ) => {
    const existing = await shifts.overlapping(
      Math.min(...asked.map((s) => s.start)),
      Math.max(...asked.map((s) => s.end)),
    );
    const problems = shiftProblems(asked, existing, at, place);
    if (problems.length > 0) throw refusal(problems, 'nothing was put on the roster');
    const made: Shift[] = asked.map((s) => ({
      id: randomUUID(),
      agentId: s.agentId,
      start: s.start,
      end: s.end,
      note: s.note ?? null,
      createdAt: at,
      breaks: breaksOf(s),
    }));
    const by = supervisorOf(principal);
    await shifts.added(made, by);
    const items = made.map((s) => dto({ ...s, ...(by ? { by } : {}) }));
    await recordChange(principal, {
      action: 'shift.added',
      subject,
      after: items.map((s) => ({ id: s.id, ...logged(s) })),
    });
    hub.publish('shift.changed', { change: 'added', agentIds: [...new Set(made.map((s) => s.agentId))] });
    return items;
  };

  app.post(
    '/api/shifts',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          "Put shifts on the roster (supervisors; one, or a month's for the team at once): as JSON (items, or itemsCsv: a roster file), or the file as the body (content-type text/csv). All or none, each problem named by its place (items.3 or a file's line): an unknown agent, an end not after its start, longer than 16 hours, more than a week back or a year ahead, an agent on two shifts at once",
        body: NewShiftsBody,
        response: { 201: ShiftList, ...errors },
      },
      bodyLimit: 2 * ROSTER_FILE_BYTES,
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const at = now();
      const { asked, place } = shiftsAsked(request.body);
      const known = new Set(agents().map((a) => a.id));
      const unknown = asked.flatMap((s, i) =>
        known.has(s.agentId)
          ? []
          : [`${place(i)}${request.body.items ? '.agentId' : ': agent'}: no agent ${s.agentId}`],
      );
      if (unknown.length > 0)
        throw new ApiError(
          400,
          'AGENT_NOT_FOUND',
          `nothing was put on the roster: ${listed(unknown).join('; ')}`,
        );
      return reply.status(201).send({ items: await putOnRoster(principal, asked, place, at) });
    },
  );

  app.put(
    '/api/shifts/:id',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          "Change a shift (supervisors): its agent (cover for one off sick), times, note or breaks (a lunch moved); the fields given replace the shift's, checked as a new one is (a break left outside the new times refuses, as does a clash with the agent's other shifts), in the change log with what it was",
        params: ShiftParams,
        body: ShiftChangeBody,
        response: { 200: ShiftBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const was = await shifts.byId(request.params.id);
      if (!was) throw new ApiError(404, 'SHIFT_NOT_FOUND', `no shift ${request.params.id} on the roster`);
      const body = request.body;
      if (body.agentId !== undefined && !agents().some((a) => a.id === body.agentId))
        throw new ApiError(400, 'AGENT_NOT_FOUND', `nothing was changed: no agent ${body.agentId}`);
      const asked: ShiftInput = {
        agentId: body.agentId ?? was.agentId,
        start: body.start ? Date.parse(body.start) : was.start,
        end: body.end ? Date.parse(body.end) : was.end,
        note: body.note === undefined ? (was.note ?? undefined) : body.note.trim() || undefined,
        breaks: body.breaks
          ? body.breaks.map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end), label: b.label }))
          : was.breaks,
      };
      const others = (await shifts.overlapping(asked.start, asked.end, asked.agentId)).filter(
        (s) => s.id !== was.id,
      );
      const problems = shiftProblems([asked], others, now(), () => 'the shift');
      if (problems.length > 0) throw refusal(problems, 'nothing was changed');
      const changed: ShiftOnRecord = {
        ...was,
        agentId: asked.agentId,
        start: asked.start,
        end: asked.end,
        note: asked.note ?? null,
        breaks: breaksOf(asked),
      };
      await shifts.changed(changed);
      const shown = dto(changed);
      await recordChange(principal, {
        action: 'shift.changed',
        subject: was.id,
        before: logged(dto(was)),
        after: logged(shown),
      });
      hub.publish('shift.changed', {
        change: 'changed',
        agentIds: [...new Set([was.agentId, asked.agentId])],
      });
      return shown;
    },
  );

  app.delete(
    '/api/shifts/:id',
    {
      schema: {
        tags: ['supervisors'],
        summary: 'Take a shift off the roster (supervisors): in the change log with what it was',
        params: ShiftParams,
        response: { 200: ShiftBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const removed = await shifts.removed(request.params.id);
      if (!removed) throw new ApiError(404, 'SHIFT_NOT_FOUND', `no shift ${request.params.id} on the roster`);
      const shown = dto(removed);
      await recordChange(principal, { action: 'shift.removed', subject: removed.id, before: logged(shown) });
      hub.publish('shift.changed', { change: 'removed', agentIds: [removed.agentId] });
      return shown;
    },
  );
};
