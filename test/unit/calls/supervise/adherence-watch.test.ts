/**
 * Real-time adherence (AdherenceWatch): seats held against the roster as they change and as shifts and breaks
 * begin or end, told past the grace period. Fake timers and seats, the real event hub (each event checked
 * against its schema).
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Shift } from '../../../../src/agents/shifts.js';
import { AdherenceWatch } from '../../../../src/calls/supervise/adherence-watch.js';
import { EventHub, type StreamEvent } from '../../../../src/events/event-hub.js';
import { AdherenceExceptionLog } from '../../../../src/store/adherence-exception-log.js';
import { migrateToLatest, openDatabase } from '../../../../src/store/database.js';

const MIN = 60_000;
const T0 = Date.parse('2026-12-07T09:00:00Z');

let seats: Map<string, string>;
let roster: Shift[];
let hub: EventHub;
let told: StreamEvent[];
let watch: AdherenceWatch;

const shift = (agentId: string, from: number, to: number, breaks: Shift['breaks'] = []): Shift => ({
  id: `${agentId}@${from}`,
  agentId,
  start: T0 + from * MIN,
  end: T0 + to * MIN,
  note: null,
  createdAt: 0,
  breaks,
});
/** The seat changes, as the ACD tells it on the stream. */
const seatTo = (agentId: string, to: string) => {
  const from = seats.get(agentId) ?? 'logged_out';
  seats.set(agentId, to);
  hub.publish('agent.state', {
    agentId,
    from: { type: from },
    to: { type: to },
    callsHandledToday: 0,
  } as never);
};
const said = () =>
  told.map((e) => {
    const d = e.data as {
      inAdherence: boolean;
      exception: { agentId: string; activity: string; agentState: string; since: string };
    };
    return [
      d.exception.agentId,
      d.inAdherence,
      d.exception.activity,
      d.exception.agentState,
      (Date.parse(d.exception.since) - T0) / MIN,
    ];
  });

beforeEach(async () => {
  vi.useFakeTimers({ now: T0 - 10 * MIN });
  seats = new Map();
  roster = [];
  hub = new EventHub(Date.now, 1000, 'throw');
  told = [];
  hub.subscribe((e) => {
    if (e.type === 'shift.adherence') told.push(e);
  });
});
afterEach(() => {
  watch.stop();
  vi.useRealTimers();
});

const startWatch = async (record?: AdherenceExceptionLog) => {
  watch = new AdherenceWatch({
    seat: (agentId) => ({ state: { type: seats.get(agentId) ?? 'logged_out' } as never }),
    hub,
    shifts: { overlapping: async (from, to) => roster.filter((s) => s.start < to && s.end > from) },
    graceMs: 5 * MIN,
    now: Date.now,
    logger: pino({ level: 'silent' }),
    ...(record ? { record } : {}),
  });
  await watch.start();
};
/** The exceptions on record, times in minutes from 09:00. */
const onRecord = async (record: AdherenceExceptionLog) =>
  (await record.between(0, Number.MAX_SAFE_INTEGER)).map((e) => [
    e.agentId,
    e.activity,
    (e.since - T0) / MIN,
    (e.toldAt - T0) / MIN,
    e.agentState,
    e.endedAt === null ? null : (e.endedAt - T0) / MIN,
    e.endedState,
  ]);

describe('real-time adherence', () => {
  it('tells an agent not signed in five minutes into their shift, and when they are back', async () => {
    roster = [shift('anna', 0, 480)];
    await startWatch();
    await vi.advanceTimersByTimeAsync(14 * MIN); // 09:04: within the grace period
    expect(told).toEqual([]);
    await vi.advanceTimersByTimeAsync(1 * MIN); // 09:05
    expect(said()).toEqual([['anna', false, 'working', 'logged_out', 0]]);
    expect(watch.standing().map((e) => e.agentId)).toEqual(['anna']);
    seatTo('anna', 'available');
    expect(said().at(-1)).toEqual(['anna', true, 'working', 'available', 0]);
    expect(watch.standing()).toEqual([]);
  });

  it('holds a break: away is kept, taking calls through it is not; a late return from it is timed from its end', async () => {
    roster = [shift('anna', 0, 480, [{ start: T0 + 180 * MIN, end: T0 + 210 * MIN, label: 'Lunch' }])];
    seats.set('anna', 'available');
    await startWatch();
    await vi.advanceTimersByTimeAsync(190 * MIN); // 12:00: lunch begun, still taking calls
    expect(told).toEqual([]);
    await vi.advanceTimersByTimeAsync(5 * MIN); // 12:05
    expect(said()).toEqual([['anna', false, 'break', 'available', 180]]);
    seatTo('anna', 'not_ready'); // off to lunch at last
    expect(said().at(-1)?.slice(0, 3)).toEqual(['anna', true, 'break']);
    // Lunch ends at 12:30; back at 12:33 (within the grace period): nothing told.
    await vi.advanceTimersByTimeAsync(28 * MIN);
    seatTo('anna', 'available');
    await vi.advanceTimersByTimeAsync(12 * MIN);
    expect(told).toHaveLength(2);
    // Signed out at 12:45 and not back: told at 12:50, timed from 12:45; signed in not ready, told again.
    seatTo('anna', 'logged_out');
    await vi.advanceTimersByTimeAsync(5 * MIN);
    expect(said().at(-1)).toEqual(['anna', false, 'working', 'logged_out', 225]);
    seatTo('anna', 'not_ready');
    expect(said().at(-1)).toEqual(['anna', false, 'working', 'not_ready', 225]);
    expect(watch.standing().map((e) => e.agentState)).toEqual(['not_ready']);
    // The shift ends at 17:00: nothing is planned any more, so the exception ends.
    await vi.advanceTimersByTimeAsync(260 * MIN);
    expect(said().at(-1)?.slice(0, 2)).toEqual(['anna', true]);
    expect(watch.standing()).toEqual([]);
  });

  it('follows the roster: a shift put on now is held at once, one taken off ends its exception', async () => {
    await startWatch();
    vi.setSystemTime(T0 + 60 * MIN);
    roster = [shift('boris', 0, 480)];
    hub.publish('shift.changed', { change: 'added', agentIds: ['boris'] });
    await vi.advanceTimersByTimeAsync(5 * MIN);
    expect(said()).toEqual([['boris', false, 'working', 'logged_out', 60]]);
    roster = [];
    hub.publish('shift.changed', { change: 'removed', agentIds: ['boris'] });
    await vi.advanceTimersByTimeAsync(0);
    expect(said().at(-1)?.slice(0, 2)).toEqual(['boris', true]);
    expect(watch.standing()).toEqual([]);
  });

  it('keeps each exception on record (told, its seat, its end), and a standing one keeps its start through a restart', async () => {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const record = new AdherenceExceptionLog(db);
    roster = [shift('anna', 0, 480), shift('boris', 0, 480)];
    seats.set('boris', 'available');
    await startWatch(record);
    await vi.advanceTimersByTimeAsync(15 * MIN); // 09:05: Anna not signed in, told
    seatTo('anna', 'not_ready'); // still off it
    await vi.advanceTimersByTimeAsync(5 * MIN);
    seatTo('boris', 'logged_out'); // 09:10: Boris leaves
    await vi.advanceTimersByTimeAsync(5 * MIN); // 09:15: told
    seatTo('anna', 'available'); // Anna back at 09:15
    await vi.advanceTimersByTimeAsync(0);
    expect(await onRecord(record)).toEqual([
      ['anna', 'working', 0, 5, 'not_ready', 15, 'available'],
      ['boris', 'working', 10, 15, 'logged_out', null, null],
    ]);
    // Only the range's: Anna's ended before 09:20.
    expect((await record.between(T0 + 20 * MIN, T0 + 30 * MIN)).map((e) => e.agentId)).toEqual(['boris']);
    expect((await record.between(0, T0 + 60 * MIN, 'anna')).map((e) => e.agentId)).toEqual(['anna']);

    // The service stops at 09:20 and is back at 09:30: Boris still signed out keeps his 09:10 start, told
    // again at once (no new grace period), and his end is written once he is back.
    watch.stop();
    told = [];
    vi.setSystemTime(T0 + 30 * MIN);
    await startWatch(record);
    await vi.advanceTimersByTimeAsync(0);
    expect(said()).toEqual([['boris', false, 'working', 'logged_out', 10]]);
    expect(watch.standing().map((e) => [e.agentId, (e.since - T0) / MIN])).toEqual([['boris', 10]]);
    seatTo('boris', 'available');
    await vi.advanceTimersByTimeAsync(0);
    expect((await onRecord(record))[1]).toEqual(['boris', 'working', 10, 15, 'logged_out', 30, 'available']);
    expect(await onRecord(record)).toHaveLength(2);

    // One standing at a stop whose agent kept to the roster meanwhile ends as the new run looks.
    seatTo('boris', 'logged_out');
    await vi.advanceTimersByTimeAsync(5 * MIN); // 09:35: told again, a new one from 09:30
    watch.stop();
    seats.set('boris', 'available');
    vi.setSystemTime(T0 + 40 * MIN);
    told = [];
    await startWatch(record);
    await vi.advanceTimersByTimeAsync(0);
    expect(told).toEqual([]);
    expect((await onRecord(record))[2]).toEqual(['boris', 'working', 30, 35, 'logged_out', 40, 'available']);
  });
});
